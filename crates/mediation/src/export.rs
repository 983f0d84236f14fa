//! Exports of grassroots mediation: the roster (in the importer's columns, so an exported
//! roster can be imported again), the tracking book (Sổ theo dõi hoạt động hòa giải ở cơ sở)
//! with Part I the case rows and Part II the leader's summary, and the remuneration list.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use documents::table::{Cell, Part, parts_xlsx, table_xlsx};
use kernel::Db;
use kernel::error::{AppError, AppResult};
use serde::Serialize;

use crate::rules::case::Status;
use crate::rules::roster::COLUMNS;
use crate::service;
use crate::store::{self, CaseRow, MediatorRow, TeamRow};

fn xlsx_err(e: documents::ExportError) -> AppError {
    AppError::Internal(format!("xlsx: {e}"))
}

fn text(s: &Option<String>) -> Cell {
    s.as_deref().filter(|t| !t.is_empty()).map(|t| Cell::Text(t.to_string())).unwrap_or(Cell::Empty)
}

/// The roster; phones only when `personal`.
pub fn roster_xlsx(t: &TeamRow, mediators: &[MediatorRow], personal: bool) -> AppResult<Vec<u8>> {
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    header.push("Tình trạng".into());
    let rows: Vec<Vec<Cell>> = mediators
        .iter()
        .map(|m| {
            vec![
                Cell::Text(m.full_name.clone()),
                Cell::Text(if m.gender == "female" { "Nữ" } else { "Nam" }.into()),
                m.birth_year.map(Cell::Int).unwrap_or(Cell::Empty),
                text(&m.ethnicity),
                text(&m.address),
                if personal { text(&m.phone) } else { Cell::Empty },
                text(&m.occupation),
                text(&m.legal_training),
                text(&m.membership),
                text(&m.recognition_no),
                m.recognition_on.map(|d| Cell::Text(text_vi::format_date(d))).unwrap_or(Cell::Empty),
                Cell::Text(if t.leader_id == Some(m.id) { "x".into() } else { String::new() }),
                Cell::Text(match m.ended_on {
                    Some(d) => format!("Thôi từ {}", text_vi::format_date(d)),
                    None => "Đang làm hòa giải viên".into(),
                }),
            ]
        })
        .collect();
    table_xlsx("Danh sách", &format!("DANH SÁCH HÒA GIẢI VIÊN — {} ({}, {})", t.name, t.village_name, t.commune_name), &header, &rows).map_err(xlsx_err)
}

/// One row of Part I.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RecordBookRow {
    pub no: i64,
    pub received_on: String,
    pub mediators: String,
    pub parties: String,
    pub summary: String,
    pub agreement: String,
    pub result: String,
    pub note: String,
}

/// One line of Part II (the leader's summary), per mediator.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RecordBookSummary {
    pub mediator: String,
    pub cases: i64,
    /// (field name, cases).
    pub by_field: Vec<(String, i64)>,
    pub settled: i64,
    pub not_settled: i64,
    pub other: i64,
}

/// The tracking book of a team for a year.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RecordBook {
    pub province: String,
    pub commune: String,
    pub village: String,
    pub team: String,
    pub year: i32,
    pub rows: Vec<RecordBookRow>,
    pub summary: Vec<RecordBookSummary>,
}

fn result_text(s: Status) -> &'static str {
    match s {
        Status::Settled => "Thành",
        Status::NotSettled => "Không thành",
        other => other.label(),
    }
}

/// The parties of a book row as the book writes them: "name, sinh năm 1970, address; …".
fn party_text(aggregated: &str) -> String {
    let mut out = String::with_capacity(aggregated.len() + 16);
    for (i, party) in aggregated.split(store::RECORD_SEP).enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        let mut parts = party.split(store::UNIT_SEP);
        out.push_str(parts.next().unwrap_or_default());
        if let Some(y) = parts.next().filter(|y| !y.is_empty()) {
            out.push_str(crate::msg::BOOK_BORN);
            out.push_str(y);
        }
        if let Some(a) = parts.next().filter(|a| !a.is_empty()) {
            out.push_str(", ");
            out.push_str(a);
        }
    }
    out
}

