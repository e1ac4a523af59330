//! Domain types and pure business rules: no I/O here.

mod contact;
mod customer;
mod email;
mod ids;
mod money;
mod outbox;
mod role;
mod settings;
mod slug;
mod template;
mod text;

pub use contact::{
    AccessEvent, ContactPerson, DateFormat, NewContact, PortalStatus, PreferenceError,
    TransitionError, UserPreferences,
};
pub use customer::{Address, Customer, NewCustomer};
pub use email::{Email, EmailError};
pub use ids::{ContactId, CustomerId, EmailId, OrgId, RoleId, SessionId, TokenId};
pub use money::{Currency, Money, MoneyError};
pub use outbox::{EmailKind, EmailStatus, OutboxEmail};
pub use role::{
    Action, Decision, MAX_ROLES_PER_ORG, Module, NotApplicable, Permissions, Refusal, Role,
    RoleName, RolePreview, Setting, decide,
};
pub use settings::{
    DEFAULT_PORTAL_USER_CAP, NewOrganization, OrgContactDetails, OrgNotifications, Organization,
    PortalEvent, PortalPreferences, PortalSettings,
};
pub use slug::{PortalSlug, SlugError};
pub use template::{InvitationTemplate, Placeholder, TemplateError, TemplateValues};
pub use text::TextError;
