//! Quotes and comments (SPEC Q1–Q5, N1–N2 for quotes).

use time::Date;
use tracing::instrument;

use super::orgs::OrgAdmin;
use super::retrying;
use super::sessions::PortalSession;
use crate::domain::{
    Action, ActivitySubject, CommentTarget, CustomerId, Invoice, InvoiceKind, Module, NewInvoice,
    NewQuote, Page, PortalEvent, Quote, QuoteDecision, QuoteEvent, QuoteId, QuoteQuery,
    QuoteStatus, Signature, SignatureMark,
};
use crate::error::{Error, Result};
use crate::store::Entity;
use crate::store::StoreError;

/// A signature the customer gives when accepting (Q3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInput {
    /// The signer's name (1 to 200 characters).
    pub signer_name: String,
    /// The typed name or drawn mark.
    pub mark: SignatureMark,
}

impl PortalSession {
    async fn decide(
        &self,
        id: QuoteId,
        seen_hash: Option<&str>,
        decision: QuoteDecision,
    ) -> Result<Quote> {
        let store = &self.portal.inner.store;
        let quote = store
            .quotes()
            .of_customer(self.org.id, self.customer.id, id)
            .await?;
        let event = match decision {
            QuoteDecision::Accept(_) => QuoteEvent::Accept,
            QuoteDecision::Decline(_) => QuoteEvent::Decline,
        };
        quote.status.apply(event)?;
        let today = self.today();
        if quote.is_expired(today) {
            return Err(Error::QuoteExpired(quote.expiry_date));
        }
        if seen_hash.is_some_and(|h| h != quote.content_hash()) {
            return Err(Error::QuoteChanged);
        }
        let (pe, verb) = match event {
            QuoteEvent::Accept => (PortalEvent::QuoteAccepted, "accepted"),
            _ => (PortalEvent::QuoteDeclined, "declined"),
        };
        let reason = match &decision {
            QuoteDecision::Decline(Some(r)) => format!("\nReason: {r}\n"),
            _ => String::new(),
        };
        let notice = self.notice(
            pe,
            ActivitySubject::Document(crate::domain::DocumentRef::Quote(id)),
            format!(
                "{} {verb} quote {}",
                self.customer.display_name, quote.number
            ),
            format!(
                "{} ({}) {verb} quote {} (revision {}, {}).\n{reason}",
                self.contact.full_name(),
                self.customer.display_name,
                quote.number,
                quote.revision,
                quote.total
            ),
        );
        let result = store
            .decide_quote(&crate::store::QuoteDecisionRecord {
                org: self.org.id,
                customer: self.customer.id,
                quote: id,
                expected_version: quote.version,
                decision,
                at: self.portal.now(),
                notice,
            })
            .await;
        match result {
            Ok(q) => Ok(q),
            Err(StoreError::ConcurrentModification(_) | StoreError::Conflict(_)) => {
                let now = store
                    .quotes()
                    .of_customer(self.org.id, self.customer.id, id)
                    .await?;
                if now.status == QuoteStatus::Sent {
                    Err(Error::QuoteChanged)
                } else {
                    Err(Error::QuoteState(crate::domain::QuoteTransitionError {
                        from: now.status,
                        event,
                    }))
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Checks the session may `action` on comments of `target` and that the customer
    /// sees the target; returns how to name it in a notification.
    pub(super) async fn comment_target(
        &self,
        target: CommentTarget,
        action: Action,
    ) -> Result<String> {
        let module = match target {
            CommentTarget::Document(crate::domain::DocumentRef::Quote(_)) => Module::Quotes,
            CommentTarget::Document(crate::domain::DocumentRef::Invoice(_)) => Module::Invoices,
            CommentTarget::Project(_) => Module::Projects,
            CommentTarget::Approval(_) => Module::Timesheets,
            CommentTarget::Document(other) => return Err(Error::NotCommentable(other.kind())),
        };
        self.require(module, action)?;
        let store = &self.portal.inner.store;
        let (org, customer) = (self.org.id, self.customer.id);
        Ok(match target {
            CommentTarget::Document(crate::domain::DocumentRef::Quote(id)) => {
                let q = store.quotes().of_customer(org, customer, id).await?;
                format!("quote {}", q.number)
            }
            CommentTarget::Document(crate::domain::DocumentRef::Invoice(id)) => {
                let i = store.invoices().of_customer(org, customer, id).await?;
                format!("invoice {}", i.number)
            }
            CommentTarget::Project(id) => {
                let p = store.customer_project(org, customer, id).await?;
                format!("project {}", p.name)
            }
            CommentTarget::Approval(id) => {
                let a = store.customer_approval(org, customer, id).await?;
                format!("timesheet {}", a.title)
            }
            CommentTarget::Document(other) => return Err(Error::NotCommentable(other.kind())),
        })
    }
}

/// Quotes on the org side: create, send, revise, convert to an invoice.
/// From [`OrgAdmin::quotes`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgQuotes<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Quotes on the org side: create, send, revise, convert to an invoice.
    #[must_use]
    pub fn quotes(self) -> OrgQuotes<'a> {
        OrgQuotes(self)
    }
}

impl OrgQuotes<'_> {
    /// One page of a customer's sent quotes, as the portal lists them (drafts are
    /// not listed). `today` in the query is the portal's.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a customer of another organization, a bad page size or
    /// cursor.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn list(self, customer: CustomerId, query: &QuoteQuery) -> Result<Page<Quote>> {
        self.0.customer_documents(customer, query).await
    }

