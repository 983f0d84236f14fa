//! Demo data of the bookshelf: real national legal documents with their public facts
//! (numbers, titles, issuing bodies, signers, dates issued and in force) and the links between
//! them, a few teaching materials of Lạng Sơn, and the bookshelf of the first demo commune.
//!
//! Sources of the facts: docs/bookshelf.md lists them. One date was not found in the stored
//! sources: Luật Đất đai 31/2024/QH15 in force from 01/8/2024 (moved forward from 01/01/2025
//! by Luật số 43/2024/QH15); it is marked there for a check against vbpl.vn. No vbpl.vn
//! address is filled in, since none was verified.

use chrono::NaiveDate;
use kernel::Db;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};

use crate::rules::kinds::{LinkKind, MaterialKind};
use crate::store::{self, DocInput, ItemInput, LinkInput, MaterialInput};

fn date(y: i32, m: u32, d: u32) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| AppError::Internal("demo date".into()))
}

struct Doc {
    number: &'static str,
    type_code: &'static str,
    title: &'static str,
    issuer: &'static str,
    signer: &'static str,
    issued: (i32, u32, u32),
    in_force: (i32, u32, u32),
    fields: &'static [&'static str],
    summary: &'static str,
}

const DOCS: &[Doc] = &[
    Doc { number: "14/2012/QH13", type_code: "luat", title: "Luật Phổ biến, giáo dục pháp luật", issuer: "Quốc hội", signer: "Nguyễn Sinh Hùng",
        issued: (2012, 6, 20), in_force: (2013, 1, 1), fields: &["pbgdpl"],
        summary: "Quy định về quyền và nghĩa vụ tìm hiểu pháp luật của công dân; nội dung, hình thức phổ biến, giáo dục pháp luật; báo cáo viên, tuyên truyền viên pháp luật; Ngày Pháp luật (09 tháng 11)." },
    Doc { number: "35/2013/QH13", type_code: "luat", title: "Luật Hòa giải ở cơ sở", issuer: "Quốc hội", signer: "Nguyễn Sinh Hùng",
        issued: (2013, 6, 20), in_force: (2014, 1, 1), fields: &["hoa-giai"],
        summary: "Quy định về nguyên tắc, chính sách của Nhà nước về hòa giải ở cơ sở; hòa giải viên, tổ hòa giải; hoạt động hòa giải ở cơ sở." },
    Doc { number: "45/2013/QH13", type_code: "luat", title: "Luật Đất đai", issuer: "Quốc hội", signer: "Nguyễn Sinh Hùng",
        issued: (2013, 11, 29), in_force: (2014, 7, 1), fields: &["dat-dai"],
        summary: "Quy định về chế độ sở hữu đất đai, quyền hạn và trách nhiệm của Nhà nước đại diện chủ sở hữu toàn dân về đất đai, chế độ quản lý và sử dụng đất đai, quyền và nghĩa vụ của người sử dụng đất." },
    Doc { number: "52/2014/QH13", type_code: "luat", title: "Luật Hôn nhân và gia đình", issuer: "Quốc hội", signer: "Nguyễn Sinh Hùng",
        issued: (2014, 6, 19), in_force: (2015, 1, 1), fields: &["hon-nhan-gia-dinh"],
        summary: "Quy định chế độ hôn nhân và gia đình; chuẩn mực pháp lý cho cách ứng xử giữa các thành viên gia đình; trách nhiệm của cá nhân, tổ chức, Nhà nước và xã hội trong việc xây dựng, củng cố chế độ hôn nhân và gia đình." },
    Doc { number: "35/2018/QH14", type_code: "luat", title: "Luật sửa đổi, bổ sung một số điều của 37 luật có liên quan đến quy hoạch", issuer: "Quốc hội", signer: "Nguyễn Thị Kim Ngân",
        issued: (2018, 11, 20), in_force: (2019, 1, 1), fields: &["dat-dai"], summary: "Sửa đổi, bổ sung một số điều của các luật có liên quan đến quy hoạch, trong đó có Luật Đất đai năm 2013." },
    Doc { number: "30/2020/NĐ-CP", type_code: "nghi-dinh", title: "Nghị định về công tác văn thư", issuer: "Chính phủ", signer: "Nguyễn Xuân Phúc",
        issued: (2020, 3, 5), in_force: (2020, 3, 5), fields: &["hanh-chinh"],
        summary: "Quy định về công tác văn thư: soạn thảo, ký ban hành văn bản; quản lý văn bản; lập hồ sơ và nộp lưu hồ sơ, tài liệu vào Lưu trữ cơ quan; quản lý và sử dụng con dấu, thiết bị lưu khóa bí mật." },
    Doc { number: "09/2021/TT-BTP", type_code: "thong-tu", title: "Thông tư hướng dẫn thi hành Quyết định số 25/2021/QĐ-TTg ngày 22 tháng 7 năm 2021 của Thủ tướng Chính phủ ban hành Quy định về xã, phường, thị trấn đạt chuẩn tiếp cận pháp luật",
        issuer: "Bộ Tư pháp", signer: "", issued: (2021, 11, 15), in_force: (2022, 1, 1), fields: &["tiep-can-phap-luat"],
        summary: "Hướng dẫn đánh giá, công nhận xã, phường, thị trấn đạt chuẩn tiếp cận pháp luật theo 5 tiêu chí, 20 chỉ tiêu." },
    Doc { number: "56/2023/TT-BTC", type_code: "thong-tu", title: "Thông tư quy định việc lập dự toán, quản lý, sử dụng và quyết toán kinh phí bảo đảm cho công tác phổ biến, giáo dục pháp luật, chuẩn tiếp cận pháp luật và hòa giải ở cơ sở",
        issuer: "Bộ Tài chính", signer: "", issued: (2023, 8, 18), in_force: (2023, 10, 6), fields: &["pbgdpl", "hoa-giai", "tiep-can-phap-luat"],
        summary: "Nguồn kinh phí, nội dung chi và mức chi, việc lập dự toán, quản lý, sử dụng và quyết toán kinh phí ngân sách nhà nước cho phổ biến, giáo dục pháp luật, chuẩn tiếp cận pháp luật và hòa giải ở cơ sở." },
    Doc { number: "31/2024/QH15", type_code: "luat", title: "Luật Đất đai", issuer: "Quốc hội", signer: "Vương Đình Huệ",
        issued: (2024, 1, 18), in_force: (2024, 8, 1), fields: &["dat-dai"],
        summary: "Luật Đất đai năm 2024, gồm 16 chương, 260 điều; thay thế Luật Đất đai số 45/2013/QH13." },
    Doc { number: "15/2025/TT-BTP", type_code: "thong-tu", title: "Thông tư hướng dẫn thi hành Quyết định số 27/2025/QĐ-TTg ngày 04 tháng 8 năm 2025 của Thủ tướng Chính phủ quy định về xã, phường, đặc khu đạt chuẩn tiếp cận pháp luật",
        issuer: "Bộ Tư pháp", signer: "", issued: (2025, 9, 11), in_force: (2026, 1, 1), fields: &["tiep-can-phap-luat"],
        summary: "Hướng dẫn mức độ đạt chuẩn của từng tiêu chí, chỉ tiêu, biểu mẫu hồ sơ đánh giá; thay thế Thông tư số 09/2021/TT-BTP." },
];

