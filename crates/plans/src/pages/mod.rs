//! The plans' pages. Each handler extracts, checks the permission against the account's scope,
//! calls the service or the store, and renders one template.

pub mod plans;
pub mod progress;
pub mod reminders;
pub mod tasks;
