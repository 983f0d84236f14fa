//! The bookshelf end to end over HTTP: a province officer enters documents (errors keep what
//! was typed; a number already used), links them, and the public page (no account) shows the
//! derived status and what replaced the document; the list filters by status and finds loosely
//! typed numbers; materials with their target groups and file; a commune keeps its own
//! bookshelf (another commune: 404; a commune account cannot enter documents: 403; no account
//! cannot write); the counts per commune; the API; the report figure.

use reqwest::StatusCode;

use crate::helpers::{SETUP, TestApp, document_id, location, token};

fn today() -> chrono::NaiveDate {
    kernel::page::today()
}

fn day(d: chrono::NaiveDate) -> String {
    text_vi::format_date(d)
}

fn id_in(r: &reqwest::Response, prefix: &str) -> i64 {
    location(r).trim_start_matches(prefix).split(['?', '#']).next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn documents_links_and_the_status_shown_to_citizens() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    // Errors keep what was typed.
    let r = tinh
        .post("/tu-sach/quan-ly/van-ban/moi", &[("number", "99/2020/QH14"), ("type_code", "luat"), ("title", ""), ("issuer", "Quốc hội"),
            ("issued_on", "31/02/2020"), ("in_force_on", "01/01/2021"), ("vbpl_url", "https://example.com\\.vbpl.vn/x"), ("summary", "Tóm tắt đã nhập")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("error-summary"));
    assert!(html.contains("99/2020/QH14") && html.contains("Tóm tắt đã nhập"), "typed values kept");
    for m in [bookshelf::msg::TITLE_REQUIRED, bookshelf::msg::DATE_FORMAT, bookshelf::msg::VBPL_URL] {
        assert!(html.contains(m), "{m}");
    }
    let r = tinh
        .post("/tu-sach/quan-ly/van-ban/moi", &[("number", "99/2020/QH14"), ("type_code", "luat"), ("title", "Luật Thử nghiệm cũ"), ("issuer", "Quốc hội"),
            ("issued_on", "10/06/2020"), ("in_force_on", "01/01/2021"), ("field", "dan-su"), ("vbpl_url", "https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=1"),
            ("full_text", "Điều 1. Phạm vi điều chỉnh")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let old = id_in(&r, "/tu-sach/quan-ly/van-ban/");
    // The same number typed loosely is refused.
    let r = tinh
        .post("/tu-sach/quan-ly/van-ban/moi", &[("number", "99 2020 qh14"), ("type_code", "luat"), ("title", "Trùng"), ("issuer", "Quốc hội"),
            ("issued_on", "10/06/2020"), ("in_force_on", "01/01/2021")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(bookshelf::msg::NUMBER_TAKEN));
    let r = tinh
        .post("/tu-sach/quan-ly/van-ban/moi", &[("number", "100/2023/QH15"), ("type_code", "luat"), ("title", "Luật Thử nghiệm mới"), ("issuer", "Quốc hội"),
            ("issued_on", "20/06/2023"), ("in_force_on", "01/01/2024")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let new = id_in(&r, "/tu-sach/quan-ly/van-ban/");
    // Before any link the old law is in force, for anyone.
    let citizen = app.client();
    let (s, html) = citizen.text(&format!("/tu-sach/van-ban/{old}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Còn hiệu lực") && html.contains("Điều 1. Phạm vi điều chỉnh") && html.contains("vbpl.vn"));
    // A link error keeps the link form; then the new law replaces the old one wholly.
    let r = tinh.post(&format!("/tu-sach/quan-ly/van-ban/{new}/lien-ket"), &[("kind", "replaces"), ("target", "100/2023/QH15"), ("whole", "1"), ("note", "ghi chú thử")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(bookshelf::msg::LINK_SELF) && html.contains("ghi chú thử"));
    let r = tinh.post(&format!("/tu-sach/quan-ly/van-ban/{old}/lien-ket"), &[("kind", "replaces"), ("target", "100/2023/QH15"), ("whole", "1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "an older document cannot replace a later one");
    let r = tinh.post(&format!("/tu-sach/quan-ly/van-ban/{new}/lien-ket"), &[("kind", "replaces"), ("target", "99 2020 qh14"), ("whole", "1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let (s, html) = citizen.text(&format!("/tu-sach/van-ban/{old}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Hết hiệu lực toàn bộ"), "derived from the replacement");
    assert!(html.contains("Bị thay thế bởi") && html.contains("100/2023/QH15") && html.contains(&format!("/tu-sach/van-ban/{new}")));
    assert!(html.contains("01/01/2024"), "from the new law's in-force date");
    // On a day before the replacement it was in force.
    let (_, html) = citizen.text(&format!("/tu-sach/van-ban/{old}?ngay=31/12/2023")).await;
    assert!(html.contains("Còn hiệu lực"));
    let (_, html) = citizen.text(&format!("/tu-sach/van-ban/{new}")).await;
    assert!(html.contains("Thay thế") && html.contains("99/2020/QH14"));
    // The list: filtered by status, and a loosely typed number.
    let (s, html) = citizen.text("/tu-sach?hieu_luc=expired").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Luật Thử nghiệm cũ") && !html.contains("Luật Thử nghiệm mới"));
    let (_, html) = citizen.text("/tu-sach?q=99+2020+qh14").await;
    assert!(html.contains("Luật Thử nghiệm cũ") && !html.contains("Luật Thử nghiệm mới"));
    let (_, html) = citizen.text("/tu-sach?q=thu+nghiem&nam=2023").await;
    assert!(html.contains("Luật Thử nghiệm mới") && !html.contains("Luật Thử nghiệm cũ"));
    let (_, html) = citizen.text("/tu-sach?linh_vuc=dan-su&trang=abc").await;
    assert!(html.contains("Luật Thử nghiệm cũ") && !html.contains("Luật Thử nghiệm mới"));
    // Every write is audited.
    assert!(kernel::db::audit::count_for_entity(&app.db, "bookshelf_document", &old.to_string()).await.unwrap() >= 1);
    let links = bookshelf::store::links_of(&app.db, old).await.unwrap();
    assert_eq!(kernel::db::audit::count_for_entity(&app.db, "bookshelf_link", &links[0].id.to_string()).await.unwrap(), 1);
    // The original file: uploaded, then downloadable without an account.
    let r = tinh.post_multipart(&format!("/tu-sach/quan-ly/van-ban/{old}/tep"), &[], Some(("luat.txt", b"hello".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(documents::sniff::Sniffed::UnknownType.message()));
    let r = tinh.post_multipart(&format!("/tu-sach/quan-ly/van-ban/{old}/tep"), &[], Some(("luat.pdf", b"%PDF-1.4\n%%EOF".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let file = bookshelf::store::document(&app.db, old).await.unwrap().file_id.unwrap();
    let r = citizen.get(&format!("/tu-sach/tep/{file}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    // The link can be removed, and the status follows.
    let r = tinh.post(&format!("/tu-sach/quan-ly/van-ban/{new}/xoa-lien-ket"), &[("link_id", &links[0].id.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = citizen.text(&format!("/tu-sach/van-ban/{old}")).await;
    assert!(html.contains("Còn hiệu lực"));
    // A DOCX original gives the full text of a document that had none.
    let mut docx = std::io::Cursor::new(Vec::new());
    docx_rs::Docx::new()
        .add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("Điều 1. Luật này quy định về thử nghiệm.")))
        .build()
        .pack(&mut docx)
        .unwrap();
    let r = tinh.post_multipart(&format!("/tu-sach/quan-ly/van-ban/{new}/tep"), &[], Some(("luat-moi.docx", docx.into_inner()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(bookshelf::store::full_text(&app.db, new).await.unwrap(), "Điều 1. Luật này quy định về thử nghiệm.");
    let (_, html) = citizen.text(&format!("/tu-sach/van-ban/{new}")).await;
    assert!(html.contains("Luật này quy định về thử nghiệm"));
    // A PDF with a text layer gives the full text too.
    let r = tinh
        .post("/tu-sach/quan-ly/van-ban/moi", &[("number", "101/2024/QH15"), ("type_code", "luat"), ("title", "Luật Thử nghiệm PDF"), ("issuer", "Quốc hội"),
            ("issued_on", "20/06/2024"), ("in_force_on", "01/01/2025")])
        .await;
    let pdf_doc = id_in(&r, "/tu-sach/quan-ly/van-ban/");
    let pdf = documents::poster_pdf(&documents::Poster {
        heading: "LUẬT HÒA GIẢI Ở CƠ SỞ".into(), issuer: "Quốc hội".into(), title: "Điều 1. Phạm vi điều chỉnh".into(),
        body: "Luật này quy định về hòa giải ở cơ sở.".into(), qr_svg: String::new(), link: "https://vbpl.vn".into(), footer: String::new(),
    })
    .unwrap();
    let r = tinh.post_multipart(&format!("/tu-sach/quan-ly/van-ban/{pdf_doc}/tep"), &[], Some(("luat-pdf.pdf", pdf))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let text = bookshelf::store::full_text(&app.db, pdf_doc).await.unwrap();
    assert!(text.contains("LUẬT HÒA GIẢI Ở CƠ SỞ") && text.contains("Luật này quy định về hòa giải ở cơ sở."), "{text}");
    // Unknown ids answer 404.
    assert_eq!(citizen.get("/tu-sach/van-ban/999999").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(citizen.get("/tu-sach/tep/999999").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_demo_land_law_shows_what_replaced_it() {
    let app = TestApp::spawn(&SETUP).await;
    let citizen = app.client();
    let old = document_id(&app, "45/2013/QH13").await;
    let (s, html) = citizen.text(&format!("/tu-sach/van-ban/{old}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Hết hiệu lực toàn bộ") && html.contains("Bị thay thế bởi") && html.contains("31/2024/QH15"));
    assert!(html.contains("Được sửa đổi, bổ sung bởi") && html.contains("35/2018/QH14"), "the amendment is listed");
    let (_, html) = citizen.text(&format!("/tu-sach/van-ban/{old}?ngay=01/01/2020")).await;
    assert!(html.contains("Còn hiệu lực"), "amended but in force in 2020");
    let (s, html) = citizen.text("/tu-sach").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Luật Hòa giải ở cơ sở") && html.contains("35/2013/QH13"));
    let (s, html) = citizen.text("/tu-sach/tai-lieu?doi_tuong=domestic_violence_victims").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Sổ tay hỏi đáp pháp luật về hôn nhân và gia đình") && !html.contains("Tờ gấp: Tìm hiểu Luật Hòa giải ở cơ sở"));
}

#[tokio::test]
async fn materials_are_kept_by_the_province() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let r = tinh.post("/tu-sach/quan-ly/tai-lieu/moi", &[("kind", "video"), ("title", "Video về bạo lực gia đình"), ("published_on", &day(today())), ("group", "nope")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(bookshelf::msg::VIDEO_NEEDS_LINK) && html.contains(bookshelf::msg::GROUP_UNKNOWN) && html.contains("Video về bạo lực gia đình"));
    let r = tinh
        .post("/tu-sach/quan-ly/tai-lieu/moi", &[("kind", "leaflet"), ("title", "Tờ gấp phòng, chống bạo lực gia đình"), ("published_on", &day(today())),
            ("topic", "hon-nhan-gia-dinh"), ("group", "domestic_violence_victims")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let id = id_in(&r, "/tu-sach/quan-ly/tai-lieu/");
    let r = tinh.post_multipart(&format!("/tu-sach/quan-ly/tai-lieu/{id}/tep"), &[], Some(("to-gap.pdf", b"%PDF-1.4\n%%EOF".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (s, html) = app.client().text(&format!("/tu-sach/tai-lieu/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Người bị bạo lực gia đình") || html.contains("bạo lực gia đình"), "{html}");
    assert!(html.contains("/tu-sach/tep/"));
    assert_eq!(kernel::db::audit::count_for_entity(&app.db, "bookshelf_material", &id.to_string()).await.unwrap(), 2);
    // A commune officer keeps no documents or materials.
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.get("/tu-sach/quan-ly/tai-lieu/moi").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(xa1.post("/tu-sach/quan-ly/van-ban/moi", &[("number", "1/2026/QH15")]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(xa1.get(&format!("/tu-sach/quan-ly/tai-lieu/{id}")).await.status(), StatusCode::FORBIDDEN);
    // Another province's officer keeps its own bookshelf: Lạng Sơn's records answer 404.
    app.create_account("hanoi", "justice_officer", "01", false).await;
    let hanoi = app.login_as("hanoi").await;
    let doc = document_id(&app, "35/2013/QH13").await;
    assert_eq!(hanoi.get(&format!("/tu-sach/quan-ly/tai-lieu/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(hanoi.get(&format!("/tu-sach/quan-ly/van-ban/{doc}")).await.status(), StatusCode::NOT_FOUND);
    let r = hanoi.post(&format!("/tu-sach/quan-ly/van-ban/{doc}/lien-ket"), &[("kind", "amends"), ("target", "14/2012/QH13")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(hanoi.get(&format!("/tu-sach/quan-ly/xa/{}", app.unit_id("05977").await)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(hanoi.get("/tu-sach/quan-ly/van-ban/moi").await.status(), StatusCode::OK, "it may enter its own");
}

#[tokio::test]
async fn a_commune_keeps_its_own_bookshelf() {
    let app = TestApp::spawn(&SETUP).await;
    let own = app.unit_id("05977").await;
    let other = app.unit_id("06001").await;
    let xa1 = app.login_as("xa1").await;
    let (s, html) = xa1.text(&format!("/tu-sach/quan-ly/xa/{own}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Luật Đất đai"));
    // Another commune's bookshelf: 404 to read the management page and to write.
    assert_eq!(xa1.get(&format!("/tu-sach/quan-ly/xa/{other}")).await.status(), StatusCode::NOT_FOUND);
    let material = bookshelf::store::materials(&app.db, &Default::default()).await.unwrap().into_iter().find(|m| m.kind == "qa_booklet").unwrap().id;
    let item = format!("m{material}");
    assert_eq!(xa1.post(&format!("/tu-sach/quan-ly/xa/{other}/them"), &[("item", &item), ("added_on", &day(today()))]).await.status(), StatusCode::NOT_FOUND);
    // Errors keep the choice.
    let r = xa1.post(&format!("/tu-sach/quan-ly/xa/{own}/them"), &[("item", &item), ("added_on", "hôm qua"), ("note", "2 bản")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(bookshelf::msg::DATE_FORMAT) && html.contains("2 bản") && html.contains(&format!("value=\"{item}\" selected")));
    let r = xa1.post(&format!("/tu-sach/quan-ly/xa/{own}/them"), &[("item", &item), ("added_on", &day(today())), ("note", "2 bản")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = xa1.post(&format!("/tu-sach/quan-ly/xa/{own}/them"), &[("item", &item), ("added_on", &day(today()))]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(bookshelf::msg::ITEM_HELD));
    // The public page of the commune's bookshelf, without an account.
    let citizen = app.client();
    let (s, html) = citizen.text(&format!("/tu-sach/xa/{own}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Sổ tay hỏi đáp pháp luật về hôn nhân và gia đình") && html.contains("Bổ sung"));
    assert_eq!(citizen.get(&format!("/tu-sach/xa/{}", app.unit_id("20").await)).await.status(), StatusCode::NOT_FOUND, "a province is not a commune");
    // Removing: a date before the addition is refused next to the item.
    let added = bookshelf::store::shelf_items(&app.db, own).await.unwrap().into_iter().find(|i| i.material_id == Some(material)).unwrap();
    let r = xa1.post(&format!("/tu-sach/quan-ly/xa/{own}/bot"), &[("item_id", &added.id.to_string()), ("removed_on", "01/01/2000")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(bookshelf::msg::REMOVED_BEFORE_ADDED));
    let r = xa1.post(&format!("/tu-sach/quan-ly/xa/{own}/bot"), &[("item_id", &added.id.to_string()), ("removed_on", &day(today()))]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(kernel::db::audit::count_for_entity(&app.db, "bookshelf_shelf_item", &added.id.to_string()).await.unwrap(), 2);
    // Another commune's item cannot be removed through one's own commune.
    let xa2 = app.login_as("xa2").await;
    let r = xa2.post(&format!("/tu-sach/quan-ly/xa/{other}/them"), &[("item", &item), ("added_on", &day(today()))]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let theirs = bookshelf::store::shelf_items(&app.db, other).await.unwrap()[0].id;
    let r = xa1.post(&format!("/tu-sach/quan-ly/xa/{own}/bot"), &[("item_id", &theirs.to_string()), ("removed_on", &day(today()))]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The province sees both communes' counts.
    let tinh = app.login_as("tinh").await;
    let (s, html) = tinh.text("/tu-sach/quan-ly").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&format!("/tu-sach/xa/{own}")) && html.contains(&format!("/tu-sach/xa/{other}")));
    let (_, html) = xa1.text("/tu-sach/quan-ly").await;
    assert!(!html.contains(&format!("/tu-sach/xa/{other}")), "a commune sees only its own");
    // No account: no writing.
    let before = bookshelf::store::shelf_items(&app.db, own).await.unwrap().len();
    let r = citizen.post(&format!("/tu-sach/quan-ly/xa/{own}/them"), &[("item", &item), ("added_on", &day(today()))]).await;
    assert!(r.status() == StatusCode::FORBIDDEN || location(&r) == "/dang-nhap", "{}", r.status());
    assert_eq!(bookshelf::store::shelf_items(&app.db, own).await.unwrap().len(), before);
    // A viewer (a citizen-facing read-only account) cannot write either.
    app.create_account("xemxa1", "viewer", "05977", false).await;
    let viewer = app.login_as("xemxa1").await;
    assert_eq!(viewer.post(&format!("/tu-sach/quan-ly/xa/{own}/them"), &[("item", &item)]).await.status(), StatusCode::FORBIDDEN);
    // The report figure: communes whose bookshelf holds something.
    let province = app.unit_id("20").await;
    let figures = bookshelf::report_figures_port(&app.db, province, None, today() - chrono::Duration::days(30), today()).await.unwrap();
    assert_eq!(figures[0].key, "bookshelves");
    assert_eq!(figures[0].value, 2);
}

#[tokio::test]
async fn the_api_lists_documents_with_their_status_and_materials() {
    let app = TestApp::spawn(&SETUP).await;
    let t = token(&app, "xa1").await;
    let client = reqwest::Client::new();
    let url = |p: &str| format!("{}{}", app.base, p);
    let r: serde_json::Value = client.get(url("/api/v1/bookshelf/documents?q=45%202013%20qh13")).bearer_auth(&t).send().await.unwrap().json().await.unwrap();
    assert_eq!(r["items"][0]["number"], "45/2013/QH13");
    assert_eq!(r["items"][0]["status"], "expired");
    assert_eq!(r["items"][0]["ended_on"], "2024-08-01");
    let fields = bookshelf::store::document_fields(&app.db, document_id(&app, "45/2013/QH13").await).await.unwrap();
    assert!(!fields.is_empty());
    assert_eq!(r["items"][0]["fields"], serde_json::json!(fields), "the fields read for the whole list are the document's");
    let r: serde_json::Value = client.get(url("/api/v1/bookshelf/documents?status=in_force&day=2020-01-01")).bearer_auth(&t).send().await.unwrap().json().await.unwrap();
    let numbers: Vec<&str> = r["items"].as_array().unwrap().iter().map(|i| i["number"].as_str().unwrap()).collect();
    assert!(numbers.contains(&"45/2013/QH13") && !numbers.contains(&"31/2024/QH15"), "{numbers:?}");
    let r = client.get(url("/api/v1/bookshelf/documents?status=nope")).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r: serde_json::Value = client.get(url("/api/v1/bookshelf/materials?kind=leaflet")).bearer_auth(&t).send().await.unwrap().json().await.unwrap();
    assert_eq!(r["total"], 1);
    assert_eq!(r["items"][0]["topics"][0], "hoa-giai");
    let id = r["items"][0]["id"].as_i64().unwrap();
    assert_eq!(r["items"][0]["target_groups"], serde_json::json!(bookshelf::store::material_groups(&app.db, id).await.unwrap()));
    assert_eq!(client.get(url("/api/v1/bookshelf/materials")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

/// (partly_expired_on, expired_on) of a document in the search feed.
async fn feed_dates(app: &TestApp, id: i64) -> (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) {
    let doc = kernel::search_feed::get(&app.db, kernel::search_feed::kind::LEGAL_DOC, id).await.unwrap().unwrap();
    (doc.partly_expired_on, doc.expired_on)
}

#[tokio::test]
async fn the_search_feed_holds_documents_with_their_status_dates_and_materials() {
    use kernel::search_feed::{self, kind};
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();

    // The demo's land law of 2013 was fed with the day the 2024 law replaced it wholly.
    let land = document_id(&app, "45/2013/QH13").await;
    let doc = search_feed::get(&app.db, kind::LEGAL_DOC, land).await.unwrap().expect("demo documents are fed");
    assert_eq!(doc.number, "45/2013/QH13");
    assert!(doc.expired_on.is_some());

    let r = tinh
        .post("/tu-sach/quan-ly/van-ban/moi", &[("number", "7/2019/QH14"), ("type_code", "luat"), ("title", "Luật Tìm kiếm cũ"), ("issuer", "Quốc hội"),
            ("issued_on", "10/06/2019"), ("in_force_on", "01/01/2020"), ("expires_on", "01/01/2040"), ("summary", "Tóm tắt luật cũ"), ("full_text", "Điều 1. Toàn văn luật cũ")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let old = id_in(&r, "/tu-sach/quan-ly/van-ban/");
    let r = tinh
        .post("/tu-sach/quan-ly/van-ban/moi", &[("number", "8/2023/QH15"), ("type_code", "luat"), ("title", "Luật Tìm kiếm mới"), ("issuer", "Quốc hội"),
            ("issued_on", "20/06/2023"), ("in_force_on", "01/01/2024"), ("summary", "Chỉ có tóm tắt")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let new = id_in(&r, "/tu-sach/quan-ly/van-ban/");

    let doc = search_feed::get(&app.db, kind::LEGAL_DOC, old).await.unwrap().expect("a new document is in the feed");
    assert_eq!((doc.title.as_str(), doc.url.clone()), ("Luật Tìm kiếm cũ", format!("/tu-sach/van-ban/{old}")));
    assert_eq!((doc.number.as_str(), doc.doc_type.as_str(), doc.issuer.as_str()), ("7/2019/QH14", "Luật", "Quốc hội"));
    assert_eq!((doc.year, doc.summary.as_str(), doc.body.as_str()), (Some(2019), "Tóm tắt luật cũ", "Điều 1. Toàn văn luật cũ"));
    assert_eq!((doc.in_force_on, doc.partly_expired_on, doc.expired_on), (Some(d(2020, 1, 1)), None, Some(d(2040, 1, 1))), "its own expiry");
    let doc = search_feed::get(&app.db, kind::LEGAL_DOC, new).await.unwrap().unwrap();
    assert_eq!(doc.body, "Chỉ có tóm tắt", "the summary stands for a missing full text");

    // An amendment changes no date; a partial repeal sets partly_expired_on; a whole replacement
    // sets the target's expired_on to the earlier of its day and the document's own expiry.
    let link = |kind: &'static str, whole: bool, on: &'static str| {
        let tinh = tinh.clone();
        async move {
            let mut f = vec![("kind", kind), ("target", "7/2019/QH14"), ("effective_on", on), ("note", "")];
            if whole {
                f.push(("whole", "1"));
            }
            let r = tinh.post(&format!("/tu-sach/quan-ly/van-ban/{new}/lien-ket"), &f).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
        }
    };
    link("amends", true, "01/03/2024").await;
    assert_eq!(feed_dates(&app, old).await, (None, Some(d(2040, 1, 1))), "amendments never end validity");
    link("repeals", false, "01/06/2024").await;
    assert_eq!(feed_dates(&app, old).await, (Some(d(2024, 6, 1)), Some(d(2040, 1, 1))));
    link("replaces", true, "01/01/2025").await;
    assert_eq!(feed_dates(&app, old).await, (Some(d(2024, 6, 1)), Some(d(2025, 1, 1))), "the whole replacement ends it");
    let stored = bookshelf::store::document(&app.db, old).await.unwrap();
    let incoming = bookshelf::service::incoming_of(&bookshelf::store::links_of(&app.db, old).await.unwrap(), old);
    let (partly, expired) = feed_dates(&app, old).await;
    for day in [d(2019, 12, 31), d(2024, 3, 1), d(2024, 6, 1), d(2025, 1, 1)] {
        assert_eq!(bookshelf::rules::status::status_on(stored.in_force_on, partly, expired, day), bookshelf::service::status_of(&stored, &incoming, day), "{day}");
    }
    // Removing the replacement gives the document its own expiry back.
    let replaces = bookshelf::store::links_of(&app.db, old).await.unwrap().into_iter().find(|l| l.kind == "replaces").unwrap();
    let r = tinh.post(&format!("/tu-sach/quan-ly/van-ban/{new}/xoa-lien-ket"), &[("link_id", &replaces.id.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(feed_dates(&app, old).await, (Some(d(2024, 6, 1)), Some(d(2040, 1, 1))));

    // A material is in the feed with its kind's label.
    let r = tinh
        .post("/tu-sach/quan-ly/tai-lieu/moi", &[("kind", "leaflet"), ("title", "Tờ gấp tìm kiếm"), ("summary", "Mô tả tờ gấp"), ("published_on", "05/03/2025"), ("topic", "hon-nhan-gia-dinh")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let m = id_in(&r, "/tu-sach/quan-ly/tai-lieu/");
    let doc = search_feed::get(&app.db, kind::MATERIAL, m).await.unwrap().expect("a material is in the feed");
    assert_eq!((doc.title.as_str(), doc.url.clone(), doc.doc_type.as_str()), ("Tờ gấp tìm kiếm", format!("/tu-sach/tai-lieu/{m}"), "Tờ gấp pháp luật"));
    assert_eq!((doc.body.as_str(), doc.year), ("Mô tả tờ gấp", Some(2025)));

    // The backfill writes the same rows again: harmless.
    let before = search_feed::count(&app.db).await.unwrap();
    let old_doc = search_feed::get(&app.db, kind::LEGAL_DOC, old).await.unwrap();
    assert_eq!(bookshelf::service::feed_all(&app.db).await.unwrap() as i64, before);
    assert_eq!(search_feed::count(&app.db).await.unwrap(), before);
    assert_eq!(search_feed::get(&app.db, kind::LEGAL_DOC, old).await.unwrap(), old_doc);
}
