//! Document links through the services, on every backend: one document, the
//! chosen actions only, every use in the activity feed; expiry, revocation, a
//! voided document and a disabled contact stop them; a revocation during a
//! payment through the link never leaves a charge unrecorded.
use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use common::paying::card;
use portal_core::domain::{DocumentRef, LinkActions, NewQuote, PageRequest, SignatureMark};
use portal_core::service::SignatureInput;
use portal_memory::cards;

const ALL: LinkActions = LinkActions {
    download: true,
    pay: true,
    decide: false,
};

/// The secret of the last link emailed to `to`.
fn emailed_token(env: &Env, to: &str) -> String {
    let link = env
        .mailer
        .last_link_to(to, "/d/")
        .expect("a link in the email");
    link.rsplit('/').next().expect("token").to_owned()
}

async fn a_link_opens_one_document_with_its_actions_and_uses_are_recorded(env: Env) {
    let org = env.org().await;
    let (customer, contact, _session) = env.signed_in(&org, "USD").await;
    let invoice = env.invoice("INV-L1", 25_000).sent_to(&org, &customer).await;
    let admin = env.portal.org(org.id);
    let (link, secret) = admin
        .links()
        .send(DocumentRef::Invoice(invoice.id), contact.id, ALL)
        .await
        .expect("send");
    assert_eq!(link.token_hash, secret.hash(), "only the hash is kept");
    env.portal.dispatch_emails(100).await.expect("dispatch");
    let to = contact.email.clone().expect("email");
    let token = emailed_token(&env, to.as_str());
    assert_eq!(token, secret.expose());
    let access = env.portal.open_link(&token).await.expect("open");
    let doc = access.view().await.expect("view");
    assert_eq!(doc.title, "Invoice INV-L1");
    access.download().await.expect("download");
    assert_eq!(
        access
            .accept(
                "hash",
                SignatureInput {
                    signer_name: "X".into(),
                    mark: SignatureMark::Typed("X".into())
                }
            )
            .await
            .map(|_| ())
            .expect_err("not a quote")
            .code(),
        "link_action_not_allowed"
    );
    let paid = access
        .pay(card(cards::VISA_OK), None, "link-pay-key-1".into())
        .await
        .expect("pay");
    let again = access
        .pay(card(cards::VISA_OK), None, "link-pay-key-1".into())
        .await
        .expect("the same key");
    assert_eq!(paid.id, again.id, "idempotent like Pay Now");
    assert_eq!(env.gateway.charge_count(), 1);
    let feed = admin
        .activity(customer.id, &PageRequest::first(50))
        .await
        .expect("feed");
    let summaries: Vec<&str> = feed.items.iter().map(|a| a.summary.as_str()).collect();
    for what in [
        "opened Invoice INV-L1 through a document link",
        "downloaded Invoice INV-L1",
        "paid 250.00 USD",
    ] {
        assert!(
            summaries.iter().any(|s| s.contains(what)),
            "{what} in {summaries:?}"
        );
    }
    // A quote through a link: accepted as shown.
    let draft = admin
        .quotes()
        .create(
            customer.id,
            NewQuote {
                number: "QT-L1".into(),
                lines: vec![portal_core::domain::LineItem::new(
                    "Work",
                    portal_core::Decimal::ONE,
                    portal_core::Decimal::new(10_000, 2),
                )],
                issue_date: env.portal.today(),
                expiry_date: env.portal.today() + portal_core::Duration::days(10),
            },
        )
        .await
        .expect("quote");
    let quote = admin.quotes().send(draft.id).await.expect("send");
    let decide = LinkActions {
        download: false,
        pay: false,
        decide: true,
    };
    let (_, secret) = admin
        .links()
        .send(DocumentRef::Quote(quote.id), contact.id, decide)
        .await
        .expect("send");
    let access = env.portal.open_link(secret.expose()).await.expect("open");
    assert_eq!(
        access
            .download()
            .await
            .map(|_| ())
            .expect_err("no download")
            .code(),
        "link_action_not_allowed"
    );
    let shown = access.quote().await.expect("quote");
    let accepted = access
        .accept(
            &shown.content_hash(),
            SignatureInput {
                signer_name: "Pat".into(),
                mark: SignatureMark::Typed("Pat".into()),
            },
        )
        .await
        .expect("accept");
    assert_eq!(accepted.status.as_str(), "accepted");
    // Actions a document does not have are refused when the link is made.
    assert_eq!(
        admin
            .links()
            .send(DocumentRef::Quote(quote.id), contact.id, ALL)
            .await
            .map(|_| ())
            .expect_err("no paying a quote")
            .code(),
        "link_action_not_allowed"
    );
}

