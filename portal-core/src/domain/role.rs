//! Portal roles and the permission check (SPEC P6).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::contact::PortalStatus;
use super::ids::RoleId;
use super::settings::PortalSettings;
use super::text::{TextError, single_line};

/// The most roles an organization can have, the default role included.
pub const MAX_ROLES_PER_ORG: usize = 5;

/// A part of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    /// Quotes (estimates).
    Quotes,
    /// Invoices and retainer invoices.
    Invoices,
    /// Payments made and saved payment methods.
    Payments,
    /// Statements of account.
    Statements,
    /// Sales orders.
    SalesOrders,
    /// Projects and their comments.
    Projects,
    /// Timesheet approvals.
    Timesheets,
    /// Shared files.
    Documents,
    /// The customer's own details.
    Profile,
}

impl Module {
    /// Every module, in display order.
    pub const ALL: [Module; 9] = [
        Module::Quotes,
        Module::Invoices,
        Module::Payments,
        Module::Statements,
        Module::SalesOrders,
        Module::Projects,
        Module::Timesheets,
        Module::Documents,
        Module::Profile,
    ];

    /// The actions that make sense in this module.
    #[must_use]
    pub fn actions(self) -> &'static [Action] {
        use Action as A;
        match self {
            Module::Quotes => &[A::View, A::Create, A::Accept],
            Module::Invoices => &[A::View, A::Create, A::Pay],
            Module::Payments => &[A::View, A::Create, A::Edit, A::Delete],
            Module::Statements | Module::SalesOrders => &[A::View],
            Module::Projects => &[A::View, A::Create],
            Module::Timesheets => &[A::View, A::Create, A::Approve],
            Module::Documents => &[A::View, A::Upload, A::Delete],
            Module::Profile => &[A::View, A::Edit],
        }
    }
}

/// Something a portal user does in a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the module's records.
    View,
    /// Create (comments; saved payment methods).
    Create,
    /// Edit (saved payment methods; own details).
    Edit,
    /// Delete (saved payment methods; own uploads).
    Delete,
    /// Accept or decline a quote.
    Accept,
    /// Pay an invoice.
    Pay,
    /// Approve or reject a timesheet.
    Approve,
    /// Upload a document.
    Upload,
}

/// A role's name: 1 to 50 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoleName(String);

impl RoleName {
    /// Parses a role name (trimmed).
    ///
    /// # Errors
    /// [`TextError`] if empty or longer than 50 characters.
    pub fn parse(text: &str) -> Result<Self, TextError> {
        single_line("role name", text, 1, 50)?;
        Ok(Self(text.trim().to_owned()))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RoleName {
    type Error = TextError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<RoleName> for String {
    fn from(n: RoleName) -> String {
        n.0
    }
}

impl fmt::Display for RoleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which actions a role may take, per module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions(BTreeMap<Module, BTreeSet<Action>>);

/// A permission that names an action the module does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{action:?} is not an action of the {module:?} module")]
pub struct NotApplicable {
    /// The module.
    pub module: Module,
    /// The action.
    pub action: Action,
}

impl Permissions {
    /// No permission at all.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// Every action of every module: the bookkeeping portal's behaviour.
    #[must_use]
    pub fn all() -> Self {
        Self(
            Module::ALL
                .iter()
                .map(|m| (*m, m.actions().iter().copied().collect()))
                .collect(),
        )
    }

    /// Adds `action` in `module`.
    ///
    /// # Errors
    /// [`NotApplicable`] if the module has no such action.
    pub fn with(mut self, module: Module, action: Action) -> Result<Self, NotApplicable> {
        if !module.actions().contains(&action) {
            return Err(NotApplicable { module, action });
        }
        self.0.entry(module).or_default().insert(action);
        Ok(self)
    }

    /// Whether `action` in `module` is granted.
    #[must_use]
    pub fn allows(&self, module: Module, action: Action) -> bool {
        self.0.get(&module).is_some_and(|set| set.contains(&action))
    }
}

/// A named set of permissions that portal users are given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Identifier.
    pub id: RoleId,
    /// Name.
    pub name: RoleName,
    /// What it may do.
    pub permissions: Permissions,
    /// The default role: given to every portal user without another role; it cannot
    /// be deleted.
    pub is_default: bool,
}

impl Role {
    /// The default role every organization starts with: everything the portal offers.
    #[must_use]
    pub fn default_role() -> Self {
        Self {
            id: RoleId::new(),
            name: RoleName("Customer".into()),
            permissions: Permissions::all(),
            is_default: true,
        }
    }
}

/// Which portal setting turned a module or action off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// The portal itself is off.
    PortalEnabled,
    /// "Allow customers to view sales orders".
    ShowSalesOrders,
    /// "Allow customers to view projects and timesheets".
    ShowProjects,
    /// "Allow document uploads".
    AllowUploads,
    /// "Allow customers to edit their details".
    AllowEditDetails,
    /// "Enable customer reviews".
    EnableReviews,
    /// "Allow customers to forward documents".
    AllowForwarding,
}

impl Setting {
    /// The setting as the organization's settings page names it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Setting::PortalEnabled => "Enable the customer portal",
            Setting::ShowSalesOrders => "Allow customers to view sales orders",
            Setting::ShowProjects => "Allow customers to view projects and timesheets",
            Setting::AllowUploads => "Allow document uploads",
            Setting::AllowEditDetails => "Allow customers to edit their details",
            Setting::EnableReviews => "Enable customer reviews",
            Setting::AllowForwarding => "Allow customers to forward documents",
        }
    }
}

