use chrono::NaiveDate;
use kernel::db::units::{self, UnitFilter};
use kernel::unit::UnitLevel;

use crate::helpers::{SETUP, TestApp};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[tokio::test]
async fn official_counts_before_and_after_the_reform() {
    let app = TestApp::spawn(&SETUP).await;
    let now = units::count_by_level(&app.db, d(2026, 11, 23)).await.unwrap();
    let get = |v: &Vec<(String, i64)>, l: &str| v.iter().find(|(k, _)| k == l).map(|(_, n)| *n).unwrap_or(0);
    assert_eq!(get(&now, "province"), 34);
    assert_eq!(get(&now, "commune"), 3321);
    assert_eq!(get(&now, "district"), 0);
    let before = units::count_by_level(&app.db, d(2025, 6, 30)).await.unwrap();
    assert_eq!(get(&before, "province"), 63);
    assert_eq!(get(&before, "district"), 696);
    assert_eq!(get(&before, "commune"), 10051);
}

#[tokio::test]
async fn bac_giang_maps_to_bac_ninh() {
    let app = TestApp::spawn(&SETUP).await;
    let old = units::by_code(&app.db, "24", d(2025, 6, 30)).await.unwrap();
    assert_eq!(old.name, "Tỉnh Bắc Giang");
    assert_eq!(old.valid_to, Some(d(2025, 6, 30)));
    let today = units::today_of(&app.db, old.id, d(2026, 11, 23)).await.unwrap();
    assert_eq!(today.len(), 1);
    assert!(today[0].unit.name.ends_with("Bắc Ninh"), "{}", today[0].unit.name);
    assert_eq!(today[0].unit.code, "24");
    assert!(!today[0].partly_merged);
    let new_id = today[0].unit.id;
    let origins: Vec<String> = units::origins(&app.db, new_id).await.unwrap().into_iter().map(|l| l.unit.name).collect();
    assert!(origins.contains(&"Tỉnh Bắc Giang".to_string()), "{origins:?}");
    assert!(origins.contains(&"Tỉnh Bắc Ninh".to_string()), "{origins:?}");
    // Lạng Sơn was left unchanged: same code, one predecessor.
    let ls = units::by_code(&app.db, "20", d(2026, 1, 1)).await.unwrap();
    let preds = units::predecessors(&app.db, ls.id).await.unwrap();
    assert_eq!(preds.len(), 1);
    assert_eq!(preds[0].unit.code, "20");
}

#[tokio::test]
async fn merged_commune_history_and_partial_merges() {
    let app = TestApp::spawn(&SETUP).await;
    // Phường Đông Kinh (Lạng Sơn) was formed from several pre-2025 communes.
    let dk = units::by_code(&app.db, "05977", d(2026, 1, 1)).await.unwrap();
    let preds = units::predecessors(&app.db, dk.id).await.unwrap();
    assert!(preds.len() >= 2, "expected a merger, got {}", preds.len());
    for p in &preds {
        assert_eq!(p.unit.level, "commune");
        assert_eq!(p.unit.valid_to, Some(d(2025, 6, 30)));
        let succ = units::today_of(&app.db, p.unit.id, d(2026, 1, 1)).await.unwrap();
        assert!(succ.iter().any(|s| s.unit.id == dk.id));
        // An old commune merged whole has exactly one successor; only partial merges split.
        if !p.partly_merged {
            assert_eq!(succ.len(), 1, "{}", p.unit.name);
        }
    }
    // Ancestors of a current commune: the province, then itself.
    let chain = units::ancestors(&app.db, dk.id).await.unwrap();
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[0].code, "20");
    // An old district maps to today's units through its communes.
    let old_commune = &preds[0].unit;
    let district = old_commune.parent_id.unwrap();
    let through = units::today_of(&app.db, district, d(2026, 1, 1)).await.unwrap();
    assert!(through.iter().any(|s| s.unit.id == dk.id));
}

