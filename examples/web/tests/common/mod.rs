//! The app in process, over the memory store, and helpers to speak HTTP to it.

#![allow(dead_code, unreachable_pub, unused_imports)]

pub use std::sync::Arc;

pub use axum::Router;
pub use axum::body::Body;
pub use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
pub use axum::http::{Request, StatusCode};
pub use axum::response::Response;
pub use http_body_util::BodyExt as _;
pub use portal_core::domain::{
    Currency, InvoiceKind, LineItem, NewContact, NewCustomer, NewInvoice,
};
pub use portal_core::{Decimal, Portal, PortalConfig};
pub use portal_memory::{MemoryStore, RecordingMailer, TestGateway, cards};
pub use portal_web::security::Cookies;
pub use portal_web::{AppState, Ports, router, seed};
pub use time::macros::date;
pub use tower::ServiceExt as _;

pub const PASSWORD: &str = "a long pass phrase for ana";

/// The org console's token in tests.
pub const CONSOLE_TOKEN: &str = "console token for the tests";

pub struct App {
    pub router: Router,
    pub state: AppState,
    /// Every email the portal sent (served as the mailbox only in development mode).
    pub mailbox: Arc<RecordingMailer>,
    /// The test gateway the portal charges.
    pub gateway: Arc<TestGateway>,
    /// The demo organization.
    pub org: portal_core::domain::OrgId,
}

pub async fn app(secure: bool) -> App {
    app_with(secure, true).await
}

/// The app, in development mode (the mailbox served) or not.
pub async fn app_with(secure: bool, development: bool) -> App {
    let mailbox = Arc::new(RecordingMailer::new());
    app_on(
        secure,
        mailbox.clone(),
        development.then(|| mailbox.clone()),
        mailbox,
    )
    .await
}

/// The app sending its emails through `mailer` (a real SMTP server), without a
/// development mailbox. (`App::mailbox` then stays empty.)
pub async fn app_mailing(mailer: Arc<dyn portal_core::mailer::Mailer>) -> App {
    app_on(false, mailer, None, Arc::new(RecordingMailer::new())).await
}

async fn app_on(
    secure: bool,
    mailer: Arc<dyn portal_core::mailer::Mailer>,
    dev_mailbox: Option<Arc<RecordingMailer>>,
    mailbox: Arc<RecordingMailer>,
) -> App {
    let store = Arc::new(MemoryStore::new());
    let gateway = Arc::new(TestGateway::new("card"));
    let pdf_fonts = portal_pdf::Fonts::from_system().ok().map(Arc::new);
    let ports = Ports {
        mailer,
        gateway: gateway.clone(),
        dev_mailbox,
    };
    let mut builder = ports
        .builder(store)
        .with_config(PortalConfig::default().with_base_url("http://portal.test"));
    if let Some(fonts) = &pdf_fonts {
        builder = builder.with_renderer(Arc::new(portal_pdf::PdfRenderer::new((**fonts).clone())));
    }
    let portal = builder.build().expect("portal");
    let demo = seed::demo(&portal, portal.today()).await.expect("seed");
    portal.dispatch_emails(100).await.expect("dispatch");
    let state = AppState {
        portal,
        ports,
        cookies: Cookies { secure },
        demo_slug: seed::DEMO_SLUG.into(),
        console: Arc::new(portal_web::console::Console::new(CONSOLE_TOKEN)),
        pdf_fonts,
        trusted_proxies: 0,
    };
    App {
        router: router(state.clone()),
        state,
        mailbox,
        gateway,
        org: demo.org,
    }
}

impl App {
    pub async fn send(&self, request: Request<Body>) -> Response {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible")
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        let mut r = Request::get(path);
        if let Some(c) = cookie {
            r = r.header(COOKIE, c);
        }
        self.send(r.body(Body::empty()).expect("request")).await
    }

