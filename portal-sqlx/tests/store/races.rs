//! Races between two app instances: two separate pools on one database, driven
//! through the services as two processes would.

use crate::common;

use std::sync::Arc;

use portal_core::domain::{
    Currency, Email, InvitationTemplate, NewContact, NewCustomer, NewOrganization, Organization,
    PortalSlug,
};
use portal_core::service::AcceptInvitation;
use portal_core::store::StoreError;
use portal_core::{Backend, Error, Portal};
use portal_memory::RecordingMailer;

struct Instances {
    a: Portal,
    b: Portal,
    store_a: Arc<dyn Backend>,
    mailer: Arc<RecordingMailer>,
}

fn instances(store_a: Arc<dyn Backend>, store_b: Arc<dyn Backend>) -> Instances {
    let mailer = Arc::new(RecordingMailer::new());
    let a = Portal::builder(store_a.clone(), mailer.clone())
        .build()
        .expect("portal a");
    let b = Portal::builder(store_b, mailer.clone())
        .build()
        .expect("portal b");
    Instances {
        a,
        b,
        store_a,
        mailer,
    }
}

fn slug(prefix: &str) -> PortalSlug {
    let t = uuid::Uuid::now_v7().simple().to_string();
    PortalSlug::parse(&format!("{prefix}-{}", &t[t.len() - 10..])).expect("slug")
}

async fn org(p: &Portal) -> Organization {
    p.create_org(NewOrganization {
        name: "Race".into(),
        slug: slug("race"),
    })
    .await
    .expect("org")
}

fn accept(password: &str) -> AcceptInvitation {
    AcceptInvitation {
        password: password.into(),
        password_confirmation: password.into(),
        preferences: None,
    }
}

async fn one_invitation_redeemed_twice(i: &Instances) {
    let org = org(&i.a).await;
    let email = format!("{}@race.example.com", slug("ana"));
    let (customer, contacts) =
        i.a.org(org.id)
            .customers()
            .create(
                NewCustomer::new("C", Currency::from_code("USD").expect("usd")),
                vec![NewContact::new(
                    "Ana",
                    "",
                    Some(Email::parse(&email).expect("email")),
                )],
            )
            .await
            .expect("customer");
    i.a.org(org.id)
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    i.a.dispatch_emails(100).await.expect("dispatch");
    let link = i.mailer.last_link_to(&email, "/invitation/").expect("link");
    let token = link.rsplit('/').next().expect("token").to_owned();
    let (ra, rb) = tokio::join!(
        i.a.accept_invitation(&token, accept("first instance passphrase")),
        i.b.accept_invitation(&token, accept("second instance passphrase")),
    );
    let wins = [ra.is_ok(), rb.is_ok()];
    assert_eq!(
        wins.iter().filter(|w| **w).count(),
        1,
        "exactly one redemption wins"
    );
    for r in [ra, rb] {
        if let Err(e) = r {
            assert_eq!(e.code(), "invalid_link", "{e}");
        }
    }
    // The winner's password is the one stored.
    let winner = if wins[0] {
        "first instance passphrase"
    } else {
        "second instance passphrase"
    };
    i.b.sign_in(
        org.slug.as_str(),
        &email,
        winner,
        &portal_core::auth::ClientKey::unknown(),
    )
    .await
    .expect("winner signs in");
}

