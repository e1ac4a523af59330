//! On a Citus cluster, every statement the store runs goes to one organization's
//! shard as one task, except the sweeps listed in `common::statements::GLOBAL`.
//!
//! Runs the PostgreSQL conformance suite on the cluster `scripts/with-citus`
//! starts (each test's schema distributed by `portal_distribute()`), then reads
//! what Citus wrote in the coordinator's log while it ran: with
//! `citus.multi_task_query_log_level = log` it notes every statement that runs
//! on more than one shard, and at `log_min_messages = debug1` every statement it
//! splits into subplans (several round trips, each of which may read every
//! shard) or whose `INSERT … SELECT` it collects on the coordinator (a read,
//! then a write). Every note comes with the statement as the store sent it.
//!
//! Without a cluster (`PORTAL_CITUS_LOG` unset, as in CI, which cannot install
//! Citus) the test says so and checks nothing: CI checks the rules these plans
//! follow in `org_scoped_sql.rs` and `citus_catalog.rs`.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use common::statements::{GLOBAL, infrastructure};

/// What Citus noted about a statement, and what it means for a request.
const NOTES: &[(&str, &str)] = &[
    (
        "multi-task query about to be executed",
        "runs on more than one shard",
    ),
    ("generating subplan", "is split into subplans"),
    (
        "Collecting INSERT ... SELECT results on coordinator",
        "reads into the coordinator, then writes",
    ),
];

/// Statements Citus runs in parts (each part one task on the organization's
/// shard, none reading another shard), with the reason.
const SPLIT: &[(&str, &str)] = &[
    (
        "WITH invoice AS (UPDATE portal_invoices SET reserved_minor = reserved_minor + $7",
        "Pay Now's start on one invoice (START_ONE): one statement on one PostgreSQL; \
         Citus reserves the invoice, then inserts the attempt, both on the invoice's shard",
    ),
    (
        "WITH attempt AS (UPDATE portal_payment_attempts SET status = 'succeeded'",
        "Pay Now's record on one invoice (RECORD_ONE): one statement on one PostgreSQL; \
         Citus runs its parts one after another on the shard (the attempt's key to the \
         payment is checked at commit for that)",
    ),
];

/// The statements of `log` Citus noted, each with what it noted, once each.
fn noted(log: &str) -> BTreeMap<String, BTreeSet<&'static str>> {
    // The last note of each server process, waiting for its statement.
    let mut pending: HashMap<String, &'static str> = HashMap::new();
    let mut found: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    let mut statement: Option<(String, String)> = None;
    let mut finish = |statement: &mut Option<(String, String)>,
                      pending: &mut HashMap<String, &'static str>| {
        if let Some((pid, sql)) = statement.take()
            && let Some(note) = pending.remove(&pid)
        {
            let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            found.entry(sql).or_default().insert(note);
        }
    };
    for line in log.lines() {
        if let Some(more) = line.strip_prefix('\t') {
            if let Some((_, sql)) = statement.as_mut() {
                sql.push(' ');
                sql.push_str(more);
            }
            continue;
        }
        finish(&mut statement, &mut pending);
        // `%m [%p] LEVEL:  message`, PostgreSQL's default prefix.
        let Some((pid, rest)) = line
            .split_once(" [")
            .and_then(|(_, rest)| rest.split_once("] "))
        else {
            continue;
        };
        let Some((level, message)) = rest.split_once(":  ") else {
            continue;
        };
        match level {
            "STATEMENT" => statement = Some((pid.to_owned(), message.to_owned())),
            "DETAIL" | "HINT" | "CONTEXT" | "QUERY" | "LOCATION" => {}
            _ => {
                if let Some((_, meaning)) = NOTES.iter().find(|(n, _)| message.starts_with(n)) {
                    pending.insert(pid.to_owned(), meaning);
                } else {
                    pending.remove(pid);
                }
            }
        }
    }
    finish(&mut statement, &mut pending);
    found
}

#[test]
fn the_log_reader_pairs_each_note_with_its_statement() {
    let log = "2026-12-07 16:00:00.001 UTC [11] LOG:  multi-task query about to be executed\n\
        2026-12-07 16:00:00.001 UTC [11] HINT:  Queries are split to multiple tasks.\n\
        2026-12-07 16:00:00.002 UTC [12] DEBUG:  building index \"x\" serially\n\
        2026-12-07 16:00:00.003 UTC [11] STATEMENT:  SELECT org_id FROM portal_outbox\n\
        \tWHERE status = 'pending'\n\
        2026-12-07 16:00:00.004 UTC [12] STATEMENT:  CREATE INDEX x ON y (z)\n\
        2026-12-07 16:00:00.005 UTC [13] DEBUG:  Collecting INSERT ... SELECT results on coordinator\n\
        2026-12-07 16:00:00.006 UTC [13] STATEMENT:  INSERT INTO portal_sessions SELECT $1\n";
    let found = noted(log);
    assert_eq!(
        found.keys().collect::<Vec<_>>(),
        [
            "INSERT INTO portal_sessions SELECT $1",
            "SELECT org_id FROM portal_outbox WHERE status = 'pending'",
        ]
    );
    assert!(
        found["INSERT INTO portal_sessions SELECT $1"]
            .contains("reads into the coordinator, then writes")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_statement_runs_on_one_shard_but_the_listed_sweeps() {
    let Ok(path) = std::env::var("PORTAL_CITUS_LOG") else {
        eprintln!(
            "citus_plans: no Citus cluster (PORTAL_CITUS_LOG unset); run it with scripts/with-citus"
        );
        return;
    };
    let before = std::fs::metadata(&path)
        .map(|m| m.len())
        .expect("the coordinator's log");
    portal_core::run_conformance_suite!(common::postgres_store);
    portal_core::conformance_tests!(@sequential common::postgres_files; file_bytes_round_trip);
    let log = std::fs::read(&path).expect("the coordinator's log");
    let log = String::from_utf8_lossy(&log[usize::try_from(before).unwrap_or_default()..]);

    let found = noted(&log);
    assert!(
        found
            .keys()
            .any(|sql| sql.contains("FROM portal_outbox WHERE status = 'pending'")),
        "the log notes the outbox sweep, which reads every shard: is the coordinator \
         logging at citus.multi_task_query_log_level = log (scripts/with-citus)?"
    );
    let wrong: Vec<String> = found
        .into_iter()
        .filter(|(sql, _)| !infrastructure(sql))
        .filter(|(sql, _)| !SPLIT.iter().any(|(marker, _)| sql.contains(marker)))
        .filter_map(|(sql, notes)| {
            let global = GLOBAL.iter().any(|(marker, _)| sql.contains(marker));
            let notes: Vec<_> = notes
                .into_iter()
                .filter(|note| !(global && *note == NOTES[0].1))
                .collect();
            (!notes.is_empty()).then(|| format!("{}: {sql}", notes.join(", ")))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "statements that are not one task on one shard: {wrong:#?}"
    );
}
