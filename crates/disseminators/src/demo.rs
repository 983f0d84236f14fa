//! Demo data of the registries, for Lạng Sơn and its two demo communes: reporters at the
//! province (one short of the Art. 35 criteria, one dismissed, one linked to the demo account
//! `bcv1` with the role Reporter), propagandists in each commune (those of the first commune
//! recognised through this year's September round), training records and sessions reaching
//! special target groups.

use chrono::{Datelike, Duration, NaiveDate};
use kernel::Db;
use kernel::account::Role;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};
use kernel::registry::LinkableTasks;

use crate::rules::kinds::{Kind, Qualification, RegStatus};
use crate::store::{self, ActivityInput, PersonInput, RegistrationInput, TrainingInput};

fn date(y: i32, m: u32, d: u32) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| AppError::Internal("demo date".into()))
}

struct Reporter {
    name: &'static str,
    agency: &'static str,
    position: &'static str,
    q: Qualification,
    years: i64,
    phone: &'static str,
}

const REPORTERS: &[Reporter] = &[
    Reporter { name: "Hoàng Thị Lan", agency: "Sở Tư pháp tỉnh Lạng Sơn", position: "Phó Giám đốc", q: Qualification::Law, years: 15, phone: "0912345001" },
    Reporter { name: "Triệu Văn Minh", agency: "Công an tỉnh Lạng Sơn", position: "Trưởng phòng", q: Qualification::Law, years: 8, phone: "0912345002" },
    Reporter { name: "Lương Thị Thu", agency: "Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn", position: "Chuyên viên", q: Qualification::OtherDegree, years: 2, phone: "0912345003" },
    Reporter { name: "Nông Đức Thắng", agency: "Sở Tài nguyên và Môi trường tỉnh Lạng Sơn", position: "Chuyên viên chính", q: Qualification::OtherDegree, years: 6, phone: "0912345004" },
];

