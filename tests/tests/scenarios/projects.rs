//! Projects and timesheet approvals through the services on every backend (T1–T3,
//! N1–N3 for timesheets).

use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use portal_core::domain::{
    ApprovalDecision, ApprovalStatus, CommentAuthor, CommentTarget, EntryApproval, NewTimeEntry,
    Permissions, PortalEvent, ProjectStatus,
};
use portal_core::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;

fn entry(task: portal_core::domain::TaskId, day: u8, minutes: u32) -> NewTimeEntry {
    NewTimeEntry {
        task,
        date: date!(2026 - 04 - 01).replace_day(day).expect("day"),
        minutes,
        note: format!("work on the {day}th"),
    }
}

async fn projects_and_timesheets(env: Env) {
    let org = env.org().await;
    let (customer, contact, session, token) = env.signed_in_with_token(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let project = admin
        .projects()
        .create(customer.id, "Website", "The new site")
        .await
        .expect("project");
    let design = admin
        .projects()
        .add_task(project.id, "Design", true)
        .await
        .expect("task");
    let internal = admin
        .projects()
        .add_task(project.id, "Internal", false)
        .await
        .expect("task");
    let mut logged = Vec::new();
    for (day, minutes) in [(6, 120), (7, 90), (8, 45)] {
        logged.push(
            admin
                .projects()
                .log_time(project.id, entry(design.id, day, minutes))
                .await
                .expect("log"),
        );
    }
    admin
        .projects()
        .log_time(project.id, entry(internal.id, 8, 300))
        .await
        .expect("log internal");
    assert_eq!(
        admin
            .projects()
            .log_time(project.id, entry(design.id, 9, 0))
            .await
            .expect_err("zero minutes")
            .code(),
        "invalid_project"
    );

    // Off until the organization opts in.
    assert_eq!(
        session
            .projects()
            .list(&PageRequest::default())
            .await
            .expect_err("off")
            .code(),
        "forbidden"
    );
    admin
        .update_settings(|s| s.preferences.show_projects = true)
        .await
        .expect("on");
    let session = env.portal.session(&token).await.expect("session");
    let listed = session
        .projects()
        .list(&PageRequest::default())
        .await
        .expect("projects");
    assert_eq!(listed.items, vec![project.clone()]);
    let hours = session.projects().tasks(project.id).await.expect("tasks");
    assert_eq!(hours.len(), 1, "only billable tasks are shown");
    assert_eq!(
        (
            hours[0].logged_minutes,
            hours[0].billed_minutes,
            hours[0].unbilled_minutes
        ),
        (255, 0, 255)
    );
    let time = session
        .projects()
        .time(project.id, &PageRequest::default())
        .await
        .expect("time");
    assert_eq!(
        time.items.iter().map(|e| e.minutes).collect::<Vec<_>>(),
        vec![45, 90, 120],
        "billable entries, newest day first"
    );

    // T2: comments on the project from both sides.
    session
        .comments()
        .add(CommentTarget::Project(project.id), "When is the launch?")
        .await
        .expect("comment");
    admin
        .comments()
        .add(
            customer.id,
            CommentTarget::Project(project.id),
            "Next Monday.",
            true,
        )
        .await
        .expect("reply");
    let thread = session
        .comments()
        .list(CommentTarget::Project(project.id))
        .await
        .expect("thread");
    assert_eq!(
        thread.iter().map(|c| c.author).collect::<Vec<_>>(),
        vec![CommentAuthor::Contact(contact.id), CommentAuthor::Org]
    );

    // T3: the org sends the time; only approved time can be invoiced.
    let ids: Vec<_> = logged.iter().map(|e| e.id).collect();
    let approval = admin
        .approvals()
        .send(project.id, "Week 15", &ids)
        .await
        .expect("send");
    assert_eq!(approval.total_minutes, 255);
    assert_eq!(
        admin
            .approvals()
            .send(project.id, "Twice", &ids[..1])
            .await
            .expect_err("already pending")
            .code(),
        "time_not_submittable"
    );
    let invoice = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "INV-T-1".into(),
                lines: vec![LineItem::new("Design", Decimal::from(4), Decimal::from(80))],
                issue_date: date!(2026 - 04 - 30),
                due_date: date!(2026 - 05 - 30),
                allow_partial_payments: false,
                payment_gateways: vec![],
            },
        )
        .await
        .expect("invoice");
    assert_eq!(
        admin
            .projects()
            .bill_time(invoice.id, &ids[..1])
            .await
            .expect_err("pending time")
            .code(),
        "time_not_approved"
    );
    let pending = session
        .approvals()
        .list(&[ApprovalStatus::Pending], &PageRequest::default())
        .await
        .expect("approvals");
    assert_eq!(pending.items.len(), 1);
    let opened = session.approvals().get(approval.id).await.expect("open");
    assert!(opened.viewed_at.is_some());
    session
        .approvals()
        .get(approval.id)
        .await
        .expect("open again");

    // A rejection needs a reason; a dispute names entries of this timesheet.
    for (bad, code) in [
        (
            ApprovalDecision::Reject {
                reason: "   ".into(),
            },
            "reason_required",
        ),
        (
            ApprovalDecision::Dispute {
                entries: vec![(portal_core::domain::TimeEntryId::new(), "?".into())],
            },
            "invalid_project",
        ),
    ] {
        assert_eq!(
            session
                .approvals()
                .decide(approval.id, &bad)
                .await
                .expect_err("refused")
                .code(),
            code
        );
    }
    let decided = session
        .approvals()
        .decide(
            approval.id,
            &ApprovalDecision::Dispute {
                entries: vec![(ids[1], "We were closed that day".into())],
            },
        )
        .await
        .expect("decide");
    assert_eq!(decided.status, ApprovalStatus::PartiallyApproved);
    assert_eq!(decided.decided_by, Some(contact.id));
    assert_eq!(
        session
            .approvals()
            .decide(approval.id, &ApprovalDecision::Approve)
            .await
            .expect_err("decided")
            .code(),
        "invalid_state"
    );
    let entries = session
        .approvals()
        .entries(approval.id)
        .await
        .expect("entries");
    assert_eq!(
        entries.iter().map(|e| e.approval).collect::<Vec<_>>(),
        vec![
            EntryApproval::Approved,
            EntryApproval::Rejected,
            EntryApproval::Approved
        ]
    );
    assert_eq!(
        entries[1].dispute_reason.as_deref(),
        Some("We were closed that day")
    );
    // The disputed entry cannot be billed; the approved ones can, once.
    assert_eq!(
        admin
            .projects()
            .bill_time(invoice.id, &ids)
            .await
            .expect_err("disputed")
            .code(),
        "time_not_approved"
    );
    admin
        .projects()
        .bill_time(invoice.id, &[ids[0], ids[2]])
        .await
        .expect("bill");
    let hours = session.projects().tasks(project.id).await.expect("tasks");
    assert_eq!(
        (
            hours[0].logged_minutes,
            hours[0].billed_minutes,
            hours[0].unbilled_minutes
        ),
        (255, 165, 90)
    );
    // The disputed entry goes back in a new timesheet, which the customer rejects.
    let again = admin
        .approvals()
        .send(project.id, "Week 15, corrected", &ids[1..2])
        .await
        .expect("resend");
    session
        .approvals()
        .decide(
            again.id,
            &ApprovalDecision::Reject {
                reason: "Still wrong".into(),
            },
        )
        .await
        .expect("reject");
    assert_eq!(
        admin
            .approvals()
            .get(again.id)
            .await
            .expect("org view")
            .reason
            .as_deref(),
        Some("Still wrong")
    );
    let rejected = session
        .approvals()
        .list(&[ApprovalStatus::Rejected], &PageRequest::default())
        .await
        .expect("filter");
    assert_eq!(rejected.items.len(), 1);
    assert_eq!(rejected.items[0].id, again.id);

    // N1: the org was emailed about each; N3: each is in the feed.
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let subjects: Vec<String> = env
        .mailer
        .sent_to("billing@acme.example.com")
        .into_iter()
        .map(|m| m.subject)
        .collect();
    for expected in [
        "Payer commented on project Website",
        "Payer viewed timesheet Week 15",
        "Payer disputed entries of timesheet Week 15",
        "Payer rejected timesheet Week 15, corrected",
    ] {
        assert!(
            subjects.iter().any(|s| s == expected),
            "{expected} in {subjects:?}"
        );
    }
    let feed = admin
        .activity(customer.id, &PageRequest::first(50))
        .await
        .expect("feed");
    let events: Vec<PortalEvent> = feed.items.iter().rev().map(|a| a.event).collect();
    assert_eq!(
        events,
        vec![
            PortalEvent::Commented,
            PortalEvent::Viewed,
            PortalEvent::TimesheetRejected,
            PortalEvent::TimesheetRejected,
        ],
        "one row per event, the second view of the timesheet added none"
    );
    // A completed project leaves the list but stays reachable.
    admin
        .projects()
        .set_status(project.id, ProjectStatus::Completed)
        .await
        .expect("complete");
    assert!(
        session
            .projects()
            .list(&PageRequest::default())
            .await
            .expect("list")
            .items
            .is_empty()
    );
    session
        .projects()
        .get(project.id)
        .await
        .expect("still reachable");
}

