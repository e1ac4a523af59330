//! A burst of failing sign-ins (credential stuffing: a new email each time, every
//! one of them hashed) does not stall the portal's other requests: password hashing
//! runs on Tokio's blocking threads, bounded by the portal, never on the executor
//! that answers pages. Proved on a current-thread runtime, where a hash on the
//! executor would freeze every other task for as long as the burst lasts. In a
//! binary of its own, so no other test competes for the CPU while it measures.

mod common;

use std::time::{Duration, Instant};

use common::World;

/// The longest wait between two answers to a client that asks every 2 ms, and
/// how many answers it got, while `tasks` tasks each make `each` failing sign-ins.
async fn client_during_storm(
    w: &World,
    token: &str,
    tasks: usize,
    each: usize,
) -> (Duration, u32, Duration) {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let client = {
        let (portal, token, stop) = (w.portal.clone(), token.to_owned(), stop.clone());
        tokio::spawn(async move {
            let (mut answers, mut longest) = (0_u32, Duration::ZERO);
            // The time between two answers, and from the last answer to the end
            // of the burst: a client frozen by the burst shows it in the last gap.
            let mut last = Instant::now();
            loop {
                tokio::time::sleep(Duration::from_millis(2)).await;
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    longest = longest.max(last.elapsed());
                    break;
                }
                let session = portal.session(&token).await.expect("session");
                session.dashboard().await.expect("dashboard");
                answers += 1;
                longest = longest.max(last.elapsed());
                last = Instant::now();
            }
            (answers, longest)
        })
    };
    let started = Instant::now();
    let storm: Vec<_> = (0..tasks)
        .map(|t| {
            let portal = w.portal.clone();
            tokio::spawn(async move {
                for n in 0..each {
                    let err = portal
                        .sign_in(
                            "acme",
                            &format!("stuffed-{t}-{n}@example.com"),
                            "hunter2 hunter2",
                            &portal_core::auth::ClientKey::unknown(),
                        )
                        .await
                        .expect_err("no such user");
                    assert_eq!(err.code(), "invalid_credentials");
                }
            })
        })
        .collect();
    for task in storm {
        task.await.expect("storm task");
    }
    let lasted = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let (answers, longest) = client.await.expect("client");
    (longest, answers, lasted)
}

#[tokio::test(flavor = "current_thread")]
async fn failing_sign_ins_never_stall_other_requests() {
    let w = World::new();
    let org = w.org("acme").await;
    let (customer, contacts) = w.customer(org.id, &[Some("ana@example.com")]).await;
    let signed = w.activate(org.id, &customer, &contacts[0]).await;
    let token = signed.token.expose().to_owned();
    let (longest, answers, lasted) = client_during_storm(&w, &token, 4, 8).await;
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "32 failing sign-ins in {lasted:?}: the client got {answers} answers, the longest wait {longest:?}\n"
        )
        .as_bytes(),
    );
    // On the executor, 32 hashes of ~12 ms each would hold the client up for the
    // whole burst (hundreds of milliseconds). Off it, the client waits for the CPU
    // at worst, a few milliseconds; 100 ms leaves room for a busy machine.
    assert!(
        longest < Duration::from_millis(100),
        "the client waited {longest:?} during the burst"
    );
    let expected = u32::try_from(lasted.as_millis() / 4).unwrap_or(u32::MAX);
    assert!(
        answers >= expected.min(20),
        "only {answers} answers in {lasted:?}"
    );
}
