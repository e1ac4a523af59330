//! Scenarios and property tests live in `tests/`.
