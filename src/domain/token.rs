//! Bearer tokens: how they are made, what their prefix says, and how they are stored (hashed).

use rand::RngCore;
use sha2::{Digest, Sha256};

/// Longest label of an organizer or check-in token (one line: who or which device holds it).
pub const LABEL_MAX: usize = 100;

/// Which table a presented token is looked up in, told by its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Organizer,
    Checkin,
    Manage,
    Calendar,
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            TokenKind::Organizer => "dlg_org_",
            TokenKind::Checkin => "dlg_chk_",
            TokenKind::Manage => "dlg_reg_",
            TokenKind::Calendar => "dlg_cal_",
        }
    }

    const ALL: [TokenKind; 4] = [
        TokenKind::Organizer,
        TokenKind::Checkin,
        TokenKind::Manage,
        TokenKind::Calendar,
    ];
}

/// A new random token of a kind: its prefix and 160 random bits in lowercase base32.
pub fn generate(kind: TokenKind) -> String {
    let mut secret = [0u8; 20];
    rand::rng().fill_bytes(&mut secret);
    let body = data_encoding::BASE32_NOPAD
        .encode(&secret)
        .to_ascii_lowercase();
    format!("{}{body}", kind.prefix())
}

/// A token derived from a server secret: the same inputs always give the same token, so a
/// replayed request can be answered with the token it first received, while only the hash is
/// stored. `purpose` separates kinds (manage, calendar); `generation` allows rotation.
pub fn derive(secret: &[u8], kind: TokenKind, subject: uuid::Uuid, generation: i32) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return generate(kind),
    };
    mac.update(kind.prefix().as_bytes());
    mac.update(subject.as_bytes());
    mac.update(&generation.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let body = data_encoding::BASE32_NOPAD
        .encode(&digest[..20])
        .to_ascii_lowercase();
    format!("{}{body}", kind.prefix())
}

/// Compares two tokens in constant time.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The kind a presented token claims to be, if any.
pub fn kind_of(token: &str) -> Option<TokenKind> {
    TokenKind::ALL
        .into_iter()
        .find(|kind| token.starts_with(kind.prefix()))
}

/// What is stored instead of the token: its SHA-256 in hex. Tokens are long and random,
/// so a fast hash is enough; nothing stored can be turned back into a token.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_and_typed() {
        let a = generate(TokenKind::Organizer);
        let b = generate(TokenKind::Organizer);
        assert_ne!(a, b);
        assert_eq!(kind_of(&a), Some(TokenKind::Organizer));
        assert_eq!(kind_of("Bearer nonsense"), None);
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
    }

    #[test]
    fn derived_tokens_are_stable_and_separate() {
        let id = uuid::Uuid::now_v7();
        let a = derive(b"secret", TokenKind::Manage, id, 0);
        assert_eq!(a, derive(b"secret", TokenKind::Manage, id, 0));
        assert_ne!(a, derive(b"other", TokenKind::Manage, id, 0));
        assert_ne!(
            derive(b"secret", TokenKind::Calendar, id, 0),
            derive(b"secret", TokenKind::Calendar, id, 1)
        );
        assert_eq!(kind_of(&a), Some(TokenKind::Manage));
        assert!(same(&a, &a.clone()) && !same(&a, "x"));
    }
}
