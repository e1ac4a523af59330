//! The store's errors, typed: what was not found and which rule a change broke are
//! enums, never strings, so a new kind is a compile error until every place that
//! matches on them handles it.

use std::fmt;

/// A kind of record the store holds (or that a call looks up): what was not found,
/// what changed concurrently, what already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Entity {
    /// An organization.
    Organization,
    /// A portal, looked up by its slug.
    Portal,
    /// The organization's notification email address.
    OrganizationEmail,
    /// A portal role.
    Role,
    /// A customer.
    Customer,
    /// A contact person.
    Contact,
    /// An invitation or reset token.
    Token,
    /// A portal session.
    Session,
    /// An email of the outbox.
    OutboxEmail,
    /// An activity row.
    Activity,
    /// An invoice or retainer invoice.
    Invoice,
    /// A payment.
    Payment,
    /// A Pay Now attempt.
    PaymentAttempt,
    /// A saved payment method.
    PaymentMethod,
    /// A payment gateway the portal was built with.
    PaymentGateway,
    /// A credit note.
    CreditNote,
    /// A source of credit (a credit note's balance or a payment's excess).
    Credit,
    /// A quote.
    Quote,
    /// A document a comment, a review or a forward points at.
    Document,
    /// A sales order.
    SalesOrder,
    /// A project.
    Project,
    /// A task of a project.
    Task,
    /// A time entry.
    TimeEntry,
    /// A timesheet approval.
    Approval,
    /// A shared file.
    File,
    /// A document link.
    DocumentLink,
    /// A record another one refers to (a foreign key that points nowhere).
    ReferencedRecord,
    /// A record of any kind (when the backend cannot say which).
    Record,
}

impl Entity {
    /// The name in messages ("customer not found").
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Entity::Organization => "organization",
            Entity::Portal => "portal",
            Entity::OrganizationEmail => "organization email",
            Entity::Role => "role",
            Entity::Customer => "customer",
            Entity::Contact => "contact",
            Entity::Token => "token",
            Entity::Session => "session",
            Entity::OutboxEmail => "outbox email",
            Entity::Activity => "activity",
            Entity::Invoice => "invoice",
            Entity::Payment => "payment",
            Entity::PaymentAttempt => "payment attempt",
            Entity::PaymentMethod => "payment method",
            Entity::PaymentGateway => "payment gateway",
            Entity::CreditNote => "credit note",
            Entity::Credit => "credit",
            Entity::Quote => "quote",
            Entity::Document => "document",
            Entity::SalesOrder => "sales order",
            Entity::Project => "project",
            Entity::Task => "task",
            Entity::TimeEntry => "time entry",
            Entity::Approval => "approval",
            Entity::File => "file",
            Entity::DocumentLink => "document link",
            Entity::ReferencedRecord => "referenced record",
            Entity::Record => "record",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The rule a change would break: a uniqueness rule or a precondition of the
/// operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// Another organization's portal has this slug.
    PortalSlug,
    /// Another live contact of the organization has this email.
    ContactEmail,
    /// The organization already used this invoice number.
    InvoiceNumber,
    /// The organization already used this quote number.
    QuoteNumber,
    /// The organization already used this sales order number.
    SalesOrderNumber,
    /// The credit source has less available than asked.
    CreditAvailable,
    /// The payment attempt is no longer pending (another call settled it).
    PaymentAttempt,
    /// The payment is in another currency than the customer's.
    PaymentCurrency,
    /// The invoice's balance does not allow it.
    InvoiceBalance,
    /// Online payments in flight hold the part of the invoice's balance it needs.
    InvoiceReserved,
    /// The quote's status changed (another decision won).
    QuoteStatus,
    /// The contact's portal status does not allow it.
    ContactPortalStatus,
    /// One invitation batch names a contact twice.
    ContactInvitedTwice,
    /// The contact belongs to another customer.
    ContactOfAnotherCustomer,
    /// The invitation is of another organization.
    InvitationOfAnotherOrganization,
    /// A time entry is not in a state the change needs (pending, billed).
    TimeEntryState,
    /// A stored date is outside the calendar.
    DateOutOfRange,
    /// A record with this id (or this unique key) exists already.
    Exists(Entity),
}

impl Rule {
    /// The name in messages ("conflict: portal slug").
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Rule::PortalSlug => "portal slug",
            Rule::ContactEmail => "contact email",
            Rule::InvoiceNumber => "invoice number",
            Rule::QuoteNumber => "quote number",
            Rule::SalesOrderNumber => "sales order number",
            Rule::CreditAvailable => "credit available",
            Rule::PaymentAttempt => "payment attempt",
            Rule::PaymentCurrency => "payment currency",
            Rule::InvoiceBalance => "invoice balance",
            Rule::InvoiceReserved => "invoice balance held by a payment in flight",
            Rule::QuoteStatus => "quote status",
            Rule::ContactPortalStatus => "contact portal status",
            Rule::ContactInvitedTwice => "contact invited twice in one batch",
            Rule::ContactOfAnotherCustomer => "contact of another customer",
            Rule::InvitationOfAnotherOrganization => "invitation of another organization",
            Rule::TimeEntryState => "time entry",
            Rule::DateOutOfRange => "date",
            Rule::Exists(entity) => entity.name(),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a [`StoreError::LimitReached`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// The organization's portal user cap (SPEC P7).
    PortalUsers,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::PortalUsers => "portal users",
        })
    }
}

/// A storage failure. Each variant means the same on every backend.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No such record (or it belongs to another organization or customer).
    #[error("{0} not found")]
    NotFound(Entity),
    /// A uniqueness rule or a precondition of the operation does not hold.
    #[error("conflict: {0}")]
    Conflict(Rule),
    /// The record changed since it was read; read it again and retry.
    #[error("{0} was changed concurrently; read it again and retry")]
    ConcurrentModification(Entity),
    /// A limit would be exceeded (e.g. the organization's portal user cap).
    #[error("limit reached: {what} (at most {limit})")]
    LimitReached {
        /// What is limited.
        what: Limit,
        /// The limit.
        limit: u64,
    },
    /// The backend cannot be reached now; nothing was written.
    #[error("storage unavailable: {0}")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Any other backend failure.
    #[error("storage failure: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;
