use kernel::db::audit::AuditFilter;

use crate::helpers::{SETUP, TestApp};

#[tokio::test]
async fn writes_are_audited_with_before_and_after() {
    let app = TestApp::spawn(&SETUP).await;
    let admin = app.login_as("admin").await;
    let agencies = kernel::db::agencies::list(&app.db, "%", "", None, Some("Sở Tư pháp"), 5, 0).await.unwrap();
    let stp = &agencies[0];
    let r = admin.post(&format!("/co-quan/{}", stp.id), &[("unit_code", "20"), ("kind_code", "justice_department"),
        ("name", "Sở Tư pháp tỉnh Lạng Sơn"), ("abbreviation", "STP"), ("aliases", "Sở TP Lạng Sơn\nSTP LS"), ("active", "on")]).await;
    assert_eq!(r.status(), 303);
    let rows = kernel::db::audit::list(&app.db, &AuditFilter { scope_pattern: "%".into(), entity: Some("agency".into()), action: Some("update".into()), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(rows.len(), 1);
    let e = &rows[0];
    assert_eq!(e.username.as_deref(), Some("admin"));
    assert!(e.request_id.as_deref().is_some_and(|r| !r.is_empty()));
    assert_eq!(e.before_data.as_ref().unwrap().0["abbreviation"], serde_json::Value::Null);
    assert_eq!(e.after_data.as_ref().unwrap().0["abbreviation"], "STP");
    // Aliases make the agency findable by what plans write.
    let found = kernel::db::agencies::list(&app.db, "%", "", None, Some("stp ls"), 5, 0).await.unwrap();
    assert_eq!(found.len(), 1);
    // The audit page lists it, and filters work.
    let (st, html) = admin.text("/nhat-ky?doi_tuong=agency").await;
    assert_eq!(st, 200);
    assert!(html.contains("Sửa cơ quan Sở Tư pháp tỉnh Lạng Sơn"));
    let (_, html) = admin.text("/nhat-ky?nguoi_dung=khong-ai").await;
    assert!(html.contains("Không có mục nào."));
    // Logins are audited too.
    let logins = kernel::db::audit::list(&app.db, &AuditFilter { scope_pattern: "%".into(), action: Some("login".into()), limit: 10, ..Default::default() }).await.unwrap();
    assert!(!logins.is_empty());
}

#[tokio::test]
async fn audit_is_limited_to_the_administrators_scope() {
    let app = TestApp::spawn(&SETUP).await;
    app.create_account("qtxa2", "unit_admin", "06001", false).await;
    let xa1 = app.login_as("xa1").await;
    let own = app.unit_id("05977").await;
    xa1.post(&format!("/don-vi/{own}/thon"), &[("name", "Thôn Bí Mật"), ("kind", "thon")]).await;
    let s = app.login_as("qtxa2").await;
    let (st, html) = s.text("/nhat-ky").await;
    assert_eq!(st, 200);
    assert!(!html.contains("Thôn Bí Mật"));
    let admin = app.login_as("admin").await;
    let (_, html) = admin.text("/nhat-ky").await;
    assert!(html.contains("Thôn Bí Mật"));
    // A justice officer has no audit page.
    assert_eq!(xa1.get("/nhat-ky").await.status(), 403);
}
