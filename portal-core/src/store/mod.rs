//! The storage ports. Each method is a whole business operation, atomic inside the
//! adapter: it either happens entirely or not at all. Every read of customer data
//! takes the organization (and where it applies the customer), so a lookup can never
//! cross a tenant.
//!
//! One trait per aggregate or read model, one module per area; the memory and SQL
//! adapters and the conformance suite use the same area names.

mod access;
mod activity;
mod approvals;
mod comments;
mod contacts;
mod credits;
mod customers;
mod documents;
mod files;
mod links;
mod orgs;
mod outbox;
mod payment_methods;
mod payments;
mod projects;
mod quotes;
mod reviews;
mod sessions;
mod statements;

pub use access::{
    AccessStore, Invitation, InvitationBatch, SignInFailure, SignInSubject, TokenRedemption,
};
pub use activity::ActivityStore;
pub use approvals::{ApprovalDecisionRecord, ApprovalStore};
pub use comments::CommentStore;
pub use contacts::{ContactStore, DetailsChange};
pub use credits::CreditStore;
pub use customers::CustomerStore;
pub use documents::{DocumentStore, StoredDocument};
pub use files::{FileStore, SharedFileStore};
pub use links::LinkStore;
pub use orgs::OrgStore;
pub use outbox::OutboxStore;
pub use payment_methods::PaymentMethodStore;
pub use payments::{AttemptStart, FailureNotice, PaymentRecording, PaymentStore};
pub use projects::ProjectStore;
pub use quotes::{QuoteDecisionRecord, QuoteStore};
pub use reviews::ReviewStore;
pub use sessions::{PasswordChange, SessionContext, SessionStore};
pub use statements::StatementStore;

pub use crate::store_error::{Entity, Limit, Rule, StoreError, StoreResult};

use crate::domain::{Invoice, Quote, SalesOrder};

/// Everything the portal keeps about organizations, customers and their documents:
/// every per-area port. Implemented by every type that implements them all.
///
/// File bytes are a separate port, [`FileStore`]: the memory and SQL stores
/// implement it too, and a host can keep bytes elsewhere (object storage).
pub trait Store:
    OrgStore
    + CustomerStore
    + ContactStore
    + AccessStore
    + SessionStore
    + OutboxStore
    + DocumentStore<Invoice>
    + DocumentStore<Quote>
    + DocumentStore<SalesOrder>
    + PaymentStore
    + CreditStore
    + PaymentMethodStore
    + StatementStore
    + QuoteStore
    + CommentStore
    + ReviewStore
    + ProjectStore
    + ApprovalStore
    + SharedFileStore
    + ActivityStore
    + LinkStore
{
    /// Invoices and retainer invoices.
    fn invoices(&self) -> &dyn DocumentStore<Invoice>;
    /// Quotes.
    fn quotes(&self) -> &dyn DocumentStore<Quote>;
    /// Sales orders.
    fn sales_orders(&self) -> &dyn DocumentStore<SalesOrder>;
}

impl<T> Store for T
where
    T: OrgStore
        + CustomerStore
        + ContactStore
        + AccessStore
        + SessionStore
        + OutboxStore
        + DocumentStore<Invoice>
        + DocumentStore<Quote>
        + DocumentStore<SalesOrder>
        + PaymentStore
        + CreditStore
        + PaymentMethodStore
        + StatementStore
        + QuoteStore
        + CommentStore
        + ReviewStore
        + ProjectStore
        + ApprovalStore
        + SharedFileStore
        + ActivityStore
        + LinkStore,
{
    fn invoices(&self) -> &dyn DocumentStore<Invoice> {
        self
    }
    fn quotes(&self) -> &dyn DocumentStore<Quote> {
        self
    }
    fn sales_orders(&self) -> &dyn DocumentStore<SalesOrder> {
        self
    }
}

/// A whole backend: every data port ([`Store`]) and the file bytes ([`FileStore`])
/// in one object, as the memory and SQL stores are. A host that picks its backend
/// at run time holds it as `Arc<dyn Backend>` and hands it to
/// [`Portal::builder`](crate::service::Portal::builder).
pub trait Backend: Store + FileStore {}

impl<T> Backend for T where T: Store + FileStore + ?Sized {}
