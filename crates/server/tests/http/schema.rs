use crate::helpers::fresh_db;

/// Both migration folders must produce the same tables, columns and indexes.
#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let (sqlite, _dir) = fresh_db("sqlite").await;
    let (pg, _) = fresh_db("postgres").await;
    let a = sqlite.schema_outline().await.unwrap();
    let b = pg.schema_outline().await.unwrap();
    assert!(a.columns.len() > 50, "schema looks empty: {:?}", a.columns.len());
    assert_eq!(a.columns, b.columns, "columns differ between SQLite and PostgreSQL");
    assert_eq!(a.indexes, b.indexes, "indexes differ between SQLite and PostgreSQL");
}
