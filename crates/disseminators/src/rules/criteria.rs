//! The Art. 35 check of a reporter's qualification and experience against a criteria version.
//! A failed check is a warning shown on the record, not a refusal: the recognising authority
//! decides.

use super::catalogue::CriteriaVersion;
use super::kinds::Qualification;

/// Why a reporter does not meet the criteria, in Vietnamese; `None` when they do.
pub fn reporter_warning(c: &CriteriaVersion, q: Qualification, years: i64) -> Option<String> {
    match q {
        Qualification::Law if years >= c.law_degree_min_years => None,
        Qualification::OtherDegree if years >= c.other_degree_min_years => None,
        Qualification::Law => Some(format!(
            "Có bằng cử nhân luật nhưng mới có {years} năm công tác trong lĩnh vực pháp luật (cần ít nhất {} năm) theo {}.",
            c.law_degree_min_years, c.legal_basis
        )),
        Qualification::OtherDegree => Some(format!(
            "Có bằng đại học khác nhưng mới có {years} năm công tác liên quan đến pháp luật (cần ít nhất {} năm) theo {}.",
            c.other_degree_min_years, c.legal_basis
        )),
        Qualification::Other => Some(format!("Chưa có bằng đại học, chưa đủ tiêu chuẩn về trình độ theo {}.", c.legal_basis)),
    }
}
