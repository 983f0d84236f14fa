//! Agencies and organisations (cơ quan, tổ chức) of a unit, with their aliases.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use crate::{exec, Db, DbError, DbResult, Tx, now, with_db, with_tx};

macro_rules! agency_cols {
    () => {
        "g.id, g.unit_id, u.name AS unit_name, u.path AS unit_path, g.kind_code, g.name, g.abbreviation, g.active, g.created_at, g.updated_at"
    };
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Agency {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub kind_code: Option<String>,
    pub name: String,
    pub abbreviation: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default)]
pub struct AgencyInput {
    pub unit_id: i64,
    pub kind_code: Option<String>,
    pub name: String,
    pub abbreviation: Option<String>,
    pub aliases: Vec<String>,
    pub active: bool,
}

/// Agencies visible to an account: those of units in its subtree (`scope_pattern`) and those of
/// the units above it (`own_path` starts with their path), filtered by a folded query.
pub async fn list(db: &Db, scope_pattern: &str, own_path: &str, unit_id: Option<i64>, query: Option<&str>, limit: i64, offset: i64) -> DbResult<Vec<Agency>> {
    let pattern = query.filter(|q| !q.trim().is_empty()).map(crate::like_contains);
    Ok(with_db!(db, p => sqlx::query_as(concat!(
        "SELECT ", agency_cols!(), " FROM agencies g JOIN units u ON u.id = g.unit_id
         WHERE (u.path LIKE $1 OR $2 LIKE u.path || '%')
           AND ($3 IS NULL OR g.unit_id = $3)
           AND ($4 IS NULL OR g.name_key LIKE $4 ESCAPE '\\' OR EXISTS (SELECT 1 FROM agency_aliases x WHERE x.agency_id = g.id AND x.alias_key LIKE $4 ESCAPE '\\'))
         ORDER BY u.path, g.name COLLATE vi LIMIT $5 OFFSET $6"))
        .bind(scope_pattern).bind(own_path).bind(unit_id).bind(pattern).bind(limit).bind(offset)
        .fetch_all(p).await)?)
}

pub async fn get(db: &Db, id: i64) -> DbResult<Agency> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", agency_cols!(), " FROM agencies g JOIN units u ON u.id = g.unit_id WHERE g.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

pub async fn aliases(db: &Db, id: i64) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_db!(db, p => sqlx::query_as("SELECT alias FROM agency_aliases WHERE agency_id = $1 ORDER BY id")
        .bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Every active agency with its aliases, for the agency matcher.
pub async fn all_with_aliases(db: &Db) -> DbResult<Vec<(Agency, Vec<String>)>> {
    let agencies: Vec<Agency> = with_db!(db, p => sqlx::query_as(concat!("SELECT ", agency_cols!(), " FROM agencies g JOIN units u ON u.id = g.unit_id WHERE g.active ORDER BY g.id"))
        .fetch_all(p).await)?;
    let aliases: Vec<(i64, String)> = with_db!(db, p => sqlx::query_as("SELECT agency_id, alias FROM agency_aliases ORDER BY id")
        .fetch_all(p).await)?;
    let mut map: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for (id, a) in aliases {
        map.entry(id).or_default().push(a);
    }
    Ok(agencies.into_iter().map(|a| { let al = map.remove(&a.id).unwrap_or_default(); (a, al) }).collect())
}

pub async fn create(tx: &mut Tx, a: &AgencyInput) -> DbResult<i64> {
    let t = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO agencies (unit_id, kind_code, name, name_key, abbreviation, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
        .bind(a.unit_id).bind(&a.kind_code).bind(&a.name).bind(text_vi::fold(&a.name)).bind(&a.abbreviation)
        .bind(a.active).bind(t).fetch_one(&mut *c).await)?;
    replace_aliases(tx, id, &a.aliases).await?;
    Ok(id)
}

pub async fn update(tx: &mut Tx, id: i64, a: &AgencyInput) -> DbResult<()> {
    let r = exec!(tx, c => sqlx::query(
        "UPDATE agencies SET kind_code = $1, name = $2, name_key = $3, abbreviation = $4, active = $5, updated_at = $6 WHERE id = $7")
        .bind(&a.kind_code).bind(&a.name).bind(text_vi::fold(&a.name)).bind(&a.abbreviation).bind(a.active).bind(now()).bind(id)
        .execute(&mut *c).await)?;
    if r == 0 {
        return Err(DbError::NotFound);
    }
    replace_aliases(tx, id, &a.aliases).await
}

async fn replace_aliases(tx: &mut Tx, id: i64, aliases: &[String]) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM agency_aliases WHERE agency_id = $1").bind(id).execute(&mut *c).await)?;
    for alias in aliases {
        exec!(tx, c => sqlx::query("INSERT INTO agency_aliases (agency_id, alias, alias_key) VALUES ($1, $2, $3)")
            .bind(id).bind(alias).bind(text_vi::fold(alias)).execute(&mut *c).await)?;
    }
    Ok(())
}
