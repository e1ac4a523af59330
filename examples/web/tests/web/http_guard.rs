//! What a hostile visitor tries at the door: guessing a customer's password from
//! one address to lock them out, guessing the console's token, reading the
//! development mailbox of an app that is not in development mode.

use crate::common;

use common::*;

/// The sign-in form of a portal or the console: its CSRF cookie and token.
async fn form(app: &App, path: &str) -> (String, String) {
    let page = app.get(path, None).await;
    let cookie = cookie_of(&page, app.state.cookies.csrf_name()).expect("csrf cookie");
    let csrf = hidden(&text(page).await, "csrf");
    (cookie, csrf)
}

#[tokio::test]
async fn failing_sign_ins_from_one_address_do_not_lock_the_customer_out() {
    let app = app(false).await;
    app.ana_signed_in().await;
    let ana = seed::DEMO_CONTACTS[0];
    let (cookie, csrf) = form(&app, "/acme/sign-in").await;
    let sign_in = |from: &'static str, password: &'static str| {
        let (app, cookie, csrf) = (&app, cookie.clone(), csrf.clone());
        async move {
            app.post_from(
                Some(from),
                "/acme/sign-in",
                Some(&cookie),
                &[("csrf", &csrf), ("email", ana), ("password", password)],
            )
            .await
        }
    };
    for _ in 0..5 {
        let page = sign_in("198.51.100.9", "a wrong guess of hers").await;
        assert_ne!(page.status(), StatusCode::SEE_OTHER);
    }
    let stranger = sign_in("198.51.100.9", PASSWORD).await;
    assert_ne!(stranger.status(), StatusCode::SEE_OTHER, "throttled");
    let body = text(stranger).await;
    assert!(
        body.contains("try again in 15 minutes"),
        "the wait in words, not a timestamp: {body}"
    );
    let own = sign_in("203.0.113.20", PASSWORD).await;
    assert_eq!(
        own.status(),
        StatusCode::SEE_OTHER,
        "Ana signs in from her own address"
    );
}

#[tokio::test]
async fn the_console_token_cannot_be_guessed_without_end() {
    let app = app(false).await;
    let (cookie, csrf) = form(&app, "/console/sign-in").await;
    let attempt = |from: &'static str, token: &'static str| {
        let (app, cookie, csrf) = (&app, cookie.clone(), csrf.clone());
        async move {
            app.post_from(
                Some(from),
                "/console/sign-in",
                Some(&cookie),
                &[("csrf", &csrf), ("token", token)],
            )
            .await
        }
    };
    for n in 0..5 {
        let refused = attempt("198.51.100.9", "a guess at the token").await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "guess {n}");
    }
    // From there even the right token waits now, and says how long.
    let throttled = attempt("198.51.100.9", CONSOLE_TOKEN).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(cookie_of(&throttled, app.state.cookies.console_name()).is_none());
    let body = text(throttled).await;
    assert!(body.contains("try again in 15 minutes"), "{body}");
    // The owner, elsewhere, is not kept out by one guesser.
    let owner = attempt("203.0.113.20", CONSOLE_TOKEN).await;
    assert_eq!(owner.status(), StatusCode::SEE_OTHER);
    // Guesses spread over many addresses meet the limit of all clients together.
    for n in 0..50 {
        let from: &'static str = Box::leak(format!("192.0.2.{}", n % 250).into_boxed_str());
        let _ = attempt(from, "a guess at the token").await;
    }
    let everyone = attempt("203.0.113.21", CONSOLE_TOKEN).await;
    assert_eq!(everyone.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_mailbox_exists_only_in_development_mode() {
    let production = app_with(false, false).await;
    for path in ["/dev/mailbox", "/dev/mailbox/0/0"] {
        let page = production.get(path, None).await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{path}");
        let body = text(page).await;
        assert!(!body.contains("/invitation/"), "no token leaks: {body}");
    }
    let front = text(production.get("/", None).await).await;
    assert!(!front.contains("/dev/mailbox"), "{front}");
    let development = app_with(false, true).await;
    let mailbox = development.get("/dev/mailbox", None).await;
    assert_eq!(mailbox.status(), StatusCode::OK);
    assert!(text(mailbox).await.contains("/invitation/"));
}

/// A multipart body of `size` bytes of file, with the CSRF token first.
fn upload_body(csrf: &str, size: usize) -> (String, Vec<u8>) {
    let boundary = "XBOUNDARYX";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\
         Content-Type: text/plain\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'a', size));
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn every_refusal_says_what_happened_in_the_portal_with_its_navigation() {
    let app = app(false).await;
    let cookie = app.ana_signed_in().await;
    let files = text(app.get("/acme/files", Some(&cookie)).await).await;
    let csrf = hidden(&files, "csrf");
    let in_the_portal = |html: &str| {
        assert!(
            html.contains("href=\"/acme/invoices\""),
            "the portal's navigation: {html}"
        );
        assert!(
            html.contains("<a href=\"/acme\">Back to the portal</a>"),
            "{html}"
        );
        assert!(
            !html.contains("href=\"/\""),
            "never out of the portal: {html}"
        );
    };
    // An upload over the limit: too large, not "this form has expired".
    let (content_type, body) = upload_body(&csrf, 12 * 1024 * 1024);
    let big = app
        .send(
            Request::post("/acme/files")
                .header(CONTENT_TYPE, content_type)
                .header(COOKIE, &cookie)
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = text(big).await;
    assert!(
        html.contains("Too large to send") && html.contains("10 MiB"),
        "{html}"
    );
    assert!(!html.contains("expired"));
    in_the_portal(&html);
    // A form over the body limit of forms.
    let long = "x".repeat(100 * 1024);
    let form = app
        .post(
            "/acme/contact",
            Some(&cookie),
            &[("csrf", &csrf), ("subject", "Hi"), ("message", &long)],
        )
        .await;
    assert_eq!(form.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = text(form).await;
    assert!(!html.contains("Failed to buffer"), "{html}");
    assert!(html.contains("Too large to send"));
    in_the_portal(&html);
    // A form with a field missing: in words, not serde's.
    let missing = app
        .post("/acme/contact", Some(&cookie), &[("subject", "Hi")])
        .await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    let html = text(missing).await;
    assert!(
        !html.contains("missing field") && !html.contains("deserialize"),
        "{html}"
    );
    assert!(html.contains("This form could not be read"), "{html}");
    in_the_portal(&html);
    // An address that does not exist, and one that does not take a GET.
    for (path, status) in [
        ("/acme/nowhere", StatusCode::NOT_FOUND),
        ("/acme/invoices/not-an-id", StatusCode::NOT_FOUND),
        ("/acme/review", StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let page = app.get(path, Some(&cookie)).await;
        assert_eq!(page.status(), status, "{path}");
        let html = text(page).await;
        assert!(html.contains("<h1>"), "a page, not plain text: {html}");
        in_the_portal(&html);
    }
    // Signed out, the way back is the portal's own sign-in; from the console, the
    // console's.
    let html = text(app.get("/acme/nowhere", None).await).await;
    assert!(
        html.contains("<a href=\"/acme\">Back to the portal</a>"),
        "{html}"
    );
    assert!(
        !html.contains("href=\"/acme/invoices\""),
        "no navigation signed out"
    );
    let html = text(app.get("/console/nowhere/at/all", None).await).await;
    assert!(
        html.contains("<a href=\"/console\">Back to the org console</a>"),
        "{html}"
    );
}
