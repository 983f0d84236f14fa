//! The bare axum baseline of the answer-save rate: a server in this process, on 127.0.0.1 and a
//! free port, whose one handler `POST /save` reads a form (`attempt`, `pos`, `chon`) and writes
//! the same durable row as the product's answer save, in its own transaction, on the same
//! database, through its own pool opened like the server's (`kernel::Db::connect`: on SQLite WAL,
//! `synchronous` as the URL says (NORMAL by default, as for the server), one writer connection, a
//! busy timeout). No sessions, no CSRF, no guard on the attempt: what is left is axum, the form
//! and the write.

use std::net::SocketAddr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Form, Router};
use kernel::{Db, exec};
use serde::Deserialize;

use crate::check::connect;

#[derive(Deserialize)]
struct SaveForm {
    attempt: i64,
    pos: i64,
    chon: i64,
}

async fn write(db: &Db, f: &SaveForm) -> Result<u64, kernel::DbError> {
    let mut tx = db.begin().await?;
    let n = exec!(&mut tx, c => sqlx::query("UPDATE contest_attempt_items SET chosen = $1, answered_at = $2 WHERE attempt_id = $3 AND position = $4")
        .bind(f.chon).bind(kernel::now()).bind(f.attempt).bind(f.pos).execute(&mut *c).await)?;
    tx.commit().await?;
    Ok(n)
}

async fn save(State(db): State<Db>, Form(f): Form<SaveForm>) -> StatusCode {
    match write(&db, &f).await {
        Ok(1) => StatusCode::NO_CONTENT,
        Ok(_) => StatusCode::NOT_FOUND,
        Err(e) => {
            eprintln!("baseline save failed: {e}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// A running baseline server; dropping it stops it.
pub struct Baseline {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Baseline {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the baseline on `127.0.0.1:0` against `database_url`.
pub async fn start(database_url: &str) -> anyhow::Result<Baseline> {
    let db = connect(database_url).await?;
    let app = Router::new().route("/save", post(save)).with_state(db);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("baseline server stopped: {e}");
        }
    });
    Ok(Baseline { addr, task })
}
