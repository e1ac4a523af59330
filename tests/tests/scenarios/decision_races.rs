//! Decisions raced across app instances: a quote accepted and declined at once, a
//! timesheet decided twenty times and its entries sent in ten timesheets at once.
//! One of each wins, on every backend.

use crate::common;

use common::instances::{
    Instances, memory_instances, on_every_backend, postgres_instances, setup, sqlite_instances,
};
use portal_core::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;

async fn accept_and_decline_at_once(i: Instances) {
    let (token, _) = setup(&i, 1_000, false).await;
    let session = i.a.session(&token).await.expect("session");
    let admin = i.a.org(session.org_id());
    let quote = admin
        .quotes()
        .create(
            session.customer_id(),
            portal_core::domain::NewQuote {
                number: "RACE-Q".into(),
                lines: vec![LineItem::new("x", Decimal::ONE, Decimal::from(100))],
                issue_date: date!(2026 - 01 - 01),
                expiry_date: date!(2099 - 12 - 31),
            },
        )
        .await
        .expect("quote");
    admin.quotes().send(quote.id).await.expect("send");
    let hash = session
        .quotes()
        .get(quote.id)
        .await
        .expect("view")
        .content_hash();
    let mut tasks = Vec::new();
    for n in 0..20 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        let hash = hash.clone();
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            if n % 2 == 0 {
                session
                    .quotes()
                    .accept(quote.id, &hash, None)
                    .await
                    .map(|q| q.status)
            } else {
                session
                    .quotes()
                    .decline(quote.id, Some("no"))
                    .await
                    .map(|q| q.status)
            }
        }));
    }
    let mut winners = Vec::new();
    let mut losers = std::collections::BTreeMap::<&str, u32>::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(status) => winners.push(status),
            Err(e) => *losers.entry(e.code()).or_default() += 1,
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("20 concurrent accept/decline: winners {winners:?}, losers {losers:?}\n")
            .as_bytes(),
    );
    assert_eq!(winners.len(), 1, "exactly one decision wins");
    assert!(
        losers
            .keys()
            .all(|c| matches!(*c, "invalid_state" | "quote_changed")),
        "{losers:?}"
    );
    let final_quote = admin.quotes().get(quote.id).await.expect("quote");
    assert_eq!(final_quote.status, winners[0]);
}

/// Twenty decisions on one timesheet from two app instances; and the same entries
/// sent in ten timesheets at once: one of each wins.
async fn timesheet_decided_and_sent_at_once(i: Instances) {
    let (token, _) = setup(&i, 1_000, false).await;
    let session = i.a.session(&token).await.expect("session");
    let admin = i.a.org(session.org_id());
    admin
        .update_settings(|s| s.preferences.show_projects = true)
        .await
        .expect("projects on");
    let project = admin
        .projects()
        .create(session.customer_id(), "Race", "")
        .await
        .expect("project");
    let task = admin
        .projects()
        .add_task(project.id, "T", true)
        .await
        .expect("task");
    let mut entries = Vec::new();
    for day in 1..=3 {
        entries.push(
            admin
                .projects()
                .log_time(
                    project.id,
                    portal_core::domain::NewTimeEntry {
                        task: task.id,
                        date: date!(2026 - 02 - 01).replace_day(day).expect("day"),
                        minutes: 60,
                        note: String::new(),
                    },
                )
                .await
                .expect("time")
                .id,
        );
    }
    // The same entries sent ten times at once: one timesheet.
    let mut sends = Vec::new();
    for n in 0..10 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let (org, entries) = (session.org_id(), entries.clone());
        sends.push(tokio::spawn(async move {
            portal
                .org(org)
                .approvals()
                .send(project.id, &format!("Sheet {n}"), &entries)
                .await
        }));
    }
    let mut sent = Vec::new();
    let mut refused = std::collections::BTreeMap::<&str, u32>::new();
    for t in sends {
        match t.await.expect("task") {
            Ok(a) => sent.push(a),
            Err(e) => *refused.entry(e.code()).or_default() += 1,
        }
    }
    assert_eq!(
        sent.len(),
        1,
        "one timesheet holds the entries: {refused:?}"
    );
    assert!(
        refused.keys().all(|c| *c == "time_not_submittable"),
        "{refused:?}"
    );
    let sheet = sent[0].id;
    let mut tasks = Vec::new();
    for n in 0..20 {
        let portal = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let token = token.clone();
        let first = entries[0];
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await?;
            let decision = if n % 2 == 0 {
                portal_core::domain::ApprovalDecision::Approve
            } else {
                portal_core::domain::ApprovalDecision::Dispute {
                    entries: vec![(first, "not ours".into())],
                }
            };
            session
                .approvals()
                .decide(sheet, &decision)
                .await
                .map(|a| a.status)
        }));
    }
    let mut winners = Vec::new();
    let mut losers = std::collections::BTreeMap::<&str, u32>::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(status) => winners.push(status),
            Err(e) => *losers.entry(e.code()).or_default() += 1,
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "10 concurrent sends: refused {refused:?}; 20 concurrent decisions: winners {winners:?}, losers {losers:?}\n"
        )
        .as_bytes(),
    );
    assert_eq!(winners.len(), 1, "exactly one decision wins");
    assert!(losers.keys().all(|c| *c == "invalid_state"), "{losers:?}");
    let entries_now = admin
        .projects()
        .time_entries(&entries)
        .await
        .expect("entries");
    let expected = if winners[0] == portal_core::domain::ApprovalStatus::Approved {
        vec![portal_core::domain::EntryApproval::Approved; 3]
    } else {
        vec![
            portal_core::domain::EntryApproval::Rejected,
            portal_core::domain::EntryApproval::Approved,
            portal_core::domain::EntryApproval::Approved,
        ]
    };
    assert_eq!(
        entries_now.iter().map(|e| e.approval).collect::<Vec<_>>(),
        expected,
        "the entries follow the winning decision only"
    );
}

on_every_backend!(
    accept_and_decline_at_once,
    timesheet_decided_and_sent_at_once
);
