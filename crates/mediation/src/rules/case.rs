//! The case workflow of the Law on Grassroots Mediation (Điều 16–24): how a case starts, its
//! statuses, the steps allowed from each, the 3-day start rule and who may be assigned.

use chrono::NaiveDate;

/// How a case started (căn cứ tiến hành hòa giải, Điều 16).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Một bên hoặc các bên đề nghị.
    PartyRequest,
    /// Hòa giải viên chứng kiến hoặc biết vụ, việc.
    MediatorWitnessed,
    /// Tổ trưởng tổ hòa giải phân công.
    LeaderAssigned,
    /// Cơ quan, tổ chức, cá nhân đề nghị.
    AgencyProposal,
}

pub const ORIGINS: [Origin; 4] = [Origin::PartyRequest, Origin::MediatorWitnessed, Origin::LeaderAssigned, Origin::AgencyProposal];

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::PartyRequest => "party_request",
            Origin::MediatorWitnessed => "mediator_witnessed",
            Origin::LeaderAssigned => "leader_assigned",
            Origin::AgencyProposal => "agency_proposal",
        }
    }
    pub fn parse(s: &str) -> Option<Origin> {
        ORIGINS.into_iter().find(|o| o.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Origin::PartyRequest => "Một bên hoặc các bên đề nghị",
            Origin::MediatorWitnessed => "Hòa giải viên chứng kiến hoặc biết vụ, việc",
            Origin::LeaderAssigned => "Tổ trưởng tổ hòa giải phân công",
            Origin::AgencyProposal => "Cơ quan, tổ chức, cá nhân đề nghị",
        }
    }
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Đã tiếp nhận.
    Received,
    /// Đã phân công hòa giải viên.
    Assigned,
    /// Đang hòa giải.
    InProgress,
    /// Hòa giải thành.
    Successful,
    /// Hòa giải không thành.
    Unsuccessful,
    /// Dừng hòa giải theo đề nghị của một bên hoặc các bên.
    Stopped,
    /// Chuyển cơ quan có thẩm quyền (UBND xã, công an).
    Referred,
    /// Không hòa giải: thuộc trường hợp pháp luật không cho hòa giải ở cơ sở.
    Refused,
}

pub const STATUSES: [Status; 8] =
    [Status::Received, Status::Assigned, Status::InProgress, Status::Successful, Status::Unsuccessful, Status::Stopped, Status::Referred, Status::Refused];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Assigned => "assigned",
            Status::InProgress => "in_progress",
            Status::Successful => "successful",
            Status::Unsuccessful => "unsuccessful",
            Status::Stopped => "stopped",
            Status::Referred => "referred",
            Status::Refused => "refused",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        STATUSES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Received => "Đã tiếp nhận",
            Status::Assigned => "Đã phân công",
            Status::InProgress => "Đang hòa giải",
            Status::Successful => "Hòa giải thành",
            Status::Unsuccessful => "Hòa giải không thành",
            Status::Stopped => "Dừng theo đề nghị của các bên",
            Status::Referred => "Đã chuyển cơ quan có thẩm quyền",
            Status::Refused => "Không thuộc phạm vi hòa giải",
        }
    }
    /// CSS badge class.
    pub fn badge(self) -> &'static str {
        match self {
            Status::Successful => "ok",
            Status::Unsuccessful | Status::Refused => "bad",
            Status::Stopped | Status::Referred => "muted",
            _ => "warn",
        }
    }
    /// Still being handled by the team.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Received | Status::Assigned | Status::InProgress)
    }
    /// A case the team took on (counted as received in the reports); a refused matter is not.
    pub fn is_case(self) -> bool {
        self != Status::Refused
    }
}

/// What happened to a successful agreement afterwards (theo dõi, đôn đốc thực hiện).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowUp {
    Complied,
    NotComplied,
    Monitoring,
}

pub const FOLLOW_UPS: [FollowUp; 3] = [FollowUp::Monitoring, FollowUp::Complied, FollowUp::NotComplied];

