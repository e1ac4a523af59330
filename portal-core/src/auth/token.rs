//! Random secret tokens (invitation, reset, session) and their stored hashes.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::domain::{ContactId, OrgId, TokenHash, TokenId};

/// Bytes of randomness in every token (256 bits).
const TOKEN_BYTES: usize = 32;

/// A secret token as handed to a person (in a link or a cookie). Only its hash is
/// ever stored. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

/// The operating system's random source failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the system random source failed: {0}")]
pub struct RandomError(String);

impl SecretToken {
    /// 256 random bits from the operating system's CSPRNG, base64url-encoded.
    ///
    /// # Errors
    /// [`RandomError`] if the random source fails.
    pub fn generate() -> Result<Self, RandomError> {
        let mut bytes = [0_u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| RandomError(e.to_string()))?;
        Ok(Self(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Wraps a token received from a person (it is only ever hashed and looked up).
    #[must_use]
    pub fn from_text(text: &str) -> Self {
        Self(text.trim().to_owned())
    }

    /// The token text, to put in a link or a cookie.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The SHA-256 hash under which the token is stored.
    #[must_use]
    pub fn hash(&self) -> TokenHash {
        TokenHash::from_bytes(Sha256::digest(self.0.as_bytes()).into())
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(<redacted>)")
    }
}

/// What a single-use token is for; a token of one purpose never works for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPurpose {
    /// Accept a portal invitation.
    Invitation,
    /// Reset a forgotten password.
    PasswordReset,
}

impl TokenPurpose {
    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::PasswordReset => "password_reset",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        match text {
            "invitation" => Some(TokenPurpose::Invitation),
            "password_reset" => Some(TokenPurpose::PasswordReset),
            _ => None,
        }
    }
}

/// A stored single-use token: invitation or password reset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// Identifier.
    pub id: TokenId,
    /// The organization.
    pub org: OrgId,
    /// The contact it lets in.
    pub contact: ContactId,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// The hash of the secret.
    pub hash: TokenHash,
    /// When it was issued.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}

impl AccessToken {
    /// Whether it can still be redeemed for `purpose` at `now`.
    #[must_use]
    pub fn usable_for(&self, purpose: TokenPurpose, now: OffsetDateTime) -> bool {
        self.purpose == purpose && now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    proptest! {
        #[test]
        fn any_batch_of_tokens_is_unique_and_hashes_apart(n in 1_usize..300) {
            let tokens: Vec<SecretToken> = (0..n).map(|_| SecretToken::generate().expect("random")).collect();
            let texts: HashSet<&str> = tokens.iter().map(SecretToken::expose).collect();
            let hashes: HashSet<[u8; 32]> = tokens.iter().map(|t| *t.hash().as_bytes()).collect();
            prop_assert_eq!(texts.len(), n);
            prop_assert_eq!(hashes.len(), n);
            prop_assert!(tokens.iter().all(|t| t.expose().len() == 43));
        }
    }

    #[test]
    fn tokens_have_256_bits_and_are_unique() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let t = SecretToken::generate().expect("random");
            assert_eq!(URL_SAFE_NO_PAD.decode(t.expose()).expect("b64").len(), 32);
            assert!(seen.insert(t.expose().to_owned()), "duplicate token");
        }
    }

    #[test]
    fn hash_is_stable_and_debug_redacts() {
        let t = SecretToken::generate().expect("random");
        assert_eq!(t.hash(), SecretToken::from_text(t.expose()).hash());
        assert_ne!(t.hash(), SecretToken::generate().expect("random").hash());
        assert!(!format!("{t:?}").contains(t.expose()));
    }
}
