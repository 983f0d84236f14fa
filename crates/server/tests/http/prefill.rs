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
