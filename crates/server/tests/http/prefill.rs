//! Figures one capability offers another through the kernel's `KnownFigures` port, wired by the
//! server: the legal-access self-assessment is prefilled with the commune's satisfaction-survey
//! result (surveys) and with the plans it issued in the year (plans).

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
