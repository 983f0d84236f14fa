//! Vietnamese messages of the legal-access standard: rule-set checks, value checks, scoring
//! failures, workflow refusals and flash notices.

use crate::rules::ruleset::Points;

// --- rule sets ---
pub fn bad_points(x: f64) -> String {
    format!("Số điểm hoặc mức «{x}» không hợp lệ: phải là số không âm, tối đa hai chữ số thập phân.")
}
pub fn toml_error(e: &str) -> String {
    format!("Bộ tiêu chí không đọc được: {e}")
}
pub fn bad_code(c: &str) -> String {
    format!("Mã bộ tiêu chí «{c}» chỉ gồm chữ cái không dấu, chữ số và dấu -, _, . (tối đa 40 ký tự).")
}
pub fn empty_name() -> String {
    "Bộ tiêu chí phải có tên.".into()
}
pub fn empty_legal_basis() -> String {
    "Bộ tiêu chí phải ghi căn cứ pháp lý.".into()
}
pub fn bad_years() -> String {
    "Năm áp dụng không hợp lệ (năm đầu từ 2000 đến 2100, năm cuối không trước năm đầu).".into()
}
pub fn no_criteria() -> String {
    "Bộ tiêu chí phải có ít nhất một tiêu chí.".into()
}
pub fn duplicate_code(c: &str) -> String {
    format!("Mã «{c}» không hợp lệ hoặc bị trùng.")
}
pub fn criterion_without_indicators(c: &str) -> String {
    format!("Tiêu chí {c} chưa có chỉ tiêu nào.")
}
pub fn empty_indicator_text(c: &str) -> String {
    format!("Chỉ tiêu {c} chưa có nội dung.")
}
pub fn criterion_needs_max(c: &str) -> String {
    format!("Tiêu chí {c} phải có điểm tối đa.")
}
pub fn criterion_max_mismatch(c: &str, max: Points, sum: Points) -> String {
    format!("Điểm tối đa của tiêu chí {c} ({max}) phải bằng tổng điểm tối đa các chỉ tiêu ({sum}).")
}
pub fn points_needs_min_total() -> String {
    "Bộ tiêu chí chấm điểm phải có tổng điểm tối thiểu để được công nhận.".into()
}
pub fn min_total_over_max(min: Points, max: Points) -> String {
    format!("Tổng điểm tối thiểu ({min}) lớn hơn tổng điểm tối đa ({max}).")
}
pub fn percent_over_hundred() -> String {
    "Tỷ lệ phần trăm không được lớn hơn 100.".into()
}
pub fn pass_fail_has_points() -> String {
    "Bộ tiêu chí đạt/không đạt không dùng điểm để công nhận.".into()
}
pub fn pass_fail_needs_all() -> String {
    "Bộ tiêu chí đạt/không đạt phải ghi điều kiện công nhận: đạt tất cả các chỉ tiêu (all_indicators = true).".into()
}
pub fn indicator_needs_max(c: &str) -> String {
    format!("Chỉ tiêu {c} phải có điểm tối đa.")
}
pub fn points_has_pass_min(c: &str) -> String {
    format!("Chỉ tiêu {c}: bộ tiêu chí chấm điểm dùng các mức điểm (bands), không dùng pass_min.")
}
pub fn indicator_needs_bands(c: &str) -> String {
    format!("Chỉ tiêu {c} phải có các mức điểm.")
}
pub fn bands_not_descending(c: &str) -> String {
    format!("Các mức điểm của chỉ tiêu {c} phải xếp từ cao xuống thấp.")
}
pub fn band_over_max(c: &str) -> String {
    format!("Một mức điểm của chỉ tiêu {c} vượt điểm tối đa của chỉ tiêu.")
}
pub fn count_band_not_whole(c: &str) -> String {
    format!("Mức của chỉ tiêu {c} phải là số nguyên.")
}
pub fn yes_no_has_bands(c: &str) -> String {
    format!("Chỉ tiêu có/không {c} không có mức.")
}
pub fn pass_fail_indicator_has_points(c: &str) -> String {
    format!("Chỉ tiêu {c}: bộ tiêu chí đạt/không đạt không có điểm.")
}
pub fn indicator_needs_pass_min(c: &str) -> String {
    format!("Chỉ tiêu {c} phải có mức độ đạt chuẩn (pass_min).")
}
pub fn ruleset_in_use() -> &'static str {
    "Phiên bản này đã được dùng để đánh giá nên không sửa được; nội dung đã lưu thành phiên bản mới."
}

