//! Configuration: built-in defaults, then a TOML file, then `PBGDPL_*` environment variables,
//! then command-line flags. Secrets are redacted whenever the configuration is printed.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// The effective configuration of a `pbgdpl` process.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Config {
    /// `sqlite://path` (default) or `postgres://…`.
    pub database_url: String,
    /// Address the HTTP server listens on.
    pub listen: String,
    /// Public address used in e-mailed links.
    pub base_url: String,
    /// Marks cookies `Secure` even when `base_url` is not https (they always are when it is).
    pub secure_cookies: bool,
    /// Bearer token that `/metrics` requires (set it in the environment, `PBGDPL_METRICS_TOKEN`).
    /// Empty: `/metrics` answers only connections from this machine (loopback).
    pub metrics_token: String,
    /// Addresses or networks (`10.0.0.5`, `10.0.0.0/8`, `::1`) of the load balancers and reverse
    /// proxies in front of pbgdpl. Only from them are `Forwarded` / `X-Forwarded-For` believed
    /// when throttling logins and writing the audit log; empty means the connecting address is
    /// the client's.
    pub trusted_proxies: Vec<String>,
    /// Load demo data into an empty database at start-up.
    pub demo: bool,
    /// `text` or `json` logs.
    pub log_format: String,
    pub session: SessionConfig,
    pub login: LoginConfig,
    pub mail: MailConfig,
    pub sms: SmsConfig,
    pub limits: LimitsConfig,
    pub jobs: JobsConfig,
    pub surveys: SurveysConfig,
    pub contests: ContestsConfig,
}

