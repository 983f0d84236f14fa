//! Small server-rendered SVG charts (horizontal bars, columns, a 100 % stacked bar, a timeline), meant to be inlined in HTML pages (no script, no external
//! font, no inline style so a strict CSP applies).
//!
//! Every chart is `role="img"` with an `aria-label` and a `<title>`; its size is given only by a
//! `viewBox` 340 units wide with 13-unit text, so that on a 360 px phone (about 330 px of chart)
//! a unit is about a pixel and the text stays readable; the page's stylesheet caps the width so
//! that on a desktop the text is not blown up either. The timeline is wider (560 units) and
//! scrolls inside its box on a phone rather than shrinking. Colours are set with a
//! `class` (for the page stylesheet) *and* a fallback `fill`, so the charts also render without
//! CSS. Numbers follow Vietnamese style (1.234,5) and dates dd/mm/yyyy, as in Nghị định
//! 30/2020/NĐ-CP, Phụ lục I. All text is XML-escaped; empty input renders "Chưa có dữ liệu".

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::text::{truncate, xml_safe};

/// One horizontal bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Shown at the bar end *instead of* the value when given, e.g. "60% (12/20)".
    pub note: Option<String>,
}

/// One part of a 100 % stacked bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub label: String,
    pub value: u64,
    /// CSS class, e.g. "st-done".
    pub class: String,
}

/// One row of a timeline: a bar from `start` to `end` (inclusive), or a deadline diamond at
/// `end` when `start` is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub label: String,
    pub start: Option<NaiveDate>,
    pub end: NaiveDate,
    pub class: String,
}

/// viewBox width of the bar, column and stacked charts.
const W: f64 = 340.0;
/// viewBox width of the timeline.
const W_TIMELINE: f64 = 560.0;
/// Font size of every label, in viewBox units.
const FONT: f64 = 13.0;
/// Average advance of a character at [`FONT`], for fitting labels (Vietnamese text in a sans
/// font is about 0,55 em per character).
const CHAR_W: f64 = FONT * 0.56;
const EMPTY: &str = "Chưa có dữ liệu";
const MUTED: &str = "#6b7280";
const PALETTE: [&str; 6] = [
    "#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2",
];

/// Escape for text content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in xml_safe(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A class attribute value restricted to `[A-Za-z0-9_ -]`.
fn class_name(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Coordinate with at most one decimal.
fn n(x: f64) -> String {
    let r = if x.is_finite() {
        (x * 10.0).round() / 10.0
    } else {
        0.0
    };
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Fallback colour for a status-like class, else a palette colour.
fn fallback_fill(class: &str, index: usize) -> &'static str {
    let c = class.to_ascii_lowercase();
    let has = |keys: &[&str]| keys.iter().any(|k| c.contains(k));
    if has(&["done", "complete", "xong"]) {
        "#16a34a"
    } else if has(&["late", "overdue", "qua-han", "tre-han"]) {
        "#dc2626"
    } else if has(&["cancel", "huy"]) {
        MUTED
    } else if has(&["todo", "new", "pending", "chua"]) {
        "#9ca3af"
    } else if has(&["warn", "soon", "sap"]) {
        "#f59e0b"
    } else if has(&["progress", "doing", "dang"]) {
        "#2563eb"
    } else {
        PALETTE[index % PALETTE.len()]
    }
}

fn open(out: &mut String, kind: &str, title: &str, height: f64) {
    open_w(out, kind, title, W, height);
}

fn open_w(out: &mut String, kind: &str, title: &str, width: f64, height: f64) {
    let t = esc(title);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" aria-label="{t}" class="chart chart-{kind}" font-family="sans-serif" font-size="{}"><title>{t}</title>"#,
        n(width),
        n(height),
        n(FONT),
    );
}

/// How many characters fit in `width` units.
fn fits(width: f64) -> usize {
    (width / CHAR_W).floor().max(1.0) as usize
}

fn empty(kind: &str, title: &str) -> String {
    let width = if kind == "timeline" { W_TIMELINE } else { W };
    let mut out = String::new();
    open_w(&mut out, kind, title, width, 40.0);
    let _ = write!(
        out,
        r#"<text class="chart-empty" x="{}" y="24" text-anchor="middle" fill="{MUTED}">{EMPTY}</text></svg>"#,
        n(width / 2.0)
    );
    out
}

