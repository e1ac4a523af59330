#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod gateway;
mod mailer;
mod money;
mod projects;
mod quotes;
mod sales_orders;
mod store;

pub use gateway::{TestGateway, cards};
pub use mailer::RecordingMailer;
pub use store::MemoryStore;
