//! Secrets: passwords, tokens, sessions.

mod password;
mod session;
mod token;

pub use password::{
    HashingCost, HashingError, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, Password, PasswordHash,
    PasswordHasherConfig, PasswordPolicyError,
};
pub use session::{SessionExpiry, SessionPolicy, SessionRecord, ThrottlePolicy};
pub use token::{AccessToken, RandomError, SecretToken, TokenHash, TokenPurpose};