pub const FILE_TYPE: &str = "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx) hoặc ảnh (PNG, JPEG).";
pub const FILE_CONTENT_MISMATCH: &str = "Nội dung tệp không khớp với phần mở rộng của tên tệp.";

// --- values ---
pub fn no_case() -> &'static str {
    "Không phát sinh"
}
pub fn wrong_measure(c: &str, label: &str) -> String {
    format!("Chỉ tiêu {c} phải nhập theo dạng «{label}».")
}
pub fn negative(c: &str) -> String {
    format!("Số liệu của chỉ tiêu {c} không được là số âm.")
}
pub fn too_large(c: &str, max: i64) -> String {
    format!("Số liệu của chỉ tiêu {c} không được lớn hơn {}.", text_vi::format_int(max))
}
pub fn numerator_over_denominator(c: &str) -> String {
    format!("Chỉ tiêu {c}: tử số không được lớn hơn mẫu số.")
}
pub fn not_a_number(c: &str) -> String {
    format!("Chỉ tiêu {c}: hãy nhập số nguyên không âm.")
}
pub fn half_ratio(c: &str) -> String {
    format!("Chỉ tiêu {c}: hãy nhập cả tử số và mẫu số (mẫu số 0 nếu không phát sinh).")
}
pub fn yes_no_choice(c: &str) -> String {
    format!("Chỉ tiêu {c}: hãy chọn Có hoặc Không.")
}
pub fn note_too_long(c: &str) -> String {
    format!("Chỉ tiêu {c}: ghi chú tối đa 2.000 ký tự.")
}

// --- scoring ---
pub fn failure_missing(c: &str) -> String {
    format!("Chỉ tiêu {c} chưa có số liệu.")
}
pub fn failure_total(total: Points, min: Points) -> String {
    format!("Tổng điểm {total} thấp hơn {min} điểm.")
}
pub fn failure_criterion(c: &str, points: Points, min: Points) -> String {
    format!("Tiêu chí {c} đạt {points} điểm, thấp hơn mức tối thiểu {min} điểm.")
}
pub fn failure_indicator(c: &str) -> String {
    format!("Chỉ tiêu {c} chưa đạt mức độ đạt chuẩn.")
}
pub fn failure_disqualified(text: &str) -> String {
    format!("Thuộc trường hợp không được công nhận: {text}.")
}

// --- workflow ---
pub fn step_refused(status: &str) -> String {
    format!("Không thực hiện được thao tác này khi hồ sơ đang ở trạng thái «{status}».")
}
pub fn incomplete() -> &'static str {
    "Còn chỉ tiêu chưa có số liệu: hãy nhập đủ trước khi hoàn thành tự đánh giá."
}
pub fn round_closed() -> &'static str {
    "Đợt đánh giá đã hết hạn gửi hồ sơ hoặc đã kết thúc."
}
pub fn round_exists(year: i32) -> String {
    format!("Tỉnh đã mở đợt đánh giá năm {year}.")
}
pub fn no_ruleset(year: i32) -> String {
    format!("Chưa có bộ tiêu chí áp dụng cho năm đánh giá {year}.")
}
pub fn bad_year() -> &'static str {
    "Năm đánh giá phải từ 2022 đến năm sau năm hiện tại."
}
pub fn bad_date() -> &'static str {
    "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 31/01/2027."
}
pub fn deadline_before_open() -> &'static str {
    "Hạn gửi hồ sơ phải sau ngày mở đợt."
}
pub fn reason_required() -> &'static str {
    "Hãy ghi lý do."
}
pub fn text_too_long(max: usize) -> String {
    format!("Nội dung tối đa {} ký tự.", text_vi::format_int(max as i64))
}
pub fn comment_empty() -> &'static str {
    "Hãy nhập nội dung góp ý."
}
pub fn not_posted() -> &'static str {
    "Kết quả tự đánh giá này không còn được niêm yết."
}
pub fn comment_rate() -> &'static str {
    "Bạn đã gửi nhiều góp ý trong thời gian ngắn; hãy thử lại sau ít phút."
}
pub fn decision_fields() -> &'static str {
    "Hãy nhập số quyết định, ngày ký và người ký."
}
pub fn nothing_to_decide() -> &'static str {
    "Chưa có hồ sơ nào đã gửi để quyết định công nhận."
}
pub fn meeting_fields() -> &'static str {
    "Hãy nhập ngày họp và kết luận của Hội đồng."
}
pub fn unknown_indicator(c: &str) -> String {
    format!("Chỉ tiêu «{c}» không có trong bộ tiêu chí.")
}
pub fn evidence_bad_link() -> &'static str {
    "Đường dẫn minh chứng phải bắt đầu bằng http://, https:// hoặc / (trang trong hệ thống)."
}
pub fn evidence_empty() -> &'static str {
    "Hãy chọn tệp hoặc nhập đường dẫn minh chứng."
}

