//! Document links (beyond the seeds): the organization sends a quote or an invoice
//! with a link that opens that one document without signing in, with chosen
//! actions only. The link expires (the organization's `document_link_days`), can
//! be revoked, stops working when the document is voided or the contact loses
//! access, is stored only as a hash, and every use is in the activity feed.

use tracing::instrument;

use super::invoices::notice_of;
use super::orgs::OrgAdmin;
use super::sessions::PortalSession;
use super::{PayRequest, Portal};
use crate::auth::{SecretToken, SessionRecord};
use crate::domain::{
    ActivitySubject, AttachedDocument, ContactId, CustomerId, DocumentLink, DocumentRef, EmailKind,
    InvoiceStatus, LinkActions, LinkId, Money, OutboxEmail, Payment, PortalEvent, PortalStatus,
    Quote, SessionId,
};
use crate::error::{Error, Result};
use crate::i18n::{Language, Reader};
use crate::print::Printable;
use crate::service::{InvoiceSelection, PaySource, SignatureInput};
use crate::store::Entity;

/// The organization's document links. From [`OrgAdmin::links`].
#[derive(Debug, Clone, Copy)]
pub struct OrgLinks<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Document links: send, list, revoke.
    #[must_use]
    pub fn links(self) -> OrgLinks<'a> {
        OrgLinks(self)
    }
}

impl OrgLinks<'_> {
    /// Sends `contact` a link to a sent document: the link is stored (as a hash),
    /// and an email with it (and the document attached, when the portal has a
    /// renderer) is queued. `pay` is only for invoices, `decide` only for quotes.
    /// Returns the link and its secret (shown once; it is not kept).
    ///
    /// # Errors
    /// `NotFound` for a document or contact not of this organization, or a draft;
    /// [`Error::LinkActionNotAllowed`] for an action the document does not have;
    /// [`Error::LinkRevoked`] for a void invoice or a contact without an email or
    /// whose access is disabled.
    #[instrument(skip_all, fields(org = %self.0.org, contact = %contact))]
    pub async fn send(
        self,
        document: DocumentRef,
        contact: ContactId,
        actions: LinkActions,
    ) -> Result<(DocumentLink, SecretToken)> {
        let admin = self.0;
        let store = &admin.portal.inner.store;
        let sent = super::outbox::sent_document(admin, document).await?;
        if sent.void {
            return Err(Error::LinkRevoked);
        }
        let customer = sent.customer;
        let is_invoice = matches!(document, DocumentRef::Invoice(_));
        let is_quote = matches!(document, DocumentRef::Quote(_));
        if (actions.pay && !is_invoice) || (actions.decide && !is_quote) {
            return Err(Error::LinkActionNotAllowed);
        }
        let person = store.contact(admin.org, contact).await?;
        if person.customer != customer || person.deleted_at.is_some() {
            return Err(Error::NotFound(Entity::Contact));
        }
        let to = person.email.clone().ok_or(Error::LinkRevoked)?;
        if person.portal_status == PortalStatus::Disabled {
            return Err(Error::LinkRevoked);
        }
        let org = store.org(admin.org).await?;
        let now = admin.portal.now();
        let (link, token, url) = issue_link(admin, &org, &person, document, actions).await?;
        use crate::i18n::arg;
        let reader = crate::i18n::Reader::of(&person, &org);
        let can: Vec<String> = [
            (true, "link-can-view"),
            (actions.download, "link-can-download"),
            (actions.pay, "link-can-pay"),
            (actions.decide, "link-can-decide"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, id)| reader.text(id, &[]))
        .collect();
        // The last day, where the reader is.
        let until = reader.date(reader.local_date(link.expires_at));
        let args = [
            ("name", arg(&person.first_name)),
            ("org", arg(&org.name)),
            ("document", arg(sent.text.name(&reader))),
            ("actions", arg(crate::i18n::list(reader.language(), &can))),
            ("link", arg(&url)),
            ("until", arg(until)),
        ];
        let email = OutboxEmail::new(
            org.id,
            EmailKind::CustomerNotification,
            to,
            reader.text("link-subject", &args),
            reader.text("link-body", &args) + "\n",
            now,
        )
        .with_attachment(AttachedDocument::of(document, customer).read_by(&reader));
        store.enqueue_email(&email).await?;
        tracing::info!(link = %link.id, "document link sent");
        Ok((link, token))
    }

    /// The customer's links, newest first.
    ///
    /// # Errors
    /// Store errors.
    pub async fn list(self, customer: CustomerId) -> Result<Vec<DocumentLink>> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_links(self.0.org, customer)
            .await?)
    }

    /// Revokes a link: it stops working at once.
    ///
    /// # Errors
    /// `NotFound` for another organization's link.
    #[instrument(skip_all, fields(org = %self.0.org, link = %id))]
    pub async fn revoke(self, id: LinkId) -> Result<DocumentLink> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .revoke_link(self.0.org, id, self.0.portal.now())
            .await?)
    }
}

