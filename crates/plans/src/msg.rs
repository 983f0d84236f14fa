//! Messages of plans, tasks and reminders (kế hoạch, nhiệm vụ, nhắc việc).

pub const IMPORTED: &str = "Đã nhập kế hoạch. Hãy soát xét từng trường, sửa nếu cần, rồi ban hành.";
pub const SAVED: &str = "Đã lưu kế hoạch.";
pub const CREATED: &str = "Đã tạo dự thảo kế hoạch.";
pub const ISSUED: &str = "Đã ban hành kế hoạch. Các nhiệm vụ bắt đầu được theo dõi.";
pub const CLOSED: &str = "Đã kết thúc kế hoạch.";
pub const DELETED: &str = "Đã xóa dự thảo kế hoạch.";
pub const COPIED: &str = "Đã sao chép thành dự thảo mới. Hãy soát xét ngày tháng và nội dung trước khi ban hành.";
pub const IMPLEMENTING_CREATED: &str = "Đã tạo dự thảo kế hoạch thực hiện với các nhiệm vụ đã chọn.";
pub const TASK_SAVED: &str = "Đã lưu nhiệm vụ.";
pub const TASK_DELETED: &str = "Đã xóa nhiệm vụ.";
pub const TASK_UPDATED: &str = "Đã ghi nhận cập nhật tiến độ.";
pub const REMINDERS_SENT: &str = "Đã gửi nhắc việc.";
pub const REMINDER_SETTINGS_SAVED: &str = "Đã lưu số ngày nhắc trước hạn.";

pub const FILE_REQUIRED: &str = "Hãy chọn tệp kế hoạch (.docx, .txt hoặc .md).";
pub const FILE_TYPE: &str = "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx) hoặc ảnh (PNG, JPEG).";
pub const FILE_CONTENT_MISMATCH: &str = "Nội dung tệp không khớp với phần mở rộng của tên tệp.";
pub const LINK_INVALID: &str = "Liên kết phải bắt đầu bằng http:// hoặc https://.";
pub const NUMBER_INVALID: &str = "Hãy nhập số nguyên không âm.";
pub const PERCENT_INVALID: &str = "Tỷ lệ phải là số từ 0 đến 100.";
pub const YEAR_INVALID: &str = "Năm phải nằm trong khoảng 2000–2100.";
pub const STATUS_INVALID: &str = "Trạng thái không hợp lệ.";
pub const UPDATE_EMPTY: &str = "Hãy nhập nội dung cập nhật, số liệu, tệp minh chứng hoặc liên kết.";
pub const DAYS_INVALID: &str = "Số ngày nhắc trước hạn phải từ 1 đến 60.";

pub const ISSUE_NEEDS_NUMBER: &str = "Cần nhập số, ký hiệu văn bản trước khi ban hành.";
pub const ISSUE_NEEDS_DATE: &str = "Cần nhập ngày ban hành trước khi ban hành.";
pub const ISSUE_NEEDS_TASKS: &str = "Kế hoạch phải có ít nhất một nhiệm vụ trước khi ban hành.";
pub const NOT_DRAFT: &str = "Chỉ sửa được kế hoạch ở trạng thái dự thảo hoặc đã ban hành; kế hoạch đã kết thúc chỉ để xem.";
pub const ONLY_DRAFT_DELETE: &str = "Chỉ xóa được kế hoạch ở trạng thái dự thảo.";
pub const VERSION_CONFLICT: &str = "Kế hoạch vừa được người khác sửa. Nội dung bạn nhập vẫn còn dưới đây; hãy tải lại trang để xem bản mới rồi nhập lại.";
pub const NOT_ISSUED: &str = "Chỉ triển khai hoặc cập nhật tiến độ được kế hoạch đã ban hành.";
pub const NO_TASK_CHOSEN: &str = "Hãy chọn ít nhất một nhiệm vụ.";
pub const NOT_LOWER_UNIT: &str = "Chỉ đơn vị cấp dưới hoặc cơ quan được giao nhiệm vụ mới xây dựng kế hoạch thực hiện.";

pub const MANUAL_SUBJECT: &str = "[pbgdpl] Đôn đốc thực hiện nhiệm vụ";

