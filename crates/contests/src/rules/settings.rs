//! A round's rules as data (thể lệ): the draw quotas, the attempt policy, the prediction
//! question, the ranking keys in order, the prize bands and when answers are shown. Each has a
//! stored form (codes, JSON) and an organiser's form (lines of text), parsed here with
//! Vietnamese messages per line.

use serde::{Deserialize, Serialize};

use crate::msg;

/// Difficulty levels of the bank (mức độ): stored code and label.
pub const DIFFICULTIES: [(&str, &str); 3] = [("de", msg::DIFF_EASY), ("trung_binh", msg::DIFF_MEDIUM), ("kho", msg::DIFF_HARD)];

/// The stored code of a difficulty written by an organiser ("Khó", "kho", "KHÓ", "3").
pub fn difficulty_code(written: &str) -> Option<&'static str> {
    let k = text_vi::fold(written.trim());
    match k.as_str() {
        "de" | "1" => Some("de"),
        "trung binh" | "trung_binh" | "tb" | "2" => Some("trung_binh"),
        "kho" | "3" => Some("kho"),
        _ => None,
    }
}

pub fn difficulty_label(code: &str) -> &'static str {
    DIFFICULTIES.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or("")
}

/// Draw `count` questions of `topic` (empty: any) and `difficulty` (code; empty: any).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub topic: String,
    pub difficulty: String,
    pub count: usize,
}

/// Most questions an attempt may have.
pub const MAX_QUESTIONS: usize = 100;

/// Parses quota lines "chủ đề; mức độ; số câu" ("*" or empty for any). Errors name the line.
pub fn parse_quotas(text: &str) -> Result<Vec<Quota>, Vec<String>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        if parts.len() != 3 {
            errors.push(msg::quota_line(n + 1, msg::QUOTA_FORMAT));
            continue;
        }
        let any = |s: &str| s.is_empty() || s == "*";
        let topic = if any(parts[0]) { String::new() } else { text_vi::nfc(parts[0]) };
        let difficulty = if any(parts[1]) {
            String::new()
        } else {
            match difficulty_code(parts[1]) {
                Some(c) => c.to_string(),
                None => {
                    errors.push(msg::quota_line(n + 1, msg::DIFFICULTY_UNKNOWN));
                    continue;
                }
            }
        };
        match parts[2].parse::<usize>() {
            Ok(c) if (1..=MAX_QUESTIONS).contains(&c) => out.push(Quota { topic, difficulty, count: c }),
            _ => errors.push(msg::quota_line(n + 1, msg::QUOTA_COUNT)),
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(msg::QUOTAS_REQUIRED.to_string());
    }
    if out.iter().map(|q| q.count).sum::<usize>() > MAX_QUESTIONS {
        errors.push(msg::TOO_MANY_QUESTIONS.to_string());
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The quota lines as an organiser writes them.
pub fn quotas_text(quotas: &[Quota]) -> String {
    quotas
        .iter()
        .map(|q| {
            let t = if q.topic.is_empty() { "*" } else { q.topic.as_str() };
            let d = if q.difficulty.is_empty() { "*" } else { difficulty_label(&q.difficulty) };
            format!("{t}; {d}; {}", q.count)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which attempt counts when several are allowed (cách tính kết quả).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    Best,
    First,
    Last,
}

impl Counting {
    pub const ALL: [Counting; 3] = [Counting::Best, Counting::First, Counting::Last];
    pub fn as_str(self) -> &'static str {
        match self {
            Counting::Best => "best",
            Counting::First => "first",
            Counting::Last => "last",
        }
    }
    pub fn parse(s: &str) -> Option<Counting> {
        Counting::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Counting::Best => msg::COUNT_BEST,
            Counting::First => msg::COUNT_FIRST,
            Counting::Last => msg::COUNT_LAST,
        }
    }
}

/// What the prediction question (câu dự đoán) asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PredictionKind {
    /// How many entrants will answer every question correctly.
    CorrectAllCount,
    /// How many entrants will take part.
    ParticipantCount,
}

impl PredictionKind {
    pub const ALL: [PredictionKind; 2] = [PredictionKind::CorrectAllCount, PredictionKind::ParticipantCount];
    pub fn as_str(self) -> &'static str {
        match self {
            PredictionKind::CorrectAllCount => "correct_all_count",
            PredictionKind::ParticipantCount => "participant_count",
        }
    }
    pub fn parse(s: &str) -> Option<PredictionKind> {
        PredictionKind::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            PredictionKind::CorrectAllCount => msg::PREDICT_CORRECT_ALL,
            PredictionKind::ParticipantCount => msg::PREDICT_PARTICIPANTS,
        }
    }
}

/// A ranking key (tiêu chí xếp hạng). The final key, the entrant's registration order, is
/// always applied last and is not listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankKey {
    /// Higher score first.
    Score,
    /// Prediction closer to the actual figure first; no prediction last.
    Prediction,
    /// Shorter completion time first.
    Duration,
    /// Earlier start first.
    Started,
    /// More attempts with the full score first.
    FullScoreAttempts,
}

