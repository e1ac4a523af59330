//! Sales orders (D1): the list and one order with its lines and the invoices
//! raised against it. Shown only when the organization turns them on.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use portal_core::domain::{Invoice, SalesOrder, SalesOrderId, SalesOrderQuery, Totals, totals};

use super::{PageError, render};
use crate::extract::{Id, PortalUser};
use crate::i18n::filters;

#[derive(Template)]
#[template(path = "sales_orders.html")]
struct ListPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    orders: Vec<SalesOrder>,
}

/// The customer's sales orders, newest first. With the setting off, the library's
/// reason (`forbidden`, "show sales orders" is off) answers.
pub async fn list(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
) -> Result<Response, PageError> {
    let page = session.sales_orders().list(&SalesOrderQuery::new()).await?;
    Ok(render(&ListPage {
        slug: &slug,
        csrf: &csrf,
        orders: page.items,
    }))
}

#[derive(Template)]
#[template(path = "sales_order.html")]
struct OrderPage<'a> {
    slug: &'a str,
    csrf: &'a super::Csrf,
    order: SalesOrder,
    totals: Option<Totals>,
    invoices: Vec<Invoice>,
    forward: Option<super::messages::Forward>,
}

/// One sales order, its lines, totals and invoices.
pub async fn view(
    PortalUser {
        session,
        csrf,
        slug,
    }: PortalUser,
    Id(id): Id<SalesOrderId>,
) -> Result<Response, PageError> {
    order_page(&session, (&slug, &csrf), id, Default::default()).await
}

/// The sales order page, with a refused forward shown again in its form.
pub(crate) async fn order_page(
    session: &portal_core::PortalSession,
    (slug, csrf): (&str, &super::Csrf),
    id: SalesOrderId,
    drafts: super::comments::Drafts,
) -> Result<Response, PageError> {
    let order = session.sales_orders().get(id).await?;
    let invoices = session.sales_orders().invoices(id).await?;
    Ok(render(&OrderPage {
        slug,
        csrf,
        totals: totals(&order.lines, order.total.currency()).ok(),
        forward: super::messages::forward_target(
            session,
            drafts.forward,
            &portal_core::domain::DocumentRef::SalesOrder(id).to_string(),
        ),
        order,
        invoices,
    }))
}

/// This area's routes, under the portal's `/{slug}`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/sales-orders", get(list))
        .route("/sales-orders/{id}", get(view))
}
