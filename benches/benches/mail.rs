//! Dispatching the outbox through the SMTP mailer to a sink on 127.0.0.1, beside
//! the same dispatch to the recording test double, in one run: emails per second
//! for 1,000 queued emails, with a new connection per email (`pool_size = 0`) or
//! the connection pool, one email at a time or four at once
//! (`PortalConfig::dispatch_concurrency`), and four dispatchers sharing the pool. It
//! measures the adapter and the SMTP exchanges, not a real relay: the sink is
//! aiosmtpd (Python, one thread) writing each message to a file, so its figure is
//! a floor.
//!
//! `scripts/with-smtp cargo bench -p portal-benches --bench mail`
//! (`PORTAL_BENCH_EMAILS` sets how many, default 1,000). Without `SMTP_SINK_PORT`
//! only the test double is measured.

use std::sync::Arc;
use std::time::{Duration, Instant};

use portal_core::clock::ManualClock;
use portal_core::domain::{Email, EmailKind, OutboxEmail};
use portal_core::mailer::Mailer;
use portal_core::prelude::*;
use portal_core::store::OutboxStore as _;
use portal_memory::{MemoryStore, RecordingMailer};
use portal_smtp::{SmtpConfig, SmtpMailer};

/// Queues `n` emails on a fresh memory store and dispatches them all with
/// `dispatchers` dispatchers at once, each sending `at_once` emails at a time;
/// returns emails per second.
async fn run(mailer: Arc<dyn Mailer>, n: usize, dispatchers: usize, at_once: usize) -> f64 {
    let store = Arc::new(MemoryStore::new());
    let clock = Arc::new(ManualClock::new(OffsetDateTime::now_utc()));
    let config = PortalConfig {
        dispatch_concurrency: at_once,
        ..PortalConfig::default()
    };
    let portal = Portal::builder(store.clone(), mailer)
        .with_clock(clock.clone())
        .with_config(config)
        .build()
        .expect("portal");
    let org = portal
        .create_org(NewOrganization {
            name: "Livraria Bench".into(),
            slug: PortalSlug::parse("bench-mail").expect("slug"),
        })
        .await
        .expect("org");
    let now = portal_core::clock::Clock::now(&*clock);
    for i in 0..n {
        let email = OutboxEmail::new(
            org.id,
            EmailKind::CustomerNotification,
            Email::parse(&format!("customer{i}@example.com")).expect("email"),
            format!("Invoice INV-{i:05} from Livraria Bench"),
            format!(
                "Hello,\n\nInvoice INV-{i:05} for 1.234,56 € is due by 2026-12-31.\n\
                 It is in your customer portal at https://portal.example/bench-mail.\n"
            ),
            now,
        );
        store.enqueue_email(&email).await.expect("queued");
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..dispatchers {
        let portal = portal.clone();
        tasks.push(tokio::spawn(async move {
            let mut sent = 0_u32;
            loop {
                let report = portal.dispatch_emails(25).await.expect("dispatch");
                assert_eq!(report.deferred + report.rejected, 0, "{report:?}");
                if report.sent == 0 {
                    return sent;
                }
                sent += report.sent;
            }
        }));
    }
    let mut sent = 0;
    for task in tasks {
        sent += task.await.expect("dispatcher");
    }
    let elapsed = started.elapsed();
    assert_eq!(sent as usize, n, "every email sent once");
    n as f64 / elapsed.as_secs_f64()
}

fn smtp(port: u16, pool_size: u32) -> Arc<dyn Mailer> {
    let mut config = SmtpConfig::from_url(
        &format!("smtp://127.0.0.1:{port}?tls=none"),
        "Livraria <faturas@livraria.example>",
    )
    .expect("config");
    config.pool_size = pool_size;
    config.send_timeout = Duration::from_secs(30);
    Arc::new(SmtpMailer::new(config).expect("mailer"))
}

fn main() {
    let n: usize = std::env::var("PORTAL_BENCH_EMAILS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let port: Option<u16> = std::env::var("SMTP_SINK_PORT")
        .ok()
        .and_then(|p| p.parse().ok());
    runtime.block_on(async {
        let double = run(Arc::new(RecordingMailer::new()), n, 1, 4).await;
        println!("{n} emails, one dispatcher, test double: {double:>9.0} emails/s");
        let Some(port) = port else {
            println!("SMTP_SINK_PORT not set: run under scripts/with-smtp for the SMTP figures");
            return;
        };
        // Each figure is the better of two alternating runs.
        let shapes = [(0, 1, 1), (4, 1, 1), (0, 1, 4), (4, 1, 4), (4, 4, 4)];
        let mut best = [0.0_f64; 5];
        for _ in 0..2 {
            for (i, (pool, dispatchers, at_once)) in shapes.into_iter().enumerate() {
                let rate = run(smtp(port, pool), n, dispatchers, at_once).await;
                best[i] = best[i].max(rate);
            }
        }
        for ((pool, dispatchers, at_once), rate) in shapes.into_iter().zip(best) {
            println!(
                "{n} emails, SMTP pool {pool}, {dispatchers} dispatcher(s) sending {at_once} at once: \
                 {rate:>5.0} emails/s ({:.1}x one at a time unpooled; the double is {:.0}x faster)",
                rate / best[0],
                double / rate
            );
        }
    });
}
