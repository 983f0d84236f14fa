//! The check of a text about to be published against the sender's personal data: their full
//! name (compared word by word on folded text), e-mail address, phone number, and any run of nine
//! or more digits (a phone or citizen identity number, however it is spaced). Numbers written
//! with the Vietnamese thousands separator (1.000.000.000) are amounts, not identifiers.

/// The personal data found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leak {
    Name,
    Email,
    Phone,
    LongNumber,
}

/// The sender's data to look for: the name folded by the caller (`text_vi::fold`), the e-mail
/// address and phone number as given.
#[derive(Clone, Debug, Default)]
pub struct Sender<'a> {
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
    dots_only: bool,
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
        let mut run = Run { digits: String::new(), groups: vec![String::new()], dots_only: true };
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                run.digits.push(c);
                if let Some(g) = run.groups.last_mut() {
                    g.push(c);
                }
                i += 1;
            } else if matches!(c, ' ' | '.' | '-') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                run.dots_only &= c == '.';
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
/// after dots.
fn is_amount(r: &Run) -> bool {
    r.dots_only
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
    let name = words(sender.folded_name);
    if !name.is_empty() && words(folded).windows(name.len()).any(|w| w == name.as_slice()) {
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
        let s = Sender { folded_name: "be thi xuyen", email: "Nguoi.Hoi@example.vn", phone: "+84 912 000 111" };
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
        assert_eq!(check(""), None);
        let nobody = Sender::default();
        assert_eq!(leak("không có gì", "khong co gi", &nobody), None);
    }
}
