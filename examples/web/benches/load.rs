//! The web host under load: requests per second and p50/p99 latency of the
//! dashboard and the invoice list pages, 32 concurrent clients against the app
//! served on loopback, beside the library calls each page makes (resolve the
//! session, then `dashboard()` or `invoices().list(..)`) with the same 32 clients.
//!
//! On SQLite (a temporary file) and on PostgreSQL when `DATABASE_URL` is set:
//!
//! ```sh
//! scripts/with-postgres cargo bench -p portal-web --bench load
//! ```
//!
//! Each measurement is bounded: at most `LOAD_REQUESTS` requests (default 10000) or
//! `LOAD_SECONDS` seconds (default 5), whichever comes first. It measures; it does
//! not assert (the HTTP tests do).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt as _, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use portal_core::domain::{InvoiceKind, InvoiceQuery, LineItem, NewInvoice};
use portal_core::service::AcceptInvitation;
use portal_core::{Decimal, Duration as Days, Portal, PortalConfig};
use portal_memory::{RecordingMailer, TestGateway};
use portal_sqlx::testing::TestDatabase;
use portal_web::console::Console;
use portal_web::security::Cookies;
use portal_web::{AppState, Ports, router, seed};

const CLIENTS: usize = 32;
const PASSWORD: &str = "a long pass phrase for the load";

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Latencies of one run and how long it took.
struct Run {
    latencies: Vec<Duration>,
    wall: Duration,
}

impl Run {
    fn rps(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(rank).copied().unwrap_or_default()
    }
}

/// Runs `one` from `CLIENTS` tasks until the request or time budget is spent.
async fn load<F, Fut>(one: F) -> Run
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let budget = usize::try_from(setting("LOAD_REQUESTS", 10_000)).unwrap_or(10_000);
    let deadline = Instant::now() + Duration::from_secs(setting("LOAD_SECONDS", 5));
    let issued = Arc::new(AtomicUsize::new(0));
    let one = Arc::new(one);
    // Warm up the pool and the caches.
    for _ in 0..CLIENTS {
        one().await;
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (issued, one) = (issued.clone(), one.clone());
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            while issued.fetch_add(1, Ordering::Relaxed) < budget && Instant::now() < deadline {
                let t = Instant::now();
                one().await;
                mine.push(t.elapsed());
            }
            mine
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client task"));
    }
    Run {
        latencies,
        wall: start.elapsed(),
    }
}

/// The demo app on `backend`, served on loopback, with Ana signed in: the base URL,
/// the portal and Ana's session token.
async fn serve(db: &TestDatabase) -> (String, Portal, String) {
    let mailbox = Arc::new(RecordingMailer::new());
    let gateway = Arc::new(TestGateway::new("card"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let portal = Portal::builder_with_files(db.store(), db.files(), mailbox.clone())
        .with_gateway(gateway.clone())
        .with_config(PortalConfig::default().with_base_url(base.clone()))
        .build()
        .expect("portal");
    let today = portal.today();
    let demo = seed::demo(&portal, today).await.expect("seed");
    portal.dispatch_emails(100).await.expect("dispatch");
    let link = mailbox
        .last_link_to(seed::DEMO_CONTACTS[0], "/invitation/")
        .expect("invitation");
    let token = link.rsplit('/').next().expect("token").to_owned();
    let signed = portal
        .accept_invitation(
            &token,
            AcceptInvitation {
                password: PASSWORD.into(),
                password_confirmation: PASSWORD.into(),
                preferences: None,
            },
        )
        .await
        .expect("accept");
    // A fuller invoice list: 60 more invoices for the demo customer.
    let session = portal
        .session(signed.token.expose())
        .await
        .expect("session");
    let admin = portal.org(demo.org);
    for n in 0..60 {
        let draft = admin
            .invoices()
            .create(
                session.customer_id(),
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("LOAD-{n:03}"),
                    lines: vec![LineItem::new(
                        "Monthly service",
                        Decimal::ONE,
                        Decimal::new(10_000 + n, 2),
                    )],
                    issue_date: today - Days::days(n),
                    due_date: today + Days::days(30 - n),
                    allow_partial_payments: false,
                    payment_gateways: vec!["card".into()],
                },
            )
            .await
            .expect("invoice");
        admin.invoices().send(draft.id).await.expect("send");
    }
    let state = AppState {
        portal: portal.clone(),
        ports: Ports {
            mailer: mailbox.clone(),
            gateway,
            dev_mailbox: Some(mailbox),
        },
        cookies: Cookies { secure: false },
        demo_slug: seed::DEMO_SLUG.into(),
        console: Arc::new(Console::new("load test console token")),
        pdf_fonts: None,
        trusted_proxies: 0,
    };
    tokio::spawn(async move { axum::serve(listener, router(state)).await });
    (base, portal, signed.token.expose().to_owned())
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1_000.0)
}

