//! Paying over HTTP, in process: several invoices, all outstanding, a part
//! payment, a bank account, a saved method; credit applied after its preview; the
//! invoice list's filters, sorts and pages.

use crate::common;

use common::*;

#[tokio::test]
async fn several_invoices_then_part_payment_bank_and_a_saved_card() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    assert!(list.contains("name=\"invoice\"") && list.contains("Pay all outstanding"));
    let (one, two) = (link_to(&list, "INV-0001"), link_to(&list, "INV-0002"));
    let id = |path: &str| path.rsplit('/').next().expect("id").to_owned();
    // Two invoices ticked on the list: one charge for both.
    let page = text(
        app.get(
            &format!("/acme/pay?invoice={}&invoice={}", id(&one), id(&two)),
            Some(&session),
        )
        .await,
    )
    .await;
    assert!(page.contains("Pay €575.00"), "{page}");
    let paid = pay_through(&app, &session, &page, &GOOD_CARD).await;
    assert!(text(paid).await.contains("We received €575.00"));
    assert_eq!(app.gateway.charge_count(), 1);

    // INV-0003 allows part payments: more than its balance is refused and charges
    // nothing; a part leaves the rest owed.
    let three = link_to(&list, "INV-0003");
    let page = text(app.get(&three, Some(&session)).await).await;
    assert!(
        page.contains("name=\"amount\""),
        "a part payment may be typed"
    );
    let mut fields = GOOD_CARD.to_vec();
    // Typed as the reader writes amounts, grouping and all.
    fields.push(("amount", "1,000.00"));
    let refused = text(pay_through(&app, &session, &page, &fields).await).await;
    assert!(
        refused.contains(
            "€1,000.00 is more than the balance due of €300.00. <small class=\"ref\">Reference for support: amount_exceeds_balance</small>"
        ),
        "{refused}"
    );
    assert_eq!(app.gateway.charge_count(), 1);
    assert!(
        refused.contains(
            "value=\"1,000.00\" aria-invalid=\"true\" aria-describedby=\"amount-error\">"
        ) && refused.contains("<p class=\"error\" role=\"alert\" id=\"amount-error\">")
            && !refused.contains("id=\"form-error\""),
        "the amount kept, the reason beside it: {refused}"
    );
    // A card refused before the gateway sees it: the message beside the security
    // code, the holder's name kept, the card number never shown again.
    let mut bad_cvv = fields.clone();
    bad_cvv.retain(|(k, _)| *k != "cvv");
    bad_cvv.push(("cvv", "1"));
    let refused = text(pay_through(&app, &session, &refused, &bad_cvv).await).await;
    assert!(
        refused.contains("id=\"cvv-error\"")
            && refused.contains("name=\"cvv\" inputmode=\"numeric\" autocomplete=\"cc-csc\" aria-invalid=\"true\" aria-describedby=\"cvv-error\">")
            && refused.contains("value=\"Ana Silva\"")
            && !refused.contains(cards::VISA_OK),
        "{refused}"
    );
    assert_eq!(app.gateway.charge_count(), 1);
    fields.pop();
    fields.push(("amount", "100.00"));
    let part = text(pay_through(&app, &session, &refused, &fields).await).await;
    assert!(part.contains("We received €100.00"), "{part}");
    assert!(
        part.contains(&format!(
            "<a href=\"{three}\">Invoice <bdi>INV-0003</bdi></a>"
        )),
        "the receipt names and links what it paid: {part}"
    );
    let after = text(app.get(&three, Some(&session)).await).await;
    assert!(after.contains("<strong>€200.00</strong>"), "balance left");
    // The invoice lists the payment that went to it, linked to its receipt.
    assert!(
        after.contains("<h2>Payments and credits</h2>")
            && after.contains("href=\"/acme/payments/")
            && after.contains(">Receipt R-"),
        "{after}"
    );

    // The retainer, from a bank account (this customer may pay by bank).
    let retainer = link_to(&list, "RET-0001");
    let page = text(app.get(&retainer, Some(&session)).await).await;
    assert!(page.contains("value=\"bank\""));
    let by_bank = text(
        pay_through(
            &app,
            &session,
            &page,
            &[
                ("method", "bank"),
                ("bank_holder", "Silva & Costa Lda"),
                ("routing_number", "110000000"),
                ("account_number", "000123456789"),
            ],
        )
        .await,
    )
    .await;
    assert!(by_bank.contains("We received €200.00"), "{by_bank}");

    // A card saved on the payment methods page pays everything outstanding.
    let methods = text(app.get("/acme/payment-methods", Some(&session)).await).await;
    let mut save = vec![("csrf", hidden(&methods, "csrf"))];
    save.extend(GOOD_CARD.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let save: Vec<(&str, &str)> = save.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = app
        .post("/acme/payment-methods", Some(&session), &save)
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    // A bank account with a bad routing number: refused beside it, the bank
    // still chosen and its holder kept, no number shown again.
    let csrf = hidden(&methods, "csrf");
    let refused = text(
        app.post(
            "/acme/payment-methods",
            Some(&session),
            &[
                ("csrf", &csrf),
                ("method", "bank"),
                ("bank_holder", "Silva & Costa Lda"),
                ("routing_number", "12"),
                ("account_number", "000123456789"),
            ],
        )
        .await,
    )
    .await;
    assert!(
        refused.contains("value=\"bank\" checked>")
            && refused.contains("value=\"Silva &#38; Costa Lda\"")
            && refused.contains("aria-describedby=\"routing_number-error\"")
            && refused.contains("id=\"routing_number-error\"")
            && !refused.contains("000123456789"),
        "{refused}"
    );
    let methods = text(app.get("/acme/payment-methods", Some(&session)).await).await;
    assert!(methods.contains("visa card ending 4242"), "{methods}");
    let all = text(app.get("/acme/pay?all=1", Some(&session)).await).await;
    assert!(
        all.contains("Pay €200.00"),
        "only INV-0003's rest is owed: {all}"
    );
    let start = all.find("value=\"saved:").expect("the saved card") + "value=\"".len();
    let method: String = all[start..].chars().take_while(|c| *c != '"').collect();
    // A made-up saved method is the library's not_found, and charges nothing.
    let charges = app.gateway.charge_count();
    let made_up = pay_through(
        &app,
        &session,
        &all,
        &[("method", &format!("saved:{}", uuid::Uuid::now_v7()))],
    )
    .await;
    assert_eq!(made_up.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.gateway.charge_count(), charges);
    // A saved method can be removed; the list says so.
    let methods = text(app.get("/acme/payment-methods", Some(&session)).await).await;
    let end = methods.find("/remove\"").expect("a remove form") + "/remove".len();
    let start = methods[..end]
        .rfind("/acme/payment-methods/")
        .expect("its path");
    let remove_path = methods[start..end].to_owned();
    let last = text(pay_through(&app, &session, &all, &[("method", &method)]).await).await;
    assert!(last.contains("We received €200.00"), "{last}");
    let home = text(app.get("/acme", Some(&session)).await).await;
    assert_eq!(figure(&home, "Outstanding"), "€0.00");
    let removed = app
        .post(
            &remove_path,
            Some(&session),
            &[("csrf", &hidden(&methods, "csrf"))],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let methods = text(app.get("/acme/payment-methods", Some(&session)).await).await;
    assert!(methods.contains("No saved payment methods."));
}

#[tokio::test]
async fn credit_is_previewed_then_applied() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let credits = text(app.get("/acme/credits", Some(&session)).await).await;
    assert!(credits.contains("CN-0001") && credits.contains("€50.00"));
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    let two = link_to(&list, "INV-0002");
    let page = text(app.get(&two, Some(&session)).await).await;
    let preview_path = link_to(&page, "Use your available credit on this invoice");
    let preview = text(app.get(&preview_path, Some(&session)).await).await;
    assert!(
        preview.contains("CN-0001") && preview.contains("<strong>€75.00</strong>"),
        "125.00 less the 50.00 credit: {preview}"
    );
    let home = text(app.get("/acme", Some(&session)).await).await;
    assert_eq!(
        figure(&home, "Available credit"),
        "€50.00",
        "a preview changes nothing"
    );
    let applied = app
        .post(
            &preview_path,
            Some(&session),
            &[("csrf", &hidden(&preview, "csrf")), ("amount", "")],
        )
        .await;
    assert_eq!(applied.status(), StatusCode::SEE_OTHER);
    let after = text(app.get(&two, Some(&session)).await).await;
    assert!(
        after.contains("<dt>Credited</dt><dd>€50.00</dd>"),
        "{after}"
    );
    assert!(
        after.contains(
            "<a href=\"/acme/credits\">Credit note</a></td><td class=\"num\">€50.00</td>"
        ),
        "the credit applied is listed: {after}"
    );
    let home = text(app.get("/acme", Some(&session)).await).await;
    assert!(
        !home.contains("<span>Available credit</span>"),
        "no credit left, no figure for it"
    );
    let bad = app
        .get(&format!("{preview_path}?amount=lots"), Some(&session))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_invoice_list_filters_sorts_and_pages_by_the_library_cursor() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let admin = app.state.portal.org(app.org);
    let customer = app.session_of(&session).await.customer_id();
    for n in 0..25 {
        let draft = admin
            .invoices()
            .create(
                customer,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("BULK-{n:02}"),
                    lines: vec![LineItem::new(
                        "Bulk",
                        Decimal::ONE,
                        Decimal::new(1_000 + n, 2),
                    )],
                    issue_date: date!(2026 - 01 - 01),
                    due_date: date!(2026 - 02 - 01),
                    allow_partial_payments: false,
                    payment_gateways: vec!["card".into()],
                },
            )
            .await
            .expect("invoice");
        admin.invoices().send(draft.id).await.expect("send");
    }
    let first = text(
        app.get("/acme/invoices?sort=total&dir=asc", Some(&session))
            .await,
    )
    .await;
    assert_eq!(first.matches("<tr>").count() - 1, 20, "a page of 20 rows");
    assert!(
        first.find("BULK-00") < first.find("BULK-01"),
        "smallest first"
    );
    let next = link_to(&first, "Next page");
    assert!(next.contains("sort=total") && next.contains("after="));
    let second = text(app.get(&next, Some(&session)).await).await;
    assert_eq!(second.matches("<tr>").count() - 1, 9, "the other 9 of 29");
    assert!(second.contains("INV-0001") && !second.contains("BULK-00"));
    let retainers = text(
        app.get("/acme/invoices?kind=retainer", Some(&session))
            .await,
    )
    .await;
    assert!(retainers.contains("RET-0001") && !retainers.contains("INV-0001"));
    let overdue = text(
        app.get("/acme/invoices?filter=overdue", Some(&session))
            .await,
    )
    .await;
    assert!(overdue.contains("INV-0002") && !overdue.contains("INV-0001"));
    assert_eq!(
        app.get("/acme/invoices?filter=everything", Some(&session))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let tampered = app
        .get("/acme/invoices?after=not-a-cursor", Some(&session))
        .await;
    assert_eq!(tampered.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(tampered).await.contains("invalid_cursor"));
}

