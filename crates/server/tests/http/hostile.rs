//! The classic hostile inputs sent to every field of every form of every page route, and to the
//! API's text and figure fields: each answer is a clean 4xx or a clean save (never a 5xx), and no
//! page afterwards shows a payload unescaped. The routes come from the route table and the
//! fields from the forms the pages render, so new capabilities are covered without new code.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use server::routes::page_routes;

use crate::helpers::{SETUP, TestApp};
use crate::permissions::{foreign_plan, foreign_report};

const XSS: &str = "<script>alert('xss')</script>";
const XSS_ATTR: &str = "\"><img src=x onerror=alert(1)>";

fn payloads() -> Vec<String> {
    vec![
        XSS.into(),
        XSS_ATTR.into(),
        "' OR 1=1; DROP TABLE accounts; --".into(),
        "%_\\%".into(),
        "nul\0byte".into(),
        "\u{202E}gpj.exe\u{200B}\u{2066}".into(),
        "x".repeat(100_000),
        "9223372036854775808".into(),
        "-9.223.372.036.854.775.809".into(),
        "1e309".into(),
        "31/02/2024".into(),
        "99/99/99999".into(),
        String::new(),
    ]
}

/// The field names of the forms on `html` that post to `action`.
fn fields_of(html: &str, action: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for form in html.split("<form").skip(1) {
        let head = form.split('>').next().unwrap_or("");
        if !head.contains(&format!("action=\"{action}\"")) {
            continue;
        }
        let body = form.split("</form>").next().unwrap_or("");
        for part in body.split("name=\"").skip(1) {
            let name = part.split('"').next().unwrap_or("");
            if !name.is_empty() && name != "_csrf" {
                out.insert(name.to_string());
            }
        }
    }
    out
}

