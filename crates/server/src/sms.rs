//! The pure part of SMS delivery through an HTTP gateway (cổng SMS): the phone number in the
//! provider's format, the message's text, the request filled from the configured templates with
//! the escaping its content type needs, and the rule that tells success from failure. No I/O:
//! the worker in `mail.rs` sends what [`request`] builds.

use kernel::config::SmsConfig;

/// The longest text sent in one message, in characters: 480 is about seven concatenated parts
/// of a Vietnamese (UCS-2) SMS. A longer body is sent as its subject and body, cut to this length
/// with "…"; the one-time codes are far shorter.
pub const MAX_SMS_CHARS: usize = 480;

/// The most of a gateway's answer kept in `last_error`, in characters.
pub const ANSWER_SNIPPET_CHARS: usize = 200;

/// How the phone number is given to the gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneFormat {
    /// 0xxxxxxxxx, as stored.
    Local,
    /// 84xxxxxxxxx: the country code without the plus sign, as Vietnamese providers (eSMS,
    /// SpeedSMS, VNPT) take it.
    E164,
}

impl PhoneFormat {
    pub fn parse(s: &str) -> Option<PhoneFormat> {
        match s.trim() {
            "local" => Some(PhoneFormat::Local),
            "e164" => Some(PhoneFormat::E164),
            _ => None,
        }
    }
}

/// A Vietnamese phone number (0 and nine digits, or the same after 84 or +84; spaces, dots and
/// dashes ignored) in `format`; `None` for anything else.
pub fn phone(raw: &str, format: PhoneFormat) -> Option<String> {
    let digits: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    let digits = digits.strip_prefix('+').map_or(digits.as_str(), |d| if d.starts_with("84") { d } else { "" });
    let national = if digits.len() == 11 && digits.starts_with("84") {
        &digits[2..]
    } else if digits.len() == 10 && digits.starts_with('0') {
        &digits[1..]
    } else {
        return None;
    };
    if national.len() != 9 || !national.bytes().all(|b| b.is_ascii_digit()) || national.starts_with('0') {
        return None;
    }
    Some(match format {
        PhoneFormat::Local => format!("0{national}"),
        PhoneFormat::E164 => format!("84{national}"),
    })
}

/// The text of an outbox message as an SMS: its body, or, when the body is longer than
/// [`MAX_SMS_CHARS`], its subject and body cut to that length (at a space when one is near) and
/// ended with "…".
pub fn sms_text(subject: &str, body: &str) -> String {
    let body = body.trim();
    if body.chars().count() <= MAX_SMS_CHARS {
        return body.to_string();
    }
    let whole: Vec<char> = format!("{}\n{body}", subject.trim()).chars().collect();
    // Room for the "…"; a word cut in the middle is dropped when a space is near.
    let mut end = MAX_SMS_CHARS - 1;
    if !whole[end].is_whitespace()
        && let Some(space) = (end.saturating_sub(30)..end).rev().find(|&i| whole[i].is_whitespace())
    {
        end = space;
    }
    let mut cut: String = whole[..end].iter().collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// How a value is written into a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escape {
    /// Inside a JSON string (the template supplies the quotes).
    Json,
    /// `application/x-www-form-urlencoded`: a space as `+`, other reserved bytes as `%XX`.
    Form,
    /// XML text or attribute (SOAP gateways).
    Xml,
    /// In a URL: every byte but the unreserved ones as `%XX` (a space as `%20`).
    Url,
    /// As it is (`text/plain` and anything else).
    Raw,
}

/// The escaping a body of `content_type` needs (parameters such as `; charset=utf-8` ignored).
pub fn escape_for(content_type: &str) -> Escape {
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media == "application/json" || media.ends_with("+json") {
        Escape::Json
    } else if media == "application/x-www-form-urlencoded" {
        Escape::Form
    } else if media == "application/xml" || media == "text/xml" || media.ends_with("+xml") {
        Escape::Xml
    } else {
        Escape::Raw
    }
}

pub fn escape(s: &str, how: Escape) -> String {
    match how {
        Escape::Json => {
            let quoted = serde_json::Value::String(s.to_string()).to_string();
            quoted[1..quoted.len() - 1].to_string()
        }
        Escape::Form => percent_encode(s, true),
        Escape::Url => percent_encode(s, false),
        Escape::Xml => {
            let mut out = String::with_capacity(s.len());
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&apos;"),
                    c => out.push(c),
                }
            }
            out
        }
        Escape::Raw => s.to_string(),
    }
}

