//! Document links over HTTP: the console sends one, the email's link opens just
//! that document without signing in, with the chosen actions; revoked, it is
//! gone; it never opens under another portal.

use crate::common;

use common::*;

/// The console's customer page of Silva & Costa, and its path.
async fn silva_console(app: &App, console: &str) -> (String, String) {
    let home = text(app.get("/console/acme", Some(console)).await).await;
    let path = link_to(&home, "Silva &#38; Costa Lda");
    (text(app.get(&path, Some(console)).await).await, path)
}

/// The value of the `<option>` whose label starts with `label` in `html`.
fn option(html: &str, label: &str) -> String {
    let end = html
        .find(&format!("\">{label}"))
        .unwrap_or_else(|| panic!("option {label}"));
    let start = html[..end].rfind("value=\"").expect("value") + "value=\"".len();
    html[start..end].to_owned()
}

async fn send_link(app: &App, console: &str, document: &str, actions: &[(&str, &str)]) -> String {
    let (page, path) = silva_console(app, console).await;
    let mut form = vec![
        ("csrf", hidden(&page, "csrf")),
        ("document", option(&page, document)),
        ("contact", option(&page, "Ana Silva")),
    ];
    form.extend(actions.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sent = app
        .post(&format!("{path}/links"), Some(console), &form)
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", text(sent).await);
    app.state
        .portal
        .dispatch_emails(100)
        .await
        .expect("dispatch");
    let link = app
        .mailbox
        .last_link_to(seed::DEMO_CONTACTS[0], "/d/")
        .expect("the link in the email");
    link.trim_start_matches("http://portal.test").to_owned()
}

#[tokio::test]
async fn a_link_opens_one_document_to_download_and_pay_until_revoked() {
    let app = app(false).await;
    let console = app.console_signed_in().await;
    let path = send_link(
        &app,
        &console,
        "Invoice INV-0002",
        &[("download", "1"), ("pay", "1")],
    )
    .await;
    assert!(path.starts_with("/acme/d/"), "{path}");
    let page = app.get(&path, None).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let cookie = cookie_of(&page, "portal_csrf").expect("csrf cookie");
    let html = text(page).await;
    assert!(html.contains("<h1>Invoice INV-0002</h1>") && html.contains("Download PDF"));
    assert!(
        !html.contains("INV-0001") && !html.contains("Sign out"),
        "that document only"
    );
    // Whoever opens it reads it in their browser's language, the document too.
    let chinese = text(
        app.send(
            axum::http::Request::get(&path)
                .header("accept-language", "zh-CN,zh;q=0.9")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await,
    )
    .await;
    assert!(
        chinese.contains("<html lang=\"zh-CN\">")
            && chinese.contains("<h1>发票 INV-0002</h1>")
            && chinese.contains("应付余额")
            && chinese.contains("下载 PDF")
            && chinese.contains("立即付款"),
        "{chinese}"
    );
    if app.state.pdf_fonts.is_some() {
        let pdf = app.get(&format!("{path}/pdf"), None).await;
        assert_eq!(pdf.headers()[CONTENT_TYPE], "application/pdf");
    }
    let mut form = vec![
        ("csrf", hidden(&html, "csrf")),
        ("key", hidden(&html, "key")),
        ("method", "card".to_owned()),
    ];
    form.extend(GOOD_CARD.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let forged: Vec<(&str, &str)> = form
        .iter()
        .map(|(k, v)| {
            if *k == "csrf" {
                (*k, "forged")
            } else {
                (*k, *v)
            }
        })
        .collect();
    let refused = app
        .post(&format!("{path}/pay"), Some(&cookie), &forged)
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.gateway.charge_count(), 0);
    let paid = text(app.post(&format!("{path}/pay"), Some(&cookie), &form).await).await;
    assert!(paid.contains("Thank you: we received €125.00"), "{paid}");
    // The page lists the payment, linked to its receipt through the sign-in.
    assert!(
        !html.contains("<h2>Payments and credits</h2>"),
        "none before"
    );
    assert!(
        paid.contains("<h2>Payments and credits</h2>")
            && paid.contains("<a href=\"/acme/sign-in?next=/acme/payments/")
            && paid.contains("€125.00</td>"),
        "{paid}"
    );
    let again = text(app.post(&format!("{path}/pay"), Some(&cookie), &form).await).await;
    assert!(
        again.contains("Thank you: we received €125.00"),
        "the same key: {again}"
    );
    assert_eq!(app.gateway.charge_count(), 1, "charged once");
    // Under another portal's address, the same 404 as nothing.
    let elsewhere = path.replacen("/acme/", "/other/", 1);
    assert_eq!(
        app.get(&elsewhere, None).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/acme/d/made-up", None).await.status(),
        StatusCode::NOT_FOUND
    );
    // The console shows it live, then revokes it: gone.
    let (console_page, customer_path) = silva_console(&app, &console).await;
    assert!(console_page.contains("<td>live</td>"));
    let end = console_page.find("/revoke\"").expect("a revoke form") + "/revoke".len();
    let start = console_page[..end]
        .rfind("/console/acme/links/")
        .expect("path");
    let customer_id = customer_path.rsplit('/').next().expect("id");
    let revoked = app
        .post(
            &console_page[start..end],
            Some(&console),
            &[
                ("csrf", &hidden(&console_page, "csrf")),
                ("customer", customer_id),
            ],
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let gone = app.get(&path, None).await;
    assert_eq!(gone.status(), StatusCode::GONE);
    assert!(text(gone).await.contains("link_revoked"));
    // Every use is in the customer's activity feed.
    let (console_page, _) = silva_console(&app, &console).await;
    assert_eq!(
        console_page
            .matches("Ana Silva opened Invoice INV-0002 through a document link")
            .count(),
        1,
        "opened once; showing it after the payment is part of that use"
    );
    assert!(console_page.contains("Ana Silva paid 125.00 EUR"));
}

#[tokio::test]
async fn a_quote_link_accepts_and_a_view_only_link_does_nothing_else() {
    let app = app(false).await;
    let console = app.console_signed_in().await;
    let quote = send_link(&app, &console, "Quote QT-0001", &[("decide", "1")]).await;
    let page = app.get(&quote, None).await;
    let cookie = cookie_of(&page, "portal_csrf").expect("csrf cookie");
    let html = text(page).await;
    assert!(html.contains("Accept and sign") && !html.contains("Download PDF"));
    let accepted = app
        .post(
            &format!("{quote}/decide"),
            Some(&cookie),
            &[
                ("csrf", &hidden(&html, "csrf")),
                ("decision", "accept"),
                ("hash", &hidden(&html, "hash")),
                ("signer", "Ana Silva"),
            ],
        )
        .await;
    let accepted = text(accepted).await;
    assert!(
        accepted.contains("Quote QT-0001 is accepted."),
        "{accepted}"
    );
    assert!(accepted.contains("ACCEPTED") && !accepted.contains("Accept and sign"));
    assert_eq!(
        app.get(&format!("{quote}/pdf"), None).await.status(),
        StatusCode::FORBIDDEN,
        "no download on this link"
    );
    let view_only = send_link(&app, &console, "Sales order SO-0001", &[]).await;
    let html = text(app.get(&view_only, None).await).await;
    assert!(html.contains("<h1>Sales order SO-0001</h1>") && !html.contains("Download PDF"));
}
