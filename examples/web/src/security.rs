//! Cookies, CSRF tokens and the security headers every response carries.

use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, COOKIE, HeaderMap, HeaderValue, REFERRER_POLICY, SET_COOKIE,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The strict policy of every page: nothing from elsewhere, no inline script or
/// style, no framing. The one script (the drawn-signature pad) is a file of the app,
/// so no inline script is allowed at all, with or without a nonce.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers to every response; the policy is the ports' (the
/// strict one, opened for a gateway's script when its form runs in the browser).
pub async fn headers(
    axum::extract::State(policy): axum::extract::State<HeaderValue>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(CONTENT_SECURITY_POLICY, policy);
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// The names of the two cookies: `__Host-` prefixed when they are `Secure`, which
/// browsers allow only over HTTPS (plain-HTTP localhost gets the bare names).
#[derive(Debug, Clone, Copy)]
pub struct Cookies {
    /// Whether cookies are `Secure` (and `__Host-` prefixed).
    pub secure: bool,
}

impl Cookies {
    /// The session cookie's name.
    #[must_use]
    pub fn session_name(self) -> &'static str {
        if self.secure {
            "__Host-portal_session"
        } else {
            "portal_session"
        }
    }

    /// The name of the cookie that carries the CSRF secret of a signed-out form.
    #[must_use]
    pub fn csrf_name(self) -> &'static str {
        if self.secure {
            "__Host-portal_csrf"
        } else {
            "portal_csrf"
        }
    }

    /// The name of the org console's session cookie.
    #[must_use]
    pub fn console_name(self) -> &'static str {
        if self.secure {
            "__Host-portal_console"
        } else {
            "portal_console"
        }
    }

    /// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, path `/`, `Secure` when
    /// configured; `max_age` 0 deletes it.
    #[must_use]
    pub fn set(self, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
        let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
        if self.secure {
            text.push_str("; Secure");
        }
        if let Some(seconds) = max_age {
            text.push_str(&format!("; Max-Age={seconds}"));
        }
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// Appends a `Set-Cookie` header.
    pub fn append(self, headers: &mut HeaderMap, name: &str, value: &str, max_age: Option<i64>) {
        headers.append(SET_COOKIE, self.set(name, value, max_age));
    }
}

/// The value of cookie `name` in the request, if any.
#[must_use]
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The CSRF token of a signed-in session: derived from the session token, which
/// only the browser's `HttpOnly` cookie holds, so another site cannot know it and a
/// token of one session is worthless in another.
#[must_use]
pub fn session_csrf(session_token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"portal-web csrf\0")
        .chain_update(session_token.as_bytes())
        .finalize();
    URL_SAFE_NO_PAD.encode(digest)
}

/// Whether the token a form sent is the expected one (in constant time).
#[must_use]
pub fn csrf_matches(expected: &str, sent: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(sent.as_bytes()))
}

/// Gives every request an id: a tracing span with the id, the method and the
/// route's pattern (never the path itself, which can hold an invitation or reset
/// token), and an `x-request-id` header on the response, so a user's report can be
/// matched to the log.
pub async fn request_id(request: Request, next: Next) -> Response {
    use tracing::Instrument as _;
    let id = uuid::Uuid::now_v7();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let span = tracing::info_span!("request", id = %id, method = %request.method(), route = %route);
    let mut response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| tracing::info!(status = response.status().as_u16(), "answered"));
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Turns a handler that panics into the generic 500 page: the panic's message
/// goes to the log with the request's id, never to the browser.
pub async fn catch_panic(request: Request, next: Next) -> Response {
    use futures_util::FutureExt as _;
    match std::panic::AssertUnwindSafe(next.run(request))
        .catch_unwind()
        .await
    {
        Ok(response) => response,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %message, "a handler panicked");
            crate::pages::PageError::Internal.into_response()
        }
    }
}

/// A file the browser saves rather than shows: the bytes with their stored
/// content type (`application/octet-stream` when it is not a valid header) and
/// `Content-Disposition: attachment` with the name in plain ASCII (anything else
/// becomes `_`, since the name can be a user's text); `nosniff` comes with every
/// response.
#[must_use]
pub fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(CONTENT_DISPOSITION, value);
    }
    response
}

/// The client of a request as throttling sees it: the network address of the
/// connection's peer or, behind [`AppState::trusted_proxies`](crate::AppState)
/// reverse proxies, the address the outermost of them saw (the entry they
/// appended to `X-Forwarded-For`, counted from the right; the left-most entries
/// are whatever the client wrote). `None` when the server was not started with
/// the peer's address (`into_make_service_with_connect_info`), as in tests.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl ClientAddress {
    /// The library's throttling key for it.
    #[must_use]
    pub fn key(self) -> portal_core::auth::ClientKey {
        self.0.map_or_else(
            portal_core::auth::ClientKey::unknown,
            portal_core::auth::ClientKey::from_ip,
        )
    }

    /// Reads it from the request's parts, trusting `proxies` hops.
    #[must_use]
    pub fn of(parts: &axum::http::request::Parts, proxies: usize) -> Self {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        if proxies == 0 {
            return Self(peer);
        }
        let forwarded: Vec<std::net::IpAddr> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|entry| entry.trim().parse().ok())
            .collect();
        let seen = forwarded
            .len()
            .checked_sub(proxies)
            .and_then(|i| forwarded.get(i))
            .copied();
        Self(seen.or(peer))
    }
}

impl axum::extract::FromRequestParts<crate::AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts, state.trusted_proxies))
    }
}

/// The HTML escaper of every template (see `askama.toml`): askama's HTML
/// escaping, with the Unicode bidirectional embedding, override and isolate
/// controls dropped ([`portal_core::domain::is_reordering_control`]). The library
/// refuses them in what it stores; this keeps anything stored before from
/// reordering a page. User text is also isolated where it sits inline
/// (`<bdi>`), so that right-to-left text never reorders what is around it.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainText;

impl askama::filters::Escaper for PlainText {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut dest: W, string: &str) -> std::fmt::Result {
        if !string
            .chars()
            .any(portal_core::domain::is_reordering_control)
        {
            return askama::filters::Html.write_escaped_str(dest, string);
        }
        for piece in string.split(portal_core::domain::is_reordering_control) {
            askama::filters::Html.write_escaped_str(&mut dest, piece)?;
        }
        Ok(())
    }

    fn write_escaped_char<W: std::fmt::Write>(&self, dest: W, c: char) -> std::fmt::Result {
        if portal_core::domain::is_reordering_control(c) {
            return Ok(());
        }
        askama::filters::Html.write_escaped_char(dest, c)
    }
}