/// Percent-encodes the UTF-8 bytes of `s`, keeping only ASCII letters, digits and `-._~`
/// (and `*` in a form); a space is `+` in a form and `%20` elsewhere.
fn percent_encode(s: &str, form: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => out.push(b as char),
            b'~' if !form => out.push('~'),
            b'*' if form => out.push('*'),
            b' ' if form => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `template` with each `{to}` and `{text}` replaced by the escaped value, in one pass: a
/// placeholder inside a value is left as it is. Other braces (a JSON template's) are kept.
pub fn fill(template: &str, to: &str, text: &str, how: Escape) -> String {
    let (to, text) = (escape(to, how), escape(text, how));
    let mut out = String::with_capacity(template.len() + to.len() + text.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{to}") {
            out.push_str(&to);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{text}") {
            out.push_str(&text);
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// One request to the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `POST`, `PUT` or `GET`.
    pub method: String,
    pub url: String,
    /// The body and its content type; none for `GET`.
    pub body: Option<(String, String)>,
}

/// The request that sends `text` to `to` (already in the configured format).
pub fn request(cfg: &SmsConfig, to: &str, text: &str) -> Request {
    let method = cfg.method.trim().to_ascii_uppercase();
    let url = fill(cfg.gateway_url.trim(), to, text, Escape::Url);
    let body = (method != "GET").then(|| (cfg.content_type.trim().to_string(), fill(&cfg.body, to, text, escape_for(&cfg.content_type))));
    Request { method, url, body }
}

/// Whether the gateway accepted the message: a 2xx status and, when `success_contains` is not
/// empty, an answer containing it.
pub fn succeeded(status: u16, answer: &str, success_contains: &str) -> bool {
    (200..300).contains(&status) && (success_contains.is_empty() || answer.contains(success_contains))
}

/// The start of a gateway's answer, on one line, for `last_error`.
pub fn snippet(answer: &str) -> String {
    let one_line: String = answer.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= ANSWER_SNIPPET_CHARS {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(ANSWER_SNIPPET_CHARS).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_in_each_format() {
        for raw in ["0912345678", "+84912345678", "84912345678", "091 234 5678", "091.234.5678", "+84 91-234-5678"] {
            assert_eq!(phone(raw, PhoneFormat::Local).as_deref(), Some("0912345678"), "{raw}");
            assert_eq!(phone(raw, PhoneFormat::E164).as_deref(), Some("84912345678"), "{raw}");
        }
        // Not a Vietnamese mobile number: refused rather than sent somewhere else.
        for raw in ["", "091234567", "09123456789", "912345678", "+1 912345678", "+0912345678", "0012345678", "84012345678", "09123x5678", "849123456789", "０912345678"] {
            assert_eq!(phone(raw, PhoneFormat::Local), None, "{raw}");
            assert_eq!(phone(raw, PhoneFormat::E164), None, "{raw}");
        }
        assert_eq!(PhoneFormat::parse("e164"), Some(PhoneFormat::E164));
        assert_eq!(PhoneFormat::parse(" local "), Some(PhoneFormat::Local));
        assert_eq!(PhoneFormat::parse("E.164"), None);
    }

    #[test]
    fn vietnamese_text_with_quotes_and_newlines_is_escaped_for_each_content_type() {
        let text = "Mã \"xác nhận\" là: 123456\nHiệu lực 10 phút & <không> chia sẻ\\";
        assert_eq!(escape_for("application/json"), Escape::Json);
        assert_eq!(escape_for("Application/JSON; charset=utf-8"), Escape::Json);
        assert_eq!(escape_for("application/vnd.sms+json"), Escape::Json);
        assert_eq!(escape_for("application/x-www-form-urlencoded"), Escape::Form);
        assert_eq!(escape_for("text/xml; charset=utf-8"), Escape::Xml);
        assert_eq!(escape_for("application/soap+xml"), Escape::Xml);
        assert_eq!(escape_for("text/plain"), Escape::Raw);

        let json = fill(r#"{"phone":"{to}","content":"{text}","type":2}"#, "84912345678", text, Escape::Json);
        assert_eq!(json, r#"{"phone":"84912345678","content":"Mã \"xác nhận\" là: 123456\nHiệu lực 10 phút & <không> chia sẻ\\","type":2}"#);
        // The filled template is valid JSON carrying the text unchanged.
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["content"], text);
        assert_eq!(v["phone"], "84912345678");

        let form = fill("to={to}&msg={text}", "+84912345678", "Mã: 12 & a=b\nxong", Escape::Form);
        assert_eq!(form, "to=%2B84912345678&msg=M%C3%A3%3A+12+%26+a%3Db%0Axong");
        let xml = fill("<to>{to}</to><m>{text}</m>", "0912345678", text, Escape::Xml);
        assert_eq!(xml, "<to>0912345678</to><m>Mã &quot;xác nhận&quot; là: 123456\nHiệu lực 10 phút &amp; &lt;không&gt; chia sẻ\\</m>");
        assert_eq!(fill("https://g.example/send?p={to}&t={text}", "0912345678", "Mã số 1+1~", Escape::Url), "https://g.example/send?p=0912345678&t=M%C3%A3%20s%E1%BB%91%201%2B1~");
    }

    #[test]
    fn placeholders_are_filled_once_and_other_braces_kept() {
        // A value holding a placeholder is not filled again; stray braces stay.
        assert_eq!(fill("{to}|{text}|{x}|{|}", "{text}", "{to}", Escape::Raw), "{text}|{to}|{x}|{|}");
        assert_eq!(fill("{{to}}", "09", "t", Escape::Raw), "{09}");
        assert_eq!(fill("không có chỗ điền", "09", "t", Escape::Raw), "không có chỗ điền");
        assert_eq!(fill("{text}{text}", "09", "ạ", Escape::Raw), "ạạ");
    }

    #[test]
    fn the_request_follows_the_configuration() {
        let mut cfg = SmsConfig { gateway_url: "https://sms.example/api?key=k&to={to}".into(), ..SmsConfig::default() };
        let r = request(&cfg, "0912345678", "Mã \"1\"");
        assert_eq!(r.method, "POST");
        assert_eq!(r.url, "https://sms.example/api?key=k&to=0912345678");
        assert_eq!(r.body, Some(("application/json".into(), r#"{"to":"0912345678","text":"Mã \"1\""}"#.into())));
        cfg.method = "get".into();
        cfg.gateway_url = "https://sms.example/send?to={to}&text={text}".into();
        let r = request(&cfg, "84912345678", "Mã 1");
        assert_eq!((r.method.as_str(), r.url.as_str(), r.body), ("GET", "https://sms.example/send?to=84912345678&text=M%C3%A3%201", None));
    }

    #[test]
    fn success_needs_a_2xx_and_the_configured_marker() {
        assert!(succeeded(200, "", ""));
        assert!(succeeded(202, "queued", ""));
        assert!(!succeeded(500, "", ""));
        assert!(!succeeded(302, "", ""));
        assert!(!succeeded(404, "\"CodeResult\":\"100\"", "\"CodeResult\":\"100\""));
        assert!(succeeded(200, r#"{"CodeResult":"100","SMSID":"1"}"#, r#""CodeResult":"100""#));
        assert!(!succeeded(200, r#"{"CodeResult":"101","ErrorMessage":"Sai ApiKey"}"#, r#""CodeResult":"100""#));
    }

    #[test]
    fn a_long_body_is_sent_with_its_subject_and_cut() {
        assert_eq!(sms_text("Mã xác nhận", "  Mã: 123456\n"), "Mã: 123456");
        let exact = "ạ".repeat(MAX_SMS_CHARS);
        assert_eq!(sms_text("Tiêu đề", &exact), exact);
        let long = format!("Nội dung {}", "dài ".repeat(200));
        let t = sms_text("Tiêu đề", &long);
        assert!((MAX_SMS_CHARS - 30..=MAX_SMS_CHARS).contains(&t.chars().count()), "{}", t.chars().count());
        assert!(t.starts_with("Tiêu đề\nNội dung dài"));
        assert!(t.ends_with(" dài…"), "{t}");
        // One long word is cut where it must be.
        let t = sms_text("Tiêu đề", &"ạ".repeat(MAX_SMS_CHARS + 1));
        assert_eq!(t.chars().count(), MAX_SMS_CHARS);
        assert!(t.starts_with("Tiêu đề\nạạ") && t.ends_with("ạ…"));
    }

    #[test]
    fn the_answer_kept_is_short_and_on_one_line() {
        assert_eq!(snippet("{\n  \"error\": 1\n}"), "{ \"error\": 1 }");
        let s = snippet(&"x".repeat(1000));
        assert_eq!(s.chars().count(), ANSWER_SNIPPET_CHARS + 1);
    }
}
