//! Plain-text fields with length limits.

use std::fmt;

/// A text field that is too short or too long, or that holds control characters
/// (plain text allows line breaks and tabs, nothing else below U+0020).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TextError {
    /// The field's name.
    pub field: &'static str,
    /// The least number of characters.
    pub min: usize,
    /// The most characters.
    pub max: usize,
    /// How many it has.
    pub len: usize,
    /// It holds a control character (such as NUL) that plain text does not allow.
    pub control: bool,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.control {
            write!(
                f,
                "{} contains control characters; use plain text",
                self.field
            )
        } else {
            write!(
                f,
                "{} must be {} to {} characters long (it has {})",
                self.field, self.min, self.max, self.len
            )
        }
    }
}

impl TextError {
    /// A length error.
    #[must_use]
    pub fn length(field: &'static str, min: usize, max: usize, len: usize) -> Self {
        Self {
            field,
            min,
            max,
            len,
            control: false,
        }
    }
}

/// Checks that `value` (trimmed) has `min..=max` characters and no control
/// characters other than line breaks and tabs.
pub(crate) fn limited(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), TextError> {
    let len = value.trim().chars().count();
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(TextError {
            control: true,
            ..TextError::length(field, min, max, len)
        });
    }
    if (min..=max).contains(&len) {
        Ok(())
    } else {
        Err(TextError::length(field, min, max, len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_line_breaks_are_not() {
        assert!(limited("comment", "line one\nline two\ttabbed", 1, 100).is_ok());
        let err = limited("comment", "nul\u{0}byte", 1, 100).expect_err("NUL");
        assert!(err.control);
        assert_eq!(
            err.to_string(),
            "comment contains control characters; use plain text"
        );
        assert!(limited("comment", "bell\u{7}", 1, 100).is_err());
        assert!(limited("comment", "", 1, 100).is_err());
    }
}
