//! Online legal-knowledge contests (cuộc thi trực tuyến tìm hiểu pháp luật): a contest with its
//! rules as data (audience, eligible area, organiser unit), its question bank (with an XLSX and DOCX
//! import, duplicates flagged, questions frozen once a published round may draw them), rounds
//! with the draw quotas, time limit, attempt policy, prediction question, ranking keys and
//! prize bands; the public page whose rules are generated from the settings; registration
//! without an account (a one-time code through the outbox, one registration per phone or e-mail,
//! the CCCD kept only as a keyed hash); the attempt run on the server (drawn and shuffled per
//! attempt, answers saved one by one, a server-side timer with grace, one active attempt per
//! entrant); the result and the round's ranking by the configured keys. See docs/contests.md.
//!
//! Layout: `rules/` pure rules (bank and sheet, draw, timer, policy, ranking, settings), `store`
//! SQL, `writer` the group commit of answer saves, `service` use cases, `pages` the organiser's pages (`manage`) and the entrant's pages
//! (`public`) with `templates/`, `api` the JSON API (what the public pages show, and a round's live
//! statistics for organisers), `msg` the messages, `demo` an open demo contest.
//!
//! Edges: none.

use axum::Router;
use axum::routing::{get, post};
use kernel::account::Action;
use kernel::db::MigrationSet;
use kernel::page::MenuEntry;
use kernel::routes::{Access, PageRoute};
use kernel::state::AppState;

pub mod api;
pub mod demo;
pub mod export;
pub mod msg;
pub mod pages;
pub mod rules;
pub mod service;
pub mod store;
pub mod writer;

/// The contests' migrations.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "contests", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] = &[MenuEntry { action: Action::ManageContests, href: "/cuoc-thi/quan-ly", label: "Cuộc thi tìm hiểu pháp luật", key: "contests" }];

/// Its pages for citizens (no account), listed on the sign-in page.
pub const PUBLIC_LINKS: &[kernel::registry::PublicLink] = &[("/cuoc-thi", "Cuộc thi tìm hiểu pháp luật")];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/cuoc-thi", Access::Public),
    ("GET", "/cuoc-thi/{id}", Access::Public),
    ("POST", "/cuoc-thi/{id}/dang-ky", Access::Public),
    ("POST", "/cuoc-thi/{id}/nhan-ma", Access::Public),
    ("GET", "/cuoc-thi/{id}/xac-nhan", Access::Public),
    ("POST", "/cuoc-thi/{id}/xac-nhan", Access::Public),
    ("POST", "/cuoc-thi/{id}/vong/{round}/bat-dau", Access::Public),
    ("GET", "/cuoc-thi/{id}/bai/{attempt}", Access::Public),
    ("POST", "/cuoc-thi/{id}/bai/{attempt}/tra-loi", Access::Public),
    ("POST", "/cuoc-thi/{id}/bai/{attempt}/nop", Access::Public),
    ("GET", "/cuoc-thi/{id}/bai/{attempt}/ket-qua", Access::Public),
    ("GET", "/cuoc-thi/{id}/giai-thuong", Access::Public),
    ("GET", "/cuoc-thi/chung-nhan", Access::Public),
    ("GET", "/cuoc-thi/chung-nhan/{code}", Access::Public),
    ("GET", "/cuoc-thi/chung-nhan/{code}/giay-chung-nhan.pdf", Access::Public),
    ("GET", "/static/cuoc-thi.js", Access::Public),
    ("GET", "/cuoc-thi/quan-ly", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/moi", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/moi", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/mau-cau-hoi.xlsx", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/mau-cau-hoi.docx", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/{id}", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/{id}", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/{id}/cong-bo", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/{id}/nhap-cau-hoi", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/{id}/vong-moi", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/{id}/vong-moi", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/cau-hoi/{id}", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/cau-hoi/{id}", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/vong/{id}", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/vong/{id}", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/vong/{id}/cong-bo", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/{id}/the-le.docx", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/{id}/xep-hang-chung", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/{id}/giai-tap-the", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/{id}/giai-tap-the", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/{id}/so-doi-tuong", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/{id}/cong-bo-giai-tap-the", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/vong/{id}/xep-hang", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/vong/{id}/xep-hang.xlsx", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/vong/{id}/giai-thuong.xlsx", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/vong/{id}/tham-gia.xlsx", Access::Needs(Action::ManageContests)),
    ("GET", "/cuoc-thi/quan-ly/vong/{id}/bai-thi.xlsx", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/vong/{id}/loai", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/vong/{id}/bo-loai", Access::Needs(Action::ManageContests)),
    ("POST", "/cuoc-thi/quan-ly/vong/{id}/cong-bo-ket-qua", Access::Needs(Action::ManageContests)),
];

