//! The plans' SQL, for both databases: plans with their outline, and tasks with their agencies,
//! updates and figures.

pub mod home;
pub mod plans;
pub mod tasks;
