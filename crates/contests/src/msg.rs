//! The contests' messages (errors, notices, e-mails), in Vietnamese.

pub const TITLE_MANAGE: &str = "Cuộc thi tìm hiểu pháp luật";
pub const TITLE_NEW: &str = "Tạo cuộc thi";
pub const TITLE_PUBLIC: &str = "Cuộc thi trực tuyến tìm hiểu pháp luật";
pub const TITLE_NEW_ROUND: &str = "Thêm vòng thi";
pub const TITLE_QUESTION: &str = "Câu hỏi";
pub const TITLE_RANKING: &str = "Xếp hạng";
pub const TITLE_VERIFY: &str = "Xác nhận đăng ký";
pub const TITLE_RESULT: &str = "Kết quả bài thi";
pub const TITLE_WINNERS: &str = "Kết quả, giải thưởng";
pub const ENTRANT_NOT_RANKED: &str = "Chọn một người dự thi có tên trong bảng xếp hạng.";
pub const REASON_REQUIRED: &str = "Nhập lý do loại khỏi xếp hạng.";
pub const REASON_TOO_LONG: &str = "Lý do dài quá 500 ký tự.";
pub const RESULTS_TOO_EARLY: &str = "Chỉ công bố kết quả sau khi vòng thi đã kết thúc (kể cả thời gian bù cho lượt nộp cuối).";
pub const RANKING_SHEET: &str = "Xếp hạng";
pub const NOT_EXCLUDED: &str = "Người dự thi này không bị loại khỏi xếp hạng (có thể đã được đưa trở lại).";
pub const PICK_ENTRANT: &str = "— Chọn người dự thi —";
/// The columns of the ranking workbook.
pub const RANKING_COLUMNS: [&str; 11] = ["Hạng", "Họ và tên", "Năm sinh", "Xã, phường", "Điện thoại hoặc thư điện tử", "Số câu đúng", "Thời gian", "Dự đoán", "Số lượt", "Giải", "Ghi chú"];
pub fn excluded_note(reason: &str) -> String {
    format!("Loại khỏi xếp hạng: {reason}")
}

pub const STATUS_PUBLISHED: &str = "Đã công bố";
pub const STATUS_DRAFT: &str = "Bản nháp";
pub const NO_PREDICTION: &str = "(không có câu dự đoán)";
pub const KEY_UNUSED: &str = "(không dùng)";
pub const SHEET_NAME: &str = "Câu hỏi";
pub const SHEET_TITLE: &str = "NGÂN HÀNG CÂU HỎI CUỘC THI";

pub const DIFF_EASY: &str = "Dễ";
pub const DIFF_MEDIUM: &str = "Trung bình";
pub const DIFF_HARD: &str = "Khó";

pub const COUNT_BEST: &str = "lượt có kết quả cao nhất";
pub const COUNT_FIRST: &str = "lượt thi đầu tiên";
pub const COUNT_LAST: &str = "lượt thi cuối cùng";
pub const PREDICT_CORRECT_ALL: &str = "số người trả lời đúng tất cả các câu hỏi";
pub const PREDICT_PARTICIPANTS: &str = "số người tham gia vòng thi";
pub const KEY_SCORE: &str = "điểm cao hơn";
pub const KEY_PREDICTION: &str = "dự đoán gần đúng hơn";
pub const KEY_DURATION: &str = "thời gian làm bài ngắn hơn";
pub const KEY_STARTED: &str = "bắt đầu làm bài sớm hơn";
pub const KEY_FULL_SCORE: &str = "nhiều lượt đạt điểm tối đa hơn";
pub const FINAL_KEY: &str = "đăng ký sớm hơn";
pub const SHOW_ON_SUBMIT: &str = "ngay khi nộp bài";
pub const SHOW_AFTER_ROUND: &str = "sau khi vòng thi kết thúc";

pub const QUOTA_FORMAT: &str = "viết theo mẫu \"chủ đề; mức độ; số câu\".";
pub const QUOTA_COUNT: &str = "số câu phải từ 1 đến 100.";
pub const QUOTAS_REQUIRED: &str = "Cần ít nhất một dòng cơ cấu câu hỏi.";
pub const TOO_MANY_QUESTIONS: &str = "Một lượt thi có tối đa 100 câu hỏi.";
pub const KEY_UNKNOWN: &str = "Tiêu chí xếp hạng không hợp lệ.";
pub const KEY_TWICE: &str = "Mỗi tiêu chí xếp hạng chỉ chọn một lần.";
pub const KEYS_REQUIRED: &str = "Chọn ít nhất một tiêu chí xếp hạng.";
pub const PRIZE_FORMAT: &str = "viết theo mẫu \"tên giải; số giải; số tiền\".";

