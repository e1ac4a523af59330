//! Pay Now (I5–I8): one invoice, several, or everything outstanding; the balance
//! or a part of it; by card through the organization's gateway, by bank account
//! where the organization allows it, or with a saved method. Every pay form
//! carries an idempotency key made when the form is rendered, so a double click or
//! a resubmit charges once.

use askama::Template;
use axum::extract::RawQuery;
use axum::response::Response;
use axum::routing::get;
use portal_core::PortalSession;
use portal_core::auth::SecretToken;
use portal_core::domain::{
    Action, Invoice, InvoiceFilter, InvoiceId, InvoiceKind, InvoiceQuery, InvoiceStatus,
    MAX_PAGE_SIZE, Module, Money, Payment,
};
use portal_core::gateway::{BankDetails, CardDetails, CustomerAction, MethodRef};
use portal_core::service::PayOutcome;
use portal_core::service::{InvoiceSelection, PayRequest, PaySource};
use portal_core::store::Entity;
use serde::Deserialize;

use super::invoices::invoice_id;
use super::payments::method_label;
use super::{PageError, form_error_at, render};
use crate::AppState;
use crate::extract::{PortalForm, PortalUser};
use crate::i18n::filters;
use axum::extract::State;

/// Whether the invoice has something to pay through a gateway.
#[must_use]
pub fn payable(invoice: &Invoice) -> bool {
    !invoice.balance.is_zero()
        && matches!(
            invoice.status,
            InvoiceStatus::Sent | InvoiceStatus::PartiallyPaid
        )
        && !invoice.payment_gateways.is_empty()
}

/// What a pay form pays.
#[derive(Debug, Clone)]
pub enum Selection {
    /// One invoice (its own page).
    One(Box<Invoice>),
    /// The invoices ticked on the list.
    Chosen(Vec<InvoiceId>),
    /// Everything outstanding.
    All,
}

/// A saved payment method as a choice of the form.
pub struct SavedChoice {
    /// Its id.
    pub id: String,
    /// How people read it.
    pub label: String,
}

/// Everything a pay form shows.
pub struct PayContext {
    /// The selection as the form sends it back: `all` or invoice ids with commas.
    pub selection: String,
    /// The invoices shown (for "all": the first page of them).
    pub invoices: Vec<Invoice>,
    /// What paying the balance of the selection costs.
    pub total: Money,
    /// Whether a part payment may be typed (one invoice that allows it).
    pub partial: bool,
    /// Whether the customer may pay by bank account.
    pub bank: bool,
    /// The customer's saved methods.
    pub saved: Vec<SavedChoice>,
    /// The idempotency key of this rendering of the form.
    pub key: String,
    /// The library's reason the last attempt was refused.
    pub error: Option<super::Refused>,
    /// The amount typed in the attempt refused (kept; card details never are).
    pub typed: String,
    /// The method chosen and the holder names of the attempt refused.
    pub kept: Kept,
    /// The gateway's form and mode.
    pub checkout: crate::ports::Checkout,
}

/// What a refused pay or save form shows again besides the amount: the method
/// chosen and the holder names. Card and account numbers and the security code
/// are never shown again.
#[derive(Debug, Default)]
pub struct Kept {
    /// The method chosen (`card`, `bank`, `saved:<id>`), empty for the default.
    pub method: String,
    /// The card holder's name.
    pub holder: String,
    /// The bank account holder's name.
    pub bank_holder: String,
}

impl Kept {
    /// What `form` keeps.
    pub(crate) fn of(form: &PayForm) -> Self {
        Self {
            method: form.method.clone(),
            holder: form.holder.clone(),
            bank_holder: form.bank_holder.clone(),
        }
    }

    /// Whether `method` was the one chosen (the card when none was).
    #[must_use]
    pub fn chose(&self, method: &str) -> bool {
        self.method == method || (self.method.is_empty() && method == "card")
    }

    /// The inputs of the details typed for the chosen method, by the library's
    /// names for them, for [`super::form_error_at`].
    #[must_use]
    pub fn inputs(&self) -> &'static [(&'static str, &'static str)] {
        if self.chose("bank") {
            &[
                ("holder name", "bank_holder"),
                ("routing number", "routing_number"),
                ("account number", "account_number"),
            ]
        } else if self.chose("card") {
            &[
                ("card number", "number"),
                ("security code", "cvv"),
                ("expiry", "exp_month"),
                ("holder name", "holder"),
            ]
        } else {
            &[]
        }
    }
}

