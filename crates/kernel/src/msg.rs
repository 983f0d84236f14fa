//! The kernel's message catalogue: every Vietnamese message produced by the kernel's code
//! (errors, flash notices, e-mails). Each capability crate has its own `msg` module for its
//! messages. Page text lives in the templates; nothing user-visible is written elsewhere.


pub const REQUIRED: &str = "Trường này là bắt buộc.";
pub const TOO_LONG: &str = "Nội dung quá dài.";
pub const CONTACT_PHONE: &str = "Số điện thoại gồm 8 đến 15 chữ số (có thể có dấu cách, +, ., -, ngoặc), ví dụ 0205 3812 345.";
pub const CONTACT_UNIT: &str = "Chỉ tỉnh, thành phố và xã, phường, đặc khu đang có hiệu lực mới có thông tin liên hệ công khai.";
pub const CONTACT_SAVED: &str = "Đã lưu thông tin liên hệ công khai.";
pub const INVALID_DATE: &str = "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.";
pub const INVALID_EMAIL: &str = "Địa chỉ thư điện tử không hợp lệ.";

pub const USERNAME_FORMAT: &str =
    "Tên đăng nhập dài 3–32 ký tự, chỉ gồm chữ thường không dấu, chữ số và các dấu . _ -";
pub const USERNAME_TAKEN: &str = "Tên đăng nhập này đã được dùng.";
pub const PASSWORD_TOO_SHORT: &str = "Mật khẩu phải có ít nhất 10 ký tự.";
pub const PASSWORD_NEEDS_LETTER_AND_DIGIT: &str = "Mật khẩu phải có cả chữ cái và chữ số.";
pub const PASSWORD_CONTAINS_USERNAME: &str = "Mật khẩu không được chứa tên đăng nhập.";
pub const PASSWORD_TOO_COMMON: &str = "Mật khẩu này quá phổ biến, hãy chọn mật khẩu khác.";
pub const PASSWORD_MISMATCH: &str = "Hai lần nhập mật khẩu mới không khớp.";
pub const PASSWORD_SAME_AS_OLD: &str = "Mật khẩu mới phải khác mật khẩu hiện tại.";
pub const PASSWORD_WRONG_CURRENT: &str = "Mật khẩu hiện tại không đúng.";

pub const LOGIN_FAILED: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";
pub const LOGIN_THROTTLED: &str =
    "Có quá nhiều lần đăng nhập không thành công từ địa chỉ này. Vui lòng chờ ít phút rồi thử lại, hoặc dùng chức năng quên mật khẩu.";
pub const ACCOUNT_INACTIVE: &str = "Tài khoản đã bị vô hiệu hóa. Hãy liên hệ quản trị viên.";
pub const MUST_CHANGE_PASSWORD: &str = "Bạn cần đổi mật khẩu trước khi tiếp tục.";
pub const PASSWORD_CHANGED: &str = "Đã đổi mật khẩu.";
pub const RESET_SENT: &str =
    "Nếu tài khoản có địa chỉ thư điện tử, một liên kết đặt lại mật khẩu đã được gửi tới địa chỉ đó.";
pub const RESET_INVALID: &str = "Liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn.";
pub const RESET_DONE: &str = "Đã đặt lại mật khẩu. Hãy đăng nhập bằng mật khẩu mới.";

pub const NOT_FOUND: &str = "Không tìm thấy trang hoặc dữ liệu được yêu cầu.";
pub const FORBIDDEN: &str = "Bạn không có quyền thực hiện thao tác này.";
pub const CSRF_FAILED: &str =
    "Phiên làm việc của biểu mẫu đã hết hạn hoặc yêu cầu không hợp lệ. Hãy tải lại trang và thử lại.";