/// Flash notices after a redirect.
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "saved" => "Đã lưu số liệu tự đánh giá.",
        "finished" => "Đã hoàn thành tự đánh giá.",
        "reopened" => "Đã mở lại để sửa số liệu.",
        "posted" => "Đã niêm yết công khai kết quả tự đánh giá.",
        "submitted" => "Đã gửi hồ sơ đề nghị công nhận.",
        "adjusted" => "Đã ghi điều chỉnh của Hội đồng.",
        "returned" => "Đã trả lại hồ sơ để bổ sung.",
        "evidence" => "Đã thêm minh chứng.",
        "round" => "Đã mở đợt đánh giá.",
        "meeting" => "Đã ghi kết quả họp Hội đồng.",
        "decided" => "Đã ghi quyết định công nhận.",
        "revoked" => "Đã thu hồi công nhận.",
        "ruleset" => "Đã lưu bộ tiêu chí.",
        "comment" => "Cảm ơn bạn đã góp ý. Ý kiến đã được gửi đến Ủy ban nhân dân cấp xã.",
        "disq" => "Đã ghi trường hợp không được công nhận.",
        _ => return None,
    })
}

// --- home page ---
pub fn home_self_assess(year: i64) -> String {
    format!("Tự đánh giá chuẩn tiếp cận pháp luật năm {year}")
}
pub fn home_post(year: i64) -> String {
    format!("Niêm yết kết quả tự đánh giá chuẩn tiếp cận pháp luật năm {year}")
}
pub fn home_submit(year: i64) -> String {
    format!("Gửi hồ sơ đề nghị công nhận chuẩn tiếp cận pháp luật năm {year}")
}
pub fn home_review(n: usize, year: i64) -> String {
    format!("Thẩm định {} hồ sơ chuẩn tiếp cận pháp luật năm {year}", text_vi::format_int(n as i64))
}
pub fn home_recognised(year: i64) -> String {
    format!("Xã đạt chuẩn tiếp cận pháp luật năm {year}")
}

// --- report prefill (form TCPL of the reports) ---
pub fn report_source_units(unit: &str, day: chrono::NaiveDate) -> String {
    format!("Danh mục đơn vị hành chính: các xã, phường, đặc khu của {unit} ngày {}", text_vi::format_date(day))
}
pub fn report_source_assessments(unit: &str, years: &str) -> String {
    format!("Chuẩn tiếp cận pháp luật: hồ sơ đánh giá năm {years} của các xã, phường, đặc khu thuộc {unit}")
}

