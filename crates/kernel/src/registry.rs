//! What the server registers from the capability crates when it composes them, so that the
//! kernel can serve them without depending on them: menu entries, the parts of the daily
//! reminder digest, and the small interfaces (ports) through which one capability reads
//! another's data without a crate dependency. See ARCHITECTURE.md, "Capabilities and edges".

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::accounts::Account;
use crate::db::{Db, DbResult};
use crate::error::AppResult;
use crate::notify::Item;
use crate::page::MenuEntry;

pub use futures_util::future::BoxFuture;

/// A capability's part of the daily reminder digest: the (recipient account id, item) pairs due
/// on `day`, given every account. Links are absolute, built on `base_url`.
pub type ReminderSource =
    for<'a> fn(&'a Db, &'a str, NaiveDate, &'a [Account]) -> BoxFuture<'a, AppResult<Vec<(i64, Item)>>>;

/// Port: the figures recorded on the tasks of a unit's (or an agency's) issued plans between two
/// instants: (sessions, attendees, materials). Provided by `plans`, read by `reports` to prefill
/// a report.
pub type TaskFigures =
    for<'a> fn(&'a Db, i64, Option<i64>, DateTime<Utc>, DateTime<Utc>) -> BoxFuture<'a, DbResult<(i64, i64, i64)>>;

/// A figure another capability already holds, offered to prefill an indicator of the
/// legal-access self-assessment: `numerator` of `denominator` for a ratio, `numerator` alone
/// for a count, `numerator > 0` for yes/no. `source` says where it comes from, in Vietnamese;
/// `href` links to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownFigure {
    pub numerator: i64,
    pub denominator: Option<i64>,
    pub source: String,
    pub href: Option<String>,
}

/// Port: (commune unit id, assessment year, figure key such as `surveys.satisfaction`) → the
/// figure, when this provider knows the key and has data. Provided by the capabilities that
/// hold the figures, read by `legal_access`; the first provider that answers wins.
pub type KnownFigures = for<'a> fn(&'a Db, i64, i32, &'a str) -> BoxFuture<'a, DbResult<Option<KnownFigure>>>;

/// A figure that prefills a periodic report's cell: the cell's stored key (`"cases_received"`,
/// or `"cases_received:mediation_field:land"` for a breakdown), the count, and where it was
/// counted from, in Vietnamese, with a link to those records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFigure {
    pub key: String,
    pub value: i64,
    pub source: String,
    pub href: Option<String>,
}

/// Port: (reporting unit id, reporting agency id, first day, last day of the period) → the
/// figures the provider counts for that unit's subtree (or agency) in that period. Provided by
/// the capabilities that hold the records (`mediation`, `disseminators`), read by `reports` to
/// prefill a draft. Keys a form does not have are ignored, so a provider may offer more.
pub type ReportFigures =
    for<'a> fn(&'a Db, i64, Option<i64>, NaiveDate, NaiveDate) -> BoxFuture<'a, DbResult<Vec<ReportFigure>>>;

/// A plan task (nhiệm vụ kế hoạch) that a dissemination session can carry out, as a choice
/// list offers it and a session shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanTaskRef {
    pub id: i64,
    /// The task's path and title with its plan ("2.2. Xác định chủ đề … · Kế hoạch số
    /// 15/KH-HĐPH"), shortened for a choice list.
    pub label: String,
    /// The task's page.
    pub href: String,
}

/// Port: the tasks that a unit (and the recording account's agency) may link a dissemination
/// session to: the tasks of the issued plans that the unit issued itself, and, for an agency,
/// of its own issued plans and the issued tasks it leads or coordinates (whose results it
/// reports). Provided by `plans`, read by `disseminators`.
pub type LinkableTasks = for<'a> fn(&'a Db, i64, Option<i64>) -> BoxFuture<'a, DbResult<Vec<PlanTaskRef>>>;

