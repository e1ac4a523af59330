//! Projects, timesheet approvals, shared files and the activity feed.

use time::Duration;
use time::macros::date;

use super::fixtures::{activity_ids, customer, notice_of, org, t0};
use super::money::{recording, sent};
use crate::{
    ActivitySubject, ApprovalDecision, ApprovalStatus, CommentAuthor, CommentTarget, ContactPerson,
    EntryApproval, FileOrigin, NewTimeEntry, PageRequest, Project, ProjectStatus, SharedFile,
    Store, StoreError, Task, TimeEntry, TimesheetApproval, UploadPolicy,
};

async fn project(
    store: &dyn Store,
    org: crate::OrgId,
    c: crate::CustomerId,
    name: &str,
) -> Project {
    let p = Project::new(org, c, name, "", t0()).expect("project");
    store.create_project(&p).await.expect("create project");
    p
}

async fn task(store: &dyn Store, p: &Project, name: &str, billable: bool) -> Task {
    let t = Task::new(p.org, p.id, name, billable).expect("task");
    store.create_task(&t).await.expect("create task");
    t
}

async fn log(store: &dyn Store, p: &Project, t: &Task, day: u8, minutes: u32) -> TimeEntry {
    let date = date!(2026 - 03 - 01).replace_day(day).expect("day");
    let e = TimeEntry::new(
        p,
        t,
        NewTimeEntry {
            task: t.id,
            date,
            minutes,
            note: format!("day {day}"),
        },
        t0(),
    )
    .expect("entry");
    store.log_time(&e).await.expect("log");
    e
}