async fn measure(name: &str, db: &TestDatabase) -> Vec<String> {
    let (base, portal, token) = serve(db).await;
    let client: Client<HttpConnector, Empty<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let mut rows = Vec::new();
    for (page, path, marker) in [
        ("dashboard", "/acme", "Outstanding"),
        ("invoice list", "/acme/invoices", "LOAD-000"),
    ] {
        let url: axum::http::Uri = format!("{base}{path}").parse().expect("url");
        let cookie = format!("portal_session={token}");
        let http = {
            let client = client.clone();
            load(move || {
                let (client, url, cookie) = (client.clone(), url.clone(), cookie.clone());
                async move {
                    let request = axum::http::Request::get(url)
                        .header("cookie", cookie)
                        .body(Empty::new())
                        .expect("request");
                    let response = client.request(request).await.expect("response");
                    assert_eq!(response.status(), 200, "the page answers");
                    let body = response.into_body().collect().await.expect("body");
                    let body = body.to_bytes();
                    assert!(
                        std::str::from_utf8(&body).is_ok_and(|b| b.contains(marker)),
                        "the page shows {marker}"
                    );
                }
            })
            .await
        };
        let library = {
            let (portal, token) = (portal.clone(), token.clone());
            let list = path.ends_with("invoices");
            load(move || {
                let (portal, token) = (portal.clone(), token.clone());
                async move {
                    let session = portal.session(&token).await.expect("session");
                    if list {
                        let page = session
                            .invoices()
                            .list(&InvoiceQuery::new(session.today()))
                            .await
                            .expect("list");
                        assert!(!page.items.is_empty());
                    } else {
                        session.dashboard().await.expect("dashboard");
                    }
                }
            })
            .await
        };
        rows.push(format!(
            "| {name} | {page} | {:.0} | {} | {} | {:.0} | {} | {} | {:.2}x | {:.2}x |",
            http.rps(),
            ms(http.percentile(0.5)),
            ms(http.percentile(0.99)),
            library.rps(),
            ms(library.percentile(0.5)),
            ms(library.percentile(0.99)),
            library.rps() / http.rps(),
            http.percentile(0.5).as_secs_f64() / library.percentile(0.5).as_secs_f64(),
        ));
    }
    rows
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut rows = Vec::new();
        let sqlite = portal_sqlx::testing::sqlite().await;
        rows.extend(measure("SQLite", &sqlite).await);
        match portal_sqlx::testing::postgres().await {
            Some(pg) => rows.extend(measure("PostgreSQL", &pg).await),
            None => eprintln!("DATABASE_URL not set: PostgreSQL skipped (scripts/with-postgres)"),
        }
        println!(
            "\n{CLIENTS} concurrent clients, loopback, release build; page = HTTP GET with the \
             session cookie, library = portal.session(token) + the page's call\n"
        );
        println!(
            "| store | page | page req/s | p50 ms | p99 ms | library calls/s | p50 ms | p99 ms | \
             throughput library/page | p50 page/library |"
        );
        println!("|---|---|---|---|---|---|---|---|---|---|");
        for row in rows {
            println!("{row}");
        }
    });
}
