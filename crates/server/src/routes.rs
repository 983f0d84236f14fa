//! The assembled route tables of every capability, for the permission-matrix tests.

use kernel::routes::{ApiRoute, PageRoute};

/// Every page route: the kernel's, then each capability's.
pub fn page_routes() -> Vec<PageRoute> {
    [kernel::routes::PAGE_ROUTES, plans::PAGE_ROUTES, reports::PAGE_ROUTES, legal_access::PAGE_ROUTES, surveys::PAGE_ROUTES, mediation::PAGE_ROUTES, disseminators::PAGE_ROUTES, bookshelf::PAGE_ROUTES, portal::PAGE_ROUTES, inquiries::PAGE_ROUTES, contests::PAGE_ROUTES, drafts::PAGE_ROUTES, search::PAGE_ROUTES].concat()
}

/// Every API route.
pub fn api_routes() -> Vec<ApiRoute> {
    [crate::api::SERVER_API_ROUTES, kernel::api::API_ROUTES, reports::api::API_ROUTES, legal_access::api::API_ROUTES, surveys::api::API_ROUTES, mediation::api::API_ROUTES, disseminators::api::API_ROUTES, bookshelf::api::API_ROUTES, portal::api::API_ROUTES, inquiries::api::API_ROUTES, contests::api::API_ROUTES, drafts::api::API_ROUTES, search::api::API_ROUTES].concat()
}
