//! A session linked to the plan task it carries out, with the plans composed beside the
//! registries through the kernel's ports: the demo's link and the task page that lists it for
//! the viewers who may see the session; a commune linking its session to a task of its own
//! implementing plan in the form and the API; a task the unit does not answer for, or a forged
//! id, refused beside the field (form) or naming `task_id` (API); another commune seeing
//! neither the task nor the session.

use reqwest::StatusCode;

use crate::helpers::{TestApp, linked::SETUP};

fn today() -> chrono::NaiveDate {
    kernel::page::today()
}

/// The province's demo session on the land law, which the demo links to a task.
async fn land_session(app: &TestApp) -> disseminators::store::ActivityRow {
    let from = today() - chrono::Duration::days(400);
    disseminators::store::activities(&app.db, "%", from, today()).await.unwrap().into_iter().find(|a| a.topic.starts_with("Luật Đất đai")).unwrap()
}

async fn token(app: &TestApp, user: &str) -> String {
    let id = app.account_id(user).await;
    let mut tx = app.db.begin().await.unwrap();
    let (secret, _) = kernel::db::sessions::create_token(&mut tx, id, "t", chrono::Duration::days(1)).await.unwrap();
    tx.commit().await.unwrap();
    secret
}

#[tokio::test]
async fn the_demo_session_shows_on_its_task_to_those_who_may_see_it() {
    let app = TestApp::spawn(&SETUP).await;
    let session = land_session(&app).await;
    let task = session.task_id.expect("the demo links the land-law session to a task of the province's plan");
    let t = plans::store::tasks::get(&app.db, task).await.unwrap();
    assert_eq!(t.plan_unit_id, session.unit_id, "a task of the province's own plan");

    // The province sees the session under the task's results, with its attendees.
    let tinh = app.login_as("tinh").await;
    let (s, html) = tinh.text(&format!("/nhiem-vu/{task}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Hoạt động tuyên truyền đã ghi nhận (1 buổi, 180 người tham dự)"), "{html}");
    assert!(html.contains("Luật Đất đai năm 2024") && html.contains(&format!("/pho-bien/hoat-dong/{}", session.id)));
    // The session page names the task with a link; the form offers the province's tasks.
    let (_, html) = tinh.text(&format!("/pho-bien/hoat-dong/{}", session.id)).await;
    assert!(html.contains("Nhiệm vụ kế hoạch thực hiện") && html.contains(&format!("href=\"/nhiem-vu/{task}\"")));
    assert!(html.contains(&format!("<option value=\"{task}\" selected>")));
    let (_, html) = tinh.text("/pho-bien/hoat-dong/moi").await;
    assert!(html.contains(&format!("<option value=\"{task}\">")));

    // A commune reads the province's issued plan, but not the province's sessions.
    let xa1 = app.login_as("xa1").await;
    let (s, html) = xa1.text(&format!("/nhiem-vu/{task}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("Hoạt động tuyên truyền đã ghi nhận") && !html.contains("Luật Đất đai năm 2024"));
    // The reporter who held it sees the session, not the plan (a Reporter does not read plans).
    let bcv1 = app.login_as("bcv1").await;
    let (s, html) = bcv1.text(&format!("/pho-bien/hoat-dong/{}", session.id)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("/nhiem-vu/"));
    // The API returns the link.
    let client = reqwest::Client::new();
    let r: serde_json::Value =
        client.get(format!("{}/api/v1/disseminators/activities", app.base)).bearer_auth(token(&app, "tinh").await).send().await.unwrap().json().await.unwrap();
    let item = r["items"].as_array().unwrap().iter().find(|a| a["id"].as_i64() == Some(session.id)).cloned().unwrap();
    assert_eq!(item["task_id"].as_i64(), Some(task));
}

#[tokio::test]
async fn a_commune_links_its_session_to_its_own_task_and_no_other() {
    let app = TestApp::spawn(&SETUP).await;
    let province_task = land_session(&app).await.task_id.unwrap();
    let parent = plans::store::plans::get(&app.db, plans::store::tasks::get(&app.db, province_task).await.unwrap().plan_id).await.unwrap();
    // xa1's commune implements the province's plan with one task, and issues its plan.
    let commune = kernel::db::units::get(&app.db, app.unit_id(kernel::demo::COMMUNE_CODES[0]).await).await.unwrap();
    let xa1_id = app.account_id("xa1").await;
    let implementer = plans::service::Implementer { unit: commune, agency: None };
    let actor = kernel::db::audit::Actor::cli();
    let child = plans::service::create_implementing(&app.db, &actor, Some(xa1_id), &parent, &implementer, &[province_task]).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    plans::store::plans::set_status(&mut tx, child, "issued").await.unwrap();
    tx.commit().await.unwrap();
    let own = plans::store::tasks::for_plan(&app.db, child).await.unwrap()[0].id;

    let xa1 = app.login_as("xa1").await;
    let (s, html) = xa1.text("/pho-bien/hoat-dong/moi").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&format!("<option value=\"{own}\">")), "its own task is offered");
    assert!(!html.contains(&format!("<option value=\"{province_task}\"")), "the province's task is not");
    let held = text_vi::format_date(today());
    let fields = |task: &str| {
        vec![("held_on", held.clone()), ("form", "conference".to_string()), ("topic", "Luật Đất đai cho người dân thôn".to_string()), ("attendees", "35".to_string()), ("task_id", task.to_string())]
    };
    let post = |task: &str| {
        let f = fields(task);
        let xa1 = &xa1;
        async move { xa1.post("/pho-bien/hoat-dong/moi", &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await }
    };
    // A task the commune does not answer for, and a forged id: refused beside the field.
    for bad in [province_task.to_string(), "999999999".to_string(), "abc".to_string()] {
        let r = post(&bad).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let html = r.text().await.unwrap();
        assert!(html.contains(disseminators::msg::TASK_NOT_LINKABLE) && html.contains("Luật Đất đai cho người dân thôn"), "{bad}: error shown, input kept");
        assert!(html.contains("href=\"#task_id\""), "{bad}: the summary links to the field");
    }
    // Its own task: linked, shown on the session and under the task's results.
    let r = post(&own.to_string()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = testkit::location(&r).trim_start_matches("/pho-bien/hoat-dong/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(disseminators::store::activity(&app.db, id).await.unwrap().task_id, Some(own));
    let (_, html) = xa1.text(&format!("/pho-bien/hoat-dong/{id}")).await;
    assert!(html.contains(&format!("href=\"/nhiem-vu/{own}\"")));
    let (_, html) = xa1.text(&format!("/nhiem-vu/{own}")).await;
    assert!(html.contains("Hoạt động tuyên truyền đã ghi nhận (1 buổi, 35 người tham dự)") && html.contains("Luật Đất đai cho người dân thôn"));
    // The province sees it too; another commune sees neither the task nor the session.
    let tinh = app.login_as("tinh").await;
    let (_, html) = tinh.text(&format!("/nhiem-vu/{own}")).await;
    assert!(html.contains("Luật Đất đai cho người dân thôn"));
    let xa2 = app.login_as("xa2").await;
    assert_eq!(xa2.get(&format!("/nhiem-vu/{own}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa2.get(&format!("/pho-bien/hoat-dong/{id}")).await.status(), StatusCode::NOT_FOUND);
    let r = xa2.post("/pho-bien/hoat-dong/moi", &[("held_on", &held), ("form", "conference"), ("topic", "x"), ("attendees", "1"), ("task_id", &own.to_string())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "another commune cannot link xa1's task");
    // Editing keeps the link unless changed; an empty choice unlinks.
    let r = xa1.post(&format!("/pho-bien/hoat-dong/{id}"), &[("held_on", &held), ("form", "mobile"), ("topic", "Luật Đất đai"), ("attendees", "35"), ("task_id", &own.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(disseminators::store::activity(&app.db, id).await.unwrap().task_id, Some(own));
    let r = xa1.post(&format!("/pho-bien/hoat-dong/{id}"), &[("held_on", &held), ("form", "mobile"), ("topic", "Luật Đất đai"), ("attendees", "35"), ("task_id", &province_task.to_string())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(disseminators::store::activity(&app.db, id).await.unwrap().task_id, Some(own), "nothing stored");
    let r = xa1.post(&format!("/pho-bien/hoat-dong/{id}"), &[("held_on", &held), ("form", "mobile"), ("topic", "Luật Đất đai"), ("attendees", "35"), ("task_id", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(disseminators::store::activity(&app.db, id).await.unwrap().task_id, None);

    // The API: the same check, 422 naming `task_id`; the link is returned.
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/disseminators/activities", app.base);
    let (xa1_token, xa2_token, bcv1_token) = (token(&app, "xa1").await, token(&app, "xa2").await, token(&app, "bcv1").await);
    let body = |task: serde_json::Value| serde_json::json!({"held_on": today().to_string(), "form": "online", "topic": "Luật Đất đai trực tuyến", "attendees": 12, "task_id": task});
    for (tok, task) in [(&xa1_token, serde_json::json!(province_task)), (&xa1_token, serde_json::json!(1.5)), (&xa2_token, serde_json::json!(own)), (&bcv1_token, serde_json::json!(province_task))] {
        let r = client.post(&url).bearer_auth(tok).json(&body(task.clone())).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{task}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert!(v["errors"].as_array().unwrap().iter().any(|e| e["field"] == "task_id" && e["message"] == disseminators::msg::TASK_NOT_LINKABLE), "{v}");
    }
    let r = client.post(&url).bearer_auth(&xa1_token).json(&body(serde_json::json!(own))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let r: serde_json::Value = client.get(&url).bearer_auth(&xa1_token).send().await.unwrap().json().await.unwrap();
    let item = r["items"].as_array().unwrap().iter().find(|a| a["id"].as_i64() == Some(created)).cloned().unwrap();
    assert_eq!(item["task_id"].as_i64(), Some(own));
    let r = client.post(&url).bearer_auth(&xa1_token).json(&body(serde_json::Value::Null)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "no task is fine");
}
