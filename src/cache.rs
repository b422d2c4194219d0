//! A small in-memory cache of rendered documents (agenda JSON, calendar feeds), each stored
//! with the event's agenda version it was rendered from. Every instance keeps its own cache;
//! the version, read from the shared database on each request, says whether an entry is
//! still current, so several instances behind a load balancer never serve stale data.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

use uuid::Uuid;

use entities::events;

use crate::domain::categories::Categories;

/// Entries kept before the cache is emptied (keys include user-chosen filters).
const MAX_ENTRIES: usize = 4096;

/// One rendered document, kept plain and gzip-compressed (compressed once, served many times).
#[derive(Debug)]
pub struct Rendered {
    pub version: i64,
    pub body: bytes::Bytes,
    pub gzip: bytes::Bytes,
    /// A strong validator computed over `body`.
    pub etag: String,
}

impl Rendered {
    pub fn new(version: i64, body: Vec<u8>) -> Self {
        let etag = etag_of(&body);
        let gzip = gzip(&body);
        Rendered {
            version,
            body: body.into(),
            gzip: gzip.into(),
            etag,
        }
    }

    /// The ETag of the gzip variant (a different representation needs its own tag).
    pub fn gzip_etag(&self) -> String {
        format!("{}-gz\"", self.etag.trim_end_matches('"'))
    }

    /// Whether an `If-None-Match` value names this document (weak comparison, RFC 9110
    /// §13.1.2: a `W/` prefix added by a compressing proxy still matches).
    pub fn matches(&self, if_none_match: Option<&str>) -> bool {
        names(if_none_match, &self.etag) || names(if_none_match, &self.gzip_etag())
    }
}

/// A strong `ETag` of a body: a hash of its bytes and its length.
pub fn etag_of(body: &[u8]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}{:x}\"", hasher.finish(), body.len())
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, RFC 9110 §13.1.2: a `W/`
/// prefix added by a compressing proxy still matches).
pub fn names(if_none_match: Option<&str>, etag: &str) -> bool {
    if_none_match.is_some_and(|value| {
        value.split(',').any(|tag| {
            let tag = tag.trim();
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            tag == "*" || tag == etag
        })
    })
}

impl Rendered {
    /// Whether the client holds this document already: its tag in `If-None-Match`, or,
    /// without one, an `If-Modified-Since` not before `modified` (RFC 9110 §13.2.2).
    pub fn unchanged_for(
        &self,
        modified: chrono::DateTime<chrono::Utc>,
        if_none_match: Option<&str>,
        if_modified_since: Option<&str>,
    ) -> bool {
        match (if_none_match, if_modified_since) {
            (Some(tags), _) => self.matches(Some(tags)),
            (None, Some(since)) => chrono::DateTime::parse_from_rfc2822(since)
                .is_ok_and(|since| modified.timestamp() <= since.timestamp()),
            (None, None) => false,
        }
    }
}

/// An HTTP date (`Last-Modified`).
pub fn http_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// What to answer a request for a rendered document.
pub struct Answer {
    /// The validator of the representation chosen (plain or gzip).
    pub etag: String,
    /// The body to send; `None` when the client has it already (304).
    pub body: Option<bytes::Bytes>,
    /// Whether `body` is gzip-compressed.
    pub gzip: bool,
}

