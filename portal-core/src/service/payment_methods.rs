//! Saved payment methods (I5, I10): the gateway keeps the card or account; the
//! store keeps its token, brand, last four digits and expiry.

use tracing::instrument;

use super::payments::PaySource;
use super::retrying;
use super::sessions::PortalSession;
use crate::domain::{Action, Address, Module, SavedMethodId, SavedPaymentMethod};
use crate::error::{Error, Result};
use crate::gateway::{ChargeSource, GatewayToken, SaveOutcome};
use crate::store::Entity;

fn check_expiry(month: u8, year: u16, today: time::Date) -> Result<()> {
    let now = (today.year(), u8::from(today.month()));
    if !(1..=12).contains(&month) || (i32::from(year), month) < now || year > 2200 {
        return Err(Error::InvalidExpiry);
    }
    Ok(())
}

/// The customer's saved payment methods (I10).
/// From [`PortalSession::payment_methods`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionPaymentMethods<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The customer's saved payment methods (I10).
    #[must_use]
    pub fn payment_methods(&self) -> SessionPaymentMethods<'_> {
        SessionPaymentMethods(self)
    }
}

impl SessionPaymentMethods<'_> {
    /// Saves a card or bank account with the gateway `gateway` for later payments.
    ///
    /// # Errors
    /// [`Error::Forbidden`], `NotFound` for an unknown gateway,
    /// [`Error::BankPaymentNotAllowed`], [`Error::InvalidExpiry`], [`Error::PaymentDetails`],
    /// [`Error::PaymentDeclined`] if the gateway refuses it.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn save(self, gateway: &str, source: PaySource) -> Result<SavedPaymentMethod> {
        self.0.require(Module::Payments, Action::Create)?;
        source.check()?;
        let gw = self
            .0
            .portal
            .gateway(gateway)
            .cloned()
            .ok_or(Error::NotFound(Entity::PaymentGateway))?;
        if matches!(source, PaySource::Card(_) | PaySource::BankAccount(_))
            && !gw.accepts_typed_details()
        {
            return Err(Error::Gateway(
                crate::gateway::GatewayError::TypedDetailsRefused,
            ));
        }
        let (charge_source, expiry, billing) = match source {
            PaySource::Method(m) => (ChargeSource::Method(m), None, Address::default()),
            PaySource::Card(card) => {
                check_expiry(card.exp_month, card.exp_year, self.0.today())?;
                card.billing_address.validate()?;
                let expiry = (card.exp_month, card.exp_year);
                let billing = card.billing_address.clone();
                (ChargeSource::Card(card), Some(expiry), billing)
            }
            PaySource::BankAccount(bank) => {
                if !self.0.customer.may_pay_by_bank_account || !gw.supports_bank_accounts() {
                    return Err(Error::BankPaymentNotAllowed);
                }
                (ChargeSource::BankAccount(bank), None, Address::default())
            }
            PaySource::Saved(_) => return Err(Error::NotFound(Entity::PaymentMethod)),
        };
        let (token, method, expiry) = match gw.save_method(&charge_source).await? {
            SaveOutcome::Saved {
                token,
                method,
                expiry: told,
            } => (token, method, expiry.or(told)),
            SaveOutcome::Declined(reason) => return Err(Error::PaymentDeclined(reason)),
        };
        let saved = SavedPaymentMethod {
            id: SavedMethodId::new(),
            org: self.0.org.id,
            customer: self.0.customer.id,
            gateway: gw.id().to_owned(),
            token: token.0,
            method,
            exp_month: expiry.map(|e| e.0),
            exp_year: expiry.map(|e| e.1),
            billing_address: billing,
            created_at: self.0.portal.now(),
            version: 1,
        };
        self.0
            .portal
            .inner
            .store
            .save_payment_method(&saved)
            .await?;
        Ok(saved)
    }

    /// Starts saving a method in the browser with the gateway `gateway`'s own
    /// script: the secret the page hands it (see
    /// [`PaymentGateway::prepare_method`](crate::gateway::PaymentGateway::prepare_method)),
    /// or `None` when that gateway takes typed details (a test gateway). Never
    /// stored, never logged.
    ///
    /// # Errors
    /// [`Error::Forbidden`], `NotFound` for an unknown gateway, [`Error::Gateway`].
    pub async fn prepare(self, gateway: &str) -> Result<Option<crate::gateway::ClientSecret>> {
        self.0.require(Module::Payments, Action::Create)?;
        let gw = self
            .0
            .portal
            .gateway(gateway)
            .cloned()
            .ok_or(Error::NotFound(Entity::PaymentGateway))?;
        Ok(gw.prepare_method().await?)
    }

    /// The customer's saved payment methods (I10).
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    pub async fn list(self) -> Result<Vec<SavedPaymentMethod>> {
        self.0.require(Module::Payments, Action::View)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .payment_methods(self.0.org.id, self.0.customer.id)
            .await?)
    }

    /// Changes a saved card's expiry and billing address (I10), at the gateway and
    /// here.
    ///
    /// # Errors
    /// [`Error::Forbidden`], `NotFound`, [`Error::InvalidExpiry`], [`Error::Text`].
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, method = %id))]
    pub async fn update(
        self,
        id: SavedMethodId,
        exp_month: u8,
        exp_year: u16,
        billing_address: Address,
    ) -> Result<SavedPaymentMethod> {
        self.0.require(Module::Payments, Action::Edit)?;
        check_expiry(exp_month, exp_year, self.0.today())?;
        billing_address.validate()?;
        let store = &self.0.portal.inner.store;
        let (org, customer) = (self.0.org.id, self.0.customer.id);
        let current = store.payment_method(org, customer, id).await?;
        let gw = self
            .0
            .portal
            .gateway(&current.gateway)
            .cloned()
            .ok_or(Error::NotFound(Entity::PaymentGateway))?;
        gw.update_method(
            &GatewayToken(current.token.clone()),
            exp_month,
            exp_year,
            &billing_address,
        )
        .await?;
        let billing_address = &billing_address;
        retrying(|| async move {
            let mut m = store.payment_method(org, customer, id).await?;
            m.exp_month = Some(exp_month);
            m.exp_year = Some(exp_year);
            m.billing_address = billing_address.clone();
            Ok(store.update_payment_method(&m).await?)
        })
        .await
    }

    /// Removes a saved method, at the gateway and here (I10).
    ///
    /// # Errors
    /// [`Error::Forbidden`], `NotFound`.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, method = %id))]
    pub async fn remove(self, id: SavedMethodId) -> Result<()> {
        self.0.require(Module::Payments, Action::Delete)?;
        let store = &self.0.portal.inner.store;
        let current = store
            .payment_method(self.0.org.id, self.0.customer.id, id)
            .await?;
        if let Some(gw) = self.0.portal.gateway(&current.gateway) {
            gw.remove_method(&GatewayToken(current.token.clone()))
                .await?;
        }
        Ok(store
            .delete_payment_method(self.0.org.id, self.0.customer.id, id)
            .await?)
    }
}
