//! Sales orders (SPEC S1–S2, N2 for sales orders).

use tracing::instrument;

use super::invoices::check_limit;
use super::org::OrgAdmin;
use super::retrying;
use super::session::PortalSession;
use crate::domain::{
    Action, CustomerId, Invoice, InvoiceId, Module, NewSalesOrder, Page, PortalEvent, SalesOrder,
    SalesOrderEvent, SalesOrderId, SalesOrderQuery,
};
use crate::error::{Error, Result};
use crate::store::Entity;

impl OrgAdmin<'_> {
    /// Creates a draft sales order for a customer, in the customer's currency.
    ///
    /// # Errors
    /// [`Error::SalesOrder`] for bad input; `NotFound` for an unknown customer.
    #[instrument(skip_all, fields(org = %self.org, customer = %customer))]
    pub async fn create_sales_order(
        self,
        customer: CustomerId,
        input: NewSalesOrder,
    ) -> Result<SalesOrder> {
        let c = self.customer(customer).await?;
        if c.is_deleted() {
            return Err(Error::NotFound(Entity::Customer));
        }
        let order = SalesOrder::draft(self.org, customer, c.currency, input, self.portal.now())?;
        self.portal.inner.store.create_sales_order(&order).await?;
        Ok(order)
    }

    /// The sales order (drafts included).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn sales_order(self, id: SalesOrderId) -> Result<SalesOrder> {
        Ok(self.portal.inner.store.sales_order(self.org, id).await?)
    }

    /// Moves a sales order: `Open` confirms a draft (it becomes visible), `Close`
    /// and `Void` end it.
    ///
    /// # Errors
    /// [`Error::SalesOrderState`] for a move its status does not allow.
    #[instrument(skip_all, fields(org = %self.org, sales_order = %id))]
    pub async fn move_sales_order(
        self,
        id: SalesOrderId,
        event: SalesOrderEvent,
    ) -> Result<SalesOrder> {
        let store = &self.portal.inner.store;
        let org = self.org;
        retrying(|| async move {
            let mut order = store.sales_order(org, id).await?;
            order.status = order.status.apply(event)?;
            Ok(store.update_sales_order(&order).await?)
        })
        .await
    }

    /// Records that `invoice` was raised from the sales order (S2): for part of it, or
    /// (`fully`) for the rest.
    ///
    /// # Errors
    /// `NotFound` for an invoice of another customer; [`Error::SalesOrderState`].
    #[instrument(skip_all, fields(org = %self.org, sales_order = %id, invoice = %invoice))]
    pub async fn link_invoice(
        self,
        id: SalesOrderId,
        invoice: InvoiceId,
        fully: bool,
    ) -> Result<SalesOrder> {
        let store = &self.portal.inner.store;
        let org = self.org;
        let inv = store.invoice(org, invoice).await?;
        let inv = &inv;
        retrying(|| async move {
            let mut order = store.sales_order(org, id).await?;
            if inv.customer != order.customer {
                return Err(Error::NotFound(Entity::Invoice));
            }
            let event = if fully {
                SalesOrderEvent::InvoiceAll
            } else {
                SalesOrderEvent::InvoicePart
            };
            order.status = order.status.apply(event)?;
            if !order.invoices.contains(&inv.id) {
                order.invoices.push(inv.id);
            }
            Ok(store.update_sales_order(&order).await?)
        })
        .await
    }
}

impl PortalSession {
    /// One page of the customer's sales orders (S1), when the org shows them.
    ///
    /// # Errors
    /// [`Error::Forbidden`], a bad page size.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id))]
    pub async fn sales_orders(&self, query: &SalesOrderQuery) -> Result<Page<SalesOrder>> {
        self.require(Module::SalesOrders, Action::View)?;
        let mut query = query.clone();
        query.limit = check_limit(query.limit)?;
        query.after = super::invoices::check_cursor(query.after)?;
        Ok(self
            .portal
            .inner
            .store
            .customer_sales_orders(self.org.id, self.customer.id, &query)
            .await?)
    }

    /// Opens a sales order (S1): the first view marks it viewed and notifies the org.
    ///
    /// # Errors
    /// [`Error::Forbidden`]; `NotFound` for a draft or someone else's order.
    #[instrument(skip_all, fields(org = %self.org.id, customer = %self.customer.id, sales_order = %id))]
    pub async fn sales_order(&self, id: SalesOrderId) -> Result<SalesOrder> {
        self.require(Module::SalesOrders, Action::View)?;
        let store = &self.portal.inner.store;
        let current = store
            .customer_sales_order(self.org.id, self.customer.id, id)
            .await?;
        if current.viewed_at.is_some() {
            return Ok(current);
        }
        let note = self.notice(
            PortalEvent::Viewed,
            crate::domain::ActivitySubject::SalesOrder(id),
            format!(
                "{} viewed sales order {}",
                self.customer.display_name, current.number
            ),
            format!(
                "{} opened sales order {} in the customer portal.\n",
                self.contact.full_name(),
                current.number
            ),
        );
        let (order, _) = store
            .mark_sales_order_viewed(self.org.id, self.customer.id, id, self.portal.now(), &note)
            .await?;
        Ok(order)
    }

    /// The invoices raised from a sales order that the customer can see (S2).
    ///
    /// # Errors
    /// As [`Self::sales_order`].
    pub async fn sales_order_invoices(&self, id: SalesOrderId) -> Result<Vec<Invoice>> {
        self.require(Module::SalesOrders, Action::View)?;
        let store = &self.portal.inner.store;
        let order = store
            .customer_sales_order(self.org.id, self.customer.id, id)
            .await?;
        let mut out = Vec::with_capacity(order.invoices.len());
        for invoice in &order.invoices {
            match store
                .customer_invoice(self.org.id, self.customer.id, *invoice)
                .await
            {
                Ok(i) => out.push(i),
                // A draft invoice raised from it is not shown yet.
                Err(crate::store::StoreError::NotFound(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(out)
    }
}