impl PayContext {
    /// Builds the pay form for `selection`.
    ///
    /// # Errors
    /// The library's: `forbidden` when the role may not pay, `not_found` for an
    /// invoice that is not the customer's.
    pub async fn build(
        session: &PortalSession,
        selection: Selection,
        error: Option<super::Refused>,
        checkout: crate::ports::Checkout,
    ) -> Result<Self, PageError> {
        session.require(Module::Invoices, Action::Pay)?;
        let (text, invoices, total) = match selection {
            Selection::One(invoice) => {
                let total = invoice.balance;
                (invoice.id.to_string(), vec![*invoice], total)
            }
            Selection::Chosen(ids) => {
                let mut invoices = Vec::with_capacity(ids.len());
                for id in &ids {
                    invoices.push(session.invoices().get(*id).await?);
                }
                let mut total = Money::zero(session.currency());
                for i in &invoices {
                    total = total
                        .checked_add(&i.balance)
                        .map_err(portal_core::Error::from)?;
                }
                let text = ids.iter().map(ToString::to_string).collect::<Vec<_>>();
                (text.join(","), invoices, total)
            }
            Selection::All => {
                let mut query = InvoiceQuery::new(session.today());
                query.kind = Some(InvoiceKind::Invoice);
                query.filter = InvoiceFilter::Unpaid;
                query.limit = MAX_PAGE_SIZE;
                let page = session.invoices().list(&query).await?;
                // The dashboard's figure is the sum of every outstanding balance, however
                // many pages of invoices it spans.
                let total = session.dashboard().await?.outstanding_invoices;
                ("all".to_owned(), page.items, total)
            }
        };
        let saved = session
            .payment_methods()
            .list()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|m| SavedChoice {
                id: m.id.to_string(),
                label: method_label(&m.method),
            })
            .collect();
        Ok(Self {
            selection: text,
            partial: invoices.len() == 1 && invoices[0].allow_partial_payments,
            invoices,
            total,
            bank: session.may_pay_by_bank_account(),
            saved,
            key: SecretToken::generate()
                .map_err(portal_core::Error::from)?
                .expose()
                .to_owned(),
            error,
            typed: String::new(),
            kept: Kept::default(),
            checkout,
        })
    }
}

fn parse_selection(text: &str) -> Result<Selection, PageError> {
    if text == "all" {
        return Ok(Selection::All);
    }
    let ids = text
        .split(',')
        .filter(|s| !s.is_empty())
        .map(invoice_id)
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Err(PageError::Portal(portal_core::Error::NothingToPay));
    }
    Ok(Selection::Chosen(ids))
}

#[derive(Template)]
#[template(path = "pay.html")]
struct PayPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    pay: PayContext,
}

/// The pay page of invoices ticked on the list (`?invoice=..&invoice=..`) or of
/// everything outstanding (`?all=1`).
pub async fn form(
    State(state): State<AppState>,
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let mut ids = Vec::new();
    let mut all = false;
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match &*key {
            "invoice" => ids.push(invoice_id(&value)?),
            "all" => all = true,
            _ => {}
        }
    }
    let selection = if all {
        Selection::All
    } else if ids.is_empty() {
        return Err(PageError::Portal(portal_core::Error::NothingToPay));
    } else {
        Selection::Chosen(ids)
    };
    let pay = PayContext::build(&session, selection, None, state.ports.checkout()).await?;
    Ok(render(&PayPage {
        slug: &slug,
        csrf: &csrf,
        pay,
    }))
}

/// The pay form's fields. Card and bank numbers go to the gateway and nowhere
/// else; they are never logged (this type's `Debug` leaves them out).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PayForm {
    pub(crate) csrf: String,
    pub(crate) key: String,
    pub(crate) selection: String,
    pub(crate) amount: String,
    pub(crate) method: String,
    pub(crate) holder: String,
    pub(crate) number: String,
    pub(crate) cvv: String,
    pub(crate) exp_month: String,
    pub(crate) exp_year: String,
    pub(crate) bank_holder: String,
    pub(crate) routing_number: String,
    pub(crate) account_number: String,
    /// What the gateway's script made of the card or account typed into it (its
    /// id; the numbers never reach this app).
    pub(crate) payment_method: String,
}

impl std::fmt::Debug for PayForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayForm")
            .field("key", &self.key)
            .field("selection", &self.selection)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

