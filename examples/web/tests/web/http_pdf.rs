//! Documents as PDF and print pages over HTTP (D2): every document page links
//! both; the PDF is an attachment with the document's figures; another
//! customer's document is the same 404 as a made-up one.

use crate::common;

use common::*;

/// The PDF's text through pdftotext, when poppler-utils is installed (under CI
/// it must be: scripts/with-browser installs it).
pub(crate) fn pdf_text(bytes: &[u8]) -> Option<String> {
    let path = std::env::temp_dir().join(format!("portal-web-{}.pdf", uuid::Uuid::now_v7()));
    std::fs::write(&path, bytes).expect("write");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => {
            assert!(
                !std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false"),
                "pdftotext is missing under CI"
            );
            None
        }
    }
}

async fn bytes(response: Response) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

#[tokio::test]
async fn every_document_downloads_as_pdf_and_prints_from_the_same_model() {
    let app = app(false).await;
    if app.state.pdf_fonts.is_none() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false"),
            "no fonts for PDF under CI"
        );
        eprintln!("skipped: no fonts (scripts/with-browser installs them)");
        return;
    }
    let session = app.ana_signed_in().await;
    let invoices = text(app.get("/acme/invoices", Some(&session)).await).await;
    let quotes = text(app.get("/acme/quotes", Some(&session)).await).await;
    let orders = text(app.get("/acme/sales-orders", Some(&session)).await).await;
    let documents = [
        (
            link_to(&invoices, "INV-0001"),
            "Invoice INV-0001",
            "€450.00",
        ),
        (
            link_to(&invoices, "RET-0001"),
            "Retainer invoice RET-0001",
            "€200.00",
        ),
        (link_to(&quotes, "QT-0001"), "Quote QT-0001", "€1,550.00"),
        (
            link_to(&orders, "SO-0001"),
            "Sales order SO-0001",
            "€125.00",
        ),
    ];
    for (page, title, total) in &documents {
        let html = text(app.get(page, Some(&session)).await).await;
        assert!(
            html.contains(&format!("href=\"{page}/pdf\""))
                && html.contains(&format!("href=\"{page}/print\""))
        );
        let pdf = app.get(&format!("{page}/pdf"), Some(&session)).await;
        assert_eq!(pdf.status(), StatusCode::OK, "{page}");
        assert_eq!(pdf.headers()[CONTENT_TYPE], "application/pdf");
        let disposition = pdf.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        assert_eq!(pdf.headers()["x-content-type-options"], "nosniff");
        let body = bytes(pdf).await;
        assert!(body.starts_with(b"%PDF"));
        if let Some(text) = pdf_text(&body) {
            assert!(
                text.contains(title) && text.contains(total),
                "{title} {total} in {text}"
            );
            assert!(text.contains("Silva & Costa Lda") && text.contains("Acme Books"));
        }
        let print = text(app.get(&format!("{page}/print"), Some(&session)).await).await;
        assert!(
            print.contains(&format!("<h1>{title}</h1>")) && print.contains(total),
            "{print}"
        );
    }
    // The credit note, from the credits page.
    let credits = text(app.get("/acme/credits", Some(&session)).await).await;
    let note = link_to(&credits, "CN-0001");
    assert!(note.ends_with("/pdf"), "{note}");
    let pdf = app.get(&note, Some(&session)).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    if let Some(text) = pdf_text(&bytes(pdf).await) {
        assert!(
            text.contains("Credit note CN-0001") && text.contains("€50.00"),
            "{text}"
        );
    }
    // The statement, for the period shown.
    let statement = text(
        app.get("/acme/statement?period=this-year", Some(&session))
            .await,
    )
    .await;
    assert!(statement.contains("href=\"/acme/statement/pdf?period=this-year\""));
    let pdf = app
        .get("/acme/statement/pdf?period=this-year", Some(&session))
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    if let Some(text) = pdf_text(&bytes(pdf).await) {
        assert!(text.contains("Statement of account") && text.contains("Closing balance"));
    }
    assert_eq!(
        app.get("/acme/statement/docx?period=this-year", Some(&session))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Another customer's invoice is the same 404 as a made-up one, as PDF too.
    let console = app.console_signed_in().await;
    let home = text(app.get("/console/acme", Some(&console)).await).await;
    let lopes = text(
        app.get(&link_to(&home, "Lopes Trading"), Some(&console))
            .await,
    )
    .await;
    assert!(lopes.contains("INV-0004"));
    let admin = app.state.portal.org(app.org);
    let theirs = admin
        .customers()
        .list(&portal_core::domain::PageRequest::first(10))
        .await
        .expect("customers")
        .items
        .into_iter()
        .find(|c| c.display_name == "Lopes Trading")
        .expect("Lopes");
    let their_invoice = admin
        .invoices()
        .list(
            theirs.id,
            &portal_core::domain::InvoiceQuery::new(app.state.portal.today()),
        )
        .await
        .expect("invoices")
        .items
        .remove(0);
    let theirs = app
        .get(
            &format!("/acme/invoices/{}/pdf", their_invoice.id),
            Some(&session),
        )
        .await;
    let made_up = app
        .get(
            &format!("/acme/invoices/{}/pdf", uuid::Uuid::now_v7()),
            Some(&session),
        )
        .await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    assert_eq!(made_up.status(), StatusCode::NOT_FOUND);
    assert_eq!(text(theirs).await, text(made_up).await);
    // Signed out: to the sign-in page, no PDF.
    let out = app.get(&format!("{}/pdf", documents[0].0), None).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn receipts_and_emailed_documents_arrive_with_their_pdf() {
    let app = app(false).await;
    if app.state.pdf_fonts.is_none() {
        eprintln!("skipped: no fonts (scripts/with-browser installs them)");
        return;
    }
    let session = app.ana_signed_in().await;
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    let page = text(app.get(&link_to(&list, "INV-0001"), Some(&session)).await).await;
    let paid = pay_through(&app, &session, &page, &GOOD_CARD).await;
    assert_eq!(paid.status(), StatusCode::OK);
    // From the console, INV-0002 is emailed to the contacts with access.
    let console = app.console_signed_in().await;
    let home = text(app.get("/console/acme", Some(&console)).await).await;
    let customer_path = link_to(&home, "Silva &#38; Costa Lda");
    let customer = text(app.get(&customer_path, Some(&console)).await).await;
    let invoices = app
        .state
        .portal
        .org(app.org)
        .invoices()
        .list(
            app.session_of(&session).await.customer_id(),
            &portal_core::domain::InvoiceQuery::new(app.state.portal.today()),
        )
        .await
        .expect("invoices");
    let two = invoices
        .items
        .iter()
        .find(|i| i.number == "INV-0002")
        .expect("INV-0002");
    let emailed = app
        .post(
            &format!("{customer_path}/email"),
            Some(&console),
            &[
                ("csrf", &hidden(&customer, "csrf")),
                ("document", &format!("invoice:{}", two.id)),
            ],
        )
        .await;
    assert_eq!(emailed.status(), StatusCode::SEE_OTHER);
    app.state
        .portal
        .dispatch_emails(100)
        .await
        .expect("dispatch");
    let mailbox = text(app.get("/dev/mailbox", None).await).await;
    for (subject, file) in [
        ("Receipt R-", "receipt-R-"),
        ("Invoice INV-0002 from Acme Books", "invoice-INV-0002.pdf"),
    ] {
        assert!(mailbox.contains(subject), "{subject} in the mailbox");
        let at = mailbox
            .find(file)
            .unwrap_or_else(|| panic!("{file} attached"));
        let start = mailbox[..at].rfind("href=\"").expect("link") + "href=\"".len();
        let href: String = mailbox[start..].chars().take_while(|c| *c != '"').collect();
        let download = app.get(&href, None).await;
        assert_eq!(download.headers()[CONTENT_TYPE], "application/pdf");
        let bytes = bytes(download).await;
        if let Some(text) = pdf_text(&bytes) {
            assert!(text.contains("Silva & Costa Lda"), "{text}");
        }
    }
}
