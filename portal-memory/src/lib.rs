#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod mailer;
mod store;

pub use mailer::RecordingMailer;
pub use store::MemoryStore;
