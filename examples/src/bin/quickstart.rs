//! A host app's first steps with the customer portal, on the in-memory store:
//! create an organization and a customer, invite the customer's contact, accept the
//! invitation, sign in, change the password, sign out.
//!
//! Run it with `cargo run --bin quickstart`. The store is picked at run time from
//! `PORTAL_DATABASE_URL`: unset, in memory; `sqlite://portal.db` or
//! `postgres://user@host/db`, that database (migrated first). Run it twice against
//! one SQLite file and the second run finds the first run's data.

use std::sync::Arc;

use anyhow::Context as _;
use portal_core::domain::{NewQuote, SignatureMark};
use portal_core::prelude::*;
use portal_core::service::SignatureInput;
use portal_memory::{MemoryStore, RecordingMailer, TestGateway, cards};

fn step(n: u32, text: &str) {
    println!("\n{n}. {text}");
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // A host picks its store at run time behind `Arc<dyn Backend>`.
    let store: Arc<dyn Backend> = match std::env::var("PORTAL_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            println!("Using the database at PORTAL_DATABASE_URL (migrations applied).");
            portal_sqlx::connect(&url).await?
        }
        _ => {
            println!(
                "Using the in-memory store (set PORTAL_DATABASE_URL=sqlite://portal.db to persist)."
            );
            Arc::new(MemoryStore::new())
        }
    };
    if let Ok(org) = store.org_by_slug(&PortalSlug::parse("acme-books")?).await {
        return second_run(store, org).await;
    }
    // The recording mailer keeps what it sends, so we can follow the links.
    let mailer = Arc::new(RecordingMailer::new());
    // A test gateway that behaves like a real one (test card numbers, idempotency).
    let gateway = Arc::new(TestGateway::new("card"));
    let portal = Portal::builder(store, mailer.clone())
        .with_gateway(gateway.clone())
        .with_config(PortalConfig::default().with_base_url("https://portal.example.com"))
        .build()?;

    step(
        1,
        "The host app creates an organization; its portal is on by default.",
    );
    let org = portal
        .create_org(NewOrganization {
            name: "Acme Books".into(),
            slug: PortalSlug::parse("acme-books")?,
        })
        .await?;
    let admin = portal.org(org.id);
    admin
        .update_settings(|s| s.banner = Some("Welcome to Acme's customer portal!".into()))
        .await?;
    println!("   portal: https://portal.example.com/{}", org.slug);

    step(
        2,
        "It creates a customer with a contact person who has an email.",
    );
    let email = Email::parse("ana.silva@example.com")?;
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Silva Lda", Currency::from_code("EUR")?),
            vec![NewContact::new("Ana", "Silva", Some(email.clone()))],
        )
        .await?;
    println!("   customer {} ({})", customer.display_name, customer.id);

    step(
        3,
        "It enables portal access for that contact: an invitation goes to the outbox.",
    );
    let invited = admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await?;
    println!(
        "   {} is now {:?}",
        invited[0].full_name(),
        invited[0].portal_status
    );
    let report = portal.dispatch_emails(100).await?;
    println!("   the dispatcher sent {} email(s)", report.sent);
    let link = mailer
        .last_link_to(email.as_str(), "/invitation/")
        .context("the invitation email has a link")?;
    println!("   invitation link: {}…", &link[..link.len() - 30]);

    step(4, "Ana follows the link and sets her password.");
    let token = link
        .rsplit('/')
        .next()
        .context("token at the end of the link")?;
    let first = portal
        .accept_invitation(
            token,
            AcceptInvitation {
                password: "tide pool sandals 42".into(),
                password_confirmation: "tide pool sandals 42".into(),
                preferences: None,
            },
        )
        .await?;
    println!(
        "   signed in; banner: {:?}",
        first.banner.as_deref().unwrap_or("")
    );
    match portal
        .accept_invitation(
            token,
            AcceptInvitation {
                password: "another pass phrase".into(),
                password_confirmation: "another pass phrase".into(),
                preferences: None,
            },
        )
        .await
    {
        Err(e) => println!("   the same link again is refused: [{}] {e}", e.code()),
        Ok(_) => anyhow::bail!("a used invitation link must not work twice"),
    }

    step(5, "Later she signs in with her email and password.");
    // Sign-in is throttled per (email, client): a web host passes the request's
    // network address (behind a proxy, the address the proxy saw).
    let client = portal_core::auth::ClientKey::from_ip(std::net::Ipv4Addr::LOCALHOST.into());
    let signed_in = portal
        .sign_in(
            "acme-books",
            "Ana.Silva@example.com",
            "tide pool sandals 42",
            &client,
        )
        .await?;
    let token = signed_in.token.expose().to_owned();
    let wrong = portal
        .sign_in(
            "acme-books",
            "ana.silva@example.com",
            "wrong password",
            &client,
        )
        .await;
    if let Err(e) = wrong {
        println!("   a wrong password says only: [{}] {e}", e.code());
    }

    step(
        6,
        "Each request resolves the session token into a scoped session.",
    );
    let session = portal.session(&token).await?;
    println!("   org:      {} ({})", session.org_name(), session.org_id());
    println!(
        "   customer: {} ({})",
        session.customer_name(),
        session.customer_id()
    );
    println!("   contact:  {} <{}>", session.contact_name(), email);
    println!("   role:     {}", session.role().name);
    println!(
        "   may pay invoices:      {:?}",
        session.can(Module::Invoices, Action::Pay)
    );
    println!(
        "   may view sales orders: {:?}",
        session.can(Module::SalesOrders, Action::View)
    );
    let account = session.account().await?;
    println!(
        "   account: {} contact(s), currency {}",
        account.contacts.len(),
        account.currency
    );

    step(
        7,
        "The org sends a quote; Ana opens it and accepts it with her signature.",
    );
    let quote = admin
        .quotes()
        .create(
            customer.id,
            NewQuote {
                number: "QT-2026-001".into(),
                lines: vec![LineItem::new(
                    "Annual accounts",
                    Decimal::ONE,
                    Decimal::new(90_000, 2),
                )],
                issue_date: time::macros::date!(2026 - 05 - 01),
                expiry_date: time::macros::date!(2099 - 12 - 31),
            },
        )
        .await?;
    admin.quotes().send(quote.id).await?;
    let seen = session.quotes().get(quote.id).await?;
    println!(
        "   quote {} for {} (content hash {}…)",
        seen.number,
        seen.total,
        &seen.content_hash()[..12]
    );
    let accepted = session
        .quotes()
        .accept(
            quote.id,
            &seen.content_hash(),
            Some(SignatureInput {
                signer_name: "Ana Silva".into(),
                mark: SignatureMark::Typed("Ana Silva".into()),
            }),
        )
        .await?;
    println!(
        "   {:?}, signed by {}; the signature matches the content: {}",
        accepted.status,
        accepted
            .signature
            .as_ref()
            .map_or("", |s| s.signer_name.as_str()),
        accepted.signature_matches()
    );

    step(
        8,
        "The org sends an invoice; Ana sees it on her dashboard and pays it by card.",
    );
    let draft = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "INV-2026-001".into(),
                lines: vec![
                    LineItem::new("Bookkeeping, May", Decimal::ONE, Decimal::new(45_000, 2)),
                    LineItem {
                        description: "Payroll runs".into(),
                        quantity: Decimal::from(3),
                        rate: Decimal::new(2_500, 2),
                        discount_percent: Decimal::from(10),
                        tax_percent: Decimal::from(23),
                    },
                ],
                issue_date: time::macros::date!(2026 - 05 - 01),
                due_date: time::macros::date!(2026 - 05 - 31),
                allow_partial_payments: false,
                payment_gateways: vec!["card".into()],
            },
        )
        .await?;
    let invoice = admin.invoices().send(draft.id).await?;
    println!("   invoice {} for {}", invoice.number, invoice.total);
    let before = session.dashboard().await?;
    println!(
        "   dashboard before: outstanding {}",
        before.outstanding_invoices
    );
    let request = || PayRequest {
        invoices: InvoiceSelection::Chosen(vec![invoice.id]),
        amount: None,
        source: PaySource::Card(Box::new(CardDetails {
            number: cards::VISA_OK.into(),
            cvv: "123".into(),
            exp_month: 12,
            exp_year: 2030,
            holder: "Ana Silva".into(),
            billing_address: portal_core::domain::Address::default(),
            country: "PT".into(),
        })),
        // The browser generates one key per payment form and resends it on retry.
        idempotency_key: "quickstart-payment-0001".into(),
    };
    let declined = session
        .invoices()
        .pay(PayRequest {
            idempotency_key: "quickstart-payment-0002".into(),
            source: PaySource::Card(Box::new(CardDetails {
                number: cards::FRAUD.into(),
                cvv: "123".into(),
                exp_month: 12,
                exp_year: 2030,
                holder: "Ana Silva".into(),
                billing_address: portal_core::domain::Address::default(),
                country: "PT".into(),
            })),
            ..request()
        })
        .await;
    if let Err(e) = declined {
        println!(
            "   (a card the fraud filters block would say: [{}] {e})",
            e.code()
        );
    }
    let payment = session.invoices().pay(request()).await?;
    println!(
        "   paid {} ({:?}); receipt {}",
        payment.amount, payment.method, payment.receipt_number
    );
    let retry = session.invoices().pay(request()).await?;
    println!(
        "   a double click answers with the same receipt {} and charges nothing: {} charge(s) at the gateway",
        retry.receipt_number,
        gateway.charge_count()
    );
    let after = session.dashboard().await?;
    println!(
        "   dashboard after: outstanding {}, last payment {:?}",
        after.outstanding_invoices,
        after.last_payment.map(|(m, _)| m.to_string())
    );

    step(
        9,
        "She changes her password; her other sessions end, this one stays.",
    );
    session
        .profile()
        .change_password(
            "tide pool sandals 42",
            "lighthouse keeper 1893",
            "lighthouse keeper 1893",
        )
        .await?;
    let other_session = portal.session(first.token.expose()).await;
    println!(
        "   the session from the invitation: {}",
        other_session.map_or_else(
            |e| format!("refused [{}]", e.code()),
            |_| "still valid".into()
        )
    );
    println!(
        "   this session: {}",
        if portal.session(&token).await.is_ok() {
            "still valid"
        } else {
            "ended"
        }
    );

    step(10, "She signs out; the old token is refused from now on.");
    portal.session(&token).await?.sign_out().await?;
    match portal.session(&token).await {
        Err(e) => println!("   refused: [{}] {e}", e.code()),
        Ok(_) => anyhow::bail!("a signed-out session must not resolve"),
    }

    println!("\nDone.");
    Ok(())
}

/// The database already holds the first run's organization: show that it persisted
/// by signing in with the password the first run ended with.
async fn second_run(
    store: Arc<dyn Backend>,
    org: portal_core::domain::Organization,
) -> anyhow::Result<()> {
    let portal = Portal::builder(store, Arc::new(RecordingMailer::new())).build()?;
    step(1, "The organization from an earlier run is still there.");
    println!(
        "   {} (created {}, version {})",
        org.name, org.created_at, org.version
    );
    step(2, "Ana signs in with the password she chose last time.");
    let client = portal_core::auth::ClientKey::from_ip(std::net::Ipv4Addr::LOCALHOST.into());
    let signed_in = portal
        .sign_in(
            "acme-books",
            "ana.silva@example.com",
            "lighthouse keeper 1893",
            &client,
        )
        .await?;
    let account = signed_in.session.account().await?;
    println!(
        "   signed in as {} of {} ({} contact(s), currency {})",
        signed_in.session.contact_name(),
        account.customer_name,
        account.contacts.len(),
        account.currency
    );
    signed_in.session.sign_out().await?;
    println!("\nDone: the data persisted.");
    Ok(())
}