impl PayForm {
    /// What to charge, as the form chose it.
    pub(crate) fn source(&self) -> Result<PaySource, portal_core::Error> {
        let made = self.payment_method.trim();
        if !made.is_empty() && matches!(self.method.as_str(), "" | "card" | "bank") {
            return Ok(PaySource::Method(MethodRef::new(made)?));
        }
        Ok(match self.method.as_str() {
            "" | "card" => PaySource::Card(Box::new(CardDetails {
                number: self.number.clone(),
                cvv: self.cvv.clone(),
                // A month or year that is not a number is an invalid expiry: the
                // library says so.
                exp_month: self.exp_month.trim().parse().unwrap_or(0),
                exp_year: self.exp_year.trim().parse().unwrap_or(0),
                holder: self.holder.clone(),
                billing_address: portal_core::domain::Address::default(),
                country: String::new(),
            })),
            "bank" => PaySource::BankAccount(BankDetails {
                routing_number: self.routing_number.clone(),
                account_number: self.account_number.clone(),
                holder: self.bank_holder.clone(),
            }),
            saved => {
                let id = saved
                    .strip_prefix("saved:")
                    .and_then(|id| uuid::Uuid::parse_str(id).ok())
                    .ok_or(portal_core::Error::NotFound(Entity::PaymentMethod))?;
                PaySource::Saved(portal_core::domain::SavedMethodId::from_uuid(id))
            }
        })
    }
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    payment: Payment,
    paid: Vec<super::payments::Paid>,
}

#[derive(Template)]
#[template(path = "pay_pending.html")]
struct PendingPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    pending: portal_core::domain::PendingPayment,
    /// The client secret the gateway's script continues with (only while the bank
    /// must confirm), and that script.
    confirm: Option<(String, portal_core::gateway::BrowserForm)>,
}

/// Pays what the form selected. The same key again (a double click, a resubmit)
/// answers with the first payment and charges nothing. A refusal the customer can
/// act on (a declined card, an amount over the balance) shows the form again with
/// the library's reason and a fresh key. A payment the bank must confirm continues
/// on a page that runs the gateway's script; one that settles later says so.
pub async fn pay(
    State(state): State<AppState>,
    PortalForm {
        user: PortalUser {
            session,
            csrf,
            slug,
        },
        form,
    }: PortalForm<PayForm>,
) -> Result<Response, PageError> {
    let selection = parse_selection(&form.selection)?;
    let amount = match form.amount.trim() {
        "" => None,
        // As the reader types amounts: `50,00` in Portugal.
        text => Some(
            crate::i18n::with(|r| r.parse_money(text, session.currency()))
                .map_err(portal_core::Error::from),
        ),
    };
    let attempt = async {
        let request = PayRequest {
            invoices: match &selection {
                Selection::All => InvoiceSelection::AllOutstanding,
                Selection::Chosen(ids) => InvoiceSelection::Chosen(ids.clone()),
                Selection::One(i) => InvoiceSelection::Chosen(vec![i.id]),
            },
            amount: amount.transpose()?,
            source: form.source()?,
            idempotency_key: form.key.clone(),
        };
        session.invoices().pay_online(request).await
    };
    match attempt.await {
        Ok(PayOutcome::Paid(payment)) => Ok(render(&ReceiptPage {
            slug: &slug,
            csrf: &csrf,
            paid: super::payments::paid_by(&session, &payment).await?,
            payment,
        })),
        Ok(PayOutcome::RequiresAction {
            action: CustomerAction::Redirect(url),
            ..
        }) => Ok(axum::response::IntoResponse::into_response(
            axum::response::Redirect::to(&url),
        )),
        Ok(PayOutcome::RequiresAction {
            pending,
            action: CustomerAction::ClientSecret(secret),
        }) => Ok(render(&PendingPage {
            slug: &slug,
            csrf: &csrf,
            pending,
            confirm: state.ports.checkout().form.map(|form| (secret.0, form)),
        })),
        Ok(PayOutcome::Processing(pending)) => Ok(render(&PendingPage {
            slug: &slug,
            csrf: &csrf,
            pending,
            confirm: None,
        })),
        Err(e) => {
            let selection = match selection {
                Selection::Chosen(ids) if ids.len() == 1 => {
                    Selection::One(Box::new(session.invoices().get(ids[0]).await?))
                }
                other => other,
            };
            let mut pay =
                PayContext::build(&session, selection, None, state.ports.checkout()).await?;
            // The message beside the input at fault when the form has it; what
            // was typed kept, but never a card or account number.
            let kept = Kept::of(&form);
            let mut inputs = kept.inputs().to_vec();
            if pay.partial {
                inputs.push(("amount", "amount"));
            }
            pay.error = Some(form_error_at(e, &inputs)?);
            pay.typed = form.amount.trim().to_owned();
            pay.kept = kept;
            Ok(render(&PayPage {
                slug: &slug,
                csrf: &csrf,
                pay,
            }))
        }
    }
}

crate::csrf_forms!(PayForm);

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new().route("/pay", get(form).post(pay))
}
