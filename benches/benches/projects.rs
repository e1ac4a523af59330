//! Measures the project reads of the portal (billable hours by task, summed by the
//! store; a page of time entries) and the org's activity feed page, on the in-memory
//! and SQLite stores, with a project holding 10 and 1 000 time entries.

use std::hint::black_box;
use std::sync::Arc;

mod common;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use portal_core::domain::{CommentTarget, NewTimeEntry, ProjectId};
use portal_core::prelude::*;
use portal_memory::RecordingMailer;

struct Fixture {
    portal: Portal,
    session: PortalSession,
    org: OrgId,
    customer: portal_core::domain::CustomerId,
    project: ProjectId,
}

async fn project_with(store: Arc<dyn Backend>, entries: usize) -> Fixture {
    let mailer = Arc::new(RecordingMailer::new());
    let portal = Portal::builder(store, mailer.clone())
        .build()
        .expect("portal");
    let org = portal
        .create_org(NewOrganization {
            name: "Bench".into(),
            slug: PortalSlug::parse(&format!("bench-projects-{entries}")).expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    admin
        .update_settings(|s| s.preferences.show_projects = true)
        .await
        .expect("projects on");
    let email = Email::parse(&format!("projects{entries}@example.com")).expect("email");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Bench", Currency::from_code("USD").expect("usd")),
            vec![NewContact::new("B", "", Some(email.clone()))],
        )
        .await
        .expect("customer");
    let project = admin
        .projects()
        .create(customer.id, "Bench", "")
        .await
        .expect("project");
    let mut tasks = Vec::new();
    for t in 0..5 {
        tasks.push(
            admin
                .projects()
                .add_task(project.id, &format!("Task {t}"), t != 4)
                .await
                .expect("task"),
        );
    }
    for i in 0..entries {
        admin
            .projects()
            .log_time(
                project.id,
                NewTimeEntry {
                    task: tasks[i % tasks.len()].id,
                    date: time::macros::date!(2026 - 01 - 01)
                        + time::Duration::days((i % 300) as i64),
                    minutes: 15 + (i % 60) as u32,
                    note: String::new(),
                },
            )
            .await
            .expect("time");
    }
    let session = common::invited_and_signed_in(
        &portal,
        &mailer,
        (org.id, customer.id, contacts[0].id),
        email.as_str(),
    )
    .await
    .session;
    for _ in 0..entries.min(200) {
        session
            .comments()
            .add(CommentTarget::Project(project.id), "progress?")
            .await
            .expect("comment");
    }
    Fixture {
        portal,
        session,
        org: org.id,
        customer: customer.id,
        project: project.id,
    }
}

fn projects(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = common::BenchDir::new("projects");
    let mut group = c.benchmark_group("projects");
    for entries in [10_usize, 1_000] {
        for (name, store) in common::stores(&rt, &dir, entries) {
            let f = rt.block_on(project_with(store, entries));
            group.bench_with_input(
                BenchmarkId::new(format!("{name}/task_hours"), entries),
                &f,
                |b, f| {
                    b.to_async(&rt).iter(|| async {
                        black_box(f.session.projects().tasks(f.project).await.expect("tasks"))
                    });
                },
            );
            let page = PageRequest::first(20);
            group.bench_with_input(
                BenchmarkId::new(format!("{name}/time_page"), entries),
                &f,
                |b, f| {
                    b.to_async(&rt).iter(|| async {
                        black_box(
                            f.session
                                .projects()
                                .time(f.project, &page)
                                .await
                                .expect("page"),
                        )
                    });
                },
            );
            group.bench_with_input(
                BenchmarkId::new(format!("{name}/activity_page"), entries),
                &f,
                |b, f| {
                    b.to_async(&rt).iter(|| async {
                        black_box(
                            f.portal
                                .org(f.org)
                                .activity(f.customer, &page)
                                .await
                                .expect("feed"),
                        )
                    });
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, projects);
criterion_main!(benches);