pub const THROTTLED: &str = "Có quá nhiều yêu cầu gửi mã từ địa chỉ mạng này trong một giờ. Hãy thử lại sau.";
pub const ID_NUMBER_TAKEN: &str = "Số căn cước này đã được dùng để đăng ký cuộc thi. Mỗi người chỉ đăng ký một lần.";
pub const ID_NUMBER_UNAVAILABLE: &str = "Cuộc thi chưa sẵn sàng nhận số căn cước. Hãy liên hệ ban tổ chức.";
pub const ID_PEPPER_MISSING: &str = "Chưa thể yêu cầu số căn cước: hệ thống chưa được cấu hình khóa bảo vệ số căn cước (contests.id_pepper). Hãy đề nghị quản trị hệ thống cấu hình trước.";

pub fn quota_line(n: usize, m: &str) -> String {
    format!("Dòng {n} của cơ cấu câu hỏi: {m}")
}
pub fn prize_line(n: usize, m: &str) -> String {
    format!("Dòng {n} của cơ cấu giải thưởng: {m}")
}
pub fn shortfall(line: usize, wanted: usize, available: usize) -> String {
    format!("Dòng {line} của cơ cấu câu hỏi cần {wanted} câu nhưng ngân hàng chỉ còn {available} câu phù hợp.")
}

pub const COL_QUESTION: &str = "Câu hỏi";
pub const COL_OPTION: &str = "Phương án";
pub const COL_CORRECT: &str = "Đáp án đúng";
pub const COL_EXPLANATION: &str = "Giải thích";
pub const COL_TOPIC: &str = "Chủ đề";
pub const COL_DIFFICULTY: &str = "Mức độ";
pub const COL_SOURCE: &str = "Căn cứ pháp lý";

pub const QUESTION_REQUIRED: &str = "Nhập nội dung câu hỏi.";
pub const QUESTION_TOO_LONG: &str = "Câu hỏi dài quá 2.000 ký tự.";
pub const OPTION_GAP: &str = "Các phương án phải liền nhau từ A (không bỏ trống phương án ở giữa).";
pub const OPTIONS_COUNT: &str = "Mỗi câu hỏi có từ 2 đến 6 phương án.";
pub const OPTION_TOO_LONG: &str = "Một phương án dài quá 500 ký tự.";
pub const OPTIONS_SAME: &str = "Hai phương án có nội dung giống nhau.";
pub const CORRECT_UNKNOWN: &str = "Đáp án đúng ghi bằng chữ cái A–F.";
pub const CORRECT_NOT_AN_OPTION: &str = "Đáp án đúng không phải là một phương án đã nhập.";
pub const EXPLANATION_TOO_LONG: &str = "Phần giải thích dài quá 4.000 ký tự.";
pub const TOPIC_REQUIRED: &str = "Nhập chủ đề.";
pub const TOPIC_TOO_LONG: &str = "Chủ đề dài quá 100 ký tự.";
pub const DIFFICULTY_UNKNOWN: &str = "Mức độ là Dễ, Trung bình hoặc Khó.";
pub const SOURCE_TOO_LONG: &str = "Căn cứ pháp lý dài quá 500 ký tự.";
pub const COLUMN_MISSING: &str = "Thiếu cột này ở dòng tiêu đề.";
pub const SHEET_EMPTY: &str = "Tệp không có câu hỏi nào dưới dòng tiêu đề.";
pub const SHEET_TOO_MANY: &str = "Một tệp có tối đa 5.000 câu hỏi.";
pub const DUPLICATE_OF_BANK: &str = "Trùng với một câu hỏi đã có trong ngân hàng.";
pub fn duplicate_of_row(row: u32) -> String {
    format!("Trùng với câu hỏi ở dòng {row}.")
}
pub fn row_error(row: u32, column: &str, message: &str) -> String {
    if row == 0 { format!("Cột \"{column}\": {message}") } else if column.is_empty() { format!("Dòng {row}: {message}") } else { format!("Dòng {row}, cột \"{column}\": {message}") }
}
pub const NO_FILE: &str = "Chọn tệp câu hỏi: bảng tính Excel (.xlsx) hoặc văn bản Word (.docx).";
pub const NOT_XLSX: &str = "Tệp không phải là bảng tính Excel (.xlsx) đọc được.";
pub const NO_HEADER: &str = "Không tìm thấy dòng tiêu đề bắt đầu bằng ô \"STT\". Hãy dùng tệp mẫu.";
pub const TOO_LARGE: &str = "Tệp quá lớn để nhập.";
pub const QUESTION_FROZEN: &str = "Câu hỏi này đã được dùng trong một vòng thi đã công bố nên không sửa được nữa. Hãy thêm một câu hỏi mới nếu cần.";

