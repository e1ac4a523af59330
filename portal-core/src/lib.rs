#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod auth;
pub mod clock;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod domain;
mod error;
pub mod gateway;
pub mod i18n;
pub mod mailer;
pub mod prelude;
pub mod print;
pub mod service;
pub mod store;
mod store_error;

pub use error::{Error, ErrorKind, Result};
pub use service::{OrgAdmin, Portal, PortalBuilder, PortalConfig, PortalSession};
pub use store::{Backend, FileStore, Store};

/// Re-exported so hosts use the same versions as the library.
pub use rust_decimal::{Decimal, RoundingStrategy};
pub use time::{Date, Duration, OffsetDateTime};