impl Rendered {
    /// The answer to a request with these `Accept-Encoding` and `If-None-Match` headers.
    pub fn answer(&self, accept_encoding: Option<&str>, if_none_match: Option<&str>) -> Answer {
        let gzip = accepts_gzip(accept_encoding);
        let etag = if gzip {
            self.gzip_etag()
        } else {
            self.etag.clone()
        };
        let body = if self.matches(if_none_match) {
            None
        } else if gzip {
            Some(self.gzip.clone())
        } else {
            Some(self.body.clone())
        };
        Answer { etag, body, gzip }
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

/// Events by the reference a client used (id or slug), so the hot paths (agenda, feeds and
/// their 304s, registration, check-in) need no database round trip to find the event. Seat
/// counters in a cached row are never used: seats are decided in the database. An entry is trusted
/// only while the cache is `live`: on SQLite always (every write goes through this process),
/// on PostgreSQL while this instance listens for the other instances' change notifications.
/// Every change empties it; a reader may only store what it read if no change happened since
/// it started reading (the generation check), so a stale head can never be put back.
#[derive(Default)]
pub struct HeadCache {
    generation: std::sync::atomic::AtomicU64,
    live: std::sync::atomic::AtomicBool,
    entries: RwLock<HashMap<String, Arc<events::Model>>>,
    /// The categories of events by id, trusted and emptied with the heads.
    categories: RwLock<HashMap<Uuid, Arc<Categories>>>,
}

impl HeadCache {
    /// The cached categories of `event`, when the cache may be trusted.
    pub fn categories(&self, event: Uuid) -> Option<Arc<Categories>> {
        if !self.live.load(std::sync::atomic::Ordering::Acquire) {
            return None;
        }
        self.categories.read().ok()?.get(&event).cloned()
    }

    /// Stores categories read from the database, unless something changed since
    /// `generation`.
    pub fn put_categories_if(&self, event: Uuid, categories: Arc<Categories>, generation: u64) {
        if let Ok(mut entries) = self.categories.write()
            && self.generation() == generation
        {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(event, categories);
        }
    }

    /// The cached head for `reference`, when the cache may be trusted.
    pub fn get(&self, reference: &str) -> Option<Arc<events::Model>> {
        if !self.live.load(std::sync::atomic::Ordering::Acquire) {
            return None;
        }
        self.entries.read().ok()?.get(reference).cloned()
    }

    /// The generation to pass to [`HeadCache::put_if`]; read it before the database.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Stores a head read from the database, unless something changed since `generation`.
    pub fn put_if(&self, reference: &str, event: Arc<events::Model>, generation: u64) {
        if let Ok(mut entries) = self.entries.write()
            && self.generation() == generation
        {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(reference.to_owned(), event);
        }
    }

    /// Forgets everything: some agenda data changed.
    pub fn invalidate(&self) {
        if let Ok(mut entries) = self.entries.write() {
            self.generation
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            entries.clear();
        }
        if let Ok(mut categories) = self.categories.write() {
            categories.clear();
        }
    }

    /// Whether entries may be trusted (see the type's documentation).
    pub fn set_live(&self, live: bool) {
        self.live.store(live, std::sync::atomic::Ordering::Release);
    }
}

/// Whether an `Accept-Encoding` value accepts gzip.
pub fn accepts_gzip(accept_encoding: Option<&str>) -> bool {
    accept_encoding.is_some_and(|value| {
        value.split(',').any(|part| {
            let mut pieces = part.split(';');
            let coding = pieces.next().unwrap_or("").trim();
            let refused =
                pieces.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
    })
}

fn gzip(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(body)
        .and_then(|()| encoder.finish())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_match_strong_weak_and_gzip_forms() {
        let rendered = Rendered::new(1, b"{}".to_vec());
        assert!(rendered.matches(Some(&rendered.etag)));
        assert!(rendered.matches(Some(&format!("W/{}", rendered.etag))));
        assert!(rendered.matches(Some(&format!("\"x\", {}", rendered.gzip_etag()))));
        assert!(!rendered.matches(Some("\"other\"")));
        assert!(!rendered.gzip.is_empty());
    }

    #[test]
    fn gzip_negotiation() {
        assert!(accepts_gzip(Some("gzip, deflate, br")));
        assert!(accepts_gzip(Some("br;q=1.0, gzip;q=0.8")));
        assert!(!accepts_gzip(Some("gzip;q=0")));
        assert!(!accepts_gzip(Some("identity")));
        assert!(!accepts_gzip(None));
    }
}
