//! How a credential-stuffing burst treats everyone else: on a runtime with two
//! worker threads and the in-memory store, 8 tasks make 320 failing sign-ins (a new
//! email each, so every one is hashed and none is throttled) while one client asks
//! for `session(token)` and `dashboard()` every 2 ms. Reports how often the client
//! was answered and how long it waited at most; the same client alone is the
//! baseline. Measures, asserts nothing.
//!
//! `cargo bench -p portal-benches --bench sign_in_storm`

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use portal_core::prelude::*;
use portal_memory::{MemoryStore, RecordingMailer};

#[allow(dead_code)]
mod common;

const TASKS: usize = 8;
const EACH: usize = 40;

async fn portal_with_a_customer() -> (Portal, String) {
    let store: Arc<dyn Backend> = Arc::new(MemoryStore::new());
    let mailer = Arc::new(RecordingMailer::new());
    let portal = Portal::builder(store, mailer.clone())
        .build()
        .expect("portal");
    let org = portal
        .create_org(NewOrganization {
            name: "Storm".into(),
            slug: PortalSlug::parse("storm").expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    let email = Email::parse("ana@storm.example.com").expect("email");
    let usd = Currency::from_code("USD").expect("usd");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Silva", usd),
            vec![NewContact::new("Ana", "Silva", Some(email.clone()))],
        )
        .await
        .expect("customer");
    let signed = common::invited_and_signed_in(
        &portal,
        &mailer,
        (org.id, customer.id, contacts[0].id),
        email.as_str(),
    )
    .await;
    (portal, signed.token.expose().to_owned())
}

/// What the client saw: answers, the waits between them.
struct Seen {
    waits: Vec<Duration>,
    lasted: Duration,
}

impl Seen {
    fn report(&self, what: &str) {
        let mut waits = self.waits.clone();
        waits.sort();
        let n = waits.len().max(1);
        // The last entry is the wait to the end, not an answer.
        let answers = waits.len().saturating_sub(1);
        let mean = self.lasted / u32::try_from(answers.max(1)).unwrap_or(u32::MAX);
        let p99 = waits.get(n * 99 / 100).copied().unwrap_or_default();
        let max = waits.last().copied().unwrap_or_default();
        println!(
            "{what}: {} answers in {:.2} s, one every {:.2} ms on average; longest wait {:.2} ms, p99 {:.2} ms",
            answers,
            self.lasted.as_secs_f64(),
            mean.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
        );
    }
}

/// The time between two answers, and from the last answer to the end of the
/// burst (a client frozen by the burst shows it there).
async fn client(portal: Portal, token: String, stop: Arc<AtomicBool>) -> Vec<Duration> {
    let mut waits = Vec::new();
    let mut last = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(2)).await;
        if stop.load(Ordering::SeqCst) {
            waits.push(last.elapsed());
            break;
        }
        let session = portal.session(&token).await.expect("session");
        std::hint::black_box(session.dashboard().await.expect("dashboard"));
        waits.push(last.elapsed());
        last = Instant::now();
    }
    waits
}

async fn run(portal: &Portal, token: &str, storm: bool) -> Seen {
    let stop = Arc::new(AtomicBool::new(false));
    let asking = tokio::spawn(client(portal.clone(), token.to_owned(), stop.clone()));
    let started = Instant::now();
    if storm {
        let tasks: Vec<_> = (0..TASKS)
            .map(|t| {
                let portal = portal.clone();
                tokio::spawn(async move {
                    for n in 0..EACH {
                        let email = format!("stuffed-{t}-{n}@example.com");
                        let _ = portal
                            .sign_in(
                                "storm",
                                &email,
                                "hunter2 hunter2",
                                &portal_core::auth::ClientKey::unknown(),
                            )
                            .await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("storm");
        }
    } else {
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let lasted = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    Seen {
        waits: asking.await.expect("client"),
        lasted,
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (portal, token) = portal_with_a_customer().await;
        run(&portal, &token, false).await.report("client alone");
        run(&portal, &token, true)
            .await
            .report(&format!("client during {} failing sign-ins", TASKS * EACH));
    });
}
