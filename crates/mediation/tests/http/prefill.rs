//! The figures that prefill the reports, counted in SQL by the store, equal a direct count by
//! the pure rule (`rules::stats::count`) over random teams, mediators and cases, on both
//! databases; and they reach the kernel's `ReportFigures` port with their source.

use chrono::{Duration, NaiveDate};
use mediation::rules::case::{STATUSES, Status};
use mediation::rules::roster::MediatorInput;
use mediation::rules::stats::{self, CaseFact, MediatorFact, TeamFact};
use mediation::store::{self, CaseUpdate, Election, NewCase, NewTeam, NewTraining};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::helpers::{SETUP, TestApp};

const FIELDS: [&str; 5] = ["land", "marriage_family", "neighbourhood", "civil", "other"];

/// (established offset, ended offset, mediators: (from, ended, female, minority, trained),
/// cases: (received offset, field, status)).
type TeamSpec = (i64, Option<i64>, Vec<(i64, Option<i64>, bool, bool, bool)>, Vec<(i64, usize, usize)>);

fn team_spec() -> impl Strategy<Value = TeamSpec> {
    (
        0i64..80,
        proptest::option::of(0i64..80),
        proptest::collection::vec((0i64..80, proptest::option::of(0i64..80), any::<bool>(), any::<bool>(), any::<bool>()), 0..6),
        proptest::collection::vec((0i64..120, 0usize..FIELDS.len(), 0usize..STATUSES.len()), 0..12),
    )
}

#[tokio::test]
async fn prefill_equals_a_direct_count_over_random_cases() {
    let app = TestApp::spawn(&SETUP).await;
    let commune = kernel::db::units::by_code(&app.db, "05977", kernel::page::today()).await.unwrap();
    let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let mut runner = TestRunner::deterministic();
    // Random periods: some inside a month (counted from the cases), some with whole months
    // (counted from the monthly counts the triggers keep) and ragged ends.
    let strategy = (proptest::collection::vec(team_spec(), 1..4), 0i64..70, 0i64..100);
    for round in 0..12 {
        let (specs, from, len) = strategy.new_tree(&mut runner).unwrap().current();
        let (start, end) = if round == 0 { (base, base + Duration::days(89)) } else { (base + Duration::days(from), base + Duration::days(from + len)) };
        let mut tx = app.db.begin().await.unwrap();
        let village = kernel::db::units::create_village(&mut tx, &commune, &format!("Thôn thử {round}"), "thon").await.unwrap();
        let (mut teams, mut mediators, mut cases) = (Vec::new(), Vec::new(), Vec::new());
        for (established, ended, ms, cs) in &specs {
            let established_on = base + Duration::days(*established);
            let ended_on = ended.map(|e| established_on + Duration::days(e + 1));
            let team_id = store::insert_team(&mut tx, &NewTeam {
                village_id: village.id, commune_id: commune.id, name: "Tổ thử", decision_no: None, decision_on: None, decision_signer: None,
                established_on, ethnic_minority_area: false, created_by: None,
            }).await.unwrap();
            if let Some(e) = ended_on {
                store::end_team(&mut tx, team_id, e, "").await.unwrap();
            }
            teams.push(TeamFact { id: team_id, established_on, ended_on });
            for (from, to, female, minority, trained) in ms {
                let served_from = base + Duration::days(*from);
                let m = MediatorInput { full_name: "Người thử".into(), gender: if *female { "female" } else { "male" }.into(), ethnic_minority: *minority, ..Default::default() };
                let id = store::insert_mediator(&mut tx, team_id, &m, &Election::default(), served_from).await.unwrap();
                let ended_on = to.map(|t| served_from + Duration::days(t));
                if let Some(e) = ended_on {
                    store::end_mediator(&mut tx, id, e, "thử").await.unwrap();
                }
                if *trained {
                    store::insert_training(&mut tx, &NewTraining { mediator_id: id, title: "t", organiser: "o", start_on: base, end_on: base, hours: 1, certificate: false }).await.unwrap();
                }
                mediators.push(MediatorFact { team_id, served_from, ended_on, female: *female, ethnic_minority: *minority, trained: *trained });
            }
            for (received, field, status) in cs {
                let received_on = base + Duration::days(*received);
                let status: Status = STATUSES[*status];
                let id = store::insert_case(&mut tx, &NewCase {
                    team_id, commune_id: commune.id, received_on, origin: "party_request", field: FIELDS[*field], summary: "thử",
                    status: "received", exclusion: None, referred_to: None, created_by: None,
                }).await.unwrap();
                store::update_case(&mut tx, id, 1, &CaseUpdate { status: status.as_str().into(), ..CaseUpdate::default() }).await.unwrap();
                cases.push(CaseFact { received_on, field: FIELDS[*field].into(), status });
            }
        }
        tx.commit().await.unwrap();
        let want = stats::count(&teams, &mediators, &cases, start, end);
        let got = mediation::service::figures(&app.db, &format!("{}%", village.path), start, end).await.unwrap();
        assert_eq!(got, want, "round {round} ({start} – {end}): {specs:?}");
        // Through the port, as the reports read it: the same cells, each with its source.
        let cells = mediation::service::report_figures_port(&app.db, village.id, None, start, end).await.unwrap();
        for (key, value) in stats::cells(&want) {
            let c = cells.iter().find(|c| c.key == key).unwrap();
            assert_eq!(c.value, value, "{key}");
            assert!(c.source.contains("Hòa giải ở cơ sở"));
        }
    }
}

#[tokio::test]
async fn an_agency_report_gets_no_mediation_figures() {
    let app = TestApp::spawn(&SETUP).await;
    let unit = app.unit_id("05977").await;
    let (a, b) = mediation::service::year_bounds(2026);
    assert!(mediation::service::report_figures_port(&app.db, unit, Some(1), a, b).await.unwrap().is_empty());
    assert!(!mediation::service::report_figures_port(&app.db, unit, None, a, b).await.unwrap().is_empty());
}
