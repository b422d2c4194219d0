//! Bearer tokens: how they are made, what their prefix says, and how they are stored (hashed).

use rand::RngCore;
use sha2::{Digest, Sha256};

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
}
