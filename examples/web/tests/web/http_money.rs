//! Money over HTTP, in process: invoices by URL, Pay Now, payments, receipts and
//! the statement.

use crate::common;

use common::*;

#[tokio::test]
async fn another_customers_invoice_is_the_same_404_as_a_made_up_one() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let org = app
        .state
        .portal
        .store()
        .org_by_slug(&portal_core::domain::PortalSlug::parse("acme").expect("slug"))
        .await
        .expect("org");
    let admin = app.state.portal.org(org.id);
    let (other, _) = admin
        .customers()
        .create(
            NewCustomer::new("Someone Else", Currency::from_code("EUR").expect("eur")),
            vec![NewContact::new("Eve", "Else", None)],
        )
        .await
        .expect("customer");
    let draft = admin
        .invoices()
        .create(
            other.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "THEIRS-1".into(),
                lines: vec![LineItem::new(
                    "Private",
                    Decimal::ONE,
                    Decimal::new(9_900, 2),
                )],
                issue_date: date!(2026 - 05 - 01),
                due_date: date!(2026 - 06 - 01),
                allow_partial_payments: false,
                payment_gateways: vec!["card".into()],
            },
        )
        .await
        .expect("invoice");
    let theirs = admin.invoices().send(draft.id).await.expect("send");
    let their_page = app
        .get(&format!("/acme/invoices/{}", theirs.id), Some(&session))
        .await;
    let made_up = app
        .get(
            &format!("/acme/invoices/{}", uuid::Uuid::now_v7()),
            Some(&session),
        )
        .await;
    let garbage = app.get("/acme/invoices/not-an-id", Some(&session)).await;
    assert_eq!(their_page.status(), StatusCode::NOT_FOUND);
    assert_eq!(made_up.status(), StatusCode::NOT_FOUND);
    assert_eq!(garbage.status(), StatusCode::NOT_FOUND);
    let (a, b) = (text(their_page).await, text(made_up).await);
    assert_eq!(a, b, "nothing tells the two apart");
    assert!(!a.contains("THEIRS-1") && !a.contains("Private"));
}

#[tokio::test]
async fn a_double_submitted_payment_charges_once() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    let start = list.find("/acme/invoices/").expect("an invoice link") + "/acme/invoices/".len();
    let id: String = list[start..].chars().take_while(|c| *c != '"').collect();
    let page = text(
        app.get(&format!("/acme/invoices/{id}"), Some(&session))
            .await,
    )
    .await;
    let (csrf, key) = (hidden(&page, "csrf"), hidden(&page, "key"));
    let selection = hidden(&page, "selection");
    assert_eq!(selection, id, "the invoice's own pay form pays it");
    let form = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("selection", selection.as_str()),
        ("holder", "Ana Silva"),
        ("number", cards::VISA_OK),
        ("cvv", "123"),
        ("exp_month", "12"),
        ("exp_year", "2030"),
    ];
    let path = "/acme/pay".to_owned();
    let (first, second) = tokio::join!(
        app.post(&path, Some(&session), &form),
        app.post(&path, Some(&session), &form)
    );
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::OK);
    let (a, b) = (text(first).await, text(second).await);
    assert!(a.contains("Thank you"), "{a}");
    let receipt = |html: &str| {
        let s = html.find("<strong>").expect("receipt") + "<strong>".len();
        html[s..].split('<').next().expect("number").to_owned()
    };
    assert_eq!(receipt(&a), receipt(&b), "the same payment twice");
    assert_eq!(app.gateway.charge_count(), 1, "charged once");
    let after = text(
        app.get(&format!("/acme/invoices/{id}"), Some(&session))
            .await,
    )
    .await;
    assert!(!after.contains("name=\"key\""), "nothing left to pay");
}

#[tokio::test]
async fn payments_receipts_and_the_statement_follow_a_payment() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let none = text(app.get("/acme/payments", Some(&session)).await).await;
    assert!(none.contains("No payments yet"));
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    let invoice = first_link(&list, "invoices");
    let page = text(app.get(&invoice, Some(&session)).await).await;
    let paid = app
        .post(
            "/acme/pay",
            Some(&session),
            &[
                ("csrf", &hidden(&page, "csrf")),
                ("key", &hidden(&page, "key")),
                ("selection", &hidden(&page, "selection")),
                ("holder", "Ana Silva"),
                ("number", cards::VISA_OK),
                ("cvv", "123"),
                ("exp_month", "12"),
                ("exp_year", "2030"),
            ],
        )
        .await;
    assert_eq!(paid.status(), StatusCode::OK);
    let payments = text(app.get("/acme/payments", Some(&session)).await).await;
    assert!(payments.contains("visa card ending 4242"));
    let receipt = text(
        app.get(&first_link(&payments, "payments"), Some(&session))
            .await,
    )
    .await;
    assert!(receipt.contains("Applied to") && receipt.contains(&invoice));
    let statement = text(
        app.get("/acme/statement?period=this-year", Some(&session))
            .await,
    )
    .await;
    assert!(statement.contains("Payment") && statement.contains("Closing balance"));
    // The closing balance of everything so far is the dashboard's balance: what is
    // outstanding less the credit the customer holds.
    let home = text(app.get("/acme", Some(&session)).await).await;
    let owed = home
        .split("<span>Owed after your credit</span><strong>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("outstanding");
    assert!(
        statement.contains(&format!("<strong>{owed}</strong>")),
        "closing = balance ({owed})"
    );
    assert_eq!(
        app.get("/acme/statement?period=forever", Some(&session))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(
            &format!("/acme/payments/{}", uuid::Uuid::now_v7()),
            Some(&session)
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
}
