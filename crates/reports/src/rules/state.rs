//! Report workflow (trạng thái báo cáo): draft → submitted → approved | returned → resubmitted…
//! Only approved reports count in aggregates.

use serde::{Deserialize, Serialize};

use super::msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Dự thảo: being filled by the reporting unit.
    Draft,
    /// Đã gửi: waiting for the receiving unit.
    Submitted,
    /// Đã duyệt: counted in aggregates.
    Approved,
    /// Trả lại: sent back for correction.
    Returned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportEvent {
    /// Gửi (also re-submission after a return).
    Submit,
    /// Trả lại, from submitted, or re-opening an approved report.
    Return,
    /// Duyệt.
    Approve,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{from:?} --{event:?}--> not allowed")]
pub struct TransitionError {
    pub from: ReportState,
    pub event: ReportEvent,
}

impl TransitionError {
    pub fn message_vi(&self) -> &'static str {
        msg::TRANSITION_NOT_ALLOWED
    }
}

impl ReportState {
    /// The state after `event`, or an error when the event is not allowed.
    pub fn apply(self, event: ReportEvent) -> Result<ReportState, TransitionError> {
        use ReportEvent as E;
        use ReportState as S;
        match (self, event) {
            (S::Draft | S::Returned, E::Submit) => Ok(S::Submitted),
            (S::Submitted | S::Approved, E::Return) => Ok(S::Returned),
            (S::Submitted, E::Approve) => Ok(S::Approved),
            (from, event) => Err(TransitionError { from, event }),
        }
    }

    /// Whether the figures may be edited (draft or returned).
    pub fn editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }

    /// Whether the figures count in aggregates.
    pub fn counts(self) -> bool {
        self == ReportState::Approved
    }
}
