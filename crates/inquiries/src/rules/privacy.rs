//! The check of a text about to be published against the sender's personal data: their full
//! name (compared word by word, with its diacritics; also without them for a name of three words
//! or more, which ordinary words do not spell), e-mail address, phone number, and any run of nine
//! or more digits (a phone or citizen identity number, however it is spaced). Numbers grouped by
//! threes with one separator throughout (1.000.000.000, 1 500 000 000) are amounts, not
//! identifiers.

/// The personal data found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leak {
    Name,
    Email,
    Phone,
    LongNumber,
}

/// The sender's data to look for: the name as given and folded by the caller
/// (`text_vi::fold`), the e-mail address and phone number as given.
#[derive(Clone, Debug, Default)]
pub struct Sender<'a> {
    pub name: &'a str,
    pub folded_name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// A run of digits in a text, with single spaces, dots or dashes allowed between digit groups.
struct Run {
    digits: String,
    groups: Vec<String>,
    /// The separator between groups, if only one kind is used.
    separator: Option<char>,
    mixed: bool,
}

fn digit_runs(text: &str) -> Vec<Run> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut run = Run { digits: String::new(), groups: vec![String::new()], separator: None, mixed: false };
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                run.digits.push(c);
                if let Some(g) = run.groups.last_mut() {
                    g.push(c);
                }
                i += 1;
            } else if matches!(c, ' ' | '.' | '-') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                run.mixed |= run.separator.is_some_and(|s| s != c);
                run.separator = Some(c);
                run.groups.push(String::new());
                i += 1;
            } else {
                break;
            }
        }
        out.push(run);
    }
    out
}

/// An amount written with thousands separators: 1 to 3 digits (no leading zero) then groups of 3
/// after dots, or after spaces, the same separator throughout.
fn is_amount(r: &Run) -> bool {
    !r.mixed
        && matches!(r.separator, Some('.' | ' '))
        && r.groups.len() > 1
        && r.groups.first().is_some_and(|g| (1..=3).contains(&g.len()) && !g.starts_with('0'))
        && r.groups.iter().skip(1).all(|g| g.len() == 3)
}

/// The national digits of a phone number (+84 / 84 written as a leading 0).
fn phone_digits(phone: &str) -> String {
    let d: String = phone.chars().filter(char::is_ascii_digit).collect();
    match d.strip_prefix("84") {
        Some(rest) if phone.trim_start().starts_with('+') || d.len() >= 11 => format!("0{rest}"),
        _ => d,
    }
}

/// The first kind of personal data `text` contains (`folded` is `text_vi::fold(text)`), if any.
pub fn leak(text: &str, folded: &str, sender: &Sender<'_>) -> Option<Leak> {
    let contains = |haystack: &str, name: &[String]| !name.is_empty() && words(haystack).windows(name.len()).any(|w| w == name);
    let name = words(sender.name);
    let folded_name = words(sender.folded_name);
    if contains(text, &name) || (folded_name.len() >= 3 && contains(folded, &folded_name)) {
        return Some(Leak::Name);
    }
    let email = sender.email.trim().to_lowercase();
    if !email.is_empty() && text.to_lowercase().contains(&email) {
        return Some(Leak::Email);
    }
    let runs = digit_runs(text);
    let phone = phone_digits(sender.phone);
    // The last nine digits identify the number whether written with 0, 84 or +84.
    let tail: String = phone.chars().skip(phone.len().saturating_sub(9)).collect();
    if tail.len() == 9 && runs.iter().any(|r| r.digits.contains(&tail)) {
        return Some(Leak::Phone);
    }
    if runs.iter().any(|r| r.digits.len() >= 9 && !is_amount(r)) {
        return Some(Leak::LongNumber);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Option<Leak> {
        let s = Sender { name: "Bế Thị Xuyến", folded_name: "be thi xuyen", email: "Nguoi.Hoi@example.vn", phone: "+84 912 000 111" };
        leak(text, &text_vi::fold(text), &s)
    }

    #[test]
    fn finds_the_senders_data_and_long_numbers() {
        assert_eq!(check("Bà Bế Thị  Xuyến hỏi"), Some(Leak::Name));
        assert_eq!(check("Gia đình bà Xuyến hỏi"), None, "a part of the name alone is not flagged");
        assert_eq!(check("BE THI XUYEN"), Some(Leak::Name));
        assert_eq!(check("Khi thi xuyên quốc gia"), None);
        assert_eq!(check("Liên hệ nguoi.hoi@EXAMPLE.vn"), Some(Leak::Email));
        assert_eq!(check("Gọi 0912.000.111"), Some(Leak::Phone));
        assert_eq!(check("Gọi 0912 000 111"), Some(Leak::Phone));
        assert_eq!(check("Gọi 84912000111"), Some(Leak::Phone));
        assert_eq!(check("CCCD 001 203 004 567"), Some(Leak::LongNumber));
        assert_eq!(check("Số 012345678"), Some(Leak::LongNumber));
        assert_eq!(check("Số 01234567"), None, "eight digits");
        assert_eq!(check("Phạt 1.000.000.000 đồng, Luật số 31/2024/QH15, ngày 01-07-2025"), None);
        assert_eq!(check("Điều 12, 34, 56 và 789"), None);
        assert_eq!(check("Phạt từ 1 500 000 000 đồng"), None, "an amount grouped by spaces");
        assert_eq!(check("Gọi 0205.3812.345"), Some(Leak::LongNumber), "not grouped by threes: the officer confirms it");
        assert_eq!(check("Số 1.500 000 000"), Some(Leak::LongNumber), "mixed separators");
        assert_eq!(check(""), None);
        // A short name is matched with its diacritics only: "Lan" is not "lấn", "Nam" not "năm".
        let lan = Sender { name: "Lan", folded_name: "lan", ..Sender::default() };
        assert_eq!(leak("Hộ bên cạnh lấn chiếm lối đi", "ho ben canh lan chiem loi di", &lan), None);
        assert_eq!(leak("Chị Lan hỏi", "chi lan hoi", &lan), Some(Leak::Name));
        let hoa = Sender { name: "Lê Hòa", folded_name: "le hoa", ..Sender::default() };
        assert_eq!(leak("Về lệ hoa hồng", "ve le hoa hong", &hoa), None);
        let nobody = Sender::default();
        assert_eq!(leak("không có gì", "khong co gi", &nobody), None);
    }
}