pub const INTERNAL: &str = "Hệ thống gặp lỗi. Dữ liệu bạn nhập chưa được lưu; hãy thử lại sau.";
pub const BAD_REQUEST: &str = "Yêu cầu không hợp lệ.";
pub const BAD_TEXT: &str = "Dữ liệu gửi lên chứa ký tự không hợp lệ (ví dụ ký tự điều khiển). Hãy xóa ký tự đó rồi thử lại.";
pub const UNAUTHENTICATED: &str = "Bạn cần đăng nhập.";
pub const TOO_LARGE: &str = "Dữ liệu gửi lên vượt quá dung lượng cho phép.";
pub const TIMEOUT: &str = "Yêu cầu xử lý quá lâu và đã bị dừng.";
pub const FORM_UNREADABLE: &str = "Không đọc được dữ liệu gửi lên. Hãy thử lại.";
pub const FILE_TOO_LARGE: &str = "Tệp vượt quá dung lượng cho phép.";
/// An upload form sent without a file.
pub const FILE_REQUIRED: &str = "Hãy chọn một tệp.";
/// A text field longer than its limit.
pub const TEXT_TOO_LONG: &str = "Nội dung quá dài.";
pub const IMPORT_BUSY: &str = "Hệ thống đang bận xử lý các tệp khác. Hãy thử lại sau ít phút.";
pub const IMPORT_TIMED_OUT: &str =
    "Tệp cần quá nhiều thời gian để đọc nên đã bị dừng. Hãy kiểm tra tệp (có thể quá lớn hoặc bị hỏng) rồi thử lại.";
pub const IMPORTS_TOO_FREQUENT: &str = "Bạn đã tải lên quá nhiều tệp trong một phút. Hãy chờ một lát rồi thử lại.";
pub const FORM_HAS_ERRORS: &str = "Biểu mẫu còn lỗi, hãy kiểm tra các trường được đánh dấu.";

pub const ROLE_INVALID: &str = "Vai trò không hợp lệ.";
pub const ROLE_NOT_GRANTABLE: &str = "Bạn không được cấp vai trò này.";
pub const UNIT_OUT_OF_SCOPE: &str = "Đơn vị nằm ngoài phạm vi quản lý của bạn.";
pub const UNIT_NOT_FOUND: &str = "Không tìm thấy đơn vị.";
pub const UNIT_NOT_COMMUNE: &str = "Thôn, tổ dân phố chỉ được tạo dưới một đơn vị cấp xã đang có hiệu lực.";
pub const AGENCY_NOT_IN_UNIT: &str = "Cơ quan phải thuộc đúng đơn vị của tài khoản hoặc đơn vị cấp trên.";
pub const AGENCY_REQUIRED_FOR_FOCAL: &str = "Đầu mối cơ quan phải gắn với một cơ quan.";
pub const AGENCY_NAME_TAKEN: &str = "Đơn vị này đã có cơ quan cùng tên.";
pub const KIND_INVALID: &str = "Loại không hợp lệ.";
pub const CANNOT_DEACTIVATE_SELF: &str = "Bạn không thể tự vô hiệu hóa tài khoản của mình.";

pub const ACCOUNT_CREATED: &str = "Đã tạo tài khoản. Người dùng phải đổi mật khẩu ở lần đăng nhập đầu tiên.";
pub const ACCOUNT_UPDATED: &str = "Đã lưu thay đổi tài khoản.";
pub const ACCOUNT_DEACTIVATED: &str = "Đã vô hiệu hóa tài khoản.";
pub const ACCOUNT_ACTIVATED: &str = "Đã kích hoạt lại tài khoản.";
pub const PASSWORD_RESET_BY_ADMIN: &str =
    "Đã đặt mật khẩu tạm thời. Người dùng phải đổi mật khẩu ở lần đăng nhập tiếp theo.";
pub const AGENCY_SAVED: &str = "Đã lưu cơ quan.";
pub const VILLAGE_CREATED: &str = "Đã thêm thôn, tổ dân phố.";
pub const PROFILE_SAVED: &str = "Đã lưu thông tin cá nhân.";
pub const TOKEN_REVOKED: &str = "Đã thu hồi mã truy cập.";

