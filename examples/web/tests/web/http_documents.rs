//! Documents over HTTP, in process: quotes, timesheets and shared files.

use crate::common;

use common::*;

#[tokio::test]
async fn a_quote_is_accepted_with_a_signature_bound_to_what_was_shown() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let list = text(app.get("/acme/quotes", Some(&session)).await).await;
    assert!(list.contains("QT-0001"));
    let path = first_link(&list, "quotes");
    let page = text(app.get(&path, Some(&session)).await).await;
    let (csrf, hash) = (hidden(&page, "csrf"), hidden(&page, "hash"));
    // A hash of other content (the quote changed since it was shown) is refused.
    let stale = app
        .post(
            &format!("{path}/accept"),
            Some(&session),
            &[
                ("csrf", &csrf),
                ("hash", "not-what-was-shown"),
                ("signer", "Ana Silva"),
                ("typed", "Ana Silva"),
            ],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::OK);
    assert!(text(stale).await.contains("quote_changed"));
    let accepted = app
        .post(
            &format!("{path}/accept"),
            Some(&session),
            &[
                ("csrf", &csrf),
                ("hash", &hash),
                ("signer", "Ana Silva"),
                ("typed", "Ana Silva"),
            ],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let after = text(app.get(&path, Some(&session)).await).await;
    assert!(after.contains("accepted") && after.contains("signed by <strong>Ana Silva</strong>"));
    assert!(!after.contains("name=\"hash\""), "no second decision");
    let again = app
        .post(
            &format!("{path}/decline"),
            Some(&session),
            &[("csrf", &csrf), ("reason", "changed my mind")],
        )
        .await;
    assert!(text(again).await.contains("invalid_state"), "decided once");
}

#[tokio::test]
async fn a_drawn_signature_is_kept_and_drawn_back_and_only_a_pad_path_is() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let list = text(app.get("/acme/quotes", Some(&session)).await).await;
    let path = first_link(&list, "quotes");
    let page = text(app.get(&path, Some(&session)).await).await;
    assert!(
        page.contains("<script src=\"/static/signature.js\"") && page.contains("signature-pad"),
        "the pad and its script are on the page"
    );
    let script = app.get("/static/signature.js", None).await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .expect("content type")
            .starts_with("text/javascript")
    );
    // Nothing typed, nothing drawn: the library's reason, and nothing decided.
    let empty = app
        .post(
            &format!("{path}/accept"),
            Some(&session),
            &[
                ("csrf", &hidden(&page, "csrf")),
                ("hash", &hidden(&page, "hash")),
                ("signer", "Ana Silva"),
                ("typed", ""),
                ("drawn", ""),
            ],
        )
        .await;
    assert_eq!(empty.status(), StatusCode::OK);
    let empty = text(empty).await;
    assert!(
        empty.contains("Reference for support: invalid_text")
            && empty.contains("id=\"typed-error\"")
            && empty.contains("value=\"\" aria-invalid=\"true\" aria-describedby=\"typed-error\">")
            && empty.contains("value=\"Ana Silva\""),
        "the reason beside the signature it lacks: {empty}"
    );
    let accepted = app
        .post(
            &format!("{path}/accept"),
            Some(&session),
            &[
                ("csrf", &hidden(&page, "csrf")),
                ("hash", &hidden(&page, "hash")),
                ("signer", "Ana Silva"),
                ("typed", ""),
                ("drawn", "M10 20 L30 40 L50 25"),
            ],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let after = text(app.get(&path, Some(&session)).await).await;
    assert!(
        after.contains("<path d=\"M10 20 L30 40 L50 25\""),
        "{after}"
    );
}

