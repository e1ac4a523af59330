//! The customer portal on the web: an axum host that embeds `portal-core`.
//!
//! Server-rendered pages with compile-time-checked templates (askama), plain forms
//! that work without JavaScript, one small stylesheet. Where to look:
//!
//! - [`router`]: the app's routes: the front page, the console under `/console`
//!   and each portal under `/{slug}`, every area's routes beside its handlers;
//! - [`extract`]: what handlers take instead of checking by hand: the signed-in
//!   portal user ([`extract::PortalUser`]), the console user
//!   ([`extract::Staff`]), forms whose CSRF token is checked
//!   ([`extract::PortalForm`], [`extract::StaffForm`],
//!   [`extract::SignedOutForm`]) and typed ids ([`extract::Id`]);
//! - `pages/`: the handlers, one file per area of the portal;
//! - `templates/`: the HTML, one file per page;
//! - [`ports`]: the mailer and the payment gateway the portal is built with,
//!   chosen by configuration;
//! - [`security`]: cookies, CSRF, the security headers;
//! - [`console`]: the org console, behind its own credential;
//! - [`seed`]: the demo organization made on first start.

pub mod console;
pub mod errors;
pub mod extract;
pub mod i18n;
pub mod pages;
pub mod ports;
pub mod security;
pub mod seed;
pub mod webhooks;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::routing::get;
use portal_core::Portal;

pub use crate::ports::{Mode, Ports};
use crate::security::Cookies;

/// The largest request body the app accepts (forms; the upload route raises it).
pub const BODY_LIMIT: usize = 64 * 1024;

/// What every handler shares: the portal and the host's own parts.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The portal, built once.
    pub portal: Portal,
    /// The ports the portal was built with; with a development mailbox, the app
    /// serves it at `/dev/mailbox`.
    pub ports: Ports,
    /// How cookies are set.
    pub cookies: Cookies,
    /// The demo portal's slug, linked from the front page.
    pub demo_slug: String,
    /// The org console's credential and sessions.
    pub console: Arc<console::Console>,
    /// The fonts documents are set in as PDF; `None` when none was found (the PDF
    /// links then answer 503 and say what to install).
    pub pdf_fonts: Option<Arc<portal_pdf::Fonts>>,
    /// How many reverse proxies of the host's own stand in front of the app: the
    /// client's address for sign-in throttling is then the one the outermost of
    /// them saw ([`security::ClientAddress`]). 0 when the app faces clients itself.
    pub trusted_proxies: usize,
}

/// The development mailbox's routes: only in development mode.
fn development(state: &AppState) -> Router<AppState> {
    if state.ports.dev_mailbox.is_none() {
        return Router::new();
    }
    Router::new()
        .route("/dev/mailbox", get(pages::home::mailbox))
        .route(
            "/dev/mailbox/{mail}/{attachment}",
            get(pages::home::mailbox_attachment),
        )
}

/// The whole app: the front page and the stylesheet, the org console under
/// `/console`, each portal under `/{slug}`, and in development mode the mailbox.
/// Every answer carries the security headers and a request id; every refusal is
/// a page of its place ([`errors`]); a panic is a 500 page, never a dropped
/// connection. Forms are read up to [`BODY_LIMIT`], uploads up to
/// [`pages::files::UPLOAD_LIMIT`] (on their two routes only).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home::index))
        .route("/static/style.css", get(pages::home::stylesheet))
        .route("/static/signature.js", get(pages::home::signature_script))
        .route("/static/pay.js", get(pages::home::pay_script))
        .route("/static/amount.js", get(pages::home::amount_script))
        .route("/favicon.ico", get(pages::home::no_icon))
        .route(
            "/webhooks/{gateway}",
            axum::routing::post(webhooks::receive),
        )
        .merge(development(&state))
        .nest("/console", console::routes())
        .nest("/{slug}", pages::routes())
        .fallback(errors::no_such_page)
        .layer(axum::middleware::from_fn(security::catch_panic))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            errors::error_pages,
        ))
        .layer(axum::middleware::from_fn(i18n::language))
        .layer(axum::middleware::from_fn(security::request_id))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            HeaderValue::from_str(&state.ports.content_security_policy())
                .unwrap_or_else(|_| HeaderValue::from_static(security::CSP)),
            security::headers,
        ))
        .with_state(state)
}
