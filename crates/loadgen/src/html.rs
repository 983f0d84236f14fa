//! Just enough reading of the server's HTML: the CSRF field, the communes offered by the
//! registration form, the questions of an attempt page (and which are already answered), the
//! active attempt's link on the contest page, and the rows of the organiser's ranking table.
//! The pages are our own templates (crates/contests/templates/contests), so plain string search
//! is enough and no HTML parser is needed.

/// The tags named `name` (`input`, `option`) of a fragment, each without its `<` and `>`.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    html.match_indices(open.as_str())
        .filter_map(|(i, _)| {
            let rest = &html[i + 1..];
            rest.find('>').map(|end| &rest[..end])
        })
        .collect()
}

/// The value of attribute `name` in a tag's text (`name="value"`), unescaped for the few
/// entities askama writes.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!(" {name}=\"");
    let start = tag.find(&pat)? + pat.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// Whether a tag carries the boolean attribute `name` (`checked`, `selected`).
fn has_flag(tag: &str, name: &str) -> bool {
    tag.split_whitespace().any(|w| w.trim_end_matches('/') == name)
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The value of the first hidden field named `name` (the CSRF token is `_csrf`).
pub fn hidden_field(html: &str, name: &str) -> Option<String> {
    tags(html, "input").into_iter().find(|t| attr(t, "name").as_deref() == Some(name)).and_then(|t| attr(t, "value"))
}

/// The ids of the communes the registration form offers (`<select name="commune">`), without
/// the empty "pick one" choice.
pub fn commune_ids(html: &str) -> Vec<i64> {
    let Some(start) = html.find("name=\"commune\"") else { return Vec::new() };
    let rest = &html[start..];
    let select = &rest[..rest.find("</select>").unwrap_or(rest.len())];
    tags(select, "option").into_iter().filter_map(|t| attr(t, "value")).filter_map(|v| v.parse().ok()).collect()
}

/// One question of an attempt page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub position: i64,
    /// How many options it shows (the choices are their shown positions, 0..options).
    pub options: usize,
    /// The shown position of the saved answer, if any (`checked`).
    pub chosen: Option<i64>,
}

/// The questions of an attempt page and whether it has the prediction question.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttemptPage {
    pub questions: Vec<Question>,
    pub prediction: bool,
}

/// Reads an attempt page: each question is a form `id="cau-{pos}"` with a hidden `pos` and one
/// radio `chon` per option; an answered question has its option `checked`. The prediction is
/// the form `id="du-doan"`.
pub fn attempt_page(html: &str) -> AttemptPage {
    let mut page = AttemptPage::default();
    for (i, _) in html.match_indices("<form ") {
        let rest = &html[i..];
        let form = &rest[..rest.find("</form>").unwrap_or(rest.len())];
        let Some(head_end) = form.find('>') else { continue };
        let head = &form[..head_end];
        if attr(head, "id").as_deref() == Some("du-doan") {
            page.prediction = true;
            continue;
        }
        if !attr(head, "id").is_some_and(|id| id.starts_with("cau-")) {
            continue;
        }
        let Some(position) = hidden_field(form, "pos").and_then(|p| p.parse().ok()) else { continue };
        let radios: Vec<&str> = tags(form, "input").into_iter().filter(|t| attr(t, "name").as_deref() == Some("chon")).collect();
        let chosen = radios.iter().find(|t| has_flag(t, "checked")).and_then(|t| attr(t, "value")).and_then(|v| v.parse().ok());
        page.questions.push(Question { position, options: radios.len(), chosen });
    }
    page
}

/// The id of the entrant's active attempt on the contest page (`…/bai/{id}` without
/// `/ket-qua`), if any.
pub fn active_attempt(html: &str, contest: i64) -> Option<i64> {
    let prefix = format!("href=\"/cuoc-thi/{contest}/bai/");
    html.match_indices(&prefix).find_map(|(i, _)| {
        let rest = &html[i + prefix.len()..];
        let end = rest.find('"')?;
        rest[..end].parse().ok()
    })
}

/// The id at the end of a redirect to `/cuoc-thi/{contest}/bai/{id}`.
pub fn attempt_from_location(location: &str, contest: i64) -> Option<i64> {
    let path = location.split(['?', '#']).next()?;
    path.strip_prefix(&format!("/cuoc-thi/{contest}/bai/"))?.parse().ok()
}

