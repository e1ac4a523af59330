//! Projects, timesheet approvals, shared files and the activity feed.

use super::fixtures::log;
use super::fixtures::project;
use super::fixtures::task;
use time::macros::date;

use super::fixtures::{customer, org, t0};
use crate::{
    domain::PageRequest, domain::Project, domain::ProjectStatus, store::Store, store::StoreError,
};

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
    wrong.id = crate::domain::TimeEntryId::new();
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