/// Stores a new link to `document` for `person` (a contact of the document's
/// customer, checked by the caller), living as long as the organization says:
/// the link, its secret, and its address.
pub(super) async fn issue_link(
    admin: OrgAdmin<'_>,
    org: &crate::domain::Organization,
    person: &crate::domain::ContactPerson,
    document: DocumentRef,
    actions: LinkActions,
) -> Result<(DocumentLink, SecretToken, String)> {
    let now = admin.portal.now();
    let token = SecretToken::generate_for(admin.org)?;
    let link = DocumentLink {
        id: LinkId::new(),
        org: admin.org,
        customer: person.customer,
        contact: person.id,
        document,
        actions,
        token_hash: token.hash(),
        created_at: now,
        expires_at: now + time::Duration::days(i64::from(org.settings.document_link_days)),
        revoked_at: None,
    };
    admin.portal.inner.store.create_link(&link).await?;
    let url = format!(
        "{}/d/{}",
        admin.portal.portal_url(&org.slug),
        token.expose()
    );
    Ok((link, token, url))
}

/// An opened document link: that one document, and the actions the link allows,
/// done as the contact it was sent to. From [`Portal::open_link`].
#[derive(Debug, Clone)]
pub struct LinkAccess {
    link: DocumentLink,
    session: PortalSession,
    /// Who reads the document: the contact it was sent to unless the host says
    /// otherwise ([`Self::read_in`]).
    reader: Reader,
}

impl Portal {
    /// Opens a document link: checks it is live (not revoked, not expired), that
    /// its document is not void and its contact still has access.
    ///
    /// # Errors
    /// `NotFound` for an unknown link; [`Error::LinkExpired`];
    /// [`Error::LinkRevoked`]; [`Error::PortalDisabled`].
    #[instrument(skip_all)]
    pub async fn open_link(&self, token: &str) -> Result<LinkAccess> {
        let secret = SecretToken::from_text(token);
        let Live {
            link,
            mut org,
            customer,
            mut contact,
        } = self.live_link(&secret.key()).await?;
        let now = self.now();
        // The link's actions are the organization's grant: the person acts with
        // them whatever their portal role or whether they ever signed in, and with
        // nothing else (LinkAccess offers only the link's document and actions).
        contact.portal_status = PortalStatus::Active;
        contact.role = None;
        let default = org.role_or_default(None).id;
        for role in &mut org.roles {
            if role.id == default {
                role.permissions = crate::domain::Permissions::all();
            }
        }
        let record = SessionRecord {
            id: SessionId::new(),
            token_hash: link.token_hash,
            org: org.id,
            customer: customer.id,
            contact: contact.id,
            created_at: now,
            last_seen_at: now,
        };
        let reader = Reader::of(&contact, &org);
        Ok(LinkAccess {
            session: PortalSession {
                portal: self.clone(),
                record,
                org,
                customer,
                contact,
            },
            link,
            reader,
        })
    }

    /// The link with this hash if it is live now: not revoked, not expired, its
    /// portal on, its customer and contact live and with access, its invoice (for
    /// an invoice link) not void. What opening a link checks, and what every action
    /// of an opened link checks again.
    async fn live_link(&self, key: &crate::domain::TokenKey) -> Result<Live> {
        let store = &self.inner.store;
        let link = store.link_by_hash(key).await?;
        if !key.finds(link.org, &link.token_hash) {
            return Err(Error::NotFound(Entity::DocumentLink));
        }
        if link.revoked_at.is_some() {
            return Err(Error::LinkRevoked);
        }
        if self.now() >= link.expires_at {
            return Err(Error::LinkExpired);
        }
        let org = store.org(link.org).await?;
        if !org.settings.enabled {
            return Err(Error::PortalDisabled);
        }
        let customer = store.customer(link.org, link.customer).await?;
        let contact = store.contact(link.org, link.contact).await?;
        if customer.deleted_at.is_some()
            || contact.deleted_at.is_some()
            || contact.portal_status == PortalStatus::Disabled
        {
            return Err(Error::LinkRevoked);
        }
        if let DocumentRef::Invoice(id) = link.document {
            let invoice = store
                .invoices()
                .of_customer(link.org, link.customer, id)
                .await?;
            if invoice.status == InvoiceStatus::Void {
                return Err(Error::LinkRevoked);
            }
        }
        Ok(Live {
            link,
            org,
            customer,
            contact,
        })
    }
}

