//! The command line on a real SQLite file: account administration, backup and restore, config.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

fn pbgdpl(db: &str, args: &[&str], password: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pbgdpl"));
    c.arg("--database-url").arg(db).args(args).env_remove("PBGDPL_DATABASE_URL").env("PBGDPL_CONFIG", "/nonexistent.toml");
    if let Some(p) = password {
        c.env("PBGDPL_NEW_PASSWORD", p);
    }
    c.output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn accounts_backup_restore_and_config() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/x.db");
    let url = format!("sqlite://{}", path.display());
    let out = pbgdpl(&url, &["migrate"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("14.166 đơn vị hành chính"));

    // Bad input: clear Vietnamese errors, non-zero exit, nothing created.
    let out = pbgdpl(&url, &["admin", "create-user", "ab", "--name", "A", "--unit", "20"], Some("Mat-khau-2026"));
    assert!(!out.status.success());
    assert!(text(&out).contains("Tên đăng nhập dài 3–32 ký tự"), "{}", text(&out));
    let out = pbgdpl(&url, &["admin", "create-user", "quantri", "--name", "Quản Trị", "--unit", "99"], Some("Mat-khau-2026"));
    assert!(text(&out).contains("Không tìm thấy đơn vị"), "{}", text(&out));
    let out = pbgdpl(&url, &["admin", "create-user", "quantri", "--name", "Quản Trị", "--unit", "20"], Some("ngan"));
    assert!(text(&out).contains("ít nhất 10 ký tự"), "{}", text(&out));
    let out = pbgdpl(&url, &["admin", "create-user", "quantri", "--name", "Quản Trị", "--unit", "20", "--role", "vua"], Some("Mat-khau-2026"));
    assert!(text(&out).contains("Vai trò không hợp lệ"), "{}", text(&out));

    let out = pbgdpl(&url, &["admin", "create-user", "quantri", "--name", "Quản Trị", "--unit", "20"], Some("Mat-khau-2026"));
    assert!(out.status.success(), "{}", text(&out));
    let out = pbgdpl(&url, &["admin", "create-user", "quantri", "--name", "Quản Trị", "--unit", "20"], Some("Mat-khau-2026"));
    assert!(text(&out).contains("đã được dùng"), "{}", text(&out));
    let out = pbgdpl(&url, &["admin", "reset-password", "quantri"], Some("Mat-khau-moi-2027"));
    assert!(out.status.success(), "{}", text(&out));

    // Backup, then a change, then restore: the change is gone.
    let snap = dir.path().join("snap.db");
    let out = pbgdpl(&url, &["backup", "--to", snap.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out));
    let out = pbgdpl(&url, &["backup", "--to", snap.to_str().unwrap()], None);
    assert!(!out.status.success(), "a backup never overwrites a file");
    let out = pbgdpl(&url, &["admin", "create-user", "sau", "--name", "Sau Sao Lưu", "--unit", "20"], Some("Mat-khau-2026"));
    assert!(out.status.success());
    let out = pbgdpl(&url, &["restore", "--from", snap.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out));
    let out = pbgdpl(&url, &["admin", "reset-password", "sau"], Some("Mat-khau-2026"));
    assert!(text(&out).contains("không tìm thấy tài khoản"), "{}", text(&out));
    let out = pbgdpl(&url, &["admin", "reset-password", "quantri"], Some("Mat-khau-2026x"));
    assert!(out.status.success(), "{}", text(&out));
    // Not a snapshot.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"khong phai sqlite").unwrap();
    let out = pbgdpl(&url, &["restore", "--from", junk.to_str().unwrap()], None);
    assert!(!out.status.success());

    let out = pbgdpl(&url, &["admin", "create-user"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("Thiếu tham số bắt buộc"), "{}", text(&out));
    let out = pbgdpl("mysql://x", &["migrate"], None);
    assert!(text(&out).contains("phải bắt đầu bằng sqlite://"), "{}", text(&out));

    let out = pbgdpl("postgres://u:matkhau@localhost/x", &["config"], None);
    assert!(out.status.success());
    let t = text(&out);
    assert!(t.contains("postgres://u:***@localhost/x"), "{t}");
    assert!(!t.contains("matkhau"));
}

#[test]
fn import_plan_dry_run_prints_the_json_shape() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seeds/ben-tre-2020-6134-KH-UBND-conclusion-80-plan.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_pbgdpl")).args(["import-plan", seed, "--json", "--dry-run"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["number"], "6134/KH-UBND");
    assert_eq!(v["place"], "Bến Tre");
    assert_eq!(v["date"], "2020-11-17");
    assert!(v["tasks"].as_array().unwrap().len() >= 30);
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("rong.txt");
    std::fs::write(&empty, b"").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pbgdpl")).args(["import-plan", empty.to_str().unwrap(), "--dry-run"]).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("Lỗi"), "{}", text(&out));
}

#[test]
fn import_plan_saves_a_draft_of_the_unit() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seeds/lang-son-2024-coordination-council-plan.txt");
    let out = pbgdpl(&db, &["import-plan", seed], None);
    assert!(!out.status.success());
    assert!(text(&out).contains("--unit"), "{}", text(&out));
    let out = pbgdpl(&db, &["import-plan", seed, "--unit", "99999"], None);
    assert!(text(&out).contains("không tìm thấy đơn vị"), "{}", text(&out));
    let out = pbgdpl(&db, &["import-plan", seed, "--unit", "20"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Đã lưu dự thảo kế hoạch"), "{}", text(&out));
}
