//! The web host's tests: HTTP to the app in process (`http_*`), and the whole
//! story in Debian's Chromium (`browser`). One binary, a module a file.

#[path = "../common/mod.rs"]
mod common;

mod browser;
mod http_access;
mod http_account;
mod http_console;
mod http_documents;
mod http_guard;
mod http_links;
mod http_money;
mod http_pay;
mod http_pdf;
mod http_smtp;
