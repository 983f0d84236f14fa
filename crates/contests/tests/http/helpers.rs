//! The contests capability under test: the kernel and contests, with the demo contest.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{Session, TestApp, csrf_in, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), contests::migrations()]
}

fn registry() -> Registry {
    Registry { menu: contests::MENU.to_vec(), public_links: contests::PUBLIC_LINKS.to_vec(), ..Registry::default() }
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { contests::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: contests::routes, prepare: testkit::nothing, demo };

// ---------------------------------------------------------------- shared steps of the tests

use contests::store;
use reqwest::StatusCode;

/// The demo contest.
pub async fn demo_contest(app: &TestApp) -> store::Contest {
    store::contests_in(&app.db, "%").await.unwrap().remove(0)
}

/// The demo contest's round.
pub async fn demo_round(app: &TestApp, contest: i64) -> store::Round {
    store::rounds(&app.db, contest).await.unwrap().remove(0)
}

/// A commune of the contest's area, in force today.
pub async fn a_commune(app: &TestApp, c: &store::Contest) -> i64 {
    let day = kernel::page::today();
    kernel::db::units::subtree(&app.db, c.area_unit_id, 20_000).await.unwrap().into_iter().find(|u| u.level == "commune" && u.is_valid_on(day)).unwrap().id
}

/// The last one-time code queued for `to`.
pub async fn code_for(app: &TestApp, to: &str) -> String {
    let mail = kernel::db::outbox::recent(&app.db, 50).await.unwrap().into_iter().find(|m| m.to_addr == to).expect("a code in the outbox");
    mail.body.split(": ").nth(1).unwrap().chars().take(6).collect()
}

/// A visitor who registered with `phone` (or an e-mail address; born in 1990) and entered the
/// code: a verified entrant.
pub async fn entrant(app: &TestApp, c: &store::Contest, phone: &str, name: &str) -> Session {
    let mut s = app.client();
    let (status, html) = s.text(&format!("/cuoc-thi/{}", c.id)).await;
    assert_eq!(status, StatusCode::OK);
    s.csrf = csrf_in(&html);
    let commune = a_commune(app, c).await.to_string();
    let r = s.post(&format!("/cuoc-thi/{}/dang-ky", c.id), &[("full_name", name), ("birth_year", "1990"), ("contact", phone), ("commune", &commune)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let to = if phone.contains('@') { phone.to_string() } else { format!("sms:{phone}") };
    let code = code_for(app, &to).await;
    let r = s.post(&format!("/cuoc-thi/{}/xac-nhan", c.id), &[("code", &code)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    s
}

/// Starts an attempt in the round: its id.
pub async fn start(s: &Session, c: i64, r: i64) -> i64 {
    let resp = s.post(&format!("/cuoc-thi/{c}/vong/{r}/bat-dau"), &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{}", resp.text().await.unwrap());
    location(&resp).rsplit('/').next().unwrap().parse().unwrap()
}

/// Answers every question of a new attempt (all right or all wrong) and submits it.
pub async fn sit(app: &TestApp, s: &Session, c: i64, round: i64, right: bool) {
    let a = start(s, c, round).await;
    let path = format!("/cuoc-thi/{c}/bai/{a}");
    for it in store::items(&app.db, a).await.unwrap() {
        let correct = contests::rules::draw::shown_position_of(&it.option_order, it.correct).unwrap();
        let chosen = if right { correct } else { (correct + 1) % it.option_order.split(',').count() };
        let r = s.post(&format!("{path}/tra-loi"), &[("pos", &it.position.to_string()), ("chon", &chosen.to_string())]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(s.post(&format!("{path}/nop"), &[("du_doan", "1")]).await.status(), StatusCode::SEE_OTHER);
}

/// Ends a round five minutes ago (its results may then be published).
pub async fn end_round(app: &TestApp, round: i64) {
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE contest_rounds SET ends_at = $1 WHERE id = $2").bind(kernel::now() - chrono::Duration::minutes(5)).bind(round).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
}
