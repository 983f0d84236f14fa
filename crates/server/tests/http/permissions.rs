//! Every role against every page route, probing resources of another commune by id.

use kernel::account::{Role, Scope};
use reqwest::StatusCode;
use kernel::routes::Access;
use server::routes::page_routes;

use crate::helpers::{SETUP, TestApp};

/// Text that only someone allowed to see commune 06001's data may receive.
const SECRETS: &[&str] = &["Lành Thị Bích", "xa2@demo.pbgdpl.local", "Ủy ban nhân dân xã Đoàn Kết", "Kế hoạch riêng của Đoàn Kết", "Nhiệm vụ riêng của Đoàn Kết", "Khảo sát riêng của Đoàn Kết", "Sầm Văn Bảo", "Tin bài riêng của Đoàn Kết", "Câu hỏi riêng của Đoàn Kết", "Người góp ý riêng"];

/// An issued plan of commune 06001 with one task and one evidence file: (plan, task, file).
pub async fn foreign_plan(app: &TestApp, unit_id: i64) -> (i64, i64, i64) {
    use plans::store::plans::{PlanContent, PlanInput, PlanOrigin, TaskAgencyInput, TaskInput};
    let mut tx = app.db.begin().await.unwrap();
    let input = PlanInput { unit_id, kind: "annual".into(), title: "Kế hoạch riêng của Đoàn Kết".into(), number: Some("1/KH-UBND".into()),
        issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 5), year: Some(2026), cascade_level: "none".into(), ..Default::default() };
    let plan = plans::store::plans::create(&mut tx, &input, &PlanOrigin::default()).await.unwrap();
    let tasks = plans::store::plans::insert_content(&mut tx, plan, &PlanContent { tasks: vec![TaskInput {
        path: "II.1".into(), title: "Nhiệm vụ riêng của Đoàn Kết".into(), deadline: chrono::NaiveDate::from_ymd_opt(2026, 3, 31),
        agencies: vec![TaskAgencyInput { role: "lead".into(), written: "UBND xã".into(), match_key: None, agency_id: None }], ..Default::default()
    }], ..Default::default() }).await.unwrap();
    plans::store::plans::set_status(&mut tx, plan, "issued").await.unwrap();
    let file = kernel::db::files::store(&mut tx, "bien-ban.pdf", "application/pdf", b"%PDF-1.4", unit_id, None).await.unwrap();
    plans::store::tasks::add_update(&mut tx, &plans::store::tasks::UpdateInput { task_id: tasks[0], kind: "evidence".into(), file_id: Some(file), ..Default::default() }).await.unwrap();
    tx.commit().await.unwrap();
    (plan, tasks[0], file)
}

/// Ids of report data: the form version, schedule and opened round of the demo mediation
/// schedule, and commune 06001's report in it.
pub struct ReportIds {
    pub form: i64,
    pub schedule: i64,
    pub round: i64,
    pub report: i64,
}

pub async fn foreign_report(app: &TestApp, unit_id: i64) -> ReportIds {
    let year = chrono::Datelike::year(&kernel::page::today());
    let round = reports::store::rounds(&app.db, "%", None).await.unwrap().into_iter()
        .find(|r| r.form_code == "HGCS" && r.period_key == format!("{year}-H1")).unwrap();
    reports::service::open_round(&app.db, &kernel::db::audit::Actor::cli(), &round, None, Some(30)).await.unwrap();
    let report = reports::store::reports_of_round(&app.db, round.id).await.unwrap().into_iter().find(|r| r.unit_id == unit_id).unwrap();
    ReportIds { form: round.form_id, schedule: round.schedule_id, round: round.id, report: report.id }
}

/// Ids of legal-access data: the province's round of this year, commune 06001's assessment in
/// it with one evidence file, and the rule set the round uses.
pub struct AccessIds {
    pub round: i64,
    pub assessment: i64,
    pub file: i64,
    pub ruleset: i64,
}

