//! The messages of draft-policy communication (errors, notices, audit summaries, the DOCX's
//! fixed texts). Page text lives in the templates.

pub const MENU_LABEL: &str = "Lấy ý kiến dự thảo";
pub const TITLE_PUBLIC: &str = "Góp ý dự thảo văn bản";
pub const TITLE_MANAGE: &str = "Lấy ý kiến dự thảo";
pub const TITLE_NEW: &str = "Đăng dự thảo lấy ý kiến";

pub const TITLE_MISSING: &str = "Nhập tên dự thảo.";
pub const BODY_MISSING_DRAFTER: &str = "Nhập cơ quan chủ trì soạn thảo.";
pub const TEXT_MISSING: &str = "Dán toàn văn dự thảo (mỗi điều bắt đầu bằng \"Điều 1.\", \"Điều 2.\"…).";
pub const DATE_FORMAT: &str = "Nhập ngày dạng dd/mm/yyyy.";
pub const CLOSES_BEFORE_OPENS: &str = "Ngày kết thúc phải từ ngày bắt đầu trở đi.";
pub const TOO_MANY_PARTS: &str = "Dự thảo có quá nhiều điều, khoản (tối đa 2.000).";

pub const KIND_MISSING: &str = "Chọn góp ý với tư cách cá nhân hay cơ quan, tổ chức.";
pub const NAME_MISSING: &str = "Nhập họ và tên (không công khai) hoặc tên cơ quan, tổ chức.";
pub const COMMENT_MISSING: &str = "Nhập nội dung góp ý.";
pub const PART_UNKNOWN: &str = "Chọn toàn bộ dự thảo hoặc một điều, khoản của dự thảo.";
pub const NOT_OPEN: &str = "Dự thảo không còn trong thời hạn lấy ý kiến, nên chưa nhận được góp ý.";
pub const RATE_LIMITED: &str = "Có quá nhiều góp ý gửi từ địa chỉ mạng này trong một giờ. Hãy thử lại sau; nội dung bạn đã nhập vẫn còn bên dưới.";

pub const FILE_NO_TEXT: &str = "Không đọc được chữ trong tệp (tệp PDF quét ảnh không có lớp chữ). Hãy dán toàn văn dự thảo vào ô bên dưới, rồi chọn lại tệp để lưu kèm.";
pub const FILE_TYPE: &str = "Chỉ nhận tệp dự thảo dạng DOCX hoặc PDF.";
pub const FILE_CHOOSE_AGAIN: &str = "Toàn văn đọc từ tệp đã được điền vào ô bên dưới. Hãy sửa các lỗi, chọn lại tệp (để lưu kèm bản gốc) rồi lưu.";

pub const CHANNEL_MISSING: &str = "Chọn hình thức nhận góp ý: văn bản giấy, thư điện tử hoặc hội nghị, tọa đàm.";
pub const RECEIVED_FUTURE: &str = "Ngày nhận góp ý không được sau hôm nay.";
pub const RECEIVED_BEFORE_OPEN: &str = "Ngày nhận góp ý không được trước ngày bắt đầu lấy ý kiến.";
pub const ENTER_NOT_PUBLISHED: &str = "Chỉ nhập được góp ý khi dự thảo đang được đăng lấy ý kiến và chưa công bố bảng tiếp thu, giải trình.";

/// The label of a comment's channel.
pub fn channel_label(c: crate::rules::Channel) -> &'static str {
    match c {
        crate::rules::Channel::Web => "Trên cổng thông tin",
        crate::rules::Channel::Paper => "Văn bản giấy",
        crate::rules::Channel::Email => "Thư điện tử",
        crate::rules::Channel::Meeting => "Hội nghị, tọa đàm",
    }
}

pub const NOT_DRAFT: &str = "Dự thảo đã được đăng.";
pub const PERIOD_OVER: &str = "Thời hạn lấy ý kiến của dự thảo đã kết thúc, nên không thể đăng để lấy ý kiến. Hãy tạo lại dự thảo với thời hạn mới.";
pub const REPORT_NOT_PUBLISHED: &str = "Dự thảo chưa được đăng lấy ý kiến.";
pub const ALREADY_REPORTED: &str = "Bảng tiếp thu, giải trình đã được công bố nên không sửa được nữa.";
pub const REPORT_TOO_EARLY: &str = "Chỉ công bố bảng tiếp thu, giải trình sau khi hết thời hạn lấy ý kiến.";
pub fn response_too_long(row: usize) -> String {
    format!("Nội dung tiếp thu, giải trình ở dòng {row} dài quá 5.000 ký tự.")
}
pub const REPORT_NOT_READY: &str = "Còn ý kiến chưa có nội dung tiếp thu, giải trình.";

