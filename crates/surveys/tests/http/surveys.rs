//! Surveys end to end over HTTP: building, publishing and the version freeze; public answering
//! with required and conditional questions, one answer per device, the rate limit and a closed
//! survey; paper entry; results and the satisfaction result; exports; permissions and contact
//! details.

use reqwest::StatusCode;
use surveys::store::{self, Survey};

use crate::helpers::{SETUP, Session, TestApp, csrf_in, location};

/// The demo satisfaction survey of `tinh` for Phường Đông Kinh.
async fn demo_survey(app: &TestApp) -> Survey {
    store::list(&app.db, "%").await.unwrap().into_iter().find(|s| s.template_code.as_deref() == Some("satisfaction")).unwrap()
}

/// An anonymous visitor who opened the survey page (and so has its CSRF and device cookies).
async fn visitor(app: &TestApp, token: &str) -> (Session, String) {
    let mut s = app.client();
    let (status, html) = s.text(&format!("/khao-sat/{token}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    s.csrf = csrf_in(&html);
    (s, html)
}

const CITIZEN: &str = "Cá nhân (người dân)";

fn good(overall: &str) -> Vec<(&'static str, String)> {
    vec![
        ("a_respondent_type", CITIZEN.to_string()),
        ("a_info_access", "Hài lòng".into()),
        ("a_officer_attitude", "Rất hài lòng".into()),
        ("a_overall", overall.to_string()),
    ]
}

async fn post(s: &Session, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post(path, &f).await
}

async fn count(app: &TestApp, s: &Survey) -> usize {
    store::responses_page(&app.db, s.family_id, None, 0, 1_000_000).await.unwrap().len()
}

#[tokio::test]
async fn build_publish_freeze_and_new_version() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    // A failed creation keeps what was typed.
    let r = tinh.post("/phieu-khao-sat/moi", &[("title", ""), ("opens_on", "31/02/2026"), ("description", "Giới thiệu đã gõ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(surveys::msg::TITLE_REQUIRED) && html.contains(surveys::msg::DATE_FORMAT), "{html}");
    assert!(html.contains("value=\"31/02/2026\"") && html.contains("Giới thiệu đã gõ"));
    let r = tinh.post("/phieu-khao-sat/moi", &[("title", "Khảo sát nhu cầu tìm hiểu pháp luật")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r).trim_start_matches("/phieu-khao-sat/").split('?').next().unwrap().parse().unwrap();

    // The builder: an invalid condition and a choice question with one option keep the input.
    let base = [("title", "Khảo sát nhu cầu tìm hiểu pháp luật")];
    let mut bad: Vec<(&str, &str)> = base.to_vec();
    bad.extend([("t0", "Lĩnh vực quan tâm"), ("y0", "single_choice"), ("o0", "Đất đai"), ("t1", "Lý do khác"), ("y1", "long_text"), ("ck1", "khong_co"), ("co1", "answered")]);
    let r = tinh.post(&format!("/phieu-khao-sat/{id}"), &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(surveys::msg::OPTIONS_MISSING) && html.contains(surveys::msg::CONDITION_NOT_EARLIER), "{html}");
    assert!(html.contains("value=\"Lý do khác\"") && html.contains("href=\"#q0\""));

    let mut ok: Vec<(&str, &str)> = base.to_vec();
    ok.extend([
        ("t0", "Lĩnh vực quan tâm"), ("k0", "field"), ("y0", "single_choice"), ("o0", "Đất đai\nHôn nhân\nKhác"), ("r0", "1"),
        ("t1", "Lĩnh vực khác là gì?"), ("k1", "other"), ("y1", "short_text"), ("ck1", "field"), ("co1", "equals"), ("cv1", "Khác"), ("r1", "1"),
        ("t2", "Tuổi"), ("k2", "age"), ("y2", "number"), ("mn2", "10"), ("mx2", "120"),
        ("action", "publish"),
    ]);
    let r = tinh.post(&format!("/phieu-khao-sat/{id}"), &ok).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let v1 = store::get(&app.db, id).await.unwrap();
    assert_eq!(v1.status, "published");
    assert_eq!(store::questions(&app.db, id).await.unwrap().questions.len(), 3);

    // Frozen: the builder refuses, and the page offers a new version instead.
    let r = tinh.post(&format!("/phieu-khao-sat/{id}"), &ok).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = tinh.post(&format!("/phieu-khao-sat/{id}/phien-ban-moi"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let v2_id: i64 = location(&r).trim_start_matches("/phieu-khao-sat/").split('?').next().unwrap().parse().unwrap();
    let v2 = store::get(&app.db, v2_id).await.unwrap();
    assert_eq!((v2.version, v2.family_id, v2.status.as_str()), (2, v1.family_id, "draft"));
    assert_eq!(v2.public_token, v1.public_token);

    // An answer to version 1, then version 2 adds a question and is published: the link now
    // answers version 2, version 1 is closed.
    let (anon, _) = visitor(&app, &v1.public_token).await;
    let r = post(&anon, &format!("/khao-sat/{}", v1.public_token), &[("a_field", "Đất đai".into()), ("a_age", "40".into())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut v2form = ok.clone();
    v2form.extend([("t3", "Ông/Bà có muốn nhận tài liệu không?"), ("k3", "wants_docs"), ("y3", "single_choice"), ("o3", "Có\nKhông")]);
    let r = tinh.post(&format!("/phieu-khao-sat/{v2_id}"), &v2form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(store::get(&app.db, id).await.unwrap().status, "closed");
    let (_, html) = visitor(&app, &v1.public_token).await;
    assert!(html.contains("a_wants_docs"), "{html}");

    // The export keeps one column per key across versions, version 1's answer in its columns.
    let (status, csv) = tinh.text(&format!("/phieu-khao-sat/{v2_id}/ket-qua.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let header = csv.lines().next().unwrap();
    for key in ["[field]", "[other]", "[age]", "[wants_docs]"] {
        assert!(header.contains(key), "{header}");
    }
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().nth(1).unwrap().contains("Đất đai,,40,"), "{csv}");
}

#[tokio::test]
async fn public_answers_required_conditional_and_one_per_device() {
    let app = TestApp::spawn(&SETUP).await;
    let s = demo_survey(&app).await;
    let before = count(&app, &s).await;
    let path = format!("/khao-sat/{}", s.public_token);
    let (anon, html) = visitor(&app, &s.public_token).await;
    assert!(html.contains("Rất không hài lòng") && html.contains("/static/khao-sat.js"));
    assert!(html.len() < 40_000, "the page stays small: {} bytes", html.len());

    // Required question missing, conditional question required by nobody: kept input.
    let mut f = good("Không hài lòng");
    f.retain(|(k, _)| *k != "a_officer_attitude");
    f.push(("a_suggestions", "Nên mở lớp tập huấn buổi tối".into()));
    let r = post(&anon, &path, &f).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(surveys::msg::ANSWER_REQUIRED) && html.contains("href=\"#a_officer_attitude\""), "{html}");
    assert!(html.contains("Nên mở lớp tập huấn buổi tối"));
    assert_eq!(count(&app, &s).await, before);

    // A satisfied respondent's reason is dropped (the question was not asked).
    let mut f = good("Hài lòng");
    f.push(("a_dissatisfied_reason", "không được hỏi".into()));
    let r = post(&anon, &path, &f).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}/cam-on"));
    let rows = store::responses_page(&app.db, s.family_id, None, 0, 1000).await.unwrap();
    let last = rows.last().unwrap();
    assert_eq!(last.channel, "online");
    assert!(!last.parsed().contains_key("dissatisfied_reason"));

    // One answer per device: the same browser is refused, another one is not.
    let r = post(&anon, &path, &good("Rất hài lòng")).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(surveys::msg::ALREADY_ANSWERED));
    let (other, _) = visitor(&app, &s.public_token).await;
    let mut f = good("Rất không hài lòng");
    f.push(("a_dissatisfied_reason", "Chờ lâu".into()));
    assert_eq!(post(&other, &path, &f).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, &s).await, before + 2);
    let last = store::responses_page(&app.db, s.family_id, None, 0, 1000).await.unwrap().pop().unwrap();
    assert_eq!(last.parsed().get("dissatisfied_reason"), Some(&surveys::rules::Answer::Text("Chờ lâu".into())));

    // A draft token or an unknown one is not public.
    assert_eq!(anon.get("/khao-sat/khong-co").await.status(), StatusCode::NOT_FOUND);
}

/// The limits are settings (`[surveys]` in pbgdpl.toml): with one answer per device an hour, a
/// device's second answer is refused and not stored, whatever the survey allows otherwise.
#[tokio::test]
async fn the_configured_device_limit_applies() {
    let app = TestApp::spawn_with(&SETUP, |c| c.surveys.answers_per_device = 1).await;
    let s = demo_survey(&app).await;
    let path = format!("/khao-sat/{}", s.public_token);
    let before = count(&app, &s).await;
    let (anon, _) = visitor(&app, &s.public_token).await;
    let r = post(&anon, &path, &good("Hài lòng")).await;
    assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
    assert_eq!(count(&app, &s).await, before + 1);
    let r = post(&anon, &path, &good("Hài lòng")).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.unwrap().contains(surveys::msg::RATE_LIMITED));
    assert_eq!(count(&app, &s).await, before + 1);
}

#[tokio::test]
async fn answers_after_close_and_over_the_limit_are_refused() {
    let app = TestApp::spawn(&SETUP).await;
    let s = demo_survey(&app).await;
    let path = format!("/khao-sat/{}", s.public_token);
    let before = count(&app, &s).await;

    // Over the per-address limit: counted in the database.
    let key = kernel::db::settings::get_or_create(&app.db, "csrf_signing_key", kernel::db::new_token).await.unwrap();
    let key = hex::decode(&key).unwrap();
    let bucket = surveys::service::ip_bucket(&key, "127.0.0.1");
    let mut tx = app.db.begin().await.unwrap();
    for _ in 0..kernel::config::SurveysConfig::default().answers_per_address {
        store::record_event(&mut tx, &bucket).await.unwrap();
    }
    tx.commit().await.unwrap();
    let (anon, _) = visitor(&app, &s.public_token).await;
    let r = post(&anon, &path, &good("Hài lòng")).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.unwrap().contains(surveys::msg::RATE_LIMITED));
    assert_eq!(count(&app, &s).await, before);

    // Closed: a clear message, nothing stored.
    let tinh = app.login_as("tinh").await;
    let r = tinh.post(&format!("/phieu-khao-sat/{}/dong", s.id), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = visitor(&app, &s.public_token).await;
    assert!(html.contains(surveys::msg::SURVEY_CLOSED) && !html.contains("a_overall"));
    // The visitor who opened the page before it closed sends it now.
    let r = post(&anon, &path, &good("Hài lòng")).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert!(r.text().await.unwrap().contains(surveys::msg::SURVEY_CLOSED));
    assert_eq!(count(&app, &s).await, before);
}

#[tokio::test]
async fn paper_entry_results_and_the_satisfaction_result() {
    let app = TestApp::spawn(&SETUP).await;
    let s = demo_survey(&app).await;
    let commune = app.unit_id("05977").await;
    let year = chrono::Datelike::year(&kernel::page::today());
    let r = surveys::service::satisfaction_result(&app.db, commune, year).await.unwrap().unwrap();
    assert_eq!((r.survey_id, r.satisfied, r.answered), (s.id, 23, 30));
    assert_eq!(surveys::service::satisfaction_result(&app.db, commune, year - 1).await.unwrap(), None);

    // xa1 (the commune the survey is for) enters a paper form; it is marked as such.
    let xa1 = app.login_as("xa1").await;
    let page = format!("/phieu-khao-sat/{}/nhap-phieu", s.id);
    let (status, _) = xa1.text(&page).await;
    assert_eq!(status, StatusCode::OK);
    let r = post(&xa1, &page, &[("a_overall", "Rất hài lòng".into())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "required questions missing");
    let r = post(&xa1, &page, &good("Rất hài lòng")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let last = store::responses_page(&app.db, s.family_id, None, 0, 1000).await.unwrap().pop().unwrap();
    assert_eq!(last.channel, "paper");
    let r = surveys::service::satisfaction_result(&app.db, commune, year).await.unwrap().unwrap();
    assert_eq!((r.satisfied, r.answered), (24, 31));

    // Results: counts, shares and the satisfaction share, by commune too; text search ignores diacritics.
    let tinh = app.login_as("tinh").await;
    let (status, html) = tinh.text(&format!("/phieu-khao-sat/{}/ket-qua", s.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("77,4%") && html.contains("<svg"), "24/31 satisfied");
    let (_, html) = tinh.text(&format!("/phieu-khao-sat/{}/ket-qua?xa={commune}&q=dat+dai", s.id)).await;
    assert!(html.contains("thủ tục đất đai"), "{html}");
    let (_, html) = tinh.text(&format!("/phieu-khao-sat/{}/ket-qua?q=khong+co+chu+nay", s.id)).await;
    assert!(!html.contains("thủ tục đất đai"));

    // Exports: one row per response, fixed columns then one per question key.
    let r = tinh.get(&format!("/phieu-khao-sat/{}/ket-qua.xlsx", s.id)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.height(), 32);
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header[0], "Số phiếu");
    assert!(header.iter().any(|h| h.ends_with("[overall]")));
    let (_, csv) = tinh.text(&format!("/phieu-khao-sat/{}/ket-qua.csv", s.id)).await;
    assert_eq!(csv.lines().count(), 32);
}

/// An XLSX export that fails while writing (here: a stored answer longer than a spreadsheet
/// cell can hold, 32,767 characters, as an older version or a direct import could leave) answers
/// a Vietnamese error page, never a 200 with a cut-off workbook; a complete export carries its
/// length.
#[tokio::test]
async fn a_failing_xlsx_export_is_an_error_not_a_cut_off_file() {
    let app = TestApp::spawn(&SETUP).await;
    let s = demo_survey(&app).await;
    let tinh = app.login_as("tinh").await;
    let path = format!("/phieu-khao-sat/{}/ket-qua.xlsx", s.id);
    let r = tinh.get(&path).await;
    assert_eq!(r.status(), StatusCode::OK);
    let len: usize = r.headers()[reqwest::header::CONTENT_LENGTH].to_str().unwrap().parse().unwrap();
    assert_eq!(r.bytes().await.unwrap().len(), len);

    let mut answers = surveys::rules::Answers::new();
    answers.insert("overall".into(), surveys::rules::Answer::Text("Hài lòng".into()));
    answers.insert("suggestions".into(), surveys::rules::Answer::Text("góp ý ".repeat(8_000)));
    let mut tx = app.db.begin().await.unwrap();
    store::insert_response(&mut tx, &store::NewResponse {
        survey_id: s.id, unit_id: s.audience_unit_id, channel: "paper", entered_by: None, device_hash: None,
        answers: &answers, text_key: "", contact: None,
    }).await.unwrap();
    tx.commit().await.unwrap();
    let r = tinh.get(&path).await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers()[reqwest::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(r.text().await.unwrap().contains(surveys::msg::EXPORT_FAILED));
    // The CSV has no cell limit and still exports every response.
    let (status, csv) = tinh.text(&format!("/phieu-khao-sat/{}/ket-qua.csv", s.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("góp ý góp ý"));
}

#[tokio::test]
async fn another_communes_survey_is_not_found_and_contacts_stay_with_the_owner() {
    let app = TestApp::spawn(&SETUP).await;
    let s = demo_survey(&app).await;
    let xa2 = app.login_as("xa2").await;
    for p in ["", "/ket-qua", "/ket-qua.csv", "/nhap-phieu"] {
        assert_eq!(xa2.get(&format!("/phieu-khao-sat/{}{p}", s.id)).await.status(), StatusCode::NOT_FOUND, "{p}");
    }
    let (_, list) = xa2.text("/phieu-khao-sat").await;
    assert!(!list.contains(&s.title));
    // xa1 sees the province's survey for its commune but does not manage it.
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.get(&format!("/phieu-khao-sat/{}", s.id)).await.status(), StatusCode::OK);
    assert_eq!(xa1.post(&format!("/phieu-khao-sat/{}/dong", s.id), &[]).await.status(), StatusCode::FORBIDDEN);

    // A survey of the province for xa1's commune asking for contact details.
    let tinh = app.login_as("tinh").await;
    let commune = app.unit_id("05977").await.to_string();
    let base = [("title", "Góp ý dự thảo"), ("contact_details", "1"), ("audience", commune.as_str())];
    let r = tinh.post("/phieu-khao-sat/moi", &base).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r).trim_start_matches("/phieu-khao-sat/").split('?').next().unwrap().parse().unwrap();
    let mut form = base.to_vec();
    form.extend([("t0", "Góp ý"), ("k0", "y_kien"), ("y0", "long_text"), ("action", "publish")]);
    let r = tinh.post(&format!("/phieu-khao-sat/{id}"), &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let survey = store::get(&app.db, id).await.unwrap();
    let (anon, html) = visitor(&app, &survey.public_token).await;
    assert!(html.contains("name=\"contact\"") && !html.contains("name=\"commune\""));
    let r = post(&anon, &format!("/khao-sat/{}", survey.public_token), &[
        ("a_y_kien", "Đề nghị bổ sung điều khoản".into()), ("contact", "Nguyễn Văn Bình 0912345678".into()),
    ]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = tinh.text(&format!("/phieu-khao-sat/{id}/ket-qua")).await;
    assert!(html.contains("0912345678"), "the owner sees contacts");
    let (_, csv) = tinh.text(&format!("/phieu-khao-sat/{id}/ket-qua.csv")).await;
    assert!(csv.contains("0912345678"));
    let (status, html) = xa1.text(&format!("/phieu-khao-sat/{id}/ket-qua")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đề nghị bổ sung") && !html.contains("0912345678"), "the commune sees answers, not contacts");
    let (_, csv) = xa1.text(&format!("/phieu-khao-sat/{id}/ket-qua.csv")).await;
    assert!(csv.contains("Đề nghị bổ sung") && !csv.contains("0912345678"));

    // A public survey of the province asks the respondent's commune.
    let r = tinh.post("/phieu-khao-sat/tu-mau", &[("template", "satisfaction"), ("audience", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r).trim_start_matches("/phieu-khao-sat/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(tinh.post(&format!("/phieu-khao-sat/{id}/cong-bo"), &[]).await.status(), StatusCode::SEE_OTHER);
    let survey = store::get(&app.db, id).await.unwrap();
    let (anon, html) = visitor(&app, &survey.public_token).await;
    assert!(html.contains("name=\"commune\"") && html.contains("Đông Kinh"));
    assert!(html.contains("xã, phường nào? <span class=\"required\">(bắt buộc)</span>"), "{html}");
    // The satisfaction survey counts for the commune named: an answer without one would count
    // for no commune, so it is refused with the answers kept; with one it counts for it.
    let path = format!("/khao-sat/{}", survey.public_token);
    let commune = app.unit_id("05977").await;
    let year = chrono::Datelike::year(&kernel::page::today());
    let answered = || async { surveys::service::satisfaction_result(&app.db, commune, year).await.unwrap().map_or(0, |r| r.answered) };
    let before = answered().await;
    let r = post(&anon, &path, &good("Rất hài lòng")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(surveys::msg::COMMUNE_REQUIRED) && html.contains("value=\"Rất hài lòng\" checked"), "{html}");
    assert_eq!(count(&app, &survey).await, 0);
    let mut with_commune = good("Rất hài lòng");
    with_commune.push(("commune", commune.to_string()));
    assert_eq!(post(&anon, &path, &with_commune).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(answered().await, before + 1);
}

#[tokio::test]
async fn proof_of_work_qr_code_and_poster() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let r = tinh.post("/phieu-khao-sat/moi", &[("title", "Khảo sát có chống gửi tự động"), ("pow", "1")]).await;
    let id: i64 = location(&r).trim_start_matches("/phieu-khao-sat/").split('?').next().unwrap().parse().unwrap();
    let r = tinh.post(&format!("/phieu-khao-sat/{id}"), &[("title", "Khảo sát có chống gửi tự động"), ("pow", "1"), ("t0", "Ý kiến"), ("k0", "y"), ("y0", "short_text"), ("action", "publish")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let s = store::get(&app.db, id).await.unwrap();
    let path = format!("/khao-sat/{}", s.public_token);
    let (anon, html) = visitor(&app, &s.public_token).await;
    assert!(html.contains("<noscript>"), "without JavaScript the page explains why");
    let challenge = html.split("name=\"pow_challenge\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();

    // Without the work (no JavaScript): refused with the explanation, nothing stored.
    let r = post(&anon, &path, &[("a_y", "Tốt".into()), ("pow_challenge", challenge.clone()), ("pow_counter", String::new())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("bật JavaScript") && html.contains("value=\"Tốt\""), "{html}");
    let wrong = post(&anon, &path, &[("a_y", "Tốt".into()), ("pow_challenge", challenge.clone()), ("pow_counter", "1".into())]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // With the work: accepted once; the same challenge is not accepted twice.
    let counter = (0u64..).find(|n| surveys::rules::pow::solves(&challenge, &n.to_string(), surveys::rules::pow::BITS)).unwrap().to_string();
    let r = post(&anon, &path, &[("a_y", "Tốt".into()), ("pow_challenge", challenge.clone()), ("pow_counter", counter.clone())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post(&anon, &path, &[("a_y", "Tốt".into()), ("pow_challenge", challenge.clone()), ("pow_counter", counter)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, &s).await, 1);

    // The QR code of the public link, and the A4 poster.
    let r = tinh.get(&format!("/phieu-khao-sat/{id}/ma-qr.svg")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("<svg"));
    let r = tinh.get(&format!("/phieu-khao-sat/{id}/ap-phich.pdf")).await;
    if r.status() == StatusCode::OK {
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    } else {
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "no font installed");
    }
}

#[tokio::test]
async fn api_reads_submits_and_exports() {
    let app = TestApp::spawn(&SETUP).await;
    let s = demo_survey(&app).await;
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
    let xa1 = token("xa1").await;
    let xa2 = token("xa2").await;
    let client = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", app.base);
    let r = client.get(url(&format!("/api/v1/surveys/{}", s.id))).bearer_auth(&xa1).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let j: serde_json::Value = r.json().await.unwrap();
    assert!(j["questions"].as_array().unwrap().iter().any(|q| q["key"] == "overall"));
    assert_eq!(client.get(url(&format!("/api/v1/surveys/{}", s.id))).bearer_auth(&xa2).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // Submitting: the same validation as the page; stored as paper.
    let path = url(&format!("/api/v1/surveys/{}/responses", s.id));
    let r = client.post(&path).bearer_auth(&xa1).json(&serde_json::json!({"answers": {"overall": "Tạm được"}})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let j: serde_json::Value = r.json().await.unwrap();
    assert!(j["errors"].as_array().unwrap().iter().any(|e| e["key"] == "overall"));
    let body = serde_json::json!({"answers": {"respondent_type": CITIZEN, "info_access": "Hài lòng", "officer_attitude": "Hài lòng", "overall": "Hài lòng"}});
    let r = client.post(&path).bearer_auth(&xa1).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(client.post(&path).bearer_auth(&xa2).json(&body).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    let r = client.get(url(&format!("/api/v1/surveys/{}/results", s.id))).bearer_auth(&xa1).send().await.unwrap();
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["responses"], 31);
    let overall = j["questions"].as_array().unwrap().iter().find(|q| q["key"] == "overall").unwrap();
    assert_eq!((overall["satisfied"].as_i64(), overall["answered"].as_i64()), (Some(24), Some(31)));
    let r = client.get(url(&format!("/api/v1/surveys/{}/export.csv", s.id))).bearer_auth(&xa1).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap().lines().count(), 32);
}
