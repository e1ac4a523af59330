//! Reviews, scoped to the customer.

use super::fixtures::customer_in;
use super::fixtures::{org, t0, usd};
use crate::{store::Store, store::StoreError};
use time::Duration;

/// Reviews belong to a customer and one of its contacts; newest first.
pub async fn reviews_are_scoped(store: &dyn Store) {
    let org = org(store).await;
    let c = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let person = crate::domain::ContactPerson::create(
        org.id,
        c.id,
        crate::domain::NewContact::new("Ana", "", None),
        t0(),
    );
    store.create_contact(&person).await.expect("contact");
    let review = |body: &str, minutes| crate::domain::Review {
        id: crate::domain::ReviewId::new(),
        org: org.id,
        customer: c.id,
        contact: person.id,
        body: body.into(),
        created_at: t0() + Duration::minutes(minutes),
    };
    let first = review("Quick and friendly.", 1);
    let second = review("<b>Still</b> great & \"cheap\"", 2);
    let by = |r: &crate::domain::Review| {
        super::fixtures::notice_of(&person, crate::domain::ActivitySubject::Review(r.id), None)
    };
    store.add_review(&first, &by(&first)).await.expect("review");
    store
        .add_review(&second, &by(&second))
        .await
        .expect("review");
    assert_eq!(
        super::fixtures::activity_ids(store, org.id, c.id)
            .await
            .len(),
        2
    );
    assert_eq!(
        store.customer_reviews(org.id, c.id).await.expect("list"),
        vec![second, first.clone()]
    );
    assert!(
        store
            .customer_reviews(org.id, stranger.id)
            .await
            .expect("list")
            .is_empty()
    );
    let mut foreign = review("not mine", 3);
    foreign.customer = stranger.id;
    assert!(matches!(
        store.add_review(&foreign, &by(&foreign)).await,
        Err(StoreError::NotFound(_))
    ));
    let other = super::fixtures::org(store).await;
    assert!(
        store
            .customer_reviews(other.id, c.id)
            .await
            .expect("list")
            .is_empty()
    );
    let _ = first;
}
