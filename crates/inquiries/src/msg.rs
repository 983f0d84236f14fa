//! Vietnamese messages of questions and feedback: validation, the spam checks, the e-mails, the
//! flash notices, the home page and reminders, the audit summaries.

// ---------------------------------------------------------------- titles

pub const SITE_NAME: &str = "Cổng thông tin phổ biến, giáo dục pháp luật";
pub const TITLE_PUBLIC: &str = "Hỏi đáp pháp luật";
pub const DESCRIPTION_PUBLIC: &str = "Câu hỏi pháp luật, phản ánh, kiến nghị của người dân và câu trả lời của cơ quan nhà nước.";
pub const TITLE_ASK: &str = "Gửi câu hỏi, phản ánh, kiến nghị";
pub const TITLE_SENT: &str = "Đã gửi câu hỏi, phản ánh";
pub const TITLE_TRACK: &str = "Tra cứu câu hỏi, phản ánh";
pub const TITLE_INBOX: &str = "Hỏi đáp, phản ánh kiến nghị";
pub const TITLE_DIALOGUES: &str = "Đối thoại chính sách";
pub const ALL: &str = "Tất cả";
pub const NO_TOPIC: &str = "(chưa phân loại)";
pub const PICK_COMMUNE: &str = "(không chọn)";
pub const PICK_UNIT: &str = "(chọn đơn vị)";
pub const PICK_AGENCY: &str = "(không chọn cơ quan)";
pub const MENU_LABEL: &str = "Hỏi đáp, phản ánh";

pub fn page_title(title: &str, page: i64) -> String {
    if page > 1 { format!("{title} – trang {page}") } else { title.to_string() }
}

pub fn dialogue_title(topic: &str) -> String {
    format!("Đối thoại chính sách: {topic}")
}

// ---------------------------------------------------------------- the public form

pub const KIND_UNKNOWN: &str = "Hãy chọn: hỏi đáp pháp luật, hoặc phản ánh, kiến nghị.";
pub const TITLE_MISSING: &str = "Hãy nhập tiêu đề ngắn gọn.";
pub const BODY_MISSING: &str = "Hãy nhập nội dung câu hỏi, phản ánh.";
pub const PHONE_FORMAT: &str = "Số điện thoại gồm 9 đến 15 chữ số, có thể có dấu + ở đầu.";
pub const COMMUNE_UNKNOWN: &str = "Xã, phường đã chọn không có trong danh sách.";
pub const COMMUNE_REQUIRED: &str = "Hãy chọn xã, phường để câu hỏi đến đúng tỉnh tiếp nhận.";
pub const TOPIC_UNKNOWN: &str = "Lĩnh vực đã chọn không có.";
pub const NO_INBOX: &str = "Hiện chưa có nơi tiếp nhận câu hỏi, phản ánh trực tuyến.";
pub const DIALOGUE_CLOSED: &str = "Buổi đối thoại này đã diễn ra, không nhận thêm câu hỏi.";
pub const CHALLENGE_WRONG: &str = "Câu trả lời phép tính kiểm tra chưa đúng. Hãy trả lời câu hỏi mới bên dưới.";
pub const CHALLENGE_EXPIRED: &str = "Phép kiểm tra đã hết hạn hoặc đã được dùng. Hãy trả lời câu hỏi mới bên dưới.";
pub const RATE_LIMITED: &str = "Từ địa chỉ mạng này đã có nhiều lần gửi trong một giờ qua. Hãy thử lại sau.";
pub const FORM_HAS_ERRORS: &str = "Biểu mẫu còn lỗi.";

/// Number words 0 to 18, for the text challenge and its answers.
pub const NUMBER_WORDS: [&str; 19] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai", "mười ba", "mười bốn", "mười lăm",
    "mười sáu", "mười bảy", "mười tám",
];