impl Module {
    /// The module as people read it, in lower case: "sales orders".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Module::Quotes => "quotes",
            Module::Invoices => "invoices",
            Module::Payments => "payments",
            Module::Statements => "statements",
            Module::SalesOrders => "sales orders",
            Module::Projects => "projects",
            Module::Timesheets => "timesheets",
            Module::Documents => "documents",
            Module::Profile => "the profile",
        }
    }
}

impl Action {
    /// The action as people read it, in lower case: "view".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
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
}

/// Why an action was refused, so a host app can tell the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum Refusal {
    /// The module has no such action.
    NotApplicable {
        /// The module.
        module: Module,
        /// The action.
        action: Action,
    },
    /// A portal setting of the organization is off.
    SettingOff {
        /// The setting.
        setting: Setting,
    },
    /// The user's role does not grant it.
    RoleLacks {
        /// The role's name.
        role: String,
        /// The module.
        module: Module,
        /// The action.
        action: Action,
    },
    /// The user's portal access is not active.
    AccessNotActive {
        /// The status.
        status: PortalStatus,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotApplicable { module, action } => {
                write!(f, "one cannot {} in {}", action.label(), module.label())
            }
            Refusal::SettingOff { setting } => {
                write!(
                    f,
                    "the organization has turned off \"{}\" for its portal",
                    setting.label()
                )
            }
            Refusal::RoleLacks {
                role,
                module,
                action,
            } => {
                write!(
                    f,
                    "your portal role \"{role}\" does not allow you to {} {}",
                    action.label(),
                    module.label()
                )
            }
            Refusal::AccessNotActive { status } => {
                write!(
                    f,
                    "your portal access is not active ({}); ask the organization to enable it",
                    status.as_str()
                )
            }
        }
    }
}

/// The answer of a permission check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum Decision {
    /// The action is allowed.
    Allowed,
    /// The action is refused, and why.
    Refused(Refusal),
}

impl Decision {
    /// Whether it is allowed.
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed)
    }
}

/// Decides whether a portal user with `status` and `role` may take `action` in
/// `module` under the organization's `settings`. Checked in this order: the action
/// exists in the module, the user's access is active, the portal and the module's
/// settings are on, the role grants it. The first failing check is the reason.
#[must_use]
pub fn decide(
    settings: &PortalSettings,
    role: &Role,
    status: PortalStatus,
    module: Module,
    action: Action,
) -> Decision {
    if !module.actions().contains(&action) {
        return Decision::Refused(Refusal::NotApplicable { module, action });
    }
    if status != PortalStatus::Active {
        return Decision::Refused(Refusal::AccessNotActive { status });
    }
    if let Some(setting) = blocking_setting(settings, module, action) {
        return Decision::Refused(Refusal::SettingOff { setting });
    }
    if !role.permissions.allows(module, action) {
        return Decision::Refused(Refusal::RoleLacks {
            role: role.name.to_string(),
            module,
            action,
        });
    }
    Decision::Allowed
}

fn blocking_setting(settings: &PortalSettings, module: Module, action: Action) -> Option<Setting> {
    let prefs = &settings.preferences;
    if !settings.enabled {
        return Some(Setting::PortalEnabled);
    }
    match (module, action) {
        (Module::SalesOrders, _) if !prefs.show_sales_orders => Some(Setting::ShowSalesOrders),
        (Module::Projects | Module::Timesheets, _) if !prefs.show_projects => {
            Some(Setting::ShowProjects)
        }
        (Module::Documents, Action::Upload) if !prefs.allow_uploads => Some(Setting::AllowUploads),
        (Module::Profile, Action::Edit) if !prefs.allow_edit_details => {
            Some(Setting::AllowEditDetails)
        }
        _ => None,
    }
}

/// What a user of a role would be allowed to do, module by module (SPEC P6 preview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePreview {
    /// The role previewed.
    pub role: String,
    /// For each module and each of its actions, the decision for an active user.
    pub modules: Vec<(Module, Vec<(Action, Decision)>)>,
}

