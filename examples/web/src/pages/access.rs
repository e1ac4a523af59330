//! Signing in and out, and accepting an invitation (A1–A5).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::auth::SecretToken;
use portal_core::domain::{DateFormat, UserPreferences};
use portal_core::service::{AcceptInvitation, SignedIn};
use serde::Deserialize;

use super::{PageError, PreferenceChoices, form_error, render, see_other};
use crate::AppState;
use crate::extract::{PortalForm, SignedOutForm};
use crate::i18n::filters;
use crate::security::cookie;

/// How long the session cookie lives in the browser; the library ends the session
/// itself when it is idle or too old.
const SESSION_COOKIE_SECONDS: i64 = 30 * 24 * 60 * 60;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage<'a> {
    slug: &'a str,
    csrf: &'a str,
    email: &'a str,
    error: Option<super::Refused>,
    /// Where to go once signed in (a document an email links to).
    next: &'a str,
}

/// The sign-in page's query: where to go once signed in.
#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// `next` when it is a page of this portal (`/{slug}/...`), never another
/// site or portal: what the sign-in returns to.
fn within(slug: &str, next: &str) -> Option<String> {
    let ours = next.starts_with(&format!("/{slug}/"))
        && !next.contains("//")
        && !next
            .split(['/', '?'])
            .any(|part| part == ".." || part == ".")
        && !next.contains('\\')
        && next.chars().all(|c| c.is_ascii_graphic());
    ours.then(|| next.to_owned())
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage<'a> {
    slug: &'a str,
    token: &'a str,
    csrf: &'a str,
    prefs: UserPreferences,
    choices: PreferenceChoices,
    error: Option<super::Refused>,
}

/// The organization's default preferences, which the invitation form starts from.
async fn default_preferences(state: &AppState, slug: &str) -> Result<UserPreferences, PageError> {
    Ok(state
        .portal
        .org_by_slug(slug)
        .await?
        .settings
        .default_user_preferences)
}

/// The CSRF secret of the browser's signed-out forms: the one its cookie already
/// holds (so a second tab does not break the first one's form), or a new one.
fn signed_out_csrf(state: &AppState, headers: &HeaderMap) -> Result<String, PageError> {
    match cookie(headers, state.cookies.csrf_name()) {
        Some(existing) if existing.len() >= 32 => Ok(existing),
        _ => Ok(SecretToken::generate()
            .map_err(portal_core::Error::from)?
            .expose()
            .to_owned()),
    }
}

/// A signed-out form's page: `page` renders it with the CSRF secret to put in the
/// form, and the response sets the same secret in its cookie (double submit).
pub(crate) fn signed_out_page(
    state: &AppState,
    headers: &HeaderMap,
    page: impl FnOnce(&str) -> Response,
) -> Result<Response, PageError> {
    let csrf = signed_out_csrf(state, headers)?;
    let mut response = page(&csrf);
    state.cookies.append(
        response.headers_mut(),
        state.cookies.csrf_name(),
        &csrf,
        None,
    );
    Ok(response)
}

/// The sign-in form. A signed-out form's CSRF secret lives in its own cookie and
/// in the form (double submit).
pub async fn sign_in_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<NextQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let next = within(&slug, &query.next).unwrap_or_default();
    signed_out_page(&state, &headers, |csrf| {
        render(&SignInPage {
            slug: &slug,
            csrf,
            email: "",
            error: None,
            next: &next,
        })
    })
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Signs in: a session cookie and the dashboard, or the form again with the
/// library's one answer for every failure.
pub async fn sign_in(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    client: crate::security::ClientAddress,
    SignedOutForm(form): SignedOutForm<SignInForm>,
) -> Result<Response, PageError> {
    match state
        .portal
        .sign_in(&slug, &form.email, &form.password, &client.key())
        .await
    {
        Ok(signed) => Ok(start_session(
            &state,
            &slug,
            &signed,
            within(&slug, &form.next),
        )),
        Err(e) => {
            let error = form_error(e)?;
            Ok(render(&SignInPage {
                slug: &slug,
                csrf: &form.csrf,
                email: &form.email,
                error: Some(error),
                next: &within(&slug, &form.next).unwrap_or_default(),
            }))
        }
    }
}

/// Ends the session and deletes the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    PortalForm { user, .. }: PortalForm<CsrfOnly>,
) -> Result<Response, PageError> {
    if let Some(token) = cookie(&headers, state.cookies.session_name()) {
        state.portal.sign_out(&token).await?;
    }
    let mut response = see_other(&format!("/{}/sign-in", user.slug));
    state.cookies.append(
        response.headers_mut(),
        state.cookies.session_name(),
        "",
        Some(0),
    );
    Ok(response)
}

/// A form that carries nothing but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// The invitation link's page: choose a password.
pub async fn invitation_form(
    State(state): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let prefs = default_preferences(&state, &slug).await?;
    signed_out_page(&state, &headers, |csrf| {
        render(&InvitationPage {
            slug: &slug,
            token: &token,
            csrf,
            prefs,
            choices: PreferenceChoices::new(),
            error: None,
        })
    })
}

/// The invitation form's fields.
#[derive(Debug, Deserialize)]
pub struct InvitationForm {
    csrf: String,
    password: String,
    password_confirmation: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    date_format: String,
    #[serde(default)]
    clock24: Option<String>,
    #[serde(default)]
    country: String,
}

