//! The pages' language and formats: each request is read by someone, the
//! signed-in person (their preferences, else the organization's defaults) or,
//! before sign-in, whoever the browser's `Accept-Language` says (else English).
//!
//! The pages' texts are Fluent messages in `locales/*.ftl`, one file per
//! language, checked by [`portal_core::i18n::Messages::problems`] in a test; the
//! templates reach them, and the reader's money, number, date and time formats,
//! through the filters of [`filters`]: `{{ "nav-home"|t }}`,
//! `{{ "invoice-title"|t1("number", invoice.number) }}`,
//! `{{ invoice.total|money }}`, `{{ invoice.due_date|date }}`, `{{ paid_at|day }}`.
//!
//! The reader of a request lives in a task-local value for the request
//! ([`language`], a middleware, sets it from the header; [`read_by`] sets it
//! once the session is known), so a template needs no field for it.

use std::cell::RefCell;

use axum::extract::Request;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::middleware::Next;
use axum::response::Response;
use portal_core::domain::UserPreferences;
use portal_core::i18n::{Language, Messages, Reader};

tokio::task_local! {
    static READER: RefCell<Reader>;
}

/// The pages' messages, built once.
#[must_use]
pub fn messages() -> &'static Messages {
    static MESSAGES: std::sync::OnceLock<Messages> = std::sync::OnceLock::new();
    MESSAGES.get_or_init(|| {
        Messages::new(&[
            (Language::English, include_str!("../locales/en.ftl")),
            (Language::Portuguese, include_str!("../locales/pt.ftl")),
            (Language::Spanish, include_str!("../locales/es.ftl")),
            (Language::Chinese, include_str!("../locales/zh-CN.ftl")),
        ])
    })
}

/// The reader of a request that has not signed in: the browser's language.
#[must_use]
pub fn anonymous(accept_language: Option<&str>) -> Reader {
    let language = accept_language.map_or(Language::English, Language::from_accept_language);
    Reader::new(&UserPreferences {
        language: language.tag().to_owned(),
        ..UserPreferences::default()
    })
}

