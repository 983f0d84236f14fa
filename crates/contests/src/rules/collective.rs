//! Collective prizes for units (giải tập thể): how the units whose people took part are scored
//! and ranked. Organisers score them in different ways (domain.md §10), all kept as data:
//!
//! - **rate plus points** (Quảng Nam 2022): the unit's participation rate in percent (its
//!   entrants over the headcount the organiser set for it, at most 100) plus the converted
//!   points of its prize-winners (Giải Nhất 10, Giải Nhì 8, Giải Ba 6, … as configured);
//! - **most entrants** (Gia Lai 2025: "đơn vị có nhiều người tham gia nhất");
//! - **most prize-winners** (Gia Lai 2025: "đơn vị có nhiều người đạt giải nhất").
//!
//! Ties are broken by more entrants, then more prize-winners, then the unit's name in
//! Vietnamese order, then its id, so the order is total. Units without an entrant are not
//! ranked. Scores are kept in hundredths (a rate of 87,5% is 8.750) so that they are exact.
//! Pure: no I/O.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::settings::{Prize, prize_for};
use crate::msg;

/// How units are scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectiveMode {
    RatePlusPoints,
    Entrants,
    Winners,
}

impl CollectiveMode {
    pub const ALL: [CollectiveMode; 3] = [CollectiveMode::RatePlusPoints, CollectiveMode::Entrants, CollectiveMode::Winners];
    pub fn as_str(self) -> &'static str {
        match self {
            CollectiveMode::RatePlusPoints => "rate_plus_points",
            CollectiveMode::Entrants => "entrants",
            CollectiveMode::Winners => "winners",
        }
    }
    pub fn parse(s: &str) -> Option<CollectiveMode> {
        CollectiveMode::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CollectiveMode::RatePlusPoints => msg::COLLECTIVE_RATE_PLUS_POINTS,
            CollectiveMode::Entrants => msg::COLLECTIVE_ENTRANTS,
            CollectiveMode::Winners => msg::COLLECTIVE_WINNERS,
        }
    }
}

/// The level of the units that compete: the entrants' communes, or their provinces (a
/// ministry's contest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectiveLevel {
    Commune,
    Province,
}

impl CollectiveLevel {
    pub const ALL: [CollectiveLevel; 2] = [CollectiveLevel::Commune, CollectiveLevel::Province];
    pub fn as_str(self) -> &'static str {
        match self {
            CollectiveLevel::Commune => "commune",
            CollectiveLevel::Province => "province",
        }
    }
    pub fn parse(s: &str) -> Option<CollectiveLevel> {
        CollectiveLevel::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CollectiveLevel::Commune => msg::LEVEL_COMMUNE,
            CollectiveLevel::Province => msg::LEVEL_PROVINCE,
        }
    }
}

/// The points a prize-winner brings to their unit for a prize (by the prize's name in the
/// rounds' bands).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrizePoints {
    pub prize: String,
    pub points: i64,
}

/// A contest's collective prizes, as stored (JSON in `contests.collective`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collective {
    pub mode: CollectiveMode,
    pub level: CollectiveLevel,
    pub points: Vec<PrizePoints>,
    pub prizes: Vec<Prize>,
}

impl Collective {
    /// The stored form read back; `None` when empty or unreadable (no collective prizes).
    pub fn from_stored(s: &str) -> Option<Collective> {
        if s.trim().is_empty() { None } else { serde_json::from_str(s).ok() }
    }
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// The points of a prize (0 for a prize without a line).
    pub fn points_of(&self, prize: &str) -> i64 {
        let key = text_vi::fold(prize);
        self.points.iter().find(|p| text_vi::fold(&p.prize) == key).map_or(0, |p| p.points)
    }
}

/// Most points a prize may bring.
pub const MAX_POINTS: i64 = 1_000;