/// The text challenge for visitors without JavaScript.
pub fn challenge_question(a: u32, b: u32) -> String {
    let w = |n: u32| NUMBER_WORDS.get(n as usize).copied().unwrap_or("");
    format!("{} cộng {} bằng mấy?", capitalise(w(a)), w(b))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------- tracking

pub const CODE_FORMAT: &str = "Mã tra cứu gồm 10 chữ và số, ví dụ K7M2Q-9XH4T.";
pub const CODE_NOT_FOUND: &str = "Không tìm thấy câu hỏi, phản ánh có mã này. Hãy kiểm tra lại mã.";

// ---------------------------------------------------------------- officers

pub const UNIT_REQUIRED: &str = "Hãy chọn đơn vị xử lý.";
pub const UNIT_UNKNOWN: &str = "Đơn vị đã chọn không thuộc phạm vi của tỉnh tiếp nhận.";
pub const AGENCY_UNKNOWN: &str = "Cơ quan đã chọn không có hoặc không thuộc đơn vị xử lý.";
pub const ANSWER_MISSING: &str = "Hãy nhập nội dung trả lời.";
pub const PUBLIC_TITLE_MISSING: &str = "Hãy nhập tiêu đề công khai (đã bỏ thông tin cá nhân).";
pub const PUBLIC_BODY_MISSING: &str = "Hãy nhập nội dung câu hỏi công khai (đã bỏ thông tin cá nhân).";
pub const MOVED_ON: &str = "Câu hỏi, phản ánh đã chuyển sang bước khác trong lúc bạn thao tác (ví dụ đã được duyệt đăng), nên chưa lưu được. Hãy tải lại trang để xem tình trạng mới.";
pub const STALE_FORM: &str = "Câu trả lời đã được sửa sau khi bạn mở trang này. Hãy đọc lại câu trả lời hiện tại bên trên rồi duyệt lại.";
pub const ORIGINAL_NOTE: &str = "Bản gốc của người gửi (chỉ để đối chiếu, không được đăng)";
pub const STEP_NOT_ALLOWED: &str = "Không thể thực hiện thao tác này ở trạng thái hiện tại.";
pub const DAYS_FORMAT: &str = "Thời hạn trả lời là số ngày làm việc từ 1 đến 60.";
pub const DIALOGUE_TOPIC_MISSING: &str = "Hãy nhập chủ đề đối thoại.";
pub const PLACE_MISSING: &str = "Hãy nhập địa điểm.";
pub const DATE_FORMAT: &str = "Hãy nhập ngày dạng dd/mm/yyyy.";
pub const DATE_MISSING: &str = "Hãy nhập ngày đối thoại.";

/// Asks the approver to confirm that the long numbers are public.
pub const NUMBERS_CONFIRM: &str = "Nếu các dãy số đó là số công khai (đường dây nóng, số hiệu văn bản…), không phải thông tin cá nhân, hãy đánh dấu xác nhận rồi duyệt lại.";

/// A text to publish still holds the sender's personal data.
pub fn personal_data(leak: crate::rules::privacy::Leak) -> &'static str {
    use crate::rules::privacy::Leak;
    match leak {
        Leak::Name => "Nội dung đăng công khai còn họ tên người gửi. Hãy bỏ tên trước khi đăng.",
        Leak::Email => "Nội dung đăng công khai còn địa chỉ thư điện tử của người gửi. Hãy bỏ trước khi đăng.",
        Leak::Phone => "Nội dung đăng công khai còn số điện thoại của người gửi. Hãy bỏ trước khi đăng.",
        Leak::LongNumber => "Nội dung đăng công khai có dãy từ 9 chữ số trở lên (giống số điện thoại, số căn cước). Hãy bỏ hoặc viết lại trước khi đăng, hoặc xác nhận bên dưới nếu đó là số công khai.",
    }
}

// ---------------------------------------------------------------- kinds and statuses

pub fn kind_label(kind: crate::rules::Kind) -> &'static str {
    use crate::rules::Kind;
    match kind {
        Kind::Question => "Hỏi đáp pháp luật",
        Kind::Feedback => "Phản ánh, kiến nghị",
    }
}

pub fn status_label(status: crate::rules::Status) -> &'static str {
    use crate::rules::Status;
    match status {
        Status::Received => "Đã tiếp nhận",
        Status::Assigned => "Đang xử lý",
        Status::Answered => "Đã có dự thảo trả lời",
        Status::Published => "Đã trả lời công khai",
        Status::Closed => "Đã trả lời riêng",
    }
}