#[tokio::test]
async fn hostile_input_everywhere_gets_a_clean_answer_and_escaped_output() {
    let app = TestApp::spawn(&SETUP).await;
    let unit = kernel::db::units::by_code(&app.db, "06001", kernel::page::today()).await.unwrap();
    let (plan, task, file) = foreign_plan(&app, unit.id).await;
    let ids = foreign_report(&app, unit.id).await;
    let agency = kernel::db::agencies::list(&app.db, &unit.path, &unit.path, Some(unit.id), None, 10, 0).await.unwrap()[0].id;
    let account = app.create_account("hostile", "viewer", "06001", false).await;
    let admin = app.login_as("admin").await;
    let filler = app.login_as("xa2").await;
    let fill = |p: &str| {
        p.replace("/don-vi/{id}", &format!("/don-vi/{}", unit.id))
            .replace("/co-quan/{id}", &format!("/co-quan/{agency}"))
            .replace("/tai-khoan/{id}", &format!("/tai-khoan/{account}"))
            .replace("/ke-hoach/{id}", &format!("/ke-hoach/{plan}"))
            .replace("/nhiem-vu/{id}", &format!("/nhiem-vu/{task}"))
            .replace("/tep/{id}", &format!("/tep/{file}"))
            .replace("/bao-cao/bieu-mau/{id}", &format!("/bao-cao/bieu-mau/{}", ids.form))
            .replace("/bao-cao/lich/{id}", &format!("/bao-cao/lich/{}", ids.schedule))
            .replace("/bao-cao/ky/{id}", &format!("/bao-cao/ky/{}", ids.round))
            .replace("/bao-cao/{id}", &format!("/bao-cao/{}", ids.report))
    };
    let routes = page_routes();
    let skip = ["/dang-xuat", "/dang-nhap", "/ca-nhan/ma-truy-cap/{id}/thu-hoi", "/tai-khoan/{id}/trang-thai"];
    let mut posts: Vec<&str> = routes.iter().filter(|(m, p, _)| *m == "POST" && !skip.contains(p)).map(|(_, p, _)| *p).collect();
    // Deletions last, so the other routes still find their targets.
    posts.sort_by_key(|p| p.ends_with("/xoa"));
    let mut sent = 0;
    let mut fields_seen = 0;
    for template in posts {
        let path = fill(template);
        let session = if template.starts_with("/bao-cao/{id}") { &filler } else { &admin };
        // The form that posts here: on the page itself, or on a page above it.
        let mut fields = BTreeSet::new();
        let mut page = path.clone();
        loop {
            let (status, html) = session.text(&page).await;
            if status == StatusCode::OK {
                fields = fields_of(&html, &path);
                if !fields.is_empty() {
                    break;
                }
            }
            match page.rsplit_once('/') {
                Some((up, _)) if !up.is_empty() => page = up.to_string(),
                _ => break,
            }
        }
        if fields.is_empty() {
            fields.insert("ten".into());
        }
        fields_seen += fields.len();
        let multipart = ["/ke-hoach/nhap", "/nhiem-vu/{id}/cap-nhat", "/bao-cao/{id}/nhap-excel"].contains(&template);
        for payload in payloads() {
            let values: Vec<(&str, &str)> = fields.iter().map(|f| (f.as_str(), payload.as_str())).collect();
            let r = if multipart {
                session.post_multipart(&path, &values, Some(("tep.txt", payload.as_bytes().to_vec()))).await
            } else {
                session.post(&path, &values).await
            };
            let status = r.status();
            let shown: String = payload.chars().take(20).collect();
            assert!(!status.is_server_error(), "POST {path} with {shown:?}: {status}");
            let body = r.text().await.unwrap_or_default();
            assert!(!body.contains(XSS) && !body.contains("<img src=x onerror"), "POST {path} echoed a payload unescaped");
            sent += 1;
        }
    }
    // Every page afterwards: the payloads stored anywhere come back escaped.
    for (method, template, _) in routes.iter() {
        if *method != "GET" || template.ends_with(".docx") || template.ends_with(".xlsx") || template.starts_with("/tep/") {
            continue;
        }
        for session in [&admin, &filler] {
            let (status, html) = session.text(&fill(template)).await;
            assert!(!status.is_server_error(), "GET {template}: {status}");
            assert!(!html.contains(XSS) && !html.contains("<img src=x onerror"), "GET {template} shows a payload unescaped");
        }
    }
    // The API's text and figure fields.
    let client = reqwest::Client::new();
    for payload in payloads() {
        let r = client.post(format!("{}/api/v1/tokens", app.base))
            .json(&serde_json::json!({"username": payload, "password": payload, "name": payload})).send().await.unwrap();
        assert!(r.status().is_client_error(), "{}", r.status());
    }
    let t: serde_json::Value = client.post(format!("{}/api/v1/tokens", app.base))
        .json(&serde_json::json!({"username": "xa2", "password": crate::helpers::PASSWORD})).send().await.unwrap().json().await.unwrap();
    let bearer = format!("Bearer {}", t["token"].as_str().unwrap());
    for payload in payloads() {
        let body = serde_json::json!({"version": payload, "values": {"cases_received": payload, payload.clone(): 1, "notes": payload}});
        let r = client.put(format!("{}/api/v1/reports/{}/values", app.base, ids.report)).header("authorization", &bearer).json(&body).send().await.unwrap();
        assert!(r.status().is_client_error(), "{}", r.status());
        // (A 100,000-character query string is no valid URL to send; 2,000 characters are.)
        let payload: String = payload.chars().take(2000).collect();
        for q in ["q", "limit", "offset", "level", "on", "round"] {
            let r = client.get(format!("{}/api/v1/units", app.base)).header("authorization", &bearer).query(&[(q, payload.as_str())]).send().await.unwrap();
            assert!(!r.status().is_server_error(), "?{q}=…: {}", r.status());
        }
    }
    assert!(sent > 400 && fields_seen > 80, "{sent} posts, {fields_seen} fields");
    println!("hostile input: {sent} form posts over {fields_seen} fields, every answer clean");
}
