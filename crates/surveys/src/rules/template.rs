//! Shipped survey templates (mẫu phiếu), as data: today the satisfaction survey of the
//! legal-access standard (`data/templates/satisfaction.toml`), marked unverified with its basis.

use serde::Deserialize;

use super::definition::{Definition, Question};

/// The code of the satisfaction template; surveys created from it feed the legal-access standard.
pub const SATISFACTION: &str = "satisfaction";
/// The key of its overall-satisfaction question.
pub const OVERALL_KEY: &str = "overall";

/// A survey template.
#[derive(Clone, Debug, Deserialize)]
pub struct Template {
    pub code: String,
    /// `V` verified, `P` partly, `U` unverified.
    pub certainty: String,
    /// Where the wording comes from, one line each.
    pub basis: Vec<String>,
    pub title: String,
    pub description: String,
    pub questions: Vec<Question>,
}

impl Template {
    pub fn definition(&self) -> Definition {
        Definition { questions: self.questions.clone() }
    }

    pub fn certainty_label(&self) -> &'static str {
        match self.certainty.as_str() {
            "V" => "đã kiểm chứng",
            "P" => "kiểm chứng một phần",
            _ => "chưa kiểm chứng",
        }
    }
}

const SATISFACTION_TOML: &str = include_str!("../../data/templates/satisfaction.toml");

/// Every shipped template, parsed and checked.
pub fn builtin() -> Result<Vec<Template>, String> {
    let t: Template = toml::from_str(SATISFACTION_TOML).map_err(|e| format!("satisfaction.toml: {e}"))?;
    let problems = t.definition().check();
    if let Some(p) = problems.first() {
        return Err(format!("satisfaction.toml: question {:?}: {}", p.index, p.message));
    }
    Ok(vec![t])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_satisfaction_template_is_valid_and_has_the_overall_question() {
        let all = builtin().unwrap();
        let t = all.iter().find(|t| t.code == SATISFACTION).unwrap();
        assert_eq!(t.certainty, "U");
        let q = t.definition();
        assert_eq!(q.question(OVERALL_KEY).unwrap().kind, crate::rules::QuestionKind::Satisfaction);
    }
}
