#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

/// The `portal-core` version this crate is written against.
pub use portal_core as core;