/// Errors of the plan importer (nhập kế hoạch).
pub mod plan_import {
    pub const EMPTY: &str = "Tệp rỗng: không có nội dung để nhập.";
    pub const BINARY: &str = "Tệp không phải văn bản (không đọc được dưới dạng UTF-8). Hãy chọn tệp .txt, .md hoặc .docx.";
    pub const NOT_A_PLAN: &str =
        "Tệp không phải là một kế hoạch: không tìm thấy tiêu đề “KẾ HOẠCH”.";
    pub const DECISION_WITHOUT_PLAN: &str = "Tệp chỉ có quyết định ban hành kế hoạch, không có kế hoạch kèm theo: không tìm thấy tiêu đề “KẾ HOẠCH” sau quyết định. Hãy nhập tệp có cả kế hoạch được ban hành kèm theo quyết định.";
    pub const NO_TASKS: &str = "Không tìm thấy phần nội dung, nhiệm vụ của kế hoạch (tệp có thể bị cắt cụt hoặc sai định dạng).";
    pub const BAD_DOCX: &str =
        "Tệp .docx bị hỏng hoặc bị cắt cụt: không đọc được nội dung văn bản (word/document.xml).";
    pub const UNSUPPORTED: &str =
        "Định dạng tệp không được hỗ trợ. Hãy chọn tệp .txt, .md hoặc .docx.";
}

/// Notices passed through a redirect as `?tb=key` to the plans' pages.
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "plan_imported" => IMPORTED,
        "plan_saved" => SAVED,
        "plan_created" => CREATED,
        "plan_issued" => ISSUED,
        "plan_closed" => CLOSED,
        "plan_deleted" => DELETED,
        "plan_copied" => COPIED,
        "implementing_created" => IMPLEMENTING_CREATED,
        "task_saved" => TASK_SAVED,
        "task_deleted" => TASK_DELETED,
        "task_updated" => TASK_UPDATED,
        "reminders_sent" => REMINDERS_SENT,
        "reminder_settings_saved" => REMINDER_SETTINGS_SAVED,
        _ => return None,
    })
}

// ---------------------------------------------------------------- home page

pub fn home_task(path: &str, title: &str) -> String {
    format!("Nhiệm vụ {path} {title}")
}
pub fn home_of_plan(title: &str) -> String {
    format!("Kế hoạch “{title}”")
}
pub fn home_issue_implementing(title: &str) -> String {
    format!("Ban hành kế hoạch thực hiện “{title}”")
}
pub fn home_missing_implementing(missing: i64, communes: i64) -> String {
    format!("{missing}/{communes} đơn vị cấp xã chưa ban hành kế hoạch thực hiện")
}
pub fn home_more_tasks(n: usize, overdue: usize) -> String {
    format!("Và {n} nhiệm vụ khác đến hạn, trong đó {overdue} nhiệm vụ quá hạn: xem Tiến độ")
}
pub const HOME_PLANS: &str = "Kế hoạch đang thực hiện";
pub const HOME_TASKS_DONE: &str = "Nhiệm vụ hoàn thành";
pub const HOME_TASKS_OVERDUE: &str = "Nhiệm vụ quá hạn";

/// Source line of the `plans.issued` figure offered to the legal-access self-assessment.
pub fn known_plans_issued(n: i64) -> String {
    format!("Hệ thống: {} kế hoạch đã ban hành trong năm", text_vi::format_int(n))
}

/// A task as a dissemination session's choice list offers it: its path and title, shortened,
/// then its plan by number (or by title when it has none).
pub fn linkable_task_label(path: &str, title: &str, plan_number: Option<&str>, plan_title: &str) -> String {
    fn short(s: &str, max: usize) -> String {
        let s = s.trim();
        if s.chars().count() <= max { s.to_string() } else { format!("{}…", s.chars().take(max).collect::<String>().trim_end()) }
    }
    let plan = match plan_number.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("Kế hoạch số {n}"),
        None => format!("Kế hoạch “{}”", short(plan_title, 60)),
    };
    format!("{} {} · {plan}", path.trim(), short(title, 110))
}
