//! Shared files (D4) and the file-bytes port.

use super::fixtures::{activity_ids, customer, notice_of, org, t0};
use crate::{
    domain::ActivitySubject, domain::FileOrigin, domain::PageRequest, domain::SharedFile,
    domain::UploadPolicy, store::Store, store::StoreError,
};

/// Files are the customer's, listed newest first and paged; an upload's notice is
/// recorded with it; bytes round-trip.
pub async fn shared_files_round_trip_and_scope(store: &dyn Store) {
    let org = org(store).await;
    let (c, contacts) = customer(store, &org).await;
    let (stranger, _) = customer(store, &org).await;
    let policy = UploadPolicy::default();
    let file = |name: &str, bytes: &[u8], origin| {
        SharedFile::check(org.id, c.id, origin, name, bytes, &policy, t0()).expect("file")
    };
    let contract = file("contract.txt", b"terms", FileOrigin::Org);
    let upload = file("receipt.txt", b"paid", FileOrigin::Contact(contacts[0].id));
    store.add_file(&contract, None).await.expect("share");
    let said = notice_of(&contacts[0], ActivitySubject::File(upload.id), None);
    store.add_file(&upload, Some(&said)).await.expect("upload");
    assert_eq!(
        activity_ids(store, org.id, c.id).await,
        vec![said.activity.id]
    );
    let first = store
        .customer_files(org.id, c.id, &PageRequest::first(1))
        .await
        .expect("page");
    assert_eq!(first.items, vec![upload.clone()]);
    let rest = store
        .customer_files(
            org.id,
            c.id,
            &PageRequest::after(first.next.as_deref().expect("more"), 1).expect("cursor"),
        )
        .await
        .expect("rest");
    assert_eq!(rest.items, vec![contract.clone()]);
    assert!(matches!(
        store.customer_file(org.id, stranger.id, contract.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.remove_file(org.id, stranger.id, contract.id).await,
        Err(StoreError::NotFound(_))
    ));
    let mut foreign = contract.clone();
    foreign.id = crate::domain::FileId::new();
    foreign.org = super::fixtures::org(store).await.id;
    assert!(matches!(
        store.add_file(&foreign, None).await,
        Err(StoreError::NotFound(_))
    ));
    store
        .remove_file(org.id, c.id, contract.id)
        .await
        .expect("remove");
    assert!(matches!(
        store.customer_file(org.id, c.id, contract.id).await,
        Err(StoreError::NotFound(_))
    ));
}

/// File bytes round-trip exactly under their organization and id; another
/// organization does not find them; deleting removes them and is idempotent.
/// The one behaviour of the [`FileStore`](crate::store::FileStore) port.
pub async fn file_bytes_round_trip(files: &dyn crate::store::FileStore) {
    let (org, other) = (crate::domain::OrgId::new(), crate::domain::OrgId::new());
    let id = crate::domain::FileId::new();
    let bytes: Vec<u8> = (0..=255).collect();
    files.put_file(org, id, &bytes).await.expect("put");
    assert_eq!(files.get_file(org, id).await.expect("get"), bytes);
    assert!(matches!(
        files.get_file(org, crate::domain::FileId::new()).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        matches!(
            files.get_file(other, id).await,
            Err(StoreError::NotFound(_))
        ),
        "another organization's id finds nothing"
    );
    files
        .delete_file(other, id)
        .await
        .expect("nothing to delete");
    assert_eq!(files.get_file(org, id).await.expect("still there"), bytes);
    files.delete_file(org, id).await.expect("delete");
    assert!(matches!(
        files.get_file(org, id).await,
        Err(StoreError::NotFound(_))
    ));
    files
        .delete_file(org, id)
        .await
        .expect("deleting twice is fine");
}
