//! The activity feed (SPEC N3): one row per portal event, written in the same store
//! operation as the change it describes, for the host app to show per customer.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::ids::{
    ActivityId, ApprovalId, ContactId, CustomerId, FileId, InvoiceId, OrgId, PaymentId, ProjectId,
    QuoteId, ReviewId, SalesOrderId,
};
use super::outbox::OutboxEmail;
use super::settings::PortalEvent;

/// What an activity is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum ActivitySubject {
    /// A quote.
    Quote(QuoteId),
    /// An invoice.
    Invoice(InvoiceId),
    /// A sales order.
    SalesOrder(SalesOrderId),
    /// A payment.
    Payment(PaymentId),
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

impl ActivitySubject {
    /// The kind, as stored in databases.
    #[must_use]
    pub fn kind(self) -> &'static str {
        match self {
            ActivitySubject::Quote(_) => "quote",
            ActivitySubject::Invoice(_) => "invoice",
            ActivitySubject::SalesOrder(_) => "sales_order",
            ActivitySubject::Payment(_) => "payment",
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
            ActivitySubject::Quote(id) => id.as_uuid(),
            ActivitySubject::Invoice(id) => id.as_uuid(),
            ActivitySubject::SalesOrder(id) => id.as_uuid(),
            ActivitySubject::Payment(id) => id.as_uuid(),
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
        Some(match kind {
            "quote" => ActivitySubject::Quote(QuoteId::from_uuid(id)),
            "invoice" => ActivitySubject::Invoice(InvoiceId::from_uuid(id)),
            "sales_order" => ActivitySubject::SalesOrder(SalesOrderId::from_uuid(id)),
            "payment" => ActivitySubject::Payment(PaymentId::from_uuid(id)),
            "project" => ActivitySubject::Project(ProjectId::from_uuid(id)),
            "approval" => ActivitySubject::Approval(ApprovalId::from_uuid(id)),
            "file" => ActivitySubject::File(FileId::from_uuid(id)),
            "review" => ActivitySubject::Review(ReviewId::from_uuid(id)),
            "customer" => ActivitySubject::Customer(CustomerId::from_uuid(id)),
            _ => return None,
        })
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

    #[test]
    fn subjects_round_trip_through_their_stored_form() {
        let id = Uuid::now_v7();
        for s in [
            ActivitySubject::Quote(QuoteId::from_uuid(id)),
            ActivitySubject::Invoice(InvoiceId::from_uuid(id)),
            ActivitySubject::SalesOrder(SalesOrderId::from_uuid(id)),
            ActivitySubject::Payment(PaymentId::from_uuid(id)),
            ActivitySubject::Project(ProjectId::from_uuid(id)),
            ActivitySubject::Approval(ApprovalId::from_uuid(id)),
            ActivitySubject::File(FileId::from_uuid(id)),
            ActivitySubject::Review(ReviewId::from_uuid(id)),
            ActivitySubject::Customer(CustomerId::from_uuid(id)),
        ] {
            assert_eq!(ActivitySubject::from_db(s.kind(), s.uuid()), Some(s));
        }
        assert_eq!(ActivitySubject::from_db("planet", id), None);
    }
}
