//! Accounts (tài khoản), roles (vai trò) and the permission rules, scoped to a unit subtree.

use serde::{Deserialize, Serialize};

use crate::msg;

/// What an account may do. Every role except `SystemAdmin` is confined to the subtree of its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống.
    SystemAdmin,
    /// Quản trị đơn vị: manages accounts in its subtree.
    UnitAdmin,
    /// Công chức/cán bộ tư pháp: does the work of its unit and below.
    JusticeOfficer,
    /// Đầu mối cơ quan: works on what its agency leads or coordinates.
    AgencyFocal,
    /// Thành viên Hội đồng phối hợp PBGDPL.
    CouncilMember,
    /// Người xem.
    Viewer,
    /// Hòa giải viên (or tổ trưởng tổ hòa giải): records the cases of the mediation teams the
    /// account is a serving member of, and nothing else.
    Mediator,
    /// Báo cáo viên / tuyên truyền viên pháp luật: records their own dissemination activities.
    Reporter,
    /// Biên tập viên: writes the portal's articles (tin bài) of its unit and submits them for
    /// approval; a justice officer of the unit or above publishes them.
    Editor,
    /// Thành viên Ban tổ chức cuộc thi: organises the online legal-knowledge contests of its
    /// unit's subtree (`ManageContests`), and nothing else.
    ContestOrganiser,
}

pub const ALL_ROLES: [Role; 10] = [
    Role::SystemAdmin,
    Role::UnitAdmin,
    Role::JusticeOfficer,
    Role::AgencyFocal,
    Role::CouncilMember,
    Role::Viewer,
    Role::Mediator,
    Role::Reporter,
    Role::Editor,
    Role::ContestOrganiser,
];

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::UnitAdmin => "unit_admin",
            Role::JusticeOfficer => "justice_officer",
            Role::AgencyFocal => "agency_focal",
            Role::CouncilMember => "council_member",
            Role::Viewer => "viewer",
            Role::Mediator => "mediator",
            Role::Reporter => "reporter",
            Role::Editor => "editor",
            Role::ContestOrganiser => "contest_organiser",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        ALL_ROLES.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::SystemAdmin => "Quản trị hệ thống",
            Role::UnitAdmin => "Quản trị đơn vị",
            Role::JusticeOfficer => "Công chức tư pháp",
            Role::AgencyFocal => "Đầu mối cơ quan",
            Role::CouncilMember => "Thành viên Hội đồng phối hợp",
            Role::Viewer => "Người xem",
            Role::Mediator => "Hòa giải viên",
            Role::Reporter => "Báo cáo viên, tuyên truyền viên pháp luật",
            Role::Editor => "Biên tập viên",
            Role::ContestOrganiser => "Thành viên Ban tổ chức cuộc thi",
        }
    }

    /// Whether this role may perform `action` at all (scope is checked separately).
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::SystemAdmin => true,
            Role::UnitAdmin => !matches!(action, ViewOutbox),
            Role::JusticeOfficer => matches!(
                action,
                ViewUnits | ManageVillages | ViewAgencies | ManageAgencies | UseApi | ViewPlans | ManagePlans | TrackTasks
                    | ViewReports | FillReports | ReviewReports | ViewLegalAccess | AssessLegalAccess | ReviewLegalAccess | ViewSurveys | ManageSurveys
                    | ViewMediation | ManageMediation | RecordMediationCases | ViewDisseminators | ManageDisseminators
                    | RecordDisseminationActivities | ManageBookshelf | WriteArticles | PublishArticles | HandleInquiries
                    | PublishInquiries | ManageContests | ManageDrafts
            ),
            Role::AgencyFocal => {
                matches!(action, ViewUnits | ViewAgencies | UseApi | ViewPlans | TrackTasks | ViewReports | FillReports | ViewLegalAccess | ViewDisseminators)
            }
            Role::CouncilMember => {
                matches!(
                    action,
                    ViewUnits | ViewAgencies | UseApi | ViewPlans | TrackTasks | ViewReports | ViewLegalAccess | ViewSurveys | ViewMediation
                        | ViewDisseminators
                )
            }
            Role::Viewer => matches!(
                action,
                ViewUnits | ViewAgencies | UseApi | ViewPlans | ViewReports | ViewLegalAccess | ViewSurveys | ViewMediation | ViewDisseminators
            ),
            Role::Mediator => matches!(action, ViewUnits | UseApi | ViewMediation | RecordMediationCases),
            Role::Reporter => matches!(action, ViewUnits | UseApi | ViewDisseminators | RecordDisseminationActivities),
            Role::Editor => matches!(action, ViewUnits | UseApi | WriteArticles),
            Role::ContestOrganiser => matches!(action, ViewUnits | UseApi | ManageContests),
        }
    }

    /// Roles this role may grant when creating or editing accounts.
    pub fn can_grant(self, other: Role) -> bool {
        match self {
            Role::SystemAdmin => true,
            Role::UnitAdmin => other != Role::SystemAdmin,
            _ => false,
        }
    }
}

