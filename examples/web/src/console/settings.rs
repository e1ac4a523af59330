//! Console: the portal's settings (P1–P5), the user cap (P7), roles (P6), and the
//! outbox.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::domain::{Action, Module, OutboxEmail, Permissions, PortalSettings, Role};
use serde::Deserialize;

use crate::AppState;
use crate::extract::{Fields, Staff, StaffForm};
use crate::i18n::filters;
use crate::pages::PreferenceChoices;
use crate::pages::{PageError, render, see_other};
use portal_core::domain::DateFormat;

/// A checkbox of the settings form: its field name, label and state.
struct Toggle {
    name: &'static str,
    label: &'static str,
    on: bool,
}

fn toggles(s: &PortalSettings) -> Vec<Toggle> {
    let p = &s.preferences;
    vec![
        Toggle {
            name: "enabled",
            label: "Enable the customer portal",
            on: s.enabled,
        },
        Toggle {
            name: "allow_forwarding",
            label: "Allow customers to forward documents",
            on: p.allow_forwarding,
        },
        Toggle {
            name: "allow_edit_details",
            label: "Allow customers to edit their details",
            on: p.allow_edit_details,
        },
        Toggle {
            name: "show_sales_orders",
            label: "Allow customers to view sales orders",
            on: p.show_sales_orders,
        },
        Toggle {
            name: "show_projects",
            label: "Allow customers to view projects and timesheets",
            on: p.show_projects,
        },
        Toggle {
            name: "enable_reviews",
            label: "Enable customer reviews",
            on: p.enable_reviews,
        },
        Toggle {
            name: "allow_uploads",
            label: "Allow document uploads",
            on: p.allow_uploads,
        },
        Toggle {
            name: "email_customer_on_org_comment",
            label: "Email customers when you comment in the portal",
            on: p.email_customer_on_org_comment,
        },
        Toggle {
            name: "email_document_links",
            label: "Emailed documents open without signing in (a document link of the customer's own, to view, download, pay or accept)",
            on: p.email_document_links,
        },
    ]
}

/// A role with what it allows, as text.
struct RoleRow {
    role: Role,
    allows: String,
}

/// A permission checkbox of the new role form.
struct Grant {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "console/settings.html")]
struct SettingsPage<'a> {
    slug: &'a str,
    csrf: &'a str,
    toggles: Vec<Toggle>,
    banner: String,
    link_days: u32,
    time_zone: &'a str,
    /// What new portal users are offered, and what invitations are written in.
    defaults: &'a portal_core::domain::UserPreferences,
    choices: crate::pages::PreferenceChoices,
    cap: u32,
    roles: Vec<RoleRow>,
    grants: Vec<Grant>,
    error: Option<String>,
}

fn grant_value(module: Module, action: Action) -> String {
    format!("{}:{}", module.label(), action.label())
}

async fn settings_page(
    _state: &AppState,
    Staff { org, csrf, slug }: &Staff,
    error: Option<String>,
) -> Result<Response, PageError> {
    let roles = org
        .roles
        .iter()
        .map(|role| RoleRow {
            allows: Module::ALL
                .iter()
                .flat_map(|m| m.actions().iter().map(move |a| (*m, *a)))
                .filter(|(m, a)| role.permissions.allows(*m, *a))
                .map(|(m, a)| format!("{} {}", a.label(), m.label()))
                .collect::<Vec<_>>()
                .join(", "),
            role: role.clone(),
        })
        .collect();
    let grants = Module::ALL
        .iter()
        .flat_map(|m| m.actions().iter().map(move |a| (*m, *a)))
        .map(|(m, a)| Grant {
            value: grant_value(m, a),
            label: format!("{} {}", a.label(), m.label()),
        })
        .collect();
    Ok(render(&SettingsPage {
        slug,
        csrf,
        toggles: toggles(&org.settings),
        banner: org.settings.banner.clone().unwrap_or_default(),
        link_days: org.settings.document_link_days,
        time_zone: &org.settings.time_zone,
        defaults: &org.settings.default_user_preferences,
        choices: crate::pages::PreferenceChoices::new(),
        cap: org.portal_user_cap,
        roles,
        grants,
        error,
    }))
}

/// The settings, the user cap and the roles.
pub async fn view(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    settings_page(&state, &staff, None).await
}

async fn saved<T>(
    state: &AppState,
    staff: &Staff,
    outcome: portal_core::Result<T>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(_) => Ok(see_other(&format!("/console/{}/settings", staff.slug))),
        Err(e) => {
            let error = crate::pages::staff_form_error(e)?;
            settings_page(state, staff, Some(error)).await
        }
    }
}

