//! Grassroots mediation end to end over HTTP: a commune creates a team in a new village,
//! imports a roster (refused whole while a row is wrong), names the leader, and the leader (a
//! mediator account) records a case through the law's workflow; refusals (an excluded matter,
//! a conflicted mediator, a late start without a reason, a step out of order); who sees what
//! (a mediator outside the team and the province get 404 on the case, the province sees
//! counts only; a commune officer's read is audited); the tracking book, the roster export
//! and the remuneration list.

use documents::table::{Cell, read_table_xlsx, table_xlsx};
use mediation::rules::roster::{self, COLUMNS};
use reqwest::StatusCode;

use crate::helpers::{SETUP, Session, TestApp, location};

fn today() -> chrono::NaiveDate {
    kernel::page::today()
}

fn d(days_ago: i64) -> String {
    text_vi::format_date(today() - chrono::Duration::days(days_ago))
}

fn roster_file(rows: &[[&str; 4]]) -> Vec<u8> {
    let header: Vec<String> = ["Họ và tên", "Giới tính", "Năm sinh", "Dân tộc", "Tổ trưởng"].iter().map(|s| s.to_string()).collect();
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| vec![Cell::Text(r[0].into()), Cell::Text(r[1].into()), Cell::Text(r[2].into()), Cell::Text(r[3].into()), Cell::Text(if i == 0 { "x".into() } else { String::new() })])
        .collect();
    table_xlsx("DS", "Danh sách hòa giải viên", &header, &rows).unwrap()
}

