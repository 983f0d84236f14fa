//! Demo data of grassroots mediation: in each of Lạng Sơn's two demo communes, a village with
//! its mediation team (establishment decision, five mediators with a leader, training), and
//! cases at every stage; the account `hgv1` (role mediator, same password as the other demo
//! accounts) is the leader of the first commune's team, so a new user sees a living system.

use chrono::{Datelike, Duration, NaiveDate};
use kernel::Db;
use kernel::account::Role;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};

use crate::rules::case::{Origin, Status};
use crate::rules::roster::MediatorInput;
use crate::store::{self, CaseUpdate, Election, NewCase, NewTeam, NewTraining};

struct Person(&'static str, &'static str, i64, &'static str, &'static str);

const PEOPLE: [[Person; 5]; 2] = [
    [
        Person("Hoàng Văn Dũng", "male", 1966, "Tày", "Trưởng thôn"),
        Person("Lý Thị Mai", "female", 1979, "Nùng", "Chi hội trưởng phụ nữ"),
        Person("Nguyễn Văn Bình", "male", 1958, "Kinh", "Hưu trí"),
        Person("Vi Thị Hạnh", "female", 1985, "Tày", "Giáo viên"),
        Person("Lương Văn Sơn", "male", 1972, "Nùng", "Nông dân"),
    ],
    [
        Person("Đinh Văn Thắng", "male", 1970, "Tày", "Bí thư chi bộ"),
        Person("Hà Thị Thu", "female", 1982, "Dao", "Nông dân"),
        Person("Trần Văn Lộc", "male", 1961, "Kinh", "Cựu chiến binh"),
        Person("Chu Thị Lan", "female", 1990, "Nùng", "Cán bộ đoàn"),
        Person("Hoàng Văn Khánh", "male", 1975, "Tày", "Nông dân"),
    ],
];

/// (field, summary, first party, second party, status, days ago).
const CASES: [(&str, &str, &str, &str, Status, i64); 5] = [
    ("land", "Tranh chấp ranh giới đất vườn giữa hai hộ liền kề", "Nông Văn Tài", "Lục Thị Hoa", Status::Successful, 120),
    ("neighbourhood", "Mâu thuẫn do nước thải chăn nuôi chảy sang nhà bên cạnh", "Hoàng Văn Quý", "Triệu Văn Lâm", Status::Successful, 75),
    ("marriage_family", "Mâu thuẫn vợ chồng về việc chăm sóc con", "Lành Thị Nga", "Mã Văn Cường", Status::Unsuccessful, 50),
    ("civil", "Tranh chấp tiền mua bán trâu", "Vy Văn Hùng", "Đàm Văn Phúc", Status::InProgress, 6),
    ("other", "Tố cáo hành vi trộm cắp tài sản (chuyển công an xã)", "Phùng Văn Toàn", "", Status::Refused, 30),
];

/// The parties of the second commune's cases (so that each commune's parties are its own).
const PARTIES_2: [(&str, &str); 5] = [
    ("Sầm Văn Bảo", "Hà Thị Liên"),
    ("Dương Văn Khải", "Nông Thị Vân"),
    ("Lô Thị Thắm", "Lăng Văn Hiếu"),
    ("Mông Văn Đạt", "Bế Văn Tuấn"),
    ("Chu Văn Nghĩa", ""),
];

fn day(d: NaiveDate, back: i64) -> NaiveDate {
    d - Duration::days(back)
}