/// The file formats of the tracking book.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookFormat {
    Xlsx,
    Docx,
}

impl BookFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            BookFormat::Xlsx => "xlsx",
            BookFormat::Docx => "docx",
        }
    }
}

/// Books of at least this many rows are kept once built (`mediation_book_cache`); smaller ones
/// take a few milliseconds to build and are not worth the space.
pub const BOOK_CACHE_MIN_ROWS: usize = 1000;

/// Part of every cached book's key: change it with the book's layout. (The cache is also
/// emptied at every start, so a new release never serves an older release's book.)
const BOOK_LAYOUT: &str = "book-1";

/// The tracking book of `year` as a file. A book of `min_rows` rows or more is kept after it is
/// built and served again while nothing it shows has changed: the team's book version, bumped
/// by triggers in the same transaction as every write to its cases, parties and assigned
/// mediators, must be the one it was built from, and its heading (names of the team, village,
/// commune, province and leader), layout and format must match. The version is read before the
/// rows, so a write during the build leaves a book that the next download rebuilds.
pub async fn book_file(db: &Db, t: &TeamRow, year: i32, format: BookFormat, min_rows: usize) -> AppResult<Vec<u8>> {
    let province = province_of(db, t).await?;
    let year_text = year.to_string();
    let key = [BOOK_LAYOUT, format.as_str(), &year_text, &province, &t.commune_name, &t.village_name, &t.name, t.leader_name.as_deref().unwrap_or("")]
        .join(store::UNIT_SEP);
    if let Some(bytes) = store::cached_book(db, t.id, year, format.as_str(), &key).await? {
        return Ok(bytes);
    }
    let stamp = store::book_stamp(db, t.id).await?;
    let book = book_of(db, t, year, province).await?;
    let bytes = match format {
        BookFormat::Xlsx => book_xlsx(&book)?,
        BookFormat::Docx => book_docx(&book, t.leader_name.as_deref())?,
    };
    if book.rows.len() >= min_rows {
        store::put_cached_book(db, t.id, year, format.as_str(), stamp, &key, &bytes).await?;
    }
    Ok(bytes)
}

async fn province_of(db: &Db, t: &TeamRow) -> AppResult<String> {
    Ok(kernel::db::units::ancestors(db, t.commune_id)
        .await?
        .into_iter()
        .find(|u| u.level() == Some(kernel::unit::UnitLevel::Province))
        .map(|u| u.name)
        .unwrap_or_default())
}

/// Builds the tracking book from the team's cases received in `year` (refused matters are
/// noted, since the book records every matter brought to the team).
pub async fn book(db: &Db, t: &TeamRow, year: i32) -> AppResult<RecordBook> {
    let province = province_of(db, t).await?;
    book_of(db, t, year, province).await
}

