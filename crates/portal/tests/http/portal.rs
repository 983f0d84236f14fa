//! The portal: the editorial workflow end to end, editors' scope, what the public sees (and
//! does not see) at a time, caching by ETag, and the sanitiser against XSS payloads.

use reqwest::StatusCode;

use crate::helpers::{SETUP, Session, TestApp, article_id, id_of, location, vn_time};

/// A news article form with the given title and body (other fields empty).
fn form<'a>(title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("kind", "news"), ("title", title), ("slug", ""), ("summary", ""), ("body", body), ("category", ""), ("campaign", ""), ("tags", ""), ("publish_at", ""), ("unpublish_at", "")]
}

/// Sets a field of a form.
fn set<'a>(f: &mut Vec<(&'a str, &'a str)>, key: &'a str, value: &'a str) {
    f.retain(|(k, _)| *k != key);
    f.push((key, value));
}

async fn create(s: &Session, fields: &[(&str, &str)]) -> i64 {
    let r = s.post("/bien-tap/moi", fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    article_id(&r)
}

async fn slug_of(app: &TestApp, id: i64) -> String {
    portal::store::get(&app.db, id).await.unwrap().slug
}

async fn status_of(app: &TestApp, id: i64) -> String {
    portal::store::get(&app.db, id).await.unwrap().status
}

#[tokio::test]
async fn editorial_workflow_end_to_end() {
    let app = TestApp::spawn(&SETUP).await;
    let editor = app.login_as("bientap").await;
    let tinh = app.login_as("tinh").await;
    let public = app.client();

    // The editor writes a draft; its slug is made from the Vietnamese title.
    let id = create(&editor, &form("Tọa đàm Ngày Pháp luật tại Hữu Lũng", "Nội dung **bản nháp**.")).await;
    let slug = slug_of(&app, id).await;
    assert_eq!(slug, "toa-dam-ngay-phap-luat-tai-huu-lung");
    let (st, html) = editor.text(&format!("/bien-tap/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Nháp") && html.contains("Gửi duyệt") && !html.contains("Duyệt và đăng"), "{html}");
    assert_eq!(public.get(&format!("/tin-tuc/{slug}")).await.status(), StatusCode::NOT_FOUND, "a draft is not public");

    // The editor cannot publish; submitting is theirs.
    assert_eq!(editor.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(editor.post(&format!("/bien-tap/{id}/tra-lai"), &[("reason", "x")]).await.status(), StatusCode::FORBIDDEN);
    let r = editor.post(&format!("/bien-tap/{id}/gui-duyet"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, id).await, "submitted");
    // Submitted: the editor can no longer change it, nor submit twice.
    assert_eq!(editor.post(&format!("/bien-tap/{id}"), &form("Đổi", "x")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(editor.post(&format!("/bien-tap/{id}/gui-duyet"), &[]).await.status(), StatusCode::BAD_REQUEST);

    // The province's officer sees it waiting, and returns it with a reason (required).
    // (The home page itself needs the notifications of the plans' migration; the server's tests
    // render it whole.)
    let account = kernel::db::accounts::by_username(&app.db, "tinh").await.unwrap();
    let role = kernel::account::Role::JusticeOfficer;
    let user = kernel::auth::CurrentUser { scope: kernel::auth::scope_of(&account, role), role, account, session_id: String::new(), csrf: String::new(), registry: Default::default() };
    let part = portal::home::home_part(&app.db, &user, kernel::page::today()).await.unwrap();
    assert!(part.todo.iter().any(|t| t.text == "Duyệt tin bài" && t.href == "/bien-tap?trang-thai=submitted"), "home part lists the waiting articles");
    let r = tinh.post(&format!("/bien-tap/{id}/tra-lai"), &[("reason", "  ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Hãy nêu lý do trả lại"));
    let r = tinh.post(&format!("/bien-tap/{id}/tra-lai"), &[("reason", "Bổ sung số người tham dự.")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, id).await, "returned");
    let (_, html) = editor.text(&format!("/bien-tap/{id}")).await;
    assert!(html.contains("Bổ sung số người tham dự."), "the writer reads the reason");

    // The editor corrects it (version 2) and submits again; bad input keeps what was typed.
    let mut bad = form("", "Nội dung đã sửa");
    set(&mut bad, "publish_at", "31/02/2026");
    let r = editor.post(&format!("/bien-tap/{id}"), &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Hãy nhập tiêu đề.") && html.contains("Nội dung đã sửa") && html.contains("dd/mm/yyyy hh:mm, ví dụ"), "{html}");
    let mut fixed = form("Tọa đàm Ngày Pháp luật tại Hữu Lũng", "Có **120 người** tham dự.");
    set(&mut fixed, "slug", &slug);
    set(&mut fixed, "tags", "Ngày Pháp luật, tọa đàm");
    let r = editor.post(&format!("/bien-tap/{id}"), &fixed).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(portal::store::get(&app.db, id).await.unwrap().version, 2);
    // A save from a form opened on version 1 (someone saved since) writes nothing and keeps
    // what was typed; the form it comes back with carries version 2, so saving again overwrites.
    let mut stale = fixed.clone();
    set(&mut stale, "title", "Bản sửa từ trang cũ");
    stale.push(("version", "1"));
    let r = editor.post(&format!("/bien-tap/{id}"), &stale).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(portal::msg::STALE) && html.contains("Bản sửa từ trang cũ") && html.contains("name=\"version\" value=\"2\""), "{html}");
    assert_eq!(portal::store::get(&app.db, id).await.unwrap().version, 2);
    assert_eq!(editor.post(&format!("/bien-tap/{id}/gui-duyet"), &[("version", "2")]).await.status(), StatusCode::SEE_OTHER);
    // The approver publishes only what they read: a step sent from a page of version 1 is refused.
    let r = tinh.post(&format!("/bien-tap/{id}/dang"), &[("version", "1")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains(portal::msg::STALE));
    assert_eq!(status_of(&app, id).await, "submitted");
    // Before publishing, its tags are not revealed either.
    assert_eq!(public.get("/tin-tuc?the=toa-dam").await.status(), StatusCode::NOT_FOUND);

    // The officer publishes: the article is public, in the list, the feed and the sitemap.
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, id).await, "published");
    let r = public.get(&format!("/tin-tuc/{slug}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("<strong>120 người</strong>"));
    assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{}/tin-tuc/{slug}\">", app.base)), "canonical");
    assert!(html.contains("<meta property=\"og:title\" content=\"Tọa đàm Ngày Pháp luật tại Hữu Lũng\">"));
    assert!(html.contains("property=\"og:type\" content=\"article\""));
    assert!(html.contains("facebook.com/sharer/sharer.php?u=") && html.contains("zalo.me"), "share links");
    assert!(html.contains(&format!("id=\"lien-ket\" value=\"{}/tin-tuc/{slug}\" readonly", app.base)), "copy link without script");
    assert!(html.contains("/tin-tuc?the=ngay-phap-luat"), "tags link to the tag's list");
    assert!(!html.contains("<script"), "no script on public pages");
    assert!(!html.contains("Đăng xuất") && !html.contains("name=\"_csrf\""), "no officials' chrome, no token");
    let (_, list) = public.text("/tin-tuc").await;
    assert!(list.contains(&format!("/tin-tuc/{slug}")));
    let (_, tagged) = public.text("/tin-tuc?the=toa-dam").await;
    assert!(tagged.contains(&format!("/tin-tuc/{slug}")));
    let (_, feed) = public.text("/tin-tuc/feed.atom").await;
    assert!(feed.starts_with("<?xml") && feed.contains(&format!("{}/tin-tuc/{slug}", app.base)));
    assert!(feed.contains("&#60;strong&#62;120 người&#60;/strong&#62;") && !feed.contains("<strong>"), "the feed carries the escaped HTML: {feed}");
    let (_, map) = public.text("/sitemap.xml").await;
    assert!(map.contains(&format!("<loc>{}/tin-tuc/{slug}</loc>", app.base)));

    // The history: both versions, the old one readable as it was.
    let (_, html) = tinh.text(&format!("/bien-tap/{id}")).await;
    assert!(html.contains("Phiên bản 2") && html.contains("Phiên bản 1"));
    let versions = portal::store::versions(&app.db, id).await.unwrap();
    assert_eq!(versions.len(), 2);
    let v1 = versions.iter().find(|v| v.version == 1).unwrap();
    let (st, html) = editor.text(&format!("/bien-tap/phien-ban/{}", v1.id)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("<strong>bản nháp</strong>"), "{html}");

    // Published: the editor cannot change it; the officer unpublishes it.
    assert_eq!(editor.post(&format!("/bien-tap/{id}"), &fixed).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(editor.post(&format!("/bien-tap/{id}/go"), &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/go"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(public.get(&format!("/tin-tuc/{slug}")).await.status(), StatusCode::NOT_FOUND);
    assert!(!public.text("/tin-tuc/feed.atom").await.1.contains(&slug));
    assert!(!public.text("/sitemap.xml").await.1.contains(&slug));

    // Every step is in the audit log.
    let audit = kernel::db::audit::list(&app.db, &kernel::db::audit::AuditFilter { scope_pattern: "%".into(), entity: Some("article".into()), limit: 200, ..Default::default() }).await.unwrap();
    let of_it: Vec<&str> = audit.iter().filter(|e| e.entity == "article" && e.entity_id.as_deref() == Some(&id.to_string())).map(|e| e.action.as_str()).collect();
    for action in ["create", "submit", "return", "update", "publish", "unpublish"] {
        assert!(of_it.contains(&action), "audit has {action}: {of_it:?}");
    }
}

#[tokio::test]
async fn editors_are_scoped_to_their_unit() {
    let app = TestApp::spawn(&SETUP).await;
    app.create_account("btxa1", "editor", "05977", false).await;
    let editor = app.login_as("btxa1").await;
    let foreign = id_of(&app, "Xã Đoàn Kết phổ biến Luật Đất đai năm 2024 đến đồng bào dân tộc thiểu số").await;
    let own = id_of(&app, "Phường Đông Kinh tuyên truyền pháp luật về phòng, chống ma túy cho thanh niên").await;
    let province = id_of(&app, "Tuyên truyền pháp luật về trật tự, an toàn giao thông dịp cuối năm").await;

    // Another commune's and the province's articles do not exist for a commune's editor.
    for id in [foreign, province] {
        assert_eq!(editor.get(&format!("/bien-tap/{id}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(editor.post(&format!("/bien-tap/{id}"), &form("x", "y")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(editor.post(&format!("/bien-tap/{id}/gui-duyet"), &[]).await.status(), StatusCode::NOT_FOUND);
        let v = portal::store::versions(&app.db, id).await.unwrap()[0].id;
        assert_eq!(editor.get(&format!("/bien-tap/phien-ban/{v}")).await.status(), StatusCode::NOT_FOUND);
    }
    let (_, list) = editor.text("/bien-tap").await;
    assert!(list.contains("Phường Đông Kinh tuyên truyền") && !list.contains("Xã Đoàn Kết phổ biến"), "the list is scoped");
    assert_eq!(editor.get(&format!("/bien-tap/{own}")).await.status(), StatusCode::OK);

    // Static pages and featured items speak for the whole portal: not a commune's.
    let mut page = form("Giới thiệu phường", "Nội dung.");
    set(&mut page, "kind", "page");
    let r = editor.post("/bien-tap/moi", &page).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(portal::msg::PAGE_PROVINCE_ONLY));
    let mut featured = form("Tin nổi bật của phường", "Nội dung.");
    featured.push(("featured", "1"));
    let r = app.login_as("xa1").await.post(&format!("/bien-tap/{own}"), &featured).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(portal::msg::FEATURED_PROVINCE_ONLY));

    // A new article belongs to the editor's commune; its officer publishes it, the other
    // commune's officer cannot see it.
    let id = create(&editor, &form("Tin của phường Đông Kinh", "Nội dung.")).await;
    assert_eq!(portal::store::get(&app.db, id).await.unwrap().unit_id, app.unit_id("05977").await);
    assert_eq!(editor.post(&format!("/bien-tap/{id}/gui-duyet"), &[]).await.status(), StatusCode::SEE_OTHER);
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::NOT_FOUND);
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    // The province's editor sees the communes' articles below it.
    let bientap = app.login_as("bientap").await;
    assert_eq!(bientap.get(&format!("/bien-tap/{foreign}")).await.status(), StatusCode::OK);

    // Roles without the actions: 403.
    let congan = app.login_as("congan").await;
    assert_eq!(congan.get("/bien-tap").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(editor.post("/bien-tap/chuyen-muc", &[("name", "Mới")]).await.status(), StatusCode::FORBIDDEN);
    // Categories are kept by the province: a commune's officer may not add one.
    assert_eq!(xa1.post("/bien-tap/chuyen-muc", &[("name", "Mới")]).await.status(), StatusCode::FORBIDDEN);
    let tinh = app.login_as("tinh").await;
    let r = tinh.post("/bien-tap/chuyen-muc", &[("name", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = tinh.post("/bien-tap/chuyen-muc", &[("name", "Văn bản mới")]).await;
    assert_eq!(location(&r), "/bien-tap/chuyen-muc?tb=category_added");
    assert_eq!(public_status(&app, "/chuyen-muc/van-ban-moi").await, StatusCode::OK);
    let r = tinh.post("/bien-tap/chien-dich", &[("name", "Tháng hành động phòng, chống ma túy"), ("description", ""), ("starts_on", "01/06/2026"), ("ends_on", "30/05/2026")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Ngày kết thúc không được trước ngày bắt đầu."));
    let r = tinh.post("/bien-tap/chien-dich", &[("name", "Tháng hành động phòng, chống ma túy"), ("description", ""), ("starts_on", "01/06/2026"), ("ends_on", "30/06/2026")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(public_status(&app, "/chien-dich/thang-hanh-dong-phong-chong-ma-tuy").await, StatusCode::OK);
}

async fn public_status(app: &TestApp, path: &str) -> StatusCode {
    app.client().get(path).await.status()
}

#[tokio::test]
async fn scheduled_and_expired_articles_are_not_public() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let public = app.client();
    let later = vn_time(24 * 60);
    let earlier = vn_time(-24 * 60);
    let cases = [
        ("Tin hẹn đăng ngày mai", later.as_str(), "", false),
        ("Tin đã hết hạn hôm qua", "", earlier.as_str(), false),
        ("Tin hẹn từ hôm qua đến ngày mai", earlier.as_str(), later.as_str(), true),
    ];
    let mut slugs = Vec::new();
    for (title, from, to, public_now) in cases {
        let mut f = form(title, "Nội dung.");
        set(&mut f, "publish_at", from);
        set(&mut f, "unpublish_at", to);
        let id = create(&tinh, &f).await;
        assert_eq!(tinh.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
        let slug = slug_of(&app, id).await;
        let expected = if public_now { StatusCode::OK } else { StatusCode::NOT_FOUND };
        assert_eq!(public.get(&format!("/tin-tuc/{slug}")).await.status(), expected, "{title}");
        slugs.push((slug, public_now));
    }
    let (_, list) = public.text("/tin-tuc").await;
    let (_, feed) = public.text("/tin-tuc/feed.atom").await;
    let (_, map) = public.text("/sitemap.xml").await;
    for (slug, public_now) in &slugs {
        for (name, text) in [("list", &list), ("feed", &feed), ("sitemap", &map)] {
            assert_eq!(text.contains(&format!("/tin-tuc/{slug}")), *public_now, "{slug} in the {name}");
        }
    }
    // The editors' list tells the scheduled from the expired.
    let (_, html) = tinh.text("/bien-tap?trang-thai=published").await;
    assert!(html.contains("hẹn đăng") && html.contains("đã hết hạn hiển thị"));
    // An end before the start is refused.
    let mut f = form("Lịch sai", "x");
    set(&mut f, "publish_at", &later);
    set(&mut f, "unpublish_at", &earlier);
    let r = tinh.post("/bien-tap/moi", &f).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Thời điểm gỡ phải sau thời điểm đăng."));
}

#[tokio::test]
async fn public_pages_with_etag_and_small_article() {
    let app = TestApp::spawn(&SETUP).await;
    let public = app.client();
    let (st, list) = public.text("/tin-tuc").await;
    assert_eq!(st, StatusCode::OK);
    assert!(list.contains("Lạng Sơn hưởng ứng Ngày Pháp luật") && list.contains("Tin nổi bật"));
    assert!(!list.contains("Tuyên truyền pháp luật về trật tự, an toàn giao thông"), "the draft waiting for approval is not listed");
    // Times as HTML wants them (whole seconds: vnu refuses six decimals).
    for v in list.split("datetime=\"").skip(1).filter_map(|r| r.split('"').next()) {
        assert!(v.len() == 20 && v.ends_with('Z'), "datetime {v}");
    }
    let slug = "lang-son-huong-ung-ngay-phap-luat-nuoc-cong-hoa-xa-hoi-chu-nghia-viet-nam";
    let campaign = format!("/chien-dich/{}", portal::rules::make_slug(&format!("Ngày Pháp luật Việt Nam 9/11/{}", chrono::Datelike::year(&kernel::page::today())), "x"));
    let article = format!("/tin-tuc/{slug}");
    for path in ["/tin-tuc", "/tin-tuc/feed.atom", "/sitemap.xml", "/chuyen-muc/hoa-giai-o-co-so", "/trang/gioi-thieu", article.as_str(), campaign.as_str()] {
        let r = public.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let etag = r.headers().get("etag").and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("{path} has an ETag")).to_string();
        let cc = r.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(cc.contains("public") && cc.contains("max-age"), "{path}: {cc}");
        let again = public.client.get(format!("{}{path}", app.base)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.bytes().await.unwrap().is_empty());
        let other = public.client.get(format!("{}{path}", app.base)).header("if-none-match", "W/\"khac\"").send().await.unwrap();
        assert_eq!(other.status(), StatusCode::OK, "{path}");
    }
    let (_, c) = public.text(&campaign).await;
    assert!(c.contains("Lạng Sơn hưởng ứng Ngày Pháp luật") && c.contains("Từ 20/10/"), "{c}");
    // The article page, compressed, is well under 30 KB.
    let r = public.client.get(format!("{}/tin-tuc/{slug}", app.base)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
    let n = r.bytes().await.unwrap().len();
    assert!(n < 30 * 1024, "article page {n} bytes compressed");
    // Unknown slugs, a page past the end and odd queries answer 404, never 500.
    for path in ["/tin-tuc/khong-co", "/tin-tuc/..%2F..", "/chuyen-muc/khong-co", "/chien-dich/khong-co", "/trang/khong-co", "/tin-tuc?trang=99", "/tin-tuc?the=khong-co", "/tin-tuc?the=%3Cscript%3E", "/trang/lang-son-huong-ung-ngay-phap-luat-nuoc-cong-hoa-xa-hoi-chu-nghia-viet-nam"] {
        assert_eq!(public.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(public.get("/tin-tuc?trang=abc").await.status(), StatusCode::OK, "a bad page number reads as the first");
}

/// XSS payloads: none may survive in the rendered body as markup.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">a</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">b</a>",
    "<a href=\"&#106;avascript:alert(1)\">c</a>",
    "<a href=\" javascript:alert(1)\">d</a>",
    "<a href=\"vbscript:msgbox(1)\">e</a>",
    "[liên kết](javascript:alert(1))",
    "![ảnh](javascript:alert(1))",
    "[dữ liệu](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">f</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<div style=\"background:url(javascript:alert(1))\">g</div>",
    "<p style=\"width: expression(alert(1))\">h</p>",
    "<body onload=alert(1)>",
    "<object data=\"x.swf\"></object>",
    "<embed src=\"x.swf\">",
    "<form action=\"javascript:alert(1)\"><button>i</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>j</details>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<a href=\"#\" onclick=\"alert(1)\">k</a>",
    "<img src=\"x\" OnErRoR=\"alert(1)\">",
    "<video><source onerror=\"alert(1)\"></video>",
    "<<script>script>alert(1)<</script>/script>",
];

/// Markup (the inside of every tag) that would run script or load from elsewhere.
fn live_markup(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let lower = html.to_lowercase();
    for tag in lower.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        let banned_tag = ["script", "iframe", "svg", "object", "embed", "form", "input", "meta", "link", "base", "style", "math", "body", "video", "source"].contains(&name);
        let banned_attr = tag.split_whitespace().skip(1).any(|a| a.starts_with("on") || a.starts_with("style=") || a.starts_with("srcdoc"));
        let banned_url = ["javascript:", "vbscript:", "data:", "expression("].iter().any(|u| tag.contains(u));
        if banned_tag || banned_attr || banned_url {
            bad.push(format!("<{tag}>"));
        }
    }
    bad
}

#[test]
fn the_sanitiser_leaves_no_payload_alive() {
    for p in PAYLOADS {
        let out = portal::rules::render(p);
        assert!(live_markup(&out).is_empty(), "{p} → {out}");
    }
    // Harmless markup stays.
    let ok = portal::rules::render("[Bộ Tư pháp](https://moj.gov.vn) ![ảnh](https://moj.gov.vn/a.png)");
    assert!(ok.contains("href=\"https://moj.gov.vn\"") && ok.contains("<img src=\"https://moj.gov.vn/a.png\""), "{ok}");
}

#[tokio::test]
async fn xss_payloads_do_not_reach_the_public_page() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let body = PAYLOADS.join("\n\n");
    assert!(body.contains("\n\n"));
    let id = create(&tinh, &form("Bài có nội dung độc hại", &body)).await;
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    let stored = portal::store::get(&app.db, id).await.unwrap();
    assert_eq!(stored.body_md, body, "the source is kept as typed");
    assert!(live_markup(&stored.body_html).is_empty(), "{}", stored.body_html);
    let (st, html) = app.client().text(&format!("/tin-tuc/{}", stored.slug)).await;
    assert_eq!(st, StatusCode::OK);
    let body_html = html.split("<div class=\"article-body\">").nth(1).and_then(|b| b.split("<section class=\"share").next()).unwrap();
    assert!(live_markup(body_html).is_empty(), "{body_html}");
    assert!(!html.to_lowercase().contains("<script"), "no script anywhere on the page");
    // The officials' pages show the same sanitised HTML.
    let (_, edit) = tinh.text(&format!("/bien-tap/{id}")).await;
    assert!(!edit.to_lowercase().contains("<script"));
}

#[tokio::test]
async fn the_home_page_is_public() {
    let app = TestApp::spawn(&SETUP).await;
    let public = app.client();
    let r = public.get("/").await;
    assert_eq!(r.status(), StatusCode::OK, "no redirect to the sign-in page");
    // `/` is also where the sign-in leads: never reused without asking, never kept by a proxy.
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("private, no-cache"));
    assert!(r.headers().get("etag").is_some());
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>Cổng thông tin phổ biến, giáo dục pháp luật</h1>"), "{html}");
    let featured = html.split("id=\"noi-bat\"").nth(1).and_then(|r| r.split("</section>").next()).unwrap_or_default();
    assert!(featured.contains("Lạng Sơn hưởng ứng Ngày Pháp luật"), "{html}");
    let latest = html.split("id=\"tin-moi\"").nth(1).and_then(|r| r.split("</section>").next()).unwrap_or_default();
    assert!(latest.contains("<li>"), "latest news are listed: {html}");
    assert!(!latest.contains("Lạng Sơn hưởng ứng Ngày Pháp luật"), "a featured article is not listed twice");
    assert!(html.contains("Dành cho người dân") && html.contains("href=\"/tin-tuc\""));
    assert!(html.contains("href=\"/dang-nhap\""), "officials find the sign-in page");
    assert!(html.contains("<link rel=\"canonical\" href=\"") && !html.contains("Đăng xuất"));
    assert!(!html.contains("Tuyên truyền pháp luật về trật tự, an toàn giao thông"), "the draft waiting for approval is not shown");
    // A signed-in account's own home page at `/` is checked by the server's tests, where the
    // kernel's home has every table it reads.
}

#[tokio::test]
async fn the_search_feed_follows_publishing() {
    use kernel::search_feed::{self, kind};
    let app = TestApp::spawn(&SETUP).await;
    let editor = app.login_as("bientap").await;
    let tinh = app.login_as("tinh").await;

    // The demo's published articles and page were fed by the demo.
    let about = id_of(&app, "Giới thiệu").await;
    let doc = search_feed::get(&app.db, kind::ARTICLE, about).await.unwrap().expect("the demo page is in the feed");
    assert_eq!((doc.url.as_str(), doc.doc_type.as_str()), ("/trang/gioi-thieu", "Trang"));

    // A draft and a submitted article are not in the feed.
    let mut f = form("Tuyên truyền Luật Đất đai tại xã", "Nội dung **Markdown** về đất đai.");
    set(&mut f, "summary", "Tóm tắt về đất đai");
    let later = vn_time(24 * 60);
    set(&mut f, "publish_at", &later);
    let id = create(&editor, &f).await;
    assert!(search_feed::get(&app.db, kind::ARTICLE, id).await.unwrap().is_none());
    assert_eq!(editor.post(&format!("/bien-tap/{id}/gui-duyet"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(search_feed::get(&app.db, kind::ARTICLE, id).await.unwrap().is_none());

    // Published with a schedule: in the feed with its start, compared with the clock by the search.
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    let a = portal::store::get(&app.db, id).await.unwrap();
    let doc = search_feed::get(&app.db, kind::ARTICLE, id).await.unwrap().expect("published, so in the feed");
    assert_eq!(doc.title, "Tuyên truyền Luật Đất đai tại xã");
    assert_eq!(doc.url, format!("/tin-tuc/{}", a.slug));
    assert_eq!((doc.summary.as_str(), doc.body.as_str()), ("Tóm tắt về đất đai", "Nội dung **Markdown** về đất đai."));
    assert_eq!(doc.visible_from, a.publish_at);
    assert!(doc.visible_from.is_some() && doc.visible_to.is_none());
    assert_eq!(doc.published_at, a.publish_at);
    assert_eq!(doc.unit_id, Some(a.unit_id));
    assert_eq!(doc.doc_type, "Tin bài", "no category");

    // The approver's edit of the published article reaches the feed.
    let mut edited = form("Tuyên truyền Luật Đất đai năm 2024 tại xã", "Nội dung đã sửa.");
    set(&mut edited, "slug", &a.slug);
    assert_eq!(tinh.post(&format!("/bien-tap/{id}"), &edited).await.status(), StatusCode::SEE_OTHER);
    let doc = search_feed::get(&app.db, kind::ARTICLE, id).await.unwrap().unwrap();
    assert_eq!((doc.title.as_str(), doc.body.as_str()), ("Tuyên truyền Luật Đất đai năm 2024 tại xã", "Nội dung đã sửa."));
    assert_eq!(doc.visible_from, None, "the schedule was cleared");

    // Unpublished: out of the feed.
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/go"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, id).await, "unpublished");
    assert!(search_feed::get(&app.db, kind::ARTICLE, id).await.unwrap().is_none());

    // The backfill puts back exactly what is published, and running it twice is harmless.
    let before = search_feed::count(&app.db).await.unwrap();
    let put = portal::service::feed_all(&app.db).await.unwrap();
    assert_eq!(put as i64, before);
    assert_eq!(portal::service::feed_all(&app.db).await.unwrap(), put);
    assert_eq!(search_feed::count(&app.db).await.unwrap(), before);
    assert!(search_feed::get(&app.db, kind::ARTICLE, id).await.unwrap().is_none());
}

/// A JPEG with an EXIF block (orientation 6: a quarter turn) carrying a position.
fn jpeg_with_exif() -> Vec<u8> {
    let picture = documents::picture::process(&documents::picture::sample_png(300, 200)).unwrap();
    let plain = picture.sizes[0].jpeg.clone();
    let mut app1 = b"Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0GPS 21.85N 106.76E".to_vec();
    let len = (app1.len() + 2) as u16;
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.append(&mut app1);
    out.extend_from_slice(&plain[2..]);
    out
}

#[tokio::test]
async fn pictures_are_re_encoded_and_served_in_sizes() {
    let app = TestApp::spawn(&SETUP).await;
    let editor = app.login_as("bientap").await;
    let tinh = app.login_as("tinh").await;
    let public = app.client();
    let id = create(&editor, &form("Ảnh hội nghị hòa giải", "Chưa có ảnh.")).await;
    // A description is required, and what is not a picture is refused; the typed text stays.
    let r = editor.post_multipart(&format!("/bien-tap/{id}/anh"), &[("alt", "")], Some(("anh.jpg", jpeg_with_exif()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(portal::msg::IMAGE_ALT_MISSING));
    let r = editor.post_multipart(&format!("/bien-tap/{id}/anh"), &[("alt", "Hội nghị tập huấn")], Some(("anh.jpg", b"not a picture".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(documents::picture::PictureError::NotAPicture.message()) && html.contains("Hội nghị tập huấn"), "{html}");
    // A photo with EXIF: made upright (200 × 300), the EXIF gone, kept at its own width.
    let r = editor.post_multipart(&format!("/bien-tap/{id}/anh"), &[("alt", "Hội nghị tập huấn hòa giải viên")], Some(("IMG_0001.JPG", jpeg_with_exif()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let images = portal::store::images_of(&app.db, id).await.unwrap();
    assert_eq!(images.len(), 1);
    let img = &images[0];
    assert_eq!((img.width, img.height), (200, 300));
    assert_eq!(img.sizes.iter().map(|s| s.0).collect::<Vec<_>>(), [200]);
    let r = public.get(&format!("/anh/{}-200.jpg", img.token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && !bytes.windows(4).any(|w| w == b"Exif") && !bytes.windows(3).any(|w| w == b"GPS"));
    assert_eq!(public.get(&format!("/anh/{}-960.jpg", img.token)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(public.get("/anh/../../etc-1.jpg").await.status(), StatusCode::NOT_FOUND);
    let (_, html) = editor.text(&format!("/bien-tap/{id}")).await;
    assert!(html.contains(&format!("(anh:{})", img.token)), "the editor shows the code to paste");
    // The body names it; an unknown picture is an error that keeps the text.
    let mut f = form("Ảnh hội nghị hòa giải", "![Ảnh lạ](anh:0000aaaa)");
    set(&mut f, "version", "1");
    let r = editor.post(&format!("/bien-tap/{id}"), &f).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("anh:0000aaaa"));
    let body = format!("Hội nghị đã diễn ra.\n\n![Hội nghị tập huấn](anh:{})", img.token);
    let mut f = form("Ảnh hội nghị hòa giải", &body);
    set(&mut f, "version", "1");
    assert_eq!(editor.post(&format!("/bien-tap/{id}"), &f).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(editor.post(&format!("/bien-tap/{id}/gui-duyet"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    let (st, html) = public.text(&format!("/tin-tuc/{}", slug_of(&app, id).await)).await;
    assert_eq!(st, StatusCode::OK);
    let src = format!("/anh/{}-200.jpg", img.token);
    assert!(html.contains(&format!("srcset=\"{src} 200w\"")) && html.contains("width=\"200\" height=\"300\"") && html.contains("loading=\"lazy\""), "{html}");
    let og = html.split("property=\"og:image\" content=\"").nth(1).and_then(|t| t.split('"').next()).unwrap_or_default();
    assert!(og.starts_with("http") && og.ends_with(&src), "og:image {og}");
    // Audited.
    let (n,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'portal_image'").fetch_one(p).await).unwrap();
    assert_eq!(n, 1);
}
