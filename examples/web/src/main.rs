//! Serves the customer portal on 127.0.0.1: an embedded SQLite file by default
//! (migrated on start), or PostgreSQL via `PORTAL_DATABASE_URL`. The first start
//! seeds a demo organization. In development mode (`PORTAL_MODE=development`, the
//! default of a debug build such as `cargo run`) emails go to the development
//! mailbox page; a release build serves no mailbox unless told to. The org
//! console's token is `PORTAL_CONSOLE_TOKEN`, or one made and printed at start.
//! With `PORTAL_SMTP_URL` and `PORTAL_SMTP_FROM` set, emails are sent through that
//! SMTP server instead.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use portal_core::PortalConfig;
use portal_web::console::Console;
use portal_web::security::Cookies;
use portal_web::{AppState, Mode, Ports, router, seed};

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
    // Behind reverse proxies of your own, how many: sign-in is throttled by the
    // address the outermost one saw. Never set it when clients reach the app
    // directly: they would choose their own address.
    let trusted_proxies = match std::env::var("PORTAL_TRUSTED_PROXIES") {
        Ok(n) => n
            .parse::<usize>()
            .context("PORTAL_TRUSTED_PROXIES must be a number of proxies (0, 1, 2...)")?,
        Err(_) => 0,
    };
    let store = portal_sqlx::connect(&database)
        .await
        .with_context(|| format!("opening {}", database.split('?').next().unwrap_or("")))?;
    // Development mode serves the mailbox: every email, sign-in tokens included,
    // to anyone who reaches the port. `cargo run` (a debug build) is in it unless
    // told otherwise; a release build, what a host deploys, only when told.
    let mode = Mode::from_env().map_err(anyhow::Error::msg)?;
    let ports = Ports::from_env(mode).map_err(anyhow::Error::msg)?;
    // The fonts documents are set in as PDF, found where Debian installs them.
    let pdf_fonts = match portal_pdf::Fonts::from_system() {
        Ok(fonts) => Some(Arc::new(fonts)),
        Err(e) => {
            tracing::warn!(error = %e, "PDF downloads are off");
            None
        }
    };
    let mut builder = ports.builder(store).with_config(
        PortalConfig::default()
            .with_base_url(base_url.clone())
            // The console's settings page, where the organization chooses
            // which activity emails it: its notifications' unsubscribe link.
            .with_notification_settings_url(format!("{base_url}/console/{{org}}/settings")),
    );
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
        ports,
        cookies: Cookies {
            secure: base_url.starts_with("https://"),
        },
        demo_slug: seed::DEMO_SLUG.into(),
        console: Arc::new(console),
        pdf_fonts,
        trusted_proxies,
    };
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("Customer portal on {base_url}/{}", seed::DEMO_SLUG);
    if std::env::var_os("PORTAL_SMTP_URL").is_some() {
        println!("Emails are sent through the SMTP server of PORTAL_SMTP_URL.");
    } else if mode == Mode::Development {
        println!(
            "DEVELOPMENT MODE: every email (invitations for {:?}, reset and document \
             links) is readable by anyone who reaches this port, at {base_url}/dev/mailbox. \
             Never expose it; PORTAL_MODE=production turns it off.",
            seed::DEMO_CONTACTS
        );
    } else {
        println!(
            "Production mode: no development mailbox. Emails are recorded but not \
             delivered: set PORTAL_SMTP_URL and PORTAL_SMTP_FROM to send them \
             (PORTAL_MODE=development shows them at /dev/mailbox)."
        );
    }
    match console_token {
        Some(token) => println!(
            "Org console at {base_url}/console, token for this run: {token} \
             (set PORTAL_CONSOLE_TOKEN to keep one)"
        ),
        None => println!("Org console at {base_url}/console (token from PORTAL_CONSOLE_TOKEN)"),
    }
    if demo.created {
        println!("A demo organization was created; open an invitation link from its email.");
    }
    // With the peer's address: sign-in is throttled per (email, client).
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
