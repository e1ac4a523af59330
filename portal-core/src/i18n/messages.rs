//! Message files: a set per purpose (the library's emails, documents and
//! refusals; a host's pages), one Fluent file per language, English the
//! reference every other file is checked against.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::Language;

/// A set of message files, one per language, with English as the reference and
/// the fallback: the library's own ([`Messages::library`]), or a host's for its
/// pages (the web host keeps its pages' texts this way).
pub struct Messages {
    files: RwLock<Vec<(Language, &'static str)>>,
    bundles: RwLock<HashMap<Language, FluentBundle<FluentResource>>>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messages")
            .field(
                "languages",
                &read(&self.files)
                    .iter()
                    .map(|(l, _)| l.tag())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Messages {
    /// The messages of `files` (a language and its Fluent file's text). A file
    /// that does not parse keeps the messages that do; [`Messages::problems`]
    /// reports the rest.
    #[must_use]
    pub fn new(files: &[(Language, &'static str)]) -> Self {
        let bundles = files
            .iter()
            .map(|(language, source)| (*language, bundle(*language, source)))
            .collect();
        Self {
            files: RwLock::new(files.to_vec()),
            bundles: RwLock::new(bundles),
        }
    }

    /// Adds `language`'s file (a language a host added with
    /// [`Language::add`]), when it is complete: every message of the English
    /// file, with the same placeholders, and no other.
    ///
    /// # Errors
    /// What keeps the file from being complete, one sentence each; nothing is
    /// added.
    pub fn add(&self, language: Language, source: &'static str) -> Result<(), Vec<String>> {
        let english = read(&self.files)
            .iter()
            .find(|(l, _)| *l == Language::English)
            .map(|(_, s)| *s)
            .unwrap_or_default();
        let problems = compare(english, language.tag(), source);
        if !problems.is_empty() {
            return Err(problems);
        }
        write(&self.bundles).insert(language, bundle(language, source));
        let mut files = write(&self.files);
        files.retain(|(l, _)| *l != language);
        files.push((language, source));
        Ok(())
    }

    /// The library's own messages (its emails and refusals), built once.
    #[must_use]
    pub fn library() -> &'static Messages {
        static LIBRARY: OnceLock<Messages> = OnceLock::new();
        LIBRARY.get_or_init(|| Messages::new(&Language::shipped()))
    }

    /// The message `id` in `language` with `args`, or in English when the
    /// language lacks it, or the id itself when English lacks it too (a test of
    /// [`Messages::problems`] keeps that from shipping).
    #[must_use]
    pub fn text(&self, language: Language, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let bundles = read(&self.bundles);
        for candidate in [language, Language::English] {
            let Some(bundle) = bundles.get(&candidate) else {
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

    /// Whether English has the message `id`.
    #[must_use]
    pub fn has(&self, id: &str) -> bool {
        read(&self.bundles)
            .get(&Language::English)
            .is_some_and(|b| b.has_message(id))
    }

    /// What is wrong with the files, one sentence each; empty when every file
    /// parses, defines each message once, has every message the English file
    /// has and no other, each with the same placeholders as in English, and
    /// every language of [`Language::all`] has a file. A host's test asserts it
    /// is empty.
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        let files = read(&self.files);
        let file = |language: Language| files.iter().find(|(l, _)| *l == language).map(|(_, s)| *s);
        let Some(english) = file(Language::English) else {
            return vec!["there is no English file, the reference".to_owned()];
        };
        let mut problems = match placeholders(english) {
            Ok((_, twice)) => twice
                .into_iter()
                .map(|id| format!("en: {id} is defined twice"))
                .collect(),
            Err(e) => vec![format!("en: the file does not parse: {e}")],
        };
        for language in Language::all() {
            if language == Language::English {
                continue;
            }
            match file(language) {
                Some(source) => problems.extend(compare(english, language.tag(), source)),
                None => problems.push(format!("{}: there is no file", language.tag())),
            }
        }
        problems
    }
}

/// Every message of a Fluent file with the variables it uses, and the ids
/// defined more than once.
#[allow(clippy::type_complexity)]
pub(super) fn placeholders(
    source: &str,
) -> Result<(BTreeMap<String, BTreeSet<String>>, Vec<String>), String> {
    use fluent_syntax::ast;
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
            ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
            _ => {}
        }
    }
    let resource = fluent_syntax::parser::parse(source)
        .map_err(|(_, errors)| format!("{:?}", errors.first().map(|e| &e.kind)))?;
    let mut found = BTreeMap::new();
    let mut twice = Vec::new();
    for entry in resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(value) = &m.value {
                walk(&value.elements, &mut vars);
            }
            if found.insert(m.id.name.to_owned(), vars).is_some() {
                twice.push(m.id.name.to_owned());
            }
        }
    }
    Ok((found, twice))
}

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The bundle of `language`'s file, without isolation marks.
fn bundle(language: Language, source: &'static str) -> FluentBundle<FluentResource> {
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let tag = language
        .tag()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    bundle.set_use_isolating(false);
    // A message defined twice is a problem `problems` reports; the bundle keeps
    // the first.
    let _ = bundle.add_resource(resource);
    bundle
}

/// What keeps `source` (the file of the language `tag`) from matching the
/// English file `english`, one sentence each.
pub(super) fn compare(english: &str, tag: &str, source: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let Ok((english, _)) = placeholders(english) else {
        return vec!["the English file does not parse".to_owned()];
    };
    let theirs = match placeholders(source) {
        Ok((theirs, twice)) => {
            problems.extend(
                twice
                    .into_iter()
                    .map(|id| format!("{tag}: {id} is defined twice")),
            );
            theirs
        }
        Err(e) => return vec![format!("{tag}: the file does not parse: {e}")],
    };
    for (id, vars) in &english {
        match theirs.get(id) {
            None => problems.push(format!("{tag}: {id} is missing")),
            Some(t) if t != vars => {
                problems.push(format!("{tag}: {id} uses {t:?}, English uses {vars:?}"));
            }
            Some(_) => {}
        }
    }
    for id in theirs.keys().filter(|k| !english.contains_key(*k)) {
        problems.push(format!("{tag}: {id} is not in English"));
    }
    problems
}
