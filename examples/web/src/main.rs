//! Serves the customer portal on 127.0.0.1: an embedded SQLite file by default
//! (migrated on start), or PostgreSQL via `PORTAL_DATABASE_URL`. The first start
//! seeds a demo organization; emails go to the development mailbox page. The org
//! console's token is `PORTAL_CONSOLE_TOKEN`, or one made and printed at start.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use portal_core::{Portal, PortalConfig};
use portal_memory::{RecordingMailer, TestGateway};
use portal_web::console::Console;
use portal_web::security::Cookies;
use portal_web::{AppState, router, seed};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let database = std::env::var("PORTAL_DATABASE_URL")
        .unwrap_or_else(|_| "sqlite://portal-web.db?mode=rwc".into());
    let bind = std::env::var("PORTAL_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let base_url = std::env::var("PORTAL_BASE_URL").unwrap_or_else(|_| format!("http://{bind}"));
    let store = portal_sqlx::connect(&database)
        .await
        .with_context(|| format!("opening {}", database.split('?').next().unwrap_or("")))?;
    let mailbox = Arc::new(RecordingMailer::new());
    let gateway = Arc::new(TestGateway::new("card"));
    // The fonts documents are set in as PDF, found where Debian installs them.
    let pdf_fonts = match portal_pdf::Fonts::from_system() {
        Ok(fonts) => Some(Arc::new(fonts)),
        Err(e) => {
            tracing::warn!(error = %e, "PDF downloads are off");
            None
        }
    };
    let mut builder = Portal::builder(store, mailbox.clone())
        .with_gateway(gateway.clone())
        .with_config(PortalConfig::default().with_base_url(base_url.clone()));
    if let Some(fonts) = &pdf_fonts {
        // Receipts, forwarded documents and documents the organization emails
        // carry their PDF.
        builder = builder.with_renderer(Arc::new(portal_pdf::PdfRenderer::new((**fonts).clone())));
    }
    let portal = builder.build()?;
    let demo = seed::demo(&portal, portal.today()).await?;

    // The outbox goes out on a timer, retrying what failed.
    let dispatcher = portal.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        loop {
            tick.tick().await;
            if let Err(e) = dispatcher.dispatch_emails(100).await {
                tracing::warn!(code = e.code(), "dispatch failed; retrying");
            }
        }
    });

    // The org console's credential: set, or made now and printed below.
    let (console, console_token) = match std::env::var("PORTAL_CONSOLE_TOKEN") {
        Ok(token) if token.len() >= 16 => (Console::new(&token), None),
        Ok(_) => anyhow::bail!("PORTAL_CONSOLE_TOKEN must be at least 16 characters"),
        Err(_) => {
            let (console, token) = Console::generate()?;
            (console, Some(token))
        }
    };
    let state = AppState {
        portal,
        mailbox,
        gateway,
        cookies: Cookies {
            secure: base_url.starts_with("https://"),
        },
        demo_slug: seed::DEMO_SLUG.into(),
        console: Arc::new(console),
        pdf_fonts,
    };
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("Customer portal on {base_url}/{}", seed::DEMO_SLUG);
    println!(
        "Emails (invitations for {:?}) at {base_url}/dev/mailbox",
        seed::DEMO_CONTACTS
    );
    match console_token {
        Some(token) => println!(
            "Org console at {base_url}/console, token for this run: {token} \
             (set PORTAL_CONSOLE_TOKEN to keep one)"
        ),
        None => println!("Org console at {base_url}/console (token from PORTAL_CONSOLE_TOKEN)"),
    }
    if demo.created {
        println!("A demo organization was created; open an invitation link from the mailbox.");
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
