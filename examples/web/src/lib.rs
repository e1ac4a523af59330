//! The customer portal on the web: an axum host that embeds `portal-core`.
//!
//! Server-rendered pages with compile-time-checked templates (askama), plain forms
//! that work without JavaScript, one small stylesheet. Where to look:
//!
//! - [`router`]: every route, in one place;
//! - `pages/`: the handlers, one file per area of the portal;
//! - `templates/`: the HTML, one file per page;
//! - [`security`]: cookies, CSRF, the security headers;
//! - [`console`]: the org console, behind its own credential;
//! - [`seed`]: the demo organization made on first start.

pub mod console;
pub mod errors;
pub mod pages;
pub mod security;
pub mod seed;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use portal_core::Portal;
use portal_memory::{RecordingMailer, TestGateway};

use crate::security::Cookies;

/// The largest request body the app accepts (forms; the upload route raises it).
pub const BODY_LIMIT: usize = 64 * 1024;

/// What every handler shares: the portal and the host's own parts.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The portal, built once.
    pub portal: Portal,
    /// Every email the portal sends, recorded. Served as the development mailbox
    /// only when [`Self::development`] is on.
    pub mailbox: Arc<RecordingMailer>,
    /// Development mode: the mailbox page (`/dev/mailbox`) shows every email the
    /// portal sent, invitation, reset and document-link tokens included, to anyone
    /// who reaches the port, with no credential. Off unless the host turns it on;
    /// never on a server others can reach.
    pub development: bool,
    /// The payment gateway of the demo (test cards only).
    pub gateway: Arc<TestGateway>,
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
    if !state.development {
        return Router::new();
    }
    Router::new()
        .route("/dev/mailbox", get(pages::home::mailbox))
        .route(
            "/dev/mailbox/{mail}/{attachment}",
            get(pages::home::mailbox_attachment),
        )
}

