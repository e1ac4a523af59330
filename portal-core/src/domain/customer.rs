//! Customers of an organization.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ids::{CustomerId, OrgId};
use super::money::Currency;
use super::text::{TextError, single_line};

/// A postal address. Every field is plain text; empty means not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Attention line (a person or department).
    pub attention: String,
    /// Street, first line.
    pub street1: String,
    /// Street, second line.
    pub street2: String,
    /// City.
    pub city: String,
    /// State, province or region.
    pub state: String,
    /// Postal code.
    pub zip: String,
    /// Country name or code.
    pub country: String,
    /// Phone number at this address.
    pub phone: String,
}

impl Address {
    /// Checks every field's length (at most 200 characters each).
    ///
    /// # Errors
    /// [`TextError`] naming the field that is too long.
    pub fn validate(&self) -> Result<(), TextError> {
        for (field, value) in [
            ("attention", &self.attention),
            ("street1", &self.street1),
            ("street2", &self.street2),
            ("city", &self.city),
            ("state", &self.state),
            ("zip", &self.zip),
            ("country", &self.country),
            ("phone", &self.phone),
        ] {
            single_line(field, value, 0, 200)?;
        }
        Ok(())
    }
}

/// What the host app gives to create a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCustomer {
    /// Name shown everywhere (1 to 200 characters).
    pub display_name: String,
    /// Legal or company name, may be empty.
    pub company_name: String,
    /// The customer's currency: every amount of theirs is in it.
    pub currency: Currency,
    /// Billing address.
    pub billing_address: Address,
    /// Shipping address.
    pub shipping_address: Address,
    /// Whether the customer may pay by bank account (ACH) in the portal.
    pub may_pay_by_bank_account: bool,
}

impl NewCustomer {
    /// A customer with just a name and a currency.
    #[must_use]
    pub fn new(display_name: impl Into<String>, currency: Currency) -> Self {
        Self {
            display_name: display_name.into(),
            company_name: String::new(),
            currency,
            billing_address: Address::default(),
            shipping_address: Address::default(),
            may_pay_by_bank_account: false,
        }
    }

    /// Checks lengths.
    ///
    /// # Errors
    /// [`TextError`] naming the offending field.
    pub fn validate(&self) -> Result<(), TextError> {
        single_line("display_name", &self.display_name, 1, 200)?;
        single_line("company_name", &self.company_name, 0, 200)?;
        self.billing_address.validate()?;
        self.shipping_address.validate()
    }
}

/// A customer of an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Identifier.
    pub id: CustomerId,
    /// The organization it belongs to.
    pub org: OrgId,
    /// Name shown everywhere.
    pub display_name: String,
    /// Legal or company name.
    pub company_name: String,
    /// The customer's currency.
    pub currency: Currency,
    /// Billing address.
    pub billing_address: Address,
    /// Shipping address.
    pub shipping_address: Address,
    /// Whether the customer may pay by bank account (ACH).
    pub may_pay_by_bank_account: bool,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it was deleted; deleted customers keep their records but lose the portal.
    pub deleted_at: Option<OffsetDateTime>,
    /// Optimistic-concurrency version, bumped by every update.
    pub version: i64,
}

impl Customer {
    /// Builds a new customer record from validated input.
    #[must_use]
    pub fn create(org: OrgId, input: NewCustomer, now: OffsetDateTime) -> Self {
        Self {
            id: CustomerId::new(),
            org,
            display_name: input.display_name,
            company_name: input.company_name,
            currency: input.currency,
            billing_address: input.billing_address,
            shipping_address: input.shipping_address,
            may_pay_by_bank_account: input.may_pay_by_bank_account,
            created_at: now,
            deleted_at: None,
            version: 1,
        }
    }

    /// Whether the customer was deleted.
    #[must_use]
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}