/// The text of a fragment without its tags, with its white space collapsed.
fn text_of(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in fragment.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The rows (cells as text) of the ranking table of `/cuoc-thi/quan-ly/vong/{id}/xep-hang`:
/// the first table whose header starts with "Hạng" and "Họ và tên"; `None` when the page has
/// no such table and does not say that nothing is ranked yet.
pub fn ranking_rows(html: &str) -> Option<Vec<Vec<String>>> {
    let Some(head) = html.find("<th>Hạng</th><th>Họ và tên</th>") else {
        return html.contains("Chưa có bài thi nào được tính").then(Vec::new);
    };
    let rest = &html[head..];
    let body_start = rest.find("<tbody>")? + "<tbody>".len();
    let body = &rest[body_start..body_start + rest[body_start..].find("</tbody>")?];
    Some(
        body.split("<tr>")
            .filter(|r| r.contains("<td"))
            .map(|r| r.split("<td").skip(1).map(|c| text_of(c.split_once('>').map(|(_, v)| v).unwrap_or(""))).collect())
            .collect(),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const ATTEMPT: &str = r#"<p class="card" role="timer">Thời gian còn lại: <strong id="ct-timer">29:59</strong></p>
<form method="post" action="/cuoc-thi/3/bai/17/tra-loi" class="card ct-q" id="cau-1">
  <input type="hidden" name="_csrf" value="ab12.cd34">
  <input type="hidden" name="pos" value="1">
  <fieldset><legend>Câu 1. Ngày Pháp luật là ngày nào?</legend>
  <label class="check"><input type="radio" name="chon" value="0"> Ngày 2 tháng 9</label>
  <label class="check"><input type="radio" name="chon" value="1" checked> Ngày 9 tháng 11</label>
  <label class="check"><input type="radio" name="chon" value="2"> Ngày 19 tháng 5</label>
  </fieldset>
  <button type="submit" class="secondary">Lưu câu 1</button> <span class="ct-saved hint">Đã lưu</span>
</form>
<form method="post" action="/cuoc-thi/3/bai/17/tra-loi" class="card ct-q" id="cau-2">
  <input type="hidden" name="_csrf" value="ab12.cd34">
  <input type="hidden" name="pos" value="2">
  <fieldset><legend>Câu 2. &quot;Hòa giải&quot;?</legend>
  <label class="check"><input type="radio" name="chon" value="0"> A</label>
  <label class="check"><input type="radio" name="chon" value="1"> B</label>
  <label class="check"><input type="radio" name="chon" value="2"> C</label>
  <label class="check"><input type="radio" name="chon" value="3"> D</label>
  </fieldset>
</form>
<form method="post" action="/cuoc-thi/3/bai/17/tra-loi" class="card ct-q" id="du-doan">
  <input type="hidden" name="_csrf" value="ab12.cd34">
  <input type="hidden" name="pos" value="p">
  <input id="du_doan" name="du_doan" value="" inputmode="numeric">
</form>
<form method="post" action="/cuoc-thi/3/bai/17/nop" class="card">
  <input type="hidden" name="_csrf" value="ab12.cd34">
  <button type="submit">Nộp bài</button>
</form>"#;

    #[test]
    fn reads_the_attempt_page() {
        assert_eq!(hidden_field(ATTEMPT, "_csrf").as_deref(), Some("ab12.cd34"));
        let page = attempt_page(ATTEMPT);
        assert!(page.prediction);
        assert_eq!(
            page.questions,
            vec![Question { position: 1, options: 3, chosen: Some(1) }, Question { position: 2, options: 4, chosen: None }]
        );
    }

    #[test]
    fn reads_the_registration_form_and_links() {
        let html = r#"<form method="post" action="/cuoc-thi/3/dang-ky" class="card">
  <input type="hidden" name="_csrf" value="n0nce.mac">
  <select id="commune" name="commune"><option value="" selected>Chọn xã</option><option value="412">Xã A</option><option value="413">Phường B (trước đây: Xã C)</option></select>
  <input id="full_name" name="full_name" value="" autocomplete="name">
</form>
<p>Lượt 1: <a href="/cuoc-thi/3/bai/41/ket-qua">7/10 điểm</a></p>
<p>Lượt 2: <a href="/cuoc-thi/3/bai/42">đang làm bài, tiếp tục</a></p>"#;
        assert_eq!(hidden_field(html, "_csrf").as_deref(), Some("n0nce.mac"));
        assert_eq!(commune_ids(html), vec![412, 413]);
        assert_eq!(active_attempt(html, 3), Some(42));
        assert_eq!(active_attempt(html, 4), None);
        assert_eq!(attempt_from_location("/cuoc-thi/3/bai/42", 3), Some(42));
        assert_eq!(attempt_from_location("/cuoc-thi/3/bai/42/ket-qua", 3), None);
        assert_eq!(attempt_from_location("/cuoc-thi/3?tb=x", 3), None);
    }

    #[test]
    fn reads_the_ranking_table() {
        let html = "<table class=\"first-short\">\n<thead><tr><th>Hạng</th><th>Họ và tên</th><th>Năm sinh</th></tr></thead>\n<tbody><tr><td>1</td><td>Nguyễn &amp; Văn A</td><td>1990</td></tr><tr><td>2</td><td><b>B</b></td><td>1985</td></tr></tbody>\n</table><table><tbody><tr><td>other</td></tr></tbody></table>";
        assert_eq!(ranking_rows(html).unwrap(), vec![vec!["1", "Nguyễn & Văn A", "1990"], vec!["2", "B", "1985"]]);
        assert_eq!(ranking_rows("<p>Chưa có bài thi nào được tính.</p>").unwrap().len(), 0);
        assert!(ranking_rows("<p>Đăng nhập</p>").is_none());
    }
}
