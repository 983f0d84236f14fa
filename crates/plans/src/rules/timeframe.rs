//! Timeframes as plans write them ("Quý IV/2024", "Hàng năm", "trước ngày 05/12/2024") and what
//! they mean: a deadline (the last day of the period), a recurrence, and a peak window.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A recurring or conditional timeframe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recurrence {
    /// "Thường xuyên", "liên tục".
    Ongoing,
    /// "Hàng năm", "hằng năm".
    Annual,
    /// "Hàng quý".
    Quarterly,
    /// "Hàng tháng".
    Monthly,
    /// "Theo hướng dẫn của Trung ương", "khi có Kế hoạch của Bộ Công an", "khi có yêu cầu".
    WhenInstructed,
}

/// A peak period inside the timeframe ("cao điểm từ ngày 01/11 đến ngày 09/11/2024").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What a timeframe means.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeframe {
    /// Last day of the period named, or the date named ("trước ngày 05/12/2024").
    pub deadline: Option<NaiveDate>,
    pub recurrence: Option<Recurrence>,
    pub window: Option<Window>,
}

/// Fold one character (diacritics off, đ→d, lowercase), one character in, one out, so that
/// positions in the folded text are positions in the original.
pub(crate) fn fold_char(c: char) -> char {
    text_vi::fold_char(c).unwrap_or(c)
}

