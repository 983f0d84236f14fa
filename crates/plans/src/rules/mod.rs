//! Plans (kế hoạch): importing a plan document (.txt, .md, .docx) into a [`Plan`] with its
//! sections, tasks (lead and coordinating agencies, timeframe and its meaning) and report
//! deadlines. Pure: parses bytes and strings only. See docs/plan-import.md.
//!
//! ```
//! use kernel::agency::AgencyMatcher;
//! use plans::rules::parse_plan_text;
//!
//! let matcher = AgencyMatcher::builtin().map_err(|e| e.to_string())?;
//! let text = "KẾ HOẠCH\n\nCông tác PBGDPL năm 2024\n\nII. NHIỆM VỤ\n\n1. Tổ chức hội nghị\n\n\
//!             - Cơ quan chủ trì: Sở Tư pháp.\n- Thời gian thực hiện: Quý I.\n";
//! let plan = parse_plan_text(text, &matcher).map_err(|e| e.to_string())?;
//! assert_eq!(plan.tasks[0].path, "II.1");
//! assert_eq!(plan.tasks[0].deadline.map(|d| d.to_string()).as_deref(), Some("2024-03-31"));
//! # Ok::<(), String>(())
//! ```

mod document;
mod docx;
mod parse;
mod timeframe;
pub mod tracking;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use kernel::agency::{AgencyMatch, AgencyMatcher};

pub use document::{plan_document, task_marker};
pub use docx::docx_text;
pub use timeframe::{Recurrence, Timeframe, Window, parse_timeframe};

/// Import errors live in the message catalogue.
pub use crate::msg::plan_import as messages;

/// Why a document could not be imported. Displays a Vietnamese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("{}", messages::EMPTY)]
    Empty,
    #[error("{}", messages::BINARY)]
    Binary,
    #[error("{}", messages::NOT_A_PLAN)]
    NotAPlan,
    /// A decision ("QUYẾT ĐỊNH Ban hành Kế hoạch …") without the plan attached after it.
    #[error("{}", messages::DECISION_WITHOUT_PLAN)]
    DecisionWithoutPlan,
    #[error("{}", messages::NO_TASKS)]
    NoTasks,
    #[error("{}", messages::BAD_DOCX)]
    BadDocx,
    #[error("{}", messages::UNSUPPORTED)]
    Unsupported,
}

/// A heading in the plan's outline that is not itself a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// "II.1", "II.1.6".
    pub path: String,
    /// As written: "II.", "1.", "1.6.", "a)".
    pub marker: String,
    pub heading: String,
    /// The paragraphs under the heading, as written ("- …" bullets keep their marker).
    #[serde(default)]
    pub body: Vec<String>,
}

/// One task of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// "II.1.a"; "II.3#2" for the second of several tasks written as bullets under one heading.
    pub path: String,
    pub title: String,
    /// Bullets and paragraphs under the title.
    pub description: Vec<String>,
    /// Lead agencies as written.
    pub lead: Vec<String>,
    pub coordinating: Vec<String>,
    /// Matcher results for `lead` and `coordinating`, same order.
    pub lead_matches: Vec<AgencyMatch>,
    pub coordinating_matches: Vec<AgencyMatch>,
    pub form: Option<String>,
    pub products: Option<String>,
    pub funding: Option<String>,
    /// As written: "Hoàn thành trong Quý IV năm 2020".
    pub timeframe: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub recurrence: Option<Recurrence>,
    pub window: Option<Window>,
}

impl Task {
    /// Agency names (lead and coordinating) the matcher did not recognise, as written.
    pub fn unmatched(&self) -> Vec<String> {
        self.lead_matches
            .iter()
            .chain(&self.coordinating_matches)
            .filter(|m| !m.is_matched())
            .map(|m| m.written().to_string())
            .collect()
    }
}

/// A reporting deadline found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDeadline {
    pub date: NaiveDate,
    /// The sentence or clause that names it.
    pub text: String,
}

