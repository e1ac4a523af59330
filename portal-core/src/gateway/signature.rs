//! Signed webhook events, the scheme Stripe uses and most gateways resemble: the
//! header `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`, possibly with
//! several `v1` entries while a secret is being rotated. Adapters verify with
//! [`verify`]; test gateways sign with [`sign`].

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};

use super::GatewayError;

/// How far a signature's time may be from now (Stripe's default: 5 minutes).
pub const DEFAULT_TOLERANCE: Duration = Duration::minutes(5);

fn mac(secret: &str, timestamp: i64, payload: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The signature header for `payload` signed with `secret` at `at`.
#[must_use]
pub fn sign(secret: &str, at: OffsetDateTime, payload: &[u8]) -> String {
    let t = at.unix_timestamp();
    format!(
        "t={t},v1={}",
        hex(&mac(secret, t, payload).finalize().into_bytes())
    )
}

/// Checks `header` against `payload`: its time within `tolerance` of `now`, and
/// any of its `v1` signatures made with any of `secrets` (compared in constant
/// time). Other schemes in the header (`v0`) are ignored.
///
/// # Errors
/// [`GatewayError::InvalidEvent`] saying which check failed (never what was
/// expected).
pub fn verify(
    header: &str,
    payload: &[u8],
    secrets: &[&str],
    now: OffsetDateTime,
    tolerance: Duration,
) -> Result<(), GatewayError> {
    if header.len() > 4_096 {
        return Err(GatewayError::InvalidEvent("signature header too long"));
    }
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(unhex(v)),
            _ => {}
        }
    }
    let t = timestamp.ok_or(GatewayError::InvalidEvent("no timestamp in the signature"))?;
    if signatures.is_empty() {
        return Err(GatewayError::InvalidEvent("no v1 signature"));
    }
    let age = now.unix_timestamp().saturating_sub(t);
    if age.unsigned_abs() > tolerance.whole_seconds().unsigned_abs() {
        return Err(GatewayError::InvalidEvent(
            "the signature's time is outside the tolerance window",
        ));
    }
    let matched = secrets.iter().any(|secret| {
        let expected = mac(secret, t, payload).finalize().into_bytes();
        signatures
            .iter()
            .any(|s| bool::from(s.as_slice().ct_eq(expected.as_slice())))
    });
    if matched {
        Ok(())
    } else {
        Err(GatewayError::InvalidEvent("the signature does not match"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-07 10:00 UTC);

    #[test]
    fn a_signature_verifies_and_a_changed_byte_does_not() {
        let header = sign("whsec_a", NOW, b"{\"id\":1}");
        assert_eq!(
            verify(&header, b"{\"id\":1}", &["whsec_a"], NOW, DEFAULT_TOLERANCE),
            Ok(())
        );
        assert!(verify(&header, b"{\"id\":2}", &["whsec_a"], NOW, DEFAULT_TOLERANCE).is_err());
        assert!(verify(&header, b"{\"id\":1}", &["whsec_b"], NOW, DEFAULT_TOLERANCE).is_err());
    }

    #[test]
    fn rotation_accepts_any_v1_and_any_secret() {
        let old = sign("whsec_old", NOW, b"x");
        let new = sign("whsec_new", NOW, b"x");
        let v1_new = new.split_once(",v1=").map(|(_, s)| s).unwrap_or_default();
        let both = format!("{old},v1={v1_new},v0=ignored");
        assert_eq!(
            verify(&both, b"x", &["whsec_new"], NOW, DEFAULT_TOLERANCE),
            Ok(())
        );
        assert_eq!(
            verify(
                &old,
                b"x",
                &["whsec_new", "whsec_old"],
                NOW,
                DEFAULT_TOLERANCE
            ),
            Ok(())
        );
    }

    #[test]
    fn outside_the_window_or_malformed_is_refused() {
        let header = sign("s", NOW - Duration::minutes(6), b"x");
        assert_eq!(
            verify(&header, b"x", &["s"], NOW, DEFAULT_TOLERANCE),
            Err(GatewayError::InvalidEvent(
                "the signature's time is outside the tolerance window"
            ))
        );
        let future = sign("s", NOW + Duration::minutes(6), b"x");
        assert!(verify(&future, b"x", &["s"], NOW, DEFAULT_TOLERANCE).is_err());
        for bad in [
            "",
            "t=abc,v1=00",
            "v1=00",
            "t=1",
            "t=1,v1=zz",
            &"t=1,".repeat(2_000),
        ] {
            assert!(
                verify(bad, b"x", &["s"], NOW, DEFAULT_TOLERANCE).is_err(),
                "{bad}"
            );
        }
    }
}
