//! Saved payment methods (I10).

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{CustomerId, OrgId, SavedMethodId, SavedPaymentMethod};

use super::StoreResult;

/// A customer's saved payment methods (gateway tokens, never card numbers).
#[async_trait]
pub trait PaymentMethodStore: Debug + Send + Sync + 'static {
    /// Stores a saved payment method. `NotFound(Entity::Customer)` for a customer not the
    /// organization's.
    async fn save_payment_method(&self, method: &SavedPaymentMethod) -> StoreResult<()>;
    /// The customer's saved payment methods, oldest first.
    async fn payment_methods(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<SavedPaymentMethod>>;
    /// One of the customer's saved payment methods.
    async fn payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SavedMethodId,
    ) -> StoreResult<SavedPaymentMethod>;
    /// Replaces a saved method's expiry and billing address if it is at
    /// `method.version`.
    async fn update_payment_method(
        &self,
        method: &SavedPaymentMethod,
    ) -> StoreResult<SavedPaymentMethod>;
    /// Deletes one of the customer's saved methods.
    async fn delete_payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: SavedMethodId,
    ) -> StoreResult<()>;
}
