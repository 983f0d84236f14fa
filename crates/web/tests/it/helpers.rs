use std::net::SocketAddr;
use std::sync::Arc;

use db::Db;
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use web::{AppState, Config};

pub const PASSWORD: &str = "Demo-pass-2026";

pub struct TestApp {
    pub base: String,
    pub db: Db,

    _dir: Option<tempfile::TempDir>,
}

fn backend() -> &'static str {
    match std::env::var("PBGDPL_TEST_DB").as_deref() {
        Ok("postgres") => "postgres",
        _ => "sqlite",
    }
}

pub fn pg_url() -> String {
    std::env::var("TEST_PG_URL").expect("TEST_PG_URL must point at a PostgreSQL server (scripts/test.sh sets it)")
}

/// A fresh, migrated database with the shipped units loaded.
pub async fn fresh_db(kind: &str) -> (Db, Option<tempfile::TempDir>) {
    if kind == "postgres" {
        let admin_url = pg_url();
        let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
        let name = format!("t_{}", &db::new_token()[..16]);
        let template = std::env::var("TEST_PG_TEMPLATE").ok();
        let sql = match &template {
            Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
            None => format!("CREATE DATABASE {name}"),
        };
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&admin).await.unwrap();
        admin.close().await;
        let base = admin_url.rsplit_once('/').unwrap().0;
        let db = Db::connect(&format!("{base}/{name}")).await.unwrap();
        web::prepare_database(&db).await.unwrap();
        (db, None)
    } else {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        if let Ok(t) = std::env::var("TEST_SQLITE_TEMPLATE") {
            std::fs::copy(t, &path).unwrap();
        }
        let db = Db::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        web::prepare_database(&db).await.unwrap();
        (db, Some(dir))
    }
}

impl TestApp {
    /// Starts the server on a free port with the demo data loaded.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let label = backend();
        let (db, dir) = fresh_db(label).await;
        web::demo::load(&db, PASSWORD).await.unwrap();
        let mut config = Config::default();
        config.login.ip_max_failures = 1000;
        tweak(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        config.base_url = format!("http://{addr}");
        let state = AppState::new(db.clone(), config);
        let app = web::build_router(state);
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        TestApp { base: format!("http://{addr}"), db, _dir: dir }
    }

    pub fn client(&self) -> Session {
        let client = Client::builder()
            .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
            .redirect(Policy::none())
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
        db::units::by_code(&self.db, code, web::views::today()).await.unwrap().id
    }

    pub async fn account_id(&self, username: &str) -> i64 {
        db::accounts::by_username(&self.db, username).await.unwrap().id
    }

    /// Creates an account directly (as the CLI would) with the demo password.
    pub async fn create_account(&self, username: &str, role: &str, unit_code: &str, must_change: bool) -> i64 {
        let unit = self.unit_id(unit_code).await;
        let hash = web::auth::hash_password(PASSWORD.into()).await.unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let id = db::accounts::create(&mut tx, &db::accounts::NewAccount {
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