pub const MAIL_RESET_SUBJECT: &str = "[pbgdpl] Đặt lại mật khẩu";

/// Body of the password-reset e-mail.
pub fn mail_reset_body(full_name: &str, link: &str, minutes: i64) -> String {
    format!(
        "Kính gửi {full_name},\n\nHệ thống nhận được yêu cầu đặt lại mật khẩu cho tài khoản của Ông/Bà.\n\
         Hãy mở liên kết sau trong vòng {minutes} phút để đặt mật khẩu mới:\n\n{link}\n\n\
         Nếu Ông/Bà không yêu cầu, hãy bỏ qua thư này; mật khẩu hiện tại vẫn giữ nguyên.\n"
    )
}

/// In-app notifications and the daily reminder digest (thông báo, nhắc việc).
pub const NOTIFICATIONS_READ: &str = "Đã đánh dấu tất cả thông báo là đã đọc.";
pub const DIGEST_SUBJECT: &str = "[pbgdpl] Nhắc việc hằng ngày";
pub const DIGEST_INTRO: &str = "Hệ thống pbgdpl nhắc các việc sau:";
pub const DIGEST_OUTRO: &str = "Thư này được gửi tự động mỗi ngày một lần khi có việc cần nhắc.";

/// The home page.
pub const HOME_UNREAD: &str = "Thông báo chưa đọc";
pub fn home_due(date: &str) -> String {
    format!("Hạn {date}")
}

/// Configuration: the survey limits must be positive.
pub const SURVEYS_LIMITS_POSITIVE: &str = "[surveys] answers_per_address và answers_per_device phải lớn hơn 0.";

/// Configuration of the SMS gateway (`[sms]`), checked when `gateway_url` is set.
pub const SMS_URL: &str = "[sms] gateway_url phải là địa chỉ http:// hoặc https://.";
pub const SMS_METHOD: &str = "[sms] method phải là POST, PUT hoặc GET.";
pub const SMS_PHONE_FORMAT: &str = "[sms] phone_format phải là \"local\" (0xxxxxxxxx) hoặc \"e164\" (84xxxxxxxxx).";
pub const SMS_TIMEOUT: &str = "[sms] timeout_secs phải từ 1 đến 120 giây.";
pub const SMS_PLACEHOLDERS: &str = "[sms] gateway_url và body phải chứa {to} và {text} (với method = GET: trong gateway_url).";
pub const SMS_HEADERS: &str = "[sms] content_type, auth_header_name và auth_header không được chứa ký tự điều khiển; auth_header_name chỉ gồm chữ, số, - và _.";

/// The outbox worker's reasons for not delivering a message (shown on `/he-thong/hop-thu`).
pub const SMS_BAD_NUMBER: &str = "Số điện thoại không hợp lệ (cần 0xxxxxxxxx hoặc 84xxxxxxxxx); tin nhắn không được gửi.";
pub const MAIL_BAD_ADDRESS: &str = "Địa chỉ thư điện tử không hợp lệ; thư không được gửi.";
pub fn sms_gateway_status(status: u16, answer: &str) -> String {
    format!("Cổng SMS trả lời mã HTTP {status}: {answer}")
}
pub fn sms_gateway_refused(answer: &str) -> String {
    format!("Cổng SMS không xác nhận đã gửi (không thấy chuỗi success_contains trong câu trả lời): {answer}")
}
pub fn sms_gateway_unreachable(error: &str) -> String {
    format!("Không gọi được cổng SMS: {error}")
}

/// Configuration: the survey window and challenge validity must fit in the retention day.
pub fn surveys_minutes_range(max: i64) -> String {
    format!("[surveys] window_minutes và challenge_minutes phải từ 1 đến {max} phút (các lượt đếm được giữ một ngày).")
}

/// A `synchronous` parameter of the SQLite URL that is not one SQLite knows.
pub fn sqlite_synchronous_invalid(v: &str) -> String {
    format!("tham số synchronous của địa chỉ SQLite phải là full, normal hoặc extra, nhận được “{v}”")
}
