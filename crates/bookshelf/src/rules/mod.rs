//! Pure rules of the legal bookshelf: the normalised key of a document number, the effective
//! status derived from dates and links, the kinds of material and link, and the shipped list
//! of special target groups. No I/O here.

pub mod catalogue;
pub mod kinds;
pub mod number;
pub mod shelf;
pub mod status;
