//! The legal-access standard end to end over HTTP: opening the round, self-assessment with
//! validation, evidence, posting and a citizen's comment, submission, the council's review,
//! the decision and its DOCX, revocation, refusals (a late submission, editing after
//! submission, a reviewer outside the province, a commune acting on another's assessment),
//! rule-set editing that never changes a version in use, and the 2024 history of the old
//! district.

use reqwest::StatusCode;

use crate::helpers::{SETUP, Session, TestApp, location};

fn today() -> chrono::NaiveDate {
    kernel::page::today()
}

fn year() -> i32 {
    chrono::Datelike::year(&today())
}

/// `tinh` opens this year's round; returns its id.
async fn open_round(tinh: &Session) -> i64 {
    let deadline = text_vi::format_date(today() + chrono::Duration::days(20));
    let r = tinh.post("/chuan-tiep-can/dot", &[("year", &year().to_string()), ("deadline", &deadline)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    location(&r).trim_start_matches("/chuan-tiep-can/dot/").split('?').next().unwrap().parse().unwrap()
}

async fn assessment_of(app: &TestApp, round: i64, code: &str) -> legal_access::store::AssessmentRow {
    let unit = app.unit_id(code).await;
    legal_access::store::assessments_of_round(&app.db, round).await.unwrap().into_iter().find(|a| a.unit_id == unit).unwrap()
}

/// Every indicator of the pass/fail set at its level, as form fields.
fn full_marks(rs: &legal_access::rules::ruleset::RuleSet) -> Vec<(String, String)> {
    use legal_access::rules::ruleset::Measure;
    let mut f = Vec::new();
    for i in rs.indicators() {
        let k = i.code.replace('.', "-");
        match i.measure {
            Measure::Ratio => {
                f.push((format!("n-{k}"), "10".into()));
                f.push((format!("d-{k}"), "10".into()));
            }
            Measure::Count => f.push((format!("n-{k}"), "3".into())),
            Measure::YesNo => f.push((format!("y-{k}"), "co".into())),
        }
    }
    f
}

async fn post_owned(s: &Session, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let v: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    s.post(path, &v).await
}

async fn status_of(app: &TestApp, id: i64) -> String {
    legal_access::store::assessment(&app.db, id).await.unwrap().status
}

#[tokio::test]
async fn the_whole_year_from_round_to_recognition() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let xa1 = app.login_as("xa1").await;

    // A bad year and deadline keep what was typed.
    let r = tinh.post("/chuan-tiep-can/dot", &[("year", "19x"), ("deadline", "31/02/2026")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("value=\"19x\"") && body.contains("Năm đánh giá"), "{body}");
    // A commune cannot open a round.
    let r = xa1.post("/chuan-tiep-can/dot", &[("year", &year().to_string()), ("deadline", "31/12/2099")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let round = open_round(&tinh).await;
    let again = tinh.post("/chuan-tiep-can/dot", &[("year", &year().to_string()), ("deadline", &text_vi::format_date(today()))]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "one round a year");
    let a = assessment_of(&app, round, "05977").await;
    assert_eq!(a.status, "draft");
    let rs = legal_access::service::load_ruleset(&app.db, a.ruleset_id).await.unwrap();
    assert_eq!(rs.code, "qd27-2025", "years from 2026 use QĐ 27/2025");
    let page = format!("/chuan-tiep-can/{}", a.id);

    // Bad figures: errors beside each indicator, nothing saved, what was typed kept.
    let r = xa1.post(&page, &[("n-1-3", "12"), ("d-1-3", "10"), ("n-1-4", "abc"), ("d-1-4", "3"), ("y-1-1", "co")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("tử số không được lớn hơn mẫu số"), "{body}");
    assert!(body.contains("value=\"abc\"") && body.contains("href=\"#n-1-3\""), "{body}");
    assert!(legal_access::store::values(&app.db, a.id).await.unwrap().is_empty());

    // Finishing while figures are missing is refused.
    let r = xa1.post(&format!("{page}/buoc"), &[("step", "finish")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Còn chỉ tiêu chưa có số liệu"));

    // Full figures, one indicator short of its level: scored live, not recognisable yet.
    let mut fields = full_marks(&rs);
    fields.retain(|(k, _)| k != "n-2-4");
    fields.push(("n-2-4".into(), "6".into()));
    let r = post_owned(&xa1, &page, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let (_, body) = xa1.text(&page).await;
    assert!(body.contains("Đạt 13/14 chỉ tiêu"), "{body}");
    assert!(body.contains("Chỉ tiêu 2.4 chưa đạt mức độ đạt chuẩn"));

    // Evidence: a file whose content does not match its name is refused; a PDF is kept.
    let r = xa1.post_multipart(&format!("{page}/minh-chung"), &[("indicator", "1.1"), ("title", "Nghị quyết")], Some(("a.pdf", b"not a pdf".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = xa1.post_multipart(&format!("{page}/minh-chung"), &[("indicator", "1.1"), ("title", "Nghị quyết số 01")], Some(("nq.pdf", b"%PDF-1.4\n%%EOF".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let ev = legal_access::store::evidence(&app.db, a.id).await.unwrap();
    assert_eq!(ev.len(), 1);
    let file = ev[0].file_id.unwrap();
    assert_eq!(xa1.get(&format!("/chuan-tiep-can/minh-chung/{file}")).await.status(), StatusCode::OK);
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.get(&format!("/chuan-tiep-can/minh-chung/{file}")).await.status(), StatusCode::NOT_FOUND, "another commune");
    assert_eq!(xa2.get(&page).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa2.post(&page, &[("y-1-1", "khong")]).await.status(), StatusCode::NOT_FOUND);

    // Finish, post, a citizen comments without an account, submit.
    assert_eq!(xa1.post(&format!("{page}/buoc"), &[("step", "finish")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(xa1.post(&format!("{page}/buoc"), &[("step", "submit")]).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "no dossier before posting");
    assert_eq!(xa1.post(&format!("{page}/buoc"), &[("step", "post")]).await.status(), StatusCode::SEE_OTHER);
    let mut citizen = app.client();
    let public = format!("/cong-khai/chuan-tiep-can/{}", a.id);
    let (status, body) = citizen.text(&public).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Góp ý về kết quả tự đánh giá"));
    citizen.csrf = testkit::csrf_in(&body);
    let r = citizen.post(&format!("{public}/gop-y"), &[("body", "  "), ("name", "Nguyễn Văn Dân")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("value=\"Nguyễn Văn Dân\""));
    let r = citizen.post(&format!("{public}/gop-y"), &[("body", "Thôn Nà Cạn chưa được phổ biến luật đất đai."), ("name", "Nguyễn Văn Dân"), ("contact", "0912345678")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, body) = citizen.text(&public).await;
    assert!(!body.contains("0912345678"), "a citizen's contact is never public");
    let (_, body) = xa1.text(&page).await;
    assert!(body.contains("Thôn Nà Cạn") && body.contains("0912345678"), "the commune reads the comment");
    assert_eq!(xa1.post(&format!("{page}/buoc"), &[("step", "submit")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, a.id).await, "submitted");

    // Editing after submission is refused and changes nothing.
    let r = xa1.post(&page, &[("y-1-1", "khong")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // The commune cannot review its own dossier.
    let r = xa1.post(&format!("{page}/dieu-chinh"), &[("indicator", "2.4"), ("numerator", "9"), ("denominator", "10"), ("reason", "x")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The council adjusts 2.4 with a reason (a reason is required), and the dossier becomes recognisable.
    let r = tinh.post(&format!("{page}/dieu-chinh"), &[("indicator", "2.4"), ("numerator", "8"), ("denominator", "10"), ("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = tinh.post(&format!("{page}/dieu-chinh"), &[("indicator", "2.4"), ("numerator", "8"), ("denominator", "10"), ("reason", "Sổ theo dõi ghi 8 vụ hòa giải thành trên 10 vụ")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, a.id).await, "under_review");
    let (_, body) = tinh.text(&page).await;
    assert!(body.contains("Sổ theo dõi ghi 8 vụ") && body.contains("Đạt 14/14 chỉ tiêu"), "{body}");

    // The meeting, then the decision: xa1 recognised, the other commune (never submitted) untouched.
    let round_page = format!("/chuan-tiep-can/dot/{round}");
    let r = tinh.post(&format!("{round_page}/hop"), &[("meeting_on", "xx"), ("conclusion", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = tinh.post(&format!("{round_page}/hop"), &[("meeting_on", &text_vi::format_date(today())), ("members", "Giám đốc Sở Tư pháp và các thành viên"), ("conclusion", "Đề nghị công nhận Phường Đông Kinh")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = xa1.post(&format!("{round_page}/quyet-dinh"), &[("decision_no", "1/QĐ-UBND"), ("decision_on", "01/01/2027"), ("signer", "A")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = tinh.post(&format!("{round_page}/quyet-dinh"), &[("decision_no", "125/QĐ-UBND"), ("decision_on", &text_vi::format_date(today())), ("signer", "Hoàng Văn Nam")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    assert_eq!(status_of(&app, a.id).await, "recognised");
    let other = assessment_of(&app, round, "06001").await;
    assert_eq!(other.status, "draft");
    let docx = tinh.get(&format!("{round_page}/quyet-dinh.docx")).await;
    assert_eq!(docx.status(), StatusCode::OK);
    let bytes = docx.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&zip_entry(&bytes, "word/document.xml")).to_string();
    assert!(text.contains("125/QĐ-UBND") && text.contains("đạt chuẩn tiếp cận pháp luật năm") && text.contains("Hoàng Văn Nam"), "{text}");
    let xlsx = tinh.get(&format!("{round_page}/tong-hop.xlsx")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);

    // The public page lists the commune as recognised.
    let (_, body) = app.client().text("/cong-khai/chuan-tiep-can").await;
    assert!(body.contains("Đơn vị đạt chuẩn tiếp cận pháp luật") && body.contains(&a.unit_name), "{body}");

    // Revocation needs a reason, and the history keeps every step.
    assert_eq!(tinh.post(&format!("{page}/buoc"), &[("step", "revoke"), ("note", "")]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(tinh.post(&format!("{page}/buoc"), &[("step", "revoke"), ("note", "Phát hiện Chủ tịch xã bị kỷ luật trong năm")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, a.id).await, "revoked");
    let events: Vec<String> = legal_access::store::events(&app.db, a.id).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(events, ["open", "finish", "post", "submit", "adjust", "recognise", "revoke"]);
    // Every write is audited.
    let n = kernel::db::audit::list(&app.db, &kernel::db::audit::AuditFilter { scope_pattern: "%".into(), entity: Some("access_assessment".into()), limit: 100, ..Default::default() }).await.unwrap().len();
    assert_eq!(n, 6, "one save, finish, post, submit, the adjustment and the revocation");
}

fn zip_entry(bytes: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut f = z.by_name(name).unwrap();
    let mut out = Vec::new();
    f.read_to_end(&mut out).unwrap();
    out
}

#[tokio::test]
async fn a_late_submission_and_an_outside_reviewer_are_refused() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let xa1 = app.login_as("xa1").await;
    let round = open_round(&tinh).await;
    let a = assessment_of(&app, round, "05977").await;
    let rs = legal_access::service::load_ruleset(&app.db, a.ruleset_id).await.unwrap();
    let page = format!("/chuan-tiep-can/{}", a.id);
    assert_eq!(post_owned(&xa1, &page, &full_marks(&rs)).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(xa1.post(&format!("{page}/buoc"), &[("step", "finish")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(xa1.post(&format!("{page}/buoc"), &[("step", "post")]).await.status(), StatusCode::SEE_OTHER);

    // A reviewer of another province sees nothing.
    app.create_account("tinhkhac", "justice_officer", "24", false).await;
    let other = app.login_as("tinhkhac").await;
    assert_eq!(other.get(&page).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.get(&format!("/chuan-tiep-can/dot/{round}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.post(&format!("{page}/dieu-chinh"), &[("indicator", "1.1"), ("yes", "co"), ("reason", "x")]).await.status(), StatusCode::NOT_FOUND);

    // After the deadline the dossier cannot be sent.
    sqlx_exec(&app, &format!("UPDATE access_rounds SET deadline = '{}' WHERE id = {round}", today() - chrono::Duration::days(1))).await;
    let r = xa1.post(&format!("{page}/buoc"), &[("step", "submit")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("hết hạn"));
    assert_eq!(status_of(&app, a.id).await, "posted");
}

async fn sqlx_exec(app: &TestApp, sql: &str) {
    match &app.db {
        kernel::Db::Sqlite(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&p.write).await.unwrap();
        }
        kernel::Db::Postgres(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(p).await.unwrap();
        }
    }
}

#[tokio::test]
async fn a_rule_set_in_use_is_never_changed() {
    let app = TestApp::spawn(&SETUP).await;
    let admin = app.login_as("admin").await;
    let tinh = app.login_as("tinh").await;
    let sets = legal_access::store::rulesets(&app.db).await.unwrap();
    let new = sets.iter().find(|s| s.code == "qd27-2025").unwrap().clone();
    let old = sets.iter().find(|s| s.code == "qd25-2021").unwrap().clone();
    assert!(old.in_use, "the demo's 2024 round uses QĐ 25/2021");
    // A broken text is refused with its reasons and kept in the form.
    let broken = old.body.replacen("max_points = 10", "max_points = 11", 1);
    let r = admin.post(&format!("/chuan-tiep-can/bo-tieu-chi/{}", old.id), &[("body", &broken)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Điểm tối đa của tiêu chí 1"));
    // An officer may read but not edit.
    assert_eq!(tinh.post(&format!("/chuan-tiep-can/bo-tieu-chi/{}", old.id), &[("body", &old.body)]).await.status(), StatusCode::FORBIDDEN);
    // Editing a version in use stores the next version; the old one is untouched.
    let edited = old.body.replacen("Tủ sách pháp luật hoặc", "Tủ sách pháp luật điện tử hoặc", 1);
    let r = admin.post(&format!("/chuan-tiep-can/bo-tieu-chi/{}", old.id), &[("body", &edited)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(legal_access::store::ruleset(&app.db, old.id).await.unwrap().body, old.body);
    let all = legal_access::store::rulesets(&app.db).await.unwrap();
    let v2 = all.iter().find(|s| s.code == "qd25-2021" && s.version == 2).unwrap();
    assert!(v2.body.contains("Tủ sách pháp luật điện tử"));
    // A version nobody uses is saved in place.
    let edited = new.body.replacen("pass_min = 80", "pass_min = 85", 1);
    let r = admin.post(&format!("/chuan-tiep-can/bo-tieu-chi/{}", new.id), &[("body", &edited)]).await;
    assert_eq!(location(&r), format!("/chuan-tiep-can/bo-tieu-chi/{}?tb=ruleset", new.id));
}

#[tokio::test]
async fn the_2024_round_of_the_old_district_stays_with_its_communes() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let rounds = legal_access::store::old_rounds(&app.db).await.unwrap();
    let old = rounds.iter().find(|r| r.year == 2024).expect("the demo's 2024 district round");
    let (status, body) = tinh.text("/chuan-tiep-can").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("/chuan-tiep-can/dot/{}", old.id)), "today's province sees the old district's round");
    let (status, body) = tinh.text(&format!("/chuan-tiep-can/dot/{}", old.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("215/QĐ-UBND") && body.contains("(đơn vị cũ)"), "{body}");
    let a = legal_access::store::assessments_of_round(&app.db, old.id).await.unwrap();
    let (status, body) = tinh.text(&format!("/chuan-tiep-can/{}", a[0].id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("nay thuộc"), "an old commune shows what it became");
    assert!(body.contains("/ 100 điểm"), "scored under QĐ 25/2021");
}