/// Shown by the script while it solves the proof of work (a `data-` attribute of the form).
pub const POW_WORKING: &str = "Đang kiểm tra chống gửi tự động, xin chờ giây lát…";

pub fn citation_unknown(number: &str) -> String {
    format!("Không có văn bản số hiệu «{number}» trong tủ sách pháp luật.")
}

pub fn due_note(due: &str, overdue: bool) -> String {
    if overdue { format!("quá hạn từ {due}") } else { format!("hạn {due}") }
}

/// Flash notices after a redirect (`?tb=`).
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "chuyen" => "Đã chuyển xử lý và tính hạn trả lời.",
        "tra-loi" => "Đã lưu dự thảo trả lời.",
        "dang" => "Đã đăng câu trả lời công khai.",
        "rieng" => "Đã trả lời riêng cho người gửi.",
        "doi-thoai" => "Đã tạo buổi đối thoại.",
        "cai-dat" => "Đã lưu thời hạn trả lời.",
        _ => return None,
    })
}

// ---------------------------------------------------------------- e-mails

pub fn email_received_subject(code: &str) -> String {
    format!("Đã nhận câu hỏi, phản ánh của bạn – mã tra cứu {code}")
}

pub fn email_received_body(title: &str, code: &str, link: &str) -> String {
    format!(
        "Chúng tôi đã nhận câu hỏi, phản ánh «{title}».\n\nMã tra cứu: {code}\nTheo dõi tình trạng và xem câu trả lời tại: {link}\n\nThư này được gửi tự động, xin đừng trả lời thư."
    )
}

pub fn email_answer_subject(code: &str) -> String {
    format!("Trả lời câu hỏi, phản ánh mã {code}")
}

pub fn email_answer_body(title: &str, answer: &str, link: &str) -> String {
    format!("Trả lời câu hỏi, phản ánh «{title}»:\n\n{answer}\n\nXem lại tại: {link}\n\nThư này được gửi tự động, xin đừng trả lời thư.")
}

// ---------------------------------------------------------------- home page and reminders

pub const HOME_OVERDUE: &str = "Câu hỏi, phản ánh quá hạn trả lời";
pub const HOME_DUE_SOON: &str = "Câu hỏi, phản ánh sắp đến hạn trả lời";
pub const HOME_INBOX: &str = "Câu hỏi, phản ánh chờ chuyển xử lý";
pub const HOME_WAITING: &str = "Câu trả lời chờ duyệt đăng";
pub const GLANCE_OPEN: &str = "Câu hỏi, phản ánh đang xử lý";
pub const GLANCE_PUBLISHED: &str = "Câu trả lời đã công khai";

pub fn count_detail(n: i64) -> String {
    format!("{} mục", text_vi::format_int(n))
}

pub fn reminder_text(code: &str, title: &str, due: &str, overdue: bool) -> String {
    if overdue { format!("Câu hỏi, phản ánh {code} «{title}» quá hạn trả lời từ {due}") } else { format!("Câu hỏi, phản ánh {code} «{title}» cần trả lời trước {due}") }
}

// ---------------------------------------------------------------- audit

pub fn audit_received(code: &str) -> String {
    format!("Tiếp nhận câu hỏi, phản ánh {code}")
}

pub fn audit_routed(code: &str, unit: &str, due: &str) -> String {
    format!("Chuyển câu hỏi, phản ánh {code} cho {unit}, hạn trả lời {due}")
}

pub fn audit_answered(code: &str) -> String {
    format!("Lưu dự thảo trả lời câu hỏi, phản ánh {code}")
}

pub fn audit_published(code: &str) -> String {
    format!("Đăng công khai câu trả lời {code}")
}

pub fn audit_closed(code: &str) -> String {
    format!("Trả lời riêng câu hỏi, phản ánh {code}")
}

pub fn audit_dialogue(topic: &str) -> String {
    format!("Tạo buổi đối thoại chính sách «{topic}»")
}

pub fn audit_inbox(unit: &str, days: i64) -> String {
    format!("Đặt thời hạn trả lời câu hỏi, phản ánh của {unit}: {days} ngày làm việc")
}
