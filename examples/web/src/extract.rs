//! What a handler takes instead of doing it by hand: the signed-in portal user, the
//! signed-in console user, forms whose CSRF token is checked, and typed ids from the
//! path. Each refuses with the page the visitor should see: the sign-in page, the
//! form has expired, or the page that is not there.

use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::request::Parts;
use portal_core::PortalSession;
use portal_core::domain::Organization;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::pages::{Csrf, PageError, check_csrf};

/// The path parameter `name` of the request, if its route has one.
async fn path_param(parts: &mut Parts, state: &AppState, name: &str) -> Option<String> {
    let params = axum::extract::RawPathParams::from_request_parts(parts, state)
        .await
        .ok()?;
    params
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The signed-in portal user of a request to `/{slug}/...`: the session, the CSRF
/// token of its forms (with what the navigation shows), and the portal's slug. No
/// cookie, an ended session, or a session of another portal: to this portal's
/// sign-in page.
#[derive(Debug)]
pub struct PortalUser {
    /// The session, scoped to its organization and customer.
    pub session: PortalSession,
    /// The CSRF token of the session's forms, and the navigation.
    pub csrf: Csrf,
    /// The portal's slug.
    pub slug: String,
}

impl FromRequestParts<AppState> for PortalUser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let slug = path_param(parts, state, "slug").await.unwrap_or_default();
        let (session, csrf) = match crate::pages::signed_in(state, &parts.headers, &slug).await {
            // A page opened signed out (a link in an email) opens again once
            // signed in.
            Err(PageError::SignIn(slug)) if parts.method == axum::http::Method::GET => {
                // The address as asked (a nested router sees it without the slug).
                let uri = parts
                    .extensions
                    .get::<axum::extract::OriginalUri>()
                    .map_or_else(|| parts.uri.clone(), |o| o.0.clone());
                if !uri.path().starts_with(&format!("/{slug}/")) {
                    return Err(PageError::SignIn(slug));
                }
                let next = uri
                    .path_and_query()
                    .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
                return Err(PageError::SignInThen(slug, next));
            }
            other => other?,
        };
        Ok(Self {
            session,
            csrf,
            slug,
        })
    }
}

/// The signed-in org console user of a request to `/console/{slug}/...`: the
/// organization and the CSRF token of the console session. Without a console
/// session: to the console's sign-in page.
#[derive(Debug)]
pub struct Staff {
    /// The organization the address names.
    pub org: Organization,
    /// The CSRF token of the console session's forms.
    pub csrf: String,
    /// The organization's slug.
    pub slug: String,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let slug = path_param(parts, state, "slug").await.unwrap_or_default();
        let (org, csrf) = crate::console::signed_in(state, &parts.headers, &slug).await?;
        Ok(Self { org, csrf, slug })
    }
}

/// A form body that carries the CSRF token of the page it came from: a urlencoded
/// form (made one with [`csrf_forms!`](crate::csrf_forms)) or an [`Upload`].
pub trait FormBody: Sized + Send {
    /// Reads the body: one over the body limit is "too large", one that does not
    /// parse is "could not be read".
    fn read(
        request: Request,
        state: &AppState,
    ) -> impl std::future::Future<Output = Result<Self, PageError>> + Send;

    /// The token the form sent.
    fn csrf(&self) -> &str;
}

/// Makes form structs with a `csrf: String` field [`FormBody`]s, read as
/// `application/x-www-form-urlencoded`.
#[macro_export]
macro_rules! csrf_forms {
    ($($form:ty),* $(,)?) => {
        $(impl $crate::extract::FormBody for $form {
            async fn read(
                request: ::axum::extract::Request,
                state: &$crate::AppState,
            ) -> Result<Self, $crate::pages::PageError> {
                $crate::extract::urlencoded(request, state).await
            }

            fn csrf(&self) -> &str {
                &self.csrf
            }
        })*
    };
}

/// A urlencoded form body as the visitor sent it.
///
/// # Errors
/// [`PageError::TooLarge`] over the body limit, [`PageError::BadForm`] when it
/// does not parse as `T`.
pub async fn urlencoded<T: DeserializeOwned>(
    request: Request,
    state: &AppState,
) -> Result<T, PageError> {
    match Form::<T>::from_request(request, state).await {
        Ok(Form(form)) => Ok(form),
        Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
            Err(PageError::TooLarge)
        }
        Err(_) => Err(PageError::BadForm),
    }
}

