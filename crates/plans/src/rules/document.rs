//! The plan as an official document (Nghị định 30/2020/NĐ-CP layout): the whole text in the
//! order of its outline, so that the exported DOCX can be sent as it is and imports again as
//! the same plan. Pure: builds the [`OfficialDoc`] that `documents::official_docx` writes.

use std::cmp::Ordering;

use documents::{Block, OfficialDoc, Signature};

use super::{Plan, Section, Task};

const ROMANS: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];
const LETTERS: &str = "abcdđefghijklmnopqrstuvwxyz";

/// Headings longer than this are a paragraph of text that opens with its number ("1. Chủ tịch
/// Hội đồng … tổ chức thực hiện …"), printed as body text rather than in bold.
const HEADING_MAX: usize = 200;

/// One step of an outline path, ordered as in a document: "II" < "II.1" < "II.1.a" < "II.1.a#2".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Roman(usize),
    Number(u32),
    Letter(usize),
    Bullet(u32),
    Other,
}

fn path_key(path: &str) -> Vec<Step> {
    let (outline, bullet) = match path.split_once('#') {
        Some((o, k)) => (o, Some(k)),
        None => (path, None),
    };
    let mut key: Vec<Step> = outline
        .split('.')
        .map(|c| {
            if let Some(i) = ROMANS.iter().position(|r| *r == c) {
                Step::Roman(i)
            } else if let Ok(n) = c.parse() {
                Step::Number(n)
            } else if let Some(i) = LETTERS.chars().position(|l| c.chars().eq([l])) {
                Step::Letter(i)
            } else {
                Step::Other
            }
        })
        .collect();
    if let Some(k) = bullet {
        key.push(Step::Bullet(k.parse().unwrap_or(0)));
    }
    key
}

