//! Messages of the reporters' and propagandists' registries (errors, notices), in Vietnamese.

pub const NAME_REQUIRED: &str = "Hãy nhập họ và tên.";
pub const BIRTH_YEAR: &str = "Năm sinh phải là một năm từ 1930 đến năm nay.";
pub const PHONE: &str = "Số điện thoại chỉ gồm chữ số (có thể có dấu + ở đầu), từ 8 đến 15 chữ số.";
pub const QUALIFICATION: &str = "Hãy chọn trình độ chuyên môn.";
pub const YEARS: &str = "Số năm công tác phải là số nguyên từ 0 đến 60.";
pub const DECISION_NO_REQUIRED: &str = "Hãy nhập số quyết định công nhận.";
pub const DECISION_SIGNER_REQUIRED: &str = "Hãy nhập người ký quyết định.";
pub const DATE_REQUIRED: &str = "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/09/2026.";
pub const DATE_FORMAT: &str = "Ngày không đúng dạng ngày/tháng/năm, ví dụ 05/09/2026.";
pub const DATE_FUTURE: &str = "Ngày không được sau hôm nay.";
pub const ACCOUNT_UNKNOWN: &str = "Không có tài khoản báo cáo viên, tuyên truyền viên với tên đăng nhập này trong phạm vi của đơn vị.";
pub const ACCOUNT_TAKEN: &str = "Tài khoản này đã được gắn với một người khác trong danh sách.";
pub const REASON_REQUIRED: &str = "Hãy nhập lý do.";
pub const DISMISS_KIND: &str = "Hãy chọn hình thức: miễn nhiệm hoặc cho thôi làm.";
pub const ALREADY_DISMISSED: &str = "Người này đã thôi làm nhiệm vụ.";
pub const DISMISS_BEFORE_DECISION: &str = "Ngày thôi làm nhiệm vụ không được trước ngày quyết định công nhận.";
pub const YEAR: &str = "Năm phải là số từ 2013 đến năm sau.";
pub const ROUND_EXISTS: &str = "Đơn vị đã có đợt đăng ký của năm này.";
pub const NOTHING_LISTED: &str = "Chưa có người nào trong danh sách đề nghị công nhận.";
pub const REVIEW_CHOICE: &str = "Hãy chọn kết quả rà soát cho từng người.";
pub const FORM_REQUIRED: &str = "Hãy chọn hình thức phổ biến.";
pub const TOPIC_REQUIRED: &str = "Hãy nhập chủ đề, nội dung phổ biến.";
pub const ATTENDEES: &str = "Số người tham dự phải là số nguyên từ 0 đến 1.000.000.";
pub const MATERIALS: &str = "Số tài liệu phát ra phải là số nguyên từ 0 đến 10.000.000.";
pub const GROUP_ATTENDEES: &str = "Số người thuộc nhóm phải là số nguyên, không lớn hơn tổng số người tham dự.";
pub const PEOPLE_UNKNOWN: &str = "Có người được chọn không thuộc danh sách báo cáo viên, tuyên truyền viên đang làm nhiệm vụ của đơn vị.";
pub const TASK_NOT_LINKABLE: &str =
    "Nhiệm vụ đã chọn không thuộc các kế hoạch đã ban hành mà đơn vị chủ trì, phối hợp thực hiện; hãy chọn một nhiệm vụ trong danh sách.";
pub const NO_OWN_RECORD: &str = "Tài khoản của bạn chưa được gắn với báo cáo viên hoặc tuyên truyền viên nào đang làm nhiệm vụ.";
pub const TITLE_REQUIRED: &str = "Hãy nhập tên khóa bồi dưỡng, tập huấn.";
pub const ENDS_BEFORE_STARTS: &str = "Ngày kết thúc không được trước ngày bắt đầu.";
pub const HOURS: &str = "Số giờ phải là số nguyên từ 0 đến 2.000.";
pub const WRONG_LEVEL_REPORTER: &str = "Báo cáo viên pháp luật do cấp tỉnh công nhận; chỉ công chức tư pháp cấp tỉnh cập nhật danh sách này.";
pub const WRONG_LEVEL_PROPAGANDIST: &str = "Tuyên truyền viên pháp luật do Chủ tịch Ủy ban nhân dân cấp xã công nhận; chỉ công chức tư pháp cấp xã cập nhật danh sách này.";
pub const PERIOD: &str = "Khoảng thời gian không hợp lệ: ngày bắt đầu phải trước ngày kết thúc.";

/// Notices passed through a redirect as `?tb=key`.
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "person_saved" => "Đã lưu thông tin.",
        "person_created" => "Đã thêm vào danh sách.",
        "dismissed" => "Đã ghi nhận việc thôi làm nhiệm vụ.",
        "training_saved" => "Đã thêm khóa bồi dưỡng, tập huấn.",
        "file_saved" => "Đã tải tệp lên.",
        "round_created" => "Đã mở đợt đăng ký.",
        "registered" => "Đã ghi nhận đăng ký.",
        "reviewed" => "Đã lưu kết quả rà soát và lập danh sách đề nghị công nhận.",
        "recognised" => "Đã ghi nhận quyết định công nhận tuyên truyền viên pháp luật.",
        "activity_saved" => "Đã lưu buổi phổ biến pháp luật.",
        _ => return None,
    })
}

pub const HOME_REPORTERS: &str = "Báo cáo viên pháp luật đang làm nhiệm vụ";
pub const HOME_PROPAGANDISTS: &str = "Tuyên truyền viên pháp luật đang làm nhiệm vụ";
pub const HOME_SESSIONS: &str = "Buổi phổ biến pháp luật từ đầu năm";

/// The home page's reminder to open the September round.
pub fn home_open_round(year: i64) -> String {
    format!("Mở đợt đăng ký tuyên truyền viên pháp luật năm {year}")
}

/// The home page's reminder that a reviewed list waits for the chair's decision.
pub fn home_recognise(year: i64) -> String {
    format!("Ghi nhận quyết định công nhận tuyên truyền viên pháp luật năm {year}")
}

pub fn home_listed(n: usize) -> String {
    format!("{n} người trong danh sách đề nghị công nhận")
}

// --- legal-access prefill ---
pub fn known_trained(commune: &str, year: i32) -> String {
    format!("Danh sách tuyên truyền viên pháp luật của {commune}: số người được bồi dưỡng, tập huấn trong năm {year} trên số người đang làm nhiệm vụ")
}
