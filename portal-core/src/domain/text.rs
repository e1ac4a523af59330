//! Plain-text fields with length limits.

/// A text field that is too short or too long.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be {min} to {max} characters long (it has {len})")]
pub struct TextError {
    /// The field's name.
    pub field: &'static str,
    /// The least number of characters.
    pub min: usize,
    /// The most characters.
    pub max: usize,
    /// How many it has.
    pub len: usize,
}

/// Checks that `value` (trimmed) has `min..=max` characters.
pub(crate) fn limited(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), TextError> {
    let len = value.trim().chars().count();
    if (min..=max).contains(&len) {
        Ok(())
    } else {
        Err(TextError {
            field,
            min,
            max,
            len,
        })
    }
}
