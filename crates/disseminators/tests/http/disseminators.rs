//! The registries end to end over HTTP: adding a reporter (validation keeps what was typed;
//! the Art. 35 warning), the exports, the September round of a commune (registration, review,
//! the chair's recognition), a propagandist's record (phone shown only to the commune, training,
//! the decision file, dismissal), sessions (validation, editing rights), the Reporter account
//! that records only its own sessions, the report prefill, the API, and refusals: 403 for a
//! missing action or the wrong level, 404 for another commune's records.

use reqwest::StatusCode;

use crate::helpers::{SETUP, Session, TestApp, location};

fn today() -> chrono::NaiveDate {
    kernel::page::today()
}

fn day(d: chrono::NaiveDate) -> String {
    text_vi::format_date(d)
}

fn id_in(r: &reqwest::Response, prefix: &str) -> i64 {
    location(r).trim_start_matches(prefix).split('?').next().unwrap().parse().unwrap()
}

async fn person_named(app: &TestApp, name: &str) -> disseminators::store::PersonRow {
    disseminators::store::people_in(&app.db, "%").await.unwrap().into_iter().find(|p| p.full_name == name).unwrap()
}

async fn activity_of(app: &TestApp, unit_code: &str) -> i64 {
    let unit = app.unit_id(unit_code).await;
    let from = today() - chrono::Duration::days(400);
    disseminators::store::activities(&app.db, "%", from, today()).await.unwrap().into_iter().find(|a| a.unit_id == unit).unwrap().id
}

