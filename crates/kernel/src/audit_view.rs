//! How the audit log shows an entry to a person (nhật ký hệ thống): Vietnamese names of the
//! entities, actions and fields stored in English codes, and the before/after data as a list of
//! the fields that changed, never raw JSON. Pure functions; capabilities' codes are listed here
//! because the log is read in one place.

use serde_json::Value;

/// The Vietnamese name of an entity code.
pub fn entity_label(code: &str) -> &str {
    match code {
        "account" => "Tài khoản",
        "agency" => "Cơ quan",
        "unit" => "Đơn vị, thôn",
        "api_token" => "Mã truy cập API",
        "plan" => "Kế hoạch",
        "task" => "Nhiệm vụ",
        "report" => "Báo cáo",
        "report_round" => "Kỳ báo cáo",
        "report_schedule" => "Lịch báo cáo",
        "report_form" => "Biểu mẫu báo cáo",
        "reminder_job" => "Nhắc việc hằng ngày",
        "reminder_settings" => "Cài đặt nhắc việc",
        "notification" => "Thông báo",
        "survey" => "Khảo sát",
        "survey_response" => "Phiếu trả lời khảo sát",
        "mediation_team" => "Tổ hòa giải",
        "mediator" => "Hòa giải viên",
        "mediator_training" => "Bồi dưỡng hòa giải viên",
        "mediation_case" => "Vụ việc hòa giải",
        "mediation_book" => "Sổ theo dõi hòa giải",
        "mediation_payment" => "Thù lao hòa giải",
        "disseminator" => "Báo cáo viên, tuyên truyền viên",
        "dissem_activity" => "Hoạt động phổ biến pháp luật",
        "dissem_round" => "Đợt đăng ký tuyên truyền viên",
        "dissem_registration" => "Đăng ký tuyên truyền viên",
        "dissem_training" => "Bồi dưỡng báo cáo viên, tuyên truyền viên",
        "access_round" => "Đợt đánh giá chuẩn tiếp cận",
        "access_assessment" => "Hồ sơ đánh giá chuẩn tiếp cận",
        "access_ruleset" => "Bộ tiêu chí chuẩn tiếp cận",
        "access_evidence" => "Minh chứng",
        "access_disqualification" => "Trường hợp không xét công nhận",
        "access_comment" => "Ý kiến về kết quả tự đánh giá",
        "bookshelf_document" => "Văn bản pháp luật",
        "bookshelf_link" => "Liên kết văn bản",
        "bookshelf_material" => "Tài liệu phổ biến",
        "bookshelf_shelf_item" => "Tủ sách pháp luật của xã",
        "article" => "Tin bài",
        "portal_image" => "Ảnh của tin bài",
        "unit_contact" => "Thông tin liên hệ của đơn vị",
        "portal_category" => "Chuyên mục",
        "portal_campaign" => "Chiến dịch truyền thông",
        "inquiry" => "Câu hỏi, phản ánh",
        "inquiry_inbox" => "Hộp thư hỏi đáp",
        "inquiry_dialogue" => "Đối thoại chính sách",
        "contest" => "Cuộc thi",
        "contest_round" => "Vòng thi",
        "contest_question" => "Câu hỏi cuộc thi",
        "contest_questions" => "Ngân hàng câu hỏi",
        "contest_entrant" => "Người dự thi",
        "contest_certificate" => "Giấy chứng nhận cuộc thi",
        "draft" => "Dự thảo lấy ý kiến",
        "draft_comment" => "Ý kiến góp ý dự thảo",
        other => other,
    }
}

/// The Vietnamese name of an action code.
pub fn action_label(code: &str) -> &str {
    match code {
        "create" => "Tạo mới",
        "update" => "Sửa",
        "delete" => "Xóa",
        "login" => "Đăng nhập",
        "logout" => "Đăng xuất",
        "change_password" => "Đổi mật khẩu",
        "reset_password" => "Đặt lại mật khẩu",
        "request_password_reset" => "Yêu cầu đặt lại mật khẩu",
        "set_temporary_password" => "Đặt mật khẩu tạm thời",
        "activate" => "Kích hoạt",
        "deactivate" => "Vô hiệu hóa",
        "update_profile" => "Cập nhật thông tin cá nhân",
        "create_token" => "Cấp mã truy cập",
        "revoke_token" => "Thu hồi mã truy cập",
        "import" => "Nhập từ tệp",
        "issue" => "Ban hành",
        "close" => "Kết thúc",
        "copy" => "Sao chép",
        "remind" => "Đôn đốc",
        "track" => "Cập nhật tiến độ",
        "open" => "Mở kỳ",
        "submit" => "Gửi",
        "approve" => "Phê duyệt",
        "return" => "Trả lại",
        "unlock" => "Mở khóa",
        "comment" => "Góp ý",
        "run" => "Chạy",
        "answer" => "Trả lời",
        "route" => "Chuyển xử lý",
        "read" => "Xem",
        "export" => "Tải xuống",
        "publish" => "Đăng, công bố",
        "publish_results" => "Công bố kết quả",
        "register" => "Đăng ký",
        "verify" => "Xác nhận",
        "request_code" => "Yêu cầu mã xác nhận",
        "exclude" => "Loại khỏi xếp hạng",
        "reinstate" => "Đưa trở lại xếp hạng",
        "respond" => "Tiếp thu, giải trình",
        "report" => "Công bố tiếp thu, giải trình",
        other => other,
    }
}