/// The whole app: pages, forms, the stylesheet, and in development mode the
/// mailbox.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home::index))
        .route("/static/style.css", get(pages::home::stylesheet))
        .route("/static/signature.js", get(pages::home::signature_script))
        .route("/favicon.ico", get(pages::home::no_icon))
        .merge(development(&state))
        .route("/console", get(console::index))
        .route(
            "/console/sign-in",
            get(console::sign_in_form).post(console::sign_in),
        )
        .route("/console/sign-out", post(console::sign_out))
        .route("/console/{slug}", get(console::customers::home))
        .route(
            "/console/{slug}/customers",
            post(console::customers::create),
        )
        .route(
            "/console/{slug}/customers/{id}",
            get(console::customers::view),
        )
        .route(
            "/console/{slug}/customers/{id}/contacts",
            post(console::customers::add_contact),
        )
        .route(
            "/console/{slug}/contacts/{id}/{action}",
            post(console::customers::contact_action),
        )
        .route(
            "/console/{slug}/customers/{id}/documents",
            post(console::documents::create),
        )
        .route(
            "/console/{slug}/customers/{id}/email",
            post(console::documents::email),
        )
        .route(
            "/console/{slug}/customers/{id}/links",
            post(console::documents::send_link),
        )
        .route(
            "/console/{slug}/links/{link}/revoke",
            post(console::documents::revoke_link),
        )
        .route(
            "/console/{slug}/customers/{id}/payments",
            post(console::documents::offline_payment),
        )
        .route(
            "/console/{slug}/customers/{id}/comments",
            post(console::documents::comment),
        )
        .route(
            "/console/{slug}/customers/{id}/files",
            post(console::documents::share_file)
                .layer(DefaultBodyLimit::max(pages::files::UPLOAD_LIMIT)),
        )
        .route(
            "/console/{slug}/customers/{id}/projects",
            post(console::work::create_project),
        )
        .route(
            "/console/{slug}/customers/{id}/time",
            post(console::work::log_time),
        )
        .route(
            "/console/{slug}/customers/{id}/timesheets",
            post(console::work::send_timesheet),
        )
        .route(
            "/console/{slug}/settings",
            get(console::settings::view).post(console::settings::update),
        )
        .route("/console/{slug}/cap", post(console::settings::set_cap))
        .route(
            "/console/{slug}/roles",
            post(console::settings::create_role),
        )
        .route("/console/{slug}/outbox", get(console::settings::outbox))
        .route(
            "/{slug}/sign-in",
            get(pages::access::sign_in_form).post(pages::access::sign_in),
        )
        .route("/{slug}/sign-out", post(pages::access::sign_out))
        .route(
            "/{slug}/forgot-password",
            get(pages::access::forgot_form).post(pages::access::forgot),
        )
        .route(
            "/{slug}/reset-password/{token}",
            get(pages::access::reset_form).post(pages::access::reset),
        )
        .route(
            "/{slug}/invitation/{token}",
            get(pages::access::invitation_form).post(pages::access::accept_invitation),
        )
        .route("/{slug}", get(pages::home::dashboard))
        .route("/{slug}/d/{token}", get(pages::links::view))
        .route("/{slug}/d/{token}/pdf", get(pages::links::pdf))
        .route("/{slug}/d/{token}/pay", post(pages::links::pay))
        .route("/{slug}/d/{token}/decide", post(pages::links::decide))
        .route("/{slug}/invoices", get(pages::invoices::list))
        .route("/{slug}/invoices/{id}", get(pages::invoices::view))
        .route(
            "/{slug}/invoices/{id}/credit",
            get(pages::credits::preview).post(pages::credits::apply),
        )
        .route("/{slug}/pay", get(pages::pay::form).post(pages::pay::pay))
        .route("/{slug}/credits", get(pages::credits::list))
        .route(
            "/{slug}/credits/{id}/{format}",
            get(pages::documents::credit_note),
        )
        .route(
            "/{slug}/payment-methods",
            get(pages::payment_methods::list).post(pages::payment_methods::save),
        )
        .route(
            "/{slug}/payment-methods/{id}/remove",
            post(pages::payment_methods::remove),
        )
        .route("/{slug}/sales-orders", get(pages::sales_orders::list))
        .route("/{slug}/sales-orders/{id}", get(pages::sales_orders::view))
        .route("/{slug}/projects", get(pages::projects::list))
        .route("/{slug}/projects/{id}", get(pages::projects::view))
        .route("/{slug}/comments", post(pages::comments::add))
        .route("/{slug}/forward", post(pages::messages::forward))
        .route(
            "/{slug}/contact",
            get(pages::messages::contact).post(pages::messages::email_org),
        )
        .route("/{slug}/review", post(pages::messages::review))
        .route("/{slug}/payments", get(pages::payments::list))
        .route("/{slug}/payments/{id}", get(pages::payments::view))
        .route("/{slug}/statement", get(pages::payments::statement))
        .route(
            "/{slug}/statement/{format}",
            get(pages::documents::statement),
        )
        .route(
            "/{slug}/invoices/{id}/{format}",
            get(pages::documents::invoice),
        )
        .route("/{slug}/quotes/{id}/{format}", get(pages::documents::quote))
        .route(
            "/{slug}/sales-orders/{id}/{format}",
            get(pages::documents::sales_order),
        )
        .route(
            "/{slug}/payments/{id}/{format}",
            get(pages::documents::receipt),
        )
        .route(
            "/{slug}/profile",
            get(pages::profile::view).post(pages::profile::update),
        )
        .route("/{slug}/password", post(pages::profile::change_password))
        .route(
            "/{slug}/files",
            get(pages::files::list)
                .post(pages::files::upload)
                .layer(DefaultBodyLimit::max(pages::files::UPLOAD_LIMIT)),
        )
        .route("/{slug}/files/{id}", get(pages::files::download))
        .route("/{slug}/files/{id}/delete", post(pages::files::delete))
        .route("/{slug}/timesheets", get(pages::timesheets::list))
        .route("/{slug}/timesheets/{id}", get(pages::timesheets::view))
        .route(
            "/{slug}/timesheets/{id}/decide",
            post(pages::timesheets::decide),
        )
        .route("/{slug}/quotes", get(pages::quotes::list))
        .route("/{slug}/quotes/{id}", get(pages::quotes::view))
        .route("/{slug}/quotes/{id}/accept", post(pages::quotes::accept))
        .route("/{slug}/quotes/{id}/decline", post(pages::quotes::decline))
        .fallback(errors::no_such_page)
        .layer(axum::middleware::from_fn(security::catch_panic))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            errors::error_pages,
        ))
        .layer(axum::middleware::from_fn(security::request_id))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}
