//! The units' public pages (`/dia-phuong`) with every capability and the demo data: a commune's
//! contact, justice officers, mediation teams, legal-access result and bookshelf, without any
//! party's or mediator's personal data; the province with its communes; an abolished commune's
//! page leading to what it became; the contact kept by the commune's officer (errors keep what
//! was typed, another commune's officer gets 404, audited).

use reqwest::StatusCode;

use crate::helpers::{SETUP, TestApp};

#[tokio::test]
async fn a_commune_s_public_page_shows_its_public_facts_and_no_personal_data() {
    let app = TestApp::spawn(&SETUP).await;
    let visitor = app.client();
    let day = kernel::page::today();
    let commune = kernel::db::units::by_code(&app.db, "05977", day).await.unwrap();
    let province = kernel::db::units::by_code(&app.db, "20", day).await.unwrap();
    // A round of this year in which 05977 was assessed, posted and recognised.
    let ruleset = legal_access::store::rulesets(&app.db).await.unwrap()[0].id;
    let admin = kernel::db::accounts::by_username(&app.db, "admin").await.unwrap().id;
    let mut tx = app.db.begin().await.unwrap();
    let round = legal_access::store::create_round(&mut tx, province.id, 2099, ruleset, day, day, admin).await.unwrap();
    let assessment = legal_access::store::create_assessment(&mut tx, round, commune.id).await.unwrap();
    legal_access::store::set_posted(&mut tx, assessment, day, day).await.unwrap();
    legal_access::store::set_decision_note(&mut tx, assessment, "recognised", "").await.unwrap();
    tx.commit().await.unwrap();

    let (status, html) = visitor.text("/dia-phuong").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/dia-phuong/20\"") && !html.contains("href=\"/dia-phuong/05977\""), "provinces only: {html}");

    let (status, html) = visitor.text("/dia-phuong/05977").await;
    assert_eq!(status, StatusCode::OK);
    // The contact, the officer by name and title, the way to ask a question.
    assert!(html.contains("0205 3800 200") && html.contains("tel:02053800200") && html.contains("mailto:tuphap.05977@demo.pbgdpl.local"), "{html}");
    assert!(html.contains("Hoàng Văn An (Công chức tư pháp)"), "{html}");
    assert!(!html.contains("xa1@demo.pbgdpl.local"), "an account's own address stays private");
    // Mediation: each team in force, with its leader and size.
    let teams = mediation::store::teams_in(&app.db, &format!("{}%", commune.path)).await.unwrap();
    assert!(!teams.is_empty(), "the demo has teams in 05977");
    for t in teams.iter().filter(|t| t.ended_on.is_none()) {
        assert!(html.contains(&t.name), "team {}", t.name);
        for m in mediation::store::mediators_of(&app.db, t.id).await.unwrap() {
            if let Some(phone) = m.phone.as_deref().filter(|p| !p.is_empty()) {
                assert!(!html.contains(phone), "a mediator's phone {phone}");
            }
        }
    }
    assert!(html.contains("Hòa giải ở cơ sở") && html.contains("hòa giải viên"));
    // No party of any case.
    let (parties,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM mediation_parties").fetch_one(p).await).unwrap();
    assert!(parties > 0);
    let names: Vec<(String,)> = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT full_name FROM mediation_parties").fetch_all(p).await).unwrap();
    for (name,) in names {
        assert!(!html.contains(&name), "a party's name {name}");
    }
    // The legal-access result once posted, and the bookshelf, with links to their own pages.
    assert!(html.contains("Tủ sách pháp luật") && html.contains(&format!("/tu-sach/xa/{}", commune.id)), "{html}");
    assert!(html.contains("Chuẩn tiếp cận pháp luật") && html.contains(&format!("href=\"/cong-khai/chuan-tiep-can/{assessment}\">Năm 2099</a>: Đạt chuẩn")), "{html}");
    assert!(html.contains("Được công nhận đạt chuẩn tiếp cận pháp luật năm 2099."), "{html}");
    // The province lists its communes and the legal-access figure of its last decided year.
    let (status, html) = visitor.text("/dia-phuong/20").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Năm 2099: 1 trên 1 xã, phường, đặc khu được công nhận đạt chuẩn tiếp cận pháp luật."), "{html}");
    assert!(html.contains("href=\"/dia-phuong/05977\"") && html.contains("Sở Tư pháp, số 2 đường Hoàng Văn Thụ") && html.contains("Nguyễn Thị Hoà"), "{html}");
    // Odd codes and villages answer 404.
    for path in ["/dia-phuong/abc", "/dia-phuong/99999999", "/dia-phuong/"] {
        assert_eq!(visitor.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn an_abolished_commune_leads_to_what_it_became() {
    let app = TestApp::spawn(&SETUP).await;
    let day = kernel::page::today();
    let commune = kernel::db::units::by_code(&app.db, "05977", day).await.unwrap();
    let old = kernel::db::units::predecessors(&app.db, commune.id).await.unwrap();
    let mut found = None;
    for l in old.into_iter().filter(|l| !l.unit.is_valid_on(day) && l.unit.code != "05977") {
        let assessed = legal_access::store::assessments_of_unit(&app.db, l.unit.id).await.unwrap();
        if let Some(a) = assessed.into_iter().find(|a| a.posted_from.is_some()) {
            found = Some((l, a));
            break;
        }
    }
    let Some((old, assessment)) = found else { panic!("05977 was formed from older communes, assessed in 2024 by the demo") };
    let (status, html) = app.client().text(&format!("/dia-phuong/{}", old.unit.code)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("không còn") && html.contains("href=\"/dia-phuong/05977\""), "{html}");
    // Its results before the reform stay on its page; it has no contact or bookshelf of its own.
    assert!(html.contains(&format!("href=\"/cong-khai/chuan-tiep-can/{}\"", assessment.id)) && html.contains("Năm 2024"), "{html}");
    assert!(!html.contains("Tủ sách pháp luật</h2>") && !html.contains("Liên hệ</h2>"), "{html}");
    // And the commune lists what it was formed from.
    let (_, html) = app.client().text("/dia-phuong/05977").await;
    assert!(html.contains(&format!("href=\"/dia-phuong/{}\"", old.unit.code)), "{html}");
}

#[tokio::test]
async fn the_commune_s_officer_keeps_its_public_contact() {
    let app = TestApp::spawn(&SETUP).await;
    let day = kernel::page::today();
    let commune = kernel::db::units::by_code(&app.db, "05977", day).await.unwrap();
    let xa1 = app.login_as("xa1").await;
    let path = format!("/don-vi/{}/lien-he", commune.id);
    let r = xa1.post(&path, &[("address", "Thôn Bản Mới, xã Hữu Lũng"), ("phone", "12ab"), ("email", "khong-hop-le"), ("hours", "Thứ Hai – thứ Sáu")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(kernel::msg::CONTACT_PHONE) && html.contains("Thôn Bản Mới, xã Hữu Lũng") && html.contains("khong-hop-le"), "{html}");
    let r = xa1.post(&path, &[("address", "Thôn Bản Mới, xã Hữu Lũng"), ("phone", "0205 3812 999"), ("email", "TuPhap@HuuLung.example.vn"), ("hours", "Thứ Hai – thứ Sáu")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stored = kernel::db::units::contact(&app.db, commune.id).await.unwrap().unwrap();
    assert_eq!((stored.phone.as_str(), stored.email.as_str()), ("0205 3812 999", "tuphap@huulung.example.vn"));
    let (_, html) = app.client().text("/dia-phuong/05977").await;
    assert!(html.contains("0205 3812 999") && html.contains("Thôn Bản Mới, xã Hữu Lũng"), "{html}");
    // Another commune's officer may not.
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.post(&path, &[("phone", "0205 3812 000")]).await.status(), StatusCode::NOT_FOUND);
    let (n,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'unit_contact' AND entity_id = $1 AND action = 'update'")
        .bind(commune.id.to_string()).fetch_one(p).await)
    .unwrap();
    assert_eq!(n, 2, "the demo's and the officer's");
}

#[tokio::test]
async fn a_leader_who_left_is_not_named_in_public() {
    let app = TestApp::spawn(&SETUP).await;
    let day = kernel::page::today();
    let commune = kernel::db::units::by_code(&app.db, "05977", day).await.unwrap();
    let team = mediation::store::teams_in(&app.db, &format!("{}%", commune.path)).await.unwrap().into_iter().find(|t| t.ended_on.is_none() && t.leader_id.is_some()).expect("a demo team with a leader");
    let leader = team.leader_name.clone().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE mediators SET ended_on = $1, end_reason = 'Chuyển nơi cư trú' WHERE id = $2")
        .bind(day).bind(team.leader_id.unwrap()).execute(&mut *x).await)
    .unwrap();
    tx.commit().await.unwrap();
    let (_, html) = app.client().text("/dia-phuong/05977").await;
    assert!(html.contains(&team.name) && !html.contains(&format!("tổ trưởng: {leader}")), "{html}");
}
