#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod auth;
mod clock;
#[cfg(feature = "conformance")]
pub mod conformance;
mod domain;
mod error;
mod gateway;
mod mailer;
mod service;
mod store;
mod store_error;

pub use auth::*;
pub use clock::{Clock, ManualClock, SystemClock, truncate_to_micros};
pub use domain::*;
pub use error::{Error, Result};
#[cfg(any(test, feature = "mocks"))]
pub use gateway::MockPaymentGateway;
pub use gateway::{
    BankDetails, CardDetails, ChargeOutcome, ChargeRecord, ChargeRequest, ChargeSource,
    DeclineReason, GatewayError, GatewayToken, PaymentDetailsError, PaymentGateway, SaveOutcome,
    last_four,
};
#[cfg(any(test, feature = "mocks"))]
pub use mailer::MockMailer;
pub use mailer::{EmailMessage, Mailer, MailerError};
pub use service::{
    AcceptInvitation, AccountOverview, ContactSummary, CreditPreview, DetailsUpdate,
    DispatchReport, InvoiceSelection, OrgAdmin, PayRequest, PaySource, Portal, PortalBuilder,
    PortalConfig, PortalSession, RecoveryReport, SignatureInput, SignedIn,
};
pub use store::{
    AccessStore, ActivityStore, ApprovalDecisionRecord, ApprovalStore, AttemptStart, Backend,
    CommentStore, ContactStore, CreditStore, CustomerStore, DetailsChange, Entity, FileStore,
    Invitation, InvitationBatch, InvoiceStore, Limit, OrgStore, OutboxStore, PasswordChange,
    PaymentMethodStore, PaymentRecording, PaymentStore, ProjectStore, QuoteDecisionRecord,
    QuoteStore, ReviewStore, Rule, SalesOrderStore, SessionStore, SharedFileStore, StatementStore,
    Store, StoreError, StoreResult, TokenRedemption,
};

/// Re-exported so hosts use the same versions as the library.
pub use rust_decimal::{Decimal, RoundingStrategy};
pub use time::{Date, Duration, OffsetDateTime};
