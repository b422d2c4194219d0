//! Secrets at rest: the token secret and the badge-signing keys, when they are kept in the
//! database, are sealed (ChaCha20-Poly1305, a random nonce each, the secret's name as
//! associated data) with a master key that is not in the database: `MASTER_KEY` (hex),
//! `MASTER_KEY_FILE`, or `DATA_DIR/master.key`, created with mode 0600 on first start. A
//! database dump or backup then yields neither delegates' tokens nor the power to forge badges.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use data_encoding::BASE64;
use rand::RngCore;

/// What a sealed value starts with (plain hex, as kept before sealing, has no prefix).
const PREFIX: &str = "sealed1:";

/// Why a secret could not be unsealed or a master key read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error(
        "the master key does not open the secrets in the database: every instance needs the \
         same MASTER_KEY or MASTER_KEY_FILE"
    )]
    WrongKey,
    #[error("a sealed secret is malformed")]
    Malformed,
    #[error("the master key {0}")]
    BadKey(String),
}

/// The key that seals secrets kept in the database.
#[derive(Clone)]
pub struct MasterKey(Key);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

impl MasterKey {
    /// A key from 64 hex characters.
    pub fn from_hex(text: &str) -> Result<Self, SealError> {
        let bytes: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| SealError::BadKey("must be 64 hex characters (32 bytes)".into()))?;
        Ok(MasterKey(Key::from(bytes)))
    }

    /// The key in `path`, creating it (32 random bytes, hex, mode 0600) when the file does
    /// not exist. Answers whether it was created.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), SealError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok((Self::from_hex(&text)?, false)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                rand::rng().fill_bytes(&mut bytes);
                write_private(path, &hex::encode(bytes))
                    .map_err(|err| SealError::BadKey(format!("cannot be created: {err}")))?;
                Ok((MasterKey(Key::from(bytes)), true))
            }
            Err(err) => Err(SealError::BadKey(format!("cannot be read: {err}"))),
        }
    }

    /// `plain` sealed for the database, bound to `name` (a sealed value cannot be moved to
    /// another secret's row).
    pub fn seal(&self, name: &str, plain: &[u8]) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = ChaCha20Poly1305::new(&self.0);
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: name.as_bytes(),
                },
            )
            // Encryption fails only for messages of gigabytes.
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{PREFIX}{}", BASE64.encode(&bytes))
    }

    /// The secret `stored` under `name`: unsealed, or decoded from the plain hex kept before
    /// sealing (the caller seals it in place).
    pub fn open(&self, name: &str, stored: &str) -> Result<Vec<u8>, SealError> {
        let Some(sealed) = stored.strip_prefix(PREFIX) else {
            return hex::decode(stored).map_err(|_| SealError::Malformed);
        };
        let bytes = BASE64
            .decode(sealed.as_bytes())
            .map_err(|_| SealError::Malformed)?;
        if bytes.len() < 12 + 16 {
            return Err(SealError::Malformed);
        }
        let (nonce, sealed) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| SealError::Malformed)?;
        ChaCha20Poly1305::new(&self.0)
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| SealError::WrongKey)
    }

    /// Whether a stored value is sealed (not plain hex from before).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

/// Writes `text` to a new file readable by its owner only.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_name() {
        let key = MasterKey::from_hex(&"11".repeat(32)).unwrap();
        let other = MasterKey::from_hex(&"22".repeat(32)).unwrap();
        let sealed = key.seal("token-derivation", b"the secret");
        assert!(MasterKey::is_sealed(&sealed));
        assert!(!sealed.contains(&hex::encode(b"the secret")));
        assert_eq!(
            key.open("token-derivation", &sealed).unwrap(),
            b"the secret"
        );
        assert_eq!(
            other.open("token-derivation", &sealed),
            Err(SealError::WrongKey)
        );
        assert_eq!(key.open("signing-key-2", &sealed), Err(SealError::WrongKey));
        // Values kept before sealing are plain hex.
        assert_eq!(key.open("x", "0a0b").unwrap(), vec![10, 11]);
        assert!(MasterKey::from_hex("short").is_err());
    }
}
