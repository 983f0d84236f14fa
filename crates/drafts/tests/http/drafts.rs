//! Drafts end to end over HTTP: an officer creates a draft (errors keep what was typed), it is
//! split into articles and clauses and stays private until published; citizens comment on a
//! clause without an account (errors keep what was typed, a per-address limit, nothing after the
//! period); the officer writes the reception and explanation, downloads the DOCX table and
//! publishes it; the public table never shows a person's name or an e-mail address; scope.

use chrono::Duration;
use drafts::store;
use reqwest::StatusCode;

use crate::helpers::{SETUP, TestApp, csrf_in, location};

const TEXT: &str = "Điều 1. Phạm vi điều chỉnh\n1. Quy định về hòa giải ở cơ sở.\n2. Áp dụng với tổ hòa giải.\nĐiều 2. Hiệu lực\nCó hiệu lực từ ngày ký.";

/// A message as askama writes it into a page (quotes and markup escaped).
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&#34;").replace('\'', "&#39;").replace('<', "&lt;").replace('>', "&gt;")
}

fn day(offset: i64) -> String {
    text_vi::format_date(kernel::page::today() + Duration::days(offset))
}

/// Creates and publishes a draft as `tinh`: its id.
async fn published_draft(app: &TestApp) -> i64 {
    let tinh = app.login_as("tinh").await;
    let r = tinh.post("/du-thao-quan-ly/moi", &[("title", "Dự thảo Quyết định về hòa giải"), ("drafting_body", "Sở Tư pháp"), ("summary", ""), ("opens", &day(0)), ("closes", &day(5)), ("text", TEXT)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r).trim_start_matches("/du-thao-quan-ly/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(tinh.post(&format!("/du-thao-quan-ly/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    id
}

#[tokio::test]
async fn an_officer_puts_a_draft_out_article_by_article() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    // Errors come back with what was typed.
    let r = tinh.post("/du-thao-quan-ly/moi", &[("title", "Dự thảo thử"), ("drafting_body", ""), ("opens", &day(3)), ("closes", &day(1)), ("text", TEXT)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(drafts::msg::BODY_MISSING_DRAFTER) && html.contains(drafts::msg::CLOSES_BEFORE_OPENS) && html.contains("Dự thảo thử") && html.contains("Áp dụng với tổ hòa giải."), "{html}");
    let r = tinh.post("/du-thao-quan-ly/moi", &[("title", "Dự thảo thử"), ("drafting_body", "Sở Tư pháp"), ("opens", "31/02/2026"), ("closes", &day(1)), ("text", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&esc(drafts::msg::DATE_FORMAT)) && html.contains(&esc(drafts::msg::TEXT_MISSING)), "{html}");

    let r = tinh.post("/du-thao-quan-ly/moi", &[("title", "Dự thảo Quyết định về hòa giải"), ("drafting_body", "Sở Tư pháp"), ("opens", &day(0)), ("closes", &day(5)), ("text", TEXT)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r).trim_start_matches("/du-thao-quan-ly/").split('?').next().unwrap().parse().unwrap();
    let parts = store::parts(&app.db, id).await.unwrap();
    assert_eq!(parts.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["Điều 1", "Khoản 1 Điều 1", "Khoản 2 Điều 1", "Điều 2"]);
    // Not public until published.
    let visitor = app.client();
    assert_eq!(visitor.get(&format!("/du-thao/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert!(!visitor.text("/du-thao").await.1.contains("Dự thảo Quyết định về hòa giải"));
    assert_eq!(tinh.post(&format!("/du-thao-quan-ly/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(tinh.post(&format!("/du-thao-quan-ly/{id}/dang"), &[]).await.status(), StatusCode::CONFLICT);
    let (status, html) = visitor.text(&format!("/du-thao/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Điều 1. Phạm vi điều chỉnh") && html.contains("Góp ý Khoản 2 Điều 1") && html.contains("Đang lấy ý kiến"), "{html}");
    assert!(visitor.text("/du-thao").await.1.contains("Dự thảo Quyết định về hòa giải"));
    // A draft whose period is over cannot be put out for comment.
    let r = tinh.post("/du-thao-quan-ly/moi", &[("title", "Dự thảo quá hạn"), ("drafting_body", "Sở Tư pháp"), ("opens", &day(-10)), ("closes", &day(-1)), ("text", TEXT)]).await;
    let late: i64 = location(&r).trim_start_matches("/du-thao-quan-ly/").split('?').next().unwrap().parse().unwrap();
    let r = tinh.post(&format!("/du-thao-quan-ly/{late}/dang"), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(drafts::msg::PERIOD_OVER));
    // Another commune's officer does not see it; odd ids answer 404.
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.get(&format!("/du-thao-quan-ly/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(tinh.get("/du-thao-quan-ly/abc").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(visitor.get("/du-thao/99999999999999999999").await.status(), StatusCode::NOT_FOUND);
    let (audited,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'draft' AND entity_id = $1").bind(id.to_string()).fetch_one(p).await).unwrap();
    assert_eq!(audited, 2, "created and published");
}

#[tokio::test]
async fn citizens_comment_and_the_drafting_body_answers_in_public() {
    let app = TestApp::spawn(&SETUP).await;
    let id = published_draft(&app).await;
    let clause = store::parts(&app.db, id).await.unwrap().into_iter().find(|p| p.label == "Khoản 2 Điều 1").unwrap().id;
    let mut citizen = app.client();
    let (status, html) = citizen.text(&format!("/du-thao/{id}?dieu={clause}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("<option value=\"{clause}\" selected>")), "the clause's link picks it");
    citizen.csrf = csrf_in(&html);
    // Errors keep what was typed.
    let r = citizen.post(&format!("/du-thao/{id}/gop-y"), &[("part", &clause.to_string()), ("kind", "person"), ("name", ""), ("email", "khong-hop-le"), ("body", "Đề nghị bổ sung tổ hòa giải ở tổ dân phố.")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(drafts::msg::NAME_MISSING) && html.contains("Đề nghị bổ sung tổ hòa giải ở tổ dân phố."), "{html}");
    let r = citizen.post(&format!("/du-thao/{id}/gop-y"), &[("part", "424242"), ("kind", "nobody"), ("name", "X"), ("body", "Y")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(drafts::msg::PART_UNKNOWN) && html.contains(drafts::msg::KIND_MISSING));
    // A person on the clause, an organisation on the whole draft.
    let r = citizen.post(&format!("/du-thao/{id}/gop-y"), &[("part", &clause.to_string()), ("kind", "person"), ("name", "Đinh Thị Hoa"), ("email", "Hoa@Example.vn"), ("body", "Đề nghị bổ sung tổ hòa giải ở tổ dân phố.")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/du-thao/{id}?tb=thanks#gop-y"));
    let r = citizen.post(&format!("/du-thao/{id}/gop-y"), &[("part", ""), ("kind", "organisation"), ("name", "Hội Luật gia huyện"), ("body", "Thống nhất.")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = citizen.text(&format!("/du-thao/{id}")).await;
    assert!(!html.contains("Đinh Thị Hoa") && !html.contains("hoa@example.vn"), "no name or address on the public page");

    // The officer sees who commented and answers; the table is published only after the period.
    let tinh = app.login_as("tinh").await;
    let (_, html) = tinh.text(&format!("/du-thao-quan-ly/{id}")).await;
    assert!(html.contains("Đinh Thị Hoa") && html.contains("hoa@example.vn") && html.contains("Hội Luật gia huyện"), "{html}");
    let comments = store::comments(&app.db, id).await.unwrap();
    assert_eq!(comments.len(), 2);
    let org = comments.iter().find(|c| c.author_kind == "organisation").unwrap().id;
    let person = comments.iter().find(|c| c.author_kind == "person").unwrap().id;
    let (org_field, person_field) = (format!("response-{org}"), format!("response-{person}"));
    let r = tinh.post(&format!("/du-thao-quan-ly/{id}/giai-trinh"), &[(org_field.as_str(), "Tiếp thu."), (person_field.as_str(), "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = tinh.post(&format!("/du-thao-quan-ly/{id}/cong-bo"), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(drafts::msg::REPORT_TOO_EARLY));
    let long = "a".repeat(5_001);
    let r = tinh.post(&format!("/du-thao-quan-ly/{id}/giai-trinh"), &[(person_field.as_str(), long.as_str())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(&drafts::msg::response_too_long(1)));

    // The period ends: no more comments; the table needs every response, then goes public.
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE drafts SET opens_on = $1, closes_on = $2 WHERE id = $3")
        .bind(kernel::page::today() - Duration::days(10)).bind(kernel::page::today() - Duration::days(1)).bind(id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    let r = citizen.post(&format!("/du-thao/{id}/gop-y"), &[("part", ""), ("kind", "person"), ("name", "Muộn"), ("body", "Muộn quá.")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains(drafts::msg::NOT_OPEN) && html.contains("Muộn quá."), "what was typed is shown back: {html}");
    let r = tinh.post(&format!("/du-thao-quan-ly/{id}/cong-bo"), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(drafts::msg::REPORT_NOT_READY));
    let r = tinh.post(&format!("/du-thao-quan-ly/{id}/giai-trinh"), &[(person_field.as_str(), "Giải trình: tổ hòa giải đã được thành lập ở tổ dân phố theo Luật.")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The DOCX table names the commenters (it is the drafting body's).
    let r = tinh.get(&format!("/du-thao-quan-ly/{id}/tong-hop.docx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = documents::docx_text::docx_plain_text(&r.bytes().await.unwrap()).unwrap();
    assert!(text.contains("BẢN TỔNG HỢP") && text.contains("Tiếp thu, giải trình") && text.contains("Đinh Thị Hoa") && text.contains("Khoản 2 Điều 1") && text.contains("Giải trình: tổ hòa giải"), "{text}");
    let (exports,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'draft' AND action = 'export' AND entity_id = $1").bind(id.to_string()).fetch_one(p).await).unwrap();
    assert_eq!(exports, 1, "the download, which names the commenters, is audited");

    assert_eq!(tinh.post(&format!("/du-thao-quan-ly/{id}/cong-bo"), &[]).await.status(), StatusCode::SEE_OTHER);
    // The commenter who left an address is told, once.
    let mails: Vec<_> = kernel::db::outbox::recent(&app.db, 50).await.unwrap().into_iter().filter(|m| m.to_addr == "hoa@example.vn").collect();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("Dự thảo Quyết định về hòa giải") && mails[0].body.contains(&format!("/du-thao/{id}#tiep-thu")), "{:?}", mails[0].body);
    let (_, html) = citizen.text(&format!("/du-thao/{id}")).await;
    assert!(html.contains("Tiếp thu, giải trình ý kiến góp ý") && html.contains("Giải trình: tổ hòa giải") && html.contains("Hội Luật gia huyện") && html.contains(drafts::msg::PERSON_PUBLIC), "{html}");
    assert!(!html.contains("Đinh Thị Hoa") && !html.contains("hoa@example.vn"));
    // Once public, the table is fixed.
    let r = tinh.post(&format!("/du-thao-quan-ly/{id}/giai-trinh"), &[(person_field.as_str(), "Sửa sau khi công bố")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(drafts::msg::ALREADY_REPORTED));
    let r = tinh.post(&format!("/du-thao-quan-ly/{id}/cong-bo"), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(drafts::msg::ALREADY_REPORTED));
    assert!(store::comments(&app.db, id).await.unwrap().iter().all(|c| c.response != "Sửa sau khi công bố"));
    let (audited,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'draft_comment'").fetch_one(p).await).unwrap();
    assert_eq!(audited, 2, "each comment is audited");
}

#[tokio::test]
async fn one_address_may_send_a_few_comments_an_hour() {
    let app = TestApp::spawn(&SETUP).await;
    let id = published_draft(&app).await;
    let mut citizen = app.client();
    let (_, html) = citizen.text(&format!("/du-thao/{id}")).await;
    citizen.csrf = csrf_in(&html);
    for i in 0..drafts::service::COMMENTS_PER_HOUR {
        let r = citizen.post(&format!("/du-thao/{id}/gop-y"), &[("kind", "person"), ("name", "Người dân"), ("body", &format!("Góp ý số {i}"))]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let r = citizen.post(&format!("/du-thao/{id}/gop-y"), &[("kind", "person"), ("name", "Người dân"), ("body", "Góp ý thêm")]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let html = r.text().await.unwrap();
    assert!(html.contains(drafts::msg::RATE_LIMITED) && html.contains("Góp ý thêm"), "what was typed is kept");
    assert_eq!(store::comments(&app.db, id).await.unwrap().len() as i64, drafts::service::COMMENTS_PER_HOUR);
}

#[tokio::test]
async fn the_demo_draft_is_open_for_comment() {
    let app = TestApp::spawn(&SETUP).await;
    let (status, html) = app.client().text("/du-thao").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(drafts::demo::TITLE) && html.contains("Đang lấy ý kiến"), "{html}");
}

#[tokio::test]
async fn a_published_draft_is_in_the_search_feed_with_its_full_text_and_no_comments() {
    use kernel::search_feed::{self, kind};
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    // The demo draft was fed by the demo.
    let demo = store::drafts_in(&app.db, "%").await.unwrap().into_iter().find(|d| d.title == drafts::demo::TITLE).unwrap();
    assert!(search_feed::get(&app.db, kind::DRAFT, demo.id).await.unwrap().is_some());

    // Created: not public, not in the feed.
    let r = tinh.post("/du-thao-quan-ly/moi", &[("title", "Dự thảo Quyết định về tìm kiếm"), ("drafting_body", "Sở Tư pháp"), ("summary", "Tóm tắt dự thảo"), ("opens", &day(0)), ("closes", &day(5)), ("text", TEXT)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r).trim_start_matches("/du-thao-quan-ly/").split('?').next().unwrap().parse().unwrap();
    assert!(search_feed::get(&app.db, kind::DRAFT, id).await.unwrap().is_none());

    // Published: in the feed with its title, summary and whole text.
    assert_eq!(tinh.post(&format!("/du-thao-quan-ly/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    let doc = search_feed::get(&app.db, kind::DRAFT, id).await.unwrap().expect("a published draft is in the feed");
    assert_eq!((doc.title.as_str(), doc.url.clone(), doc.summary.as_str()), ("Dự thảo Quyết định về tìm kiếm", format!("/du-thao/{id}"), "Tóm tắt dự thảo"));
    assert_eq!(doc.body, TEXT);
    let d = store::draft(&app.db, id).await.unwrap();
    assert_eq!(doc.published_at, d.published_at);
    assert!(doc.year.is_some());

    // A comment changes nothing in the feed: commenters' names and addresses never reach it.
    let mut visitor = app.client();
    let (_, html) = visitor.text(&format!("/du-thao/{id}")).await;
    visitor.csrf = csrf_in(&html);
    let r = visitor.post(&format!("/du-thao/{id}/gop-y"), &[("part", ""), ("kind", "person"), ("name", "Lục Văn Khiêm"), ("email", "khiem@example.vn"), ("body", "Ý kiến về tìm kiếm.")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let after = search_feed::get(&app.db, kind::DRAFT, id).await.unwrap().unwrap();
    assert_eq!(after, doc);
    assert!(!after.body.contains("Lục Văn Khiêm") && !after.body.contains("khiem@example.vn"));

    // The backfill puts the public drafts again, harmlessly.
    let before = search_feed::count(&app.db).await.unwrap();
    assert_eq!(drafts::service::feed_all(&app.db).await.unwrap() as i64, before);
    assert_eq!(search_feed::get(&app.db, kind::DRAFT, id).await.unwrap().unwrap(), doc);
}

fn docx_of(text: &str) -> Vec<u8> {
    let mut doc = docx_rs::Docx::new();
    for line in text.lines() {
        doc = doc.add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text(line)));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).unwrap();
    out.into_inner()
}

fn id_from(r: &reqwest::Response) -> i64 {
    location(r).trim_start_matches("/du-thao-quan-ly/").split('?').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_draft_is_read_from_its_docx_or_pdf_and_the_original_is_kept() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let opens = day(0);
    let closes = day(5);
    let fields = |title: &'static str| [("title", title), ("drafting_body", "Sở Tư pháp"), ("summary", ""), ("opens", opens.as_str()), ("closes", closes.as_str()), ("text", "")];
    // A DOCX fills the empty text field; the original is kept and private until published.
    let r = tinh.post_multipart("/du-thao-quan-ly/moi", &fields("Dự thảo từ tệp Word"), Some(("du-thao.docx", docx_of(TEXT)))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let id = id_from(&r);
    let parts = store::parts(&app.db, id).await.unwrap();
    assert_eq!(parts.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["Điều 1", "Khoản 1 Điều 1", "Khoản 2 Điều 1", "Điều 2"]);
    let visitor = app.client();
    assert_eq!(visitor.get(&format!("/du-thao/{id}/tep")).await.status(), StatusCode::NOT_FOUND);
    let r = tinh.get(&format!("/du-thao-quan-ly/{id}/tep")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(tinh.post(&format!("/du-thao-quan-ly/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(visitor.text(&format!("/du-thao/{id}")).await.1.contains(&format!("/du-thao/{id}/tep")));
    let r = visitor.get(&format!("/du-thao/{id}/tep")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));

    // A PDF with a text layer too.
    let pdf = documents::poster_pdf(&documents::Poster {
        heading: "DỰ THẢO".into(), issuer: "Sở Tư pháp".into(), title: "Điều 1. Phạm vi điều chỉnh".into(),
        body: "1. Quy định về hòa giải ở cơ sở.\n2. Áp dụng với tổ hòa giải.".into(), qr_svg: String::new(), link: "https://example.vn".into(), footer: String::new(),
    })
    .unwrap();
    let r = tinh.post_multipart("/du-thao-quan-ly/moi", &fields("Dự thảo từ tệp PDF"), Some(("du-thao.pdf", pdf))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let labels: Vec<String> = store::parts(&app.db, id_from(&r)).await.unwrap().into_iter().map(|p| p.label).collect();
    assert!(labels.iter().any(|l| l == "Điều 1") && labels.iter().any(|l| l == "Khoản 2 Điều 1"), "{labels:?}");

    // A PDF without a text layer, or another type: a clear error, and what was typed stays.
    let r = tinh.post_multipart("/du-thao-quan-ly/moi", &fields("Dự thảo quét ảnh"), Some(("quet.pdf", b"%PDF-1.4\n%%EOF".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&esc(drafts::msg::FILE_NO_TEXT)) && html.contains("Dự thảo quét ảnh"), "{html}");
    let r = tinh.post_multipart("/du-thao-quan-ly/moi", &fields("Dự thảo tệp lạ"), Some(("du-thao.txt", b"Dieu 1".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&esc(documents::sniff::Sniffed::UnknownType.message())) && html.contains("Dự thảo tệp lạ"), "{html}");
    // A file over axum's default 2 MB body limit still reaches the handler (the route has the
    // upload limit): its text, too long for a draft, is an error beside the field, and the title
    // typed is kept.
    let mut noise = String::with_capacity(4_600_000);
    let mut x: u32 = 12345;
    while noise.len() < 4_500_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        noise.push(char::from(b'a' + ((x >> 16) % 26) as u8));
        if x.is_multiple_of(7) {
            noise.push(' ');
        }
    }
    let big = docx_of(&noise);
    assert!(big.len() > 2 * 1024 * 1024, "{} bytes", big.len());
    let r = tinh.post_multipart("/du-thao-quan-ly/moi", &fields("Dự thảo tệp lớn"), Some(("du-thao-lon.docx", big))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Dự thảo tệp lớn") && !html.contains(&esc(kernel::msg::FORM_UNREADABLE)), "{}", &html[..html.len().min(3000)]);
    // Text read from the file but another field wrong: the text is kept and the file asked again.
    let bad = [("title", ""), ("drafting_body", "Sở Tư pháp"), ("summary", ""), ("opens", opens.as_str()), ("closes", closes.as_str()), ("text", "")];
    let r = tinh.post_multipart("/du-thao-quan-ly/moi", &bad, Some(("du-thao.docx", docx_of(TEXT)))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Áp dụng với tổ hòa giải.") && html.contains(&esc(drafts::msg::FILE_CHOOSE_AGAIN)), "{html}");
}

#[tokio::test]
async fn comments_received_on_paper_by_email_or_at_a_meeting_are_entered_by_the_officer() {
    let app = TestApp::spawn(&SETUP).await;
    let id = published_draft(&app).await;
    let tinh = app.login_as("tinh").await;
    let part = store::parts(&app.db, id).await.unwrap()[1].id.to_string();
    // Errors keep what was typed.
    let r = tinh
        .post(&format!("/du-thao-quan-ly/{id}/gop-y"), &[("channel", "fax"), ("received", &day(1)), ("part", ""), ("kind", "organisation"), ("name", "Hội Luật gia tỉnh"), ("body", "Đề nghị làm rõ khoản 1.")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&esc(drafts::msg::CHANNEL_MISSING)) && html.contains(&esc(drafts::msg::RECEIVED_FUTURE)) && html.contains("Đề nghị làm rõ khoản 1.") && html.contains("Hội Luật gia tỉnh"), "{html}");
    let r = tinh
        .post(&format!("/du-thao-quan-ly/{id}/gop-y"), &[("channel", "paper"), ("received", &day(-1)), ("part", ""), ("kind", "organisation"), ("name", "Hội Luật gia tỉnh"), ("body", "Đề nghị làm rõ khoản 1.")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "the day before the period opened");
    assert!(r.text().await.unwrap().contains(&esc(drafts::msg::RECEIVED_BEFORE_OPEN)));
    // Entered, on the whole draft from an organisation, and on a clause from a person by e-mail.
    let r = tinh
        .post(&format!("/du-thao-quan-ly/{id}/gop-y"), &[("channel", "paper"), ("received", &day(0)), ("part", ""), ("kind", "organisation"), ("name", "Hội Luật gia tỉnh"), ("body", "Đề nghị làm rõ khoản 1.")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = tinh
        .post(&format!("/du-thao-quan-ly/{id}/gop-y"), &[("channel", "email"), ("received", &day(0)), ("part", &part), ("kind", "person"), ("name", "Nguyễn Văn Bưu"), ("email", "buu@example.vn"), ("body", "Nên ghi rõ thôn, tổ dân phố.")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let comments = store::comments(&app.db, id).await.unwrap();
    assert_eq!(comments.iter().map(|c| c.channel.as_str()).collect::<Vec<_>>(), ["paper", "email"]);
    let (_, html) = tinh.text(&format!("/du-thao-quan-ly/{id}")).await;
    assert!(html.contains("Văn bản giấy") && html.contains("Thư điện tử"), "{html}");
    // They count in the table, with how they arrived.
    let r = tinh.get(&format!("/du-thao-quan-ly/{id}/tong-hop.docx")).await;
    let text = documents::docx_text::docx_plain_text(&r.bytes().await.unwrap()).unwrap();
    assert!(text.contains("Hội Luật gia tỉnh; văn bản giấy") && text.contains("Nguyễn Văn Bưu (cá nhân); thư điện tử"), "{text}");
    // Audited with the officer; out of scope answers 404; the public never sees the person.
    let (audited,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'draft_comment' AND action = 'create'").fetch_one(p).await).unwrap();
    assert_eq!(audited, 2);
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.post(&format!("/du-thao-quan-ly/{id}/gop-y"), &[("channel", "paper")]).await.status(), StatusCode::NOT_FOUND);
    let (_, html) = app.client().text(&format!("/du-thao/{id}")).await;
    assert!(!html.contains("Nguyễn Văn Bưu") && !html.contains("buu@example.vn"));
    // Not before the draft is published.
    let r = tinh.post("/du-thao-quan-ly/moi", &[("title", "Dự thảo chưa đăng"), ("drafting_body", "Sở Tư pháp"), ("opens", &day(0)), ("closes", &day(5)), ("text", TEXT)]).await;
    let unpublished = id_from(&r);
    let r = tinh.post(&format!("/du-thao-quan-ly/{unpublished}/gop-y"), &[("channel", "paper"), ("received", &day(0)), ("kind", "organisation"), ("name", "X"), ("body", "Y")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(&esc(drafts::msg::ENTER_NOT_PUBLISHED)));
}
