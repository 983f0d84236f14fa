//! Tracking rules for plans and tasks (theo dõi thực hiện kế hoạch): kinds and states, derived
//! "overdue", progress and its roll-up from implementing plans, dashboard figures, which tasks a
//! lower level is asked to carry out, and which reminders are due. Pure; see docs/plans.md.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use kernel::agency::{AgencyCatalogue, AgencyLevel};

/// Kind of plan (loại kế hoạch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// Kế hoạch công tác năm.
    Annual,
    /// Kế hoạch thực hiện Đề án, Chương trình.
    Project,
    /// Kế hoạch hoạt động của Hội đồng phối hợp PBGDPL.
    Council,
    /// Kế hoạch chuyên đề.
    Thematic,
}

impl PlanKind {
    pub const ALL: [PlanKind; 4] = [PlanKind::Annual, PlanKind::Project, PlanKind::Council, PlanKind::Thematic];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Annual => "annual",
            PlanKind::Project => "project",
            PlanKind::Council => "council",
            PlanKind::Thematic => "thematic",
        }
    }

    pub fn parse(s: &str) -> Option<PlanKind> {
        PlanKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanKind::Annual => "Kế hoạch công tác năm",
            PlanKind::Project => "Kế hoạch thực hiện Đề án, Chương trình",
            PlanKind::Council => "Kế hoạch hoạt động của Hội đồng phối hợp",
            PlanKind::Thematic => "Kế hoạch chuyên đề",
        }
    }

    /// A first guess from the title and issuer of an imported plan; the officer confirms it.
    pub fn guess(title: &str, issuer: &str) -> PlanKind {
        let t = text_vi::fold(title);
        let i = text_vi::fold(issuer);
        if t.contains("hoi dong phoi hop") || i.contains("hoi dong phoi hop") {
            PlanKind::Council
        } else if t.contains("de an") || t.contains("chuong trinh") {
            PlanKind::Project
        } else if t.contains("cong tac") && (t.contains("nam 20") || t.contains("nam 19")) {
            PlanKind::Annual
        } else {
            PlanKind::Thematic
        }
    }
}

/// Life cycle of a plan (trạng thái kế hoạch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Dự thảo: editable, visible only within the issuing unit's scope.
    Draft,
    /// Đã ban hành: tasks are tracked; lower units see it and implement it.
    Issued,
    /// Đã kết thúc: read-only.
    Closed,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Issued => "issued",
            PlanStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<PlanStatus> {
        [PlanStatus::Draft, PlanStatus::Issued, PlanStatus::Closed].into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanStatus::Draft => "Dự thảo",
            PlanStatus::Issued => "Đã ban hành",
            PlanStatus::Closed => "Đã kết thúc",
        }
    }
}

/// Status of a task as the lead agency types it. "Overdue" is derived, see [`TaskState`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Chưa thực hiện.
    NotStarted,
    /// Đang thực hiện.
    InProgress,
    /// Đã hoàn thành.
    Done,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 3] = [TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "Chưa thực hiện",
            TaskStatus::InProgress => "Đang thực hiện",
            TaskStatus::Done => "Đã hoàn thành",
        }
    }
}

/// What a dashboard shows for a task: its typed status, or "overdue" when its deadline has
/// passed and it is not done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    NotStarted,
    InProgress,
    Overdue,
    Done,
}

impl TaskState {
    pub const ALL: [TaskState; 4] = [TaskState::NotStarted, TaskState::InProgress, TaskState::Overdue, TaskState::Done];

