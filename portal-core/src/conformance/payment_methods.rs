//! Saved payment methods, scoped to their customer.

use super::fixtures::customer_in;
use super::fixtures::{org, t0, usd};
use crate::{domain::PaymentMethod, store::Store, store::StoreError};

/// Saved payment methods read back exactly, belong to one customer, update by
/// version and delete.
pub async fn saved_payment_methods_are_scoped(store: &dyn Store) {
    let org = org(store).await;
    let customer = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let method = crate::domain::SavedPaymentMethod {
        id: crate::domain::SavedMethodId::new(),
        org: org.id,
        customer: customer.id,
        gateway: "test".into(),
        token: "pm_test_abc".into(),
        method: PaymentMethod::Card {
            brand: "visa".into(),
            last4: "4242".into(),
        },
        exp_month: Some(12),
        exp_year: Some(2030),
        billing_address: crate::domain::Address {
            city: "Lisbon".into(),
            ..crate::domain::Address::default()
        },
        created_at: t0(),
        version: 1,
    };
    store.save_payment_method(&method).await.expect("save");
    assert_eq!(
        store
            .payment_methods(org.id, customer.id)
            .await
            .expect("list"),
        vec![method.clone()]
    );
    assert!(
        store
            .payment_methods(org.id, stranger.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(matches!(
        store.payment_method(org.id, stranger.id, method.id).await,
        Err(StoreError::NotFound(_))
    ));
    let mut edit = method.clone();
    edit.exp_year = Some(2031);
    edit.token = "ignored".into();
    let saved = store.update_payment_method(&edit).await.expect("update");
    assert_eq!(saved.exp_year, Some(2031));
    assert_eq!(saved.token, "pm_test_abc", "only expiry and address change");
    assert!(matches!(
        store.update_payment_method(&edit).await,
        Err(StoreError::ConcurrentModification(_))
    ));
    assert!(matches!(
        store
            .delete_payment_method(org.id, stranger.id, method.id)
            .await,
        Err(StoreError::NotFound(_))
    ));
    store
        .delete_payment_method(org.id, customer.id, method.id)
        .await
        .expect("delete");
    assert!(
        store
            .payment_methods(org.id, customer.id)
            .await
            .expect("list")
            .is_empty()
    );
}
