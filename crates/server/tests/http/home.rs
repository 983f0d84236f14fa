//! The home page per account (issue 10 §2): things to do from every capability, most pressing
//! first, each linking to where the work is done, and nothing of another unit's work.

use crate::helpers::{SETUP, TestApp};

/// The `href`s of the things to do on a home page, in order.
fn todo_links(html: &str) -> Vec<String> {
    let Some(list) = html.split("<ul class=\"todo\">").nth(1).and_then(|r| r.split("</ul>").next()) else { return vec![] };
    list.split("<a href=\"").skip(1).filter_map(|s| s.split('"').next()).map(str::to_string).collect()
}

#[tokio::test]
async fn a_commune_officer_sees_its_report_its_awaited_plan_and_its_notices() {
    let app = TestApp::spawn(&SETUP).await;
    let xa1 = app.login_as("xa1").await;
    let (status, html) = xa1.text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Việc cần làm"), "{html}");
    let links = todo_links(&html);
    // The demo opened this year's PBGDPL round: xa1 has a report to send, and a notice of it.
    let report = links.iter().find(|l| l.starts_with("/bao-cao/") && !l.starts_with("/bao-cao/ky/")).expect("a report to send").clone();
    assert!(html.contains("Gửi báo cáo Tình hình tổ chức và hoạt động phổ biến, giáo dục pháp luật"), "{html}");
    assert!(html.contains("Chưa đọc") && html.contains("Kỳ báo cáo mới"), "the unread notice is listed: {html}");
    // The province's plan asks every commune for an implementing plan.
    assert!(links.iter().any(|l| l.starts_with("/ke-hoach/") && l.ends_with("/trien-khai")), "{links:?}");
    assert!(html.contains("Ban hành kế hoạch thực hiện"), "{html}");
    // Every link leads somewhere xa1 may go.
    for l in &links {
        let (s, _) = xa1.text(l).await;
        assert_eq!(s, 200, "{l}");
    }
    // Numbers at a glance.
    assert!(html.contains("Số liệu nhanh") && html.contains("Báo cáo đơn vị cần gửi") && html.contains("Thông báo chưa đọc"), "{html}");

    // The other commune sees its own report, never xa1's.
    let xa2 = app.login_as("xa2").await;
    let (_, other) = xa2.text("/").await;
    let other_links = todo_links(&other);
    assert!(!other_links.contains(&report), "xa2 must not be sent to xa1's report: {other_links:?}");
    assert!(other_links.iter().any(|l| l.starts_with("/bao-cao/") && !l.starts_with("/bao-cao/ky/")), "{other_links:?}");

    // Once read, the notices leave the list.
    let r = xa1.post("/thong-bao/da-doc", &[]).await;
    assert!(r.status().is_redirection() || r.status().is_success(), "{}", r.status());
    let (_, html) = xa1.text("/").await;
    assert!(!html.contains("Chưa đọc"), "read notices are no longer things to do");
}

#[tokio::test]
async fn the_province_sees_the_communes_it_waits_for() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let (_, html) = tinh.text("/").await;
    assert!(html.contains("đơn vị cấp xã chưa ban hành kế hoạch thực hiện"), "{html}");
    let links = todo_links(&html);
    assert!(links.iter().any(|l| l.starts_with("/ke-hoach/") && !l.contains("/trien-khai")), "{links:?}");
    assert!(html.contains("Kế hoạch đang thực hiện"), "{html}");
    // The province does not fill the communes' reports.
    assert!(!html.contains("Gửi báo cáo"), "{html}");
}

#[tokio::test]
async fn an_account_without_work_is_told_so() {
    let app = TestApp::spawn(&SETUP).await;
    // A viewer of a commune neither fills reports nor issues plans, and has no notices.
    app.create_account("xem-xa1", "viewer", "05977", false).await;
    let viewer = app.login_as("xem-xa1").await;
    let (status, html) = viewer.text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Hôm nay không có việc nào đến hạn"), "{html}");
}

#[tokio::test]
async fn a_visitor_gets_the_public_home_and_an_account_its_own() {
    let app = TestApp::spawn(&SETUP).await;
    let (status, html) = app.client().text("/").await;
    assert_eq!(status, 200, "no redirect to the sign-in page");
    assert!(html.contains("<h1>Cổng thông tin phổ biến, giáo dục pháp luật</h1>"), "{html}");
    // Every capability's page for citizens is linked.
    for href in ["/tin-tuc", "/tu-sach"] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href}: {html}");
    }
    assert!(!html.contains("Việc cần làm") && !html.contains("Đăng xuất"));
    let (status, html) = app.login_as("bientap").await.text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Việc cần làm") || html.contains("Đăng xuất"), "{html}");
    assert!(!html.contains("<h1>Cổng thông tin phổ biến"), "{html}");
}

#[tokio::test]
async fn drafts_waiting_for_the_drafting_bodys_answers_are_on_the_home_page() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    // The demo draft takes comments now: counted at a glance.
    let (_, home) = tinh.text("/").await;
    assert!(home.contains(drafts::msg::GLANCE_OPEN), "{home}");
    // A draft whose period is over with a comment not answered yet is a thing to do.
    let unit = app.unit_id("20").await;
    let by = app.account_id("tinh").await;
    let day = kernel::page::today();
    let mut tx = app.db.begin().await.unwrap();
    let new = drafts::store::NewDraft { unit_id: unit, title: "Dự thảo đã hết hạn góp ý", drafting_body: "Sở Tư pháp", summary: "", opens_on: day - chrono::Duration::days(10), closes_on: day - chrono::Duration::days(1), created_by: by, file_id: None };
    let id = drafts::store::insert_draft(&mut tx, &new, kernel::now()).await.unwrap();
    drafts::store::publish(&mut tx, id, kernel::now()).await.unwrap();
    let comment = drafts::store::NewComment { draft_id: id, part_id: None, author_kind: "person", author_name: "Người góp ý", email: "", body: "Góp ý.", channel: "web", entered_by: None };
    drafts::store::insert_comment(&mut tx, &comment, kernel::now()).await.unwrap();
    tx.commit().await.unwrap();
    let (_, home) = tinh.text("/").await;
    assert!(home.contains(&drafts::msg::home_waiting("Dự thảo đã hết hạn góp ý")) && home.contains(&drafts::msg::home_waiting_detail(1)), "{home}");
    assert!(home.contains(&format!("/du-thao-quan-ly/{id}#gop-y")));
    // A commune's officer does not see the province's drafts.
    let (_, home) = app.login_as("xa1").await.text("/").await;
    assert!(!home.contains("Dự thảo đã hết hạn góp ý"));
}
