//! Secrets: passwords, tokens, sessions.

mod hashing;
mod password;
mod session;
mod token;

pub use hashing::HashingPool;
pub use password::{
    HashingCost, HashingError, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, NewPasswordError, Password,
    PasswordHasherConfig, PasswordPolicyError,
};
pub use session::{ClientKey, SessionExpiry, SessionPolicy, SessionRecord, ThrottlePolicy};
pub use token::{AccessToken, RandomError, SecretToken, TokenPurpose};