async fn create_team(xa1: &Session, village: &str) -> i64 {
    let r = xa1.post("/hoa-giai/to", &[("new_village", village), ("name", &format!("Tổ hòa giải {village}")), ("decision_no", "15/QĐ-UBND"), ("decision_on", &d(30)), ("established_on", &d(30))]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    location(&r).trim_start_matches("/hoa-giai/to/").split('?').next().unwrap().parse().unwrap()
}

async fn demo_team(app: &TestApp, code: &str) -> mediation::store::TeamRow {
    let commune = kernel::db::units::by_code(&app.db, code, today()).await.unwrap();
    mediation::store::teams_in(&app.db, &format!("{}%", commune.path)).await.unwrap().remove(0)
}

async fn new_case(s: &Session, team: i64, field: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut f: Vec<(&str, &str)> = vec![("field", field), ("summary", "Tranh chấp lối đi chung giữa hai hộ"), ("p1_name", "Nông Văn Kiên"), ("p1_year", "1975"), ("p2_name", "Hoàng Thị Én"), ("origin", "party_request")];
    let received = d(4);
    f.push(("received_on", &received));
    f.extend_from_slice(extra);
    s.post(&format!("/hoa-giai/to/{team}/vu-viec"), &f).await
}

fn case_id(r: &reqwest::Response) -> i64 {
    location(r).trim_start_matches("/hoa-giai/vu-viec/").split('?').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_commune_builds_a_team_from_an_xlsx_roster() {
    let app = TestApp::spawn(&SETUP).await;
    let xa1 = app.login_as("xa1").await;
    let team = create_team(&xa1, "Thôn Bản Thí").await;
    // An empty team is warned about (fewer than three, no woman), never blocked.
    let (_, html) = xa1.text(&format!("/hoa-giai/to/{team}")).await;
    assert!(html.contains("Tổ có 0 hòa giải viên, ít hơn 3 người theo quy định."), "{html}");
    // A roster with a bad row: every problem listed, nothing imported.
    let bad = roster_file(&[["Hoàng Văn Dũng", "Nam", "1966", "Tày"], ["Lý Thị Mai", "nữ", "1979", "Nùng"], ["Vi Văn Tú", "?", "1990", "Tày"], ["Nông Thị Hà", "Nữ", "3000", "Tày"], ["Lương Văn Sơn", "Nam", "1972", "Kinh"]]);
    let r = xa1.post_multipart(&format!("/hoa-giai/to/{team}/nhap"), &[], Some(("ds.xlsx", bad))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Dòng 6, cột «Giới tính»"), "{html}");
    assert!(html.contains("Dòng 7, cột «Năm sinh»"), "{html}");
    assert!(mediation::store::mediators_of(&app.db, team).await.unwrap().is_empty());
    // Fixed: five mediators, the first marked leader.
    let good = roster_file(&[["Hoàng Văn Dũng", "Nam", "1966", "Tày"], ["Lý Thị Mai", "nữ", "1979", "Nùng"], ["Vi Văn Tú", "Nam", "1990", "Tày"], ["Nông Thị Hà", "Nữ", "1988", "Tày"], ["Lương Văn Sơn", "Nam", "1972", "Kinh"]]);
    let r = xa1.post_multipart(&format!("/hoa-giai/to/{team}/nhap"), &[], Some(("ds.xlsx", good))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let list = mediation::store::mediators_of(&app.db, team).await.unwrap();
    assert_eq!(list.len(), 5);
    let t = mediation::store::team(&app.db, team).await.unwrap();
    assert_eq!(t.leader_name.as_deref(), Some("Hoàng Văn Dũng"));
    let (_, html) = xa1.text(&format!("/hoa-giai/to/{team}")).await;
    assert!(!html.contains("id=\"warnings\""), "{html}");
    // Not an XLSX: a clear message.
    let r = xa1.post_multipart(&format!("/hoa-giai/to/{team}/nhap"), &[], Some(("ds.xlsx", b"PK no".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("không phải bảng tính Excel"));
    // The exported roster reads back through the importer.
    let r = xa1.get(&format!("/hoa-giai/to/{team}/danh-sach.xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let table = read_table_xlsx(&r.bytes().await.unwrap(), roster::ANCHOR).unwrap();
    assert_eq!(table.header.first().map(String::as_str), Some(COLUMNS[0]));
    let back = roster::parse(&table.header, &table.rows, 2026).unwrap();
    assert_eq!(back.len(), 5);
    assert!(back.iter().filter(|m| m.leader).count() == 1);
    // One typed mediator keeps the input on an error, then ends service with a reason.
    let r = xa1.post(&format!("/hoa-giai/to/{team}/hoa-giai-vien"), &[("full_name", "Đàm Văn Lực"), ("gender", ""), ("birth_year", "1980"), ("served_from", &d(1))]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("value=\"Đàm Văn Lực\""));
    let r = xa1.post(&format!("/hoa-giai/to/{team}/hoa-giai-vien"), &[("full_name", "Đàm Văn Lực"), ("gender", "Nam"), ("birth_year", "1980"), ("served_from", &d(1)), ("election_form", "Biểu quyết công khai"), ("households_total", "80"), ("households_present", "50"), ("votes_for", "45")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let luc = mediation::store::mediators_of(&app.db, team).await.unwrap().into_iter().find(|m| m.full_name == "Đàm Văn Lực").unwrap();
    assert_eq!(luc.votes_for, Some(45));
    let r = xa1.post(&format!("/hoa-giai/to/{team}/thoi"), &[("mediator", &luc.id.to_string()), ("end_on", &d(0)), ("end_reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = xa1.post(&format!("/hoa-giai/to/{team}/thoi"), &[("mediator", &luc.id.to_string()), ("end_on", &d(0)), ("end_reason", "Chuyển nơi cư trú")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A mediator's own account: only an account with the mediator role, of this commune.
    app.create_account("hgv7", "mediator", "05977", false).await;
    let dung_id = mediation::store::mediators_of(&app.db, team).await.unwrap().into_iter().find(|m| m.full_name == "Hoàng Văn Dũng").unwrap().id.to_string();
    let r = xa1.post(&format!("/hoa-giai/to/{team}/tai-khoan"), &[("mediator", &dung_id), ("username", "xa2")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("không có vai trò Hòa giải viên"));
    let r = xa1.post(&format!("/hoa-giai/to/{team}/tai-khoan"), &[("mediator", &dung_id), ("username", "hgv7")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let hgv7 = app.login_as("hgv7").await;
    assert_eq!(hgv7.get(&format!("/hoa-giai/to/{team}")).await.status(), StatusCode::OK);
    assert_eq!(hgv7.get(&format!("/hoa-giai/to/{team}/vu-viec/moi")).await.status(), StatusCode::OK);
    // Training counts for Đề án 315.
    let dung = mediation::store::mediators_of(&app.db, team).await.unwrap().into_iter().find(|m| m.full_name == "Hoàng Văn Dũng").unwrap();
    let r = xa1.post(&format!("/hoa-giai/to/{team}/tap-huan"), &[("mediator", &dung.id.to_string()), ("course_title", "Kỹ năng hòa giải"), ("course_organiser", "Sở Tư pháp"), ("course_start", &d(10)), ("course_end", &d(9)), ("course_hours", "16"), ("course_certificate", "1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // xa2 cannot touch xa1's team; the province sees it without phones and cannot manage it.
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.get(&format!("/hoa-giai/to/{team}")).await.status(), StatusCode::NOT_FOUND);
    let r = xa2.post(&format!("/hoa-giai/to/{team}/hoa-giai-vien"), &[("full_name", "X"), ("gender", "Nam"), ("served_from", &d(1))]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let tinh = app.login_as("tinh").await;
    let (s, html) = tinh.text(&format!("/hoa-giai/to/{team}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("Điện thoại"));
    assert!(!html.contains("id=\"them\""));
    assert_eq!(tinh.post("/hoa-giai/to", &[("new_village", "Thôn X"), ("name", "Tổ X"), ("established_on", &d(1))]).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_establishment_decision_is_kept_as_a_file() {
    let app = TestApp::spawn(&SETUP).await;
    let xa1 = app.login_as("xa1").await;
    let team = create_team(&xa1, "Thôn Nà Tèn").await;
    // Not a document: an error beside the form, nothing stored.
    let r = xa1.post_multipart(&format!("/hoa-giai/to/{team}/quyet-dinh"), &[], Some(("qd.pdf", b"not a pdf".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Nội dung tệp không khớp"));
    let r = xa1.post_multipart(&format!("/hoa-giai/to/{team}/quyet-dinh"), &[], None).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mediation::store::team(&app.db, team).await.unwrap().decision_file_id.is_none());
    // A PDF is stored, linked from the page, audited, and downloads as it was sent.
    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec();
    let r = xa1.post_multipart(&format!("/hoa-giai/to/{team}/quyet-dinh"), &[], Some(("QĐ 15 thành lập tổ.pdf", pdf.clone()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let (_, html) = xa1.text(&format!("/hoa-giai/to/{team}")).await;
    assert!(html.contains("id=\"decision-file\""), "{html}");
    let r = xa1.get(&format!("/hoa-giai/to/{team}/quyet-dinh")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    // Pages are gzipped for a browser that asks; Office files and PDFs, already compressed, are not.
    let gz = |path: String| xa1.client.get(format!("{}{path}", xa1.base)).header("accept-encoding", "gzip").send();
    let r = gz(format!("/hoa-giai/to/{team}")).await.unwrap();
    assert_eq!(r.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_string()).as_deref(), Some("gzip"));
    for path in [format!("/hoa-giai/to/{team}/danh-sach.xlsx"), format!("/hoa-giai/to/{team}/so-theo-doi.docx"), format!("/hoa-giai/to/{team}/quyet-dinh")] {
        let r = gz(path.clone()).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.headers().get("content-encoding").is_none(), "{path}");
    }
    let audited: (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'mediation_team' AND entity_id = $1 AND summary LIKE '%quyết định thành lập%'")
        .bind(team.to_string()).fetch_one(p).await).unwrap();
    assert_eq!(audited.0, 1);
    // The province reads it but cannot replace it; another commune sees nothing.
    let tinh = app.login_as("tinh").await;
    assert_eq!(tinh.get(&format!("/hoa-giai/to/{team}/quyet-dinh")).await.status(), StatusCode::OK);
    assert_eq!(tinh.post_multipart(&format!("/hoa-giai/to/{team}/quyet-dinh"), &[], Some(("qd.pdf", pdf.clone()))).await.status(), StatusCode::FORBIDDEN);
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.get(&format!("/hoa-giai/to/{team}/quyet-dinh")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa2.post_multipart(&format!("/hoa-giai/to/{team}/quyet-dinh"), &[], Some(("qd.pdf", pdf))).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_mediator_records_a_case_through_the_laws_workflow() {
    let app = TestApp::spawn(&SETUP).await;
    let team = demo_team(&app, "05977").await;
    let hgv1 = app.login_as("hgv1").await;
    // The home page lists the team's open cases for its leader.
    let (_, home) = hgv1.text("/").await;
    assert!(home.contains("Vụ, việc hòa giải số"), "{home}");
    // The mediator sees their team only.
    let (s, html) = hgv1.text("/hoa-giai").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&team.name));
    let other = demo_team(&app, "06001").await;
    assert_eq!(hgv1.get(&format!("/hoa-giai/to/{}", other.id)).await.status(), StatusCode::NOT_FOUND);
    // An excluded matter cannot become a case: it is recorded as refused, and nothing else.
    let r = new_case(&hgv1, team.id, "other", &[("excluded", "1"), ("exclusion", "criminal_or_sanction"), ("exclusion_action", "refuse")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let refused = case_id(&r);
    assert_eq!(mediation::store::case(&app.db, refused).await.unwrap().status, "refused");
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{refused}/buoc"), &[("step", "assign"), ("mediator", &team.leader_id.unwrap().to_string())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A missing field and no party: the form comes back with what was typed.
    let r = hgv1.post(&format!("/hoa-giai/to/{}/vu-viec", team.id), &[("field", "land"), ("summary", "Ranh giới đất"), ("origin", "party_request"), ("received_on", &d(0))]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Ghi ít nhất một bên"));
    assert!(html.contains(">Ranh giới đất</textarea>"));
    // The land dispute.
    let r = new_case(&hgv1, team.id, "land", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let id = case_id(&r);
    // Out of order: cannot start before assignment.
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "start"), ("on", &d(3))]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A mediator who declared a conflict of interest cannot be assigned.
    let mediators = mediation::store::mediators_of(&app.db, team.id).await.unwrap();
    let (a, b) = (mediators[0].id.to_string(), mediators[1].id.to_string());
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "assign"), ("on", &d(4)), ("mediator", &a), ("mediator", &b), ("conflict", &b)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("không phân công được"));
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "assign"), ("on", &d(4)), ("mediator", &a), ("conflict", &b)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "assign"), ("on", &d(4)), ("mediator", &b)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a declared conflict stays");
    // Started four days after the assignment: a reason is required.
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "start"), ("on", &d(0))]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("ghi lý do"));
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "start"), ("on", &d(0)), ("late_reason", "Các bên thỏa thuận hòa giải sau ngày giỗ")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Hòa giải thành needs the agreement; then it earns the team its remuneration.
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "succeed"), ("on", &d(0))]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "succeed"), ("on", &d(0)), ("agreement", "Hai hộ mở lối đi chung rộng 1,5 m")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let k = mediation::store::case(&app.db, id).await.unwrap();
    assert_eq!(k.status, "settled");
    assert_eq!(k.payable, Some(200_000));
    assert_eq!(k.follow_up.as_deref(), Some("monitoring"));
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "follow_up"), ("follow_up", "complied")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = hgv1.text(&format!("/hoa-giai/vu-viec/{id}")).await;
    assert!(html.contains("Các bên đã thực hiện thỏa thuận"));
    assert!(html.contains("Hoàng Thị Én"));
    // The tracking book names the case in Part I and sums it in Part II.
    let r = hgv1.get(&format!("/hoa-giai/to/{}/so-theo-doi.xlsx", team.id)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = hgv1.get(&format!("/hoa-giai/to/{}/so-theo-doi.docx", team.id)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    let r = hgv1.get(&format!("/hoa-giai/vu-viec/{id}/van-ban.docx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let docx = String::from_utf8_lossy(&r.bytes().await.unwrap()).to_string();
    assert!(docx.starts_with("PK"));
    assert_eq!(hgv1.get(&format!("/hoa-giai/vu-viec/{refused}/van-ban.docx")).await.status(), StatusCode::NOT_FOUND, "only a successful case has one");
    let book = mediation::export::book(&app.db, &team, chrono::Datelike::year(&today())).await.unwrap();
    assert!(book.rows.iter().any(|r| r.parties.contains("Nông Văn Kiên, sinh năm 1975") && r.result == "Thành"));
    // Both parties in their order; the assigned mediator only (not the one who declared a
    // conflict); the refused matter has no mediator.
    let row = book.rows.iter().find(|r| r.result == "Thành" && r.parties.starts_with("Nông Văn Kiên")).unwrap();
    assert!(row.parties.starts_with("Nông Văn Kiên, sinh năm 1975; Hoàng Thị Én"), "{}", row.parties);
    assert_eq!(row.mediators, mediators[0].full_name);
    assert!(book.rows.iter().any(|r| r.mediators.is_empty() && r.parties.starts_with("Nông Văn Kiên")));
    assert!(book.summary.iter().any(|s| s.mediator == mediators[0].full_name && s.settled >= 1));
    // A mediator outside the team: 404 on the case; the province: 404 on the case and the book.
    app.create_account("hgv9", "mediator", "06001", false).await;
    let hgv9 = app.login_as("hgv9").await;
    assert_eq!(hgv9.get(&format!("/hoa-giai/vu-viec/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(hgv9.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "follow_up"), ("follow_up", "complied")]).await.status(), StatusCode::NOT_FOUND);
    let tinh = app.login_as("tinh").await;
    assert_eq!(tinh.get(&format!("/hoa-giai/vu-viec/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(tinh.get(&format!("/hoa-giai/to/{}/so-theo-doi.xlsx", team.id)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(tinh.get(&format!("/hoa-giai/to/{}/so-theo-doi.docx", team.id)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(tinh.get(&format!("/hoa-giai/vu-viec/{id}/van-ban.docx")).await.status(), StatusCode::NOT_FOUND);
    let (_, html) = tinh.text("/hoa-giai").await;
    assert!(!html.contains("Nông Văn Kiên"));
    assert!(html.contains("Tổng cộng"));
    // The commune's officer reads it, and the read is audited; the team's own reads are not.
    let before = audit_reads(&app, id).await;
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.get(&format!("/hoa-giai/vu-viec/{id}")).await.status(), StatusCode::OK);
    assert_eq!(audit_reads(&app, id).await, before + 1);
    let _ = hgv1.get(&format!("/hoa-giai/vu-viec/{id}")).await;
    assert_eq!(audit_reads(&app, id).await, before + 1);
    // The remuneration list: xa1 marks the case paid.
    let (_, html) = xa1.text("/hoa-giai/thu-lao").await;
    assert!(html.contains(&format!("name=\"case\" value=\"{id}\"")), "{html}");
    let r = xa1.post("/hoa-giai/thu-lao", &[("case", &id.to_string()), ("paid_on", &d(0))]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(mediation::store::case(&app.db, id).await.unwrap().paid_on.is_some());
    let r = xa1.get("/hoa-giai/thu-lao.xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    // xa2 cannot mark xa1's case.
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.post("/hoa-giai/thu-lao", &[("case", &id.to_string())]).await.status(), StatusCode::NOT_FOUND);
    // A mediator manages nothing.
    assert_eq!(hgv1.get("/hoa-giai/thu-lao").await.status(), StatusCode::FORBIDDEN);
}

async fn audit_reads(app: &TestApp, id: i64) -> usize {
    let f = kernel::db::audit::AuditFilter { scope_pattern: "%".into(), username: None, entity: Some("mediation_case".into()), action: Some("read".into()), from: None, to: None, limit: 1000, offset: 0 };
    let rows = kernel::db::audit::list(&app.db, &f).await.unwrap();
    rows.iter().filter(|r| r.action == "read" && r.entity_id.as_deref() == Some(&id.to_string())).count()
}

#[tokio::test]
async fn teams_merge_and_keep_their_cases() {
    let app = TestApp::spawn(&SETUP).await;
    let xa1 = app.login_as("xa1").await;
    let old = demo_team(&app, "05977").await;
    let new = create_team(&xa1, "Thôn Nà Cạn mới").await;
    let r = xa1.post(&format!("/hoa-giai/to/{}/hop-nhat", old.id), &[("kind", "merge"), ("succeed_on", &d(0)), ("note", "Quyết định 30/QĐ-UBND")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a successor is required");
    let r = xa1.post(&format!("/hoa-giai/to/{}/hop-nhat", old.id), &[("kind", "merge"), ("successor", &new.to_string()), ("succeed_on", &d(0)), ("note", "Quyết định 30/QĐ-UBND")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = xa1.text(&format!("/hoa-giai/to/{}", old.id)).await;
    assert!(html.contains("Tổ đã kết thúc hoạt động"));
    assert!(html.contains("Tổ hòa giải Thôn Nà Cạn mới"));
    assert!(html.contains("id=\"cases\""), "the old team's cases stay with it");
    let (_, html) = xa1.text(&format!("/hoa-giai/to/{new}")).await;
    assert!(html.contains("Hình thành từ"));
    assert_eq!(new_case(&xa1, old.id, "land", &[]).await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_api_reads_teams_statistics_and_the_book() {
    let app = TestApp::spawn(&SETUP).await;
    let team = demo_team(&app, "05977").await;
    for (who, book) in [("xa1", StatusCode::OK), ("tinh", StatusCode::NOT_FOUND), ("hgv1", StatusCode::OK), ("xa2", StatusCode::NOT_FOUND)] {
        let token = api_token(&app, who).await;
        let c = reqwest::Client::new();
        let r = c.get(format!("{}/api/v1/mediation/teams/{}/book", app.base, team.id)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), book, "{who}");
        let r = c.get(format!("{}/api/v1/mediation/statistics?from=2000-01-01&to=2100-12-31", app.base)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{who}");
        let s: serde_json::Value = r.json().await.unwrap();
        if who == "tinh" {
            assert_eq!(s["teams"], 2);
            assert!(s["cases_received"].as_i64().unwrap() >= 8);
        }
        let r = c.get(format!("{}/api/v1/mediation/teams/{}", app.base, team.id)).bearer_auth(&token).send().await.unwrap();
        if who == "xa2" {
            assert_eq!(r.status(), StatusCode::NOT_FOUND);
        } else {
            let v: serde_json::Value = r.json().await.unwrap();
            assert_eq!(v["mediators"].as_array().unwrap().len(), 5);
            assert_eq!(v["mediators"][0]["phone"].is_null(), who == "tinh", "{who}");
        }
    }
    let token = api_token(&app, "tinh").await;
    let r = reqwest::Client::new().get(format!("{}/api/v1/mediation/statistics?from=2026-13-01", app.base)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // A period given backwards, or with one end, is read as the pages read it.
    let r = reqwest::Client::new().get(format!("{}/api/v1/mediation/statistics?from=2026-06-30&to=2026-01-01", app.base)).bearer_auth(&token).send().await.unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!((v["from"].as_str(), v["to"].as_str()), (Some("2026-01-01"), Some("2026-06-30")));
    let r = reqwest::Client::new().get(format!("{}/api/v1/mediation/statistics?to=2000-01-01", app.base)).bearer_auth(&token).send().await.unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!((v["from"].as_str(), v["teams"].as_i64()), (Some("2000-01-01"), Some(0)));
    // Creating a case from another system: the team and its commune only; codes are checked.
    let url = format!("{}/api/v1/mediation/teams/{}/cases", app.base, team.id);
    let body = serde_json::json!({"received_on": d(1).split('/').rev().collect::<Vec<_>>().join("-"), "origin": "party_request", "field": "land",
        "summary": "Tranh chấp mương nước", "parties": [{"full_name": "Lường Văn Tâm", "birth_year": 1969.0}]});
    let c = reqwest::Client::new();
    for (who, status) in [("tinh", StatusCode::FORBIDDEN), ("xa2", StatusCode::NOT_FOUND), ("hgv1", StatusCode::CREATED), ("xa1", StatusCode::CREATED)] {
        let r = c.post(&url).bearer_auth(api_token(&app, who).await).json(&body).send().await.unwrap();
        assert_eq!(r.status(), status, "{who}");
    }
    let mut bad = body.clone();
    bad["field"] = "bogus".into();
    bad["parties"][0]["full_name"] = " ".into();
    let r = c.post(&url).bearer_auth(api_token(&app, "xa1").await).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = r.json().await.unwrap();
    let fields: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["field", "parties[0]"]);
    let mut excluded = body.clone();
    excluded["exclusion"] = serde_json::json!({"code": "criminal_or_sanction", "referred": true, "referred_to": "Công an xã"});
    let r = c.post(&url).bearer_auth(api_token(&app, "xa1").await).json(&excluded).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["status"], "referred");
    let r = c.post(&url).bearer_auth(api_token(&app, "xa1").await).json(&serde_json::json!({"nonsense": 1})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

async fn api_token(app: &TestApp, who: &str) -> String {
    let account = kernel::db::accounts::by_username(&app.db, who).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let (token, _) = kernel::db::sessions::create_token(&mut tx, account.id, "thử", chrono::Duration::days(1)).await.unwrap();
    tx.commit().await.unwrap();
    token
}

/// Replaces every cached book's bytes, so that a read answered from the cache is recognisable.
async fn poison_book_cache(app: &TestApp) -> usize {
    let mut tx = app.db.begin().await.unwrap();
    let n = kernel::exec!(&mut tx, c => sqlx::query("UPDATE mediation_book_cache SET bytes = $1").bind(b"cached".to_vec()).execute(&mut *c).await)
        .unwrap();
    tx.commit().await.unwrap();
    n as usize
}

async fn exec_sql(app: &TestApp, sql: &'static str, id: i64) {
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, c => sqlx::query(sql).bind(id).execute(&mut *c).await).unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_built_tracking_book_is_kept_until_what_it_shows_changes() {
    use mediation::export::{BookFormat, book_file};
    let app = TestApp::spawn(&SETUP).await;
    let year = chrono::Datelike::year(&today());
    let team = demo_team(&app, "05977").await;
    let hgv1 = app.login_as("hgv1").await;
    let book = |t: mediation::store::TeamRow| {
        let db = app.db.clone();
        async move { book_file(&db, &t, year, BookFormat::Xlsx, 0).await.unwrap() }
    };
    // Built once and kept; the download is then answered from the cache (the bytes planted in
    // it come back), over HTTP too.
    assert!(book(team.clone()).await.starts_with(b"PK"));
    assert_eq!(poison_book_cache(&app).await, 1);
    assert_eq!(book(team.clone()).await, b"cached");
    let r = hgv1.get(&format!("/hoa-giai/to/{}/so-theo-doi.xlsx", team.id)).await;
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"cached");
    // The DOCX is kept apart.
    assert!(book_file(&app.db, &team, year, BookFormat::Docx, 0).await.unwrap().starts_with(b"PK"));
    // A new case recorded through the page makes the next download a new book.
    let r = new_case(&hgv1, team.id, "land", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let id = case_id(&r);
    assert!(book(team.clone()).await.starts_with(b"PK"));
    // So does an assignment, …
    poison_book_cache(&app).await;
    let mediator = mediation::store::mediators_of(&app.db, team.id).await.unwrap()[0].id.to_string();
    let r = hgv1.post(&format!("/hoa-giai/vu-viec/{id}/buoc"), &[("step", "assign"), ("on", &d(4)), ("mediator", &mediator)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(book(team.clone()).await.starts_with(b"PK"));
    // … a party's changed address, a mediator's new name, a step of the case, …
    for sql in [
        "UPDATE mediation_parties SET address = 'Thôn mới' WHERE case_id = $1",
        "UPDATE mediators SET full_name = full_name || ' (đổi tên)' WHERE id IN (SELECT mediator_id FROM mediation_case_mediators WHERE case_id = $1)",
        "UPDATE mediation_cases SET follow_up = 'complied' WHERE id = $1",
        "DELETE FROM mediation_case_mediators WHERE case_id = $1",
    ] {
        poison_book_cache(&app).await;
        assert_eq!(book(team.clone()).await, b"cached", "nothing changed yet");
        exec_sql(&app, sql, id).await;
        assert!(book(team.clone()).await.starts_with(b"PK"), "{sql}");
    }
    // … and the team's new name in the heading.
    poison_book_cache(&app).await;
    exec_sql(&app, "UPDATE mediation_teams SET name = name || ' mới' WHERE id = $1", team.id).await;
    let renamed = demo_team(&app, "05977").await;
    assert!(book(renamed).await.starts_with(b"PK"));
    // Another team's write leaves this team's book alone.
    poison_book_cache(&app).await;
    let same = demo_team(&app, "05977").await;
    let others: Vec<i64> = mediation::store::teams_in(&app.db, "%").await.unwrap().into_iter().map(|t| t.id).filter(|t| *t != team.id).collect();
    assert!(!others.is_empty());
    exec_sql(&app, "UPDATE mediation_cases SET summary = summary || '.' WHERE team_id = $1", others[0]).await;
    assert_eq!(book(same).await, b"cached");
    // A start empties the cache; a small book downloaded over HTTP is not kept.
    mediation::store::clear_book_cache(&app.db).await.unwrap();
    let r = hgv1.get(&format!("/hoa-giai/to/{}/so-theo-doi.xlsx", team.id)).await;
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(poison_book_cache(&app).await, 0);
}