/// Actions that are checked against the role; the route table names one per route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    ViewUnits,
    ManageVillages,
    ViewAgencies,
    ManageAgencies,
    ViewAccounts,
    ManageAccounts,
    ViewAudit,
    ViewOutbox,
    UseApi,
    /// See plans and tasks (kế hoạch, nhiệm vụ) in scope, and issued plans of the units above.
    ViewPlans,
    /// Import, write, edit, issue, close and cascade plans; send reminders (đôn đốc).
    ManagePlans,
    /// Report progress on tasks one's agency leads or coordinates.
    TrackTasks,
    /// See periodic reports (báo cáo định kỳ) of units in scope, their totals and completeness.
    ViewReports,
    /// Fill in and submit the reports of one's own unit or agency.
    FillReports,
    /// Open reporting rounds, approve, return and unlock the reports of the units below; send
    /// report reminders.
    ReviewReports,
    /// Edit report forms (a new version each time); unit administrators of a province and
    /// system administrators.
    ManageReportForms,
    /// See the legal-access assessments (chuẩn tiếp cận pháp luật) in scope and their rounds.
    ViewLegalAccess,
    /// Self-assess one's own commune: figures, evidence, posting and submission.
    AssessLegalAccess,
    /// Open the yearly round and review for the assessment council of one's province:
    /// adjust, return, record the meeting and the chair's decision, revoke.
    ReviewLegalAccess,
    /// Load and edit the legal-access rule sets (a new version once one is in use).
    ManageLegalAccessRules,
    /// See surveys (khảo sát) owned by units in scope or meant for a commune in scope, and their
    /// results (contact details only for the owner unit).
    ViewSurveys,
    /// Create, edit, publish and close the surveys of one's unit; enter paper responses (also
    /// for the commune a survey is meant for).
    ManageSurveys,
    /// See mediation teams (tổ hòa giải), mediators and case statistics in scope. Parties'
    /// personal data and case contents only for the team's mediators and the commune's
    /// justice officers.
    ViewMediation,
    /// Manage the teams, rosters, training, mediators' accounts and payment lists of one's
    /// commune.
    ManageMediation,
    /// Record, assign and close mediation cases (vụ việc hòa giải): a mediator for their own
    /// team, a commune officer for the commune's teams.
    RecordMediationCases,
    /// See the legal reporters and propagandists (báo cáo viên, tuyên truyền viên pháp luật)
    /// in scope and their activities.
    ViewDisseminators,
    /// Keep the registries of reporters (province) and propagandists (commune): recognition,
    /// dismissal, cards and lists.
    ManageDisseminators,
    /// Record dissemination sessions: a reporter their own, an officer those of the unit.
    RecordDisseminationActivities,
    /// Keep the legal bookshelf (tủ sách pháp luật): a province's officers its legal documents,
    /// their links and the teaching materials; a commune's officers the commune's bookshelf.
    /// Reading the bookshelf is public.
    ManageBookshelf,
    /// Write the portal's articles and static pages (tin bài, trang tĩnh) of units in scope:
    /// drafts, edits (each a new version), submission for approval, the history of versions.
    WriteArticles,
    /// Approve and publish (duyệt, đăng), return with a reason, schedule and unpublish the
    /// articles of units in scope; keep the portal's categories and campaigns (a province's
    /// officers).
    PublishArticles,
    /// Handle citizens' questions and feedback (hỏi đáp, phản ánh kiến nghị) in scope: the
    /// province's inbox and routing, and the answers of the units (and agencies) they are routed
    /// to; policy dialogues (đối thoại chính sách) of one's unit.
    HandleInquiries,
    /// Approve and publish the answers of the inbox in scope (a province's officers), with the
    /// public version of the question, or send them privately.
    PublishInquiries,
    /// Organise the online legal-knowledge contests (cuộc thi trực tuyến tìm hiểu pháp luật) of
    /// units in scope: the contest and its rules, the question bank and its import, the rounds,
    /// the entrants' results and the ranking. Taking part is public (no account).
    ManageContests,
    /// Put the drafts of units in scope out for comment (lấy ý kiến dự thảo), read the comments
    /// with the commenters' names and addresses, write the reception and explanation (tiếp thu,
    /// giải trình), download and publish the table. Commenting is public (no account).
    ManageDrafts,
}

