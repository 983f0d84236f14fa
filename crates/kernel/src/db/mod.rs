//! Persistence. One `Db` enum over SQLite and PostgreSQL, one SQL text per query, dispatched
//! with the small `with_db!` / `with_tx!` / `exec!` macros (exported at the kernel's root).
//! This module holds the kernel's SQL (`units`, `agencies`, `accounts`, ...); each capability
//! crate keeps its own SQL in its `store` and its migrations in its own folder, assembled here
//! into one ordered history per database ([`MigrationSet`], [`Db::migrate`]).

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub mod accounts;
pub mod agencies;
pub mod audit;
pub mod backup;
pub mod files;
pub mod outbox;
pub mod reminders;
pub mod sessions;
pub mod settings;
pub mod units;
pub mod uploads;

/// Runs `$body` with `$p` bound to the read pool of whichever database is configured.
/// The body is compiled once per backend, so each arm is type-checked against its driver.
#[macro_export]
macro_rules! with_db {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite(pools) => {
                let $p = &pools.read;
                $body
            }
            $crate::Db::Postgres($p) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the connection of an open transaction.
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $c: &mut $crate::sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $c: &mut $crate::sqlx::PgConnection = &mut *t;
                $body
            }
        }
    };
}

/// Like `with_tx!` for statements that return no rows: both arms yield the affected row count.
#[macro_export]
macro_rules! exec {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $c: &mut $crate::sqlx::SqliteConnection = &mut *t;
                $body.map(|r| r.rows_affected())
            }
            $crate::Tx::Postgres(t) => {
                let $c: &mut $crate::sqlx::PgConnection = &mut *t;
                $body.map(|r| r.rows_affected())
            }
        }
    };
}

/// Persistence errors. Callers map `NotFound` and `Conflict` to user-facing messages;
/// everything else is an internal error that is logged and never shown.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("conflict on {0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    /// Text the database cannot store (PostgreSQL refuses NUL and invalid UTF-8): bad input,
    /// never a server fault.
    #[error("unstorable text")]
    BadText,
    #[error(transparent)]
    Sqlx(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                DbError::Conflict(d.constraint().unwrap_or("unique").to_string())
            }
            // 22021 character_not_in_repertoire (a NUL byte), 22P05 untranslatable_character.
            sqlx::Error::Database(d) if matches!(d.code().as_deref(), Some("22021" | "22P05")) => DbError::BadText,
            _ => DbError::Sqlx(e),
        }
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// The two SQLite pools: one connection for writes (SQLite has a single writer) and
/// several for reads, so readers never queue behind a long write.
#[derive(Clone, Debug)]
pub struct SqlitePools {
    pub read: SqlitePool,
    pub write: SqlitePool,
}

/// A handle on the configured database.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePools),
    Postgres(PgPool),
}

/// An open transaction on either database.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    pub async fn commit(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// Which backend a database URL selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> DbResult<Backend> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else {
            Err(DbError::Invalid(format!(
                "địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite:// hoặc postgres://, nhận được {}",
                redact_url(url)
            )))
        }
    }
}

/// Hides the password of a database URL for logs and `pbgdpl config`.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.rsplit_once('@')
        && let Some((user, _pw)) = creds.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

/// Current time, truncated to microseconds because PostgreSQL keeps no more.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

