//! Vietnamese messages of the surveys capability: questionnaire and answer validation, the
//! workflow, public answering and its abuse limits, and the flash notices.

// ---------------------------------------------------------------- questionnaire

pub const NO_QUESTIONS: &str = "Phiếu phải có ít nhất một câu hỏi.";
pub const KEY_FORMAT: &str = "Mã câu hỏi chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, tối đa 40 ký tự.";
pub const QUESTION_TEXT_MISSING: &str = "Hãy nhập nội dung câu hỏi.";
pub const OPTIONS_MISSING: &str = "Câu hỏi lựa chọn cần ít nhất hai phương án (mỗi dòng một phương án).";
pub const OPTION_TWICE: &str = "Có phương án bị lặp lại.";
pub const BOUNDS_INVALID: &str = "Giá trị nhỏ nhất phải là số và không lớn hơn giá trị lớn nhất.";
pub const CONDITION_NOT_EARLIER: &str = "Điều kiện hiển thị phải dựa vào một câu hỏi đứng trước.";
pub const CONDITION_MISMATCH: &str = "Điều kiện hiển thị không phù hợp với loại hoặc phương án của câu hỏi được dựa vào.";
pub const CONDITION_OPERAND_MISSING: &str = "Hãy nhập phương án dùng cho điều kiện hiển thị.";
pub const CONDITION_NUMBER: &str = "Điều kiện so sánh số cần một con số.";
pub const CONDITION_OP: &str = "Phép so sánh của điều kiện không hợp lệ.";
pub const KIND_UNKNOWN: &str = "Hãy chọn loại câu hỏi.";

pub fn too_many_questions(n: usize) -> String {
    format!("Phiếu có tối đa {n} câu hỏi.")
}
pub fn key_taken(key: &str) -> String {
    format!("Mã câu hỏi «{key}» đã dùng cho một câu khác.")
}
pub fn too_long(n: usize) -> String {
    format!("Nội dung dài tối đa {} ký tự.", text_vi::format_int(n as i64))
}
pub fn too_many_options(n: usize) -> String {
    format!("Câu hỏi có tối đa {n} phương án.")
}
pub fn option_text(n: usize) -> String {
    format!("Mỗi phương án phải có nội dung, dài tối đa {n} ký tự.")
}

// ---------------------------------------------------------------- answers

pub const ANSWER_REQUIRED: &str = "Câu hỏi này bắt buộc trả lời.";
pub const ONE_CHOICE: &str = "Chỉ chọn một phương án.";
pub const CHOICE_UNKNOWN: &str = "Phương án đã chọn không có trong câu hỏi.";
pub const NOT_A_NUMBER: &str = "Hãy nhập một số, ví dụ 12 hoặc 1.234,5.";
pub const DATE_INVALID: &str = "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.";

pub fn number_below(min: &str) -> String {
    format!("Số không được nhỏ hơn {min}.")
}
pub fn number_above(max: &str) -> String {
    format!("Số không được lớn hơn {max}.")
}
pub fn answer_too_long(n: usize) -> String {
    format!("Câu trả lời dài tối đa {} ký tự.", text_vi::format_int(n as i64))
}
pub const CONTACT_TOO_LONG: &str = "Thông tin liên hệ dài tối đa 300 ký tự.";
pub const COMMUNE_UNKNOWN: &str = "Hãy chọn xã, phường trong danh sách.";
pub const COMMUNE_REQUIRED: &str = "Hãy chọn xã, phường nơi người trả lời được phục vụ: kết quả khảo sát được tính cho từng xã, phường.";

// ---------------------------------------------------------------- survey form and workflow