/// The part of the unit tree an account may see: its unit's subtree, identified by the
/// materialised path of that unit (`/12/345/`). System administrators see everything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub global: bool,
    pub unit_path: String,
}

impl Scope {
    /// Whether the unit with materialised path `path` lies inside this scope.
    pub fn contains(&self, path: &str) -> bool {
        self.global || path.starts_with(&self.unit_path)
    }

    /// Whether `path` is an ancestor of (or equal to) the scope's unit: agencies of higher
    /// units are visible (a commune works with the provincial departments) but not editable.
    pub fn is_ancestor_or_self(&self, path: &str) -> bool {
        self.global || self.unit_path.starts_with(path)
    }

    /// Whether the scope is a whole province (or the whole country): the scope of provincial
    /// officers and of system administrators.
    pub fn is_province_or_wider(&self) -> bool {
        self.global || self.unit_path.trim_matches('/').split('/').filter(|s| !s.is_empty()).count() <= 1
    }

    /// The SQL `LIKE` pattern that selects the subtree, or `%` for global scope.
    pub fn like_pattern(&self) -> String {
        if self.global { "%".to_string() } else { format!("{}%", self.unit_path) }
    }
}

/// A login name: 3–32 of `a-z 0-9 . _ -`, stored lowercase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Username, &'static str> {
        let s = s.trim().to_lowercase();
        let ok_len = (3..=32).contains(&s.chars().count());
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if ok_len && ok_chars { Ok(Username(s)) } else { Err(msg::USERNAME_FORMAT) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const COMMON_PASSWORDS: &[&str] = &[
    "1234567890", "12345678910", "0123456789", "password123", "matkhau123", "abc1234567",
    "qwerty12345", "admin12345", "abcd123456", "123456789a", "a123456789", "vietnam123",
];

/// The password policy: at least 10 characters, letters and digits, not the username,
/// not a well-known password. Returns every failed rule.
pub fn check_password(password: &str, username: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if password.chars().count() < 10 {
        errors.push(msg::PASSWORD_TOO_SHORT);
    }
    if !(password.chars().any(char::is_alphabetic) && password.chars().any(|c| c.is_ascii_digit())) {
        errors.push(msg::PASSWORD_NEEDS_LETTER_AND_DIGIT);
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        errors.push(msg::PASSWORD_CONTAINS_USERNAME);
    }
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        errors.push(msg::PASSWORD_TOO_COMMON);
    }
    errors
}