async fn concurrent_updates_lose_nothing(i: &Instances) {
    let org = org(&i.a).await;
    // Through the services: both changes land (the loser retries from a fresh read).
    let mut tasks = Vec::new();
    for n in 0..8 {
        let p = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        let id = org.id;
        tasks.push(tokio::spawn(async move {
            p.org(id)
                .update_settings(|s| {
                    s.contact_details.address.push_str(&format!("[{n}]"));
                })
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            // Retries are bounded; a change that gave up says so and wrote nothing.
            Err(Error::Busy) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    let saved = i.a.org(org.id).organization().await.expect("read");
    let marks = saved.settings.contact_details.address.matches('[').count();
    assert_eq!(marks, ok, "every successful update is in the final record");
    assert_eq!(
        saved.version,
        org.version + i64::try_from(ok).expect("small")
    );

    // At the store: two writers from the same read, exactly one wins.
    let fresh = i.store_a.org(org.id).await.expect("read");
    let mut x = fresh.clone();
    x.name = "X".into();
    let mut y = fresh.clone();
    y.settings.invitation_template =
        InvitationTemplate::new("Y {org_name}", "{invitation_link}").expect("template");
    let (rx, ry) = tokio::join!(i.a.store().update_org(&x), i.b.store().update_org(&y));
    assert_eq!(rx.is_ok() as u8 + ry.is_ok() as u8, 1);
    for r in [rx, ry] {
        if let Err(e) = r {
            assert!(matches!(e, StoreError::ConcurrentModification(_)), "{e}");
        }
    }
}

async fn a_slug_claimed_twice(i: &Instances) {
    let wanted = slug("claim");
    let (ra, rb) = tokio::join!(
        i.a.create_org(NewOrganization {
            name: "A".into(),
            slug: wanted.clone()
        }),
        i.b.create_org(NewOrganization {
            name: "B".into(),
            slug: wanted.clone()
        }),
    );
    assert_eq!(
        ra.is_ok() as u8 + rb.is_ok() as u8,
        1,
        "one organization gets the slug"
    );
    for r in [ra, rb] {
        if let Err(e) = r {
            assert_eq!(e.code(), "slug_taken", "{e}");
        }
    }
    // Renaming two organizations to one new slug at once: one conflict.
    let (one, two) = (org(&i.a).await, org(&i.b).await);
    let target = slug("rename");
    let (ra, rb) = tokio::join!(
        i.a.org(one.id).change_slug(target.as_str()),
        i.b.org(two.id).change_slug(target.as_str()),
    );
    assert_eq!(ra.is_ok() as u8 + rb.is_ok() as u8, 1);
}

async fn the_user_cap_holds_under_concurrent_invitations(i: &Instances) {
    let org = org(&i.a).await;
    i.a.org(org.id).set_portal_user_cap(3).await.expect("cap");
    let mut customers = Vec::new();
    for n in 0..6 {
        let email = format!("{}-{n}@cap.example.com", slug("p"));
        customers.push(
            i.a.org(org.id)
                .customers()
                .create(
                    NewCustomer::new("C", Currency::from_code("USD").expect("usd")),
                    vec![NewContact::new(
                        "P",
                        "",
                        Some(Email::parse(&email).expect("email")),
                    )],
                )
                .await
                .expect("customer"),
        );
    }
    let mut tasks = Vec::new();
    for (n, (customer, contacts)) in customers.into_iter().enumerate() {
        let p = if n % 2 == 0 { i.a.clone() } else { i.b.clone() };
        tasks.push(tokio::spawn(async move {
            p.org(customer.org)
                .contacts()
                .enable_access(customer.id, &[contacts[0].id])
                .await
        }));
    }
    let mut invited = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => invited += 1,
            Err(e) => assert!(
                matches!(e.code(), "portal_user_cap_reached" | "busy"),
                "{e}"
            ),
        }
    }
    assert_eq!(invited, 3, "the cap admits exactly three");
    assert_eq!(
        i.store_a.count_portal_users(org.id).await.expect("count"),
        3
    );
}

macro_rules! race_tests {
    ($module:ident, $pair:path) => {
        mod $module {
            use super::*;

            async fn run<F, Fut>(scenario: F)
            where
                F: FnOnce(Instances) -> Fut,
                Fut: std::future::Future<Output = ()>,
            {
                let Some((a, b, file)) = $pair().await else {
                    return;
                };
                scenario(instances(a, b)).await;
                common::remove_sqlite(file);
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn one_invitation_redeemed_twice() {
                run(|i| async move { super::one_invitation_redeemed_twice(&i).await }).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn concurrent_updates_lose_nothing() {
                run(|i| async move { super::concurrent_updates_lose_nothing(&i).await }).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn a_slug_claimed_twice() {
                run(|i| async move { super::a_slug_claimed_twice(&i).await }).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn the_user_cap_holds_under_concurrent_invitations() {
                run(|i| async move { super::the_user_cap_holds_under_concurrent_invitations(&i).await })
                    .await;
            }
        }
    };
}

race_tests!(postgres, common::postgres_pair);
race_tests!(sqlite, common::sqlite_pair);
