//! XLSX report imports: the reader never panics and refuses bombs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = documents::read_report_xlsx(data);
    let _ = documents::sniff::check_evidence("minh-chung.xlsx", data);
    let _ = documents::sniff::check_evidence("minh-chung.pdf", data);
});