/// Projects are the customer's; only active ones are listed, newest first, paged;
/// updates check the version.
pub async fn projects_round_trip_and_scope(store: &dyn Store) {
    let org = org(store).await;
    let (c, _) = customer(store, &org).await;
    let (stranger, _) = customer(store, &org).await;
    let other = super::fixtures::org(store).await;
    let a = project(store, org.id, c.id, "Website").await;
    let b = project(store, org.id, c.id, "Shop").await;
    let done = project(store, org.id, c.id, "Old").await;
    assert_eq!(store.project(org.id, a.id).await.expect("read"), a);
    let mut finished = done.clone();
    finished.status = ProjectStatus::Completed;
    let finished = store.update_project(&finished).await.expect("complete");
    assert_eq!(finished.version, done.version + 1);
    assert!(matches!(
        store.update_project(&done).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    let first = store
        .customer_projects(org.id, c.id, &PageRequest::first(1))
        .await
        .expect("page");
    assert_eq!(first.items, vec![b.clone()]);
    let next = PageRequest::after(first.next.as_deref().expect("more"), 1).expect("cursor");
    let second = store
        .customer_projects(org.id, c.id, &next)
        .await
        .expect("page 2");
    assert_eq!(second.items, vec![a.clone()]);
    assert_eq!(second.next, None, "the completed project is not listed");
    assert_eq!(
        store
            .customer_project(org.id, c.id, done.id)
            .await
            .expect("still reachable")
            .status,
        ProjectStatus::Completed
    );
    for (o, cust) in [(org.id, stranger.id), (other.id, c.id)] {
        assert!(matches!(
            store.customer_project(o, cust, a.id).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(
            store
                .customer_projects(o, cust, &PageRequest::first(10))
                .await
                .expect("list")
                .items
                .is_empty()
        );
    }
    assert!(matches!(
        store.project(other.id, a.id).await,
        Err(StoreError::NotFound(_))
    ));
    let foreign = Project::new(other.id, c.id, "Nope", "", t0()).expect("project");
    assert!(matches!(
        store.create_project(&foreign).await,
        Err(StoreError::NotFound(_))
    ));
}

/// Billable tasks show logged, billed and unbilled minutes; entries are listed
/// newest day first, billable only; time cannot be logged on another project's task.
pub async fn task_hours_add_up(store: &dyn Store) {
    let org = org(store).await;
    let (c, _) = customer(store, &org).await;
    let p = project(store, org.id, c.id, "Website").await;
    let q = project(store, org.id, c.id, "Other").await;
    let design = task(store, &p, "Design", true).await;
    let build = task(store, &p, "Build", true).await;
    let internal = task(store, &p, "Internal", false).await;
    let idle = task(store, &p, "Idle", true).await;
    let e1 = log(store, &p, &design, 2, 90).await;
    let e2 = log(store, &p, &design, 3, 30).await;
    let e3 = log(store, &p, &build, 3, 45).await;
    log(store, &p, &internal, 4, 600).await;
    let hours = store
        .project_tasks(org.id, c.id, p.id)
        .await
        .expect("tasks");
    let summary: Vec<(&str, i64, i64, i64)> = hours
        .iter()
        .map(|h| {
            (
                h.task.name.as_str(),
                h.logged_minutes,
                h.billed_minutes,
                h.unbilled_minutes,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("Build", 45, 0, 45),
            ("Design", 120, 0, 120),
            ("Idle", 0, 0, 0)
        ]
    );
    assert_eq!(hours[2].task, idle);
    let page = store
        .project_time_entries(org.id, c.id, p.id, &PageRequest::first(2))
        .await
        .expect("entries");
    assert_eq!(page.items.len(), 2);
    assert!(page.items.iter().all(|e| e.date == date!(2026 - 03 - 03)));
    let rest = store
        .project_time_entries(
            org.id,
            c.id,
            p.id,
            &PageRequest::after(page.next.as_deref().expect("more"), 2).expect("cursor"),
        )
        .await
        .expect("rest");
    assert_eq!(rest.items, vec![e1.clone()]);
    let mut seen: Vec<_> = page.items.iter().map(|e| e.id).collect();
    seen.sort();
    let mut expected = vec![e2.id, e3.id];
    expected.sort();
    assert_eq!(seen, expected);
    // A task of another project, or a project of another customer, takes no time.
    let mut wrong = e1.clone();
    wrong.id = crate::TimeEntryId::new();
    wrong.project = q.id;
    assert!(matches!(
        store.log_time(&wrong).await,
        Err(StoreError::NotFound(_))
    ));
    let (stranger, _) = customer(store, &org).await;
    assert!(matches!(
        store.project_tasks(org.id, stranger.id, p.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .project_time_entries(org.id, stranger.id, p.id, &PageRequest::first(5))
            .await,
        Err(StoreError::NotFound(_))
    ));
}

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
        .decide_approval(&crate::ApprovalDecisionRecord {
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
            .decide_approval(&crate::ApprovalDecisionRecord {
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
        let comment = crate::Comment {
            id: crate::CommentId::new(),
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

/// Files are the customer's, listed newest first and paged; an upload's notice is
/// recorded with it; bytes round-trip.
pub async fn shared_files_round_trip_and_scope(store: &dyn Store) {
    let org = org(store).await;
    let (c, contacts) = customer(store, &org).await;
    let (stranger, _) = customer(store, &org).await;
    let policy = UploadPolicy::default();
    let file = |name: &str, bytes: &[u8], origin| {
        SharedFile::check(org.id, c.id, origin, name, bytes, &policy, t0()).expect("file")
    };
    let contract = file("contract.txt", b"terms", FileOrigin::Org);
    let upload = file("receipt.txt", b"paid", FileOrigin::Contact(contacts[0].id));
    store.add_file(&contract, None).await.expect("share");
    let said = notice_of(&contacts[0], ActivitySubject::File(upload.id), None);
    store.add_file(&upload, Some(&said)).await.expect("upload");
    assert_eq!(
        activity_ids(store, org.id, c.id).await,
        vec![said.activity.id]
    );
    let first = store
        .customer_files(org.id, c.id, &PageRequest::first(1))
        .await
        .expect("page");
    assert_eq!(first.items, vec![upload.clone()]);
    let rest = store
        .customer_files(
            org.id,
            c.id,
            &PageRequest::after(first.next.as_deref().expect("more"), 1).expect("cursor"),
        )
        .await
        .expect("rest");
    assert_eq!(rest.items, vec![contract.clone()]);
    assert!(matches!(
        store.customer_file(org.id, stranger.id, contract.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.remove_file(org.id, stranger.id, contract.id).await,
        Err(StoreError::NotFound(_))
    ));
    let mut foreign = contract.clone();
    foreign.id = crate::FileId::new();
    foreign.org = super::fixtures::org(store).await.id;
    assert!(matches!(
        store.add_file(&foreign, None).await,
        Err(StoreError::NotFound(_))
    ));
    store
        .remove_file(org.id, c.id, contract.id)
        .await
        .expect("remove");
    assert!(matches!(
        store.customer_file(org.id, c.id, contract.id).await,
        Err(StoreError::NotFound(_))
    ));
}

/// File bytes round-trip exactly under their id; deleting removes them and is
/// idempotent. The one behaviour of the [`FileStore`](crate::FileStore) port.
pub async fn file_bytes_round_trip(files: &dyn crate::FileStore) {
    let id = crate::FileId::new();
    let bytes: Vec<u8> = (0..=255).collect();
    files.put_file(id, &bytes).await.expect("put");
    assert_eq!(files.get_file(id).await.expect("get"), bytes);
    assert!(matches!(
        files.get_file(crate::FileId::new()).await,
        Err(StoreError::NotFound(_))
    ));
    files.delete_file(id).await.expect("delete");
    assert!(matches!(
        files.get_file(id).await,
        Err(StoreError::NotFound(_))
    ));
    files.delete_file(id).await.expect("deleting twice is fine");
}

/// The activity feed pages newest first and holds only what was recorded: an
/// operation that fails records no activity.
pub async fn activity_feed_is_atomic_and_paged(store: &dyn Store) {
    let org = org(store).await;
    let (c, contacts) = customer(store, &org).await;
    let (stranger, _) = customer(store, &org).await;
    let inv = sent("A-1", 10_000)
        .issued(date!(2026 - 03 - 01))
        .due(date!(2026 - 03 - 31))
        .for_customer(store, &c)
        .await;
    let mut ids = Vec::new();
    let mut recorded = Vec::new();
    for _ in 0..3 {
        let mut r = recording(&c, 1_000, &[inv.id]);
        let n = notice_of(&contacts[0], ActivitySubject::Payment(r.id), None);
        ids.push(n.activity.id);
        recorded.push(n.activity.clone());
        r.notice = Some(n);
        store.record_payment(&r).await.expect("pay");
    }
    // Recording a payment twice fails the second time and records nothing more.
    let mut twice = recording(&c, 1_000, &[inv.id]);
    store.record_payment(&twice).await.expect("pay");
    twice.notice = Some(notice_of(
        &contacts[0],
        ActivitySubject::Payment(twice.id),
        None,
    ));
    assert!(store.record_payment(&twice).await.is_err());
    ids.reverse();
    let page = store
        .customer_activity(org.id, c.id, &PageRequest::first(2))
        .await
        .expect("page");
    assert_eq!(
        page.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        ids[..2]
    );
    assert_eq!(page.items[0], recorded[2], "read back exactly");
    let rest = store
        .customer_activity(
            org.id,
            c.id,
            &PageRequest::after(page.next.as_deref().expect("more"), 2).expect("cursor"),
        )
        .await
        .expect("rest");
    assert_eq!(
        rest.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        ids[2..]
    );
    assert_eq!(rest.next, None);
    assert!(activity_ids(store, org.id, stranger.id).await.is_empty());
    let other = super::fixtures::org(store).await;
    assert!(activity_ids(store, other.id, c.id).await.is_empty());
}
