//! Vietnamese messages of the portal: article and category validation, the workflow, the
//! flash notices, the home page.

// ---------------------------------------------------------------- articles

pub const TITLE_MISSING: &str = "Hãy nhập tiêu đề.";
pub const TITLE_TOO_LONG: &str = "Tiêu đề dài tối đa 250 ký tự.";
pub const SUMMARY_TOO_LONG: &str = "Tóm tắt dài tối đa 600 ký tự.";
pub const BODY_TOO_LONG: &str = "Nội dung dài tối đa 200.000 ký tự.";
pub const SLUG_FORMAT: &str = "Đường dẫn chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (tối đa 80 ký tự), ví dụ ngay-phap-luat-9-11.";
pub const SLUG_TAKEN: &str = "Đường dẫn này đã được dùng cho một tin bài khác.";
pub const KIND_UNKNOWN: &str = "Hãy chọn loại nội dung.";
pub const CATEGORY_UNKNOWN: &str = "Chuyên mục đã chọn không có.";
pub const CAMPAIGN_UNKNOWN: &str = "Chiến dịch đã chọn không có.";
pub const TAGS_TOO_MANY: &str = "Mỗi tin bài có tối đa 10 nhãn.";
pub const TAG_TOO_LONG: &str = "Mỗi nhãn dài tối đa 40 ký tự.";
pub const WHEN_FORMAT: &str = "Hãy nhập ngày giờ dạng dd/mm/yyyy hoặc dd/mm/yyyy hh:mm, ví dụ 09/11/2026 07:30.";
pub const SCHEDULE_ORDER: &str = "Thời điểm gỡ phải sau thời điểm đăng.";
pub const REASON_MISSING: &str = "Hãy nêu lý do trả lại để người viết sửa.";
pub const REASON_TOO_LONG: &str = "Lý do dài tối đa 1.000 ký tự.";
pub const STEP_NOT_ALLOWED: &str = "Không thể thực hiện thao tác này ở trạng thái hiện tại của tin bài.";
pub const FORM_HAS_ERRORS: &str = "Biểu mẫu còn lỗi.";

// ---------------------------------------------------------------- categories and campaigns

pub const NAME_MISSING: &str = "Hãy nhập tên.";
pub const NAME_TOO_LONG: &str = "Tên dài tối đa 120 ký tự.";
pub const CATEGORY_TAKEN: &str = "Đã có chuyên mục với đường dẫn này.";
pub const CAMPAIGN_TAKEN: &str = "Đã có chiến dịch với đường dẫn này.";
pub const DATE_FORMAT: &str = "Hãy nhập ngày dạng dd/mm/yyyy.";
pub const DATES_ORDER: &str = "Ngày kết thúc không được trước ngày bắt đầu.";
pub const DESCRIPTION_TOO_LONG: &str = "Mô tả dài tối đa 1.000 ký tự.";

// ---------------------------------------------------------------- public pages

/// The site's name in the public header and feeds.
pub const SITE_NAME: &str = "Cổng thông tin phổ biến, giáo dục pháp luật";
pub const SITE_DESCRIPTION: &str = "Tin tức, chiến dịch và tài liệu phổ biến, giáo dục pháp luật.";
pub const NEWS_TITLE: &str = "Tin tức";
/// The public site's home page.
pub const HOME_TITLE: &str = "Trang chủ";
pub fn tag_title(name: &str) -> String {
    format!("Tin tức gắn nhãn «{name}»")
}
pub fn page_title(base: &str, page: i64) -> String {
    if page > 1 { format!("{base} – trang {page}") } else { base.to_string() }
}

// ---------------------------------------------------------------- audit

pub fn audit_created(title: &str) -> String {
    format!("Tạo tin bài «{title}»")
}
pub fn audit_saved(title: &str, version: i64) -> String {
    format!("Sửa tin bài «{title}» (phiên bản {version})")
}
pub fn audit_image(title: &str) -> String {
    format!("Tải ảnh lên cho tin bài «{title}»")
}
/// A body naming a picture that does not exist.
pub fn image_unknown(token: &str) -> String {
    format!("Không có ảnh “anh:{token}”. Hãy tải ảnh lên ở mục Ảnh của bài rồi chép đúng mã ảnh vào nội dung.")
}
pub const IMAGE_ALT_MISSING: &str = "Nhập mô tả ảnh (cho người đọc bằng trình đọc màn hình và khi ảnh chưa tải được).";
pub const IMAGE_ALT_TOO_LONG: &str = "Mô tả ảnh tối đa 300 ký tự.";
pub const IMAGES_TOO_MANY: &str = "Một bài viết hiển thị tối đa 100 ảnh.";
pub const IMAGE_SLOW: &str = "Không xử lý kịp ảnh này. Hãy thử một ảnh nhỏ hơn.";
pub fn audit_step(step: &str, title: &str) -> String {
    format!("{step} tin bài «{title}»")
}
pub fn audit_category(name: &str) -> String {
    format!("Thêm chuyên mục «{name}»")
}
pub fn audit_campaign(name: &str) -> String {
    format!("Thêm chiến dịch «{name}»")
}
pub const STEP_SUBMIT: &str = "Gửi duyệt";
pub const STEP_PUBLISH: &str = "Duyệt và đăng";
pub const STEP_RETURN: &str = "Trả lại";
pub const STEP_UNPUBLISH: &str = "Gỡ";

