//! Agencies (cơ quan, đơn vị, tổ chức): the built-in catalogue of agency kinds and groups, and the
//! matcher that recognises agency names as plans write them.
//!
//! Plans name lead and coordinating agencies in free text: "Sở Tư pháp chủ trì, phối hợp với Sở
//! Văn hóa, Thể thao và Du lịch; UBND các huyện, thị xã, thành phố". [`AgencyMatcher`] turns such
//! text into keys:
//!
//! - [`AgencyMatcher::match_name`] recognises one name ("Giám đốc Sở Tư pháp tỉnh Bình Phước" →
//!   `kind:justice_department`) and refuses anything else (a sentence, a date, a heading).
//! - [`AgencyMatcher::match_list`] splits a field into names, keeping commas that belong to a name.
//!
//! Matching works on NFC text, folds case, diacritics (đ→d) and tone placement (hoà = hòa), ignores
//! punctuation and "và", expands the usual abbreviations (UBND, HĐND, MTTQ, PBGDPL, BCH, QS, BĐBP…),
//! drops leading "các", role words ("Thủ trưởng", "Giám đốc", "Chủ tịch") and "phối hợp với", and
//! removes a place after the name ("tỉnh Bình Phước", "huyện Sơn Động", "xã An Châu") when the level
//! word fits the entry.
//!
//! The catalogue ([`AgencyCatalogue::builtin`]) lives in `data/agency_catalogue.toml`. The database
//! can feed real agencies with [`AgencyMatcher::new`] and [`MatchEntry`].
//!
//! ```
//! use kernel::agency::{AgencyMatcher, MatchHow};
//!
//! let matcher = AgencyMatcher::builtin().map_err(|e| e.to_string())?;
//! let m = matcher.match_name("Sở Tư pháp tỉnh Bình Phước");
//! assert_eq!(m.key(), Some("kind:justice_department"));
//! assert_eq!(m.how(), Some(MatchHow::StrippedPlace));
//! let keys: Vec<_> = matcher
//!     .match_list("Sở Văn hóa, Thể thao và Du lịch, Công an tỉnh; UBND các xã, thị trấn")
//!     .iter()
//!     .filter_map(|m| m.key().map(str::to_string))
//!     .collect();
//! assert_eq!(keys, ["kind:culture_sports_tourism_department", "kind:provincial_police", "group:commune_people_committees"]);
//! assert!(!matcher.match_name("Tổ chức các hoạt động hưởng ứng Ngày Pháp luật").is_matched());
//! # Ok::<(), String>(())
//! ```

mod catalogue;
mod matcher;
mod normalize;

pub use catalogue::{AgencyCatalogue, AgencyGroup, AgencyKind, AgencyLevel, CatalogueError};
pub use matcher::{AgencyMatch, AgencyMatcher, EntryKind, MatchEntry, MatchHow};

#[cfg(test)]
mod tests;
