//! The surveys' demo data: the province (account `tinh`) owns a published satisfaction survey,
//! made from the shipped template, for Phường Đông Kinh (the commune of `xa1`), with 30
//! responses spread over the levels (a few on paper).

use kernel::db::Db;
use kernel::db::audit::Actor;
use kernel::error::AppError;

use crate::service::{self, Channel, Submission};
use crate::store::SurveyMeta;

/// Loads the surveys' demo data after the kernel's.
pub async fn load(db: &Db) -> Result<(), AppError> {
    let today = kernel::page::today();
    let commune = kernel::db::units::by_code(db, kernel::demo::COMMUNE_CODES[0], today).await?;
    let tinh = kernel::db::accounts::by_username(db, "tinh").await?;
    let xa1 = kernel::db::accounts::by_username(db, "xa1").await?;
    let role = kernel::account::Role::parse(&tinh.role).ok_or_else(|| AppError::Internal("role".into()))?;
    let scope = kernel::auth::scope_of(&tinh, role);
    let principal = kernel::auth::Principal { account: &tinh, role, scope: &scope };
    let actor = Actor::cli();
    // The demo's answers are loaded under the default limits.
    let limits = kernel::config::SurveysConfig::default();
    let t = service::templates()?.iter().find(|t| t.code == crate::rules::template::SATISFACTION).ok_or_else(|| AppError::Internal("template".into()))?;
    let year = chrono::Datelike::year(&today);
    let meta = SurveyMeta {
        title: format!("{} năm {year} — {}", t.title, commune.name),
        description: t.description.clone(),
        audience_unit_id: Some(commune.id),
        opens_on: chrono::NaiveDate::from_ymd_opt(year, 1, 1),
        closes_on: chrono::NaiveDate::from_ymd_opt(year, 12, 31),
        one_per_device: true,
        pow: false,
        contact_details: false,
    };
    let id = service::create(db, &actor, &principal, &meta, Some(&t.code)).await?;
    let s = crate::store::get(db, id).await?;
    service::publish(db, &actor, &s).await?;
    let s = crate::store::get(db, id).await?;
    let def = crate::store::questions(db, id).await?;
    let levels = crate::rules::SATISFACTION_LEVELS;
    for i in 0..30usize {
        // Mostly satisfied: 11 very satisfied, 12 satisfied, 4 neutral, 2 dissatisfied, 1 very.
        let overall = match i {
            0..=10 => levels[0],
            11..=22 => levels[1],
            23..=26 => levels[2],
            27..=28 => levels[3],
            _ => levels[4],
        };
        let mut sub = Submission::default();
        let mut put = |k: &str, v: &str| sub.raw.insert(k.to_string(), vec![v.to_string()]);
        put("respondent_type", if i % 5 == 0 { "Tổ chức (cơ quan, doanh nghiệp, hội, nhóm)" } else { "Cá nhân (người dân)" });
        put("info_access", levels[i % 3]);
        put("officer_attitude", levels[(i + 1) % 3]);
        put("overall", overall);
        if i >= 27 {
            put("dissatisfied_reason", "Thời gian giải quyết thủ tục đất đai còn chậm, phải đi lại nhiều lần.");
        }
        if i % 7 == 0 {
            put("suggestions", "Đề nghị tăng cường tuyên truyền pháp luật về đất đai và hôn nhân gia đình qua loa truyền thanh.");
        }
        let channel = if i % 6 == 0 {
            Channel::Paper { actor: &actor, account_id: xa1.id }
        } else {
            Channel::Online { ip_bucket: format!("ip:demo{}", i % 4), device_hash: Some(format!("demo-device-{i}")), pow_nonce: None, limits: &limits }
        };
        service::submit(db, &s, &def, &sub, channel, today).await.map_err(|e| AppError::Internal(format!("demo response: {e:?}")))?;
    }
    Ok(())
}