/// The online contests (cuộc thi trực tuyến).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ContestsConfig {
    /// The secret key of the keyed hashes of entrants' CCCD numbers and one-time codes (set it
    /// in the environment, `PBGDPL_CONTESTS__ID_PEPPER`). Empty: a random key created once in
    /// the database's settings.
    pub id_pepper: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SessionConfig {
    pub idle_minutes: i64,
    pub absolute_hours: i64,
    pub api_token_days: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LoginConfig {
    /// Failed logins at one username from one address within `lockout_minutes` before that
    /// address is refused for that username (nothing is ever locked; see docs/permissions.md).
    pub max_failures: i32,
    pub lockout_minutes: i64,
    /// Failed logins from one address within the window before it is throttled.
    pub ip_max_failures: i64,
    pub ip_window_minutes: i64,
    pub reset_token_minutes: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct MailConfig {
    /// `smtp://user:pass@host:587` or `smtps://…`; empty keeps mail in the development outbox.
    pub smtp_url: String,
    pub from: String,
}

/// The HTTP SMS gateway (cổng SMS) that delivers outbox messages addressed `sms:<phone>` (the
/// contests' one-time codes). Each provider has its own request, so the request is described
/// here: a URL, a method, a body template and the rule that tells success from failure.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SmsConfig {
    /// `https://…` of the provider's send endpoint; empty keeps SMS in the development outbox.
    /// `{to}` and `{text}` in it are percent-encoded.
    pub gateway_url: String,
    /// `POST` (default), `PUT` or `GET` (no body: put `{to}` and `{text}` in the URL).
    pub method: String,
    /// The request's `Content-Type`, which also decides how `{to}` and `{text}` are escaped in
    /// the body: JSON-escaped for `application/json` (and `…+json`), form-encoded for
    /// `application/x-www-form-urlencoded`, XML-escaped for `…/xml` (and `…+xml`), as they are
    /// otherwise.
    pub content_type: String,
    /// The body template, with the placeholders `{to}` (the phone number in `phone_format`) and
    /// `{text}` (the message). A template holding a provider's key belongs in the environment
    /// (`PBGDPL_SMS__BODY`); `pbgdpl config` hides a body that is not the default.
    pub body: String,
    /// The header carrying the credentials, `Authorization` by default.
    pub auth_header_name: String,
    /// Its value, e.g. `Bearer …` or `Basic …`; empty sends no such header. A secret: set it in
    /// the environment (`PBGDPL_SMS__AUTH_HEADER`).
    pub auth_header: String,
    /// `local` sends 0xxxxxxxxx as stored; `e164` sends 84xxxxxxxxx (write `+{to}` in the
    /// template if the provider wants the plus sign).
    pub phone_format: String,
    /// The longest a request may take, in seconds (1 to 120).
    pub timeout_secs: u64,
    /// A 2xx answer is a success; when this is not empty its body must also contain it (several
    /// gateways answer 200 with an error code in JSON), e.g. `"CodeResult":"100"`.
    pub success_contains: String,
    /// A proxy for the gateway (`http://host:3128`); empty connects directly, never through a
    /// proxy named in the environment (`HTTPS_PROXY` is ignored).
    pub proxy: String,
}

/// The body template of a gateway that takes `{"to": …, "text": …}`.
pub const DEFAULT_SMS_BODY: &str = r#"{"to":"{to}","text":"{text}"}"#;

impl Default for SmsConfig {
    fn default() -> Self {
        SmsConfig {
            gateway_url: String::new(),
            method: "POST".into(),
            content_type: "application/json".into(),
            body: DEFAULT_SMS_BODY.into(),
            auth_header_name: "Authorization".into(),
            auth_header: String::new(),
            phone_format: "local".into(),
            timeout_secs: 10,
            success_contains: String::new(),
            proxy: String::new(),
        }
    }
}

impl SmsConfig {
    /// Whether SMS are sent (a gateway is configured).
    pub fn enabled(&self) -> bool {
        !self.gateway_url.trim().is_empty()
    }

    /// Refuses a gateway that could not be called: checked only when one is configured.
    pub fn check(&self) -> Result<(), String> {
        if !self.enabled() {
            return Ok(());
        }
        let url = self.gateway_url.trim().to_ascii_lowercase();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(crate::msg::SMS_URL.into());
        }
        if !matches!(self.method.trim().to_ascii_uppercase().as_str(), "POST" | "PUT" | "GET") {
            return Err(crate::msg::SMS_METHOD.into());
        }
        if !matches!(self.phone_format.trim(), "local" | "e164") {
            return Err(crate::msg::SMS_PHONE_FORMAT.into());
        }
        if !(1..=120).contains(&self.timeout_secs) {
            return Err(crate::msg::SMS_TIMEOUT.into());
        }
        let sent = if self.method.trim().eq_ignore_ascii_case("GET") { self.gateway_url.clone() } else { format!("{}{}", self.gateway_url, self.body) };
        if !sent.contains("{to}") || !sent.contains("{text}") {
            return Err(crate::msg::SMS_PLACEHOLDERS.into());
        }
        let header_ok = |s: &str| !s.chars().any(|c| c.is_control());
        let name_ok = !self.auth_header_name.trim().is_empty()
            && self.auth_header_name.trim().bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
        if !header_ok(&self.content_type) || !header_ok(&self.auth_header) || (!self.auth_header.is_empty() && !name_ok) {
            return Err(crate::msg::SMS_HEADERS.into());
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LimitsConfig {
    pub body_bytes: usize,
    /// Largest uploaded file (plan documents, evidence), in bytes.
    pub upload_bytes: usize,
    pub request_timeout_secs: u64,
    /// Documents parsed at once by this instance (plan and report imports), off the request threads.
    pub import_concurrency: usize,
    /// Longest a document may take to parse before it is abandoned.
    pub import_timeout_secs: u64,
    /// Document imports one account may start per minute (across every instance).
    pub imports_per_minute: i64,
}

/// Abuse limits of the public survey pages (giới hạn chống gửi tràn), counted in the database so
/// that they hold across instances.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SurveysConfig {
    /// Answers accepted from one source address in one window: generous, since a school or a
    /// commune office shares one address.
    pub answers_per_address: i64,
    /// Answers accepted from one device (browser cookie) in one window.
    pub answers_per_device: i64,
    /// The counting window, in minutes.
    pub window_minutes: i64,
    /// How long a proof-of-work challenge stays valid after the page was served, in minutes.
    pub challenge_minutes: i64,
}

impl SurveysConfig {
    /// Refuses values the counting cannot honour: every limit above zero, and the window and the
    /// challenge's validity within the day for which the counted events are kept.
    pub fn check(&self) -> Result<(), String> {
        if self.answers_per_address < 1 || self.answers_per_device < 1 {
            return Err(crate::msg::SURVEYS_LIMITS_POSITIVE.into());
        }
        if !(1..=MAX_SURVEY_MINUTES).contains(&self.window_minutes) || !(1..=MAX_SURVEY_MINUTES).contains(&self.challenge_minutes) {
            return Err(crate::msg::surveys_minutes_range(MAX_SURVEY_MINUTES));
        }
        Ok(())
    }
}

/// The longest survey counting window or challenge validity, in minutes: the counted events
/// are kept one day, and a challenge must expire before its nonce is forgotten.
pub const MAX_SURVEY_MINUTES: i64 = 1_380;

impl Default for SurveysConfig {
    fn default() -> Self {
        SurveysConfig { answers_per_address: 60, answers_per_device: 10, window_minutes: 60, challenge_minutes: 120 }
    }
}

/// Background jobs.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct JobsConfig {
    /// Run the daily reminder job in this instance (every instance may; only one runs it per day).
    pub reminders: bool,
    /// Hour of the day (Vietnam time) from which the daily reminder job runs.
    pub reminder_hour: u32,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig { reminders: true, reminder_hour: 7 }
    }
}

