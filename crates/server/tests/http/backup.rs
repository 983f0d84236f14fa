//! Backup and restore (SQLite): a database with rows in every table, snapshotted while the server
//! runs and restored into a new file, keeps every row count and the checksum of every stored file.

use std::collections::BTreeMap;

use reqwest::StatusCode;

use crate::helpers::{SETUP, TestApp, location};

const LANG_SON: &str = include_str!("../../../../tests/fixtures/seeds/lang-son-2024-coordination-council-plan.txt");

async fn tables(db: &kernel::db::Db) -> Vec<String> {
    let rows: Vec<(String,)> = kernel::with_db!(db, p => sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").fetch_all(p).await).unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

async fn counts(db: &kernel::db::Db) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for t in tables(db).await {
        let sql = format!("SELECT COUNT(*) FROM \"{t}\"");
        let (n,): (i64,) = kernel::with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_one(p).await).unwrap();
        out.insert(t, n);
    }
    out
}

async fn file_sums(db: &kernel::db::Db) -> Vec<(i64, String, String)> {
    let rows: Vec<(i64, String, Vec<u8>)> = kernel::with_db!(db, p => sqlx::query_as(
        "SELECT id, sha256, data FROM files ORDER BY id").fetch_all(p).await).unwrap();
    rows.into_iter()
        .map(|(id, stored, data)| {
            use sha2::Digest;
            (id, stored, hex::encode(sha2::Sha256::digest(&data)))
        })
        .collect()
}

