//! The org console over HTTP, in process: its own credential, and the whole story
//! of an organization played from it, checked in the portal.

use crate::common;

use common::*;

#[tokio::test]
async fn the_console_opens_only_with_its_token_and_its_own_session() {
    let app = app(false).await;
    let none = app.get("/console/acme", None).await;
    assert_eq!(none.status(), StatusCode::SEE_OTHER);
    assert_eq!(none.headers()[LOCATION], "/console/sign-in");
    // A portal user's session is not a console session.
    let portal = app.ana_signed_in().await;
    let as_customer = app.get("/console/acme", Some(&portal)).await;
    assert_eq!(as_customer.headers()[LOCATION], "/console/sign-in");
    let form = app.get("/console/sign-in", None).await;
    let csrf_cookie = cookie_of(&form, "portal_csrf").expect("csrf cookie");
    let csrf = hidden(&text(form).await, "csrf");
    let wrong = app
        .post(
            "/console/sign-in",
            Some(&csrf_cookie),
            &[("csrf", &csrf), ("token", "a guess")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie_line(&wrong, "portal_console").is_none());
    let forged = app
        .post(
            "/console/sign-in",
            Some(&csrf_cookie),
            &[("csrf", "forged"), ("token", CONSOLE_TOKEN)],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let console = app.console_signed_in().await;
    let home = app.get("/console/acme", Some(&console)).await;
    assert_eq!(home.status(), StatusCode::OK);
    let home = text(home).await;
    assert!(home.contains("Silva &#38; Costa Lda") || home.contains("Silva &amp; Costa Lda"));
    assert!(home.contains("Lopes Trading"));
    // A console form without its token changes nothing; signing out ends it.
    let refused = app
        .post(
            "/console/acme/customers",
            Some(&console),
            &[
                ("csrf", "forged"),
                ("name", "Intruder"),
                ("currency", "EUR"),
                ("first_name", "I"),
                ("last_name", ""),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let out = app
        .post(
            "/console/acme/sign-out",
            Some(&console),
            &[("csrf", &hidden(&home, "csrf"))],
        )
        .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = app.get("/console/acme", Some(&console)).await;
    assert_eq!(after.headers()[LOCATION], "/console/sign-in");
    assert!(
        !text(app.get("/console/acme", Some(&console)).await)
            .await
            .contains("Intruder")
    );
}

#[tokio::test]
async fn an_organization_plays_the_whole_story_from_the_console() {
    let app = app(false).await;
    let console = app.console_signed_in().await;
    let home = text(app.get("/console/acme", Some(&console)).await).await;
    let csrf = hidden(&home, "csrf");
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let console = console.clone();
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(&path, Some(&console), &form).await
        }
    };
    let c = |v: &str| v.to_owned();
    // A customer with a contact, given portal access.
    let made = post(
        c("/console/acme/customers"),
        vec![
            ("csrf", csrf.clone()),
            ("name", c("Nova Lda")),
            ("currency", c("EUR")),
            ("first_name", c("Nuno")),
            ("last_name", c("Neves")),
            ("email", c("nuno@example.com")),
        ],
    )
    .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let page_path = made.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let page = text(app.get(&page_path, Some(&console)).await).await;
    assert!(page.contains("Nuno Neves") && page.contains("not_invited"));
    let end = page.find("/enable\"").expect("the enable action") + "/enable".len();
    let start = page[..end]
        .rfind("/console/acme/contacts/")
        .expect("its path");
    let enable = page[start..end].to_owned();
    let enabled = post(enable, vec![("csrf", csrf.clone())]).await;
    assert_eq!(enabled.status(), StatusCode::SEE_OTHER);
    let outbox = text(app.get("/console/acme/outbox", Some(&console)).await).await;
    assert!(
        outbox.contains("nuno@example.com") && outbox.contains("Waiting to be sent"),
        "the invitation waits, and says so: {outbox}"
    );

    // Documents, created and sent: the invoice emailed, the rest without.
    assert!(page.contains(">Create and email</button>"));
    for (kind, number, lines, amount, then) in [
        (
            "invoice",
            "N-1",
            "Setup; 1; 300.00\nHosting; 2; 50.00",
            "",
            "email",
        ),
        ("retainer", "N-R1", "Retainer; 1; 100.00", "", "quietly"),
        ("quote", "N-Q1", "Migration; 1; 900.00", "", "quietly"),
        ("sales-order", "N-S1", "Licences; 3; 20.00", "", "quietly"),
        ("credit-note", "N-C1", "", "25.00", "email"),
    ] {
        let sent = post(
            format!("{page_path}/documents"),
            vec![
                ("csrf", csrf.clone()),
                ("kind", c(kind)),
                ("number", c(number)),
                ("lines", c(lines)),
                ("amount", c(amount)),
                ("days", c("30")),
                ("then", c(then)),
            ],
        )
        .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{kind}");
    }
    let outbox = text(app.get("/console/acme/outbox", Some(&console)).await).await;
    assert!(
        outbox.contains("Invoice N-1 from") && !outbox.contains("Quote N-Q1 from"),
        "created and emailed, or created without: {outbox}"
    );
    let bad_lines = post(
        format!("{page_path}/documents"),
        vec![
            ("csrf", csrf.clone()),
            ("kind", c("invoice")),
            ("number", c("N-2")),
            ("lines", c("Setup; one; 300")),
        ],
    )
    .await;
    assert!(
        text(bad_lines)
            .await
            .contains("line 1: quantity and rate must be numbers")
    );
    let page = text(app.get(&page_path, Some(&console)).await).await;
    // Each number is the organization's text, isolated from the label before it.
    for number in [
        "Invoice <bdi>N-1</bdi>",
        "Retainer <bdi>N-R1</bdi>",
        "Quote <bdi>N-Q1</bdi>",
        "Sales order <bdi>N-S1</bdi>",
    ] {
        assert!(page.contains(number), "{number} listed");
    }
    assert!(page.contains("400.00 EUR") && !page.contains("N-2"));

    // An offline payment, a comment shown in the portal, a shared file.
    // The pay select's option for N-1: `<option value="{id}">N-1 · ...`.
    let end = page
        .find("\">N-1 · ")
        .expect("N-1 in the offline payment form");
    let start = page[..end].rfind("value=\"").expect("its value") + "value=\"".len();
    let invoice = page[start..end].to_owned();
    let paid = post(
        format!("{page_path}/payments"),
        vec![
            ("csrf", csrf.clone()),
            ("invoice", invoice.clone()),
            ("amount", c("150.00")),
            ("mode", c("Cheque")),
        ],
    )
    .await;
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    let commented = post(
        format!("{page_path}/comments"),
        vec![
            ("csrf", csrf.clone()),
            ("target", format!("invoice:{invoice}")),
            ("body", c("Thanks for the cheque.")),
            ("show", c("1")),
        ],
    )
    .await;
    assert_eq!(commented.status(), StatusCode::SEE_OTHER);
    let (kind, body) = multipart(&csrf, "welcome.txt", b"Welcome aboard.\n");
    let shared = app
        .send(
            Request::post(format!("{page_path}/files"))
                .header(CONTENT_TYPE, kind)
                .header(COOKIE, console.clone())
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(shared.status(), StatusCode::SEE_OTHER);

    // A project: time logged and sent for approval.
    let project = post(
        format!("{page_path}/projects"),
        vec![
            ("csrf", csrf.clone()),
            ("name", c("Migration")),
            ("task", c("Data")),
        ],
    )
    .await;
    assert_eq!(project.status(), StatusCode::SEE_OTHER);
    let page = text(app.get(&page_path, Some(&console)).await).await;
    let project_id = hidden(&page, "project");
    let task = page
        .split("name=\"task\"><option value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("task")
        .to_owned();
    let logged = post(
        format!("{page_path}/time"),
        vec![
            ("csrf", csrf.clone()),
            ("project", project_id.clone()),
            ("task", task),
            ("minutes", c("75")),
            ("note", c("Export")),
        ],
    )
    .await;
    assert_eq!(logged.status(), StatusCode::SEE_OTHER);
    let sent = post(
        format!("{page_path}/timesheets"),
        vec![
            ("csrf", csrf.clone()),
            ("project", project_id),
            ("title", c("Week 1")),
        ],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let page = text(app.get(&page_path, Some(&console)).await).await;
    assert!(
        page.contains("<bdi>Week 1</bdi> · 75 min · pending"),
        "{page}"
    );
    assert!(page.contains("welcome.txt"));

    // Nuno accepts the invitation and sees it all in the portal.
    app.state
        .portal
        .dispatch_emails(100)
        .await
        .expect("dispatch");
    let link = app
        .mailbox
        .last_link_to("nuno@example.com", "/invitation/")
        .expect("invitation");
    let path = link.trim_start_matches("http://portal.test");
    let form = app.get(path, None).await;
    let csrf_cookie = cookie_of(&form, "portal_csrf").expect("csrf cookie");
    let form_csrf = hidden(&text(form).await, "csrf");
    let accepted = app
        .post(
            path,
            Some(&csrf_cookie),
            &[
                ("csrf", &form_csrf),
                ("password", PASSWORD),
                ("password_confirmation", PASSWORD),
            ],
        )
        .await;
    let nuno = cookie_of(&accepted, "portal_session").expect("signed in");
    let invoices = text(app.get("/acme/invoices", Some(&nuno)).await).await;
    assert!(invoices.contains("N-1") && invoices.contains("N-R1"));
    assert!(!invoices.contains("INV-0001"), "only Nova's invoices");
    let one = text(app.get(&link_to(&invoices, "N-1"), Some(&nuno)).await).await;
    assert!(one.contains("Thanks for the cheque.") && one.contains("<strong>€250.00</strong>"));
    let credits = text(app.get("/acme/credits", Some(&nuno)).await).await;
    assert!(credits.contains("N-C1"));
    let files = text(app.get("/acme/files", Some(&nuno)).await).await;
    assert!(files.contains("welcome.txt"));

    // The activity feed shows Nuno opening the invoice.
    let page = text(app.get(&page_path, Some(&console)).await).await;
    let feed = page.split("id=\"activity\"").nth(1).expect("feed");
    assert!(feed.contains("Nova Lda viewed invoice N-1"), "{feed}");

    // Settings from the console: sales orders off, a role, the cap.
    let settings = text(app.get("/console/acme/settings", Some(&console)).await).await;
    assert!(settings.contains("Allow customers to view sales orders"));
    let saved = app
        .post(
            "/console/acme/settings",
            Some(&console),
            &[
                ("csrf", &csrf),
                ("enabled", "1"),
                ("show_projects", "1"),
                ("allow_uploads", "1"),
                ("banner", "Hello"),
                ("document_link_days", "7"),
                ("time_zone", "Pacific/Auckland"),
                ("language", "pt"),
                ("country", "PT"),
                ("date_format", "day_month_year"),
                ("clock", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let settings = text(app.get("/console/acme/settings", Some(&console)).await).await;
    assert!(settings.contains("name=\"document_link_days\" inputmode=\"numeric\" value=\"7\""));
    assert!(settings.contains("<option selected>Pacific/Auckland</option>"));
    let org = app
        .state
        .portal
        .org(app.org)
        .organization()
        .await
        .expect("org");
    assert_eq!(
        (
            org.settings.time_zone.as_str(),
            org.settings.default_user_preferences.time_zone.as_str()
        ),
        ("Pacific/Auckland", "Pacific/Auckland"),
        "the business day, and what new portal users are offered"
    );
    let defaults = &org.settings.default_user_preferences;
    assert_eq!(
        (
            defaults.language.as_str(),
            defaults.country.as_str(),
            defaults.date_format,
            defaults.twenty_four_hour_clock
        ),
        (
            "pt",
            "PT",
            portal_core::domain::DateFormat::DayMonthYear,
            false
        ),
        "the defaults new portal users are offered, chosen from lists"
    );
    assert!(
        settings.contains("<option value=\"pt\" lang=\"pt\" selected>Português</option>")
            && settings.contains("<option value=\"PT\" selected>Portugal</option>"),
        "the saved defaults are the chosen options"
    );
    for (field, value) in [("country", "ZZ"), ("language", "fr")] {
        let refused = app
            .post(
                "/console/acme/settings",
                Some(&console),
                &[("csrf", &csrf), ("enabled", "1"), (field, value)],
            )
            .await;
        assert!(
            text(refused).await.contains("invalid_preference"),
            "{field} {value} is refused"
        );
    }
    let unknown = app
        .post(
            "/console/acme/settings",
            Some(&console),
            &[
                ("csrf", &csrf),
                ("enabled", "1"),
                ("time_zone", "Pacific/Atlantis"),
            ],
        )
        .await;
    assert!(
        text(unknown).await.contains("IANA"),
        "refused with the reason"
    );
    let bad = app
        .post(
            "/console/acme/settings",
            Some(&console),
            &[
                ("csrf", &csrf),
                ("enabled", "1"),
                ("document_link_days", "900"),
            ],
        )
        .await;
    assert!(
        text(bad).await.contains("document link days"),
        "refused with the reason"
    );
    assert_eq!(
        app.get("/acme/sales-orders", Some(&nuno)).await.status(),
        StatusCode::FORBIDDEN
    );
    let role = app
        .post(
            "/console/acme/roles",
            Some(&console),
            &[
                ("csrf", &csrf),
                ("name", "Viewer"),
                ("grant", "invoices:view"),
                ("grant", "quotes:view"),
            ],
        )
        .await;
    assert_eq!(role.status(), StatusCode::SEE_OTHER);
    let settings = text(app.get("/console/acme/settings", Some(&console)).await).await;
    assert!(settings.contains("Viewer") && settings.contains("view quotes, view invoices"));
    let capped = app
        .post(
            "/console/acme/cap",
            Some(&console),
            &[("csrf", &csrf), ("cap", "many")],
        )
        .await;
    assert!(text(capped).await.contains("whole number"));
}
