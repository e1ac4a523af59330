//! The service-level error: every variant has a stable code and a message a person
//! can act on.

use time::OffsetDateTime;

use crate::auth::{HashingError, PasswordPolicyError, RandomError};
use crate::domain::{
    CursorError, EmailError, FileError, InvoiceError, InvoiceTransitionError, LineError, Money,
    MoneyError, NotApplicable, PreferenceError, ProjectError, Refusal, SettleError, SlugError,
    TemplateError, TextError, TransitionError,
};
use crate::gateway::{DeclineReason, GatewayError, PaymentDetailsError};
use crate::store::{Entity, Limit, Rule, StoreError};

/// What went wrong in a portal call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A malformed email address.
    #[error(transparent)]
    Email(#[from] EmailError),
    /// A malformed portal slug.
    #[error(transparent)]
    Slug(#[from] SlugError),
    /// A bad amount or currency.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A password that does not meet the policy.
    #[error(transparent)]
    PasswordPolicy(#[from] PasswordPolicyError),
    /// An invitation template that does not check.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A text field too short or too long.
    #[error(transparent)]
    Text(#[from] TextError),
    /// A malformed user preference.
    #[error(transparent)]
    Preference(#[from] PreferenceError),
    /// A permission naming an action its module does not have.
    #[error(transparent)]
    Permission(#[from] NotApplicable),
    /// The action does not fit the record's current state.
    #[error(transparent)]
    InvalidTransition(#[from] TransitionError),
    /// No such record, or it is not yours to see.
    #[error("{0} not found")]
    NotFound(Entity),
    /// Only quotes, invoices and sales orders are forwarded, emailed on their own
    /// or sent as a document link; a receipt or credit note goes with its payment's
    /// or invoice's email.
    #[error("a {} cannot be forwarded, emailed on its own or sent as a link; share the invoice it belongs to", .0.label())]
    NotShareable(crate::domain::DocumentKind),
    /// Comments are kept on quotes, invoices, projects and timesheets.
    #[error("a {} has no comments; comment on its quote or invoice", .0.label())]
    NotCommentable(crate::domain::DocumentKind),
    /// The portal URL slug is taken by another organization.
    #[error("this portal address is taken; choose another slug")]
    SlugTaken,
    /// The organization already used this document number (invoice, quote or sales
    /// order numbers are unique per organization).
    #[error("this {0} number is already used by this organization; choose another number")]
    NumberTaken(Entity),
    /// Another contact of the organization has this email.
    #[error("another contact of this organization already has this email address")]
    ContactEmailTaken,
    /// The contact has no email, so cannot be invited.
    #[error("the contact has no email address; add one before enabling portal access")]
    ContactHasNoEmail,
    /// The customer has no contact person with an email address.
    #[error("the customer has no contact person with an email address; add one first")]
    NoContactWithEmail,
    /// The organization already has the most roles allowed.
    #[error("an organization can have at most {0} portal roles; delete one first")]
    RoleLimitReached(usize),
    /// The default role cannot be deleted.
    #[error("the default role cannot be deleted")]
    DefaultRoleIsPermanent,
    /// Inviting would pass the organization's portal user cap.
    #[error("the organization's portal user limit of {0} is reached; disable unused access first")]
    PortalUserCapReached(u64),
    /// The portal is turned off for this organization.
    #[error("this portal is turned off; contact the organization")]
    PortalDisabled,
    /// The invitation or reset link is unknown, used, expired or of another kind.
    #[error("this link is invalid or has expired; ask for a new one")]
    InvalidLink,
    /// Wrong portal, email or password (which one is never said).
    #[error("the email or password is incorrect")]
    InvalidCredentials,
    /// Too many failed sign-ins for this email; try again later. The message says
    /// when in words ("try again in 14 minutes"), never as a timestamp.
    #[error(
        "too many failed sign-ins; try again in {}",
        crate::clock::in_words(*retry_in)
    )]
    TooManyAttempts {
        /// When sign-in will be accepted again.
        retry_after: OffsetDateTime,
        /// How long from the refusal until then.
        retry_in: time::Duration,
    },
    /// The session ended or expired; sign in again.
    #[error("your session has ended; sign in again")]
    SessionExpired,
    /// A document link past its expiry.
    #[error("this link has expired; ask the organization for a new one")]
    LinkExpired,
    /// A document link the organization revoked, or whose document was voided or
    /// whose contact lost access.
    #[error("this link no longer works; ask the organization for a new one")]
    LinkRevoked,
    /// A document link that does not allow this action (or this document has no
    /// such action).
    #[error("this link does not allow that; sign in to the portal or ask the organization")]
    LinkActionNotAllowed,
    /// The contact person or the customer behind this portal user was deleted (CP1003).
    #[error(
        "this portal account belongs to a deleted customer contact; ask the organization to verify the contact still exists"
    )]
    ContactDeleted,
    /// The current password given is wrong.
    #[error("the current password is incorrect")]
    WrongPassword,
    /// The new password and its confirmation differ.
    #[error("the new password and its confirmation do not match")]
    PasswordConfirmationMismatch,
    /// The portal user may not do this, and why.
    #[error("not allowed: {0}")]
    Forbidden(Refusal),
    /// The record was changed by someone else too many times in a row; try again.
    #[error("the record is being changed by someone else; try again")]
    Busy,
    /// Bad line items.
    #[error(transparent)]
    Lines(#[from] LineError),
    /// A bad invoice.
    #[error(transparent)]
    Invoice(#[from] InvoiceError),
    /// The invoice's status does not allow this.
    #[error(transparent)]
    InvoiceState(#[from] InvoiceTransitionError),
    /// A page cursor that does not decode.
    #[error(transparent)]
    Cursor(#[from] CursorError),
    /// Nothing is left to pay on the chosen invoices.
    #[error("there is nothing to pay on the chosen invoices")]
    NothingToPay,
    /// A part payment on an invoice that does not allow it, or on several invoices.
    #[error("this invoice must be paid in full; part payments are not allowed on it")]
    PartialPaymentNotAllowed,
    /// More than what is owed.
    #[error("{amount} is more than the balance due of {balance}")]
    AmountExceedsBalance {
        /// The amount offered.
        amount: Money,
        /// What is owed.
        balance: Money,
    },
    /// Another payment of these invoices is being processed and holds their balance.
    #[error(
        "a payment of this invoice is being processed; check its payments in a moment, then try again"
    )]
    PaymentInProgress,
    /// No payment gateway is associated with the invoice(s).
    #[error(
        "online payment is not set up for this invoice; contact the organization to pay it another way"
    )]
    NoPaymentGateway,
    /// The gateway does not support the currency (CP4003).
    #[error("the payment gateway does not support {0}")]
    UnsupportedCurrency(crate::domain::Currency),
    /// Below the gateway's minimum (CP4001).
    #[error("the payment gateway's minimum amount is {0}")]
    BelowGatewayMinimum(Money),
    /// The customer may not pay by bank account.
    #[error(
        "paying by bank account is not enabled for your account; pay by card or contact the organization"
    )]
    BankPaymentNotAllowed,
    /// An idempotency key that is not 8 to 255 printable ASCII characters.
    #[error("the idempotency key must be 8 to 255 printable ASCII characters")]
    InvalidIdempotencyKey,
    /// The same idempotency key was used for a different payment.
    #[error("this idempotency key was already used for a different payment; use a new key")]
    IdempotencyKeyReused,
    /// The gateway declined the charge.
    #[error("{}", .0.message())]
    PaymentDeclined(DeclineReason),
    /// The gateway failed.
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    /// The charge's outcome is not known yet (the gateway did not answer, or the
    /// payment is being recorded); recovery completes it. Do not pay again with a new
    /// key: retry with the same key.
    #[error(
        "the payment is being processed; check your payments shortly, or retry with the same key"
    )]
    PaymentPending,
    /// The customer must confirm the payment with their bank first: answered by
    /// [`SessionInvoices::pay`](crate::service::SessionInvoices::pay), which waits
    /// for a final answer. Pages that can continue it in the browser call
    /// [`SessionInvoices::pay_online`](crate::service::SessionInvoices::pay_online).
    #[error("your bank asks you to confirm this payment; continue it on the payment page")]
    AuthenticationRequired,
    /// The payment was accepted and settles later (a bank debit): its balance is
    /// reserved, and the customer and the organization hear when it settles.
    #[error(
        "the payment is processing and settles in a few days; the amount is reserved meanwhile"
    )]
    PaymentProcessing,
    /// A retried payment whose first attempt failed.
    #[error("{message}")]
    PaymentFailed {
        /// Why the first attempt failed.
        code: crate::domain::FailureCode,
        /// The first attempt's message.
        message: String,
    },
    /// Card or bank details that cannot be charged as typed.
    #[error(transparent)]
    PaymentDetails(#[from] PaymentDetailsError),
    /// A card expiry that is not a valid month in the future.
    #[error("the expiry must be a month from now on (month 1 to 12, four-digit year)")]
    InvalidExpiry,
    /// A bad sales order.
    #[error(transparent)]
    SalesOrder(#[from] crate::domain::SalesOrderError),
    /// The sales order's status does not allow this.
    #[error(transparent)]
    SalesOrderState(#[from] crate::domain::SalesOrderTransitionError),
    /// A statement range that is not one.
    #[error(transparent)]
    Period(#[from] crate::domain::PeriodError),
    /// A bad quote.
    #[error(transparent)]
    Quote(#[from] crate::domain::QuoteError),
    /// The quote's status does not allow this.
    #[error(transparent)]
    QuoteState(#[from] crate::domain::QuoteTransitionError),
    /// The quote's expiry date has passed.
    #[error("this quote expired on {0}; ask the organization for a new one")]
    QuoteExpired(time::Date),
    /// The quote changed since the customer opened it.
    #[error(
        "this quote was changed since you opened it; open it again and review it before deciding"
    )]
    QuoteChanged,
    /// A bad project, task, time entry or timesheet action.
    #[error(transparent)]
    Project(#[from] crate::domain::ProjectError),
    /// A file the upload policy refuses.
    #[error(transparent)]
    File(#[from] crate::domain::FileError),
    /// Not that much credit is available from that source.
    #[error("that much credit is not available; refresh your credits")]
    CreditNotAvailable,
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// Password hashing failed.
    #[error(transparent)]
    Hashing(#[from] HashingError),
    /// The random source failed.
    #[error(transparent)]
    Random(#[from] RandomError),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Error::NotFound(what),
            StoreError::Conflict(rule) => match rule {
                Rule::PortalSlug => Error::SlugTaken,
                Rule::ContactEmail => Error::ContactEmailTaken,
                Rule::InvoiceNumber => Error::NumberTaken(Entity::Invoice),
                Rule::QuoteNumber => Error::NumberTaken(Entity::Quote),
                Rule::SalesOrderNumber => Error::NumberTaken(Entity::SalesOrder),
                Rule::CreditAvailable => Error::CreditNotAvailable,
                Rule::InvoiceReserved => Error::PaymentInProgress,
                // The services check these before they call the store; a store that
                // still answers them lost a race or holds data the library did not
                // write, which is the store's failure, not the caller's input.
                Rule::PaymentAttempt
                | Rule::PaymentCurrency
                | Rule::InvoiceBalance
                | Rule::QuoteStatus
                | Rule::ContactPortalStatus
                | Rule::ContactInvitedTwice
                | Rule::ContactOfAnotherCustomer
                | Rule::InvitationOfAnotherOrganization
                | Rule::TimeEntryState
                | Rule::DateOutOfRange
                | Rule::Exists(_) => Error::Store(StoreError::Conflict(rule)),
            },
            StoreError::LimitReached {
                what: Limit::PortalUsers,
                limit,
            } => Error::PortalUserCapReached(limit),
            StoreError::ConcurrentModification(_) => Error::Busy,
            other @ (StoreError::Unavailable(_) | StoreError::Backend(_)) => Error::Store(other),
        }
    }
}

impl Error {
    /// A stable, machine-readable code (the seeds' CP codes where they apply).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Error::Email(_) => "invalid_email",
            Error::Slug(_) => "invalid_slug",
            Error::Money(
                MoneyError::UnknownCurrency(_) | MoneyError::SupersededCurrency { .. },
            ) => "unknown_currency",
            Error::Money(MoneyError::CurrencyMismatch { .. }) => "currency_mismatch",
            Error::Money(_)
            | Error::Lines(LineError::Money(_))
            | Error::Invoice(InvoiceError::Money(_) | InvoiceError::Lines(LineError::Money(_)))
            | Error::Quote(crate::domain::QuoteError::Lines(LineError::Money(_)))
            | Error::SalesOrder(crate::domain::SalesOrderError::Lines(LineError::Money(_))) => {
                "invalid_amount"
            }
            Error::PasswordPolicy(_) => "weak_password",
            Error::Template(_) => "invalid_template",
            Error::Text(_) => "invalid_text",
            Error::Preference(_) => "invalid_preference",
            Error::Permission(_) => "invalid_permission",
            Error::InvalidTransition(_) => "invalid_state",
            Error::NotFound(_) => "not_found",
            Error::NotShareable(_) => "not_shareable",
            Error::NotCommentable(_) => "not_commentable",
            Error::SlugTaken => "slug_taken",
            Error::ContactEmailTaken => "contact_email_taken",
            Error::NumberTaken(_) => "number_taken",
            Error::ContactHasNoEmail => "contact_has_no_email",
            Error::NoContactWithEmail => "no_contact_with_email",
            Error::RoleLimitReached(_) => "role_limit_reached",
            Error::DefaultRoleIsPermanent => "default_role_is_permanent",
            Error::PortalUserCapReached(_) => "portal_user_cap_reached",
            Error::PortalDisabled => "portal_disabled",
            Error::InvalidLink => "invalid_link",
            Error::InvalidCredentials => "invalid_credentials",
            Error::TooManyAttempts { .. } => "too_many_attempts",
            Error::SessionExpired => "session_expired",
            Error::LinkExpired => "link_expired",
            Error::LinkRevoked => "link_revoked",
            Error::LinkActionNotAllowed => "link_action_not_allowed",
            Error::ContactDeleted => "CP1003",
            Error::WrongPassword => "wrong_password",
            Error::PasswordConfirmationMismatch => "password_confirmation_mismatch",
            Error::Forbidden(_) => "forbidden",
            Error::Busy => "busy",
            Error::Lines(_) => "invalid_line_items",
            Error::Invoice(_) => "invalid_invoice",
            Error::InvoiceState(_) => "invalid_state",
            Error::Cursor(_) => "invalid_cursor",
            Error::NothingToPay => "nothing_to_pay",
            Error::PartialPaymentNotAllowed => "partial_payment_not_allowed",
            Error::AmountExceedsBalance { .. } => "amount_exceeds_balance",
            Error::PaymentInProgress => "payment_in_progress",
            Error::NoPaymentGateway => "no_payment_gateway",
            Error::UnsupportedCurrency(_) => "CP4003",
            Error::BelowGatewayMinimum(_) => "CP4001",
            Error::BankPaymentNotAllowed => "bank_payment_not_allowed",
            Error::InvalidIdempotencyKey => "invalid_idempotency_key",
            Error::IdempotencyKeyReused => "idempotency_key_reused",
            Error::PaymentDeclined(reason) => reason.code(),
            Error::Gateway(e) => e.code(),
            Error::PaymentPending => "payment_pending",
            Error::AuthenticationRequired => "authentication_required",
            Error::PaymentProcessing => "payment_processing",
            Error::PaymentFailed { code, .. } => code.as_str(),
            Error::CreditNotAvailable => "credit_not_available",
            Error::Project(ProjectError::ReasonRequired) => "reason_required",
            Error::Project(ProjectError::AlreadyDecided(_)) => "invalid_state",
            Error::Project(ProjectError::NotInvoiceable) => "time_not_approved",
            Error::Project(ProjectError::NotSubmittable) => "time_not_submittable",
            Error::Project(_) => "invalid_project",
            Error::File(FileError::TooLarge { .. }) => "file_too_large",
            Error::File(FileError::TypeNotAllowed { .. } | FileError::NameMismatch { .. }) => {
                "file_type_not_allowed"
            }
            Error::File(_) => "invalid_file",
            Error::InvalidExpiry => "invalid_expiry",
            Error::PaymentDetails(_) => "invalid_payment_details",
            Error::Period(_) => "invalid_period",
            Error::SalesOrder(_) => "invalid_sales_order",
            Error::SalesOrderState(_) => "invalid_state",
            Error::Quote(_) => "invalid_quote",
            Error::QuoteState(_) => "invalid_state",
            Error::QuoteExpired(_) => "quote_expired",
            Error::QuoteChanged => "quote_changed",
            Error::Store(StoreError::Unavailable(_)) => "store_unavailable",
            Error::Store(_) => "store_failure",
            Error::Hashing(_) => "hashing_failure",
            Error::Random(_) => "random_failure",
        }
    }

    /// The one input a refusal is about, by the library's name for it, so a form
    /// can put the message beside that field and keep the rest as typed:
    /// a text field's name (`"subject"`, `"message"`, `"comment"`, `"reason"`,
    /// `"first_name"`, ...), a payment detail (`"card number"`, `"security code"`,
    /// `"holder name"`, `"routing number"`, `"account number"`, `"expiry"`),
    /// `"amount"` for an amount that cannot be paid, `"disputes"` when a dispute
    /// names no entry, `"email"`, `"password"` (too weak), `"password
    /// confirmation"`, `"current password"`. `None` when the refusal is about the request as a
    /// whole (a declined card, a changed quote).
    #[must_use]
    pub fn field(&self) -> Option<&'static str> {
        use crate::domain::ProjectError;
        match self {
            Error::Text(e) => Some(e.field),
            Error::PaymentDetails(e) => Some(e.field),
            Error::InvalidExpiry => Some("expiry"),
            Error::Email(_) => Some("email"),
            Error::PasswordPolicy(_) => Some("password"),
            Error::PasswordConfirmationMismatch => Some("password confirmation"),
            Error::WrongPassword => Some("current password"),
            Error::Money(MoneyError::CurrencyMismatch { .. }) => None,
            Error::Money(
                MoneyError::UnknownCurrency(_) | MoneyError::SupersededCurrency { .. },
            ) => Some("currency"),
            Error::Money(_)
            | Error::PartialPaymentNotAllowed
            | Error::AmountExceedsBalance { .. }
            | Error::BelowGatewayMinimum(_) => Some("amount"),
            Error::Project(ProjectError::ReasonRequired) => Some("reason"),
            Error::Project(ProjectError::NothingDisputed) => Some("disputes"),
            _ => None,
        }
    }

    /// Whether the caller's request was at fault (anything but [`ErrorKind::Unavailable`]
    /// and [`ErrorKind::Internal`]): what it should change is in the message.
    #[must_use]
    pub fn is_input_error(&self) -> bool {
        !matches!(self.kind(), ErrorKind::Unavailable | ErrorKind::Internal)
    }

    /// What kind of failure this is: what a host answers it with, in one `match`
    /// (an HTTP status, a retry, a sign-in page). Every variant has exactly one
    /// kind; the [`code`](Self::code) tells the cases apart within it.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        use ErrorKind as K;
        match self {
            Error::Email(_)
            | Error::Slug(_)
            | Error::Money(_)
            | Error::PasswordPolicy(_)
            | Error::Template(_)
            | Error::Text(_)
            | Error::Preference(_)
            | Error::Permission(_)
            | Error::ContactHasNoEmail
            | Error::NoContactWithEmail
            | Error::WrongPassword
            | Error::PasswordConfirmationMismatch
            | Error::Lines(_)
            | Error::Invoice(_)
            | Error::Cursor(_)
            | Error::NothingToPay
            | Error::PartialPaymentNotAllowed
            | Error::AmountExceedsBalance { .. }
            | Error::BankPaymentNotAllowed
            | Error::InvalidIdempotencyKey
            | Error::PaymentDetails(_)
            | Error::InvalidExpiry
            | Error::SalesOrder(_)
            | Error::Period(_)
            | Error::Quote(_)
            | Error::Project(_)
            | Error::File(_)
            | Error::CreditNotAvailable
            | Error::InvalidLink
            | Error::NotShareable(_)
            | Error::NotCommentable(_)
            | Error::InvalidCredentials => K::Input,
            Error::SessionExpired | Error::ContactDeleted => K::Unauthenticated,
            Error::Forbidden(_) | Error::PortalDisabled | Error::LinkActionNotAllowed => {
                K::Forbidden
            }
            Error::NotFound(_) => K::NotFound,
            Error::LinkExpired | Error::LinkRevoked => K::Gone,
            Error::SlugTaken
            | Error::NumberTaken(_)
            | Error::ContactEmailTaken
            | Error::RoleLimitReached(_)
            | Error::DefaultRoleIsPermanent
            | Error::PortalUserCapReached(_)
            | Error::InvalidTransition(_)
            | Error::InvoiceState(_)
            | Error::SalesOrderState(_)
            | Error::QuoteState(_)
            | Error::QuoteChanged
            | Error::QuoteExpired(_)
            | Error::PaymentInProgress
            | Error::IdempotencyKeyReused => K::Conflict,
            Error::NoPaymentGateway
            | Error::UnsupportedCurrency(_)
            | Error::BelowGatewayMinimum(_)
            | Error::PaymentDeclined(_)
            | Error::Gateway(_)
            | Error::PaymentPending
            | Error::AuthenticationRequired
            | Error::PaymentProcessing
            | Error::PaymentFailed { .. } => K::Payment,
            Error::TooManyAttempts { .. } => K::Throttled,
            Error::Store(StoreError::Unavailable(_)) | Error::Busy => K::Unavailable,
            Error::Store(_) | Error::Hashing(_) | Error::Random(_) => K::Internal,
        }
    }
}

/// What kind of failure an [`Error`] is ([`Error::kind`]): the cut a host answers
/// by. The HTTP status in each line is what the web host answers; a host with
/// other answers maps the same kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request's input was refused: text, amounts, dates, wrong credentials, a
    /// form to correct (422). Nothing changed.
    Input,
    /// No longer signed in: the session ended, or the contact behind it was
    /// deleted (401: to the sign-in page).
    Unauthenticated,
    /// Not allowed here: a setting, the role, the portal turned off (403).
    Forbidden,
    /// Not there, or not the caller's: the same answer (404).
    NotFound,
    /// It was there and is no more: an expired or revoked link (410).
    Gone,
    /// The current state does not allow it, or another change won: taken names and
    /// numbers, a document's status or expiry, a payment in flight (409). Look
    /// again, then retry.
    Conflict,
    /// The payment was not made: declined, not offered, not set up, or its outcome
    /// not known yet (402).
    Payment,
    /// Too many attempts; the message says when to try again (429).
    Throttled,
    /// The store is unreachable, or the record kept changing under concurrent
    /// writes: retry in a moment (503).
    Unavailable,
    /// A failure of the library or its store, not of the request; the detail
    /// belongs in the log, never to the user (500).
    Internal,
}

impl From<crate::domain::ReviseError> for Error {
    fn from(e: crate::domain::ReviseError) -> Self {
        match e {
            crate::domain::ReviseError::Status(s) => Error::QuoteState(s),
            crate::domain::ReviseError::Quote(q) => Error::Quote(q),
        }
    }
}

impl From<crate::auth::NewPasswordError> for Error {
    fn from(e: crate::auth::NewPasswordError) -> Self {
        match e {
            crate::auth::NewPasswordError::Policy(p) => Error::PasswordPolicy(p),
            crate::auth::NewPasswordError::Mismatch => Error::PasswordConfirmationMismatch,
        }
    }
}

impl From<SettleError> for Error {
    fn from(e: SettleError) -> Self {
        match e {
            SettleError::ExceedsBalance { balance, amount } => {
                Error::AmountExceedsBalance { amount, balance }
            }
            SettleError::Status(s) => Error::InvoiceState(s),
            SettleError::Money(m) => Error::Money(m),
        }
    }
}

/// Result of a portal call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
