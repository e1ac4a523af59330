//! The names most host code needs, in one import: `use portal_core::prelude::*;`.
//!
//! The portal and its two sides, the ports a host picks or implements, the errors,
//! and the everyday domain types of the tour (organizations, customers, contacts,
//! money, invoices and paying them, pages, roles). Everything else is in the
//! modules: [`domain`](crate::domain), [`store`](crate::store),
//! [`service`](crate::service), [`auth`](crate::auth), [`gateway`](crate::gateway),
//! [`mailer`](crate::mailer), [`clock`](crate::clock).

pub use crate::auth::SessionPolicy;
pub use crate::clock::{Clock, SystemClock};
pub use crate::domain::{
    Action, Address, ContactId, ContactPerson, Currency, Customer, CustomerId, Email, Invoice,
    InvoiceId, InvoiceKind, InvoiceQuery, LineItem, Module, Money, NewContact, NewCustomer,
    NewInvoice, NewOrganization, OrgId, Organization, Page, PageRequest, PortalSlug,
};
pub use crate::error::{Error, Result};
pub use crate::gateway::{CardDetails, PaymentGateway};
pub use crate::mailer::Mailer;
pub use crate::service::{
    AcceptInvitation, InvoiceSelection, OrgAdmin, PayRequest, PaySource, Portal, PortalBuilder,
    PortalConfig, PortalSession, SignedIn,
};
pub use crate::store::{Backend, FileStore, Store, StoreError};
pub use rust_decimal::Decimal;
pub use time::{Date, OffsetDateTime};
