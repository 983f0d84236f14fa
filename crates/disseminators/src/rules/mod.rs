//! Pure rules of the reporters' and propagandists' registries: the versioned catalogues
//! (reporter criteria, session forms, special target groups), the Art. 35 check, the kinds and
//! statuses, and the counting behind the report prefill. No I/O here.

pub mod catalogue;
pub mod criteria;
pub mod figures;
pub mod kinds;