/// The marker a task's own line starts with, from its path: "II.1.2" → "1.2.", "II.3.2.a" →
/// "a)".
pub fn task_marker(path: &str) -> String {
    let outline = path.split('#').next().unwrap_or(path);
    let parts: Vec<&str> = outline.split('.').collect();
    match parts.last() {
        Some(last) if last.chars().count() == 1 && !last.chars().all(|c| c.is_ascii_digit()) => {
            format!("{last})")
        }
        Some(_) => {
            let numbers: Vec<&str> = parts
                .iter()
                .rev()
                .take_while(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
                .copied()
                .collect();
            if numbers.is_empty() {
                String::new()
            } else {
                let numbers: Vec<&str> = numbers.into_iter().rev().collect();
                format!("{}.", numbers.join("."))
            }
        }
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    cs.next()
        .map(|c| c.to_lowercase().chain(cs).collect())
        .unwrap_or_default()
}

/// A numbered line: a heading when short, a paragraph when it is a whole passage.
fn numbered(level: u8, text: String) -> Block {
    if level == 1 || text.chars().count() <= HEADING_MAX {
        Block::Heading { level, text }
    } else {
        Block::Paragraph(text)
    }
}

fn section_blocks(s: &Section, out: &mut Vec<Block>) {
    let level = u8::try_from(s.path.split('.').count()).unwrap_or(u8::MAX);
    out.push(numbered(
        level,
        format!("{} {}", s.marker, s.heading).trim().to_string(),
    ));
    out.extend(s.body.iter().map(|p| Block::Paragraph(p.clone())));
}

fn task_blocks(t: &Task, sections: &[Section], out: &mut Vec<Block>) {
    let (item, bullet) = match t.path.split_once('#') {
        Some((item, k)) => (item, Some(k)),
        None => (t.path.as_str(), None),
    };
    // Under the heading of its item (a section of the same path), or after the first of
    // several tasks written as bullets: a "- " line. Otherwise the task's own numbered line.
    let under_heading = sections.iter().any(|s| s.path == item);
    if under_heading || bullet.is_some_and(|k| k != "1") {
        out.push(Block::Paragraph(format!("- {}", t.title)));
    } else {
        let text = format!("{} {}", task_marker(&t.path), t.title);
        out.push(numbered(3, text.trim().to_string()));
    }
    for d in &t.description {
        // A description typed by hand may bring its own "- ".
        let d = d.trim_start_matches(['-', '+', '•']).trim_start();
        out.push(Block::Paragraph(format!("- {d}")));
    }
    let deadline = t.deadline.map(|d| d.format("%d/%m/%Y").to_string());
    for (label, value) in [
        ("Hình thức thực hiện", t.form.clone()),
        ("Cơ quan chủ trì", Some(t.lead.join("; "))),
        ("Cơ quan phối hợp", Some(t.coordinating.join("; "))),
        ("Thời gian thực hiện", t.timeframe.clone().or(deadline)),
        ("Sản phẩm", t.products.clone()),
        ("Kinh phí", t.funding.clone()),
    ] {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            out.push(Block::Field {
                label: label.to_string(),
                value,
            });
        }
    }
}

/// The plan as an official document. `parent_body` is the issuer's parent body
/// ("UBND TỈNH LẠNG SƠN"), printed above the issuer.
///
/// Every section is written with its text, every task under its heading with the number it
/// has in the source and its fields ("Cơ quan chủ trì: …", "Thời gian thực hiện: …"), then the
/// closing paragraphs, the "Nơi nhận" list and the signature. Reporting deadlines that the
/// text does not already state (a plan written by hand) get a closing section of their own.
pub fn plan_document(plan: &Plan, parent_body: Option<&str>) -> OfficialDoc {
    let title = plan.title.clone().unwrap_or_default();
    let issuer = plan.issuer.clone().unwrap_or_default();
    let mut blocks = Vec::new();
    if !plan.preamble.is_empty() {
        blocks.extend(plan.preamble.iter().map(|p| Block::Paragraph(p.clone())));
    } else if !plan.implements.is_empty() {
        let refs: Vec<String> = plan
            .implements
            .iter()
            .map(|r| format!("Căn cứ {};", r.trim_end_matches(['.', ';'])))
            .collect();
        blocks.extend(refs.into_iter().map(Block::Paragraph));
        blocks.push(Block::Paragraph(format!(
            "{issuer} ban hành Kế hoạch {} như sau:",
            lower_first(&title)
        )));
    }
    // Sections and tasks each in their source order, merged by outline position.
    let (mut si, mut ti) = (0, 0);
    while si < plan.sections.len() || ti < plan.tasks.len() {
        let take_section = match (plan.sections.get(si), plan.tasks.get(ti)) {
            (Some(s), Some(t)) => path_key(&s.path).cmp(&path_key(&t.path)) != Ordering::Greater,
            (Some(_), None) => true,
            _ => false,
        };
        if take_section {
            if let Some(s) = plan.sections.get(si) {
                section_blocks(s, &mut blocks);
            }
            si += 1;
        } else {
            if let Some(t) = plan.tasks.get(ti) {
                task_blocks(t, &plan.sections, &mut blocks);
            }
            ti += 1;
        }
    }
    let written = |text: &str, blocks: &[Block]| {
        blocks.iter().any(|b| match b {
            Block::Paragraph(p) | Block::Heading { text: p, .. } => p.contains(text),
            Block::Field { value, .. } => value.contains(text),
            _ => false,
        })
    };
    let missing: Vec<String> = plan
        .report_deadlines
        .iter()
        .filter(|r| !written(&r.text, &blocks) && !plan.closing.iter().any(|c| c.contains(&r.text)))
        .map(|r| {
            format!(
                "{} (trước ngày {}).",
                r.text.trim_end_matches('.'),
                r.date.format("%d/%m/%Y")
            )
        })
        .collect();
    if !missing.is_empty() {
        let romans = plan
            .sections
            .iter()
            .filter(|s| !s.path.contains('.'))
            .count();
        let roman = ROMANS.get(romans).copied().unwrap_or("");
        blocks.push(Block::Heading {
            level: 1,
            text: format!("{roman}. CHẾ ĐỘ BÁO CÁO")
                .trim_start_matches(". ")
                .to_string(),
        });
        blocks.extend(missing.into_iter().map(Block::Paragraph));
    }
    blocks.extend(plan.closing.iter().map(|p| Block::Paragraph(p.clone())));
    OfficialDoc {
        parent_body: parent_body.map(str::to_string),
        issuing_body: issuer,
        number: plan.number.clone(),
        place: plan.place.clone(),
        date: plan.date,
        kind: plan.kind.clone().unwrap_or_else(|| "Kế hoạch".to_string()),
        title,
        blocks,
        signature: Signature {
            authority: plan.signer_authority.clone(),
            title: plan.signer_title.clone(),
            name: plan.signer.clone(),
        },
        recipients: plan.recipients.clone(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn markers_from_paths() {
        assert_eq!(task_marker("II.1.2"), "1.2.");
        assert_eq!(task_marker("II.3"), "3.");
        assert_eq!(task_marker("II.3.2.a"), "a)");
        assert_eq!(task_marker("II.2.e#2"), "e)");
        assert_eq!(task_marker("II.3#1"), "3.");
    }

    #[test]
    fn outline_order() {
        let mut paths = vec![
            "II.10", "II.2.đ", "III", "II.2", "II.2.e#2", "II.2.e", "I.1", "II.2.e#1",
        ];
        paths.sort_by_key(|p| path_key(p));
        assert_eq!(
            paths,
            [
                "I.1", "II.2", "II.2.đ", "II.2.e", "II.2.e#1", "II.2.e#2", "II.10", "III"
            ]
        );
    }
}