impl InvitationForm {
    /// The preferences chosen on the form (the library checks them), or `None`
    /// when the form sent none: the organization's defaults then.
    fn preferences(&self) -> Option<UserPreferences> {
        if [
            &self.language,
            &self.time_zone,
            &self.date_format,
            &self.country,
        ]
        .iter()
        .all(|f| f.trim().is_empty())
        {
            return None;
        }
        Some(UserPreferences {
            language: self.language.trim().to_owned(),
            time_zone: self.time_zone.trim().to_owned(),
            date_format: match self.date_format.as_str() {
                "day_month_year" => DateFormat::DayMonthYear,
                "month_day_year" => DateFormat::MonthDayYear,
                _ => DateFormat::Iso,
            },
            twenty_four_hour_clock: self.clock24.is_some(),
            country: self.country.trim().to_owned(),
        })
    }
}

/// Accepts the invitation: the password is set and the user is signed in.
pub async fn accept_invitation(
    State(state): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    SignedOutForm(form): SignedOutForm<InvitationForm>,
) -> Result<Response, PageError> {
    let prefs = form.preferences();
    let input = AcceptInvitation {
        password: form.password.clone(),
        password_confirmation: form.password_confirmation.clone(),
        preferences: prefs.clone(),
    };
    match state.portal.accept_invitation(&token, input).await {
        Ok(signed) => Ok(start_session(&state, &slug, &signed, None)),
        Err(e) if e.is_input_error() => Ok(render(&InvitationPage {
            slug: &slug,
            token: &token,
            csrf: &form.csrf,
            prefs: match prefs {
                Some(prefs) => prefs,
                None => default_preferences(&state, &slug).await?,
            },
            choices: PreferenceChoices::new(),
            error: Some(super::Refused::at_input(&e, NEW_PASSWORD)),
        })),
        Err(e) => Err(e.into()),
    }
}

/// The inputs of a new password, by the library's names for them.
const NEW_PASSWORD: &[(&str, &str)] = &[
    ("password", "password"),
    ("password confirmation", "password_confirmation"),
];

fn start_session(
    state: &AppState,
    slug: &str,
    signed: &SignedIn,
    next: Option<String>,
) -> Response {
    // The page the person came for; else the first sign-in lands on the
    // dashboard with the organization's banner (P2).
    let home = if let Some(next) = next {
        next
    } else if signed.banner.is_some() {
        format!("/{slug}?welcome=1")
    } else {
        format!("/{slug}")
    };
    let mut response = see_other(&home);
    let cookies = state.cookies;
    cookies.append(
        response.headers_mut(),
        cookies.session_name(),
        signed.token.expose(),
        Some(SESSION_COOKIE_SECONDS),
    );
    cookies.append(response.headers_mut(), cookies.csrf_name(), "", Some(0));
    response
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage<'a> {
    slug: &'a str,
    csrf: &'a str,
    sent: bool,
}

/// The "forgot your password" form.
pub async fn forgot_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    signed_out_page(&state, &headers, |csrf| {
        render(&ForgotPage {
            slug: &slug,
            csrf,
            sent: false,
        })
    })
}

/// The forgot-password form's fields.
#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    csrf: String,
    email: String,
}

/// Sends a reset link if the email belongs to an active portal user; the answer
/// is the same either way, so the page tells nobody who has access (A7).
pub async fn forgot(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedOutForm(form): SignedOutForm<ForgotForm>,
) -> Result<Response, PageError> {
    match state
        .portal
        .request_password_reset(&slug, &form.email)
        .await
    {
        Ok(()) | Err(portal_core::Error::Email(_)) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(render(&ForgotPage {
        slug: &slug,
        csrf: &form.csrf,
        sent: true,
    }))
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage<'a> {
    slug: &'a str,
    token: &'a str,
    csrf: &'a str,
    error: Option<super::Refused>,
}

/// The reset link's page: choose a new password.
pub async fn reset_form(
    State(state): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    signed_out_page(&state, &headers, |csrf| {
        render(&ResetPage {
            slug: &slug,
            token: &token,
            csrf,
            error: None,
        })
    })
}

/// Sets the new password; every session of the user ends, and the sign-in page
/// follows.
pub async fn reset(
    State(state): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    SignedOutForm(form): SignedOutForm<InvitationForm>,
) -> Result<Response, PageError> {
    match state
        .portal
        .reset_password(&token, &form.password, &form.password_confirmation)
        .await
    {
        Ok(()) => Ok(see_other(&format!("/{slug}/sign-in"))),
        Err(e) if e.is_input_error() => Ok(render(&ResetPage {
            slug: &slug,
            token: &token,
            csrf: &form.csrf,
            error: Some(super::Refused::at_input(&e, NEW_PASSWORD)),
        })),
        Err(e) => Err(e.into()),
    }
}

crate::csrf_forms!(CsrfOnly, SignInForm, ForgotForm, InvitationForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/sign-in", get(sign_in_form).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/forgot-password", get(forgot_form).post(forgot))
        .route("/reset-password/{token}", get(reset_form).post(reset))
        .route(
            "/invitation/{token}",
            get(invitation_form).post(accept_invitation),
        )
}
