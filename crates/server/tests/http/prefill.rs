//! Figures one capability offers another through the kernel's ports, wired by the server: the
//! legal-access self-assessment is prefilled (`KnownFigures`) with the commune's
//! satisfaction-survey result (surveys), the plans it issued in the year (plans), its mediation
//! results (mediation) and its propagandists' training (disseminators); the periodic reports
//! (`ReportFigures`) with the mediation records and with the legal-access assessments.

use reqwest::StatusCode;

use crate::helpers::{SETUP, TestApp, location};

#[tokio::test]
async fn the_self_assessment_offers_the_survey_result_and_the_plans() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let xa1 = app.login_as("xa1").await;
    let deadline = text_vi::format_date(kernel::page::today() + chrono::Duration::days(20));
    let year = chrono::Datelike::year(&kernel::page::today());
    let r = tinh.post("/chuan-tiep-can/dot", &[("year", &year.to_string()), ("deadline", &deadline)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let round: i64 = location(&r).trim_start_matches("/chuan-tiep-can/dot/").split('?').next().unwrap().parse().unwrap();
    let unit = app.unit_id("05977").await;
    let a = legal_access::store::assessments_of_round(&app.db, round).await.unwrap().into_iter().find(|a| a.unit_id == unit).unwrap();
    // The demo's satisfaction survey of this commune has answers this year.
    let expected = surveys::service::satisfaction_result(&app.db, unit, year).await.unwrap().expect("the demo's satisfaction survey");
    assert!(expected.answered > 0);
    let (status, body) = xa1.text(&format!("/chuan-tiep-can/{}", a.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("Kết quả khảo sát «{}»", expected.title)), "{body}");
    assert!(body.contains(&format!("href=\"/phieu-khao-sat/{}/ket-qua\"", expected.survey_id)));
    // Indicator 3.4 (satisfaction) is prefilled with satisfied / answered; 2.1 (plans) with the
    // plans issued this year.
    assert!(body.contains(&format!("id=\"n-3-4\" name=\"n-3-4\" value=\"{}\"", expected.satisfied)), "{body}");
    assert!(body.contains(&format!("id=\"d-3-4\" name=\"d-3-4\" value=\"{}\"", expected.answered)));
    assert!(body.contains("kế hoạch đã ban hành trong năm"));
    // Saving keeps the source with the figure.
    let r = xa1.post(&format!("/chuan-tiep-can/{}", a.id), &[
        ("n-3-4", &expected.satisfied.to_string()), ("d-3-4", &expected.answered.to_string()), ("src-3-4", "Kết quả khảo sát"),
    ]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let v = legal_access::store::values(&app.db, a.id).await.unwrap();
    let row = v.iter().find(|r| r.indicator == "3.4").unwrap();
    assert_eq!((row.numerator, row.denominator), (Some(expected.satisfied), Some(expected.answered)));
    assert_eq!(row.prefill_source.as_deref(), Some("Kết quả khảo sát"));
}

/// The grassroots-mediation report arrives prefilled from the commune's mediation records
/// (through the kernel's `ReportFigures` port), each prefilled cell naming its source with a
/// link; the province's own report counts its communes' records the same way.
#[tokio::test]
async fn the_mediation_report_is_prefilled_from_the_cases() {
    let app = TestApp::spawn(&SETUP).await;
    let today = kernel::page::today();
    let year = chrono::Datelike::year(&today);
    let half = if chrono::Datelike::month(&today) <= 6 { "H1" } else { "H2" };
    let round = reports::store::rounds(&app.db, "%", None).await.unwrap().into_iter()
        .find(|r| r.form_code == "HGCS" && r.period_key == format!("{year}-{half}")).unwrap();
    reports::service::open_round(&app.db, &kernel::db::audit::Actor::cli(), &round, None, Some(30)).await.unwrap();
    let commune = kernel::db::units::by_code(&app.db, "05977", today).await.unwrap();
    let rep = reports::store::reports_of_round(&app.db, round.id).await.unwrap().into_iter().find(|r| r.unit_id == commune.id).unwrap();
    let want = mediation::service::figures(&app.db, &format!("{}%", commune.path), round.period_start, round.period_end).await.unwrap();
    assert_eq!((want.teams, want.mediators), (1, 5));
    let xa1 = app.login_as("xa1").await;
    let (status, html) = xa1.text(&format!("/bao-cao/{}", rep.id)).await;
    assert_eq!(status, StatusCode::OK);
    for (key, value) in mediation::rules::stats::cells(&want) {
        if value > 0 && !key.starts_with("mediators_trained") {
            assert!(html.contains(&format!("name=\"v:{key}\" value=\"{}\"", text_vi::format_int(value))), "{key} = {value}: {html}");
        }
    }
    assert!(html.contains("Tự điền (có thể sửa): <a href=\"/hoa-giai?tu="), "{html}");
    assert!(html.contains("Hòa giải ở cơ sở: sổ theo dõi của các tổ hòa giải thuộc"));
    // Saved as shown, and sent: the figures are the report's, marked as prefilled.
    let mut fields: Vec<(String, String)> = vec![("version".into(), rep.version.to_string()), ("action".into(), "submit".into())];
    for (key, value) in mediation::rules::stats::cells(&want) {
        if key != "mediators_trained" {
            fields.push((format!("v:{key}"), value.to_string()));
        }
    }
    let v: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = xa1.post(&format!("/bao-cao/{}", rep.id), &v).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let values = reports::store::values(&app.db, rep.id).await.unwrap();
    let teams = values.iter().find(|v| v.value_key == "teams").unwrap();
    assert_eq!((teams.int_value, teams.prefilled), (Some(1), true));
    // xa2's report counts its own commune's team only.
    let other = kernel::db::units::by_code(&app.db, "06001", today).await.unwrap();
    let rep2 = reports::store::reports_of_round(&app.db, round.id).await.unwrap().into_iter().find(|r| r.unit_id == other.id).unwrap();
    let xa2 = app.login_as("xa2").await;
    let (_, html) = xa2.text(&format!("/bao-cao/{}", rep2.id)).await;
    assert!(html.contains("name=\"v:teams\" value=\"1\""), "{html}");
}

/// Opens this year's legal-access round as `tinh` and returns its id.
async fn open_access_round(tinh: &testkit::Session) -> i64 {
    let deadline = text_vi::format_date(kernel::page::today() + chrono::Duration::days(20));
    let year = chrono::Datelike::year(&kernel::page::today());
    let r = tinh.post("/chuan-tiep-can/dot", &[("year", &year.to_string()), ("deadline", &deadline)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    location(&r).trim_start_matches("/chuan-tiep-can/dot/").split('?').next().unwrap().parse().unwrap()
}

/// The self-assessment offers the commune's mediation result (settled of mediated, from the
/// cases received in the year) and its propagandists trained in the year of those serving,
/// each with its source and a link, on the indicators that measure them.
#[tokio::test]
async fn the_self_assessment_offers_the_mediation_result_and_the_propagandists_trained() {
    let app = TestApp::spawn(&SETUP).await;
    let today = kernel::page::today();
    let year = chrono::Datelike::year(&today);
    let tinh = app.login_as("tinh").await;
    let round = open_access_round(&tinh).await;
    let unit = app.unit_id("05977").await;
    let commune = kernel::db::units::get(&app.db, unit).await.unwrap();
    let a = legal_access::store::assessments_of_round(&app.db, round).await.unwrap().into_iter().find(|a| a.unit_id == unit).unwrap();
    // One of the commune's propagandists attended a course this year.
    let people = disseminators::store::people(&app.db, &format!("{}%", commune.path), "propagandist").await.unwrap();
    assert!(!people.is_empty(), "the demo's propagandists");
    let mut tx = app.db.begin().await.unwrap();
    disseminators::store::insert_training(&mut tx, people[0].id, &disseminators::store::TrainingInput {
        title: "Bồi dưỡng kiến thức pháp luật".into(), organiser: "Phòng Tư pháp".into(),
        starts_on: today, ends_on: today, hours: 8, certificate: true,
    }, None).await.unwrap();
    tx.commit().await.unwrap();
    let (trained, serving) = disseminators::service::propagandists_trained(&app.db, &commune, year, today).await.unwrap().expect("propagandists serving");
    assert!(trained >= 1 && serving >= trained);
    let (settled, mediated) = mediation::service::settled_of_mediated(&app.db, &commune, year).await.unwrap().expect("the demo's mediation team");
    assert!(settled <= mediated);
    // The indicators that take these figures, in the rule set that governs the year.
    let (_, rs) = legal_access::service::governing(&app.db, year).await.unwrap().unwrap();
    let field = |key: &str| rs.indicators().find(|i| i.prefill.as_deref() == Some(key)).map(|i| i.code.replace('.', "-")).unwrap();
    let (t, m) = (field("disseminators.trained"), field("mediation.settled"));
    let xa1 = app.login_as("xa1").await;
    let (status, body) = xa1.text(&format!("/chuan-tiep-can/{}", a.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("id=\"n-{t}\" name=\"n-{t}\" value=\"{trained}\"")), "{body}");
    assert!(body.contains(&format!("id=\"d-{t}\" name=\"d-{t}\" value=\"{serving}\"")), "{body}");
    assert!(body.contains(&format!("Danh sách tuyên truyền viên pháp luật của {}", commune.name)), "{body}");
    assert!(body.contains(&format!("href=\"/pho-bien/tuyen-truyen-vien?don-vi={unit}\"")), "{body}");
    assert!(body.contains(&format!("id=\"n-{m}\" name=\"n-{m}\" value=\"{settled}\"")), "{body}");
    assert!(body.contains(&format!("id=\"d-{m}\" name=\"d-{m}\" value=\"{mediated}\"")), "{body}");
    assert!(body.contains("Hòa giải ở cơ sở: vụ, việc hòa giải thành trên số vụ, việc đã hòa giải xong"), "{body}");
    assert!(body.contains("href=\"/hoa-giai?tu=01/01/"), "{body}");
    // The other commune has no propagandist trained this year: its figure says so.
    let other = kernel::db::units::by_code(&app.db, "06001", today).await.unwrap();
    let (t2, _) = disseminators::service::propagandists_trained(&app.db, &other, year, today).await.unwrap().unwrap_or((0, 0));
    assert_eq!(t2, 0);
}

/// The legal-access report (form TCPL) of the province arrives prefilled from the
/// assessments: the communes in force, those assessed (past the draft) and those recognised,
/// each naming its source with a link.
#[tokio::test]
async fn the_legal_access_report_is_prefilled_from_the_assessments() {
    let app = TestApp::spawn(&SETUP).await;
    let today = kernel::page::today();
    let year = chrono::Datelike::year(&today);
    let tinh = app.login_as("tinh").await;
    let access_round = open_access_round(&tinh).await;
    // Three communes of the round move on: one recognised, one refused, one submitted; the
    // rest stay drafts.
    let all = legal_access::store::assessments_of_round(&app.db, access_round).await.unwrap();
    assert!(all.len() > 3);
    let mut tx = app.db.begin().await.unwrap();
    for (a, status) in all.iter().zip(["recognised", "not_recognised", "submitted"]) {
        legal_access::store::set_decision_note(&mut tx, a.id, status, "").await.unwrap();
    }
    tx.commit().await.unwrap();
    // A yearly TCPL schedule of the province, filled by the province itself.
    let province = kernel::db::units::by_code(&app.db, kernel::demo::PROVINCE_CODE, today).await.unwrap();
    let tinh_id = kernel::db::accounts::by_username(&app.db, "tinh").await.unwrap().id;
    let mut tx = app.db.begin().await.unwrap();
    let schedule = reports::store::create_schedule(&mut tx, &reports::store::NewSchedule {
        unit_id: province.id, form_code: "TCPL".into(), period_kind: "year".into(), filler_level: "province".into(),
        name: "Báo cáo chuẩn tiếp cận pháp luật".into(), created_by: Some(tinh_id), members: vec![(province.id, None)],
    }).await.unwrap();
    tx.commit().await.unwrap();
    let actor = kernel::db::audit::Actor::cli();
    let schedule = reports::store::schedule(&app.db, schedule).await.unwrap();
    reports::service::generate_rounds(&app.db, &actor, &schedule, year).await.unwrap();
    let round = reports::store::rounds_of_schedule(&app.db, schedule.id).await.unwrap().into_iter()
        .find(|r| r.period_start <= today && today <= r.period_end).unwrap();
    reports::service::open_round(&app.db, &actor, &round, None, Some(30)).await.unwrap();
    let rep = reports::store::reports_of_round(&app.db, round.id).await.unwrap().into_iter().find(|r| r.unit_id == province.id).unwrap();
    let want: std::collections::BTreeMap<String, i64> = legal_access::service::report_figures(&app.db, province.id, None, round.period_start, round.period_end)
        .await.unwrap().into_iter().map(|f| (f.key, f.value)).collect();
    let communes = legal_access::store::communes_in_force(&app.db, &format!("{}%", province.path), round.period_end).await.unwrap();
    assert_eq!(want["communes_total"], communes);
    assert_eq!((want["communes_assessed"], want["communes_recognised"]), (3, 1));
    let (status, html) = tinh.text(&format!("/bao-cao/{}", rep.id)).await;
    assert_eq!(status, StatusCode::OK);
    for (key, value) in [("communes_total", communes), ("communes_assessed", 3), ("communes_recognised", 1)] {
        assert!(html.contains(&format!("name=\"v:{key}\" value=\"{}\"", text_vi::format_int(value))), "{key} = {value}: {html}");
    }
    assert!(html.contains(&format!("Tự điền (có thể sửa): <a href=\"/chuan-tiep-can/dot/{access_round}\"")), "{html}");
    assert!(html.contains("Chuẩn tiếp cận pháp luật: hồ sơ đánh giá năm"), "{html}");
    assert!(html.contains(&format!("<a href=\"/don-vi/{}\"", province.id)), "{html}");
}
