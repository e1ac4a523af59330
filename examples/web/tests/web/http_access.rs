//! Access and security over HTTP, in process: headers, cookies, CSRF, invitations,
//! sign-in and out, password resets, details.

use crate::common;

use common::*;

#[tokio::test]
async fn every_page_carries_the_security_headers_and_cookie_flags() {
    let app = app(false).await;
    let page = app.get("/acme/sign-in", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let h = page.headers();
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline") && csp.contains("script-src 'self';"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    let line = set_cookie_line(&page, "portal_csrf").expect("csrf cookie");
    assert!(line.contains("HttpOnly") && line.contains("SameSite=Lax"));
    assert!(!line.contains("Secure"), "plain-HTTP localhost: not Secure");
    assert_eq!(
        h["x-request-id"].to_str().expect("id").len(),
        36,
        "every answer names its request for the log"
    );
    let missing = app.get("/nowhere/at/all", None).await;
    assert_eq!(missing.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn over_https_the_cookies_are_secure_and_host_prefixed() {
    let app = app(true).await;
    let page = app.get("/acme/sign-in", None).await;
    let line = set_cookie_line(&page, "__Host-portal_csrf").expect("prefixed cookie");
    assert!(line.contains("Secure") && line.contains("Path=/") && !line.contains("Domain"));
    let session = app.ana_signed_in().await;
    assert!(session.starts_with("__Host-portal_session="));
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = app(false).await;
    let page = app.get("/acme/sign-in", None).await;
    let cookie = cookie_of(&page, "portal_csrf").expect("csrf cookie");
    for (cookie, token) in [
        (None, "x"),
        (Some(cookie.as_str()), "wrong"),
        (Some(cookie.as_str()), ""),
    ] {
        let refused = app
            .post(
                "/acme/sign-in",
                cookie,
                &[
                    ("csrf", token),
                    ("email", seed::DEMO_CONTACTS[0]),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert!(set_cookie_line(&refused, "portal_session").is_none());
    }
    // A signed-in form needs the session's token, not a signed-out one.
    let session = app.ana_signed_in().await;
    let refused = app
        .post("/acme/sign-out", Some(&session), &[("csrf", "guess")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/acme", Some(&session)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn invitation_dashboard_invoices_and_sign_out() {
    let app = app(false).await;
    assert_eq!(
        app.get("/acme", None).await.headers()[LOCATION],
        "/acme/sign-in",
        "signed out: to the sign-in page"
    );
    let session = app.ana_signed_in().await;
    let welcome = text(app.get("/acme?welcome=1", Some(&session)).await).await;
    assert!(
        welcome.contains("class=\"banner\""),
        "the banner at first sign-in"
    );
    let home = app.get("/acme", Some(&session)).await;
    assert_eq!(home.status(), StatusCode::OK);
    let html = text(home).await;
    assert!(!html.contains("class=\"banner\""), "and only then");
    assert!(html.contains("Silva &amp; Costa Lda") || html.contains("Silva &#38; Costa Lda"));
    assert!(html.contains("To pay now") && html.contains("<span>Outstanding</span>"));
    let list = text(app.get("/acme/invoices", Some(&session)).await).await;
    assert!(list.contains("INV-0001") && list.contains("INV-0002"));
    let csrf = hidden(&html, "csrf");
    let out = app
        .post("/acme/sign-out", Some(&session), &[("csrf", &csrf)])
        .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(
        set_cookie_line(&out, "portal_session")
            .expect("cleared")
            .contains("Max-Age=0")
    );
    assert_eq!(
        app.get("/acme", Some(&session)).await.headers()[LOCATION],
        "/acme/sign-in",
        "the old cookie no longer works"
    );
}

/// A page opened signed out (a document an email links to) opens again once
/// signed in; only a page of this portal is returned to.
#[tokio::test]
async fn signing_in_returns_to_the_page_asked_for() {
    let app = app(false).await;
    let ana = app.ana_signed_in().await;
    let list = text(app.get("/acme/invoices", Some(&ana)).await).await;
    let invoice = link_to(&list, "INV-0002");
    let asked = app.get(&invoice, None).await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let to = asked.headers()[LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(to, format!("/acme/sign-in?next={invoice}"));
    let form = app.get(&to, None).await;
    let cookie = cookie_of(&form, app.state.cookies.csrf_name()).expect("csrf cookie");
    let page = text(form).await;
    assert_eq!(hidden(&page, "next"), invoice);
    let sign_in = |next: String| {
        let (app, cookie, csrf) = (&app, cookie.clone(), hidden(&page, "csrf"));
        async move {
            let done = app
                .post(
                    "/acme/sign-in",
                    Some(&cookie),
                    &[
                        ("csrf", csrf.as_str()),
                        ("email", portal_web::seed::DEMO_CONTACTS[0]),
                        ("password", common::PASSWORD),
                        ("next", next.as_str()),
                    ],
                )
                .await;
            assert_eq!(done.status(), StatusCode::SEE_OTHER);
            done.headers()[LOCATION].to_str().expect("ascii").to_owned()
        }
    };
    assert_eq!(
        sign_in(invoice.clone()).await,
        invoice,
        "back to the invoice"
    );
    for elsewhere in [
        "https://evil.example/acme/invoices",
        "//evil.example/acme/",
        "/other/invoices",
        "/acme/../other",
    ] {
        let landed = sign_in(elsewhere.to_owned()).await;
        assert!(
            landed == "/acme" || landed == "/acme?welcome=1",
            "{elsewhere} -> {landed}"
        );
    }
}

#[tokio::test]
async fn another_signed_out_page_keeps_an_open_forms_csrf_secret() {
    // Found by the browser test: the browser's favicon request wandered into a
    // sign-in page, whose new CSRF cookie broke the open invitation form.
    let app = app(false).await;
    let link = app
        .mailbox
        .last_link_to(seed::DEMO_CONTACTS[0], "/invitation/")
        .expect("invitation");
    let path = link.trim_start_matches("http://portal.test");
    let form = app.get(path, None).await;
    let cookie = cookie_of(&form, "portal_csrf").expect("csrf cookie");
    let csrf = hidden(&text(form).await, "csrf");
    let other = app.get("/acme/sign-in", Some(&cookie)).await;
    assert_eq!(
        cookie_of(&other, "portal_csrf").as_deref(),
        Some(cookie.as_str())
    );
    assert_eq!(
        app.get("/favicon.ico", None).await.status(),
        StatusCode::NO_CONTENT
    );
    let done = app
        .post(
            path,
            Some(&cookie),
            &[
                ("csrf", &csrf),
                ("password", PASSWORD),
                ("password_confirmation", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_mailbox_and_details_are_edited() {
    let app = app(false).await;
    let session = app.ana_signed_in().await;
    // Details.
    let page = text(app.get("/acme/profile", Some(&session)).await).await;
    let csrf = hidden(&page, "csrf");
    let saved = app
        .post(
            "/acme/profile",
            Some(&session),
            &[
                ("csrf", &csrf),
                ("display_name", "Silva & Costa, Lda"),
                ("company_name", "Silva & Costa"),
                ("first_name", "Ana"),
                ("last_name", "Silva"),
                ("phone", "+351 210 000 000"),
                ("billing_street1", "Rua do Ouro 10"),
                ("billing_zip", "1100-060"),
                ("billing_city", "Lisboa"),
                ("billing_country", "Portugal"),
                ("shipping_city", "Porto"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = text(app.get("/acme/profile", Some(&session)).await).await;
    assert!(page.contains("+351 210 000 000"));
    assert!(page.contains("value=\"Rua do Ouro 10\"") && page.contains("value=\"Porto\""));
    // A refused change shows the form again as typed, with the reason.
    let refused = text(
        app.post(
            "/acme/profile",
            Some(&session),
            &[
                ("csrf", &csrf),
                ("display_name", ""),
                ("company_name", "Silva & Costa"),
                ("first_name", "Ana"),
                ("last_name", "Silva"),
                ("phone", "+351 219 999 999"),
                ("billing_street1", "Rua Nova 5"),
            ],
        )
        .await,
    )
    .await;
    assert!(
        refused.contains("class=\"error\"")
            && refused.contains("value=\"+351 219 999 999\"")
            && refused.contains("value=\"Rua Nova 5\""),
        "{refused}"
    );
    let page = text(app.get("/acme/profile", Some(&session)).await).await;
    assert!(page.contains("+351 210 000 000"), "nothing was saved");
    let home = text(app.get("/acme", Some(&session)).await).await;
    assert!(home.contains("Your account") && home.contains("Rua do Ouro 10"));
    assert!(home.contains("Rui Costa") && home.contains("hello@acme-books.example"));
    // Forgot password: the same answer for a stranger and for Ana.
    let form = app.get("/acme/forgot-password", None).await;
    let cookie = cookie_of(&form, "portal_csrf").expect("csrf cookie");
    let csrf = hidden(&text(form).await, "csrf");
    let mut answers = Vec::new();
    for email in ["nobody@example.com", seed::DEMO_CONTACTS[0]] {
        let answer = app
            .post(
                "/acme/forgot-password",
                Some(&cookie),
                &[("csrf", &csrf), ("email", email)],
            )
            .await;
        answers.push(text(answer).await);
    }
    assert_eq!(answers[0], answers[1], "nothing tells who has access");
    app.state
        .portal
        .dispatch_emails(10)
        .await
        .expect("dispatch");
    let link = app
        .mailbox
        .last_link_to(seed::DEMO_CONTACTS[0], "/reset-password/")
        .expect("reset link");
    let path = link.trim_start_matches("http://portal.test");
    let form = text(app.get(path, Some(&cookie)).await).await;
    let new = "another long pass phrase";
    let done = app
        .post(
            path,
            Some(&cookie),
            &[
                ("csrf", &hidden(&form, "csrf")),
                ("password", new),
                ("password_confirmation", new),
            ],
        )
        .await;
    assert_eq!(done.headers()[LOCATION], "/acme/sign-in");
    assert_eq!(
        app.get("/acme", Some(&session)).await.headers()[LOCATION],
        "/acme/sign-in",
        "a reset ends every session"
    );
    let again = app
        .post(
            path,
            Some(&cookie),
            &[
                ("csrf", &hidden(&form, "csrf")),
                ("password", new),
                ("password_confirmation", new),
            ],
        )
        .await;
    assert!(text(again).await.contains("error"), "the link works once");
    let signed = app
        .post(
            "/acme/sign-in",
            Some(&cookie),
            &[
                ("csrf", &csrf),
                ("email", seed::DEMO_CONTACTS[0]),
                ("password", new),
            ],
        )
        .await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed.headers()[LOCATION], "/acme");
}

#[tokio::test]
async fn the_invitation_sets_the_password_and_the_preferences() {
    let app = app(false).await;
    let link = app
        .mailbox
        .last_link_to(seed::DEMO_CONTACTS[1], "/invitation/")
        .expect("Rui's invitation");
    let path = link.trim_start_matches("http://portal.test");
    let form = app.get(path, None).await;
    let cookie = cookie_of(&form, "portal_csrf").expect("csrf cookie");
    let page = text(form).await;
    assert!(page.contains("name=\"time_zone\"") && page.contains("Your preferences"));
    assert!(
        page.contains("<option selected>UTC</option>")
            && page.contains("<option>Pacific/Kiritimati</option>"),
        "the zones are choices, the organization's default chosen"
    );
    assert!(
        page.contains("<option value=\"en\" lang=\"en\" selected>English</option>")
            && page.contains("<option value=\"zh-CN\" lang=\"zh-CN\">简体中文</option>")
            && page.contains("<option value=\"US\" selected>United States</option>")
            && page.contains("<option value=\"PT\">Portugal</option>"),
        "languages and countries are choices, the organization's defaults chosen"
    );
    let csrf = hidden(&page, "csrf");
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("password", PASSWORD),
        ("password_confirmation", PASSWORD),
        ("language", "pt-PT"),
        ("time_zone", "../etc/passwd"),
        ("date_format", "day_month_year"),
        ("clock24", "1"),
        ("country", "PT"),
    ];
    let refused = app.post(path, Some(&cookie), &fields).await;
    assert_eq!(refused.status(), StatusCode::OK);
    let refused = text(refused).await;
    assert!(
        refused.contains("<small class=\"ref\">Reference for support: invalid_preference</small>"),
        "{refused}"
    );
    assert!(
        refused.contains("<option value=\"pt\" lang=\"pt\" selected>Português</option>")
            && refused.contains("<option value=\"PT\" selected>"),
        "what was chosen stays chosen"
    );
    fields[4] = ("time_zone", "Europe/Atlantis");
    let refused = text(app.post(path, Some(&cookie), &fields).await).await;
    assert!(
        refused.contains("<small class=\"ref\">Reference for support: invalid_preference</small>"),
        "a zone the database does not know: {refused}"
    );
    fields[4] = ("time_zone", "Europe/Lisbon");
    // A confirmation that differs: the message beside it.
    fields[2] = ("password_confirmation", "a different passphrase");
    let refused = text(app.post(path, Some(&cookie), &fields).await).await;
    assert!(
        refused.contains("aria-describedby=\"password_confirmation-error\">")
            && refused.contains("id=\"password_confirmation-error\"")
            && !refused.contains("id=\"form-error\""),
        "{refused}"
    );
    fields[2] = ("password_confirmation", PASSWORD);
    let accepted = app.post(path, Some(&cookie), &fields).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let rui = cookie_of(&accepted, "portal_session").expect("signed in");
    let prefs = app.session_of(&rui).await.preferences();
    assert_eq!(
        (
            prefs.language.as_str(),
            prefs.time_zone.as_str(),
            prefs.country.as_str()
        ),
        ("pt-PT", "Europe/Lisbon", "PT")
    );
    assert!(prefs.twenty_four_hour_clock);
    assert_eq!(
        prefs.date_format,
        portal_core::domain::DateFormat::DayMonthYear
    );
    // From here on Rui reads Portuguese, with Portugal's formats and his date
    // format, on every page.
    let home = text(app.get("/acme", Some(&rui)).await).await;
    assert!(
        home.contains("<html lang=\"pt\">")
            && home.contains(">Faturas</a>")
            && home.contains(">Sair</button>"),
        "{home}"
    );
    let owed = figure(&home, "Em dívida");
    assert!(owed.ends_with("\u{a0}€") && owed.contains(','), "{owed:?}");
    let invoices = text(app.get("/acme/invoices", Some(&rui)).await).await;
    assert!(
        invoices.contains("<th scope=\"col\">Vencimento</th>"),
        "{invoices}"
    );
    let first = first_link(&invoices, "invoices");
    let invoice = text(app.get(&first, Some(&rui)).await).await;
    let due = invoice
        .split("vence a ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .expect("the due date");
    assert!(
        due.len() == 10 && due.as_bytes()[2] == b'/' && due.as_bytes()[5] == b'/',
        "31/12/2026, as Rui chose: {due:?}"
    );
    assert!(invoice.contains("Descarregar PDF"), "{invoice}");
    // The print page and the PDF of that invoice say the same, in Portuguese,
    // with the figures the invoice page shows.
    let print = text(app.get(&format!("{first}/print"), Some(&rui)).await).await;
    let owed_here = print
        .split("<dt>Saldo a pagar</dt><dd><strong>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the balance due on the print page");
    assert!(owed_here.ends_with("\u{a0}€") && owed_here.contains(','));
    assert!(
        invoice.contains(owed_here) && print.contains("<h1>Fatura ") && print.contains(due),
        "{print}"
    );
    let pdf = app.get(&format!("{first}/pdf"), Some(&rui)).await;
    let pdf = axum::body::to_bytes(pdf.into_body(), usize::MAX)
        .await
        .expect("pdf");
    if let Some(pdf) = crate::http_pdf::pdf_text(&pdf) {
        let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
        let owed_flat = owed_here.replace('\u{a0}', " ");
        for expected in [
            "Fatura ",
            "Faturar a",
            &format!("Data de vencimento: {due}"),
            &format!("Saldo a pagar {owed_flat}"),
            "Página 1 de 1",
        ] {
            assert!(flat.contains(expected), "{expected:?} in {flat}");
        }
    }
    // Refusals read in Portuguese too: a form's, and a whole page's.
    let profile = text(app.get("/acme/profile", Some(&rui)).await).await;
    let refused = text(
        app.post(
            "/acme/password",
            Some(&rui),
            &[
                ("csrf", &hidden(&profile, "csrf")),
                ("current", "not the password"),
                ("password", "another long passphrase"),
                ("password_confirmation", "another long passphrase"),
            ],
        )
        .await,
    )
    .await;
    assert!(
        refused.contains("A palavra-passe atual está incorreta.")
            && refused.contains("id=\"current-error\"")
            && refused.contains("aria-describedby=\"current-error\""),
        "beside the current password: {refused}"
    );
    let missing = app
        .get(
            "/acme/invoices/00000000-0000-7000-8000-000000000000",
            Some(&rui),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let missing = text(missing).await;
    assert!(
        missing.contains("<h1>Não encontrado</h1>")
            && missing.contains("Voltar ao portal")
            && missing.contains("Referência para o apoio: erro 404, <code>not_found</code>"),
        "{missing}"
    );
    // The statement in Portuguese closes on the dashboard's balance, written
    // the same way.
    let balance = figure(&home, "Em dívida após o seu crédito");
    let statement = text(app.get("/acme/statement", Some(&rui)).await).await;
    assert!(
        statement.contains(&format!(
            "<strong>Saldo final</strong></td><td class=\"num\"><strong>{balance}</strong>"
        )),
        "{balance:?}: {statement}"
    );
}

#[tokio::test]
async fn before_sign_in_the_browser_language_is_read() {
    let app = app(false).await;
    let request = |language: &'static str| {
        axum::http::Request::get("/acme/sign-in")
            .header("accept-language", language)
            .body(axum::body::Body::empty())
            .expect("request")
    };
    let chinese = text(app.send(request("zh-CN,zh;q=0.9,en;q=0.8")).await).await;
    assert!(
        chinese.contains("<html lang=\"zh-CN\">") && chinese.contains("<h1>登录</h1>"),
        "{chinese}"
    );
    let spanish = text(app.send(request("es-MX, en;q=0.5")).await).await;
    assert!(spanish.contains("<h1>Iniciar sesión</h1>"), "{spanish}");
    let other = text(app.send(request("de-DE")).await).await;
    assert!(
        other.contains("<h1>Sign in</h1>"),
        "a language the portal is not written in: English"
    );
}

#[tokio::test]
async fn a_handler_that_panics_is_the_generic_error_page_without_its_detail() {
    async fn boom() -> &'static str {
        panic!("secret detail 42")
    }
    let app = Router::new()
        .route("/boom", axum::routing::get(boom))
        .layer(axum::middleware::from_fn(portal_web::security::catch_panic));
    let response = app
        .oneshot(Request::get("/boom").body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let page = text(response).await;
    assert!(page.contains("Something went wrong") && !page.contains("secret detail"));
}