/// A link found live, with what it opens.
struct Live {
    link: DocumentLink,
    org: crate::domain::Organization,
    customer: crate::domain::Customer,
    contact: crate::domain::ContactPerson,
}

impl LinkAccess {
    /// The document read in `language`, with the organization's formats and
    /// time zone: whoever opened a link is not signed in, so a web host passes
    /// their browser's language (the link may have been passed on to someone
    /// else). Unless called, the document reads as the contact it was sent to.
    #[must_use]
    pub fn read_in(mut self, language: Language) -> Self {
        self.reader = Reader::new(&crate::domain::UserPreferences {
            language: language.tag().to_owned(),
            ..self.session.org.settings.default_user_preferences.clone()
        });
        self
    }

    /// Who the document is written for.
    #[must_use]
    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    /// The link.
    #[must_use]
    pub fn link(&self) -> &DocumentLink {
        &self.link
    }

    /// The organization's portal slug (a web host builds its URLs with it).
    #[must_use]
    pub fn org_slug(&self) -> &crate::domain::PortalSlug {
        self.session.org_slug()
    }

    /// The organization's name.
    #[must_use]
    pub fn org_name(&self) -> &str {
        self.session.org_name()
    }

    /// Today in the organization's time zone: what the page compares expiry and
    /// due dates with, as the library does.
    #[must_use]
    pub fn today(&self) -> time::Date {
        self.session.today()
    }

    fn subject(&self) -> ActivitySubject {
        ActivitySubject::Document(self.link.document)
    }

    /// Records a use of the link in the activity feed.
    async fn used(&self, event: PortalEvent, what: &str, document: &str) -> Result<()> {
        let s = &self.session;
        let title = format!(
            "{} {what} {document} through a document link",
            s.contact.full_name()
        );
        let notice = notice_of(
            (&s.org, &s.customer, &s.contact),
            s.portal.now(),
            event,
            self.subject(),
            title.clone(),
            format!("{title}.\n"),
        );
        s.portal.inner.store.record_link_use(&notice).await?;
        Ok(())
    }

    /// Checks again, right before an action, that the link is still live: a
    /// revocation, an expiry, a contact or customer who lost access, a portal turned
    /// off or a voided invoice since it was opened stops the action, whatever it is.
    async fn still_live(&self) -> Result<()> {
        self.session
            .portal
            .live_link(&self.link.key())
            .await
            .map(|_| ())
    }

    async fn printable_of(&self) -> Result<Printable> {
        self.session
            .print_for(self.reader.clone())
            .document(self.link.document)
            .await
    }

    /// The document, ready to show (viewing is always allowed). Recorded as
    /// opened.
    ///
    /// # Errors
    /// [`Error::LinkRevoked`], [`Error::LinkExpired`] or [`Error::PortalDisabled`]
    /// when the link stopped working since it was opened (every action checks
    /// again); store errors; the document's reads.
    pub async fn view(&self) -> Result<Printable> {
        self.still_live().await?;
        let doc = self.printable_of().await?;
        self.used(PortalEvent::Viewed, "opened", &doc.title).await?;
        Ok(doc)
    }

    /// The document as it stands after an action through the link (a payment, a
    /// decision), to show it again: that action is the use recorded, so this is
    /// not recorded again. Show an opened link with [`Self::view`].
    ///
    /// # Errors
    /// As [`Self::view`].
    pub async fn document(&self) -> Result<Printable> {
        self.still_live().await?;
        self.printable_of().await
    }

    /// The document to render as a file, when the link allows downloading.
    /// Recorded as downloaded.
    ///
    /// # Errors
    /// [`Error::LinkActionNotAllowed`]; as [`Self::view`].
    pub async fn download(&self) -> Result<Printable> {
        if !self.link.actions.download {
            return Err(Error::LinkActionNotAllowed);
        }
        self.still_live().await?;
        let doc = self.printable_of().await?;
        self.used(PortalEvent::Viewed, "downloaded", &doc.title)
            .await?;
        Ok(doc)
    }

    /// Pays the linked invoice (its balance, or `amount` where part payments are
    /// allowed) through the same Pay Now rules as the portal: idempotency key,
    /// balance reservation, no overcharge. Recorded as paid.
    ///
    /// # Errors
    /// [`Error::LinkActionNotAllowed`] unless the link allows paying an invoice;
    /// [`Error::LinkRevoked`] if it was revoked since it was opened; every Pay Now
    /// error.
    pub async fn pay(
        &self,
        source: PaySource,
        amount: Option<Money>,
        idempotency_key: String,
    ) -> Result<Payment> {
        self.pay_online(source, amount, idempotency_key)
            .await?
            .paid()
    }