/// "1.234" for whole numbers, "1.234,5" otherwise.
fn format_value(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        text_vi::format_int(v as i64)
    } else {
        text_vi::format_decimal(v, 1)
    }
}

fn format_count(v: u64) -> String {
    text_vi::format_int(i64::try_from(v).unwrap_or(i64::MAX))
}

/// Horizontal bar chart: each bar under its label (the label has the whole width, cut to fit;
/// the full text stays in the bar's `<title>`), bars scaled to `max` (default: the largest
/// value), and at the bar end the value, or the note in its place when one is given.
pub fn bar_chart(title: &str, bars: &[Bar], max: Option<f64>) -> String {
    const VALUE_W: f64 = 96.0;
    const ROW_H: f64 = 40.0;
    const BAR_H: f64 = 14.0;
    if bars.is_empty() {
        return empty("bar", title);
    }
    let largest = bars
        .iter()
        .map(|b| b.value)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let scale = max.filter(|m| m.is_finite() && *m > 0.0).unwrap_or(largest);
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let area = W - VALUE_W;

    let mut out = String::new();
    open(&mut out, "bar", title, bars.len() as f64 * ROW_H + 2.0);
    for (i, b) in bars.iter().enumerate() {
        let y = i as f64 * ROW_H;
        let ratio = if b.value.is_finite() {
            (b.value / scale).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let w = ratio * area;
        let shown = match b.note.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(note) => note.to_string(),
            None => format_value(b.value),
        };
        let _ = write!(
            out,
            r##"<g><title>{}: {}</title><text x="0" y="{}">{}</text><rect class="bar" x="0" y="{}" width="{}" height="{}" rx="2" fill="#2563eb"/><text class="bar-value" x="{}" y="{}">{}</text></g>"##,
            esc(b.label.trim()),
            esc(&shown),
            n(y + 14.0),
            esc(&truncate(b.label.trim(), fits(W))),
            n(y + 20.0),
            n(w),
            n(BAR_H),
            n(w + 6.0),
            n(y + 32.0),
            esc(&truncate(&shown, fits(W - w - 6.0))),
        );
    }
    out.push_str("</svg>");
    out
}

/// Vertical column chart, one column per period ("6T/2025", "2025", "6T/2026"): columns scaled
/// to the largest value, the value (Vietnamese grouping, "1.234.567") above each column, the
/// label under it (cut to fit the slot; the full label, value and note stay in the column's
/// `<title>`).
pub fn column_chart(title: &str, columns: &[Bar]) -> String {
    const TOP: f64 = 20.0;
    const PLOT_H: f64 = 150.0;
    const LABEL_H: f64 = 24.0;
    const SIDE: f64 = 8.0;
    if columns.is_empty() {
        return empty("column", title);
    }
    let largest = columns
        .iter()
        .map(|b| b.value)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let scale = if largest > 0.0 { largest } else { 1.0 };
    let slot = (W - 2.0 * SIDE) / columns.len() as f64;
    let bar_w = (slot * 0.6).min(56.0);
    // Labels keep the chart's text size; a label that does not fit its slot is cut (its full
    // text stays in the column's title).
    let font = FONT;
    let max_chars = fits(slot - 2.0);
    let base = TOP + PLOT_H;
    let height = base + LABEL_H;

    let mut out = String::new();
    open(&mut out, "column", title, height);
    let _ = write!(
        out,
        r##"<line class="axis" x1="{}" y1="{2}" x2="{}" y2="{2}" stroke="#9ca3af"/>"##,
        n(SIDE),
        n(W - SIDE),
        n(base),
    );
    for (i, b) in columns.iter().enumerate() {
        let cx = SIDE + slot * (i as f64 + 0.5);
        let ratio = if b.value.is_finite() {
            (b.value / scale).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let h = ratio * PLOT_H;
        let shown = format_value(b.value);
        let mut tip = format!("{}: {}", b.label.trim(), shown);
        if let Some(note) = b.note.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let _ = write!(tip, " ({note})");
        }
        let _ = write!(
            out,
            r##"<g><title>{}</title><rect class="bar" x="{}" y="{}" width="{}" height="{}" rx="2" fill="#2563eb"/><text class="bar-value" x="{cx}" y="{}" text-anchor="middle" font-size="{font}">{}</text><text x="{cx}" y="{}" text-anchor="middle" font-size="{font}">{}</text></g>"##,
            esc(&tip),
            n(cx - bar_w / 2.0),
            n(base - h),
            n(bar_w),
            n(h),
            n(base - h - 4.0),
            esc(&shown),
            n(base + 15.0),
            esc(&truncate(b.label.trim(), max_chars)),
            cx = n(cx),
            font = n(font),
        );
    }
    out.push_str("</svg>");
    out
}

