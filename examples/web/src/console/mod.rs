//! The org console: what the organization's staff do, in the same app, behind its
//! own credential (a token printed at start or set by `PORTAL_CONSOLE_TOKEN`).
//!
//! - this file: signing in and out, and the signed-in request's organization;
//! - `customers`: customers, contacts and portal access, the activity feed;
//! - `documents`: quotes, invoices, retainers, credit notes, sales orders,
//!   offline payments, comments, shared files;
//! - `work`: projects, tasks, time and timesheets;
//! - `settings`: portal settings, roles, the user cap, and the outbox.

pub mod customers;
pub mod documents;
pub mod settings;
pub mod work;

use std::collections::HashSet;
use std::sync::Mutex;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use portal_core::auth::SecretToken;
use portal_core::domain::Organization;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::pages::{PageError, check_csrf, render, see_other};
use crate::security::{cookie, session_csrf};

/// How long a console session lasts in the browser.
const CONSOLE_COOKIE_SECONDS: i64 = 8 * 60 * 60;

fn digest(text: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"portal-web console\0")
        .chain_update(text.as_bytes())
        .finalize()
        .into()
}

/// The console's credential and its open sessions, both kept only as hashes.
#[derive(Debug)]
pub struct Console {
    secret: [u8; 32],
    sessions: Mutex<HashSet<[u8; 32]>>,
}

impl Console {
    /// A console opened by `token`.
    #[must_use]
    pub fn new(token: &str) -> Self {
        Self {
            secret: digest(token),
            sessions: Mutex::new(HashSet::new()),
        }
    }

    /// A console with a fresh random token, returned once to be printed.
    ///
    /// # Errors
    /// The system's random source failed.
    pub fn generate() -> Result<(Self, String), portal_core::Error> {
        let token = SecretToken::generate()?.expose().to_owned();
        Ok((Self::new(&token), token))
    }

    fn opens(&self, token: &str) -> bool {
        bool::from(self.secret.ct_eq(&digest(token)))
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashSet<[u8; 32]>> {
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn start(&self) -> Result<String, portal_core::Error> {
        let session = SecretToken::generate()?.expose().to_owned();
        self.sessions().insert(digest(&session));
        Ok(session)
    }

    fn is_open(&self, session: &str) -> bool {
        self.sessions().contains(&digest(session))
    }

    fn end(&self, session: &str) {
        self.sessions().remove(&digest(session));
    }
}

/// The organization of a console request to `/console/{slug}/...` and the CSRF
/// token of the console session; without a console session, to its sign-in page.
///
/// # Errors
/// [`PageError::ConsoleSignIn`] when not signed in; the library's `not_found` for
/// an unknown portal.
pub async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<(Organization, String), PageError> {
    let session = cookie(headers, state.cookies.console_name())
        .filter(|s| state.console.is_open(s))
        .ok_or(PageError::ConsoleSignIn)?;
    let org = state.portal.org_by_slug(slug).await?;
    Ok((org, session_csrf(&session)))
}

/// Checks a console form's CSRF token.
///
/// # Errors
/// [`PageError::Csrf`].
pub fn check(expected: &str, sent: &str) -> Result<(), PageError> {
    check_csrf(expected, sent)
}

#[derive(Template)]
#[template(path = "console/sign_in.html")]
struct SignInPage<'a> {
    csrf: &'a str,
    error: Option<&'a str>,
}

/// The console's sign-in form.
pub async fn sign_in_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    crate::pages::access::signed_out_page(&state, &headers, |csrf| {
        render(&SignInPage { csrf, error: None })
    })
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct SignInForm {
    csrf: String,
    token: String,
}

impl std::fmt::Debug for SignInForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInForm").finish_non_exhaustive()
    }
}

/// Opens a console session when the token is the console's.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    crate::pages::access::check_signed_out_csrf(&state, &headers, &form.csrf)?;
    if !state.console.opens(form.token.trim()) {
        tracing::warn!("console sign-in refused");
        let mut page = render(&SignInPage {
            csrf: &form.csrf,
            error: Some("That is not the console's token."),
        });
        *page.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        return Ok(page);
    }
    let session = state.console.start()?;
    let mut response = see_other(&format!("/console/{}", state.demo_slug));
    state.cookies.append(
        response.headers_mut(),
        state.cookies.console_name(),
        &session,
        Some(CONSOLE_COOKIE_SECONDS),
    );
    Ok(response)
}

/// A form that carries only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Ends the console session.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let session = cookie(&headers, state.cookies.console_name()).unwrap_or_default();
    check_csrf(&session_csrf(&session), &form.csrf)?;
    state.console.end(&session);
    let mut response = see_other("/console/sign-in");
    state.cookies.append(
        response.headers_mut(),
        state.cookies.console_name(),
        "",
        Some(0),
    );
    Ok(response)
}

/// `/console`: the demo organization's console.
pub async fn index(State(state): State<AppState>) -> Response {
    see_other(&format!("/console/{}", state.demo_slug))
}

/// Lines typed one per line as `description; quantity; rate`.
///
/// # Errors
/// A message naming the line that does not read.
pub fn parse_lines(text: &str) -> Result<Vec<portal_core::domain::LineItem>, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(n, line)| {
            let parts: Vec<&str> = line.split(';').map(str::trim).collect();
            let number = |s: &str| s.parse::<portal_core::Decimal>().ok();
            match parts.as_slice() {
                [description, quantity, rate] => match (number(quantity), number(rate)) {
                    (Some(q), Some(r)) => {
                        Ok(portal_core::domain::LineItem::new(*description, q, r))
                    }
                    _ => Err(format!("line {}: quantity and rate must be numbers", n + 1)),
                },
                _ => Err(format!(
                    "line {}: write \"description; quantity; rate\"",
                    n + 1
                )),
            }
        })
        .collect()
}