async fn book_of(db: &Db, t: &TeamRow, year: i32, province: String) -> AppResult<RecordBook> {
    let (from, to) = service::year_bounds(year);
    let cases = store::book_rows(db, t.id, from, to).await?;
    let mut summary: BTreeMap<String, RecordBookSummary> = BTreeMap::new();
    let mut rows = Vec::new();
    let v = service::version_on(to)?;
    for (i, k) in cases.iter().enumerate() {
        let s = Status::parse(&k.status).unwrap_or(Status::Received);
        let names: Vec<&str> = k.mediators.as_deref().map(|m| m.split(store::RECORD_SEP).collect()).unwrap_or_default();
        let field = v.field(&k.field).map(|f| f.name.clone()).unwrap_or_else(|| k.field.clone());
        for n in &names {
            if !summary.contains_key(*n) {
                summary.insert((*n).to_string(), RecordBookSummary { mediator: (*n).to_string(), cases: 0, by_field: Vec::new(), settled: 0, not_settled: 0, other: 0 });
            }
            let Some(e) = summary.get_mut(*n) else { continue };
            e.cases += 1;
            match e.by_field.iter_mut().find(|(f, _)| *f == field) {
                Some(x) => x.1 += 1,
                None => e.by_field.push((field.clone(), 1)),
            }
            match s {
                Status::Settled => e.settled += 1,
                Status::NotSettled => e.not_settled += 1,
                _ => e.other += 1,
            }
        }
        let mut note = Vec::new();
        if let Some(r) = &k.referred_to {
            note.push(format!("Chuyển: {r}"));
        }
        if let Some(x) = &k.late_reason {
            note.push(x.clone());
        }
        if let Some(f) = k.follow_up.as_deref().and_then(crate::rules::case::FollowUp::parse) {
            note.push(f.label().to_string());
        }
        rows.push(RecordBookRow {
            no: i as i64 + 1,
            received_on: text_vi::format_date(k.received_on),
            mediators: names.join("; "),
            parties: k.parties.as_deref().map(party_text).unwrap_or_default(),
            summary: format!("{} ({field})", k.summary),
            agreement: k.agreement.clone().or_else(|| k.positions.clone()).unwrap_or_default(),
            result: result_text(s).to_string(),
            note: note.join(". "),
        });
    }
    let mut summary: Vec<RecordBookSummary> = summary.into_values().collect();
    text_vi::sort_by_key(&mut summary, |s| s.mediator.as_str());
    Ok(RecordBook { province, commune: t.commune_name.clone(), village: t.village_name.clone(), team: t.name.clone(), year, rows, summary })
}

/// The book as XLSX in the official columns.
pub fn book_xlsx(b: &RecordBook) -> AppResult<Vec<u8>> {
    let heading = vec![
        "SỔ THEO DÕI HOẠT ĐỘNG HÒA GIẢI Ở CƠ SỞ".to_string(),
        format!("Tỉnh/thành phố: {}", b.province),
        format!("Xã/phường/đặc khu: {}", b.commune),
        format!("Thôn/tổ dân phố: {}", b.village),
        format!("Tổ hòa giải: {}", b.team),
        format!("Năm {}", b.year),
    ];
    let part1 = Part {
        title: "PHẦN I. PHẦN DÀNH CHO HÒA GIẢI VIÊN GHI CHÉP".into(),
        header: [
            "STT (1)",
            "Ngày, tháng, năm tiếp nhận (2)",
            "Họ và tên hòa giải viên, người được mời tham gia hòa giải (3)",
            "Họ và tên, tuổi, địa chỉ của các bên và người có quyền lợi, nghĩa vụ liên quan (4)",
            "Nội dung chính của vụ, việc (5)",
            "Thỏa thuận của các bên (hoặc yêu cầu của mỗi bên) sau hòa giải (6)",
            "Kết quả hòa giải: thành / không thành (7)",
            "Chữ ký của hòa giải viên, người được mời, các bên (8)",
            "Ghi chú (9)",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: b
            .rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Int(r.no),
                    Cell::Text(r.received_on.clone()),
                    Cell::Text(r.mediators.clone()),
                    Cell::Text(r.parties.clone()),
                    Cell::Text(r.summary.clone()),
                    Cell::Text(r.agreement.clone()),
                    Cell::Text(r.result.clone()),
                    Cell::Empty,
                    Cell::Text(r.note.clone()),
                ]
            })
            .collect(),
    };
    let part2 = Part {
        title: "PHẦN II. PHẦN DÀNH CHO TỔ TRƯỞNG TỔ HÒA GIẢI TỔNG HỢP".into(),
        header: ["STT", "Hòa giải viên", "Số vụ, việc", "Phân theo lĩnh vực", "Thành", "Không thành", "Khác (đang hòa giải, dừng, chuyển)", "Ghi chú"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows: b
            .summary
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    Cell::Int(i as i64 + 1),
                    Cell::Text(s.mediator.clone()),
                    Cell::Int(s.cases),
                    Cell::Text(s.by_field.iter().map(|(f, n)| format!("{f}: {n}")).collect::<Vec<_>>().join("; ")),
                    Cell::Int(s.settled),
                    Cell::Int(s.not_settled),
                    Cell::Int(s.other),
                    Cell::Empty,
                ]
            })
            .collect(),
    };
    parts_xlsx("Sổ theo dõi", &heading, &[part1, part2]).map_err(xlsx_err)
}