#[tokio::test]
async fn province_keeps_its_reporters_with_the_criteria_warning_and_exports() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    // Errors keep what was typed.
    let r = tinh.post("/pho-bien/bao-cao-vien/moi", &[("full_name", "Lò Văn Hùng"), ("qualification", "law"), ("experience_years", "1"), ("decision_on", "31/02/2026"), ("phone", "abc")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Lò Văn Hùng"), "typed name kept");
    assert!(html.contains("error-summary"));
    assert!(html.contains(disseminators::msg::DECISION_NO_REQUIRED));
    assert!(html.contains(disseminators::msg::PHONE));
    // NFC on input: a decomposed name is stored composed.
    let decomposed = "Lo\u{300} Va\u{306}n Hu\u{300}ng";
    let r = tinh
        .post("/pho-bien/bao-cao-vien/moi", &[("full_name", decomposed), ("qualification", "law"), ("experience_years", "1"), ("phone", "0912 000 111"),
            ("decision_no", "77/QĐ-UBND"), ("decision_on", &day(today())), ("decision_signer", "Chủ tịch UBND tỉnh")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let id = id_in(&r, "/pho-bien/nguoi/");
    let row = disseminators::store::person(&app.db, id).await.unwrap();
    assert_eq!(row.full_name, "Lò Văn Hùng");
    assert_eq!(row.phone.as_deref(), Some("0912000111"));
    let (s, html) = tinh.text(&format!("/pho-bien/nguoi/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Chưa đủ tiêu chuẩn"), "one year with a law degree is short of Art. 35");
    assert!(html.contains("0912000111"));
    // The list, filtered and searched with folded keys; the exports.
    let (s, html) = tinh.text("/pho-bien/bao-cao-vien?q=hung").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Lò Văn Hùng") && !html.contains("Triệu Văn Minh"));
    let (_, html) = tinh.text(&format!("/pho-bien/bao-cao-vien?ngay={}", day(today()))).await;
    assert!(!html.contains("Nông Đức Thắng"), "the dismissed reporter is not serving");
    let r = tinh.get("/pho-bien/bao-cao-vien.xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    let r = tinh.get("/pho-bien/bao-cao-vien.docx").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    // A commune officer keeps no reporters: 403; and sees none of the province's.
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.get("/pho-bien/bao-cao-vien/moi").await.status(), StatusCode::FORBIDDEN);
    let r = xa1.post("/pho-bien/bao-cao-vien/moi", &[("full_name", "X")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(xa1.get(&format!("/pho-bien/nguoi/{id}")).await.status(), StatusCode::NOT_FOUND);
    // A viewer sees, cannot add.
    app.create_account("xemtinh", "viewer", "20", false).await;
    let v = app.login_as("xemtinh").await;
    let (s, html) = v.text(&format!("/pho-bien/nguoi/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("0912000111"), "phone only for the managing unit");
    assert_eq!(v.post(&format!("/pho-bien/nguoi/{id}"), &[("full_name", "X")]).await.status(), StatusCode::FORBIDDEN);
    let audit: (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'disseminator' AND entity_id = $1").bind(id.to_string()).fetch_one(p).await).unwrap();
    assert_eq!(audit.0, 1);
}

#[tokio::test]
async fn commune_runs_the_september_round_and_the_chair_recognises_the_list() {
    let app = TestApp::spawn(&SETUP).await;
    let xa1 = app.login_as("xa1").await;
    let year = chrono::Datelike::year(&today());
    // The demo already holds this year's round.
    let r = xa1.post("/pho-bien/dot-dang-ky", &[("year", &year.to_string()), ("announced_on", &day(today()))]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(disseminators::msg::ROUND_EXISTS));
    let r = xa1.post("/pho-bien/dot-dang-ky", &[("year", &(year + 1).to_string()), ("announced_on", &day(today()))]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let round = id_in(&r, "/pho-bien/dot-dang-ky/");
    let r = xa1.post(&format!("/pho-bien/dot-dang-ky/{round}/dang-ky"), &[("full_name", ""), ("village", "Thôn Mới")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Thôn Mới"));
    for name in ["Nguyễn Văn Đủ", "Trần Thị Thiếu"] {
        let r = xa1.post(&format!("/pho-bien/dot-dang-ky/{round}/dang-ky"), &[("full_name", name), ("birth_year", "1980"), ("phone", "0900111222")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    // Recognising before the list exists is refused.
    let r = xa1.post(&format!("/pho-bien/dot-dang-ky/{round}/cong-nhan"), &[("decision_no", "1/QĐ-UBND"), ("decision_on", &day(today())), ("decision_signer", "Chủ tịch")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let regs = disseminators::store::registrations(&app.db, round).await.unwrap();
    let (ok, short) = (regs[0].id, regs[1].id);
    let r = xa1.post(&format!("/pho-bien/dot-dang-ky/{round}/ra-soat"), &[(&format!("r-{ok}"), "listed"), (&format!("r-{short}"), "not_listed"), (&format!("n-{short}"), "Chưa đủ hiểu biết")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The list now waits for the chair's decision: a thing to do on the commune's home page.
    let (_, home) = xa1.text("/").await;
    assert!(home.contains(&disseminators::msg::home_recognise(i64::from(year) + 1)), "home: waiting for the decision");
    assert!(home.contains(disseminators::msg::HOME_PROPAGANDISTS));
    // The province sees the round but does not act on it; another commune does not see it.
    let tinh = app.login_as("tinh").await;
    let (s, html) = tinh.text(&format!("/pho-bien/dot-dang-ky/{round}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Nguyễn Văn Đủ") && !html.contains("0900111222"));
    assert_eq!(tinh.post(&format!("/pho-bien/dot-dang-ky/{round}/dang-ky"), &[("full_name", "X")]).await.status(), StatusCode::FORBIDDEN);
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.get(&format!("/pho-bien/dot-dang-ky/{round}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa2.post(&format!("/pho-bien/dot-dang-ky/{round}/cong-nhan"), &[]).await.status(), StatusCode::NOT_FOUND);
    let r = xa1.post(&format!("/pho-bien/dot-dang-ky/{round}/cong-nhan"), &[("decision_no", "12/QĐ-UBND"), ("decision_on", &day(today())), ("decision_signer", "Chủ tịch UBND phường")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = person_named(&app, "Nguyễn Văn Đủ").await;
    assert_eq!(p.kind, "propagandist");
    assert_eq!(p.decision_no, "12/QĐ-UBND");
    assert_eq!(p.registration_id, Some(ok));
    assert!(disseminators::store::people_in(&app.db, "%").await.unwrap().iter().all(|x| x.full_name != "Trần Thị Thiếu"));
    let (_, html) = xa1.text("/pho-bien/tuyen-truyen-vien").await;
    assert!(html.contains("Nguyễn Văn Đủ") && html.contains("0900111222"));
}

#[tokio::test]
async fn a_propagandists_record_training_file_and_dismissal() {
    let app = TestApp::spawn(&SETUP).await;
    let p = person_named(&app, "Hoàng Văn Tình").await; // of the second commune (06001)
    let xa2 = app.login_as("xa2").await;
    let xa1 = app.login_as("xa1").await;
    let path = format!("/pho-bien/nguoi/{}", p.id);
    assert_eq!(xa1.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa1.post(&format!("{path}/thoi"), &[]).await.status(), StatusCode::NOT_FOUND);
    let (s, html) = xa2.text(&path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("0987000111"));
    // Training.
    let r = xa2.post(&format!("{path}/boi-duong"), &[("t_title", ""), ("t_starts", "05/05/2026"), ("t_ends", "04/05/2026")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(disseminators::msg::TITLE_REQUIRED) && html.contains(disseminators::msg::ENDS_BEFORE_STARTS));
    let r = xa2.post(&format!("{path}/boi-duong"), &[("t_title", "Tập huấn kỹ năng tuyên truyền"), ("t_organiser", "UBND xã"), ("t_starts", "05/05/2026"), ("t_hours", "8"), ("t_certificate", "1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(xa2.text(&path).await.1.contains("Tập huấn kỹ năng tuyên truyền"));
    // The decision file: a wrong type is refused, a PDF kept and served.
    let r = xa2.post_multipart(&format!("{path}/quyet-dinh"), &[], Some(("qd.pdf", b"not a pdf".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = xa2.post_multipart(&format!("{path}/quyet-dinh"), &[], Some(("quyết định.pdf", b"%PDF-1.4\n%%EOF".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let file = disseminators::store::person(&app.db, p.id).await.unwrap().decision_file_id.unwrap();
    assert_eq!(xa2.get(&format!("/pho-bien/tep/{file}")).await.status(), StatusCode::OK);
    assert_eq!(xa1.get(&format!("/pho-bien/tep/{file}")).await.status(), StatusCode::NOT_FOUND);
    // Dismissal: the reason is required; the province sees but does not dismiss.
    let tinh = app.login_as("tinh").await;
    assert_eq!(tinh.get(&path).await.status(), StatusCode::OK);
    assert_eq!(tinh.post(&format!("{path}/thoi"), &[("dismissal_kind", "ceased"), ("dismissed_on", &day(today())), ("dismissal_reason", "x")]).await.status(), StatusCode::FORBIDDEN);
    let r = xa2.post(&format!("{path}/thoi"), &[("dismissal_kind", "ceased"), ("dismissed_on", &day(today())), ("dismissal_reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = xa2.post(&format!("{path}/thoi"), &[("dismissal_kind", "ceased"), ("dismissed_on", &day(today())), ("dismissal_reason", "Chuyển nơi cư trú")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let row = disseminators::store::person(&app.db, p.id).await.unwrap();
    assert_eq!(row.dismissed_on, Some(today()));
    assert_eq!(row.dismissal_kind.as_deref(), Some("ceased"));
    let r = xa2.post(&format!("{path}/thoi"), &[("dismissal_kind", "ceased"), ("dismissed_on", &day(today())), ("dismissal_reason", "Lần nữa")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "already dismissed");
}

async fn record_session(s: &Session, fields: &[(&str, &str)]) -> reqwest::Response {
    s.post("/pho-bien/hoat-dong/moi", fields).await
}

#[tokio::test]
async fn sessions_are_recorded_by_their_unit_and_seen_above() {
    let app = TestApp::spawn(&SETUP).await;
    let xa1 = app.login_as("xa1").await;
    let (s, html) = xa1.text("/pho-bien/hoat-dong/moi").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Hoàng Văn Quý"), "the commune's propagandists are offered");
    assert!(html.contains("Hoàng Thị Lan"), "and the province's reporters");
    let quy = person_named(&app, "Hoàng Văn Quý").await;
    let tinh_person = person_named(&app, "Hoàng Văn Tình").await; // another commune's
    let q = quy.id.to_string();
    let other = tinh_person.id.to_string();
    let held = day(today());
    let r = record_session(&xa1, &[("held_on", &held), ("form", "conference"), ("topic", "Luật Hôn nhân và gia đình"), ("attendees", "40"), ("g-disabled", "41"), ("person", &other)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Luật Hôn nhân và gia đình"), "typed topic kept");
    assert!(html.contains(disseminators::msg::GROUP_ATTENDEES) && html.contains(disseminators::msg::PEOPLE_UNKNOWN));
    let r = record_session(&xa1, &[("held_on", &held), ("form", "conference"), ("topic", "Luật Hôn nhân và gia đình"), ("attendees", "40"), ("materials", "1.200"), ("g-disabled", "5"), ("g-detained", ""), ("person", &q)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let id = id_in(&r, "/pho-bien/hoat-dong/");
    let row = disseminators::store::activity(&app.db, id).await.unwrap();
    assert_eq!((row.attendees, row.materials), (40, 1200));
    assert_eq!(disseminators::store::activity_groups(&app.db, id).await.unwrap(), vec![("disabled".to_string(), 5)]);
    assert_eq!(disseminators::store::activity_people(&app.db, id).await.unwrap(), vec![quy.id]);
    // The province sees it, cannot edit; another commune does not see it.
    let tinh = app.login_as("tinh").await;
    assert_eq!(tinh.get(&format!("/pho-bien/hoat-dong/{id}")).await.status(), StatusCode::OK);
    assert_eq!(tinh.post(&format!("/pho-bien/hoat-dong/{id}"), &[("topic", "x")]).await.status(), StatusCode::FORBIDDEN);
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.get(&format!("/pho-bien/hoat-dong/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa2.post_multipart(&format!("/pho-bien/hoat-dong/{id}/minh-chung"), &[], None).await.status(), StatusCode::NOT_FOUND);
    // Editing and evidence by the commune.
    let r = xa1.post(&format!("/pho-bien/hoat-dong/{id}"), &[("held_on", &held), ("form", "mobile"), ("topic", "Luật Hôn nhân và gia đình 2014"), ("attendees", "45"), ("person", &q)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(disseminators::store::activity(&app.db, id).await.unwrap().form, "mobile");
    let r = xa1.post_multipart(&format!("/pho-bien/hoat-dong/{id}/minh-chung"), &[], Some(("bien-ban.jpg", b"\xFF\xD8\xFF\xE0 photo \xFF\xD9".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The log with its period filter.
    let (s, html) = tinh.text(&format!("/pho-bien/hoat-dong?tu={held}&den={held}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Luật Hôn nhân và gia đình 2014"));
    let (s, _) = tinh.text("/pho-bien/hoat-dong?tu=31/12/2026&den=01/01/2026").await;
    assert_eq!(s, StatusCode::OK);
    // A council member and a viewer see; cannot record.
    app.create_account("hdtinh", "council_member", "20", false).await;
    let hd = app.login_as("hdtinh").await;
    assert_eq!(hd.get(&format!("/pho-bien/hoat-dong/{id}")).await.status(), StatusCode::OK);
    assert_eq!(hd.get("/pho-bien/hoat-dong/moi").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_reporter_account_sees_and_records_only_its_own_sessions() {
    let app = TestApp::spawn(&SETUP).await;
    let bcv = app.login_as("bcv1").await;
    let me = person_named(&app, "Hoàng Thị Lan").await;
    let colleague = person_named(&app, "Triệu Văn Minh").await;
    assert_eq!(bcv.get(&format!("/pho-bien/nguoi/{}", me.id)).await.status(), StatusCode::OK);
    assert_eq!(bcv.get(&format!("/pho-bien/nguoi/{}", colleague.id)).await.status(), StatusCode::NOT_FOUND);
    let (_, html) = bcv.text("/pho-bien/bao-cao-vien").await;
    assert!(html.contains("Hoàng Thị Lan") && !html.contains("Triệu Văn Minh"));
    assert_eq!(bcv.get("/pho-bien/bao-cao-vien/moi").await.status(), StatusCode::FORBIDDEN);
    // A commune's session it took no part in: 404.
    let commune_session = activity_of(&app, "05977").await;
    assert_eq!(bcv.get(&format!("/pho-bien/hoat-dong/{commune_session}")).await.status(), StatusCode::NOT_FOUND);
    // Its own session; a colleague named in the form is refused (only itself may be named).
    let held = day(today());
    let r = record_session(&bcv, &[("held_on", &held), ("form", "online"), ("topic", "Luật Phổ biến, giáo dục pháp luật"), ("attendees", "30"), ("person", &colleague.id.to_string())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = record_session(&bcv, &[("held_on", &held), ("form", "online"), ("topic", "Luật Phổ biến, giáo dục pháp luật"), ("attendees", "30")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let id = id_in(&r, "/pho-bien/hoat-dong/");
    assert_eq!(disseminators::store::activity_people(&app.db, id).await.unwrap(), vec![me.id], "the reporter is named itself");
    assert_eq!(bcv.get(&format!("/pho-bien/hoat-dong/{id}")).await.status(), StatusCode::OK);
    let (_, html) = bcv.text("/pho-bien/hoat-dong").await;
    assert!(html.contains("Luật Phổ biến, giáo dục pháp luật"));
    assert!(!html.contains("Phòng, chống bạo lực gia đình"), "the commune's sessions are not listed");
    // A session of the province it took part in, recorded by the officer: visible, not editable.
    let theirs = disseminators::store::activities_of_people(&app.db, &[me.id], today() - chrono::Duration::days(400), today()).await.unwrap();
    let officer_made = theirs.iter().find(|a| a.id != id).unwrap().id;
    assert_eq!(bcv.get(&format!("/pho-bien/hoat-dong/{officer_made}")).await.status(), StatusCode::OK);
    assert_eq!(bcv.post(&format!("/pho-bien/hoat-dong/{officer_made}"), &[("topic", "x")]).await.status(), StatusCode::FORBIDDEN);
    let (st, home) = bcv.text("/").await;
    assert_eq!(st, StatusCode::OK);
    assert!(home.contains(disseminators::msg::HOME_SESSIONS) && !home.contains(disseminators::msg::HOME_PROPAGANDISTS));
    // The rounds are not for reporters.
    assert_eq!(bcv.post("/pho-bien/dot-dang-ky", &[]).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn report_figures_count_the_subtree_in_the_period() {
    let app = TestApp::spawn(&SETUP).await;
    let province = app.unit_id("20").await;
    let commune = app.unit_id("05977").await;
    let year = chrono::Datelike::year(&today());
    let (from, to) = (chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap(), chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap());
    let get = |f: &[kernel::registry::ReportFigure], k: &str| f.iter().find(|x| x.key == k).map(|x| x.value).unwrap_or(-1);
    let all = disseminators::report_figures_port(&app.db, province, None, from, to).await.unwrap();
    let sessions = disseminators::store::activities(&app.db, "%", from, to).await.unwrap();
    assert_eq!(get(&all, "direct_sessions"), sessions.len() as i64);
    assert_eq!(get(&all, "direct_attendance"), sessions.iter().map(|s| s.attendees).sum::<i64>());
    assert_eq!(get(&all, "materials_issued"), sessions.iter().map(|s| s.materials).sum::<i64>());
    assert_eq!(get(&all, "reporters"), 3, "four recognised, one dismissed this year");
    assert_eq!(get(&all, "propagandists"), 5);
    assert!(get(&all, "direct_disseminators") >= 5);
    assert!(get(&all, "direct_sessions:target_group:remote_ethnic_fishermen") >= 1);
    let f = all.iter().find(|x| x.key == "direct_sessions").unwrap();
    assert!(f.source.contains("phổ biến") && f.href.as_deref().unwrap().starts_with("/pho-bien/hoat-dong?tu="));
    let one = disseminators::report_figures_port(&app.db, commune, None, from, to).await.unwrap();
    assert_eq!(get(&one, "reporters"), 0);
    assert_eq!(get(&one, "propagandists"), 3);
    assert_eq!(get(&one, "direct_attendance"), 60);
    assert!(disseminators::report_figures_port(&app.db, province, Some(1), from, to).await.unwrap().is_empty(), "agencies get nothing");
    // The link of a figure opens the filtered log.
    let tinh = app.login_as("tinh").await;
    assert_eq!(tinh.get(f.href.as_deref().unwrap()).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn api_reads_rosters_and_records_a_session() {
    let app = TestApp::spawn(&SETUP).await;
    let token = |user: &'static str| {
        let app = &app;
        async move {
            let id = app.account_id(user).await;
            let mut tx = app.db.begin().await.unwrap();
            let (secret, _) = kernel::db::sessions::create_token(&mut tx, id, "t", chrono::Duration::days(1)).await.unwrap();
            tx.commit().await.unwrap();
            secret
        }
    };
    let (xa1, xa2, tinh) = (token("xa1").await, token("xa2").await, token("tinh").await);
    let client = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", app.base);
    let r: serde_json::Value = client.get(url("/api/v1/disseminators/propagandists")).bearer_auth(&xa2).send().await.unwrap().json().await.unwrap();
    let items = r["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["phone"].as_str().map(|s| s.len()), Some(10));
    let r: serde_json::Value = client.get(url("/api/v1/disseminators/propagandists")).bearer_auth(&tinh).send().await.unwrap().json().await.unwrap();
    assert!(r["items"].as_array().unwrap().iter().all(|p| p["phone"].is_null()), "phones only for the commune");
    let r: serde_json::Value = client.get(url("/api/v1/disseminators/reporters")).bearer_auth(&tinh).send().await.unwrap().json().await.unwrap();
    assert!(r["items"].as_array().unwrap().iter().any(|p| p["criteria_warning"].is_string()));
    let body = serde_json::json!({"held_on": today().to_string(), "form": "loudspeaker", "topic": "Luật Cư trú", "attendees": 0, "target_groups": {"unknown": 1}});
    let r = client.post(url("/api/v1/disseminators/activities")).bearer_auth(&xa1).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = serde_json::json!({"held_on": today().to_string(), "form": "loudspeaker", "topic": "Luật Cư trú", "attendees": 0.0, "materials": 10});
    let r = client.post(url("/api/v1/disseminators/activities")).bearer_auth(&xa1).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let r: serde_json::Value = client.get(url("/api/v1/disseminators/activities")).bearer_auth(&xa2).send().await.unwrap().json().await.unwrap();
    assert!(r["items"].as_array().unwrap().iter().all(|a| a["id"].as_i64() != Some(id)));
    let r: serde_json::Value = client.get(url("/api/v1/disseminators/activities")).bearer_auth(&tinh).send().await.unwrap().json().await.unwrap();
    assert!(r["items"].as_array().unwrap().iter().any(|a| a["id"].as_i64() == Some(id)));
}

#[tokio::test]
async fn pages_render_for_every_demo_role() {
    let app = TestApp::spawn(&SETUP).await;
    for user in ["admin", "tinh", "xa1", "xa2", "bcv1"] {
        let s = app.login_as(user).await;
        for path in ["/pho-bien", "/pho-bien/bao-cao-vien", "/pho-bien/tuyen-truyen-vien", "/pho-bien/hoat-dong"] {
            let (st, html) = s.text(path).await;
            assert_eq!(st, StatusCode::OK, "{user} {path}");
            assert!(html.contains("Báo cáo viên, tuyên truyền viên"), "{user} {path}: menu entry");
        }
    }
    let congan = app.login_as("congan").await;
    assert_eq!(congan.get("/pho-bien/bao-cao-vien").await.status(), StatusCode::OK);
    assert_eq!(congan.get("/pho-bien/hoat-dong/moi").await.status(), StatusCode::FORBIDDEN);
}
