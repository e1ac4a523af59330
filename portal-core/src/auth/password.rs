//! Password policy (OWASP ASVS 5.0 V6.2) and argon2id hashing.

use std::fmt;
use std::sync::OnceLock;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use crate::domain::PasswordHash;

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The most characters a password may have (ASVS asks to allow at least 64).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Why a password was refused. No composition rules: length, commonness and
/// context only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordPolicyError {
    /// Shorter than [`MIN_PASSWORD_CHARS`].
    #[error("password must have at least 8 characters; a short phrase is easiest to remember")]
    TooShort,
    /// Longer than [`MAX_PASSWORD_CHARS`].
    #[error("password must have at most 256 characters")]
    TooLong,
    /// In the list of commonly used passwords.
    #[error("this password is among the most commonly used ones; choose another")]
    Common,
    /// The same as the user's email address or its name part.
    #[error("password must not be your email address or its name part")]
    ContextSpecific,
}

/// A password that meets the policy. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// Checks a new password against the policy: 8 to 256 characters (counted as
    /// Unicode scalar values, never truncated), not a commonly used password, not
    /// one of the `context` words (the user's email, its name part).
    ///
    /// # Errors
    /// [`PasswordPolicyError`] saying which rule failed.
    pub fn new(text: &str, context: &[&str]) -> Result<Self, PasswordPolicyError> {
        let chars = text.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordPolicyError::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordPolicyError::TooLong);
        }
        let lower = text.to_lowercase();
        if passwords::analyzer::is_common_password(text)
            || passwords::analyzer::is_common_password(&lower)
        {
            return Err(PasswordPolicyError::Common);
        }
        if context
            .iter()
            .filter(|w| !w.is_empty())
            .any(|w| w.to_lowercase() == lower)
        {
            return Err(PasswordPolicyError::ContextSpecific);
        }
        Ok(Self(text.to_owned()))
    }

    /// The password text.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Why a password chosen by a user (with its confirmation) was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewPasswordError {
    /// The password policy refused it.
    Policy(PasswordPolicyError),
    /// The confirmation is not the same password.
    Mismatch,
}