/// The remuneration list of a commune for a period.
pub fn payments_xlsx(unit: &str, start: NaiveDate, end: NaiveDate, rows: &[(CaseRow, String)]) -> AppResult<Vec<u8>> {
    let header: Vec<String> = ["STT", "Tổ hòa giải", "Vụ, việc số", "Kết quả", "Ngày kết thúc", "Số tiền (đồng)", "Ngày chi"].iter().map(|s| s.to_string()).collect();
    let mut total = 0;
    let mut out: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, (k, team))| {
            total += k.payable.unwrap_or(0);
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(team.clone()),
                Cell::Int(k.id),
                Cell::Text(Status::parse(&k.status).map(|s| s.label()).unwrap_or("").into()),
                k.ended_on.map(|d| Cell::Text(text_vi::format_date(d))).unwrap_or(Cell::Empty),
                Cell::Int(k.payable.unwrap_or(0)),
                k.paid_on.map(|d| Cell::Text(text_vi::format_date(d))).unwrap_or(Cell::Empty),
            ]
        })
        .collect();
    out.push(vec![Cell::Empty, Cell::Text("Tổng cộng".into()), Cell::Empty, Cell::Empty, Cell::Empty, Cell::Int(total), Cell::Empty]);
    table_xlsx(
        "Thù lao",
        &format!("DANH SÁCH CHI THÙ LAO HÒA GIẢI VIÊN — {unit}, từ {} đến {}", text_vi::format_date(start), text_vi::format_date(end)),
        &header,
        &out,
    )
    .map_err(xlsx_err)
}

fn place(unit_name: &str) -> String {
    for prefix in ["Phường ", "Xã ", "Đặc khu ", "Thị trấn "] {
        if let Some(rest) = unit_name.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    unit_name.to_string()
}

/// The book as DOCX in the Nghị định 30 layout: the heading fields, Part I and Part II as
/// tables, signed by the team leader.
pub fn book_docx(b: &RecordBook, leader: Option<&str>) -> AppResult<Vec<u8>> {
    use documents::{Block, OfficialDoc, Signature};
    let part1 = Block::Table {
        header: ["STT", "Ngày tiếp nhận", "Hòa giải viên, người được mời", "Các bên (họ tên, tuổi, địa chỉ)", "Nội dung chính", "Thỏa thuận hoặc yêu cầu của các bên", "Kết quả", "Ghi chú"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows: b.rows.iter().map(|r| vec![r.no.to_string(), r.received_on.clone(), r.mediators.clone(), r.parties.clone(), r.summary.clone(), r.agreement.clone(), r.result.clone(), r.note.clone()]).collect(),
        widths: vec![1, 2, 3, 4, 4, 4, 2, 2],
    };
    let part2 = Block::Table {
        header: ["STT", "Hòa giải viên", "Số vụ, việc", "Theo lĩnh vực", "Thành", "Không thành", "Khác"].iter().map(|s| s.to_string()).collect(),
        rows: b
            .summary
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    (i + 1).to_string(),
                    s.mediator.clone(),
                    text_vi::format_int(s.cases),
                    s.by_field.iter().map(|(f, n)| format!("{f}: {n}")).collect::<Vec<_>>().join("; "),
                    text_vi::format_int(s.settled),
                    text_vi::format_int(s.not_settled),
                    text_vi::format_int(s.other),
                ]
            })
            .collect(),
        widths: vec![1, 4, 2, 5, 2, 2, 2],
    };
    let doc = OfficialDoc {
        parent_body: Some(b.commune.to_uppercase()),
        issuing_body: b.team.to_uppercase(),
        number: None,
        place: Some(place(&b.commune)),
        date: None,
        kind: "SỔ THEO DÕI".into(),
        title: format!("Hoạt động hòa giải ở cơ sở năm {}", b.year),
        blocks: vec![
            Block::Field { label: "Tỉnh, thành phố".into(), value: b.province.clone() },
            Block::Field { label: "Xã, phường, đặc khu".into(), value: b.commune.clone() },
            Block::Field { label: "Thôn, tổ dân phố".into(), value: b.village.clone() },
            Block::Heading { level: 1, text: "PHẦN I. PHẦN DÀNH CHO HÒA GIẢI VIÊN GHI CHÉP".into() },
            part1,
            Block::Heading { level: 1, text: "PHẦN II. PHẦN DÀNH CHO TỔ TRƯỞNG TỔ HÒA GIẢI TỔNG HỢP".into() },
            part2,
        ],
        signature: Signature { authority: None, title: Some("TỔ TRƯỞNG".into()), name: leader.map(str::to_string) },
        recipients: Vec::new(),
    };
    documents::official_docx(&doc).map_err(|e| AppError::Internal(format!("docx: {e}")))
}

