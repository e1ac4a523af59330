//! The account read model on the portal side: dashboard figures (H1) and the statement of account (D1).

use super::sessions::PortalSession;
use crate::domain::{Action, DashboardFigures, Module};
use crate::error::Result;
use tracing::instrument;

impl PortalSession {
    /// The money figures of the home page (H1), in the customer's currency.
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::error::Error::Forbidden) without invoice access.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id))]
    pub async fn dashboard(&self) -> Result<DashboardFigures> {
        self.require(Module::Invoices, Action::View)?;
        Ok(self
            .portal
            .inner
            .store
            .dashboard(self.org.id, self.customer.id, self.today())
            .await?)
    }

    /// The statement of account for a period (D1), computed by the store (in SQL on
    /// the SQL backends). See [`crate::domain::Statement`] for how its closing balance relates
    /// to the dashboard.
    ///
    /// # Errors
    /// [`Error::Forbidden`](crate::error::Error::Forbidden), [`Error::Period`](crate::error::Error::Period) for a range that is not one.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id))]
    pub async fn statement(
        &self,
        period: crate::domain::StatementPeriod,
    ) -> Result<crate::domain::Statement> {
        self.require(Module::Statements, Action::View)?;
        let today = self.today();
        let (from, to) = period.range(today)?;
        let store = &self.portal.inner.store;
        let mut statement = store
            .statement(self.org.id, self.customer.id, from, to)
            .await?;
        if to >= today {
            statement.pending = store
                .customer_pending_attempts(self.org.id, self.customer.id)
                .await?
                .iter()
                .filter_map(crate::domain::PendingPayment::of)
                .collect();
        }
        Ok(statement)
    }
}