pub const CONTEST_TITLE_REQUIRED: &str = "Nhập tên cuộc thi.";
pub const AREA_REQUIRED: &str = "Chọn địa bàn dự thi trong phạm vi của đơn vị.";
pub const MIN_AGE_RANGE: &str = "Tuổi tối thiểu từ 0 đến 100.";
pub const ROUND_TITLE_REQUIRED: &str = "Nhập tên vòng thi.";
pub const DATETIME_FORMAT: &str = "Ghi ngày giờ theo mẫu dd/mm/yyyy hh:mm.";
pub const ENDS_BEFORE_START: &str = "Thời điểm kết thúc phải sau thời điểm bắt đầu.";
pub const TIME_LIMIT_RANGE: &str = "Thời gian làm bài từ 1 đến 180 phút.";
pub const GRACE_RANGE: &str = "Thời gian gia hạn từ 0 đến 120 giây.";
pub const ATTEMPTS_RANGE: &str = "Số lượt thi từ 1 đến 100.";
pub const CHOICE_INVALID: &str = "Lựa chọn không hợp lệ.";
pub const PREDICTION_TEXT_REQUIRED: &str = "Nhập nội dung câu dự đoán.";
pub const ROUND_PUBLISHED: &str = "Vòng thi đã công bố nên không sửa được thể lệ.";
pub const CONTEST_NOT_PUBLISHED: &str = "Công bố cuộc thi trước khi công bố vòng thi.";
pub const CONTEST_NO_ROUND: &str = "Cuộc thi cần ít nhất một vòng thi trước khi công bố.";

pub const FULL_NAME_REQUIRED: &str = "Nhập họ và tên.";
pub const BIRTH_YEAR_INVALID: &str = "Năm sinh gồm 4 chữ số.";
pub fn too_young(min_age: i64) -> String {
    format!("Cuộc thi dành cho người từ {min_age} tuổi trở lên.")
}
pub const CONTACT_REQUIRED: &str = "Nhập số điện thoại hoặc thư điện tử để nhận mã xác nhận.";
pub const CONTACT_INVALID: &str = "Số điện thoại (10 chữ số, bắt đầu bằng 0) hoặc thư điện tử không hợp lệ.";
pub const COMMUNE_REQUIRED: &str = "Chọn xã, phường, đặc khu nơi Ông/Bà sinh sống, học tập hoặc công tác.";
pub const COMMUNE_OUTSIDE: &str = "Xã, phường này không thuộc địa bàn của cuộc thi.";
pub const ID_NUMBER_REQUIRED: &str = "Nhập số căn cước (12 chữ số).";
pub const ID_NUMBER_INVALID: &str = "Số căn cước gồm 12 chữ số.";
pub const CODE_SENT: &str = "Nếu số điện thoại hoặc thư điện tử này đã đăng ký, mã xác nhận đã được gửi tới đó (tối đa 3 mã mỗi giờ). Nhập mã để hoàn tất.";
pub const CODE_WRONG: &str = "Mã xác nhận không đúng hoặc đã hết hạn.";
pub const CODE_TOO_MANY: &str = "Đã nhập mã quá nhiều lần. Hãy thử lại sau một giờ.";
pub const CODE_SUBJECT: &str = "Mã xác nhận dự thi";
pub fn code_body(title: &str, code: &str, minutes: i64) -> String {
    format!("Mã xác nhận dự thi \"{title}\" của Ông/Bà là: {code}\nMã có hiệu lực trong {minutes} phút. Nếu Ông/Bà không đăng ký, hãy bỏ qua tin này.")
}

pub const ROUND_NOT_OPEN: &str = "Vòng thi chưa mở hoặc đã kết thúc.";
pub const NO_ATTEMPTS_LEFT: &str = "Ông/Bà đã dùng hết số lượt thi của vòng này.";
pub const ATTEMPT_ACTIVE: &str = "Ông/Bà đang có một bài thi chưa nộp; hãy hoàn thành bài đó trước.";
pub const ATTEMPT_CLOSED: &str = "Bài thi đã hết giờ hoặc đã nộp; câu trả lời không được ghi nhận.";
pub const ANSWER_SAVED: &str = "Đã lưu câu trả lời.";
pub const PREDICTION_INVALID: &str = "Câu dự đoán ghi một số nguyên không âm.";
pub const BANK_SHORT: &str = "Ngân hàng câu hỏi không đủ để ra đề; xin báo ban tổ chức.";