/// The written agreement of a successful mediation (văn bản hòa giải thành), made when the
/// parties ask for it.
pub fn agreement_docx(t: &TeamRow, k: &CaseRow, parties: &[store::PartyRow], mediators: &[String], field: &str) -> AppResult<Vec<u8>> {
    use documents::{Block, OfficialDoc, Signature};
    let mut blocks = vec![
        Block::Paragraph(format!(
            "Hôm nay, ngày {}, tại {}, {}, {} tiến hành hòa giải vụ, việc sau:",
            k.ended_on.map(text_vi::format_date).unwrap_or_default(),
            t.village_name,
            t.commune_name,
            t.name
        )),
        Block::Field { label: "Hòa giải viên".into(), value: mediators.join(", ") },
        Block::Field { label: "Lĩnh vực".into(), value: field.to_string() },
        Block::Heading { level: 2, text: "Các bên".into() },
    ];
    for p in parties {
        let mut s = p.full_name.clone();
        if let Some(y) = p.birth_year {
            s.push_str(&format!(", sinh năm {y}"));
        }
        if let Some(a) = p.address.as_deref().filter(|a| !a.is_empty()) {
            s.push_str(&format!(", địa chỉ: {a}"));
        }
        blocks.push(Block::Bullet(s));
    }
    blocks.push(Block::Field { label: "Nội dung vụ, việc".into(), value: k.summary.clone() });
    blocks.push(Block::Heading { level: 2, text: "Nội dung thỏa thuận".into() });
    blocks.push(Block::Paragraph(k.agreement.clone().unwrap_or_default()));
    blocks.push(Block::Paragraph(
        "Các bên tự nguyện thỏa thuận, cam kết thực hiện nội dung trên. Văn bản được lập theo yêu cầu của các bên, có giá trị theo Luật Hòa giải ở cơ sở; các bên có thể yêu cầu Tòa án công nhận kết quả hòa giải thành ngoài Tòa án theo quy định của pháp luật tố tụng dân sự.".into(),
    ));
    blocks.push(Block::Table {
        header: parties.iter().map(|p| p.full_name.clone()).collect(),
        rows: vec![parties.iter().map(|_| "(ký, ghi rõ họ tên)".to_string()).collect()],
        widths: Vec::new(),
    });
    let doc = OfficialDoc {
        parent_body: Some(t.commune_name.to_uppercase()),
        issuing_body: t.name.to_uppercase(),
        number: None,
        place: Some(place(&t.commune_name)),
        date: k.ended_on,
        kind: "VĂN BẢN HÒA GIẢI THÀNH".into(),
        title: format!("Vụ, việc số {}", k.id),
        blocks,
        signature: Signature { authority: None, title: Some("HÒA GIẢI VIÊN".into()), name: mediators.first().cloned() },
        recipients: parties.iter().map(|p| format!("{};", p.full_name)).chain(std::iter::once(format!("{};", t.name))).collect(),
    };
    documents::official_docx(&doc).map_err(|e| AppError::Internal(format!("docx: {e}")))
}
