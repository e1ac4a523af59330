//! The organization and its portal configuration (SPEC P1–P7).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::contact::UserPreferences;
use super::email::Email;
use super::ids::{OrgId, RoleId};
use super::role::Role;
use super::slug::PortalSlug;
use super::template::InvitationTemplate;
use super::text::{TextError, limited, single_line};

/// The default cap on portal users per organization (the CRM seed's free tier).
pub const DEFAULT_PORTAL_USER_CAP: u32 = 3_000;

/// A portal event the organization can be emailed about (SPEC N1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortalEvent {
    /// A quote, invoice, sales order or approval was viewed for the first time.
    Viewed,
    /// A quote was accepted.
    QuoteAccepted,
    /// A quote was declined.
    QuoteDeclined,
    /// A comment was written.
    Commented,
    /// A payment was made.
    Paid,
    /// The customer updated their details.
    DetailsUpdated,
    /// A timesheet was approved.
    TimesheetApproved,
    /// A timesheet was rejected.
    TimesheetRejected,
    /// A review was written.
    ReviewWritten,
    /// A file was uploaded.
    FileUploaded,
    /// A payment is processing: it settles later (a bank debit), its balance is
    /// reserved meanwhile.
    PaymentProcessing,
    /// A payment that was processing or waiting for the customer's bank failed; its
    /// reservation was released.
    PaymentFailed,
}

impl PortalEvent {
    /// Every event.
    pub const ALL: [PortalEvent; 12] = [
        PortalEvent::Viewed,
        PortalEvent::QuoteAccepted,
        PortalEvent::QuoteDeclined,
        PortalEvent::Commented,
        PortalEvent::Paid,
        PortalEvent::DetailsUpdated,
        PortalEvent::TimesheetApproved,
        PortalEvent::TimesheetRejected,
        PortalEvent::ReviewWritten,
        PortalEvent::FileUploaded,
        PortalEvent::PaymentProcessing,
        PortalEvent::PaymentFailed,
    ];

    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PortalEvent::Viewed => "viewed",
            PortalEvent::QuoteAccepted => "quote_accepted",
            PortalEvent::QuoteDeclined => "quote_declined",
            PortalEvent::Commented => "commented",
            PortalEvent::Paid => "paid",
            PortalEvent::DetailsUpdated => "details_updated",
            PortalEvent::TimesheetApproved => "timesheet_approved",
            PortalEvent::TimesheetRejected => "timesheet_rejected",
            PortalEvent::ReviewWritten => "review_written",
            PortalEvent::FileUploaded => "file_uploaded",
            PortalEvent::PaymentProcessing => "payment_processing",
            PortalEvent::PaymentFailed => "payment_failed",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == text)
    }
}

/// Which events email the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode", content = "events")]
pub enum OrgNotifications {
    /// Every portal activity.
    AllActivity,
    /// Only the chosen events.
    Chosen(BTreeSet<PortalEvent>),
}

impl OrgNotifications {
    /// Whether `event` emails the organization.
    #[must_use]
    pub fn wants(&self, event: PortalEvent) -> bool {
        match self {
            OrgNotifications::AllActivity => true,
            OrgNotifications::Chosen(set) => set.contains(&event),
        }
    }
}

/// The portal preferences of SPEC P3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalPreferences {
    /// Customers may forward documents to other addresses.
    pub allow_forwarding: bool,
    /// Customers may edit their details.
    pub allow_edit_details: bool,
    /// Customers may view sales orders (off until the organization opts in).
    pub show_sales_orders: bool,
    /// Customers may view projects and timesheets (off until the organization opts in).
    pub show_projects: bool,
    /// Customers may write reviews.
    pub enable_reviews: bool,
    /// Customers may upload documents.
    pub allow_uploads: bool,
    /// Email the customer when the organization comments with "show in portal".
    pub email_customer_on_org_comment: bool,
    /// Which events email the organization.
    pub org_notifications: OrgNotifications,
    /// A document emailed to a customer carries a document link (opened without
    /// signing in, to view, download, pay or accept it); off, the email links
    /// to the document behind the portal's sign-in. Off until the organization
    /// opts in.
    #[serde(default)]
    pub email_document_links: bool,
}

impl Default for PortalPreferences {
    fn default() -> Self {
        Self {
            allow_forwarding: true,
            allow_edit_details: true,
            show_sales_orders: false,
            show_projects: false,
            enable_reviews: true,
            allow_uploads: true,
            email_customer_on_org_comment: true,
            org_notifications: OrgNotifications::AllActivity,
            email_document_links: false,
        }
    }
}

/// The organization's contact details shown on the portal home (SPEC P5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgContactDetails {
    /// Name shown.
    pub name: String,
    /// Email that customers write to and that gets notifications.
    pub email: Option<Email>,
    /// Phone.
    pub phone: String,
    /// Postal address, free text.
    pub address: String,
}

