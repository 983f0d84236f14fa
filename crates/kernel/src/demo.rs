//! The kernel's part of the demo data (`pbgdpl serve --demo`): Lạng Sơn province, which the 2025
//! merger left unchanged, with its main agencies and five accounts sharing one password.
//! Capabilities add their own demo data on top (see each crate's `demo` module).

use crate::db::Db;
use crate::db::agencies::AgencyInput;
use crate::db::audit::{self, Actor, Entry};
use crate::db::units::Unit;
use crate::account::Role;

use crate::auth::hash_password;
use crate::error::AppError;

pub const PROVINCE_CODE: &str = "20";
/// Phường Đông Kinh and Xã Đoàn Kết, two communes of Lạng Sơn.
pub const COMMUNE_CODES: [&str; 2] = ["05977", "06001"];

const PROVINCE_KINDS: &[&str] = &[
    "provincial_people_committee", "justice_department", "provincial_police", "provincial_front_committee",
    "provincial_womens_union", "provincial_youth_union", "provincial_farmers_union", "provincial_veterans_association",
    "provincial_jurists_association", "provincial_bar_association", "culture_sports_tourism_department",
    "finance_department", "education_department", "home_affairs_department", "provincial_radio_tv",
    "provincial_military_command", "provincial_border_guard_command", "provincial_coordination_council",
];
const COMMUNE_KINDS: &[&str] = &["commune_people_committee", "commune_pc_office", "commune_police", "commune_front_committee"];

use crate::unit::instance_name;

/// Whether the database already holds accounts (demo data is only loaded into an empty one).
pub async fn needed(db: &Db) -> Result<bool, AppError> {
    Ok(crate::db::accounts::count(db).await? == 0)
}

/// Loads the kernel's demo (agencies and the five accounts, all with `password`).
pub async fn load(db: &Db, password: &str) -> Result<(), AppError> {
    let today = crate::page::today();
    let province = crate::db::units::by_code(db, PROVINCE_CODE, today).await?;
    let mut communes: Vec<Unit> = Vec::new();
    for code in COMMUNE_CODES {
        communes.push(crate::db::units::by_code(db, code, today).await?);
    }
    let catalogue = crate::agency::AgencyCatalogue::builtin().map_err(|e| AppError::Internal(e.to_string()))?;
    let hash = hash_password(password.to_string()).await?;
    let actor = Actor::cli();
    let mut tx = db.begin().await?;
    let mut police_id = None;
    let add = |unit: &Unit, code: &str| {
        catalogue.kind(code).map(|k| AgencyInput {
            unit_id: unit.id,
            kind_code: Some(k.code.clone()),
            name: instance_name(&k.name, &unit.name),
            abbreviation: None,
            aliases: Vec::new(),
            active: true,
        })
    };
    let mut inputs: Vec<AgencyInput> = PROVINCE_KINDS.iter().filter_map(|k| add(&province, k)).collect();
    for c in &communes {
        inputs.extend(COMMUNE_KINDS.iter().filter_map(|k| add(c, k)));
    }
    for input in &inputs {
        let id = crate::db::agencies::create(&mut tx, input).await?;
        if input.kind_code.as_deref() == Some("provincial_police") && input.unit_id == province.id {
            police_id = Some(id);
        }
        audit::record(&mut tx, &actor, Entry {
            action: "create", entity: "agency", entity_id: Some(id.to_string()), unit_id: Some(input.unit_id),
            summary: format!("Dữ liệu mẫu: thêm {}", input.name), before: None, after: None,
        }).await?;
    }
    let accounts = [
        ("admin", "Nông Văn Hải", Role::SystemAdmin, &province, None),
        ("tinh", "Nguyễn Thị Hoà", Role::JusticeOfficer, &province, None),
        ("xa1", "Hoàng Văn An", Role::JusticeOfficer, &communes[0], None),
        ("xa2", "Lành Thị Bích", Role::JusticeOfficer, &communes[1], None),
        ("congan", "Vi Văn Cường", Role::AgencyFocal, &province, police_id),
    ];
    for (username, name, role, unit, agency) in accounts {
        let id = crate::db::accounts::create(&mut tx, &crate::db::accounts::NewAccount {
            username: username.into(),
            full_name: text_vi::nfc(name),
            email: Some(format!("{username}@demo.pbgdpl.local")),
            password_hash: hash.clone(),
            role: role.as_str().into(),
            unit_id: unit.id,
            agency_id: agency,
            must_change_password: false,
        }).await?;
        audit::record(&mut tx, &actor, Entry {
            action: "create", entity: "account", entity_id: Some(id.to_string()), unit_id: Some(unit.id),
            summary: format!("Dữ liệu mẫu: tài khoản {username} ({})", role.label()), before: None, after: None,
        }).await?;
    }
    // The public contacts of the province's justice department and the communes' offices
    // (invented numbers and addresses of the demo's own domain).
    let hours = text_vi::nfc("Sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ, thứ Hai đến thứ Sáu");
    let mut contacts = vec![(province.id, crate::db::units::UnitContact {
        address: text_vi::nfc("Sở Tư pháp, số 2 đường Hoàng Văn Thụ, phường Lương Văn Tri, tỉnh Lạng Sơn"),
        phone: "0205 3800 100".into(),
        email: "sotuphap@demo.pbgdpl.local".into(),
        hours: hours.clone(),
    })];
    for (i, c) in communes.iter().enumerate() {
        contacts.push((c.id, crate::db::units::UnitContact {
            address: text_vi::nfc(&format!("Trụ sở Ủy ban nhân dân {}", c.name)),
            phone: format!("0205 3800 2{i:02}"),
            email: format!("tuphap.{}@demo.pbgdpl.local", c.code),
            hours: hours.clone(),
        }));
    }
    for (unit_id, contact) in &contacts {
        crate::db::units::put_contact(&mut tx, *unit_id, contact, None).await?;
        audit::record(&mut tx, &actor, Entry {
            action: "update", entity: "unit_contact", entity_id: Some(unit_id.to_string()), unit_id: Some(*unit_id),
            summary: "Dữ liệu mẫu: thông tin liên hệ công khai".into(), before: None, after: None,
        }).await?;
    }
    tx.commit().await?;
    Ok(())
}

