//! `pbgdpl-load ranking-check`: signs in as an organiser once and reads the round's ranking
//! page through each instance's URL with the same session (sessions are rows of the database,
//! so every instance knows them); the ranked rows must be identical.

use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::html;
use crate::http::{Http, Jar, Req, Resp};

pub struct RankingArgs {
    pub urls: Vec<String>,
    pub round: i64,
    pub username: String,
    pub password: String,
}

async fn get(http: &Http, jar: &Jar, path: &str) -> anyhow::Result<Resp> {
    http.send(&Req::get(path.to_string(), jar, None)).await.map_err(|e| anyhow::anyhow!("GET {}{path}: {e}", http.base()))
}

/// Signs in through the kernel's login form (`/dang-nhap`: `username`, `password`, `_csrf`).
async fn sign_in(http: &Http, username: &str, password: &str) -> anyhow::Result<Jar> {
    let mut jar = Jar::default();
    let page = get(http, &jar, "/dang-nhap").await?;
    if page.status != 200 {
        bail!("GET /dang-nhap: {}", page.describe());
    }
    jar.absorb(&page.set_cookies);
    let csrf = html::hidden_field(&page.body, kernel::csrf::FIELD).context("GET /dang-nhap: no _csrf field")?;
    let form = vec![("_csrf", csrf), ("username", username.to_string()), ("password", password.to_string())];
    let r = http.send(&Req::post("/dang-nhap".into(), form, &jar, None)).await.map_err(|e| anyhow::anyhow!("POST /dang-nhap: {e}"))?;
    if !r.is_redirect() {
        bail!("POST /dang-nhap as {username}: {}", r.describe());
    }
    jar.absorb(&r.set_cookies);
    if jar.get(kernel::auth::SESSION_COOKIE).is_none() {
        bail!("POST /dang-nhap as {username}: no session cookie");
    }
    if r.location.as_deref() == Some("/doi-mat-khau") {
        bail!("{username} must change the password before using the site");
    }
    Ok(jar)
}

pub async fn ranking_check(a: &RankingArgs) -> anyhow::Result<ExitCode> {
    if a.urls.is_empty() {
        bail!("--urls names no URL");
    }
    let clients = a.urls.iter().map(|u| Http::new(u)).collect::<anyhow::Result<Vec<_>>>()?;
    let jar = sign_in(&clients[0], &a.username, &a.password).await?;
    let path = format!("/cuoc-thi/quan-ly/vong/{}/xep-hang", a.round);
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    for http in &clients {
        let r = get(http, &jar, &path).await?;
        if r.status != 200 {
            bail!("GET {}{path}: {}", http.base(), r.describe());
        }
        let rows = html::ranking_rows(&r.body).with_context(|| format!("GET {}{path}: no ranking table on the page", http.base()))?;
        println!("{}{path}: {} ranked rows", http.base(), rows.len());
        tables.push(rows);
    }
    let first = &tables[0];
    for (k, t) in tables.iter().enumerate().skip(1) {
        if t == first {
            continue;
        }
        let at = first.iter().zip(t.iter()).position(|(x, y)| x != y).unwrap_or(first.len().min(t.len()));
        println!("DIFFERENT: {} and {} differ at ranked row {} ({} and {} rows)", a.urls[0], a.urls[k], at + 1, first.len(), t.len());
        println!("  {}: {:?}", a.urls[0], first.get(at));
        println!("  {}: {:?}", a.urls[k], t.get(at));
        return Ok(ExitCode::FAILURE);
    }
    if first.is_empty() {
        println!("EMPTY: no ranked row on any of the pages; nothing was compared");
        return Ok(ExitCode::FAILURE);
    }
    println!("ranked rows: {}", first.len());
    println!("same ranking through {} urls", tables.len());
    Ok(ExitCode::SUCCESS)
}