    /// Pays the linked invoice as [`Self::pay`] does, answering also a payment the
    /// bank must confirm or that settles later (see
    /// [`SessionInvoices::pay_online`](super::SessionInvoices::pay_online)). The
    /// link's use is recorded when the payment is made; one that settles later is
    /// recorded by the gateway's event.
    ///
    /// # Errors
    /// As [`Self::pay`], without the two "not yet" errors.
    pub async fn pay_online(
        &self,
        source: PaySource,
        amount: Option<Money>,
        idempotency_key: String,
    ) -> Result<super::PayOutcome> {
        let DocumentRef::Invoice(id) = self.link.document else {
            return Err(Error::LinkActionNotAllowed);
        };
        if !self.link.actions.pay {
            return Err(Error::LinkActionNotAllowed);
        }
        self.still_live().await?;
        let outcome = self
            .session
            .invoices()
            .pay_online(PayRequest {
                invoices: InvoiceSelection::Chosen(vec![id]),
                amount,
                source,
                idempotency_key,
            })
            .await?;
        if let super::PayOutcome::Paid(payment) = &outcome {
            self.used(
                PortalEvent::Paid,
                &format!("paid {}", payment.amount),
                &format!("receipt {}", payment.receipt_number),
            )
            .await?;
        }
        Ok(outcome)
    }

    /// Accepts the linked quote as shown (`seen_hash`), signed. Recorded.
    ///
    /// # Errors
    /// [`Error::LinkActionNotAllowed`] unless the link allows deciding a quote;
    /// as [`super::SessionQuotes::accept`].
    pub async fn accept(&self, seen_hash: &str, signature: SignatureInput) -> Result<Quote> {
        let DocumentRef::Quote(id) = self.link.document else {
            return Err(Error::LinkActionNotAllowed);
        };
        if !self.link.actions.decide {
            return Err(Error::LinkActionNotAllowed);
        }
        self.still_live().await?;
        let quote = self
            .session
            .quotes()
            .accept(id, seen_hash, Some(signature))
            .await?;
        self.used(
            PortalEvent::QuoteAccepted,
            "accepted",
            &format!("quote {}", quote.number),
        )
        .await?;
        Ok(quote)
    }

    /// Declines the linked quote. Recorded.
    ///
    /// # Errors
    /// As [`Self::accept`].
    pub async fn decline(&self, reason: Option<&str>) -> Result<Quote> {
        let DocumentRef::Quote(id) = self.link.document else {
            return Err(Error::LinkActionNotAllowed);
        };
        if !self.link.actions.decide {
            return Err(Error::LinkActionNotAllowed);
        }
        self.still_live().await?;
        let quote = self.session.quotes().decline(id, reason).await?;
        self.used(
            PortalEvent::QuoteDeclined,
            "declined",
            &format!("quote {}", quote.number),
        )
        .await?;
        Ok(quote)
    }

    /// What went to the linked invoice, as the portal's invoice page lists it:
    /// each payment's share, by its receipt, and each credit applied, oldest
    /// first. Empty for another kind of document, and when the contact's role may
    /// not view payments. Read after [`Self::view`] or [`Self::document`], which
    /// check the link is live; reading it is not recorded.
    ///
    /// # Errors
    /// Store errors.
    #[instrument(skip_all, fields(link = %self.link.id))]
    pub async fn applied(&self) -> Result<Vec<crate::domain::InvoiceApplication>> {
        let DocumentRef::Invoice(id) = self.link.document else {
            return Ok(Vec::new());
        };
        let s = &self.session;
        if !s
            .can(crate::domain::Module::Payments, crate::domain::Action::View)
            .is_allowed()
        {
            return Ok(Vec::new());
        }
        Ok(s.portal
            .inner
            .store
            .invoice_applications(s.org.id, s.customer.id, id, s.currency())
            .await?)
    }

    /// The quote's content hash as shown, for the accept form (quotes only).
    ///
    /// # Errors
    /// [`Error::LinkActionNotAllowed`] for another kind of document.
    pub async fn quote(&self) -> Result<Quote> {
        let DocumentRef::Quote(id) = self.link.document else {
            return Err(Error::LinkActionNotAllowed);
        };
        self.still_live().await?;
        self.session.quotes().get(id).await
    }
}
