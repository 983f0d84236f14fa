//! Shared application state: the database handle and the configuration. Nothing shared between
//! requests lives only in memory: sessions, tokens, throttling and mail are in the database.

use std::sync::{Arc, OnceLock};

use crate::db::Db;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::config::Config;
use crate::registry::Registry;

#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: Config,
    pub metrics: Option<PrometheusHandle>,
    /// What the capability crates registered (menu, digest parts, ports).
    pub registry: Arc<Registry>,
    /// `config.trusted_proxies`, parsed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The gate for parsing uploaded documents (see [`crate::heavy`]).
    pub heavy: crate::heavy::Heavy,
    /// The key that signs the CSRF cookie shown before login, shared by every instance through
    /// the database (read once per process).
    csrf_key: tokio::sync::OnceCell<Vec<u8>>,
    /// Per-instance caches that a capability keeps beside the state (the search index), one per
    /// type. Caches only: what they hold is rebuilt from the database.
    pub extensions: Extensions,
}

/// A map from a type to one shared value of it, created once per app on first use.
#[derive(Default)]
pub struct Extensions(std::sync::Mutex<std::collections::HashMap<std::any::TypeId, Arc<dyn std::any::Any + Send + Sync>>>);

impl Extensions {
    /// The app's value of type `T`, created by `init` the first time.
    pub fn get_or_insert_with<T: Send + Sync + 'static>(&self, init: impl FnOnce() -> T) -> Arc<T> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(std::any::TypeId::of::<T>()).or_insert_with(|| Arc::new(init()) as Arc<dyn std::any::Any + Send + Sync>);
        match Arc::clone(entry).downcast::<T>() {
            Ok(v) => v,
            // The key is T's TypeId, so the value is a T.
            Err(_) => unreachable!("extension stored under another type"),
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Inner {
    /// The CSRF signing key (created in `settings` by the first instance that needs it).
    pub async fn csrf_key(&self) -> crate::db::DbResult<&[u8]> {
        let key = self
            .csrf_key
            .get_or_try_init(|| async {
                let hex_key = crate::db::settings::get_or_create(&self.db, "csrf_signing_key", crate::db::new_token).await?;
                Ok::<_, crate::db::DbError>(hex::decode(&hex_key).unwrap_or_else(|_| hex_key.into_bytes()))
            })
            .await?;
        Ok(key.as_slice())
    }
}

static METRICS: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process-wide Prometheus recorder (installed once, shared by every app in the process).
pub fn metrics_handle() -> Option<PrometheusHandle> {
    METRICS
        .get_or_init(|| PrometheusBuilder::new().install_recorder().ok())
        .clone()
}

impl AppState {
    /// State with no capability registered (the kernel alone).
    pub fn new(db: Db, config: Config) -> AppState {
        Self::with_registry(db, config, Registry::default())
    }

    pub fn with_registry(db: Db, config: Config, registry: Registry) -> AppState {
        let trusted_proxies = config
            .trusted_proxies
            .iter()
            .filter_map(|s| match parse_net(s) {
                Some(n) => Some(n),
                None => {
                    tracing::error!(entry = %s, "trusted_proxies: not an address or network; ignored");
                    None
                }
            })
            .collect();
        let limits = &config.limits;
        let heavy = crate::heavy::Heavy::new(
            limits.import_concurrency,
            std::time::Duration::from_secs(limits.request_timeout_secs.saturating_sub(limits.import_timeout_secs).max(1)),
            std::time::Duration::from_secs(limits.import_timeout_secs.max(1)),
        );
        AppState(Arc::new(Inner { db, config, metrics: metrics_handle(), registry: Arc::new(registry), trusted_proxies, heavy, csrf_key: tokio::sync::OnceCell::new(), extensions: Extensions::default() }))
    }
}

/// `10.0.0.0/8`, or a single address as its /32 or /128 network.
pub fn parse_net(s: &str) -> Option<ipnet::IpNet> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>().ok().or_else(|| s.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from))
}
