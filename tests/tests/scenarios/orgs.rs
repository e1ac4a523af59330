//! The organization side of access through the services: roles (P6) and
//! settings, slug and invitation template checked when saved.
use crate::common;
use crate::on_all_backends;

use common::{PASSWORD, World};
use portal_core::domain::{Decision, InvitationTemplate, Permissions, Refusal, Setting};
use portal_core::prelude::*;

#[tokio::test]
async fn roles_are_capped_and_decide_with_reasons() {
    let w = World::new();
    let org = w.org("acme").await;
    let admin = w.portal.org(org.id);
    let viewer = admin
        .roles()
        .create(
            "Viewer",
            Permissions::none()
                .with(Module::Invoices, Action::View)
                .and_then(|p| p.with(Module::Quotes, Action::View))
                .expect("permissions"),
        )
        .await
        .expect("role");
    for i in 0..3 {
        admin
            .roles()
            .create(&format!("Role {i}"), Permissions::none())
            .await
            .expect("role");
    }
    assert_eq!(
        admin
            .roles()
            .create("Sixth", Permissions::none())
            .await
            .expect_err("cap")
            .code(),
        "role_limit_reached"
    );
    let default = admin.organization().await.expect("org").default_role().id;
    assert_eq!(
        admin
            .roles()
            .delete(default)
            .await
            .expect_err("default")
            .code(),
        "default_role_is_permanent"
    );
    assert_eq!(
        admin
            .roles()
            .create("  ", Permissions::none())
            .await
            .expect_err("name")
            .code(),
        "invalid_text"
    );

    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let signed = w.activate(org.id, &customer, &contacts[0]).await;
    assert!(
        signed
            .session
            .can(Module::Invoices, Action::Pay)
            .is_allowed()
    );
    admin
        .roles()
        .assign(contacts[0].id, Some(viewer.id))
        .await
        .expect("assign");
    let session = w
        .portal
        .session(signed.token.expose())
        .await
        .expect("resolve");
    assert_eq!(session.role().name.as_str(), "Viewer");
    assert!(session.can(Module::Invoices, Action::View).is_allowed());
    assert_eq!(
        session.can(Module::Invoices, Action::Pay),
        Decision::Refused(Refusal::RoleLacks {
            role: "Viewer".into(),
            module: Module::Invoices,
            action: Action::Pay
        })
    );
    let err = session
        .require(Module::Invoices, Action::Pay)
        .expect_err("refused");
    assert_eq!(err.code(), "forbidden");
    assert!(err.to_string().contains("Viewer"));

    let preview = admin.roles().preview(viewer.id).await.expect("preview");
    assert_eq!(
        preview.visible_modules(),
        vec![Module::Quotes, Module::Invoices]
    );
    admin
        .update_settings(|s| s.preferences.show_sales_orders = true)
        .await
        .expect("settings");
    let full = admin.roles().preview(default).await.expect("preview");
    assert!(full.visible_modules().contains(&Module::SalesOrders));

    // Deleting the role puts its users back on the default role.
    admin.roles().delete(viewer.id).await.expect("delete");
    let session = w
        .portal
        .session(signed.token.expose())
        .await
        .expect("resolve");
    assert!(session.role().is_default);
    assert_eq!(
        admin
            .roles()
            .assign(contacts[0].id, Some(viewer.id))
            .await
            .expect_err("gone")
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn settings_slug_and_template_are_checked_when_saved() {
    let w = World::new();
    let org = w.org("acme").await;
    let _other = w.org("taken").await;
    let admin = w.portal.org(org.id);
    assert_eq!(
        admin.change_slug("taken").await.expect_err("taken").code(),
        "slug_taken"
    );
    assert_eq!(
        admin.change_slug("Bad Slug").await.expect_err("bad").code(),
        "invalid_slug"
    );
    let moved = admin.change_slug("acme-books").await.expect("change");
    assert_eq!(moved.slug.as_str(), "acme-books");
    assert!(
        w.portal
            .sign_in(
                "acme",
                "x@example.com",
                PASSWORD,
                &portal_core::auth::ClientKey::unknown()
            )
            .await
            .is_err()
    );

    let err = InvitationTemplate::new("Hi {first_name}", "{invitation_link}").expect_err("unknown");
    assert_eq!(Error::from(err).code(), "invalid_template");
    let template = InvitationTemplate::new(
        "{org_name} invites {contact_name}",
        "Join {customer_name} at {portal_url}: {invitation_link}",
    )
    .expect("valid");
    admin
        .update_settings(|s| {
            s.invitation_template = template.clone();
            s.banner = Some("Hello!".into());
        })
        .await
        .expect("save");
    assert_eq!(
        admin
            .update_settings(|s| s.banner = Some(String::new()))
            .await
            .expect_err("empty banner")
            .code(),
        "invalid_text"
    );
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    w.portal.dispatch_emails(10).await.expect("dispatch");
    let mail = w.mailer.sent_to("ana@example.com").pop().expect("sent");
    assert_eq!(mail.subject, "Org acme invites Person0 Test");
    assert!(mail.body.starts_with("Join Customer at https://portal.test/acme-books: https://portal.test/acme-books/invitation/"));
    let token = w.link_token("ana@example.com", "/invitation/").await;
    let signed = w.accept(&token, PASSWORD).await.expect("accept");
    assert_eq!(signed.banner.as_deref(), Some("Hello!"));
    let later = w
        .portal
        .sign_in(
            "acme-books",
            "ana@example.com",
            PASSWORD,
            &portal_core::auth::ClientKey::unknown(),
        )
        .await
        .expect("sign in");
    assert_eq!(later.banner, None, "the banner is for the first sign-in");

    // Turning the portal off locks everyone out with a clear error.
    admin
        .update_settings(|s| s.enabled = false)
        .await
        .expect("off");
    assert_eq!(
        w.session_code(later.token.expose()).await,
        "portal_disabled"
    );
    assert_eq!(
        w.sign_in_code("acme-books", "ana@example.com", PASSWORD)
            .await,
        "portal_disabled"
    );
    assert_eq!(
        signed.session.can(Module::Quotes, Action::View),
        Decision::Allowed,
        "a snapshot taken before keeps its decision; fresh sessions are refused"
    );
    let _ = Setting::PortalEnabled;
}

/// The org side lists what a console shows: customers, a customer's sent
/// invoices, quotes and sales orders, and the emails waiting in the outbox; a
/// customer of another organization is not found.
async fn the_org_lists_customers_documents_and_the_outbox(env: common::backends::Env) {
    use portal_core::domain::{InvoiceQuery, QuoteQuery, SalesOrderQuery};
    let org = env.org().await;
    let other = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "EUR").await;
    let (stranger, _, _) = env.signed_in(&other, "EUR").await;
    let invoice = env.invoice("INV-1", 12_300).sent_to(&org, &customer).await;
    let admin = env.portal.org(org.id);
    let found = env
        .portal
        .org_by_slug(org.slug.as_str())
        .await
        .expect("by slug");
    assert_eq!(found.id, org.id);
    let codes = [
        env.portal.org_by_slug("no-such-portal").await.map(|_| ()),
        env.portal.org_by_slug("Not A Slug!").await.map(|_| ()),
    ]
    .map(|r| r.expect_err("refused").code());
    assert_eq!(codes, ["not_found", "invalid_slug"]);
    let customers = admin
        .customers()
        .list(&PageRequest::first(10))
        .await
        .expect("customers");
    assert_eq!(
        customers.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![customer.id]
    );
    let today = env.portal.today();
    let invoices = admin
        .invoices()
        .list(customer.id, &InvoiceQuery::new(today))
        .await
        .expect("invoices");
    assert_eq!(invoices.items, vec![invoice]);
    let quotes = admin
        .quotes()
        .list(customer.id, &QuoteQuery::new(today))
        .await
        .expect("quotes");
    assert!(quotes.items.is_empty());
    let orders = admin
        .sales_orders()
        .list(customer.id, &SalesOrderQuery::new())
        .await
        .expect("orders");
    assert!(orders.items.is_empty());
    let foreign = admin
        .invoices()
        .list(stranger.id, &InvoiceQuery::new(today))
        .await;
    assert_eq!(
        foreign.map(|_| ()).expect_err("not ours").code(),
        "not_found"
    );
    // Projects, their tasks and time, and the timesheets sent.
    let sheet =
        common::timesheets::pending_timesheet(admin, customer.id, ("Audit", "Week 1"), today, 90)
            .await;
    let projects = admin
        .projects()
        .list(customer.id, &PageRequest::first(10))
        .await
        .expect("projects");
    assert_eq!(projects.items, vec![sheet.project.clone()]);
    let tasks = admin
        .projects()
        .tasks(customer.id, sheet.project.id)
        .await
        .expect("tasks");
    assert_eq!(
        (tasks[0].task.id, tasks[0].logged_minutes),
        (sheet.task.id, 90)
    );
    let time = admin
        .projects()
        .time(customer.id, sheet.project.id, &PageRequest::first(10))
        .await
        .expect("time");
    assert_eq!(
        time.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![sheet.entry.id]
    );
    let sheets = admin
        .approvals()
        .list(customer.id, &PageRequest::first(10))
        .await
        .expect("approvals");
    assert_eq!(sheets.items, vec![sheet.approval.clone()]);
    assert!(
        admin
            .projects()
            .tasks(stranger.id, sheet.project.id)
            .await
            .is_err(),
        "another customer's project is not found"
    );
    // An email to the organization waits in the outbox until dispatched.
    session
        .messages()
        .email_org("Hello", "A question")
        .await
        .expect("email the org");
    let waiting = admin.outbox(100).await.expect("outbox");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].subject, "[Portal] Hello");
    env.portal.dispatch_emails(1_000).await.expect("dispatch");
    assert!(admin.outbox(100).await.expect("outbox").is_empty());
    assert_eq!(
        admin
            .outbox(0)
            .await
            .map(|_| ())
            .expect_err("bad limit")
            .code(),
        "invalid_text",
        "a page size out of 1..=100 is refused like any bad input"
    );
}

on_all_backends!(the_org_lists_customers_documents_and_the_outbox);
