//! What a hostile visitor tries at the door: guessing a customer's password from
//! one address to lock them out, guessing the console's token, reading the
//! development mailbox of an app that is not in development mode.

mod common;

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