async fn approving_needs_the_permission_and_only_the_customers_own(env: Env) {
    let org = env.org().await;
    let (customer, contact, _, token) = env.signed_in_with_token(&org, "USD").await;
    let (_, _, _, other_token) = env.signed_in_with_token(&org, "USD").await;
    let admin = env.portal.org(org.id);
    admin
        .update_settings(|s| s.preferences.show_projects = true)
        .await
        .expect("on");
    let project = admin
        .projects()
        .create(customer.id, "Audit", "")
        .await
        .expect("project");
    let task = admin
        .projects()
        .add_task(project.id, "Review", true)
        .await
        .expect("task");
    let e = admin
        .projects()
        .log_time(project.id, entry(task.id, 10, 60))
        .await
        .expect("log");
    let approval = admin
        .approvals()
        .send(project.id, "April", &[e.id])
        .await
        .expect("send");
    let viewer = admin
        .roles()
        .create(
            "Viewer",
            Permissions::none()
                .with(Module::Timesheets, Action::View)
                .expect("valid"),
        )
        .await
        .expect("role");
    admin
        .roles()
        .assign(contact.id, Some(viewer.id))
        .await
        .expect("assign");
    let session = env.portal.session(&token).await.expect("session");
    session
        .approvals()
        .get(approval.id)
        .await
        .expect("may view");
    assert_eq!(
        session
            .approvals()
            .decide(approval.id, &ApprovalDecision::Approve)
            .await
            .expect_err("may not approve")
            .code(),
        "forbidden"
    );
    let other = env.portal.session(&other_token).await.expect("other");
    for result in [
        other.approvals().get(approval.id).await.map(|_| ()),
        other.approvals().entries(approval.id).await.map(|_| ()),
        other
            .approvals()
            .decide(approval.id, &ApprovalDecision::Approve)
            .await
            .map(|_| ()),
        other.projects().get(project.id).await.map(|_| ()),
        other.projects().tasks(project.id).await.map(|_| ()),
        other
            .projects()
            .time(project.id, &PageRequest::default())
            .await
            .map(|_| ()),
        other
            .comments()
            .add(CommentTarget::Approval(approval.id), "mine now")
            .await
            .map(|_| ()),
    ] {
        assert_eq!(result.expect_err("foreign").code(), "not_found");
    }
    assert_eq!(
        admin
            .approvals()
            .get(approval.id)
            .await
            .expect("org")
            .status,
        ApprovalStatus::Pending,
        "nothing changed"
    );
}

on_all_backends!(
    projects_and_timesheets,
    approving_needs_the_permission_and_only_the_customers_own
);