impl FollowUp {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUp::Complied => "complied",
            FollowUp::NotComplied => "not_complied",
            FollowUp::Monitoring => "monitoring",
        }
    }
    pub fn parse(s: &str) -> Option<FollowUp> {
        FOLLOW_UPS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            FollowUp::Complied => "Các bên đã thực hiện thỏa thuận",
            FollowUp::NotComplied => "Không thực hiện thỏa thuận",
            FollowUp::Monitoring => "Đang theo dõi, đôn đốc",
        }
    }
}

/// A step of the workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Assign,
    Start,
    Succeed,
    Fail,
    Stop,
    Refer,
    FollowUp,
}

impl Step {
    pub fn parse(s: &str) -> Option<Step> {
        Some(match s {
            "assign" => Step::Assign,
            "start" => Step::Start,
            "succeed" => Step::Succeed,
            "fail" => Step::Fail,
            "stop" => Step::Stop,
            "refer" => Step::Refer,
            "follow_up" => Step::FollowUp,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Assign => "assign",
            Step::Start => "start",
            Step::Succeed => "succeed",
            Step::Fail => "fail",
            Step::Stop => "stop",
            Step::Refer => "refer",
            Step::FollowUp => "follow_up",
        }
    }
}

/// The status after `step`, or `None` when the step is not allowed from `from`.
pub fn next(from: Status, step: Step) -> Option<Status> {
    use Status::*;
    Some(match (from, step) {
        (Received | Assigned, Step::Assign) => Assigned,
        (Assigned, Step::Start) => InProgress,
        (InProgress, Step::Succeed) => Successful,
        (InProgress, Step::Fail) => Unsuccessful,
        (Received | Assigned | InProgress, Step::Stop) => Stopped,
        (Received | Assigned | InProgress, Step::Refer) => Referred,
        (Successful, Step::FollowUp) => Successful,
        _ => return None,
    })
}

/// The steps allowed from a status, in the order a form offers them.
pub fn steps_from(from: Status) -> Vec<Step> {
    [Step::Assign, Step::Start, Step::Succeed, Step::Fail, Step::Stop, Step::Refer, Step::FollowUp]
        .into_iter()
        .filter(|s| next(from, *s).is_some())
        .collect()
}

/// Mediation should start within `within_days` of the assignment (Điều 20); a later start
/// needs a reason (urgent on the spot, or the parties agreed another time).
pub fn start_is_late(assigned_on: NaiveDate, started_on: NaiveDate, within_days: i64) -> bool {
    (started_on - assigned_on).num_days() > within_days
}

/// Whether a case with this outcome earns the team remuneration: a case conducted and ended
/// under Điều 23, successful or not (domain.md §3.6). Stopped and referred cases are not paid
/// (the texts were not read on this point).
pub fn payable_outcome(s: Status) -> Option<&'static str> {
    match s {
        Status::Successful => Some("successful"),
        Status::Unsuccessful => Some("unsuccessful"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_allows_only_the_laws_order() {
        assert_eq!(next(Status::Received, Step::Start), None);
        assert_eq!(next(Status::Received, Step::Assign), Some(Status::Assigned));
        assert_eq!(next(Status::Assigned, Step::Start), Some(Status::InProgress));
        assert_eq!(next(Status::InProgress, Step::Succeed), Some(Status::Successful));
        assert_eq!(next(Status::Successful, Step::Fail), None);
        assert_eq!(next(Status::Refused, Step::Assign), None);
        assert_eq!(next(Status::Successful, Step::FollowUp), Some(Status::Successful));
        assert_eq!(next(Status::Unsuccessful, Step::FollowUp), None);
        for s in STATUSES {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            for st in steps_from(s) {
                assert!(next(s, st).is_some());
            }
        }
    }

    #[test]
    fn three_day_rule() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        assert!(!start_is_late(d(3, 1), d(3, 4), 3));
        assert!(start_is_late(d(3, 1), d(3, 5), 3));
        assert!(!start_is_late(d(2, 27), d(3, 2), 3));
    }
}
