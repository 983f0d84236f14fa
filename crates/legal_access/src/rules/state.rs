//! The life of a commune's yearly assessment (hồ sơ đánh giá chuẩn tiếp cận pháp luật).

use serde::{Deserialize, Serialize};

/// Where an assessment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Đang tự đánh giá: the commune enters its figures.
    Draft,
    /// Đã tự đánh giá: the commune has closed its self-assessment (the chair's report).
    SelfAssessed,
    /// Đang niêm yết: posted publicly for the posting period.
    Posted,
    /// Đã gửi hồ sơ: the dossier is with the council.
    Submitted,
    /// Đang thẩm định: the council has started its review.
    UnderReview,
    /// Trả lại để bổ sung: returned for more evidence.
    Returned,
    /// Được công nhận đạt chuẩn.
    Recognised,
    /// Không được công nhận.
    NotRecognised,
    /// Bị thu hồi công nhận.
    Revoked,
}

pub const ALL: [Status; 9] = [
    Status::Draft,
    Status::SelfAssessed,
    Status::Posted,
    Status::Submitted,
    Status::UnderReview,
    Status::Returned,
    Status::Recognised,
    Status::NotRecognised,
    Status::Revoked,
];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::SelfAssessed => "self_assessed",
            Status::Posted => "posted",
            Status::Submitted => "submitted",
            Status::UnderReview => "under_review",
            Status::Returned => "returned",
            Status::Recognised => "recognised",
            Status::NotRecognised => "not_recognised",
            Status::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Đang tự đánh giá",
            Status::SelfAssessed => "Đã tự đánh giá",
            Status::Posted => "Đang niêm yết",
            Status::Submitted => "Đã gửi hồ sơ",
            Status::UnderReview => "Đang thẩm định",
            Status::Returned => "Trả lại bổ sung",
            Status::Recognised => "Đạt chuẩn",
            Status::NotRecognised => "Chưa đạt chuẩn",
            Status::Revoked => "Thu hồi công nhận",
        }
    }

    /// CSS badge class of the kernel (`u-*`).
    pub fn badge(self) -> &'static str {
        match self {
            Status::Draft => "u-open",
            Status::SelfAssessed | Status::Posted => "u-soon",
            Status::Submitted | Status::UnderReview => "u-waiting",
            Status::Returned | Status::NotRecognised | Status::Revoked => "u-overdue",
            Status::Recognised => "st-done",
        }
    }

    /// The commune may enter figures and evidence.
    pub fn commune_edits(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }

    /// The council may adjust values, return or conclude.
    pub fn council_reviews(self) -> bool {
        matches!(self, Status::Submitted | Status::UnderReview)
    }

    /// The result has been decided.
    pub fn decided(self) -> bool {
        matches!(self, Status::Recognised | Status::NotRecognised | Status::Revoked)
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The commune closes its self-assessment (all figures entered).
    Finish,
    /// The commune reopens a closed self-assessment that is not yet posted.
    Reopen,
    /// Public posting starts.
    Post,
    /// The dossier is sent.
    Submit,
    /// The council adjusts a value.
    Adjust,
    /// The council returns the dossier.
    Return,
    /// The chair's decision: recognised.
    Recognise,
    /// The chair's decision: not recognised.
    Refuse,
    /// A recognition is withdrawn.
    Revoke,
}

/// The status after `step`, or `None` when the step is not allowed from `from`.
/// `posted_before`: the self-assessment has been posted once (a returned dossier that is
/// closed again may be sent without posting again).
pub fn next(from: Status, step: Step, posted_before: bool) -> Option<Status> {
    use Status::*;
    match (from, step) {
        (Draft | Returned, Step::Finish) => Some(SelfAssessed),
        (SelfAssessed, Step::Reopen) => Some(if posted_before { Returned } else { Draft }),
        (SelfAssessed, Step::Post) if !posted_before => Some(Posted),
        (Posted, Step::Submit) => Some(Submitted),
        (SelfAssessed, Step::Submit) if posted_before => Some(Submitted),
        (Submitted | UnderReview, Step::Adjust) => Some(UnderReview),
        (Submitted | UnderReview, Step::Return) => Some(Returned),
        (Submitted | UnderReview, Step::Recognise) => Some(Recognised),
        (Submitted | UnderReview, Step::Refuse) => Some(NotRecognised),
        (Recognised, Step::Revoke) => Some(Revoked),
        _ => None,
    }
}

/// Adds `n` working days (Monday to Friday) to `from`: the end of the posting period.
/// Public holidays are not known here; the officer can correct the end date.
pub fn add_working_days(from: chrono::NaiveDate, n: u32) -> chrono::NaiveDate {
    use chrono::{Datelike, Weekday};
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_and_refusals() {
        let s = next(Status::Draft, Step::Finish, false).and_then(|s| next(s, Step::Post, false));
        assert_eq!(s, Some(Status::Posted));
        assert_eq!(next(Status::Posted, Step::Submit, true), Some(Status::Submitted));
        assert_eq!(next(Status::Submitted, Step::Finish, true), None, "no editing after submission");
        assert_eq!(next(Status::Draft, Step::Submit, false), None, "no dossier before posting");
        assert_eq!(next(Status::Recognised, Step::Revoke, true), Some(Status::Revoked));
        assert_eq!(next(Status::Returned, Step::Finish, true).and_then(|s| next(s, Step::Submit, true)), Some(Status::Submitted));
    }

    #[test]
    fn ten_working_days_skip_weekends() {
        let mon = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default();
        assert_eq!(add_working_days(mon, 10), chrono::NaiveDate::from_ymd_opt(2027, 1, 18).unwrap_or_default());
    }
}
