//! The signed-in user's details and password (C1, A6).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use portal_core::PortalSession;
use portal_core::service::DetailsUpdate;
use serde::Deserialize;

use super::{PageError, check_csrf, render, see_other, signed_in};
use crate::AppState;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    slug: &'a str,
    csrf: &'a str,
    details: DetailsUpdate,
    email: String,
    message: Option<String>,
    error: Option<String>,
}

async fn profile_page(
    session: &PortalSession,
    (slug, csrf): (&str, &str),
    message: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let details = session.profile().get().await?;
    Ok(render(&ProfilePage {
        slug,
        csrf,
        details,
        email: session.email().map(ToString::to_string).unwrap_or_default(),
        message,
        error,
    }))
}

/// The details form and the password form.
pub async fn view(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(&state, &headers, &slug).await?;
    profile_page(&session, (&slug, &csrf), None, None).await
}

/// The details form's fields (addresses are kept as they are).
#[derive(Debug, Deserialize)]
pub struct DetailsForm {
    csrf: String,
    display_name: String,
    company_name: String,
    first_name: String,
    last_name: String,
    phone: String,
}

/// Saves the details; the organization is told (N1).
pub async fn update(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<DetailsForm>,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(&state, &headers, &slug).await?;
    check_csrf(&csrf, &form.csrf)?;
    let current = session.profile().get().await?;
    let update = DetailsUpdate {
        display_name: form.display_name,
        company_name: form.company_name,
        first_name: form.first_name,
        last_name: form.last_name,
        phone: form.phone,
        ..current
    };
    match session.profile().update(update).await {
        Ok(_) => Ok(see_other(&format!("/{slug}/profile"))),
        Err(e) if e.is_input_error() && !matches!(e, portal_core::Error::NotFound(_)) => {
            profile_page(
                &session,
                (&slug, &csrf),
                None,
                Some(format!("{e} ({})", e.code())),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The password form's fields.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    csrf: String,
    current: String,
    password: String,
    password_confirmation: String,
}

/// Changes the password; every other session of the user ends (A6).
pub async fn change_password(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(&state, &headers, &slug).await?;
    check_csrf(&csrf, &form.csrf)?;
    let outcome = session
        .profile()
        .change_password(&form.current, &form.password, &form.password_confirmation)
        .await;
    match outcome {
        Ok(()) => {
            let done = "Your password is changed; your other devices are signed out.";
            profile_page(&session, (&slug, &csrf), Some(done.into()), None).await
        }
        Err(e) if e.is_input_error() => {
            profile_page(&session, (&slug, &csrf), None, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}