    pub async fn post(&self, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Response {
        self.post_from(None, path, cookie, form).await
    }

    /// A form posted from the network address `from` (as the server sees the
    /// peer, when started with `into_make_service_with_connect_info`).
    pub async fn post_from(
        &self,
        from: Option<&str>,
        path: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> Response {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut r = Request::post(path).header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            r = r.header(COOKIE, c);
        }
        if let Some(ip) = from {
            let peer = std::net::SocketAddr::new(ip.parse().expect("address"), 50_000);
            r = r.extension(axum::extract::ConnectInfo(peer));
        }
        self.send(r.body(Body::from(body)).expect("request")).await
    }

    /// Signs in to the org console: its session cookie (`name=value`).
    pub async fn console_signed_in(&self) -> String {
        let form = self.get("/console/sign-in", None).await;
        let csrf_cookie = cookie_of(&form, self.state.cookies.csrf_name()).expect("csrf cookie");
        let csrf = hidden(&text(form).await, "csrf");
        let done = self
            .post(
                "/console/sign-in",
                Some(&csrf_cookie),
                &[("csrf", &csrf), ("token", CONSOLE_TOKEN)],
            )
            .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        cookie_of(&done, self.state.cookies.console_name()).expect("console cookie")
    }

    /// The library's session behind a session cookie (`name=value`).
    pub async fn session_of(&self, cookie: &str) -> portal_core::PortalSession {
        let token = cookie.split_once('=').expect("name=value").1;
        self.state.portal.session(token).await.expect("session")
    }

    /// Follows Ana's invitation from the mailbox: the session cookie (`name=value`).
    pub async fn ana_signed_in(&self) -> String {
        let link = self
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
        assert_eq!(
            done.headers()[LOCATION],
            "/acme?welcome=1",
            "first sign-in: the banner"
        );
        cookie_of(&done, self.state.cookies.session_name()).expect("session cookie")
    }
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn text(response: Response) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// The whole `Set-Cookie` line for cookie `name`.
pub fn set_cookie_line(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// `name=value` of cookie `name`, as a browser sends it back.
pub fn cookie_of(response: &Response, name: &str) -> Option<String> {
    set_cookie_line(response, name).map(|line| line.split(';').next().unwrap_or("").to_owned())
}

/// The value of the hidden input `name` in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden input") + marker.len();
    html[start..].split('"').next().expect("value").to_owned()
}

/// The first link under `/acme/{area}/` on a page, as a path.
pub fn first_link(html: &str, area: &str) -> String {
    let marker = format!("/acme/{area}/");
    let start = html.find(&marker).expect("a link") + marker.len();
    let id: String = html[start..].chars().take_while(|c| *c != '"').collect();
    format!("{marker}{id}")
}

/// A multipart form with the CSRF token and one file.
pub fn multipart(csrf: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
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

/// The path a link labelled `label` points at.
pub fn link_to(html: &str, label: &str) -> String {
    let end = html
        .find(&format!(">{label}</a>"))
        .unwrap_or_else(|| panic!("no link {label} in {html}"));
    let start = html[..end].rfind("href=\"").expect("href") + "href=\"".len();
    html[start..end]
        .trim_end_matches('"')
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The text of a dashboard figure.
pub fn figure(html: &str, name: &str) -> String {
    html.split(&format!("<span>{name}</span><strong>"))
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_else(|| panic!("no figure {name}"))
        .to_owned()
}

/// Pays through a rendered pay form (its csrf, key and selection) with `fields`.
pub async fn pay_through(
    app: &App,
    session: &str,
    page: &str,
    fields: &[(&str, &str)],
) -> Response {
    let (csrf, key, selection) = (
        hidden(page, "csrf"),
        hidden(page, "key"),
        hidden(page, "selection"),
    );
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("selection", selection.as_str()),
    ];
    form.extend_from_slice(fields);
    app.post("/acme/pay", Some(session), &form).await
}

/// A card the test gateway accepts, as pay form fields.
pub const GOOD_CARD: [(&str, &str); 5] = [
    ("holder", "Ana Silva"),
    ("number", cards::VISA_OK),
    ("cvv", "123"),
    ("exp_month", "12"),
    ("exp_year", "2031"),
];
