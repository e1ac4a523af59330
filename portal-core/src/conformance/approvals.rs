//! Timesheet approvals: the whole lifecycle.

use super::fixtures::log;
use super::fixtures::project;
use super::fixtures::sent;
use super::fixtures::task;
use super::fixtures::{activity_ids, customer, notice_of, org, t0};
use crate::{
    domain::ActivitySubject, domain::ApprovalDecision, domain::ApprovalStatus,
    domain::CommentAuthor, domain::CommentTarget, domain::ContactPerson, domain::EntryApproval,
    domain::PageRequest, domain::TimesheetApproval, store::Store, store::StoreError,
};
use time::Duration;
use time::macros::date;

/// Sending entries marks them pending (once); the customer's first view is marked
/// once; a decision sets every entry and is recorded once; only approved time is
/// billed, all or nothing.
pub async fn timesheet_approval_lifecycle(store: &dyn Store) {
    let org = org(store).await;
    let (c, contacts) = customer(store, &org).await;
    let person: &ContactPerson = &contacts[0];
    let p = project(store, org.id, c.id, "Website").await;
    let t = task(store, &p, "Build", true).await;
    let entries = vec![
        log(store, &p, &t, 2, 60).await,
        log(store, &p, &t, 3, 30).await,
        log(store, &p, &t, 4, 15).await,
    ];
    let a = TimesheetApproval::new(&p, "Week 10", &entries, t0()).expect("approval");
    store.create_approval(&a).await.expect("send");
    assert_eq!(
        store
            .time_entries(org.id, &[entries[0].id])
            .await
            .expect("read")[0]
            .approval,
        EntryApproval::Pending
    );
    // The same entries cannot be sent twice; the failed send leaves no trace.
    let again = TimesheetApproval::new(&p, "Again", &entries[..1], t0()).expect("approval");
    assert!(matches!(
        store.create_approval(&again).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.approval(org.id, again.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .approval_entries(org.id, c.id, a.id)
            .await
            .expect("entries")
            .iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        a.entries
    );
    let listed = |statuses: Vec<ApprovalStatus>| async move {
        store
            .customer_approvals(org.id, c.id, &statuses, &PageRequest::first(10))
            .await
            .expect("list")
            .items
            .into_iter()
            .map(|x| x.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(vec![]).await, vec![a.id]);
    assert_eq!(listed(vec![ApprovalStatus::Pending]).await, vec![a.id]);
    assert!(listed(vec![ApprovalStatus::Approved]).await.is_empty());

    let subject = ActivitySubject::Approval(a.id);
    let view = notice_of(person, subject, None);
    let (viewed, first) = store
        .mark_approval_viewed(org.id, c.id, a.id, t0(), &view)
        .await
        .expect("view");
    assert!(first && viewed.viewed_at == Some(t0()));
    let (_, first) = store
        .mark_approval_viewed(org.id, c.id, a.id, t0(), &notice_of(person, subject, None))
        .await
        .expect("view again");
    assert!(!first);

    let decision = ApprovalDecision::Dispute {
        entries: vec![(entries[1].id, "I was on holiday".into())],
    };
    let outcome = viewed.decide(&decision).expect("outcome");
    let mut decided = viewed.clone();
    decided.decided_by = Some(person.id);
    decided.decided_at = Some(t0() + Duration::hours(1));
    let said = notice_of(person, subject, None);
    let saved = store
        .decide_approval(&crate::store::ApprovalDecisionRecord {
            approval: decided.clone(),
            outcome: outcome.clone(),
            notice: said.clone(),
        })
        .await
        .expect("decide");
    assert_eq!(saved.status, ApprovalStatus::PartiallyApproved);
    assert_eq!(saved.decided_by, Some(person.id));
    assert_eq!(saved.version, viewed.version + 1);
    // The same decision again (a stale read) changes nothing.
    assert!(matches!(
        store
            .decide_approval(&crate::store::ApprovalDecisionRecord {
                approval: decided,
                outcome,
                notice: notice_of(person, subject, None),
            })
            .await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert_eq!(
        activity_ids(store, org.id, c.id).await,
        vec![said.activity.id, view.activity.id]
    );
    let now = store
        .approval_entries(org.id, c.id, a.id)
        .await
        .expect("entries");
    let states: Vec<_> = now
        .iter()
        .map(|e| (e.approval, e.dispute_reason.as_deref()))
        .collect();
    assert_eq!(
        states,
        vec![
            (EntryApproval::Approved, None),
            (EntryApproval::Rejected, Some("I was on holiday")),
            (EntryApproval::Approved, None),
        ]
    );
    assert_eq!(
        listed(vec![ApprovalStatus::PartiallyApproved]).await,
        vec![a.id]
    );

    // Comments on the project and on the approval, from both sides.
    for target in [CommentTarget::Project(p.id), CommentTarget::Approval(a.id)] {
        let comment = crate::domain::Comment {
            id: crate::domain::CommentId::new(),
            org: org.id,
            customer: c.id,
            target,
            author: CommentAuthor::Contact(person.id),
            body: "Looks right".into(),
            show_in_portal: true,
            created_at: t0(),
        };
        store
            .add_comment(&comment, &[], None)
            .await
            .expect("comment");
        assert_eq!(
            store
                .comments(org.id, c.id, target, true)
                .await
                .expect("read"),
            vec![comment]
        );
    }

    // Only approved time is billed, all or nothing.
    let inv = sent("T-1", 10_000)
        .issued(date!(2026 - 03 - 05))
        .due(date!(2026 - 03 - 31))
        .for_customer(store, &c)
        .await;
    assert!(matches!(
        store
            .bill_time(org.id, inv.id, &[entries[0].id, entries[1].id])
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(
        store
            .time_entries(org.id, &[entries[0].id])
            .await
            .expect("read")[0]
            .invoice
            .is_none(),
        "a refused bill marks nothing"
    );
    store
        .bill_time(org.id, inv.id, &[entries[0].id, entries[2].id])
        .await
        .expect("bill approved time");
    assert!(matches!(
        store.bill_time(org.id, inv.id, &[entries[0].id]).await,
        Err(StoreError::Conflict(_))
    ));
    let hours = store
        .project_tasks(org.id, c.id, p.id)
        .await
        .expect("hours");
    assert_eq!(
        (
            hours[0].logged_minutes,
            hours[0].billed_minutes,
            hours[0].unbilled_minutes
        ),
        (105, 75, 30)
    );
    // A rejected entry can be sent again.
    let resend = TimesheetApproval::new(&p, "Week 10 again", &now[1..2], t0()).expect("approval");
    store.create_approval(&resend).await.expect("resend");
    // Another customer sees none of it.
    let (stranger, _) = customer(store, &org).await;
    assert!(matches!(
        store.customer_approval(org.id, stranger.id, a.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.approval_entries(org.id, stranger.id, a.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .mark_approval_viewed(org.id, stranger.id, resend.id, t0(), &view)
            .await,
        Err(StoreError::NotFound(_))
    ));
}
