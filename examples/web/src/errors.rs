//! Every refusal as a page of the portal: what happened and what to do, in words,
//! with the portal's navigation when the visitor is signed in, and a way back into
//! the portal (or the console) rather than to the app's front page.
//!
//! Handlers end a request with a [`crate::pages::PageError`], which becomes a
//! [`Failure`]; what axum refuses before a handler runs (a body over the limit, a
//! form that does not parse, an address that does not exist, a method a route does
//! not take) answers in plain text, which [`error_pages`] turns into the same
//! pages. A page a handler rendered itself (a form shown again with its message)
//! is left as it is.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::i18n::filters;
use crate::pages::{Csrf, render, signed_in};

/// A refusal, before it is drawn as a page: [`error_pages`] draws it, in the place
/// of the request it ends.
#[derive(Debug, Clone)]
pub struct Failure {
    status: StatusCode,
    title: String,
    message: String,
    code: &'static str,
}

impl Failure {
    /// A refusal with its status, a title, what happened and what to do, and the
    /// code a person can quote to support.
    #[must_use]
    pub fn new(status: StatusCode, title: &str, message: &str, code: &'static str) -> Self {
        Self {
            status,
            title: title.to_owned(),
            message: message.to_owned(),
            code,
        }
    }

    /// A refusal whose title and message are the pages' messages `title` and
    /// `message`, in the reader's language.
    #[must_use]
    pub fn says(status: StatusCode, title: &str, message: &str, code: &'static str) -> Self {
        Self::new(
            status,
            &crate::i18n::text(title, &[]),
            &crate::i18n::text(message, &[]),
            code,
        )
    }

    /// Something failed that the visitor cannot fix; the detail is in the log.
    #[must_use]
    pub fn internal(code: &'static str) -> Self {
        Self::says(
            StatusCode::INTERNAL_SERVER_ERROR,
            "error-title-internal",
            "error-internal",
            code,
        )
    }

    /// A page that does not exist, or is not the visitor's.
    #[must_use]
    pub fn not_found() -> Self {
        Self::says(
            StatusCode::NOT_FOUND,
            "error-title-not-found",
            "error-not-found",
            "not_found",
        )
    }

    /// A body larger than the app reads.
    #[must_use]
    pub fn too_large() -> Self {
        Self::says(
            StatusCode::PAYLOAD_TOO_LARGE,
            "error-title-too-large",
            "error-too-large",
            "too_large",
        )
    }

    /// A form the app cannot read: a field missing or not what it takes.
    #[must_use]
    pub fn bad_form() -> Self {
        Self::says(
            StatusCode::BAD_REQUEST,
            "error-title-bad-form",
            "error-bad-form",
            "bad_form",
        )
    }

    /// A library error as the visitor reads it: the status of its kind (the one
    /// place the web host maps kinds to statuses), its message unless it is the
    /// system's own failure, and its code.
    #[must_use]
    pub fn of_error(e: &portal_core::Error) -> Self {
        use portal_core::ErrorKind as K;
        let (status, title) = match e.kind() {
            K::Input => (StatusCode::UNPROCESSABLE_ENTITY, "error-title-check"),
            K::Unauthenticated => (StatusCode::UNAUTHORIZED, "error-title-sign-in-again"),
            K::Forbidden => (StatusCode::FORBIDDEN, "error-title-not-allowed"),
            K::NotFound => {
                return Self {
                    code: e.code(),
                    ..Self::not_found()
                };
            }
            K::Gone => (StatusCode::GONE, "error-title-link-gone"),
            K::Conflict => (StatusCode::CONFLICT, "error-title-cannot-now"),
            K::Payment => (StatusCode::PAYMENT_REQUIRED, "error-title-payment"),
            K::Throttled => (StatusCode::TOO_MANY_REQUESTS, "error-title-wait"),
            K::Unavailable => {
                // The detail (which server, which address) goes to the log only.
                tracing::warn!(code = e.code(), error = %e, "request failed for now");
                return Self::says(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "error-title-unavailable",
                    "error-unavailable",
                    e.code(),
                );
            }
            // Internal, and any kind a later version adds.
            _ => {
                // The detail goes to the log, never to the browser.
                tracing::error!(code = e.code(), error = %e, "request failed");
                return Self::internal(e.code());
            }
        };
        // What happened and what to do, in the reader's words.
        Self::new(
            status,
            &crate::i18n::text(title, &[]),
            &crate::pages::refusal(e),
            e.code(),
        )
    }

