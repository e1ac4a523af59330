//! Saved payment methods through the services, on every backend (I5), and card
//! numbers that never reach the store.
use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use common::paying::{card, pay, without_random_ids};
use portal_core::domain::PaymentMethod;
use portal_core::prelude::*;
use portal_memory::cards;

async fn card_numbers_are_never_stored(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let inv = env.invoice("PCI-1", 1_000).sent_to(&org, &customer).await;
    let payment = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            card(cards::VISA_OK),
            "pci-check-1",
        ))
        .await
        .expect("paid");
    let attempt = env
        .store
        .payment_attempt(org.id, "pci-check-1")
        .await
        .expect("attempt");
    for text in [
        format!("{payment:?}"),
        format!("{attempt:?}"),
        attempt.fingerprint.clone(),
        format!(
            "{:?}",
            env.store.pending_emails(org.id, 100).await.expect("emails")
        ),
        format!(
            "{:?}",
            env.store
                .sign_in_failures(
                    org.id,
                    &portal_core::domain::Email::parse("x@y.io").expect("e"),
                    env.clock_now()
                )
                .await
        ),
    ] {
        assert!(
            !text.contains(cards::VISA_OK) && !text.contains("4242 4242"),
            "{text}"
        );
        assert!(!without_random_ids(&text).contains("314"), "no CVV: {text}");
    }
}

async fn saved_methods_are_listed_edited_used_and_removed(env: Env) {
    let org = env.org().await;
    let (customer, _, session) = env.signed_in(&org, "USD").await;
    let (_, _, other) = env.signed_in(&org, "USD").await;
    let saved = session
        .payment_methods()
        .save("test", card(cards::MASTERCARD_OK))
        .await
        .expect("save");
    assert_eq!(
        saved.method,
        PaymentMethod::Card {
            brand: "mastercard".into(),
            last4: "4444".into()
        }
    );
    assert_eq!((saved.exp_month, saved.exp_year), (Some(12), Some(2030)));
    assert!(
        !format!("{saved:?}").contains(&saved.token),
        "Debug hides the token"
    );
    assert_eq!(
        session.payment_methods().list().await.expect("list"),
        vec![saved.clone()]
    );
    assert!(
        other
            .payment_methods()
            .list()
            .await
            .expect("list")
            .is_empty()
    );
    // Declined cards are not saved.
    assert_eq!(
        session
            .payment_methods()
            .save("test", card(cards::DECLINED))
            .await
            .expect_err("declined")
            .code(),
        "card_declined"
    );
    // Edit expiry and billing address; the past is refused.
    let address = portal_core::domain::Address {
        street1: "Rua Augusta 1".into(),
        city: "Lisboa".into(),
        country: "PT".into(),
        ..portal_core::domain::Address::default()
    };
    assert_eq!(
        session
            .payment_methods()
            .update(saved.id, 1, 2020, address.clone())
            .await
            .expect_err("past")
            .code(),
        "invalid_expiry"
    );
    assert_eq!(
        session
            .payment_methods()
            .update(saved.id, 13, 2031, address.clone())
            .await
            .expect_err("month")
            .code(),
        "invalid_expiry"
    );
    let edited = session
        .payment_methods()
        .update(saved.id, 6, 2032, address.clone())
        .await
        .expect("edit");
    assert_eq!((edited.exp_month, edited.exp_year), (Some(6), Some(2032)));
    assert_eq!(edited.billing_address, address);
    // Pay with it.
    let inv = env.invoice("SAVED-1", 4_200).sent_to(&org, &customer).await;
    let payment = session
        .invoices()
        .pay(pay(
            InvoiceSelection::Chosen(vec![inv.id]),
            PaySource::Saved(saved.id),
            "saved-pay-1",
        ))
        .await
        .expect("paid with saved card");
    assert_eq!(payment.method, saved.method);
    // Nobody else can use, see, edit or remove it.
    let inv2 = env.invoice("SAVED-2", 1_000).sent_to(&org, &customer).await;
    let _ = inv2;
    assert_eq!(
        other
            .payment_methods()
            .update(saved.id, 6, 2033, address.clone())
            .await
            .expect_err("foreign")
            .code(),
        "not_found"
    );
    assert_eq!(
        other
            .payment_methods()
            .remove(saved.id)
            .await
            .expect_err("foreign")
            .code(),
        "not_found"
    );
    session
        .payment_methods()
        .remove(saved.id)
        .await
        .expect("remove");
    assert!(
        session
            .payment_methods()
            .list()
            .await
            .expect("list")
            .is_empty()
    );
    let inv3 = env.invoice("SAVED-3", 1_000).sent_to(&org, &customer).await;
    assert_eq!(
        session
            .invoices()
            .pay(pay(
                InvoiceSelection::Chosen(vec![inv3.id]),
                PaySource::Saved(saved.id),
                "saved-pay-2"
            ))
            .await
            .expect_err("removed")
            .code(),
        "not_found"
    );
}

on_all_backends!(
    card_numbers_are_never_stored,
    saved_methods_are_listed_edited_used_and_removed,
);