/// Middleware: the request is read in the browser's language until a session
/// says otherwise.
pub async fn language(request: Request, next: Next) -> Response {
    let reader = anonymous(
        request
            .headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    READER.scope(RefCell::new(reader), next.run(request)).await
}

/// From here on, the request is read by `reader` (the signed-in person).
pub fn read_by(reader: Reader) {
    let _ = READER.try_with(|r| *r.borrow_mut() = reader);
}

/// `f` of the request's reader (English with the defaults outside a request).
pub fn with<T>(f: impl FnOnce(&Reader) -> T) -> T {
    let mut f = Some(f);
    let mut call = |reader: &Reader| f.take().map(|f| f(reader));
    READER
        .try_with(|r| call(&r.borrow()))
        .ok()
        .flatten()
        .or_else(|| call(&Reader::new(&UserPreferences::default())))
        .unwrap_or_else(|| unreachable!("called once"))
}

/// The page message `id` with `args` for the request's reader.
#[must_use]
pub fn text(id: &str, args: &[(&str, portal_core::i18n::FluentValue<'_>)]) -> String {
    with(|r| messages().text(r.language(), id, args))
}

/// The template filters of the pages' texts and formats.
#[allow(missing_docs)] // what askama::filter_fn generates for each filter
pub mod filters {
    use std::fmt::Display;

    use askama::Values;
    use portal_core::i18n::arg;

    /// `{{ "id"|t }}`: the message `id`.
    #[askama::filter_fn]
    pub fn t(id: impl Display, _: &dyn Values) -> askama::Result<String> {
        Ok(super::text(&id.to_string(), &[]))
    }

    /// `{{ "id"|t1("name", value) }}`: the message `id` with one value.
    #[askama::filter_fn]
    pub fn t1<N: Display, V: Display>(
        id: impl Display,
        _: &dyn Values,
        name: N,
        value: V,
    ) -> askama::Result<String> {
        Ok(super::text(
            &id.to_string(),
            &[(&name.to_string(), arg(value))],
        ))
    }

    /// `{{ "id"|t2("a", x, "b", y) }}`: the message `id` with two values.
    #[askama::filter_fn]
    pub fn t2<N: Display, V: Display, O: Display, W: Display>(
        id: impl Display,
        _: &dyn Values,
        name: N,
        value: V,
        other: O,
        other_value: W,
    ) -> askama::Result<String> {
        Ok(super::text(
            &id.to_string(),
            &[
                (&name.to_string(), arg(value)),
                (&other.to_string(), arg(other_value)),
            ],
        ))
    }

    /// `{{ "id"|h2("a", x, "b", y) }}`: the message `id`, whose translations
    /// carry a little markup of their own (`<strong>{ $name }</strong>`), with
    /// two values escaped for HTML. The messages are the project's own files,
    /// never stored text; the values are escaped.
    #[askama::filter_fn]
    pub fn h2<N: Display, V: Display, O: Display, W: Display>(
        id: impl Display,
        _: &dyn Values,
        name: N,
        value: V,
        other: O,
        other_value: W,
    ) -> askama::Result<askama::filters::Safe<String>> {
        Ok(askama::filters::Safe(super::text(
            &id.to_string(),
            &[
                (&name.to_string(), arg(escape(&value))),
                (&other.to_string(), arg(escape(&other_value))),
            ],
        )))
    }

    #[cfg(test)]
    #[test]
    fn values_put_in_markup_are_escaped() {
        let page = super::messages().text(
            portal_core::i18n::Language::English,
            "accepted-by",
            &[
                ("name", arg(escape(&"<script>alert(1)</script> & \"x\""))),
                ("date", arg("2026-12-07")),
            ],
        );
        assert!(
            page.starts_with("Accepted and signed by <strong>"),
            "{page}"
        );
        assert!(
            !page.contains("<script>") && !page.contains("\"x\""),
            "{page}"
        );
    }

    /// `value` escaped for HTML by askama's own escaper.
    fn escape(value: &impl Display) -> String {
        match askama::filters::escape(value, askama::filters::Html) {
            Ok(safe) => safe.to_string(),
            Err(never) => match never {},
        }
    }

    /// `{{ status|of("status") }}`: the message `status-{status}` (the name of
    /// a stored state, `status-overdue`).
    #[askama::filter_fn]
    pub fn of<P: Display>(
        value: impl Display,
        _: &dyn Values,
        prefix: P,
    ) -> askama::Result<String> {
        Ok(super::text(&format!("{prefix}-{value}"), &[]))
    }

    /// `{{ amount|money }}`: money as the reader's locale writes it.
    #[askama::filter_fn]
    pub fn money(value: &portal_core::domain::Money, _: &dyn Values) -> askama::Result<String> {
        Ok(super::with(|r| r.money(value)))
    }

    /// `{{ quantity|number }}`: a number as the reader's locale writes it,
    /// without trailing zeros (`2`, `1,5`).
    #[askama::filter_fn]
    pub fn number(value: &rust_decimal::Decimal, _: &dyn Values) -> askama::Result<String> {
        Ok(super::with(|r| r.number(value.normalize())))
    }

    /// `{{ line.rate|rate }}`: a price as the reader's locale writes it, with
    /// the digits it was given (`19,90`).
    #[askama::filter_fn]
    pub fn rate(value: &rust_decimal::Decimal, _: &dyn Values) -> askama::Result<String> {
        Ok(super::with(|r| r.number(*value)))
    }

    /// `{{ due_date|date }}`: a calendar date in the reader's date format.
    #[askama::filter_fn]
    pub fn date(value: &time::Date, _: &dyn Values) -> askama::Result<String> {
        Ok(super::with(|r| r.date(*value)))
    }

    /// `{{ paid_at|day }}`: the date of a moment where the reader is.
    #[askama::filter_fn]
    pub fn day(value: &time::OffsetDateTime, _: &dyn Values) -> askama::Result<String> {
        Ok(super::with(|r| r.date(r.local_date(*value))))
    }

    /// `{{ created_at|datetime }}`: the date and time of a moment where the
    /// reader is, on their clock.
    #[askama::filter_fn]
    pub fn datetime(value: &time::OffsetDateTime, _: &dyn Values) -> askama::Result<String> {
        Ok(super::with(|r| r.date_time(*value)))
    }

    /// `{{ ""|lang }}`: the reader's language tag, for `<html lang>`.
    #[askama::filter_fn]
    pub fn lang(_value: impl Display, _: &dyn Values) -> askama::Result<&'static str> {
        Ok(super::with(|r| r.language().tag()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_page_message_with_the_same_placeholders() {
        assert_eq!(messages().problems(), Vec::<String>::new());
    }

    /// Every message a template or handler names is in the English file: a
    /// typo would show its id on the page.
    #[test]
    fn every_message_the_pages_name_exists() {
        let named = named_ids();
        assert!(named.len() > 50, "{}", named.len());
        let missing: Vec<&String> = named.iter().filter(|id| !messages().has(id)).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }

    /// The ids in `"id"|t`, `"id"|t1(`, `"id"|t2(` of the templates and in
    /// `text("id"` and the label constants of the handlers.
    fn named_ids() -> std::collections::BTreeSet<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut ids = std::collections::BTreeSet::new();
        let mut files = Vec::new();
        for dir in [
            "templates",
            "templates/console",
            "src",
            "src/pages",
            "src/console",
        ] {
            if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
                // This file's own examples are not pages.
                files.extend(
                    entries
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.is_file() && !p.ends_with("i18n.rs")),
                );
            }
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for (i, _) in text.match_indices('"') {
                let rest = &text[i + 1..];
                let Some(end) = rest.find('"') else { continue };
                let id = &rest[..end];
                let after = &rest[end + 1..];
                let is_id = !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit());
                let used = after.starts_with("|t ")
                    || after.starts_with("|t}")
                    || after.starts_with("|t1(")
                    || after.starts_with("|t2(")
                    || text[..i].trim_end().ends_with("i18n::text(");
                if is_id && used {
                    ids.insert(id.to_owned());
                }
            }
        }
        ids
    }
}