impl Db {
    /// Connects to the database named by `url`, creating the SQLite file and its folder if needed.
    pub async fn connect(url: &str) -> DbResult<Db> {
        match Backend::from_url(url)? {
            Backend::Postgres => {
                let opts = PgConnectOptions::from_str(url)?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await?;
                Ok(Db::Postgres(pool))
            }
            Backend::Sqlite => {
                let (url, synchronous) = sqlite_synchronous(url)?;
                let url = url.as_str();
                let path = sqlite_path(url);
                if let Some(path) = &path
                    && let Some(dir) = std::path::Path::new(path).parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir)?;
                }
                let opts = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(synchronous)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .collation("vi", text_vi::compare);
                let write = SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(opts.clone())
                    .await?;
                let read = SqlitePoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(opts.read_only(true))
                    .await?;
                Ok(Db::Sqlite(SqlitePools { read, write }))
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations of the given sets (the kernel's and each capability's), merged
    /// into one history ordered by version, on the configured backend.
    pub async fn migrate(&self, sets: &[MigrationSet]) -> DbResult<()> {
        let (sqlite, postgres) = MigrationSet::merge(sets)?;
        match self {
            Db::Sqlite(p) => sqlite.run(&p.write).await?,
            Db::Postgres(p) => postgres.run(p).await?,
        }
        Ok(())
    }

    /// Like [`Db::migrate`], but tolerates migrations already applied that the given sets do not
    /// know. For tests only (the test kit): a capability's test database is copied from a
    /// template migrated with every capability. Production uses [`Db::migrate`].
    #[doc(hidden)]
    pub async fn migrate_tolerant(&self, sets: &[MigrationSet]) -> DbResult<()> {
        let (mut sqlite, mut postgres) = MigrationSet::merge(sets)?;
        sqlite.set_ignore_missing(true);
        postgres.set_ignore_missing(true);
        match self {
            Db::Sqlite(p) => sqlite.run(&p.write).await?,
            Db::Postgres(p) => postgres.run(p).await?,
        }
        Ok(())
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.write.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Answers whether the database responds (for `/healthz`).
    pub async fn ping(&self) -> DbResult<()> {
        let _: (i32,) = with_db!(self, p => sqlx::query_as("SELECT 1").fetch_one(p).await)?;
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => {
                p.read.close().await;
                p.write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }

    /// Lists the schema as (table, column) and (table, index) names, for the test that keeps
    /// both migration folders in step.
    pub async fn schema_outline(&self) -> DbResult<SchemaOutline> {
        let mut columns: Vec<(String, String)>;
        let mut indexes: Vec<(String, String)>;
        match self {
            Db::Sqlite(p) => {
                columns = sqlx::query_as(
                    "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
                )
                .fetch_all(&p.read)
                .await?;
                indexes = sqlx::query_as(
                    "SELECT tbl_name, name FROM sqlite_master
                     WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
                )
                .fetch_all(&p.read)
                .await?;
            }
            Db::Postgres(p) => {
                columns = sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
                )
                .fetch_all(p)
                .await?;
                indexes = sqlx::query_as(
                    "SELECT tablename::text, indexname::text FROM pg_indexes
                     WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey'",
                )
                .fetch_all(p)
                .await?;
            }
        }
        columns.sort();
        indexes.sort();
        Ok(SchemaOutline { columns, indexes })
    }
}

/// One crate's migrations for both databases, embedded at compile time with
/// `sqlx::migrate!("migrations/sqlite")` and `sqlx::migrate!("migrations/postgres")`. Versions
/// are global: a new migration takes the next number after the highest in the workspace.
pub struct MigrationSet {
    pub owner: &'static str,
    pub sqlite: sqlx::migrate::Migrator,
    pub postgres: sqlx::migrate::Migrator,
}

impl MigrationSet {
    /// Merges sets into one migrator per database. Two migrations with one version, or a
    /// version present for one database only, is a programming error reported here.
    pub fn merge(sets: &[MigrationSet]) -> DbResult<(sqlx::migrate::Migrator, sqlx::migrate::Migrator)> {
        let mut sqlite: Vec<sqlx::migrate::Migration> = Vec::new();
        let mut postgres: Vec<sqlx::migrate::Migration> = Vec::new();
        let mut owners: std::collections::BTreeMap<i64, &str> = std::collections::BTreeMap::new();
        for set in sets {
            let mut lite: Vec<i64> = set.sqlite.iter().map(|m| m.version).collect();
            let mut pg: Vec<i64> = set.postgres.iter().map(|m| m.version).collect();
            lite.sort_unstable();
            pg.sort_unstable();
            if lite != pg {
                return Err(DbError::Invalid(format!("{}: SQLite and PostgreSQL migrations differ in versions", set.owner)));
            }
            for v in lite {
                if let Some(other) = owners.insert(v, set.owner) {
                    return Err(DbError::Invalid(format!("migration version {v} is used by both {other} and {}", set.owner)));
                }
            }
            sqlite.extend(set.sqlite.iter().cloned());
            postgres.extend(set.postgres.iter().cloned());
        }
        Ok((sqlx::migrate::Migrator::with_migrations(sqlite), sqlx::migrate::Migrator::with_migrations(postgres)))
    }
}

/// The kernel's own migrations (units, agencies, accounts, sessions, audit, outbox, settings).
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "kernel", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Table/column and table/index names of a migrated database.
#[derive(Debug, PartialEq, Eq)]
pub struct SchemaOutline {
    pub columns: Vec<(String, String)>,
    pub indexes: Vec<(String, String)>,
}

/// The file path of a `sqlite://` URL, if it names a file.
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(path.to_string())
    }
}

