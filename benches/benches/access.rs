//! Measures the access paths a portal serves on every request, on the in-memory
//! store, with the store holding many other organizations (the cost must not grow
//! with them).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use portal_core::prelude::*;
use portal_memory::{MemoryStore, RecordingMailer};

struct World {
    portal: Portal,
    session_token: String,
}

async fn world(other_orgs: usize) -> World {
    let store: Arc<dyn Backend> = Arc::new(MemoryStore::new());
    let mailer = Arc::new(RecordingMailer::new());
    let portal = Portal::builder(store, mailer.clone())
        .build()
        .expect("portal");
    let usd = Currency::from_code("USD").expect("usd");
    for i in 0..=other_orgs {
        let org = portal
            .create_org(NewOrganization {
                name: format!("Org {i}"),
                slug: PortalSlug::parse(&format!("org-{i}")).expect("slug"),
            })
            .await
            .expect("org");
        let admin = portal.org(org.id);
        for c in 0..5 {
            let email = Email::parse(&format!("c{c}@org{i}.example.com")).expect("email");
            admin
                .customers()
                .create(
                    NewCustomer::new(format!("Customer {c}"), usd),
                    vec![NewContact::new("Pat", "Doe", Some(email))],
                )
                .await
                .expect("customer");
        }
    }
    let org = portal
        .create_org(NewOrganization {
            name: "Measured".into(),
            slug: PortalSlug::parse("measured").expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    let email = Email::parse("ana@measured.example.com").expect("email");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Silva", usd),
            vec![NewContact::new("Ana", "Silva", Some(email.clone()))],
        )
        .await
        .expect("customer");
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    portal.dispatch_emails(10).await.expect("dispatch");
    let link = mailer
        .last_link_to(email.as_str(), "/invitation/")
        .expect("link");
    let token = link.rsplit('/').next().expect("token").to_owned();
    let signed_in = portal
        .accept_invitation(
            &token,
            AcceptInvitation {
                password: "a long enough passphrase".into(),
                password_confirmation: "a long enough passphrase".into(),
                preferences: None,
            },
        )
        .await
        .expect("accept");
    World {
        portal,
        session_token: signed_in.token.expose().to_owned(),
    }
}

fn session_resolution(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("resolve_session");
    for other_orgs in [10_usize, 1_000] {
        let w = rt.block_on(world(other_orgs));
        group.bench_with_input(BenchmarkId::from_parameter(other_orgs), &w, |b, w| {
            b.to_async(&rt).iter(|| async {
                black_box(w.portal.session(&w.session_token).await.expect("session"));
            });
        });
    }
    group.finish();
}

fn sign_in(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let w = rt.block_on(world(10));
    let mut group = c.benchmark_group("sign_in");
    group.sample_size(10);
    group.bench_function("argon2id_owasp_minimum", |b| {
        b.to_async(&rt).iter(|| async {
            black_box(
                w.portal
                    .sign_in(
                        "measured",
                        "ana@measured.example.com",
                        "a long enough passphrase",
                        &portal_core::auth::ClientKey::unknown(),
                    )
                    .await
                    .expect("sign in"),
            );
        });
    });
    group.finish();
}

criterion_group!(benches, session_resolution, sign_in);
criterion_main!(benches);
