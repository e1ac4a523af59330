//! The web host at the HTTP level, in process: pages, forms, cookies, CSRF, the
//! security headers, the error pages, tenancy by URL and Pay Now's idempotency.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{Request, StatusCode};
use axum::response::Response;
use http_body_util::BodyExt as _;
use portal_core::domain::{Currency, InvoiceKind, LineItem, NewContact, NewCustomer, NewInvoice};
use portal_core::{Decimal, Portal, PortalConfig};
use portal_memory::{MemoryStore, RecordingMailer, TestGateway, cards};
use portal_web::security::Cookies;
use portal_web::{AppState, router, seed};
use time::macros::date;
use tower::ServiceExt as _;

const PASSWORD: &str = "a long pass phrase for ana";

struct App {
    router: Router,
    state: AppState,
}

async fn app(secure: bool) -> App {
    let store = Arc::new(MemoryStore::new());
    let mailbox = Arc::new(RecordingMailer::new());
    let gateway = Arc::new(TestGateway::new("card"));
    let portal = Portal::builder(store, mailbox.clone())
        .with_gateway(gateway.clone())
        .with_config(PortalConfig::default().with_base_url("http://portal.test"))
        .build()
        .expect("portal");
    seed::demo(&portal, portal.today()).await.expect("seed");
    portal.dispatch_emails(100).await.expect("dispatch");
    let state = AppState {
        portal,
        mailbox,
        gateway,
        cookies: Cookies { secure },
        demo_slug: seed::DEMO_SLUG.into(),
    };
    App {
        router: router(state.clone()),
        state,
    }
}

impl App {
    async fn send(&self, request: Request<Body>) -> Response {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible")
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        let mut r = Request::get(path);
        if let Some(c) = cookie {
            r = r.header(COOKIE, c);
        }
        self.send(r.body(Body::empty()).expect("request")).await
    }

    async fn post(&self, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Response {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut r = Request::post(path).header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            r = r.header(COOKIE, c);
        }
        self.send(r.body(Body::from(body)).expect("request")).await
    }

    /// Follows Ana's invitation from the mailbox: the session cookie (`name=value`).
    async fn ana_signed_in(&self) -> String {
        let link = self
            .state
            .mailbox
            .last_link_to(seed::DEMO_CONTACTS[0], "/invitation/")
            .expect("invitation in the mailbox");
        let path = link.trim_start_matches("http://portal.test");
        let form = self.get(path, None).await;
        let csrf_cookie = cookie_of(&form, self.state.cookies.csrf_name()).expect("csrf cookie");
        let csrf = hidden(&text(form).await, "csrf");
        let done = self
            .post(
                path,
                Some(&csrf_cookie),
                &[
                    ("csrf", &csrf),
                    ("password", PASSWORD),
                    ("password_confirmation", PASSWORD),
                ],
            )
            .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_eq!(done.headers()[LOCATION], "/acme");
        cookie_of(&done, self.state.cookies.session_name()).expect("session cookie")
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn text(response: Response) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// The whole `Set-Cookie` line for cookie `name`.
fn set_cookie_line(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// `name=value` of cookie `name`, as a browser sends it back.
fn cookie_of(response: &Response, name: &str) -> Option<String> {
    set_cookie_line(response, name).map(|line| line.split(';').next().unwrap_or("").to_owned())
}

/// The value of the hidden input `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden input") + marker.len();
    html[start..].split('"').next().expect("value").to_owned()
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_cookie_flags() {
    let app = app(false).await;
    let page = app.get("/acme/sign-in", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let h = page.headers();
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
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
    let home = app.get("/acme", Some(&session)).await;
    assert_eq!(home.status(), StatusCode::OK);
    let html = text(home).await;
    assert!(html.contains("Silva &amp; Costa Lda") || html.contains("Silva &#38; Costa Lda"));
    assert!(html.contains("Outstanding"));
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
    let form = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("holder", "Ana Silva"),
        ("number", cards::VISA_OK),
        ("cvv", "123"),
        ("exp_month", "12"),
        ("exp_year", "2030"),
    ];
    let path = format!("/acme/invoices/{id}/pay");
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
    assert_eq!(app.state.gateway.charge_count(), 1, "charged once");
    let after = text(
        app.get(&format!("/acme/invoices/{id}"), Some(&session))
            .await,
    )
    .await;
    assert!(!after.contains("name=\"key\""), "nothing left to pay");
}

/// The first link under `/acme/{area}/` on a page, as a path.
fn first_link(html: &str, area: &str) -> String {
    let marker = format!("/acme/{area}/");
    let start = html.find(&marker).expect("a link") + marker.len();
    let id: String = html[start..].chars().take_while(|c| *c != '"').collect();
    format!("{marker}{id}")
}

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
async fn another_signed_out_page_keeps_an_open_forms_csrf_secret() {
    // Found by the browser test: the browser's favicon request wandered into a
    // sign-in page, whose new CSRF cookie broke the open invitation form.
    let app = app(false).await;
    let link = app
        .state
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
            &format!("{invoice}/pay"),
            Some(&session),
            &[
                ("csrf", &hidden(&page, "csrf")),
                ("key", &hidden(&page, "key")),
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
    // The closing balance of everything so far is what the dashboard says is owed.
    let home = text(app.get("/acme", Some(&session)).await).await;
    let owed = home
        .split("<span>Outstanding</span><strong>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("outstanding");
    assert!(
        statement.contains(&format!("<strong>{owed}</strong>")),
        "closing = outstanding ({owed})"
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
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = text(app.get("/acme/profile", Some(&session)).await).await;
    assert!(page.contains("+351 210 000 000"));
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
        .state
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

/// A multipart form with the CSRF token and one file.
fn multipart(csrf: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "portal-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
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
    // A rejection needs a reason: refused, nothing decided.
    let refused = app
        .post(
            &format!("{path}/decide"),
            Some(&session),
            &[("csrf", &csrf), ("decision", "reject"), ("reason", " ")],
        )
        .await;
    assert!(text(refused).await.contains("reason_required"));
    let field = format!("dispute-{disputed}");
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
    assert!(after.contains("partially_approved"), "{after}");
    assert!(after.contains("I was on holiday that day"));
    assert!(after.contains("approved") && !after.contains("name=\"decision\""));
}