#[tokio::test]
async fn files_are_shared_uploaded_downloaded_and_deleted() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let page = text(app.get("/acme/files", Some(&session)).await).await;
    assert!(page.contains("engagement-letter.txt") && page.contains("Shared with you"));
    let csrf = hidden(&page, "csrf");
    let upload = |name: &'static str, bytes: Vec<u8>, csrf: String| {
        let (kind, body) = multipart(&csrf, name, &bytes);
        let request = Request::post("/acme/files")
            .header(CONTENT_TYPE, kind)
            .header(COOKIE, session.clone())
            .body(Body::from(body))
            .expect("request");
        app.send(request)
    };
    // Bigger than the form limit, within the upload limit.
    let report = "quarterly figures\n".repeat(8_000).into_bytes();
    let sent = upload("report.txt", report.clone(), csrf.clone()).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let refused = upload(
        "setup.pdf",
        b"MZ\x90\x00\x03 a program".to_vec(),
        csrf.clone(),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::OK);
    assert!(text(refused).await.contains("file_type_not_allowed"));
    let forged = upload("x.txt", b"text".to_vec(), "forged".into()).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let page = text(app.get("/acme/files", Some(&session)).await).await;
    assert!(page.contains("report.txt") && !page.contains("setup.pdf"));
    let mine = page
        .split("action=\"/acme/files/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("my upload's delete form")
        .to_owned();
    let download = app
        .get(&format!("/acme/files/{mine}"), Some(&session))
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    assert!(
        download.headers()[CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/plain")
    );
    assert_eq!(
        download.headers()["content-disposition"],
        "attachment; filename=\"report.txt\""
    );
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    let bytes = download
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    assert_eq!(bytes.as_ref(), report.as_slice());
    let missing = app
        .get(
            &format!("/acme/files/{}", uuid::Uuid::now_v7()),
            Some(&session),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let deleted = app
        .post(
            &format!("/acme/files/{mine}/delete"),
            Some(&session),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let page = text(app.get("/acme/files", Some(&session)).await).await;
    assert!(!page.contains("report.txt"));
}

#[tokio::test]
async fn a_timesheet_is_approved_except_a_disputed_entry() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    let list = text(app.get("/acme/timesheets", Some(&session)).await).await;
    assert!(list.contains("Week 47") && list.contains("pending"));
    let path = first_link(&list, "timesheets");
    let page = text(app.get(&path, Some(&session)).await).await;
    let csrf = hidden(&page, "csrf");
    let disputed: String = page
        .split("name=\"dispute-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a dispute input")
        .to_owned();
    let field = format!("dispute-{disputed}");
    // A rejection needs a reason: refused, nothing decided, the page again with
    // what was typed and the message beside the reason it lacks.
    let refused = app
        .post(
            &format!("{path}/decide"),
            Some(&session),
            &[
                ("csrf", &csrf),
                ("decision", "reject"),
                ("reason", " "),
                (&field, "Twice logged"),
            ],
        )
        .await;
    let refused = text(refused).await;
    assert!(
        refused.contains("Reference for support: reason_required")
            && refused.contains("value=\"Twice logged\"")
            && refused.contains(
                "name=\"reason\" value=\" \" aria-invalid=\"true\" aria-describedby=\"reason-error\">"
            )
            && refused.contains("id=\"reason-error\""),
        "{refused}"
    );
    // Approving "all but the disputed" with none disputed: beside the disputes.
    let none = app
        .post(
            &format!("{path}/decide"),
            Some(&session),
            &[("csrf", &csrf), ("decision", "dispute"), ("reason", "")],
        )
        .await;
    let none = text(none).await;
    assert!(
        none.contains("id=\"disputes-error\"")
            && none.contains("aria-describedby=\"disputes-error\"")
            && !none.contains("id=\"form-error\""),
        "{none}"
    );
    let decided = app
        .post(
            &format!("{path}/decide"),
            Some(&session),
            &[
                ("csrf", &csrf),
                ("decision", "dispute"),
                ("reason", ""),
                (&field, "I was on holiday that day"),
            ],
        )
        .await;
    assert_eq!(decided.status(), StatusCode::SEE_OTHER);
    let after = text(app.get(&path, Some(&session)).await).await;
    assert!(after.contains("partly approved"), "{after}");
    assert!(after.contains("I was on holiday that day"));
    assert!(after.contains("approved") && !after.contains("name=\"decision\""));
}

/// Text stored before the library refused bidirectional overrides cannot spoof a
/// page: the escaper drops them, and user text sits in `<bdi>`, so right-to-left
/// text does not reorder what is around it either.
#[tokio::test]
async fn stored_text_never_reorders_a_page() {
    let app = app(false).await;
    let cookie = app.ana_signed_in().await;
    let session = app.session_of(&cookie).await;
    let store = app.state.portal.store();
    // An invoice as an older version might have stored it: its number with a
    // right-to-left override, written below the library's checks.
    let mut invoice = portal_core::domain::Invoice::draft(
        session.org_id(),
        session.customer_id(),
        Currency::from_code("EUR").expect("eur"),
        NewInvoice {
            kind: InvoiceKind::Invoice,
            number: "OLD-1".into(),
            lines: vec![LineItem::new("שירותים", Decimal::ONE, Decimal::TEN)],
            issue_date: date!(2026 - 04 - 01),
            due_date: date!(2026 - 04 - 30),
            allow_partial_payments: false,
            payment_gateways: vec![],
        },
        portal_core::OffsetDateTime::now_utc(),
    )
    .expect("draft");
    invoice.number = "INV\u{202E}fdp.exe".into();
    store.invoices().create(&invoice).await.expect("stored");
    invoice.status = portal_core::domain::InvoiceStatus::Sent;
    store.invoices().update(&invoice).await.expect("sent");
    let page = app
        .get(&format!("/acme/invoices/{}", invoice.id), Some(&cookie))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = text(page).await;
    assert!(!html.contains('\u{202E}'), "the override is dropped");
    assert!(
        html.contains("<h1>Invoice <bdi>INVfdp.exe</bdi></h1>"),
        "{html}"
    );
    assert!(
        html.contains("<td dir=\"auto\">שירותים</td>"),
        "a right-to-left description keeps its own direction"
    );
}