/// One 100 % bar split into `segments`, with a legend (label, count, share), one per line.
pub fn stacked_bar(title: &str, segments: &[Segment]) -> String {
    const BAR_H: f64 = 24.0;
    const LEGEND_TOP: f64 = 36.0;
    const LEGEND_ROW: f64 = 20.0;
    let total: u128 = segments.iter().map(|s| u128::from(s.value)).sum();
    if total == 0 {
        return empty("stacked", title);
    }
    let legend_rows = segments.len();
    let height = LEGEND_TOP + legend_rows as f64 * LEGEND_ROW + 4.0;

    let mut out = String::new();
    open(&mut out, "stacked", title, height);
    let mut cum: u128 = 0;
    for (i, s) in segments.iter().enumerate() {
        let class = class_name(&s.class);
        let fill = fallback_fill(&class, i);
        let pct = text_vi::format_decimal(s.value as f64 * 100.0 / total as f64, 0);
        let label = esc(s.label.trim());
        let count = format_count(s.value);
        if s.value > 0 {
            let x0 = W * cum as f64 / total as f64;
            cum += u128::from(s.value);
            let x1 = W * cum as f64 / total as f64;
            let _ = write!(
                out,
                r#"<rect class="{class}" x="{}" y="2" width="{}" height="{}" fill="{fill}"><title>{label}: {count} ({pct}%)</title></rect>"#,
                n(x0),
                n(x1 - x0),
                n(BAR_H),
            );
        }
        let lx = 0.0;
        let ly = LEGEND_TOP + i as f64 * LEGEND_ROW;
        let _ = write!(
            out,
            r#"<rect class="{class}" x="{}" y="{}" width="12" height="12" fill="{fill}"/><text x="{}" y="{}">{}: {count} ({pct}%)</text>"#,
            n(lx),
            n(ly),
            n(lx + 18.0),
            n(ly + 11.0),
            esc(&truncate(s.label.trim(), fits(W - 18.0) - 12)),
        );
    }
    out.push_str("</svg>");
    out
}