/// Everything the organization configures about its portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalSettings {
    /// Whether the portal is on (it is by default).
    pub enabled: bool,
    /// Banner shown to a portal user at first login (SPEC P2).
    pub banner: Option<String>,
    /// Preferences (SPEC P3).
    pub preferences: PortalPreferences,
    /// Invitation email (SPEC P4): the organization's own, for every language
    /// without one of its own in [`Self::invitation_templates`]. Left as the
    /// library's default, it is written in each invitee's language.
    pub invitation_template: InvitationTemplate,
    /// The organization's invitation email per language (the tag of a language
    /// the portal is written in, `pt-PT`), for its invitees who read it.
    #[serde(default)]
    pub invitation_templates: std::collections::BTreeMap<String, InvitationTemplate>,
    /// Contact details on the portal home (SPEC P5).
    pub contact_details: OrgContactDetails,
    /// Defaults offered to a user accepting an invitation.
    pub default_user_preferences: UserPreferences,
    /// How many days a document link lives unless revoked (1 to 365; 30 by
    /// default).
    #[serde(default = "default_link_days")]
    pub document_link_days: u32,
    /// The organization's time zone (IANA, `Europe/Lisbon`; UTC by default): its
    /// business day. "Today" for due dates and overdue, quote and card expiry,
    /// statement periods and default issue dates is the date there.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
}

fn default_time_zone() -> String {
    "UTC".into()
}

impl Default for PortalSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            banner: None,
            preferences: PortalPreferences::default(),
            invitation_template: InvitationTemplate::default(),
            invitation_templates: std::collections::BTreeMap::new(),
            contact_details: OrgContactDetails::default(),
            default_user_preferences: UserPreferences::default(),
            document_link_days: default_link_days(),
            time_zone: default_time_zone(),
        }
    }
}

fn default_link_days() -> u32 {
    30
}

impl PortalSettings {
    /// The organization's own invitation template for a reader of `language`:
    /// its template in that language, else its one template if it wrote one;
    /// `None` when the library's default, in the reader's language, is the one.
    #[must_use]
    pub fn invitation_template_for(
        &self,
        language: crate::i18n::Language,
    ) -> Option<&InvitationTemplate> {
        self.invitation_templates
            .iter()
            .find(|(tag, _)| crate::i18n::Language::of_tag(tag) == Some(language))
            .map(|(_, template)| template)
            .or_else(|| {
                (self.invitation_template != InvitationTemplate::default())
                    .then_some(&self.invitation_template)
            })
    }

    /// Checks that each language-specific invitation template is for a language
    /// the portal is written in, once.
    ///
    /// # Errors
    /// [`super::PreferenceError`] for the `language` of a template that is not.
    pub fn validate_languages(&self) -> Result<(), super::PreferenceError> {
        let mut seen = Vec::new();
        for tag in self.invitation_templates.keys() {
            match crate::i18n::Language::of_tag(tag) {
                Some(language) if !seen.contains(&language) => seen.push(language),
                _ => {
                    return Err(super::PreferenceError {
                        field: "language",
                        value: tag.clone(),
                        expected: "a language the portal is written in, once",
                    });
                }
            }
        }
        Ok(())
    }

    /// Checks the free-text fields' lengths and the default preferences.
    ///
    /// # Errors
    /// [`TextError`] naming the field (preference errors are reported as the field).
    pub fn validate(&self) -> Result<(), TextError> {
        if let Some(banner) = &self.banner {
            limited("banner", banner, 1, 2_000)?;
        }
        let c = &self.contact_details;
        single_line("contact name", &c.name, 0, 200)?;
        single_line("contact phone", &c.phone, 0, 50)?;
        limited("contact address", &c.address, 0, 1_000)?;
        if !(1..=365).contains(&self.document_link_days) {
            return Err(TextError::length(
                "document link days",
                1,
                365,
                usize::try_from(self.document_link_days).unwrap_or(usize::MAX),
            ));
        }
        Ok(())
    }
}

/// The business that runs a portal: the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Identifier.
    pub id: OrgId,
    /// Name.
    pub name: String,
    /// Portal URL slug, unique across organizations.
    pub slug: PortalSlug,
    /// Portal configuration.
    pub settings: PortalSettings,
    /// Roles, the default one first; at most [`super::role::MAX_ROLES_PER_ORG`].
    pub roles: Vec<Role>,
    /// The most portal users (invited or active contacts) the organization may have.
    pub portal_user_cap: u32,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// What the host app gives to create an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrganization {
    /// Name (1 to 200 characters).
    pub name: String,
    /// Portal URL slug.
    pub slug: PortalSlug,
}

impl Organization {
    /// A new organization with the portal on, default settings and the default role.
    #[must_use]
    pub fn create(input: NewOrganization, now: OffsetDateTime) -> Self {
        let mut settings = PortalSettings::default();
        settings.contact_details.name.clone_from(&input.name);
        Self {
            id: OrgId::new(),
            name: input.name,
            slug: input.slug,
            settings,
            roles: vec![Role::default_role()],
            portal_user_cap: DEFAULT_PORTAL_USER_CAP,
            created_at: now,
            version: 1,
        }
    }

    /// The default role.
    #[must_use]
    pub fn default_role(&self) -> &Role {
        self.roles
            .iter()
            .find(|r| r.is_default)
            .unwrap_or_else(|| &self.roles[0])
    }

    /// The role with this id, or the default role when `None` or not found (a role
    /// deleted meanwhile falls back to the default).
    #[must_use]
    pub fn role_or_default(&self, id: Option<RoleId>) -> &Role {
        id.and_then(|id| self.roles.iter().find(|r| r.id == id))
            .unwrap_or_else(|| self.default_role())
    }
}

impl NewOrganization {
    /// Checks the name.
    ///
    /// # Errors
    /// [`TextError`].
    pub fn validate(&self) -> Result<(), TextError> {
        single_line("organization name", &self.name, 1, 200)
    }
}
