//! The editorial workflow (quy trình biên tập) and what the public sees.
//!
//! draft (nháp) → submitted (chờ duyệt) → published (đã đăng), or returned (bị trả lại) with a
//! reason; a published article can be unpublished (đã gỡ). Writers (the Editor role and the
//! approvers) edit drafts, returned and unpublished articles and submit them; approvers (a
//! justice officer of the unit or above) also edit submitted and published ones, publish,
//! return and unpublish. A published article is public from `publish_at` until
//! `unpublish_at`, compared with the time of reading: scheduling needs no job.

use chrono::{DateTime, Utc};

/// An article's editorial status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Draft,
    Submitted,
    Returned,
    Published,
    Unpublished,
}

pub const ALL_STATUSES: [Status; 5] = [Status::Draft, Status::Submitted, Status::Returned, Status::Published, Status::Unpublished];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        ALL_STATUSES.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Nháp",
            Status::Submitted => "Chờ duyệt",
            Status::Returned => "Bị trả lại",
            Status::Published => "Đã đăng",
            Status::Unpublished => "Đã gỡ",
        }
    }
}

/// A kind of content: a news article or a static page (trang tĩnh).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    News,
    Page,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Page => "page",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "news" => Some(Kind::News),
            "page" => Some(Kind::Page),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::News => "Tin bài",
            Kind::Page => "Trang tĩnh",
        }
    }

    /// The public address of a content of this kind.
    pub fn public_path(self, slug: &str) -> String {
        match self {
            Kind::News => format!("/tin-tuc/{slug}"),
            Kind::Page => format!("/trang/{slug}"),
        }
    }
}

/// A step of the workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Save the text (a new version).
    Edit,
    /// Send for approval (gửi duyệt).
    Submit,
    /// Approve and publish (duyệt và đăng), possibly scheduled.
    Publish,
    /// Send back with a reason (trả lại).
    Return,
    /// Take down (gỡ xuống).
    Unpublish,
}

/// Whether `step` may be taken on an article in `status` by a writer (`approver` false) or an
/// approver.
pub fn allowed(step: Step, status: Status, approver: bool) -> bool {
    use Status::*;
    match step {
        Step::Edit => matches!(status, Draft | Returned | Unpublished) || approver,
        Step::Submit => matches!(status, Draft | Returned | Unpublished),
        Step::Publish => approver && matches!(status, Draft | Submitted | Returned | Unpublished),
        Step::Return => approver && status == Submitted,
        Step::Unpublish => approver && status == Published,
    }
}

/// The status after `step` (Edit keeps it).
pub fn after(step: Step, status: Status) -> Status {
    match step {
        Step::Edit => status,
        Step::Submit => Status::Submitted,
        Step::Publish => Status::Published,
        Step::Return => Status::Returned,
        Step::Unpublish => Status::Unpublished,
    }
}

/// Whether an article is public at `now`: published, its scheduled start (if any) reached and
/// its end (if any) not yet.
pub fn is_public(status: Status, publish_at: Option<DateTime<Utc>>, unpublish_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == Status::Published && publish_at.is_none_or(|t| t <= now) && unpublish_at.is_none_or(|t| now < t)
}

/// What a published article is at `now`, for the editors' list: waiting for its time
/// (hẹn đăng), public, or past its end (hết hạn).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    NotPublished,
    Scheduled,
    Public,
    Expired,
}

pub fn visibility(status: Status, publish_at: Option<DateTime<Utc>>, unpublish_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Visibility {
    if status != Status::Published {
        Visibility::NotPublished
    } else if publish_at.is_some_and(|t| now < t) {
        Visibility::Scheduled
    } else if unpublish_at.is_some_and(|t| t <= now) {
        Visibility::Expired
    } else {
        Visibility::Public
    }
}

/// Whether a schedule is coherent: an end after the start.
pub fn schedule_ok(publish_at: Option<DateTime<Utc>>, unpublish_at: Option<DateTime<Utc>>) -> bool {
    match (publish_at, unpublish_at) {
        (Some(a), Some(b)) => a < b,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 9, h, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn visibility_at_a_time() {
        let now = t(10);
        assert!(is_public(Status::Published, None, None, now));
        assert!(is_public(Status::Published, Some(t(10)), None, now), "the start is inclusive");
        assert!(!is_public(Status::Published, Some(t(11)), None, now), "scheduled in the future");
        assert!(!is_public(Status::Published, None, Some(t(10)), now), "the end is exclusive");
        assert!(is_public(Status::Published, Some(t(9)), Some(t(11)), now));
        for s in [Status::Draft, Status::Submitted, Status::Returned, Status::Unpublished] {
            assert!(!is_public(s, None, None, now), "{s:?}");
        }
        assert_eq!(visibility(Status::Published, Some(t(11)), None, now), Visibility::Scheduled);
        assert_eq!(visibility(Status::Published, None, Some(t(9)), now), Visibility::Expired);
        assert_eq!(visibility(Status::Published, None, None, now), Visibility::Public);
        assert_eq!(visibility(Status::Draft, None, None, now), Visibility::NotPublished);
        assert_eq!(visibility(Status::Published, None, None, now + Duration::days(3650)), Visibility::Public);
    }

    #[test]
    fn workflow() {
        use Status::*;
        assert!(allowed(Step::Submit, Draft, false));
        assert!(allowed(Step::Submit, Returned, false));
        assert!(!allowed(Step::Submit, Submitted, false));
        assert!(!allowed(Step::Publish, Submitted, false), "a writer never publishes");
        assert!(allowed(Step::Publish, Submitted, true));
        assert!(!allowed(Step::Publish, Published, true));
        assert!(allowed(Step::Return, Submitted, true));
        assert!(!allowed(Step::Return, Draft, true));
        assert!(allowed(Step::Unpublish, Published, true));
        assert!(!allowed(Step::Unpublish, Published, false));
        assert!(!allowed(Step::Edit, Published, false), "a writer cannot change what is public");
        assert!(!allowed(Step::Edit, Submitted, false));
        assert!(allowed(Step::Edit, Published, true));
        assert_eq!(after(Step::Return, Submitted), Returned);
        assert_eq!(after(Step::Edit, Returned), Returned);
        for s in ALL_STATUSES {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert!(schedule_ok(Some(t(1)), Some(t(2))));
        assert!(!schedule_ok(Some(t(2)), Some(t(2))));
        assert_eq!(Kind::News.public_path("a"), "/tin-tuc/a");
        assert_eq!(Kind::parse("page"), Some(Kind::Page));
    }
}
