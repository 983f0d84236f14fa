use crate::helpers::{PASSWORD, SETUP, TestApp, csrf_in, location};

#[tokio::test]
async fn state_changes_without_a_valid_csrf_token_are_rejected() {
    let app = TestApp::spawn(&SETUP).await;
    // Before login, a cookie the attacker planted, with the same token in the form, is refused:
    // the anonymous token is signed by the server, not a plain double submit.
    let planted = format!("{}.{}", "a".repeat(64), "0".repeat(64));
    let r = reqwest::Client::new().post(format!("{}/dang-nhap", app.base))
        .header("cookie", format!("pbgdpl_csrf={planted}"))
        .form(&[("_csrf", planted.as_str()), ("username", "admin"), ("password", crate::helpers::PASSWORD)]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let mut s = app.login_as("admin").await;
    let good = s.csrf.clone();
    s.csrf = "forged".into();
    let r = s.post("/ca-nhan", &[("full_name", "Kẻ Giả Mạo"), ("email", "")]).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Phiên làm việc của biểu mẫu"));
    // A valid token from a cross-site origin is also rejected.
    let r = s.client.post(format!("{}/ca-nhan", s.base)).header("origin", "http://evil.example")
        .form(&[("_csrf", good.as_str()), ("full_name", "Kẻ Giả Mạo"), ("email", "")]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = s.client.post(format!("{}/ca-nhan", s.base)).header("sec-fetch-site", "cross-site")
        .form(&[("_csrf", good.as_str()), ("full_name", "Kẻ Giả Mạo"), ("email", "")]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // Login CSRF: a login form without the anonymous token fails.
    let fresh = app.client();
    let r = fresh.post("/dang-nhap", &[("username", "admin"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), 403);
    let a = kernel::db::accounts::by_username(&app.db, "admin").await.unwrap();
    assert_ne!(a.full_name, "Kẻ Giả Mạo");
    s.csrf = good;
    let r = s.post("/ca-nhan", &[("full_name", "Quản trị viên"), ("email", "")]).await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn repeated_failures_throttle_the_source_not_the_owner() {
    let app = TestApp::spawn_with(&SETUP, |c| c.trusted_proxies = vec!["127.0.0.1".into()]).await;
    let mut attacker = app.client_from("203.0.113.7");
    for i in 0..5 {
        let r = attacker.try_login("xa1", "sai-mat-khau-1").await;
        assert_eq!(r.status(), 422, "attempt {i}");
        let r = attacker.try_login("khong-ai-ca", "sai-mat-khau-1").await;
        assert_eq!(r.status(), 422, "attempt {i} at a missing username");
    }
    // The attacker's address is refused for both names, in the same words: nothing tells an
    // existing account from a missing one, and the right password does not help from there.
    let existing = attacker.try_login("xa1", PASSWORD).await;
    let (s1, b1) = (existing.status(), existing.text().await.unwrap());
    let missing = attacker.try_login("khong-ai-ca", PASSWORD).await;
    let (s2, b2) = (missing.status(), missing.text().await.unwrap());
    assert_eq!(s1, 429);
    assert_eq!(s1, s2);
    let error = |b: &str| b.split("class=\"error").nth(1).map(|r| r.split('<').next().unwrap_or("").to_string()).unwrap_or_default();
    assert_eq!(error(&b1), error(&b2));
    assert!(!b1.contains("khóa"));
    // The owner, elsewhere, signs in; nothing is locked.
    let mut owner = app.client_from("198.51.100.2");
    assert_eq!(owner.try_login("xa1", PASSWORD).await.status(), 303);
    assert!(kernel::db::accounts::by_username(&app.db, "xa1").await.unwrap().locked_until.is_none());
    // The attacker's address may still try other usernames until its own limit.
    assert_eq!(attacker.try_login("xa2", PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    // Without trusted proxies every client here is 127.0.0.1, whatever it claims.
    let app = TestApp::spawn_with(&SETUP, |c| c.login.ip_max_failures = 3).await;
    for (i, addr) in ["192.0.2.1", "192.0.2.2", "192.0.2.3"].iter().enumerate() {
        let mut s = app.client_from(addr);
        assert_eq!(s.try_login(&format!("ai-do-{i}"), "sai").await.status(), 422);
    }
    let mut s = app.client_from("192.0.2.4");
    assert_eq!(s.try_login("admin", PASSWORD).await.status(), 429, "one address, however many it claims");
    // Behind a trusted proxy, one client's failures do not block the others.
    let app = TestApp::spawn_with(&SETUP, |c| {
        c.login.ip_max_failures = 3;
        c.trusted_proxies = vec!["127.0.0.0/8".into()];
    })
    .await;
    let mut noisy = app.client_from("192.0.2.1");
    for i in 0..3 {
        noisy.try_login(&format!("ai-do-{i}"), "sai").await;
    }
    assert_eq!(noisy.try_login("admin", PASSWORD).await.status(), 429);
    let mut other = app.client_from("192.0.2.99");
    assert_eq!(other.try_login("admin", PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn too_many_failures_from_one_address_are_throttled() {
    let app = TestApp::spawn_with(&SETUP, |c| c.login.ip_max_failures = 3).await;
    let mut s = app.client();
    for name in ["a1x", "b2x", "c3x"] {
        s.try_login(name, "sai-mat-khau-1").await;
    }
    let r = s.try_login("admin", PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("quá nhiều lần"));
}

#[tokio::test]
async fn password_reset_by_emailed_token() {
    let app = TestApp::spawn(&SETUP).await;
    let mut s = app.client();
    let (_, html) = s.text("/quen-mat-khau").await;
    s.csrf = csrf_in(&html);
    let r = s.post("/quen-mat-khau", &[("username", "xa1")]).await;
    assert_eq!(location(&r), "/quen-mat-khau?tb=reset_sent");
    // Unknown usernames get the same answer.
    let r = s.post("/quen-mat-khau", &[("username", "khong-co")]).await;
    assert_eq!(location(&r), "/quen-mat-khau?tb=reset_sent");
    let mails = kernel::db::outbox::recent(&app.db, 10).await.unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to_addr, "xa1@demo.pbgdpl.local");
    let link = mails[0].body.lines().find(|l| l.contains("/dat-lai-mat-khau?token=")).unwrap().trim().to_string();
    let path = link.trim_start_matches(&app.base);
    let (st, html) = s.text(path).await;
    assert_eq!(st, 200);
    let token = path.split("token=").nth(1).unwrap();
    s.csrf = csrf_in(&html);
    let r = s.post("/dat-lai-mat-khau", &[("token", token), ("new_password", "ngan"), ("confirm", "ngan")]).await;
    assert_eq!(r.status(), 422);
    let r = s.post("/dat-lai-mat-khau", &[("token", token), ("new_password", "Moi-hoan-toan-9"), ("confirm", "Moi-hoan-toan-9")]).await;
    assert_eq!(location(&r), "/dang-nhap?tb=reset_done");
    // The token works once.
    let r = s.post("/dat-lai-mat-khau", &[("token", token), ("new_password", "Lan-nua-2026x"), ("confirm", "Lan-nua-2026x")]).await;
    assert_eq!(r.status(), 422);
    app.login_with("xa1", "Moi-hoan-toan-9").await;
    // At most three reset mails per account and hour.
    for _ in 0..4 {
        s.post("/quen-mat-khau", &[("username", "xa2")]).await;
    }
    let to_xa2 = kernel::db::outbox::recent(&app.db, 20).await.unwrap().into_iter().filter(|m| m.to_addr.starts_with("xa2@")).count();
    assert_eq!(to_xa2, 3);
    // The admin sees the mail in the development outbox.
    let admin = app.login_as("admin").await;
    let (_, html) = admin.text("/he-thong/hop-thu").await;
    assert!(html.contains("Đặt lại mật khẩu"));
}

#[tokio::test]
async fn session_cookie_is_http_only_and_logout_ends_it() {
    let app = TestApp::spawn(&SETUP).await;
    let mut s = app.client();
    let r = s.try_login("xa1", PASSWORD).await;
    let cookie = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).find(|c| c.starts_with("pbgdpl_session=")).unwrap();
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    s.refresh_csrf().await;
    let r = s.post("/dang-xuat", &[]).await;
    assert_eq!(location(&r), "/dang-nhap");
    assert_eq!(location(&s.get("/ca-nhan").await), "/dang-nhap");
}

#[tokio::test]
async fn bad_input_never_crashes() {
    let app = TestApp::spawn(&SETUP).await;
    let s = app.login_as("admin").await;
    for path in ["/don-vi/abc", "/don-vi/99999999", "/tai-khoan/-1", "/co-quan/1e9", "/khong-ton-tai", "/nhat-ky?trang=abc", "/nhat-ky?tu_ngay=99/99/9999"] {
        let r = s.get(path).await;
        assert!(r.status().is_client_error() || r.status() == 200, "{path}: {}", r.status());
        let html = r.text().await.unwrap();
        assert!(html.contains("lang=\"vi\""), "{path}");
        // Errors keep the signed-in user's menu.
        assert!(html.contains("Đăng xuất"), "{path}");
    }
    // Oversized body.
    let big = "x".repeat(3 * 1024 * 1024);
    let r = s.post("/ca-nhan", &[("full_name", big.as_str())]).await;
    assert!(r.status().is_client_error());
    let (st, _) = s.text("/healthz").await;
    assert_eq!(st, 200);
    let (st, body) = s.text("/metrics").await;
    assert_eq!(st, 200, "from this machine without a token");
    assert!(body.contains("http_requests_total"));
}

#[tokio::test]
async fn metrics_need_the_configured_token_and_cookies_follow_https() {
    let app = TestApp::spawn_with(&SETUP, |c| c.metrics_token = "bi-mat-cua-prometheus".into()).await;
    let client = reqwest::Client::new();
    let url = format!("{}/metrics", app.base);
    assert_eq!(client.get(&url).send().await.unwrap().status(), 404);
    assert_eq!(client.get(&url).bearer_auth("sai").send().await.unwrap().status(), 404);
    let r = client.get(&url).bearer_auth("bi-mat-cua-prometheus").send().await.unwrap();
    assert_eq!(r.status(), 200);
    // An https public address makes every cookie Secure.
    let mut c = server::Config { base_url: "https://pbgdpl.langson.gov.vn".into(), ..server::Config::default() };
    assert!(c.cookies_secure());
    c.base_url = "http://127.0.0.1:8080".into();
    assert!(!c.cookies_secure());
    assert!(!server::Config::default().redacted_toml().contains("bi-mat"));
    let c = server::Config { metrics_token: "bi-mat".into(), ..server::Config::default() };
    assert!(!c.redacted_toml().contains("bi-mat"));
}
