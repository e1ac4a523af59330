//! Comments on documents, scoped to the customer and filtered for the portal.

use super::fixtures::customer_in;
use super::fixtures::sent_quote;
use super::fixtures::{org, t0, usd};
use crate::{
    domain::Comment, domain::CommentAuthor, domain::CommentId, domain::CommentTarget, store::Store,
    store::StoreError,
};
use time::Duration;
use time::macros::date;

/// Comments belong to a customer's document; the portal sees only visible ones.
pub async fn comments_are_scoped_and_filtered(store: &dyn Store) {
    let org = org(store).await;
    let c = customer_in(store, &org, usd()).await;
    let stranger = customer_in(store, &org, usd()).await;
    let q = sent_quote(
        store,
        &c,
        "C-1",
        2_000,
        date!(2026 - 03 - 01),
        date!(2026 - 03 - 31),
    )
    .await;
    let target = CommentTarget::Document(crate::domain::DocumentRef::Quote(q.id));
    let comment = |author, body: &str, visible, minutes| Comment {
        id: CommentId::new(),
        org: org.id,
        customer: c.id,
        target,
        author,
        body: body.into(),
        show_in_portal: visible,
        created_at: t0() + Duration::minutes(minutes),
    };
    let person = crate::domain::ContactPerson::create(
        org.id,
        c.id,
        crate::domain::NewContact::new("Ana", "", None),
        t0(),
    );
    store.create_contact(&person).await.expect("contact");
    let contact = person.id;
    let all = vec![
        comment(
            CommentAuthor::Contact(contact),
            "Can you do it for less?",
            true,
            1,
        ),
        comment(CommentAuthor::Org, "internal: margin is thin", false, 2),
        comment(CommentAuthor::Org, "We can take 5% off.", true, 3),
    ];
    let said = super::fixtures::notice_of(&person, target.subject(), None);
    store
        .add_comment(&all[0], &[], Some(&said))
        .await
        .expect("comment");
    for x in &all[1..] {
        store.add_comment(x, &[], None).await.expect("comment");
    }
    assert_eq!(
        super::fixtures::activity_ids(store, org.id, c.id).await,
        vec![said.activity.id],
        "the portal user's comment is in the feed"
    );
    assert_eq!(
        store
            .comments(org.id, c.id, target, false)
            .await
            .expect("all"),
        all
    );
    let visible = store
        .comments(org.id, c.id, target, true)
        .await
        .expect("portal");
    assert_eq!(visible, vec![all[0].clone(), all[2].clone()]);
    assert!(matches!(
        store.comments(org.id, stranger.id, target, true).await,
        Err(StoreError::NotFound(_))
    ));
    let mut foreign = comment(CommentAuthor::Org, "x", true, 4);
    foreign.customer = stranger.id;
    assert!(matches!(
        store.add_comment(&foreign, &[], None).await,
        Err(StoreError::NotFound(_))
    ));
    let ghost = comment(
        CommentAuthor::Contact(crate::domain::ContactId::new()),
        "who am I",
        true,
        5,
    );
    assert!(matches!(
        store.add_comment(&ghost, &[], None).await,
        Err(StoreError::NotFound(_))
    ));
    let _ = crate::domain::InvoiceId::new();
}