pub const TITLE_REQUIRED: &str = "Hãy nhập tên phiếu khảo sát.";
pub const TITLE_TOO_LONG: &str = "Tên phiếu dài tối đa 300 ký tự.";
pub const DESCRIPTION_TOO_LONG: &str = "Lời giới thiệu dài tối đa 4.000 ký tự.";
pub const DATE_FORMAT: &str = "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.";
pub const CLOSES_BEFORE_OPENS: &str = "Ngày kết thúc không được trước ngày bắt đầu.";
pub const AUDIENCE_UNKNOWN: &str = "Hãy chọn đối tượng khảo sát: toàn bộ người dân, hoặc một xã, phường thuộc đơn vị bạn.";
pub const NOT_DRAFT: &str = "Phiếu đã công bố thì không sửa được câu hỏi. Hãy tạo phiên bản mới.";
pub const NOT_PUBLISHED: &str = "Phiếu chưa công bố hoặc đã kết thúc.";
pub const ALREADY_CLOSED: &str = "Phiếu đã kết thúc.";
pub const CANNOT_PUBLISH: &str = "Phiếu còn lỗi ở câu hỏi, chưa công bố được.";
pub const NEWER_VERSION_EXISTS: &str = "Phiếu này đã có phiên bản mới hơn.";
pub const TEMPLATE_UNKNOWN: &str = "Không có mẫu phiếu này.";
pub const NOT_OWNER: &str = "Chỉ đơn vị tạo phiếu mới được sửa, công bố, đóng phiếu hoặc nhập phiếu giấy.";

// ---------------------------------------------------------------- public answering

pub const SURVEY_CLOSED: &str = "Khảo sát này đã kết thúc, không nhận thêm câu trả lời. Cảm ơn Ông/Bà đã quan tâm.";
pub const SURVEY_NOT_OPEN_YET: &str = "Khảo sát này chưa bắt đầu. Mời Ông/Bà quay lại từ ngày bắt đầu.";
pub const RATE_LIMITED: &str = "Có quá nhiều phiếu được gửi từ cùng một mạng hoặc một thiết bị trong thời gian ngắn. Mời Ông/Bà thử lại sau ít phút.";
pub const ALREADY_ANSWERED: &str = "Thiết bị này đã gửi câu trả lời cho khảo sát. Mỗi thiết bị chỉ được trả lời một lần.";
pub const POW_MISSING: &str = "Khảo sát này dùng một phép tính nhỏ trên trình duyệt để chống gửi phiếu tự động. Trình duyệt của Ông/Bà chưa bật JavaScript nên chưa gửi được phiếu: hãy bật JavaScript rồi tải lại trang, hoặc trả lời bằng phiếu giấy tại Ủy ban nhân dân xã, phường.";
pub const POW_INVALID: &str = "Phép kiểm tra chống gửi tự động đã hết hạn hoặc không đúng. Hãy tải lại trang rồi gửi lại.";
pub const THANKS: &str = "Cảm ơn Ông/Bà đã trả lời khảo sát. Câu trả lời đã được ghi nhận.";
pub const FORM_HAS_ERRORS: &str = "Phiếu còn câu chưa trả lời đúng. Hãy xem các câu được đánh dấu.";

// ---------------------------------------------------------------- exports

pub const EXPORT_FAILED: &str = "Không tạo được tệp Excel kết quả khảo sát do lỗi khi ghi dữ liệu, nên chưa có tệp nào được gửi. Hãy thử lại sau ít phút hoặc tải tệp CSV; nếu vẫn lỗi, hãy báo quản trị hệ thống.";

// ---------------------------------------------------------------- flash notices

pub const SAVED: &str = "Đã lưu phiếu khảo sát.";
pub const PUBLISHED: &str = "Đã công bố phiếu khảo sát. Người dân có thể trả lời qua đường dẫn công khai.";
pub const CLOSED: &str = "Đã kết thúc khảo sát.";
pub const NEW_VERSION: &str = "Đã tạo phiên bản mới (bản nháp). Sửa câu hỏi rồi công bố để thay phiên bản cũ.";
pub const PAPER_SAVED: &str = "Đã nhập một phiếu giấy.";

/// The surveys' flash notices (`?tb=key`).
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "survey_saved" => SAVED,
        "survey_published" => PUBLISHED,
        "survey_closed" => CLOSED,
        "survey_new_version" => NEW_VERSION,
        "paper_saved" => PAPER_SAVED,
        _ => return None,
    })
}

// ---------------------------------------------------------------- home page

pub const HOME_OPEN: &str = "Khảo sát đang mở";
pub const HOME_RESPONSES: &str = "Phiếu trả lời khảo sát";

/// Source line of the `surveys.satisfaction` figure offered to the legal-access self-assessment.
pub fn known_satisfaction(title: &str) -> String {
    format!("Kết quả khảo sát «{title}»")
}