/// Notices passed through a redirect as `?tb=key`.
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "created" => "Đã tạo cuộc thi.",
        "saved" => "Đã lưu.",
        "published" => "Đã công bố cuộc thi.",
        "round_created" => "Đã thêm vòng thi.",
        "round_published" => "Đã công bố vòng thi; các câu hỏi có thể được bốc đã bị khóa sửa.",
        "imported" => "Đã nhập câu hỏi vào ngân hàng.",
        "question_saved" => "Đã lưu câu hỏi.",
        "code_sent" => CODE_SENT,
        "verified" => "Đăng ký đã được xác nhận. Chúc Ông/Bà thi tốt!",
        "excluded" => "Đã loại người dự thi khỏi xếp hạng; giải (nếu có) chuyển cho người xếp sau.",
        "reinstated" => "Đã đưa người dự thi trở lại bảng xếp hạng.",
        "results_published" => "Đã công bố kết quả, giải thưởng của vòng thi trên trang cuộc thi.",
        "saved_answer" => ANSWER_SAVED,
        "collective_saved" => COLLECTIVE_SAVED,
        "headcounts_saved" => HEADCOUNTS_SAVED,
        "collective_published" => COLLECTIVE_PUBLISHED,
        _ => return None,
    })
}

pub const PICK_COMMUNE: &str = "(chọn xã, phường, đặc khu)";
pub fn formerly(now: &str, old: &str) -> String {
    format!("{now} (trước đây: {old})")
}

pub fn audit_create(title: &str) -> String {
    format!("Tạo cuộc thi \"{title}\"")
}
pub fn audit_update(title: &str) -> String {
    format!("Sửa thể lệ cuộc thi \"{title}\"")
}
pub fn audit_publish(title: &str) -> String {
    format!("Công bố cuộc thi \"{title}\"")
}
pub fn audit_import(n: usize, title: &str) -> String {
    format!("Nhập {n} câu hỏi vào ngân hàng cuộc thi \"{title}\"")
}
pub fn audit_question(title: &str) -> String {
    format!("Sửa câu hỏi của cuộc thi \"{title}\"")
}
pub fn audit_create_round(round: &str, title: &str) -> String {
    format!("Thêm vòng thi \"{round}\" của cuộc thi \"{title}\"")
}
pub fn audit_update_round(round: &str, title: &str) -> String {
    format!("Sửa vòng thi \"{round}\" của cuộc thi \"{title}\"")
}
pub fn audit_exclude(entrant: i64, round: &str) -> String {
    format!("Loại người dự thi số {entrant} khỏi xếp hạng {round}")
}
pub fn audit_reinstate(round: &str) -> String {
    format!("Đưa người dự thi trở lại xếp hạng {round}")
}
pub fn audit_publish_results(round: &str, title: &str) -> String {
    format!("Công bố kết quả, giải thưởng {round} của cuộc thi \"{title}\"")
}
pub fn audit_export_ranking(round: &str, title: &str) -> String {
    format!("Tải bảng xếp hạng (có thông tin liên hệ) {round} của cuộc thi \"{title}\"")
}
/// The title of the ranking workbook.
pub fn ranking_title(round: &str, title: &str) -> String {
    format!("Bảng xếp hạng {round}, cuộc thi \"{title}\"")
}
pub fn audit_publish_round(round: &str, title: &str) -> String {
    format!("Công bố vòng thi \"{round}\" của cuộc thi \"{title}\"")
}
pub fn audit_request_code(title: &str) -> String {
    format!("Yêu cầu mã xác nhận cuộc thi \"{title}\"")
}
pub fn audit_verify(title: &str) -> String {
    format!("Xác nhận đăng ký dự thi \"{title}\"")
}
pub fn audit_register(title: &str) -> String {
    format!("Đăng ký dự thi \"{title}\"")
}

/// The source of the figures a report is prefilled with.
pub fn prefill_source(unit: &str) -> String {
    format!("Cuộc thi trực tuyến do {unit} và các đơn vị trực thuộc tổ chức trên hệ thống")
}

// ---------------------------------------------------------------- certificates