/// An imported plan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Plan {
    /// "Kế hoạch".
    pub kind: Option<String>,
    pub issuer: Option<String>,
    /// "6134/KH-UBND"; None when the number is left blank ("Số: /KH-UBND"). A plan issued by a
    /// decision that has no number of its own gets the decision's ("86/QĐ-UBND").
    pub number: Option<String>,
    pub place: Option<String>,
    /// The signing date; for a plan issued by a decision, the decision's.
    pub date: Option<NaiveDate>,
    pub signer: Option<String>,
    /// The signing authority above the title, one line each: "TM. HỘI ĐỒNG", "KT. CHỦ TỊCH".
    pub signer_authority: Option<String>,
    /// The signer's title, one line each: "PHÓ CHỦ TỊCH", "CHỦ TỊCH\nPHÓ CHỦ TỊCH UBND TỈNH".
    pub signer_title: Option<String>,
    /// The "Nơi nhận" list, one recipient each, without the "- " and the closing ";" or ".".
    pub recipients: Vec<String>,
    pub title: Option<String>,
    /// "2024", "2021 - 2027", from the title.
    pub period: Option<String>,
    /// The year used for timeframes that give none.
    pub year: Option<i32>,
    pub implements: Vec<String>,
    /// The paragraphs between the title and the first section ("Thực hiện …, UBND tỉnh ban
    /// hành Kế hoạch … như sau:").
    pub preamble: Vec<String>,
    pub sections: Vec<Section>,
    pub tasks: Vec<Task>,
    pub report_deadlines: Vec<ReportDeadline>,
    /// The paragraphs after the last section and before "Nơi nhận" ("Trên đây là Kế hoạch …").
    pub closing: Vec<String>,
}

impl Plan {
    /// The `--json` shape (docs/plan-import.md).
    pub fn summary_json(&self) -> serde_json::Value {
        use serde_json::json;
        let d = |d: &Option<NaiveDate>| d.map(|d| d.to_string());
        json!({
            "kind": self.kind,
            "title": self.title,
            "issuer": self.issuer,
            "number": self.number,
            "place": self.place,
            "date": d(&self.date),
            "signer": self.signer,
            "signer_authority": self.signer_authority,
            "signer_title": self.signer_title,
            "recipients": self.recipients,
            "period": self.period,
            "implements": self.implements,
            "preamble": self.preamble,
            "sections": self.sections.iter().map(|s| json!({
                "path": s.path, "marker": s.marker, "heading": s.heading, "body": s.body,
            })).collect::<Vec<_>>(),
            "tasks": self.tasks.iter().map(|t| json!({
                "path": t.path,
                "title": t.title,
                "lead": t.lead,
                "coordinating": t.coordinating,
                "unmatched": t.unmatched(),
                "timeframe": t.timeframe,
                "deadline": d(&t.deadline),
                "recurrence": t.recurrence,
                "window": t.window.as_ref().map(|w| json!({"from": w.from.to_string(), "to": w.to.to_string()})),
                "products": t.products,
                "form": t.form,
            })).collect::<Vec<_>>(),
            "report_deadlines": self.report_deadlines.iter().map(|r| json!({
                "date": r.date.to_string(), "text": r.text,
            })).collect::<Vec<_>>(),
            "closing": self.closing,
        })
    }
}

/// Parses a plan from text (.txt or .md). Never panics; returns an error rather than a partial plan.
pub fn parse_plan_text(text: &str, matcher: &AgencyMatcher) -> Result<Plan, PlanError> {
    if text.contains('\u{0}') {
        return Err(PlanError::Binary);
    }
    let text = text_vi::nfc(text);
    if text.trim().is_empty() {
        return Err(PlanError::Empty);
    }
    parse::parse(&text, matcher)
}

/// Parses a plan from a file's bytes; `file_name` chooses the format by extension (.txt, .md,
/// .docx); a .docx is also recognised by its content.
pub fn parse_plan_bytes(
    bytes: &[u8],
    file_name: &str,
    matcher: &AgencyMatcher,
) -> Result<Plan, PlanError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(PlanError::Empty);
    }
    let lower = file_name.to_lowercase();
    // Only the three formats the importer reads; the original is stored under its name, so a
    // name like "evil.html" must never get that far.
    if ![".docx", ".txt", ".md"].iter().any(|ext| lower.ends_with(ext)) {
        return Err(PlanError::Unsupported);
    }
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if lower.ends_with(".docx") || is_zip {
        let text = docx_text(bytes)?;
        return parse_plan_text(&text, matcher);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| PlanError::Binary)?;
    parse_plan_text(text, matcher)
}
