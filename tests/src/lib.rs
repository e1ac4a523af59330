//! Scenarios and property tests live in `tests/`.

/// The workspace README's code, compiled as doctests so the tour never drifts from
/// the API.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
