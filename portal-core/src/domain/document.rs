//! The customer document: what invoices, quotes and sales orders share, written
//! once. Each belongs to one organization and one customer, has a number unique in
//! its organization, a version every change bumps, a draft state the portal never
//! sees, and a first view the organization hears about. The customer reads one by
//! id and lists them a page at a time. What only one kind does (pay an invoice,
//! accept a quote, invoice a sales order) stays with that kind.
//!
//! [`DocumentRef`] names any of a customer's documents, everywhere the library
//! points at one: comments, activity, printing, emails, document links, and the
//! addresses a host gives them.

use std::fmt;
use std::hash::Hash;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::ids::{CreditNoteId, CustomerId, InvoiceId, OrgId, PaymentId, QuoteId, SalesOrderId};
use super::invoice::{Invoice, InvoiceStatus};
use super::page::{Cursor, Direction};
use super::query::{InvoiceQuery, QuoteQuery, SalesOrderQuery};
use super::quote::{Quote, QuoteStatus};
use super::role::Module;
use super::sales_order::{SalesOrder, SalesOrderStatus};

/// The kinds of document a customer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A quote.
    Quote,
    /// An invoice or retainer invoice.
    Invoice,
    /// A sales order.
    SalesOrder,
    /// A payment's receipt.
    Receipt,
    /// A credit note.
    CreditNote,
}

impl DocumentKind {
    /// The kind in one word, as stored and as it starts a [`DocumentRef`]'s text.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Quote => "quote",
            DocumentKind::Invoice => "invoice",
            DocumentKind::SalesOrder => "sales_order",
            DocumentKind::Receipt => "receipt",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    /// The kind as a person reads it in a sentence ("your sales order").
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Quote => "quote",
            DocumentKind::Invoice => "invoice",
            DocumentKind::SalesOrder => "sales order",
            DocumentKind::Receipt => "receipt",
            DocumentKind::CreditNote => "credit note",
        }
    }
}

/// One of a customer's documents, by kind and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum DocumentRef {
    /// A quote.
    Quote(QuoteId),
    /// An invoice or retainer invoice.
    Invoice(InvoiceId),
    /// A sales order.
    SalesOrder(SalesOrderId),
    /// A payment, whose document is its receipt.
    Receipt(PaymentId),
    /// A credit note.
    CreditNote(CreditNoteId),
}

impl DocumentRef {
    /// Its kind.
    #[must_use]
    pub fn kind(self) -> DocumentKind {
        match self {
            DocumentRef::Quote(_) => DocumentKind::Quote,
            DocumentRef::Invoice(_) => DocumentKind::Invoice,
            DocumentRef::SalesOrder(_) => DocumentKind::SalesOrder,
            DocumentRef::Receipt(_) => DocumentKind::Receipt,
            DocumentRef::CreditNote(_) => DocumentKind::CreditNote,
        }
    }

    /// Its id.
    #[must_use]
    pub fn uuid(self) -> Uuid {
        match self {
            DocumentRef::Quote(id) => id.as_uuid(),
            DocumentRef::Invoice(id) => id.as_uuid(),
            DocumentRef::SalesOrder(id) => id.as_uuid(),
            DocumentRef::Receipt(id) => id.as_uuid(),
            DocumentRef::CreditNote(id) => id.as_uuid(),
        }
    }

    /// The document of `kind` with id `id`.
    #[must_use]
    pub fn of(kind: DocumentKind, id: Uuid) -> Self {
        match kind {
            DocumentKind::Quote => DocumentRef::Quote(QuoteId::from_uuid(id)),
            DocumentKind::Invoice => DocumentRef::Invoice(InvoiceId::from_uuid(id)),
            DocumentKind::SalesOrder => DocumentRef::SalesOrder(SalesOrderId::from_uuid(id)),
            DocumentKind::Receipt => DocumentRef::Receipt(PaymentId::from_uuid(id)),
            DocumentKind::CreditNote => DocumentRef::CreditNote(CreditNoteId::from_uuid(id)),
        }
    }
}

macro_rules! id_names_document {
    ($($id:ty => $variant:ident),*) => {
        $(impl From<$id> for DocumentRef {
            fn from(id: $id) -> Self {
                DocumentRef::$variant(id)
            }
        })*
    };
}

id_names_document!(
    QuoteId => Quote,
    InvoiceId => Invoice,
    SalesOrderId => SalesOrder,
    PaymentId => Receipt,
    CreditNoteId => CreditNote
);

/// `invoice:0190…`: the kind and the id, as a form or a URL carries a document.
impl fmt::Display for DocumentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind().as_str(), self.uuid())
    }
}

/// Text that is not `kind:uuid` with a known kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a document: write kind:id, e.g. invoice:0190c5a8-…")]
pub struct DocumentRefError;

impl FromStr for DocumentRef {
    type Err = DocumentRefError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, id) = s.split_once(':').ok_or(DocumentRefError)?;
        let kind = [
            DocumentKind::Quote,
            DocumentKind::Invoice,
            DocumentKind::SalesOrder,
            DocumentKind::Receipt,
            DocumentKind::CreditNote,
        ]
        .into_iter()
        .find(|k| k.as_str() == kind)
        .ok_or(DocumentRefError)?;
        let id = Uuid::parse_str(id).map_err(|_| DocumentRefError)?;
        Ok(Self::of(kind, id))
    }
}

