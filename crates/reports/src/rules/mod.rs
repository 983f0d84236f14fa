//! Report forms (biểu mẫu báo cáo thống kê): versioned form data, validation of figures,
//! computed indicators, upward aggregation, reporting periods, deadlines and the report
//! workflow. Pure: no I/O. See `docs/report-forms.md`.

pub mod form;
pub use crate::msg as msg;
pub mod period;
pub mod rollup;
pub mod state;
pub mod values;

pub use form::{
    Aggregation, CatalogueError, DEFAULT_MAX_AMOUNT_VND, DEFAULT_MAX_COUNT, Certainty, Dimension, FillerLevel, FormCatalogue, Formula,
    Indicator, IndicatorKind, Member, ReportForm, Rule, Section, Source,
};
pub use period::{
    DateRule, DeadlineRule, DeadlineRules, Period, PeriodError, PeriodKind, cutoff, deadline,
    is_late, period_containing,
};
pub use rollup::{Lock, RoundStatus, Timeliness, lock, rollup_delta, timeliness};
pub use state::{ReportEvent, ReportState, TransitionError};
pub use values::{
    ValidationError, Value, ValueKey, Values, aggregate, aggregate_approved, compute, validate,
};