/// A card the bank must confirm: the pay form answers with the pending page (no
/// receipt yet, the invoice shows the payment pending), and the gateway's signed
/// event on the webhook route records it; a forged or repeated event changes
/// nothing, and the route asks for a signature.
#[tokio::test]
async fn a_payment_the_bank_confirms_is_settled_by_the_webhook_route() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    let one = link_to(&list, "INV-0001");
    let page = text(app.get(&one, Some(&session)).await).await;
    assert!(page.contains("Test mode"), "the test gateway says so");
    let mut card = GOOD_CARD.to_vec();
    card[1] = ("number", cards::AUTHENTICATION_REQUIRED);
    let answer = text(pay_through(&app, &session, &page, &card).await).await;
    assert!(
        answer.contains("Payment pending") || answer.contains("Confirm"),
        "{answer}"
    );
    let key = hidden(&page, "key");
    let after = text(app.get(&one, Some(&session)).await).await;
    assert!(after.contains("Payment pending"), "{after}");
    let payments = text(app.get("/acme/payments", Some(&session)).await).await;
    assert!(payments.contains("Waiting for your bank"), "{payments}");
    let home = text(app.get("/acme", Some(&session)).await).await;
    assert_eq!(figure(&home, "Payments pending"), "€450.00");
    let statement = text(app.get("/acme/statement", Some(&session)).await).await;
    assert!(
        statement.contains("<h2>Payments pending</h2>"),
        "{statement}"
    );
    let reference = app.gateway.reference_of(&key).expect("waiting");
    let event = app
        .gateway
        .authenticate(&reference, true, app.state.portal.now())
        .expect("event");
    let deliver = |signature: String, payload: Vec<u8>| {
        let request = Request::post("/webhooks/card")
            .header(CONTENT_TYPE, "application/json")
            .header("Webhook-Signature", signature)
            .body(Body::from(payload))
            .expect("request");
        app.send(request)
    };
    let forged = portal_core::gateway::signature::sign(
        "whsec_guess",
        app.state.portal.now(),
        &event.payload,
    );
    let refused = deliver(forged, event.payload.clone()).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(text(refused).await.contains("invalid_gateway_event"));
    let unsigned = app
        .send(
            Request::post("/webhooks/card")
                .body(Body::from(event.payload.clone()))
                .expect("request"),
        )
        .await;
    assert_eq!(unsigned.status(), StatusCode::BAD_REQUEST);
    let recorded = deliver(event.signature.clone(), event.payload.clone()).await;
    assert_eq!(recorded.status(), StatusCode::OK);
    assert_eq!(text(recorded).await, "Recorded");
    let again = deliver(event.signature.clone(), event.payload.clone()).await;
    assert_eq!(text(again).await, "AlreadyApplied");
    let paid = text(app.get(&one, Some(&session)).await).await;
    assert!(!paid.contains("Payment pending"), "{paid}");
    let payments = text(app.get("/acme/payments", Some(&session)).await).await;
    assert!(
        !payments.contains("Waiting for your bank") && payments.contains("R-"),
        "{payments}"
    );
}