/// How hard SQLite makes sure a commit is on disk, from the URL's `synchronous` parameter
/// (removed from the URL returned). `normal`, the default, syncs the write-ahead log only at
/// checkpoints: a commit survives the process being killed (`kill -9`) but maybe not a power
/// cut. `full` syncs it on every commit, so an acknowledged write survives a power cut too, at a
/// measured cost under the contests' load (docs/security.md, "Durability").
pub fn sqlite_synchronous(url: &str) -> DbResult<(String, SqliteSynchronous)> {
    let Some((base, query)) = url.split_once('?') else { return Ok((url.to_string(), SqliteSynchronous::Normal)) };
    let mut mode = SqliteSynchronous::Normal;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some((k, v)) if k.eq_ignore_ascii_case("synchronous") => {
                mode = match v.to_ascii_lowercase().as_str() {
                    "full" => SqliteSynchronous::Full,
                    "normal" => SqliteSynchronous::Normal,
                    "extra" => SqliteSynchronous::Extra,
                    _ => return Err(DbError::Invalid(crate::msg::sqlite_synchronous_invalid(v))),
                }
            }
            _ => rest.push(pair),
        }
    }
    let url = if rest.is_empty() { base.to_string() } else { format!("{base}?{}", rest.join("&")) };
    Ok((url, mode))
}

/// A `LIKE … ESCAPE '\\'` pattern matching folded text that contains `q` (diacritics ignored);
/// `%`, `_` and `\\` typed by the user match literally.
pub fn like_contains(q: &str) -> String {
    let folded = text_vi::fold(q.trim());
    let mut out = String::with_capacity(folded.len() + 2);
    out.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Hashes a secret token for storage: the database never holds a usable token.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh random token (256 bits, URL-safe hex).
pub fn new_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn redacts_password() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn like_patterns() {
        assert_eq!(like_contains(" Hữu Lũng "), "%huu lung%");
        assert_eq!(like_contains("50%_a"), "%50\\%\\_a%");
    }

    fn set(owner: &'static str, lite: &[i64], pg: &[i64]) -> MigrationSet {
        use sqlx::SqlSafeStr;
        use sqlx::migrate::{Migration, MigrationType, Migrator};
        let m = |v: &i64| Migration::new(*v, format!("m{v}").into(), MigrationType::Simple, "SELECT 1".into_sql_str(), false);
        MigrationSet {
            owner,
            sqlite: Migrator::with_migrations(lite.iter().map(m).collect()),
            postgres: Migrator::with_migrations(pg.iter().map(m).collect()),
        }
    }

    #[test]
    fn migration_sets_merge_into_one_ordered_history() {
        let (lite, pg) = MigrationSet::merge(&[set("kernel", &[1], &[1]), set("b", &[4, 2], &[2, 4]), set("c", &[3], &[3])]).unwrap();
        assert_eq!(lite.iter().map(|m| m.version).collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert_eq!(pg.iter().map(|m| m.version).collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[test]
    fn migration_sets_reject_a_version_used_twice_or_one_database_missing() {
        let twice = MigrationSet::merge(&[set("kernel", &[1, 2], &[1, 2]), set("plans", &[2], &[2])]);
        assert!(matches!(twice, Err(DbError::Invalid(m)) if m.contains("version 2") && m.contains("kernel") && m.contains("plans")));
        let lopsided = MigrationSet::merge(&[set("kernel", &[1], &[1]), set("plans", &[2, 3], &[2])]);
        assert!(matches!(lopsided, Err(DbError::Invalid(m)) if m.contains("plans")));
    }

    #[test]
    fn sqlite_synchronous_modes() {
        let f = |u: &str| sqlite_synchronous(u).map(|(u, m)| (u, format!("{m:?}")));
        assert_eq!(f("sqlite://data/pbgdpl.db").unwrap(), ("sqlite://data/pbgdpl.db".into(), "Normal".into()));
        assert_eq!(f("sqlite://a.db?synchronous=full").unwrap(), ("sqlite://a.db".into(), "Full".into()));
        assert_eq!(f("sqlite://a.db?synchronous=normal").unwrap(), ("sqlite://a.db".into(), "Normal".into()));
        assert_eq!(f("sqlite://a.db?mode=rwc&synchronous=NORMAL").unwrap(), ("sqlite://a.db?mode=rwc".into(), "Normal".into()));
        assert_eq!(f("sqlite://a.db?mode=rwc").unwrap(), ("sqlite://a.db?mode=rwc".into(), "Normal".into()));
        assert_eq!(f("sqlite://a.db?Synchronous=Normal").unwrap(), ("sqlite://a.db".into(), "Normal".into()));
        assert!(matches!(sqlite_synchronous("sqlite://a.db?synchronous=off"), Err(DbError::Invalid(m)) if m.contains("synchronous")));
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite://data/pbgdpl.db").as_deref(),
            Some("data/pbgdpl.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }
}