    /// What axum answered in plain text before any handler ran, with `status`.
    fn of_status(status: StatusCode) -> Self {
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => Self::too_large(),
            StatusCode::BAD_REQUEST
            | StatusCode::UNPROCESSABLE_ENTITY
            | StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::bad_form(),
            StatusCode::NOT_FOUND => Self::not_found(),
            StatusCode::METHOD_NOT_ALLOWED => Self::says(
                status,
                "error-title-method",
                "error-method",
                "method_not_allowed",
            ),
            s if s.is_server_error() => Self::internal("internal"),
            s => Self::says(
                s,
                "error-title-bad-request",
                "error-bad-request",
                "bad_request",
            ),
        }
    }
}

impl IntoResponse for Failure {
    /// A plain-text answer carrying the failure, for [`error_pages`] to draw (and
    /// readable as it is where that layer is not).
    fn into_response(self) -> Response {
        let text = format!("{}. {}", self.title, self.message);
        let mut response = (self.status, text).into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The app's answer to an address no route has.
pub async fn no_such_page() -> Response {
    Failure::not_found().into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    failure: &'a Failure,
    /// The portal's slug and the signed-in visitor's navigation.
    slug: &'a str,
    csrf: Option<Csrf>,
    /// Where to go from here, and its words.
    back: String,
    back_label: String,
}

/// Where a refused request was: in a portal (and signed in or not), in the
/// console, or elsewhere in the app.
async fn place(state: &AppState, path: &str, headers: &HeaderMap) -> (String, Option<Csrf>) {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if matches!(first, "" | "console" | "dev" | "static" | "favicon.ico") {
        return (first.to_owned(), None);
    }
    match signed_in(state, headers, first).await {
        Ok((_, csrf)) => (first.to_owned(), Some(csrf)),
        Err(_) if state.portal.org_by_slug(first).await.is_ok() => (first.to_owned(), None),
        Err(_) => (String::new(), None),
    }
}

/// Draws every refusal as a page of its place (see the module's docs).
pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    // Only the cookies are needed, and only if the answer is a refusal.
    let headers: HeaderMap = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .map(|v| (COOKIE, v.clone()))
        .collect();
    let mut response = next.run(request).await;
    let status = response.status();
    // A gateway's webhook call reads the code, not a page.
    if !(status.is_client_error() || status.is_server_error()) || path.starts_with("/webhooks/") {
        return response;
    }
    let failure = match response.extensions_mut().remove::<Failure>() {
        Some(failure) => failure,
        None if is_plain_text(&response) => Failure::of_status(status),
        // A page the handler drew itself: a form shown again with its message.
        None => return response,
    };
    let (slug, csrf) = place(&state, &path, &headers).await;
    let (back, back_label) = match slug.as_str() {
        "console" => ("/console".to_owned(), "error-back-console"),
        "" | "dev" | "static" | "favicon.ico" => ("/".to_owned(), "error-back-start"),
        portal => (format!("/{portal}"), "error-back-portal"),
    };
    let back_label = crate::i18n::text(back_label, &[]);
    let page = render(&ErrorPage {
        status: failure.status.as_u16(),
        failure: &failure,
        slug: &slug,
        csrf,
        back,
        back_label,
    });
    let (mut parts, _) = response.into_parts();
    let (drawn, body) = page.into_parts();
    parts.status = failure.status;
    parts.headers.remove(CONTENT_LENGTH);
    parts.headers.insert(
        CONTENT_TYPE,
        drawn
            .headers
            .get(CONTENT_TYPE)
            .cloned()
            .unwrap_or_else(|| HeaderValue::from_static("text/html; charset=utf-8")),
    );
    Response::from_parts(parts, body)
}

fn is_plain_text(response: &Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"))
}
