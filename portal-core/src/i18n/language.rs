//! The languages the portal's texts are written in: the four the library ships
//! and any a host adds with one message file ([`Language::add`]).

use std::sync::RwLock;

/// A language the portal's texts are written in: [`Language::English`] (the
/// reference and the fallback), [`Language::Portuguese`], [`Language::Spanish`],
/// [`Language::Chinese`] (Simplified), and the languages a host adds with
/// [`Language::add`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(u16);

/// What the library knows of a language.
#[derive(Clone, Copy)]
struct Info {
    tag: &'static str,
    name: &'static str,
    locale: &'static str,
    messages: &'static str,
}

/// The languages the library ships, in [`Language`]'s order.
const SHIPPED: [Info; 4] = [
    Info {
        tag: "en",
        name: "English",
        locale: "en",
        messages: include_str!("../../locales/en.ftl"),
    },
    Info {
        tag: "pt",
        name: "Português",
        locale: "pt",
        messages: include_str!("../../locales/pt.ftl"),
    },
    Info {
        tag: "es",
        name: "Español",
        locale: "es",
        messages: include_str!("../../locales/es.ftl"),
    },
    Info {
        tag: "zh-CN",
        name: "简体中文",
        // The script, so that Simplified Chinese read outside China stays
        // Simplified (CLDR takes `zh-US` for Traditional).
        locale: "zh-Hans",
        messages: include_str!("../../locales/zh-CN.ftl"),
    },
];

/// The languages hosts added, after the shipped ones.
static ADDED: RwLock<Vec<Info>> = RwLock::new(Vec::new());

/// A language a host adds to the portal: its tag, its name in itself, the
/// locale whose formats its readers get, and the library's messages in it (one
/// Fluent file with every message of `portal-core/locales/en.ftl`, the same
/// placeholders in each).
#[derive(Debug, Clone, Copy)]
pub struct NewLanguage {
    /// Its BCP 47 tag: `fr`, `pt-BR`, `zh-TW`. Tags that begin with it read it
    /// (`fr-CA` reads `fr`), before the shipped languages.
    pub tag: &'static str,
    /// Its name in itself, for a language menu: `Français`.
    pub name: &'static str,
    /// The locale of its formats, with the script where a language has two:
    /// `fr`, `zh-Hant`. The reader's country is added to it.
    pub locale: &'static str,
    /// The library's messages in it: a Fluent file's text.
    pub messages: &'static str,
}

impl NewLanguage {
    /// What keeps the language from being added, one sentence each: a tag or
    /// locale that is not one, a tag the portal already has, or a message file
    /// that does not parse, lacks a message the English file has, has one it
    /// does not, or uses other placeholders. Empty when it can be added: the
    /// one test a host writes for its language asserts this.
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.tag.parse::<unic_langid::LanguageIdentifier>().is_err() {
            problems.push(format!("{}: not a language tag", self.tag));
        }
        if self.locale.parse::<icu_locale_core::Locale>().is_err() {
            problems.push(format!("{}: {} is not a locale", self.tag, self.locale));
        }
        if Language::all()
            .iter()
            .any(|l| l.tag().eq_ignore_ascii_case(self.tag))
        {
            problems.push(format!(
                "{}: the portal already has this language",
                self.tag
            ));
        }
        problems.extend(super::messages::compare(
            SHIPPED[0].messages,
            self.tag,
            self.messages,
        ));
        problems
    }
}

#[allow(non_upper_case_globals)] // the shipped languages, named as they were when an enum
impl Language {
    /// English (`en`): the reference, and the fallback.
    pub const English: Language = Language(0);
    /// Portuguese (`pt`, as written in Portugal).
    pub const Portuguese: Language = Language(1);
    /// Spanish (`es`).
    pub const Spanish: Language = Language(2);
    /// Simplified Chinese (`zh-CN`).
    pub const Chinese: Language = Language(3);

