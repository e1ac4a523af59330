//! Portal sessions and sign-in throttling rules.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::domain::TokenHash;
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

impl SessionRecord {
    /// How the store finds this session: its hash within its organization.
    #[must_use]
    pub fn key(&self) -> crate::domain::TokenKey {
        crate::domain::TokenKey {
            org: Some(self.org),
            hash: self.token_hash,
        }
    }
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

/// Throttling of failed sign-ins, in two tiers over one sliding `window`:
///
/// - per (portal, email, client): after `max_failures` failures from one client
///   (its network address, or what key the host passes: [`ClientKey`]), sign-in for
///   that email from that client waits until the oldest of them leaves the window;
/// - per (portal, email), whatever the client: after `max_failures_per_email`, much
///   higher, sign-in for that email waits from everywhere. This is what slows a
///   guesser who spreads over many addresses, and the only way left to keep the
///   owner out: it takes that many failures in the window, from many clients.
///
/// Nothing is locked for good: no one can keep the owner out for longer than the
/// window without going on failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottlePolicy {
    /// Failures allowed from one client within the window (default 5).
    pub max_failures: u32,
    /// Failures allowed from all clients together within the window (default 100).
    pub max_failures_per_email: u32,
    /// The sliding window (default 15 minutes).
    pub window: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            max_failures_per_email: 100,
            window: Duration::minutes(15),
        }
    }
}

/// Who is signing in, as far as throttling goes: the client's network address or
/// any opaque key the host trusts to tell clients apart. Kept only as a SHA-256
/// hash (an address is personal data); its `Debug` shows nothing of it.
///
/// Behind a reverse proxy, the address of the connection is the proxy's: pass the
/// address the proxy saw instead (the right-most `X-Forwarded-For` entry your own
/// proxy appended, never the left-most, which the client writes itself).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey([u8; 32]);

impl ClientKey {
    /// The key of a network address. An IPv6 address counts by its /64 prefix,
    /// the block one subscriber is usually given (and can rotate within at will).
    #[must_use]
    pub fn from_ip(ip: std::net::IpAddr) -> Self {
        match ip {
            std::net::IpAddr::V4(v4) => Self::digest(b"ipv4", &v4.octets()),
            std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::digest(b"ipv4", &v4.octets()),
                None => Self::digest(b"ipv6/64", &v6.octets()[..8]),
            },
        }
    }

    /// The key of anything else the host trusts to tell clients apart (a device
    /// id it issued, an API client's name).
    #[must_use]
    pub fn opaque(key: &str) -> Self {
        Self::digest(b"opaque", key.as_bytes())
    }

    /// The key of a client the host cannot tell apart from others (tests, a
    /// command-line tool): every such sign-in shares one per-client budget.
    #[must_use]
    pub fn unknown() -> Self {
        Self([0; 32])
    }

    fn digest(kind: &[u8], bytes: &[u8]) -> Self {
        use sha2::{Digest as _, Sha256};
        Self(
            Sha256::new()
                .chain_update(b"portal client\0")
                .chain_update(kind)
                .chain_update(b"\0")
                .chain_update(bytes)
                .finalize()
                .into(),
        )
    }

    /// The stored form.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Reads the stored form back; anything but 32 bytes (rows from before keys
    /// were kept) is [`Self::unknown`].
    #[must_use]
    pub fn from_stored(bytes: &[u8]) -> Self {
        <[u8; 32]>::try_from(bytes).map_or_else(|_| Self::unknown(), Self)
    }
}

impl std::fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientKey(<hashed>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn client_keys_tell_addresses_apart_and_group_an_ipv6_block() {
        use std::net::IpAddr;
        let ip = |s: &str| s.parse::<IpAddr>().expect("address");
        assert_eq!(
            ClientKey::from_ip(ip("203.0.113.7")),
            ClientKey::from_ip(ip("::ffff:203.0.113.7"))
        );
        assert_ne!(
            ClientKey::from_ip(ip("203.0.113.7")),
            ClientKey::from_ip(ip("203.0.113.8"))
        );
        assert_eq!(
            ClientKey::from_ip(ip("2001:db8:1:2::1")),
            ClientKey::from_ip(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            ClientKey::from_ip(ip("2001:db8:1:2::1")),
            ClientKey::from_ip(ip("2001:db8:1:3::1"))
        );
        assert_ne!(
            ClientKey::opaque("203.0.113.7"),
            ClientKey::from_ip(ip("203.0.113.7"))
        );
        let key = ClientKey::opaque("device-1");
        assert_eq!(ClientKey::from_stored(key.as_bytes()), key);
        assert_eq!(ClientKey::from_stored(b""), ClientKey::unknown());
        assert!(!format!("{key:?}").contains("device"));
    }

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
