//! Who may do what in the portal: the one decision that weighs a user's access, the
//! organization's settings and the user's role (SPEC P2, P6), with the reason a
//! host shows when it refuses, and the preview of a role.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::contact::PortalStatus;
use super::role::{Action, Module, Role};
use super::settings::PortalSettings;

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
    /// Every setting.
    pub const ALL: [Setting; 7] = [
        Setting::PortalEnabled,
        Setting::ShowSalesOrders,
        Setting::ShowProjects,
        Setting::AllowUploads,
        Setting::AllowEditDetails,
        Setting::EnableReviews,
        Setting::AllowForwarding,
    ];

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
    use crate::domain::ids::RoleId;
    use crate::domain::role::{Permissions, RoleName};

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
