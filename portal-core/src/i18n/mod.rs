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

mod language;
mod messages;
mod refusal;

pub use fluent_bundle::FluentValue;
pub use language::{Language, NewLanguage};
pub use messages::Messages;
pub use refusal::PORTAL_USER_CODES;

/// A person reading: their language, and how money, numbers, dates and times
/// are written for them, from their preferences (language, country, date
/// format, clock, time zone).
///
/// Money, numbers and times follow the locale's own conventions from CLDR's data
/// through ICU4X: in Portugal `1234,56 €` (CLDR groups thousands there from five
/// digits), in Spain `1234,56 €`, in China `¥1,234.56`, in the United States
/// `$1,234.56`, and `BHD 1,234.567` where a locale has no symbol of its own for
/// the currency. Dates follow the format the person chose (2026-12-31,
/// 31/12/2026 or 12/31/2026); times their clock, in their time zone.
#[derive(Debug, Clone)]
pub struct Reader {
    language: Language,
    locale: icu_locale_core::Locale,
    date_format: crate::domain::DateFormat,
    time_zone: String,
    preferences: crate::domain::UserPreferences,
    /// The formatters of the reader's locale, shared by every reader of it.
    formatters: std::sync::Arc<Formatters>,
}

/// A currency formatter of ICU4X over its number formatter.
type CurrencyFormatter = icu_experimental::dimension::currency::formatter::CurrencyFormatter<
    icu_decimal::DecimalFormatter,
>;

/// The formatters of one locale, each built at its first use and then kept for
/// the life of the process: building one costs more than formatting with it (a
/// currency formatter about twenty times an amount, 4.4 µs against 0.19 µs; the
/// number formatter about a figure), and a reader is made for every request.
#[derive(Default)]
struct Formatters {
    numbers: std::sync::OnceLock<Option<icu_decimal::DecimalFormatter>>,
    percents: std::sync::OnceLock<
        Option<
            icu_experimental::dimension::percent::formatter::PercentFormatter<
                icu_decimal::DecimalFormatter,
            >,
        >,
    >,
    currencies: std::sync::Mutex<Vec<(crate::domain::Currency, std::sync::Arc<CurrencyFormatter>)>>,
    /// Hours and minutes.
    times:
        std::sync::OnceLock<Option<icu_datetime::NoCalendarFormatter<icu_datetime::fieldsets::T>>>,
}

impl std::fmt::Debug for Formatters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Formatters")
    }
}

/// How many locales keep their formatters: far more than the languages,
/// countries and clocks readers combine in practice; a reader of a locale past
/// them builds its own, as if unshared.
const KEPT_LOCALES: usize = 1024;

impl Formatters {
    /// The formatters of `locale`, shared.
    fn of(locale: &icu_locale_core::Locale) -> std::sync::Arc<Self> {
        use std::collections::HashMap;
        use std::sync::{Arc, LazyLock, PoisonError, RwLock};
        static KEPT: LazyLock<RwLock<HashMap<icu_locale_core::Locale, Arc<Formatters>>>> =
            LazyLock::new(RwLock::default);
        if let Some(kept) = KEPT
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(locale)
        {
            return kept.clone();
        }
        let mut kept = KEPT.write().unwrap_or_else(PoisonError::into_inner);
        if kept.len() >= KEPT_LOCALES && !kept.contains_key(locale) {
            return Arc::default();
        }
        kept.entry(locale.clone()).or_default().clone()
    }
}

impl Reader {
    /// The reader with `preferences` (English when their language is not one
    /// the portal is written in).
    #[must_use]
    pub fn new(preferences: &crate::domain::UserPreferences) -> Self {
        Self::with_fallback(preferences, "en")
    }

