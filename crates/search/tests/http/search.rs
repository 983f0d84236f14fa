//! Search over HTTP: a published item is found within two seconds; a removed one disappears;
//! scheduled items show only in their window; two instances (two engines on one database)
//! agree, and a change committed out of id order is not missed; hostile queries get a page
//! with everything escaped; facets filter without script.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use kernel::search_feed::{self, FeedDoc};
use reqwest::StatusCode;
use search::service::Engine;

use crate::helpers::{SETUP, TestApp};

fn doc(id: i64, title: &str) -> FeedDoc {
    FeedDoc {
        kind: "article".into(),
        ref_id: id,
        url: format!("/tin-tuc/bai-{id}"),
        title: title.into(),
        summary: "Tóm tắt bài viết.".into(),
        body: "Nội dung bài viết về phổ biến pháp luật.".into(),
        doc_type: "Tin hoạt động".into(),
        year: Some(2026),
        published_at: Some(Utc::now()),
        ..FeedDoc::default()
    }
}

async fn put(app: &TestApp, d: &FeedDoc) {
    let mut tx = app.db.begin().await.unwrap();
    search_feed::put(&mut tx, d).await.unwrap();
    tx.commit().await.unwrap();
}

async fn remove(app: &TestApp, kind: &str, id: i64) {
    let mut tx = app.db.begin().await.unwrap();
    search_feed::remove(&mut tx, kind, id).await.unwrap();
    tx.commit().await.unwrap();
}