pub const TITLE_CERTIFICATE: &str = "Kiểm tra giấy chứng nhận";
pub const CERTIFICATE_NOT_FOUND: &str = "Không có giấy chứng nhận nào mang mã này. Hãy kiểm tra lại mã in trên giấy (16 ký tự, không phân biệt chữ hoa, chữ thường).";
pub const CERTIFICATE_HEADING: &str = "GIẤY CHỨNG NHẬN";
pub const CERTIFICATE_LEAD: &str = "Chứng nhận Ông/Bà";
pub fn certificate_prize(prize: &str, round: &str) -> String {
    format!("Đạt {prize} {round}")
}
/// What a certificate states: a prize, or taking part (no prize).
pub fn certificate_line(prize: &str, round: &str) -> String {
    if prize.is_empty() { format!("Đã tham gia {round}") } else { certificate_prize(prize, round) }
}
pub fn audit_participation(round: &str) -> String {
    format!("Cấp giấy chứng nhận tham gia {round}")
}
pub fn certificate_check(url: &str, code: &str) -> String {
    format!("Mã chứng nhận {code}. Kiểm tra tại {url}")
}

// ---------------------------------------------------------------- the rules as DOCX

pub const RULES_KIND: &str = "THỂ LỆ";
pub const RULES_AUDIENCE: &str = "I. ĐƠN VỊ TỔ CHỨC, ĐỐI TƯỢNG DỰ THI";
pub const RULES_ROUNDS: &str = "II. CÁC VÒNG THI, HÌNH THỨC VÀ CÁCH TÍNH KẾT QUẢ";
pub const RULES_HOW: &str = "III. CÁCH THỨC DỰ THI";
pub const RULES_PRIZES: &str = "Cơ cấu giải thưởng:";
pub const RULES_PRIZE_COLUMNS: [&str; 3] = ["Giải", "Số giải", "Mức thưởng mỗi giải"];
pub const TITLE_OVERALL: &str = "Xếp hạng chung các vòng thi";
pub const TITLE_COLLECTIVE: &str = "Giải tập thể";
/// The "one prize per person" rule, in the rules and on the public page.
pub const RULES_ONE_PRIZE: &str = "Mỗi người dự thi chỉ nhận một giải: người đạt giải ở nhiều vòng thi chỉ nhận giải cao nhất, giải còn lại được trao cho người xếp hạng tiếp theo.";
/// A prize held in another round, for the ranking page ("Giải Nhất, Vòng 1").
pub fn held_prize(prize: &str, round: &str) -> String {
    format!("đã đạt {prize} ({round})")
}

// --- collective prizes (giải tập thể) ---
pub const COLLECTIVE_NONE: &str = "Không có giải tập thể";
pub const COLLECTIVE_RATE_PLUS_POINTS: &str = "Tỉ lệ tham gia (%) cộng điểm quy đổi của người đạt giải";
pub const COLLECTIVE_ENTRANTS: &str = "Đơn vị có nhiều người tham gia nhất";
pub const COLLECTIVE_WINNERS: &str = "Đơn vị có nhiều người đạt giải nhất";
pub const LEVEL_COMMUNE: &str = "Xã, phường, đặc khu";
pub const LEVEL_PROVINCE: &str = "Tỉnh, thành phố";
pub const POINTS_FORMAT: &str = "viết theo mẫu \"tên giải; điểm\", điểm là số nguyên từ 0 đến 1.000.";
pub const POINTS_TWICE: &str = "giải này đã có điểm ở một dòng trước.";
pub fn points_line(n: usize, m: &str) -> String {
    format!("Dòng {n} của điểm quy đổi: {m}")
}
pub const COLLECTIVE_MODE_UNKNOWN: &str = "Hãy chọn cách xét giải tập thể trong danh sách.";
pub const COLLECTIVE_LEVEL_UNKNOWN: &str = "Hãy chọn cấp đơn vị trong danh sách.";
pub const COLLECTIVE_PRIZES_REQUIRED: &str = "Hãy ghi ít nhất một giải tập thể.";
pub const COLLECTIVE_POINTS_REQUIRED: &str = "Cách xét này cần điểm quy đổi của ít nhất một giải.";
pub const COLLECTIVE_SAVED: &str = "Đã lưu cách xét giải tập thể.";
pub const HEADCOUNTS_SAVED: &str = "Đã lưu số đối tượng của các đơn vị.";
pub const COLLECTIVE_PUBLISHED: &str = "Đã công bố giải tập thể.";
pub const COLLECTIVE_NOT_SET: &str = "Cuộc thi chưa có giải tập thể: hãy chọn cách xét và ghi cơ cấu giải trước.";
pub const COLLECTIVE_TOO_EARLY: &str = "Chỉ công bố giải tập thể khi mọi vòng thi đã công bố kết quả.";
pub fn headcount_error(unit: &str) -> String {
    format!("{unit}: số đối tượng phải là số nguyên từ 1 đến 100.000.000.")
}
pub fn audit_collective_settings(contest: &str) -> String {
    format!("Sửa cách xét giải tập thể của cuộc thi “{contest}”")
}
pub fn audit_headcounts(contest: &str, n: usize) -> String {
    format!("Cập nhật số đối tượng của {n} đơn vị, cuộc thi “{contest}”")
}
pub fn audit_publish_collective(contest: &str) -> String {
    format!("Công bố giải tập thể của cuộc thi “{contest}”")
}
/// The collective prizes on the rules page and in the rules DOCX.
pub fn rules_collective(mode: &str, level: &str) -> String {
    format!("Giải tập thể xét cho đơn vị cấp {}: {}.", level.to_lowercase(), mode.to_lowercase())
}
pub const RULES_COLLECTIVE_RATE: &str = "Tỉ lệ tham gia là số người dự thi của đơn vị (mỗi người tính một lần) chia cho số đối tượng của đơn vị do Ban tổ chức xác định, tối đa 100%.";
pub fn rules_collective_points(lines: &str) -> String {
    format!("Điểm quy đổi của mỗi người đạt giải: {lines}.")
}
pub fn points_item(prize: &str, points: i64) -> String {
    format!("{prize} {points} điểm")
}
pub const RULES_COLLECTIVE_TIES: &str = "Đơn vị bằng điểm thì xếp đơn vị có nhiều người dự thi hơn, rồi đơn vị có nhiều người đạt giải hơn, rồi theo tên đơn vị.";

