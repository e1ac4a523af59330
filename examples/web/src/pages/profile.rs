//! The signed-in user's details and password (C1, A6).

use askama::Template;
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::PortalSession;
use portal_core::domain::Address;
use portal_core::service::DetailsUpdate;
use serde::Deserialize;

use super::{PageError, form_error_at, render, see_other};
use crate::extract::{PortalForm, PortalUser};
use crate::i18n::filters;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    details: DetailsUpdate,
    email: String,
    org_name: &'a str,
    message: Option<String>,
    error: Option<super::Refused>,
}

async fn profile_page(
    session: &PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    message: Option<String>,
    error: Option<super::Refused>,
) -> Result<Response, PageError> {
    profile_page_with(session, (slug, csrf), message, error, None).await
}

/// The profile page; `typed`, the details as typed in a refused form, shown
/// again instead of the stored ones.
async fn profile_page_with(
    session: &PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    message: Option<String>,
    error: Option<super::Refused>,
    typed: Option<DetailsUpdate>,
) -> Result<Response, PageError> {
    let details = match typed {
        Some(typed) => typed,
        None => session.profile().get().await?,
    };
    Ok(render(&ProfilePage {
        slug,
        csrf,
        details,
        email: session.email().map(ToString::to_string).unwrap_or_default(),
        org_name: session.org_name(),
        message,
        error,
    }))
}

/// The details form and the password form.
pub async fn view(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
) -> Result<Response, PageError> {
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
    /// The address fields, `billing_street1`, `shipping_city`, ...
    #[serde(flatten)]
    address: std::collections::HashMap<String, String>,
}

/// The address of the form's fields named `{prefix}_street1` and so on; a field
/// the form did not send keeps its current value.
fn address_of(
    fields: &std::collections::HashMap<String, String>,
    prefix: &str,
    current: &Address,
) -> Address {
    let field = |name: &str, now: &str| {
        fields
            .get(&format!("{prefix}_{name}"))
            .cloned()
            .unwrap_or_else(|| now.to_owned())
    };
    Address {
        attention: field("attention", &current.attention),
        street1: field("street1", &current.street1),
        street2: field("street2", &current.street2),
        city: field("city", &current.city),
        state: field("state", &current.state),
        zip: field("zip", &current.zip),
        country: field("country", &current.country),
        phone: field("phone", &current.phone),
    }
}

/// The details form's inputs, by the library's names for them.
const DETAILS: &[(&str, &str)] = &[
    ("display_name", "display_name"),
    ("company_name", "company_name"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("phone", "phone"),
];

/// Saves the details; the organization is told (N1).
pub async fn update(
    PortalForm {
        user: PortalUser {
            session,
            csrf,
            slug,
        },
        form,
    }: PortalForm<DetailsForm>,
) -> Result<Response, PageError> {
    let current = session.profile().get().await?;
    let update = DetailsUpdate {
        display_name: form.display_name,
        company_name: form.company_name,
        first_name: form.first_name,
        last_name: form.last_name,
        phone: form.phone,
        billing_address: address_of(&form.address, "billing", &current.billing_address),
        shipping_address: address_of(&form.address, "shipping", &current.shipping_address),
    };
    match session.profile().update(update.clone()).await {
        Ok(_) => Ok(see_other(&format!("/{slug}/profile"))),
        Err(e) => {
            // The form again as typed, with the reason.
            let error = form_error_at(e, DETAILS)?;
            profile_page_with(&session, (&slug, &csrf), None, Some(error), Some(update)).await
        }
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
    PortalForm {
        user: PortalUser {
            session,
            csrf,
            slug,
        },
        form,
    }: PortalForm<PasswordForm>,
) -> Result<Response, PageError> {
    let outcome = session
        .profile()
        .change_password(&form.current, &form.password, &form.password_confirmation)
        .await;
    match outcome {
        Ok(()) => {
            let done = crate::i18n::text("password-changed", &[]);
            profile_page(&session, (&slug, &csrf), Some(done), None).await
        }
        Err(e) => {
            let error = form_error_at(
                e,
                &[
                    ("current password", "current"),
                    ("password", "password"),
                    ("password confirmation", "password_confirmation"),
                ],
            )?;
            profile_page(&session, (&slug, &csrf), None, Some(error)).await
        }
    }
}

crate::csrf_forms!(DetailsForm, PasswordForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/profile", get(view).post(update))
        .route("/password", post(change_password))
}