impl RolePreview {
    /// Previews `role` under `settings` for an active portal user.
    #[must_use]
    pub fn of(role: &Role, settings: &PortalSettings) -> Self {
        Self {
            role: role.name.to_string(),
            modules: Module::ALL
                .iter()
                .map(|m| {
                    let actions = m
                        .actions()
                        .iter()
                        .map(|a| (*a, decide(settings, role, PortalStatus::Active, *m, *a)))
                        .collect();
                    (*m, actions)
                })
                .collect(),
        }
    }

    /// The modules in which the user could at least view something.
    #[must_use]
    pub fn visible_modules(&self) -> Vec<Module> {
        self.modules
            .iter()
            .filter(|(_, actions)| {
                actions
                    .iter()
                    .any(|(a, d)| *a == Action::View && d.is_allowed())
            })
            .map(|(m, _)| *m)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_as_sentences_a_host_can_show() {
        let off = Refusal::SettingOff {
            setting: Setting::ShowSalesOrders,
        };
        assert_eq!(
            off.to_string(),
            "the organization has turned off \"Allow customers to view sales orders\" for its portal"
        );
        let role = Refusal::RoleLacks {
            role: "Viewer".into(),
            module: Module::Invoices,
            action: Action::Pay,
        };
        assert_eq!(
            role.to_string(),
            "your portal role \"Viewer\" does not allow you to pay invoices"
        );
        let status = Refusal::AccessNotActive {
            status: PortalStatus::Disabled,
        };
        assert!(status.to_string().contains("(disabled)"));
    }

    fn settings() -> PortalSettings {
        PortalSettings::default()
    }

    #[test]
    fn default_role_allows_everything_the_settings_allow() {
        let role = Role::default_role();
        let s = settings();
        assert!(
            decide(
                &s,
                &role,
                PortalStatus::Active,
                Module::Quotes,
                Action::Accept
            )
            .is_allowed()
        );
        assert!(
            decide(
                &s,
                &role,
                PortalStatus::Active,
                Module::Invoices,
                Action::Pay
            )
            .is_allowed()
        );
        // Sales orders are off by default (as in the seeds: the org opts in).
        assert_eq!(
            decide(
                &s,
                &role,
                PortalStatus::Active,
                Module::SalesOrders,
                Action::View
            ),
            Decision::Refused(Refusal::SettingOff {
                setting: Setting::ShowSalesOrders
            })
        );
    }

    #[test]
    fn refusal_names_the_deciding_rule() {
        let mut s = settings();
        let viewer = Role {
            id: RoleId::new(),
            name: RoleName::parse("Viewer").expect("ok"),
            permissions: Permissions::none()
                .with(Module::Invoices, Action::View)
                .expect("ok"),
            is_default: false,
        };
        assert!(
            decide(
                &s,
                &viewer,
                PortalStatus::Active,
                Module::Invoices,
                Action::View
            )
            .is_allowed()
        );
        assert_eq!(
            decide(
                &s,
                &viewer,
                PortalStatus::Active,
                Module::Invoices,
                Action::Pay
            ),
            Decision::Refused(Refusal::RoleLacks {
                role: "Viewer".into(),
                module: Module::Invoices,
                action: Action::Pay
            })
        );
        assert_eq!(
            decide(
                &s,
                &viewer,
                PortalStatus::Active,
                Module::Statements,
                Action::Pay
            ),
            Decision::Refused(Refusal::NotApplicable {
                module: Module::Statements,
                action: Action::Pay
            })
        );
        assert_eq!(
            decide(
                &s,
                &viewer,
                PortalStatus::Disabled,
                Module::Invoices,
                Action::View
            ),
            Decision::Refused(Refusal::AccessNotActive {
                status: PortalStatus::Disabled
            })
        );
        s.enabled = false;
        assert_eq!(
            decide(
                &s,
                &viewer,
                PortalStatus::Active,
                Module::Invoices,
                Action::View
            ),
            Decision::Refused(Refusal::SettingOff {
                setting: Setting::PortalEnabled
            })
        );
        s.enabled = true;
        s.preferences.allow_edit_details = false;
        assert_eq!(
            decide(
                &s,
                &Role::default_role(),
                PortalStatus::Active,
                Module::Profile,
                Action::Edit
            ),
            Decision::Refused(Refusal::SettingOff {
                setting: Setting::AllowEditDetails
            })
        );
        assert!(
            Permissions::none()
                .with(Module::Statements, Action::Pay)
                .is_err()
        );
    }

    #[test]
    fn preview_lists_visible_modules() {
        let mut s = settings();
        s.preferences.show_projects = false;
        let preview = RolePreview::of(&Role::default_role(), &s);
        let visible = preview.visible_modules();
        assert!(visible.contains(&Module::Quotes));
        assert!(!visible.contains(&Module::Projects));
        assert!(!visible.contains(&Module::Timesheets));
        assert!(!visible.contains(&Module::SalesOrders));
    }
}