    /// Adds a language to the portal, for the rest of the process: its readers
    /// get the library's emails, documents and refusals in it, with their
    /// locale's formats. Add it once, at start-up, before the portal serves;
    /// a host's own message sets (the web host's pages) add their file for it
    /// with [`Messages::add`](super::Messages::add).
    ///
    /// # Errors
    /// The language's [`NewLanguage::problems`], when there are any: nothing
    /// is added.
    pub fn add(new: NewLanguage) -> Result<Language, Vec<String>> {
        let problems = new.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        let language = {
            let mut added = ADDED
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let index = u16::try_from(SHIPPED.len() + added.len())
                .map_err(|_| vec!["too many languages".to_owned()])?;
            added.push(Info {
                tag: new.tag,
                name: new.name,
                locale: new.locale,
                messages: new.messages,
            });
            Language(index)
        };
        super::Messages::library().add(language, new.messages)?;
        tracing::info!(language = new.tag, "language added");
        Ok(language)
    }

    /// Every language, English first, then the shipped ones, then those added.
    #[must_use]
    pub fn all() -> Vec<Language> {
        let added = ADDED
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len();
        (0..SHIPPED.len() + added)
            .filter_map(|i| u16::try_from(i).ok())
            .map(Language)
            .collect()
    }

    fn info(self) -> Info {
        let index = usize::from(self.0);
        SHIPPED.get(index).copied().unwrap_or_else(|| {
            ADDED
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(index - SHIPPED.len())
                .copied()
                .unwrap_or(SHIPPED[0])
        })
    }

    /// Its BCP 47 tag: `en`, `pt`, `es`, `zh-CN`.
    #[must_use]
    pub fn tag(self) -> &'static str {
        self.info().tag
    }

    /// Its name in itself, for a language menu.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The locale of its formats (`zh-Hans`), before the reader's country.
    pub(super) fn locale(self) -> &'static str {
        self.info().locale
    }

    /// The library's message file in it.
    pub(super) fn messages(self) -> &'static str {
        self.info().messages
    }

    /// The languages the library ships, with their files.
    pub(super) fn shipped() -> Vec<(Language, &'static str)> {
        (0..SHIPPED.len())
            .filter_map(|i| u16::try_from(i).ok())
            .map(|i| (Language(i), Language(i).messages()))
            .collect()
    }

    /// The language of the tag `tag` (`pt-BR`, `es-419`, `zh-Hans-CN`): an added
    /// language whose tag it is or begins with, else a shipped one by its
    /// primary language; `None` for one the portal is not written in.
    #[must_use]
    pub fn of_tag(tag: &str) -> Option<Language> {
        let tag = tag.trim().replace('_', "-");
        let lower = tag.to_ascii_lowercase();
        let added = ADDED
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .position(|info| {
                let theirs = info.tag.to_ascii_lowercase();
                lower == theirs || lower.starts_with(&format!("{theirs}-"))
            });
        if let Some(i) = added.and_then(|i| u16::try_from(SHIPPED.len() + i).ok()) {
            return Some(Language(i));
        }
        let primary = lower.split('-').next().unwrap_or_default();
        match primary {
            "en" => Some(Language::English),
            "pt" => Some(Language::Portuguese),
            "es" => Some(Language::Spanish),
            "zh" => {
                let traditional = lower
                    .split('-')
                    .skip(1)
                    .any(|p| ["hant", "tw", "hk", "mo"].contains(&p));
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
                let weight = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1000), weight)?;
                (weight > 0)
                    .then(|| Language::of_tag(tag))
                    .flatten()
                    .map(|l| (weight, i, l))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map_or(Language::English, |(_, _, l)| *l)
    }
}

/// A quality value (`0.8`, `1`, `0.125`) in thousandths; `None` for one that
/// is not (HTTP allows at most three decimals, from 0 to 1).
fn weight(q: &str) -> Option<u16> {
    let q = q.trim();
    let (whole, fraction) = q.split_once('.').unwrap_or((q, ""));
    if fraction.len() > 3 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}
