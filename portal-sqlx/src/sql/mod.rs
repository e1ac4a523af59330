//! The SQL of both engines, as `&'static str` constants: never built at run time,
//! but for the outbox and activity inserts that follow SQLite's one-call Pay Now
//! record (`sqlite::chained_inserts`), written from constant column lists by count.

mod activity;
mod approvals;
mod comments;
pub(crate) mod common;
mod credits;
mod files;
mod invoices;
mod links;
mod payment_methods;
mod payments;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
mod projects;
mod quotes;
mod reviews;
mod sales_orders;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;
mod statements;
