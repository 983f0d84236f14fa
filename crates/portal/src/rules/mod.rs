//! Pure rules of the portal: slugs from Vietnamese titles, Markdown rendered and sanitised,
//! tags, the editorial workflow and the visibility of an article at a time. No I/O.

pub mod markdown;
pub mod slug;
pub mod tags;
pub mod when;
pub mod workflow;

pub use markdown::render;
pub use slug::{make_slug, numbered};
pub use tags::{Tag, parse_tags};
pub use workflow::{Kind, Status, Step, is_public};