impl RankKey {
    pub const ALL: [RankKey; 5] = [RankKey::Score, RankKey::Prediction, RankKey::Duration, RankKey::Started, RankKey::FullScoreAttempts];
    pub const DEFAULT: [RankKey; 4] = [RankKey::Score, RankKey::Prediction, RankKey::Duration, RankKey::Started];
    pub fn as_str(self) -> &'static str {
        match self {
            RankKey::Score => "score",
            RankKey::Prediction => "prediction",
            RankKey::Duration => "duration",
            RankKey::Started => "started",
            RankKey::FullScoreAttempts => "full_score_attempts",
        }
    }
    pub fn parse(s: &str) -> Option<RankKey> {
        RankKey::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            RankKey::Score => msg::KEY_SCORE,
            RankKey::Prediction => msg::KEY_PREDICTION,
            RankKey::Duration => msg::KEY_DURATION,
            RankKey::Started => msg::KEY_STARTED,
            RankKey::FullScoreAttempts => msg::KEY_FULL_SCORE,
        }
    }
}

/// The ranking keys chosen in order (empty choices skipped): each at most once.
pub fn parse_keys(chosen: &[&str]) -> Result<Vec<RankKey>, &'static str> {
    let mut out: Vec<RankKey> = Vec::new();
    for c in chosen.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let k = RankKey::parse(c).ok_or(msg::KEY_UNKNOWN)?;
        if out.contains(&k) {
            return Err(msg::KEY_TWICE);
        }
        out.push(k);
    }
    if out.is_empty() {
        return Err(msg::KEYS_REQUIRED);
    }
    Ok(out)
}

/// A prize band (giải): its name, how many, and the amount in VND.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prize {
    pub name: String,
    pub count: usize,
    pub amount: i64,
}

/// Parses prize lines "tên giải; số giải; số tiền" (amount written 6.000.000 or 6000000).
pub fn parse_prizes(text: &str) -> Result<Vec<Prize>, Vec<String>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        if parts.len() != 3 || parts[0].is_empty() {
            errors.push(msg::prize_line(n + 1, msg::PRIZE_FORMAT));
            continue;
        }
        let count = parts[1].parse::<usize>().ok().filter(|c| (1..=10_000).contains(c));
        let digits: String = parts[2].chars().filter(|c| !matches!(c, '.' | ' ' | ',')).collect();
        let amount = digits.parse::<i64>().ok().filter(|a| (0..=1_000_000_000_000).contains(a));
        match (count, amount) {
            (Some(count), Some(amount)) => out.push(Prize { name: text_vi::nfc(parts[0]), count, amount }),
            _ => errors.push(msg::prize_line(n + 1, msg::PRIZE_FORMAT)),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

pub fn prizes_text(prizes: &[Prize]) -> String {
    prizes.iter().map(|p| format!("{}; {}; {}", p.name, p.count, text_vi::format_int(p.amount))).collect::<Vec<_>>().join("\n")
}

/// The prize of each ranked position (1-based), in band order: the first `count` positions get
/// the first band, and so on.
pub fn prize_for(prizes: &[Prize], position: usize) -> Option<&Prize> {
    let mut upto = 0;
    for p in prizes {
        upto += p.count;
        if position <= upto {
            return Some(p);
        }
    }
    None
}

/// When the entrant sees the correct answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShowAnswers {
    OnSubmit,
    AfterRound,
}

impl ShowAnswers {
    pub const ALL: [ShowAnswers; 2] = [ShowAnswers::OnSubmit, ShowAnswers::AfterRound];
    pub fn as_str(self) -> &'static str {
        match self {
            ShowAnswers::OnSubmit => "on_submit",
            ShowAnswers::AfterRound => "after_round",
        }
    }
    pub fn parse(s: &str) -> Option<ShowAnswers> {
        ShowAnswers::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ShowAnswers::OnSubmit => msg::SHOW_ON_SUBMIT,
            ShowAnswers::AfterRound => msg::SHOW_AFTER_ROUND,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn quota_lines() {
        let q = parse_quotas("Bầu cử; Khó; 5\n\n*; *; 10\nĐất đai;dễ;3").unwrap();
        assert_eq!(q[0], Quota { topic: "Bầu cử".into(), difficulty: "kho".into(), count: 5 });
        assert_eq!(q[1], Quota { topic: String::new(), difficulty: String::new(), count: 10 });
        assert_eq!(q[2].difficulty, "de");
        assert_eq!(parse_quotas(&quotas_text(&q)).unwrap(), q);
        let e = parse_quotas("a; rất khó; 2\nb; *; 0\nc").unwrap_err();
        assert_eq!(e.len(), 3);
        assert!(parse_quotas("").is_err());
        assert!(parse_quotas("*;*;101").is_err());
    }

    #[test]
    fn keys_and_prizes() {
        assert_eq!(parse_keys(&["score", "", "duration"]).unwrap(), vec![RankKey::Score, RankKey::Duration]);
        assert!(parse_keys(&["score", "score"]).is_err());
        assert!(parse_keys(&["", ""]).is_err());
        let p = parse_prizes("Giải Nhất; 1; 6.000.000\nGiải Nhì; 5; 3000000").unwrap();
        assert_eq!(p[1].amount, 3_000_000);
        assert_eq!(parse_prizes(&prizes_text(&p)).unwrap(), p);
        assert_eq!(prize_for(&p, 1).unwrap().name, "Giải Nhất");
        assert_eq!(prize_for(&p, 6).unwrap().name, "Giải Nhì");
        assert!(prize_for(&p, 7).is_none());
        assert!(parse_prizes("Giải; x; 1").is_err());
    }
}
