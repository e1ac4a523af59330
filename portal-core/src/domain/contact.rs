//! Contact persons of a customer and their portal access.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::email::Email;
use super::ids::{ContactId, CustomerId, OrgId, RoleId};
use super::text::{TextError, single_line};
use crate::domain::PasswordHash;

/// Where a contact person stands with the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortalStatus {
    /// Never invited.
    NotInvited,
    /// Invited; the invitation has not been accepted yet.
    Invited,
    /// Accepted the invitation and can sign in.
    Active,
    /// Access was taken away by the organization.
    Disabled,
}

/// What happens to a contact's portal access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessEvent {
    /// The organization enables access (first time, or again after disabling).
    Invite,
    /// The organization sends a fresh invitation link.
    Reinvite,
    /// The contact accepts the invitation.
    Accept,
    /// The organization disables access.
    Disable,
}

/// A move the portal status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {event:?} a contact whose portal status is {from:?}")]
pub struct TransitionError {
    /// The status it was in.
    pub from: PortalStatus,
    /// What was attempted.
    pub event: AccessEvent,
}

impl PortalStatus {
    /// The one transition table of portal access.
    ///
    /// # Errors
    /// [`TransitionError`] for a move the lifecycle does not have.
    pub fn apply(self, event: AccessEvent) -> Result<PortalStatus, TransitionError> {
        use AccessEvent as E;
        use PortalStatus as S;
        match (self, event) {
            (S::NotInvited | S::Disabled, E::Invite) | (S::Invited, E::Reinvite) => Ok(S::Invited),
            (S::Invited, E::Accept) => Ok(S::Active),
            (S::Invited | S::Active, E::Disable) => Ok(S::Disabled),
            (from, event) => Err(TransitionError { from, event }),
        }
    }

    /// Whether the contact counts towards the portal user cap (invited or active).
    #[must_use]
    pub fn counts_as_portal_user(self) -> bool {
        matches!(self, PortalStatus::Invited | PortalStatus::Active)
    }

    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PortalStatus::NotInvited => "not_invited",
            PortalStatus::Invited => "invited",
            PortalStatus::Active => "active",
            PortalStatus::Disabled => "disabled",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        Some(match text {
            "not_invited" => PortalStatus::NotInvited,
            "invited" => PortalStatus::Invited,
            "active" => PortalStatus::Active,
            "disabled" => PortalStatus::Disabled,
            _ => return None,
        })
    }
}

/// How dates are shown to a portal user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// 2026-11-23
    Iso,
    /// 23/11/2026
    DayMonthYear,
    /// 11/23/2026
    MonthDayYear,
}

/// A portal user's display preferences, chosen when accepting the invitation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserPreferences {
    /// BCP 47 language tag such as `en` or `pt-BR`.
    pub language: String,
    /// IANA time-zone name such as `Europe/Lisbon`.
    pub time_zone: String,
    /// Date format.
    pub date_format: DateFormat,
    /// 24-hour clock (false: 12-hour).
    pub twenty_four_hour_clock: bool,
    /// ISO 3166-1 alpha-2 country code such as `PT`.
    pub country: String,
}

impl Default for UserPreferences {
    fn default() -> Self {
        Self {
            language: "en".into(),
            time_zone: "UTC".into(),
            date_format: DateFormat::Iso,
            twenty_four_hour_clock: true,
            country: "US".into(),
        }
    }
}

/// A preference that is not well formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {value:?} is not valid: {expected}")]
pub struct PreferenceError {
    /// Which preference.
    pub field: &'static str,
    /// The value given.
    pub value: String,
    /// What a valid value looks like.
    pub expected: &'static str,
}

impl UserPreferences {
    /// Checks that the language is one the portal is written in, the time zone
    /// one of the IANA database and the country one of ISO 3166-1.
    ///
    /// # Errors
    /// [`PreferenceError`] naming the field.
    pub fn validate(&self) -> Result<(), PreferenceError> {
        let language_ok = {
            let mut parts = self.language.split('-');
            parts.next().is_some_and(|p| {
                (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase())
            }) && parts
                .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
        };
        // Well formed, and one the portal is written in: a language it cannot
        // show would be stored and never read.
        if !language_ok || crate::i18n::Language::of_tag(&self.language).is_none() {
            return Err(PreferenceError {
                field: "language",
                value: self.language.clone(),
                expected: "a language the portal is written in: en, pt, es or zh-CN (pt-BR, es-MX and the like too)",
            });
        }
        // A zone of the IANA database, spelt as the database spells it.
        if super::canonical_time_zone("time_zone", &self.time_zone)? != self.time_zone {
            return Err(PreferenceError {
                field: "time_zone",
                value: self.time_zone.clone(),
                expected: "a time zone spelt as the IANA database spells it, such as Europe/Lisbon",
            });
        }
        // A country of ISO 3166-1, by its two capital letters.
        let country_ok = self.country.len() == 2
            && self
                .country
                .parse::<iso_country::Country>()
                .is_ok_and(|c| c != iso_country::Country::Unspecified);
        if !country_ok {
            return Err(PreferenceError {
                field: "country",
                value: self.country.clone(),
                expected: "the two-letter ISO 3166-1 code of a country, such as PT",
            });
        }
        Ok(())
    }
}

