//! Credit: credit notes, what a customer has available to apply, refunds and the
//! applications of credit to invoices (SPEC I7–I9).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::ids::{ApplicationId, CreditNoteId, CustomerId, InvoiceId, OrgId, PaymentId, RefundId};
use super::money::Money;

/// A credit note: money the organization owes the customer, to apply to invoices or
/// refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNote {
    /// Identifier.
    pub id: CreditNoteId,
    /// The organization.
    pub org: OrgId,
    /// The customer credited.
    pub customer: CustomerId,
    /// The organization's number.
    pub number: String,
    /// The amount credited.
    pub total: Money,
    /// What is still available.
    pub balance: Money,
    /// Date of issue.
    pub issue_date: Date,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

/// Where available credit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum CreditSource {
    /// A credit note's balance.
    CreditNote(CreditNoteId),
    /// A payment's unapplied excess.
    Payment(PaymentId),
    /// A retainer invoice's paid, not yet applied amount.
    Retainer(InvoiceId),
}

/// Credit available to a customer, from one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailableCredit {
    /// Where it comes from.
    pub source: CreditSource,
    /// The credit note's or receipt's number.
    pub number: String,
    /// How much is left.
    pub available: Money,
    /// When it arose (credit note date, or payment date).
    pub date: Date,
}

/// Money paid back to the customer out of available credit (a credit note's balance
/// or a payment's excess).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// Identifier.
    pub id: RefundId,
    /// The organization.
    pub org: OrgId,
    /// The customer refunded.
    pub customer: CustomerId,
    /// The credit it comes out of.
    pub source: CreditSource,
    /// How much.
    pub amount: Money,
    /// How it was paid back (transfer, cheque, card refund...).
    pub mode: String,
    /// When.
    pub refunded_at: OffsetDateTime,
}

/// Credit applied to an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditApplication {
    /// Identifier.
    pub id: ApplicationId,
    /// The organization.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// The credit used.
    pub source: CreditSource,
    /// The invoice it settles.
    pub invoice: InvoiceId,
    /// How much.
    pub amount: Money,
    /// When.
    pub applied_at: OffsetDateTime,
}

/// Money that went to an invoice: a payment's share of it, or credit applied
/// to it (I8: an invoice lists its payments and credits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceApplication {
    /// Where it came from.
    pub from: AppliedFrom,
    /// When it was paid or applied.
    pub at: OffsetDateTime,
    /// How much of the invoice it settled.
    pub amount: Money,
}

/// Where money applied to an invoice came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliedFrom {
    /// A payment (its receipt names the invoice).
    Payment {
        /// The payment.
        payment: PaymentId,
        /// Its receipt's number.
        receipt_number: String,
    },
    /// Credit: a credit note, a payment's excess or a retainer.
    Credit(CreditSource),
}
