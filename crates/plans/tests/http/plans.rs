//! Plans and tasks end to end over HTTP: import with review, bad documents, issuing, the
//! cascade to a commune, tracking with evidence, roll-up, dashboards, reminders and exports.

use reqwest::StatusCode;

use crate::helpers::{Session, SETUP, TestApp, location};

const LANG_SON: &str = include_str!("../../../../tests/fixtures/seeds/lang-son-2024-coordination-council-plan.txt");

fn id_from(loc: &str, prefix: &str) -> i64 {
    loc.trim_start_matches(prefix).split(['/', '?', '#']).next().unwrap().parse().unwrap()
}

async fn plan_count(app: &TestApp) -> usize {
    plans::store::plans::list(&app.db, &plans::store::plans::PlanFilter { scope_pattern: "%".into(), limit: 1000, ..Default::default() }).await.unwrap().len()
}

/// tinh imports the Lạng Sơn council plan; returns its id.
async fn import_lang_son(app: &TestApp, tinh: &Session) -> i64 {
    let r = tinh.post_multipart("/ke-hoach/nhap", &[("kind", "")], Some(("ke-hoach-hoi-dong.txt", LANG_SON.as_bytes().to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let loc = location(&r);
    assert!(loc.ends_with("/sua?tb=plan_imported"), "{loc}");
    let id = id_from(&loc, "/ke-hoach/");
    assert_eq!(plans::store::plans::get(&app.db, id).await.unwrap().status, "draft");
    id
}

async fn issue(app: &TestApp, s: &Session, id: i64, number: &str, date: &str) {
    let (_, html) = s.text(&format!("/ke-hoach/{id}/sua")).await;
    let field = |name: &str| -> String {
        let needle = format!("name=\"{name}\" value=\"");
        html.split(&needle).nth(1).and_then(|r| r.split('"').next()).unwrap_or("").replace("&#x2f;", "/")
    };
    let textarea = |name: &str| -> String {
        let needle = format!("name=\"{name}\" rows=\"");
        html.split(&needle).nth(1).and_then(|r| r.split_once('>')).map(|(_, r)| r.split("</textarea>").next().unwrap_or("").to_string()).unwrap_or_default()
    };
    let version = field("version");
    let title = textarea("title");
    let kind = if html.contains("<option value=\"council\" selected") { "council" } else { "annual" };
    let r = s.post(&format!("/ke-hoach/{id}/sua"), &[
        ("kind", kind), ("title", &title), ("number", number), ("issued_on", date), ("year", "2024"),
        ("version", &version), ("cascade_level", "commune"), ("implementing_deadline", "05/02/2024"),
    ]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let r = s.post(&format!("/ke-hoach/{id}/ban-hanh"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(plans::store::plans::get(&app.db, id).await.unwrap().status, "issued");
}

#[tokio::test]
async fn import_review_issue_cascade_track_and_remind() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let before = plan_count(&app).await;

    // Bad documents: a clear Vietnamese message, nothing stored.
    for (name, bytes, expected) in [
        ("rong.txt", b"   \n".to_vec(), plans::msg::plan_import::EMPTY),
        ("anh.txt", vec![0u8, 159, 146, 150, 0, 1], plans::msg::plan_import::BINARY),
        ("thu.txt", "Kính gửi anh chị, hẹn gặp lại vào tuần sau.".as_bytes().to_vec(), plans::msg::plan_import::NOT_A_PLAN),
        ("hong.docx", b"PK\x03\x04garbage".to_vec(), plans::msg::plan_import::BAD_DOCX),
    ] {
        let r = tinh.post_multipart("/ke-hoach/nhap", &[("kind", "annual")], Some((name, bytes))).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let html = r.text().await.unwrap();
        assert!(html.contains(expected), "{name}: {html}");
        assert!(html.contains("<option value=\"annual\" selected"), "the chosen kind is kept");
    }
    let r = tinh.post_multipart("/ke-hoach/nhap", &[], None).await;
    assert!(r.text().await.unwrap().contains(plans::msg::FILE_REQUIRED));
    assert_eq!(plan_count(&app).await, before);

    // Import and review: parsed plan beside the source text, unmatched agencies flagged.
    let id = import_lang_son(&app, &tinh).await;
    let (status, html) = tinh.text(&format!("/ke-hoach/{id}/sua")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Hoạt động của Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Lạng Sơn năm 2024"));
    assert!(html.contains("Văn bản gốc"));
    let tasks = plans::store::tasks::for_plan(&app.db, id).await.unwrap();
    assert_eq!(tasks.len(), 15);
    assert!(tasks.iter().any(|t| t.path == "II.3.2.a" && t.deadline == chrono::NaiveDate::from_ymd_opt(2024, 11, 20)), "3.2.a Tự kiểm tra is a task");
    let plan = plans::store::plans::get(&app.db, id).await.unwrap();
    assert_eq!(plan.kind, "council");
    assert!(plan.source_file_id.is_some(), "the original file is kept");
    // The signature and the Nơi nhận list are the plan's, shown and editable on the review page.
    assert_eq!(plan.signer_authority.as_deref(), Some("TM. HỘI ĐỒNG"));
    assert_eq!(plan.signer_title.as_deref(), Some("CHỦ TỊCH\nPHÓ CHỦ TỊCH UBND TỈNH"));
    assert_eq!(plan.recipients.lines().count(), 10);
    assert!(plan.recipients.starts_with("TT. HĐPHPBGDPL Trung ương (Bộ Tư pháp)\n"));
    assert!(html.contains("PHÓ CHỦ TỊCH UBND TỈNH</textarea>") && html.contains("Các Ban Đảng Tỉnh ủy"));
    // Empty fields carry hints phrased as examples, not values that look filled in; one
    // numbering (the source's path) beside each task; the source in the page's own font.
    assert!(!html.contains("placeholder=\"6134/KH-UBND\"") && !html.contains("placeholder=\"05/02/2024\""));
    assert!(html.contains("Ví dụ: 6134/KH-UBND") && html.contains("Ví dụ: 05/02/2024"));
    assert!(!html.contains("<ol class=\"tasks\">") && html.contains("<td>II.1.1</td>"));
    assert!(html.contains("<pre class=\"text\">"));
    assert!(!html.contains("là lãnh đạo các cơ quan</span>"), "no clause taken for an agency");
    let (_, page) = tinh.text(&format!("/ke-hoach/{id}")).await;
    assert!(page.contains("Người ký và nơi nhận") && page.contains("C, PVP UBND tỉnh, các Phòng CM, TTTT") && page.contains("PHÓ CHỦ TỊCH UBND TỈNH"));
    // The exported document is the whole plan and reads back as the same plan.
    let r = tinh.get(&format!("/ke-hoach/{id}/tai-ve.docx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let docx = r.bytes().await.unwrap().to_vec();
    let text = plans::rules::docx_text(&docx).unwrap();
    for needle in ["I. MỤC ĐÍCH, YÊU CẦU", "III. TỔ CHỨC THỰC HIỆN", "1.1. Xây dựng, ban hành Kế hoạch", "- Các Ban Đảng Tỉnh ủy;", "- Lưu VT, NC (TT-Th).", "TM. HỘI ĐỒNG", "Đoàn Thanh Sơn"] {
        assert!(text.contains(needle), "the DOCX lacks {needle:?}");
    }
    let matcher = kernel::agency::AgencyMatcher::builtin().unwrap();
    let again = plans::rules::parse_plan_bytes(&docx, "ke-hoach.docx", &matcher).unwrap();
    let parsed = plans::rules::parse_plan_text(LANG_SON, &matcher).unwrap();
    let paths = |p: &plans::rules::Plan| p.tasks.iter().map(|t| (t.path.clone(), t.title.clone(), t.lead.clone(), t.deadline)).collect::<Vec<_>>();
    assert_eq!(paths(&again), paths(&parsed));
    assert_eq!((again.recipients, again.signer_title), (parsed.recipients, parsed.signer_title));

    // Issuing needs a number and a date; the failed attempt shows why.
    let r = tinh.post(&format!("/ke-hoach/{id}/ban-hanh"), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(plans::msg::ISSUE_NEEDS_NUMBER) && html.contains(plans::msg::ISSUE_NEEDS_DATE));
    // A wrong date keeps what was typed.
    let r = tinh.post(&format!("/ke-hoach/{id}/sua"), &[("kind", "council"), ("title", "Tên mới"), ("issued_on", "31/02/2024"), ("version", &plan.version.to_string())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("31/02/2024") && html.contains("Tên mới") && html.contains(kernel::msg::INVALID_DATE));
    // A stale version is refused without losing the input.
    let r = tinh.post(&format!("/ke-hoach/{id}/sua"), &[("kind", "council"), ("title", "Tên quá lớn"), ("version", "99999999999999999999")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a version that does not parse is a conflict, not a blind overwrite");
    assert!(r.text().await.unwrap().contains(plans::msg::VERSION_CONFLICT));
    let r = tinh.post(&format!("/ke-hoach/{id}/sua"), &[("kind", "council"), ("title", "Tên cũ hơn"), ("version", "999")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Tên cũ hơn"));
    issue(&app, &tinh, id, "12/KH-HĐPH", "05/02/2024").await;

    // A commune cannot edit the provincial plan but sees it once issued.
    let xa1 = app.login_as("xa1").await;
    let r = xa1.post(&format!("/ke-hoach/{id}/sua"), &[("kind", "council"), ("title", "x")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, list) = xa1.text("/ke-hoach").await;
    assert!(list.contains("12/KH-HĐPH"));

    // Cascade: xa1 creates its implementing plan; tasks naming lower levels are proposed.
    let (status, html) = xa1.text(&format!("/ke-hoach/{id}/trien-khai")).await;
    assert_eq!(status, StatusCode::OK);
    let proposed = html.matches(" checked>").count();
    assert!(proposed >= 1, "at least the task coordinated with the districts is proposed");
    let r = xa1.post(&format!("/ke-hoach/{id}/trien-khai"), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "no task chosen");
    let t1 = tasks[0].id.to_string();
    let t2 = tasks[4].id.to_string();
    let r = xa1.post(&format!("/ke-hoach/{id}/trien-khai"), &[("task", &t1), ("task", &t2)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let child = id_from(&location(&r), "/ke-hoach/");
    let child_tasks = plans::store::tasks::for_plan(&app.db, child).await.unwrap();
    assert_eq!(child_tasks.len(), 2);
    assert_eq!(child_tasks[0].parent_task_id, Some(tasks[0].id));
    // Before the commune issues, the province sees it as drafting; xa2 does not see the draft.
    let (_, html) = tinh.text(&format!("/ke-hoach/{id}")).await;
    assert!(html.contains("Đang dự thảo") && html.contains("Chưa có kế hoạch"));
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.get(&format!("/ke-hoach/{child}")).await.status(), StatusCode::NOT_FOUND);
    issue(&app, &xa1, child, "05/KH-UBND", "01/02/2024").await;
    let (_, html) = tinh.text(&format!("/ke-hoach/{id}")).await;
    assert!(html.contains("Đã ban hành đúng hạn"), "{html}");

    // Tracking: done with figures and an evidence file; bad files are refused with reasons.
    let task = child_tasks[0].id;
    let r = xa1.post_multipart(&format!("/nhiem-vu/{task}/cap-nhat"), &[("status", "done"), ("note", "Đã ban hành")], Some(("bao-cao.pdf", b"MZ\x90\x00not a pdf".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(plans::msg::FILE_CONTENT_MISMATCH) && html.contains("Đã ban hành"), "the note is kept");
    let r = xa1.post_multipart(&format!("/nhiem-vu/{task}/cap-nhat"), &[("status", "done"), ("sessions", "abc")], None).await;
    assert!(r.text().await.unwrap().contains(plans::msg::NUMBER_INVALID));
    let pdf = b"%PDF-1.4\n% minh chung\ntrailer <<>>\n%%EOF\n".to_vec();
    let r = xa1.post_multipart(&format!("/nhiem-vu/{task}/cap-nhat"), &[("status", "done"), ("note", "Đã tổ chức hội nghị"), ("sessions", "2"), ("attendees", "1.250"), ("link", "https://example.vn/tin")], Some(("bien-ban.pdf", pdf.clone()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = xa1.text(&format!("/nhiem-vu/{task}")).await;
    assert!(html.contains("1.250 lượt người tham dự") && html.contains("bien-ban.pdf"));
    let file_id: i64 = html.split("/tep/").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let r = xa1.get(&format!("/tep/{file_id}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(tinh.get(&format!("/tep/{file_id}")).await.status(), StatusCode::OK);
    assert_eq!(xa2.get(&format!("/tep/{file_id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa2.post_multipart(&format!("/nhiem-vu/{task}/cap-nhat"), &[("status", "done")], None).await.status(), StatusCode::NOT_FOUND);

    // Roll-up: the provincial task shows its commune's progress; the dashboard counts it.
    let (_, html) = tinh.text(&format!("/ke-hoach/{id}")).await;
    assert!(html.contains("cấp dưới: 100% (1)"), "{html}");
    let (status, html) = tinh.text(&format!("/ke-hoach/{id}/tien-do")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<svg") && html.contains("Phường Đông Kinh") && html.contains("Quá hạn"));
    let (status, html) = tinh.text("/tien-do?trang_thai=overdue").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("quá hạn"));

    // Reminders: one digest per person and day, visible to the province (đôn đốc).
    let r = tinh.post("/nhac-viec/chay", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mails = kernel::db::outbox::recent(&app.db, 50).await.unwrap();
    let to_tinh: Vec<_> = mails.iter().filter(|m| m.to_addr == "tinh@demo.pbgdpl.local").collect();
    assert_eq!(to_tinh.len(), 1, "one digest");
    assert!(to_tinh[0].body.contains("Quá hạn") && to_tinh[0].body.contains("/nhiem-vu/"));
    // xa2's commune has not issued its implementing plan: its officer is reminded; xa1's is not.
    let to_xa2: Vec<_> = mails.iter().filter(|m| m.to_addr == "xa2@demo.pbgdpl.local").collect();
    assert_eq!(to_xa2.len(), 1);
    assert!(to_xa2[0].body.contains("Chưa có kế hoạch"), "{}", to_xa2[0].body);
    assert!(!mails.iter().any(|m| m.to_addr == "xa1@demo.pbgdpl.local" && m.body.contains("Chưa có kế hoạch")));
    tinh.post("/nhac-viec/chay", &[]).await;
    assert_eq!(kernel::db::outbox::recent(&app.db, 50).await.unwrap().len(), mails.len(), "no second digest the same day");
    // Only provincial officers and administrators run it, for their own scope; a province's run
    // is not the system's daily run, which still happens for every other unit.
    let commune = app.login_as("xa1").await;
    assert_eq!(commune.post("/nhac-viec/chay", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(kernel::db::outbox::recent(&app.db, 50).await.unwrap().len(), mails.len());
    assert!(kernel::db::reminders::job_runs(&app.db, 7).await.unwrap().is_empty(), "a province's run is not the day's run");
    let (_, html) = commune.text("/nhac-viec").await;
    assert!(!html.contains("/nhac-viec/chay"), "no button for a commune officer");
    let (_, html) = tinh.text("/nhac-viec").await;
    assert!(html.contains("Quá hạn") && html.contains("Hệ thống, thay mặt"));
    let (_, html) = tinh.text("/thong-bao").await;
    assert!(html.contains("Nhắc việc hằng ngày"));

    // Exports.
    let r = tinh.get(&format!("/ke-hoach/{id}/tai-ve.docx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
    let r = tinh.get(&format!("/ke-hoach/{id}/nhiem-vu.xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK\x03\x04"));

    // Copy to next year: a new draft with moved dates.
    let r = tinh.post(&format!("/ke-hoach/{id}/sao-chep"), &[("year", "2025")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let copy = id_from(&location(&r), "/ke-hoach/");
    let p = plans::store::plans::get(&app.db, copy).await.unwrap();
    assert_eq!((p.status.as_str(), p.year), ("draft", Some(2025)));
    assert!(p.title.ends_with("năm 2025"));
    let ct = plans::store::tasks::for_plan(&app.db, copy).await.unwrap();
    assert_eq!(ct[0].deadline, tasks[0].deadline.map(|d| plans::rules::tracking::shift_years(d, 1)));

    // Every write was audited.
    let audit = kernel::db::audit::list(&app.db, &kernel::db::audit::AuditFilter { scope_pattern: "%".into(), username: None, entity: None, action: None, from: None, to: None, limit: 500, offset: 0 }).await.unwrap();
    for action in ["import", "issue", "track", "copy", "run"] {
        assert!(audit.iter().any(|e| e.action == action), "audit has {action}");
    }
}

#[tokio::test]
async fn writing_a_plan_by_hand_and_adding_tasks() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let r = tinh.post("/ke-hoach/moi", &[("kind", "annual"), ("title", "  Công tác PBGDPL năm 2026 "), ("year", "2026")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_from(&location(&r), "/ke-hoach/");
    let r = tinh.post(&format!("/ke-hoach/{id}/nhiem-vu/moi"), &[("path", "II.1"), ("title", ""), ("timeframe", "Quý I")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Quý I"), "input kept");
    let r = tinh.post(&format!("/ke-hoach/{id}/nhiem-vu/moi"), &[("path", "II.1"), ("title", "Tổ chức hội nghị"), ("lead", "Sở Tư pháp"), ("coordinating", "Công an tỉnh; Ban chỉ huy ảo"), ("timeframe", "Quý I")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let tasks = plans::store::tasks::for_plan(&app.db, id).await.unwrap();
    assert_eq!(tasks[0].deadline, chrono::NaiveDate::from_ymd_opt(2026, 3, 31), "deadline from the timeframe and the plan's year");
    let ag = plans::store::tasks::agencies(&app.db, tasks[0].id).await.unwrap();
    let lead = ag.iter().find(|a| a.role == "lead").unwrap();
    assert_eq!(lead.agency_name.as_deref(), Some("Sở Tư pháp tỉnh Lạng Sơn"), "matched to the province's agency");
    assert!(ag.iter().any(|a| a.role == "coordinating" && a.match_key.is_none()), "unknown name kept as written");
    // An agency focal point sees and updates the tasks its agency leads.
    let r = tinh.post(&format!("/ke-hoach/{id}/nhiem-vu/moi"), &[("path", "II.2"), ("title", "Tuyên truyền phòng chống ma túy"), ("lead", "Công an tỉnh"), ("deadline", "30/06/2026")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let plan = plans::store::plans::get(&app.db, id).await.unwrap();
    let r = tinh.post(&format!("/ke-hoach/{id}/sua"), &[("kind", "annual"), ("title", &plan.title), ("number", "7/KH-UBND"), ("issued_on", "02/01/2026"), ("year", "2026"), ("version", &plan.version.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(tinh.post(&format!("/ke-hoach/{id}/ban-hanh"), &[]).await.status(), StatusCode::SEE_OTHER);
    let congan = app.login_as("congan").await;
    let (_, html) = congan.text("/tien-do?cua_toi=1").await;
    assert!(html.contains("Tuyên truyền phòng chống ma túy") && !html.contains("Tổ chức hội nghị"), "only its agency's tasks");
    let police_task = plans::store::tasks::for_plan(&app.db, id).await.unwrap().into_iter().find(|t| t.path == "II.2").unwrap().id;
    let r = congan.post_multipart(&format!("/nhiem-vu/{police_task}/cap-nhat"), &[("status", "in_progress"), ("progress", "40")], None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Where it only coordinates, it adds a contribution and cannot change the status.
    let r = congan.post_multipart(&format!("/nhiem-vu/{}/cap-nhat", tasks[0].id), &[("status", "done"), ("note", "Cử 2 báo cáo viên")], None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(plans::store::tasks::get(&app.db, tasks[0].id).await.unwrap().status, "not_started");
    let (_, html) = congan.text(&format!("/nhiem-vu/{}", tasks[0].id)).await;
    assert!(html.contains("Đóng góp của cơ quan phối hợp") && html.contains("Cử 2 báo cáo viên"));

    // Search without diacritics finds it.
    let (_, html) = tinh.text("/ke-hoach?q=cong%20tac%20pbgdpl").await;
    assert!(html.contains("Công tác PBGDPL năm 2026"));
    // An issued plan cannot be deleted; a draft can.
    assert_eq!(tinh.post(&format!("/ke-hoach/{id}/xoa"), &[]).await.status(), StatusCode::BAD_REQUEST);
    let r = tinh.post("/ke-hoach/moi", &[("kind", "thematic"), ("title", "Bản nháp bỏ đi")]).await;
    let draft = id_from(&location(&r), "/ke-hoach/");
    let r = tinh.post(&format!("/ke-hoach/{draft}/xoa"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(tinh.get(&format!("/ke-hoach/{draft}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn evidence_size_limit() {
    let app = TestApp::spawn_with(&SETUP, |c| c.limits.upload_bytes = 1024).await;
    let tinh = app.login_as("tinh").await;
    let before = plan_count(&app).await;
    let r = tinh.post_multipart("/ke-hoach/nhap", &[], Some(("lon.txt", LANG_SON.as_bytes().to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(kernel::msg::FILE_TOO_LARGE));
    assert_eq!(plan_count(&app).await, before);
}

/// A DOCX whose document.xml inflates to about 15 MB of paragraphs (just under the reader's cap,
/// so that it is read and parsed in full), from about 100 kB on the wire.
fn hostile_docx() -> Vec<u8> {
    use std::io::Write;
    let mut xml = String::from(r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>"#);
    xml.push_str("<w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p><w:p><w:r><w:t>II. NHIỆM VỤ</w:t></w:r></w:p>");
    let para = "<w:p><w:r><w:t>1. Tổ chức hội nghị phổ biến pháp luật cho cán bộ, công chức; Cơ quan chủ trì: Sở Tư pháp.</w:t></w:r></w:p>";
    while xml.len() < 15 * 1024 * 1024 {
        xml.push_str(para);
    }
    xml.push_str("</w:body></w:document>");
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_imports_do_not_hold_the_server() {
    let app = TestApp::spawn_with(&SETUP, |c| {
        c.limits.import_timeout_secs = 2;
        c.limits.request_timeout_secs = 6;
    })
    .await;
    let docx = hostile_docx();
    assert!(docx.len() < 1024 * 1024, "{} bytes on the wire", docx.len());
    let tinh = app.login_as("tinh").await;
    let xa1 = app.login_as("xa1").await;
    let mut imports = Vec::new();
    for i in 0..8 {
        let s = if i % 2 == 0 { tinh.clone() } else { xa1.clone() };
        let bytes = docx.clone();
        imports.push(tokio::spawn(async move {
            let r = s.post_multipart("/ke-hoach/nhap", &[("kind", "")], Some(("bom.docx", bytes))).await;
            (r.status(), r.text().await.unwrap_or_default())
        }));
    }
    // Meanwhile the health check and an ordinary page answer at once.
    let anon = app.client();
    let mut samples = Vec::new();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(3) {
        for path in ["/healthz", "/dang-nhap"] {
            let t = std::time::Instant::now();
            let r = anon.get(path).await;
            assert!(r.status().is_success(), "{path}: {}", r.status());
            samples.push(t.elapsed());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mut statuses = Vec::new();
    for h in imports {
        let (status, body) = h.await.unwrap();
        assert!(!status.is_server_error(), "{status}: {body}");
        statuses.push(status);
    }
    samples.sort();
    let p95 = samples[(samples.len() * 95).div_ceil(100).saturating_sub(1)];
    let max = *samples.last().unwrap();
    println!("hostile imports: {} samples while 8 imports ran, p95 {p95:?}, max {max:?}; import answers {statuses:?}", samples.len());
    assert!(p95 < std::time::Duration::from_millis(100), "p95 {p95:?}");
    assert!(max < std::time::Duration::from_millis(500), "max {max:?}");
    // Every hostile import was refused with a message, none stored.
    assert!(statuses.iter().all(|s| s.is_client_error()), "{statuses:?}");
}

#[tokio::test]
async fn imports_are_limited_per_account_and_minute_and_by_extension() {
    let app = TestApp::spawn_with(&SETUP, |c| c.limits.imports_per_minute = 2).await;
    let tinh = app.login_as("tinh").await;
    let r = tinh.post_multipart("/ke-hoach/nhap", &[("kind", "")], Some(("evil.html", LANG_SON.as_bytes().to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(plans::msg::plan_import::UNSUPPORTED));
    let r = tinh.post_multipart("/ke-hoach/nhap", &[("kind", "")], Some(("ke-hoach.txt", LANG_SON.as_bytes().to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = tinh.post_multipart("/ke-hoach/nhap", &[("kind", "")], Some(("ke-hoach.txt", LANG_SON.as_bytes().to_vec()))).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.unwrap().contains(kernel::msg::IMPORTS_TOO_FREQUENT));
    // Another account has its own allowance.
    let xa1 = app.login_as("xa1").await;
    let r = xa1.post_multipart("/ke-hoach/nhap", &[("kind", "")], Some(("ke-hoach.txt", LANG_SON.as_bytes().to_vec()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}