/// Polls the search page until `needle` shows (or not) and returns how long it took.
async fn wait_for(app: &TestApp, q: &str, needle: &str, present: bool) -> Duration {
    let c = app.client();
    let start = Instant::now();
    loop {
        let (status, html) = c.text(&format!("/tim-kiem?q={}", urlencode(q))).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        if html.contains(needle) == present {
            return start.elapsed();
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{needle} never {}", if present { "appeared" } else { "went away" });
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn a_published_item_is_found_within_two_seconds_and_a_removed_one_disappears() {
    let app = TestApp::spawn(&SETUP).await;
    put(&app, &doc(1, "Hưởng ứng Ngày Pháp luật tại xã Hòa Bình")).await;
    // The first search builds the index from the feed.
    wait_for(&app, "ngay phap luat", "/tin-tuc/bai-1", true).await;
    put(&app, &doc(2, "Tập huấn hòa giải viên ở cơ sở")).await;
    let took = wait_for(&app, "hoa giai vien", "/tin-tuc/bai-2", true).await;
    println!("searchable {} ms after publishing", took.as_millis());
    assert!(took < Duration::from_secs(2), "{took:?}");
    // Diacritics highlighted in the title, the result linked.
    let (_, html) = app.client().text("/tim-kiem?q=h%C3%B2a+gi%E1%BA%A3i").await;
    assert!(html.contains("<b>hòa</b>") || html.contains("<b>Hòa</b>"), "{html}");
    remove(&app, "article", 2).await;
    let took = wait_for(&app, "hoa giai vien", "/tin-tuc/bai-2", false).await;
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[tokio::test]
async fn scheduled_items_show_only_in_their_window() {
    let app = TestApp::spawn(&SETUP).await;
    let mut later = doc(1, "Bài hẹn giờ đăng về tiếp cận pháp luật");
    later.visible_from = Some(Utc::now() + chrono::Duration::hours(1));
    let mut gone = doc(2, "Bài đã hết hạn đăng về tiếp cận pháp luật");
    gone.visible_to = Some(Utc::now() - chrono::Duration::hours(1));
    let now = doc(3, "Bài đang đăng về tiếp cận pháp luật");
    for d in [&later, &gone, &now] {
        put(&app, d).await;
    }
    wait_for(&app, "tiep can phap luat", "/tin-tuc/bai-3", true).await;
    let (_, html) = app.client().text("/tim-kiem?q=tiep+can+phap+luat").await;
    assert!(!html.contains("/tin-tuc/bai-1") && !html.contains("/tin-tuc/bai-2"), "{html}");
}

#[tokio::test]
async fn two_instances_agree_and_a_change_committed_out_of_order_is_not_missed() {
    let app = TestApp::spawn(&SETUP).await;
    put(&app, &doc(1, "Luật Hòa giải ở cơ sở")).await;
    let a = Engine::build(&app.db, 1).await.unwrap();
    let b = Engine::build(&app.db, 1).await.unwrap();
    let find = |_: &Engine, q: &str| search::index::Request { query: search::rules::query::parse(q), limit: 10, ..Default::default() };
    for e in [&a, &b] {
        let r = e.search(find(e, "hoa giai"), Utc::now()).await.unwrap();
        assert_eq!(r.total, 1);
    }
    if matches!(app.db, kernel::Db::Postgres(_)) {
        // Change n commits after change n + 1: the reader sees n + 1 first and a gap at n.
        let mut first = app.db.begin().await.unwrap();
        search_feed::put(&mut first, &doc(10, "Bài viết chậm về trợ giúp pháp lý")).await.unwrap();
        let mut second = app.db.begin().await.unwrap();
        search_feed::put(&mut second, &doc(11, "Bài viết nhanh về trợ giúp pháp lý")).await.unwrap();
        second.commit().await.unwrap();
        a.catch_up(&app.db).await.unwrap();
        assert_eq!(a.search(find(&a, "tro giup phap ly"), Utc::now()).await.unwrap().total, 1);
        first.commit().await.unwrap();
        a.catch_up(&app.db).await.unwrap();
        assert_eq!(a.search(find(&a, "tro giup phap ly"), Utc::now()).await.unwrap().total, 2, "the late change is applied from the gap");
    }
    put(&app, &doc(20, "Bình đẳng giới trong gia đình")).await;
    remove(&app, "article", 1).await;
    for e in [&a, &b] {
        e.catch_up(&app.db).await.unwrap();
        assert_eq!(e.search(find(e, "binh dang gioi"), Utc::now()).await.unwrap().total, 1);
        assert_eq!(e.search(find(e, "hoa giai"), Utc::now()).await.unwrap().total, 0);
    }
}

#[tokio::test]
async fn hostile_queries_get_a_page_and_everything_is_escaped() {
    let app = TestApp::spawn(&SETUP).await;
    put(&app, &doc(1, "<script>alert(1)</script> Luật trẻ em")).await;
    wait_for(&app, "tre em", "/tin-tuc/bai-1", true).await;
    let c = app.client();
    let (status, html) = c.text("/tim-kiem?q=tre+em").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    let long = "a".repeat(5000);
    for path in [
        format!("/tim-kiem?q={long}"),
        "/tim-kiem?q=%22%3Cimg+src%3Dx+onerror%3Dalert(1)%3E".to_string(),
        "/tim-kiem?q=tre&trang=abc&nam=99999&loai=xyz&hieu-luc=zzz".to_string(),
        "/tim-kiem?q=tre&trang=999999999999999999999".to_string(),
        "/tim-kiem?q=%00%01".to_string(),
        "/tim-kiem?q=\"\"\"".to_string(),
    ] {
        let (status, html) = c.text(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {html}");
        assert!(!html.contains("<img src=x"), "{html}");
    }
    let (_, html) = c.text(&format!("/tim-kiem?q={long}")).await;
    assert!(html.contains(search::msg::QUERY_CUT), "{html}");
}

#[tokio::test]
async fn facets_filter_by_kind_type_year_and_effective_status() {
    let app = TestApp::spawn(&SETUP).await;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let law = |id: i64, title: &str, number: &str, in_force, expired| FeedDoc {
        kind: "legal_doc".into(),
        ref_id: id,
        url: format!("/tu-sach/van-ban/{id}"),
        title: title.into(),
        number: number.into(),
        doc_type: "Luật".into(),
        issuer: "Quốc hội".into(),
        year: Some(2013),
        in_force_on: in_force,
        expired_on: expired,
        ..FeedDoc::default()
    };
    put(&app, &law(1, "Luật Đất đai", "45/2013/QH13", day(2014, 7, 1), day(2024, 8, 1))).await;
    put(&app, &law(2, "Luật Đất đai", "31/2024/QH15", day(2024, 8, 1), None)).await;
    put(&app, &doc(3, "Hỏi đáp về đất đai ở xã")).await;
    wait_for(&app, "dat dai", "/tin-tuc/bai-3", true).await;
    let c = app.client();
    let (_, html) = c.text("/tim-kiem?q=dat+dai").await;
    // In force ranks above expired.
    let first = html.find("/tu-sach/van-ban/2").unwrap();
    let second = html.find("/tu-sach/van-ban/1").unwrap();
    assert!(first < second, "{html}");
    assert!(html.contains("Còn hiệu lực") && html.contains("Hết hiệu lực toàn bộ"), "{html}");
    assert!(html.contains("hieu-luc=in_force") && html.contains("loai=legal_doc"), "{html}");
    let (_, html) = c.text("/tim-kiem?q=dat+dai&hieu-luc=in_force").await;
    assert!(html.contains("/tu-sach/van-ban/2") && !html.contains("/tu-sach/van-ban/1\"") && !html.contains("/tin-tuc/bai-3"), "{html}");
    let (_, html) = c.text("/tim-kiem?q=dat+dai&loai=article").await;
    assert!(html.contains("/tin-tuc/bai-3") && !html.contains("/tu-sach/van-ban/"), "{html}");
    assert!(html.contains("Bỏ lọc"), "{html}");
    // A filter alone lists its items.
    let (_, html) = c.text("/tim-kiem?kieu=Lu%E1%BA%ADt").await;
    assert!(html.contains("/tu-sach/van-ban/1") && html.contains("/tu-sach/van-ban/2"), "{html}");
    // Loosely typed numbers.
    for q in ["45%2F2013%2Fqh13", "qh13+45+2013"] {
        let (_, html) = c.text(&format!("/tim-kiem?q={q}")).await;
        assert!(html.contains("/tu-sach/van-ban/1"), "{q}: {html}");
    }
}
