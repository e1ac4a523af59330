//! The payment gateway's webhook route: `POST /webhooks/{gateway}`, the body's exact
//! bytes and its signature header handed to `Portal::handle_gateway_event`. No
//! session and no CSRF token: the signature is the credential. The gateway resends
//! until it gets a 2xx, so only a store failure answers 5xx.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use portal_core::ErrorKind;

use crate::AppState;

/// The headers gateways sign their events in: Stripe's, then the test gateway's
/// (the same scheme under a neutral name).
const SIGNATURE_HEADERS: [&str; 2] = ["Stripe-Signature", "Webhook-Signature"];

/// Verifies and applies one gateway event.
pub async fn receive(
    State(state): State<AppState>,
    Path(gateway): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(signature) = SIGNATURE_HEADERS
        .iter()
        .find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()))
    else {
        return (StatusCode::BAD_REQUEST, "no signature header").into_response();
    };
    match state
        .portal
        .handle_gateway_event(&gateway, signature, &body)
        .await
    {
        Ok(outcome) => {
            tracing::info!(%gateway, ?outcome, "gateway event");
            (StatusCode::OK, format!("{outcome:?}")).into_response()
        }
        Err(e) if e.kind() == ErrorKind::Unavailable || e.kind() == ErrorKind::Internal => {
            tracing::warn!(%gateway, error = %e, "gateway event not applied; the gateway resends it");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later").into_response()
        }
        Err(e) => {
            tracing::warn!(%gateway, code = e.code(), "gateway event refused");
            (StatusCode::BAD_REQUEST, e.code()).into_response()
        }
    }
}
