//! Quotes (estimates) and comments on documents (SPEC Q1–Q5).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

use super::ids::{ContactId, CustomerId, InvoiceId, OrgId, QuoteId};
use super::lines::{LineError, LineItem, totals};
use super::money::{Currency, Money};
use super::text::{TextError, single_line};

/// Where a quote stands. "Expired" is not stored: it is a sent quote whose expiry
/// date has passed (see [`Quote::is_expired`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Being written (or revised); never visible in the portal.
    Draft,
    /// Sent: open for a decision.
    Sent,
    /// Accepted by the customer.
    Accepted,
    /// Declined by the customer.
    Declined,
    /// Turned into an invoice.
    Invoiced,
}

/// What happens to a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteEvent {
    /// The organization sends it.
    Send,
    /// The customer accepts it.
    Accept,
    /// The customer declines it.
    Decline,
    /// The organization revises it (a new revision, back to draft).
    Revise,
    /// The organization turns it into an invoice.
    Invoice,
}

/// A move the quote lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {event:?} a quote whose status is {from:?}")]
pub struct QuoteTransitionError {
    /// The status it was in.
    pub from: QuoteStatus,
    /// What was attempted.
    pub event: QuoteEvent,
}

impl QuoteStatus {
    /// The one transition table of quotes.
    ///
    /// # Errors
    /// [`QuoteTransitionError`] for a move the lifecycle does not have.
    pub fn apply(self, event: QuoteEvent) -> Result<QuoteStatus, QuoteTransitionError> {
        use QuoteEvent as E;
        use QuoteStatus as S;
        match (self, event) {
            (S::Draft, E::Send) => Ok(S::Sent),
            (S::Sent, E::Accept) => Ok(S::Accepted),
            (S::Sent, E::Decline) => Ok(S::Declined),
            (S::Sent | S::Declined, E::Revise) => Ok(S::Draft),
            (S::Accepted, E::Invoice) => Ok(S::Invoiced),
            (from, event) => Err(QuoteTransitionError { from, event }),
        }
    }

    /// The text stored in databases.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Declined => "declined",
            QuoteStatus::Invoiced => "invoiced",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn from_db(text: &str) -> Option<Self> {
        [
            QuoteStatus::Draft,
            QuoteStatus::Sent,
            QuoteStatus::Accepted,
            QuoteStatus::Declined,
            QuoteStatus::Invoiced,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// How a signature was given.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum SignatureMark {
    /// The signer typed their name.
    Typed(String),
    /// The signer drew it: an SVG path or a base64 PNG, as the host's widget makes it
    /// (at most 200 000 characters).
    Drawn(String),
}

impl std::fmt::Debug for SignatureMark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignatureMark::Typed(t) => write!(f, "Typed({t:?})"),
            SignatureMark::Drawn(d) => write!(f, "Drawn({} chars)", d.len()),
        }
    }
}

/// A signature given when accepting a quote, bound to the quote's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The signer's name.
    pub signer_name: String,
    /// When it was given.
    pub signed_at: OffsetDateTime,
    /// The mark.
    pub mark: SignatureMark,
    /// The quote's [`Quote::content_hash`] at signing: a later edit is detectable.
    pub content_hash: String,
}

/// What the host app gives to create a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewQuote {
    /// The organization's number (1 to 50 characters).
    pub number: String,
    /// Line items.
    pub lines: Vec<LineItem>,
    /// Date of issue.
    pub issue_date: Date,
    /// Last day it can be accepted.
    pub expiry_date: Date,
}

