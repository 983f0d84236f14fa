//! Vietnamese messages of grassroots mediation: input checks, workflow refusals, warnings,
//! flash notices and the sources named beside prefilled report figures.

use crate::rules::team::Warning;

// --- page titles ---
pub const TITLE_INDEX: &str = "Hòa giải ở cơ sở";
pub const TITLE_NEW_CASE: &str = "Ghi vụ, việc hòa giải";

// --- input ---
/// Between a party's name and year of birth in the tracking book.
pub const BOOK_BORN: &str = ", sinh năm ";
pub const NAME_REQUIRED: &str = "Nhập họ và tên.";
pub const TEAM_NAME_REQUIRED: &str = "Nhập tên tổ hòa giải.";
pub const VILLAGE_REQUIRED: &str = "Chọn thôn, tổ dân phố hoặc nhập tên thôn mới.";
pub const VILLAGE_NOT_FOUND: &str = "Thôn, tổ dân phố này không thuộc xã của bạn.";
pub const EMPTY_ROSTER: &str = "Tệp không có dòng hòa giải viên nào dưới dòng tiêu đề.";
pub const SUMMARY_REQUIRED: &str = "Ghi nội dung chính của vụ, việc.";
pub const PARTY_REQUIRED: &str = "Ghi ít nhất một bên (họ và tên).";
pub const BAD_ORIGIN: &str = "Chọn căn cứ tiến hành hòa giải.";
pub const BAD_FIELD: &str = "Chọn lĩnh vực.";
pub const BAD_EXCLUSION: &str = "Chọn trường hợp không được hòa giải.";
pub const EXCLUSION_ACTION: &str = "Chọn cách xử lý: từ chối hoặc chuyển cơ quan có thẩm quyền.";
pub const NO_MEDIATOR_CHOSEN: &str = "Chọn ít nhất một hòa giải viên.";
pub const AGREEMENT_REQUIRED: &str = "Ghi nội dung thỏa thuận của các bên.";
pub const POSITIONS_REQUIRED: &str = "Ghi ý kiến, yêu cầu của từng bên.";
pub const REFERRED_TO_REQUIRED: &str = "Ghi cơ quan được chuyển (UBND xã, công an …).";
pub const LATE_REASON_REQUIRED: &str =
    "Bắt đầu hòa giải quá thời hạn kể từ ngày được phân công: ghi lý do (cần hòa giải ngay, các bên thỏa thuận thời gian khác …).";
pub const BAD_FOLLOW_UP: &str = "Chọn tình hình thực hiện thỏa thuận.";
pub const END_REASON_REQUIRED: &str = "Ghi lý do thôi làm hòa giải viên.";
pub const TEAM_ENDED: &str = "Tổ hòa giải này đã kết thúc hoạt động; không ghi thêm được.";
pub const MEDIATOR_ENDED: &str = "Hòa giải viên này đã thôi làm hòa giải viên.";
pub const SUCCESSOR_REQUIRED: &str = "Chọn tổ hòa giải tiếp nhận.";
pub const FIX_ERRORS: &str = "Chưa lưu: hãy sửa các lỗi được nêu.";
pub const STALE: &str = "Vụ, việc vừa được người khác cập nhật. Hãy xem lại rồi thực hiện lại.";
pub const NOT_XLSX: &str = "Tệp không phải bảng tính Excel (.xlsx) đọc được.";
pub const NO_HEADER: &str = "Không tìm thấy dòng tiêu đề có cột «Họ và tên» trong trang tính đầu tiên.";
pub const TOO_LARGE: &str = "Tệp quá lớn hoặc có quá nhiều dòng.";
pub const NO_FILE: &str = "Chọn tệp danh sách (.xlsx).";
pub const DECISION_FILE_REQUIRED: &str = "Chọn tệp quyết định thành lập tổ (PDF, DOCX, PNG hoặc JPEG).";
pub const DECISION_FILE_TYPE: &str = "Quyết định chỉ nhận tệp PDF, DOCX, PNG hoặc JPEG.";
pub const DECISION_FILE_MISMATCH: &str = "Nội dung tệp không khớp với phần mở rộng của tên tệp.";
pub const BAD_YEAR: &str = "Năm không hợp lệ (từ 2000 đến 2100).";
pub const NOT_A_NUMBER: &str = "Ghi một số nguyên không âm.";
pub const COURSE_TITLE_REQUIRED: &str = "Ghi tên khóa tập huấn, bồi dưỡng.";
pub const COURSE_END_BEFORE_START: &str = "Ngày kết thúc không được trước ngày bắt đầu.";
pub const TITLE_PAYMENTS: &str = "Thù lao hòa giải viên";
pub const ACCOUNT_NOT_FOUND: &str = "Không có tài khoản với tên đăng nhập này.";
pub const ACCOUNT_NOT_MEDIATOR: &str = "Tài khoản này không có vai trò Hòa giải viên; quản trị đơn vị cấp tài khoản với vai trò đó trước.";
pub const ACCOUNT_OUTSIDE: &str = "Tài khoản này không thuộc xã của tổ hòa giải.";
pub const ACCOUNT_TAKEN: &str = "Tài khoản này đã gắn với một hòa giải viên khác đang làm nhiệm vụ.";
pub const MEDIATOR_NOT_IN_TEAM: &str = "Hòa giải viên không thuộc tổ này.";

