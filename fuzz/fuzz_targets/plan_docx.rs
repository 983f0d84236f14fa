//! DOCX plans: the ZIP reader, the XML scan and the importer never panic and stay bounded.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn matcher() -> &'static kernel::agency::AgencyMatcher {
    static M: OnceLock<kernel::agency::AgencyMatcher> = OnceLock::new();
    M.get_or_init(|| kernel::agency::AgencyMatcher::builtin().unwrap_or_else(|e| panic!("{e}")))
}

fuzz_target!(|data: &[u8]| {
    let _ = plans::rules::parse_plan_bytes(data, "ke-hoach.docx", matcher());
});
