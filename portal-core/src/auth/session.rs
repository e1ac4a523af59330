//! Portal sessions and sign-in throttling rules.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::token::TokenHash;
use crate::domain::{ContactId, CustomerId, OrgId, SessionId};

/// A stored portal session. The secret token is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Identifier.
    pub id: SessionId,
    /// The hash of the session token.
    pub token_hash: TokenHash,
    /// The organization.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// The contact person signed in.
    pub contact: ContactId,
    /// When it started.
    pub created_at: OffsetDateTime,
    /// When it was last used.
    pub last_seen_at: OffsetDateTime,
}

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPolicy {
    /// A session unused for this long ends (default 30 minutes).
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, used or not (default 12 hours).
    pub absolute_timeout: Duration,
    /// Use is recorded at most this often, to spare the store a write per request
    /// (default 1 minute; the idle timeout is then exact to within this).
    pub touch_interval: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(12),
            touch_interval: Duration::minutes(1),
        }
    }
}

/// Why a session is no longer valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionExpiry {
    /// Unused for longer than the idle timeout.
    Idle,
    /// Older than the absolute timeout.
    Absolute,
}

impl SessionPolicy {
    /// Whether `session` has expired at `now`, and how.
    #[must_use]
    pub fn expiry(&self, session: &SessionRecord, now: OffsetDateTime) -> Option<SessionExpiry> {
        if now - session.created_at >= self.absolute_timeout {
            Some(SessionExpiry::Absolute)
        } else if now - session.last_seen_at >= self.idle_timeout {
            Some(SessionExpiry::Idle)
        } else {
            None
        }
    }

    /// Whether the use at `now` should be recorded.
    #[must_use]
    pub fn needs_touch(&self, session: &SessionRecord, now: OffsetDateTime) -> bool {
        now - session.last_seen_at >= self.touch_interval
    }
}

/// Throttling of failed sign-ins per (portal, email): after `max_failures` failures
/// within `window`, sign-in for that email is refused until the oldest of them is
/// older than the window. Nothing is locked for good, so an attacker cannot lock the
/// owner out for longer than the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottlePolicy {
    /// Failures allowed within the window (default 5).
    pub max_failures: u32,
    /// The sliding window (default 15 minutes).
    pub window: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::minutes(15),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn expiry_rules() {
        let start = datetime!(2026-01-01 09:00 UTC);
        let mut s = SessionRecord {
            id: SessionId::new(),
            token_hash: TokenHash::from_bytes([0; 32]),
            org: OrgId::new(),
            customer: CustomerId::new(),
            contact: ContactId::new(),
            created_at: start,
            last_seen_at: start,
        };
        let p = SessionPolicy::default();
        assert_eq!(p.expiry(&s, start + Duration::minutes(29)), None);
        assert_eq!(
            p.expiry(&s, start + Duration::minutes(30)),
            Some(SessionExpiry::Idle)
        );
        s.last_seen_at = start + Duration::hours(11) + Duration::minutes(50);
        assert_eq!(
            p.expiry(&s, start + Duration::hours(11) + Duration::minutes(59)),
            None
        );
        assert_eq!(
            p.expiry(&s, start + Duration::hours(12)),
            Some(SessionExpiry::Absolute)
        );
    }
}
