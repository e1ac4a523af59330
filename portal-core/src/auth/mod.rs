//! Secrets: passwords, tokens, sessions.

mod hashing;
mod password;
mod session;
mod token;

pub use hashing::HashingPool;
pub use password::{
    HashingCost, HashingError, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, Password, PasswordHash,
    PasswordHasherConfig, PasswordPolicyError,
};
pub use session::{ClientKey, SessionExpiry, SessionPolicy, SessionRecord, ThrottlePolicy};
pub use token::{AccessToken, RandomError, SecretToken, TokenHash, TokenPurpose};