/// What invoices, quotes and sales orders share: the one shape every layer (the
/// store port, the adapters, the services, the conformance suite) is written
/// against once.
pub trait CustomerDocument: Clone + fmt::Debug + Send + Sync + 'static {
    /// Its id type.
    type Id: Copy + Eq + Hash + Ord + fmt::Debug + fmt::Display + Into<Uuid> + Send + Sync + 'static;
    /// The portal's list request for this kind: filters and sorts of its own, the
    /// keyset page of [`DocumentQuery`].
    type Query: DocumentQuery<Self>;
    /// Its kind.
    const KIND: DocumentKind;
    /// The role module whose permissions govern it.
    const MODULE: Module;

    /// Its id.
    fn id(&self) -> Self::Id;
    /// The organization.
    fn org(&self) -> OrgId;
    /// The customer.
    fn customer(&self) -> CustomerId;
    /// Its number, unique in the organization.
    fn number(&self) -> &str;
    /// The stored version: every change bumps it, and a change from an older read
    /// is refused.
    fn version(&self) -> i64;
    /// Drafts are the organization's alone: the portal never sees them.
    fn is_draft(&self) -> bool;
    /// When the customer first opened it.
    fn viewed_at(&self) -> Option<OffsetDateTime>;
    /// Records the customer's first view.
    fn set_viewed_at(&mut self, at: OffsetDateTime);
    /// Takes from the stored row what an update never changes (customer, first
    /// view, creation; an invoice's reservation, which belongs to the payments in
    /// flight), and the next version: what a versioned update stores.
    fn saved_over(&mut self, stored: &Self);
    /// The document's [`DocumentRef`].
    fn reference(id: Self::Id) -> DocumentRef;
}

/// A list request over one kind of document: which ones (`admits`), in what order
/// (`key_of`, `direction`), a page at a time from a cursor.
pub trait DocumentQuery<D>: Clone + fmt::Debug + Send + Sync + 'static {
    /// Whether `doc` passes the filter; drafts never do.
    fn admits(&self, doc: &D) -> bool;
    /// The sort key of `doc` under this query.
    fn key_of(&self, doc: &D) -> i64;
    /// Ascending or descending.
    fn direction(&self) -> Direction;
    /// The page size asked for.
    fn limit(&self) -> u32;
    /// The position a previous page ended at.
    fn after(&self) -> Option<Cursor>;
    /// The same request with a checked page size and cursor, on the portal's
    /// `today` (for the kinds whose filters depend on the day).
    #[must_use]
    fn with_page(&self, limit: u32, after: Option<Cursor>, today: Date) -> Self;

    /// Whether a row with `(key, id)` comes after the cursor.
    fn after_cursor(&self, key: i64, id: Uuid) -> bool {
        match (self.after(), self.direction()) {
            (None, _) => true,
            (Some(c), Direction::Asc) => (key, id) > (c.key, c.id),
            (Some(c), Direction::Desc) => (key, id) < (c.key, c.id),
        }
    }
}

macro_rules! customer_document {
    ($ty:ty, $id:ty, $query:ty, $kind:ident, $module:ident, $draft:expr
     $(, keeps $kept:ident)* $(, dated $today:ident)?) => {
        impl CustomerDocument for $ty {
            type Id = $id;
            type Query = $query;
            const KIND: DocumentKind = DocumentKind::$kind;
            const MODULE: Module = Module::$module;

            fn id(&self) -> $id {
                self.id
            }
            fn org(&self) -> OrgId {
                self.org
            }
            fn customer(&self) -> CustomerId {
                self.customer
            }
            fn number(&self) -> &str {
                &self.number
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn is_draft(&self) -> bool {
                self.status == $draft
            }
            fn viewed_at(&self) -> Option<OffsetDateTime> {
                self.viewed_at
            }
            fn set_viewed_at(&mut self, at: OffsetDateTime) {
                self.viewed_at = Some(at);
            }
            fn saved_over(&mut self, stored: &Self) {
                self.customer = stored.customer;
                self.viewed_at = stored.viewed_at;
                self.created_at = stored.created_at;
                $(self.$kept = stored.$kept;)*
                self.version = stored.version + 1;
            }
            fn reference(id: $id) -> DocumentRef {
                DocumentRef::$kind(id)
            }
        }

        impl DocumentQuery<$ty> for $query {
            fn admits(&self, doc: &$ty) -> bool {
                <$query>::admits(self, doc)
            }
            fn key_of(&self, doc: &$ty) -> i64 {
                <$query>::key_of(self, doc)
            }
            fn direction(&self) -> Direction {
                self.direction
            }
            fn limit(&self) -> u32 {
                self.limit
            }
            fn after(&self) -> Option<Cursor> {
                self.after
            }
            #[allow(unused_variables)]
            fn with_page(&self, limit: u32, after: Option<Cursor>, today: Date) -> Self {
                Self {
                    limit,
                    after,
                    $($today: today,)?
                    ..self.clone()
                }
            }
        }
    };
}

customer_document!(
    Invoice,
    InvoiceId,
    InvoiceQuery,
    Invoice,
    Invoices,
    InvoiceStatus::Draft,
    keeps reserved,
    dated today
);
customer_document!(
    Quote,
    QuoteId,
    QuoteQuery,
    Quote,
    Quotes,
    QuoteStatus::Draft,
    dated today
);
customer_document!(
    SalesOrder,
    SalesOrderId,
    SalesOrderQuery,
    SalesOrder,
    SalesOrders,
    SalesOrderStatus::Draft
);