/// Saves the settings form: every checkbox (an unticked one is not sent) and the
/// banner.
pub async fn update(
    State(state): State<AppState>,
    StaffForm {
        staff,
        form: fields,
    }: StaffForm<Fields>,
) -> Result<Response, PageError> {
    let field = |name: &str| fields.get(name);
    let on = |name: &str| field(name).is_some();
    let banner = field("banner").unwrap_or_default().trim().to_owned();
    // Not a number: zero days, which the settings' check refuses with its reason.
    let link_days = field("document_link_days").map(|d| d.trim().parse::<u32>().unwrap_or(0));
    let outcome = state
        .portal
        .org(staff.org.id)
        .update_settings(|s| {
            s.enabled = on("enabled");
            s.banner = Some(banner.clone()).filter(|b| !b.is_empty());
            if let Some(days) = link_days {
                s.document_link_days = days;
            }
            // The business day's zone, also offered to each new portal user.
            if let Some(zone) = field("time_zone") {
                s.time_zone = zone.trim().to_owned();
                s.default_user_preferences.time_zone = zone.trim().to_owned();
            }
            // What new portal users are offered; invitations are written in
            // the default language.
            let defaults = &mut s.default_user_preferences;
            if let Some(language) = field("language") {
                defaults.language = language.trim().to_owned();
            }
            if let Some(country) = field("country") {
                defaults.country = country.trim().to_owned();
            }
            if let Some(format) = field("date_format") {
                defaults.date_format = match format.trim() {
                    "day_month_year" => DateFormat::DayMonthYear,
                    "month_day_year" => DateFormat::MonthDayYear,
                    _ => DateFormat::Iso,
                };
            }
            if field("clock").is_some() {
                defaults.twenty_four_hour_clock = on("clock24");
            }
            let p = &mut s.preferences;
            p.allow_forwarding = on("allow_forwarding");
            p.allow_edit_details = on("allow_edit_details");
            p.show_sales_orders = on("show_sales_orders");
            p.show_projects = on("show_projects");
            p.enable_reviews = on("enable_reviews");
            p.allow_uploads = on("allow_uploads");
            p.email_customer_on_org_comment = on("email_customer_on_org_comment");
            p.email_document_links = on("email_document_links");
        })
        .await;
    saved(&state, &staff, outcome).await
}

/// The user cap form.
#[derive(Debug, Deserialize)]
pub struct CapForm {
    csrf: String,
    cap: String,
}

/// Sets the cap on portal users.
pub async fn set_cap(
    State(state): State<AppState>,
    StaffForm { staff, form }: StaffForm<CapForm>,
) -> Result<Response, PageError> {
    let Ok(cap) = form.cap.trim().parse::<u32>() else {
        let error = "The user cap is a whole number, 0 or more.".to_owned();
        return settings_page(&state, &staff, Some(error)).await;
    };
    let outcome = state
        .portal
        .org(staff.org.id)
        .set_portal_user_cap(cap)
        .await;
    saved(&state, &staff, outcome).await
}

/// Creates a role from the new role form: its name and ticked permissions.
pub async fn create_role(
    State(state): State<AppState>,
    StaffForm {
        staff,
        form: fields,
    }: StaffForm<Fields>,
) -> Result<Response, PageError> {
    let field = |name: &str| fields.get(name);
    let mut permissions = Permissions::none();
    for value in fields.all("grant") {
        let grant = Module::ALL
            .iter()
            .flat_map(|m| m.actions().iter().map(move |a| (*m, *a)))
            .find(|(m, a)| grant_value(*m, *a) == *value)
            .ok_or(PageError::NotFound)?;
        permissions = permissions
            .with(grant.0, grant.1)
            .map_err(|_| PageError::NotFound)?;
    }
    let outcome = state
        .portal
        .org(staff.org.id)
        .roles()
        .create(field("name").unwrap_or_default(), permissions)
        .await;
    saved(&state, &staff, outcome).await
}

#[derive(Template)]
#[template(path = "console/outbox.html")]
struct OutboxPage<'a> {
    slug: &'a str,
    csrf: &'a str,
    emails: Vec<OutboxEmail>,
    failed: Vec<OutboxEmail>,
    dev_mailbox: bool,
}

/// The emails waiting to be sent (the app dispatches them every two seconds),
/// and those the mail server refused for good, with its answer.
pub async fn outbox(
    State(state): State<AppState>,
    Staff { org, csrf, slug }: Staff,
) -> Result<Response, PageError> {
    let emails = state.portal.org(org.id).outbox(100).await?;
    let failed = state.portal.org(org.id).failed_emails(100).await?;
    Ok(render(&OutboxPage {
        slug: &slug,
        csrf: &csrf,
        emails,
        failed,
        dev_mailbox: state.ports.dev_mailbox.is_some(),
    }))
}

crate::csrf_forms!(CapForm);

/// This area's routes, under the console's `/console/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/settings", get(view).post(update))
        .route("/cap", post(set_cap))
        .route("/roles", post(create_role))
        .route("/outbox", get(outbox))
}