pub async fn load(db: &Db) -> AppResult<()> {
    let today = kernel::page::today();
    let actor = Actor::cli();
    let xa1 = kernel::db::accounts::by_username(db, "xa1").await?;
    for (n, code) in kernel::demo::COMMUNE_CODES.iter().enumerate() {
        let commune = kernel::db::units::by_code(db, code, today).await?;
        if !store::teams_in(db, &format!("{}%", commune.path)).await?.is_empty() {
            continue;
        }
        let people = PEOPLE.get(n).ok_or_else(|| AppError::Internal("demo".into()))?;
        let mut tx = db.begin().await?;
        let village = kernel::db::units::create_village(&mut tx, &commune, if n == 0 { "Thôn Nà Cạn" } else { "Thôn Khòn Pinh" }, "thon").await?;
        let name = format!("Tổ hòa giải {}", village.name);
        let established = NaiveDate::from_ymd_opt(today.year() - 1, 9, 15).ok_or_else(|| AppError::Internal("date".into()))?;
        let team_id = store::insert_team(&mut tx, &NewTeam {
            village_id: village.id,
            commune_id: commune.id,
            name: &name,
            decision_no: Some(&format!("{}/QĐ-UBND", 112 + n)),
            decision_on: Some(established),
            decision_signer: Some("Chủ tịch UBND xã"),
            established_on: established,
            ethnic_minority_area: true,
            created_by: None,
        })
        .await?;
        let mut ids = Vec::new();
        for p in people {
            let m = MediatorInput {
                full_name: p.0.into(),
                gender: p.1.into(),
                birth_year: Some(p.2),
                ethnicity: p.3.into(),
                ethnic_minority: crate::rules::team::is_ethnic_minority(p.3),
                address: village.name.clone(),
                phone: format!("091{:07}", 2_345_600 + ids.len() as i64 + n as i64 * 10),
                occupation: p.4.into(),
                legal_training: "Bồi dưỡng kiến thức pháp luật cơ bản".into(),
                membership: if ids.len() % 2 == 0 { "Đảng viên".into() } else { "Hội Liên hiệp phụ nữ".into() },
                recognition_no: format!("{}/QĐ-UBND", 120 + n),
                recognition_on: Some(established),
                leader: false,
            };
            let e = Election { form: Some("Biểu quyết công khai".into()), households_total: Some(86), households_present: Some(61), votes_for: Some(55 - ids.len() as i64) };
            ids.push(store::insert_mediator(&mut tx, team_id, &m, &e, established).await?);
        }
        let leader = *ids.first().ok_or_else(|| AppError::Internal("demo".into()))?;
        store::set_leader(&mut tx, team_id, leader, Some(&format!("{}/QĐ-UBND", 121 + n)), Some(established)).await?;
        for id in ids.iter().take(3) {
            store::insert_training(&mut tx, &NewTraining {
                mediator_id: *id,
                title: "Tập huấn kỹ năng hòa giải ở cơ sở (Đề án 315)",
                organiser: "Sở Tư pháp tỉnh Lạng Sơn",
                start_on: day(today, 200),
                end_on: day(today, 199),
                hours: 16,
                certificate: true,
            })
            .await?;
        }
        if n == 0 {
            let account_id = kernel::db::accounts::create(&mut tx, &kernel::db::accounts::NewAccount {
                username: "hgv1".into(),
                full_name: text_vi::nfc(people[0].0),
                email: Some("hgv1@demo.pbgdpl.local".into()),
                password_hash: xa1.password_hash.clone(),
                role: Role::Mediator.as_str().into(),
                unit_id: village.id,
                agency_id: None,
                must_change_password: false,
            })
            .await?;
            store::link_account(&mut tx, leader, account_id).await?;
            audit::record(&mut tx, &actor, Entry {
                action: "create", entity: "account", entity_id: Some(account_id.to_string()), unit_id: Some(village.id),
                summary: format!("Dữ liệu mẫu: tài khoản hgv1 ({})", Role::Mediator.label()), before: None, after: None,
            }).await?;
        }
        for (i, (field, summary, p1, p2, status, back)) in CASES.iter().enumerate() {
            let (p1, p2) = if n == 0 { (*p1, *p2) } else { PARTIES_2.get(i).copied().unwrap_or((p1, p2)) };
            let received = day(today, *back);
            let refused = *status == Status::Refused;
            let id = store::insert_case(&mut tx, &NewCase {
                team_id,
                commune_id: commune.id,
                received_on: received,
                origin: if i % 2 == 0 { Origin::PartyRequest.as_str() } else { Origin::MediatorWitnessed.as_str() },
                field,
                summary,
                status: if refused { Status::Refused.as_str() } else { Status::Received.as_str() },
                exclusion: refused.then_some("criminal_or_sanction"),
                referred_to: None,
                created_by: None,
            })
            .await?;
            store::insert_party(&mut tx, id, p1, Some(1960 + i as i64 * 5), &village.name, 1).await?;
            if !p2.is_empty() {
                store::insert_party(&mut tx, id, p2, Some(1970 + i as i64 * 3), &village.name, 2).await?;
            }
            store::add_event(&mut tx, id, if refused { "refused" } else { "received" }, None, None).await?;
            if refused {
                continue;
            }
            let a = *ids.get(i % ids.len()).ok_or_else(|| AppError::Internal("demo".into()))?;
            store::put_case_mediator(&mut tx, id, a, false, None).await?;
            let ended = matches!(status, Status::Successful | Status::Unsuccessful);
            let u = CaseUpdate {
                status: status.as_str().into(),
                assigned_on: Some(day(received, -1)),
                started_on: Some(day(received, -2)),
                ended_on: ended.then(|| day(received, -5)),
                agreement: (*status == Status::Successful).then(|| "Các bên thống nhất phương án giải quyết và cam kết thực hiện.".to_string()),
                positions: (*status == Status::Unsuccessful).then(|| "Bên thứ nhất giữ yêu cầu; bên thứ hai không đồng ý.".to_string()),
                follow_up: (*status == Status::Successful).then(|| "complied".to_string()),
                payable: crate::rules::case::payable_outcome(*status)
                    .and_then(|o| crate::service::version_on(received).ok()?.rate(kernel::demo::PROVINCE_CODE, o, day(received, -5)).map(|r| r.amount)),
                ..CaseUpdate::default()
            };
            store::update_case(&mut tx, id, 1, &u).await?;
        }
        audit::record(&mut tx, &actor, Entry {
            action: "create", entity: "mediation_team", entity_id: Some(team_id.to_string()), unit_id: Some(village.id),
            summary: format!("Dữ liệu mẫu: {name}, 5 hòa giải viên, {} vụ, việc", CASES.len()), before: None, after: None,
        }).await?;
        tx.commit().await?;
    }
    Ok(())
}
