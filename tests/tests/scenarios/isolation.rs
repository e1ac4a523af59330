//! Tenancy: one store, many organizations and customers; nobody reaches anyone
//! else's records, whatever id they send.

use crate::common;

use common::{PASSWORD, World};
use portal_core::domain::{Permissions, PortalStatus};
use portal_core::prelude::*;
use proptest::prelude::*;

#[tokio::test]
async fn the_same_email_signs_in_to_each_portal_separately() {
    let w = World::new();
    let a = w.org("alpha").await;
    let b = w.org("beta").await;
    let (ca, pa) = w.customer(a.id, &[Some("ana@example.com")]).await;
    let (cb, pb) = w.customer(b.id, &[Some("ana@example.com")]).await;
    let in_a = w.activate(a.id, &ca, &pa[0]).await;
    // Beta's invitation is a different link with a different password.
    w.portal
        .org(b.id)
        .contacts()
        .enable_access(cb.id, &[pb[0].id])
        .await
        .expect("invite");
    let token = w.link_token("ana@example.com", "/beta/invitation/").await;
    let in_b = w
        .accept(&token, "beta has its own password")
        .await
        .expect("accept");
    assert_eq!(in_a.session.org_id(), a.id);
    assert_eq!(in_b.session.org_id(), b.id);
    assert_ne!(in_a.session.contact_id(), in_b.session.contact_id());
    let sa = w
        .portal
        .sign_in(
            "alpha",
            "ana@example.com",
            PASSWORD,
            &portal_core::auth::ClientKey::unknown(),
        )
        .await
        .expect("alpha");
    assert_eq!(
        (sa.session.org_id(), sa.session.customer_id()),
        (a.id, ca.id)
    );
    let sb = w
        .portal
        .sign_in(
            "beta",
            "ana@example.com",
            "beta has its own password",
            &portal_core::auth::ClientKey::unknown(),
        )
        .await
        .expect("beta");
    assert_eq!(
        (sb.session.org_id(), sb.session.customer_id()),
        (b.id, cb.id)
    );
    assert_eq!(
        w.sign_in_code("beta", "ana@example.com", PASSWORD).await,
        "invalid_credentials"
    );
    // Disabling in one portal leaves the other alone.
    w.portal
        .org(a.id)
        .contacts()
        .disable(pa[0].id)
        .await
        .expect("disable");
    assert!(w.portal.session(sa.token.expose()).await.is_err());
    w.portal
        .session(sb.token.expose())
        .await
        .expect("beta unaffected");
}

#[tokio::test]
async fn a_session_sees_only_its_own_customer() {
    let w = World::new();
    let a = w.org("alpha").await;
    let (c1, p1) = w
        .customer(a.id, &[Some("ana@example.com"), Some("bob@example.com")])
        .await;
    let (_c2, _p2) = w.customer(a.id, &[Some("eve@example.com")]).await;
    let s = w.activate(a.id, &c1, &p1[0]).await;
    let account = s.session.account().await.expect("account");
    let emails: Vec<_> = account
        .contacts
        .iter()
        .filter_map(|c| c.email.clone())
        .map(String::from)
        .collect();
    assert_eq!(
        emails,
        vec!["ana@example.com".to_owned(), "bob@example.com".to_owned()]
    );
}

#[tokio::test]
async fn org_side_calls_with_foreign_ids_answer_not_found_and_change_nothing() {
    let w = World::new();
    let a = w.org("alpha").await;
    let b = w.org("beta").await;
    let (ca, pa) = w.customer(a.id, &[Some("ana@example.com")]).await;
    let signed = w.activate(a.id, &ca, &pa[0]).await;
    let admin_b = w.portal.org(b.id);
    let role_b = admin_b
        .roles()
        .create("B role", Permissions::none())
        .await
        .expect("role");
    let codes = vec![
        admin_b
            .customers()
            .get(ca.id)
            .await
            .map(|_| ())
            .expect_err("customer")
            .code(),
        admin_b
            .contacts()
            .get(pa[0].id)
            .await
            .map(|_| ())
            .expect_err("contact")
            .code(),
        admin_b
            .contacts()
            .enable_access(ca.id, &[pa[0].id])
            .await
            .map(|_| ())
            .expect_err("enable")
            .code(),
        admin_b
            .contacts()
            .reinvite(pa[0].id)
            .await
            .map(|_| ())
            .expect_err("reinvite")
            .code(),
        admin_b
            .contacts()
            .disable(pa[0].id)
            .await
            .map(|_| ())
            .expect_err("disable")
            .code(),
        admin_b
            .customers()
            .disable(ca.id)
            .await
            .map(|_| ())
            .expect_err("disable all")
            .code(),
        admin_b
            .contacts()
            .delete(pa[0].id)
            .await
            .map(|_| ())
            .expect_err("delete contact")
            .code(),
        admin_b
            .customers()
            .delete(ca.id)
            .await
            .map(|_| ())
            .expect_err("delete customer")
            .code(),
        admin_b
            .roles()
            .assign(pa[0].id, Some(role_b.id))
            .await
            .map(|_| ())
            .expect_err("assign")
            .code(),
        admin_b
            .roles()
            .assign(pa[0].id, None)
            .await
            .map(|_| ())
            .expect_err("assign")
            .code(),
        admin_b
            .contacts()
            .add(ca.id, portal_core::domain::NewContact::new("X", "Y", None))
            .await
            .map(|_| ())
            .expect_err("add contact")
            .code(),
        w.portal
            .org(a.id)
            .roles()
            .assign(pa[0].id, Some(role_b.id))
            .await
            .map(|_| ())
            .expect_err("foreign role")
            .code(),
    ];
    assert!(codes.iter().all(|c| *c == "not_found"), "{codes:?}");
    assert!(
        admin_b
            .contacts()
            .list(ca.id)
            .await
            .expect("empty")
            .is_empty()
    );
    let contact = w
        .portal
        .org(a.id)
        .contacts()
        .get(pa[0].id)
        .await
        .expect("read");
    assert_eq!(contact.portal_status, PortalStatus::Active);
    assert!(contact.role.is_none());
    w.portal
        .session(signed.token.expose())
        .await
        .expect("untouched");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// For random shapes of orgs × customers, every org-side read with another
    /// organization's ids answers not found, and own ids are found.
    #[test]
    fn foreign_ids_are_never_found(shape in prop::collection::vec(1_usize..4, 2..4)) {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            let w = World::new();
            let mut all: Vec<(portal_core::domain::OrgId, CustomerId, ContactId)> = Vec::new();
            for (i, customers) in shape.iter().enumerate() {
                let org = w.org(&format!("org-{i}")).await;
                for j in 0..*customers {
                    let email = format!("p{j}@org{i}.example.com");
                    let (c, p) = w.customer(org.id, &[Some(email.as_str())]).await;
                    all.push((org.id, c.id, p[0].id));
                }
            }
            for (org, _, _) in &all {
                let admin = w.portal.org(*org);
                for (owner, customer, contact) in &all {
                    let found_customer = admin.customers().get(*customer).await.is_ok();
                    let found_contact = admin.contacts().get(*contact).await.is_ok();
                    let listed = !admin.contacts().list(*customer).await.expect("list").is_empty();
                    let own = owner == org;
                    assert_eq!((found_customer, found_contact, listed), (own, own, own));
                }
            }
        });
    }
}