    pub fn of(status: TaskStatus, deadline: Option<NaiveDate>, today: NaiveDate) -> TaskState {
        match status {
            TaskStatus::Done => TaskState::Done,
            _ if is_overdue(status, deadline, today) => TaskState::Overdue,
            TaskStatus::InProgress => TaskState::InProgress,
            TaskStatus::NotStarted => TaskState::NotStarted,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::NotStarted => "not_started",
            TaskState::InProgress => "in_progress",
            TaskState::Overdue => "overdue",
            TaskState::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<TaskState> {
        TaskState::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskState::NotStarted => "Chưa thực hiện",
            TaskState::InProgress => "Đang thực hiện",
            TaskState::Overdue => "Quá hạn",
            TaskState::Done => "Đã hoàn thành",
        }
    }
}

/// A task is overdue when it is not done and its deadline is before today.
pub fn is_overdue(status: TaskStatus, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    status != TaskStatus::Done && deadline.is_some_and(|d| d < today)
}

/// Not done and due between today and `days` days from today, inclusive.
pub fn is_due_within(status: TaskStatus, deadline: Option<NaiveDate>, today: NaiveDate, days: i64) -> bool {
    status != TaskStatus::Done
        && deadline.is_some_and(|d| d >= today && (d - today).num_days() <= days)
}

/// Progress of one task in percent: done 100, not started 0, in progress the figure the lead
/// agency gave (clamped to 1–99), or 50 when it gave none.
pub fn task_progress(status: TaskStatus, reported: Option<i64>) -> u8 {
    match status {
        TaskStatus::Done => 100,
        TaskStatus::NotStarted => 0,
        TaskStatus::InProgress => reported.map(|p| p.clamp(1, 99) as u8).unwrap_or(50),
    }
}

/// Roll-up of a parent task from the tasks that implement it in lower plans: the unweighted
/// mean of the children's progress, rounded to the nearest percent. `None` when it has no
/// children, so the parent's own progress stands.
pub fn rollup(children: &[u8]) -> Option<u8> {
    if children.is_empty() {
        return None;
    }
    let sum: u32 = children.iter().map(|&p| u32::from(p)).sum();
    let n = children.len() as u32;
    Some(((sum * 2 + n) / (2 * n)) as u8)
}

/// The figures a dashboard needs for one task.
#[derive(Clone, Debug)]
pub struct TaskFact {
    pub status: TaskStatus,
    pub deadline: Option<NaiveDate>,
    pub progress: u8,
    /// Display names of the lead agencies (matched name, or the text as written).
    pub leads: Vec<String>,
    /// The unit whose plan holds the task.
    pub unit: String,
}

/// Counts for one row of a "by agency" or "by unit" table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub label: String,
    pub total: u32,
    pub done: u32,
    pub overdue: u32,
    pub in_progress: u32,
    pub not_started: u32,
    progress_sum: u32,
}

impl Tally {
    fn add(&mut self, state: TaskState, progress: u8) {
        self.total += 1;
        self.progress_sum += u32::from(progress);
        match state {
            TaskState::Done => self.done += 1,
            TaskState::Overdue => self.overdue += 1,
            TaskState::InProgress => self.in_progress += 1,
            TaskState::NotStarted => self.not_started += 1,
        }
    }

    /// Share of tasks done, in percent (0 when there are none).
    pub fn completion_rate(&self) -> u32 {
        if self.total == 0 { 0 } else { (self.done * 200 + self.total) / (2 * self.total) }
    }

    /// Mean progress, in percent.
    pub fn mean_progress(&self) -> u32 {
        if self.total == 0 { 0 } else { (self.progress_sum * 2 + self.total) / (2 * self.total) }
    }
}

/// Dashboard figures over a set of tasks.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub all: Tally,
    pub due_soon: u32,
    /// Sorted by Vietnamese collation of the label; tasks with several leads count for each.
    pub by_agency: Vec<Tally>,
    pub by_unit: Vec<Tally>,
}

/// Days ahead that count as "due soon" on dashboards.
pub const DUE_SOON_DAYS: i64 = 30;

pub fn summarize(tasks: &[TaskFact], today: NaiveDate) -> Summary {
    let mut all = Tally { label: String::new(), ..Tally::default() };
    let mut by_agency: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_unit: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut due_soon = 0;
    for t in tasks {
        let state = TaskState::of(t.status, t.deadline, today);
        all.add(state, t.progress);
        if is_due_within(t.status, t.deadline, today, DUE_SOON_DAYS) {
            due_soon += 1;
        }
        if t.leads.is_empty() {
            by_agency.entry("").or_default().add(state, t.progress);
        }
        for lead in &t.leads {
            by_agency.entry(lead.as_str()).or_default().add(state, t.progress);
        }
        by_unit.entry(t.unit.as_str()).or_default().add(state, t.progress);
    }
    let finish = |m: BTreeMap<&str, Tally>| {
        let mut v: Vec<Tally> = m
            .into_iter()
            .map(|(k, mut t)| {
                t.label = if k.is_empty() { "(Chưa xác định)".to_string() } else { k.to_string() };
                t
            })
            .collect();
        text_vi::sort_by_key(&mut v, |t| t.label.as_str());
        v
    };
    Summary { all, due_soon, by_agency: finish(by_agency), by_unit: finish(by_unit) }
}