pub fn bad_birth_year(s: &str) -> String {
    format!("Năm sinh «{s}» không hợp lệ (từ 1900, người từ đủ 15 tuổi).")
}
pub fn bad_gender(s: &str) -> String {
    if s.is_empty() { "Ghi giới tính: Nam hoặc Nữ.".into() } else { format!("Giới tính «{s}» không hợp lệ: ghi Nam hoặc Nữ.") }
}
pub fn bad_phone(s: &str) -> String {
    format!("Số điện thoại «{s}» không hợp lệ (8 đến 15 chữ số).")
}
pub fn bad_date_value(s: &str) -> String {
    format!("Ngày «{s}» không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2026.")
}
pub fn bad_date() -> String {
    "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/03/2026.".into()
}
pub fn future_date() -> String {
    "Ngày không được sau hôm nay.".into()
}
pub fn before_received() -> String {
    "Ngày này không được trước ngày tiếp nhận hoặc ngày phân công.".into()
}
pub fn too_long(max: usize) -> String {
    format!("Quá dài (tối đa {max} ký tự).")
}
pub fn missing_column(col: &str) -> String {
    format!("Thiếu cột «{col}» trong dòng tiêu đề.")
}
pub fn duplicate_person(first: u32) -> String {
    format!("Trùng họ tên và năm sinh với dòng {first}.")
}
pub fn two_leaders(first: u32) -> String {
    format!("Chỉ một người là tổ trưởng (đã đánh dấu ở dòng {first}).")
}
pub fn row_error(row: u32, col: &str, m: &str) -> String {
    if row == 0 { format!("{col}: {m}") } else { format!("Dòng {row}, cột «{col}»: {m}") }
}
pub fn conflict_assigned(name: &str) -> String {
    format!("{name} đã báo có quyền lợi liên quan hoặc không thể khách quan trong vụ, việc này; không phân công được.")
}
pub fn step_not_allowed(status: &str) -> String {
    format!("Không thực hiện được bước này khi vụ, việc đang ở tình trạng «{status}».")
}

/// A team warning, in words.
pub fn warning(w: &Warning) -> String {
    match w {
        Warning::TooFew { have, min } => format!("Tổ có {have} hòa giải viên, ít hơn {min} người theo quy định."),
        Warning::NoWoman => "Tổ chưa có hòa giải viên nữ.".into(),
        Warning::NoEthnicMinority => "Thôn có đồng bào dân tộc thiểu số nhưng tổ chưa có hòa giải viên là người dân tộc thiểu số.".into(),
    }
}

pub fn case_title(id: i64) -> String {
    format!("Vụ, việc hòa giải số {id}")
}
pub fn late_start(days: i64, reason: &str) -> String {
    format!("Bắt đầu hòa giải sau hơn {days} ngày kể từ ngày phân công. Lý do: {reason}")
}
pub fn late_pending(days: i64) -> String {
    format!("Đã quá {days} ngày kể từ ngày phân công mà chưa bắt đầu hòa giải.")
}

// --- home page ---
pub const HOME_SETTLED: &str = "Vụ, việc hòa giải thành";
pub fn home_case(id: i64, status: &str) -> String {
    format!("Vụ, việc hòa giải số {id}: {status}")
}
pub fn home_cases(year: i32) -> String {
    format!("Vụ, việc hòa giải tiếp nhận năm {year}")
}

// --- audit summaries ---
pub fn audit_decision_file(team: &str, file: &str) -> String {
    format!("Tải lên quyết định thành lập {team}: {file}")
}
pub fn audit_read_book(team: &str, year: i32) -> String {
    format!("Tải sổ theo dõi hoạt động hòa giải năm {year} của {team}")
}
pub fn audit_read_case(id: i64) -> String {
    format!("Xem thông tin các bên của vụ, việc hòa giải số {id}")
}

// --- report prefill ---
pub fn prefill_source(unit: &str) -> String {
    format!("Hòa giải ở cơ sở: sổ theo dõi của các tổ hòa giải thuộc {unit}")
}

// --- legal-access prefill ---
pub fn known_settled(commune: &str, year: i32) -> String {
    format!("Hòa giải ở cơ sở: vụ, việc hòa giải thành trên số vụ, việc đã hòa giải xong (nhận trong năm {year}) của {commune}")
}

/// Flash notices after a redirect (`?tb=`).
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
            "team" => "Đã lưu tổ hòa giải.",
            "mediator" => "Đã lưu hòa giải viên.",
            "imported" => "Đã nhập danh sách hòa giải viên.",
            "leader" => "Đã ghi tổ trưởng tổ hòa giải.",
            "ended" => "Đã ghi thôi làm hòa giải viên.",
            "merged" => "Đã ghi việc hợp nhất, chia tách tổ hòa giải.",
            "case" => "Đã ghi vụ, việc hòa giải.",
            "refused" => "Đã ghi: không hòa giải vì thuộc trường hợp pháp luật không cho hòa giải ở cơ sở.",
            "step" => "Đã cập nhật vụ, việc.",
            "training" => "Đã ghi khóa tập huấn.",
            "paid" => "Đã ghi chi trả thù lao.",
            "decision" => "Đã lưu tệp quyết định thành lập tổ.",
            "account" => "Đã gắn tài khoản cho hòa giải viên: người này đăng nhập để ghi vụ, việc của tổ.",
            _ => return None,
    })
}

// ---------------------------------------------------------------- a unit's public page

pub const PUBLIC_HEADING: &str = "Hòa giải ở cơ sở";
pub fn public_summary(teams: i64, mediators: i64) -> String {
    format!("{} tổ hòa giải đang hoạt động, {} hòa giải viên.", text_vi::format_int(teams), text_vi::format_int(mediators))
}
pub fn public_team_detail(village: &str, leader: Option<&str>, serving: i64) -> String {
    match leader {
        Some(l) => format!("{village}; tổ trưởng: {l}; {} hòa giải viên", text_vi::format_int(serving)),
        None => format!("{village}; {} hòa giải viên", text_vi::format_int(serving)),
    }
}