// --- most-missed questions ---
pub fn missed_share(permille: i64) -> String {
    let whole = permille / 10;
    match permille % 10 {
        0 => format!("{whole}%"),
        f => format!("{whole},{f}%"),
    }
}

pub fn rules_organiser(unit: &str) -> String {
    format!("Đơn vị tổ chức: {unit}.")
}
pub fn rules_audience(area: &str, min_age: Option<i64>, require_id: bool) -> String {
    let age = min_age.map(|a| format!(", từ {a} tuổi trở lên (tính theo năm sinh)")).unwrap_or_default();
    let id = if require_id { " Người dự thi khai số căn cước; số này chỉ được lưu dưới dạng mã hóa một chiều." } else { "" };
    format!("Đối tượng dự thi: người sinh sống, học tập hoặc công tác tại {area}{age}. Mỗi số điện thoại hoặc thư điện tử chỉ đăng ký một lần.{id}")
}
pub fn rules_time(from: &str, to: &str) -> String {
    format!("Thời gian: từ {from} đến {to}.")
}
pub fn rules_quota(n: usize, topic: &str, difficulty: &str) -> String {
    let mut s = format!("{n} câu");
    if !topic.is_empty() {
        s.push_str(&format!(" chủ đề {topic}"));
    }
    if !difficulty.is_empty() {
        s.push_str(&format!(" mức độ {difficulty}"));
    }
    s
}
pub fn rules_questions(n: usize, quotas: &str) -> String {
    format!("Mỗi lượt thi gồm {n} câu hỏi trắc nghiệm bốc ngẫu nhiên từ ngân hàng câu hỏi ({quotas}); thứ tự câu hỏi và phương án được xáo trộn; mỗi câu đúng được 1 điểm.")
}
pub fn rules_minutes(m: i64) -> String {
    format!("Thời gian làm bài: {m} phút, tính trên máy chủ; hết giờ bài được nộp tự động.")
}
pub fn rules_attempts(n: i64, counting: &str) -> String {
    format!("Mỗi người được thi tối đa {n} lượt; kết quả tính theo {counting}.")
}
pub fn rules_prediction(text: &str, kind: &str) -> String {
    format!("Câu dự đoán: {text} (dự đoán {kind}).")
}
pub fn rules_keys(keys: &[&str]) -> String {
    format!("Xếp hạng theo thứ tự: {}.", keys.join("; nếu bằng nhau thì "))
}
pub fn rules_answers(when: &str) -> String {
    format!("Đáp án được công bố {when}.")
}
pub fn rules_how(url: &str) -> String {
    format!("Người dự thi truy cập {url}, đăng ký bằng số điện thoại hoặc thư điện tử, nhập mã xác nhận được gửi tới rồi làm bài trên điện thoại hoặc máy tính; không cần tài khoản.")
}

// ---------------------------------------------------------------- a round's exports

/// The contact column of the exports (only in the organiser unit's files).
pub const CONTACT_COLUMN: &str = "Điện thoại hoặc thư điện tử";