impl Config {
    /// Whether cookies carry the `Secure` flag: always when the public address is https.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies || self.base_url.trim().to_ascii_lowercase().starts_with("https://")
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://data/pbgdpl.db".into(),
            listen: "127.0.0.1:8080".into(),
            base_url: "http://127.0.0.1:8080".into(),
            secure_cookies: false,
            metrics_token: String::new(),
            trusted_proxies: Vec::new(),
            demo: false,
            log_format: "text".into(),
            session: SessionConfig::default(),
            login: LoginConfig::default(),
            mail: MailConfig::default(),
            sms: SmsConfig::default(),
            limits: LimitsConfig::default(),
            jobs: JobsConfig::default(),
            surveys: SurveysConfig::default(),
            contests: ContestsConfig::default(),
        }
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig { idle_minutes: 120, absolute_hours: 12, api_token_days: 90 }
    }
}

impl Default for LoginConfig {
    fn default() -> Self {
        LoginConfig {
            max_failures: 5,
            lockout_minutes: 15,
            ip_max_failures: 30,
            ip_window_minutes: 15,
            reset_token_minutes: 60,
        }
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig { smtp_url: String::new(), from: "pbgdpl <no-reply@localhost>".into() }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            body_bytes: 2 * 1024 * 1024,
            upload_bytes: 10 * 1024 * 1024,
            request_timeout_secs: 30,
            import_concurrency: 1,
            import_timeout_secs: 10,
            imports_per_minute: 10,
        }
    }
}

/// Values given on the command line; they override every other source.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CliOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo: Option<bool>,
}

/// Where the configuration file is looked for: `PBGDPL_CONFIG`, else `pbgdpl.toml`.
pub fn default_file() -> String {
    std::env::var("PBGDPL_CONFIG").unwrap_or_else(|_| "pbgdpl.toml".into())
}

impl Config {
    /// Layers defaults, the TOML file (if present), `PBGDPL_*` variables (nested keys with `__`,
    /// e.g. `PBGDPL_MAIL__SMTP_URL`) and the command-line overrides.
    pub fn load(file: &str, cli: &CliOverrides) -> Result<Config, Box<figment::Error>> {
        let c: Config = Self::figment(file, cli).extract().map_err(Box::new)?;
        c.surveys.check().map_err(|m| Box::new(figment::Error::from(m)))?;
        c.sms.check().map_err(|m| Box::new(figment::Error::from(m)))?;
        Ok(c)
    }

    pub fn figment(file: &str, cli: &CliOverrides) -> Figment {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("PBGDPL_").split("__").ignore(&["config", "demo_password"]))
            .merge(Serialized::defaults(cli))
    }

    /// The configuration as TOML with secrets replaced by `***`.
    pub fn redacted_toml(&self) -> String {
        let mut c = self.clone();
        c.database_url = crate::db::redact_url(&c.database_url);
        if !c.mail.smtp_url.is_empty() {
            c.mail.smtp_url = crate::db::redact_url(&c.mail.smtp_url);
        }
        if !c.sms.gateway_url.is_empty() {
            // The provider's key may be in the userinfo or the query.
            c.sms.gateway_url = match c.sms.gateway_url.split_once('?') {
                Some((base, _)) => format!("{}?***", crate::db::redact_url(base)),
                None => crate::db::redact_url(&c.sms.gateway_url),
            };
        }
        if !c.sms.auth_header.is_empty() {
            c.sms.auth_header = "***".into();
        }
        if c.sms.body != DEFAULT_SMS_BODY {
            c.sms.body = "***".into();
        }
        if !c.sms.proxy.is_empty() {
            c.sms.proxy = crate::db::redact_url(&c.sms.proxy);
        }
        if !c.metrics_token.is_empty() {
            c.metrics_token = "***".into();
        }
        if !c.contests.id_pepper.is_empty() {
            c.contests.id_pepper = "***".into();
        }
        toml::to_string_pretty(&c).unwrap_or_default()
    }
}
