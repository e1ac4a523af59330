//! Console: the organization's customers, one customer's page (contacts and
//! portal access, documents, projects, files, activity, reviews) and the contact
//! actions (enable access, reinvite, disable, role).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use portal_core::domain::{
    Activity, ContactId, ContactPerson, Currency, Customer, CustomerId, Email, EntryApproval,
    Invoice, InvoiceQuery, NewContact, NewCustomer, PageRequest, Project, Quote, QuoteQuery,
    Review, Role, RoleId, SalesOrder, SalesOrderQuery, SharedFile, TaskHours, TimeEntry,
    TimesheetApproval,
};
use serde::Deserialize;

use crate::AppState;
use crate::extract::{Id, Staff, StaffForm};
use crate::i18n::filters;
use crate::pages::{PageError, path_id, render, see_other};

#[derive(Template)]
#[template(path = "console/home.html")]
struct HomePage<'a> {
    slug: &'a str,
    csrf: &'a str,
    org: &'a str,
    customers: Vec<Customer>,
    next: Option<String>,
    error: Option<String>,
}

/// The page query of a list: the cursor of the next page.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    after: Option<String>,
}

async fn home_page(
    state: &AppState,
    Staff { org, csrf, slug }: &Staff,
    after: Option<&str>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let request = match after {
        Some(after) => PageRequest::after(after, 50).map_err(portal_core::Error::from)?,
        None => PageRequest::first(50),
    };
    let page = state.portal.org(org.id).customers().list(&request).await?;
    Ok(render(&HomePage {
        slug,
        csrf,
        org: &org.name,
        customers: page.items,
        next: page.next,
        error,
    }))
}

/// The console's home: the customers, newest first, and the form to add one.
pub async fn home(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    home_page(&state, &staff, query.after.as_deref(), None).await
}

/// The new customer form: the customer and its first contact person.
#[derive(Debug, Deserialize)]
pub struct NewCustomerForm {
    csrf: String,
    name: String,
    currency: String,
    first_name: String,
    last_name: String,
    email: String,
    #[serde(default)]
    bank: Option<String>,
}

/// Adds a customer with its first contact.
pub async fn create(
    State(state): State<AppState>,
    StaffForm { staff, form }: StaffForm<NewCustomerForm>,
) -> Result<Response, PageError> {
    let Staff { org, slug, .. } = &staff;
    let made = async {
        let currency = Currency::from_code(form.currency.trim())?;
        let email = match form.email.trim() {
            "" => None,
            e => Some(Email::parse(e)?),
        };
        let mut customer = NewCustomer::new(form.name.trim(), currency);
        customer.may_pay_by_bank_account = form.bank.is_some();
        state
            .portal
            .org(org.id)
            .customers()
            .create(
                customer,
                vec![NewContact::new(
                    form.first_name.trim(),
                    form.last_name.trim(),
                    email,
                )],
            )
            .await
    };
    match made.await {
        Ok((customer, _)) => Ok(see_other(&format!(
            "/console/{slug}/customers/{}",
            customer.id
        ))),
        Err(e) => {
            let error = crate::pages::staff_form_error(e)?;
            home_page(&state, &staff, None, Some(error)).await
        }
    }
}

/// A contact with the name of its role.
struct ContactRow {
    contact: ContactPerson,
    role: String,
}

/// A project with its tasks and the time not sent for approval yet.
struct ProjectRow {
    project: Project,
    tasks: Vec<TaskHours>,
    unsent: Vec<TimeEntry>,
}

#[derive(Template)]
#[template(path = "console/customer.html")]
struct CustomerPage<'a> {
    slug: &'a str,
    csrf: &'a str,
    customer: Customer,
    contacts: Vec<ContactRow>,
    roles: Vec<Role>,
    invoices: Vec<Invoice>,
    quotes: Vec<Quote>,
    orders: Vec<SalesOrder>,
    projects: Vec<ProjectRow>,
    approvals: Vec<TimesheetApproval>,
    files: Vec<SharedFile>,
    activity: Vec<Activity>,
    reviews: Vec<Review>,
    links: Vec<LinkRow>,
    error: Option<String>,
}

/// A document link as the console lists it.
struct LinkRow {
    id: String,
    document: String,
    to: String,
    actions: String,
    expires: time::Date,
    state: &'static str,
}

/// Renders a customer's page, with `error` above its forms.
///
/// # Errors
/// The library's: `not_found` for a customer of another organization.
pub async fn customer_page(
    state: &AppState,
    Staff { org, csrf, slug }: &Staff,
    customer: CustomerId,
    error: Option<String>,
) -> Result<Response, PageError> {
    let admin = state.portal.org(org.id);
    let customer = admin.customers().get(customer).await?;
    if customer.deleted_at.is_some() {
        return Err(PageError::NotFound);
    }
    let today = state.portal.today_in(org);
    let first = PageRequest::first(50);
    let mut invoice_query = InvoiceQuery::new(today);
    invoice_query.limit = 50;
    let mut quote_query = QuoteQuery::new(today);
    quote_query.limit = 50;
    let contacts = admin.contacts().list(customer.id).await?;
    let mut projects = Vec::new();
    for project in admin.projects().list(customer.id, &first).await?.items {
        let tasks = admin.projects().tasks(customer.id, project.id).await?;
        let unsent = admin
            .projects()
            .time(customer.id, project.id, &first)
            .await?
            .items
            .into_iter()
            .filter(|e| {
                matches!(
                    e.approval,
                    EntryApproval::Unsubmitted | EntryApproval::Rejected
                )
            })
            .collect();
        projects.push(ProjectRow {
            project,
            tasks,
            unsent,
        });
    }
    let role_name = |role: Option<RoleId>| org.role_or_default(role).name.to_string();
    Ok(render(&CustomerPage {
        slug,
        csrf,
        contacts: contacts
            .into_iter()
            .map(|contact| ContactRow {
                role: role_name(contact.role),
                contact,
            })
            .collect(),
        roles: org.roles.clone(),
        invoices: admin
            .invoices()
            .list(customer.id, &invoice_query)
            .await?
            .items,
        quotes: admin.quotes().list(customer.id, &quote_query).await?.items,
        orders: admin
            .sales_orders()
            .list(customer.id, &SalesOrderQuery::new())
            .await?
            .items,
        projects,
        approvals: admin.approvals().list(customer.id, &first).await?.items,
        files: admin.files().list(customer.id, &first).await?.items,
        activity: admin
            .activity(customer.id, &PageRequest::first(20))
            .await?
            .items,
        reviews: admin.reviews(customer.id).await?,
        links: link_rows(&state.portal, admin, customer.id).await?,
        customer,
        error,
    }))
}