/// A multipart upload form: its CSRF token and its one file.
#[derive(Debug)]
pub struct Upload {
    csrf: String,
    /// The file's name as the browser sent it.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl FormBody for Upload {
    async fn read(request: Request, state: &AppState) -> Result<Self, PageError> {
        let form = Multipart::from_request(request, state)
            .await
            .map_err(|_| PageError::BadForm)?;
        let (csrf, name, bytes) = crate::pages::files::upload_parts(form).await?;
        Ok(Self { csrf, name, bytes })
    }

    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A form the signed-in portal user sent, its CSRF token checked against the
/// session's: the user and the form.
#[derive(Debug)]
pub struct PortalForm<T> {
    /// Who sent it.
    pub user: PortalUser,
    /// What was sent.
    pub form: T,
}

impl<T: FormBody> FromRequest<AppState> for PortalForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = request.into_parts();
        let user = PortalUser::from_request_parts(&mut parts, state).await?;
        let form = T::read(Request::from_parts(parts, body), state).await?;
        check_csrf(&user.csrf, form.csrf())?;
        Ok(Self { user, form })
    }
}

/// A form the signed-in console user sent, its CSRF token checked against the
/// console session's: the user and the form.
#[derive(Debug)]
pub struct StaffForm<T> {
    /// Who sent it.
    pub staff: Staff,
    /// What was sent.
    pub form: T,
}

impl<T: FormBody> FromRequest<AppState> for StaffForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = request.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let form = T::read(Request::from_parts(parts, body), state).await?;
        check_csrf(&staff.csrf, form.csrf())?;
        Ok(Self { staff, form })
    }
}

/// A typed id from the path's `{id}`: anything that is not one is the page that is
/// not there.
#[derive(Debug, Clone, Copy)]
pub struct Id<T>(pub T);

impl<T: std::str::FromStr + Send> FromRequestParts<AppState> for Id<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        path_param(parts, state, "id")
            .await
            .and_then(|value| value.parse().ok())
            .map(Id)
            .ok_or(PageError::NotFound)
    }
}

/// A form read as its fields in the order sent: for forms whose checkboxes repeat
/// a name, or leave it out when unticked.
#[derive(Debug, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of field `name`, if it was sent.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of field `name`, in order.
    pub fn all<'f>(&'f self, name: &'f str) -> impl Iterator<Item = &'f str> + 'f {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl FormBody for Fields {
    async fn read(request: Request, state: &AppState) -> Result<Self, PageError> {
        urlencoded(request, state).await.map(Self)
    }

    fn csrf(&self) -> &str {
        self.get("csrf").unwrap_or_default()
    }
}

/// How a document is given, from the path's `{format}`: `pdf` (a download) or
/// `print` (a page). Anything else is the page that is not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A PDF download.
    Pdf,
    /// A page to print.
    Print,
}

impl FromRequestParts<AppState> for Format {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        match path_param(parts, state, "format").await.as_deref() {
            Some("pdf") => Ok(Self::Pdf),
            Some("print") => Ok(Self::Print),
            _ => Err(PageError::NotFound),
        }
    }
}

/// A form sent before signing in (sign-in, forgotten password, invitation, reset,
/// a document link's actions), its CSRF token checked against the browser's
/// signed-out CSRF cookie (double submit).
#[derive(Debug)]
pub struct SignedOutForm<T>(pub T);

impl<T: FormBody> FromRequest<AppState> for SignedOutForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let expected = crate::security::cookie(request.headers(), state.cookies.csrf_name())
            .unwrap_or_default();
        let form = T::read(request, state).await?;
        check_csrf(&expected, form.csrf())?;
        Ok(Self(form))
    }
}

/// The document link of a request to `/{slug}/d/{token}`, opened: the document
/// and the actions its link allows. A link of another portal is the same 404 as
/// one that does not exist; an ended link is the library's answer (gone, or off).
pub struct Linked {
    /// The opened link.
    pub access: portal_core::service::LinkAccess,
    /// The portal's slug.
    pub slug: String,
    /// The link's token, as the page's own address carries it.
    pub token: String,
}

/// Without the token: it opens the document.
impl std::fmt::Debug for Linked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Linked")
            .field("slug", &self.slug)
            .finish_non_exhaustive()
    }
}

impl FromRequestParts<AppState> for Linked {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let slug = path_param(parts, state, "slug").await.unwrap_or_default();
        let token = path_param(parts, state, "token")
            .await
            .ok_or(PageError::NotFound)?;
        // Whoever opened the link reads it in their browser's language.
        let access = state
            .portal
            .open_link(&token)
            .await?
            .read_in(crate::i18n::with(portal_core::i18n::Reader::language));
        if access.org_slug().as_str() != slug {
            return Err(PageError::NotFound);
        }
        Ok(Self {
            access,
            slug,
            token,
        })
    }
}
