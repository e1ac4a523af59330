//! The handlers, one file per area, and what they share: rendering, the signed-in
//! session of a request, and turning the library's errors into pages.

pub mod access;
pub mod comments;
pub mod credits;
pub mod documents;
pub mod files;
pub mod home;
pub mod invoices;
pub mod links;
pub mod messages;
pub mod pay;
pub mod payment_methods;
pub mod payments;
pub mod profile;
pub mod projects;
pub mod quotes;
pub mod sales_orders;
pub mod timesheets;

use askama::Template;
use axum::http::header::{HeaderMap, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use portal_core::domain::{Action, Module};
use portal_core::{Error, PortalSession};

use crate::AppState;
use crate::security::{cookie, csrf_matches, session_csrf};

/// What can end a request other than its page.
#[derive(Debug)]
pub enum PageError {
    /// A library error, shown with its message and code.
    Portal(Error),
    /// Not signed in (or the session ended): back to the portal's sign-in page.
    SignIn(String),
    /// Not signed in, on a page to come back to once signed in: the portal's
    /// slug and the page's path.
    SignInThen(String, String),
    /// A form without the right CSRF token.
    Csrf,
    /// A page that does not exist (or is not this user's: the same answer).
    NotFound,
    /// Not signed in to the org console: to its sign-in page.
    ConsoleSignIn,
    /// A form (or an upload in it) larger than the app reads.
    TooLarge,
    /// A form that is not one of the app's: a field missing or not what it takes.
    BadForm,
    /// Something failed that the user cannot fix (the detail is in the log).
    Internal,
}

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        PageError::Portal(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let failure = match self {
            PageError::SignIn(slug) => return see_other(&format!("/{slug}/sign-in")),
            PageError::SignInThen(slug, next) => {
                return see_other(&format!("/{slug}/sign-in?next={}", query_value(&next)));
            }
            PageError::ConsoleSignIn => return see_other("/console/sign-in"),
            PageError::Internal => crate::errors::Failure::internal("internal"),
            PageError::Csrf => crate::errors::Failure::says(
                StatusCode::FORBIDDEN,
                "error-title-csrf",
                "error-csrf",
                "csrf",
            ),
            PageError::NotFound => crate::errors::Failure::not_found(),
            PageError::TooLarge => crate::errors::Failure::too_large(),
            PageError::BadForm => crate::errors::Failure::bad_form(),
            PageError::Portal(e) => crate::errors::Failure::of_error(&e),
        };
        failure.into_response()
    }
}

/// Renders a template; a template that fails to render is a 500 page.
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong").into_response()
        }
    }
}

/// A `303 See Other` to `to`, as after every successful form.
#[must_use]
pub fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, location);
    }
    response
}

/// What the navigation offers: only what the settings and the role allow. A page
/// left out still answers a direct URL, with the library's reason.
#[derive(Debug, Clone, Copy)]
#[allow(clippy::struct_excessive_bools)]
pub struct Nav {
    /// Quotes.
    pub quotes: bool,
    /// Invoices.
    pub invoices: bool,
    /// Payments, receipts, credits.
    pub payments: bool,
    /// The statement of account.
    pub statement: bool,
    /// Sales orders.
    pub sales_orders: bool,
    /// Projects.
    pub projects: bool,
    /// Timesheets.
    pub timesheets: bool,
    /// Uploading files.
    pub upload: bool,
    /// Editing the customer's details.
    pub edit_details: bool,
}

impl Nav {
    /// What `session` may view.
    #[must_use]
    pub fn of(session: &PortalSession) -> Self {
        let view = |m| session.can(m, Action::View).is_allowed();
        Self {
            quotes: view(Module::Quotes),
            invoices: view(Module::Invoices),
            payments: view(Module::Payments),
            statement: view(Module::Statements),
            sales_orders: view(Module::SalesOrders),
            projects: view(Module::Projects),
            timesheets: view(Module::Timesheets),
            upload: session.can(Module::Documents, Action::Upload).is_allowed(),
            edit_details: session.can(Module::Profile, Action::Edit).is_allowed(),
        }
    }
}

