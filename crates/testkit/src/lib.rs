//! The test kit: a fresh, migrated SQLite or PostgreSQL database per test, a server on a free
//! loopback port with the kernel's real middleware around any capability's routes and the demo
//! data loaded, and HTTP clients that sign in and carry the CSRF token like a browser.
//!
//! `PBGDPL_TEST_DB=sqlite|postgres` picks the backend (`scripts/test.sh` runs both);
//! `TEST_SQLITE_TEMPLATE` / `TEST_PG_TEMPLATE` name a migrated template to copy, and
//! `TEST_PG_URL` the PostgreSQL server. A capability's HTTP tests describe their application
//! with a [`Setup`]: its migrations, registry entries, routes, preparation and demo data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::should_implement_trait)]

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use kernel::config::Config;
use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
use kernel::state::AppState;
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};

pub mod bench;

/// What an application under test is made of, beyond the kernel.
#[derive(Clone, Copy)]
pub struct Setup {
    /// Every migration set the application needs, the kernel's first.
    pub migrations: fn() -> Vec<MigrationSet>,
    /// Apply them with the server's strict `Db::migrate` (every applied migration must be known).
    /// Otherwise migrations of other capabilities already applied in a shared template are tolerated.
    pub strict_migrations: bool,
    /// Menu entries, reminder sources and ports.
    pub registry: fn() -> Registry,
    /// The routes beside the kernel's (the kernel's own pages and API are always there).
    pub routes: fn(&AppState) -> Router<AppState>,
    /// Runs after the migrations (e.g. stores shipped reference data).
    pub prepare: for<'a> fn(&'a Db) -> BoxFuture<'a, Result<(), String>>,
    /// Loads the capabilities' demo data after the kernel's.
    pub demo: for<'a> fn(&'a Db) -> BoxFuture<'a, Result<(), String>>,
}

/// A `prepare` or `demo` that does nothing.
pub fn nothing(_: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async { Ok(()) })
}

pub const PASSWORD: &str = "Demo-pass-2026";

pub struct TestApp {
    pub base: String,
    pub db: Db,

    _dir: Option<tempfile::TempDir>,
}

/// The backend under test: `sqlite` (default) or `postgres`.
pub fn backend() -> &'static str {
    match std::env::var("PBGDPL_TEST_DB").as_deref() {
        Ok("postgres") => "postgres",
        _ => "sqlite",
    }
}

pub fn pg_url() -> String {
    std::env::var("TEST_PG_URL").expect("TEST_PG_URL must point at a PostgreSQL server (scripts/test.sh sets it)")
}

/// A fresh database migrated with `setup`'s migrations and prepared, with the shipped units loaded.
pub async fn fresh_db(kind: &str, setup: &Setup) -> (Db, Option<tempfile::TempDir>) {
    if kind == "postgres" {
        let admin_url = pg_url();
        let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
        let name = format!("t_{}", &kernel::db::new_token()[..16]);
        let template = std::env::var("TEST_PG_TEMPLATE").ok();
        let sql = match &template {
            Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
            None => format!("CREATE DATABASE {name}"),
        };
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&admin).await.unwrap();
        admin.close().await;
        let base = admin_url.rsplit_once('/').unwrap().0;
        let db = Db::connect(&format!("{base}/{name}")).await.unwrap();
        prepare(&db, setup).await;
        (db, None)
    } else {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        if let Ok(t) = std::env::var("TEST_SQLITE_TEMPLATE") {
            std::fs::copy(t, &path).unwrap();
        }
        let db = Db::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        prepare(&db, setup).await;
        (db, Some(dir))
    }
}

/// Migrates, runs the setup's preparation and loads the units when the table is empty.
async fn prepare(db: &Db, setup: &Setup) {
    let sets = (setup.migrations)();
    if setup.strict_migrations {
        db.migrate(&sets).await.unwrap();
    } else {
        db.migrate_tolerant(&sets).await.unwrap();
    }
    (setup.prepare)(db).await.unwrap();
    kernel::db::units::load_if_empty(db).await.unwrap();
}

impl TestApp {
    /// Starts the application on a free port with the demo data loaded.
    pub async fn spawn(setup: &Setup) -> TestApp {
        Self::spawn_with(setup, |_| {}).await
    }