#[tokio::test]
async fn a_snapshot_restores_every_row_and_file() {
    if testkit::backend() != "sqlite" {
        return; // pbgdpl backup is for SQLite; PostgreSQL uses pg_dump (README).
    }
    let app = TestApp::spawn(&SETUP).await;
    let db = &app.db;
    let tinh = app.login_as("tinh").await;
    let xa1 = app.login_as("xa1").await;
    let admin = app.login_as("admin").await;

    // Accounts side: an API token, a password-reset mail, a failed login, an agency alias.
    let r = reqwest::Client::new().post(format!("{}/api/v1/tokens", app.base))
        .json(&serde_json::json!({"username": "xa1", "password": crate::helpers::PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let mut anon = app.client();
    let (_, html) = anon.text("/quen-mat-khau").await;
    anon.csrf = crate::helpers::csrf_in(&html);
    anon.post("/quen-mat-khau", &[("username", "xa2")]).await;
    assert_eq!(app.client().try_login("xa2", "sai-mat-khau-9").await.status(), 422);
    let province = app.unit_id("20").await;
    let mut tx = db.begin().await.unwrap();
    kernel::db::agencies::create(&mut tx, &kernel::db::agencies::AgencyInput {
        unit_id: province, kind_code: None, name: "Trung tâm Trợ giúp pháp lý nhà nước tỉnh".into(),
        abbreviation: Some("TTTGPL".into()), aliases: vec!["Trung tâm TGPL".into()], active: true,
    }).await.unwrap();
    // No code writes `settings` yet; a row makes sure the snapshot would carry it.
    kernel::exec!(&mut tx, c => sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
        .bind("backup_test").bind("1").execute(&mut *c).await).unwrap();
    // The public questions' spam tables (the demo's items fill the other tables of inquiries).
    inquiries::store::count_submission(&mut tx, "ip:backup-test", 0).await.unwrap();
    inquiries::store::use_challenge(&mut tx, "backup-test", kernel::now()).await.unwrap();
    // The drafts' comment counter (the demo's draft fills the other tables of drafts).
    drafts::store::count_comment(&mut tx, "backup-test", 0).await.unwrap();
    tx.commit().await.unwrap();

    // Plans: an imported plan (file, outline, tasks), issued, with a task result; reminders.
    let r = tinh.post_multipart("/ke-hoach/nhap", &[("kind", "")], Some(("ke-hoach.txt", LANG_SON.as_bytes().to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let plan: i64 = location(&r).trim_start_matches("/ke-hoach/").split('/').next().unwrap().parse().unwrap();
    let (task,): (i64,) = kernel::with_db!(db, p => sqlx::query_as("SELECT id FROM tasks WHERE plan_id = $1 ORDER BY id LIMIT 1")
        .bind(plan).fetch_one(p).await).unwrap();
    let mut tx = db.begin().await.unwrap();
    plans::store::plans::set_status(&mut tx, plan, "issued").await.unwrap();
    plans::store::tasks::add_update(&mut tx, &plans::store::tasks::UpdateInput {
        task_id: task, kind: "note".into(), note: Some("Đã tổ chức hội nghị".into()), sessions: Some(2), attendees: Some(150), ..Default::default()
    }).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(tinh.post("/nhac-viec/cai-dat", &[("days", "10")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(admin.post("/nhac-viec/chay", &[]).await.status(), StatusCode::SEE_OTHER);

    // Reports: a round opened, a report filled, submitted, approved, commented.
    let key = format!("{}-H1", chrono::Datelike::year(&kernel::page::today()));
    let round = reports::store::rounds(db, "%", None).await.unwrap().into_iter().find(|r| r.form_code == "HGCS" && r.period_key == key).unwrap();
    let due = text_vi::format_date(kernel::page::today() + chrono::Duration::days(10));
    assert_eq!(tinh.post(&format!("/bao-cao/ky/{}/mo", round.id), &[("due", &due), ("lock_days", "30")]).await.status(), StatusCode::SEE_OTHER);
    let commune = app.unit_id("05977").await;
    let rep = reports::store::reports_of_round(db, round.id).await.unwrap().into_iter().find(|r| r.unit_id == commune).unwrap();
    let r = xa1.post(&format!("/bao-cao/{}", rep.id), &[("version", &rep.version.to_string()), ("v:cases_received", "5"), ("v:cases_settled", "5"), ("action", "submit")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let rep = reports::store::report(db, rep.id).await.unwrap();
    assert_eq!(tinh.post(&format!("/bao-cao/{}/duyet", rep.id), &[("version", &rep.version.to_string())]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(tinh.post(&format!("/bao-cao/{}/y-kien", rep.id), &[("text", "Số liệu khớp sổ theo dõi.")]).await.status(), StatusCode::SEE_OTHER);

    // Legal access: this year's round, xa1's evidence file, a declared disqualifier, a comment.
    let deadline = text_vi::format_date(kernel::page::today() + chrono::Duration::days(20));
    let year = chrono::Datelike::year(&kernel::page::today()).to_string();
    assert_eq!(tinh.post("/chuan-tiep-can/dot", &[("year", &year), ("deadline", &deadline)]).await.status(), StatusCode::SEE_OTHER);
    let a = legal_access::store::assessments_in(db, "%", 100).await.unwrap().into_iter().find(|a| a.unit_id == commune && a.year.to_string() == year).unwrap();
    let r = xa1.post_multipart(&format!("/chuan-tiep-can/{}/minh-chung", a.id), &[("indicator", "1.1"), ("title", "Nghị quyết")], Some(("nq.pdf", b"%PDF-1.4\n%%EOF".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(xa1.post(&format!("/chuan-tiep-can/{}/khong-cong-nhan", a.id), &[("code", "ky-luat"), ("happened_on", ""), ("note", "Kiểm tra lại")]).await.status(), StatusCode::SEE_OTHER);
    let mut tx = db.begin().await.unwrap();
    legal_access::store::add_comment(&mut tx, a.id, "Góp ý", None, None, "hash").await.unwrap();
    tx.commit().await.unwrap();

    // Mediation: the demo team of xa1 merges into a new team (the history link).
    let today = text_vi::format_date(kernel::page::today());
    let r = xa1.post("/hoa-giai/to", &[("new_village", "Thôn Mới"), ("name", "Tổ hòa giải Thôn Mới"), ("established_on", &today)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let new_team = location(&r).trim_start_matches("/hoa-giai/to/").split('?').next().unwrap().to_string();
    let old = mediation::store::teams_in(db, "%").await.unwrap().into_iter().find(|t| t.commune_id == commune && t.id.to_string() != new_team).unwrap();
    let r = xa1.post(&format!("/hoa-giai/to/{}/hop-nhat", old.id), &[("kind", "merge"), ("successor", &new_team), ("succeed_on", &today)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A kept tracking book (books over HTTP are kept from 1,000 rows).
    let year = chrono::Datelike::year(&kernel::page::today());
    mediation::export::book_file(db, &old, year, mediation::export::BookFormat::Xlsx, 0).await.unwrap();

    // Contests: an entrant registered with a code (session), one submitted attempt (its
    // questions, the counted result and the counters).
    let c = contests::store::contests_in(db, "%").await.unwrap().remove(0);
    let mut visitor = app.client();
    let (_, html) = visitor.text(&format!("/cuoc-thi/{}", c.id)).await;
    visitor.csrf = crate::helpers::csrf_in(&html);
    let r = visitor.post(&format!("/cuoc-thi/{}/dang-ky", c.id), &[("full_name", "Nguyễn Thị Mai"), ("birth_year", "1992"), ("contact", "0913000111"), ("commune", &commune.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mail = kernel::db::outbox::recent(db, 50).await.unwrap().into_iter().find(|m| m.to_addr == "sms:0913000111").unwrap();
    let code: String = mail.body.split(": ").nth(1).unwrap().chars().take(6).collect();
    assert_eq!(visitor.post(&format!("/cuoc-thi/{}/xac-nhan", c.id), &[("code", &code)]).await.status(), StatusCode::SEE_OTHER);
    let round = contests::store::rounds(db, c.id).await.unwrap().remove(0);
    let r = visitor.post(&format!("/cuoc-thi/{}/vong/{}/bat-dau", c.id, round.id), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let attempt = location(&r);
    assert_eq!(visitor.post(&format!("{attempt}/tra-loi"), &[("pos", "1"), ("chon", "0")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(visitor.post(&format!("{attempt}/nop"), &[("du_doan", "3")]).await.status(), StatusCode::SEE_OTHER);
    // The entrant excluded from the ranking, and the round's winners published.
    let entrant = contests::store::entrant_by_contact(db, c.id, "0913000111").await.unwrap().unwrap().id;
    let tinh_id = kernel::db::accounts::by_username(db, "tinh").await.unwrap().id;
    let mut tx = db.begin().await.unwrap();
    contests::store::exclude(&mut tx, round.id, entrant, "Kiểm tra sao lưu", tinh_id, kernel::now()).await.unwrap();
    contests::store::put_published_results(&mut tx, round.id, "[]", tinh_id, kernel::now()).await.unwrap();
    let k = contests::store::NewCertificate { round_id: round.id, entrant_id: entrant, position: 1, prize: "Giải Nhất", full_name: "Nguyễn Thị Mai", commune_name: "Phường Đông Kinh", issuer: "Tỉnh Lạng Sơn" };
    contests::store::put_certificate(&mut tx, &k, &contests::service::new_certificate_code(), kernel::now()).await.unwrap();
    // The collective prizes: a unit's headcount and a publication (the per-question counters
    // were filled by the submission).
    contests::store::put_unit_targets(&mut tx, c.id, &[(commune, Some(120))]).await.unwrap();
    contests::store::put_collective_results(&mut tx, c.id, "[]", tinh_id, kernel::now()).await.unwrap();
    tx.commit().await.unwrap();

    let before = counts(db).await;
    let empty: Vec<&String> = before.iter().filter(|(t, n)| **n == 0 && !t.starts_with("_sqlx")).map(|(t, _)| t).collect();
    assert!(empty.is_empty(), "tables left empty: {empty:?}");
    let files = file_sums(db).await;
    assert!(files.iter().all(|(_, stored, actual)| stored == actual), "{files:?}");

    // Snapshot while the server runs, restore into a new file, compare.
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap.db");
    kernel::db::backup::snapshot(db, &snap).await.unwrap();
    let restored_path = dir.path().join("restored.db");
    kernel::db::backup::restore(&snap, &restored_path).await.unwrap();
    let restored = kernel::db::Db::connect(&format!("sqlite://{}", restored_path.display())).await.unwrap();
    assert_eq!(counts(&restored).await, before);
    assert_eq!(file_sums(&restored).await, files);
    restored.close().await;
}
