//! Consistent snapshots of the SQLite database while the server runs (`VACUUM INTO`), and
//! restoring them. PostgreSQL deployments use `pg_dump` / `pg_restore` instead.

use std::path::Path;

use crate::{Db, DbError, DbResult};

/// Writes a consistent copy of the live SQLite database to `to`.
pub async fn snapshot(db: &Db, to: &Path) -> DbResult<()> {
    let Db::Sqlite(p) = db else {
        return Err(DbError::Invalid(
            "lệnh backup dùng cho SQLite; với PostgreSQL hãy dùng pg_dump (xem README)".into(),
        ));
    };
    if to.exists() {
        return Err(DbError::Invalid(format!("tệp {} đã tồn tại; bản sao lưu không ghi đè tệp có sẵn", to.display())));
    }
    if let Some(dir) = to.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let target = to.to_string_lossy().to_string();
    sqlx::query("VACUUM INTO $1").bind(target).execute(&p.write).await?;
    Ok(())
}

/// Checks that `from` is a pbgdpl SQLite snapshot and copies it over the database at `db_path`.
/// The server must be stopped.
pub async fn restore(from: &Path, db_path: &Path) -> DbResult<()> {
    let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(from).read_only(true);
    let check = match sqlx::SqlitePool::connect_with(opts).await {
        Ok(p) => p,
        Err(_) => return Err(DbError::Invalid(format!("{} không phải bản sao lưu của pbgdpl", from.display()))),
    };
    let ok: Result<(i64,), sqlx::Error> = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&check).await;
    let units: Result<(i64,), sqlx::Error> = sqlx::query_as("SELECT COUNT(*) FROM units").fetch_one(&check).await;
    check.close().await;
    if ok.is_err() || units.is_err() {
        return Err(DbError::Invalid(format!("{} không phải bản sao lưu của pbgdpl", from.display())));
    }
    if let Some(dir) = db_path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = db_path.with_extension("restoring");
    std::fs::copy(from, &tmp)?;
    for ext in ["db-wal", "db-shm"] {
        let side = db_path.with_extension(ext);
        if side.exists() {
            std::fs::remove_file(side)?;
        }
    }
    std::fs::rename(&tmp, db_path)?;
    Ok(())
}
