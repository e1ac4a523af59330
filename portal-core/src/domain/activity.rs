//! The activity feed (SPEC N3): one row per portal event, written in the same store
//! operation as the change it describes, for the host app to show per customer.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::document::DocumentRef;
use super::ids::{
    ActivityId, ApprovalId, ContactId, CustomerId, FileId, OrgId, ProjectId, ReviewId,
};
use super::outbox::OutboxEmail;
use super::settings::PortalEvent;

/// What an activity is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum ActivitySubject {
    /// One of the customer's documents: a quote, an invoice, a sales order, a
    /// payment (its receipt) or a credit note.
    Document(DocumentRef),
    /// A project.
    Project(ProjectId),
    /// A timesheet approval.
    Approval(ApprovalId),
    /// A shared file.
    File(FileId),
    /// A review.
    Review(ReviewId),
    /// The customer's own record (details updated).
    Customer(CustomerId),
}

impl From<DocumentRef> for ActivitySubject {
    fn from(document: DocumentRef) -> Self {
        ActivitySubject::Document(document)
    }
}

impl ActivitySubject {
    /// The kind, as stored in databases (a payment's receipt is stored as
    /// `payment`).
    #[must_use]
    pub fn kind(self) -> &'static str {
        match self {
            ActivitySubject::Document(DocumentRef::Receipt(_)) => "payment",
            ActivitySubject::Document(d) => d.kind().as_str(),
            ActivitySubject::Project(_) => "project",
            ActivitySubject::Approval(_) => "approval",
            ActivitySubject::File(_) => "file",
            ActivitySubject::Review(_) => "review",
            ActivitySubject::Customer(_) => "customer",
        }
    }

    /// The subject's id.
    #[must_use]
    pub fn uuid(self) -> Uuid {
        match self {
            ActivitySubject::Document(d) => d.uuid(),
            ActivitySubject::Project(id) => id.as_uuid(),
            ActivitySubject::Approval(id) => id.as_uuid(),
            ActivitySubject::File(id) => id.as_uuid(),
            ActivitySubject::Review(id) => id.as_uuid(),
            ActivitySubject::Customer(id) => id.as_uuid(),
        }
    }

    /// Rebuilds a subject read back from a database.
    #[must_use]
    pub fn from_db(kind: &str, id: Uuid) -> Option<Self> {
        use super::document::DocumentKind as K;
        let document = |kind| Some(ActivitySubject::Document(DocumentRef::of(kind, id)));
        match kind {
            "quote" => document(K::Quote),
            "invoice" => document(K::Invoice),
            "sales_order" => document(K::SalesOrder),
            "payment" => document(K::Receipt),
            "credit_note" => document(K::CreditNote),
            "project" => Some(ActivitySubject::Project(ProjectId::from_uuid(id))),
            "approval" => Some(ActivitySubject::Approval(ApprovalId::from_uuid(id))),
            "file" => Some(ActivitySubject::File(FileId::from_uuid(id))),
            "review" => Some(ActivitySubject::Review(ReviewId::from_uuid(id))),
            "customer" => Some(ActivitySubject::Customer(CustomerId::from_uuid(id))),
            _ => None,
        }
    }
}

/// One portal event in a customer's activity feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Identifier (time-ordered).
    pub id: ActivityId,
    /// The organization.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// The portal user who did it.
    pub contact: ContactId,
    /// What happened.
    pub event: PortalEvent,
    /// What it happened to.
    pub subject: ActivitySubject,
    /// A one-line description (plain text, like the notification's subject).
    pub summary: String,
    /// When.
    pub at: OffsetDateTime,
}

/// A portal event as the store records it: the activity row always, and the
/// organization's email when its preferences ask for one (SPEC N1, N3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The activity-feed row.
    pub activity: Activity,
    /// The organization's email, if it wants one for this event.
    pub email: Option<OutboxEmail>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DocumentKind;

    #[test]
    fn subjects_round_trip_through_their_stored_form() {
        let id = Uuid::now_v7();
        for s in [
            ActivitySubject::Document(DocumentRef::of(DocumentKind::Quote, id)),
            ActivitySubject::Document(DocumentRef::of(DocumentKind::Invoice, id)),
            ActivitySubject::Document(DocumentRef::of(DocumentKind::SalesOrder, id)),
            ActivitySubject::Document(DocumentRef::of(DocumentKind::Receipt, id)),
            ActivitySubject::Document(DocumentRef::of(DocumentKind::CreditNote, id)),
            ActivitySubject::Project(ProjectId::from_uuid(id)),
            ActivitySubject::Approval(ApprovalId::from_uuid(id)),
            ActivitySubject::File(FileId::from_uuid(id)),
            ActivitySubject::Review(ReviewId::from_uuid(id)),
            ActivitySubject::Customer(CustomerId::from_uuid(id)),
        ] {
            assert_eq!(ActivitySubject::from_db(s.kind(), s.uuid()), Some(s));
        }
        assert_eq!(ActivitySubject::from_db("planet", id), None);
        assert_eq!(
            ActivitySubject::Document(DocumentRef::of(DocumentKind::Receipt, id)).kind(),
            "payment",
            "a receipt's activity keeps the kind stored before documents had one name"
        );
    }
}
