//! Test gateways that wrap the test gateway and change one thing: what they do not
//! change, [`delegate_gateway!`] forwards to the wrapped one.

/// `impl PaymentGateway for $ty` with the methods given in braces (`id`, `charge`
/// and `save_method` at least; `accepts_typed_details` if it is not the default
/// `false`) and every other one forwarded to `self.$inner`.
macro_rules! delegate_gateway {
    ($ty:ty, $inner:ident, { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl portal_core::gateway::PaymentGateway for $ty {
        $($own)*
        fn supports_currency(&self, currency: portal_core::domain::Currency) -> bool {
            self.$inner.supports_currency(currency)
        }
        fn minimum_amount(
            &self,
            currency: portal_core::domain::Currency,
        ) -> portal_core::domain::Money {
            self.$inner.minimum_amount(currency)
        }
        fn supports_bank_accounts(&self) -> bool {
            self.$inner.supports_bank_accounts()
        }
        fn supports_recurring(&self) -> bool {
            self.$inner.supports_recurring()
        }
        async fn find_charge(
            &self,
            key: &str,
            reference: Option<String>,
        ) -> Result<portal_core::gateway::ChargeState, portal_core::gateway::GatewayError> {
            self.$inner.find_charge(key, reference).await
        }
        async fn cancel_charge(
            &self,
            key: &str,
            reference: &str,
        ) -> Result<portal_core::gateway::ChargeState, portal_core::gateway::GatewayError> {
            self.$inner.cancel_charge(key, reference).await
        }
        async fn verify_event(
            &self,
            signature: &str,
            payload: &[u8],
            now: time::OffsetDateTime,
        ) -> Result<Option<portal_core::gateway::GatewayEvent>, portal_core::gateway::GatewayError>
        {
            self.$inner.verify_event(signature, payload, now).await
        }
        async fn update_method(
            &self,
            token: &portal_core::gateway::GatewayToken,
            exp_month: u8,
            exp_year: u16,
            billing_address: &portal_core::domain::Address,
        ) -> Result<(), portal_core::gateway::GatewayError> {
            self.$inner
                .update_method(token, exp_month, exp_year, billing_address)
                .await
        }
        async fn remove_method(
            &self,
            token: &portal_core::gateway::GatewayToken,
        ) -> Result<(), portal_core::gateway::GatewayError> {
            self.$inner.remove_method(token).await
        }
        }
    };
}

pub(crate) use delegate_gateway;
