//! PDF documents (placeholder until the krilla module lands).
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("not built yet")]
    NotYet,
}

pub struct AgendaDocument {
    pub language: String,
    pub title: String,
    pub subtitle: String,
    pub days: Vec<AgendaDay>,
    pub footer: String,
}
pub struct AgendaDay {
    pub heading: String,
    pub items: Vec<AgendaItem>,
}
pub struct AgendaItem {
    pub time: String,
    pub title: String,
    pub details: Vec<String>,
    pub note: Option<String>,
}
pub fn badge_sheets(
    _b: &[String],
    _f: Arc<resvg::usvg::fontdb::Database>,
) -> Result<Vec<u8>, PrintError> {
    Err(PrintError::NotYet)
}
pub fn single_badge(
    _b: &str,
    _f: Arc<resvg::usvg::fontdb::Database>,
) -> Result<Vec<u8>, PrintError> {
    Err(PrintError::NotYet)
}
pub fn agenda(_d: &AgendaDocument) -> Result<Vec<u8>, PrintError> {
    Err(PrintError::NotYet)
}
