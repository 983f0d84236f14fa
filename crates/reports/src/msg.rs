//! Vietnamese messages produced by report validation and the report state machine.

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("«{n}»"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn unknown_indicator(code: &str) -> String {
    format!("Chỉ tiêu «{code}» không có trong biểu mẫu.")
}

pub fn unknown_disaggregation(name: &str, key: &str) -> String {
    format!("Chỉ tiêu «{name}» không có phân tổ «{key}».")
}

pub fn negative(name: &str) -> String {
    format!("Chỉ tiêu «{name}» không được là số âm.")
}

pub fn not_integer(name: &str) -> String {
    format!("Chỉ tiêu «{name}» phải là số nguyên.")
}

pub fn not_number(name: &str) -> String {
    format!("Chỉ tiêu «{name}» phải là số.")
}

pub fn not_text(name: &str) -> String {
    format!("Chỉ tiêu «{name}» phải là văn bản.")
}

pub fn over_hundred(name: &str) -> String {
    format!("Tỷ lệ «{name}» không được lớn hơn 100%.")
}

/// 1.234.567: Vietnamese grouping for any figure, sums included (which may pass the i64 range).
pub fn group(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

pub fn over_max(name: &str, max: i64) -> String {
    format!("Chỉ tiêu «{name}» không được lớn hơn {}.", group(max.into()))
}

pub fn parts_not_equal_total(name: &str, dimension: &str, sum: i128, total: i64) -> String {
    let (sum, total) = (group(sum), group(total.into()));
    format!(
        "Tổng các phân tổ theo «{dimension}» của chỉ tiêu «{name}» ({sum}) phải bằng tổng số ({total})."
    )
}

pub fn member_over_total(name: &str, member: &str, value: i64, total: i64) -> String {
    let (value, total) = (group(value.into()), group(total.into()));
    format!(
        "Số liệu «{member}» của chỉ tiêu «{name}» ({value}) không được lớn hơn tổng số ({total})."
    )
}

pub fn rule_sum_le(parts: &[String], sum: i128, total: &str, t: i64) -> String {
    let (sum, t) = (group(sum), group(t.into()));
    if parts.len() == 1 {
        format!(
            "{} ({sum}) không được lớn hơn «{total}» ({t}).",
            quoted(parts)
        )
    } else {
        format!(
            "Tổng của {} ({sum}) không được lớn hơn «{total}» ({t}).",
            quoted(parts)
        )
    }
}

pub fn rule_sum_eq(parts: &[String], sum: i128, total: &str, t: i64) -> String {
    let (sum, t) = (group(sum), group(t.into()));
    format!(
        "Tổng của {} ({sum}) phải bằng «{total}» ({t}).",
        quoted(parts)
    )
}

/// The source named beside figures prefilled from plan tasks.
pub const PREFILL_TASKS: &str = "kết quả nhiệm vụ đã ghi nhận";
pub const TRANSITION_NOT_ALLOWED: &str =
    "Không thể thực hiện thao tác này ở trạng thái hiện tại của báo cáo.";

// ---- Locks (khóa số liệu) ----
pub const LOCK_APPROVED: &str =
    "Báo cáo đã được phê duyệt nên số liệu đã khóa. Cấp trên có thể mở khóa (trả lại) nếu cần sửa.";
pub const LOCK_SUBMITTED: &str =
    "Báo cáo đã gửi cấp trên, đang chờ xem xét; số liệu tạm khóa cho đến khi được duyệt hoặc trả lại.";
pub const LOCK_NOT_OPEN: &str = "Kỳ báo cáo chưa được mở nên chưa thể nhập số liệu.";
pub const LOCK_ROUND_CLOSED: &str =
    "Kỳ báo cáo đã đóng nên mọi số liệu đã khóa. Hãy liên hệ cấp trên nếu cần điều chỉnh.";

pub fn lock_past_deadline(due: &str, locked_from: &str) -> String {
    format!(
        "Đã quá hạn nộp báo cáo (hạn {due}); số liệu bị khóa từ ngày {locked_from}. Cấp trên có thể mở khóa có thời hạn để đơn vị nộp muộn."
    )
}

// ---- Rounds, entry and review (pages, API, import) ----
pub const ROUND_OPENED: &str = "Đã mở kỳ báo cáo; các đơn vị báo cáo đã được thông báo.";
pub const ROUND_CLOSED: &str = "Đã đóng kỳ báo cáo; số liệu của kỳ đã khóa.";
pub const ROUNDS_GENERATED: &str = "Đã lập các kỳ báo cáo của năm.";
pub const ROUND_NOT_PLANNED: &str = "Chỉ mở được kỳ báo cáo chưa mở.";
pub const ROUND_NOT_OPEN: &str = "Kỳ báo cáo không ở trạng thái đang mở.";
pub const NO_FORM_FOR_PERIOD: &str =
    "Không có phiên bản biểu mẫu nào có hiệu lực cho kỳ này; hãy kiểm tra biểu mẫu.";
pub const NO_MEMBERS: &str = "Lịch báo cáo chưa có đơn vị báo cáo nào.";
pub const YEAR_INVALID: &str = "Năm phải là số từ 2000 đến 2100.";
pub const DUE_INVALID: &str = "Hạn nộp không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.";
pub const DUE_BEFORE_OPEN: &str = "Hạn nộp không được trước ngày mở kỳ.";
pub const LOCK_DAYS_INVALID: &str = "Số ngày khóa sau hạn phải là số từ 0 đến 365, hoặc để trống nếu không khóa.";
pub const DRAFT_SAVED: &str = "Đã lưu nháp báo cáo.";
pub const SUBMITTED: &str = "Đã gửi báo cáo lên cấp trên.";
pub const APPROVED: &str = "Đã phê duyệt báo cáo; số liệu đã được cộng vào tổng hợp.";
pub const RETURNED: &str = "Đã trả lại báo cáo kèm ý kiến.";
pub const UNLOCKED: &str = "Đã mở khóa báo cáo.";
pub const COMMENT_ADDED: &str = "Đã thêm ý kiến.";
pub const FORM_SAVED: &str = "Đã lưu phiên bản mới của biểu mẫu.";
pub const IMPORTED: &str = "Đã nhập số liệu từ tệp Excel.";
pub const REMINDERS_SENT: &str = "Đã gửi nhắc nộp báo cáo.";
pub const SUBMIT_FAILED_DRAFT_SAVED: &str =
    "Báo cáo chưa được gửi vì còn lỗi; số liệu đã nhập được lưu nháp. Hãy sửa các ô được đánh dấu rồi gửi lại.";
pub const FIX_ERRORS: &str = "Báo cáo còn lỗi, hãy sửa các ô được đánh dấu rồi lưu hoặc gửi lại.";
pub const RETURN_NEEDS_COMMENT: &str = "Hãy ghi ý kiến để đơn vị biết cần sửa gì.";
pub const UNLOCK_NEEDS_REASON: &str = "Hãy ghi lý do mở khóa.";
pub const UNLOCK_UNTIL_INVALID: &str = "Ngày hết hạn mở khóa phải là một ngày từ hôm nay trở đi (dd/mm/yyyy).";
pub const NOT_LOCKED: &str = "Báo cáo không bị khóa.";
pub const COMMENT_EMPTY: &str = "Ý kiến không được để trống.";
pub const STALE: &str =
    "Báo cáo vừa được người khác thay đổi. Số liệu bạn nhập vẫn còn trên trang; hãy kiểm tra rồi lưu lại.";
pub const NOT_A_NUMBER: &str = "Hãy nhập một số nguyên không âm (có thể viết 1.234).";
pub const NUMBER_TOO_LARGE: &str = "Số quá lớn.";
pub const ROLLUP_OVERFLOW: &str =
    "Không thể cộng số liệu của báo cáo này vào tổng hợp vì tổng vượt quá giới hạn lưu trữ. Hãy kiểm tra lại các số liệu quá lớn.";
pub const FORM_EDIT_WRONG_CODE: &str = "Mã biểu mẫu của phiên bản mới phải giữ nguyên.";

pub fn form_invalid(detail: &str) -> String {
    format!("Biểu mẫu không hợp lệ: {detail}")
}

pub fn import_not_xlsx() -> String {
    "Tệp không phải là tệp Excel (.xlsx) hợp lệ.".to_string()
}
pub const IMPORT_NO_HEADER: &str =
    "Không tìm thấy cột «Mã chỉ tiêu» trong tệp. Hãy dùng tệp Excel tải về từ báo cáo này.";
pub const IMPORT_TOO_LARGE: &str = "Tệp có quá nhiều dòng.";
pub const IMPORT_EMPTY: &str = "Tệp không có số liệu nào để nhập.";

pub fn import_row_unknown(row: u32, key: &str) -> String {
    format!("Dòng {row}: mã chỉ tiêu «{key}» không có trong biểu mẫu của kỳ này.")
}
pub fn import_row_not_number(row: u32, name: &str, got: &str) -> String {
    format!("Dòng {row}: «{name}» phải là số nguyên không âm, nhận được «{got}».")
}
pub fn import_row_duplicate(row: u32, key: &str) -> String {
    format!("Dòng {row}: mã chỉ tiêu «{key}» xuất hiện nhiều lần.")
}
pub fn import_rule(message: &str) -> String {
    format!("Kiểm tra chéo: {message}")
}

pub fn reminder_text(form: &str, period: &str, due: &str) -> String {
    format!("Nhắc nộp báo cáo «{form}» kỳ {period} (hạn {due}).")
}

pub const VALID_TO_BEFORE_FROM: &str = "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.";
pub const FORM_NEEDS_INDICATOR: &str = "Biểu mẫu phải còn ít nhất một chỉ tiêu.";
pub const FIX_FORM_ERRORS: &str = "Biểu mẫu chưa lưu được; hãy sửa các ô được đánh dấu.";

pub fn indicator_in_use(name: &str) -> String {
    format!("Không bỏ được «{name}» vì một chỉ tiêu tự tính hoặc một quy tắc kiểm tra dùng đến nó.")
}
pub const KIND_NOT_FOR_FORM: &str = "Biểu mẫu này không dùng cho loại kỳ đã chọn.";
pub const LEVEL_NOT_FOR_FORM: &str = "Biểu mẫu này không dành cho cấp báo cáo đã chọn.";

// ---- Checks of a form version (shown to administrators who edit forms) ----
pub const FORM_VALID_TO_BEFORE_FROM: &str = "valid_to (ngày hết hiệu lực) phải sau valid_from (ngày bắt đầu).";
pub const FORM_LISTS_EMPTY: &str = "levels (cấp báo cáo), period_kinds (loại kỳ) và sources (nguồn) không được để trống.";
pub const FORM_FORMULA_CYCLE: &str = "các công thức tính tham chiếu vòng tròn lẫn nhau.";
pub const FORM_RULE_REPEATS: &str = "một quy tắc kiểm tra dùng một chỉ tiêu hai lần.";

pub fn form_duplicate_section(code: &str) -> String {
    format!("mục «{code}» bị khai báo hai lần.")
}
pub fn form_duplicate_indicator(code: &str) -> String {
    format!("chỉ tiêu «{code}» bị khai báo hai lần.")
}
pub fn form_unknown_dimension(code: &str, dim: &str) -> String {
    format!("chỉ tiêu «{code}»: không có phân tổ «{dim}».")
}
pub fn form_breakdown_not_additive(code: &str) -> String {
    format!("chỉ tiêu «{code}»: chỉ số đếm và số tiền mới được phân tổ.")
}
pub fn form_aggregation_unfit(code: &str) -> String {
    format!("chỉ tiêu «{code}»: cách tổng hợp không hợp với loại chỉ tiêu.")
}
pub fn form_ratio_needs_formula(code: &str) -> String {
    format!("chỉ tiêu «{code}»: tỷ lệ, tỷ số phải có công thức tỷ số (ratio).")
}
pub fn form_ratio_formula_gives_ratio(code: &str) -> String {
    format!("chỉ tiêu «{code}»: công thức tỷ số chỉ dùng cho chỉ tiêu tỷ lệ hoặc tỷ số.")
}
pub fn form_sum_formula_gives_count(code: &str) -> String {
    format!("chỉ tiêu «{code}»: công thức cộng chỉ dùng cho số đếm hoặc số tiền.")
}
pub fn form_empty_sum(code: &str) -> String {
    format!("chỉ tiêu «{code}»: công thức cộng không có số hạng nào.")
}
pub fn form_unknown_input(code: &str, input: &str) -> String {
    format!("chỉ tiêu «{code}»: công thức dùng chỉ tiêu «{input}» không có trong biểu mẫu.")
}
pub fn form_input_not_additive(code: &str, input: &str) -> String {
    format!("chỉ tiêu «{code}»: công thức dùng «{input}», không phải số đếm hoặc số tiền.")
}
pub fn form_rule_not_additive(code: &str) -> String {
    format!("quy tắc kiểm tra dùng «{code}», không phải số đếm hoặc số tiền.")
}
pub fn form_rule_unknown(code: &str) -> String {
    format!("quy tắc kiểm tra dùng chỉ tiêu «{code}» không có trong biểu mẫu.")
}

// ---------------------------------------------------------------- home page

pub fn home_send(form: &str, period: &str) -> String {
    format!("Gửi báo cáo {form}, {period}")
}
pub fn home_fix_returned(form: &str, period: &str) -> String {
    format!("Sửa và gửi lại báo cáo {form}, {period}")
}
pub fn home_review(n: i64, form: &str, period: &str) -> String {
    format!("Duyệt {n} báo cáo đã gửi: {form}, {period}")
}
pub fn home_missing(missing: i64, total: i64, form: &str, period: &str) -> String {
    format!("{missing}/{total} đơn vị chưa gửi báo cáo {form}, {period}")
}
pub const HOME_TO_SEND: &str = "Báo cáo đơn vị cần gửi";
pub const HOME_RECEIVED: &str = "Báo cáo đã nhận ở các kỳ đang mở";

/// The progress column of a round in a list.
pub fn round_planned(cutoff: &str, members: i64) -> String {
    format!("Chưa mở. Số liệu chốt đến ngày {cutoff}; khi mở, {members} đơn vị nhận báo cáo để nộp")
}
pub fn round_progress(submitted: i64, total: i64, approved: i64) -> String {
    format!("{submitted}/{total} đã nộp, {approved} đã duyệt")
}