    /// The reader with `preferences`, reading `fallback` when their language is
    /// not one the portal is written in; the locale's formats follow the
    /// language read.
    fn with_fallback(preferences: &crate::domain::UserPreferences, fallback: &str) -> Self {
        let language = Language::choose(Some(&preferences.language), fallback);
        // The language with its script where it has two: Simplified Chinese
        // read in the United States is still Simplified (CLDR would take
        // `zh-US` for Traditional).
        let primary = language.locale();
        let clock = if preferences.twenty_four_hour_clock {
            "h23"
        } else {
            "h12"
        };
        // The language the portal is written in, the reader's country for its
        // conventions, and the reader's clock.
        let locale = format!("{primary}-{}-u-hc-{clock}", preferences.country)
            .parse()
            .or_else(|_| format!("{primary}-u-hc-{clock}").parse())
            .unwrap_or(icu_locale_core::Locale::UNKNOWN);
        Self {
            language,
            formatters: Formatters::of(&locale),
            locale,
            date_format: preferences.date_format,
            time_zone: preferences.time_zone.clone(),
            preferences: crate::domain::UserPreferences {
                language: language.tag().to_owned(),
                ..preferences.clone()
            },
        }
    }

    /// The reader `contact` is: their preferences, else the organization's
    /// defaults for its portal users (a contact who has not accepted an
    /// invitation yet).
    #[must_use]
    pub fn of(contact: &crate::domain::ContactPerson, org: &crate::domain::Organization) -> Self {
        let defaults = &org.settings.default_user_preferences;
        match &contact.preferences {
            // A preferred language the portal is not written in reads as the
            // organization's default.
            Some(preferences) => Self::with_fallback(preferences, &defaults.language),
            None => Self::new(defaults),
        }
    }

    /// The organization's own people: its defaults.
    #[must_use]
    pub fn of_org(org: &crate::domain::Organization) -> Self {
        Self::new(&org.settings.default_user_preferences)
    }

    /// The language the reader reads.
    #[must_use]
    pub fn language(&self) -> Language {
        self.language
    }

    /// The preferences the reader reads with, the language the one they read:
    /// what to keep to read something again later as they would (an email's
    /// attachment, built again at every attempt).
    #[must_use]
    pub fn preferences(&self) -> &crate::domain::UserPreferences {
        &self.preferences
    }

    /// The reader's time zone (IANA).
    #[must_use]
    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// The message `id` with `args` in the reader's language.
    #[must_use]
    pub fn text(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        text(self.language, id, args)
    }

    /// `money` as the reader's locale writes it: `1234,56 €`, `¥1,234.56`,
    /// `$1,234.56`, `BHD 1,234.567`; always with the currency's own minor units.
    #[must_use]
    pub fn money(&self, money: &crate::domain::Money) -> String {
        use writeable::Writeable;
        let currency = money.currency();
        self.currency_formatter(currency).map_or_else(
            || format!("{} {}", money.amount(), currency.code()),
            |formatter| {
                formatter
                    .format_fixed_decimal(&decimal(money.amount(), currency.minor_units()))
                    .write_to_string()
                    .into_owned()
            },
        )
    }

    /// `money`'s amount without the currency, as the reader's locale writes
    /// figures, with the currency's minor units: `1.234,56` in Germany,
    /// `1,234.567` for dinars in Bahrain. For tables whose currency is said once.
    #[must_use]
    pub fn amount(&self, money: &crate::domain::Money) -> String {
        self.figure(money.amount(), money.currency().minor_units())
    }

    /// `value` with `scale` digits after the point, as the reader's locale
    /// writes numbers.
    fn figure(&self, value: rust_decimal::Decimal, scale: u32) -> String {
        use writeable::Writeable;
        let exact = decimal(value, scale);
        self.formatters
            .numbers
            .get_or_init(|| {
                icu_decimal::DecimalFormatter::try_new((&self.locale).into(), Default::default())
                    .ok()
            })
            .as_ref()
            .map_or_else(
                || exact.to_string(),
                |formatter| formatter.format(&exact).write_to_string().into_owned(),
            )
    }