/// The Vietnamese name of a field of the stored data.
fn field_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "username" => "Tên đăng nhập",
        "full_name" => "Họ và tên",
        "email" => "Thư điện tử",
        "role" => "Vai trò",
        "active" => "Đang hoạt động",
        "status" => "Trạng thái",
        "state" => "Tình trạng",
        "name" => "Tên",
        "abbreviation" => "Tên viết tắt",
        "aliases" => "Tên gọi khác",
        "kind_code" => "Loại",
        "kind" => "Loại",
        "title" => "Tên (trích yếu)",
        "number" => "Số, ký hiệu",
        "place" => "Địa danh",
        "issued_on" => "Ngày ban hành",
        "parent_body" => "Cơ quan chủ quản",
        "issuer" => "Cơ quan ban hành",
        "signer" => "Người ký",
        "signer_authority" => "Thẩm quyền ký",
        "signer_title" => "Chức vụ người ký",
        "period" => "Giai đoạn",
        "year" => "Năm",
        "recipients" => "Nơi nhận",
        "implementing_deadline" => "Hạn ban hành kế hoạch thực hiện",
        "cascade_level" => "Cấp phải triển khai",
        "path" => "Mục",
        "description" => "Nội dung",
        "form" => "Hình thức",
        "products" => "Sản phẩm",
        "funding" => "Kinh phí",
        "timeframe" => "Thời gian thực hiện",
        "deadline" => "Thời hạn",
        "recurrence" => "Lặp lại",
        "window_from" => "Từ ngày",
        "window_to" => "Đến ngày",
        "agencies" => "Cơ quan thực hiện",
        "written" => "Ghi trong văn bản",
        "progress" => "Tiến độ (%)",
        "tasks" => "Số nhiệm vụ",
        "sections" => "Số mục",
        "unmatched_agencies" => "Cơ quan chưa nhận diện",
        "days_before" => "Nhắc trước (ngày)",
        "due_on" => "Hạn nộp",
        "lock_after_days" => "Khóa sau hạn (ngày)",
        "unlocked_until" => "Mở khóa đến ngày",
        "reason" => "Lý do",
        "comment" => "Ý kiến",
        "text" => "Nội dung",
        "key" => "Chỉ tiêu",
        "values" => "Số liệu",
        "changed" => "Số chỉ tiêu thay đổi",
        "filler_level" => "Cấp báo cáo",
        "period_kind" => "Loại kỳ",
        "periods" => "Số kỳ",
        "members" => "Đơn vị báo cáo",
        "valid_from" => "Hiệu lực từ",
        "valid_to" => "Hiệu lực đến",
        "expires_at" => "Hết hạn",
        "access" => "Quyền",
        "source" => "Nguồn",
        "from" => "Từ",
        "to" => "Đến",
        "lock" => "Khóa",
        "message" => "Thông báo",
        "error" => "Lỗi",
        "notes" => "Ghi chú",
        "copied_from" => "Sao chép từ",
        "parent_plan" => "Kế hoạch cấp trên",
        "file_id" => "Tệp",
        "version" => "Phiên bản",
        "indicator" => "Chỉ tiêu",
        "value" => "Giá trị",
        "total" => "Kết quả",
        "recognisable" => "Đủ điều kiện công nhận",
        "note" => "Ghi chú",
        "code" => "Mã",
        "on" => "Ngày",
        "ruleset" => "Bộ tiêu chí",
        "ruleset_version" => "Phiên bản bộ tiêu chí",
        "communes" => "Số đơn vị cấp xã",
        "decision_no" => "Số quyết định",
        "decision_on" => "Ngày quyết định",
        "meeting_on" => "Ngày họp",
        "conclusion" => "Kết luận",
        "recognised" => "Số xã đạt chuẩn",
        "not_recognised" => "Số xã chưa đạt chuẩn",
        "first_year" => "Năm áp dụng đầu",
        "last_year" => "Năm áp dụng cuối",
        "length" => "Độ dài (ký tự)",
        "link" => "Đường dẫn",
        "num" => "Tử số",
        "den" => "Mẫu số",
        "yes" => "Có",
        "n" => "Số lượng",
        _ => return None,
    })
}

/// Fields that say nothing to a reader (identifiers, search keys, timestamps).
fn hidden(key: &str) -> bool {
    key == "id" || key.ends_with("_id") || key.ends_with("_key") || key.ends_with("_at") && key != "expires_at"
        || matches!(key, "version" | "position" | "match_key" | "password")
}

