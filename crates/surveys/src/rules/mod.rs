//! Pure survey rules: the questionnaire (definition, questions, show-conditions), answer
//! validation, result tallies, export columns and cells, the proof-of-work check, the abuse
//! limits and the shipped templates. Nothing here touches a database, a socket or a file.

pub mod answers;
pub mod definition;
pub mod export;
pub mod limits;
pub mod pow;
pub mod tally;
pub mod template;

pub use answers::{Answer, Answers, RawAnswers, validate};
pub use definition::{Condition, Definition, Question, QuestionKind, SATISFACTION_LEVELS, SATISFIED_LEVELS};
pub use tally::{Tallies, Tally};
