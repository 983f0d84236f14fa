//! Periodic reports end to end over HTTP: opening a round, entry with validation, submit,
//! approve and return with a comment, the live roll-up, completeness, locks and unlocking,
//! exports read back, XLSX import, the API, permissions, the roll-up under random workflows,
//! and the history of units merged in 2025.

use std::collections::BTreeMap;

use kernel::db::Db;
use kernel::db::audit::Actor;
use reports::rules::ReportEvent;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;

use crate::helpers::{Session, SETUP, TestApp, location};

fn year() -> i32 {
    chrono::Datelike::year(&kernel::page::today())
}

async fn exec_sql(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&p.write).await.unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(p).await.unwrap();
        }
    }
}

/// The demo round of the mediation form for the first half of this year.
async fn hgcs_round(app: &TestApp) -> reports::store::Round {
    let key = format!("{}-H1", year());
    reports::store::rounds(&app.db, "%", None).await.unwrap().into_iter().find(|r| r.form_code == "HGCS" && r.period_key == key).unwrap()
}

async fn open(app: &TestApp, tinh: &Session, round_id: i64) {
    let due = text_vi::format_date(kernel::page::today() + chrono::Duration::days(10));
    let r = tinh.post(&format!("/bao-cao/ky/{round_id}/mo"), &[("due", &due), ("lock_days", "30")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    assert_eq!(reports::store::round(&app.db, round_id).await.unwrap().status, "open");
}

async fn report_of(app: &TestApp, round_id: i64, commune_code: &str) -> reports::store::Report {
    let unit = app.unit_id(commune_code).await;
    reports::store::reports_of_round(&app.db, round_id).await.unwrap().into_iter().find(|r| r.unit_id == unit).unwrap()
}

async fn rollup_at(app: &TestApp, round_id: i64, unit_id: i64) -> BTreeMap<String, i64> {
    reports::store::rollup(&app.db, round_id, unit_id).await.unwrap().into_iter().collect()
}

#[tokio::test]
async fn open_fill_validate_submit_review_and_aggregate() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let round = hgcs_round(&app).await;
    assert_eq!(round.status, "planned");

    // Opening: a bad deadline keeps what was typed.
    let r = tinh.post(&format!("/bao-cao/ky/{}/mo", round.id), &[("due", "31/02/2026"), ("lock_days", "x")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(reports::msg::DUE_INVALID));
    assert!(html.contains(reports::msg::LOCK_DAYS_INVALID));
    assert!(html.contains("value=\"31/02/2026\""));
    open(&app, &tinh, round.id).await;
    let province = app.unit_id("20").await;

    // xa1 sees its report to fill; a rule error is shown beside the field and nothing is lost.
    let xa1 = app.login_as("xa1").await;
    let (_, list) = xa1.text("/bao-cao").await;
    let rep1 = report_of(&app, round.id, "05977").await;
    assert!(list.contains(&format!("/bao-cao/{}", rep1.id)), "{list}");
    let version = rep1.version.to_string();
    let r = xa1.post(&format!("/bao-cao/{}", rep1.id), &[
        ("version", &version), ("v:cases_received", "10"), ("v:cases_settled", "8"), ("v:cases_not_settled", "5"), ("v:teams", "abc"), ("action", "submit"),
    ]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("không được lớn hơn"), "{html}");
    assert!(html.contains(reports::msg::NOT_A_NUMBER));
    assert!(html.contains("name=\"v:cases_settled\" value=\"8\""), "typed value kept");
    assert!(html.contains("value=\"abc\""), "typed text kept");
    assert!(reports::store::values(&app.db, rep1.id).await.unwrap().is_empty(), "nothing saved");
    assert_eq!(reports::store::report(&app.db, rep1.id).await.unwrap().state, "draft");

    // Fixed and submitted.
    let r = xa1.post(&format!("/bao-cao/{}", rep1.id), &[
        ("version", &version), ("v:teams", "3"), ("v:mediators", "15"), ("v:cases_received", "10"), ("v:cases_settled", "6"), ("v:cases_not_settled", "3"),
        ("v:cases_in_progress", "1"), ("v:remuneration_paid", "1.500.000"), ("action", "submit"),
    ]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let rep1 = reports::store::report(&app.db, rep1.id).await.unwrap();
    assert_eq!(rep1.state, "submitted");
    assert_eq!(rep1.first_submitted_on, Some(kernel::page::today()));
    // Submitted figures are locked for the reporter, with the reason.
    let r = xa1.post(&format!("/bao-cao/{}", rep1.id), &[("version", &rep1.version.to_string()), ("v:cases_received", "11"), ("action", "save")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains(reports::msg::LOCK_SUBMITTED));
    assert_eq!(reports::store::values(&app.db, rep1.id).await.unwrap().iter().find(|v| v.value_key == "cases_received").unwrap().int_value, Some(10));

    // xa2 submits; xa2 cannot see xa1's report, nor approve its own.
    let xa2 = app.login_as("xa2").await;
    let rep2 = report_of(&app, round.id, "06001").await;
    let r = xa2.post(&format!("/bao-cao/{}", rep2.id), &[("version", &rep2.version.to_string()), ("v:cases_received", "5"), ("v:cases_settled", "5"), ("action", "submit")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(xa2.get(&format!("/bao-cao/{}", rep1.id)).await.status(), StatusCode::NOT_FOUND);
    let rep2 = reports::store::report(&app.db, rep2.id).await.unwrap();
    assert_eq!(xa2.post(&format!("/bao-cao/{}/duyet", rep2.id), &[("version", &rep2.version.to_string())]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(xa2.get(&format!("/bao-cao/ky/{}", round.id)).await.status(), StatusCode::NOT_FOUND);
    let congan = app.login_as("congan").await;
    assert_eq!(congan.get(&format!("/bao-cao/{}", rep1.id)).await.status(), StatusCode::NOT_FOUND);

    // Nothing is counted before approval.
    assert!(rollup_at(&app, round.id, province).await.is_empty());

    // tinh approves xa1's report and returns xa2's with a comment (a comment is required).
    let r = tinh.post(&format!("/bao-cao/{}/duyet", rep1.id), &[("version", &rep1.version.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = tinh.post(&format!("/bao-cao/{}/tra-lai", rep2.id), &[("version", &rep2.version.to_string()), ("comment", "  ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(reports::msg::RETURN_NEEDS_COMMENT));
    let r = tinh.post(&format!("/bao-cao/{}/tra-lai", rep2.id), &[("version", &rep2.version.to_string()), ("comment", "Số vụ tiếp nhận chưa khớp sổ theo dõi")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = xa2.text(&format!("/bao-cao/{}", rep2.id)).await;
    assert!(html.contains("Số vụ tiếp nhận chưa khớp sổ theo dõi"));

    // The live total includes only the approved report, at the commune and the province.
    let total = rollup_at(&app, round.id, province).await;
    assert_eq!(total.get("cases_received"), Some(&10));
    assert_eq!(total.get("cases_settled"), Some(&6));
    assert_eq!(total.get("remuneration_paid"), Some(&1_500_000));
    assert_eq!(rollup_at(&app, round.id, app.unit_id("05977").await).await.get("cases_received"), Some(&10));
    let (status, html) = tinh.text(&format!("/bao-cao/ky/{}", round.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đã nộp <strong>1/2</strong>"), "{html}");
    assert!(html.contains("60,0 %"), "settled rate recomputed from the sums");
    assert!(html.contains("1.500.000"));

    // The aggregate XLSX reads back with the same numbers.
    let r = tinh.get(&format!("/bao-cao/ky/{}/tong-hop.xlsx", round.id)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let rows = documents::read_report_xlsx(&bytes).unwrap();
    let cell = |k: &str| rows.iter().find(|r| r.key == k).map(|r| r.cell.clone());
    // Rows carry the form's own codes (5 = cases received, 6 = settled), never internal keys.
    assert_eq!(cell("5"), Some(documents::RawCell::Number(10.0)));
    assert_eq!(cell("6"), Some(documents::RawCell::Number(6.0)));
    assert!(rows.iter().all(|r| r.key.chars().all(|c| c.is_ascii_digit() || c == '.')), "{:?}", rows.iter().map(|r| &r.key).collect::<Vec<_>>());
    // The narrative report is a DOCX.
    let r = tinh.get(&format!("/bao-cao/ky/{}/bao-cao.docx", round.id)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));

    // Approved figures are locked; unlocking (audited, with a reason) takes them out of the totals.
    let rep1 = reports::store::report(&app.db, rep1.id).await.unwrap();
    let (_, html) = xa1.text(&format!("/bao-cao/{}", rep1.id)).await;
    assert!(html.contains(reports::msg::LOCK_APPROVED));
    let r = tinh.post(&format!("/bao-cao/{}/mo-khoa", rep1.id), &[("version", &rep1.version.to_string()), ("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = tinh.post(&format!("/bao-cao/{}/mo-khoa", rep1.id), &[("version", &rep1.version.to_string()), ("reason", "Điều chỉnh số liệu quý II")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(reports::store::report(&app.db, rep1.id).await.unwrap().state, "returned");
    assert!(rollup_at(&app, round.id, province).await.is_empty(), "nothing double-counted or left behind");
    assert!(kernel::db::audit::count_for_entity(&app.db, "report", &rep1.id.to_string()).await.unwrap() >= 4);
    let history = reports::store::history_of(&app.db, rep1.id).await.unwrap();
    assert!(history.iter().any(|h| h.kind == "approve"));
    assert!(history.iter().any(|h| h.kind == "value" && h.value_key.as_deref() == Some("cases_received") && h.new_value.as_deref() == Some("10")));

    // One-click reminder reaches the units that have not sent.
    let r = tinh.post(&format!("/bao-cao/ky/{}/nhac", round.id), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let reminders = kernel::db::reminders::list(&app.db, "%", Some("manual"), 50, 0).await.unwrap();
    assert!(reminders.iter().any(|r| r.text.contains("Nhắc nộp báo cáo")), "{reminders:?}");
}

#[tokio::test]
async fn prefill_import_comments_and_past_deadline_lock() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let round = hgcs_round(&app).await;
    open(&app, &tinh, round.id).await;
    let xa1 = app.login_as("xa1").await;
    let rep = report_of(&app, round.id, "05977").await;

    // The downloaded sheet, filled offline with one bad row, imports nothing.
    let r = xa1.get(&format!("/bao-cao/{}/tai-ve.xlsx", rep.id)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let blank = r.bytes().await.unwrap().to_vec();
    assert!(documents::read_report_xlsx(&blank).unwrap().iter().any(|r| r.key == "5"));
    let sheet = |rows: Vec<(&str, documents::ReportCell)>| {
        documents::report_xlsx(&documents::ReportSheet {
            parent_body: None, issuing_body: "UBND PHƯỜNG ĐÔNG KINH".into(), form_code: "HGCS".into(), form_version: 1, form_name: "x".into(),
            legal_basis: String::new(), period_label: String::new(), scope_label: String::new(), columns: vec!["Số liệu".into()],
            rows: rows.into_iter().enumerate().map(|(i, (k, v))| documents::ReportRow {
                key: k.into(), stt: i.to_string(), name: k.into(), unit: String::new(), is_section: false, computed: false, values: vec![Some(v)],
            }).collect(),
            place: None, date: None, preparer_title: String::new(), head_title: String::new(), notes: Vec::new(),
        }).unwrap()
    };
    let bad = sheet(vec![("cases_received", documents::ReportCell::Int(7)), ("cases_settled", documents::ReportCell::Text("bảy".into())), ("khong_co", documents::ReportCell::Int(1))]);
    let r = xa1.post_multipart(&format!("/bao-cao/{}/nhap-excel", rep.id), &[], Some(("bao-cao.xlsx", bad))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("phải là số nguyên không âm, nhận được «bảy»"), "{html}");
    assert!(html.contains("«khong_co»"));
    assert!(reports::store::values(&app.db, rep.id).await.unwrap().is_empty());
    let r = xa1.post_multipart(&format!("/bao-cao/{}/nhap-excel", rep.id), &[], Some(("x.xlsx", b"not a spreadsheet".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The form's codes (as downloaded now) import; the bad sheet above used the older value keys.
    let good = sheet(vec![("5", documents::ReportCell::Int(7)), ("6", documents::ReportCell::Text("4".into())), ("10", documents::ReportCell::Real(57.1))]);
    let version = reports::store::report(&app.db, rep.id).await.unwrap().version.to_string();
    let r = xa1.post_multipart(&format!("/bao-cao/{}/nhap-excel", rep.id), &[("version", &version)], Some(("x.xlsx", good))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let values = reports::store::values(&app.db, rep.id).await.unwrap();
    assert_eq!(values.iter().find(|v| v.value_key == "cases_received").and_then(|v| v.int_value), Some(7));
    assert!(reports::store::history_of(&app.db, rep.id).await.unwrap().iter().any(|h| h.source.as_deref() == Some("import")));

    // A comment on one value, shown beside it.
    let r = tinh.post(&format!("/bao-cao/{}/y-kien", rep.id), &[("key", "cases_received"), ("text", "Đề nghị kiểm tra lại số vụ")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = xa1.text(&format!("/bao-cao/{}", rep.id)).await;
    assert!(html.contains("Đề nghị kiểm tra lại số vụ"));

    // Past the deadline plus the grace days the draft locks, and says why; an unlock lets it in.
    exec_sql(&app.db, &format!("UPDATE report_rounds SET due_on = '2026-01-10', lock_after_days = 5 WHERE id = {}", round.id)).await;
    let rep = reports::store::report(&app.db, rep.id).await.unwrap();
    let r = xa1.post(&format!("/bao-cao/{}", rep.id), &[("version", &rep.version.to_string()), ("v:cases_received", "8"), ("action", "save")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let text = r.text().await.unwrap();
    assert!(text.contains("<span id=\"v-cases_received\">8</span>"), "the typed value is still shown");
    assert!(text.contains("Đã quá hạn nộp báo cáo (hạn 10/01/2026)") && text.contains("16/01/2026"), "{text}");
    let (_, html) = tinh.text(&format!("/bao-cao/ky/{}", round.id)).await;
    assert!(html.contains("Chưa nộp (quá hạn)"));
    let until = text_vi::format_date(kernel::page::today() + chrono::Duration::days(3));
    let r = tinh.post(&format!("/bao-cao/{}/mo-khoa", rep.id), &[("until", &until), ("reason", "Đơn vị đề nghị nộp muộn")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let rep = reports::store::report(&app.db, rep.id).await.unwrap();
    let r = xa1.post(&format!("/bao-cao/{}", rep.id), &[("version", &rep.version.to_string()), ("v:cases_received", "8"), ("v:cases_settled", "4"), ("action", "submit")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = reports::service::completeness(&app.db, &reports::store::round(&app.db, round.id).await.unwrap(), kernel::page::today()).await.unwrap();
    assert_eq!(c.late, 1);
    // A stale version is refused without losing the input.
    let r = xa1.post(&format!("/bao-cao/{}", report_of(&app, round.id, "05977").await.id), &[("version", "1"), ("v:cases_received", "9"), ("action", "save")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn api_reads_fills_and_submits() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let round = hgcs_round(&app).await;
    open(&app, &tinh, round.id).await;
    let client = reqwest::Client::new();
    let token: serde_json::Value = client.post(format!("{}/api/v1/tokens", app.base))
        .json(&serde_json::json!({"username": "xa2", "password": crate::helpers::PASSWORD, "name": "phần mềm xã"}))
        .send().await.unwrap().json().await.unwrap();
    let bearer = format!("Bearer {}", token["token"].as_str().unwrap());
    let list: serde_json::Value = client.get(format!("{}/api/v1/reports", app.base)).header("authorization", &bearer).send().await.unwrap().json().await.unwrap();
    // The demo's open PBGDPL report is listed too.
    let item = list["items"].as_array().unwrap().iter().find(|i| i["form_code"] == "HGCS").expect("the HGCS report");
    let id = item["id"].as_i64().unwrap();
    let version = item["version"].as_i64().unwrap();
    // Invalid figures: 422 with one error per key, nothing saved.
    let r = client.put(format!("{}/api/v1/reports/{id}/values", app.base)).header("authorization", &bearer)
        .json(&serde_json::json!({"version": version, "values": {"cases_received": 2, "cases_settled": 3, "teams": -1, "bogus": 1}})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = r.json().await.unwrap();
    let keys: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["key"].as_str().unwrap()).collect();
    assert!(keys.contains(&"teams") && keys.contains(&"bogus"), "{body}");
    let r = client.put(format!("{}/api/v1/reports/{id}/values", app.base)).header("authorization", &bearer)
        .json(&serde_json::json!({"version": version, "values": {"cases_received": 4, "cases_settled": 3}})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let dto: serde_json::Value = r.json().await.unwrap();
    assert_eq!(dto["values"]["cases_received"], 4);
    assert_eq!(dto["computed"]["settled_rate"], 75.0);
    // A stale version conflicts.
    let r = client.put(format!("{}/api/v1/reports/{id}/values", app.base)).header("authorization", &bearer)
        .json(&serde_json::json!({"version": version, "values": {}})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = client.post(format!("{}/api/v1/reports/{id}/submit", app.base)).header("authorization", &bearer)
        .json(&serde_json::json!({"version": dto["version"]})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let dto: serde_json::Value = r.json().await.unwrap();
    assert_eq!(dto["state"], "submitted");
    assert_eq!(dto["lock"], "submitted");
    // Another commune's report is out of reach.
    let other = report_of(&app, round.id, "05977").await;
    let r = client.get(format!("{}/api/v1/reports/{}", app.base, other.id)).header("authorization", &bearer).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn form_editor_creates_versions_and_rounds_keep_theirs() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let round = hgcs_round(&app).await;
    open(&app, &tinh, round.id).await;
    let form = reports::store::form(&app.db, round.form_id).await.unwrap();
    // A justice officer may read forms but not edit them.
    assert_eq!(tinh.get(&format!("/bao-cao/bieu-mau/{}", form.id)).await.status(), StatusCode::OK);
    assert_eq!(tinh.post(&format!("/bao-cao/bieu-mau/{}", form.id), &[("definition", &form.definition)]).await.status(), StatusCode::FORBIDDEN);
    let admin = app.login_as("admin").await;
    // Invalid text: a Vietnamese error, the text kept.
    let r = admin.post(&format!("/bao-cao/bieu-mau/{}", form.id), &[("definition", "[[forms]]\ncode = \"HGCS\"\nrác")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Biểu mẫu không hợp lệ") && html.contains("rác"));
    let edited = form.definition.replace("Số tổ hòa giải", "Số tổ hòa giải ở cơ sở").replace("2026-01-01", "2027-01-01");
    let r = admin.post(&format!("/bao-cao/bieu-mau/{}", form.id), &[("definition", &edited)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let forms = reports::store::forms(&app.db).await.unwrap();
    let v2 = forms.iter().find(|f| f.code == "HGCS" && f.version == form.version + 1).unwrap();
    assert!(v2.definition.contains("Số tổ hòa giải ở cơ sở"));
    assert_eq!(reports::store::form(&app.db, form.id).await.unwrap().definition, form.definition, "the version in use is unchanged");
    assert_eq!(reports::store::round(&app.db, round.id).await.unwrap().form_id, form.id);
    let day = chrono::NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
    assert_eq!(reports::store::form_for(&app.db, "HGCS", day).await.unwrap().unwrap().id, v2.id);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    assert_eq!(reports::store::form_for(&app.db, "HGCS", day).await.unwrap().unwrap().id, form.id);
}

#[tokio::test]
async fn schedule_page_creates_a_schedule_and_its_rounds() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let (status, html) = tinh.text("/bao-cao/lich/moi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Xã Đoàn Kết"));
    let doan_ket = format!("u{}", app.unit_id("06001").await);
    let r = tinh.post("/bao-cao/lich/moi", &[("name", ""), ("form_code", "TCPL"), ("period_kind", "half_year"), ("filler_level", "commune"), ("member", &doan_ket), ("member", "ủ9"), ("member", "u999999999")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Biểu mẫu này không dùng cho loại kỳ đã chọn") || html.contains("không dành cho cấp"), "{html}");
    let r = tinh.post("/bao-cao/lich/moi", &[("name", "Báo cáo PBGDPL quý"), ("form_code", "PBGDPL"), ("period_kind", "year"), ("filler_level", "commune"), ("member", &doan_ket)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let loc = location(&r);
    let r = tinh.post(&format!("{loc}/lap-ky"), &[("year", "hai nghìn")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = tinh.post(&format!("{loc}/lap-ky"), &[("year", "2027")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = tinh.text(&loc).await;
    assert!(html.contains("năm 2027"), "{html}");
    // Ad hoc (đột xuất): any form; each click adds the next numbered round of the year.
    let r = tinh.post("/bao-cao/lich/moi", &[("name", "Báo cáo đột xuất về hòa giải"), ("form_code", "HGCS"), ("period_kind", "ad_hoc"), ("filler_level", "commune"), ("member", &doan_ket)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let loc = location(&r);
    for _ in 0..2 {
        let r = tinh.post(&format!("{loc}/lap-ky"), &[("year", "2026")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let (_, html) = tinh.text(&loc).await;
    assert!(html.contains("Tạo kỳ đột xuất") && html.contains("đột xuất số 1 năm 2026") && html.contains("đột xuất số 2 năm 2026"), "{html}");
}

/// Random workflows on a random tree (communes and villages under the province): after every
/// step the live roll-up at every node equals the sum over the approved reports below it.
#[tokio::test]
async fn rollup_equals_sum_of_approved_leaves_under_random_workflows() {
    let app = TestApp::spawn(&SETUP).await;
    let db = &app.db;
    let actor = Actor::cli();
    let admin = kernel::db::accounts::by_username(db, "admin").await.unwrap();
    let province = kernel::db::units::get(db, app.unit_id("20").await).await.unwrap();
    let communes = kernel::db::units::children(db, Some(province.id), Some(kernel::page::today())).await.unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261129);
    // Random tree: a few communes, some with villages; reporters are communes and villages.
    let mut reporters: Vec<kernel::db::units::Unit> = Vec::new();
    for c in communes.iter().take(6) {
        if rng.random_bool(0.5) {
            let mut tx = db.begin().await.unwrap();
            for i in 0..rng.random_range(1..4) {
                reporters.push(kernel::db::units::create_village(&mut tx, c, &format!("Thôn thử {i}"), "thon").await.unwrap());
            }
            tx.commit().await.unwrap();
        } else {
            reporters.push(c.clone());
        }
    }
    let mut tx = db.begin().await.unwrap();
    let sid = reports::store::create_schedule(&mut tx, &reports::store::NewSchedule {
        unit_id: province.id, form_code: "HGCS".into(), period_kind: "year".into(), filler_level: "commune".into(), name: "thử".into(),
        created_by: None, members: reporters.iter().map(|u| (u.id, None)).collect(),
    }).await.unwrap();
    tx.commit().await.unwrap();
    let schedule = reports::store::schedule(db, sid).await.unwrap();
    reports::service::generate_rounds(db, &actor, &schedule, year()).await.unwrap();
    let round = reports::store::rounds_of_schedule(db, sid).await.unwrap().remove(0);
    reports::service::open_round(db, &actor, &round, None, None).await.unwrap();
    let round = reports::store::round(db, round.id).await.unwrap();
    let reports = reports::store::reports_of_round(db, round.id).await.unwrap();
    let nodes: Vec<kernel::db::units::Unit> = kernel::db::units::subtree(db, province.id, 100_000).await.unwrap();
    for step in 0..60 {
        let rep = reports::store::report(db, reports[rng.random_range(0..reports.len())].id).await.unwrap();
        let event = match rep.state.as_str() {
            "draft" | "returned" => {
                let received = rng.random_range(0..50i64);
                let settled = rng.random_range(0..=received);
                let values = vec![
                    reports::store::StoredValue { value_key: "cases_received".into(), int_value: Some(received), text_value: None, prefilled: false },
                    reports::store::StoredValue { value_key: "cases_settled".into(), int_value: Some(settled), text_value: None, prefilled: false },
                    reports::store::StoredValue { value_key: "teams".into(), int_value: Some(rng.random_range(0..5)), text_value: None, prefilled: false },
                ];
                reports::service::save_values(db, &actor, admin.id, &rep, rep.version, &values, "manual").await.unwrap();
                ReportEvent::Submit
            }
            "submitted" => if rng.random_bool(0.6) { ReportEvent::Approve } else { ReportEvent::Return },
            _ => ReportEvent::Return,
        };
        let rep = reports::store::report(db, rep.id).await.unwrap();
        reports::service::transition(db, &actor, admin.id, &rep, &round, event, rep.version, Some("thử"), kernel::page::today()).await.unwrap();
        // Expected: sums over approved reports below each node.
        let approved = reports::store::approved_values(db, round.id).await.unwrap();
        let all = reports::store::rollup_all(db, round.id).await.unwrap();
        for node in &nodes {
            let mut expected: BTreeMap<String, i64> = BTreeMap::new();
            for (_, path, key, v) in &approved {
                if path.starts_with(&node.path) {
                    *expected.entry(key.clone()).or_insert(0) += v;
                }
            }
            expected.retain(|_, v| *v != 0);
            let got: BTreeMap<String, i64> = all.iter().filter(|(u, _, _)| *u == node.id).map(|(_, k, v)| (k.clone(), *v)).collect();
            assert_eq!(got, expected, "step {step}, node {}", node.name);
        }
    }
}

/// Reports made by communes abolished in 2025 stay theirs: on the old tree they roll up to the
/// old province and districts; on today's map they count at the commune they became, and a
/// partly merged commune counts whole at one successor, which the page says. The merged
/// province's officers still see them.
#[tokio::test]
async fn merged_communes_roll_up_on_the_old_tree_or_todays_map() {
    let app = TestApp::spawn(&SETUP).await;
    let db = &app.db;
    let actor = Actor::cli();
    let admin = kernel::db::accounts::by_username(db, "admin").await.unwrap();
    let day2024 = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    // A 2024 version of the mediation form for communes.
    let current = reports::store::form_for(db, "HGCS", chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()).await.unwrap().unwrap();
    let text = current.definition.replace("version = 1", "version = 9").replace("valid_from = \"2026-01-01\"", "valid_from = \"2024-01-01\"\nvalid_to = \"2025-07-01\"");
    let parsed = reports::service::catalogue().unwrap().parse_version(&text).unwrap();
    let mut tx = db.begin().await.unwrap();
    reports::store::insert_form(&mut tx, &reports::store::NewForm {
        code: "HGCS", version: 9, name: &parsed.name, valid_from: parsed.valid_from, valid_to: parsed.valid_to, definition: &text, created_by: None,
    }).await.unwrap();
    let old_province = kernel::db::units::by_code(db, "20", day2024).await.unwrap();
    let olds: Vec<kernel::db::units::Unit> = {
        let mut v = Vec::new();
        for code in ["05998", "06010", "06622"] {
            v.push(kernel::db::units::by_code(db, code, day2024).await.unwrap());
        }
        v
    };
    let sid = reports::store::create_schedule(&mut tx, &reports::store::NewSchedule {
        unit_id: old_province.id, form_code: "HGCS".into(), period_kind: "half_year".into(), filler_level: "commune".into(), name: "2024".into(),
        created_by: None, members: olds.iter().map(|u| (u.id, None)).collect(),
    }).await.unwrap();
    tx.commit().await.unwrap();
    let schedule = reports::store::schedule(db, sid).await.unwrap();
    reports::service::generate_rounds(db, &actor, &schedule, 2024).await.unwrap();
    let rounds = reports::store::rounds_of_schedule(db, sid).await.unwrap();
    let round = rounds.iter().find(|r| r.period_key == "2024-H1").cloned().unwrap_or_else(|| panic!("{rounds:?}"));
    assert_eq!(reports::store::form(db, round.form_id).await.unwrap().version, 9);
    reports::service::open_round(db, &actor, &round, None, None).await.unwrap();
    let round = reports::store::round(db, round.id).await.unwrap();
    // Khánh Long 3, Cao Minh 4, Bính Xá 5.
    for rep in reports::store::reports_of_round(db, round.id).await.unwrap() {
        let n = [3i64, 4, 5][olds.iter().position(|u| u.id == rep.unit_id).unwrap()];
        let values = vec![reports::store::StoredValue { value_key: "cases_received".into(), int_value: Some(n), text_value: None, prefilled: false }];
        reports::service::save_values(db, &actor, admin.id, &rep, rep.version, &values, "manual").await.unwrap();
        for ev in [ReportEvent::Submit, ReportEvent::Approve] {
            let rep = reports::store::report(db, rep.id).await.unwrap();
            reports::service::transition(db, &actor, admin.id, &rep, &round, ev, rep.version, None, day2024).await.unwrap();
        }
    }
    // Old tree: everything at the old province.
    let form = reports::service::form_of(db, round.form_id).await.unwrap();
    let (total, _, _) = reports::service::aggregate(db, &form, &round, old_province.id, reports::service::MapView::AsReported).await.unwrap();
    assert_eq!(total.int("cases_received"), 12);
    // Today's map at today's province: Khánh Long and Cao Minh are now Xã Đoàn Kết.
    let province_now = app.unit_id("20").await;
    let (total, kids, notes) = reports::service::aggregate(db, &form, &round, province_now, reports::service::MapView::Today).await.unwrap();
    assert_eq!(total.int("cases_received"), 12);
    let doan_ket = kids.iter().find(|k| k.name == "Xã Đoàn Kết").unwrap();
    assert_eq!(doan_ket.values.int("cases_received"), 7);
    assert_eq!(notes.len(), 1, "{notes:?}");
    // Xã Bính Xá was split between Xã Đình Lập and Xã Kiên Mộc: it counts whole at the first.
    let dinh_lap = kids.iter().find(|k| k.name == "Xã Đình Lập").unwrap();
    assert_eq!(dinh_lap.values.int("cases_received"), 5);
    assert!(notes[0].contains("Xã Bính Xá") && notes[0].contains("Xã Kiên Mộc"), "{notes:?}");
    // The merged province's officer sees the old round, on today's map.
    let tinh = app.login_as("tinh").await;
    let (status, html) = tinh.text(&format!("/bao-cao/ky/{}?ban-do=hien-nay", round.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Xã Đoàn Kết") && html.contains("được tính toàn bộ vào"), "{html}");
    let (status, html) = tinh.text(&format!("/bao-cao/ky/{}", round.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("theo đơn vị hành chính tại thời điểm báo cáo"));
    // xa1 (a commune) does not see the province's round.
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.get(&format!("/bao-cao/ky/{}", round.id)).await.status(), StatusCode::NOT_FOUND);
}

/// The daily job reminds the officers of unsent reports before the deadline and after it, once
/// a day at most, and not after the report is sent.
#[tokio::test]
async fn daily_job_reminds_unsent_reports() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let round = hgcs_round(&app).await;
    open(&app, &tinh, round.id).await;
    let round = reports::store::round(&app.db, round.id).await.unwrap();
    let due = round.due_on.unwrap();
    let xa1 = app.account_id("xa1").await;
    let count = |list: Vec<kernel::db::reminders::Reminder>| list.iter().filter(|r| r.kind == "missing_report" && r.recipient_id == xa1).count();
    // Ten days before the deadline: outside the 7-day window.
    kernel::notify::run_reminders(&app.db, &app.base, due - chrono::Duration::days(10), &[reports::jobs::reminder_items], &kernel::account::Scope { global: true, unit_path: String::new() }).await.unwrap();
    assert_eq!(count(kernel::db::reminders::list(&app.db, "%", None, 100, 0).await.unwrap()), 0);
    // Within the window: one reminder; running again the same day sends nothing more.
    let day = due - chrono::Duration::days(3);
    kernel::notify::run_reminders(&app.db, &app.base, day, &[reports::jobs::reminder_items], &kernel::account::Scope { global: true, unit_path: String::new() }).await.unwrap();
    kernel::notify::run_reminders(&app.db, &app.base, day, &[reports::jobs::reminder_items], &kernel::account::Scope { global: true, unit_path: String::new() }).await.unwrap();
    let list = kernel::db::reminders::list(&app.db, "%", None, 100, 0).await.unwrap();
    assert_eq!(count(list.clone()), 1, "{list:?}");
    assert!(list.iter().any(|r| r.text.contains("Nhắc nộp báo cáo") && r.text.contains(&text_vi::format_date(due))));
    // After the deadline: reminded again as overdue.
    kernel::notify::run_reminders(&app.db, &app.base, due + chrono::Duration::days(1), &[reports::jobs::reminder_items], &kernel::account::Scope { global: true, unit_path: String::new() }).await.unwrap();
    assert_eq!(count(kernel::db::reminders::list(&app.db, "%", None, 100, 0).await.unwrap()), 2);
    // Once sent, no more reminders.
    let rep = report_of(&app, round.id, "05977").await;
    let s = app.login_as("xa1").await;
    let r = s.post(&format!("/bao-cao/{}", rep.id), &[("version", &rep.version.to_string()), ("v:cases_received", "1"), ("action", "submit")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    kernel::notify::run_reminders(&app.db, &app.base, due + chrono::Duration::days(9), &[reports::jobs::reminder_items], &kernel::account::Scope { global: true, unit_path: String::new() }).await.unwrap();
    assert_eq!(count(kernel::db::reminders::list(&app.db, "%", None, 100, 0).await.unwrap()), 2);
}

/// Figures recorded on the commune's plan tasks this year prefill its empty PBGDPL report,
/// marked as such; the officer may change them and the mark goes.
#[tokio::test]
async fn task_results_prefill_the_pbgdpl_report() {
    use plans::store::plans::{PlanContent, PlanInput, PlanOrigin, TaskInput};
    let app = TestApp::spawn(&SETUP).await;
    let unit = app.unit_id("05977").await;
    let mut tx = app.db.begin().await.unwrap();
    let plan = plans::store::plans::create(&mut tx, &PlanInput {
        unit_id: unit, kind: "annual".into(), title: "Kế hoạch PBGDPL phường".into(), number: Some("5/KH-UBND".into()),
        year: Some(year()), cascade_level: "none".into(), ..Default::default()
    }, &PlanOrigin::default()).await.unwrap();
    let tasks = plans::store::plans::insert_content(&mut tx, plan, &PlanContent { tasks: vec![TaskInput { path: "II.1".into(), title: "Hội nghị phổ biến".into(), ..Default::default() }], ..Default::default() }).await.unwrap();
    plans::store::plans::set_status(&mut tx, plan, "issued").await.unwrap();
    for (s, a, m) in [(2, 80, 30), (1, 45, 20)] {
        plans::store::tasks::add_update(&mut tx, &plans::store::tasks::UpdateInput { task_id: tasks[0], kind: "note".into(), sessions: Some(s), attendees: Some(a), materials: Some(m), ..Default::default() }).await.unwrap();
    }
    tx.commit().await.unwrap();
    let tinh = app.login_as("tinh").await;
    let key = format!("{}-Y", year());
    let round = reports::store::rounds(&app.db, "%", None).await.unwrap().into_iter().find(|r| r.form_code == "PBGDPL" && r.period_key == key).unwrap();
    // The demo opens this year's PBGDPL round; prefilling happens when the report is shown.
    if round.status != "open" {
        open(&app, &tinh, round.id).await;
    }
    let rep = report_of(&app, round.id, "05977").await;
    let xa1 = app.login_as("xa1").await;
    let (_, html) = xa1.text(&format!("/bao-cao/{}", rep.id)).await;
    assert!(html.contains("name=\"v:direct_sessions\" value=\"3\""), "{html}");
    assert!(html.contains("name=\"v:direct_attendance\" value=\"125\""));
    assert!(html.contains("name=\"v:materials_issued\" value=\"50\""));
    assert!(html.contains("Tự điền (có thể sửa): kết quả nhiệm vụ"));
    // Saved as shown: the marks stay; a changed figure loses its mark.
    let r = xa1.post(&format!("/bao-cao/{}", rep.id), &[
        ("version", &rep.version.to_string()), ("v:direct_sessions", "3"), ("v:direct_attendance", "130"), ("v:materials_issued", "50"), ("action", "save"),
    ]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let values = reports::store::values(&app.db, rep.id).await.unwrap();
    let get = |k: &str| values.iter().find(|v| v.value_key == k).unwrap().clone();
    assert!(get("direct_sessions").prefilled);
    assert!(!get("direct_attendance").prefilled);
    assert_eq!(get("direct_attendance").int_value, Some(130));
    // Another commune has nothing to prefill.
    let other = report_of(&app, round.id, "06001").await;
    let xa2 = app.login_as("xa2").await;
    let (_, html) = xa2.text(&format!("/bao-cao/{}", other.id)).await;
    assert!(!html.contains("Tự điền (có thể sửa): kết quả nhiệm vụ"));
}

/// An agency reports too: the province asks Công an tỉnh for the yearly PBGDPL report; its
/// focal point fills and sends it, the province approves, and the figures reach the total.
#[tokio::test]
async fn an_agency_fills_its_own_report() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let police = kernel::db::accounts::by_username(&app.db, "congan").await.unwrap().agency_id.unwrap();
    let member = format!("a{police}");
    let r = tinh.post("/bao-cao/lich/moi", &[("name", "Báo cáo PBGDPL của các sở, ngành"), ("form_code", "PBGDPL"), ("period_kind", "year"), ("filler_level", "agency"), ("member", &member)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let loc = location(&r);
    let sid: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    let r = tinh.post(&format!("{loc}/lap-ky"), &[("year", &year().to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let round = reports::store::rounds_of_schedule(&app.db, sid).await.unwrap().remove(0);
    open(&app, &tinh, round.id).await;
    let rep = reports::store::reports_of_round(&app.db, round.id).await.unwrap().remove(0);
    assert_eq!(rep.agency_id, Some(police));
    // The focal point sees it in its list, fills it and sends it; a commune cannot see it.
    let congan = app.login_as("congan").await;
    let (_, html) = congan.text("/bao-cao").await;
    assert!(html.contains(&format!("/bao-cao/{}", rep.id)));
    let r = congan.post(&format!("/bao-cao/{}", rep.id), &[("version", &rep.version.to_string()), ("v:direct_sessions", "12"), ("v:direct_attendance", "950"), ("action", "submit")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.get(&format!("/bao-cao/{}", rep.id)).await.status(), StatusCode::NOT_FOUND);
    // The province's officers review it (they may also enter it for an agency without an account).
    let rep = reports::store::report(&app.db, rep.id).await.unwrap();
    let r = tinh.post(&format!("/bao-cao/{}/duyet", rep.id), &[("version", &rep.version.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let total = rollup_at(&app, round.id, app.unit_id("20").await).await;
    assert_eq!(total.get("direct_attendance"), Some(&950));
    let (_, html) = tinh.text(&format!("/bao-cao/ky/{}", round.id)).await;
    assert!(html.contains("Công an tỉnh Lạng Sơn") && html.contains("Đã nộp <strong>1/1</strong>"), "{html}");
}

/// The structured form editor: renames, drops an unused indicator, adds one, sets validity;
/// refuses to drop an indicator a rule uses, keeping what was typed.
#[tokio::test]
async fn structured_form_editor() {
    let app = TestApp::spawn(&SETUP).await;
    let admin = app.login_as("admin").await;
    let base = reports::store::form_for(&app.db, "HGCS", chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()).await.unwrap().unwrap();
    let form = reports::service::catalogue().unwrap().parse_version(&base.definition).unwrap();
    let mut fields: Vec<(String, String)> = vec![
        ("name".into(), form.name.clone()), ("legal_basis".into(), form.legal_basis.clone()),
        ("valid_from".into(), "01/01/2027".into()), ("valid_to".into(), String::new()),
    ];
    for i in form.indicators() {
        let name = if i.code == "teams" { "Số tổ hòa giải đang hoạt động".to_string() } else { i.name.clone() };
        fields.push((format!("name:{}", i.code), name));
        fields.push((format!("unit:{}", i.code), i.unit.clone()));
    }
    // Dropping an indicator a rule uses is refused beside it, with the typed values kept.
    let mut bad = fields.clone();
    bad.push(("remove:cases_settled".into(), "on".into()));
    bad.push(("new_section".into(), "II".into()));
    bad.push(("new_name".into(), "Số vụ việc chuyển cơ quan có thẩm quyền".into()));
    bad.push(("new_unit".into(), "vụ việc".into()));
    let as_refs = |v: &Vec<(String, String)>| v.iter().map(|(a, b)| (a.clone(), b.clone())).collect::<Vec<_>>();
    let post = |v: Vec<(String, String)>| {
        let v: Vec<(String, String)> = v;
        let admin = &admin;
        async move {
            let refs: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            admin.post(&format!("/bao-cao/bieu-mau/{}/sua", base.id), &refs).await
        }
    };
    let r = post(as_refs(&bad)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Không bỏ được «Số vụ việc hòa giải thành»"), "{html}");
    assert!(html.contains("value=\"Số tổ hòa giải đang hoạt động\""));
    assert!(html.contains("value=\"Số vụ việc chuyển cơ quan có thẩm quyền\""));
    // A valid edit: a rename, an unused indicator dropped, a new one added.
    let mut good = fields.clone();
    good.push(("remove:remuneration_paid".into(), "on".into()));
    good.push(("new_section".into(), "II".into()));
    good.push(("new_name".into(), "Số vụ việc chuyển cơ quan có thẩm quyền".into()));
    good.push(("new_unit".into(), "vụ việc".into()));
    let r = post(good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let v2 = reports::store::form_for(&app.db, "HGCS", chrono::NaiveDate::from_ymd_opt(2027, 6, 30).unwrap()).await.unwrap().unwrap();
    assert_eq!(v2.version, base.version + 1);
    let f2 = reports::service::catalogue().unwrap().parse_version(&v2.definition).unwrap();
    assert_eq!(f2.indicator("teams").unwrap().name, "Số tổ hòa giải đang hoạt động");
    assert!(f2.indicator("remuneration_paid").is_none());
    assert!(f2.indicators().any(|i| i.name == "Số vụ việc chuyển cơ quan có thẩm quyền"));
    // 2026 keeps the old version.
    assert_eq!(reports::store::form_for(&app.db, "HGCS", chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()).await.unwrap().unwrap().id, base.id);
}

#[tokio::test]
async fn api_lists_the_report_form_versions() {
    let app = TestApp::spawn(&SETUP).await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/report-forms", app.base);
    assert_eq!(client.get(&url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let token: serde_json::Value = client.post(format!("{}/api/v1/tokens", app.base))
        .json(&serde_json::json!({"username": "xa1", "password": crate::helpers::PASSWORD, "name": "phần mềm xã"}))
        .send().await.unwrap().json().await.unwrap();
    let bearer = format!("Bearer {}", token["token"].as_str().unwrap());
    let r = client.get(&url).header("authorization", &bearer).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let list: serde_json::Value = r.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    let codes: std::collections::BTreeSet<&str> = items.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains("HGCS") && codes.contains("PBGDPL"), "{codes:?}");
    let hgcs = items.iter().find(|f| f["code"] == "HGCS").unwrap();
    assert!(hgcs["version"].as_i64().unwrap() >= 1);
    assert!(hgcs["valid_from"].is_string());
    let indicators = hgcs["indicators"].as_array().unwrap();
    let received = indicators.iter().find(|i| i["code"] == "cases_received").unwrap();
    assert_eq!(received["kind"], "count");
    assert_eq!(received["computed"], false);
    let rate = indicators.iter().find(|i| i["code"] == "settled_rate").unwrap();
    assert_eq!(rate["computed"], true);
    assert!(indicators.iter().all(|i| ["count", "amount_vnd", "percentage", "ratio", "text"].contains(&i["kind"].as_str().unwrap())));
    assert!(indicators.iter().any(|i| !i["disaggregations"].as_array().unwrap().is_empty()), "some indicator is disaggregated");
    // Filtered by code.
    let only: serde_json::Value = client.get(format!("{url}?code=PBGDPL")).header("authorization", &bearer).send().await.unwrap().json().await.unwrap();
    assert!(only["items"].as_array().unwrap().iter().all(|f| f["code"] == "PBGDPL"));
    assert!(!only["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn extreme_figures_are_refused_and_the_rollup_stays_an_integer() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let round = hgcs_round(&app).await;
    open(&app, &tinh, round.id).await;
    let rep = report_of(&app, round.id, "05977").await;
    // The page: i64::MAX with Vietnamese grouping is a figure above the maximum, kept as typed.
    let xa1 = app.login_as("xa1").await;
    let r = xa1.post(&format!("/bao-cao/{}", rep.id), &[("version", &rep.version.to_string()), ("v:cases_received", "9.223.372.036.854.775.807"), ("action", "submit")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("không được lớn hơn 1.000.000.000"), "an error beside the field");
    assert!(html.contains("9.223.372.036.854.775.807"), "what was typed is kept");
    // The API: the breakdown that used to wrap to 1.
    let client = reqwest::Client::new();
    let token: serde_json::Value = client.post(format!("{}/api/v1/tokens", app.base))
        .json(&serde_json::json!({"username": "xa1", "password": crate::helpers::PASSWORD, "name": "thử"}))
        .send().await.unwrap().json().await.unwrap();
    let bearer = format!("Bearer {}", token["token"].as_str().unwrap());
    let members = ["marriage_family", "land", "civil"];
    let mut values = serde_json::Map::new();
    values.insert("cases_received".into(), 1.into());
    values.insert(format!("cases_received:mediation_field:{}", members[0]), i64::MAX.into());
    values.insert(format!("cases_received:mediation_field:{}", members[1]), i64::MAX.into());
    values.insert(format!("cases_received:mediation_field:{}", members[2]), 3.into());
    let r = client.put(format!("{}/api/v1/reports/{}/values", app.base, rep.id)).header("authorization", &bearer)
        .json(&serde_json::json!({"version": rep.version, "values": values})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text().await.unwrap());
    // The store refuses an addition that would leave i64 and leaves the sum an integer.
    let province = app.unit_id("20").await;
    let path = format!("/{province}/");
    let mut tx = app.db.begin().await.unwrap();
    let big: BTreeMap<String, i64> = [("cases_received".to_string(), i64::MAX - 5)].into();
    reports::store::apply_rollup(&mut tx, round.id, &path, &big).await.unwrap();
    let more: BTreeMap<String, i64> = [("cases_received".to_string(), 10)].into();
    assert!(reports::store::apply_rollup(&mut tx, round.id, &path, &more).await.is_err());
    tx.commit().await.unwrap();
    assert_eq!(rollup_at(&app, round.id, province).await.get("cases_received"), Some(&(i64::MAX - 5)));
    // …and the round's pages and aggregate still answer.
    assert_eq!(tinh.get(&format!("/bao-cao/ky/{}", round.id)).await.status(), StatusCode::OK);
    let agg = client.get(format!("{}/api/v1/rounds/{}/aggregate", app.base, round.id)).header("authorization", &bearer).send().await.unwrap();
    assert!(!agg.status().is_server_error());
}

#[tokio::test]
async fn a_failed_submission_keeps_the_figures_as_a_draft() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let round = hgcs_round(&app).await;
    open(&app, &tinh, round.id).await;
    let rep = report_of(&app, round.id, "05977").await;
    let xa1 = app.login_as("xa1").await;
    // Readable figures that break a rule of the form (settled + not settled > received).
    let r = xa1.post(&format!("/bao-cao/{}", rep.id), &[
        ("version", &rep.version.to_string()), ("v:cases_received", "10"), ("v:cases_settled", "8"), ("v:cases_not_settled", "5"), ("v:teams", "3"), ("action", "submit"),
    ]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(reports::msg::SUBMIT_FAILED_DRAFT_SAVED), "says it was kept as a draft");
    assert!(html.contains("không được lớn hơn"));
    let stored = reports::store::values(&app.db, rep.id).await.unwrap();
    assert_eq!(stored.iter().find(|v| v.value_key == "cases_received").and_then(|v| v.int_value), Some(10), "nothing typed is lost");
    assert_eq!(reports::store::report(&app.db, rep.id).await.unwrap().state, "draft", "not sent");
    // After a reload the figures are still there.
    let (_, html) = xa1.text(&format!("/bao-cao/{}", rep.id)).await;
    assert!(html.contains("name=\"v:cases_settled\" value=\"8\""), "kept after a reload");
}
