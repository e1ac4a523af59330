//! Quote lifecycles under random actions on every backend: whatever the org and the
//! customer do, in any order, a quote only moves along its transition table, every
//! refused action changes nothing, and the three backends end in the same state.

use crate::common;

use common::backends::{Backend, Env, env};
use portal_core::domain::{NewQuote, Quote, QuoteId, QuoteStatus};
use portal_core::prelude::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use time::macros::date;

#[derive(Debug, Clone, Copy)]
enum Act {
    Send,
    Revise,
    Accept,
    Decline,
    Convert,
    View,
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        Just(Act::Send),
        Just(Act::Revise),
        Just(Act::Accept),
        Just(Act::Decline),
        Just(Act::Convert),
        Just(Act::View),
    ]
}

static CASE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn input(case: usize, n: usize) -> NewQuote {
    NewQuote {
        number: format!("PQ-{case}"),
        lines: vec![LineItem::new("Work", Decimal::ONE, Decimal::from(100 + n))],
        issue_date: date!(2026 - 05 - 01),
        expiry_date: date!(2099 - 01 - 01),
    }
}

/// Runs the actions and returns the final (status, revision, invoiced) after checking
/// each step against the transition table.
async fn run(
    env: &Env,
    org: &Organization,
    customer: &Customer,
    session: &PortalSession,
    acts: &[Act],
    case: usize,
) -> Result<(QuoteStatus, u32, bool), TestCaseError> {
    let admin = env.portal.org(org.id);
    let quote: Quote = admin
        .quotes()
        .create(customer.id, input(case, 0))
        .await
        .expect("quote");
    let id: QuoteId = quote.id;
    for (n, a) in acts.iter().enumerate() {
        let before = admin.quotes().get(id).await.expect("read");
        let result = match a {
            Act::Send => admin.quotes().send(id).await.map(|_| ()),
            Act::Revise => admin.quotes().revise(id, input(case, n)).await.map(|_| ()),
            Act::Accept => session
                .quotes()
                .accept(id, &before.content_hash(), None)
                .await
                .map(|_| ()),
            Act::Decline => session.quotes().decline(id, Some("no")).await.map(|_| ()),
            Act::Convert => admin
                .quotes()
                .convert_to_invoice(
                    id,
                    &format!("PQ-INV-{case}-{n}"),
                    date!(2026 - 05 - 02),
                    date!(2026 - 06 - 02),
                    vec![],
                )
                .await
                .map(|_| ()),
            Act::View => session.quotes().get(id).await.map(|_| ()),
        };
        let after = admin.quotes().get(id).await.expect("read");
        let event = match a {
            Act::Send => Some(portal_core::domain::QuoteEvent::Send),
            Act::Revise => Some(portal_core::domain::QuoteEvent::Revise),
            Act::Accept => Some(portal_core::domain::QuoteEvent::Accept),
            Act::Decline => Some(portal_core::domain::QuoteEvent::Decline),
            Act::Convert => Some(portal_core::domain::QuoteEvent::Invoice),
            Act::View => None,
        };
        match (result, event) {
            (Ok(()), Some(e)) => {
                prop_assert_eq!(
                    Ok(after.status),
                    before.status.apply(e),
                    "{:?} from {:?}",
                    a,
                    before.status
                );
            }
            (Ok(()), None) => prop_assert_eq!(after.status, before.status),
            (Err(err), _) => {
                prop_assert!(
                    matches!(err.code(), "invalid_state" | "not_found"),
                    "{:?} refused with {}",
                    a,
                    err
                );
                prop_assert_eq!(
                    after.status,
                    before.status,
                    "a refused action changes nothing"
                );
                prop_assert_eq!(after.version, before.version);
            }
        }
        match after.status {
            QuoteStatus::Accepted | QuoteStatus::Declined => {
                prop_assert!(after.decided_at.is_some())
            }
            QuoteStatus::Draft | QuoteStatus::Sent => prop_assert!(after.decided_at.is_none()),
            QuoteStatus::Invoiced => prop_assert!(after.invoice.is_some()),
        }
    }
    let last = admin.quotes().get(id).await.expect("read");
    Ok((last.status, last.revision, last.invoice.is_some()))
}

#[test]
fn quote_lifecycles_stay_legal_and_agree_across_backends() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let envs: Vec<(Backend, Env)> = rt.block_on(async {
        let mut out = Vec::new();
        for b in [Backend::Memory, Backend::Sqlite, Backend::Postgres] {
            if let Some(e) = env(b).await {
                out.push((b, e));
            }
        }
        out
    });
    let users = rt.block_on(async {
        let mut out = Vec::new();
        for (_, e) in &envs {
            let org = e.org().await;
            let (customer, _, session) = e.signed_in(&org, "USD").await;
            out.push((org, customer, session));
        }
        out
    });
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(act(), 0..16), |acts| {
            let case = CASE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let results = rt.block_on(async {
                let mut results = Vec::new();
                for ((backend, e), (org, customer, session)) in envs.iter().zip(&users) {
                    results.push((*backend, run(e, org, customer, session, &acts, case).await?));
                }
                Ok::<_, TestCaseError>(results)
            })?;
            for pair in results.windows(2) {
                prop_assert_eq!(
                    pair[0].1,
                    pair[1].1,
                    "{:?} and {:?} disagree",
                    pair[0].0,
                    pair[1].0
                );
            }
            Ok(())
        })
        .expect("quote lifecycles hold");
}
