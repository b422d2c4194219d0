//! A small in-memory cache of rendered documents (agenda JSON, calendar feeds), each stored
//! with the event's agenda version it was rendered from. Every instance keeps its own cache;
//! the version, read from the shared database on each request, says whether an entry is
//! still current, so several instances behind a load balancer never serve stale data.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

use uuid::Uuid;

/// Entries kept before the cache is emptied (keys include user-chosen filters).
const MAX_ENTRIES: usize = 4096;

/// One rendered document.
#[derive(Debug)]
pub struct Rendered {
    pub version: i64,
    pub body: bytes::Bytes,
    /// A strong validator computed over `body`.
    pub etag: String,
}

impl Rendered {
    pub fn new(version: i64, body: Vec<u8>) -> Self {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut hasher);
        let etag = format!("\"{:016x}{:x}\"", hasher.finish(), body.len());
        Rendered {
            version,
            body: body.into(),
            etag,
        }
    }

    /// Whether an `If-None-Match` value names this document.
    pub fn matches(&self, if_none_match: Option<&str>) -> bool {
        if_none_match.is_some_and(|value| {
            value.split(',').any(|tag| {
                let tag = tag.trim();
                tag == "*" || tag == self.etag
            })
        })
    }
}

/// Rendered documents by event and variant (filters, format).
#[derive(Default)]
pub struct RenderCache {
    entries: RwLock<HashMap<(Uuid, String), Arc<Rendered>>>,
}

impl RenderCache {
    /// The entry for `(event, variant)` if it was rendered from `version`.
    pub fn get(&self, event: Uuid, variant: &str, version: i64) -> Option<Arc<Rendered>> {
        let entries = self.entries.read().ok()?;
        entries
            .get(&(event, variant.to_owned()))
            .filter(|entry| entry.version == version)
            .cloned()
    }

    /// Stores a rendering, replacing older versions of the same variant.
    pub fn put(&self, event: Uuid, variant: String, rendered: Rendered) -> Arc<Rendered> {
        let rendered = Arc::new(rendered);
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert((event, variant), rendered.clone());
        }
        rendered
    }
}
