//! Portal roles: modules, actions and what a role permits (SPEC P6). The check that
//! weighs a role with the settings is in `decision`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::ids::RoleId;
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