pub const WINNERS_SHEET: &str = "Đạt giải";
/// The columns of the winners' workbook; the contact column comes after the commune.
pub const WINNERS_COLUMNS: [&str; 8] = ["Hạng", "Giải", "Họ và tên", "Năm sinh", "Xã, phường", "Số câu đúng", "Thời gian", "Dự đoán"];
pub fn winners_title(round: &str, title: &str) -> String {
    format!("Danh sách người đạt giải {round}, cuộc thi \"{title}\"")
}
pub fn winners_file(round_number: i64) -> String {
    format!("giai-thuong-vong-{round_number}.xlsx")
}
pub fn audit_export_winners(round: &str, title: &str) -> String {
    format!("Tải danh sách người đạt giải {round} của cuộc thi \"{title}\"")
}

pub const PARTICIPATION_SHEET: &str = "Tham gia theo xã";
/// The columns of the participation workbook.
pub const PARTICIPATION_COLUMNS: [&str; 6] = ["STT", "Tỉnh, thành phố", "Xã, phường", "Người dự thi", "Lượt thi", "Bài đã nộp"];
pub const TOTAL_ROW: &str = "Tổng cộng";
pub fn participation_title(round: &str, title: &str) -> String {
    format!("Số liệu tham gia theo xã, phường {round}, cuộc thi \"{title}\"")
}
pub fn participation_file(round_number: i64) -> String {
    format!("tham-gia-vong-{round_number}.xlsx")
}

pub const ATTEMPTS_SHEET: &str = "Bài thi";
/// The sheet that continues the attempts past Excel's row limit ("Bài thi (2)", …).
pub fn attempts_sheet_more(n: usize) -> String {
    format!("Bài thi ({n})")
}
/// The columns of the all-attempts workbook; the contact column comes after the commune.
pub const ATTEMPTS_COLUMNS: [&str; 12] = ["STT", "Lượt thi", "Họ và tên", "Năm sinh", "Xã, phường", "Trạng thái", "Bắt đầu", "Kết thúc", "Thời gian làm bài", "Số câu đúng", "Số câu hỏi", "Dự đoán"];
pub fn attempts_title(round: &str, title: &str) -> String {
    format!("Danh sách bài thi {round}, cuộc thi \"{title}\"")
}
pub fn attempts_file(round_number: i64) -> String {
    format!("bai-thi-vong-{round_number}.xlsx")
}
pub fn audit_export_attempts(round: &str, title: &str) -> String {
    format!("Tải danh sách bài thi {round} của cuộc thi \"{title}\"")
}
pub const EXPORT_FAILED: &str = "Không tạo được tệp Excel danh sách bài thi do lỗi khi ghi dữ liệu, nên chưa có tệp nào được gửi. Hãy thử lại sau ít phút; nếu vẫn lỗi, hãy báo quản trị hệ thống.";

pub const ATTEMPT_STATUS_ACTIVE: &str = "Đang làm bài";
pub const ATTEMPT_STATUS_SUBMITTED: &str = "Đã nộp bài";
pub const ATTEMPT_STATUS_EXPIRED: &str = "Hết giờ, nộp tự động";
/// An attempt's status in words.
pub fn attempt_status(status: &str) -> &'static str {
    match status {
        "submitted" => ATTEMPT_STATUS_SUBMITTED,
        "expired" => ATTEMPT_STATUS_EXPIRED,
        _ => ATTEMPT_STATUS_ACTIVE,
    }
}

// ---------------------------------------------------------------- the question bank in Word (DOCX)

