//! Email addresses, parsed once and kept normalized.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a text is not an acceptable email address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmailError {
    /// The text is empty (after trimming).
    #[error("email address is empty; enter an address such as name@example.com")]
    Empty,
    /// Longer than the 254 characters an address may have.
    #[error("email address is longer than 254 characters")]
    TooLong,
    /// No `@`, or more than one.
    #[error("email address must contain exactly one '@', as in name@example.com")]
    MissingAt,
    /// The part before `@` is empty, too long, or has characters not allowed there.
    #[error(
        "the part before '@' is empty, longer than 64 characters or has a character not allowed there"
    )]
    InvalidLocalPart,
    /// The part after `@` is not a domain name with at least one dot.
    #[error("the part after '@' must be a domain name such as example.com")]
    InvalidDomain,
}

/// A syntactically valid email address, trimmed and lowercased.
///
/// Addresses are compared case-insensitively (the whole address is lowercased),
/// which is how every mail provider in practice treats them and what sign-in needs.
/// Quoted local parts and IP-literal domains are refused: they are legal but are
/// almost always typos or abuse in a customer portal.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

const LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";

impl Email {
    /// Parses and normalizes an email address.
    ///
    /// # Errors
    /// [`EmailError`] saying what is wrong with the text.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let text = input.trim().to_lowercase();
        if text.is_empty() {
            return Err(EmailError::Empty);
        }
        if text.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let mut parts = text.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(EmailError::MissingAt);
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(c));
        if !local_ok {
            return Err(EmailError::InvalidLocalPart);
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.chars().any(|c| c.is_ascii_alphabetic()));
        if !domain_ok {
            return Err(EmailError::InvalidDomain);
        }
        Ok(Self(text))
    }

    /// The normalized address.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_normalizes() {
        let email = Email::parse("  Ana.Silva+billing@Example.COM ").expect("valid");
        assert_eq!(email.as_str(), "ana.silva+billing@example.com");
    }

    #[test]
    fn refuses_malformed() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(Email::parse("ana"), Err(EmailError::MissingAt));
        assert_eq!(Email::parse("a@b@c.com"), Err(EmailError::MissingAt));
        assert_eq!(
            Email::parse("@example.com"),
            Err(EmailError::InvalidLocalPart)
        );
        assert_eq!(
            Email::parse("a..b@example.com"),
            Err(EmailError::InvalidLocalPart)
        );
        assert_eq!(
            Email::parse("a b@example.com"),
            Err(EmailError::InvalidLocalPart)
        );
        assert_eq!(
            Email::parse("ana@localhost"),
            Err(EmailError::InvalidDomain)
        );
        assert_eq!(Email::parse("ana@-x.com"), Err(EmailError::InvalidDomain));
        assert_eq!(
            Email::parse("ana@example.123"),
            Err(EmailError::InvalidDomain)
        );
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn deserializing_goes_through_the_parser() {
        let ok: Email = serde_json::from_str("\"X@Y.io\"").expect("valid");
        assert_eq!(ok.as_str(), "x@y.io");
        assert!(serde_json::from_str::<Email>("\"nope\"").is_err());
    }

    proptest! {
        #[test]
        fn well_formed_addresses_parse_and_are_idempotent(
            local in "[a-zA-Z0-9][a-zA-Z0-9_+-]{0,20}",
            domain in "[a-z][a-z0-9]{0,10}",
            tld in "[a-z]{2,6}",
        ) {
            let text = format!("{local}@{domain}.{tld}");
            let email = Email::parse(&text).expect("well-formed address parses");
            prop_assert_eq!(email.as_str(), text.to_lowercase());
            prop_assert_eq!(Email::parse(email.as_str()).expect("re-parses"), email);
        }

        #[test]
        fn parsing_never_panics_and_output_is_sane(text in "\\PC{0,80}") {
            if let Ok(email) = Email::parse(&text) {
                prop_assert_eq!(email.as_str().matches('@').count(), 1);
                prop_assert!(email.as_str().len() <= 254);
                prop_assert!(!email.as_str().chars().any(char::is_whitespace));
            }
        }
    }
}