/// Parses point lines "tên giải; điểm" (e.g. "Giải Nhất; 10"). Errors name the line.
pub fn parse_points(text: &str) -> Result<Vec<PrizePoints>, Vec<String>> {
    let mut out: Vec<PrizePoints> = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        let points = parts.get(1).and_then(|p| p.parse::<i64>().ok()).filter(|p| (0..=MAX_POINTS).contains(p));
        match (parts.len(), points) {
            (2, Some(points)) if !parts[0].is_empty() => {
                let prize = text_vi::nfc(parts[0]);
                if out.iter().any(|p| text_vi::fold(&p.prize) == text_vi::fold(&prize)) {
                    errors.push(msg::points_line(n + 1, msg::POINTS_TWICE));
                } else {
                    out.push(PrizePoints { prize, points });
                }
            }
            _ => errors.push(msg::points_line(n + 1, msg::POINTS_FORMAT)),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

pub fn points_text(points: &[PrizePoints]) -> String {
    points.iter().map(|p| format!("{}; {}", p.prize, p.points)).collect::<Vec<_>>().join("\n")
}

/// What is known of one unit: its people who took part (each once, in any round) and the
/// prizes its people hold (one per prize certificate in force).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub unit_id: i64,
    pub name: String,
    pub entrants: i64,
    /// The headcount set by the organiser (None: not set).
    pub headcount: Option<i64>,
    /// The prizes its people hold, one per prize (each brings its points).
    pub prizes: Vec<String>,
    /// Its people who hold a prize, each counted once however many they hold.
    pub winners: i64,
}

/// A unit's score with its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    pub unit_id: i64,
    pub name: String,
    pub entrants: i64,
    pub headcount: Option<i64>,
    /// The participation rate in hundredths of a percent (8.750 is 87,50%), at most 10.000;
    /// None without a headcount.
    pub rate: Option<i64>,
    pub winners: i64,
    pub points: i64,
    /// The score in hundredths (rate plus points: 8.750 + 100 × points).
    pub score: i64,
}

/// The participation rate in hundredths of a percent, at most 100%.
pub fn rate(entrants: i64, headcount: Option<i64>) -> Option<i64> {
    let h = headcount.filter(|h| *h > 0)?;
    let r = i128::from(entrants.max(0)) * 10_000 / i128::from(h);
    Some(r.min(10_000) as i64)
}

pub fn score(t: &Tally, c: &Collective) -> Scored {
    let rate = rate(t.entrants, t.headcount);
    let winners = t.winners;
    let points: i64 = t.prizes.iter().map(|p| c.points_of(p)).sum();
    let score = match c.mode {
        CollectiveMode::RatePlusPoints => rate.unwrap_or(0) + points.saturating_mul(100),
        CollectiveMode::Entrants => t.entrants.saturating_mul(100),
        CollectiveMode::Winners => winners.saturating_mul(100),
    };
    Scored { unit_id: t.unit_id, name: t.name.clone(), entrants: t.entrants, headcount: t.headcount, rate, winners, points, score }
}

fn order(a: &Scored, b: &Scored) -> Ordering {
    b.score
        .cmp(&a.score)
        .then_with(|| b.entrants.cmp(&a.entrants))
        .then_with(|| b.winners.cmp(&a.winners))
        .then_with(|| text_vi::compare(&a.name, &b.name))
        .then_with(|| a.unit_id.cmp(&b.unit_id))
}

/// One line of the collective ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub position: usize,
    pub unit: Scored,
    pub prize: Option<Prize>,
}

/// The units with at least one entrant, in rank order, with the collective prize bands given
/// to the first positions in order.
pub fn rank(tallies: &[Tally], c: &Collective) -> Vec<Line> {
    let mut scored: Vec<Scored> = tallies.iter().filter(|t| t.entrants > 0).map(|t| score(t, c)).collect();
    scored.sort_by(order);
    scored.into_iter().enumerate().map(|(i, unit)| Line { position: i + 1, prize: prize_for(&c.prizes, i + 1).cloned(), unit }).collect()
}