/// The contests' pages and API.
pub fn routes(state: &AppState) -> Router<AppState> {
    use pages::{manage, public};
    let upload_limit = kernel::routes::upload_limit(state);
    Router::new()
        .route("/cuoc-thi", get(public::index))
        .route("/cuoc-thi/{id}", get(public::contest))
        .route("/cuoc-thi/{id}/dang-ky", post(public::register))
        .route("/cuoc-thi/{id}/nhan-ma", post(public::resend))
        .route("/cuoc-thi/{id}/xac-nhan", get(public::verify_page).post(public::verify))
        .route("/cuoc-thi/{id}/vong/{round}/bat-dau", post(public::start))
        .route("/cuoc-thi/{id}/bai/{attempt}", get(public::attempt))
        .route("/cuoc-thi/{id}/bai/{attempt}/tra-loi", post(public::answer))
        .route("/cuoc-thi/{id}/bai/{attempt}/nop", post(public::submit))
        .route("/cuoc-thi/{id}/bai/{attempt}/ket-qua", get(public::result))
        .route("/cuoc-thi/{id}/giai-thuong", get(public::winners))
        .route("/cuoc-thi/chung-nhan", get(public::certificate_lookup))
        .route("/cuoc-thi/chung-nhan/{code}", get(public::certificate))
        .route("/cuoc-thi/chung-nhan/{code}/giay-chung-nhan.pdf", get(public::certificate_pdf))
        .route("/static/cuoc-thi.js", get(public::script))
        .route("/cuoc-thi/quan-ly", get(manage::index))
        .route("/cuoc-thi/quan-ly/moi", get(manage::new_page).post(manage::create))
        .route("/cuoc-thi/quan-ly/mau-cau-hoi.xlsx", get(manage::template_xlsx))
        .route("/cuoc-thi/quan-ly/mau-cau-hoi.docx", get(manage::template_docx))
        .route("/cuoc-thi/quan-ly/{id}", get(manage::show).post(manage::save))
        .route("/cuoc-thi/quan-ly/{id}/cong-bo", post(manage::publish))
        .route("/cuoc-thi/quan-ly/{id}/nhap-cau-hoi", post(manage::import).layer(upload_limit))
        .route("/cuoc-thi/quan-ly/{id}/vong-moi", get(manage::new_round).post(manage::create_round))
        .route("/cuoc-thi/quan-ly/cau-hoi/{id}", get(manage::question).post(manage::save_question))
        .route("/cuoc-thi/quan-ly/vong/{id}", get(manage::round).post(manage::save_round))
        .route("/cuoc-thi/quan-ly/vong/{id}/cong-bo", post(manage::publish_round))
        .route("/cuoc-thi/quan-ly/{id}/the-le.docx", get(manage::rules_docx))
        .route("/cuoc-thi/quan-ly/{id}/xep-hang-chung", get(manage::overall))
        .route("/cuoc-thi/quan-ly/{id}/giai-tap-the", get(manage::collective).post(manage::save_collective))
        .route("/cuoc-thi/quan-ly/{id}/so-doi-tuong", post(manage::save_headcounts))
        .route("/cuoc-thi/quan-ly/{id}/cong-bo-giai-tap-the", post(manage::publish_collective))
        .route("/cuoc-thi/quan-ly/vong/{id}/xep-hang", get(manage::ranking))
        .route("/cuoc-thi/quan-ly/vong/{id}/xep-hang.xlsx", get(manage::ranking_xlsx))
        .route("/cuoc-thi/quan-ly/vong/{id}/giai-thuong.xlsx", get(manage::winners_xlsx))
        .route("/cuoc-thi/quan-ly/vong/{id}/tham-gia.xlsx", get(manage::participation_xlsx))
        .route("/cuoc-thi/quan-ly/vong/{id}/bai-thi.xlsx", get(manage::attempts_xlsx))
        .route("/cuoc-thi/quan-ly/vong/{id}/loai", post(manage::exclude))
        .route("/cuoc-thi/quan-ly/vong/{id}/bo-loai", post(manage::reinstate))
        .route("/cuoc-thi/quan-ly/vong/{id}/cong-bo-ket-qua", post(manage::publish_results))
        .merge(api::router())
}
