//! Pure rules of search: how text is cut into words and keyed, how a query is read, the
//! effective status of a legal document from its dates, and how the change log is followed.
//! No I/O.

pub mod analyze;
pub mod catchup;
pub mod query;
pub mod status;
