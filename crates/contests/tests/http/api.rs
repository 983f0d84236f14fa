//! The contests' JSON API over HTTP: the published contests with their rounds and generated
//! rules (never the bank), a round's winners only once published and never with a contact, the
//! certificate check (valid, revoked, unknown), and a round's live statistics for the organiser
//! in scope (404 outside it, 403 without the action, 401 without a token).

use contests::store;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{SETUP, TestApp, a_commune, demo_contest, demo_round, end_round, entrant, sit};

async fn token(app: &TestApp, username: &str) -> String {
    let r = reqwest::Client::new().post(format!("{}/api/v1/tokens", app.base)).json(&json!({"username": username, "password": testkit::PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "token for {username}");
    r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
}

/// GET with the token (none when empty): the status, the body as text and as JSON.
async fn api(app: &TestApp, token: &str, path: &str) -> (StatusCode, String, Value) {
    let mut req = reqwest::Client::new().get(format!("{}{}", app.base, path));
    if !token.is_empty() {
        req = req.bearer_auth(token);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, text, json)
}

/// A 404 with the shared error body.
fn assert_not_found(status: StatusCode, body: &Value, ctx: &str) {
    assert_eq!(status, StatusCode::NOT_FOUND, "{ctx}: {body}");
    assert_eq!(body["error"], "not_found", "{ctx}");
}

/// A 400 naming the parameter.
fn assert_bad(status: StatusCode, body: &Value, param: &str, ctx: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{ctx}: {body}");
    assert_eq!((body["error"].as_str(), body["param"].as_str()), (Some("bad_request"), Some(param)), "{ctx}");
}

/// A round's settings, to insert another like it.
fn round_input(r: &store::Round) -> store::RoundInput {
    store::RoundInput {
        title: r.title.clone(), starts_at: r.starts_at, ends_at: r.ends_at, time_limit_s: r.time_limit_s, grace_s: r.grace_s, max_attempts: r.max_attempts,
        counting: r.counting, quotas: r.quotas.clone(), prediction: r.prediction, prediction_text: r.prediction_text.clone(), keys: r.keys.clone(),
        prizes: r.prizes.clone(), show_answers: r.show_answers,
    }
}

/// A draft contest of the province with one draft round: (contest, round).
async fn draft_contest(app: &TestApp, title: &str) -> (i64, i64) {
    let unit = app.unit_id("20").await;
    let input = store::ContestInput { title: title.into(), area_unit_id: unit, ..Default::default() };
    let now = kernel::now();
    let round = store::RoundInput {
        title: "Vòng nháp".into(), starts_at: now, ends_at: now + chrono::Duration::days(1), time_limit_s: 600, grace_s: 5, max_attempts: 1,
        counting: contests::rules::settings::Counting::Best,
        quotas: vec![contests::rules::settings::Quota { topic: String::new(), difficulty: String::new(), count: 1 }],
        prediction: None, prediction_text: String::new(), keys: contests::rules::settings::RankKey::DEFAULT.to_vec(), prizes: vec![],
        show_answers: contests::rules::settings::ShowAnswers::OnSubmit,
    };
    let mut tx = app.db.begin().await.unwrap();
    let id = store::insert_contest(&mut tx, unit, &input).await.unwrap();
    let r = store::insert_round(&mut tx, id, &round).await.unwrap();
    tx.commit().await.unwrap();
    (id, r)
}

#[tokio::test]
async fn the_contests_api_lists_published_contests_with_their_rules_and_never_the_bank() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let (draft, draft_round) = draft_contest(&app, "Cuộc thi chưa công bố").await;
    let t = token(&app, "xa1").await;

    let (status, text, list) = api(&app, &t, "/api/v1/contests").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!((list["total"].as_i64(), list["limit"].as_i64(), list["offset"].as_i64()), (Some(1), Some(100), Some(0)), "{list}");
    let item = &list["items"][0];
    assert_eq!(item["id"].as_i64(), Some(c.id));
    assert_eq!(item["title"], c.title.as_str());
    assert_eq!(item["organiser"], c.unit_name.as_str());
    assert_eq!(item["area_name"], c.area_name.as_str());
    assert_eq!(item["min_age"].as_i64(), Some(15));
    assert_eq!(item["status"], "open");
    assert_eq!(item["href"], format!("/cuoc-thi/{}", c.id));
    let r = &item["rounds"][0];
    assert_eq!((r["id"].as_i64(), r["number"].as_i64(), r["title"].as_str()), (Some(round.id), Some(1), Some("Vòng 1")));
    assert_eq!((r["question_count"].as_i64(), r["time_limit_s"].as_i64(), r["attempts_allowed"].as_i64(), r["status"].as_str()), (Some(10), Some(900), Some(3), Some("open")));
    let starts = chrono::DateTime::parse_from_rfc3339(r["starts_at"].as_str().unwrap()).unwrap();
    assert_eq!(starts.timestamp(), round.starts_at.timestamp(), "RFC 3339");
    assert!(chrono::DateTime::parse_from_rfc3339(r["ends_at"].as_str().unwrap()).is_ok());
    assert!(!text.contains("Cuộc thi chưa công bố"), "a draft contest is not listed");
    let (_, _, page) = api(&app, &t, "/api/v1/contests?limit=1&offset=1").await;
    assert_eq!((page["items"].as_array().map(Vec::len), page["total"].as_i64()), (Some(0), Some(1)));

    let (status, text, d) = api(&app, &t, &format!("/api/v1/contests/{}", c.id)).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["intro"], c.intro.as_str());
    assert_eq!(d["rules"], json!([contests::msg::rules_organiser(&c.unit_name), contests::msg::rules_audience(&c.area_name, c.min_age, c.require_id_number)]));
    assert_eq!(d["one_prize_per_person"], false);
    assert_eq!(d["winners_href"], format!("/cuoc-thi/{}/giai-thuong", c.id));
    let r = &d["rounds"][0];
    assert_eq!((r["id"].as_i64(), r["status"].as_str(), r["question_count"].as_i64()), (Some(round.id), Some("open"), Some(10)));
    let quotas: Vec<(String, String, i64)> = r["quotas"].as_array().unwrap().iter().map(|q| (q["topic"].as_str().unwrap().into(), q["difficulty"].as_str().unwrap().into(), q["count"].as_i64().unwrap())).collect();
    assert_eq!(quotas[0], ("Bầu cử".to_string(), String::new(), 4));
    assert_eq!(quotas[2], (String::new(), "kho".to_string(), 1));
    assert_eq!(r["quotas"][2]["difficulty_label"], "Khó");
    assert_eq!((r["counting"].as_str(), r["show_answers"].as_str()), (Some("best"), Some("on_submit")));
    assert_eq!(r["prediction"]["kind"], "correct_all_count");
    assert_eq!(r["prediction"]["question"], round.prediction_text.as_str());
    let keys: Vec<&str> = r["ranking_keys"].as_array().unwrap().iter().map(|k| k["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["score", "prediction", "duration", "started", "registered"]);
    assert_eq!(r["ranking_keys"][4]["label"], contests::msg::FINAL_KEY);
    let prizes: Vec<(&str, i64, i64)> = r["prizes"].as_array().unwrap().iter().map(|p| (p["name"].as_str().unwrap(), p["count"].as_i64().unwrap(), p["amount"].as_i64().unwrap())).collect();
    assert_eq!(prizes, [("Giải Nhất", 1, 2_000_000), ("Giải Nhì", 2, 1_000_000), ("Giải Ba", 3, 500_000)]);
    assert_eq!(r["winners_published"], false);
    let rules: Vec<&str> = r["rules"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(rules.contains(&contests::msg::rules_minutes(15).as_str()) && rules.contains(&contests::msg::rules_attempts(3, contests::msg::COUNT_BEST).as_str()), "{rules:?}");
    assert!(rules.iter().any(|s| s.starts_with("Mỗi lượt thi gồm 10 câu hỏi")), "{rules:?}");
    // Never a question, an option, a correct answer or an explanation.
    for s in &contests::demo::SAMPLE {
        assert!(!text.contains(s.0) && !text.contains(s.3), "the bank leaked: {}", s.0);
    }
    for field in ["correct", "options", "explanation"] {
        assert!(!text.contains(&format!("\"{field}\"")), "{field} in {text}");
    }

    // A draft round of a published contest is not shown; a draft contest is not found.
    let now = kernel::now();
    let extra = store::RoundInput { title: "Vòng chưa công bố".into(), starts_at: now, ends_at: now + chrono::Duration::days(2), prizes: vec![], ..round_input(&round) };
    let mut tx = app.db.begin().await.unwrap();
    let hidden = store::insert_round(&mut tx, c.id, &extra).await.unwrap();
    tx.commit().await.unwrap();
    let (_, text, d) = api(&app, &t, &format!("/api/v1/contests/{}", c.id)).await;
    assert_eq!(d["rounds"].as_array().map(Vec::len), Some(1), "{d}");
    assert!(!text.contains("Vòng chưa công bố"));
    let (status, _, body) = api(&app, &t, &format!("/api/v1/contests/{draft}")).await;
    assert_not_found(status, &body, "a draft contest");
    let (status, _, body) = api(&app, &t, "/api/v1/contests/99999999999").await;
    assert_not_found(status, &body, "unknown");
    let (status, _, body) = api(&app, &t, &format!("/api/v1/contests/{}/rounds/{hidden}/winners", c.id)).await;
    assert_not_found(status, &body, "the winners of a draft round");
    let (status, _, body) = api(&app, &t, &format!("/api/v1/contests/{}/rounds/{draft_round}/winners", c.id)).await;
    assert_not_found(status, &body, "another contest's round");

    // Parameters that do not parse are a 400 naming them; no token is a 401.
    let (status, _, body) = api(&app, &t, "/api/v1/contests/1.5").await;
    assert_bad(status, &body, "id", "id");
    let (status, _, body) = api(&app, &t, "/api/v1/contests/x/rounds/1/winners").await;
    assert_bad(status, &body, "id", "contest id");
    let (status, _, body) = api(&app, &t, &format!("/api/v1/contests/{}/rounds/abc/winners", c.id)).await;
    assert_bad(status, &body, "round", "round id");
    for (query, param) in [("limit=0", "limit"), ("limit=x", "limit"), ("offset=-1", "offset")] {
        let (status, _, body) = api(&app, &t, &format!("/api/v1/contests?{query}")).await;
        assert_bad(status, &body, param, query);
    }
    for path in ["/api/v1/contests".to_string(), format!("/api/v1/contests/{}", c.id), format!("/api/v1/contests/{}/rounds/{}/winners", c.id, round.id), "/api/v1/contests/certificates/ABCDEFGHJKMNPQRS".into()] {
        let (status, _, _) = api(&app, "", &path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let r = reqwest::Client::new().post(format!("{}/api/v1/contests", app.base)).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn contest_winners_and_certificates_over_the_api_once_published_and_never_a_contact() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let first = entrant(&app, &c, "0917000001", "Lục Văn Tài").await;
    sit(&app, &first, c.id, round.id, true).await;
    let second = entrant(&app, &c, "0917000002", "Hoàng Thị Mai").await;
    sit(&app, &second, c.id, round.id, false).await;
    let third = entrant(&app, &c, "taichinh@example.vn", "Đinh Văn Khoa").await;
    sit(&app, &third, c.id, round.id, false).await;
    // Taking part: a certificate from the result page, stating no prize.
    let khoa = store::entrant_by_contact(&app.db, c.id, "taichinh@example.vn").await.unwrap().unwrap().id;
    let attempt = store::attempts_of(&app.db, round.id, khoa).await.unwrap()[0].id;
    let (status, html) = third.text(&format!("/cuoc-thi/{}/bai/{attempt}/ket-qua", c.id)).await;
    assert_eq!(status, StatusCode::OK);
    let taking_part = html.split("/cuoc-thi/chung-nhan/").nth(1).and_then(|t| t.split(['/', '"']).next()).expect("a certificate link").to_string();
    let t = token(&app, "xa1").await;
    let (status, _, k) = api(&app, &t, &format!("/api/v1/contests/certificates/{taking_part}")).await;
    assert_eq!(status, StatusCode::OK, "{k}");
    assert_eq!((k["status"].as_str(), k["holder_name"].as_str(), k["kind"].as_str()), (Some("valid"), Some("Đinh Văn Khoa"), Some("participation")), "{k}");
    assert!(k["prize"].is_null() && k["rank"].is_null(), "{k}");
    let winners = format!("/api/v1/contests/{}/rounds/{}/winners", c.id, round.id);

    // Nothing before the organiser publishes.
    let (status, _, body) = api(&app, &t, &winners).await;
    assert_not_found(status, &body, "winners before publication");

    end_round(&app, round.id).await;
    let tinh = app.login_as("tinh").await;
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", round.id), &[]).await.status(), StatusCode::SEE_OTHER);
    let (status, text, w) = api(&app, &t, &winners).await;
    assert_eq!(status, StatusCode::OK, "{w}");
    assert_eq!((w["contest_id"].as_i64(), w["round_id"].as_i64(), w["round_title"].as_str()), (Some(c.id), Some(round.id), Some("Vòng 1")));
    assert!(chrono::DateTime::parse_from_rfc3339(w["published_at"].as_str().unwrap()).is_ok());
    let items = w["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{w}");
    assert_eq!((items[0]["rank"].as_i64(), items[0]["prize"].as_str(), items[0]["full_name"].as_str()), (Some(1), Some("Giải Nhất"), Some("Lục Văn Tài")));
    assert_eq!((items[0]["score"].as_i64(), items[0]["question_count"].as_i64()), (Some(10), Some(10)));
    assert!(items[0]["duration_ms"].as_i64().unwrap() >= 0 && items[0]["commune_name"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!((items[1]["rank"].as_i64(), items[1]["prize"].as_str()), (Some(2), Some("Giải Nhì")));
    // Exactly what the public page shows.
    let (_, html) = app.client().text(&format!("/cuoc-thi/{}/giai-thuong", c.id)).await;
    for i in items {
        assert!(html.contains(i["full_name"].as_str().unwrap()) && html.contains(i["commune_name"].as_str().unwrap()));
    }
    for secret in ["0917000001", "0917000002", "taichinh@example.vn", "contact", "birth_year", "id_hash", "cccd"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let (_, _, d) = api(&app, &t, &format!("/api/v1/contests/{}", c.id)).await;
    assert_eq!((d["status"].as_str(), d["rounds"][0]["status"].as_str(), d["rounds"][0]["winners_published"].as_bool()), (Some("closed"), Some("closed"), Some(true)));

    // Certificates: a prize, checked by its code typed loosely.
    let certs = store::certificates_of_round(&app.db, round.id).await.unwrap();
    let tai = certs.iter().find(|k| k.full_name == "Lục Văn Tài").unwrap().clone();
    let loose = format!("{}-{}", tai.code[..8].to_lowercase(), &tai.code[8..]);
    let (status, text, k) = api(&app, &t, &format!("/api/v1/contests/certificates/{loose}")).await;
    assert_eq!(status, StatusCode::OK, "{k}");
    assert_eq!((k["code"].as_str(), k["status"].as_str(), k["valid"].as_bool()), (Some(tai.code.as_str()), Some("valid"), Some(true)));
    assert_eq!((k["holder_name"].as_str(), k["kind"].as_str(), k["prize"].as_str(), k["rank"].as_i64()), (Some("Lục Văn Tài"), Some("prize"), Some("Giải Nhất"), Some(1)));
    assert_eq!((k["contest_id"].as_i64(), k["contest_title"].as_str(), k["round_title"].as_str(), k["issuer"].as_str()), (Some(c.id), Some(c.title.as_str()), Some("Vòng 1"), Some(c.unit_name.as_str())));
    assert_eq!(k["issued_on"], (tai.issued_at + chrono::Duration::hours(7)).date_naive().to_string());
    assert_eq!(k["pdf_href"], format!("/cuoc-thi/chung-nhan/{}/giay-chung-nhan.pdf", tai.code));
    assert!(!text.contains("0917000001") && !text.contains("birth_year"));
    // The third's certificate of taking part, issued on their result page before publication,
    // stated no prize; publishing gave them a prize and revoked it.
    let (status, _, k) = api(&app, &t, &format!("/api/v1/contests/certificates/{taking_part}")).await;
    assert_eq!((status, k["status"].as_str(), k["holder_name"].as_str()), (StatusCode::OK, Some("revoked"), None), "{k}");
    let khoa = certs.iter().find(|k| k.full_name == "Đinh Văn Khoa").unwrap();
    let (_, _, k) = api(&app, &t, &format!("/api/v1/contests/certificates/{}", khoa.code)).await;
    assert_eq!((k["kind"].as_str(), k["prize"].as_str(), k["rank"].as_i64()), (Some("prize"), Some("Giải Nhì"), Some(khoa.position)), "{k}");

    // Published again after an exclusion: the winner's certificate is revoked and names only the
    // round and contest, like its page.
    let id = store::entrant_by_contact(&app.db, c.id, "0917000001").await.unwrap().unwrap().id;
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/loai", round.id), &[("entrant", &id.to_string()), ("reason", "Vi phạm thể lệ")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", round.id), &[]).await.status(), StatusCode::SEE_OTHER);
    let (status, text, k) = api(&app, &t, &format!("/api/v1/contests/certificates/{}", tai.code)).await;
    assert_eq!(status, StatusCode::OK, "{k}");
    assert_eq!((k["status"].as_str(), k["valid"].as_bool(), k["round_title"].as_str(), k["contest_id"].as_i64()), (Some("revoked"), Some(false), Some("Vòng 1"), Some(c.id)));
    for field in ["holder_name", "commune_name", "kind", "prize", "rank", "issuer", "issued_on", "pdf_href"] {
        assert!(k[field].is_null(), "{field} of a revoked certificate: {k}");
    }
    assert!(!text.contains("Lục Văn Tài"), "{text}");
    let (_, text, w) = api(&app, &t, &winners).await;
    assert_eq!((w["items"][0]["rank"].as_i64(), w["items"][0]["prize"].as_str(), w["items"].as_array().map(Vec::len)), (Some(1), Some("Giải Nhất"), Some(2)), "{w}");
    assert!(!text.contains("Lục Văn Tài"), "the excluded entrant is off the published list");

    // Unknown codes, and codes that cannot be one, are 404.
    for code in ["ABCDEFGHJKMNPQRS", "khong-phai-ma", "0000000000000000"] {
        let (status, _, body) = api(&app, &t, &format!("/api/v1/contests/certificates/{code}")).await;
        assert_not_found(status, &body, code);
    }
}

#[tokio::test]
async fn contest_round_statistics_are_the_live_counters_for_the_organiser_in_scope() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let a = entrant(&app, &c, "0918000001", "Vi Văn Quang").await;
    sit(&app, &a, c.id, round.id, true).await;
    sit(&app, &a, c.id, round.id, false).await;
    let b = entrant(&app, &c, "0918000002", "Nguyễn Thị Thu").await;
    sit(&app, &b, c.id, round.id, false).await;
    let path = format!("/api/v1/contests/rounds/{}/statistics", round.id);

    let t = token(&app, "tinh").await;
    let (status, text, s) = api(&app, &t, &path).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!((s["contest_id"].as_i64(), s["round_id"].as_i64(), s["round_status"].as_str(), s["phase"].as_str()), (Some(c.id), Some(round.id), Some("published"), Some("open")));
    assert_eq!(s["question_count"].as_i64(), Some(10));
    assert_eq!((s["totals"]["entrants"].as_i64(), s["totals"]["attempts"].as_i64(), s["totals"]["submitted"].as_i64()), (Some(2), Some(3), Some(3)), "{s}");
    // The same figures as the counters the write path keeps (both entrants of one commune).
    let counters = store::counters(&app.db, round.id).await.unwrap();
    let communes = s["communes"].as_array().unwrap();
    assert_eq!(communes.len(), counters.len());
    assert_eq!((communes[0]["commune_name"].as_str(), communes[0]["entrants"].as_i64(), communes[0]["attempts"].as_i64(), communes[0]["submitted"].as_i64()),
        (Some(counters[0].0.as_str()), Some(counters[0].1), Some(counters[0].2), Some(counters[0].3)));
    assert!(communes[0]["province_name"].as_str().is_some_and(|p| p.contains("Lạng Sơn")), "{s}");
    let scores: Vec<(i64, i64)> = s["scores"].as_array().unwrap().iter().map(|x| (x["score"].as_i64().unwrap(), x["attempts"].as_i64().unwrap())).collect();
    assert_eq!(scores, [(0, 2), (10, 1)]);
    for secret in ["Vi Văn Quang", "Nguyễn Thị Thu", "0918000001", "0918000002", "birth_year", "contact"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // Counters, not a count of the attempts: a bump shows as it is.
    let commune = a_commune(&app, &c).await;
    let mut tx = app.db.begin().await.unwrap();
    store::bump_counters(&mut tx, round.id, commune, 0, 5, 0).await.unwrap();
    tx.commit().await.unwrap();
    let (_, _, s) = api(&app, &t, &path).await;
    assert_eq!(s["totals"]["attempts"].as_i64(), Some(8));

    // A commune's officer has the action but not the scope: 404, as for an unknown round.
    let xa1 = token(&app, "xa1").await;
    let (status, _, body) = api(&app, &xa1, &path).await;
    assert_not_found(status, &body, "a commune officer outside the organiser's scope");
    // Without the action: 403; without a token: 401.
    app.create_account("xem", "viewer", "20", false).await;
    let viewer = token(&app, "xem").await;
    let (status, _, body) = api(&app, &viewer, &path).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{body}");
    let (status, _, _) = api(&app, "", &path).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, body) = api(&app, &t, "/api/v1/contests/rounds/99999999/statistics").await;
    assert_not_found(status, &body, "unknown round");
    let (status, _, body) = api(&app, &t, "/api/v1/contests/rounds/x1/statistics").await;
    assert_bad(status, &body, "round", "round id");
    // A draft round of the organiser: its (empty) counters.
    let (_, draft_round) = draft_contest(&app, "Cuộc thi nháp").await;
    let (status, _, s) = api(&app, &t, &format!("/api/v1/contests/rounds/{draft_round}/statistics")).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!((s["round_status"].as_str(), s["totals"]["attempts"].as_i64(), s["communes"].as_array().map(Vec::len)), (Some("draft"), Some(0), Some(0)));
}