/// Words of the Word layout (`rules::docx_bank::layout`).
pub const DOCX_QUESTION: &str = "Câu";
pub const DOCX_ANSWER: &str = "Đáp án";
pub const DOCX_SOURCE: &str = "Căn cứ";
pub const NOT_DOCX: &str = "Tệp không phải là văn bản Word (.docx) đọc được, hoặc không có chữ.";
pub const DOCX_NO_QUESTIONS: &str = "Không tìm thấy câu hỏi nào. Mỗi câu hỏi bắt đầu bằng một đoạn “Câu 1: …” (gõ hoặc do Word tự đánh số), tiếp theo là các phương án “A. …”, “B. …” và dòng “Đáp án: …”.";
pub const DOCX_OUTSIDE: &str = "Phương án hoặc đáp án nằm ngoài câu hỏi nào: mỗi câu hỏi bắt đầu bằng một đoạn “Câu 1: …”.";
pub const DOCX_TEXT_REQUIRED: &str = "Câu hỏi chưa có nội dung.";
pub const DOCX_TOPIC_REQUIRED: &str = "Thiếu chủ đề: ghi dòng “Chủ đề: …” dưới câu hỏi, hoặc một dòng tiêu đề “CHỦ ĐỀ: …” trước các câu hỏi của chủ đề đó.";
pub const DOCX_ANSWER_MISSING: &str = "Thiếu đáp án: ghi dòng “Đáp án: A” dưới các phương án, đánh dấu * trước phương án đúng, hoặc chỉ in đậm (gạch chân, tô màu) riêng phương án đúng.";
pub const DOCX_MANY_MARKED: &str = "Có nhiều hơn một phương án được đánh dấu là đúng.";
pub const DOCX_TWO_ANSWERS: &str = "Có hai dòng “Đáp án” ghi khác nhau.";
pub fn docx_answer_not_an_option(answer: char, last: char) -> String {
    format!("Đáp án {answer} không có trong các phương án (A–{last}).")
}
pub fn docx_answer_unreadable(value: &str) -> String {
    let shown: String = value.chars().take(60).collect();
    format!("Không đọc được đáp án “{shown}”: ghi chữ cái của phương án đúng, ví dụ “Đáp án: A”.")
}
pub fn docx_answer_conflict(line: char, marked: char) -> String {
    format!("Dòng “Đáp án” ghi {line} nhưng phương án được đánh dấu đúng là {marked}.")
}
/// How formatting singles out an option, for [`docx_format_conflict`].
pub const DOCX_BOLD: &str = "in đậm";
pub const DOCX_UNDERLINED: &str = "gạch chân";
pub const DOCX_COLOURED: &str = "tô màu chữ";
pub const DOCX_HIGHLIGHTED: &str = "tô nền";
/// The answer written (answer line or "*") and the option formatting singles out disagree.
pub fn docx_format_conflict(written: char, formatted: char, how: &str) -> String {
    format!("Đáp án ghi là {written} nhưng phương án được {how} là {formatted}: sửa cho khớp, hoặc bỏ định dạng của phương án {formatted}.")
}
pub const DOCX_FORMAT_AMBIGUOUS: &str = "Định dạng (in đậm, gạch chân, tô màu) làm nổi bật nhiều phương án khác nhau nên không biết phương án nào đúng: ghi dòng “Đáp án: …”, hoặc chỉ định dạng riêng phương án đúng.";
pub fn docx_option_order(found: char, expected: char) -> String {
    format!("Phương án {found} không đúng thứ tự: phương án tiếp theo phải là {expected}.")
}
pub fn docx_option_empty(letter: char) -> String {
    format!("Phương án {letter} chưa có nội dung.")
}
pub fn docx_duplicate_of(number: u32, paragraph: usize) -> String {
    format!("Trùng với Câu {number} (đoạn {paragraph}) trong tệp.")
}
/// An error of the Word file, by question and paragraph.
pub fn docx_error(question: Option<u32>, paragraph: usize, message: &str) -> String {
    match (question, paragraph) {
        (Some(n), p) => format!("Câu {n} (đoạn {p}): {message}"),
        (None, 0) => message.to_string(),
        (None, p) => format!("Đoạn {p}: {message}"),
    }
}
pub const DOCX_SAMPLE_KIND: &str = "NGÂN HÀNG CÂU HỎI";
pub const DOCX_SAMPLE_TITLE: &str = "Cuộc thi tìm hiểu pháp luật (tệp mẫu)";
/// The sample's instructions, before its questions (the import skips what comes before the
/// first “Câu …”).
pub const DOCX_SAMPLE_HELP: [&str; 4] = [
    "Mỗi câu hỏi bắt đầu bằng một đoạn “Câu 1: …” (hoặc “Câu 1.”, “Câu hỏi 1:”), tiếp theo là từ 2 đến 6 phương án, mỗi phương án một đoạn bắt đầu bằng chữ cái “A.”, “B.”, … (hoặc “A)”, “a.”).",
    "Phương án đúng ghi ở dòng “Đáp án: A”, hoặc đánh dấu bằng dấu * trước chữ cái (“*B. …”) hay “(đúng)” ở cuối phương án, hoặc chỉ in đậm (gạch chân, tô màu chữ, tô nền) riêng phương án đúng. Các dòng “Giải thích:”, “Mức độ:” (Dễ, Trung bình hoặc Khó; bỏ trống là Trung bình) và “Căn cứ:” không bắt buộc.",
    "Chủ đề ghi ở dòng “Chủ đề: …” dưới câu hỏi, hoặc ở một dòng tiêu đề viết hoa “CHỦ ĐỀ: …” áp dụng cho các câu hỏi sau nó. Số câu và chữ cái phương án có thể gõ hoặc do Word tự đánh số (“Câu 1:” hay “1.”, “A.”).",
    "Nếu có câu hỏi lỗi hoặc trùng với câu đã có thì không câu nào được nhập; trang nhập sẽ liệt kê từng lỗi theo số câu và số đoạn.",
];
pub const DOCX_SAMPLE_FILE: &str = "mau-cau-hoi-cuoc-thi.docx";
