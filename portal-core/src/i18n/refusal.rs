//! Refusals in the reader's words: the message of an [`Error`] a portal user can
//! meet (a wrong password, an amount over the balance, a declined card), from
//! the library's message files by the error's stable code (`refusal-<code>`,
//! finer where one code covers several cases), with the error's own figures
//! in the reader's formats.
//!
//! Errors only the organization's own people meet (a taken slug, a role limit)
//! and the system's own failures keep the error's English text: a host shows
//! those to staff, or not at all.

use fluent_bundle::FluentValue;

use super::{Messages, Reader, arg};
use crate::Error;
use crate::auth::PasswordPolicyError;
use crate::domain::{Action, FileError, Module, Refusal, Setting};

/// The codes a portal user can be refused with, each with a message in every
/// language (a test holds the library to it).
pub const PORTAL_USER_CODES: &[&str] = &[
    "invalid_email",
    "invalid_amount",
    "currency_mismatch",
    "unknown_currency",
    "weak_password",
    "invalid_text",
    "invalid_preference",
    "invalid_state",
    "not_found",
    "not_shareable",
    "not_commentable",
    "portal_disabled",
    "invalid_link",
    "invalid_credentials",
    "too_many_attempts",
    "session_expired",
    "link_expired",
    "link_revoked",
    "link_action_not_allowed",
    "CP1003",
    "wrong_password",
    "password_confirmation_mismatch",
    "forbidden",
    "busy",
    "invalid_cursor",
    "nothing_to_pay",
    "partial_payment_not_allowed",
    "amount_exceeds_balance",
    "payment_in_progress",
    "no_payment_gateway",
    "bank_payment_not_allowed",
    "invalid_idempotency_key",
    "idempotency_key_reused",
    "payment_pending",
    "authentication_required",
    "payment_processing",
    "credit_not_available",
    "reason_required",
    "time_not_submittable",
    "invalid_project",
    "file_too_large",
    "file_type_not_allowed",
    "invalid_file",
    "invalid_expiry",
    "invalid_payment_details",
    "invalid_period",
    "invalid_quote",
    "quote_expired",
    "quote_changed",
    "typed_details_refused",
    // Why a payment failed (FailureCode): a decline, the gateway's answer.
    "card_declined",
    "card_expired",
    "CP3001",
    "CP3002",
    "CP3003",
    "CP3004",
    "CP3005",
    "CP4001",
    "CP4002",
    "CP4003",
    "gateway_unavailable",
    "not_charged",
    "authentication_failed",
    "authentication_abandoned",
    "debit_failed",
    "payment_failed",
];

impl Reader {
    /// `error` as the reader reads it: what happened and what to do, in their
    /// language, figures in their formats. Errors a portal user cannot meet
    /// keep their English text.
    #[must_use]
    pub fn refusal(&self, error: &Error) -> String {
        let (id, args) = message_of(self, error);
        if Messages::library().has(&id) {
            self.text(&id, &args)
        } else {
            error.to_string()
        }
    }

    /// Why a payment failed (a [`FailureCode`](crate::domain::FailureCode)'s
    /// code), in the reader's words; `fallback` for a code without a message.
    #[must_use]
    pub fn failure(&self, code: &str, fallback: &str) -> String {
        let id = format!("refusal-{code}");
        if Messages::library().has(&id) {
            self.text(&id, &[])
        } else {
            fallback.to_owned()
        }
    }
}

/// The message id of `error` and its values.
fn message_of<'a>(reader: &Reader, error: &'a Error) -> (String, Vec<(&'a str, FluentValue<'a>)>) {
    let code = error.code();
    let mut args: Vec<(&str, FluentValue<'_>)> = Vec::new();
    let id = match error {
        Error::PasswordPolicy(p) => match p {
            PasswordPolicyError::TooShort => "refusal-weak_password-short",
            PasswordPolicyError::TooLong => "refusal-weak_password-long",
            PasswordPolicyError::Common => "refusal-weak_password-common",
            _ => "refusal-weak_password",
        }
        .to_owned(),
        Error::File(FileError::TooLarge { max, .. }) => {
            args.push(("megabytes", arg(max.div_ceil(1 << 20))));
            format!("refusal-{code}")
        }
        Error::AmountExceedsBalance { amount, balance } => {
            args.push(("amount", arg(reader.money(amount))));
            args.push(("balance", arg(reader.money(balance))));
            format!("refusal-{code}")
        }
        Error::BelowGatewayMinimum(minimum) => {
            args.push(("minimum", arg(reader.money(minimum))));
            "refusal-CP4001-minimum".to_owned()
        }
        Error::UnsupportedCurrency(currency) => {
            args.push(("currency", arg(currency.code())));
            "refusal-CP4003-currency".to_owned()
        }
        Error::QuoteExpired(date) => {
            args.push(("date", arg(reader.date(*date))));
            format!("refusal-{code}")
        }
        Error::Preference(p) if matches!(p.field, "language" | "time_zone" | "country") => {
            args.push(("value", arg(&p.value)));
            format!("refusal-{code}-{}", p.field)
        }
        Error::Forbidden(refusal) => match refusal {
            Refusal::RoleLacks {
                role,
                module,
                action,
            } => {
                args.push(("role", arg(role)));
                let what = format!("permission-{}-{}", module_key(*module), action_key(*action));
                args.push(("what", arg(reader.text(&what, &[]))));
                "refusal-forbidden-role".to_owned()
            }
            Refusal::SettingOff { setting } => {
                args.push((
                    "setting",
                    arg(reader.text(&format!("setting-{}", setting_key(*setting)), &[])),
                ));
                "refusal-forbidden-setting".to_owned()
            }
            Refusal::AccessNotActive { .. } => "refusal-forbidden-inactive".to_owned(),
            Refusal::NotApplicable { .. } => "refusal-forbidden".to_owned(),
        },
        Error::TooManyAttempts { retry_in, .. } => {
            let minutes = (retry_in.whole_seconds().max(1) + 59) / 60;
            args.push(("minutes", FluentValue::from(minutes)));
            format!("refusal-{code}")
        }
        _ => format!("refusal-{code}"),
    };
    (id, args)
}

fn module_key(module: Module) -> &'static str {
    match module {
        Module::Quotes => "quotes",
        Module::Invoices => "invoices",
        Module::Payments => "payments",
        Module::Statements => "statements",
        Module::SalesOrders => "sales-orders",
        Module::Projects => "projects",
        Module::Timesheets => "timesheets",
        Module::Documents => "documents",
        Module::Profile => "profile",
    }
}

