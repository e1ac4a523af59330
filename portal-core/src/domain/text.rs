//! Plain-text fields with length limits.

use std::fmt;

/// What is wrong with a plain-text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextProblem {
    /// Fewer or more characters than the field takes.
    Length,
    /// A control character (such as NUL) that plain text does not allow.
    Control,
    /// A line break or tab in a field that is one line (a name, a number, a
    /// subject).
    LineBreak,
    /// A Unicode bidirectional embedding, override or isolate control (U+202A to
    /// U+202E, U+2066 to U+2069), which reorders the text shown around it:
    /// "invoice\u{202E}fdp.exe" reads as "invoiceexe.pdf".
    Reordering,
}

/// A text field that is too short or too long, or that holds characters plain
/// text does not: see [`TextProblem`].
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
    /// What is wrong.
    pub problem: TextProblem,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field;
        match self.problem {
            TextProblem::Control => {
                write!(f, "{field} contains control characters; use plain text")
            }
            TextProblem::LineBreak => {
                write!(f, "{field} must be one line, without line breaks or tabs")
            }
            TextProblem::Reordering => write!(
                f,
                "{field} contains invisible characters that reorder text (Unicode bidirectional controls); remove them"
            ),
            TextProblem::Length => write!(
                f,
                "{field} must be {} to {} characters long (it has {})",
                self.min, self.max, self.len
            ),
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
            problem: TextProblem::Length,
        }
    }
}

/// Whether `c` is a bidirectional embedding, override or isolate control: the
/// characters that make text shown around them read in another order. Plain text
/// never needs them: right-to-left text displays correctly without them (pages
/// isolate each piece of user text), and the weak marks U+200E and U+200F, which
/// reorder nothing around them, stay allowed.
#[must_use]
pub fn is_reordering_control(c: char) -> bool {
    ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// The one text rule: `value` (trimmed) has `min..=max` characters, no control
/// characters but (for `lines`: [`Lines::Many`]) line breaks and tabs, and no
/// reordering controls ([`is_reordering_control`]).
fn checked(
    field: &'static str,
    value: &str,
    (min, max): (usize, usize),
    lines: Lines,
) -> Result<(), TextError> {
    let len = value.trim().chars().count();
    let problem = value.chars().find_map(|c| {
        if is_reordering_control(c) {
            Some(TextProblem::Reordering)
        } else if matches!(c, '\n' | '\r' | '\t') {
            (lines == Lines::One).then_some(TextProblem::LineBreak)
        } else {
            c.is_control().then_some(TextProblem::Control)
        }
    });
    if let Some(problem) = problem {
        return Err(TextError {
            problem,
            ..TextError::length(field, min, max, len)
        });
    }
    if (min..=max).contains(&len) {
        Ok(())
    } else {
        Err(TextError::length(field, min, max, len))
    }
}

/// Whether a field is one line or may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    One,
    Many,
}

/// Checks plain text that may have several lines (a comment, a description, a
/// message, an address): `min..=max` characters once trimmed, line breaks and
/// tabs allowed, no other control characters, no reordering controls.
pub(crate) fn limited(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), TextError> {
    checked(field, value, (min, max), Lines::Many)
}

/// Checks plain text of one line (a name, a number, a subject, a phone): as
/// [`limited`], and no line breaks or tabs either.
pub(crate) fn single_line(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), TextError> {
    checked(field, value, (min, max), Lines::One)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_line_breaks_are_not() {
        assert!(limited("comment", "line one\nline two\ttabbed", 1, 100).is_ok());
        let err = limited("comment", "nul\u{0}byte", 1, 100).expect_err("NUL");
        assert_eq!(err.problem, TextProblem::Control);
        assert_eq!(
            err.to_string(),
            "comment contains control characters; use plain text"
        );
        assert!(limited("comment", "bell\u{7}", 1, 100).is_err());
        assert!(limited("comment", "", 1, 100).is_err());
    }

    #[test]
    fn one_line_fields_refuse_line_breaks_and_tabs() {
        for text in ["Silva\nLda", "Silva\r\nLda", "Silva\tLda"] {
            let err = single_line("name", text, 1, 100).expect_err("one line");
            assert_eq!(err.problem, TextProblem::LineBreak, "{text:?}");
            assert!(limited("note", text, 1, 100).is_ok());
        }
        assert!(single_line("name", "Silva Lda", 1, 100).is_ok());
    }

    #[test]
    fn reordering_controls_are_refused_everywhere_rtl_text_is_not() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}',
        ] {
            let text = format!("invoice{c}fdp.exe");
            for check in [limited, single_line] {
                let err = check("description", &text, 1, 100).expect_err("reorders");
                assert_eq!(err.problem, TextProblem::Reordering, "{c:?}");
            }
        }
        // Right-to-left text, and the weak marks that reorder nothing around them.
        for text in [
            "שלום עולם",
            "مرحبا بالعالم",
            "Ana\u{200F} (مدير)",
            "x\u{200E}y",
        ] {
            assert!(single_line("name", text, 1, 100).is_ok(), "{text}");
            assert!(limited("comment", text, 1, 100).is_ok(), "{text}");
        }
    }
}