    /// Creates a draft quote for a customer, in the customer's currency.
    ///
    /// # Errors
    /// [`Error::Quote`] for bad input; `NotFound` for an unknown customer.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn create(self, customer: CustomerId, input: NewQuote) -> Result<Quote> {
        let c = self.0.customers().get(customer).await?;
        if c.is_deleted() {
            return Err(Error::NotFound(Entity::Customer));
        }
        let quote = Quote::draft(self.0.org, customer, c.currency, input, self.0.portal.now())?;
        self.0.portal.inner.store.quotes().create(&quote).await?;
        Ok(quote)
    }

    /// The quote (drafts included).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn get(self, id: QuoteId) -> Result<Quote> {
        self.0.document(id).await
    }

    /// Sends a draft quote to the customer: it becomes visible in the portal.
    ///
    /// # Errors
    /// [`Error::QuoteState`] unless it is a draft.
    #[instrument(skip_all, fields(org = %self.0.org, quote = %id))]
    pub async fn send(self, id: QuoteId) -> Result<Quote> {
        let store = &self.0.portal.inner.store;
        let org = self.0.org;
        retrying(|| async move {
            let mut quote = store.quotes().get(org, id).await?;
            quote.status = quote.status.apply(QuoteEvent::Send)?;
            Ok(store.quotes().update(&quote).await?)
        })
        .await
    }

    /// Replaces a draft quote's contents; only drafts can be edited (a sent quote is
    /// revised instead).
    ///
    /// # Errors
    /// [`Error::QuoteState`] unless it is a draft; [`Error::Quote`] for bad input.
    #[instrument(skip_all, fields(org = %self.0.org, quote = %id))]
    pub async fn edit_draft(self, id: QuoteId, input: NewQuote) -> Result<Quote> {
        let store = &self.0.portal.inner.store;
        let org = self.0.org;
        let input = &input;
        retrying(|| async move {
            let current = store.quotes().get(org, id).await?;
            if current.status != QuoteStatus::Draft {
                return Err(Error::QuoteState(crate::domain::QuoteTransitionError {
                    from: current.status,
                    event: QuoteEvent::Revise,
                }));
            }
            let mut edited = Quote::draft(
                org,
                current.customer,
                current.total.currency(),
                input.clone(),
                current.created_at,
            )?;
            edited.id = current.id;
            edited.revision = current.revision;
            edited.version = current.version;
            Ok(store.quotes().update(&edited).await?)
        })
        .await
    }

    /// Revises a sent or declined quote (Q4): new lines and dates, a new revision, back
    /// to draft (send it again). A signature on the old revision no longer matches.
    ///
    /// # Errors
    /// [`Error::QuoteState`], [`Error::Quote`].
    #[instrument(skip_all, fields(org = %self.0.org, quote = %id))]
    pub async fn revise(self, id: QuoteId, input: NewQuote) -> Result<Quote> {
        let store = &self.0.portal.inner.store;
        let org = self.0.org;
        let input = &input;
        retrying(|| async move {
            let mut quote = store.quotes().get(org, id).await?;
            quote.revise(input.clone())?;
            Ok(store.quotes().update(&quote).await?)
        })
        .await
    }

    /// Turns an accepted quote into a draft invoice with the same lines, in one
    /// operation.
    ///
    /// # Errors
    /// [`Error::QuoteState`] unless accepted; [`Error::Invoice`] for bad dates.
    #[instrument(skip_all, fields(org = %self.0.org, quote = %id))]
    pub async fn convert_to_invoice(
        self,
        id: QuoteId,
        number: &str,
        issue_date: Date,
        due_date: Date,
        payment_gateways: Vec<String>,
    ) -> Result<(Quote, Invoice)> {
        let store = &self.0.portal.inner.store;
        let mut quote = store.quotes().get(self.0.org, id).await?;
        quote.status = quote.status.apply(QuoteEvent::Invoice)?;
        let invoice = Invoice::draft(
            self.0.org,
            quote.customer,
            quote.total.currency(),
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: number.to_owned(),
                lines: quote.lines.clone(),
                issue_date,
                due_date,
                allow_partial_payments: false,
                payment_gateways,
            },
            self.0.portal.now(),
        )?;
        quote.invoice = Some(invoice.id);
        self.0
            .check_customer_total(quote.customer, invoice.total)
            .await?;
        let saved = store.convert_quote(&quote, &invoice).await?;
        Ok((saved, invoice))
    }
}

