//! `pbgdpl-load setup`: a published contest for the load test, written straight into the
//! database through the contests' own store and service (as `contests::demo::load` does), with
//! the demo bank of questions.

use anyhow::{Context, bail};
use chrono::Duration;
use contests::rules::settings::{Counting, PredictionKind, Prize, Quota, RankKey, ShowAnswers};
use contests::store::{self, ContestInput, RoundInput};
use kernel::db::audit::Actor;

use crate::check::connect;

pub struct SetupArgs {
    pub database_url: String,
    pub questions: usize,
    pub time_limit_s: i64,
    pub bank: usize,
    pub organiser: String,
}

/// Creates the contest and its round; returns (contest id, round id).
pub async fn setup(a: &SetupArgs) -> anyhow::Result<(i64, i64)> {
    if a.questions == 0 || a.questions > contests::rules::settings::MAX_QUESTIONS {
        bail!("--questions must be between 1 and {}", contests::rules::settings::MAX_QUESTIONS);
    }
    if a.bank < a.questions {
        bail!("--bank {} is smaller than --questions {}", a.bank, a.questions);
    }
    let db = connect(&a.database_url).await?;
    let organiser = kernel::db::accounts::by_username(&db, &a.organiser)
        .await
        .with_context(|| format!("no account {:?}: start the server with --demo (or name an organiser with --organiser)", a.organiser))?;
    let now = kernel::now();
    let contest = ContestInput {
        title: format!("Cuộc thi thử tải {}", now.format("%Y%m%d-%H%M%S")),
        intro: "Cuộc thi do công cụ thử tải (pbgdpl-load) tạo ra để đo hiệu năng; không phải cuộc thi thật.".into(),
        min_age: Some(15),
        area_unit_id: organiser.unit_id,
        require_id_number: false,
        one_prize_per_person: false,
    };
    let round = RoundInput {
        title: "Vòng thử tải".into(),
        starts_at: now - Duration::hours(1),
        ends_at: now + Duration::days(1),
        time_limit_s: a.time_limit_s,
        grace_s: 30,
        max_attempts: 1,
        counting: Counting::Best,
        quotas: vec![Quota { topic: String::new(), difficulty: String::new(), count: a.questions }],
        prediction: Some(PredictionKind::CorrectAllCount),
        prediction_text: "Theo Ông/Bà, có bao nhiêu người trả lời đúng tất cả các câu hỏi của vòng thi?".into(),
        keys: RankKey::DEFAULT.to_vec(),
        prizes: vec![
            Prize { name: "Giải Nhất".into(), count: 1, amount: 2_000_000 },
            Prize { name: "Giải Nhì".into(), count: 2, amount: 1_000_000 },
            Prize { name: "Giải Ba".into(), count: 3, amount: 500_000 },
        ],
        show_answers: ShowAnswers::OnSubmit,
    };
    let mut tx = db.begin().await?;
    let id = store::insert_contest(&mut tx, organiser.unit_id, &contest).await?;
    let sample = &contests::demo::SAMPLE;
    for k in 0..a.bank {
        let mut q = contests::demo::question(&sample[k % sample.len()]);
        // Past the 30 samples, copies with a distinct text (the bank refuses duplicates).
        if k >= sample.len() {
            q.text = format!("{} (bộ {})", q.text, k / sample.len() + 1);
        }
        store::insert_question(&mut tx, id, &q).await?;
    }
    let round_id = store::insert_round(&mut tx, id, &round).await?;
    store::set_contest_status(&mut tx, id, "published").await?;
    tx.commit().await?;
    let c = store::contest(&db, id).await?;
    let r = store::round(&db, round_id).await?;
    contests::service::publish_round(&db, &Actor::cli(), &c, &r)
        .await
        .map_err(|e| anyhow::anyhow!("publishing the round: {e}"))?
        .map_err(|m| anyhow::anyhow!("publishing the round: {m}"))?;
    Ok((id, round_id))
}
