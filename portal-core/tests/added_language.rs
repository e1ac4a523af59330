//! A host adds a language with one message file: the file is checked against
//! the English one (every message, the same placeholders, nothing else) and
//! refused with the reasons when it is not complete; once added, tags read it,
//! its readers get its messages and their locale's formats, and a host's own
//! message set (its pages) is told it lacks the language until it adds a file.
//!
//! The language's own test, the one a host writes, is the first assertion of
//! `a_complete_file_adds_the_language`: `NewLanguage::problems` is empty.
//!
//! Adding a language changes the process, so this file is its own test binary,
//! and a single test: nothing else sees the language.

use portal_core::domain::{Currency, DateFormat, Money, UserPreferences};
use portal_core::i18n::{Language, Messages, NewLanguage, Reader, arg};

const ENGLISH: &str = include_str!("../locales/en.ftl");

/// The library's English file with its receipt's subject in French: a stand-in
/// for a translated file (a real one translates every message; the check is
/// the same).
fn french_file() -> &'static str {
    let text = ENGLISH.replace(
        "receipt-subject = Receipt { $receipt } from { $org }",
        "receipt-subject = Reçu { $receipt } de { $org }",
    );
    assert_ne!(text, ENGLISH, "the receipt's subject is in the file");
    Box::leak(text.into_boxed_str())
}

fn french(messages: &'static str) -> NewLanguage {
    NewLanguage {
        tag: "fr",
        name: "Français",
        locale: "fr",
        messages,
    }
}

#[test]
fn a_complete_file_adds_the_language_and_an_incomplete_one_is_refused() {
    // An incomplete file is refused, with what it lacks, and nothing is added.
    let lacking: &'static str = Box::leak(
        ENGLISH
            .replace("receipt-subject = Receipt { $receipt } from { $org }\n", "")
            .replace(
                "print-paid-on = Paid on",
                "print-paid-on = Paid on { $date }",
            )
            .into_boxed_str(),
    );
    let refused = Language::add(french(lacking)).expect_err("incomplete");
    assert!(
        refused.contains(&"fr: receipt-subject is missing".to_owned()),
        "{refused:?}"
    );
    assert!(
        refused
            .iter()
            .any(|p| p.starts_with("fr: print-paid-on uses {\"date\"}")),
        "{refused:?}"
    );
    assert_eq!(Language::of_tag("fr"), None, "nothing was added");
    assert_eq!(Language::all().len(), 4);

    // The host's one test for its language.
    let file = french(french_file());
    assert_eq!(file.problems(), Vec::<String>::new());
    let fr = Language::add(file).expect("added");

    assert_eq!((fr.tag(), fr.name()), ("fr", "Français"));
    assert_eq!(Language::all().len(), 5);
    assert_eq!(Language::of_tag("fr-CA"), Some(fr));
    assert_eq!(Language::from_accept_language("fr-CH, en;q=0.5"), fr);
    assert_eq!(Language::of_tag("pt-PT"), Some(Language::Portuguese));
    assert_eq!(
        Messages::library().problems(),
        Vec::<String>::new(),
        "the library's messages have the language"
    );
    assert!(
        Language::add(french(french_file()))
            .expect_err("once")
            .iter()
            .any(|p| p.contains("already has this language"))
    );

    // Its readers read its messages, with their locale's formats.
    let reader = Reader::new(&UserPreferences {
        language: "fr-FR".into(),
        country: "FR".into(),
        date_format: DateFormat::DayMonthYear,
        ..UserPreferences::default()
    });
    assert_eq!(reader.language(), fr);
    assert_eq!(
        reader.text(
            "receipt-subject",
            &[("receipt", arg("R-7")), ("org", arg("Librairie"))]
        ),
        "Reçu R-7 de Librairie"
    );
    let eur = Currency::from_code("EUR").expect("eur");
    let amount = Money::from_minor_units(123_456, eur);
    let written = reader.money(&amount);
    assert!(
        written.starts_with("1\u{202f}234,56") && written.ends_with('€'),
        "{written:?}"
    );
    assert_eq!(reader.parse_money(&written, eur), Ok(amount));

    // A host's own messages (its pages) lack the language until it adds a
    // file for it, and say so.
    let pages = Messages::new(&[
        (Language::English, "title = Hello { $name }\n"),
        (Language::Portuguese, "title = Olá { $name }\n"),
        (Language::Spanish, "title = Hola { $name }\n"),
        (Language::Chinese, "title = 你好 { $name }\n"),
    ]);
    assert_eq!(pages.problems(), vec!["fr: there is no file".to_owned()]);
    assert!(
        pages.add(fr, "title = Bonjour\n").is_err(),
        "placeholders differ"
    );
    pages
        .add(fr, "title = Bonjour { $name }\n")
        .expect("complete");
    assert_eq!(pages.problems(), Vec::<String>::new());
    assert_eq!(
        pages.text(fr, "title", &[("name", arg("Zoé"))]),
        "Bonjour Zoé"
    );
}