/// First days of the months inside `from..=to` (at most 600).
fn month_starts(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let (mut y, mut m) = (from.year(), from.month());
    if from.day() != 1 {
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    let mut out = Vec::new();
    while let Some(d) = NaiveDate::from_ymd_opt(y, m, 1) {
        if d > to || out.len() >= 600 {
            break;
        }
        out.push(d);
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Gantt-like timeline over `from..=to`: one row per span, month ticks "T1".."T12" (with the
/// year when the range spans years), a dashed "Hôm nay" line, and a diamond for a span that has
/// only a deadline.
pub fn timeline(
    title: &str,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    spans: &[Span],
) -> String {
    const LABEL_W: f64 = 170.0;
    const RIGHT: f64 = 8.0;
    const AXIS_H: f64 = 22.0;
    const ROW_H: f64 = 24.0;
    if spans.is_empty() || to < from {
        return empty("timeline", title);
    }
    let days = (to - from).num_days() + 1;
    let chart_w = W_TIMELINE - LABEL_W - RIGHT;
    let day_w = chart_w / days as f64;
    // x of the start of day `d`, clamped to the range.
    let x = |d: NaiveDate| {
        let off = (d - from).num_days().clamp(0, days);
        LABEL_W + off as f64 * day_w
    };
    let rows_bottom = AXIS_H + spans.len() as f64 * ROW_H + 4.0;
    let height = rows_bottom + 18.0;

    let mut out = String::new();
    open_w(&mut out, "timeline", title, W_TIMELINE, height);

    // Month ticks, thinned so labels do not overlap.
    let multi_year = from.year() != to.year();
    let ticks = month_starts(from, to);
    let label_px = (if multi_year { 7.0 } else { 3.0 }) * CHAR_W + 6.0;
    let per_month = chart_w * 30.4 / days as f64;
    let step = ((label_px / per_month).ceil() as usize).max(1);
    let mut labelled_year = None;
    let mut last_right = f64::NEG_INFINITY;
    for d in ticks.iter().step_by(step) {
        let tx = x(*d);
        let label = if multi_year && labelled_year != Some(d.year()) {
            format!("T{}/{}", d.month(), d.year())
        } else {
            format!("T{}", d.month())
        };
        // A label that would run past the right edge is drawn ending at the tick instead, and
        // left out if it would then overlap the label column.
        let width = label.chars().count() as f64 * CHAR_W;
        let (lx, anchor) = if tx + 2.0 + width <= W_TIMELINE - 1.0 {
            (tx + 2.0, "start")
        } else if tx - 2.0 - width >= LABEL_W {
            (tx - 2.0, "end")
        } else {
            continue;
        };
        let left = if anchor == "end" { lx - width } else { lx };
        if left < last_right + 4.0 {
            continue;
        }
        last_right = left + width;
        if multi_year && labelled_year != Some(d.year()) {
            labelled_year = Some(d.year());
        }
        let _ = write!(
            out,
            r##"<line class="grid" x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#e5e7eb"/><text x="{3}" y="15" text-anchor="{anchor}" fill="{MUTED}">{label}</text>"##,
            n(tx),
            n(AXIS_H - 4.0),
            n(rows_bottom),
            n(lx),
        );
    }

    for (i, s) in spans.iter().enumerate() {
        let y = AXIS_H + i as f64 * ROW_H;
        let class = class_name(&s.class);
        let fill = fallback_fill(&class, i);
        let label = s.label.trim();
        let (tip, shape) = match s.start.filter(|st| *st <= s.end) {
            Some(st) => {
                let tip = format!(
                    "{}: {} – {}",
                    label,
                    text_vi::format_date(st),
                    text_vi::format_date(s.end)
                );
                let visible = st <= to && s.end >= from;
                let x0 = x(st);
                let x1 = (d_after(s.end).map_or(LABEL_W + chart_w, x)).max(x0 + 2.0);
                let shape = visible.then(|| {
                    format!(
                        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="12" rx="2" fill="{fill}"/>"#,
                        n(x0),
                        n(y + 5.0),
                        n(x1 - x0),
                    )
                });
                (tip, shape)
            }
            None => {
                let tip = format!("{}: hạn {}", label, text_vi::format_date(s.end));
                let visible = s.end >= from && s.end <= to;
                let cx = x(s.end) + day_w / 2.0;
                let cy = y + 11.0;
                let shape = visible.then(|| {
                    format!(
                        r#"<path class="{class} deadline" d="M{} {}l6 6-6 6-6-6z" fill="{fill}"/>"#,
                        n(cx),
                        n(cy - 6.0),
                    )
                });
                (tip, shape)
            }
        };
        let _ = write!(
            out,
            r#"<g><title>{}</title><text x="0" y="{}">{}</text>{}</g>"#,
            esc(&tip),
            n(y + 15.0),
            esc(&truncate(label, fits(LABEL_W - 4.0))),
            shape.unwrap_or_default(),
        );
    }

    if today >= from && today <= to {
        let tx = x(today) + day_w / 2.0;
        // The label stays inside the chart even when today is at an edge of the range.
        // Measured generously (0,7 em a character: "m" is wide in every sans font).
        let half = "Hôm nay".chars().count() as f64 * FONT * 0.7 / 2.0;
        let lx = tx.clamp(LABEL_W + half, W_TIMELINE - half);
        let _ = write!(
            out,
            r##"<line class="today" x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#dc2626" stroke-dasharray="3 2"/><text class="today-label" x="{4}" y="{3}" text-anchor="middle" fill="#dc2626">Hôm nay</text>"##,
            n(tx),
            n(AXIS_H - 4.0),
            n(rows_bottom),
            n(height - 3.0),
            n(lx),
        );
    }
    out.push_str("</svg>");
    out
}

/// The day after `d`, if representable.
fn d_after(d: NaiveDate) -> Option<NaiveDate> {
    d.succ_opt()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("aria-label").is_some());
        assert!(root.attribute("viewBox").is_some());
        assert!(root.attribute("width").is_none());
        assert!(root.children().any(|c| c.has_tag_name("title")));
        doc
    }

    fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    }

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "Sở Tư pháp <&> \"Lạng Sơn\"".into(),
                value: 12.0,
                note: Some("12/20".into()),
            },
            Bar {
                label: "Ủy ban nhân dân huyện Cao Lộc và các xã, thị trấn".into(),
                value: 1234.5,
                note: None,
            },
            Bar {
                label: "Âm".into(),
                value: -3.0,
                note: None,
            },
            Bar {
                label: "NaN".into(),
                value: f64::NAN,
                note: None,
            },
        ]
    }

    #[test]
    fn bar_chart_escapes_and_formats() {
        let svg = bar_chart("Tiến độ <theo> đơn vị & năm", &bars(), None);
        assert!(svg.contains("Sở Tư pháp &lt;&amp;&gt; &quot;Lạng Sơn&quot;"));
        assert!(svg.contains("Tiến độ &lt;theo&gt; đơn vị &amp; năm"));
        let doc = parse(&svg);
        let t = texts(&doc);
        // The note stands in place of the value (never "12 (12/20)").
        assert!(t.iter().any(|s| s == "12/20"));
        assert!(t.iter().any(|s| s == "1.234,5"));
        // Long label cut with an ellipsis, full text kept in the title.
        assert!(
            t.iter()
                .any(|s| s.ends_with('…') && s.chars().count() <= fits(W))
        );
        assert!(
            t.iter()
                .any(|s| s.contains("Ủy ban nhân dân huyện Cao Lộc và các xã, thị trấn"))
        );
        assert!(svg.len() < 4000, "{} bytes", svg.len());
    }

    #[test]
    fn column_chart_formats_scales_and_escapes() {
        let cols = vec![
            Bar {
                label: "6T/2025".into(),
                value: 1_234_567.0,
                note: Some("tăng <5%>".into()),
            },
            Bar {
                label: "2025".into(),
                value: 617_283.5,
                note: None,
            },
            Bar {
                label: "6T/2026 & \"dự kiến\" rất dài".into(),
                value: 0.0,
                note: None,
            },
            Bar {
                label: "NaN".into(),
                value: f64::NAN,
                note: None,
            },
        ];
        let svg = column_chart("Số vụ việc <theo> kỳ & năm", &cols);
        assert!(svg.contains("Số vụ việc &lt;theo&gt; kỳ &amp; năm"));
        assert!(svg.contains("&amp; &quot;dự kiến&quot;"));
        let doc = parse(&svg);
        let t = texts(&doc);
        assert!(t.iter().any(|s| s == "1.234.567"), "{t:?}");
        assert!(t.iter().any(|s| s == "617.283,5"), "{t:?}");
        assert!(t.iter().any(|s| s == "6T/2025"));
        assert!(t.iter().any(|s| s == "6T/2025: 1.234.567 (tăng <5%>)"));
        // Long labels are cut, the full text stays in the title.
        assert!(t.iter().any(|s| s.ends_with('…')));
        assert!(
            t.iter()
                .any(|s| s.contains("6T/2026 & \"dự kiến\" rất dài"))
        );
        // The largest column fills the plot; the others scale with it.
        let heights: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect"))
            .map(|n| n.attribute("height").unwrap().parse().unwrap())
            .collect();
        assert_eq!(heights, vec![150.0, 75.0, 0.0, 0.0]);
        assert!(svg.len() < 4000, "{} bytes", svg.len());

        // Many periods still produce a well-formed chart.
        let many: Vec<Bar> = (2000..2030)
            .map(|y| Bar {
                label: y.to_string(),
                value: f64::from(y),
                note: None,
            })
            .collect();
        parse(&column_chart("Nhiều năm", &many));
    }

    #[test]
    fn empty_inputs_say_no_data() {
        for svg in [
            bar_chart("Biểu đồ", &[], None),
            column_chart("Theo kỳ", &[]),
            stacked_bar("Trạng thái", &[]),
            stacked_bar(
                "Trạng thái",
                &[Segment {
                    label: "A".into(),
                    value: 0,
                    class: "x".into(),
                }],
            ),
            timeline(
                "Tiến độ",
                ymd(2024, 1, 1),
                ymd(2024, 12, 31),
                ymd(2024, 6, 1),
                &[],
            ),
            timeline(
                "Tiến độ",
                ymd(2024, 12, 31),
                ymd(2024, 1, 1),
                ymd(2024, 6, 1),
                &[Span {
                    label: "A".into(),
                    start: None,
                    end: ymd(2024, 3, 1),
                    class: String::new(),
                }],
            ),
        ] {
            let doc = parse(&svg);
            assert!(texts(&doc).iter().any(|s| s == "Chưa có dữ liệu"), "{svg}");
        }
    }

    #[test]
    fn stacked_bar_has_classes_fallbacks_and_legend() {
        let segs = vec![
            Segment {
                label: "Hoàn thành".into(),
                value: 2,
                class: "st-done".into(),
            },
            Segment {
                label: "Đang thực hiện".into(),
                value: 1,
                class: "st-doing".into(),
            },
            Segment {
                label: "Quá hạn".into(),
                value: 1,
                class: "st-overdue\"><script>".into(),
            },
        ];
        let svg = stacked_bar("Trạng thái nhiệm vụ", &segs);
        let doc = parse(&svg);
        assert!(svg.contains(r#"class="st-done""#) && svg.contains("#16a34a"));
        assert!(!svg.contains("<script"));
        let t = texts(&doc);
        assert!(t.iter().any(|s| s == "Hoàn thành: 2 (50%)"), "{t:?}");
        assert!(t.iter().any(|s| s == "Quá hạn: 1 (25%)"));
        // Segments fill the full width.
        let widths: f64 = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("height") == Some("24"))
            .map(|n| n.attribute("width").unwrap().parse::<f64>().unwrap())
            .sum();
        assert!((widths - W).abs() < 0.5, "{widths}");
    }

    #[test]
    fn timeline_ticks_today_and_deadlines() {
        let spans = vec![
            Span {
                label: "Tuyên truyền".into(),
                start: Some(ymd(2024, 2, 1)),
                end: ymd(2024, 4, 30),
                class: "st-done".into(),
            },
            Span {
                label: "Báo cáo năm".into(),
                start: None,
                end: ymd(2024, 12, 15),
                class: "st-todo".into(),
            },
            Span {
                label: "Ngoài phạm vi".into(),
                start: Some(ymd(2023, 1, 1)),
                end: ymd(2023, 2, 1),
                class: String::new(),
            },
        ];
        let svg = timeline(
            "Kế hoạch 2024",
            ymd(2024, 1, 1),
            ymd(2024, 12, 31),
            ymd(2024, 6, 15),
            &spans,
        );
        let doc = parse(&svg);
        let t = texts(&doc);
        for m in ["T1", "T6", "T12"] {
            assert!(t.iter().any(|s| s == m), "missing {m}: {t:?}");
        }
        assert!(t.iter().any(|s| s == "Hôm nay"));
        assert!(t.iter().any(|s| s == "Báo cáo năm: hạn 15/12/2024"));
        assert!(
            t.iter()
                .any(|s| s == "Tuyên truyền: 01/02/2024 – 30/04/2024")
        );
        assert!(svg.contains("deadline"));

        let svg = timeline(
            "Hai năm",
            ymd(2024, 10, 15),
            ymd(2025, 3, 31),
            ymd(2026, 1, 1),
            &spans,
        );
        let doc = parse(&svg);
        let t = texts(&doc);
        assert!(t.iter().any(|s| s == "T11/2024"), "{t:?}");
        assert!(t.iter().any(|s| s == "T1/2025"), "{t:?}");
        assert!(!t.iter().any(|s| s == "Hôm nay"));

        // A long range thins the ticks but stays well-formed.
        let svg = timeline(
            "Dài",
            ymd(2000, 1, 1),
            ymd(2030, 12, 31),
            ymd(2024, 1, 1),
            &spans,
        );
        parse(&svg);
    }

    proptest! {
        #[test]
        fn arbitrary_labels_are_well_formed(
            title in any::<String>(),
            labels in proptest::collection::vec(any::<String>(), 0..5),
            classes in proptest::collection::vec(any::<String>(), 0..5),
            values in proptest::collection::vec(any::<f64>(), 0..5),
            offset in -400i64..400,
        ) {
            let bars: Vec<Bar> = labels.iter().zip(values.iter().cycle()).map(|(l, v)| Bar {
                label: l.clone(), value: *v, note: Some(l.clone()),
            }).collect();
            parse(&bar_chart(&title, &bars, values.first().copied()));
            parse(&column_chart(&title, &bars));

            let segs: Vec<Segment> = labels.iter().zip(classes.iter().cycle()).enumerate().map(|(i, (l, c))| Segment {
                label: l.clone(), value: i as u64 * 7 + 1, class: c.clone(),
            }).collect();
            parse(&stacked_bar(&title, &segs));

            let base = ymd(2024, 5, 10);
            let spans: Vec<Span> = labels.iter().zip(classes.iter().cycle()).enumerate().map(|(i, (l, c))| Span {
                label: l.clone(),
                start: (i % 2 == 0).then(|| base + chrono::Duration::days(offset)),
                end: base + chrono::Duration::days(offset / 2 + i as i64 * 30),
                class: c.clone(),
            }).collect();
            parse(&timeline(&title, ymd(2024, 1, 1), ymd(2024, 12, 31), base, &spans));
        }
    }

    #[test]
    fn timeline_ticks_never_overlap() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let spans = vec![Span { label: "a".into(), start: None, end: day(2024, 6, 1), class: "x".into() }];
        for (from, to) in [(day(2024, 1, 1), day(2025, 1, 31)), (day(2024, 1, 15), day(2024, 12, 31)), (day(2023, 11, 1), day(2026, 2, 28))] {
            let svg = timeline("x", from, to, day(2024, 6, 1), &spans);
            let doc = parse(&svg);
            let mut spans_x: Vec<(f64, f64)> = doc.descendants().filter(|n| n.has_tag_name("text") && n.attribute("y") == Some("15")).map(|t| {
                let x: f64 = t.attribute("x").unwrap().parse().unwrap();
                let w = t.text().unwrap().chars().count() as f64 * CHAR_W;
                if t.attribute("text-anchor") == Some("end") { (x - w, x) } else { (x, x + w) }
            }).collect();
            spans_x.sort_by(|a, b| a.0.total_cmp(&b.0));
            for pair in spans_x.windows(2) {
                assert!(pair[0].1 <= pair[1].0, "tick labels overlap: {spans_x:?}");
            }
        }
    }

    /// Every label of every chart stays inside the chart (estimated at the chart's text size)
    /// and is never smaller than the chart's text size.
    #[test]
    fn labels_fit_and_keep_their_size() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let spans: Vec<Span> = (1..=12)
            .map(|m| Span { label: format!("Nhiệm vụ tháng {m} có tên rất dài để thử cắt nhãn"), start: Some(day(m, 1)), end: day(m, 20), class: "st-done".into() })
            .collect();
        let charts = [
            (bar_chart("x", &bars(), None), W),
            (column_chart("x", &(0..9).map(|i| Bar { label: format!("6T/{}", 2020 + i), value: f64::from(i), note: None }).collect::<Vec<_>>()), W),
            (stacked_bar("x", &[Segment { label: "Hoàn thành đúng hạn và vượt tiến độ".into(), value: 3, class: "st-done".into() }, Segment { label: "Quá hạn".into(), value: 1, class: "st-overdue".into() }]), W),
            (timeline("x", NaiveDate::from_ymd_opt(2025, 11, 3).unwrap(), NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(), day(6, 1), &spans), W_TIMELINE),
            (timeline("x", day(1, 1), day(12, 31), day(12, 31), &spans), W_TIMELINE),
            (timeline("x", day(1, 1), day(12, 31), day(1, 1), &spans), W_TIMELINE),
        ];
        for (svg, width) in &charts {
            let doc = parse(svg);
            assert_eq!(doc.root_element().attribute("font-size"), Some("13"), "{svg}");
            for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
                assert!(t.attribute("font-size").is_none_or(|f| f.parse::<f64>().unwrap() >= FONT), "{svg}");
                let text = t.text().unwrap_or_default();
                let x: f64 = t.attribute("x").unwrap().parse().unwrap();
                let w = text.chars().count() as f64 * CHAR_W;
                let (left, right) = match t.attribute("text-anchor") {
                    Some("end") => (x - w, x),
                    Some("middle") => (x - w / 2.0, x + w / 2.0),
                    _ => (x, x + w),
                };
                assert!(left >= -0.5 && right <= width + 0.5, "«{text}» at {x} runs out of the chart ({left}..{right} of {width})");
            }
        }
    }
}