// ---------------------------------------------------------------- home

pub const HOME_WAITING: &str = "Duyệt tin bài";
pub const HOME_RETURNED: &str = "Sửa tin bài bị trả lại";
pub const HOME_PUBLIC: &str = "Tin bài đang hiển thị";

// ---------------------------------------------------------------- flash notices

/// Notices passed through a redirect as `?tb=key`.
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "created" => "Đã tạo bản nháp.",
        "saved" => "Đã lưu (phiên bản mới).",
        "image_saved" => "Đã tải ảnh lên. Chép mã ảnh vào nội dung bài rồi lưu.",
        "submitted" => "Đã gửi duyệt.",
        "published" => "Đã duyệt và đăng.",
        "returned" => "Đã trả lại cho người viết.",
        "unpublished" => "Đã gỡ tin bài khỏi cổng thông tin.",
        "category_added" => "Đã thêm chuyên mục.",
        "campaign_added" => "Đã thêm chiến dịch.",
        _ => return None,
    })
}

// ---------------------------------------------------------------- page fragments

pub const ALL: &str = "Tất cả";
pub const NONE: &str = "(không)";
pub const LIST_TITLE: &str = "Tin bài";
pub const NEW_TITLE: &str = "Viết tin bài";
pub const LISTS_TITLE: &str = "Chuyên mục và chiến dịch";
pub const EXPIRED: &str = "đã hết hạn hiển thị";
pub fn scheduled(when: &str) -> String {
    format!("hẹn đăng {when}")
}
pub fn shown_until(when: &str) -> String {
    format!("hiển thị đến {when}")
}
pub fn version_title(title: &str, version: i64) -> String {
    format!("{title} – phiên bản {version}")
}
pub fn campaign_dates(from: &str, to: &str) -> String {
    format!("Từ {from} đến {to}.")
}
pub fn waiting_detail(n: i64) -> String {
    format!("{n} tin bài chờ duyệt")
}
pub fn returned_detail(n: i64) -> String {
    format!("{n} tin bài bị trả lại")
}

/// An edit or a workflow step on an article someone saved or moved since the page was opened.
pub const STALE: &str = "Bài viết vừa được người khác sửa hoặc chuyển bước sau khi bạn mở trang. Hãy tải lại trang, xem bản mới nhất rồi thực hiện lại; nội dung bạn vừa nhập vẫn còn trong ô bên dưới nếu bạn đang sửa bài.";

/// A commune's article made a static page.
pub const PAGE_PROVINCE_ONLY: &str = "Trang tĩnh hiển thị trên toàn cổng thông tin nên chỉ cấp tỉnh tạo; hãy chọn loại “Tin bài”.";
/// A commune's article marked as featured.
pub const FEATURED_PROVINCE_ONLY: &str = "Tin nổi bật đứng đầu trang tin tức của cả tỉnh nên chỉ cấp tỉnh đánh dấu; hãy bỏ chọn ô này.";

// ---------------------------------------------------------------- units' public pages

pub const UNITS_TITLE: &str = "Địa phương";
pub const UNITS_DESCRIPTION: &str = "Trang của từng tỉnh, thành phố và xã, phường, đặc khu: thông tin liên hệ, công chức tư pháp, tổ hòa giải, kết quả chuẩn tiếp cận pháp luật, tủ sách pháp luật và tin bài.";
pub fn unit_description(name: &str, parent: &str) -> String {
    format!("{name}, {parent}: thông tin liên hệ, công chức tư pháp, hòa giải ở cơ sở, chuẩn tiếp cận pháp luật, tủ sách pháp luật và tin bài.")
}
pub fn unit_description_top(name: &str) -> String {
    format!("{name}: thông tin liên hệ, công chức tư pháp, hòa giải ở cơ sở, chuẩn tiếp cận pháp luật và tin bài.")
}
/// What an abolished unit became, and from when.
pub fn unit_since(day: &str, partly: bool) -> String {
    if partly { format!("một phần, từ ngày {day}") } else { format!("từ ngày {day}") }
}
pub fn unit_merged_on(day: &str) -> String {
    format!("đến ngày {day}")
}