/// Port: one task by id (task id, unit id, agency id): `None` when there is no such task, else
/// the task and whether that unit (and agency) may link a session to it, by the rule of
/// [`LinkableTasks`]. Provided by `plans`, read by `disseminators` to check a chosen task on
/// the server and to show the task a session carries out.
pub type LinkableTask = for<'a> fn(&'a Db, i64, i64, Option<i64>) -> BoxFuture<'a, DbResult<Option<(PlanTaskRef, bool)>>>;

/// A dissemination session linked to a plan task, as the task's results list it: no names of
/// people, only what the session page shows at a glance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedSession {
    pub id: i64,
    pub held_on: NaiveDate,
    pub unit_name: String,
    /// The form, in Vietnamese.
    pub form: String,
    pub topic: String,
    pub attendees: i64,
    /// The session's page.
    pub href: String,
}

/// Port: the sessions linked to a task (task id) that the viewer may see, oldest first.
/// Provided by `disseminators`, read by `plans` for the task page.
pub type LinkedSessions =
    for<'a> fn(&'a Db, i64, crate::auth::Principal<'a>) -> BoxFuture<'a, DbResult<Vec<LinkedSession>>>;

/// How pressing a thing to do is; the home page lists the most pressing first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Past its deadline (quá hạn).
    Overdue,
    /// Sent back to the account for correction (bị trả lại).
    Returned,
    /// Due within the reminder window (sắp đến hạn).
    DueSoon,
    /// Waiting for this account's decision (chờ duyệt, chờ ý kiến).
    Waiting,
    /// Open work without a near deadline.
    Open,
    /// Something to read (thông báo chưa đọc).
    Notice,
}

impl Urgency {
    /// The Vietnamese tag shown beside the item.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Overdue => "Quá hạn",
            Urgency::Returned => "Bị trả lại",
            Urgency::DueSoon => "Sắp đến hạn",
            Urgency::Waiting => "Chờ bạn xử lý",
            Urgency::Open => "Đang mở",
            Urgency::Notice => "Chưa đọc",
        }
    }

    /// CSS class of the tag.
    pub fn class(self) -> &'static str {
        match self {
            Urgency::Overdue => "u-overdue",
            Urgency::Returned => "u-returned",
            Urgency::DueSoon => "u-soon",
            Urgency::Waiting => "u-waiting",
            Urgency::Open => "u-open",
            Urgency::Notice => "u-notice",
        }
    }
}

/// One thing to do today, shown on the home page (việc cần làm), linking to where it is done.
#[derive(Clone, Debug)]
pub struct Todo {
    pub urgency: Urgency,
    /// What to do, e.g. "Gửi báo cáo Tình hình … 6 tháng cuối năm 2026".
    pub text: String,
    /// A second line (the plan, the unit, how many units are missing …); may be empty.
    pub detail: String,
    /// Where the work is done (a path of this site).
    pub href: String,
    pub due: Option<NaiveDate>,
}

/// A number at a glance for the account's scope (số liệu nhanh).
#[derive(Clone, Debug)]
pub struct Glance {
    pub label: String,
    pub value: i64,
    /// "of N" where the number is a part of a whole (e.g. reports sent of reports due).
    pub of: Option<i64>,
    pub href: Option<String>,
}

/// A capability's part of one account's home page.
#[derive(Clone, Debug, Default)]
pub struct HomePart {
    pub todo: Vec<Todo>,
    pub glance: Vec<Glance>,
}

/// A capability's contribution to the home page of `user` on `day`. It sees only what the
/// account may see, as the capability's own pages would.
pub type HomeSource =
    for<'a> fn(&'a Db, &'a crate::auth::CurrentUser, NaiveDate) -> BoxFuture<'a, AppResult<HomePart>>;

