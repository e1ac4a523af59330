//! The SQL of both engines, as `&'static str` constants: never built at run time.

pub(crate) mod common;
mod money;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
mod projects;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;
