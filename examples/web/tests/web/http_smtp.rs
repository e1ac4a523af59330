//! The web host with `PORTAL_SMTP_URL` set: its emails go to the SMTP server (the
//! loopback sink `scripts/with-smtp` starts), and no development mailbox is
//! served. Configuration mistakes are refused at start with what to set.

use std::sync::Arc;

use mail_parser::MessageParser;
use portal_core::PortalConfig;
use portal_web::{Mode, Ports, seed};

/// The port of the test SMTP server `name`; `None` (skipped) when the servers are
/// not running, a failure under `CI=true`.
fn server(name: &str) -> Option<String> {
    let var = format!("SMTP_{}_PORT", name.to_ascii_uppercase());
    match std::env::var(&var) {
        Ok(port) => Some(port),
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{var} is not set: run the tests through scripts/test")
        }
        Err(_) => {
            eprintln!("skipped: {var} not set (scripts/with-smtp starts the servers)");
            None
        }
    }
}

fn vars<'a>(pairs: &'a [(&'a str, String)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }
}

#[test]
fn smtp_settings_are_checked_at_start() {
    let missing_from = [("PORTAL_SMTP_URL", "smtps://u:p@mail.example".to_owned())];
    let err = Ports::from_vars(Mode::Production, vars(&missing_from)).expect_err("no from");
    assert!(err.contains("PORTAL_SMTP_FROM"), "{err}");
    let plain_remote = [
        ("PORTAL_SMTP_URL", "smtp://mail.example?tls=none".to_owned()),
        ("PORTAL_SMTP_FROM", "a@b.example".to_owned()),
    ];
    let err = Ports::from_vars(Mode::Production, vars(&plain_remote)).expect_err("plain");
    assert!(
        err.contains("PORTAL_SMTP_URL") && err.contains("this machine"),
        "{err}"
    );
    let unset: [(&str, String); 0] = [];
    let ports = Ports::from_vars(Mode::Development, vars(&unset)).expect("defaults");
    assert!(
        ports.dev_mailbox.is_some(),
        "no SMTP: the development mailbox"
    );
}

/// The demo's invitations, dispatched by the host configured from its
/// environment, arrive at the SMTP server under the organization's name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_sends_real_mail_when_told_to() {
    let Some(port) = server("sink") else {
        return;
    };
    let settings = [
        (
            "PORTAL_SMTP_URL",
            format!("smtp://127.0.0.1:{port}?tls=none"),
        ),
        (
            "PORTAL_SMTP_FROM",
            "Portal <portal@books.example>".to_owned(),
        ),
    ];
    let ports = Ports::from_vars(Mode::Development, vars(&settings)).expect("ports");
    assert!(ports.dev_mailbox.is_none(), "mail is delivered, not kept");
    let portal = ports
        .builder(Arc::new(portal_memory::MemoryStore::new()))
        .with_config(PortalConfig::default().with_base_url("http://portal.test"))
        .build()
        .expect("portal");
    let started = std::time::SystemTime::now();
    seed::demo(&portal, portal.today()).await.expect("seed");
    let report = portal.dispatch_emails(100).await.expect("dispatch");
    assert!(report.sent >= 2 && report.deferred == 0, "{report:?}");
    let spool = std::env::var("SMTP_SPOOL").expect("SMTP_SPOOL");
    let invitations: Vec<String> = std::fs::read_dir(spool)
        .expect("spool")
        .filter_map(Result::ok)
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= started)
        })
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter_map(|raw| {
            let parsed = MessageParser::default().parse(&raw)?;
            let to = parsed.to()?.first()?.address()?.to_owned();
            let from = parsed.from()?.first()?;
            (from.name() == Some("Acme Books") && from.address() == Some("portal@books.example"))
                .then_some(to)
        })
        .collect();
    for contact in seed::DEMO_CONTACTS {
        assert!(
            invitations.iter().any(|to| to == contact),
            "{contact} got their invitation: {invitations:?}"
        );
    }
}

/// A server that refuses every message (550): the console's outbox lists the
/// emails under "Not delivered" with the server's answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_emails_show_in_the_console_with_the_servers_answer() {
    let Some(port) = server("reject") else {
        return;
    };
    let settings = [
        (
            "PORTAL_SMTP_URL",
            format!("smtp://127.0.0.1:{port}?tls=none"),
        ),
        ("PORTAL_SMTP_FROM", "portal@books.example".to_owned()),
    ];
    let ports = Ports::from_vars(Mode::Production, vars(&settings)).expect("ports");
    let app = crate::common::app_mailing(ports.mailer).await;
    let console = app.console_signed_in().await;
    let outbox = crate::common::text(app.get("/console/acme/outbox", Some(&console)).await).await;
    let failed = outbox
        .split("<h2>Not delivered</h2>")
        .nth(1)
        .expect("the section");
    for contact in seed::DEMO_CONTACTS {
        assert!(failed.contains(contact), "{contact}: {failed}");
    }
    assert!(
        failed.contains("550") && failed.contains("No such mailbox here"),
        "{failed}"
    );
}
