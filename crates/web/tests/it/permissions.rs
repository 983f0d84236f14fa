//! Every role against every page route, probing resources of another commune by id.

use domain::account::{Role, Scope};
use reqwest::StatusCode;
use web::routes::{Access, PAGE_ROUTES};

use crate::helpers::TestApp;

/// Text that only someone allowed to see commune 06001's data may receive.
const SECRETS: &[&str] = &["Lành Thị Bích", "xa2@demo.pbgdpl.local", "Ủy ban nhân dân xã Đoàn Kết"];

#[tokio::test]
async fn every_role_against_every_route_with_zero_leaks() {
    let app = TestApp::spawn().await;
    app.create_account("qtxa1", "unit_admin", "05977", false).await;
    app.create_account("hdtinh", "council_member", "20", false).await;
    app.create_account("xemxa1", "viewer", "05977", false).await;
    let users = ["admin", "tinh", "xa1", "congan", "qtxa1", "hdtinh", "xemxa1"];

    let foreign_unit = db::units::by_code(&app.db, "06001", web::views::today()).await.unwrap();
    let foreign_agency = db::agencies::list(&app.db, &foreign_unit.path, &foreign_unit.path, Some(foreign_unit.id), None, 10, 0)
        .await.unwrap().into_iter().find(|a| a.name == "Ủy ban nhân dân xã Đoàn Kết").unwrap();
    let foreign_account = app.account_id("xa2").await;
    let mut tx = app.db.begin().await.unwrap();
    let (_, foreign_token) = db::sessions::create_token(&mut tx, foreign_account, "t", chrono::Duration::days(1)).await.unwrap();
    tx.commit().await.unwrap();

    let mut checked = 0;
    for username in users {
        let account = db::accounts::by_username(&app.db, username).await.unwrap();
        let role = Role::parse(&account.role).unwrap();
        let scope = Scope { global: role == Role::SystemAdmin, unit_path: account.unit_path.clone() };
        let sees_foreign = scope.contains(&foreign_unit.path);
        let s = app.login_as(username).await;
        for (method, template, access) in PAGE_ROUTES.iter().filter(|(_, p, _)| *p != "/dang-xuat") {
            let (path, scoped_target) = if template.starts_with("/don-vi/{id}") {
                (template.replace("{id}", &foreign_unit.id.to_string()), template.ends_with("/thon"))
            } else if template.starts_with("/co-quan/{id}") {
                (template.replace("{id}", &foreign_agency.id.to_string()), true)
            } else if template.starts_with("/tai-khoan/{id}") {
                (template.replace("{id}", &foreign_account.to_string()), true)
            } else if template.contains("/ma-truy-cap/{id}") {
                (template.replace("{id}", &foreign_token.to_string()), true)
            } else {
                (template.to_string(), false)
            };
            let r = if *method == "GET" { s.get(&path).await } else { s.post(&path, &[]).await };
            let status = r.status();
            let body = r.text().await.unwrap();
            let ctx = format!("{username} {method} {path}: {status}");
            assert!(!status.is_server_error(), "{ctx}");
            match access {
                Access::Public => {}
                Access::SignedIn => {
                    if template.contains("{id}") {
                        assert_eq!(status, StatusCode::NOT_FOUND, "{ctx}: another account's token");
                    } else {
                        assert_ne!(status, StatusCode::FORBIDDEN, "{ctx}");
                    }
                }
                Access::Needs(action) => {
                    if !role.allows(*action) {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{ctx}");
                    } else if scoped_target && !sees_foreign {
                        assert_eq!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else {
                        assert!(status != StatusCode::FORBIDDEN && status != StatusCode::NOT_FOUND, "{ctx}");
                    }
                }
            }
            if !sees_foreign {
                for secret in SECRETS {
                    assert!(!body.contains(secret), "{ctx} leaked {secret}");
                }
            }
            checked += 1;
        }
        let r = s.post("/dang-xuat", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        checked += 1;
    }
    assert_eq!(checked, users.len() * PAGE_ROUTES.len());
}

#[tokio::test]
async fn anonymous_requests_are_sent_to_login() {
    let app = TestApp::spawn().await;
    let s = app.client();
    for (method, path, access) in PAGE_ROUTES {
        if *method != "GET" || *access == Access::Public || path.contains('{') {
            continue;
        }
        let r = s.get(path).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(crate::helpers::location(&r), "/dang-nhap", "{path}");
    }
}
