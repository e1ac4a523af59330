//! Sales orders (D1): the list and one order with its lines and the invoices
//! raised against it. Shown only when the organization turns them on.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use portal_core::domain::{Invoice, SalesOrder, SalesOrderId, SalesOrderQuery, Totals, totals};

use super::{PageError, render, signed_in};
use crate::AppState;

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
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(&state, &headers, &slug).await?;
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
    forward: Option<String>,
}

/// One sales order, its lines, totals and invoices.
pub async fn view(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (session, csrf) = signed_in(&state, &headers, &slug).await?;
    let id = super::path_id(&id, SalesOrderId::from_uuid)?;
    let order = session.sales_orders().get(id).await?;
    let invoices = session.sales_orders().invoices(id).await?;
    Ok(render(&OrderPage {
        slug: &slug,
        csrf: &csrf,
        totals: totals(&order.lines, order.total.currency()).ok(),
        forward: super::messages::forward_target(&session, &format!("sales-order:{id}")),
        order,
        invoices,
    }))
}
