//! The one route table: every path, method, handler and the permission it requires.
//! `PAGE_ROUTES` mirrors the router for the permission-matrix test.

use axum::Router;
use axum::routing::{get, post};
use domain::account::Action;

use crate::state::AppState;
use crate::views::{accounts, agencies, audit, home, plans, profile, progress, reminders, reports, session, system, tasks, units};

/// Who may call a page route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account (its own data only).
    SignedIn,
    /// Accounts whose role allows the action; data is further limited to the account's scope.
    Needs(Action),
}

/// (method, path, access) for every page route.
pub const PAGE_ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", Access::Public),
    ("GET", "/metrics", Access::Public),
    ("GET", "/static/app.css", Access::Public),
    ("GET", "/dang-nhap", Access::Public),
    ("POST", "/dang-nhap", Access::Public),
    ("POST", "/dang-xuat", Access::Public),
    ("GET", "/quen-mat-khau", Access::Public),
    ("POST", "/quen-mat-khau", Access::Public),
    ("GET", "/dat-lai-mat-khau", Access::Public),
    ("POST", "/dat-lai-mat-khau", Access::Public),
    ("GET", "/doi-mat-khau", Access::SignedIn),
    ("POST", "/doi-mat-khau", Access::SignedIn),
    ("GET", "/", Access::SignedIn),
    ("GET", "/ca-nhan", Access::SignedIn),
    ("POST", "/ca-nhan", Access::SignedIn),
    ("POST", "/ca-nhan/ma-truy-cap/{id}/thu-hoi", Access::SignedIn),
    ("GET", "/don-vi", Access::Needs(Action::ViewUnits)),
    ("GET", "/don-vi/{id}", Access::Needs(Action::ViewUnits)),
    ("POST", "/don-vi/{id}/thon", Access::Needs(Action::ManageVillages)),
    ("GET", "/co-quan", Access::Needs(Action::ViewAgencies)),
    ("GET", "/co-quan/moi", Access::Needs(Action::ManageAgencies)),
    ("POST", "/co-quan/moi", Access::Needs(Action::ManageAgencies)),
    ("GET", "/co-quan/{id}", Access::Needs(Action::ViewAgencies)),
    ("POST", "/co-quan/{id}", Access::Needs(Action::ManageAgencies)),
    ("GET", "/tai-khoan", Access::Needs(Action::ViewAccounts)),
    ("GET", "/tai-khoan/moi", Access::Needs(Action::ManageAccounts)),
    ("POST", "/tai-khoan/moi", Access::Needs(Action::ManageAccounts)),
    ("GET", "/tai-khoan/{id}", Access::Needs(Action::ViewAccounts)),
    ("POST", "/tai-khoan/{id}", Access::Needs(Action::ManageAccounts)),
    ("POST", "/tai-khoan/{id}/trang-thai", Access::Needs(Action::ManageAccounts)),
    ("POST", "/tai-khoan/{id}/mat-khau", Access::Needs(Action::ManageAccounts)),
    ("GET", "/nhat-ky", Access::Needs(Action::ViewAudit)),
    ("GET", "/he-thong/hop-thu", Access::Needs(Action::ViewOutbox)),
    ("GET", "/ke-hoach", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/nhap", Access::Needs(Action::ManagePlans)),
    ("POST", "/ke-hoach/nhap", Access::Needs(Action::ManagePlans)),
    ("GET", "/ke-hoach/moi", Access::Needs(Action::ManagePlans)),
    ("POST", "/ke-hoach/moi", Access::Needs(Action::ManagePlans)),
    ("GET", "/ke-hoach/{id}", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/sua", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/sua", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/ban-hanh", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/ket-thuc", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/xoa", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/sao-chep", Access::Needs(Action::ManagePlans)),
    ("POST", "/ke-hoach/{id}/sao-chep", Access::Needs(Action::ManagePlans)),
    ("GET", "/ke-hoach/{id}/trien-khai", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/trien-khai", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/tien-do", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/tai-ve.docx", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/nhiem-vu.xlsx", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/nhiem-vu/moi", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/nhiem-vu/moi", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/don-doc", Access::Needs(Action::ManagePlans)),
    ("GET", "/nhiem-vu/{id}", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhiem-vu/{id}/cap-nhat", Access::Needs(Action::TrackTasks)),
    ("GET", "/nhiem-vu/{id}/sua", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhiem-vu/{id}/sua", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhiem-vu/{id}/xoa", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhiem-vu/{id}/don-doc", Access::Needs(Action::ManagePlans)),
    ("GET", "/tep/{id}", Access::Needs(Action::ViewPlans)),
    ("GET", "/tien-do", Access::Needs(Action::ViewPlans)),
    ("GET", "/nhac-viec", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhac-viec/cai-dat", Access::Needs(Action::ManagePlans)),
    ("POST", "/nhac-viec/chay", Access::Needs(Action::ManagePlans)),
    ("GET", "/bao-cao", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/bieu-mau", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/bieu-mau/{id}", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/bieu-mau/{id}", Access::Needs(Action::ManageReportForms)),
    ("POST", "/bao-cao/bieu-mau/{id}/sua", Access::Needs(Action::ManageReportForms)),
    ("GET", "/bao-cao/lich/moi", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/lich/moi", Access::Needs(Action::ReviewReports)),
    ("GET", "/bao-cao/lich/{id}", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/lich/{id}/lap-ky", Access::Needs(Action::ReviewReports)),
    ("GET", "/bao-cao/ky/{id}", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/ky/{id}/mo", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/ky/{id}/dong", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/ky/{id}/nhac", Access::Needs(Action::ReviewReports)),
    ("GET", "/bao-cao/ky/{id}/tong-hop.xlsx", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/ky/{id}/bao-cao.docx", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/{id}", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/{id}", Access::Needs(Action::FillReports)),
    ("POST", "/bao-cao/{id}/duyet", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/{id}/tra-lai", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/{id}/mo-khoa", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/{id}/y-kien", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/{id}/tai-ve.xlsx", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/{id}/nhap-excel", Access::Needs(Action::FillReports)),
    ("GET", "/thong-bao", Access::SignedIn),
    ("POST", "/thong-bao/da-doc", Access::SignedIn),
];

pub fn router(state: AppState) -> Router {
    let upload_limit = axum::extract::DefaultBodyLimit::max(crate::csrf::upload_limit(&state));
    Router::new()
        .route("/healthz", get(crate::app::healthz))
        .route("/metrics", get(crate::app::metrics_endpoint))
        .route("/static/app.css", get(system::stylesheet))
        .route("/dang-nhap", get(session::login_page).post(session::login_submit))
        .route("/dang-xuat", post(session::logout))
        .route("/quen-mat-khau", get(session::forgot_page).post(session::forgot_submit))
        .route("/dat-lai-mat-khau", get(session::reset_page).post(session::reset_submit))
        .route("/doi-mat-khau", get(session::change_password_page).post(session::change_password_submit))
        .route("/", get(home::dashboard))
        .route("/ca-nhan", get(profile::page).post(profile::save))
        .route("/ca-nhan/ma-truy-cap/{id}/thu-hoi", post(profile::revoke_token))
        .route("/don-vi", get(units::index))
        .route("/don-vi/{id}", get(units::show))
        .route("/don-vi/{id}/thon", post(units::create_village))
        .route("/co-quan", get(agencies::index))
        .route("/co-quan/moi", get(agencies::new_page).post(agencies::create))
        .route("/co-quan/{id}", get(agencies::edit_page).post(agencies::update))
        .route("/tai-khoan", get(accounts::index))
        .route("/tai-khoan/moi", get(accounts::new_page).post(accounts::create))
        .route("/tai-khoan/{id}", get(accounts::edit_page).post(accounts::update))
        .route("/tai-khoan/{id}/trang-thai", post(accounts::toggle_active))
        .route("/tai-khoan/{id}/mat-khau", post(accounts::temporary_password))
        .route("/nhat-ky", get(audit::index))
        .route("/he-thong/hop-thu", get(system::outbox))
        .route("/ke-hoach", get(plans::index))
        .route("/ke-hoach/nhap", get(plans::import_page).post(plans::import_submit).layer(upload_limit))
        .route("/ke-hoach/moi", get(plans::new_page).post(plans::create))
        .route("/ke-hoach/{id}", get(plans::show))
        .route("/ke-hoach/{id}/sua", get(plans::edit_page).post(plans::edit_submit))
        .route("/ke-hoach/{id}/ban-hanh", post(plans::issue))
        .route("/ke-hoach/{id}/ket-thuc", post(plans::close))
        .route("/ke-hoach/{id}/xoa", post(plans::delete))
        .route("/ke-hoach/{id}/sao-chep", get(plans::copy_page).post(plans::copy_submit))
        .route("/ke-hoach/{id}/trien-khai", get(plans::implement_page).post(plans::implement_submit))
        .route("/ke-hoach/{id}/tien-do", get(progress::plan_dashboard))
        .route("/ke-hoach/{id}/tai-ve.docx", get(progress::export_docx))
        .route("/ke-hoach/{id}/nhiem-vu.xlsx", get(progress::export_xlsx))
        .route("/ke-hoach/{id}/nhiem-vu/moi", get(tasks::new_page).post(tasks::create))
        .route("/ke-hoach/{id}/don-doc", post(reminders::remind_plan))
        .route("/nhiem-vu/{id}", get(tasks::show))
        .route("/nhiem-vu/{id}/cap-nhat", post(tasks::update).layer(upload_limit))
        .route("/nhiem-vu/{id}/sua", get(tasks::edit_page).post(tasks::edit_submit))
        .route("/nhiem-vu/{id}/xoa", post(tasks::delete))
        .route("/nhiem-vu/{id}/don-doc", post(reminders::remind_task))
        .route("/tep/{id}", get(tasks::download))
        .route("/tien-do", get(progress::unit_dashboard))
        .route("/nhac-viec", get(reminders::index))
        .route("/nhac-viec/cai-dat", post(reminders::save_settings))
        .route("/nhac-viec/chay", post(reminders::run_now))
        .route("/bao-cao", get(reports::index))
        .route("/bao-cao/bieu-mau", get(reports::forms_index))
        .route("/bao-cao/bieu-mau/{id}", get(reports::form_show).post(reports::form_save))
        .route("/bao-cao/bieu-mau/{id}/sua", post(reports::form_save_structured))
        .route("/bao-cao/lich/moi", get(reports::schedule_new).post(reports::schedule_create))
        .route("/bao-cao/lich/{id}", get(reports::schedule_show))
        .route("/bao-cao/lich/{id}/lap-ky", post(reports::schedule_generate))
        .route("/bao-cao/ky/{id}", get(reports::round_show))
        .route("/bao-cao/ky/{id}/mo", post(reports::round_open))
        .route("/bao-cao/ky/{id}/dong", post(reports::round_close))
        .route("/bao-cao/ky/{id}/nhac", post(reports::round_remind))
        .route("/bao-cao/ky/{id}/tong-hop.xlsx", get(reports::round_xlsx))
        .route("/bao-cao/ky/{id}/bao-cao.docx", get(reports::round_docx))
        .route("/bao-cao/{id}", get(reports::report_show).post(reports::report_save))
        .route("/bao-cao/{id}/duyet", post(reports::report_approve))
        .route("/bao-cao/{id}/tra-lai", post(reports::report_return))
        .route("/bao-cao/{id}/mo-khoa", post(reports::report_unlock))
        .route("/bao-cao/{id}/y-kien", post(reports::report_comment))
        .route("/bao-cao/{id}/tai-ve.xlsx", get(reports::report_xlsx))
        .route("/bao-cao/{id}/nhap-excel", post(reports::report_import).layer(upload_limit))
        .route("/thong-bao", get(reminders::notifications))
        .route("/thong-bao/da-doc", post(reminders::mark_read))
        .merge(crate::api::router())
        .fallback(system::not_found)
        .with_state(state)
}
