//! Error type shared by the generators.

use std::error::Error as StdError;

/// A document could not be built; displays a Vietnamese message.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Building or zipping the Word document failed.
    #[error("Không tạo được tệp Word: {0}")]
    Docx(#[source] Box<dyn StdError + Send + Sync>),
    /// Building the Excel workbook failed.
    #[error("Không tạo được tệp Excel: {0}")]
    Xlsx(#[source] Box<dyn StdError + Send + Sync>),
}

impl ExportError {
    pub(crate) fn docx(e: impl StdError + Send + Sync + 'static) -> Self {
        Self::Docx(Box::new(e))
    }

    pub(crate) fn xlsx(e: impl StdError + Send + Sync + 'static) -> Self {
        Self::Xlsx(Box::new(e))
    }
}