async fn link_rows(
    portal: &portal_core::Portal,
    admin: portal_core::OrgAdmin<'_>,
    customer: CustomerId,
) -> Result<Vec<LinkRow>, PageError> {
    let now = portal.now();
    let contacts = admin.contacts().list(customer).await?;
    Ok(admin
        .links()
        .list(customer)
        .await?
        .into_iter()
        .map(|l| {
            let mut actions = vec!["view"];
            if l.actions.download {
                actions.push("download");
            }
            if l.actions.pay {
                actions.push("pay");
            }
            if l.actions.decide {
                actions.push("accept or decline");
            }
            LinkRow {
                id: l.id.to_string(),
                document: l.document.kind().label().to_owned(),
                to: contacts
                    .iter()
                    .find(|c| c.id == l.contact)
                    .map_or_else(String::new, ContactPerson::full_name),
                actions: actions.join(", "),
                expires: l.expires_at.date(),
                state: if l.revoked_at.is_some() {
                    "revoked"
                } else if !l.is_live(now) {
                    "expired"
                } else {
                    "live"
                },
            }
        })
        .collect())
}

/// One customer.
pub async fn view(
    State(state): State<AppState>,
    staff: Staff,
    Id(customer): Id<CustomerId>,
) -> Result<Response, PageError> {
    customer_page(&state, &staff, customer, None).await
}

/// After a customer form: back to its page, or the page with the library's reason.
///
/// # Errors
/// What [`customer_page`] returns, or the error when it is not the user's to fix.
pub async fn done<T>(
    state: &AppState,
    staff: &Staff,
    customer: CustomerId,
    outcome: portal_core::Result<T>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(_) => Ok(see_other(&format!(
            "/console/{}/customers/{customer}",
            staff.slug
        ))),
        Err(e) => {
            let error = crate::pages::staff_form_error(e)?;
            customer_page(state, staff, customer, Some(error)).await
        }
    }
}

/// The new contact form.
#[derive(Debug, Deserialize)]
pub struct NewContactForm {
    csrf: String,
    first_name: String,
    last_name: String,
    email: String,
}

/// Adds a contact person to the customer.
pub async fn add_contact(
    State(state): State<AppState>,
    Id(customer): Id<CustomerId>,
    StaffForm { staff, form }: StaffForm<NewContactForm>,
) -> Result<Response, PageError> {
    let Staff { org, .. } = &staff;
    let outcome = async {
        let email = match form.email.trim() {
            "" => None,
            e => Some(Email::parse(e)?),
        };
        state
            .portal
            .org(org.id)
            .contacts()
            .add(
                customer,
                NewContact::new(form.first_name.trim(), form.last_name.trim(), email),
            )
            .await
    };
    let outcome = outcome.await;
    done(&state, &staff, customer, outcome).await
}

/// A contact action's form: its CSRF token and, to assign a role, the role.
#[derive(Debug, Deserialize)]
pub struct ContactActionForm {
    csrf: String,
    #[serde(default)]
    role: String,
}

/// Enables portal access (the invitation goes out), reinvites, disables, or
/// assigns a role.
pub async fn contact_action(
    State(state): State<AppState>,
    Id(contact): Id<ContactId>,
    Path((_, _, action)): Path<(String, String, String)>,
    StaffForm { staff, form }: StaffForm<ContactActionForm>,
) -> Result<Response, PageError> {
    let contacts = state.portal.org(staff.org.id).contacts();
    let person = contacts.get(contact).await?;
    let customer = person.customer;
    let outcome = match action.as_str() {
        "enable" => contacts
            .enable_access(person.customer, &[person.id])
            .await
            .map(|_| ()),
        "reinvite" => contacts.reinvite(person.id).await.map(|_| ()),
        "disable" => contacts.disable(person.id).await.map(|_| ()),
        "role" => {
            let role = match form.role.as_str() {
                "" => None,
                id => Some(path_id(id, RoleId::from_uuid)?),
            };
            state
                .portal
                .org(staff.org.id)
                .roles()
                .assign(person.id, role)
                .await
                .map(|_| ())
        }
        _ => return Err(PageError::NotFound),
    };
    done(&state, &staff, customer, outcome).await
}

crate::csrf_forms!(ContactActionForm, NewContactForm, NewCustomerForm);

/// This area's routes, under the console's `/console/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/", get(home))
        .route("/customers", post(create))
        .route("/customers/{id}", get(view))
        .route("/customers/{id}/contacts", post(add_contact))
        .route("/contacts/{id}/{action}", post(contact_action))
}
