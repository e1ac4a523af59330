//! Typed identifiers: one newtype over a UUID v7 per kind of record.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $label:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered identifier (UUID v7).
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an existing UUID, e.g. one read back from a database.
            #[must_use]
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID.
            #[must_use]
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($label, ":{}"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

id_type!(
    /// Identifies an organization (the tenant that runs a portal).
    OrgId,
    "org"
);
id_type!(
    /// Identifies a customer of an organization.
    CustomerId,
    "customer"
);
id_type!(
    /// Identifies a contact person of a customer.
    ContactId,
    "contact"
);
id_type!(
    /// Identifies a portal role of an organization.
    RoleId,
    "role"
);
id_type!(
    /// Identifies a portal session.
    SessionId,
    "session"
);
id_type!(
    /// Identifies an invitation or password-reset token record.
    TokenId,
    "token"
);
id_type!(
    /// Identifies an email in the outbox.
    EmailId,
    "email"
);
id_type!(
    /// Identifies an invoice or a retainer invoice.
    InvoiceId,
    "invoice"
);
id_type!(
    /// Identifies a payment (online or recorded offline).
    PaymentId,
    "payment"
);
id_type!(
    /// Identifies a credit note.
    CreditNoteId,
    "credit_note"
);
id_type!(
    /// Identifies a payment attempt (the idempotency record of an online payment).
    AttemptId,
    "attempt"
);
id_type!(
    /// Identifies a quote (estimate).
    QuoteId,
    "quote"
);
id_type!(
    /// Identifies a saved payment method (card or bank account).
    SavedMethodId,
    "saved_method"
);
id_type!(
    /// Identifies a refund.
    RefundId,
    "refund"
);
id_type!(
    /// Identifies a customer review.
    ReviewId,
    "review"
);
id_type!(
    /// Identifies a sales order.
    SalesOrderId,
    "sales_order"
);
id_type!(
    /// Identifies a comment.
    CommentId,
    "comment"
);
id_type!(
    /// Identifies an application of credit to an invoice.
    ApplicationId,
    "application"
);

id_type!(
    /// Identifies a project.
    ProjectId,
    "project"
);
id_type!(
    /// Identifies a task of a project.
    TaskId,
    "task"
);
id_type!(
    /// Identifies a time entry.
    TimeEntryId,
    "time_entry"
);
id_type!(
    /// Identifies a timesheet approval.
    ApprovalId,
    "approval"
);
id_type!(
    /// Identifies a shared file.
    FileId,
    "file"
);
id_type!(
    /// Identifies a document link.
    LinkId,
    "link"
);
id_type!(
    /// Identifies an activity-feed event.
    ActivityId,
    "activity"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_round_trip_through_text() {
        let id = CustomerId::new();
        assert_eq!(id.as_uuid().get_version_num(), 7);
        let parsed: CustomerId = id.to_string().parse().expect("parses");
        assert_eq!(parsed, id);
        assert!(format!("{id:?}").starts_with("customer:"));
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = OrgId::new();
        let b = OrgId::new();
        assert!(a < b);
    }
}