    /// An amount of `currency` as the reader types it: their locale's decimal
    /// separator and grouping (`1.234,56` in Spain, `1 234,56` in Portugal,
    /// `1,234.56` in the United States), a plain `1234.56` too, with or without
    /// spaces, and with the currency's symbol or code as the reader's amounts
    /// show it (`50,00 €`).
    ///
    /// # Errors
    /// [`MoneyError`](crate::domain::MoneyError) as [`Money::parse`](crate::domain::Money::parse)
    /// for what is not an amount once read this way (`1,2,3`, `12.345.6`), or
    /// has more decimals than the currency.
    pub fn parse_money(
        &self,
        text: &str,
        currency: crate::domain::Currency,
    ) -> Result<crate::domain::Money, crate::domain::MoneyError> {
        let (decimal, group) = self.separators();
        // The currency as the reader's amounts show it (`€`, `US$`), or its
        // code, may be typed with the amount.
        let symbol: Vec<char> = self
            .money(&crate::domain::Money::zero(currency))
            .chars()
            .filter(|c| !c.is_ascii_digit() && *c != decimal && *c != group && !c.is_whitespace())
            .collect();
        let without_code = text.replace(currency.code(), "");
        let typed: String = without_code
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && !symbol.contains(c))
            .collect();
        let plain = if typed.contains(decimal) {
            // The reader's decimal separator: what groups is only grouping.
            let mut parts = typed.rsplitn(2, decimal);
            let fraction = parts.next().unwrap_or_default();
            let whole = parts.next().unwrap_or_default();
            format!("{}.{fraction}", ungroup(whole, group))
        } else if typed.contains('.') && group == '.' {
            // `1.234` groups in Spain; `50.00`, a point typed as a decimal one.
            let grouped = typed.split('.').skip(1).all(|g| g.len() == 3);
            if grouped {
                typed.replace('.', "")
            } else {
                typed
            }
        } else {
            ungroup(&typed, group)
        };
        crate::domain::Money::parse(&plain, currency).map_err(|e| match e {
            crate::domain::MoneyError::NotANumber(_) => {
                crate::domain::MoneyError::NotANumber(text.to_owned())
            }
            other => other,
        })
    }

    /// The reader's decimal separator and grouping separator, read off a
    /// formatted number.
    fn separators(&self) -> (char, char) {
        let shown = self.figure(rust_decimal::Decimal::new(12_345_675, 1), 1);
        let mut marks = shown.chars().filter(|c| !c.is_ascii_digit());
        let decimal = shown
            .chars()
            .rev()
            .find(|c| !c.is_ascii_digit())
            .unwrap_or('.');
        let group = marks.next().filter(|g| *g != decimal).unwrap_or(',');
        (decimal, group)
    }

    /// A percentage (`10` is ten per cent) as the reader's locale writes it:
    /// `10%`, `10 %` in Spain, `7,5%` in Portugal.
    #[must_use]
    pub fn percent(&self, value: rust_decimal::Decimal) -> String {
        use icu_experimental::dimension::percent::formatter::PercentFormatter;
        use writeable::Writeable;
        let value = value.normalize();
        let exact = decimal(value, value.scale());
        self.formatters
            .percents
            .get_or_init(|| {
                PercentFormatter::try_new((&self.locale).into(), Default::default()).ok()
            })
            .as_ref()
            .map_or_else(
                || format!("{value}%"),
                |formatter| formatter.format(&exact).write_to_string().into_owned(),
            )
    }

    /// The formatter of `currency` in the reader's locale, built once.
    fn currency_formatter(
        &self,
        currency: crate::domain::Currency,
    ) -> Option<std::sync::Arc<CurrencyFormatter>> {
        use icu_experimental::dimension::currency::CurrencyType;
        let mut built = self
            .formatters
            .currencies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, formatter)) = built.iter().find(|(c, _)| *c == currency) {
            return Some(formatter.clone());
        }
        let code = CurrencyType::try_from_str(&currency.code().to_ascii_lowercase()).ok()?;
        let formatter = std::sync::Arc::new(
            CurrencyFormatter::try_new_symbol((&self.locale).into(), code, Default::default())
                .ok()?,
        );
        built.push((currency, formatter.clone()));
        Some(formatter)
    }

    /// The name of the country `code` (ISO 3166-1, `PT`) in the reader's
    /// language, from CLDR: `Portugal`, `葡萄牙`; `None` for a code that is not
    /// a country's.
    #[must_use]
    pub fn country_name(&self, code: &str) -> Option<String> {
        use icu_experimental::displaynames::multi::RegionDisplayNames;
        let region = icu_locale_core::subtags::Region::try_from_str(code).ok()?;
        RegionDisplayNames::try_new((&self.locale).into(), Default::default())
            .ok()?
            .of(region)
            .map(str::to_owned)
    }

    /// Every country of ISO 3166-1, as a select list shows them to the reader:
    /// the code and the name in their language, sorted as their language sorts.
    #[must_use]
    pub fn countries(&self) -> Vec<(&'static str, String)> {
        use icu_experimental::displaynames::multi::RegionDisplayNames;
        let names = RegionDisplayNames::try_new((&self.locale).into(), Default::default()).ok();
        let mut countries: Vec<(&'static str, String)> = iso_country::data::all()
            .into_iter()
            .map(|c| {
                let name = names
                    .as_ref()
                    .and_then(|n| {
                        icu_locale_core::subtags::Region::try_from_str(c.alpha2)
                            .ok()
                            .and_then(|r| n.of(r))
                    })
                    .unwrap_or(c.name);
                (c.alpha2, name.to_owned())
            })
            .collect();
        match icu_collator::Collator::try_new((&self.locale).into(), Default::default()) {
            Ok(collator) => countries.sort_by(|a, b| collator.compare(&a.1, &b.1)),
            Err(_) => countries.sort_by(|a, b| a.1.cmp(&b.1)),
        }
        countries
    }

    /// A number (a quantity, a rate) as the reader's locale writes it, with the
    /// digits it has: `1,50` in Portugal, `1.50` in China.
    #[must_use]
    pub fn number(&self, value: rust_decimal::Decimal) -> String {
        self.figure(value, value.scale())
    }

    /// `date` in the format the reader chose.
    #[must_use]
    pub fn date(&self, date: time::Date) -> String {
        use crate::domain::DateFormat;
        let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
        match self.date_format {
            DateFormat::Iso => format!("{y:04}-{m:02}-{d:02}"),
            DateFormat::DayMonthYear => format!("{d:02}/{m:02}/{y:04}"),
            DateFormat::MonthDayYear => format!("{m:02}/{d:02}/{y:04}"),
        }
    }

    /// The date of the moment `at` where the reader is: a payment made at 23:30
    /// UTC in Auckland was made the next day there.
    #[must_use]
    pub fn local_date(&self, at: time::OffsetDateTime) -> time::Date {
        crate::domain::local_date(&self.time_zone, at)
    }

    /// The time of day of `at` in the reader's zone, on the reader's clock, as
    /// their locale writes it: `14:05`, `2:05 PM`, `下午2:05`.
    #[must_use]
    pub fn time(&self, at: time::OffsetDateTime) -> String {
        use icu_datetime::{NoCalendarFormatter, fieldsets};
        let local = crate::domain::local_time(&self.time_zone, at);
        let fallback = || format!("{:02}:{:02}", local.hour(), local.minute());
        let Ok(clock) = icu_time::Time::try_new(local.hour(), local.minute(), 0, 0) else {
            return fallback();
        };
        self.formatters
            .times
            .get_or_init(|| {
                NoCalendarFormatter::try_new((&self.locale).into(), fieldsets::T::hm()).ok()
            })
            .as_ref()
            .map_or_else(fallback, |f| f.format(&clock).to_string())
    }

    /// The date and time of `at` where the reader is: `31/12/2026 14:05`.
    #[must_use]
    pub fn date_time(&self, at: time::OffsetDateTime) -> String {
        format!("{} {}", self.date(self.local_date(at)), self.time(at))
    }
}