pub async fn foreign_assessment(app: &TestApp, unit_id: i64) -> AccessIds {
    let day = kernel::page::today();
    let tinh = kernel::db::accounts::by_username(&app.db, "tinh").await.unwrap();
    let scope = kernel::auth::scope_of(&tinh, Role::JusticeOfficer);
    let p = kernel::auth::Principal { account: &tinh, role: Role::JusticeOfficer, scope: &scope };
    let year = chrono::Datelike::year(&day);
    let r = legal_access::service::NewRound { year, deadline: day + chrono::Duration::days(30) };
    let round = legal_access::service::open_round(&app.db, &kernel::db::audit::Actor::cli(), &p, &r, day).await.unwrap().unwrap();
    let a = legal_access::store::assessments_of_round(&app.db, round).await.unwrap().into_iter().find(|a| a.unit_id == unit_id).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let file = kernel::db::files::store(&mut tx, "minh-chung.pdf", "application/pdf", b"%PDF-1.4", unit_id, None).await.unwrap();
    legal_access::store::add_evidence(&mut tx, a.id, "1.1", Some(file), None, "Minh chứng", tinh.id).await.unwrap();
    tx.commit().await.unwrap();
    AccessIds { round, assessment: a.id, file, ruleset: a.ruleset_id }
}

/// The demo mediation team of commune 06001 and its first case: (team, case).
pub async fn foreign_mediation(app: &TestApp, unit_id: i64) -> (i64, i64) {
    let unit = kernel::db::units::get(&app.db, unit_id).await.unwrap();
    let team = mediation::store::teams_in(&app.db, &format!("{}%", unit.path)).await.unwrap().remove(0);
    let (a, b) = mediation::service::year_bounds(2000);
    let case = mediation::store::cases_of_team(&app.db, team.id, a, b.max(kernel::page::today()) + chrono::Duration::days(400), 1).await.unwrap().remove(0);
    let mut tx = app.db.begin().await.unwrap();
    let file = kernel::db::files::store(&mut tx, "quyet-dinh-thanh-lap-to.pdf", "application/pdf", b"%PDF-1.4", unit_id, None).await.unwrap();
    mediation::store::set_decision_file(&mut tx, team.id, file).await.unwrap();
    tx.commit().await.unwrap();
    (team.id, case.id)
}

