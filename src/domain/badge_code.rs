//! Badge codes: what the QR code on a badge says. A code is `D1` followed by uppercase
//! base32 (no padding) of a small binary payload and its Ed25519 signature:
//!
//! `version (1) | key id (1) | event tag (4) | registration id (16) | signature (64)`
//!
//! The event tag is the first four bytes of the SHA-256 of the event id, enough for an
//! offline scanner to tell another event's badge. No personal data is in the code. Uppercase
//! base32 keeps the QR in alphanumeric mode: 140 characters fit version 6 at level M.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The text every code starts with.
pub const PREFIX: &str = "D1";
const VERSION: u8 = 1;
const PAYLOAD_LEN: usize = 22;
const CODE_LEN: usize = PAYLOAD_LEN + 64;
/// Signatures cover this context too, so they mean nothing elsewhere.
const CONTEXT: &[u8] = b"dialogue-badge-v1";

/// What a valid code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadgeClaims {
    pub kid: u8,
    pub event_tag: [u8; 4],
    pub registration_id: Uuid,
}

/// Why a scanned text is not a valid code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeRejected {
    #[error("not a Dialogue badge code")]
    Malformed,
    #[error("signed with an unknown key")]
    UnknownKey,
    #[error("the signature does not match")]
    BadSignature,
}

/// The tag of an event inside codes.
pub fn event_tag(event_id: Uuid) -> [u8; 4] {
    let digest = Sha256::digest(event_id.as_bytes());
    [digest[0], digest[1], digest[2], digest[3]]
}

/// How a kind of signed code is written: its prefix, version byte, payload length (version
/// and key id included) and the context its signatures cover. Badge codes and certificate
/// codes differ only in these.
pub(crate) struct Layout {
    pub prefix: &'static str,
    pub version: u8,
    pub payload_len: usize,
    pub context: &'static [u8],
}

impl Layout {
    fn signed_message(&self, payload: &[u8]) -> Vec<u8> {
        [self.context, payload].concat()
    }

    /// The code of `payload` (which starts with the version and the key id).
    pub(crate) fn sign(&self, key: &SigningKey, mut payload: Vec<u8>) -> String {
        let signature = key.sign(&self.signed_message(&payload));
        payload.extend_from_slice(&signature.to_bytes());
        format!(
            "{}{}",
            self.prefix,
            data_encoding::BASE32_NOPAD.encode(&payload)
        )
    }

    /// The payload of a genuine code; `key_of` finds the public key of a key id.
    pub(crate) fn open(
        &self,
        text: &str,
        key_of: impl Fn(u8) -> Option<VerifyingKey>,
    ) -> Result<Vec<u8>, CodeRejected> {
        let text = text.trim();
        if text.len() > 200 {
            return Err(CodeRejected::Malformed);
        }
        let body = text
            .strip_prefix(self.prefix)
            .ok_or(CodeRejected::Malformed)?;
        let mut bytes = data_encoding::BASE32_NOPAD
            .decode(body.as_bytes())
            .map_err(|_| CodeRejected::Malformed)?;
        if bytes.len() != self.payload_len + 64 || bytes[0] != self.version {
            return Err(CodeRejected::Malformed);
        }
        let signature = bytes.split_off(self.payload_len);
        let key = key_of(bytes[1]).ok_or(CodeRejected::UnknownKey)?;
        let signature = Signature::from_slice(&signature).map_err(|_| CodeRejected::Malformed)?;
        key.verify(&self.signed_message(&bytes), &signature)
            .map_err(|_| CodeRejected::BadSignature)?;
        Ok(bytes)
    }
}

const BADGE: Layout = Layout {
    prefix: PREFIX,
    version: VERSION,
    payload_len: PAYLOAD_LEN,
    context: CONTEXT,
};

/// The code of a registration, signed with key `kid`.
pub fn issue(key: &SigningKey, kid: u8, event_id: Uuid, registration_id: Uuid) -> String {
    let mut bytes = Vec::with_capacity(CODE_LEN);
    bytes.push(VERSION);
    bytes.push(kid);
    bytes.extend_from_slice(&event_tag(event_id));
    bytes.extend_from_slice(registration_id.as_bytes());
    BADGE.sign(key, bytes)
}

/// Reads and verifies a scanned text; `key_of` finds the public key of a key id.
pub fn verify(
    scanned: &str,
    key_of: impl Fn(u8) -> Option<VerifyingKey>,
) -> Result<BadgeClaims, CodeRejected> {
    let payload = BADGE.open(scanned, key_of)?;
    let mut tag = [0u8; 4];
    tag.copy_from_slice(&payload[2..6]);
    let registration_id = Uuid::from_slice(&payload[6..22]).map_err(|_| CodeRejected::Malformed)?;
    Ok(BadgeClaims {
        kid: payload[1],
        event_tag: tag,
        registration_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn codes_round_trip_and_stay_small() {
        let (event, registration) = (Uuid::now_v7(), Uuid::now_v7());
        let code = issue(&key(7), 1, event, registration);
        assert_eq!(code.len(), 140);
        assert!(
            code.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        let claims = verify(&code, |kid| (kid == 1).then(|| key(7).verifying_key())).unwrap();
        assert_eq!(claims.registration_id, registration);
        assert_eq!(claims.event_tag, event_tag(event));
    }

    #[test]
    fn forgeries_are_refused() {
        let code = issue(&key(7), 1, Uuid::now_v7(), Uuid::now_v7());
        let keys = |kid: u8| (kid == 1).then(|| key(7).verifying_key());
        let mut changed = code.clone().into_bytes();
        changed[30] = if changed[30] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(changed).unwrap();
        assert!(verify(&changed, keys).is_err());
        let other_key = issue(&key(8), 1, Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(verify(&other_key, keys), Err(CodeRejected::BadSignature));
        let unknown_kid = issue(&key(7), 2, Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(verify(&unknown_kid, keys), Err(CodeRejected::UnknownKey));
        for garbage in ["", "D1", "hello", &"A".repeat(10_000)] {
            assert_eq!(verify(garbage, keys), Err(CodeRejected::Malformed));
        }
    }
}