/// Folded text with one char per original char.
pub(crate) fn fold_chars(s: &str) -> Vec<char> {
    s.chars().map(fold_char).collect()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Does `word` (folded ASCII) occur at `i` as a whole word?
fn word_at(t: &[char], i: usize, word: &str) -> bool {
    if i > 0 && t.get(i - 1).is_some_and(|&c| is_word(c)) {
        return false;
    }
    let w: Vec<char> = word.chars().collect();
    if t.len() < i + w.len() {
        return false;
    }
    if t.get(i..i + w.len()) != Some(&w[..]) {
        return false;
    }
    !t.get(i + w.len()).is_some_and(|&c| is_word(c))
}

fn find_word(t: &[char], from: usize, word: &str) -> Option<usize> {
    (from..t.len()).find(|&i| word_at(t, i, word))
}

fn skip(t: &[char], mut i: usize, set: &[char]) -> usize {
    while t.get(i).is_some_and(|c| set.contains(c)) {
        i += 1;
    }
    i
}

/// Digits at `i`: (value, count, next index).
fn digits(t: &[char], i: usize) -> Option<(u32, usize, usize)> {
    let mut j = i;
    let mut v: u32 = 0;
    while let Some(d) = t.get(j).and_then(|c| c.to_digit(10)) {
        v = v.saturating_mul(10).saturating_add(d);
        j += 1;
        if j - i > 6 {
            return None;
        }
    }
    (j > i).then_some((v, j - i, j))
}

/// "dd/mm/yyyy", "dd/mm" (year from `year`), "dd-mm-yyyy". Returns (date, end, had_year).
fn date_at(t: &[char], i: usize, year: Option<i32>) -> Option<(NaiveDate, usize, bool)> {
    if i > 0 && t.get(i - 1).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let (d, dn, j) = digits(t, i)?;
    if dn > 2 {
        return None;
    }
    let sep = *t.get(j)?;
    if !matches!(sep, '/' | '-' | '.') {
        return None;
    }
    let (m, mn, k) = digits(t, j + 1)?;
    if mn > 2 {
        return None;
    }
    if t.get(k) == Some(&sep)
        && let Some((y, 4, e)) = digits(t, k + 1)
    {
        let y = i32::try_from(y).ok()?;
        return NaiveDate::from_ymd_opt(y, m, d).map(|dt| (dt, e, true));
    }
    NaiveDate::from_ymd_opt(year?, m, d).map(|dt| (dt, k, false))
}

fn last_day_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// A year after optional separators and "nam": "/2024", " năm 2024", ", năm 2024".
fn year_after(t: &[char], i: usize) -> Option<(i32, usize)> {
    let j = skip(t, i, &[' ', ',', '/', '-']);
    let j = if word_at(t, j, "nam") {
        skip(t, j + 3, &[' '])
    } else {
        j
    };
    match digits(t, j) {
        Some((y, 4, e)) => Some((i32::try_from(y).ok()?, e)),
        _ => None,
    }
}

fn roman_quarter(t: &[char], i: usize) -> Option<(u32, usize)> {
    for (w, q) in [
        ("iv", 4),
        ("iii", 3),
        ("ii", 2),
        ("i", 1),
        ("4", 4),
        ("3", 3),
        ("2", 2),
        ("1", 1),
    ] {
        if word_at(t, i, w) {
            return Some((q, i + w.len()));
        }
    }
    None
}

/// The first period named at or after each position: quarter, month, "trước ngày", year list, date.
fn deadline_in(t: &[char], plan_year: Option<i32>) -> Option<NaiveDate> {
    for i in 0..t.len() {
        if word_at(t, i, "truoc") {
            let j = skip(t, i + 5, &[' ']);
            let j = if word_at(t, j, "ngay") {
                skip(t, j + 4, &[' '])
            } else {
                j
            };
            if let Some((d, _, _)) = date_at(t, j, plan_year) {
                return Some(d);
            }
        }
        if word_at(t, i, "quy") {
            let j = skip(t, i + 3, &[' ']);
            if let Some((q, e)) = roman_quarter(t, j) {
                let y = year_after(t, e).map(|(y, _)| y).or(plan_year)?;
                return last_day_of_month(y, q * 3);
            }
        }
        if word_at(t, i, "thang") {
            let j = skip(t, i + 5, &[' ']);
            if let Some((m, mn, e)) = digits(t, j)
                && mn <= 2
                && (1..=12).contains(&m)
            {
                let y = year_after(t, e).map(|(y, _)| y).or(plan_year)?;
                return last_day_of_month(y, m);
            }
        }
        if word_at(t, i, "nam") {
            let j = skip(t, i + 3, &[' ']);
            if let Some((y, 4, mut e)) = digits(t, j) {
                let mut last = y;
                // "Năm 2021, 2022", "năm 2021 - 2022", "năm 2021 và 2022".
                loop {
                    let k = skip(t, e, &[' ', ',', '-']);
                    let k = if word_at(t, k, "va") {
                        skip(t, k + 2, &[' '])
                    } else {
                        k
                    };
                    match digits(t, k) {
                        Some((y2, 4, e2)) if y2 > last && y2 < last + 20 => {
                            last = y2;
                            e = e2;
                        }
                        _ => break,
                    }
                }
                return NaiveDate::from_ymd_opt(i32::try_from(last).ok()?, 12, 31);
            }
        }
        if t.get(i).is_some_and(|c| c.is_ascii_digit())
            && let Some((d, _, true)) = date_at(t, i, plan_year)
        {
            return Some(d);
        }
    }
    None
}

/// "từ ngày 01/11 đến ngày 09/11/2024": the window and the char range it covers.
fn window_in(t: &[char], plan_year: Option<i32>) -> Option<(Window, usize, usize)> {
    let start = find_word(t, 0, "tu")?;
    let mut j = skip(t, start + 2, &[' ']);
    if word_at(t, j, "ngay") {
        j = skip(t, j + 4, &[' ']);
    }
    // Parse the start without a year first; the end date usually carries it.
    let (_, e1, _) = date_at(t, j, Some(2000))?;
    let k = find_word(t, e1, "den")?;
    if k > e1 + 3 {
        return None;
    }
    let mut m = skip(t, k + 3, &[' ']);
    if word_at(t, m, "ngay") {
        m = skip(t, m + 4, &[' ']);
    }
    let (to, e2, _) = date_at(t, m, plan_year)?;
    let (from, _, _) = date_at(t, j, Some(to.year()))?;
    let begin = t
        .get(..start)
        .and_then(|p| {
            let s: String = p.iter().collect();
            s.rfind("cao diem")
                .map(|b| s.get(..b).map_or(0, |x| x.chars().count()))
        })
        .unwrap_or(start);
    Some((Window { from, to }, begin, e2))
}

/// Parses a timeframe as written. `plan_year` is used when a quarter, month or date has no year.
///
/// Rules (see docs/plan-import.md): the deadline is the last day of the first period named
/// (quarter, month, year or list of years), or the date after "trước ngày"; a peak window
/// ("cao điểm từ ngày … đến ngày …") is kept apart and does not set the deadline; recurrence words
/// ("thường xuyên", "hàng năm", "theo hướng dẫn …", "khi có …") set the recurrence.
pub fn parse_timeframe(text: &str, plan_year: Option<i32>) -> Timeframe {
    let mut t = fold_chars(&text_vi::nfc(text));
    let mut out = Timeframe::default();
    if let Some((w, b, e)) = window_in(&t, plan_year) {
        out.window = Some(w);
        let e = e.min(t.len());
        if b <= e {
            t.drain(b..e);
        }
    }
    let s: String = t.iter().collect();
    let has = |w: &str| s.contains(w);
    out.recurrence = if has("thuong xuyen") || has("lien tuc") {
        Some(Recurrence::Ongoing)
    } else if has("hang nam") || has("hang quy nam") {
        Some(Recurrence::Annual)
    } else if has("hang quy") {
        Some(Recurrence::Quarterly)
    } else if has("hang thang") {
        Some(Recurrence::Monthly)
    } else if has("theo huong dan")
        || has("khi co ")
        || has("theo chi dao")
        || has("khi duoc")
        || has("theo yeu cau")
    {
        Some(Recurrence::WhenInstructed)
    } else {
        None
    };
    out.deadline = deadline_in(&t, plan_year);
    out
}