/// A published survey of commune 06001, meant for its own people.
pub async fn foreign_survey(app: &TestApp, unit_id: i64) -> i64 {
    let meta = surveys::store::SurveyMeta { title: "Khảo sát riêng của Đoàn Kết".into(), audience_unit_id: Some(unit_id), ..Default::default() };
    let mut tx = app.db.begin().await.unwrap();
    let id = surveys::store::create(&mut tx, &surveys::store::NewSurvey {
        unit_id, meta: &meta, template_code: None, family_id: None, version: 1, public_token: "foreign-survey-token", created_by: None,
    }).await.unwrap();
    let def = surveys::rules::Definition { questions: vec![surveys::rules::Question {
        key: "q".into(), text: "Câu hỏi".into(), help: String::new(), kind: surveys::rules::QuestionKind::ShortText, required: false,
        options: vec![], min: None, max: None, show_if: None,
    }] };
    surveys::store::replace_questions(&mut tx, id, &def).await.unwrap();
    surveys::store::set_status(&mut tx, id, "published").await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Ids of commune 06001's registry data: a propagandist with a recognition decision file, one
/// of its sessions, and its registration round.
pub struct DissemIds {
    pub person: i64,
    pub file: i64,
    pub activity: i64,
    pub round: i64,
}

pub async fn foreign_disseminators(app: &TestApp, unit_id: i64) -> DissemIds {
    let day = kernel::page::today();
    let unit = kernel::db::units::get(&app.db, unit_id).await.unwrap();
    let like = format!("{}%", unit.path);
    let person = disseminators::store::people(&app.db, &like, "propagandist").await.unwrap()[0].id;
    let activity = disseminators::store::activities(&app.db, &like, day - chrono::Duration::days(400), day).await.unwrap()[0].id;
    let mut tx = app.db.begin().await.unwrap();
    let file = kernel::db::files::store(&mut tx, "quyet-dinh.pdf", "application/pdf", b"%PDF-1.4", unit_id, None).await.unwrap();
    disseminators::store::set_decision_file(&mut tx, person, file).await.unwrap();
    let round = disseminators::store::insert_round(&mut tx, unit_id, i64::from(chrono::Datelike::year(&day)), day, "", None).await.unwrap();
    tx.commit().await.unwrap();
    DissemIds { person, file, activity, round }
}

/// Ids of the bookshelf: a demo document (kept by the province) with an original file, and a
/// demo material. Commune bookshelves are probed with commune 06001 itself.
pub struct BookshelfIds {
    pub document: i64,
    pub material: i64,
    pub file: i64,
}

pub async fn bookshelf_ids(app: &TestApp) -> BookshelfIds {
    let doc = bookshelf::store::documents(&app.db, &Default::default()).await.unwrap().remove(0);
    let material = bookshelf::store::materials(&app.db, &Default::default()).await.unwrap()[0].id;
    let mut tx = app.db.begin().await.unwrap();
    let file = kernel::db::files::store(&mut tx, "luat.pdf", "application/pdf", b"%PDF-1.4", doc.unit_id, None).await.unwrap();
    bookshelf::store::set_document_file(&mut tx, doc.id, file).await.unwrap();
    tx.commit().await.unwrap();
    BookshelfIds { document: doc.id, material, file }
}

/// A draft article of commune 06001 and its first version: (article, version).
pub async fn foreign_article(app: &TestApp, unit_id: i64) -> (i64, i64) {
    let input = portal::store::ArticleInput {
        kind: "news".into(), slug: "tin-bai-rieng-cua-doan-ket".into(), title: "Tin bài riêng của Đoàn Kết".into(),
        body_md: "Nội dung.".into(), body_html: "<p>Nội dung.</p>".into(), ..Default::default()
    };
    let mut tx = app.db.begin().await.unwrap();
    let at = kernel::now();
    let id = portal::store::insert_article(&mut tx, &input, unit_id, None, at).await.unwrap();
    let version = portal::store::insert_version(&mut tx, id, 1, &input, None, at).await.unwrap();
    tx.commit().await.unwrap();
    (id, version)
}

/// A question received by the province's inbox and routed to commune 06001.
pub async fn foreign_inquiry(app: &TestApp, unit_id: i64) -> i64 {
    let province = app.unit_id("20").await;
    let new = inquiries::store::NewInquiry {
        code: "RR0NG-D0AN1".into(), kind: "question".into(), inbox_unit_id: province, title: "Câu hỏi riêng của Đoàn Kết".into(),
        body: "Nội dung.".into(), ..Default::default()
    };
    let mut tx = app.db.begin().await.unwrap();
    let at = kernel::now();
    let id = inquiries::store::insert(&mut tx, &new, at).await.unwrap();
    inquiries::store::route(&mut tx, id, unit_id, None, None, kernel::page::today(), at).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// A draft contest of commune 06001 with one question and one draft round:
/// (contest, question, round).
pub async fn foreign_contest(app: &TestApp, unit_id: i64) -> (i64, i64, i64) {
    let input = contests::store::ContestInput { title: "Cuộc thi riêng của Đoàn Kết".into(), area_unit_id: unit_id, ..Default::default() };
    let now = kernel::now();
    let round = contests::store::RoundInput {
        title: "Vòng riêng".into(), starts_at: now, ends_at: now + chrono::Duration::days(1), time_limit_s: 600, grace_s: 5, max_attempts: 1,
        counting: contests::rules::settings::Counting::Best,
        quotas: vec![contests::rules::settings::Quota { topic: String::new(), difficulty: String::new(), count: 1 }],
        prediction: None, prediction_text: String::new(), keys: contests::rules::settings::RankKey::DEFAULT.to_vec(), prizes: vec![],
        show_answers: contests::rules::settings::ShowAnswers::OnSubmit,
    };
    let mut tx = app.db.begin().await.unwrap();
    let id = contests::store::insert_contest(&mut tx, unit_id, &input).await.unwrap();
    let q = contests::store::insert_question(&mut tx, id, &contests::demo::question(&contests::demo::SAMPLE[0])).await.unwrap();
    let r = contests::store::insert_round(&mut tx, id, &round).await.unwrap();
    tx.commit().await.unwrap();
    (id, q, r)
}

/// A draft of commune 06001, not yet published, with its original file and one comment: its id. Its title is not a
/// secret (a role in scope may publish it during the run); the commenter's name always is.
pub async fn foreign_draft(app: &TestApp, unit_id: i64) -> i64 {
    let by = kernel::db::accounts::by_username(&app.db, "xa2").await.unwrap().id;
    let day = kernel::page::today();
    let mut tx = app.db.begin().await.unwrap();
    let file = kernel::db::files::store(&mut tx, "du-thao.pdf", "application/pdf", b"%PDF-1.4", unit_id, Some(by)).await.unwrap();
    let new = drafts::store::NewDraft { unit_id, title: "Dự thảo riêng của Đoàn Kết", drafting_body: "UBND xã", summary: "", opens_on: day, closes_on: day, created_by: by, file_id: Some(file) };
    let id = drafts::store::insert_draft(&mut tx, &new, kernel::now()).await.unwrap();
    drafts::store::insert_parts(&mut tx, id, &drafts::rules::parse("Điều 1. Phạm vi\n1. Khoản một.")).await.unwrap();
    let comment = drafts::store::NewComment {
        draft_id: id, part_id: None, author_kind: "person", author_name: "Người góp ý riêng", email: "", body: "Góp ý.", channel: "web", entered_by: None,
    };
    drafts::store::insert_comment(&mut tx, &comment, kernel::now()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn every_role_against_every_route_with_zero_leaks() {
    let app = TestApp::spawn(&SETUP).await;
    app.create_account("qtxa1", "unit_admin", "05977", false).await;
    app.create_account("hdtinh", "council_member", "20", false).await;
    app.create_account("xemxa1", "viewer", "05977", false).await;
    app.create_account("btxa1", "editor", "05977", false).await;
    app.create_account("btcxa1", "contest_organiser", "05977", false).await;
    let users = ["admin", "tinh", "xa1", "congan", "qtxa1", "hdtinh", "xemxa1", "hgv1", "bcv1", "bientap", "btxa1", "btc", "btcxa1"];

    let foreign_unit = kernel::db::units::by_code(&app.db, "06001", kernel::page::today()).await.unwrap();
    let foreign_agency = kernel::db::agencies::list(&app.db, &foreign_unit.path, &foreign_unit.path, Some(foreign_unit.id), None, 10, 0)
        .await.unwrap().into_iter().find(|a| a.name == "Ủy ban nhân dân xã Đoàn Kết").unwrap();
    let foreign_account = app.account_id("xa2").await;
    let mut tx = app.db.begin().await.unwrap();
    let (_, foreign_token) = kernel::db::sessions::create_token(&mut tx, foreign_account, "t", chrono::Duration::days(1)).await.unwrap();
    tx.commit().await.unwrap();

    let (foreign_plan, foreign_task, foreign_file) = foreign_plan(&app, foreign_unit.id).await;
    let reports = foreign_report(&app, foreign_unit.id).await;
    let legal = foreign_assessment(&app, foreign_unit.id).await;
    let survey = foreign_survey(&app, foreign_unit.id).await;
    let (foreign_team, foreign_case) = foreign_mediation(&app, foreign_unit.id).await;
    let dissem = foreign_disseminators(&app, foreign_unit.id).await;
    let shelf = bookshelf_ids(&app).await;
    let (foreign_article, foreign_version) = foreign_article(&app, foreign_unit.id).await;
    let inquiry = foreign_inquiry(&app, foreign_unit.id).await;
    let (foreign_contest, foreign_question, foreign_round) = foreign_contest(&app, foreign_unit.id).await;
    let foreign_draft = foreign_draft(&app, foreign_unit.id).await;
    let province = kernel::db::units::by_code(&app.db, "20", kernel::page::today()).await.unwrap();
    let mut checked = 0;
    for username in users {
        let account = kernel::db::accounts::by_username(&app.db, username).await.unwrap();
        let role = Role::parse(&account.role).unwrap();
        let scope = Scope { global: role == Role::SystemAdmin, unit_path: account.unit_path.clone() };
        let sees_foreign = scope.contains(&foreign_unit.path);
        // Report data of the province (rounds, schedules) and of the commune: an agency's focal
        // point sees only its own agency's reports.
        let sees_province_reports = scope.contains(&province.path) && role != Role::AgencyFocal;
        let sees_foreign_report = sees_foreign && role != Role::AgencyFocal;
        let s = app.login_as(username).await;
        for (method, template, access) in page_routes().iter().filter(|(_, p, _)| *p != "/dang-xuat") {
            let (path, scoped_target) = if template.starts_with("/don-vi/{id}") {
                (template.replace("{id}", &foreign_unit.id.to_string()), template.ends_with("/thon") || template.ends_with("/lien-he"))
            } else if template.starts_with("/co-quan/{id}") {
                (template.replace("{id}", &foreign_agency.id.to_string()), true)
            } else if template.starts_with("/tai-khoan/{id}") {
                (template.replace("{id}", &foreign_account.to_string()), true)
            } else if template.starts_with("/ke-hoach/{id}") {
                (template.replace("{id}", &foreign_plan.to_string()), true)
            } else if template.starts_with("/nhiem-vu/{id}") {
                (template.replace("{id}", &foreign_task.to_string()), true)
            } else if template.starts_with("/tep/{id}") {
                (template.replace("{id}", &foreign_file.to_string()), true)
            } else if template.contains("/ma-truy-cap/{id}") {
                (template.replace("{id}", &foreign_token.to_string()), true)
            } else if template.starts_with("/bao-cao/bieu-mau/{id}") {
                (template.replace("{id}", &reports.form.to_string()), false)
            } else if template.starts_with("/bao-cao/lich/{id}") {
                (template.replace("{id}", &reports.schedule.to_string()), !sees_province_reports)
            } else if template.starts_with("/bao-cao/ky/{id}") {
                (template.replace("{id}", &reports.round.to_string()), !sees_province_reports)
            } else if template.starts_with("/phieu-khao-sat/{id}") {
                (template.replace("{id}", &survey.to_string()), true)
            } else if template.starts_with("/bao-cao/{id}") {
                (template.replace("{id}", &reports.report.to_string()), !sees_foreign_report)
            } else if template.starts_with("/chuan-tiep-can/dot/{id}") {
                (template.replace("{id}", &legal.round.to_string()), false)
            } else if template.starts_with("/chuan-tiep-can/bo-tieu-chi/{id}") {
                (template.replace("{id}", &legal.ruleset.to_string()), false)
            } else if template.starts_with("/chuan-tiep-can/minh-chung/{id}") {
                (template.replace("{id}", &legal.file.to_string()), true)
            } else if template.starts_with("/hoa-giai/to/{id}") {
                (template.replace("{id}", &foreign_team.to_string()), true)
            } else if template.starts_with("/hoa-giai/vu-viec/{id}") {
                (template.replace("{id}", &foreign_case.to_string()), true)
            } else if template.starts_with("/pho-bien/nguoi/{id}") {
                (template.replace("{id}", &dissem.person.to_string()), true)
            } else if template.starts_with("/pho-bien/hoat-dong/{id}") {
                (template.replace("{id}", &dissem.activity.to_string()), true)
            } else if template.starts_with("/pho-bien/dot-dang-ky/{id}") {
                (template.replace("{id}", &dissem.round.to_string()), true)
            } else if template.starts_with("/pho-bien/tep/{id}") {
                (template.replace("{id}", &dissem.file.to_string()), true)
            } else if template.contains("/van-ban/{id}") {
                (template.replace("{id}", &shelf.document.to_string()), false)
            } else if template.contains("/tai-lieu/{id}") {
                (template.replace("{id}", &shelf.material.to_string()), false)
            } else if template.starts_with("/tu-sach/tep/{id}") {
                (template.replace("{id}", &shelf.file.to_string()), false)
            } else if template.starts_with("/tu-sach/xa/{id}") {
                (template.replace("{id}", &foreign_unit.id.to_string()), false)
            } else if template.starts_with("/tu-sach/quan-ly/xa/{id}") {
                (template.replace("{id}", &foreign_unit.id.to_string()), true)
            } else if template.starts_with("/bien-tap/phien-ban/{id}") {
                (template.replace("{id}", &foreign_version.to_string()), true)
            } else if template.starts_with("/bien-tap/{id}") {
                (template.replace("{id}", &foreign_article.to_string()), true)
            } else if template.starts_with("/hoi-dap-quan-ly/{id}") {
                (template.replace("{id}", &inquiry.to_string()), true)
            } else if template.starts_with("/cuoc-thi/quan-ly/cau-hoi/{id}") {
                (template.replace("{id}", &foreign_question.to_string()), true)
            } else if template.starts_with("/cuoc-thi/quan-ly/vong/{id}") {
                (template.replace("{id}", &foreign_round.to_string()), true)
            } else if template.starts_with("/du-thao-quan-ly/{id}") {
                (template.replace("{id}", &foreign_draft.to_string()), true)
            } else if template.starts_with("/du-thao/{id}") {
                // Not published: 404 to everyone on the public page.
                (template.replace("{id}", &foreign_draft.to_string()), false)
            } else if template.starts_with("/cuoc-thi/quan-ly/{id}") {
                (template.replace("{id}", &foreign_contest.to_string()), true)
            } else if template.contains("chuan-tiep-can/{id}") {
                (template.replace("{id}", &legal.assessment.to_string()), true)
            } else {
                (template.to_string(), false)
            };
            let hidden = if template.starts_with("/pho-bien/") && template.contains("{id}") && role == Role::Reporter {
                // A Reporter account sees only its own records and sessions, wherever they are.
                true
            } else if template.starts_with("/bao-cao/") && template.contains("{id}") && !template.starts_with("/bao-cao/bieu-mau") {
                scoped_target
            } else {
                scoped_target && !sees_foreign
            };
            let r = if *method == "GET" { s.get(&path).await } else { s.post(&path, &[]).await };
            let status = r.status();
            let body = r.text().await.unwrap();
            let ctx = format!("{username} {method} {path}: {status}");
            assert!(!status.is_server_error(), "{ctx}");
            match access {
                Access::Public => {}
                Access::SignedIn => {
                    if template.contains("{id}") {
                        assert_eq!(status, StatusCode::NOT_FOUND, "{ctx}: another account's token");
                    } else {
                        assert_ne!(status, StatusCode::FORBIDDEN, "{ctx}");
                    }
                }
                Access::Needs(action) => {
                    if !role.allows(*action) {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{ctx}");
                    } else if hidden {
                        assert_eq!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else if template.starts_with("/bao-cao/") && template.contains("{id}") {
                        // Reports: filling is for the reporter itself, reviewing for the unit
                        // that opened the round, editing forms for provincial administrators;
                        // a visible target may answer 403 but never 404.
                        assert_ne!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else if template.starts_with("/chuan-tiep-can/") && (template.contains("{id}") || *method == "POST") {
                        // Legal access: the commune acts on its own assessment, the province's
                        // officers on the round; a visible target may answer 403 but never 404.
                        assert_ne!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else if template.starts_with("/hoa-giai/vu-viec/{id}") || template.contains("/so-theo-doi.") {
                        // Mediation: a case's parties and the tracking book are for the team and
                        // its own commune only; everyone else (the province included) gets 404.
                        assert_eq!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else if template.starts_with("/hoa-giai/to/{id}") || *template == "/hoa-giai/to" {
                        // Mediation: managing a team is for its own commune's officers; a visible
                        // team may answer 403 (or 422 for an empty form) but never 404.
                        assert_ne!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else if template.starts_with("/pho-bien/") && (template.contains("{id}") || *method == "POST" || template.ends_with("/moi")) {
                        // Reporters and propagandists: the registries are kept by the officers of
                        // the unit at the right level (the province for reporters, the commune for
                        // propagandists), sessions by their unit; a visible target may answer 403
                        // but never 404.
                        assert_ne!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else if template.starts_with("/phieu-khao-sat/{id}") {
                        // Surveys: managing is for the owner unit (and entering paper forms also
                        // for the commune it is meant for), so a visible target may answer 403
                        // (or 400 once a step does not apply); never 404.
                        assert_ne!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else if template.starts_with("/ke-hoach/{id}") || template.starts_with("/nhiem-vu/{id}") {
                        // Plans and tasks: editing and tracking rights are finer than the route's
                        // action (the issuing unit's officers, the lead agency), so a visible
                        // target may still answer 403; it must never answer 404.
                        assert_ne!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else if template.starts_with("/tu-sach/quan-ly/van-ban") || template.starts_with("/tu-sach/quan-ly/tai-lieu") {
                        // The bookshelf's documents and materials are kept by provincial officers
                        // (and system administrators): 403 for a commune account, never 404.
                        if scope.is_province_or_wider() {
                            assert!(status != StatusCode::FORBIDDEN && status != StatusCode::NOT_FOUND, "{ctx}");
                        } else {
                            assert_eq!(status, StatusCode::FORBIDDEN, "{ctx}");
                        }
                    } else if template.starts_with("/bien-tap/{id}") && *method == "POST" {
                        // Articles: a visible article may refuse a step that does not apply to
                        // its status (400), an edit the writer may not make (403) or an empty
                        // form (422); never 404.
                        assert_ne!(status, StatusCode::NOT_FOUND, "{ctx}");
                    } else if (*template == "/bien-tap/chuyen-muc" || *template == "/bien-tap/chien-dich") && *method == "POST" && !scope.is_province_or_wider() {
                        // The portal's categories and campaigns are kept by the province.
                        assert_eq!(status, StatusCode::FORBIDDEN, "{ctx}");
                    } else if *template == "/hoi-dap-quan-ly/cai-dat" && !scope.is_province_or_wider() {
                        // An inbox's answer period is set by the province's officers.
                        assert_eq!(status, StatusCode::FORBIDDEN, "{ctx}");
                    } else if *template == "/nhac-viec/chay" && !scope.is_province_or_wider() {
                        // Running the reminders now is for provincial officers and administrators.
                        assert_eq!(status, StatusCode::FORBIDDEN, "{ctx}");
                    } else {
                        assert!(status != StatusCode::FORBIDDEN && status != StatusCode::NOT_FOUND, "{ctx}");
                    }
                }
            }
            if !sees_foreign {
                for secret in SECRETS {
                    assert!(!body.contains(secret), "{ctx} leaked {secret}");
                }
            }
            checked += 1;
        }
        let r = s.post("/dang-xuat", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        checked += 1;
    }
    assert_eq!(checked, users.len() * page_routes().len());
}

#[tokio::test]
async fn the_sign_in_page_leads_citizens_to_the_public_pages() {
    let app = TestApp::spawn(&SETUP).await;
    let s = app.client();
    let (status, html) = s.text("/dang-nhap").await;
    assert_eq!(status, StatusCode::OK);
    let links = server::app::registry().public_links;
    assert!(links.len() >= 3, "{links:?}");
    for (href, label) in links {
        assert!(html.contains(&format!("<a href=\"{href}\">{label}</a>")), "{href}");
        assert_eq!(s.get(href).await.status(), StatusCode::OK, "{href} needs no account");
    }
}

#[tokio::test]
async fn anonymous_requests_are_sent_to_login() {
    let app = TestApp::spawn(&SETUP).await;
    let s = app.client();
    for (method, path, access) in page_routes().iter() {
        if *method != "GET" || *access == Access::Public || path.contains('{') {
            continue;
        }
        let r = s.get(path).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(crate::helpers::location(&r), "/dang-nhap", "{path}");
    }
}

/// A contest of another province (Hà Nội) with one question and one draft round: (contest, round).
async fn other_province_contest(app: &TestApp) -> (i64, i64) {
    let unit = app.unit_id("01").await;
    let input = contests::store::ContestInput { title: "Cuộc thi của tỉnh khác".into(), area_unit_id: unit, ..Default::default() };
    let now = kernel::now();
    let round = contests::store::RoundInput {
        title: "Vòng của tỉnh khác".into(), starts_at: now, ends_at: now + chrono::Duration::days(1), time_limit_s: 600, grace_s: 5, max_attempts: 1,
        counting: contests::rules::settings::Counting::Best,
        quotas: vec![contests::rules::settings::Quota { topic: String::new(), difficulty: String::new(), count: 1 }],
        prediction: None, prediction_text: String::new(), keys: contests::rules::settings::RankKey::DEFAULT.to_vec(), prizes: vec![],
        show_answers: contests::rules::settings::ShowAnswers::OnSubmit,
    };
    let mut tx = app.db.begin().await.unwrap();
    let id = contests::store::insert_contest(&mut tx, unit, &input).await.unwrap();
    contests::store::insert_question(&mut tx, id, &contests::demo::question(&contests::demo::SAMPLE[0])).await.unwrap();
    let r = contests::store::insert_round(&mut tx, id, &round).await.unwrap();
    tx.commit().await.unwrap();
    (id, r)
}

#[tokio::test]
async fn a_contest_organiser_role_organises_its_units_contests_and_nothing_else() {
    let app = TestApp::spawn(&SETUP).await;
    // A unit administrator creates such an account in its subtree, from the role select.
    app.create_account("qtxa1", "unit_admin", "05977", false).await;
    let qt = app.login_as("qtxa1").await;
    let (status, html) = qt.text("/tai-khoan/moi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<option value=\"contest_organiser\">Thành viên Ban tổ chức cuộc thi</option>"), "{html}");
    let r = qt.post("/tai-khoan/moi", &[("username", "btc.dongkinh"), ("full_name", "Hoàng Văn Nam"), ("email", ""),
        ("role", "contest_organiser"), ("unit_code", "05977"), ("agency_id", ""), ("password", "Cuoc-thi-2026")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let created = kernel::db::accounts::by_username(&app.db, "btc.dongkinh").await.unwrap();
    assert_eq!((created.role.as_str(), created.unit_id), ("contest_organiser", app.unit_id("05977").await));

    // The demo organiser `btc`, at the province, organises the province's demo contest.
    let demo = contests::store::contests_in(&app.db, "%").await.unwrap().into_iter().find(|c| c.title.contains("bầu cử và hòa giải")).unwrap();
    let round = contests::store::rounds(&app.db, demo.id).await.unwrap().remove(0).id;
    let btc = app.login_as("btc").await;
    let (status, home) = btc.text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("href=\"/cuoc-thi/quan-ly\""), "the contests' menu entry: {home}");
    assert!(!home.contains("href=\"/ke-hoach\""), "{home}");
    let (status, html) = btc.text("/cuoc-thi/quan-ly").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&demo.title), "{html}");
    for path in [format!("/cuoc-thi/quan-ly/{}", demo.id), format!("/cuoc-thi/quan-ly/vong/{round}"), format!("/cuoc-thi/quan-ly/vong/{round}/xep-hang")] {
        assert_eq!(btc.get(&path).await.status(), StatusCode::OK, "{path}");
    }
    // Nothing else: plans, reports, mediation, the portal, drafts, accounts.
    for path in ["/ke-hoach", "/bao-cao", "/hoa-giai", "/bien-tap", "/du-thao-quan-ly", "/tai-khoan", "/nhat-ky"] {
        assert_eq!(btc.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // Another province's contest is outside its scope: 404, and not listed.
    let (other, other_round) = other_province_contest(&app).await;
    for path in [format!("/cuoc-thi/quan-ly/{other}"), format!("/cuoc-thi/quan-ly/vong/{other_round}"), format!("/cuoc-thi/quan-ly/vong/{other_round}/xep-hang")] {
        assert_eq!(btc.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let (_, html) = btc.text("/cuoc-thi/quan-ly").await;
    assert!(html.contains(&demo.title) && !html.contains("Cuộc thi của tỉnh khác"), "{html}");
    // A commune's organiser does not see the province's contest.
    app.create_account("btcxa1", "contest_organiser", "05977", false).await;
    let xa = app.login_as("btcxa1").await;
    assert_eq!(xa.get(&format!("/cuoc-thi/quan-ly/{}", demo.id)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa.get(&format!("/cuoc-thi/quan-ly/vong/{round}/xep-hang")).await.status(), StatusCode::NOT_FOUND);
    let (status, html) = xa.text("/cuoc-thi/quan-ly").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains(&demo.title), "{html}");

    // The API: a token, its own account; the reports are not its business.
    let c = reqwest::Client::new();
    let r = c.post(format!("{}/api/v1/tokens", app.base)).json(&serde_json::json!({"username": "btc", "password": crate::helpers::PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let token = r.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    assert_eq!(c.get(format!("{}/api/v1/me", app.base)).bearer_auth(&token).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(c.get(format!("{}/api/v1/reports", app.base)).bearer_auth(&token).send().await.unwrap().status(), StatusCode::FORBIDDEN);
}