/// A light e-mail check: one `@`, a dot in the domain, no spaces.
pub fn parse_email(s: &str) -> Result<Option<String>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    // RFC 5321/5322 syntax by a maintained parser, then what our mail can deliver: an address with
    // a dotted domain, no display name ("<a@b.c>"), no quoted or control characters.
    let parsed = email_address::EmailAddress::parse_with_options(s, email_address::Options::default().without_display_text());
    let valid = s.len() <= 254
        && parsed.is_ok()
        && !s.chars().any(|c| c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | '"' | '(' | ')' | ',' | ';' | '\\'))
        && s.rsplit_once('@').is_some_and(|(_, d)| d.contains('.') && !d.starts_with('.') && !d.ends_with('.'));
    if valid { Ok(Some(s.to_lowercase())) } else { Err(msg::INVALID_EMAIL) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" Xa1 ").unwrap().as_str(), "xa1");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("nguyễn").is_err());
        assert!(Username::parse("a b c").is_err());
    }

    #[test]
    fn password_policy() {
        assert!(check_password("Hoa-giai-2026", "xa1").is_empty());
        assert_eq!(check_password("short1", "x").len(), 1);
        assert!(check_password("abcdefghijk", "x").contains(&msg::PASSWORD_NEEDS_LETTER_AND_DIGIT));
        assert!(check_password("xa1xa1xa1xa1", "xa1").contains(&msg::PASSWORD_CONTAINS_USERNAME));
        assert!(check_password("1234567890", "x").contains(&msg::PASSWORD_TOO_COMMON));
    }

    #[test]
    fn scopes() {
        let s = Scope { global: false, unit_path: "/1/7/".into() };
        assert!(s.contains("/1/7/"));
        assert!(s.contains("/1/7/42/"));
        assert!(!s.contains("/1/70/"));
        assert!(!s.contains("/1/"));
        assert!(s.is_ancestor_or_self("/1/"));
        assert!(!s.is_ancestor_or_self("/2/"));
        assert_eq!(s.like_pattern(), "/1/7/%");
    }

    #[test]
    fn roles() {
        assert!(Role::UnitAdmin.allows(Action::ManageAccounts));
        assert!(!Role::JusticeOfficer.allows(Action::ManageAccounts));
        assert!(!Role::UnitAdmin.can_grant(Role::SystemAdmin));
        assert!(Role::Editor.allows(Action::WriteArticles));
        assert!(!Role::Editor.allows(Action::PublishArticles));
        assert!(Role::JusticeOfficer.allows(Action::PublishArticles));
        assert_eq!(Role::parse("editor"), Some(Role::Editor));
        assert_eq!(Role::parse("contest_organiser"), Some(Role::ContestOrganiser));
        assert!(Role::JusticeOfficer.allows(Action::ManageContests));
        assert!(Role::UnitAdmin.can_grant(Role::ContestOrganiser));
        for r in ALL_ROLES {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn a_contest_organiser_organises_contests_and_nothing_else() {
        let base = [Action::ViewUnits, Action::UseApi, Action::ManageContests];
        for action in base {
            assert!(Role::ContestOrganiser.allows(action), "{action:?}");
        }
        let others = [
            Action::ManageVillages, Action::ViewAgencies, Action::ManageAgencies, Action::ViewAccounts, Action::ManageAccounts,
            Action::ViewAudit, Action::ViewOutbox, Action::ViewPlans, Action::ManagePlans, Action::TrackTasks, Action::ViewReports,
            Action::FillReports, Action::ReviewReports, Action::ManageReportForms, Action::ViewLegalAccess, Action::AssessLegalAccess,
            Action::ReviewLegalAccess, Action::ManageLegalAccessRules, Action::ViewSurveys, Action::ManageSurveys, Action::ViewMediation,
            Action::ManageMediation, Action::RecordMediationCases, Action::ViewDisseminators, Action::ManageDisseminators,
            Action::RecordDisseminationActivities, Action::ManageBookshelf, Action::WriteArticles, Action::PublishArticles,
            Action::HandleInquiries, Action::PublishInquiries, Action::ManageDrafts,
        ];
        for action in others {
            assert!(!Role::ContestOrganiser.allows(action), "{action:?}");
        }
        assert!(!Role::ContestOrganiser.can_grant(Role::Viewer));
        assert_eq!(Role::ContestOrganiser.label(), "Thành viên Ban tổ chức cuộc thi");
    }

    #[test]
    fn emails() {
        assert_eq!(parse_email("").unwrap(), None);
        assert_eq!(parse_email("A@b.vn").unwrap().as_deref(), Some("a@b.vn"));
        assert!(parse_email("a@b").is_err());
        assert!(parse_email("a b@c.vn").is_err());
        assert!(parse_email("<a@b.vn>").is_err());
        assert!(parse_email("a\0@b.vn").is_err());
        assert!(parse_email("Nguyen <a@b.vn>").is_err());
        assert!(parse_email("a@@b.vn").is_err());
        assert_eq!(parse_email("tuphap.xa@langson.gov.vn").unwrap().as_deref(), Some("tuphap.xa@langson.gov.vn"));
    }
}
