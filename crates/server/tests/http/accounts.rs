use crate::helpers::{PASSWORD, SETUP, TestApp, location};

#[tokio::test]
async fn admin_creates_a_commune_officer_who_must_change_password() {
    let app = TestApp::spawn(&SETUP).await;
    let admin = app.login_as("admin").await;
    let commune = app.unit_id("06001").await;
    let (st, html) = admin.text(&format!("/tai-khoan/moi?don_vi={commune}")).await;
    assert_eq!(st, 200);
    assert!(html.contains("value=\"06001\""));
    // A weak password: errors beside the field and everything typed is kept (but the password).
    let r = admin.post("/tai-khoan/moi", &[("username", "tp.doanket"), ("full_name", "Nông Thị Thuỷ"), ("email", "thuy@doanket.vn"),
        ("role", "justice_officer"), ("unit_code", "06001"), ("agency_id", ""), ("password", "ngan1")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Mật khẩu phải có ít nhất 10 ký tự."));
    assert!(html.contains("value=\"Nông Thị Thuỷ\""));
    assert!(html.contains("value=\"thuy@doanket.vn\""));
    assert!(kernel::db::accounts::by_username(&app.db, "tp.doanket").await.is_err());
    let r = admin.post("/tai-khoan/moi", &[("username", "TP.DoanKet"), ("full_name", "Nông Thị Thuỷ"), ("email", "thuy@doanket.vn"),
        ("role", "justice_officer"), ("unit_code", "06001"), ("agency_id", ""), ("password", "Doan-ket-2026")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/tai-khoan?tb=account_created");
    let created = kernel::db::accounts::by_username(&app.db, "tp.doanket").await.unwrap();
    assert!(created.must_change_password);
    assert_eq!(created.unit_id, commune);
    // Duplicate username.
    let r = admin.post("/tai-khoan/moi", &[("username", "tp.doanket"), ("full_name", "X Y"), ("email", ""),
        ("role", "viewer"), ("unit_code", "06001"), ("agency_id", ""), ("password", "Doan-ket-2026")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Tên đăng nhập này đã được dùng."));

    // First login: forced to change password; every page redirects there.
    let mut officer = app.client();
    let r = officer.try_login("tp.doanket", "Doan-ket-2026").await;
    assert_eq!(location(&r), "/doi-mat-khau");
    officer.refresh_csrf().await;
    for path in ["/", "/don-vi", "/ca-nhan"] {
        let r = officer.get(path).await;
        assert_eq!(location(&r), "/doi-mat-khau", "{path}");
    }
    let r = officer.post("/doi-mat-khau", &[("current", "Doan-ket-2026"), ("new_password", "Doan-ket-2026"), ("confirm", "Doan-ket-2026")]).await;
    assert_eq!(r.status(), 422);
    let r = officer.post("/doi-mat-khau", &[("current", "Doan-ket-2026"), ("new_password", "Hoa-giai-2027"), ("confirm", "Hoa-giai-2027")]).await;
    assert_eq!(r.status(), 303);
    let (st, html) = officer.text("/").await;
    assert_eq!(st, 200);
    assert!(html.contains("Xã Đoàn Kết"));
    assert!(!html.contains("href=\"/tai-khoan\""));
    // Sees its own commune's agencies and the province's, not the other demo commune's.
    let (_, html) = officer.text("/co-quan").await;
    assert!(html.contains("Ủy ban nhân dân xã Đoàn Kết"));
    assert!(html.contains("Sở Tư pháp tỉnh Lạng Sơn"));
    assert!(!html.contains("Ủy ban nhân dân phường Đông Kinh"));
}

#[tokio::test]
async fn unit_admin_cannot_grant_system_admin_or_reach_outside() {
    let app = TestApp::spawn(&SETUP).await;
    app.create_account("qtxa1", "unit_admin", "05977", false).await;
    let s = app.login_as("qtxa1").await;
    let r = s.post("/tai-khoan/moi", &[("username", "boss"), ("full_name", "Ông Chủ"), ("email", ""),
        ("role", "system_admin"), ("unit_code", "05977"), ("agency_id", ""), ("password", "Boss-pass-2026")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Bạn không được cấp vai trò này."));
    let r = s.post("/tai-khoan/moi", &[("username", "spy"), ("full_name", "Gián Điệp"), ("email", ""),
        ("role", "viewer"), ("unit_code", "06001"), ("agency_id", ""), ("password", "Spy-pass-20266")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("ngoài phạm vi quản lý"));
    let other = app.account_id("xa2").await;
    for path in [format!("/tai-khoan/{other}")] {
        let (st, html) = s.text(&path).await;
        assert_eq!(st, 404);
        assert!(!html.contains("Lành Thị Bích"));
    }
    let r = s.post(&format!("/tai-khoan/{other}/trang-thai"), &[]).await;
    assert_eq!(r.status(), 404);
    assert!(kernel::db::accounts::get(&app.db, other).await.unwrap().active);
    // A unit administrator at the province cannot take over the system administrator.
    app.create_account("qttinh", "unit_admin", "20", false).await;
    let p = app.login_as("qttinh").await;
    let admin_id = app.account_id("admin").await;
    let r = p.post(&format!("/tai-khoan/{admin_id}/mat-khau"), &[("password", "Chiem-quyen-2026")]).await;
    assert_eq!(r.status(), 403);
    let r = p.post(&format!("/tai-khoan/{admin_id}/trang-thai"), &[]).await;
    assert_eq!(r.status(), 403);
    let r = p.post(&format!("/tai-khoan/{admin_id}"), &[("full_name", "X"), ("email", ""), ("role", "viewer"), ("unit_code", "20"), ("agency_id", "")]).await;
    assert_eq!(r.status(), 403);
    assert_eq!(kernel::db::accounts::get(&app.db, admin_id).await.unwrap().role, "system_admin");
    let (_, html) = s.text("/tai-khoan").await;
    assert!(html.contains("Hoàng Văn An"));
    assert!(!html.contains("Lành Thị Bích"));
}

#[tokio::test]
async fn deactivation_ends_sessions_and_blocks_login() {
    let app = TestApp::spawn(&SETUP).await;
    let admin = app.login_as("admin").await;
    let victim = app.login_as("xa2").await;
    assert_eq!(victim.get("/").await.status(), 200);
    let id = app.account_id("xa2").await;
    let r = admin.post(&format!("/tai-khoan/{id}/trang-thai"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&victim.get("/ca-nhan").await), "/dang-nhap");
    assert!(!victim.text("/").await.1.contains("Đăng xuất"), "the public home page, signed out");
    let mut again = app.client();
    let r = again.try_login("xa2", PASSWORD).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("vô hiệu hóa"));
    // Reactivate, and a temporary password forces a change.
    admin.post(&format!("/tai-khoan/{id}/trang-thai"), &[]).await;
    let r = admin.post(&format!("/tai-khoan/{id}/mat-khau"), &[("password", "Tam-thoi-2026")]).await;
    assert_eq!(r.status(), 303);
    let mut s = app.client();
    let r = s.try_login("xa2", "Tam-thoi-2026").await;
    assert_eq!(location(&r), "/doi-mat-khau");
}

#[tokio::test]
async fn profile_edit_keeps_input_on_error() {
    let app = TestApp::spawn(&SETUP).await;
    let s = app.login_as("xa1").await;
    let r = s.post("/ca-nhan", &[("full_name", "Hoàng Văn An"), ("email", "không phải email")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Địa chỉ thư điện tử không hợp lệ."));
    assert!(html.contains("value=\"không phải email\""));
    // NFD input is stored as NFC.
    let nfd = "Hoa\u{300}ng Va\u{306}n An";
    let r = s.post("/ca-nhan", &[("full_name", nfd), ("email", "an@x.vn")]).await;
    assert_eq!(r.status(), 303);
    let a = kernel::db::accounts::by_username(&app.db, "xa1").await.unwrap();
    assert_eq!(a.full_name, "Hoàng Văn An");
}
