//! Sales orders (SPEC S1–S2, N2 for sales orders).

use tracing::instrument;

use super::invoices::check_limit;
use super::orgs::OrgAdmin;
use super::retrying;
use super::sessions::PortalSession;
use crate::domain::{
    Action, CustomerId, Invoice, InvoiceId, Module, NewSalesOrder, Page, SalesOrder,
    SalesOrderEvent, SalesOrderId, SalesOrderQuery,
};
use crate::error::{Error, Result};
use crate::store::Entity;

/// Sales orders on the org side.
/// From [`OrgAdmin::sales_orders`]; every call is scoped to the organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgSalesOrders<'a>(pub(super) OrgAdmin<'a>);

impl<'a> OrgAdmin<'a> {
    /// Sales orders on the org side.
    #[must_use]
    pub fn sales_orders(self) -> OrgSalesOrders<'a> {
        OrgSalesOrders(self)
    }
}

impl OrgSalesOrders<'_> {
    /// One page of a customer's sales orders, as the portal lists them (drafts are
    /// not listed).
    ///
    /// # Errors
    /// [`Error::NotFound`] for a customer of another organization, a bad page size or
    /// cursor.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn list(
        self,
        customer: CustomerId,
        query: &SalesOrderQuery,
    ) -> Result<Page<SalesOrder>> {
        self.0.customers().get(customer).await?;
        let mut query = query.clone();
        query.limit = check_limit(query.limit)?;
        query.after = super::invoices::check_cursor(query.after)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_sales_orders(self.0.org, customer, &query)
            .await?)
    }

    /// Creates a draft sales order for a customer, in the customer's currency.
    ///
    /// # Errors
    /// [`Error::SalesOrder`] for bad input; `NotFound` for an unknown customer.
    #[instrument(skip_all, fields(org = %self.0.org, customer = %customer))]
    pub async fn create(self, customer: CustomerId, input: NewSalesOrder) -> Result<SalesOrder> {
        let c = self.0.customers().get(customer).await?;
        if c.is_deleted() {
            return Err(Error::NotFound(Entity::Customer));
        }
        let order =
            SalesOrder::draft(self.0.org, customer, c.currency, input, self.0.portal.now())?;
        self.0.portal.inner.store.create_sales_order(&order).await?;
        Ok(order)
    }

    /// The sales order (drafts included).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn get(self, id: SalesOrderId) -> Result<SalesOrder> {
        Ok(self
            .0
            .portal
            .inner
            .store
            .sales_order(self.0.org, id)
            .await?)
    }

    /// Moves a sales order: `Open` confirms a draft (it becomes visible), `Close`
    /// and `Void` end it.
    ///
    /// # Errors
    /// [`Error::SalesOrderState`] for a move its status does not allow.
    #[instrument(skip_all, fields(org = %self.0.org, sales_order = %id))]
    pub async fn move_to(self, id: SalesOrderId, event: SalesOrderEvent) -> Result<SalesOrder> {
        let store = &self.0.portal.inner.store;
        let org = self.0.org;
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
    #[instrument(skip_all, fields(org = %self.0.org, sales_order = %id, invoice = %invoice))]
    pub async fn link_invoice(
        self,
        id: SalesOrderId,
        invoice: InvoiceId,
        fully: bool,
    ) -> Result<SalesOrder> {
        let store = &self.0.portal.inner.store;
        let org = self.0.org;
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

/// The customer's sales orders (SO1).
/// From [`PortalSession::sales_orders`]; every call is scoped to the session's customer.
#[derive(Debug, Clone, Copy)]
pub struct SessionSalesOrders<'s>(pub(super) &'s PortalSession);

impl PortalSession {
    /// The customer's sales orders (SO1).
    #[must_use]
    pub fn sales_orders(&self) -> SessionSalesOrders<'_> {
        SessionSalesOrders(self)
    }
}

impl SessionSalesOrders<'_> {
    /// One page of the customer's sales orders (S1), when the org shows them.
    ///
    /// # Errors
    /// [`Error::Forbidden`], a bad page size.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id))]
    pub async fn list(self, query: &SalesOrderQuery) -> Result<Page<SalesOrder>> {
        self.0.require(Module::SalesOrders, Action::View)?;
        let mut query = query.clone();
        query.limit = check_limit(query.limit)?;
        query.after = super::invoices::check_cursor(query.after)?;
        Ok(self
            .0
            .portal
            .inner
            .store
            .customer_sales_orders(self.0.org.id, self.0.customer.id, &query)
            .await?)
    }

    /// Opens a sales order (S1): the first view marks it viewed and notifies the org.
    ///
    /// # Errors
    /// [`Error::Forbidden`]; `NotFound` for a draft or someone else's order.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, sales_order = %id))]
    pub async fn get(self, id: SalesOrderId) -> Result<SalesOrder> {
        self.0.require(Module::SalesOrders, Action::View)?;
        let store = &self.0.portal.inner.store;
        let current = store
            .customer_sales_order(self.0.org.id, self.0.customer.id, id)
            .await?;
        if current.viewed_at.is_some() {
            return Ok(current);
        }
        let note = self.0.first_view_notice(
            crate::domain::ActivitySubject::SalesOrder(id),
            "sales order",
            &current.number,
        );
        let (order, _) = store
            .mark_sales_order_viewed(
                self.0.org.id,
                self.0.customer.id,
                id,
                self.0.portal.now(),
                &note,
            )
            .await?;
        Ok(order)
    }

    /// The invoices raised from a sales order that the customer can see (S2).
    ///
    /// # Errors
    /// As [`Self::get`].
    pub async fn invoices(self, id: SalesOrderId) -> Result<Vec<Invoice>> {
        self.0.require(Module::SalesOrders, Action::View)?;
        let store = &self.0.portal.inner.store;
        let order = store
            .customer_sales_order(self.0.org.id, self.0.customer.id, id)
            .await?;
        let mut out = Vec::with_capacity(order.invoices.len());
        for invoice in &order.invoices {
            match store
                .customer_invoice(self.0.org.id, self.0.customer.id, *invoice)
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
