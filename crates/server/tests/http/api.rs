use kernel::account::{Role, Scope};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::routes::api_routes;

use crate::helpers::{PASSWORD, SETUP, TestApp};

async fn token(app: &TestApp, username: &str) -> String {
    let r = reqwest::Client::new().post(format!("{}/api/v1/tokens", app.base))
        .json(&json!({"username": username, "password": PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "token for {username}");
    r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
}

async fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new().get(format!("{}{}", app.base, path)).bearer_auth(token).send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn tokens_units_and_openapi() {
    let app = TestApp::spawn(&SETUP).await;
    let c = reqwest::Client::new();
    let r = c.post(format!("{}/api/v1/tokens", app.base)).json(&json!({"username": "xa1", "password": "sai-mat-khau-9"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.json::<Value>().await.unwrap()["message"].as_str().unwrap().contains("không đúng"));
    let r = c.post(format!("{}/api/v1/tokens", app.base)).header("content-type", "application/json").body("{không phải json").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let t = token(&app, "xa1").await;
    let (s, _) = get(&app, "sai", "/api/v1/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, me) = get(&app, &t, "/api/v1/me").await;
    assert_eq!(s, 200);
    assert_eq!(me["username"], "xa1");
    assert!(me.get("password_hash").is_none());

    let (s, v) = get(&app, &t, "/api/v1/units?level=province&valid_on=2026-01-01&limit=100").await;
    assert_eq!(s, 200);
    assert_eq!(v["items"].as_array().unwrap().len(), 34);
    let (_, v) = get(&app, &t, "/api/v1/units?level=province&valid_on=2025-06-30&limit=100").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 63);
    let (_, v) = get(&app, &t, "/api/v1/units?level=commune&parent=20&limit=1000").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 65);
    let (s, v) = get(&app, &t, "/api/v1/units?valid_on=31-02-2026").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["message"], kernel::msg::INVALID_DATE);
    let (s, _) = get(&app, &t, "/api/v1/units?limit=abc").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = get(&app, &t, "/api/v1/units/24?valid_on=2025-06-30").await;
    assert_eq!(s, 200);
    assert_eq!(v["name"], "Tỉnh Bắc Giang");
    assert!(v["successors"].as_array().unwrap().iter().any(|u| u["code"] == "24"));
    let (_, v) = get(&app, &t, "/api/v1/units/24").await;
    assert!(v["predecessors"].as_array().unwrap().iter().any(|u| u["name"] == "Tỉnh Bắc Giang"));
    let (s, _) = get(&app, &t, "/api/v1/units/99999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let r = c.get(format!("{}/api/v1/openapi.json", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert!(doc["paths"]["/api/v1/units/{code}"].is_object());

    // List and revoke tokens.
    let (_, v) = get(&app, &t, "/api/v1/tokens").await;
    let id = v["items"][0]["id"].as_i64().unwrap();
    let r = c.delete(format!("{}/api/v1/tokens/{id}", app.base)).bearer_auth(&t).send().await.unwrap();
    assert!(r.status().is_success());
    let (s, _) = get(&app, &t, "/api/v1/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let n = kernel::db::audit::count_for_entity(&app.db, "api_token", &id.to_string()).await.unwrap();
    assert!(n >= 1);
}

/// Every role against every API route, probing another commune's resources: 0 leaks.
#[tokio::test]
async fn api_permission_matrix() {
    let app = TestApp::spawn(&SETUP).await;
    app.create_account("qtxa1", "unit_admin", "05977", false).await;
    app.create_account("xemxa1", "viewer", "05977", false).await;
    let foreign_unit = kernel::db::units::by_code(&app.db, "06001", kernel::page::today()).await.unwrap();
    let foreign_agency = kernel::db::agencies::list(&app.db, &foreign_unit.path, &foreign_unit.path, Some(foreign_unit.id), None, 10, 0)
        .await.unwrap().into_iter().find(|a| a.name == "Ủy ban nhân dân xã Đoàn Kết").unwrap();
    let foreign_account = app.account_id("xa2").await;
    let xa2_token = token(&app, "xa2").await;
    let (_, v) = get(&app, &xa2_token, "/api/v1/tokens").await;
    let foreign_token = v["items"][0]["id"].as_i64().unwrap();
    let reports = crate::permissions::foreign_report(&app, foreign_unit.id).await;
    let legal = crate::permissions::foreign_assessment(&app, foreign_unit.id).await;
    let survey = crate::permissions::foreign_survey(&app, foreign_unit.id).await;
    let (team, _) = crate::permissions::foreign_mediation(&app, foreign_unit.id).await;
    let province = kernel::db::units::by_code(&app.db, "20", kernel::page::today()).await.unwrap();
    // Public items (a published article and page, answer and draft), the same for every role.
    let article = portal::store::public_news(&app.db, kernel::now(), &Default::default(), 1, 0).await.unwrap().remove(0).slug;
    let page = portal::store::public_pages(&app.db, kernel::now()).await.unwrap().remove(0).0;
    let answer = inquiries::store::public_list(&app.db, &Default::default(), 1, 0).await.unwrap().remove(0).id;
    let draft = drafts::store::public_drafts(&app.db, kernel::page::today()).await.unwrap().remove(0).id;
    let contest = public_contest(&app, foreign_unit.id).await;
    // A round of commune 06001's own (draft) contest: its statistics are for its organisers.
    let (_, _, foreign_round) = crate::permissions::foreign_contest(&app, foreign_unit.id).await;
    for username in ["admin", "tinh", "xa1", "congan", "qtxa1", "xemxa1", "hgv1"] {
        let account = kernel::db::accounts::by_username(&app.db, username).await.unwrap();
        let role = Role::parse(&account.role).unwrap();
        let scope = Scope { global: role == Role::SystemAdmin, unit_path: account.unit_path.clone() };
        let sees = scope.contains(&foreign_unit.path);
        // An agency's focal point sees only its agency's reports.
        let sees_report = sees && role != Role::AgencyFocal;
        let sees_round = scope.contains(&province.path) && role != Role::AgencyFocal;
        let t = token(&app, username).await;
        for (method, template, action) in api_routes().iter() {
            if *method == "POST" || *method == "PUT" {
                continue;
            }
            let path = template
                .replace("/agencies/{id}", &format!("/agencies/{}", foreign_agency.id))
                .replace("/accounts/{id}", &format!("/accounts/{foreign_account}"))
                .replace("/tokens/{id}", &format!("/tokens/{foreign_token}"))
                .replace("/legal-access/rounds/{id}", &format!("/legal-access/rounds/{}", legal.round))
                .replace("/reports/{id}", &format!("/reports/{}", reports.report))
                .replace("/rounds/{id}", &format!("/rounds/{}", reports.round))
                .replace("/surveys/{id}", &format!("/surveys/{survey}"))
                .replace("/mediation/teams/{id}", &format!("/mediation/teams/{team}"))
                .replace("/portal/articles/{slug}", &format!("/portal/articles/{article}"))
                .replace("/portal/pages/{slug}", &format!("/portal/pages/{page}"))
                .replace("/inquiries/answers/{id}", &format!("/inquiries/answers/{answer}"))
                .replace("/drafts/{id}", &format!("/drafts/{draft}"))
                .replace("/contests/{id}/rounds/{round}", &format!("/contests/{}/rounds/{}", contest.contest, contest.round))
                .replace("/contests/rounds/{round}", &format!("/contests/rounds/{foreign_round}"))
                .replace("/contests/certificates/{code}", &format!("/contests/certificates/{}", contest.certificate))
                .replace("/contests/{id}", &format!("/contests/{}", contest.contest))
                .replace("{code}", "06001");
            let c = reqwest::Client::new();
            let r = if *method == "DELETE" { c.delete(format!("{}{}", app.base, path)) } else { c.get(format!("{}{}", app.base, path)) }
                .bearer_auth(&t).send().await.unwrap();
            let status = r.status();
            let body = r.text().await.unwrap();
            let ctx = format!("{username} {method} {path}: {status}");
            assert!(!status.is_server_error(), "{ctx}");
            if let Some(a) = action && !role.allows(*a) {
                assert_eq!(status, StatusCode::FORBIDDEN, "{ctx}");
            } else if template.contains("/legal-access/rounds/{id}") {
                // The province's round is visible to every account of the province; a commune's
                // account receives only its own line.
                assert_eq!(status, StatusCode::OK, "{ctx}");
                if !sees {
                    assert!(!body.contains(&format!("\"id\":{}", legal.assessment)), "{ctx}: another commune's assessment");
                }
            } else if template.contains("/reports/{id}") || template.contains("/rounds/{id}") {
                let visible = if template.contains("/rounds/") { sees_round } else { sees_report };
                assert_eq!(status, if visible { StatusCode::OK } else { StatusCode::NOT_FOUND }, "{ctx}");
            } else if template.ends_with("/mediation/teams/{id}/book") {
                // The tracking book names the parties: the team and its own commune only.
                assert_eq!(status, StatusCode::NOT_FOUND, "{ctx}");
            } else if template.starts_with("/api/v1/contests/rounds/") {
                // A round's live statistics: the organisers whose scope holds the organiser unit.
                assert_eq!(status, if sees { StatusCode::OK } else { StatusCode::NOT_FOUND }, "{ctx}");
            } else if ["/api/v1/portal/", "/api/v1/inquiries/", "/api/v1/drafts", "/api/v1/contests"].iter().any(|p| template.starts_with(p)) {
                // What the public pages show, to every role.
                assert_eq!(status, StatusCode::OK, "{ctx}");
            } else if path.contains("/tokens/") || (template.contains("{id}") && !sees) {
                assert_eq!(status, StatusCode::NOT_FOUND, "{ctx}");
            } else {
                assert_eq!(status, StatusCode::OK, "{ctx}");
            }
            if !sees {
                for secret in ["Lành Thị Bích", "xa2@demo.pbgdpl.local", "Ủy ban nhân dân xã Đoàn Kết"] {
                    assert!(!body.contains(secret), "{ctx} leaked {secret}");
                }
            }
        }
    }
    // xa2's token survived every probe.
    let (s, _) = get(&app, &xa2_token, "/api/v1/me").await;
    assert_eq!(s, 200);
}

/// What the contests' public API shows, for the matrix: the demo contest, its round with its
/// winners published, and a certificate held by someone of commune 06001.
struct PublicContest {
    contest: i64,
    round: i64,
    certificate: String,
}

async fn public_contest(app: &TestApp, commune: i64) -> PublicContest {
    let c = contests::store::published_contests(&app.db).await.unwrap().remove(0);
    let round = contests::store::rounds(&app.db, c.id).await.unwrap().remove(0);
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => kernel::sqlx::query("UPDATE contest_rounds SET ends_at = $1 WHERE id = $2").bind(kernel::now() - chrono::Duration::minutes(5)).bind(round.id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    let round = contests::store::round(&app.db, round.id).await.unwrap();
    let tinh = app.account_id("tinh").await;
    contests::service::publish_results(&app.db, &kernel::db::audit::Actor::cli(), tinh, &c, &round, kernel::now()).await.unwrap().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let new = contests::store::NewEntrant { contest_id: c.id, full_name: "Người dự thi Đoàn Kết", birth_year: 1990, contact: "0919000001", commune_id: commune, id_hash: None };
    let entrant = contests::store::insert_entrant(&mut tx, &new).await.unwrap();
    let k = contests::store::NewCertificate { round_id: round.id, entrant_id: entrant, position: 0, prize: "", full_name: new.full_name, commune_name: "Xã Đoàn Kết", issuer: &c.unit_name };
    let certificate = contests::store::put_certificate(&mut tx, &k, &contests::service::new_certificate_code(), kernel::now()).await.unwrap();
    tx.commit().await.unwrap();
    PublicContest { contest: c.id, round: round.id, certificate }
}

#[tokio::test]
async fn api_needs_password_change_first() {
    let app = TestApp::spawn(&SETUP).await;
    app.create_account("moi", "justice_officer", "05977", true).await;
    let r = reqwest::Client::new().post(format!("{}/api/v1/tokens", app.base))
        .json(&json!({"username": "moi", "password": PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.json::<Value>().await.unwrap()["message"], kernel::msg::MUST_CHANGE_PASSWORD);
}

#[tokio::test]
async fn a_password_change_or_reset_revokes_the_api_tokens() {
    let app = TestApp::spawn(&SETUP).await;
    // Change by the user: other sessions and every token end; the session making it stays.
    let t = token(&app, "xa1").await;
    assert_eq!(get(&app, &t, "/api/v1/me").await.0, StatusCode::OK);
    let other = app.login_as("xa1").await;
    let s = app.login_as("xa1").await;
    let r = s.post("/doi-mat-khau", &[("current", PASSWORD), ("new_password", "Moi-hoan-toan-9"), ("confirm", "Moi-hoan-toan-9")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "password changed");
    assert_eq!(get(&app, &t, "/api/v1/me").await.0, StatusCode::UNAUTHORIZED, "token minted before the change");
    assert_eq!(s.get("/ca-nhan").await.status(), StatusCode::OK, "the session that changed it stays");
    assert_eq!(other.get("/ca-nhan").await.status(), StatusCode::SEE_OTHER, "other sessions end");
    // Reset by e-mailed token.
    let t = token(&app, "xa2").await;
    let mut anon = app.client();
    let (_, html) = anon.text("/quen-mat-khau").await;
    anon.csrf = crate::helpers::csrf_in(&html);
    anon.post("/quen-mat-khau", &[("username", "xa2")]).await;
    let mail = kernel::db::outbox::recent(&app.db, 10).await.unwrap().into_iter().find(|m| m.to_addr.starts_with("xa2@")).unwrap();
    let link = mail.body.lines().find(|l| l.contains("/dat-lai-mat-khau?token=")).unwrap().trim().to_string();
    let path = link.trim_start_matches(&app.base).to_string();
    let (_, html) = anon.text(&path).await;
    anon.csrf = crate::helpers::csrf_in(&html);
    let reset = path.split("token=").nth(1).unwrap();
    let r = anon.post("/dat-lai-mat-khau", &[("token", reset), ("new_password", "Moi-hoan-toan-9"), ("confirm", "Moi-hoan-toan-9")]).await;
    assert_eq!(crate::helpers::location(&r), "/dang-nhap?tb=reset_done");
    assert_eq!(get(&app, &t, "/api/v1/me").await.0, StatusCode::UNAUTHORIZED, "token minted before the reset");
}
