//! What is stored of a secret, never the secret: a token's hash, a password's
//! hash. Plain values here; making and checking them is [`crate::auth`]'s.

use std::fmt;

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// The SHA-256 hash of a secret token ([`crate::auth::SecretToken`]): what is
/// stored of it; equality is constant-time.
#[derive(Clone, Copy, Eq, Serialize, Deserialize)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    /// Wraps stored bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The bytes, for storage.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl PartialEq for TokenHash {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl std::hash::Hash for TokenHash {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A prefix is enough to tell records apart in logs and reveals nothing usable.
        write!(
            f,
            "TokenHash({:02x}{:02x}{:02x}{:02x}…)",
            self.0[0], self.0[1], self.0[2], self.0[3]
        )
    }
}

/// How a store finds a secret token's record: its hash, and the organization it
/// was issued for when the token names it (every token issued now does, so a
/// store distributed by organization reads one organization's shard; a token
/// issued before tokens named their organization is found by its hash alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenKey {
    /// The organization the token names, if it names one.
    pub org: Option<super::OrgId>,
    /// The hash of the whole token (the organization's part included, so a
    /// token cannot be moved to another organization).
    pub hash: TokenHash,
}

impl TokenKey {
    /// Whether a record stored under `hash` for organization `org` is the one
    /// this key finds: the same hash, and the organization the token names (if
    /// it names one).
    #[must_use]
    pub fn finds(&self, org: super::OrgId, hash: &TokenHash) -> bool {
        self.hash == *hash && self.org.is_none_or(|named| named == org)
    }
}

/// A password hash in PHC string format (`$argon2id$v=19$m=...`). Its `Debug`
/// never shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a PHC string read back from storage.
    #[must_use]
    pub fn from_phc(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string, for storage.
    #[must_use]
    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}
