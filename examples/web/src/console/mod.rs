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

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::auth::SecretToken;
use portal_core::domain::Organization;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::extract::{SignedOutForm, StaffForm};
use crate::i18n::filters;
use crate::pages::{PageError, render, see_other};
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

/// Wrong console tokens allowed from one client within [`THROTTLE_WINDOW`].
pub const MAX_FAILURES_PER_CLIENT: usize = 5;
/// Wrong console tokens allowed from all clients together within
/// [`THROTTLE_WINDOW`]: what slows a guesser spread over many addresses.
pub const MAX_FAILURES: usize = 50;
/// The sliding window of the console's sign-in throttle.
pub const THROTTLE_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// The most clients the throttle remembers; past it, the oldest are forgotten
/// (the all-clients limit still counts them).
const MAX_CLIENTS: usize = 10_000;

/// Recent wrong console tokens, per client and in all. In memory: each app
/// process throttles on its own.
#[derive(Debug, Default)]
struct Throttle {
    by_client: std::collections::HashMap<Option<std::net::IpAddr>, VecDeque<Instant>>,
    all: VecDeque<Instant>,
}

impl Throttle {
    fn forget_before(&mut self, start: Instant) {
        let fresh = |q: &mut VecDeque<Instant>| {
            while q.front().is_some_and(|t| *t < start) {
                q.pop_front();
            }
        };
        fresh(&mut self.all);
        self.by_client.retain(|_, q| {
            fresh(q);
            !q.is_empty()
        });
    }

    /// How long `client` must wait before trying again, if it must.
    fn wait(
        &mut self,
        client: Option<std::net::IpAddr>,
        now: Instant,
    ) -> Option<std::time::Duration> {
        self.forget_before(now.checked_sub(THROTTLE_WINDOW).unwrap_or(now));
        let mine = self.by_client.get(&client);
        [
            (mine, MAX_FAILURES_PER_CLIENT),
            (Some(&self.all), MAX_FAILURES),
        ]
        .into_iter()
        .filter_map(|(q, max)| {
            let q = q?;
            // Allowed again once the oldest failure that counts leaves the window.
            let counting = q.len().checked_sub(max)?;
            Some(q[counting] + THROTTLE_WINDOW - now)
        })
        .max()
    }

    fn failed(&mut self, client: Option<std::net::IpAddr>, now: Instant) {
        if self.by_client.len() >= MAX_CLIENTS && !self.by_client.contains_key(&client) {
            let oldest = self
                .by_client
                .iter()
                .min_by_key(|(_, q)| q.back().copied())
                .map(|(k, _)| *k);
            if let Some(k) = oldest {
                self.by_client.remove(&k);
            }
        }
        self.by_client.entry(client).or_default().push_back(now);
        self.all.push_back(now);
    }
}

/// The console's credential and its open sessions, both kept only as hashes, and
/// the throttle of its sign-in.
#[derive(Debug)]
pub struct Console {
    secret: [u8; 32],
    sessions: Mutex<HashSet<[u8; 32]>>,
    throttle: Mutex<Throttle>,
}

impl Console {
    /// A console opened by `token`.
    #[must_use]
    pub fn new(token: &str) -> Self {
        Self {
            secret: digest(token),
            sessions: Mutex::new(HashSet::new()),
            throttle: Mutex::new(Throttle::default()),
        }
    }

    fn throttle(&self) -> std::sync::MutexGuard<'_, Throttle> {
        self.throttle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
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

/// Opens a console session when the token is the console's. After
/// [`MAX_FAILURES_PER_CLIENT`] wrong tokens from one client (or [`MAX_FAILURES`]
/// from all) within [`THROTTLE_WINDOW`], every attempt from there waits, the right
/// token included: 429, with how long in words.
pub async fn sign_in(
    State(state): State<AppState>,
    client: crate::security::ClientAddress,
    SignedOutForm(form): SignedOutForm<SignInForm>,
) -> Result<Response, PageError> {
    let now = Instant::now();
    let refused = |message: &str, status| {
        let mut page = render(&SignInPage {
            csrf: &form.csrf,
            error: Some(message),
        });
        *page.status_mut() = status;
        Ok(page)
    };
    if let Some(wait) = state.console.throttle().wait(client.0, now) {
        tracing::warn!("console sign-in throttled");
        let wait = portal_core::Duration::try_from(wait).unwrap_or(portal_core::Duration::MAX);
        return refused(
            &format!(
                "Too many wrong tokens; try again in {}.",
                portal_core::clock::in_words(wait)
            ),
            axum::http::StatusCode::TOO_MANY_REQUESTS,
        );
    }
    if !state.console.opens(form.token.trim()) {
        tracing::warn!("console sign-in refused");
        state.console.throttle().failed(client.0, now);
        return refused(
            "That is not the console's token.",
            axum::http::StatusCode::UNAUTHORIZED,
        );
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
    _: StaffForm<CsrfForm>,
) -> Result<Response, PageError> {
    if let Some(session) = cookie(&headers, state.cookies.console_name()) {
        state.console.end(&session);
    }
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

crate::csrf_forms!(SignInForm, CsrfForm);

/// The console's routes, under `/console`: signing in, and each organization's
/// console under `/console/{slug}`.
pub(crate) fn routes() -> axum::Router<AppState> {
    let staff = axum::Router::new()
        .route("/sign-out", post(sign_out))
        .merge(customers::routes())
        .merge(documents::routes())
        .merge(work::routes())
        .merge(settings::routes());
    axum::Router::new()
        .route("/", get(index))
        .route("/sign-in", get(sign_in_form).post(sign_in))
        .nest("/{slug}", staff)
}
