//! The read-only API of what the public pages show: the portal's news and static pages, the
//! published answers to citizens' questions, and the drafts put out for comment. The same rows
//! as the public pages (a scheduled, waiting or unpublished article is 404 and absent from the
//! list; an answer not published or answered privately is 404); never a sender's name, e-mail
//! address, phone number or tracking code; never a commenter's e-mail address or a person's name.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, SETUP, TestApp, csrf_in, location};

async fn token(app: &TestApp, username: &str) -> String {
    let r = reqwest::Client::new().post(format!("{}/api/v1/tokens", app.base)).json(&json!({"username": username, "password": PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "token for {username}");
    r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
}

/// GET with the token: the status, the body as text and as JSON.
async fn api(app: &TestApp, token: &str, path: &str) -> (StatusCode, String, Value) {
    let r = reqwest::Client::new().get(format!("{}{}", app.base, path)).bearer_auth(token).send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, text, json)
}

fn items(v: &Value) -> &Vec<Value> {
    v["items"].as_array().unwrap_or_else(|| panic!("no items in {v}"))
}

/// A 404 with the shared error body.
fn assert_not_found(status: StatusCode, body: &Value, ctx: &str) {
    assert_eq!(status, StatusCode::NOT_FOUND, "{ctx}: {body}");
    assert_eq!(body["error"], "not_found", "{ctx}");
    assert_eq!(body["message"], kernel::msg::NOT_FOUND, "{ctx}");
}

/// Every parameter that does not parse is a 400 naming it; no token is a 401.
async fn assert_rejects(app: &TestApp, t: &str, path: &str, bad: &[(&str, &str)]) {
    for (query, param) in bad {
        let (status, _, body) = api(app, t, &format!("{path}?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}?{query}: {body}");
        assert_eq!(body["param"], *param, "{path}?{query}");
    }
    let r = reqwest::Client::new().get(format!("{}{path}", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path} without a token");
}

// ---------------------------------------------------------------- portal

/// The demo's featured article about Law Day.
const DEMO_SLUG: &str = "lang-son-huong-ung-ngay-phap-luat-nuoc-cong-hoa-xa-hoi-chu-nghia-viet-nam";

fn article_form<'a>(title: &'a str, body: &'a str, publish_at: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("kind", "news"), ("title", title), ("slug", ""), ("summary", ""), ("body", body), ("category", ""), ("campaign", ""), ("tags", "Phổ biến pháp luật"), ("publish_at", publish_at), ("unpublish_at", "")]
}

/// Writes and publishes an article as `tinh`: its id and slug.
async fn published_article(app: &TestApp, title: &str, body: &str, publish_at: &str) -> (i64, String) {
    let tinh = app.login_as("tinh").await;
    let r = tinh.post("/bien-tap/moi", &article_form(title, body, publish_at)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let id: i64 = location(&r).trim_start_matches("/bien-tap/").split(['?', '/']).next().unwrap().parse().unwrap();
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    (id, portal::store::get(&app.db, id).await.unwrap().slug)
}

async fn listed_slugs(app: &TestApp, t: &str) -> Vec<String> {
    let (status, _, v) = api(app, t, "/api/v1/portal/articles?limit=1000").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    items(&v).iter().map(|i| i["slug"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_portal_s_public_news_and_pages() {
    let app = TestApp::spawn(&SETUP).await;
    let t = token(&app, "xa1").await;
    let (status, _, list) = api(&app, &t, "/api/v1/portal/articles").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let public = portal::store::public_news_count(&app.db, kernel::now(), &Default::default()).await.unwrap();
    assert!(public >= 3, "the demo's published news");
    assert_eq!(list["total"], public);
    assert_eq!((list["limit"].as_i64(), list["offset"].as_i64()), (Some(100), Some(0)));
    assert_eq!(items(&list).len() as i64, public);
    for i in items(&list) {
        assert_eq!(i["href"], format!("/tin-tuc/{}", i["slug"].as_str().unwrap()));
        assert!(i.get("body_html").is_none(), "lists carry no body");
        assert!(!i["summary"].as_str().unwrap().is_empty());
    }
    // The public list shows the same.
    let (_, html) = app.client().text("/tin-tuc").await;
    let first = items(&list)[0]["href"].as_str().unwrap();
    assert!(html.contains(first), "{first} on /tin-tuc");
    // The demo's article waiting for approval is neither listed nor found.
    let (waiting, waiting_slug): (String, String) = kernel::with_db!(&app.db, p => kernel::sqlx::query_as("SELECT title, slug FROM portal_articles WHERE status = 'submitted' ORDER BY id LIMIT 1").fetch_one(p).await).unwrap();
    assert!(!items(&list).iter().any(|i| i["title"] == waiting.as_str()));
    let (status, _, body) = api(&app, &t, &format!("/api/v1/portal/articles/{waiting_slug}")).await;
    assert_not_found(status, &body, "waiting for approval");

    // One article, with its sanitised HTML and tags.
    let (status, _, a) = api(&app, &t, &format!("/api/v1/portal/articles/{DEMO_SLUG}")).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["kind"], "news");
    assert_eq!(a["href"], format!("/tin-tuc/{DEMO_SLUG}"));
    assert!(a["body_html"].as_str().unwrap().contains("<p>"), "{a}");
    assert!(a["tags"].is_array() && a["published_at"].is_string() && a["unit_name"].is_string(), "{a}");

    // Filters: category, campaign, tag (unknown ones find nothing); paging.
    let (_, _, v) = api(&app, &t, "/api/v1/portal/articles?category=hoa-giai-o-co-so").await;
    assert!(!items(&v).is_empty() && items(&v).iter().all(|i| i["category_slug"] == "hoa-giai-o-co-so"), "{v}");
    let campaign = items(&list).iter().find_map(|i| i["campaign_slug"].as_str()).unwrap().to_string();
    let (_, _, v) = api(&app, &t, &format!("/api/v1/portal/articles?campaign={campaign}")).await;
    assert!(!items(&v).is_empty() && items(&v).iter().all(|i| i["campaign_slug"] == campaign.as_str()), "{v}");
    let tag = items(&list).iter().find_map(|i| i["tags"].as_array().and_then(|t| t.first()).map(|t| t["slug"].as_str().unwrap().to_string())).unwrap();
    let (_, _, v) = api(&app, &t, &format!("/api/v1/portal/articles?tag={tag}")).await;
    assert!(!items(&v).is_empty() && items(&v).iter().all(|i| i["tags"].as_array().unwrap().iter().any(|x| x["slug"] == tag.as_str())), "{v}");
    for q in ["category=khong-co", "campaign=khong-co", "tag=khong-co"] {
        let (status, _, v) = api(&app, &t, &format!("/api/v1/portal/articles?{q}")).await;
        assert_eq!((status, v["total"].as_i64()), (StatusCode::OK, Some(0)), "{q}");
    }
    let (_, _, v) = api(&app, &t, "/api/v1/portal/articles?limit=1&offset=1").await;
    assert_eq!(items(&v).len(), 1);
    assert_eq!(items(&v)[0]["id"], items(&list)[1]["id"]);
    let (_, _, v) = api(&app, &t, "/api/v1/portal/articles?limit=5000").await;
    assert_eq!(v["limit"], 1000, "lowered");

    // Static pages: listed and found under their own path, not as news.
    let (status, _, pages) = api(&app, &t, "/api/v1/portal/pages").await;
    assert_eq!(status, StatusCode::OK);
    assert!(items(&pages).iter().any(|p| p["slug"] == "gioi-thieu" && p["href"] == "/trang/gioi-thieu"), "{pages}");
    let (status, _, p) = api(&app, &t, "/api/v1/portal/pages/gioi-thieu").await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["kind"], "page");
    assert!(p["body_html"].as_str().unwrap().contains("Sở Tư pháp"));
    let (status, _, body) = api(&app, &t, "/api/v1/portal/articles/gioi-thieu").await;
    assert_not_found(status, &body, "a page is not news");
    for path in ["/api/v1/portal/articles/khong-co-tin-nay", "/api/v1/portal/articles/KHONG%20HOP%20LE", "/api/v1/portal/pages/khong-co"] {
        let (status, _, body) = api(&app, &t, path).await;
        assert_not_found(status, &body, path);
    }
    let long = format!("category={}", "a".repeat(201));
    assert_rejects(&app, &t, "/api/v1/portal/articles", &[("limit=0", "limit"), ("limit=abc", "limit"), ("offset=-1", "offset"), (long.as_str(), "category")]).await;
}

#[tokio::test]
async fn scheduled_and_unpublished_articles_are_404_and_not_listed() {
    let app = TestApp::spawn(&SETUP).await;
    let t = token(&app, "xa1").await;
    let tomorrow = portal::rules::when::format_when(chrono::Utc::now() + Duration::days(1));
    let (_, scheduled) = published_article(&app, "Tin hẹn đăng ngày mai", "Nội dung hẹn đăng.", &tomorrow).await;
    let (id, now) = published_article(&app, "Tin đăng ngay <script>", "Nội dung <script>alert(1)</script> **đậm** <a href=\"javascript:alert(1)\" onclick=\"x()\">liên kết</a>.", "").await;

    let (status, _, body) = api(&app, &t, &format!("/api/v1/portal/articles/{scheduled}")).await;
    assert_not_found(status, &body, "scheduled for tomorrow");
    assert_eq!(app.client().get(&format!("/tin-tuc/{scheduled}")).await.status(), StatusCode::NOT_FOUND, "as on the public page");
    let slugs = listed_slugs(&app, &t).await;
    assert!(!slugs.contains(&scheduled), "scheduled: not listed");
    assert!(slugs.contains(&now), "published now: listed");

    // The body is the sanitised HTML.
    let (status, _, a) = api(&app, &t, &format!("/api/v1/portal/articles/{now}")).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    let html = a["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>đậm</strong>"), "{html}");
    assert!(!html.contains("<script") && !html.contains("javascript:") && !html.contains("onclick"), "{html}");
    assert_eq!(a["title"], "Tin đăng ngay <script>", "text fields are plain text, escaped by JSON");

    // Unpublished: gone from the API at once.
    let tinh = app.login_as("tinh").await;
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/go"), &[]).await.status(), StatusCode::SEE_OTHER);
    let (status, _, body) = api(&app, &t, &format!("/api/v1/portal/articles/{now}")).await;
    assert_not_found(status, &body, "unpublished");
    assert!(!listed_slugs(&app, &t).await.contains(&now), "unpublished: not listed");
}

// ---------------------------------------------------------------- inquiries

#[tokio::test]
async fn published_answers_never_carry_the_sender_s_details() {
    let app = TestApp::spawn(&SETUP).await;
    let t = token(&app, "xa1").await;
    let (status, list_text, list) = api(&app, &t, "/api/v1/inquiries/answers?limit=1000").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let public = inquiries::store::public_count(&app.db, &Default::default()).await.unwrap();
    assert!(public >= 3, "the demo's published answers");
    assert_eq!(list["total"], public);
    assert_eq!(items(&list).len() as i64, public);
    let mut seen = vec![list_text];
    for i in items(&list) {
        let id = i["id"].as_i64().unwrap();
        assert_eq!(i["href"], format!("/hoi-dap/{id}"));
        let (status, text, a) = api(&app, &t, &format!("/api/v1/inquiries/answers/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{a}");
        assert_eq!(a["title"], i["title"]);
        assert!(!a["question"].as_str().unwrap().is_empty() && !a["answer"].as_str().unwrap().is_empty(), "{a}");
        seen.push(text);
    }
    // The bookshelf documents an answer cites, as on its page.
    assert!(seen.iter().any(|s| s.contains("\"number\":\"31/2024/QH15\"")), "a cited document");
    // Every sender's name, e-mail address, phone number and tracking code, and the original
    // text of every question, published or not: none in any answer of the API.
    let senders: Vec<(String, String, String, String)> = kernel::with_db!(&app.db, p => kernel::sqlx::query_as("SELECT name, email, phone, code FROM inquiries").fetch_all(p).await).unwrap();
    assert!(senders.iter().any(|(n, e, p, _)| !n.is_empty() && !e.is_empty() && !p.is_empty()), "a sender with every detail");
    for (name, email, phone, code) in &senders {
        for needle in [name, email, phone, code].into_iter().filter(|s| s.len() > 3) {
            for text in &seen {
                assert!(!text.contains(needle.as_str()), "{needle} in {text}");
            }
        }
        // A sender's name finds nothing.
        if name.len() > 3 {
            let (_, _, v) = api(&app, &t, &format!("/api/v1/inquiries/answers?q={}", name.replace(' ', "%20"))).await;
            assert_eq!(v["total"], 0, "{name}");
        }
    }
    // Not published yet, or answered privately: 404, as the public page.
    let hidden: Vec<(i64,)> = kernel::with_db!(&app.db, p => kernel::sqlx::query_as("SELECT id FROM inquiries WHERE status <> 'published' OR private = TRUE").fetch_all(p).await).unwrap();
    assert!(hidden.len() >= 2);
    for (id,) in hidden {
        let (status, _, body) = api(&app, &t, &format!("/api/v1/inquiries/answers/{id}")).await;
        assert_not_found(status, &body, &format!("item {id}"));
        assert_eq!(app.client().get(&format!("/hoi-dap/{id}")).await.status(), StatusCode::NOT_FOUND);
        assert!(!items(&list).iter().any(|i| i["id"] == id));
    }
    let (status, _, body) = api(&app, &t, "/api/v1/inquiries/answers/999999999").await;
    assert_not_found(status, &body, "unknown id");
    let (status, _, body) = api(&app, &t, "/api/v1/inquiries/answers/abc").await;
    assert_eq!((status, body["param"].as_str()), (StatusCode::BAD_REQUEST, Some("id")));

    // The search without diacritics, the topic and the dialogue, as on /hoi-dap.
    let first = &items(&list)[0];
    let word = first["title"].as_str().unwrap().split_whitespace().max_by_key(|w| w.chars().count()).unwrap().to_string();
    let (_, _, v) = api(&app, &t, &format!("/api/v1/inquiries/answers?q={}", text_vi::fold(&word))).await;
    assert!(items(&v).iter().any(|i| i["id"] == first["id"]), "{word}: {v}");
    let topic = items(&list).iter().find_map(|i| i["topic_code"].as_str()).unwrap().to_string();
    let (_, _, v) = api(&app, &t, &format!("/api/v1/inquiries/answers?topic={topic}")).await;
    assert!(!items(&v).is_empty() && items(&v).iter().all(|i| i["topic_code"] == topic.as_str()), "{v}");
    let (_, _, v) = api(&app, &t, "/api/v1/inquiries/answers?topic=khong-co").await;
    assert_eq!(v["total"], 0);
    let with_dialogue = items(&list).iter().find(|i| i["dialogue_id"].is_i64()).expect("the demo's answer given at a dialogue");
    let dialogue = with_dialogue["dialogue_id"].as_i64().unwrap();
    let (_, _, v) = api(&app, &t, &format!("/api/v1/inquiries/answers?dialogue={dialogue}")).await;
    assert!(!items(&v).is_empty() && items(&v).iter().all(|i| i["dialogue_id"] == dialogue), "{v}");
    let (_, _, a) = api(&app, &t, &format!("/api/v1/inquiries/answers/{}", with_dialogue["id"])).await;
    assert_eq!(a["dialogue"]["id"], dialogue, "{a}");
    assert_eq!(a["dialogue"]["href"], format!("/hoi-dap/doi-thoai/{dialogue}"));
    let long = format!("q={}", "a".repeat(201));
    assert_rejects(&app, &t, "/api/v1/inquiries/answers", &[("dialogue=0", "dialogue"), ("dialogue=abc", "dialogue"), ("limit=0", "limit"), ("offset=x", "offset"), (long.as_str(), "q")]).await;
}

// ---------------------------------------------------------------- drafts

const DRAFT_TEXT: &str = "Điều 1. Phạm vi điều chỉnh\n1. Quy định về hòa giải ở cơ sở.\n2. Áp dụng với tổ hòa giải.\nĐiều 2. Hiệu lực\nCó hiệu lực từ ngày ký.";
const DRAFT_TITLE: &str = "Dự thảo Quyết định về hòa giải qua API";

fn day(offset: i64) -> String {
    text_vi::format_date(kernel::page::today() + Duration::days(offset))
}

/// Creates a draft as `tinh` (put out for comment when `publish`): its id.
async fn new_draft(app: &TestApp, title: &str, publish: bool) -> i64 {
    let tinh = app.login_as("tinh").await;
    let r = tinh.post("/du-thao-quan-ly/moi", &[("title", title), ("drafting_body", "Sở Tư pháp"), ("summary", "Tóm tắt dự thảo."), ("opens", &day(0)), ("closes", &day(5)), ("text", DRAFT_TEXT)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let id: i64 = location(&r).trim_start_matches("/du-thao-quan-ly/").split('?').next().unwrap().parse().unwrap();
    if publish {
        assert_eq!(tinh.post(&format!("/du-thao-quan-ly/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    }
    id
}

#[tokio::test]
async fn drafts_with_their_outline_and_the_published_table_without_names_or_addresses() {
    let app = TestApp::spawn(&SETUP).await;
    let t = token(&app, "xa1").await;
    let id = new_draft(&app, DRAFT_TITLE, true).await;
    let unpublished = new_draft(&app, "Dự thảo chưa đăng qua API", false).await;

    // Two comments: a person's (with a name and an address) on a clause, an organisation's.
    let clause = drafts::store::parts(&app.db, id).await.unwrap().into_iter().find(|p| p.label == "Khoản 2 Điều 1").unwrap().id;
    let mut citizen = app.client();
    let (_, html) = citizen.text(&format!("/du-thao/{id}")).await;
    citizen.csrf = csrf_in(&html);
    for (part, kind, name, email, body) in [
        (clause.to_string(), "person", "Đinh Thị Hoa", "Hoa.Dinh@Example.vn", "Đề nghị bổ sung tổ hòa giải ở tổ dân phố."),
        (String::new(), "organisation", "Hội Luật gia huyện", "hoiluatgia@example.vn", "Thống nhất với dự thảo."),
    ] {
        let r = citizen.post(&format!("/du-thao/{id}/gop-y"), &[("part", &part), ("kind", kind), ("name", name), ("email", email), ("body", body)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    }
    let secrets = ["Đinh Thị Hoa", "hoa.dinh@example.vn", "Hoa.Dinh@Example.vn", "hoiluatgia@example.vn"];

    // The list: the open draft, not the unpublished one; the phase filter.
    let (status, list_text, list) = api(&app, &t, "/api/v1/drafts").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let public = drafts::store::public_drafts(&app.db, kernel::page::today()).await.unwrap().len() as i64;
    assert_eq!(list["total"], public);
    let mine = items(&list).iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("{list}"));
    assert_eq!((mine["phase"].as_str(), mine["status"].as_str(), mine["open"].as_bool()), (Some("open"), Some("published"), Some(true)), "{mine}");
    assert_eq!(mine["status_label"], drafts::msg::PHASE_OPEN);
    assert_eq!(mine["href"], format!("/du-thao/{id}"));
    assert!(!items(&list).iter().any(|d| d["id"] == unpublished));
    let (status, _, body) = api(&app, &t, &format!("/api/v1/drafts/{unpublished}")).await;
    assert_not_found(status, &body, "not put out for comment");
    let (_, _, open) = api(&app, &t, "/api/v1/drafts?phase=open").await;
    assert!(items(&open).iter().any(|d| d["id"] == id) && items(&open).iter().all(|d| d["phase"] == "open"), "{open}");
    let (_, _, closed) = api(&app, &t, "/api/v1/drafts?phase=closed").await;
    assert!(!items(&closed).iter().any(|d| d["id"] == id), "{closed}");

    // One draft: its outline with the number of comments on each part; no table yet.
    let (status, open_text, d) = api(&app, &t, &format!("/api/v1/drafts/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["title"], DRAFT_TITLE);
    assert_eq!(d["summary"], "Tóm tắt dự thảo.");
    let labels: Vec<&str> = d["parts"].as_array().unwrap().iter().map(|p| p["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["Điều 1", "Khoản 1 Điều 1", "Khoản 2 Điều 1", "Điều 2"]);
    let on_clause = d["parts"].as_array().unwrap().iter().find(|p| p["id"] == clause).unwrap();
    assert_eq!(on_clause["comments"], 1);
    assert_eq!(d["whole_draft_comments"], 1);
    assert!(d["reception"].is_null(), "{d}");
    for text in [&list_text, &open_text] {
        for s in secrets {
            assert!(!text.contains(s), "{s} in {text}");
        }
        assert!(!text.contains("Đề nghị bổ sung tổ hòa giải"), "comments are public only in the published table");
    }

    // The period ends, the drafting body answers each comment and publishes the table.
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => kernel::sqlx::query("UPDATE drafts SET opens_on = $1, closes_on = $2 WHERE id = $3")
        .bind(kernel::page::today() - Duration::days(10)).bind(kernel::page::today() - Duration::days(1)).bind(id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    let tinh = app.login_as("tinh").await;
    let fields: Vec<(String, String)> = drafts::store::comments(&app.db, id).await.unwrap().iter().map(|c| (format!("response-{}", c.id), format!("Tiếp thu ý kiến số {}.", c.id))).collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(tinh.post(&format!("/du-thao-quan-ly/{id}/giai-trinh"), &fields).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(tinh.post(&format!("/du-thao-quan-ly/{id}/cong-bo"), &[]).await.status(), StatusCode::SEE_OTHER);

    let (status, text, d) = api(&app, &t, &format!("/api/v1/drafts/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!((d["status"].as_str(), d["phase"].as_str(), d["open"].as_bool()), (Some("reported"), Some("closed"), Some(false)), "{d}");
    assert_eq!(d["status_label"], drafts::msg::STATUS_REPORTED);
    let rows = d["reception"].as_array().unwrap_or_else(|| panic!("{d}"));
    assert_eq!(rows.len(), 2);
    let org = rows.iter().find(|r| r["author_kind"] == "organisation").unwrap();
    assert_eq!((org["author"].as_str(), org["part_id"].as_i64(), org["part_label"].as_str()), (Some("Hội Luật gia huyện"), None, Some(drafts::msg::WHOLE_DRAFT)));
    let person = rows.iter().find(|r| r["author_kind"] == "person").unwrap();
    assert_eq!((person["author"].as_str(), person["part_id"].as_i64(), person["part_label"].as_str()), (Some(drafts::msg::PERSON_PUBLIC), Some(clause), Some("Khoản 2 Điều 1")));
    assert_eq!(person["comment"], "Đề nghị bổ sung tổ hòa giải ở tổ dân phố.");
    assert!(person["response"].as_str().unwrap().starts_with("Tiếp thu ý kiến số"));
    let (_, list_text, closed) = api(&app, &t, "/api/v1/drafts?phase=closed").await;
    assert!(items(&closed).iter().any(|x| x["id"] == id), "{closed}");
    for text in [&text, &list_text] {
        for s in secrets {
            assert!(!text.contains(s), "{s} in {text}");
        }
        assert!(!text.contains("\"email\""), "{text}");
    }

    let (status, _, body) = api(&app, &t, "/api/v1/drafts/99999999999").await;
    assert_not_found(status, &body, "unknown id");
    let (status, _, body) = api(&app, &t, "/api/v1/drafts/1.5").await;
    assert_eq!((status, body["param"].as_str()), (StatusCode::BAD_REQUEST, Some("id")));
    assert_rejects(&app, &t, "/api/v1/drafts", &[("phase=nope", "phase"), ("phase=Open", "phase"), ("limit=-5", "limit"), ("offset=1.5", "offset")]).await;
}

// ---------------------------------------------------------------- contests

/// The contests' API with the whole server (the flows with entrants who sit, are ranked and win
/// are in `crates/contests/tests/http/api.rs`): the demo contest listed with its rounds and
/// rules and never its bank, its winners 404 until published, a certificate's check (valid,
/// revoked with only the round and contest, unknown), and a round's statistics for the
/// organiser only.
#[tokio::test]
async fn contests_over_the_api_with_the_whole_server() {
    let app = TestApp::spawn(&SETUP).await;
    let c = contests::store::published_contests(&app.db).await.unwrap().remove(0);
    let round = contests::store::rounds(&app.db, c.id).await.unwrap().remove(0);
    let t = token(&app, "xa1").await;
    let (status, _, list) = api(&app, &t, "/api/v1/contests").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let mine = items(&list).iter().find(|x| x["id"] == c.id).unwrap_or_else(|| panic!("{list}"));
    assert_eq!((mine["organiser"].as_str(), mine["status"].as_str(), mine["rounds"][0]["id"].as_i64()), (Some(c.unit_name.as_str()), Some("open"), Some(round.id)));
    let (status, text, d) = api(&app, &t, &format!("/api/v1/contests/{}", c.id)).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!((d["rounds"][0]["question_count"].as_i64(), d["rounds"][0]["winners_published"].as_bool()), (Some(round.question_count() as i64), Some(false)));
    assert!(contests::demo::SAMPLE.iter().all(|s| !text.contains(s.0) && !text.contains(s.3)), "the question bank leaked");
    let winners = format!("/api/v1/contests/{}/rounds/{}/winners", c.id, round.id);
    let (status, _, body) = api(&app, &t, &winners).await;
    assert_not_found(status, &body, "winners before publication");

    // Published once the round is over (nobody took part: no winners).
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => kernel::sqlx::query("UPDATE contest_rounds SET ends_at = $1 WHERE id = $2").bind(kernel::now() - Duration::minutes(5)).bind(round.id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    let tinh = app.login_as("tinh").await;
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", round.id), &[]).await.status(), StatusCode::SEE_OTHER);
    let (status, _, w) = api(&app, &t, &winners).await;
    assert_eq!((status, w["round_id"].as_i64(), w["items"].as_array().map(Vec::len)), (StatusCode::OK, Some(round.id), Some(0)), "{w}");

    // A certificate, checked while valid and once revoked.
    let commune = app.unit_id("05977").await;
    let mut tx = app.db.begin().await.unwrap();
    let new = contests::store::NewEntrant { contest_id: c.id, full_name: "Hà Văn Lực", birth_year: 1988, contact: "0919000009", commune_id: commune, id_hash: None };
    let entrant = contests::store::insert_entrant(&mut tx, &new).await.unwrap();
    let k = contests::store::NewCertificate { round_id: round.id, entrant_id: entrant, position: 0, prize: "", full_name: "Hà Văn Lực", commune_name: "Xã Hoàng Văn Thụ", issuer: &c.unit_name };
    let code = contests::store::put_certificate(&mut tx, &k, &contests::service::new_certificate_code(), kernel::now()).await.unwrap();
    tx.commit().await.unwrap();
    let path = format!("/api/v1/contests/certificates/{code}");
    let (status, text, k) = api(&app, &t, &path).await;
    assert_eq!(status, StatusCode::OK, "{k}");
    assert_eq!((k["status"].as_str(), k["holder_name"].as_str(), k["kind"].as_str(), k["prize"].as_str()), (Some("valid"), Some("Hà Văn Lực"), Some("participation"), None), "{k}");
    assert!(!text.contains("0919000009") && !text.contains("1988"), "{text}");
    let mut tx = app.db.begin().await.unwrap();
    contests::store::revoke_certificate_of(&mut tx, round.id, entrant, kernel::now()).await.unwrap();
    tx.commit().await.unwrap();
    let (status, text, k) = api(&app, &t, &path).await;
    assert_eq!((status, k["status"].as_str(), k["round_title"].as_str(), k["contest_title"].as_str()), (StatusCode::OK, Some("revoked"), Some(round.title.as_str()), Some(c.title.as_str())), "{k}");
    assert!(!text.contains("Hà Văn Lực") && !text.contains("Hoàng Văn Thụ"), "{text}");
    let (status, _, body) = api(&app, &t, "/api/v1/contests/certificates/ABCDEFGHJKMNPQRS").await;
    assert_not_found(status, &body, "unknown certificate");

    // Statistics: the organiser; 404 to a commune's officer, 403 without the action, 401 without a token.
    let stats = format!("/api/v1/contests/rounds/{}/statistics", round.id);
    let (status, _, s) = api(&app, &token(&app, "tinh").await, &stats).await;
    assert_eq!((status, s["round_id"].as_i64(), s["phase"].as_str()), (StatusCode::OK, Some(round.id), Some("closed")), "{s}");
    let (status, _, body) = api(&app, &t, &stats).await;
    assert_not_found(status, &body, "a commune's officer");
    let (status, _, _) = api(&app, &token(&app, "congan").await, &stats).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_rejects(&app, &t, "/api/v1/contests", &[("limit=0", "limit"), ("offset=x", "offset")]).await;
    let r = reqwest::Client::new().get(format!("{}{stats}", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