/// What the host app gives to add a contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewContact {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email; without one the contact cannot get portal access.
    pub email: Option<Email>,
    /// Phone.
    pub phone: String,
    /// The customer's primary contact.
    pub is_primary: bool,
}

impl NewContact {
    /// A contact with a name and an optional email.
    #[must_use]
    pub fn new(
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        email: Option<Email>,
    ) -> Self {
        Self {
            first_name: first_name.into(),
            last_name: last_name.into(),
            email,
            phone: String::new(),
            is_primary: false,
        }
    }

    /// Checks lengths.
    ///
    /// # Errors
    /// [`TextError`] naming the field.
    pub fn validate(&self) -> Result<(), TextError> {
        single_line("first_name", &self.first_name, 1, 100)?;
        single_line("last_name", &self.last_name, 0, 100)?;
        single_line("phone", &self.phone, 0, 50)
    }
}

/// A person at a customer; with an email, they can be given portal access.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPerson {
    /// Identifier.
    pub id: ContactId,
    /// The organization.
    pub org: OrgId,
    /// The customer the person belongs to.
    pub customer: CustomerId,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email, unique among the organization's contacts.
    pub email: Option<Email>,
    /// Phone.
    pub phone: String,
    /// The customer's primary contact.
    pub is_primary: bool,
    /// Portal status.
    pub portal_status: PortalStatus,
    /// Portal role; `None` means the organization's default role.
    pub role: Option<RoleId>,
    /// The argon2id hash of the portal password, once set.
    pub password_hash: Option<PasswordHash>,
    /// Display preferences, once the invitation was accepted.
    pub preferences: Option<UserPreferences>,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it was deleted.
    pub deleted_at: Option<OffsetDateTime>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl fmt::Debug for ContactPerson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContactPerson")
            .field("id", &self.id)
            .field("org", &self.org)
            .field("customer", &self.customer)
            .field("email", &self.email)
            .field("portal_status", &self.portal_status)
            .field("role", &self.role)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .field("deleted_at", &self.deleted_at)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl ContactPerson {
    /// Builds a new contact record.
    #[must_use]
    pub fn create(
        org: OrgId,
        customer: CustomerId,
        input: NewContact,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            id: ContactId::new(),
            org,
            customer,
            first_name: input.first_name,
            last_name: input.last_name,
            email: input.email,
            phone: input.phone,
            is_primary: input.is_primary,
            portal_status: PortalStatus::NotInvited,
            role: None,
            password_hash: None,
            preferences: None,
            created_at: now,
            deleted_at: None,
            version: 1,
        }
    }

    /// First and last name.
    #[must_use]
    pub fn full_name(&self) -> String {
        if self.last_name.is_empty() {
            self.first_name.clone()
        } else {
            format!("{} {}", self.first_name, self.last_name)
        }
    }

    /// Whether the contact was deleted.
    #[must_use]
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_table() {
        use AccessEvent as E;
        use PortalStatus as S;
        let all = [S::NotInvited, S::Invited, S::Active, S::Disabled];
        let events = [E::Invite, E::Reinvite, E::Accept, E::Disable];
        let allowed = [
            (S::NotInvited, E::Invite, S::Invited),
            (S::Disabled, E::Invite, S::Invited),
            (S::Invited, E::Reinvite, S::Invited),
            (S::Invited, E::Accept, S::Active),
            (S::Invited, E::Disable, S::Disabled),
            (S::Active, E::Disable, S::Disabled),
        ];
        for from in all {
            for event in events {
                let expected = allowed
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to);
                assert_eq!(from.apply(event).ok(), expected, "{from:?} + {event:?}");
            }
        }
    }

    #[test]
    fn status_text_round_trips() {
        for s in [
            PortalStatus::NotInvited,
            PortalStatus::Invited,
            PortalStatus::Active,
            PortalStatus::Disabled,
        ] {
            assert_eq!(PortalStatus::from_db(s.as_str()), Some(s));
        }
        assert_eq!(PortalStatus::from_db("bogus"), None);
    }

    #[test]
    fn preferences_are_checked() {
        assert!(UserPreferences::default().validate().is_ok());
        let mut p = UserPreferences {
            language: "pt-BR".into(),
            time_zone: "America/Sao_Paulo".into(),
            ..UserPreferences::default()
        };
        assert!(p.validate().is_ok());
        p.country = "Portugal".into();
        assert_eq!(p.validate().map_err(|e| e.field), Err("country"));
        p.country = "PT".into();
        p.time_zone = "../etc/passwd".into();
        assert_eq!(p.validate().map_err(|e| e.field), Err("time_zone"));
        p.time_zone = "UTC".into();
        p.language = "English".into();
        assert_eq!(p.validate().map_err(|e| e.field), Err("language"));
        // Well formed, but not a language the portal is written in.
        p.language = "fr-FR".into();
        assert_eq!(p.validate().map_err(|e| e.field), Err("language"));
        p.language = "zh-TW".into();
        assert_eq!(p.validate().map_err(|e| e.field), Err("language"));
        p.language = "es-MX".into();
        assert!(p.validate().is_ok());
        // Two capital letters that are no country's.
        p.country = "ZZ".into();
        assert_eq!(p.validate().map_err(|e| e.field), Err("country"));
        p.country = "PRT".into();
        assert_eq!(p.validate().map_err(|e| e.field), Err("country"));
        p.country = "MX".into();
        assert!(p.validate().is_ok());
    }
}
