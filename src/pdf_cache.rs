//! Drawn PDFs (badge sheets, single badges, certificates) kept per version, like the agenda:
//! each entry is stored with the fingerprint of everything it was drawn from (the rows, the
//! event, the signing key, the selection), which the request computes from what it reads
//! anyway. The same inputs answer the same bytes without drawing again; any change gives
//! another fingerprint and a new drawing. Bounded in bytes (a sheet of 1,000 badges is about
//! 11 MB), least recently used first out; every instance keeps its own.

use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use bytes::Bytes;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::cache::etag_of;

/// Bytes of PDFs kept per instance.
pub const PDF_CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// One drawn PDF, what it belongs to and the fingerprint of what it was drawn from.
struct Kept {
    owner: Uuid,
    variant: String,
    version: [u8; 32],
    body: Bytes,
    etag: String,
}

/// Stripes of the locks that let one request draw a PDF while the others asking for the
/// same one wait for it (instead of all drawing it at once when it is not kept yet).
const STRIPES: usize = 64;

/// PDFs by owner (an event or a registration) and variant (which PDF, which filters), the
/// most recently used last. A few dozen entries at most: a list is enough.
pub struct PdfCache {
    capacity: u64,
    entries: Mutex<Vec<Kept>>,
    drawing: Vec<tokio::sync::Mutex<()>>,
}

impl Default for PdfCache {
    fn default() -> Self {
        PdfCache::new(PDF_CACHE_BYTES)
    }
}

impl PdfCache {
    /// A cache of at most `bytes` of PDFs; a PDF larger than that is not kept.
    pub fn new(bytes: u64) -> Self {
        PdfCache {
            capacity: bytes,
            entries: Mutex::new(Vec::new()),
            drawing: (0..STRIPES).map(|_| tokio::sync::Mutex::new(())).collect(),
        }
    }

    /// The turn to draw `(owner, variant)`: held while drawing it, so that others asking for
    /// the same PDF wait and then find it kept. Look the PDF up again once it is granted.
    pub async fn drawing(&self, owner: Uuid, variant: &str) -> tokio::sync::MutexGuard<'_, ()> {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (owner, variant).hash(&mut hasher);
        let stripe = (hasher.finish() % STRIPES as u64) as usize;
        self.drawing[stripe].lock().await
    }

    /// The PDF of `(owner, variant)` and its `ETag` (a hash of its bytes) if it was drawn
    /// from `version`.
    pub fn get_tagged(
        &self,
        owner: Uuid,
        variant: &str,
        version: &[u8; 32],
    ) -> Option<(Bytes, String)> {
        let mut entries = self.entries.lock().ok()?;
        let index = entries
            .iter()
            .position(|kept| kept.owner == owner && kept.variant == variant)?;
        if &entries[index].version != version {
            return None;
        }
        let kept = entries.remove(index);
        let found = (kept.body.clone(), kept.etag.clone());
        entries.push(kept);
        Some(found)
    }

    /// Keeps a drawn PDF, replacing older versions of the same variant and dropping the
    /// least recently used beyond the capacity; answers its `ETag`.
    pub fn put(&self, owner: Uuid, variant: String, version: [u8; 32], body: Bytes) -> String {
        let etag = etag_of(&body);
        let Ok(mut entries) = self.entries.lock() else {
            return etag;
        };
        entries.retain(|kept| !(kept.owner == owner && kept.variant == variant));
        if body.len() as u64 > self.capacity {
            return etag;
        }
        entries.push(Kept {
            owner,
            variant,
            version,
            body,
            etag: etag.clone(),
        });
        let mut total: u64 = entries.iter().map(|kept| kept.body.len() as u64).sum();
        while total > self.capacity && !entries.is_empty() {
            total -= entries.remove(0).body.len() as u64;
        }
        etag
    }
}

/// The fingerprint of what a PDF is drawn from, fed piece by piece.
#[derive(Default)]
pub struct Fingerprint(Sha256);

impl Fingerprint {
    /// Adds the debug form of a value (database rows print every column).
    pub fn add(&mut self, value: &impl std::fmt::Debug) -> &mut Self {
        self.0.update(format!("{value:?}").as_bytes());
        self.0.update([0x1f]);
        self
    }

    pub fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    /// The PDF of `(owner, variant)` if it was drawn from `version`.
    fn get(cache: &PdfCache, owner: Uuid, variant: &str, version: &[u8; 32]) -> Option<Bytes> {
        cache
            .get_tagged(owner, variant, version)
            .map(|(body, _)| body)
    }

    use super::*;

    #[test]
    fn a_version_answers_only_its_own_bytes() {
        let cache = PdfCache::new(1024);
        let owner = Uuid::now_v7();
        let mut one = Fingerprint::default();
        one.add(&"row one");
        let one = one.finish();
        let mut two = Fingerprint::default();
        two.add(&"row two");
        let two = two.finish();
        cache.put(owner, "badges".into(), one, Bytes::from_static(b"%PDF-1"));
        assert_eq!(
            get(&cache, owner, "badges", &one).as_deref(),
            Some(&b"%PDF-1"[..])
        );
        assert!(get(&cache, owner, "badges", &two).is_none());
        assert!(get(&cache, owner, "other", &one).is_none());
    }

    #[test]
    fn bounded_in_bytes_least_recently_used_first_out() {
        let cache = PdfCache::new(100);
        let owner = Uuid::now_v7();
        let version = Fingerprint::default().finish();
        cache.put(owner, "big".into(), version, Bytes::from(vec![0u8; 1000]));
        assert!(get(&cache, owner, "big", &version).is_none());
        for name in ["a", "b"] {
            cache.put(owner, name.into(), version, Bytes::from(vec![0u8; 40]));
        }
        assert!(get(&cache, owner, "a", &version).is_some());
        cache.put(owner, "c".into(), version, Bytes::from(vec![0u8; 40]));
        assert!(get(&cache, owner, "b", &version).is_none());
        assert!(get(&cache, owner, "a", &version).is_some());
        assert!(get(&cache, owner, "c", &version).is_some());
    }
}