#[tokio::test]
async fn some_old_communes_were_split() {
    let app = TestApp::spawn(&SETUP).await;
    let (n,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM unit_successions WHERE partly_merged").fetch_one(p).await).unwrap();
    assert!(n > 1000, "{n}");
}

#[tokio::test]
async fn subtree_search_and_vietnamese_order() {
    let app = TestApp::spawn(&SETUP).await;
    let ls = app.unit_id("20").await;
    let sub = units::subtree(&app.db, ls, 10_000).await.unwrap();
    // The province and its 65 communes, and the villages the mediation demo adds.
    assert_eq!(sub.iter().filter(|u| u.level != "village").count(), 1 + 65);
    let kids = units::children(&app.db, Some(ls), Some(d(2026, 1, 1))).await.unwrap();
    let names: Vec<String> = kids.iter().map(|u| u.name.clone()).collect();
    let mut sorted = names.clone();
    text_vi::sort(&mut sorted);
    assert_eq!(names, sorted, "database order must be the ICU vi order");
    for q in ["huu lung", "Hữu Lũng", "HUU LUNG", "hữu lũng"] {
        let found = units::list(&app.db, &UnitFilter { level: Some(UnitLevel::Commune), valid_on: Some(d(2026, 1, 1)), query: Some(q.into()), limit: 50, ..Default::default() }).await.unwrap();
        assert!(found.iter().any(|u| u.name == "Xã Hữu Lũng"), "query {q}");
    }
    // đ folds to d.
    let found = units::list(&app.db, &UnitFilter { query: Some("dong kinh".into()), limit: 50, ..Default::default() }).await.unwrap();
    assert!(found.iter().any(|u| u.name == "Phường Đông Kinh"));
}

#[tokio::test]
async fn unit_pages_show_history() {
    let app = TestApp::spawn(&SETUP).await;
    let s = app.login_as("tinh").await;
    let old = units::by_code(&app.db, "24", d(2025, 6, 30)).await.unwrap();
    let (st, html) = s.text(&format!("/don-vi/{}", old.id)).await;
    assert_eq!(st, 200);
    assert!(html.contains("Ngày nay thuộc về"));
    assert!(html.contains("Bắc Ninh"));
    assert!(html.contains("30/06/2025"));
    let (_, html) = s.text("/don-vi?q=huu+lung").await;
    assert!(html.contains("Xã Hữu Lũng"));
    let (st, html) = s.text("/don-vi?ngay=31/02/2025").await;
    assert_eq!(st, 200);
    assert!(html.contains("Ngày không hợp lệ"));
    let (_, html) = s.text("/don-vi?ngay=30/06/2025").await;
    assert!(html.contains("Tỉnh Bắc Giang"));
}

#[tokio::test]
async fn villages_are_created_in_scope_only() {
    let app = TestApp::spawn(&SETUP).await;
    let s = app.login_as("xa1").await;
    let own = app.unit_id("05977").await;
    let other = app.unit_id("06001").await;
    let r = s.post(&format!("/don-vi/{own}/thon"), &[("name", "Tổ dân phố Hoà Bình"), ("kind", "to_dan_pho")]).await;
    assert_eq!(r.status(), 303);
    let (_, html) = s.text(&format!("/don-vi/{own}")).await;
    assert!(html.contains("Tổ dân phố Hoà Bình"));
    assert!(html.contains("05977-001"));
    // Empty name: error beside the field, kind kept.
    let r = s.post(&format!("/don-vi/{own}/thon"), &[("name", "  "), ("kind", "ban")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Trường này là bắt buộc."));
    assert!(html.contains("value=\"ban\" selected"));
    // Another commune: 404, nothing written.
    let r = s.post(&format!("/don-vi/{other}/thon"), &[("name", "Thôn Lạ"), ("kind", "thon")]).await;
    assert_eq!(r.status(), 404);
    let kids = units::children(&app.db, Some(other), None).await.unwrap();
    assert!(kids.iter().all(|k| k.name != "Thôn Lạ"));
}

#[tokio::test]
async fn a_unit_that_changed_type_keeps_its_communes() {
    let app = TestApp::spawn(&SETUP).await;
    let before = units::by_code(&app.db, "75", d(2026, 1, 1)).await.unwrap();
    assert_eq!(before.name, "Tỉnh Đồng Nai");
    let now = units::by_code(&app.db, "75", d(2026, 11, 23)).await.unwrap();
    assert_eq!(now.name, "Thành phố Đồng Nai");
    let kids = units::children(&app.db, Some(now.id), Some(d(2026, 11, 23))).await.unwrap();
    assert_eq!(kids.len(), 95);
    // The old province Đồng Nai leads, through the 2025 province, to today's city.
    let old = units::by_code(&app.db, "75", d(2025, 6, 30)).await.unwrap();
    let today = units::today_of(&app.db, old.id, d(2026, 11, 23)).await.unwrap();
    assert!(today.iter().any(|l| l.unit.id == now.id), "{today:?}");
    let preds = units::predecessors(&app.db, now.id).await.unwrap();
    assert!(preds.iter().any(|l| l.unit.id == before.id));
}
