//! Shared files (D4): the files the organization shared and the portal user's
//! uploads; download, upload, delete. Downloads carry the stored content type,
//! `Content-Disposition: attachment` and (with every response) `nosniff`.

use askama::Template;
use axum::extract::DefaultBodyLimit;
use axum::extract::Multipart;
use axum::routing::{get, post};

use axum::response::Response;
use portal_core::domain::{FileId, FileOrigin, PageRequest, SharedFile};
use serde::Deserialize;

use super::{PageError, form_error, render, see_other};
use crate::extract::{Id, PortalForm, PortalUser, Upload};
use crate::i18n::filters;

/// The largest upload the route reads; the library's upload policy decides what
/// it keeps (10 MiB by default).
pub const UPLOAD_LIMIT: usize = 11 * 1024 * 1024;

/// One file as the list shows it.
struct Row {
    file: SharedFile,
    mine: bool,
}

#[derive(Template)]
#[template(path = "files.html")]
struct FilesPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    rows: Vec<Row>,
    error: Option<super::Refused>,
}

async fn files_page(
    PortalUser {
        session,
        csrf,
        slug,
    }: &PortalUser,
    error: Option<super::Refused>,
) -> Result<Response, PageError> {
    let page = session.files().list(&PageRequest::first(50)).await?;
    let me = session.contact_id();
    Ok(render(&FilesPage {
        slug,
        csrf,
        rows: page
            .items
            .into_iter()
            .map(|file| Row {
                mine: file.origin == FileOrigin::Contact(me),
                file,
            })
            .collect(),
        error,
    }))
}

/// The customer's files, newest first, and the upload form.
pub async fn list(user: PortalUser) -> Result<Response, PageError> {
    files_page(&user, None).await
}

/// A file's bytes, as an attachment of its stored type.
pub async fn download(
    PortalUser { session, .. }: PortalUser,
    Id(id): Id<FileId>,
) -> Result<Response, PageError> {
    let (file, bytes) = session.files().download(id).await?;
    // The name is the user's text: only a plain ASCII rendering goes in the header.
    Ok(crate::security::download(
        bytes,
        &file.content_type,
        &file.name,
    ))
}

/// What a broken upload stream means for the visitor: too large, or not a form
/// the app can read.
fn unreadable(e: &axum::extract::multipart::MultipartError) -> PageError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        PageError::TooLarge
    } else {
        PageError::BadForm
    }
}

/// Reads the multipart upload form: its CSRF token and its one file.
pub(crate) async fn upload_parts(
    mut form: Multipart,
) -> Result<(String, String, Vec<u8>), PageError> {
    let (mut csrf, mut name, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Some(field) = form.next_field().await.map_err(|e| unreadable(&e))? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(|e| unreadable(&e))?,
            Some("file") => {
                name = field.file_name().unwrap_or_default().to_owned();
                bytes = field.bytes().await.map_err(|e| unreadable(&e))?.to_vec();
            }
            _ => {}
        }
    }
    Ok((csrf, name, bytes))
}

/// Uploads a file (when the organization allows uploads); the library checks its
/// size and its type from the content, and tells the organization.
pub async fn upload(PortalForm { user, form }: PortalForm<Upload>) -> Result<Response, PageError> {
    match user.session.files().upload(&form.name, &form.bytes).await {
        Ok(_) => Ok(see_other(&format!("/{}/files", user.slug))),
        Err(e) => {
            let error = form_error(e)?;
            files_page(&user, Some(error)).await
        }
    }
}

/// The delete form: its CSRF token.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    csrf: String,
}

/// Deletes one of the user's own uploads.
pub async fn delete(
    Id(id): Id<FileId>,
    PortalForm {
        user: PortalUser { session, slug, .. },
        ..
    }: PortalForm<DeleteForm>,
) -> Result<Response, PageError> {
    session.files().delete(id).await?;
    Ok(see_other(&format!("/{slug}/files")))
}

crate::csrf_forms!(DeleteForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route(
            "/files",
            get(list)
                .post(upload)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/files/{id}", get(download))
        .route("/files/{id}/delete", post(delete))
}