/// The customer's quotes: list, read, accept with a signature, decline (Q1–Q3).
/// From [`PortalSession::quotes`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionQuotes<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The customer's quotes: list, read, accept with a signature, decline (Q1–Q3).
    #[must_use]
    pub fn quotes(&self) -> SessionQuotes<'_> {
        SessionQuotes(self)
    }
}

impl SessionQuotes<'_> {
    /// One page of the customer's quotes (Q1). `today` is the portal's.
    ///
    /// # Errors
    /// [`Error::Forbidden`], a bad page size.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn list(self, query: &QuoteQuery) -> Result<Page<Quote>> {
        self.0.documents(query).await
    }

    /// Opens a quote (Q2): the first view marks it viewed and notifies the org. The
    /// quote's [`Quote::content_hash`] is what [`Self::accept`] expects back.
    ///
    /// # Errors
    /// `NotFound` for a draft or someone else's quote.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, quote = %id))]
    pub async fn get(self, id: QuoteId) -> Result<Quote> {
        self.0.open(id).await
    }

    /// Accepts an open, unexpired quote (Q3), optionally signed. `seen_hash` is the
    /// [`Quote::content_hash`] of the quote as the customer saw it: if the quote
    /// changed since, [`Error::QuoteChanged`]. A signature is bound to that hash.
    ///
    /// # Errors
    /// [`Error::Forbidden`], [`Error::QuoteExpired`], [`Error::QuoteChanged`],
    /// [`Error::QuoteState`] if it is not open (or another decision won).
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, quote = %id))]
    pub async fn accept(
        self,
        id: QuoteId,
        seen_hash: &str,
        signature: Option<SignatureInput>,
    ) -> Result<Quote> {
        self.0.require(Module::Quotes, Action::Accept)?;
        let signature = match signature {
            None => None,
            Some(input) => {
                crate::domain::single_line_text("signer name", &input.signer_name, 1, 200)?;
                match &input.mark {
                    SignatureMark::Typed(t) => {
                        crate::domain::single_line_text("signature", t, 1, 200)?
                    }
                    SignatureMark::Drawn(d) => {
                        crate::domain::limited_text("signature", d, 1, 200_000)?;
                    }
                }
                Some(Signature {
                    signer_name: input.signer_name.trim().to_owned(),
                    signed_at: self.0.portal.now(),
                    mark: input.mark,
                    content_hash: seen_hash.to_owned(),
                })
            }
        };
        self.0
            .decide(id, Some(seen_hash), QuoteDecision::Accept(signature))
            .await
    }

    /// Declines an open quote (Q4), with an optional reason (at most 2000 characters).
    ///
    /// # Errors
    /// As [`Self::accept`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, quote = %id))]
    pub async fn decline(self, id: QuoteId, reason: Option<&str>) -> Result<Quote> {
        self.0.require(Module::Quotes, Action::Accept)?;
        let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => {
                crate::domain::limited_text("reason", r, 1, 2_000)?;
                Some(r.to_owned())
            }
            None => None,
        };
        self.0
            .decide(id, None, QuoteDecision::Decline(reason))
            .await
    }
}