/// A score in hundredths as shown: "87,5" or "118" (Vietnamese decimal comma).
pub fn score_text(hundredths: i64) -> String {
    let whole = text_vi::format_int(hundredths / 100);
    match (hundredths % 100).abs() {
        0 => whole,
        f if f % 10 == 0 => format!("{whole},{}", f / 10),
        f => format!("{whole},{f:02}"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rules(mode: CollectiveMode) -> Collective {
        Collective {
            mode,
            level: CollectiveLevel::Commune,
            points: parse_points("Giải Nhất; 10\nGiải Nhì; 8\ngiai ba; 6").unwrap(),
            prizes: vec![Prize { name: "Giải Nhất tập thể".into(), count: 1, amount: 3_000_000 }, Prize { name: "Giải Nhì tập thể".into(), count: 2, amount: 2_000_000 }],
        }
    }

    fn t(id: i64, name: &str, entrants: i64, headcount: Option<i64>, prizes: &[&str]) -> Tally {
        Tally { unit_id: id, name: name.into(), entrants, headcount, prizes: prizes.iter().map(|s| s.to_string()).collect(), winners: prizes.len() as i64 }
    }

    #[test]
    fn rate_plus_points_as_in_quang_nam() {
        let c = rules(CollectiveMode::RatePlusPoints);
        // 350 of 400 = 87,5% + Giải Nhì (8) + Giải Ba (6, written without diacritics in the points) = 101,5
        let a = score(&t(1, "Xã A", 350, Some(400), &["Giải Nhì", "Giải Ba"]), &c);
        assert_eq!(a.rate, Some(8_750));
        assert_eq!(a.points, 14);
        assert_eq!(a.score, 10_150);
        assert_eq!(score_text(a.score), "101,5");
        // More entrants than the headcount: the rate stops at 100%.
        assert_eq!(score(&t(2, "Xã B", 500, Some(400), &[]), &c).rate, Some(10_000));
        // No headcount: no rate, only points; a prize without points brings 0.
        let c3 = score(&t(3, "Xã C", 10, None, &["Giải Khuyến khích"]), &c);
        assert_eq!((c3.rate, c3.points, c3.score), (None, 0, 0));
        assert_eq!(rate(1, Some(0)), None);
        assert_eq!(rate(1, Some(3)), Some(3_333));
        // One person holding two prizes: one prize-winner, the points of both.
        let d = score(&Tally { winners: 1, ..t(4, "Xã D", 10, Some(10), &["Giải Nhất", "Giải Ba"]) }, &c);
        assert_eq!((d.winners, d.points), (1, 16));
    }

    #[test]
    fn ranking_modes_ties_and_prizes() {
        let units = vec![
            t(1, "Xã Đông", 100, Some(100), &[]),
            t(2, "Xã An", 50, Some(50), &["Giải Nhất"]),
            t(3, "Xã Bình", 200, Some(1000), &["Giải Nhất", "Giải Nhì"]),
            t(4, "Xã Trống", 0, Some(10), &[]),
            t(5, "Xã Ân", 100, Some(100), &[]),
        ];
        let c = rules(CollectiveMode::RatePlusPoints);
        let r = rank(&units, &c);
        // An 100+10 = 110; Bình 20+18 = 38; Ân and Đông 100 each, same entrants and winners: by name (Ân before Đông).
        let order: Vec<i64> = r.iter().map(|l| l.unit.unit_id).collect();
        assert_eq!(order, vec![2, 5, 1, 3]);
        assert_eq!(r[0].prize.as_ref().unwrap().name, "Giải Nhất tập thể");
        assert_eq!(r[2].prize.as_ref().unwrap().name, "Giải Nhì tập thể");
        assert!(r[3].prize.is_none());
        let e: Vec<i64> = rank(&units, &rules(CollectiveMode::Entrants)).iter().map(|l| l.unit.unit_id).collect();
        assert_eq!(e, vec![3, 5, 1, 2]);
        let w: Vec<i64> = rank(&units, &rules(CollectiveMode::Winners)).iter().map(|l| l.unit.unit_id).collect();
        assert_eq!(w, vec![3, 2, 5, 1]);
    }

    #[test]
    fn point_lines() {
        let p = parse_points("Giải Nhất; 10\n\nGiải Nhì;8").unwrap();
        assert_eq!(p[1], PrizePoints { prize: "Giải Nhì".into(), points: 8 });
        assert_eq!(parse_points(&points_text(&p)).unwrap(), p);
        assert_eq!(parse_points("Giải Nhất; x\n; 3\nGiải Nhất; 10\ngiai nhat; 9\nA; 1001").unwrap_err().len(), 4);
        let c = rules(CollectiveMode::Winners);
        assert_eq!(Collective::from_stored(&c.to_stored()), Some(c));
        assert_eq!(Collective::from_stored(""), None);
        assert_eq!(Collective::from_stored("{"), None);
        assert_eq!(score_text(10_005), "100,05");
        assert_eq!(score_text(123_400), "1.234");
    }
}
