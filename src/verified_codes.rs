//! Badge codes this instance has already verified. A signing key never changes once created
//! (key ids only grow), so a code whose Ed25519 signature passed once passes for as long as
//! its key is not retired (a remembered code is accepted only while its key is known): re-scans (every exit and re-entry, every day, every room door) skip the
//! signature check, the costliest step of a scan (about 35 µs of CPU). Only genuine codes
//! are kept, keyed by their exact text, in a bounded cache; refusals are always checked again.

use ed25519_dalek::VerifyingKey;
use quick_cache::sync::Cache;

use crate::domain::badge_code::{self, BadgeClaims, CodeRejected};

/// Genuine codes kept: about 200 bytes each, so at most ~13 MB; more than the badges of the
/// largest event this service runs.
const CAPACITY: usize = 65_536;

/// Codes that passed verification, with what they say.
pub struct VerifiedCodes {
    genuine: Cache<String, BadgeClaims>,
}

impl Default for VerifiedCodes {
    fn default() -> Self {
        VerifiedCodes::with_capacity(CAPACITY)
    }
}

impl VerifiedCodes {
    /// A cache keeping up to `capacity` codes.
    pub fn with_capacity(capacity: usize) -> Self {
        VerifiedCodes {
            genuine: Cache::new(capacity),
        }
    }

    /// Forgets every code (a key was retired: its codes must be checked, and refused, again).
    pub fn forget_all(&self) {
        self.genuine.clear();
    }

    /// Reads and verifies a scanned text exactly as [`badge_code::verify`] does, from memory
    /// when this very code passed before.
    pub fn verify(
        &self,
        scanned: &str,
        key_of: impl Fn(u8) -> Option<VerifyingKey>,
    ) -> Result<BadgeClaims, CodeRejected> {
        let text = scanned.trim();
        if let Some(claims) = self.genuine.get(text) {
            // A key retired since is not trusted from memory either.
            if key_of(claims.kid).is_some() {
                return Ok(claims);
            }
            self.genuine.remove(text);
        }
        let claims = badge_code::verify(text, key_of)?;
        self.genuine.insert(text.to_owned(), claims);
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use ed25519_dalek::SigningKey;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_code_that_passed_is_not_checked_again_and_forgeries_still_are() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let registration = Uuid::now_v7();
        let code = badge_code::issue(&key, 1, Uuid::now_v7(), registration);
        let lookups = Cell::new(0);
        let key_of = |kid: u8| {
            lookups.set(lookups.get() + 1);
            (kid == 1).then(|| key.verifying_key())
        };
        let codes = VerifiedCodes::with_capacity(16);

        let first = codes.verify(&code, key_of).map(|c| c.registration_id);
        assert_eq!(first, Ok(registration));
        assert_eq!(lookups.get(), 1);
        // A re-scan is answered from memory: a key that could not verify the signature is
        // only asked whether key 1 still exists.
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        let again = codes.verify(&format!(" {code}\n"), |kid| (kid == 1).then_some(other));
        assert_eq!(
            again.map(|c| c.registration_id),
            Ok(registration),
            "a re-scan must not verify the signature again"
        );
        // Once key 1 is retired, the remembered code is refused too.
        assert!(codes.verify(&code, |_| None).is_err());

        let mut forged = code.clone().into_bytes();
        forged[30] = if forged[30] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap_or_default();
        for _ in 0..2 {
            assert!(codes.verify(&forged, key_of).is_err());
        }
        assert_eq!(lookups.get(), 3, "a refused code is checked every time");
        assert_eq!(
            codes.verify(&code, key_of).map(|c| c.registration_id),
            Ok(registration)
        );
    }
}