/// (source, target, kind, whole): the links between the documents above, each from the
/// source's in-force date.
const LINKS: &[(&str, &str, LinkKind, bool)] = &[
    ("35/2018/QH14", "45/2013/QH13", LinkKind::Amends, false),
    ("31/2024/QH15", "45/2013/QH13", LinkKind::Replaces, true),
    ("15/2025/TT-BTP", "09/2021/TT-BTP", LinkKind::Replaces, true),
];

/// Loads the demo bookshelf once (nothing when any document exists).
pub async fn load(db: &Db) -> AppResult<()> {
    let today = kernel::page::today();
    let province = kernel::db::units::by_code(db, kernel::demo::PROVINCE_CODE, today).await?;
    if !store::documents(db, &store::DocFilter::default()).await?.is_empty() {
        return Ok(());
    }
    let commune = kernel::db::units::by_code(db, kernel::demo::COMMUNE_CODES[0], today).await?;
    let actor = Actor::cli();
    let mut tx = db.begin().await?;
    let mut ids = std::collections::HashMap::new();
    for d in DOCS {
        let (issued, in_force) = (date(d.issued.0, d.issued.1, d.issued.2)?, date(d.in_force.0, d.in_force.1, d.in_force.2)?);
        let input = DocInput {
            number: d.number.into(),
            type_code: d.type_code.into(),
            title: d.title.into(),
            issuer: d.issuer.into(),
            signer: d.signer.into(),
            issued_on: Some(issued),
            in_force_on: Some(in_force),
            expires_on: None,
            fields: d.fields.iter().map(|s| s.to_string()).collect(),
            summary: d.summary.into(),
            full_text: String::new(),
            vbpl_url: String::new(),
        };
        let id = store::insert_document(&mut tx, province.id, &input, issued, in_force, None).await?;
        ids.insert(d.number, (id, in_force));
    }
    for (source, target, kind, whole) in LINKS {
        let (Some(&(s, on)), Some(&(t, _))) = (ids.get(source), ids.get(target)) else {
            return Err(AppError::Internal("demo link".into()));
        };
        store::insert_link(&mut tx, s, &LinkInput { target_id: t, kind: kind.as_str().into(), whole: *whole, effective_on: on, note: String::new() }, None).await?;
    }
    let materials = [
        (MaterialKind::Leaflet, "Tờ gấp: Tìm hiểu Luật Hòa giải ở cơ sở", "Những điều cần biết về hòa giải viên, tổ hòa giải và việc hòa giải ở thôn, bản.", &["hoa-giai"][..], &["remote_ethnic_fishermen"][..], date(2025, 3, 10)?),
        (MaterialKind::QaBooklet, "Sổ tay hỏi đáp pháp luật về hôn nhân và gia đình", "Các câu hỏi thường gặp về kết hôn, ly hôn, quyền và nghĩa vụ của cha mẹ và con.", &["hon-nhan-gia-dinh"][..], &["domestic_violence_victims", "remote_ethnic_fishermen"][..], date(2025, 6, 2)?),
        (MaterialKind::Scenario, "Kịch bản tiểu phẩm: Hòa giải tranh chấp ranh giới đất", "Tiểu phẩm dùng trong buổi sinh hoạt thôn, giới thiệu quy định về đất đai và cách hòa giải tranh chấp giữa hai gia đình.", &["dat-dai", "hoa-giai"][..], &[][..], date(2025, 9, 15)?),
    ];
    let mut material_ids = Vec::new();
    for (kind, title, summary, topics, groups, on) in materials {
        let input = MaterialInput {
            kind: kind.as_str().into(),
            title: title.into(),
            summary: summary.into(),
            link_url: String::new(),
            published_on: Some(on),
            topics: topics.iter().map(|s| s.to_string()).collect(),
            groups: groups.iter().map(|s| s.to_string()).collect(),
        };
        material_ids.push(store::insert_material(&mut tx, province.id, &input, on, None).await?);
    }
    // The commune's bookshelf: the old land law left it when the new one took effect.
    let doc = |n: &str| ids.get(n).map(|x| x.0).ok_or_else(|| AppError::Internal("demo document".into()));
    let shelf = [
        (Some(doc("14/2012/QH13")?), None, date(2023, 3, 1)?, None),
        (Some(doc("35/2013/QH13")?), None, date(2023, 3, 1)?, None),
        (Some(doc("45/2013/QH13")?), None, date(2023, 3, 1)?, Some(date(2024, 8, 1)?)),
        (Some(doc("52/2014/QH13")?), None, date(2023, 3, 1)?, None),
        (Some(doc("31/2024/QH15")?), None, date(2024, 8, 1)?, None),
        (None, material_ids.first().copied(), date(2025, 3, 20)?, None),
    ];
    for (document_id, material_id, added_on, removed_on) in shelf {
        let id = store::insert_item(&mut tx, commune.id, &ItemInput { document_id, material_id, added_on, note: String::new() }, None).await?;
        if let Some(r) = removed_on {
            store::remove_item(&mut tx, id, r).await?;
        }
    }
    audit::record(&mut tx, &actor, Entry {
        action: "create",
        entity: "bookshelf_document",
        entity_id: None,
        unit_id: Some(province.id),
        summary: crate::msg::AUDIT_DEMO.into(),
        before: None,
        after: None,
    })
    .await?;
    tx.commit().await?;
    // The documents (with the status dates their links give) and materials go into the search feed.
    crate::service::feed_all(db).await?;
    Ok(())
}
