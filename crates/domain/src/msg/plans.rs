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
pub const NOTIFICATIONS_READ: &str = "Đã đánh dấu tất cả thông báo là đã đọc.";

pub const FILE_REQUIRED: &str = "Hãy chọn tệp kế hoạch (.docx, .txt hoặc .md).";
pub const FILE_TOO_LARGE: &str = "Tệp vượt quá dung lượng cho phép.";
pub const FILE_TYPE: &str = "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx) hoặc ảnh (PNG, JPEG).";
pub const FILE_CONTENT_MISMATCH: &str = "Nội dung tệp không khớp với phần mở rộng của tên tệp.";
pub const FORM_UNREADABLE: &str = "Không đọc được dữ liệu gửi lên. Hãy thử lại.";
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

pub const DIGEST_SUBJECT: &str = "[pbgdpl] Nhắc việc hằng ngày";
pub const DIGEST_INTRO: &str = "Hệ thống pbgdpl nhắc các việc sau:";
pub const DIGEST_OUTRO: &str = "Thư này được gửi tự động mỗi ngày một lần khi có việc cần nhắc.";
pub const MANUAL_SUBJECT: &str = "[pbgdpl] Đôn đốc thực hiện nhiệm vụ";
