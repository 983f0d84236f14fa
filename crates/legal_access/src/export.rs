//! Documents of the legal-access standard: the chair's recognition decision (DOCX in the
//! Nghị định 30/2020 layout) and the round's table (XLSX, one row per commune).

use std::collections::BTreeMap;

use documents::table::Cell;
use documents::{Block, ExportError, OfficialDoc, Signature};

use crate::rules::ruleset::{Measure, RuleSet, ScoringMode};
use crate::rules::state::Status;
use crate::service;
use crate::store::{AssessmentRow, RoundRow, ValueRow};

/// The province's name without its kind ("Lạng Sơn" from "Tỉnh Lạng Sơn").
fn place(unit_name: &str) -> String {
    for prefix in ["Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã "] {
        if let Some(rest) = unit_name.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    unit_name.to_string()
}

/// The recognition decision: recognised communes and those not recognised, with reasons.
pub fn decision_docx(r: &RoundRow, all: &[AssessmentRow]) -> Result<Vec<u8>, ExportError> {
    let yes: Vec<&AssessmentRow> = all.iter().filter(|a| a.status == Status::Recognised.as_str()).collect();
    let no: Vec<&AssessmentRow> = all.iter().filter(|a| a.status == Status::NotRecognised.as_str()).collect();
    let list = |v: &[&AssessmentRow]| -> Vec<Vec<String>> {
        v.iter().enumerate().map(|(i, a)| vec![(i + 1).to_string(), a.unit_name.clone(), a.decision_note.clone().unwrap_or_default()]).collect()
    };
    let mut blocks = vec![
        Block::Paragraph(format!(
            "Căn cứ quy định về đánh giá, công nhận cấp xã đạt chuẩn tiếp cận pháp luật; xét đề nghị của Hội đồng đánh giá chuẩn tiếp cận pháp luật{}.",
            r.meeting_on.map(|d| format!(" tại cuộc họp ngày {}", text_vi::format_date(d))).unwrap_or_default()
        )),
        Block::Heading { level: 1, text: "QUYẾT ĐỊNH:".into() },
        Block::Paragraph(format!(
            "Điều 1. Công nhận {} đơn vị cấp xã đạt chuẩn tiếp cận pháp luật năm {} (danh sách kèm theo).",
            text_vi::format_int(yes.len() as i64),
            r.year
        )),
        Block::Table { header: vec!["STT".into(), "Đơn vị".into(), "Ghi chú".into()], rows: list(&yes), widths: vec![1, 6, 5] },
        Block::Paragraph(format!(
            "Điều 2. {} đơn vị cấp xã chưa đạt chuẩn tiếp cận pháp luật năm {}, lý do nêu tại danh sách dưới đây.",
            text_vi::format_int(no.len() as i64),
            r.year
        )),
    ];
    if !no.is_empty() {
        blocks.push(Block::Table { header: vec!["STT".into(), "Đơn vị".into(), "Lý do".into()], rows: list(&no), widths: vec![1, 5, 6] });
    }
    blocks.push(Block::Paragraph("Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Giám đốc Sở Tư pháp, Chủ tịch Ủy ban nhân dân các đơn vị cấp xã có tên tại Điều 1, Điều 2 và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.".into()));
    let doc = OfficialDoc {
        parent_body: None,
        issuing_body: format!("ỦY BAN NHÂN DÂN {}", r.unit_name.to_uppercase()),
        number: r.decision_no.clone(),
        place: Some(place(&r.unit_name)),
        date: r.decision_on,
        kind: "QUYẾT ĐỊNH".into(),
        title: format!("Về việc công nhận đơn vị cấp xã đạt chuẩn tiếp cận pháp luật năm {}", r.year),
        blocks,
        signature: Signature { authority: Some("TM. ỦY BAN NHÂN DÂN".into()), title: Some("CHỦ TỊCH".into()), name: r.decision_signer.clone() },
        recipients: vec!["Như Điều 3;".into(), "Bộ Tư pháp;".into(), "Cổng thông tin điện tử;".into()],
    };
    documents::official_docx(&doc)
}

/// The round's table: one row per commune (status, result), one column per indicator (the
/// value the council counts).
pub fn round_xlsx(r: &RoundRow, rs: &RuleSet, all: &[AssessmentRow], values: &[ValueRow]) -> Result<Vec<u8>, ExportError> {
    let mut by: BTreeMap<i64, Vec<ValueRow>> = BTreeMap::new();
    for v in values {
        by.entry(v.assessment_id).or_default().push(v.clone());
    }
    let mut header = vec!["Đơn vị".to_string(), "Mã".into(), "Tình trạng".into(), if rs.mode == ScoringMode::Points { "Tổng điểm".into() } else { "Số chỉ tiêu đạt".into() }, "Đủ điều kiện".into()];
    for ind in rs.indicators() {
        header.push(format!("{} {}", ind.code, if ind.measure == Measure::Ratio { "(%)" } else { "" }).trim().to_string());
    }
    let rows: Vec<Vec<Cell>> = all
        .iter()
        .map(|a| {
            let vals = by.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
            let (_, fin) = service::outcomes(rs, vals, &[]);
            let mut row = vec![
                Cell::Text(a.unit_name.clone()),
                Cell::Text(a.unit_code.clone()),
                Cell::Text(Status::parse(&a.status).unwrap_or(Status::Draft).label().into()),
                match rs.mode {
                    ScoringMode::Points => Cell::Number(fin.total.as_f64()),
                    ScoringMode::PassFail => Cell::Int(fin.achieved as i64),
                },
                Cell::Text((if fin.recognisable { "Có" } else { "Không" }).into()),
            ];
            for i in &fin.indicators {
                row.push(match i.value {
                    Some(crate::rules::score::Value::Ratio { den: 0, .. }) => Cell::Text("Không phát sinh".into()),
                    Some(crate::rules::score::Value::Ratio { num, den }) => Cell::Number((num as f64 * 1000.0 / den as f64).round() / 10.0),
                    Some(crate::rules::score::Value::Count { n }) => Cell::Int(n),
                    Some(crate::rules::score::Value::YesNo { yes }) => Cell::Text((if yes { "Có" } else { "Không" }).into()),
                    None => Cell::Empty,
                });
            }
            row
        })
        .collect();
    documents::table::table_xlsx("Tổng hợp", &format!("Kết quả đánh giá chuẩn tiếp cận pháp luật năm {} — {}", r.year, r.unit_name), &header, &rows)
}