/// `whole` without its grouping separators, when they group by threes; left
/// as it is otherwise (so a parse refuses it).
fn ungroup(whole: &str, group: char) -> String {
    let mut groups = whole.split(group);
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    if !rest.is_empty() && (first.is_empty() || rest.iter().any(|g| g.len() != 3)) {
        return whole.to_owned();
    }
    std::iter::once(first).chain(rest).collect()
}

/// `value` as ICU4X's exact decimal, with `scale` digits after the point.
fn decimal(value: rust_decimal::Decimal, scale: u32) -> fixed_decimal::Decimal {
    let mut rounded = value;
    rounded.rescale(scale);
    rounded
        .to_string()
        .parse()
        .unwrap_or_else(|_| fixed_decimal::Decimal::from(0))
}

/// The library's message `id` in `language` with `args` (see
/// [`Messages::text`]).
#[must_use]
pub fn text(language: Language, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    Messages::library().text(language, id, args)
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

    #[test]
    fn every_language_has_every_message_with_the_same_placeholders() {
        assert_eq!(Messages::library().problems(), Vec::<String>::new());
        let (english, _) = messages::placeholders(Language::English.messages()).expect("parses");
        assert!(english.len() > 20, "{}", english.len());
        assert_eq!(
            english["receipt-body"],
            ["amount", "invoices", "receipt"]
                .into_iter()
                .map(String::from)
                .collect::<std::collections::BTreeSet<_>>(),
            "the placeholders are read"
        );
    }

    #[test]
    fn problems_name_what_a_file_lacks_or_changes() {
        let english = "a = A { $x }\nb = B\n";
        let messages = Messages::new(&[
            (Language::English, english),
            (Language::Portuguese, "a = A { $y }\nc = C\nc = D\n"),
            (Language::Spanish, english),
            (Language::Chinese, "a = { $x"),
        ]);
        let problems = messages.problems();
        for expected in [
            "pt: a uses {\"y\"}, English uses {\"x\"}",
            "pt: b is missing",
            "pt: c is not in English",
            "pt: c is defined twice",
            "zh-CN: the file does not parse",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(expected)),
                "{expected} in {problems:?}"
            );
        }
        assert!(
            !problems.iter().any(|p| p.starts_with("es")),
            "{problems:?}"
        );
        // What a language lacks reads in English.
        assert_eq!(messages.text(Language::Portuguese, "b", &[]), "B");
    }

    /// Amounts are read as each reader types them, and what is ambiguous or
    /// malformed is refused rather than guessed.
    #[test]
    fn amounts_are_read_as_the_reader_types_them() {
        let reader = |language: &str, country: &str| {
            Reader::new(&crate::domain::UserPreferences {
                language: language.into(),
                country: country.into(),
                ..crate::domain::UserPreferences::default()
            })
        };
        let eur = crate::domain::Currency::from_code("EUR").expect("eur");
        let bhd = crate::domain::Currency::from_code("BHD").expect("bhd");
        let cases = [
            (reader("pt", "PT"), "50,00", Some("50.00")),
            (reader("pt", "PT"), "1\u{a0}234,5", Some("1234.50")),
            (reader("pt", "PT"), "1 234,56", Some("1234.56")),
            (reader("pt", "PT"), "50.00", Some("50.00")),
            (reader("es", "ES"), "1.234,56", Some("1234.56")),
            (reader("es", "ES"), "1.234", Some("1234.00")),
            (reader("es", "ES"), "50.5", Some("50.50")),
            (reader("es", "ES"), "12.345.6", None),
            (reader("en", "US"), "1,234.56", Some("1234.56")),
            (reader("en", "US"), "1,234", Some("1234.00")),
            (reader("en", "US"), "50,00", None),
            (reader("zh-CN", "CN"), "1,234.5", Some("1234.50")),
            (reader("en", "US"), "1,2,3", None),
            (reader("pt", "PT"), "50,001", None),
            (reader("pt", "PT"), "", None),
            (reader("pt", "PT"), "50,00 €", Some("50.00")),
            (reader("en", "US"), "€1,234.50", Some("1234.50")),
            (reader("en", "US"), "$1,234.50", None),
            (reader("es", "ES"), "EUR 12,5", Some("12.50")),
            (reader("en", "US"), "12abc", None),
        ];
        for (r, typed, expected) in cases {
            let read = r
                .parse_money(typed, eur)
                .ok()
                .map(|m| m.amount().to_string());
            assert_eq!(
                read.as_deref(),
                expected,
                "{typed:?} read by {}",
                r.language().tag()
            );
        }
        assert_eq!(
            reader("es", "ES")
                .parse_money("1.234,567", bhd)
                .expect("dinars have three decimals")
                .to_minor_units(),
            Ok(1_234_567)
        );
        // What the reader's own formats write reads back as the same amount.
        for r in [
            reader("pt", "PT"),
            reader("es", "ES"),
            reader("zh-CN", "CN"),
        ] {
            let money = crate::domain::Money::parse("123456.78", eur).expect("money");
            assert_eq!(r.parse_money(&r.amount(&money), eur), Ok(money));
        }
    }

    #[test]
    fn messages_carry_no_isolation_marks() {
        for language in Language::all() {
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

    fn reader(
        language: &str,
        country: &str,
        date_format: crate::domain::DateFormat,
        clock24: bool,
    ) -> Reader {
        Reader::new(&crate::domain::UserPreferences {
            language: language.into(),
            time_zone: "Europe/Lisbon".into(),
            date_format,
            twenty_four_hour_clock: clock24,
            country: country.into(),
        })
    }

    fn money(amount: &str, currency: &str) -> crate::domain::Money {
        let currency = crate::domain::Currency::from_code(currency).expect("currency");
        crate::domain::Money::parse(amount, currency).expect("money")
    }

    #[test]
    fn readers_of_one_locale_share_the_formatters_built_for_it() {
        use crate::domain::DateFormat::{DayMonthYear, MonthDayYear};
        let first = reader("pt", "PT", DayMonthYear, true);
        let again = reader("pt", "PT", DayMonthYear, true);
        let twelve_hours = reader("pt", "PT", DayMonthYear, false);
        let us = reader("en", "US", MonthDayYear, false);
        assert!(std::sync::Arc::ptr_eq(&first.formatters, &again.formatters));
        assert!(!std::sync::Arc::ptr_eq(
            &first.formatters,
            &twelve_hours.formatters
        ));
        assert!(!std::sync::Arc::ptr_eq(&first.formatters, &us.formatters));
        // What one reader built, the next of the locale uses; a reader of
        // another locale still writes its own way.
        let euros = money("1234.56", "EUR");
        assert_eq!(first.money(&euros), "1234,56\u{a0}€");
        let built = |r: &Reader| {
            r.formatters
                .currencies
                .lock()
                .expect("formatters")
                .iter()
                .filter(|(c, _)| *c == euros.currency())
                .count()
        };
        assert_eq!(built(&again), 1, "built once, for both");
        assert_eq!(again.money(&euros), "1234,56\u{a0}€");
        assert_eq!(built(&again), 1, "not built again");
        assert_eq!(us.money(&euros), "€1,234.56");
        let at = time::macros::datetime!(2026-12-31 14:05 UTC);
        assert_eq!(first.time(at), again.time(at));
        assert_eq!(twelve_hours.time(at), "2:05\u{202f}p.m.");
    }

    #[test]
    fn money_numbers_dates_and_times_as_the_reader_writes_them() {
        use crate::domain::DateFormat::{DayMonthYear, Iso, MonthDayYear};
        let pt = reader("pt", "PT", DayMonthYear, true);
        let es = reader("es", "ES", DayMonthYear, true);
        let zh = reader("zh-CN", "CN", Iso, true);
        let us = reader("en", "US", MonthDayYear, false);
        let cases = [
            (&pt, money("1234.56", "EUR")),
            (&pt, money("123456.7", "EUR")),
            (&es, money("1234.56", "EUR")),
            (&zh, money("1234.56", "CNY")),
            (&zh, money("1235", "JPY")),
            (&us, money("-1234.5", "USD")),
            (&us, money("1234.567", "BHD")),
        ];
        let written: Vec<String> = cases.iter().map(|(r, m)| r.money(m)).collect();
        // CLDR's own conventions: Portugal and Spain group thousands from five
        // digits, with a no-break space before the euro sign; a locale with no
        // symbol of its own for a currency writes its code, with its three
        // minor units.
        assert_eq!(
            written,
            [
                "1234,56\u{a0}€",
                "123\u{a0}456,70\u{a0}€",
                "1234,56\u{a0}€",
                "¥1,234.56",
                "JP¥1,235",
                "-$1,234.50",
                "BHD\u{a0}1,234.567",
            ]
        );
        let readers = [&pt, &es, &zh, &us];
        let numbers: Vec<String> = readers
            .iter()
            .map(|r| r.number(rust_decimal::Decimal::new(123_455, 1)))
            .collect();
        assert_eq!(
            numbers,
            ["12\u{a0}345,5", "12.345,5", "12,345.5", "12,345.5"]
        );
        // 13:05 UTC is 14:05 in Lisbon in summer; each date in the format its
        // reader chose, each time on their clock.
        let at = time::macros::datetime!(2026-07-01 13:05 UTC);
        let times: Vec<String> = readers.iter().map(|r| r.date_time(at)).collect();
        assert_eq!(
            times,
            [
                "01/07/2026 14:05",
                "01/07/2026 14:05",
                "2026-07-01 14:05",
                "07/01/2026 2:05\u{202f}PM"
            ]
        );
    }

    #[test]
    fn countries_are_named_and_sorted_in_the_readers_language() {
        use crate::domain::DateFormat::Iso;
        let pt = reader("pt", "PT", Iso, true);
        let zh = reader("zh-CN", "CN", Iso, true);
        assert_eq!(pt.country_name("DE").as_deref(), Some("Alemanha"));
        assert_eq!(zh.country_name("PT").as_deref(), Some("葡萄牙"));
        // Simplified wherever the reader lives: 美国, not 美國.
        let zh_in_us = reader("zh-CN", "US", Iso, true);
        assert_eq!(zh_in_us.country_name("US").as_deref(), Some("美国"));
        assert_eq!(zh_in_us.money(&money("1234.5", "CNY")), "¥1,234.50");
        assert_eq!(pt.country_name("ZZZ"), None);
        let countries = pt.countries();
        assert!(countries.len() > 240, "{}", countries.len());
        let at = |code: &str| countries.iter().position(|(c, _)| *c == code).expect(code);
        // Áustria (AT) sorts with the As, before Bélgica (BE), whatever its accent.
        assert!(at("AT") < at("BE") && at("BE") < at("ZM"), "{countries:?}");
        assert!(countries.iter().all(|(code, _)| {
            crate::domain::UserPreferences {
                country: (*code).to_owned(),
                ..crate::domain::UserPreferences::default()
            }
            .validate()
            .is_ok()
        }));
    }

    #[test]
    fn a_language_the_portal_is_not_written_in_reads_english() {
        let preferences = crate::domain::UserPreferences {
            language: "fr".into(),
            ..crate::domain::UserPreferences::default()
        };
        // A language the portal is not written in reads English.
        assert_eq!(Reader::new(&preferences).language(), Language::English);
        // Or the organization's default, with that language's formats.
        let portuguese = Reader::with_fallback(
            &crate::domain::UserPreferences {
                country: "PT".into(),
                ..preferences
            },
            "pt-PT",
        );
        assert_eq!(portuguese.language(), Language::Portuguese);
        assert_eq!(portuguese.money(&money("1234.56", "EUR")), "1234,56\u{a0}€");
    }
}