/// Vietnamese words for the codes stored as values.
fn value_label(s: &str) -> Option<&'static str> {
    Some(match s {
        "draft" => "Dự thảo / đang soạn",
        "issued" => "Đã ban hành",
        "closed" => "Đã kết thúc",
        "submitted" => "Đã gửi",
        "approved" => "Đã phê duyệt",
        "returned" => "Bị trả lại",
        "open" => "Đang mở",
        "planned" => "Chưa mở",
        "not_started" => "Chưa thực hiện",
        "in_progress" => "Đang thực hiện",
        "done" => "Hoàn thành",
        "lead" => "Chủ trì",
        "coordinating" => "Phối hợp",
        "commune" => "Cấp xã",
        "province" => "Cấp tỉnh",
        "none" => "Không",
        "half_year" => "6 tháng",
        "year" => "Năm",
        "quarter" => "Quý",
        "month" => "Tháng",
        "system_admin" => "Quản trị hệ thống",
        "unit_admin" => "Quản trị đơn vị",
        "justice_officer" => "Công chức tư pháp",
        "agency_focal" => "Đầu mối cơ quan",
        "council_member" => "Thành viên hội đồng",
        "viewer" => "Người xem",
        "self_assessed" => "Đã tự đánh giá",
        "posted" => "Đang niêm yết",
        "under_review" => "Đang thẩm định",
        "recognised" => "Đạt chuẩn",
        "not_recognised" => "Chưa đạt chuẩn",
        "revoked" => "Thu hồi công nhận",
        "ratio" => "Tỷ lệ",
        "yes_no" => "Có / không",
        "count" => "Số lượng",
        _ => return None,
    })
}

/// A value as a person reads it.
pub fn show_value(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => if *b { "Có" } else { "Không" }.into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => text_vi::format_int(i),
            None => n.as_f64().map(|f| text_vi::format_decimal(f, 2)).unwrap_or_default(),
        },
        Value::String(s) => {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                return text_vi::format_date(d);
            }
            let s = value_label(s).map(str::to_string).unwrap_or_else(|| s.clone());
            if s.chars().count() > 200 { format!("{} …", s.chars().take(200).collect::<String>()) } else { s }
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            if a.is_empty() { "—".into() } else { a.iter().map(show_value).collect::<Vec<_>>().join("; ") }
        }
        Value::Array(a) => format!("{} mục", a.len()),
        Value::Object(o) => format!("{} trường", o.len()),
    }
}

/// One changed field: (label, before, after); `before` or `after` is empty when that side has
/// no such field.
pub type Change = (String, String, String);

/// The fields of the data before and after an action, as changes a person can read: only the
/// fields that differ (all of them when one side is missing), identifiers left out.
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    let empty = serde_json::Map::new();
    let obj = |v: Option<&Value>| match v {
        Some(Value::Object(o)) => Some(o.clone()),
        _ => None,
    };
    let (b, a) = (obj(before), obj(after));
    let (bm, am) = (b.as_ref().unwrap_or(&empty), a.as_ref().unwrap_or(&empty));
    let mut keys: Vec<&String> = bm.keys().chain(am.keys()).collect();
    keys.dedup();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for k in keys {
        if !seen.insert(k.clone()) || hidden(k) {
            continue;
        }
        let (x, y) = (bm.get(k), am.get(k));
        if b.is_some() && a.is_some() && x == y {
            continue;
        }
        // Absent on one side of an edit: the field was not part of that form.
        if b.is_some() && a.is_some() && (x.is_none() || y.is_none()) {
            continue;
        }
        let label = field_label(k).map(str::to_string).unwrap_or_else(|| format!("Trường «{k}»"));
        out.push((label, x.map(show_value).unwrap_or_default(), y.map(show_value).unwrap_or_default()));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_status_change_reads_in_vietnamese() {
        let c = changes(Some(&json!({"state": "draft"})), Some(&json!({"state": "submitted"})));
        assert_eq!(c, vec![("Tình trạng".to_string(), "Dự thảo / đang soạn".to_string(), "Đã gửi".to_string())]);
    }

    #[test]
    fn only_what_changed_and_no_identifiers() {
        let before = json!({"id": 3, "unit_id": 7, "title": "A", "year": 2026, "issued_on": "2026-01-15", "version": 2});
        let after = json!({"title": "B", "year": 2026, "issued_on": "2026-02-01"});
        let c = changes(Some(&before), Some(&after));
        // In the stored data's key order.
        assert_eq!(c, vec![
            ("Ngày ban hành".to_string(), "15/01/2026".to_string(), "01/02/2026".to_string()),
            ("Tên (trích yếu)".to_string(), "A".to_string(), "B".to_string()),
        ]);
    }

    #[test]
    fn values_are_formatted() {
        assert_eq!(show_value(&json!(1234567)), "1.234.567");
        assert_eq!(show_value(&json!(true)), "Có");
        assert_eq!(show_value(&json!(["a", "b"])), "a; b");
        assert_eq!(show_value(&json!(null)), "—");
    }

    #[test]
    fn a_creation_lists_every_field() {
        let c = changes(None, Some(&json!({"username": "xa3", "role": "justice_officer"})));
        assert_eq!(c.len(), 2);
        assert!(c.contains(&("Vai trò".to_string(), String::new(), "Công chức tư pháp".to_string())));
    }
}
