//! Sales orders (SPEC S1–S2, N2 for sales orders).

use tracing::instrument;

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
        self.0.customer_documents(customer, query).await
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
        self.0
            .portal
            .inner
            .store
            .sales_orders()
            .create(&order)
            .await?;
        Ok(order)
    }

    /// The sales order (drafts included).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn get(self, id: SalesOrderId) -> Result<SalesOrder> {
        self.0.document(id).await
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
            let mut order = store.sales_orders().get(org, id).await?;
            order.status = order.status.apply(event)?;
            Ok(store.sales_orders().update(&order).await?)
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
        let inv = store.invoices().get(org, invoice).await?;
        let inv = &inv;
        retrying(|| async move {
            let mut order = store.sales_orders().get(org, id).await?;
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
            Ok(store.sales_orders().update(&order).await?)
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
        self.0.documents(query).await
    }

    /// Opens a sales order (S1): the first view marks it viewed and notifies the org.
    ///
    /// # Errors
    /// [`Error::Forbidden`]; `NotFound` for a draft or someone else's order.
    #[instrument(skip_all, fields(org = %self.0.org.id, customer = %self.0.customer.id, sales_order = %id))]
    pub async fn get(self, id: SalesOrderId) -> Result<SalesOrder> {
        self.0.open(id).await
    }

    /// The invoices raised from a sales order that the customer can see (S2).
    ///
    /// # Errors
    /// As [`Self::get`].
    pub async fn invoices(self, id: SalesOrderId) -> Result<Vec<Invoice>> {
        self.0.require(Module::SalesOrders, Action::View)?;
        let store = &self.0.portal.inner.store;
        let order = store
            .sales_orders()
            .of_customer(self.0.org.id, self.0.customer.id, id)
            .await?;
        let mut out = Vec::with_capacity(order.invoices.len());
        for invoice in &order.invoices {
            match store
                .invoices()
                .of_customer(self.0.org.id, self.0.customer.id, *invoice)
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