/// Why a quote was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuoteError {
    /// Bad lines.
    #[error(transparent)]
    Lines(#[from] LineError),
    /// Bad text.
    #[error(transparent)]
    Text(#[from] TextError),
    /// Expires before it is issued.
    #[error("the expiry date must not be before the issue date")]
    ExpiresBeforeIssue,
}

/// A quote (estimate) sent to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Identifier.
    pub id: QuoteId,
    /// The organization.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// The organization's number.
    pub number: String,
    /// Revision, from 1; each revision after a decline or edit adds one.
    pub revision: u32,
    /// Status.
    pub status: QuoteStatus,
    /// Line items.
    pub lines: Vec<LineItem>,
    /// Total.
    pub total: Money,
    /// Date of issue.
    pub issue_date: Date,
    /// Last day it can be accepted.
    pub expiry_date: Date,
    /// When the customer first opened it.
    pub viewed_at: Option<OffsetDateTime>,
    /// When the customer accepted or declined it.
    pub decided_at: Option<OffsetDateTime>,
    /// The acceptance signature, if one was given.
    pub signature: Option<Signature>,
    /// Why it was declined, if the customer said.
    pub decline_reason: Option<String>,
    /// The invoice raised from it.
    pub invoice: Option<InvoiceId>,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Quote {
    /// A draft quote in the customer's currency.
    ///
    /// # Errors
    /// [`QuoteError`] for bad lines, number or dates.
    pub fn draft(
        org: OrgId,
        customer: CustomerId,
        currency: Currency,
        input: NewQuote,
        now: OffsetDateTime,
    ) -> Result<Self, QuoteError> {
        single_line("quote number", &input.number, 1, 50)?;
        if input.expiry_date < input.issue_date {
            return Err(QuoteError::ExpiresBeforeIssue);
        }
        let t = totals(&input.lines, currency)?;
        Ok(Self {
            id: QuoteId::new(),
            org,
            customer,
            number: input.number.trim().to_owned(),
            revision: 1,
            status: QuoteStatus::Draft,
            lines: input.lines,
            total: t.total,
            issue_date: input.issue_date,
            expiry_date: input.expiry_date,
            viewed_at: None,
            decided_at: None,
            signature: None,
            decline_reason: None,
            invoice: None,
            created_at: now,
            version: 1,
        })
    }

    /// Sent and past its expiry date on `today`.
    #[must_use]
    pub fn is_expired(&self, today: Date) -> bool {
        self.status == QuoteStatus::Sent && self.expiry_date < today
    }

    /// Open for a decision on `today`.
    #[must_use]
    pub fn is_open(&self, today: Date) -> bool {
        self.status == QuoteStatus::Sent && self.expiry_date >= today
    }

    /// A SHA-256 over what the customer agrees to: customer, number, revision, lines,
    /// total and dates. A signature stores it; any later change shows.
    #[must_use]
    pub fn content_hash(&self) -> String {
        let content = serde_json::json!({
            "customer": self.customer,
            "number": self.number,
            "revision": self.revision,
            "lines": self.lines,
            "total": self.total,
            "issue_date": self.issue_date.to_string(),
            "expiry_date": self.expiry_date.to_string(),
        });
        let digest = Sha256::digest(content.to_string().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether the signature (if any) was given for the quote as it is now.
    #[must_use]
    pub fn signature_matches(&self) -> bool {
        self.signature
            .as_ref()
            .is_some_and(|s| s.content_hash == self.content_hash())
    }

    /// Revises the quote: new lines and dates, revision + 1, back to draft, the
    /// earlier decision kept only in history (the org side keeps revisions apart by
    /// number and revision).
    ///
    /// # Errors
    /// [`QuoteTransitionError`] unless it is sent or declined; [`QuoteError`] for
    /// bad input.
    pub fn revise(&mut self, input: NewQuote) -> Result<(), ReviseError> {
        self.status = self.status.apply(QuoteEvent::Revise)?;
        let revised = Quote::draft(
            self.org,
            self.customer,
            self.total.currency(),
            input,
            self.created_at,
        )?;
        self.number = revised.number;
        self.lines = revised.lines;
        self.total = revised.total;
        self.issue_date = revised.issue_date;
        self.expiry_date = revised.expiry_date;
        self.revision += 1;
        self.decided_at = None;
        self.signature = None;
        self.decline_reason = None;
        Ok(())
    }
}

/// Why a revision was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReviseError {
    /// Wrong status.
    #[error(transparent)]
    Status(#[from] QuoteTransitionError),
    /// Bad input.
    #[error(transparent)]
    Quote(#[from] QuoteError),
}

/// The customer's decision on a quote, as the store applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteDecision {
    /// Accepted, optionally signed.
    Accept(Option<Signature>),
    /// Declined, optionally with a reason.
    Decline(Option<String>),
}

/// A review a customer wrote about the organization (C4), shown on the customer's
/// overview on the org side. Plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Identifier.
    pub id: super::ids::ReviewId,
    /// The organization reviewed.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// The contact person who wrote it.
    pub contact: ContactId,
    /// The text (1 to 5000 characters).
    pub body: String,
    /// When it was written.
    pub created_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use time::macros::date;

    fn quote() -> Quote {
        Quote::draft(
            OrgId::new(),
            CustomerId::new(),
            Currency::from_code("EUR").expect("eur"),
            NewQuote {
                number: "Q-1".into(),
                lines: vec![LineItem::new("Site", Decimal::ONE, Decimal::from(900))],
                issue_date: date!(2026 - 04 - 01),
                expiry_date: date!(2026 - 04 - 30),
            },
            OffsetDateTime::UNIX_EPOCH,
        )
        .expect("valid")
    }

    #[test]
    fn transition_table() {
        use QuoteEvent as E;
        use QuoteStatus as S;
        let allowed = [
            (S::Draft, E::Send, S::Sent),
            (S::Sent, E::Accept, S::Accepted),
            (S::Sent, E::Decline, S::Declined),
            (S::Sent, E::Revise, S::Draft),
            (S::Declined, E::Revise, S::Draft),
            (S::Accepted, E::Invoice, S::Invoiced),
        ];
        for from in [S::Draft, S::Sent, S::Accepted, S::Declined, S::Invoiced] {
            for event in [E::Send, E::Accept, E::Decline, E::Revise, E::Invoice] {
                let expected = allowed
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to);
                assert_eq!(from.apply(event).ok(), expected, "{from:?} + {event:?}");
            }
        }
    }

    #[test]
    fn the_signature_is_bound_to_the_content() {
        let mut q = quote();
        q.status = QuoteStatus::Sent;
        q.signature = Some(Signature {
            signer_name: "Ana".into(),
            signed_at: OffsetDateTime::UNIX_EPOCH,
            mark: SignatureMark::Typed("Ana Silva".into()),
            content_hash: q.content_hash(),
        });
        assert!(q.signature_matches());
        q.lines[0].rate = Decimal::from(901);
        assert!(!q.signature_matches(), "an edit after signing shows");
    }

    #[test]
    fn revising_bumps_the_revision_and_clears_the_decision() {
        let mut q = quote();
        q.status = QuoteStatus::Declined;
        q.decline_reason = Some("too expensive".into());
        q.revise(NewQuote {
            number: "Q-1".into(),
            lines: vec![LineItem::new("Site", Decimal::ONE, Decimal::from(800))],
            issue_date: date!(2026 - 05 - 01),
            expiry_date: date!(2026 - 05 - 31),
        })
        .expect("revise");
        assert_eq!((q.revision, q.status), (2, QuoteStatus::Draft));
        assert!(q.decline_reason.is_none());
        assert_eq!(q.total.to_minor_units(), Ok(80_000));
    }

    proptest! {
        /// Random event sequences never reach a state the table does not allow, and
        /// a quote is invoiced only after being accepted.
        #[test]
        fn random_events_stay_legal(events in prop::collection::vec(0_usize..5, 0..40)) {
            use QuoteEvent as E;
            let all = [E::Send, E::Accept, E::Decline, E::Revise, E::Invoice];
            let mut status = QuoteStatus::Draft;
            let mut accepted_before = false;
            for e in events {
                if let Ok(next) = status.apply(all[e]) {
                    if next == QuoteStatus::Invoiced {
                        prop_assert!(accepted_before && status == QuoteStatus::Accepted);
                    }
                    if next == QuoteStatus::Accepted {
                        accepted_before = true;
                        prop_assert_eq!(status, QuoteStatus::Sent);
                    }
                    if next == QuoteStatus::Draft {
                        accepted_before = false;
                    }
                    status = next;
                }
            }
        }
    }
}
