//! The SQL stores' own tests, on SQLite and PostgreSQL: the conformance suite,
//! races between pools, connection failures, upgrades from every earlier schema,
//! visibility of writes. One binary, a module a file; `generic_plans.rs` and
//! `org_scoped_sql.rs` run in binaries of their own, because each counts every
//! statement of the process with a global tracing subscriber.

#[path = "../common/mod.rs"]
mod common;

mod failures;
mod postgres_conformance;
mod races;
mod reservations;
mod session_writes;
mod sqlite_conformance;
mod upgrade;
mod visibility;