    pub async fn spawn_with(setup: &Setup, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let label = backend();
        let (db, dir) = fresh_db(label, setup).await;
        kernel::demo::load(&db, PASSWORD).await.unwrap();
        (setup.demo)(&db).await.unwrap();
        let mut config = Config::default();
        config.login.ip_max_failures = 1000;
        tweak(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        config.base_url = format!("http://{addr}");
        let state = AppState::with_registry(db.clone(), config, (setup.registry)());
        let routes = kernel::routes::assemble((setup.routes)(&state));
        let app = kernel::middleware::wrap(routes, state);
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        TestApp { base: format!("http://{addr}"), db, _dir: dir }
    }

    pub fn client(&self) -> Session {
        self.client_with(reqwest::header::HeaderMap::new())
    }

    /// A client whose requests carry `X-Forwarded-For: addr`: with `127.0.0.1` among the
    /// configured `trusted_proxies`, the server takes it for a client at `addr`.
    pub fn client_from(&self, addr: &str) -> Session {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("x-forwarded-for", addr.parse().unwrap());
        self.client_with(h)
    }

    fn client_with(&self, headers: reqwest::header::HeaderMap) -> Session {
        let client = Client::builder()
            .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
            .redirect(Policy::none())
            .default_headers(headers)
            .build()
            .unwrap();
        Session { client, base: self.base.clone(), csrf: String::new() }
    }

    /// A client signed in as `username` with the demo password.
    pub async fn login_as(&self, username: &str) -> Session {
        self.login_with(username, PASSWORD).await
    }

    pub async fn login_with(&self, username: &str, password: &str) -> Session {
        let mut s = self.client();
        let r = s.try_login(username, password).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {username} failed");
        s.refresh_csrf().await;
        s
    }

    pub async fn unit_id(&self, code: &str) -> i64 {
        kernel::db::units::by_code(&self.db, code, kernel::page::today()).await.unwrap().id
    }

    pub async fn account_id(&self, username: &str) -> i64 {
        kernel::db::accounts::by_username(&self.db, username).await.unwrap().id
    }

    /// Creates an account directly (as the CLI would) with the demo password.
    pub async fn create_account(&self, username: &str, role: &str, unit_code: &str, must_change: bool) -> i64 {
        let unit = self.unit_id(unit_code).await;
        let hash = kernel::auth::hash_password(PASSWORD.into()).await.unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let id = kernel::db::accounts::create(&mut tx, &kernel::db::accounts::NewAccount {
            username: username.into(),
            full_name: format!("Người thử {username}"),
            email: Some(format!("{username}@example.vn")),
            password_hash: hash,
            role: role.into(),
            unit_id: unit,
            agency_id: None,
            must_change_password: must_change,
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    }
}

#[derive(Clone)]
pub struct Session {
    pub client: Client,
    pub base: String,
    pub csrf: String,
}

pub fn csrf_in(html: &str) -> String {
    html.split("name=\"_csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string()
}

impl Session {
    pub async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{}", self.base, path)).send().await.unwrap()
    }

    pub async fn text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        let s = r.status();
        (s, r.text().await.unwrap())
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut form: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.client.post(format!("{}{}", self.base, path)).form(&form).send().await.unwrap()
    }

    /// Posts a multipart form (CSRF token first) with an optional file in the field `file`.
    pub async fn post_multipart(&self, path: &str, fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> Response {
        let mut form = reqwest::multipart::Form::new().text("_csrf", self.csrf.clone());
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        if let Some((name, bytes)) = file {
            form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        }
        self.client.post(format!("{}{}", self.base, path)).multipart(form).send().await.unwrap()
    }

    pub async fn refresh_csrf(&mut self) {
        let (_, html) = self.text("/ca-nhan").await;
        let t = csrf_in(&html);
        if !t.is_empty() {
            self.csrf = t;
        } else {
            let (_, html) = self.text("/doi-mat-khau").await;
            self.csrf = csrf_in(&html);
        }
    }

    pub async fn try_login(&mut self, username: &str, password: &str) -> Response {
        let (_, html) = self.text("/dang-nhap").await;
        self.csrf = csrf_in(&html);
        self.post("/dang-nhap", &[("username", username), ("password", password)]).await
    }
}

pub fn location(r: &Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}