fn action_key(action: Action) -> &'static str {
    match action {
        Action::View => "view",
        Action::Create => "create",
        Action::Edit => "edit",
        Action::Delete => "delete",
        Action::Accept => "accept",
        Action::Pay => "pay",
        Action::Approve => "approve",
        Action::Upload => "upload",
    }
}

fn setting_key(setting: Setting) -> &'static str {
    match setting {
        Setting::PortalEnabled => "portal-enabled",
        Setting::ShowSalesOrders => "show-sales-orders",
        Setting::ShowProjects => "show-projects",
        Setting::AllowUploads => "allow-uploads",
        Setting::AllowEditDetails => "allow-edit-details",
        Setting::EnableReviews => "enable-reviews",
        Setting::AllowForwarding => "allow-forwarding",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, DateFormat, Money, UserPreferences};
    use crate::i18n::Language;

    fn reader(language: &str, country: &str) -> Reader {
        Reader::new(&UserPreferences {
            language: language.into(),
            country: country.into(),
            date_format: DateFormat::DayMonthYear,
            ..UserPreferences::default()
        })
    }

    #[test]
    fn every_code_a_portal_user_meets_has_a_message() {
        let missing: Vec<&&str> = PORTAL_USER_CODES
            .iter()
            .filter(|code| !Messages::library().has(&format!("refusal-{code}")))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
    }

    /// Every permission a role can lack and every setting that can be off is
    /// named in words.
    #[test]
    fn every_permission_and_setting_is_named() {
        for module in Module::ALL {
            for action in module.actions() {
                let id = format!("permission-{}-{}", module_key(module), action_key(*action));
                assert!(Messages::library().has(&id), "{id}");
            }
        }
        for setting in Setting::ALL {
            let id = format!("setting-{}", setting_key(setting));
            assert!(Messages::library().has(&id), "{id}");
        }
    }

    #[test]
    fn refusals_read_in_the_readers_language_with_their_figures() {
        let eur = Currency::from_code("EUR").expect("eur");
        let over = Error::AmountExceedsBalance {
            amount: Money::from_minor_units(123_456, eur),
            balance: Money::from_minor_units(45_000, eur),
        };
        let pt = reader("pt", "PT");
        assert_eq!(pt.language(), Language::Portuguese);
        let said = pt.refusal(&over);
        assert!(
            said.contains("1234,56\u{a0}€") && said.contains("450,00\u{a0}€"),
            "{said}"
        );
        let zh = reader("zh-CN", "CN").refusal(&Error::InvalidCredentials);
        assert!(zh.contains("密码"), "{zh}");
        let es = reader("es", "ES").refusal(&Error::TooManyAttempts {
            retry_after: time::OffsetDateTime::UNIX_EPOCH,
            retry_in: time::Duration::minutes(14),
        });
        assert!(es.contains("14 minutos"), "{es}");
        let en = reader("en", "US").refusal(&Error::TooManyAttempts {
            retry_after: time::OffsetDateTime::UNIX_EPOCH,
            retry_in: time::Duration::seconds(30),
        });
        assert!(en.contains("1 minute") && !en.contains("minutes"), "{en}");
        let short =
            reader("es", "ES").refusal(&Error::PasswordPolicy(PasswordPolicyError::TooShort));
        assert!(short.contains('8'), "{short}");
        // What only the organization's staff meet stays as the library says it.
        assert_eq!(pt.refusal(&Error::SlugTaken), Error::SlugTaken.to_string());
    }
}
