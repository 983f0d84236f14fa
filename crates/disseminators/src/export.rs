//! The registry lists as XLSX (a plain table) and as DOCX in the Nghị định 30/2020 layout.

use chrono::NaiveDate;
use documents::official::{Block, OfficialDoc, Signature};
use documents::table::{Cell, table_xlsx};
use documents::ExportError;

use crate::rules::kinds::{Kind, Qualification};
use crate::store::PersonRow;

/// One line of a list: the entry, its status on the list's day, the Art. 35 warning, and
/// whether the reader may see the phone number.
pub struct Line<'a> {
    pub row: &'a PersonRow,
    pub status: String,
    pub warning: String,
    pub show_phone: bool,
}

fn header(kind: Kind, phone: bool) -> Vec<String> {
    let mut h: Vec<String> = vec!["STT".into(), "Họ và tên".into(), "Năm sinh".into(), "Đơn vị".into()];
    match kind {
        Kind::Reporter => h.extend(["Chức vụ".into(), "Cơ quan, đơn vị công tác".into(), "Trình độ".into(), "Số năm công tác".into()]),
        Kind::Propagandist => h.extend(["Thôn, tổ dân phố".into(), "Nghề nghiệp".into()]),
    }
    if phone {
        h.push("Điện thoại".into());
    }
    h.extend(["Quyết định công nhận".into(), "Tình trạng".into()]);
    if kind == Kind::Reporter {
        h.push("Ghi chú tiêu chuẩn".into());
    }
    h
}

fn cells(kind: Kind, n: usize, l: &Line<'_>, phone: bool) -> Vec<String> {
    let r = l.row;
    let mut c = vec![(n + 1).to_string(), r.full_name.clone(), r.birth_year.map(|y| y.to_string()).unwrap_or_default(), r.unit_name.clone()];
    match kind {
        Kind::Reporter => c.extend([
            r.position.clone(),
            r.agency.clone(),
            Qualification::parse(&r.qualification).map(|q| q.label()).unwrap_or("").to_string(),
            r.experience_years.to_string(),
        ]),
        Kind::Propagandist => c.extend([r.village.clone(), r.agency.clone()]),
    }
    if phone {
        c.push(if l.show_phone { r.phone.clone().unwrap_or_default() } else { String::new() });
    }
    c.push(format!("{} ngày {}", r.decision_no, text_vi::format_date(r.decision_on)));
    c.push(l.status.clone());
    if kind == Kind::Reporter {
        c.push(l.warning.clone());
    }
    c
}

/// The list as an XLSX table.
pub fn list_xlsx(kind: Kind, lines: &[Line<'_>], day: NaiveDate) -> Result<Vec<u8>, ExportError> {
    let phone = lines.iter().any(|l| l.show_phone);
    let rows: Vec<Vec<Cell>> = lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            cells(kind, n, l, phone)
                .into_iter()
                .enumerate()
                .map(|(i, v)| if i == 0 { Cell::Int((n + 1) as i64) } else if v.is_empty() { Cell::Empty } else { Cell::Text(v) })
                .collect()
        })
        .collect();
    let title = format!("Danh sách {} (ngày {})", kind.label().to_lowercase(), text_vi::format_date(day));
    table_xlsx("Danh sách", &title, &header(kind, phone), &rows)
}

/// The list as an official DOCX (Nghị định 30/2020): the unit's People's Committee, a table,
/// the signature block left for the signer.
pub fn list_docx(kind: Kind, unit_name: &str, lines: &[Line<'_>], day: NaiveDate) -> Result<Vec<u8>, ExportError> {
    let phone = lines.iter().any(|l| l.show_phone);
    let rows: Vec<Vec<String>> = lines.iter().enumerate().map(|(n, l)| cells(kind, n, l, phone)).collect();
    let place = unit_name
        .trim_start_matches("Tỉnh ")
        .trim_start_matches("Thành phố ")
        .trim_start_matches("Xã ")
        .trim_start_matches("Phường ")
        .trim_start_matches("Đặc khu ")
        .to_string();
    let doc = OfficialDoc {
        parent_body: None,
        issuing_body: format!("ỦY BAN NHÂN DÂN {}", unit_name.to_uppercase()),
        number: None,
        place: Some(place),
        date: Some(day),
        kind: "DANH SÁCH".into(),
        title: format!("{} đang làm nhiệm vụ", kind.label()),
        blocks: vec![
            Block::Paragraph(format!("Danh sách gồm {} người, tính đến ngày {}.", lines.len(), text_vi::format_date(day))),
            Block::Table { header: header(kind, phone), rows, widths: Vec::new() },
        ],
        signature: Signature { authority: Some("TM. ỦY BAN NHÂN DÂN".into()), title: Some("CHỦ TỊCH".into()), name: None },
        recipients: vec!["Sở Tư pháp;".into()],
    };
    documents::official_docx(&doc)
}
