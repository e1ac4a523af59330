//! The scenarios of the whole library, through its public API, on every backend
//! (memory, SQLite, PostgreSQL): one test binary, a module a file. Three tests run
//! in binaries of their own, because they watch the whole process:
//! `query_counts.rs` (a global tracing subscriber counts every SQL statement),
//! `sign_in_work.rs` (tracing's process-wide call-site cache counts hashing work)
//! and `sign_in_storm.rs` (a latency measurement no other test may load the CPU
//! under); and `fuzz/`, which runs long when asked to.

#[path = "../common/mod.rs"]
mod common;

mod access_lifecycle;
mod activity;
mod attachments;
mod concurrency;
mod connection_loss;
mod credits;
mod decision_races;
mod details;
mod faults;
mod files;
mod hardening;
mod isolation;
mod isolation_documents;
mod languages;
mod links;
mod live_payments;
mod mailer_outbox;
mod money_in_flight;
mod money_properties;
mod orgs;
mod payment_failures;
mod payment_methods;
mod payments;
mod projects;
mod quote_properties;
mod quotes;
mod sales_orders;
mod sessions;
mod sign_in;
mod smtp;
mod statements;
mod stripe_local;
mod stripe_scripted;
mod time_zones;