/// Every time zone of the IANA database, sorted: the choices of a time-zone
/// select list, read once.
#[must_use]
pub fn time_zones() -> &'static [String] {
    static ZONES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ZONES.get_or_init(portal_core::domain::time_zone_names)
}

/// What a preferences form offers, as select lists: the time zones of the IANA
/// database, the languages the portal is written in (each named in itself), and
/// the countries of ISO 3166-1 named and sorted in the request's language.
#[derive(Debug)]
pub struct PreferenceChoices {
    /// Every time zone.
    pub zones: &'static [String],
    /// The languages: tag and name.
    pub languages: Vec<(&'static str, &'static str)>,
    /// The countries: code and name.
    pub countries: Vec<(&'static str, String)>,
}

impl PreferenceChoices {
    /// The choices, for the request's reader.
    #[must_use]
    pub fn new() -> Self {
        Self {
            zones: time_zones(),
            languages: portal_core::i18n::Language::all()
                .iter()
                .map(|l| (l.tag(), l.name()))
                .collect(),
            countries: crate::i18n::with(portal_core::i18n::Reader::countries),
        }
    }

    /// Whether `tag` (a stored preference, `pt-PT`) reads as the language
    /// `option` offers (`pt`).
    #[must_use]
    pub fn is_language(tag: &str, option: &str) -> bool {
        portal_core::i18n::Language::of_tag(tag).is_some_and(|l| l.tag() == option)
    }
}

impl Default for PreferenceChoices {
    fn default() -> Self {
        Self::new()
    }
}

/// The CSRF token of a signed-in page, with what its navigation shows. It reads as
/// the token (`{{ csrf }}` in a template, `&str` in code).
#[derive(Debug, Clone)]
pub struct Csrf {
    token: String,
    /// The navigation of the signed-in user.
    pub nav: Nav,
    /// The organization's name, for the printed page's heading.
    pub org: String,
    /// The customer's name, for the printed page's heading.
    pub customer: String,
}

impl std::ops::Deref for Csrf {
    type Target = str;
    fn deref(&self) -> &str {
        &self.token
    }
}

impl std::fmt::Display for Csrf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.token)
    }
}

