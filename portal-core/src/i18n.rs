//! The languages people read the portal in: English, Portuguese, Spanish and
//! Simplified Chinese, from Fluent message files (`portal-core/locales/*.ftl`,
//! compiled into the library).
//!
//! - **Which language**: the reader's preference ([`UserPreferences::language`]),
//!   else the organization's default for its portal users, else English; a tag
//!   is matched by its language (`pt-BR` reads Portuguese, `zh-Hans-CN` Chinese).
//! - **A message missing in a language** falls back to English; a test refuses a
//!   language file that lacks a message, or whose placeholders differ from the
//!   English one.
//! - **No isolation marks.** Fluent wraps each placeholder in Unicode isolation
//!   marks (U+2068, U+2069) by default, for right-to-left text. The messages here
//!   become plain text (email subjects and bodies, PDFs), where mail clients and
//!   fonts show the marks as boxes, and none of these languages is written right
//!   to left; the values put in them cannot carry direction controls (the library
//!   refuses them in what it stores). So the marks are off, and a test holds it.
//!
//! [`UserPreferences::language`]: crate::domain::UserPreferences

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

pub use fluent_bundle::FluentValue;

/// A language the portal's texts are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Language {
    /// English (`en`): the reference, and the fallback.
    English,
    /// Portuguese (`pt`, as written in Portugal).
    Portuguese,
    /// Spanish (`es`).
    Spanish,
    /// Simplified Chinese (`zh-CN`).
    Chinese,
}

impl Language {
    /// Every language, English first.
    pub const ALL: [Language; 4] = [
        Language::English,
        Language::Portuguese,
        Language::Spanish,
        Language::Chinese,
    ];

    /// Its BCP 47 tag: `en`, `pt`, `es`, `zh-CN`.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Portuguese => "pt",
            Language::Spanish => "es",
            Language::Chinese => "zh-CN",
        }
    }

    /// Its name in itself, for a language menu.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Portuguese => "Português",
            Language::Spanish => "Español",
            Language::Chinese => "简体中文",
        }
    }

    /// The language of the tag `tag` (`pt-BR`, `es-419`, `zh-Hans-CN`), by its
    /// primary language; `None` for one the portal is not written in.
    #[must_use]
    pub fn of_tag(tag: &str) -> Option<Language> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::English),
            "pt" => Some(Language::Portuguese),
            "es" => Some(Language::Spanish),
            "zh" => {
                let traditional = tag
                    .split(['-', '_'])
                    .skip(1)
                    .any(|p| ["hant", "tw", "hk", "mo"].contains(&p.to_ascii_lowercase().as_str()));
                (!traditional).then_some(Language::Chinese)
            }
            _ => None,
        }
    }

    /// The language a person reads: `preferred` (their preference) if the portal
    /// is written in it, else `fallback` (the organization's default), else
    /// English.
    #[must_use]
    pub fn choose(preferred: Option<&str>, fallback: &str) -> Language {
        preferred
            .and_then(Language::of_tag)
            .or_else(|| Language::of_tag(fallback))
            .unwrap_or(Language::English)
    }

    /// The first language of an `Accept-Language` header the portal is written
    /// in, by the header's weights; English when none is.
    #[must_use]
    pub fn from_accept_language(header: &str) -> Language {
        let mut ranked: Vec<(u16, usize, Language)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let weight =
                    pieces
                        .find_map(|p| p.trim().strip_prefix("q="))
                        .map_or(Some(1000), |q| {
                            q.trim()
                                .parse::<f32>()
                                .ok()
                                .filter(|q| (0.0..=1.0).contains(q))
                                .map(|q| (q * 1000.0).round() as u16)
                        })?;
                (weight > 0)
                    .then(|| Language::of_tag(tag))
                    .flatten()
                    .map(|l| (weight, i, l))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map_or(Language::English, |(_, _, l)| *l)
    }

    /// The message file of the language.
    fn source(self) -> &'static str {
        match self {
            Language::English => include_str!("../locales/en.ftl"),
            Language::Portuguese => include_str!("../locales/pt.ftl"),
            Language::Spanish => include_str!("../locales/es.ftl"),
            Language::Chinese => include_str!("../locales/zh-CN.ftl"),
        }
    }
}

/// The language `contact` reads: their preference, else the organization's
/// default for its portal users, else English.
#[must_use]
pub fn reader(
    contact: &crate::domain::ContactPerson,
    org: &crate::domain::Organization,
) -> Language {
    Language::choose(
        contact.preferences.as_ref().map(|p| p.language.as_str()),
        &org.settings.default_user_preferences.language,
    )
}

/// The language the organization's own people read: its default.
#[must_use]
pub fn of_org(org: &crate::domain::Organization) -> Language {
    Language::choose(None, &org.settings.default_user_preferences.language)
}