/// Whether an agency named in a higher plan (its matcher key, "kind:…" or "group:…") refers
/// to the commune level, so that communes are asked to carry the task out. District-level
/// kinds and groups count too: their duties passed to communes on 1 July 2025.
pub fn refers_to_commune_level(match_key: &str, catalogue: &AgencyCatalogue) -> bool {
    let level = if let Some(code) = match_key.strip_prefix("kind:") {
        catalogue.kind(code).map(|k| k.level)
    } else if let Some(code) = match_key.strip_prefix("group:") {
        catalogue.group(code).map(|g| g.level)
    } else {
        None
    };
    matches!(level, Some(AgencyLevel::Commune | AgencyLevel::DistrictLegacy))
}

/// Moves a date by whole years (29 February becomes 28 February), for copying last year's plan.
pub fn shift_years(d: NaiveDate, years: i32) -> NaiveDate {
    let y = d.year() + years;
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28))
        .unwrap_or(d)
}

/// Replaces the year `from` by `to` in a title or timeframe ("năm 2024" → "năm 2025").
pub fn replace_year(text: &str, from: i32, to: i32) -> String {
    let from = from.to_string();
    let to = to.to_string();
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_digit();
        if boundary_before && rest.starts_with(&from) {
            let after = i + from.len();
            if after >= text.len() || !bytes[after].is_ascii_digit() {
                out.push_str(&to);
                i = after;
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The number and symbol of a referenced document ("Kế hoạch số 373/KH-UBND ngày …" →
/// "373/KH-UBND"), used to link a plan's references to plans held in the system.
pub fn reference_number(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let at = lower.find("số ")? + "số ".len();
    let rest = text.get(at..)?;
    let token: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | 'Đ' | 'đ'))
        .collect();
    let token = token.trim_end_matches(['.', '-']).to_string();
    (token.contains('/') && token.chars().next().is_some_and(|c| c.is_ascii_digit())).then_some(token)
}

pub use kernel::reminder::{DEFAULT_REMINDER_DAYS, OVERDUE_REPEAT_DAYS, ReminderKind, reminder_due};

/// Whether a lower unit's implementing plan met the deadline the higher plan set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImplementingState {
    /// Issued on or before the deadline (or no deadline set).
    OnTime,
    /// Issued after the deadline.
    Late,
    /// Drafted but not issued yet.
    Drafting,
    /// None yet.
    Missing,
}

impl ImplementingState {
    pub fn of(issued_on: Option<NaiveDate>, has_draft: bool, deadline: Option<NaiveDate>) -> ImplementingState {
        match (issued_on, deadline) {
            (Some(on), Some(d)) if on > d => ImplementingState::Late,
            (Some(_), _) => ImplementingState::OnTime,
            (None, _) if has_draft => ImplementingState::Drafting,
            (None, _) => ImplementingState::Missing,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ImplementingState::OnTime => "Đã ban hành đúng hạn",
            ImplementingState::Late => "Ban hành muộn",
            ImplementingState::Drafting => "Đang dự thảo",
            ImplementingState::Missing => "Chưa có kế hoạch",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImplementingState::OnTime => "on_time",
            ImplementingState::Late => "late",
            ImplementingState::Drafting => "drafting",
            ImplementingState::Missing => "missing",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn overdue_is_derived() {
        let today = d(2024, 4, 1);
        assert_eq!(TaskState::of(TaskStatus::NotStarted, Some(d(2024, 3, 31)), today), TaskState::Overdue);
        assert_eq!(TaskState::of(TaskStatus::InProgress, Some(d(2024, 4, 1)), today), TaskState::InProgress);
        assert_eq!(TaskState::of(TaskStatus::Done, Some(d(2024, 1, 1)), today), TaskState::Done);
        assert_eq!(TaskState::of(TaskStatus::NotStarted, None, today), TaskState::NotStarted);
        assert!(is_due_within(TaskStatus::InProgress, Some(d(2024, 5, 1)), today, 30));
        assert!(!is_due_within(TaskStatus::InProgress, Some(d(2024, 5, 2)), today, 30));
        assert!(!is_due_within(TaskStatus::Done, Some(d(2024, 4, 2)), today, 30));
    }

    #[test]
    fn progress_and_rollup() {
        assert_eq!(task_progress(TaskStatus::Done, Some(10)), 100);
        assert_eq!(task_progress(TaskStatus::NotStarted, Some(10)), 0);
        assert_eq!(task_progress(TaskStatus::InProgress, None), 50);
        assert_eq!(task_progress(TaskStatus::InProgress, Some(100)), 99);
        assert_eq!(task_progress(TaskStatus::InProgress, Some(0)), 1);
        assert_eq!(rollup(&[]), None);
        assert_eq!(rollup(&[100, 0]), Some(50));
        assert_eq!(rollup(&[100, 0, 0]), Some(33));
        assert_eq!(rollup(&[100, 100, 0]), Some(67));
    }

    #[test]
    fn summary_counts_each_lead_and_unit() {
        let today = d(2024, 6, 1);
        let f = |status, deadline, leads: &[&str], unit: &str| TaskFact {
            status,
            deadline,
            progress: task_progress(status, None),
            leads: leads.iter().map(|s| s.to_string()).collect(),
            unit: unit.to_string(),
        };
        let s = summarize(
            &[
                f(TaskStatus::Done, Some(d(2024, 3, 31)), &["Sở Tư pháp"], "Tỉnh Lạng Sơn"),
                f(TaskStatus::NotStarted, Some(d(2024, 3, 31)), &["Sở Tư pháp", "Công an tỉnh"], "Tỉnh Lạng Sơn"),
                f(TaskStatus::InProgress, Some(d(2024, 6, 20)), &[], "Phường Đông Kinh"),
            ],
            today,
        );
        assert_eq!((s.all.total, s.all.done, s.all.overdue, s.all.in_progress), (3, 1, 1, 1));
        assert_eq!(s.due_soon, 1);
        assert_eq!(s.all.completion_rate(), 33);
        assert_eq!(s.all.mean_progress(), 50);
        let labels: Vec<&str> = s.by_agency.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["(Chưa xác định)", "Công an tỉnh", "Sở Tư pháp"]);
        assert_eq!(s.by_agency[2].total, 2);
        assert_eq!(s.by_agency[2].completion_rate(), 50);
        assert_eq!(s.by_unit.len(), 2);
    }


    #[test]
    fn copying_a_plan_moves_years() {
        assert_eq!(shift_years(d(2024, 2, 29), 1), d(2025, 2, 28));
        assert_eq!(shift_years(d(2024, 3, 31), 1), d(2025, 3, 31));
        assert_eq!(replace_year("Kế hoạch công tác PBGDPL năm 2024", 2024, 2025), "Kế hoạch công tác PBGDPL năm 2025");
        assert_eq!(replace_year("Quý IV/2024; 20245 và 12024", 2024, 2025), "Quý IV/2025; 20245 và 12024");
    }

    #[test]
    fn reference_numbers() {
        assert_eq!(reference_number("Kế hoạch số 373/KH-UBND ngày 01/02/2024 của UBND tỉnh").as_deref(), Some("373/KH-UBND"));
        assert_eq!(reference_number("Quyết định số 1521/QĐ-TTg ngày 06/10/2020").as_deref(), Some("1521/QĐ-TTg"));
        assert_eq!(reference_number("Luật Phổ biến, giáo dục pháp luật"), None);
        assert_eq!(reference_number("Kết luận số 80-KL/TW ngày 20/6/2020").as_deref(), Some("80-KL/TW"));
    }

    #[test]
    fn implementing_state() {
        let dl = Some(d(2024, 2, 5));
        assert_eq!(ImplementingState::of(Some(d(2024, 2, 5)), false, dl), ImplementingState::OnTime);
        assert_eq!(ImplementingState::of(Some(d(2024, 2, 6)), false, dl), ImplementingState::Late);
        assert_eq!(ImplementingState::of(None, true, dl), ImplementingState::Drafting);
        assert_eq!(ImplementingState::of(None, false, None), ImplementingState::Missing);
    }

    #[test]
    fn commune_level_references() {
        let cat = AgencyCatalogue::builtin().unwrap();
        assert!(refers_to_commune_level("kind:commune_people_committee", &cat));
        assert!(!refers_to_commune_level("kind:justice_department", &cat));
        assert!(!refers_to_commune_level("nonsense", &cat));
    }

    #[test]
    fn kind_guess() {
        assert_eq!(PlanKind::guess("Hoạt động của Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Lạng Sơn năm 2024", ""), PlanKind::Council);
        assert_eq!(PlanKind::guess("Triển khai thực hiện Đề án …", ""), PlanKind::Project);
        assert_eq!(PlanKind::guess("Công tác phổ biến, giáo dục pháp luật năm 2024", ""), PlanKind::Annual);
    }
}
