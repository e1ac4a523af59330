//! Domain types and pure business rules: no I/O here.

mod activity;
mod approval;
mod attempt;
mod comment;
mod contact;
mod credit;
mod customer;
mod decision;
mod document;
mod email;
mod file;
mod ids;
mod invoice;
mod lines;
mod link;
mod money;
mod outbox;
mod page;
mod payment;
mod project;
mod query;
mod quote;
mod role;
mod sales_order;
mod secret;
mod settings;
mod slug;
mod statement;
mod template;
mod text;
mod zone;

pub use activity::{Activity, ActivitySubject, Notice};
pub use approval::{ApprovalDecision, DecisionOutcome, TimesheetApproval};
pub use attempt::{
    AttemptProgress, AttemptStage, AttemptStatus, FailureCode, PaymentAttempt, PendingPayment,
};
pub use comment::{Comment, CommentAuthor, CommentTarget, comment_body};
pub use contact::{
    AccessEvent, ContactPerson, DateFormat, NewContact, PortalStatus, PreferenceError,
    TransitionError, UserPreferences,
};
pub use credit::{
    AppliedFrom, AvailableCredit, CreditApplication, CreditNote, CreditSource, InvoiceApplication,
    Refund,
};
pub use customer::{Address, Customer, NewCustomer};
pub use decision::{Decision, Refusal, RolePreview, Setting, decide};
pub use document::{CustomerDocument, DocumentKind, DocumentQuery, DocumentRef, DocumentRefError};
pub use email::{Email, EmailError};
pub use file::{FileError, FileOrigin, SharedFile, UploadPolicy, sniff};
pub use ids::{
    ActivityId, ApplicationId, ApprovalId, AttemptId, CommentId, ContactId, CreditNoteId,
    CustomerId, EmailId, FileId, InvoiceId, LinkId, OrgId, PaymentId, ProjectId, QuoteId, RefundId,
    ReviewId, RoleId, SalesOrderId, SavedMethodId, SessionId, TaskId, TimeEntryId, TokenId,
};
pub use invoice::{
    Invoice, InvoiceError, InvoiceEvent, InvoiceKind, InvoiceStatus, InvoiceTransitionError,
    NewInvoice, SettleError,
};
pub use lines::{LineAmounts, LineError, LineItem, Totals, line_amounts, totals};
pub use link::{DocumentLink, LinkActions};
pub use money::{
    Currency, MAX_AMOUNT_MINOR_UNITS, MAX_CUSTOMER_TOTAL_MINOR_UNITS, Money, MoneyError,
};
pub use outbox::{AttachedDocument, EmailKind, EmailStatus, OutboxEmail};
pub use page::{
    CURSOR_KEY_MAX, CURSOR_KEY_MIN, Cursor, CursorError, Direction, MAX_PAGE_SIZE, Page,
    PageRequest,
};
pub use payment::{
    Allocation, DashboardFigures, Payable, Payment, PaymentMethod, Reservable, Reservation,
    ReservationRefusal, SavedPaymentMethod, allocate_oldest_first, allocate_payment,
    reserve_oldest_first,
};
pub use project::{
    ApprovalStatus, EntryApproval, MAX_ENTRY_MINUTES, NewTimeEntry, Project, ProjectError,
    ProjectStatus, Task, TaskHours, TimeEntry,
};
pub use query::{
    InvoiceFilter, InvoiceQuery, InvoiceSort, QuoteFilter, QuoteQuery, QuoteSort, SalesOrderQuery,
    SalesOrderSort, date_from_days, day_of, days_since_epoch,
};
pub use quote::{
    NewQuote, Quote, QuoteDecision, QuoteError, QuoteEvent, QuoteStatus, QuoteTransitionError,
    Review, ReviseError, Signature, SignatureMark,
};
pub use role::{Action, MAX_ROLES_PER_ORG, Module, NotApplicable, Permissions, Role, RoleName};
pub use sales_order::{
    NewSalesOrder, SalesOrder, SalesOrderError, SalesOrderEvent, SalesOrderStatus,
    SalesOrderTransitionError,
};
pub use secret::{PasswordHash, TokenHash, TokenKey};
pub use settings::{
    DEFAULT_PORTAL_USER_CAP, NewOrganization, OrgContactDetails, OrgNotifications, Organization,
    PortalEvent, PortalPreferences, PortalSettings,
};
pub use slug::{PortalSlug, SlugError};
pub use statement::{
    Aging, PeriodError, Statement, StatementEntry, StatementEntryKind, StatementPeriod,
};
pub use template::{InvitationTemplate, Placeholder, TemplateError, TemplateValues};
pub use text::{TextError, TextProblem, is_reordering_control};
pub(crate) use text::{limited as limited_text, single_line as single_line_text};
pub use zone::{canonical_time_zone, local_date, local_time, time_zone_names};
