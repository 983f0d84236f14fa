//! The cells of the periodic legal-access report (biểu TCPL of the reports capability) that the
//! assessments answer, counted from the assessments' states. Pure: the caller reads the states.

use super::state::Status;

/// Key of the cell "Tổng số đơn vị hành chính cấp xã".
pub const COMMUNES_TOTAL: &str = "communes_total";
/// Key of the cell "Số xã được đánh giá".
pub const COMMUNES_ASSESSED: &str = "communes_assessed";
/// Key of the cell "Số xã được công nhận đạt chuẩn tiếp cận pháp luật".
pub const COMMUNES_RECOGNISED: &str = "communes_recognised";
/// Not a cell of today's form; offered for a form version that asks it (keys a form lacks are
/// ignored by the reports).
pub const COMMUNES_NOT_RECOGNISED: &str = "communes_not_recognised";

/// Whether an assessment in this state counts as assessed: the commune closed its
/// self-assessment (every state after the draft), including those returned, refused or revoked.
pub fn assessed(s: Status) -> bool {
    s != Status::Draft
}

/// The report's cells, given the communes in force at the period's end and the state of every
/// assessment of the period's years in the unit's subtree (one entry per assessment). A
/// recognition later revoked is not counted as recognised.
pub fn cells(communes_in_force: i64, states: &[Status]) -> Vec<(&'static str, i64)> {
    let count = |f: &dyn Fn(Status) -> bool| states.iter().filter(|s| f(**s)).count() as i64;
    vec![
        (COMMUNES_TOTAL, communes_in_force),
        (COMMUNES_ASSESSED, count(&assessed)),
        (COMMUNES_RECOGNISED, count(&|s| s == Status::Recognised)),
        (COMMUNES_NOT_RECOGNISED, count(&|s| s == Status::NotRecognised)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_state_once_and_recognised_within_assessed() {
        let states = [
            Status::Draft,
            Status::SelfAssessed,
            Status::Submitted,
            Status::Recognised,
            Status::Recognised,
            Status::NotRecognised,
            Status::Revoked,
        ];
        let c: std::collections::BTreeMap<_, _> = cells(9, &states).into_iter().collect();
        assert_eq!(c[COMMUNES_TOTAL], 9);
        assert_eq!(c[COMMUNES_ASSESSED], 6);
        assert_eq!(c[COMMUNES_RECOGNISED], 2);
        assert_eq!(c[COMMUNES_NOT_RECOGNISED], 1);
    }

    #[test]
    fn nothing_assessed_gives_zeros() {
        let c: std::collections::BTreeMap<_, _> = cells(3, &[]).into_iter().collect();
        assert_eq!((c[COMMUNES_ASSESSED], c[COMMUNES_RECOGNISED]), (0, 0));
    }
}