/// The signed-in user of a request to portal `slug`, with the CSRF token of the
/// session. No cookie, an ended session, or a session of another portal all send
/// the user to this portal's sign-in page.
pub async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<(PortalSession, Csrf), PageError> {
    let Some(token) = cookie(headers, state.cookies.session_name()) else {
        return Err(PageError::SignIn(slug.to_owned()));
    };
    match state.portal.session(&token).await {
        Ok(session) if session.org_slug().as_str() == slug => {
            crate::i18n::read_by(session.reader());
            let csrf = Csrf {
                token: session_csrf(&token),
                nav: Nav::of(&session),
                org: session.org_name().to_owned(),
                customer: session.customer_name().to_owned(),
            };
            Ok((session, csrf))
        }
        Ok(_) => Err(PageError::SignIn(slug.to_owned())),
        Err(e) if e.kind() == portal_core::ErrorKind::Unauthenticated => {
            Err(PageError::SignIn(slug.to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

/// An id from the URL, made with `from`; anything that is not a UUID is the page
/// that is not there.
///
/// # Errors
/// [`PageError::NotFound`].
pub fn path_id<T>(text: &str, from: fn(uuid::Uuid) -> T) -> Result<T, PageError> {
    uuid::Uuid::parse_str(text)
        .map(from)
        .map_err(|_| PageError::NotFound)
}

/// `e` in the reader's words (the library's message for its code).
#[must_use]
pub fn refusal(e: &Error) -> String {
    crate::i18n::with(|r| r.refusal(e))
}

/// A refusal as a form shows it: what happened and what to do, in words, and
/// the library's code as a small reference for support (none for the host's
/// own messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The message, in the reader's language.
    pub message: String,
    /// The library's stable code, or empty.
    pub code: &'static str,
    /// The id of the input the refusal is about, when the form has it: the
    /// message goes beside that input instead of above the form.
    pub field: Option<&'static str>,
}

impl Refused {
    /// The library's error `e`, in the reader's words, with its code, above the
    /// form.
    #[must_use]
    pub fn of(e: &Error) -> Self {
        Self {
            message: refusal(e),
            code: e.code(),
            field: None,
        }
    }

    /// [`Refused::of`], beside the input at fault when `inputs` has it: pairs of
    /// the library's name for a field ([`Error::field`]) and the input's id.
    #[must_use]
    pub fn at_input(e: &Error, inputs: &[(&'static str, &'static str)]) -> Self {
        let field = e
            .field()
            .and_then(|f| inputs.iter().find(|(name, _)| *name == f))
            .map(|(_, id)| *id);
        Self {
            field,
            ..Self::of(e)
        }
    }

    /// Whether the refusal is about the input with id `field`.
    #[must_use]
    pub fn at(&self, field: &str) -> bool {
        self.field == Some(field)
    }
}

impl From<String> for Refused {
    fn from(message: String) -> Self {
        Self {
            message,
            code: "",
            field: None,
        }
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a form shows again when the library refuses it for a reason the user can
/// act on: the message and its code. Anything else (`not_found`, `forbidden`, an
/// ended session, a store failure) ends the request as its error page.
///
/// # Errors
/// The error as a [`PageError`] when it is not the user's to fix.
pub fn form_error(e: Error) -> Result<Refused, PageError> {
    fixable(e).map(|e| Refused::of(&e))
}

/// [`form_error`] for a form whose inputs are named in `inputs`, pairs of the
/// library's name for a field ([`Error::field`]) and the input's id: a refusal
/// about one of them goes beside that input.
///
/// # Errors
/// The error as a [`PageError`] when it is not the user's to fix.
pub fn form_error_at(
    e: Error,
    inputs: &[(&'static str, &'static str)],
) -> Result<Refused, PageError> {
    fixable(e).map(|e| Refused::at_input(&e, inputs))
}

/// [`form_error`] for the organization's console: its people read the
/// library's own English message, with every detail it has.
///
/// # Errors
/// The error as a [`PageError`] when it is not the user's to fix.
pub fn staff_form_error(e: Error) -> Result<String, PageError> {
    fixable(e).map(|e| format!("{e} ({})", e.code()))
}

/// A page's refused form: the reason and what it had typed, or no reason and
/// an empty form.
pub(crate) fn shown_again<T: Default>(refused: Option<(Refused, T)>) -> (Option<Refused>, T) {
    refused.map_or_else(|| (None, T::default()), |(e, typed)| (Some(e), typed))
}

/// `e` when a form can show it (the person can act on it), else the error
/// that ends the request.
fn fixable(e: Error) -> Result<Error, PageError> {
    use portal_core::ErrorKind as K;
    match e.kind() {
        K::Input | K::Conflict | K::Payment | K::Throttled => Ok(e),
        _ => Err(e.into()),
    }
}

/// `text` escaped for a query string's value.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Checks a signed-in form's CSRF token.
///
/// # Errors
/// [`PageError::Csrf`] when it does not match.
pub fn check_csrf(expected: &str, sent: &str) -> Result<(), PageError> {
    if csrf_matches(expected, sent) {
        Ok(())
    } else {
        Err(PageError::Csrf)
    }
}

/// A portal's routes, under `/{slug}`: every area's.
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .merge(home::routes())
        .merge(access::routes())
        .merge(links::routes())
        .merge(invoices::routes())
        .merge(credits::routes())
        .merge(pay::routes())
        .merge(payment_methods::routes())
        .merge(payments::routes())
        .merge(quotes::routes())
        .merge(sales_orders::routes())
        .merge(projects::routes())
        .merge(timesheets::routes())
        .merge(comments::routes())
        .merge(messages::routes())
        .merge(profile::routes())
        .merge(files::routes())
        .merge(documents::routes())
}
