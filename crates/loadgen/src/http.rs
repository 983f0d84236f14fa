//! The HTTP side: one shared client (a connection pool, no redirects followed, no cookie store)
//! and, per simulated person, a small cookie jar sent as a `Cookie` header by hand. A client per
//! entrant would be far too heavy for tens of thousands of entrants.

use std::time::Duration;

use anyhow::{Context, bail};
use reqwest::header::{HeaderMap, HeaderValue};

/// The cookies of one simulated browser (name, value), as the server set them.
#[derive(Clone, Debug, Default)]
pub struct Jar {
    cookies: Vec<(String, String)>,
}

impl Jar {
    /// The `Cookie` header, or `None` when there is no cookie yet.
    pub fn header(&self) -> Option<String> {
        (!self.cookies.is_empty()).then(|| self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
    }

    /// Takes the cookies a response sets (a `Max-Age=0` or empty value removes one).
    pub fn absorb(&mut self, set_cookies: &[String]) {
        for line in set_cookies {
            let Some((name, value)) = parse_set_cookie(line) else { continue };
            self.cookies.retain(|(k, _)| *k != name);
            let removed = value.is_empty() || line.to_ascii_lowercase().contains("max-age=0");
            if !removed {
                self.cookies.push((name, value));
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// (name, value) of a `Set-Cookie` line.
pub fn parse_set_cookie(line: &str) -> Option<(String, String)> {
    let first = line.split(';').next()?;
    let (name, value) = first.split_once('=')?;
    let name = name.trim();
    (!name.is_empty()).then(|| (name.to_string(), value.trim().trim_matches('"').to_string()))
}

/// A response read to its end.
#[derive(Clone, Debug)]
pub struct Resp {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Resp {
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }

    /// "status 500: <first 200 bytes of the body>", for error messages.
    pub fn describe(&self) -> String {
        let mut end = self.body.len().min(200);
        while !self.body.is_char_boundary(end) {
            end -= 1;
        }
        let loc = self.location.as_deref().map(|l| format!(" (Location: {l})")).unwrap_or_default();
        format!("status {}{loc}: {:?}", self.status, &self.body[..end])
    }
}

/// One request: method, path (from the base URL), form fields, cookies and headers.
pub struct Req<'a> {
    pub post: bool,
    pub path: String,
    pub form: Vec<(&'static str, String)>,
    pub jar: &'a Jar,
    /// `X-Forwarded-For`: the simulated entrant's address.
    pub forwarded_for: Option<&'a str>,
    /// `X-Requested-With: fetch`, as the attempt page's script sends it.
    pub fetch: bool,
}

impl<'a> Req<'a> {
    pub fn get(path: String, jar: &'a Jar, forwarded_for: Option<&'a str>) -> Req<'a> {
        Req { post: false, path, form: Vec::new(), jar, forwarded_for, fetch: false }
    }

    pub fn post(path: String, form: Vec<(&'static str, String)>, jar: &'a Jar, forwarded_for: Option<&'a str>) -> Req<'a> {
        Req { post: true, path, form, jar, forwarded_for, fetch: false }
    }

    pub fn fetch(mut self) -> Req<'a> {
        self.fetch = true;
        self
    }
}

/// The shared client of one base URL.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    base: String,
}

/// Refuses a base URL whose host is not this machine: the tool must never load a server
/// elsewhere by mistake.
pub fn check_loopback(url: &str) -> anyhow::Result<reqwest::Url> {
    let u = reqwest::Url::parse(url).with_context(|| format!("not a URL: {url}"))?;
    if !matches!(u.scheme(), "http" | "https") {
        bail!("{url}: only http:// and https:// URLs are accepted");
    }
    let host = u.host_str().unwrap_or("").trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        bail!("{url}: refusing a host that is not loopback (127.0.0.1, ::1 or localhost)");
    }
    Ok(u)
}

impl Http {
    pub fn new(base: &str) -> anyhow::Result<Http> {
        check_loopback(base)?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .pool_idle_timeout(Duration::from_secs(30))
            .tcp_nodelay(true)
            // Loopback only: never through a proxy named in the environment.
            .no_proxy()
            .build()?;
        Ok(Http { client, base: base.trim_end_matches('/').to_string() })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends a request and reads the whole response: `Err` only for a transport failure.
    pub async fn send(&self, req: &Req<'_>) -> Result<Resp, String> {
        let url = format!("{}{}", self.base, req.path);
        let mut headers = HeaderMap::new();
        if let Some(c) = req.jar.header()
            && let Ok(v) = HeaderValue::from_str(&c)
        {
            headers.insert(reqwest::header::COOKIE, v);
        }
        if let Some(ip) = req.forwarded_for
            && let Ok(v) = HeaderValue::from_str(ip)
        {
            headers.insert("x-forwarded-for", v);
        }
        if req.fetch {
            headers.insert("x-requested-with", HeaderValue::from_static("fetch"));
        }
        let builder = if req.post { self.client.post(&url).form(&req.form) } else { self.client.get(&url) };
        let resp = builder.headers(headers).send().await.map_err(|e| transport(&e))?;
        let status = resp.status().as_u16();
        let location = resp.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        let set_cookies = resp.headers().get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
        let body = resp.text().await.map_err(|e| transport(&e))?;
        Ok(Resp { status, location, set_cookies, body })
    }
}

/// A transport error with its causes.
fn transport(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts() {
        for ok in ["http://127.0.0.1:8080", "http://localhost:8080/", "http://[::1]:8080", "http://127.0.0.2"] {
            assert!(check_loopback(ok).is_ok(), "{ok}");
        }
        for bad in ["http://10.0.0.1:8080", "http://example.org", "http://0.0.0.0:80", "ftp://127.0.0.1", "127.0.0.1:8080"] {
            assert!(check_loopback(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cookies_set_and_removed() {
        let mut jar = Jar::default();
        assert!(jar.header().is_none());
        jar.absorb(&["pbgdpl_csrf=abc.def; Path=/; HttpOnly; SameSite=Strict".into(), "pbgdpl_ct=0123; Path=/cuoc-thi; Max-Age=86400".into()]);
        assert_eq!(jar.header().as_deref(), Some("pbgdpl_csrf=abc.def; pbgdpl_ct=0123"));
        jar.absorb(&["pbgdpl_ct=; Path=/cuoc-thi; Max-Age=0".into()]);
        assert_eq!(jar.header().as_deref(), Some("pbgdpl_csrf=abc.def"));
        assert_eq!(jar.get("pbgdpl_csrf"), Some("abc.def"));
    }
}
