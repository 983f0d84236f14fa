//! The kernel's own pages, split by domain. Each handler extracts, checks the permission against
//! the account's scope, calls the repository, and renders one template.

pub mod accounts;
pub mod agencies;
pub mod audit;
pub mod home;
pub mod notifications;
pub mod profile;
pub mod session;
pub mod system;
pub mod units;