/// A demo session, `ago` days before today.
struct Session {
    unit: i64,
    ago: i64,
    form: &'static str,
    topic: &'static str,
    laws: &'static str,
    attendees: i64,
    materials: i64,
    groups: Vec<(&'static str, i64)>,
    people: Vec<i64>,
}

/// Loads the demo registries once (nothing when any entry exists).
pub async fn load(db: &Db) -> AppResult<()> {
    let today = kernel::page::today();
    let province = kernel::db::units::by_code(db, kernel::demo::PROVINCE_CODE, today).await?;
    if !store::people_in(db, &format!("{}%", province.path)).await?.is_empty() {
        return Ok(());
    }
    let mut communes = Vec::new();
    for code in kernel::demo::COMMUNE_CODES {
        communes.push(kernel::db::units::by_code(db, code, today).await?);
    }
    let tinh = kernel::db::accounts::by_username(db, "tinh").await?;
    let actor = Actor::cli();
    let year = today.year();
    let mut tx = db.begin().await?;

    // The account of a reporter, sharing the demo password (the hash of `tinh`).
    let bcv1 = kernel::db::accounts::create(&mut tx, &kernel::db::accounts::NewAccount {
        username: "bcv1".into(),
        full_name: text_vi::nfc("Hoàng Thị Lan"),
        email: Some("bcv1@demo.pbgdpl.local".into()),
        password_hash: tinh.password_hash.clone(),
        role: Role::Reporter.as_str().into(),
        unit_id: province.id,
        agency_id: None,
        must_change_password: false,
    })
    .await?;
    audit::record(&mut tx, &actor, Entry {
        action: "create", entity: "account", entity_id: Some(bcv1.to_string()), unit_id: Some(province.id),
        summary: format!("Dữ liệu mẫu: tài khoản bcv1 ({})", Role::Reporter.label()), before: None, after: None,
    })
    .await?;

    let mut reporter_ids = Vec::new();
    for (n, r) in REPORTERS.iter().enumerate() {
        let f = PersonInput {
            full_name: text_vi::nfc(r.name),
            birth_year: Some(1970 + n as i64 * 4),
            gender: if r.name.contains("Thị") { "nu".into() } else { "nam".into() },
            phone: Some(r.phone.into()),
            agency: text_vi::nfc(r.agency),
            position: text_vi::nfc(r.position),
            qualification: r.q.as_str().into(),
            experience_years: r.years,
            account_id: (n == 0).then_some(bcv1),
            decision_no: "1520/QĐ-UBND".into(),
            decision_signer: text_vi::nfc("Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn"),
            ..PersonInput::default()
        };
        let on = date(year - 1, 8, 12)?;
        reporter_ids.push(store::insert_person(&mut tx, Kind::Reporter.as_str(), province.id, &f, on, None, Some(tinh.id)).await?);
    }
    // The last one moved to another province and was dismissed.
    if let Some(last) = reporter_ids.last() {
        store::set_dismissal(&mut tx, *last, Some(date(year, 3, 1)?), Some("dismissed"), Some(&text_vi::nfc("Chuyển công tác ra ngoài tỉnh."))).await?;
    }
    if let Some(first) = reporter_ids.first() {
        store::insert_training(&mut tx, *first, &TrainingInput {
            title: text_vi::nfc("Bồi dưỡng kỹ năng phổ biến pháp luật cho báo cáo viên"),
            organiser: text_vi::nfc("Sở Tư pháp tỉnh Lạng Sơn"),
            starts_on: date(year, 4, 8)?,
            ends_on: date(year, 4, 9)?,
            hours: 16,
            certificate: true,
        }, Some(tinh.id))
        .await?;
    }

    // The first commune recognised its propagandists through this year's September round.
    let xa1 = kernel::db::accounts::by_username(db, "xa1").await?;
    let c1 = &communes[0];
    let round = store::insert_round(&mut tx, c1.id, i64::from(year), date(year, 9, 3)?, &text_vi::nfc("Thông báo tại nhà văn hóa các thôn, tổ dân phố và trên loa truyền thanh."), Some(xa1.id)).await?;
    let regs = [
        ("Hoàng Văn Quý", 1968, "Tổ dân phố 1", "Cựu chiến binh", RegStatus::Listed),
        ("Vi Thị Hằng", 1985, "Tổ dân phố 3", "Giáo viên", RegStatus::Listed),
        ("Lộc Văn Sơn", 1990, "Tổ dân phố 5", "Kinh doanh", RegStatus::Listed),
        ("Đinh Thị Mai", 2001, "Tổ dân phố 2", "Sinh viên", RegStatus::NotListed),
        ("Chu Văn Bình", 1975, "Tổ dân phố 4", "Trưởng tổ dân phố", RegStatus::Registered),
    ];
    let decided = date(year, 9, 25)?.min(today);
    let mut propagandists = Vec::new();
    for (name, born, village, job, status) in regs {
        let input = RegistrationInput { full_name: text_vi::nfc(name), birth_year: Some(born), phone: None, village: text_vi::nfc(village), occupation: text_vi::nfc(job) };
        let rid = store::insert_registration(&mut tx, round, &input, Some(xa1.id)).await?;
        match status {
            RegStatus::Listed => {
                let f = PersonInput {
                    full_name: input.full_name.clone(),
                    birth_year: input.birth_year,
                    village: input.village.clone(),
                    agency: input.occupation.clone(),
                    qualification: Qualification::Other.as_str().into(),
                    decision_no: "215/QĐ-UBND".into(),
                    decision_signer: format!("Chủ tịch Ủy ban nhân dân {}", c1.name),
                    ..PersonInput::default()
                };
                propagandists.push(store::insert_person(&mut tx, Kind::Propagandist.as_str(), c1.id, &f, decided, Some(rid), Some(xa1.id)).await?);
                store::set_registration_status(&mut tx, rid, RegStatus::Recognised.as_str(), "").await?;
            }
            RegStatus::NotListed => store::set_registration_status(&mut tx, rid, status.as_str(), &text_vi::nfc("Chưa đủ hiểu biết pháp luật theo nhận xét của tổ dân phố.")).await?,
            _ => {}
        }
    }
    store::set_listed_on(&mut tx, round, date(year, 9, 20)?.min(today)).await?;

    // The second commune's propagandists, recognised last year.
    let xa2 = kernel::db::accounts::by_username(db, "xa2").await?;
    let c2 = &communes[1];
    let mut others = Vec::new();
    for (name, village, phone) in [("Hoàng Văn Tình", "Thôn Bản Mới", "0987000111"), ("Mông Thị Xuân", "Thôn Nà Lầm", "0987000222")] {
        let f = PersonInput {
            full_name: text_vi::nfc(name),
            phone: Some(phone.into()),
            village: text_vi::nfc(village),
            agency: text_vi::nfc("Trưởng thôn"),
            qualification: Qualification::Other.as_str().into(),
            decision_no: "98/QĐ-UBND".into(),
            decision_signer: text_vi::nfc("Chủ tịch xã"),
            ..PersonInput::default()
        };
        others.push(store::insert_person(&mut tx, Kind::Propagandist.as_str(), c2.id, &f, date(year - 1, 10, 2)?, None, Some(xa2.id)).await?);
    }

    // Sessions: the province's conferences with its reporters, the communes' own.
    let sessions = [
        Session { unit: province.id, ago: 40, form: "conference", topic: "Luật Đất đai năm 2024 và các văn bản hướng dẫn", laws: "Luật Đất đai số 31/2024/QH15", attendees: 180, materials: 200, groups: vec![("remote_ethnic_fishermen", 120)], people: reporter_ids.iter().take(2).copied().collect() },
        Session { unit: province.id, ago: 12, form: "conference", topic: "Pháp luật về lao động cho người lao động trong doanh nghiệp", laws: "Bộ luật Lao động 2019", attendees: 95, materials: 100, groups: vec![("enterprise_workers", 95)], people: reporter_ids.iter().take(1).copied().collect() },
        Session { unit: c1.id, ago: 30, form: "loudspeaker", topic: "Phòng, chống bạo lực gia đình", laws: "Luật Phòng, chống bạo lực gia đình 2022", attendees: 0, materials: 0, groups: vec![], people: propagandists.iter().take(1).copied().collect() },
        Session { unit: c1.id, ago: 8, form: "mobile", topic: "Pháp luật về an toàn giao thông", laws: "Luật Trật tự, an toàn giao thông đường bộ 2024", attendees: 60, materials: 60, groups: vec![("disabled", 4)], people: propagandists.clone() },
        Session { unit: c2.id, ago: 20, form: "conference", topic: "Pháp luật về hòa giải ở cơ sở", laws: "Luật Hòa giải ở cơ sở 2013", attendees: 45, materials: 30, groups: vec![("remote_ethnic_fishermen", 45), ("domestic_violence_victims", 3)], people: others.clone() },
    ];
    for s in sessions {
        let held = today - Duration::days(s.ago);
        let a = ActivityInput {
            held_on: Some(held),
            form: s.form.into(),
            topic: text_vi::nfc(s.topic),
            laws: text_vi::nfc(s.laws),
            place: String::new(),
            attendees: s.attendees,
            materials: s.materials,
            note: String::new(),
            groups: s.groups.into_iter().map(|(g, n)| (g.to_string(), n)).collect(),
            people: s.people,
            task_id: None,
        };
        let by = if s.unit == province.id { tinh.id } else if s.unit == c1.id { xa1.id } else { xa2.id };
        store::insert_activity(&mut tx, s.unit, &a, held, Some(by)).await?;
    }
    audit::record(&mut tx, &actor, Entry {
        action: "create",
        entity: "disseminator",
        entity_id: None,
        unit_id: Some(province.id),
        summary: format!("Dữ liệu mẫu: {} báo cáo viên, {} tuyên truyền viên pháp luật và 5 buổi phổ biến", reporter_ids.len(), propagandists.len() + others.len()),
        before: None,
        after: None,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Links the province's demo session on the land law (one of `bcv1`'s) to a task of the
/// province's demo plan that the province answers for, found through the kernel's
/// `LinkableTasks` port: task 2.2 (the topics to disseminate, land first) when present. Once:
/// nothing when the session is already linked or there is no such session or task.
pub async fn link_tasks(db: &Db, linkable: LinkableTasks) -> AppResult<()> {
    let today = kernel::page::today();
    let province = kernel::db::units::by_code(db, kernel::demo::PROVINCE_CODE, today).await?;
    let sessions = store::activities(db, &format!("{}%", province.path), today - Duration::days(400), today).await?;
    let Some(session) = sessions.iter().find(|a| a.unit_id == province.id && a.topic.starts_with("Luật Đất đai")) else { return Ok(()) };
    if session.task_id.is_some() {
        return Ok(());
    }
    let tasks = linkable(db, province.id, None).await?;
    let Some(task) = tasks.iter().find(|t| t.label.starts_with("2.2")).or_else(|| tasks.first()) else { return Ok(()) };
    let mut tx = db.begin().await?;
    store::set_task(&mut tx, session.id, Some(task.id)).await?;
    audit::record(&mut tx, &Actor::cli(), Entry {
        action: "update",
        entity: "dissem_activity",
        entity_id: Some(session.id.to_string()),
        unit_id: Some(province.id),
        summary: format!("Dữ liệu mẫu: gắn buổi phổ biến “{}” với nhiệm vụ {}", session.topic, task.label),
        before: Some(serde_json::json!({ "task_id": null })),
        after: Some(serde_json::json!({ "task_id": task.id })),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}
