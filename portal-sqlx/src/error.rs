//! Maps driver errors to the store's error meanings, in one place.

use portal_core::StoreError;

/// The name under which a unique violation is reported, from the constraint name
/// (PostgreSQL) or the message (SQLite names the columns).
fn conflict_name(constraint: Option<&str>, message: &str) -> &'static str {
    let text = constraint.unwrap_or(message);
    if text.contains("slug") {
        "portal slug"
    } else if text.contains("email") {
        "contact email"
    } else if text.contains("token_hash") || text.contains("portal_sessions") {
        "session"
    } else if text.contains("hash") || text.contains("access_tokens") {
        "token"
    } else if text.contains("number") {
        "invoice number"
    } else if text.contains("outbox") {
        "outbox email"
    } else if text.contains("customers") {
        "customer"
    } else if text.contains("contacts") {
        "contact"
    } else if text.contains("orgs") {
        "organization"
    } else {
        "duplicate record"
    }
}

/// Maps a driver error.
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(ref d) if d.is_unique_violation() => {
            StoreError::Conflict(conflict_name(d.constraint(), d.message()))
        }
        sqlx::Error::Database(ref d) if d.is_foreign_key_violation() => {
            StoreError::NotFound("referenced record")
        }
        sqlx::Error::Database(ref d) => {
            let code = d.code().map(|c| c.into_owned()).unwrap_or_default();
            match code.as_str() {
                // PostgreSQL: serialization failure, deadlock.
                "40001" | "40P01" => StoreError::ConcurrentModification("record"),
                // PostgreSQL: connection exceptions, admin shutdown, crash shutdown,
                // cannot connect now. SQLite: busy, locked (after the busy timeout).
                c if c.starts_with("08") || c == "57P01" || c == "57P02" || c == "57P03" => {
                    StoreError::Unavailable(Box::new(e))
                }
                // SQLite: busy, locked, cannot open, I/O error.
                "5" | "6" | "14" | "10" | "261" | "517" => StoreError::Unavailable(Box::new(e)),
                _ => StoreError::Backend(Box::new(e)),
            }
        }
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => StoreError::Unavailable(Box::new(e)),
        other => StoreError::Backend(Box::new(other)),
    }
}

/// A stored value that does not decode into a domain value (a row written by
/// something else than this library, or a schema mismatch).
pub(crate) fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("stored {what} is invalid: {detail}").into())
}