/// The compiled messages of every language, built once.
fn bundles() -> &'static HashMap<Language, FluentBundle<FluentResource>> {
    static BUNDLES: OnceLock<HashMap<Language, FluentBundle<FluentResource>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Language::ALL
            .into_iter()
            .map(|language| {
                let resource = FluentResource::try_new(language.source().to_owned())
                    .unwrap_or_else(|(partial, _)| partial);
                let tag = language
                    .tag()
                    .parse()
                    .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
                let mut bundle = FluentBundle::new_concurrent(vec![tag]);
                bundle.set_use_isolating(false);
                // A message defined twice is a mistake the completeness test
                // reports; the bundle keeps the first.
                let _ = bundle.add_resource(resource);
                (language, bundle)
            })
            .collect()
    })
}

/// The message `id` in `language` with `args`, or in English when the language
/// lacks it, or the id itself when English lacks it too (a test keeps that from
/// shipping).
#[must_use]
pub fn text(language: Language, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for candidate in [language, Language::English] {
        let Some(bundle) = bundles().get(&candidate) else {
            continue;
        };
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            if errors.is_empty() {
                return text.into_owned();
            }
            tracing::warn!(
                id,
                language = candidate.tag(),
                ?errors,
                "message not formatted"
            );
        }
    }
    id.to_owned()
}

/// `items` joined as a list reads in `language` (`view, download, pay`).
#[must_use]
pub fn list(language: Language, items: &[String]) -> String {
    items.join(&text(language, "list-separator", &[]))
}

/// Shorthand for a text argument.
#[must_use]
pub fn arg<'a>(value: impl std::fmt::Display) -> FluentValue<'a> {
    FluentValue::from(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::{BTreeMap, BTreeSet};

    /// Every message of a file with the variables it uses.
    fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        fn walk(elements: &[ast::PatternElement<&str>], vars: &mut BTreeSet<String>) {
            for element in elements {
                if let ast::PatternElement::Placeable { expression } = element {
                    expression_vars(expression, vars);
                }
            }
        }
        fn expression_vars(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
            match expression {
                ast::Expression::Inline(inline) => inline_vars(inline, vars),
                ast::Expression::Select { selector, variants } => {
                    inline_vars(selector, vars);
                    for v in variants {
                        walk(&v.value.elements, vars);
                    }
                }
            }
        }
        fn inline_vars(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
            match inline {
                ast::InlineExpression::VariableReference { id } => {
                    vars.insert(id.name.to_owned());
                }
                ast::InlineExpression::Placeable { expression } => {
                    expression_vars(expression, vars);
                }
                _ => {}
            }
        }
        let resource = fluent_syntax::parser::parse(source).expect("the file parses");
        let mut found = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &m.value {
                    walk(&value.elements, &mut vars);
                }
                assert!(
                    found.insert(m.id.name.to_owned(), vars).is_none(),
                    "{} is defined twice",
                    m.id.name
                );
            }
        }
        found
    }

    #[test]
    fn every_language_has_every_message_with_the_same_placeholders() {
        let english = messages(Language::English.source());
        assert!(english.len() > 20, "{}", english.len());
        assert_eq!(
            english["receipt-body"],
            ["amount", "invoices", "receipt"]
                .into_iter()
                .map(String::from)
                .collect::<BTreeSet<_>>(),
            "the placeholders are read"
        );
        for language in Language::ALL {
            let other = messages(language.source());
            for (id, vars) in &english {
                let theirs = other
                    .get(id)
                    .unwrap_or_else(|| panic!("{} lacks {id}", language.tag()));
                assert_eq!(theirs, vars, "{}: {id}'s placeholders", language.tag());
            }
            let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(
                extra.is_empty(),
                "{} has {extra:?}, English does not",
                language.tag()
            );
        }
    }

    #[test]
    fn messages_carry_no_isolation_marks() {
        for language in Language::ALL {
            let subject = text(
                language,
                "receipt-subject",
                &[("receipt", arg("R-1")), ("org", arg("Livraria"))],
            );
            assert!(
                subject.contains("R-1") && subject.contains("Livraria"),
                "{subject}"
            );
            assert!(!subject.contains(['\u{2068}', '\u{2069}']), "{subject:?}");
        }
    }

    #[test]
    fn languages_are_chosen_by_preference_then_organization() {
        assert_eq!(Language::choose(Some("pt-BR"), "en"), Language::Portuguese);
        assert_eq!(Language::choose(Some("fr"), "es"), Language::Spanish);
        assert_eq!(Language::choose(None, "zh-Hans-CN"), Language::Chinese);
        assert_eq!(Language::choose(Some("zh-TW"), "de"), Language::English);
        assert_eq!(
            Language::from_accept_language("fr-CH, fr;q=0.9, es;q=0.8, pt;q=0.85"),
            Language::Portuguese
        );
        assert_eq!(
            Language::from_accept_language("de, *;q=0.5"),
            Language::English
        );
        assert_eq!(
            Language::from_accept_language("zh-CN,zh;q=0.9"),
            Language::Chinese
        );
        assert_eq!(
            text(Language::Chinese, "no-such-message", &[]),
            "no-such-message"
        );
    }
}
