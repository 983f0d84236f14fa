//! Vietnamese messages produced by report validation and the report state machine.

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("«{n}»"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn unknown_indicator(code: &str) -> String {
    format!("Chỉ tiêu «{code}» không có trong biểu mẫu.")
}

pub fn unknown_disaggregation(name: &str, key: &str) -> String {
    format!("Chỉ tiêu «{name}» không có phân tổ «{key}».")
}

pub fn negative(name: &str) -> String {
    format!("Chỉ tiêu «{name}» không được là số âm.")
}

pub fn not_integer(name: &str) -> String {
    format!("Chỉ tiêu «{name}» phải là số nguyên.")
}

pub fn not_number(name: &str) -> String {
    format!("Chỉ tiêu «{name}» phải là số.")
}

pub fn not_text(name: &str) -> String {
    format!("Chỉ tiêu «{name}» phải là văn bản.")
}

pub fn over_hundred(name: &str) -> String {
    format!("Tỷ lệ «{name}» không được lớn hơn 100%.")
}

pub fn parts_not_equal_total(name: &str, dimension: &str, sum: i64, total: i64) -> String {
    format!(
        "Tổng các phân tổ theo «{dimension}» của chỉ tiêu «{name}» ({sum}) phải bằng tổng số ({total})."
    )
}

pub fn member_over_total(name: &str, member: &str, value: i64, total: i64) -> String {
    format!(
        "Số liệu «{member}» của chỉ tiêu «{name}» ({value}) không được lớn hơn tổng số ({total})."
    )
}

pub fn rule_sum_le(parts: &[String], sum: i64, total: &str, t: i64) -> String {
    if parts.len() == 1 {
        format!(
            "{} ({sum}) không được lớn hơn «{total}» ({t}).",
            quoted(parts)
        )
    } else {
        format!(
            "Tổng của {} ({sum}) không được lớn hơn «{total}» ({t}).",
            quoted(parts)
        )
    }
}

pub fn rule_sum_eq(parts: &[String], sum: i64, total: &str, t: i64) -> String {
    format!(
        "Tổng của {} ({sum}) phải bằng «{total}» ({t}).",
        quoted(parts)
    )
}

pub const TRANSITION_NOT_ALLOWED: &str =
    "Không thể thực hiện thao tác này ở trạng thái hiện tại của báo cáo.";
