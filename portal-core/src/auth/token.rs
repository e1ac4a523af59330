//! Random secret tokens (invitation, reset, session) and their stored hashes.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::domain::{ContactId, OrgId, TokenHash, TokenId, TokenKey};

/// Bytes of randomness in every token (256 bits).
const TOKEN_BYTES: usize = 32;

/// A secret token as handed to a person (in a link or a cookie). Only its hash is
/// ever stored. Its `Debug` never shows it.
///
/// A token issued for an organization ([`Self::generate_for`]) names it: the
/// organization's id (22 characters of base64url), a dot, then the 256 random
/// bits (43 characters). The store finds it within that organization, which is
/// one shard of a store distributed by organization; the hash covers both parts,
/// so the secret does not open anything under another organization's name.
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

    /// 256 random bits as [`Self::generate`] makes them, naming the organization
    /// `org` they are issued for (sessions, invitations, resets, document links).
    ///
    /// # Errors
    /// [`RandomError`] if the random source fails.
    pub fn generate_for(org: OrgId) -> Result<Self, RandomError> {
        let secret = Self::generate()?;
        Ok(Self(format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(org.as_uuid().as_bytes()),
            secret.0
        )))
    }

    /// The organization the token names, if it names one (anything else,
    /// malformed text included, names none and is looked up by hash alone).
    #[must_use]
    pub fn org(&self) -> Option<OrgId> {
        let (org, _) = self.0.split_once('.')?;
        let bytes: [u8; 16] = URL_SAFE_NO_PAD.decode(org).ok()?.try_into().ok()?;
        Some(OrgId::from_uuid(uuid::Uuid::from_bytes(bytes)))
    }

    /// How the store finds the token: the organization it names and its hash.
    #[must_use]
    pub fn key(&self) -> TokenKey {
        TokenKey {
            org: self.org(),
            hash: self.hash(),
        }
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
    fn a_token_for_an_organization_names_it_and_cannot_be_moved() {
        let org = OrgId::new();
        let t = SecretToken::generate_for(org).expect("random");
        assert_eq!(t.org(), Some(org));
        assert_eq!(t.expose().len(), 22 + 1 + 43);
        let received = SecretToken::from_text(t.expose());
        assert_eq!(received.key(), t.key());
        // The same secret under another organization's name is another hash.
        let (_, secret) = t.expose().split_once('.').expect("dot");
        let other = OrgId::new();
        let moved = SecretToken::from_text(&format!(
            "{}.{secret}",
            URL_SAFE_NO_PAD.encode(other.as_uuid().as_bytes())
        ));
        assert_eq!(moved.org(), Some(other));
        assert_ne!(moved.hash(), t.hash());
        // A key finds the record of its organization only; a key naming none,
        // by its hash under any.
        assert!(t.key().finds(org, &t.hash()));
        assert!(!t.key().finds(other, &t.hash()));
        assert!(!t.key().finds(org, &moved.hash()));
        let hash_only = TokenKey {
            org: None,
            hash: t.hash(),
        };
        assert!(hash_only.finds(other, &t.hash()));
        // Tokens that name none: old ones, and anything malformed.
        for text in [
            SecretToken::generate().expect("random").expose(),
            "x.y",
            "",
            ".",
        ] {
            assert_eq!(SecretToken::from_text(text).org(), None, "{text:?}");
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
