//! Messages of the legal bookshelf (errors, notices, audit summaries), in Vietnamese.

pub const NUMBER_REQUIRED: &str = "Hãy nhập số hiệu văn bản, ví dụ 35/2013/QH13.";
pub const NUMBER_TAKEN: &str = "Đã có văn bản với số hiệu này trong tủ sách.";
pub const TYPE_REQUIRED: &str = "Hãy chọn loại văn bản.";
pub const TITLE_REQUIRED: &str = "Hãy nhập tên (trích yếu) văn bản.";
pub const MATERIAL_TITLE_REQUIRED: &str = "Hãy nhập tên tài liệu.";
pub const ISSUER_REQUIRED: &str = "Hãy nhập cơ quan ban hành.";
pub const DATE_REQUIRED: &str = "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 01/01/2014.";
pub const DATE_FORMAT: &str = "Ngày không đúng dạng ngày/tháng/năm, ví dụ 01/01/2014.";
pub const IN_FORCE_BEFORE_ISSUED: &str = "Ngày có hiệu lực không được trước ngày ban hành.";
pub const EXPIRES_BEFORE_IN_FORCE: &str = "Ngày hết hiệu lực phải sau ngày có hiệu lực.";
pub const FIELD_UNKNOWN: &str = "Có lĩnh vực không có trong danh mục.";
pub const URL: &str = "Đường dẫn phải bắt đầu bằng http:// hoặc https://.";
pub const VBPL_URL: &str = "Đường dẫn tới Cơ sở dữ liệu quốc gia về pháp luật phải thuộc vbpl.vn.";
pub const LINK_TARGET: &str = "Hãy nhập số hiệu của một văn bản đã có trong tủ sách.";
pub const LINK_SELF: &str = "Một văn bản không thể tự liên kết với chính nó.";
pub const LINK_KIND: &str = "Hãy chọn: sửa đổi, bổ sung; thay thế; hoặc bãi bỏ.";
pub const LINK_EXISTS: &str = "Liên kết này đã có.";
pub const LINK_TARGET_LATER: &str = "Văn bản được sửa đổi, thay thế hoặc bãi bỏ phải ban hành trước văn bản này.";
pub const KIND_REQUIRED: &str = "Hãy chọn loại tài liệu.";
pub const GROUP_UNKNOWN: &str = "Có nhóm đối tượng không có trong danh mục.";
pub const VIDEO_NEEDS_LINK: &str = "Video cần đường dẫn để xem.";
pub const ITEM_REQUIRED: &str = "Hãy chọn một văn bản hoặc một tài liệu.";
pub const ITEM_HELD: &str = "Tủ sách đã có văn bản, tài liệu này.";
pub const DATE_FUTURE: &str = "Ngày không được sau hôm nay.";
pub const REMOVED_BEFORE_ADDED: &str = "Ngày đưa ra khỏi tủ sách không được trước ngày bổ sung.";
pub const NOT_A_COMMUNE: &str = "Tủ sách pháp luật được theo dõi theo xã, phường, đặc khu.";
pub const PERIOD: &str = "Khoảng thời gian không hợp lệ: ngày bắt đầu phải trước ngày kết thúc.";

/// Notices passed through a redirect as `?tb=key`.
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "document_saved" => "Đã lưu văn bản.",
        "link_saved" => "Đã thêm liên kết giữa hai văn bản.",
        "link_removed" => "Đã xóa liên kết.",
        "file_saved" => "Đã tải tệp lên.",
        "material_saved" => "Đã lưu tài liệu.",
        "item_added" => "Đã bổ sung vào tủ sách.",
        "item_removed" => "Đã ghi nhận việc đưa ra khỏi tủ sách.",
        _ => return None,
    })
}

pub const HOME_DOCUMENTS: &str = "Văn bản trong tủ sách pháp luật";
pub const HOME_SHELF: &str = "Văn bản, tài liệu trong tủ sách pháp luật của xã";

pub fn prefill_source(unit: &str) -> String {
    format!("Tủ sách pháp luật của các xã thuộc {unit}")
}

// --- audit summaries
pub fn audit_document(number: &str, title: &str) -> String {
    format!("Lưu văn bản {number}: {title}")
}
pub fn audit_link(label: &str, source: &str, target: &str) -> String {
    format!("{label}: văn bản {source} đối với văn bản {target}")
}
pub fn audit_unlink(source: &str, target: &str) -> String {
    format!("Xóa liên kết giữa văn bản {source} và văn bản {target}")
}
pub fn audit_file(what: &str) -> String {
    format!("Tải lên tệp của {what}")
}
pub fn audit_material(title: &str) -> String {
    format!("Lưu tài liệu phổ biến pháp luật: {title}")
}
pub fn audit_shelf_add(commune: &str, item: &str) -> String {
    format!("Bổ sung vào tủ sách pháp luật của {commune}: {item}")
}
pub fn audit_shelf_remove(commune: &str, item: &str) -> String {
    format!("Đưa ra khỏi tủ sách pháp luật của {commune}: {item}")
}
pub const AUDIT_DEMO: &str = "Nạp dữ liệu mẫu của tủ sách pháp luật";

// Page titles and labels the pages build.
pub const TITLE_MANAGE: &str = "Quản lý tủ sách pháp luật";
pub const EXTENT_WHOLE_PAREN: &str = " (toàn bộ)";
pub const EXTENT_PART_PAREN: &str = " (một phần)";
pub const TITLE_NEW_DOCUMENT: &str = "Thêm văn bản pháp luật";
pub const TITLE_NEW_MATERIAL: &str = "Thêm tài liệu phổ biến, giáo dục pháp luật";
pub const TITLE_SHELF: &str = "Tủ sách pháp luật";
pub const EXTENT_WHOLE: &str = "toàn bộ";
pub const EXTENT_PART: &str = "một phần";
pub const FACT_NUMBER: &str = "Số hiệu";
pub const FACT_TYPE: &str = "Loại văn bản";
pub const FACT_ISSUER: &str = "Cơ quan ban hành";
pub const FACT_SIGNER: &str = "Người ký";
pub const FACT_ISSUED: &str = "Ngày ban hành";
pub const FACT_IN_FORCE: &str = "Ngày có hiệu lực";
pub const FACT_EXPIRES: &str = "Ngày hết hiệu lực";
pub const TITLE_MATERIALS: &str = "Tài liệu phổ biến, giáo dục pháp luật";
pub const UPDATE_ADDED: &str = "Bổ sung";
pub const UPDATE_REMOVED: &str = "Đưa ra";

/// A link as the document's management page lists it: "Thay thế văn bản 45/2013/QH13 (toàn bộ) từ ngày 01/8/2024".
pub fn link_text(label: &str, number: &str, extent: &str, from: &str) -> String {
    format!("{label} văn bản {number}{extent} từ ngày {from}")
}

pub fn title_document(number: &str) -> String {
    format!("Văn bản {number}")
}

pub fn title_update_shelf(unit: &str) -> String {
    format!("Cập nhật tủ sách pháp luật của {unit}")
}

pub fn title_commune_shelf(unit: &str) -> String {
    format!("Tủ sách pháp luật của {unit}")
}

// ---------------------------------------------------------------- a commune's public page

pub const PUBLIC_HEADING: &str = "Tủ sách pháp luật";
pub const PUBLIC_MORE: &str = "Xem tủ sách pháp luật của xã";
pub fn public_summary(held: usize) -> String {
    format!("Tủ sách đang có {} văn bản, tài liệu.", text_vi::format_int(held as i64))
}
pub fn public_added(day: &str) -> String {
    format!("đưa vào tủ sách ngày {day}")
}
