//! The rest of the portal over HTTP, in process: sales orders, projects, comments,
//! forwarding, writing to the organization, reviews, the statement's custom range,
//! and what the settings turn off (hidden, and refused by URL with the reason).

use crate::common;

use common::*;

#[tokio::test]
async fn sales_orders_projects_and_comments() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let home = text(app.get("/acme", Some(&session)).await).await;
    assert!(home.contains(">Orders</a>") && home.contains(">Projects</a>"));
    let orders = text(app.get("/acme/sales-orders", Some(&session)).await).await;
    let order = text(app.get(&link_to(&orders, "SO-0001"), Some(&session)).await).await;
    assert!(order.contains("Archive boxes") && order.contains("€125.00"));
    assert!(order.contains("Not invoiced yet"));

    let projects = text(app.get("/acme/projects", Some(&session)).await).await;
    let path = link_to(&projects, "Year-end closing");
    let project = text(app.get(&path, Some(&session)).await).await;
    assert!(project.contains("Bookkeeping") && project.contains("3 h 30 min"));
    assert!(project.contains("Bank reconciliation") && project.contains("1 h 30 min"));

    // A comment from the portal, then one from the organization shown in the portal.
    let target = hidden(&project, "target");
    let posted = app
        .post(
            "/acme/comments",
            Some(&session),
            &[
                ("csrf", &hidden(&project, "csrf")),
                ("target", &target),
                ("body", "Can we <b>split</b> the review?"),
            ],
        )
        .await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let me = app.session_of(&session).await;
    let project_id = path.rsplit('/').next().expect("id");
    app.state
        .portal
        .org(app.org)
        .comments()
        .add(
            me.customer_id(),
            portal_core::domain::CommentTarget::Project(portal_core::domain::ProjectId::from_uuid(
                uuid::Uuid::parse_str(project_id).expect("uuid"),
            )),
            "Yes, in two parts.",
            true,
        )
        .await
        .expect("org comment");
    let project = text(app.get(&path, Some(&session)).await).await;
    assert!(project.contains("<bdi>You</bdi> · ") && project.contains("<bdi>Acme Books</bdi> · "));
    assert!(
        project.contains("Can we &#60;b&#62;split&#60;/b&#62; the review?")
            || project.contains("Can we &lt;b&gt;split&lt;/b&gt; the review?"),
        "comments are text, escaped"
    );
    // A comment too long for the library: the project again, the text as typed
    // and the reason beside it; nothing added.
    let long = "Why? ".repeat(1001);
    let refused = app
        .post(
            "/acme/comments",
            Some(&session),
            &[
                ("csrf", &hidden(&project, "csrf")),
                ("target", &target),
                ("body", &long),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::OK);
    let refused = text(refused).await;
    assert!(
        refused.contains(&format!(
            "aria-invalid=\"true\" aria-describedby=\"comment-body-error\">{long}</textarea>"
        )) && refused.contains("id=\"comment-body-error\"")
            && refused.contains("Reference for support: invalid_text")
            && refused.contains("Bank reconciliation"),
        "{refused}"
    );
    let project = text(app.get(&path, Some(&session)).await).await;
    assert!(!project.contains("Why? Why?"), "nothing added");
    // A comment on a made-up document is the same 404 as any other.
    let made_up = app
        .post(
            "/acme/comments",
            Some(&session),
            &[
                ("csrf", &hidden(&project, "csrf")),
                ("target", &format!("invoice:{}", uuid::Uuid::now_v7())),
                ("body", "hello"),
            ],
        )
        .await;
    assert_eq!(made_up.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn forwarding_writing_to_the_org_and_a_review() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    let invoice = text(app.get(&link_to(&list, "INV-0001"), Some(&session)).await).await;
    assert!(invoice.contains("Forward this document"));
    let csrf = hidden(&invoice, "csrf");
    // An address that is not one: the invoice again, the form open as typed,
    // the reason beside the address.
    let refused = app
        .post(
            "/acme/forward",
            Some(&session),
            &[
                ("csrf", &csrf),
                ("target", &hidden(&invoice, "target")),
                ("to", "bookkeeper at example"),
                ("note", "For the quarter"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::OK);
    let refused = text(refused).await;
    assert!(
        refused.contains("<details class=\"forward\" open>")
            && refused.contains("value=\"bookkeeper at example\" aria-invalid=\"true\" aria-describedby=\"forward-to-error\">")
            && refused.contains(">For the quarter</textarea>")
            && refused.contains("id=\"forward-to-error\"")
            && refused.contains("Reference for support: invalid_email"),
        "{refused}"
    );
    let forwarded = app
        .post(
            "/acme/forward",
            Some(&session),
            &[
                ("csrf", &csrf),
                ("target", &hidden(&invoice, "target")),
                ("to", "bookkeeper@example.com"),
                ("note", "For the quarter"),
            ],
        )
        .await;
    assert!(
        text(forwarded)
            .await
            .contains("on its way to bookkeeper@example.com")
    );
    let contact = text(app.get("/acme/contact", Some(&session)).await).await;
    assert!(contact.contains("hello@acme-books.example") && contact.contains("Write a review"));
    let wrote = app
        .post(
            "/acme/contact",
            Some(&session),
            &[
                ("csrf", &csrf),
                ("subject", "Question"),
                ("message", "When is the payroll run?"),
            ],
        )
        .await;
    assert_eq!(wrote.status(), StatusCode::OK);
    // A review of nothing but spaces: the contact page, the reason beside it.
    let empty = text(
        app.post(
            "/acme/review",
            Some(&session),
            &[("csrf", &csrf), ("body", "   ")],
        )
        .await,
    )
    .await;
    assert!(
        empty.contains("aria-describedby=\"review-error\">   </textarea>")
            && empty.contains("id=\"review-error\""),
        "{empty}"
    );
    let reviewed = app
        .post(
            "/acme/review",
            Some(&session),
            &[("csrf", &csrf), ("body", "Quick and clear.")],
        )
        .await;
    assert!(text(reviewed).await.contains("Thank you for your review"));
    app.state
        .portal
        .dispatch_emails(100)
        .await
        .expect("dispatch");
    let mailbox = text(app.get("/dev/mailbox", None).await).await;
    assert!(
        mailbox.contains("bookkeeper@example.com"),
        "the forwarded invoice"
    );
    assert!(
        mailbox.contains("[Portal] Question"),
        "the email to the org"
    );
    let empty = app
        .post(
            "/acme/contact",
            Some(&session),
            &[
                ("csrf", &csrf),
                ("subject", ""),
                ("message", "Still there?"),
            ],
        )
        .await;
    // Refused, the form comes back as typed, with the reason beside the
    // subject and tied to it.
    let empty = text(empty).await;
    assert!(
        empty.contains("aria-invalid=\"true\" aria-describedby=\"subject-error\">")
            && empty.contains("id=\"subject-error\"")
            && !empty.contains("id=\"form-error\"")
            && empty.contains(">Still there?</textarea>")
            && empty.contains("Reference for support: invalid_text"),
        "{empty}"
    );
}

#[tokio::test]
async fn what_the_settings_turn_off_is_hidden_and_refused_with_the_reason() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    app.state
        .portal
        .org(app.org)
        .update_settings(|s| {
            let p = &mut s.preferences;
            p.show_sales_orders = false;
            p.show_projects = false;
            p.allow_forwarding = false;
            p.enable_reviews = false;
            p.allow_uploads = false;
            p.allow_edit_details = false;
        })
        .await
        .expect("settings");
    let home = text(app.get("/acme", Some(&session)).await).await;
    assert!(!home.contains(">Orders</a>") && !home.contains(">Projects</a>"));
    assert!(!home.contains(">Timesheets</a>") && home.contains(">Invoices</a>"));
    let orders = app.get("/acme/sales-orders", Some(&session)).await;
    assert_eq!(orders.status(), StatusCode::FORBIDDEN);
    let reason = text(orders).await;
    assert!(
        reason.contains("forbidden") && reason.contains("sales orders"),
        "{reason}"
    );
    assert_eq!(
        app.get("/acme/projects", Some(&session)).await.status(),
        StatusCode::FORBIDDEN
    );
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    let invoice = text(app.get(&link_to(&list, "INV-0001"), Some(&session)).await).await;
    assert!(!invoice.contains("Forward this document"));
    let csrf = hidden(&invoice, "csrf");
    let forward = app
        .post(
            "/acme/forward",
            Some(&session),
            &[
                ("csrf", &csrf),
                (
                    "target",
                    &format!(
                        "invoice:{}",
                        link_to(&list, "INV-0001").rsplit('/').next().expect("id")
                    ),
                ),
                ("to", "bookkeeper@example.com"),
            ],
        )
        .await;
    assert_eq!(forward.status(), StatusCode::FORBIDDEN);
    let contact = text(app.get("/acme/contact", Some(&session)).await).await;
    assert!(!contact.contains("Write a review"));
    let review = app
        .post(
            "/acme/review",
            Some(&session),
            &[("csrf", &csrf), ("body", "x")],
        )
        .await;
    assert_eq!(review.status(), StatusCode::FORBIDDEN);
    let files = text(app.get("/acme/files", Some(&session)).await).await;
    assert!(!files.contains("Upload a file"));
    let profile = text(app.get("/acme/profile", Some(&session)).await).await;
    assert!(!profile.contains("Save details") && profile.contains("Change password"));
}

#[tokio::test]
async fn the_statement_takes_a_custom_range() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let today = app.state.portal.today();
    let from = today - time::Duration::days(60);
    let ok = app
        .get(
            &format!("/acme/statement?period=custom&from={from}&to={today}"),
            Some(&session),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let html = text(ok).await;
    assert!(html.contains(&format!("{from} to {today}")) && html.contains("INV-0001"));
    let backwards = app
        .get(
            &format!("/acme/statement?period=custom&from={today}&to={from}"),
            Some(&session),
        )
        .await;
    assert_eq!(backwards.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(backwards).await.contains("invalid_period"));
}

#[tokio::test]
async fn what_the_role_refuses_is_hidden_and_refused_with_the_reason() {
    use portal_core::domain::{Action, Module, Permissions};
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let admin = app.state.portal.org(app.org);
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
    let ana = app.session_of(&session).await.contact_id();
    admin
        .roles()
        .assign(ana, Some(viewer.id))
        .await
        .expect("assign");
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    assert!(!list.contains("name=\"invoice\"") && !list.contains("Pay all outstanding"));
    assert!(!list.contains(">Payments</a>") && !list.contains(">Statement</a>"));
    let invoice = text(app.get(&link_to(&list, "INV-0001"), Some(&session)).await).await;
    assert!(!invoice.contains("name=\"key\""), "no pay form");
    let pay = app.get("/acme/pay?all=1", Some(&session)).await;
    assert_eq!(pay.status(), StatusCode::FORBIDDEN);
    assert!(
        text(pay)
            .await
            .contains("does not allow you to pay invoices")
    );
    let quotes = text(app.get("/acme/quotes", Some(&session)).await).await;
    let quote_path = link_to(&quotes, "QT-0001");
    let quote = text(app.get(&quote_path, Some(&session)).await).await;
    assert!(!quote.contains("Accept and sign"), "no decision forms");
    let accept = app
        .post(
            &format!("{quote_path}/accept"),
            Some(&session),
            &[
                ("csrf", &hidden(&quote, "csrf")),
                ("hash", "whatever"),
                ("signer", "Ana"),
                ("typed", "Ana"),
            ],
        )
        .await;
    assert_eq!(accept.status(), StatusCode::FORBIDDEN);
}

/// Each page's `<title>` is plain text and no element id appears twice (a
/// template block that swallowed a section shows as both).
#[tokio::test]
async fn every_page_has_a_plain_title_and_unique_ids() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let mut pages = vec![
        "/acme".to_owned(),
        "/acme/invoices".into(),
        "/acme/quotes".into(),
        "/acme/payments".into(),
        "/acme/statement".into(),
        "/acme/sales-orders".into(),
        "/acme/projects".into(),
        "/acme/timesheets".into(),
        "/acme/files".into(),
        "/acme/profile".into(),
        "/acme/contact".into(),
        "/acme/credits".into(),
        "/acme/payment-methods".into(),
    ];
    for (list, area) in [
        ("/acme/invoices", "invoices"),
        ("/acme/quotes", "quotes"),
        ("/acme/timesheets", "timesheets"),
        ("/acme/projects", "projects"),
        ("/acme/sales-orders", "sales-orders"),
    ] {
        let html = text(app.get(list, Some(&session)).await).await;
        pages.push(first_link(&html, area));
    }
    for page in &pages {
        let response = app.get(page, Some(&session)).await;
        assert_eq!(response.status(), StatusCode::OK, "{page}");
        let html = text(response).await;
        let title = html
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .expect("a title");
        assert!(!title.contains('<'), "{page}: plain title, got {title:?}");
        let mut ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        let all = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all, "{page}: an id appears twice");
    }
}
