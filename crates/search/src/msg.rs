//! The search capability's messages and labels.

use crate::rules::status::Status;

pub const TITLE: &str = "Tìm kiếm";
pub const SITE_NAME: &str = "Cổng thông tin phổ biến, giáo dục pháp luật";
pub const DESCRIPTION: &str = "Tìm tin bài, văn bản pháp luật, tài liệu tuyên truyền, câu trả lời hỏi đáp và dự thảo, có dấu hoặc không dấu.";
/// Shown when the index cannot answer (it is being rebuilt, or failed).
pub const UNAVAILABLE: &str = "Chức năng tìm kiếm tạm thời chưa sẵn sàng. Vui lòng thử lại sau ít phút.";
/// Shown when the query was cut to the longest length read.
pub const QUERY_CUT: &str = "Từ khóa quá dài: chỉ 200 ký tự đầu được dùng để tìm.";

/// The Vietnamese name of a kind of public item.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "article" => "Tin bài",
        "legal_doc" => "Văn bản pháp luật",
        "material" => "Tài liệu tuyên truyền",
        "answer" => "Hỏi đáp pháp luật",
        "draft" => "Dự thảo lấy ý kiến",
        _ => "Khác",
    }
}

/// The effective status as the bookshelf names it.
pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::InForce => "Còn hiệu lực",
        Status::PartlyExpired => "Hết hiệu lực một phần",
        Status::Expired => "Hết hiệu lực toàn bộ",
        Status::NotYetInForce => "Chưa có hiệu lực",
    }
}

/// The badge colour class of the kernel's stylesheet for a status.
pub fn status_badge(s: Status) -> &'static str {
    match s {
        Status::InForce => "st-done",
        Status::PartlyExpired => "impl-late",
        Status::NotYetInForce => "st-in_progress",
        Status::Expired => "st-overdue",
    }
}

/// "12 kết quả cho “hòa giải”".
pub fn summary(total: usize, q: &str) -> String {
    let n = text_vi::format_int(i64::try_from(total).unwrap_or(i64::MAX));
    if q.is_empty() { format!("{n} kết quả") } else { format!("{n} kết quả cho “{q}”") }
}

/// "Không tìm thấy kết quả nào cho “…”".
pub fn nothing_found(q: &str) -> String {
    if q.is_empty() { "Không tìm thấy kết quả nào.".to_string() } else { format!("Không tìm thấy kết quả nào cho “{q}”. Hãy thử ít từ hơn, hoặc bỏ bớt bộ lọc.") }
}

/// The title of a results page.
pub fn page_title(q: &str, page: usize) -> String {
    let base = if q.is_empty() { TITLE.to_string() } else { format!("Tìm kiếm: {q}") };
    if page > 1 { format!("{base} (trang {page})") } else { base }
}
