#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod access;
mod activity;
mod approvals;
mod comments;
mod contacts;
mod credits;
mod customers;
mod document_store;
mod documents;
mod files;
mod gateway;
mod links;
mod mailer;
mod orgs;
mod outbox;
mod payment_methods;
mod payments;
mod projects;
mod quotes;
mod reviews;
mod sessions;
mod statements;
mod store;

pub use gateway::{SignedEvent, TestGateway, WEBHOOK_SECRET, cards};
pub use mailer::RecordingMailer;
pub use store::MemoryStore;
