//! The portal's URL slug.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a text is not an acceptable portal slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SlugError {
    /// Fewer than 3 or more than 63 characters.
    #[error("portal slug must be 3 to 63 characters long, it has {0}")]
    Length(usize),
    /// A character other than a lowercase letter, a digit or a hyphen.
    #[error("portal slug may only contain lowercase letters, digits and hyphens (found {0:?})")]
    Character(char),
    /// Starts or ends with a hyphen.
    #[error("portal slug must not start or end with a hyphen")]
    EdgeHyphen,
}

/// The URL slug of an organization's portal: 3 to 63 lowercase letters, digits and
/// hyphens, not starting or ending with a hyphen (so it also works as a DNS label).
/// Unique across organizations (the store enforces it).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PortalSlug(String);

impl PortalSlug {
    /// Parses a slug. No case folding: `Acme` is refused rather than silently changed,
    /// so the org sees exactly the URL it will get.
    ///
    /// # Errors
    /// [`SlugError`] saying what is wrong with the text.
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        let count = input.chars().count();
        if !(3..=63).contains(&count) {
            return Err(SlugError::Length(count));
        }
        if let Some(bad) = input
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(SlugError::Character(bad));
        }
        if input.starts_with('-') || input.ends_with('-') {
            return Err(SlugError::EdgeHyphen);
        }
        Ok(Self(input.to_owned()))
    }

    /// The slug text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PortalSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PortalSlug({})", self.0)
    }
}

impl fmt::Display for PortalSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PortalSlug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PortalSlug> for String {
    fn from(slug: PortalSlug) -> String {
        slug.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn examples() {
        assert!(PortalSlug::parse("acme").is_ok());
        assert!(PortalSlug::parse("acme-2-books").is_ok());
        assert_eq!(PortalSlug::parse("ab"), Err(SlugError::Length(2)));
        assert_eq!(
            PortalSlug::parse(&"a".repeat(64)),
            Err(SlugError::Length(64))
        );
        assert_eq!(PortalSlug::parse("Acme"), Err(SlugError::Character('A')));
        assert_eq!(PortalSlug::parse("ac_me"), Err(SlugError::Character('_')));
        assert_eq!(PortalSlug::parse("-acme"), Err(SlugError::EdgeHyphen));
        assert_eq!(PortalSlug::parse("acme-"), Err(SlugError::EdgeHyphen));
    }

    proptest! {
        #[test]
        fn valid_slugs_round_trip(s in "[a-z0-9][a-z0-9-]{1,61}[a-z0-9]") {
            let slug = PortalSlug::parse(&s).expect("valid");
            prop_assert_eq!(slug.as_str(), s.as_str());
        }

        #[test]
        fn accepted_slugs_satisfy_the_rule(s in "\\PC{0,70}") {
            if let Ok(slug) = PortalSlug::parse(&s) {
                let t = slug.as_str();
                prop_assert!((3..=63).contains(&t.len()));
                prop_assert!(t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
                prop_assert!(!t.starts_with('-') && !t.ends_with('-'));
            }
        }
    }
}
