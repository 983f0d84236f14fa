//! Report form versions edited by administrators (TOML): parsing and checking never panic.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn catalogue() -> &'static reports::rules::FormCatalogue {
    static C: OnceLock<reports::rules::FormCatalogue> = OnceLock::new();
    C.get_or_init(|| reports::rules::FormCatalogue::builtin().unwrap_or_else(|e| panic!("{e}")))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = catalogue().parse_version(text);
    }
});