// --- labels computed on pages and in documents ---
pub const TITLE_INDEX: &str = "Chuẩn tiếp cận pháp luật";
pub const TITLE_RULESETS: &str = "Bộ tiêu chí chuẩn tiếp cận pháp luật";
pub const TITLE_PUBLIC: &str = "Kết quả đánh giá chuẩn tiếp cận pháp luật";
pub const NOT_STARTED: &str = "Chưa bắt đầu";
pub const NO_DECISION: &str = "Chưa có quyết định";
pub const CHART_STATES: &str = "Số xã theo tình trạng";
pub const CHART_RESULTS: &str = "Phân bố kết quả";
pub const MISSING_1_2: &str = "Thiếu 1–2";
pub const MISSING_3: &str = "Thiếu từ 3";
pub const NO_FIGURES: &str = "Chưa có số liệu";
pub const NUMERATOR: &str = "Tử số";
pub const DENOMINATOR: &str = "Mẫu số";
pub const ANONYMOUS: &str = "Không ghi tên";
pub const UNDER_CONSIDERATION: &str = "Đang xem xét";
pub const PASS_WHEN_YES: &str = "Đạt khi có";
pub const ELIGIBLE_SUFFIX: &str = " — đủ điều kiện";
pub const NOT_ELIGIBLE_SUFFIX: &str = " — chưa đủ điều kiện";
pub fn points(p: Points) -> String {
    format!("{p} điểm")
}
pub fn points_of(p: Points, max: Points) -> String {
    format!("{p} / {max} điểm")
}
pub fn achieved_of(n: usize, of: usize) -> String {
    format!("Đạt {n}/{of} chỉ tiêu")
}
pub fn achieved(yes: bool) -> &'static str {
    if yes { "Đạt" } else { "Chưa đạt" }
}
pub fn yes_no(yes: bool) -> &'static str {
    if yes { "Có" } else { "Không" }
}
pub fn yes_points(p: Points) -> String {
    format!("Có: {p} điểm")
}
pub fn band(from: &str, p: Points) -> String {
    format!("từ {from}: {p} điểm")
}
pub fn pass_from(level: &str) -> String {
    format!("Đạt khi từ {level}")
}
pub fn decision_no(n: &str) -> String {
    format!("Quyết định số {n}")
}
pub fn share_of_communes(share: f64, ok: usize, n: usize) -> String {
    format!("{}% ({ok}/{n} xã)", text_vi::format_decimal(share, 0))
}
pub fn title_round(year: i64) -> String {
    format!("Đánh giá chuẩn tiếp cận pháp luật năm {year}")
}
pub fn title_assessment(year: i64, unit: &str) -> String {
    format!("Chuẩn tiếp cận pháp luật năm {year}: {unit}")
}
pub fn title_public(unit: &str, year: i64) -> String {
    format!("{unit}: chuẩn tiếp cận pháp luật năm {year}")
}
pub fn title_ruleset(name: &str, version: i64) -> String {
    format!("{name} (phiên bản {version})")
}
pub fn members(m: &str) -> String {
    format!(" Thành phần: {m}.")
}
pub fn meeting_line(d: chrono::NaiveDate, members: &str) -> String {
    format!("Họp ngày {}.{members}", text_vi::format_date(d))
}
pub fn on_day(d: chrono::NaiveDate) -> String {
    format!(" ngày {}", text_vi::format_date(d))
}
pub fn signed_by(s: &str) -> String {
    format!(", người ký: {s}")
}
pub fn all_of(n: u32) -> String {
    format!("Đạt cả {n}")
}
pub fn from_to(f: chrono::NaiveDate, t: chrono::NaiveDate) -> String {
    format!("từ {} đến {}", text_vi::format_date(f), text_vi::format_date(t))
}
pub fn from_year(y: i64) -> String {
    format!("từ {y}")
}
pub fn posting_until(d: &str) -> String {
    format!("Đang niêm yết đến {d}")
}
pub fn event_label(kind: &str) -> &'static str {
    match kind {
        "open" => "Mở đợt đánh giá",
        "finish" => "Hoàn thành tự đánh giá",
        "reopen" => "Mở lại để sửa",
        "post" => "Niêm yết công khai",
        "submit" => "Gửi hồ sơ",
        "adjust" => "Hội đồng điều chỉnh",
        "return" => "Trả lại bổ sung",
        "recognise" => "Công nhận đạt chuẩn",
        "refuse" => "Không công nhận",
        "revoke" => "Thu hồi công nhận",
        "disqualify" => "Ghi trường hợp không được công nhận",
        _ => "Cập nhật",
    }
}

// ---------------------------------------------------------------- a unit's public page

pub const PUBLIC_UNIT_HEADING: &str = "Chuẩn tiếp cận pháp luật";
pub const PUBLIC_UNIT_MORE: &str = "Kết quả đánh giá, công nhận của các xã, phường";
pub fn public_unit_year(year: i64) -> String {
    format!("Năm {year}")
}
pub fn public_unit_recognised(year: i64) -> String {
    format!("Được công nhận đạt chuẩn tiếp cận pháp luật năm {year}.")
}
pub fn public_unit_province(year: i64, recognised: usize, decided: usize) -> String {
    format!("Năm {year}: {} trên {} xã, phường, đặc khu được công nhận đạt chuẩn tiếp cận pháp luật.", text_vi::format_int(recognised as i64), text_vi::format_int(decided as i64))
}