/// Everything the capabilities contributed. Built once by the server (or a test kit) and shared
/// through [`crate::state::AppState`].
#[derive(Clone, Default)]
pub struct Registry {
    /// Menu entries, in menu order, before the kernel's own.
    pub menu: Vec<MenuEntry>,
    /// Parts of the daily digest, in digest order.
    pub reminder_sources: Vec<ReminderSource>,
    pub task_figures: Option<TaskFigures>,
    /// Parts of the home page (things to do, numbers at a glance), in page order.
    pub home_sources: Vec<HomeSource>,
    /// Providers of figures that prefill legal-access indicators.
    pub known_figures: Vec<KnownFigures>,
    /// Providers of figures that prefill periodic reports.
    pub report_figures: Vec<ReportFigures>,
    /// The plan tasks a dissemination session may be linked to (from `plans`).
    pub linkable_tasks: Option<LinkableTasks>,
    /// One plan task, and whether a unit may link a session to it (from `plans`).
    pub linkable_task: Option<LinkableTask>,
    /// The dissemination sessions linked to a plan task (from `disseminators`).
    pub linked_sessions: Option<LinkedSessions>,
    /// Pages for citizens that need no account (address, label), in order: the sign-in page
    /// lists them, so someone who lands there looking for the portal finds it.
    pub public_links: Vec<PublicLink>,
    /// The home page of the public site, answered at `/` to a visitor without a session (from
    /// `portal`); without one, `/` sends visitors to the sign-in page.
    pub public_home: Option<PublicHome>,
    /// The bookshelf's documents, cited by answers to citizens' questions (from `bookshelf`).
    pub legal_doc_refs: Option<LegalDocRefs>,
    /// Sections of a unit's public page (from `mediation`, `legal_access`, `bookshelf`), in
    /// page order.
    pub public_unit_sources: Vec<PublicUnitSource>,
}

/// One line of a section of a unit's public page, with an optional link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicLine {
    pub text: String,
    pub detail: String,
    pub href: Option<String>,
}

/// A capability's section of a unit's public page (`/dia-phuong/CODE`, served by `portal`):
/// public facts only. A mediation team's leader is named, as on the village's notice board; the
/// parties of a case, a mediator's telephone or address never are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUnitSection {
    pub heading: String,
    /// One sentence of figures ("3 tổ hòa giải, 14 hòa giải viên"), or empty.
    pub summary: String,
    pub lines: Vec<PublicLine>,
    /// (href, label) of the capability's own public page for more, if any.
    pub more: Option<(String, String)>,
}

/// Port: (unit, day) → the provider's section of that unit's public page, when it has
/// something to show. Provided by the capabilities that hold the unit's public facts, read by
/// `portal`.
pub type PublicUnitSource =
    for<'a> fn(&'a Db, &'a crate::db::units::Unit, NaiveDate) -> BoxFuture<'a, AppResult<Option<PublicUnitSection>>>;

/// A legal document of the bookshelf as another capability cites it, with its public page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegalDocRef {
    pub id: i64,
    /// Its number (số hiệu), as written.
    pub number: String,
    pub title: String,
    pub href: String,
}

/// Port: the bookshelf's legal documents with one of the given ids, or whose number matches one
/// of the given typed numbers (compared by the bookshelf's number key). Provided by `bookshelf`,
/// read by `inquiries` to cite documents in answers and link them on the public pages.
pub type LegalDocRefs = for<'a> fn(&'a Db, &'a [i64], &'a [String]) -> BoxFuture<'a, DbResult<Vec<LegalDocRef>>>;

/// A public page for citizens: (address, label).
pub type PublicLink = (&'static str, &'static str);

/// The public site's home page, rendered for a visitor without an account.
pub type PublicHome =
    for<'a> fn(&'a crate::state::AppState, &'a axum::http::HeaderMap) -> BoxFuture<'a, AppResult<axum::response::Response>>;

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("menu", &self.menu)
            .field("reminder_sources", &self.reminder_sources.len())
            .field("task_figures", &self.task_figures.is_some())
            .field("home_sources", &self.home_sources.len())
            .field("known_figures", &self.known_figures.len())
            .field("report_figures", &self.report_figures.len())
            .field("linkable_tasks", &self.linkable_tasks.is_some())
            .field("linkable_task", &self.linkable_task.is_some())
            .field("linked_sessions", &self.linked_sessions.is_some())
            .field("public_home", &self.public_home.is_some())
            .field("legal_doc_refs", &self.legal_doc_refs.is_some())
            .finish()
    }
}