async fn links_expire_are_revoked_and_stop_with_the_document_or_the_contact(env: Env) {
    let org = env.org().await;
    let other = env.org().await;
    let (customer, contact, _session) = env.signed_in(&org, "USD").await;
    let admin = env.portal.org(org.id);
    let open = |token: String| {
        let portal = env.portal.clone();
        async move {
            portal
                .open_link(&token)
                .await
                .map(|_| ())
                .expect_err("stopped")
                .code()
        }
    };
    // Expiry: the organization's 30 days by default.
    let a = env.invoice("INV-E1", 1_000).sent_to(&org, &customer).await;
    let (_, expiring) = admin
        .links()
        .send(DocumentRef::Invoice(a.id), contact.id, ALL)
        .await
        .expect("send");
    env.clock.advance(portal_core::Duration::days(29));
    env.portal
        .open_link(expiring.expose())
        .await
        .expect("still open on day 29");
    env.clock.advance(portal_core::Duration::days(2));
    assert_eq!(open(expiring.expose().into()).await, "link_expired");
    // Revoked, by its organization only.
    let b = env.invoice("INV-E2", 1_000).sent_to(&org, &customer).await;
    let (link, revoked) = admin
        .links()
        .send(DocumentRef::Invoice(b.id), contact.id, ALL)
        .await
        .expect("send");
    assert_eq!(
        env.portal
            .org(other.id)
            .links()
            .revoke(link.id)
            .await
            .map(|_| ())
            .expect_err("not theirs")
            .code(),
        "not_found"
    );
    admin.links().revoke(link.id).await.expect("revoke");
    assert_eq!(open(revoked.expose().into()).await, "link_revoked");
    // The document voided.
    let c = env.invoice("INV-E3", 1_000).sent_to(&org, &customer).await;
    let (_, voided) = admin
        .links()
        .send(DocumentRef::Invoice(c.id), contact.id, ALL)
        .await
        .expect("send");
    admin.invoices().void(c.id).await.expect("void");
    assert_eq!(open(voided.expose().into()).await, "link_revoked");
    // The contact disabled.
    let d = env.invoice("INV-E4", 1_000).sent_to(&org, &customer).await;
    let (_, disabled) = admin
        .links()
        .send(DocumentRef::Invoice(d.id), contact.id, ALL)
        .await
        .expect("send");
    admin.contacts().disable(contact.id).await.expect("disable");
    assert_eq!(open(disabled.expose().into()).await, "link_revoked");
    // A made-up link.
    assert_eq!(open("not-a-link".into()).await, "not_found");
    // Another organization cannot link this customer's document.
    assert_eq!(
        env.portal
            .org(other.id)
            .links()
            .send(DocumentRef::Invoice(d.id), contact.id, ALL)
            .await
            .map(|_| ())
            .expect_err("not theirs")
            .code(),
        "not_found"
    );
    assert_eq!(
        admin.links().list(customer.id).await.expect("list").len(),
        4
    );
}

async fn a_link_revoked_while_a_payment_through_it_is_in_flight(env: Env) {
    let org = env.org().await;
    let (customer, contact, session) = env.signed_in(&org, "USD").await;
    let admin = env.portal.org(org.id);
    for round in 0..8 {
        let invoice = env
            .invoice(&format!("INV-R{round}"), 3_000)
            .sent_to(&org, &customer)
            .await;
        let (link, secret) = admin
            .links()
            .send(DocumentRef::Invoice(invoice.id), contact.id, ALL)
            .await
            .expect("send");
        let access = env.portal.open_link(secret.expose()).await.expect("open");
        let (paid, revoked) = tokio::join!(
            access.pay(card(cards::VISA_OK), None, format!("race-key-{round}")),
            admin.links().revoke(link.id)
        );
        revoked.expect("revoke");
        if let Err(e) = &paid {
            assert_eq!(e.code(), "link_revoked", "round {round}: {e}");
        }
        // After the revocation, nothing more goes through the link.
        let late = access
            .pay(card(cards::VISA_OK), None, format!("race-late-{round}"))
            .await;
        assert_eq!(
            late.map(|_| ()).expect_err("revoked").code(),
            "link_revoked"
        );
    }
    // Every charge is a recorded payment, and nothing was charged twice.
    let payments = session
        .payments()
        .list(None, 100)
        .await
        .expect("payments")
        .items
        .len();
    assert_eq!(env.gateway.charge_count(), payments);
}

on_all_backends!(
    a_link_opens_one_document_with_its_actions_and_uses_are_recorded,
    links_expire_are_revoked_and_stop_with_the_document_or_the_contact,
    a_link_revoked_while_a_payment_through_it_is_in_flight
);
