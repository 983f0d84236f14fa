//! The workspace's dependency rules, checked on every run of the suite:
//!
//! - the foundation (`text_vi`, `kernel`, `documents`) never depends on a capability;
//! - a capability crate depends on the foundation, and on another capability only where
//!   ARCHITECTURE.md declares that edge (the table between `edges:begin` and `edges:end`);
//! - `testkit` is only ever a dev-dependency, and only `server` and `pbgdpl` may depend on `server`;
//! - tools (`loadgen`, the contests' load generator) are neither foundation nor capability: like
//!   the top they may use capabilities, and nothing in the foundation may depend on them;
//! - every capability has the layout of the recipe (`src/rules/`, `src/msg.rs`, `migrations/`);
//! - `rules` modules stay pure: they never name `sqlx`, `axum`, `tokio`, `reqwest` or `std::fs`.
//!
//! Dependencies are read from `cargo metadata`, so a new edge in any Cargo.toml is seen at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const FOUNDATION: &[&str] = &["text_vi", "kernel", "documents"];
const TOP: &[&str] = &["server", "pbgdpl"];
const TOOLS: &[&str] = &["loadgen"];
const TEST_ONLY: &str = "testkit";
const FORBIDDEN_IN_RULES: &[&str] = &["sqlx", "axum", "tokio", "reqwest", "std::fs"];

/// One dependency between workspace crates.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: String,
    to: String,
    /// "normal", "dev" or "build".
    kind: String,
}

/// A declared edge between capabilities: (from, to, kind).
type Declared = BTreeSet<(String, String, String)>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The workspace crates and the edges between them, from `cargo metadata`.
fn workspace() -> (Vec<String>, Vec<Edge>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let names: Vec<String> = packages.iter().map(|p| p["name"].as_str().unwrap().to_string()).collect();
    let mut edges = Vec::new();
    for p in packages {
        for d in p["dependencies"].as_array().unwrap() {
            if d.get("path").is_some_and(|v| v.is_string()) {
                edges.push(Edge {
                    from: p["name"].as_str().unwrap().into(),
                    to: d["name"].as_str().unwrap().into(),
                    kind: d["kind"].as_str().unwrap_or("normal").into(),
                });
            }
        }
    }
    (names, edges)
}

/// The edges ARCHITECTURE.md declares, from the table rows `| from | to | kind | why |` between
/// `<!-- edges:begin -->` and `<!-- edges:end -->`.
fn declared(architecture: &str) -> Declared {
    let start = architecture.find("<!-- edges:begin -->").expect("ARCHITECTURE.md has the edges table");
    let end = architecture.find("<!-- edges:end -->").expect("ARCHITECTURE.md closes the edges table");
    architecture[start..end]
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').map(|c| c.trim().trim_matches('`')).collect();
            (cells.len() >= 4 && !cells[0].is_empty() && cells[0] != "from" && !cells[0].starts_with('-'))
                .then(|| (cells[0].to_string(), cells[1].to_string(), cells[2].to_string()))
        })
        .collect()
}

/// Every rule the edges break, in words.
fn violations(names: &[String], edges: &[Edge], declared: &Declared) -> Vec<String> {
    let is_capability = |n: &str| names.iter().any(|m| m == n) && !FOUNDATION.contains(&n) && !TOP.contains(&n) && !TOOLS.contains(&n) && n != TEST_ONLY;
    let mut out = Vec::new();
    for e in edges {
        let (from, to) = (e.from.as_str(), e.to.as_str());
        if to == TEST_ONLY && e.kind != "dev" {
            out.push(format!("{from} → testkit must be a dev-dependency"));
        }
        if FOUNDATION.contains(&from) && (is_capability(to) || TOP.contains(&to) || TOOLS.contains(&to)) {
            out.push(format!("{from} is foundation and must not depend on {to}"));
        }
        if to == "server" && !TOP.contains(&from) {
            out.push(format!("{from} must not depend on server"));
        }
        if is_capability(from) && is_capability(to) && !declared.contains(&(from.to_string(), to.to_string(), e.kind.clone())) {
            out.push(format!("undeclared edge {from} → {to} ({}): declare it in ARCHITECTURE.md or go through a kernel port", e.kind));
        }
    }
    for (from, to, kind) in declared {
        if !edges.iter().any(|e| &e.from == from && &e.to == to && &e.kind == kind) {
            out.push(format!("ARCHITECTURE.md declares {from} → {to} ({kind}) but no Cargo.toml has it"));
        }
    }
    out
}

/// The forbidden names a piece of Rust source mentions outside comments.
fn impure_names(source: &str) -> Vec<&'static str> {
    let code: String = source
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    FORBIDDEN_IN_RULES
        .iter()
        .copied()
        .filter(|name| {
            code.match_indices(name).any(|(i, _)| {
                let before = code[..i].chars().next_back();
                let after = code[i + name.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !word(before) && !word(after)
            })
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn dependencies_follow_the_declared_edges() {
    let (names, edges) = workspace();
    let architecture = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let problems = violations(&names, &edges, &declared(&architecture));
    assert!(problems.is_empty(), "dependency rules broken:\n{}", problems.join("\n"));
}

#[test]
fn capabilities_have_the_recipe_layout_and_pure_rules() {
    let (names, _) = workspace();
    let capabilities: Vec<&String> =
        names.iter().filter(|n| !FOUNDATION.contains(&n.as_str()) && !TOP.contains(&n.as_str()) && !TOOLS.contains(&n.as_str()) && n.as_str() != TEST_ONLY).collect();
    assert!(capabilities.len() >= 2, "{capabilities:?}");
    let mut problems = Vec::new();
    for c in capabilities {
        let dir = root().join("crates").join(c);
        for required in ["src/rules", "src/msg.rs", "migrations/sqlite", "migrations/postgres", "tests/http/main.rs"] {
            if !dir.join(required).exists() {
                problems.push(format!("{c}: missing {required}"));
            }
        }
        let mut files = Vec::new();
        rust_files(&dir.join("src/rules"), &mut files);
        for f in files {
            let names = impure_names(&std::fs::read_to_string(&f).unwrap());
            if !names.is_empty() {
                problems.push(format!("{}: a rules module names {}", f.display(), names.join(", ")));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checks_catch_what_they_should() {
    let names: Vec<String> = ["text_vi", "kernel", "documents", "testkit", "plans", "reports", "mediation", "server", "pbgdpl"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let e = |from: &str, to: &str, kind: &str| Edge { from: from.into(), to: to.into(), kind: kind.into() };
    let table = "<!-- edges:begin -->\n| from | to | kind | why |\n|---|---|---|---|\n| `reports` | `plans` | dev | tests |\n<!-- edges:end -->";
    let declared = declared(table);
    assert_eq!(declared.len(), 1);
    assert!(violations(&names, &[e("reports", "plans", "dev"), e("plans", "kernel", "normal")], &declared).is_empty());
    let bad = violations(
        &names,
        &[
            e("reports", "plans", "dev"),
            e("reports", "plans", "normal"),
            e("mediation", "plans", "normal"),
            e("kernel", "plans", "normal"),
            e("plans", "testkit", "normal"),
            e("plans", "server", "dev"),
        ],
        &declared,
    );
    assert_eq!(bad.len(), 5, "{bad:#?}");
    assert!(violations(&names, &[], &declared).iter().any(|v| v.contains("no Cargo.toml")));
    assert_eq!(impure_names("use sqlx::FromRow;\nlet x = std::fs::read(p);"), ["sqlx", "std::fs"]);
    assert!(impure_names("// tokio is not used here\nlet my_axum_like = 1; let tokio_x = 2;").is_empty());
}