impl Password {
    /// A password a user chose and typed twice: the policy with the user's email
    /// (and its name part) as the context not to use, then the confirmation.
    ///
    /// # Errors
    /// [`NewPasswordError`].
    pub fn chosen(
        text: &str,
        confirmation: &str,
        email: Option<&crate::domain::Email>,
    ) -> Result<Self, NewPasswordError> {
        let context: Vec<&str> = email
            .map(|e| {
                let full = e.as_str();
                vec![full, full.split('@').next().unwrap_or_default()]
            })
            .unwrap_or_default();
        let password = Self::new(text, &context).map_err(NewPasswordError::Policy)?;
        if text != confirmation {
            return Err(NewPasswordError::Mismatch);
        }
        Ok(password)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// argon2id cost parameters. The floor is OWASP's recommendation: 19 MiB of memory,
/// 2 iterations, 1 lane; anything lower is raised to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Iterations.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl HashingCost {
    /// OWASP's minimum for argon2id.
    pub const OWASP_MINIMUM: HashingCost = HashingCost {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    fn at_least_minimum(self) -> Self {
        Self {
            memory_kib: self.memory_kib.max(Self::OWASP_MINIMUM.memory_kib),
            iterations: self.iterations.max(Self::OWASP_MINIMUM.iterations),
            parallelism: self.parallelism.max(Self::OWASP_MINIMUM.parallelism),
        }
    }
}

impl Default for HashingCost {
    fn default() -> Self {
        Self::OWASP_MINIMUM
    }
}

/// A hashing failure (bad parameters or a corrupt stored hash).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashingError(String);

impl HashingError {
    pub(crate) fn new(why: &str) -> Self {
        Self(why.to_owned())
    }
}

/// Hashes and verifies passwords with argon2id.
#[derive(Debug, Clone)]
pub struct PasswordHasherConfig {
    params: Params,
    dummy: std::sync::Arc<OnceLock<String>>,
}

impl PasswordHasherConfig {
    /// A hasher with the given cost (raised to the OWASP floor).
    ///
    /// # Errors
    /// [`HashingError`] if argon2 refuses the parameters.
    pub fn new(cost: HashingCost) -> Result<Self, HashingError> {
        let cost = cost.at_least_minimum();
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| HashingError(e.to_string()))?;
        Ok(Self {
            params,
            dummy: std::sync::Arc::new(OnceLock::new()),
        })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes a password with a fresh random salt.
    ///
    /// # Errors
    /// [`HashingError`] if the system's random source fails.
    pub fn hash(&self, password: &Password) -> Result<PasswordHash, HashingError> {
        self.argon2()
            .hash_password(password.expose().as_bytes())
            .map(|h| PasswordHash::from_phc(h.to_string()))
            .map_err(|e| HashingError(e.to_string()))
    }

    /// Whether `candidate` matches `hash` (constant-time comparison inside argon2).
    /// A corrupt hash verifies as false. This runs on the calling thread: in async
    /// code use [`super::HashingPool`], which the portal does.
    #[must_use]
    pub fn verify(&self, candidate: &str, hash: &PasswordHash) -> bool {
        tracing::trace!(target: "portal_core::password", "argon2id verification");
        self.verify_quietly(candidate, hash)
    }

    /// [`Self::verify`] without its tracing event (the pool logs it on the
    /// caller's thread).
    pub(crate) fn verify_quietly(&self, candidate: &str, hash: &PasswordHash) -> bool {
        self.argon2()
            .verify_password(candidate.as_bytes(), hash.as_phc())
            .is_ok()
    }

    /// Spends the same time as [`Self::verify`] against a dummy hash, so that a
    /// sign-in for an unknown email costs as much as one for a known email.
    pub fn verify_dummy(&self, candidate: &str) {
        // Same event as a real verification: callers cannot tell them apart.
        tracing::trace!(target: "portal_core::password", "argon2id verification");
        self.verify_dummy_quietly(candidate);
    }

    /// [`Self::verify_dummy`] without its tracing event.
    pub(crate) fn verify_dummy_quietly(&self, candidate: &str) {
        let dummy = self.dummy.get_or_init(|| {
            self.argon2()
                .hash_password(b"dummy password that nobody has")
                .map(|h| h.to_string())
                .unwrap_or_default()
        });
        let _ = self
            .argon2()
            .verify_password(candidate.as_bytes(), dummy.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn policy_examples() {
        assert_eq!(
            Password::new("short", &[]).err(),
            Some(PasswordPolicyError::TooShort)
        );
        assert_eq!(
            Password::new(&"x".repeat(257), &[]).err(),
            Some(PasswordPolicyError::TooLong)
        );
        assert!(Password::new(&"x".repeat(256), &[]).is_ok());
        assert_eq!(
            Password::new("password", &[]).err(),
            Some(PasswordPolicyError::Common)
        );
        assert_eq!(
            Password::new("PASSWORD", &[]).err(),
            Some(PasswordPolicyError::Common)
        );
        assert_eq!(
            Password::new("12345678", &[]).err(),
            Some(PasswordPolicyError::Common)
        );
        assert_eq!(
            Password::new("qwertyuiop", &[]).err(),
            Some(PasswordPolicyError::Common)
        );
        assert_eq!(
            Password::new(
                "ana.silva@example.com",
                &["ana.silva@example.com", "ana.silva"]
            )
            .err(),
            Some(PasswordPolicyError::ContextSpecific)
        );
        // No composition rules: a lowercase phrase is fine, so are spaces and emoji.
        assert!(Password::new("correct horse battery staple", &[]).is_ok());
        assert!(Password::new("日本語のパスワード🔑", &[]).is_ok());
        // Counted in characters, not bytes: 7 multi-byte characters are too short.
        assert_eq!(
            Password::new("ééééééé", &[]).err(),
            Some(PasswordPolicyError::TooShort)
        );
    }

    #[test]
    fn debug_never_shows_secrets() {
        let p = Password::new("correct horse battery staple", &[]).expect("ok");
        assert!(!format!("{p:?}").contains("horse"));
        let hasher = PasswordHasherConfig::new(HashingCost::default()).expect("ok");
        let h = hasher.hash(&p).expect("hash");
        assert!(!format!("{h:?}").contains("argon2"));
    }

    #[test]
    fn hash_is_argon2id_with_owasp_floor_and_verifies() {
        let hasher = PasswordHasherConfig::new(HashingCost {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
        })
        .expect("ok");
        let p = Password::new("correct horse battery staple", &[]).expect("ok");
        let h = hasher.hash(&p).expect("hash");
        assert!(
            h.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            h.as_phc()
        );
        assert!(hasher.verify("correct horse battery staple", &h));
        assert!(!hasher.verify("correct horse battery stapl", &h));
        assert!(!hasher.verify("x", &PasswordHash::from_phc("garbage".into())));
        // Same password, fresh salt, different hash.
        assert_ne!(hasher.hash(&p).expect("hash"), h);
        hasher.verify_dummy("anything");
    }

    proptest! {
        #[test]
        fn policy_holds_for_any_input(text in "\\PC{0,300}") {
            match Password::new(&text, &[]) {
                Ok(p) => {
                    let n = p.expose().chars().count();
                    prop_assert!((MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n));
                    prop_assert_eq!(p.expose(), text.as_str());
                }
                Err(PasswordPolicyError::TooShort) => prop_assert!(text.chars().count() < MIN_PASSWORD_CHARS),
                Err(PasswordPolicyError::TooLong) => prop_assert!(text.chars().count() > MAX_PASSWORD_CHARS),
                Err(_) => {}
            }
        }
    }
}