pub const WHOLE_DRAFT: &str = "Toàn bộ dự thảo";
pub const PERSON: &str = "Cá nhân";
pub const ORGANISATION: &str = "Cơ quan, tổ chức";
/// How a person's comment is attributed in public.
pub const PERSON_PUBLIC: &str = "Ý kiến cá nhân";

pub const PHASE_UPCOMING: &str = "Sắp lấy ý kiến";
pub const PHASE_OPEN: &str = "Đang lấy ý kiến";
pub const PHASE_CLOSED: &str = "Đã hết hạn lấy ý kiến";
pub const STATUS_DRAFT: &str = "Chưa đăng";
pub const STATUS_REPORTED: &str = "Đã công bố tiếp thu, giải trình";

pub fn phase_label(p: crate::rules::Phase) -> &'static str {
    match p {
        crate::rules::Phase::Upcoming => PHASE_UPCOMING,
        crate::rules::Phase::Open => PHASE_OPEN,
        crate::rules::Phase::Closed => PHASE_CLOSED,
    }
}

pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "created" => "Đã lưu dự thảo. Kiểm tra các điều, khoản rồi đăng để lấy ý kiến.",
        "published" => "Đã đăng dự thảo lấy ý kiến.",
        "responded" => "Đã lưu nội dung tiếp thu, giải trình.",
        "reported" => "Đã công bố bảng tiếp thu, giải trình.",
        "entered" => "Đã nhập ý kiến góp ý nhận ngoài cổng thông tin.",
        "thanks" => "Cảm ơn Ông/Bà đã góp ý. Ý kiến sẽ được cơ quan soạn thảo tổng hợp, tiếp thu, giải trình.",
        _ => return None,
    })
}

pub fn audit_create(title: &str) -> String {
    format!("Tạo dự thảo lấy ý kiến \"{title}\"")
}
pub fn audit_publish(title: &str) -> String {
    format!("Đăng dự thảo lấy ý kiến \"{title}\"")
}
pub fn audit_comment(title: &str) -> String {
    format!("Góp ý dự thảo \"{title}\"")
}
pub fn audit_enter(title: &str, channel: crate::rules::Channel) -> String {
    format!("Nhập góp ý dự thảo \"{title}\" nhận qua {}", channel_label(channel).to_lowercase())
}
pub fn audit_respond(title: &str, n: usize) -> String {
    format!("Tiếp thu, giải trình {n} ý kiến góp ý dự thảo \"{title}\"")
}
pub fn audit_export(title: &str) -> String {
    format!("Tải bảng tổng hợp, tiếp thu, giải trình (có họ tên người góp ý) dự thảo \"{title}\"")
}
pub fn audit_report(title: &str) -> String {
    format!("Công bố bảng tiếp thu, giải trình dự thảo \"{title}\"")
}

// ---------------------------------------------------------------- the DOCX table

pub const DOCX_KIND: &str = "BẢN TỔNG HỢP";
pub fn docx_title(title: &str) -> String {
    format!("Tiếp thu, giải trình ý kiến góp ý đối với {title}")
}
pub fn docx_intro(opens: &str, closes: &str, n: usize) -> String {
    format!("Dự thảo được đăng lấy ý kiến từ ngày {opens} đến ngày {closes}. Cơ quan chủ trì soạn thảo nhận được {n} ý kiến góp ý, tổng hợp và tiếp thu, giải trình như sau:")
}
pub const DOCX_COLUMNS: [&str; 5] = ["STT", "Điều, khoản", "Cơ quan, tổ chức, cá nhân góp ý", "Nội dung góp ý", "Tiếp thu, giải trình"];
pub const DOCX_NONE: &str = "Không có ý kiến góp ý.";

// ---------------------------------------------------------------- home page and e-mail

pub const GLANCE_OPEN: &str = "Dự thảo đang lấy ý kiến";
pub fn home_waiting(title: &str) -> String {
    format!("Tiếp thu, giải trình góp ý: {title}")
}
pub fn home_waiting_detail(n: i64) -> String {
    format!("{} ý kiến chưa có nội dung tiếp thu, giải trình", text_vi::format_int(n))
}
pub fn home_ends_soon(title: &str) -> String {
    format!("Sắp hết hạn lấy ý kiến: {title}")
}
pub fn email_reported_subject(title: &str) -> String {
    format!("Kết quả tiếp thu, giải trình góp ý: {title}")
}
pub fn email_reported_body(title: &str, link: &str) -> String {
    format!("Kính gửi Ông/Bà,\n\nCảm ơn Ông/Bà đã góp ý dự thảo \"{title}\". Cơ quan chủ trì soạn thảo đã công bố bảng tổng hợp, tiếp thu, giải trình các ý kiến góp ý tại:\n{link}\n\nThư này được gửi tự động; xin đừng trả lời thư.")
}
