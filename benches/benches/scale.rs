//! Every portal read against the hand-written SQL that answers it, on a small store
//! (the customer alone) and a big one (the same customer among 1 000 000 other
//! invoices of 10 000 customers in 100 organizations), in one run.
//!
//! `cargo bench -p portal-benches --bench scale` measures SQLite;
//! `scripts/with-postgres cargo bench -p portal-benches --bench scale` measures
//! PostgreSQL too. `PORTAL_SCALE_INVOICES` sets the big store's size (default
//! 1 000 000); `PORTAL_SCALE_ENGINES=postgres` (or `sqlite`) measures one engine;
//! `PORTAL_SCALE_EXPLAIN=1` prints the statement's plans. Each call is checked against its baseline's answer before it is
//! timed; calls and baselines alternate, and the table shows medians.

use std::sync::Arc;
use std::time::{Duration, Instant};

use portal_core::auth::{HashingCost, PasswordHasherConfig, SecretToken};
use portal_core::domain::PasswordHash;
use portal_core::domain::StatementPeriod;
use portal_core::prelude::*;
use portal_memory::{RecordingMailer, TestGateway};
use portal_sqlx::sqlx::postgres::PgConnectOptions;
use portal_sqlx::sqlx::types::Json;
use portal_sqlx::sqlx::{self, Executor, Pool};
use portal_sqlx::{Engine, PostgresStore, SqlStore, SqliteStore};
use time::macros::date;
use uuid::Uuid;

const FOCAL_INVOICES: usize = 1_000;
const PASSWORD: &str = "scale bench password";
const EMAIL: &str = "payer@example.com";
/// A second contact of the customer whose password hash costs 8 KiB and one pass
/// (below the library's floor, written with SQL): signing in as it measures what
/// sign-in does besides the argon2id verification.
const LIGHT_EMAIL: &str = "light@example.com";
const SLUG: &str = "acme-scale";
const PAGE: u32 = 20;
/// Card payments of 1.00 the customer made through the portal before the bench.
const CARD_HISTORY: usize = 50;

/// The customer everything is measured for, and its ids.
struct Focal {
    portal: Portal,
    token: String,
    session: PortalSession,
    org: Uuid,
    customer: Uuid,
    /// The big invoice the concurrent Pay Now calls pay part of.
    pay_invoice: InvoiceId,
}

/// The portal a host builds over `store`: the test gateway, a recording mailer.
fn portal_over(store: Arc<dyn Backend>, mailer: Arc<RecordingMailer>) -> Portal {
    Portal::builder(store, mailer)
        .with_gateway(Arc::new(TestGateway::new("test")))
        .build()
        .expect("portal")
}

async fn focal(store: Arc<dyn Backend>) -> Focal {
    let mailer = Arc::new(RecordingMailer::new());
    let portal = portal_over(store, mailer.clone());
    let org = portal
        .create_org(NewOrganization {
            name: "Acme".into(),
            slug: PortalSlug::parse(SLUG).expect("slug"),
        })
        .await
        .expect("org");
    let admin = portal.org(org.id);
    let usd = Currency::from_code("USD").expect("usd");
    let email = Email::parse(EMAIL).expect("email");
    let (customer, contacts) = admin
        .customers()
        .create(
            NewCustomer::new("Payer", usd),
            vec![NewContact::new("Pat", "Payer", Some(email))],
        )
        .await
        .expect("customer");
    let start = date!(2024 - 01 - 01);
    for i in 0..FOCAL_INVOICES {
        let issue = start + time::Duration::days(i64::try_from(i).expect("day"));
        let draft = admin
            .invoices()
            .create(
                customer.id,
                NewInvoice {
                    kind: InvoiceKind::Invoice,
                    number: format!("INV-{i:05}"),
                    lines: vec![LineItem::new("Work", Decimal::ONE, Decimal::from(100))],
                    issue_date: issue,
                    due_date: issue + time::Duration::days(30),
                    allow_partial_payments: true,
                    payment_gateways: vec!["test".into()],
                },
            )
            .await
            .expect("invoice");
        admin.invoices().send(draft.id).await.expect("send");
        if i % 3 != 0 {
            admin
                .invoices()
                .record_offline_payment(
                    customer.id,
                    Money::from_minor_units(10_000, usd),
                    "bank transfer",
                    (issue + time::Duration::days(10)).midnight().assume_utc(),
                    &[draft.id],
                )
                .await
                .expect("payment");
        }
    }
    let big = admin
        .invoices()
        .create(
            customer.id,
            NewInvoice {
                kind: InvoiceKind::Invoice,
                number: "BIG-1".into(),
                lines: vec![LineItem::new(
                    "Retainer",
                    Decimal::ONE,
                    Decimal::from(1_000_000),
                )],
                issue_date: date!(2026 - 11 - 01),
                due_date: date!(2027 - 11 - 01),
                allow_partial_payments: true,
                payment_gateways: vec!["test".into()],
            },
        )
        .await
        .expect("big invoice");
    admin.invoices().send(big.id).await.expect("send big");
    admin
        .contacts()
        .enable_access(customer.id, &[contacts[0].id])
        .await
        .expect("invite");
    portal.dispatch_emails(10).await.expect("dispatch");
    let link = mailer.last_link_to(EMAIL, "/invitation/").expect("link");
    let accepted = portal
        .accept_invitation(
            link.rsplit('/').next().expect("token"),
            AcceptInvitation {
                password: PASSWORD.into(),
                password_confirmation: PASSWORD.into(),
                preferences: None,
            },
        )
        .await
        .expect("accept");
    let token = accepted.token.expose().to_owned();
    // The customer has paid by card through the portal before, so the payment
    // attempts have a history when the statistics are gathered, as in any store
    // that takes card payments.
    for n in 0..CARD_HISTORY {
        pay_by_card(&accepted.session, big.id, format!("history-{n}"))
            .await
            .expect("card payment");
    }
    Focal {
        session: accepted.session,
        portal,
        token,
        org: org.id.as_uuid(),
        customer: customer.id.as_uuid(),
        pay_invoice: big.id,
    }
}

/// How an engine makes the big store out of the focal customer's rows.
struct Bulk {
    /// `$1` focal org, `$2` focal customer, `$3` how many per parent.
    statements: &'static [&'static str],
    /// Run after each load so that its aftermath does not run during the
    /// measurement: what autovacuum would have done, and a checkpoint.
    settle: &'static [&'static str],
}

/// Every other customer's paid invoice has its payment (with the invoice's id) and,
/// as in a store that takes card payments, that payment's succeeded Pay Now
/// attempt: the statistics gathered after the load know as many attempts as
/// payments, and a payment's attempt is found by its primary key from the first
/// measured payment on.
const PG_BULK: Bulk = Bulk {
    statements: &[
        "INSERT INTO portal_orgs (id, name, slug, settings, roles, portal_user_cap, created_at, version) \
         SELECT gen_random_uuid(), 'Bulk ' || g, 'bulk-org-' || g, settings, roles, portal_user_cap, \
         created_at, version FROM portal_orgs, generate_series(1, $3) g WHERE id = $1",
        "INSERT INTO portal_customers (id, org_id, display_name, company_name, currency, \
         billing_address, shipping_address, may_pay_by_bank_account, created_at, deleted_at, version) \
         SELECT gen_random_uuid(), o.id, 'Customer ' || g, t.company_name, t.currency, \
         t.billing_address, t.shipping_address, t.may_pay_by_bank_account, t.created_at, NULL, 1 \
         FROM portal_orgs o CROSS JOIN generate_series(1, $3) g CROSS JOIN portal_customers t \
         WHERE o.id <> $1 AND t.org_id = $1 AND t.id = $2",
        "INSERT INTO portal_contacts (id, org_id, customer_id, first_name, last_name, email, phone, \
         is_primary, portal_status, role_id, password_hash, preferences, created_at, deleted_at, version) \
         SELECT gen_random_uuid(), c.org_id, c.id, t.first_name, t.last_name, \
         'c' || replace(CAST(c.id AS text), '-', '') || '@example.com', t.phone, true, 'active', \
         t.role_id, t.password_hash, t.preferences, t.created_at, NULL, 1 \
         FROM portal_customers c CROSS JOIN portal_contacts t \
         WHERE c.org_id <> $1 AND t.org_id = $1 AND t.customer_id = $2",
        "INSERT INTO portal_sessions (id, token_hash, org_id, customer_id, contact_id, created_at, last_seen_at) \
         SELECT gen_random_uuid(), decode(md5(random()::text) || md5(random()::text), 'hex'), \
         org_id, customer_id, id, now(), now() FROM portal_contacts WHERE org_id <> $1",
        "INSERT INTO portal_invoices (id, org_id, customer_id, kind, number, status, lines, currency, \
         total_minor, paid_minor, credited_minor, balance_minor, issue_date, due_date, \
         allow_partial_payments, payment_gateways, viewed_at, created_at, version, retainer_drawn_minor) \
         SELECT gen_random_uuid(), c.org_id, c.id, 'invoice', c.display_name || '-' || g, \
         CASE WHEN g % 3 = 0 THEN 'sent' ELSE 'paid' END, t.lines, t.currency, t.total_minor, \
         CASE WHEN g % 3 = 0 THEN 0 ELSE t.total_minor END, 0, \
         CASE WHEN g % 3 = 0 THEN t.total_minor ELSE 0 END, t.issue_date + g, t.issue_date + g + 30, \
         t.allow_partial_payments, t.payment_gateways, NULL, t.created_at, 1, 0 \
         FROM portal_customers c CROSS JOIN generate_series(1, $3) g \
         CROSS JOIN (SELECT * FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 \
           ORDER BY issue_date LIMIT 1) t WHERE c.org_id <> $1",
        "INSERT INTO portal_payments (id, org_id, customer_id, receipt_number, currency, amount_minor, \
         unapplied_minor, method, reference, paid_at, paid_on) \
         SELECT i.id, i.org_id, i.customer_id, 'R-' || i.number, i.currency, i.total_minor, 0, t.method, \
         NULL, timestamptz 'epoch' + (i.issue_date + 10) * interval '1 day', i.issue_date + 10 \
         FROM portal_invoices i CROSS JOIN (SELECT method FROM portal_payments \
           WHERE org_id = $1 AND customer_id = $2 LIMIT 1) t WHERE i.org_id <> $1 AND i.status = 'paid'",
        "INSERT INTO portal_payment_allocations (payment_id, invoice_id, org_id, customer_id, position, amount_minor) \
         SELECT id, id, org_id, customer_id, 0, total_minor FROM portal_invoices \
         WHERE org_id <> $1 AND status = 'paid'",
        "INSERT INTO portal_payment_attempts (id, org_id, customer_id, idempotency_key, fingerprint, \
         currency, amount_minor, invoices, gateway, status, payment_id, failure_code, failure_message, \
         created_at, contact_id) \
         SELECT p.id, p.org_id, p.customer_id, 'bulk-' || p.id, t.fingerprint, p.currency, \
         p.amount_minor, jsonb_build_array(p.id), t.gateway, 'succeeded', p.id, NULL, NULL, p.paid_at, NULL \
         FROM portal_payments p CROSS JOIN (SELECT fingerprint, gateway FROM portal_payment_attempts \
           WHERE org_id = $1 AND customer_id = $2 LIMIT 1) t WHERE p.org_id <> $1",
    ],
    settle: &["VACUUM ANALYZE", "CHECKPOINT"],
};

/// As [`PG_BULK`] (ids are blobs here; an attempt's `invoices` holds them as text).
const LITE_BULK: Bulk = Bulk {
    statements: &[
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < $3) \
         INSERT INTO portal_orgs (id, name, slug, settings, roles, portal_user_cap, created_at, version) \
         SELECT randomblob(16), 'Bulk ' || n, 'bulk-org-' || n, settings, roles, portal_user_cap, \
         created_at, version FROM portal_orgs, g WHERE id = $1",
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < $3) \
         INSERT INTO portal_customers (id, org_id, display_name, company_name, currency, \
         billing_address, shipping_address, may_pay_by_bank_account, created_at, deleted_at, version) \
         SELECT randomblob(16), o.id, 'Customer ' || n, t.company_name, t.currency, \
         t.billing_address, t.shipping_address, t.may_pay_by_bank_account, t.created_at, NULL, 1 \
         FROM portal_orgs o CROSS JOIN g CROSS JOIN portal_customers t \
         WHERE o.id <> $1 AND t.org_id = $1 AND t.id = $2",
        "INSERT INTO portal_contacts (id, org_id, customer_id, first_name, last_name, email, phone, \
         is_primary, portal_status, role_id, password_hash, preferences, created_at, deleted_at, version) \
         SELECT randomblob(16), c.org_id, c.id, t.first_name, t.last_name, \
         'c' || hex(c.id) || '@example.com', t.phone, 1, 'active', \
         t.role_id, t.password_hash, t.preferences, t.created_at, NULL, 1 \
         FROM portal_customers c CROSS JOIN portal_contacts t \
         WHERE c.org_id <> $1 AND t.org_id = $1 AND t.customer_id = $2",
        "INSERT INTO portal_sessions (id, token_hash, org_id, customer_id, contact_id, created_at, last_seen_at) \
         SELECT randomblob(16), randomblob(32), org_id, customer_id, id, created_at, created_at \
         FROM portal_contacts WHERE org_id <> $1",
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < $3) \
         INSERT INTO portal_invoices (id, org_id, customer_id, kind, number, status, lines, currency, \
         total_minor, paid_minor, credited_minor, balance_minor, issue_date, due_date, \
         allow_partial_payments, payment_gateways, viewed_at, created_at, version, retainer_drawn_minor) \
         SELECT randomblob(16), c.org_id, c.id, 'invoice', c.display_name || '-' || n, \
         CASE WHEN n % 3 = 0 THEN 'sent' ELSE 'paid' END, t.lines, t.currency, t.total_minor, \
         CASE WHEN n % 3 = 0 THEN 0 ELSE t.total_minor END, 0, \
         CASE WHEN n % 3 = 0 THEN t.total_minor ELSE 0 END, t.issue_date + n, t.issue_date + n + 30, \
         t.allow_partial_payments, t.payment_gateways, NULL, t.created_at, 1, 0 \
         FROM portal_customers c CROSS JOIN g \
         CROSS JOIN (SELECT * FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 \
           ORDER BY issue_date LIMIT 1) t WHERE c.org_id <> $1",
        "INSERT INTO portal_payments (id, org_id, customer_id, receipt_number, currency, amount_minor, \
         unapplied_minor, method, reference, paid_at, paid_on) \
         SELECT i.id, i.org_id, i.customer_id, 'R-' || i.number, i.currency, i.total_minor, 0, t.method, \
         NULL, (i.issue_date + 10) * 86400000000, i.issue_date + 10 \
         FROM portal_invoices i CROSS JOIN (SELECT method FROM portal_payments \
           WHERE org_id = $1 AND customer_id = $2 LIMIT 1) t WHERE i.org_id <> $1 AND i.status = 'paid'",
        "INSERT INTO portal_payment_allocations (payment_id, invoice_id, org_id, customer_id, position, amount_minor) \
         SELECT id, id, org_id, customer_id, 0, total_minor FROM portal_invoices \
         WHERE org_id <> $1 AND status = 'paid'",
        "INSERT INTO portal_payment_attempts (id, org_id, customer_id, idempotency_key, fingerprint, \
         currency, amount_minor, invoices, gateway, status, payment_id, failure_code, failure_message, \
         created_at, contact_id) \
         SELECT p.id, p.org_id, p.customer_id, 'bulk-' || hex(p.id), t.fingerprint, p.currency, \
         p.amount_minor, json_array(lower(substr(hex(p.id), 1, 8) || '-' || substr(hex(p.id), 9, 4) \
         || '-' || substr(hex(p.id), 13, 4) || '-' || substr(hex(p.id), 17, 4) || '-' \
         || substr(hex(p.id), 21))), t.gateway, 'succeeded', p.id, NULL, NULL, p.paid_at, NULL \
         FROM portal_payments p CROSS JOIN (SELECT fingerprint, gateway FROM portal_payment_attempts \
           WHERE org_id = $1 AND customer_id = $2 LIMIT 1) t WHERE p.org_id <> $1",
    ],
    // The library decides when SQLite gathers statistics; the bench does not.
    settle: &["PRAGMA wal_checkpoint(TRUNCATE)"],
};

async fn bulk_load<DB: Engine>(pool: &Pool<DB>, bulk: &Bulk, focal: &Focal, invoices: usize)
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    // 100 orgs of 100 customers of 100 invoices at the default 1 000 000.
    let per = i64::try_from(((invoices as f64).cbrt().round() as usize).max(1)).expect("size");
    let started = Instant::now();
    for statement in bulk.statements {
        let q = sqlx::query::<DB>(*statement);
        let q = DB::bind(q, focal.org);
        let q = DB::bind(q, focal.customer);
        let q = DB::bind(q, per);
        q.execute(pool).await.expect("bulk load");
    }
    settle(pool, bulk).await;
    println!(
        "  {} bulk-loaded {} invoices in {:.1} s",
        DB::NAME,
        per * per * per,
        started.elapsed().as_secs_f64()
    );
}

async fn settle<DB: Engine>(pool: &Pool<DB>, bulk: &Bulk)
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    for statement in bulk.settle {
        sqlx::query::<DB>(*statement)
            .execute(pool)
            .await
            .expect("settle");
    }
    // And the kernel writes the load's pages back now, not during the measurement
    // (the throwaway cluster runs without fsync, so they pile up in the page cache).
    let _ = std::process::Command::new("sync").status();
}

/// The hand-written statements the portal calls are measured against.
const SQL_SESSION: &str = "SELECT s.id, s.token_hash, s.org_id, s.customer_id, s.contact_id, \
     s.created_at, s.last_seen_at, \
     c.id, c.org_id, c.customer_id, c.first_name, c.last_name, c.email, c.phone, c.is_primary, \
     c.portal_status, c.role_id, c.password_hash, c.preferences, c.created_at, c.deleted_at, \
     c.version, \
     cu.id, cu.org_id, cu.display_name, cu.company_name, cu.currency, cu.billing_address, \
     cu.shipping_address, cu.may_pay_by_bank_account, cu.created_at, cu.deleted_at, cu.version, \
     o.id, o.name, o.slug, o.settings, o.roles, o.portal_user_cap, o.created_at, o.version \
     FROM portal_sessions s JOIN portal_contacts c ON c.id = s.contact_id \
     JOIN portal_customers cu ON cu.id = s.customer_id JOIN portal_orgs o ON o.id = s.org_id \
     WHERE s.token_hash = $1";
const SQL_PAYMENTS: &str = "SELECT p.id, p.org_id, p.customer_id, p.receipt_number, p.currency, \
     p.amount_minor, p.unapplied_minor, p.method, p.reference, p.paid_at, \
     a.invoice_id, a.amount_minor AS allocated \
     FROM (SELECT * FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
       ORDER BY paid_at DESC, id DESC LIMIT $3) p \
     LEFT JOIN portal_payment_allocations a ON a.payment_id = p.id \
     ORDER BY p.paid_at DESC, p.id DESC, a.position";
const SQL_DASHBOARD: &str = "SELECT \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status IN ('sent', 'partially_paid')) AS outstanding, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status IN ('sent', 'partially_paid') AND due_date < $3) AS overdue, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND balance_minor > 0) \
   + (SELECT CAST(COALESCE(SUM(unapplied_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND unapplied_minor > 0) AS credits, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'retainer' \
        AND status IN ('sent', 'partially_paid')) AS retainers, \
     (SELECT CAST(COALESCE(SUM(paid_minor - retainer_drawn_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'retainer' \
        AND paid_minor > retainer_drawn_minor) AS retainer_payments, \
     (SELECT amount_minor FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
        ORDER BY paid_at DESC, id DESC LIMIT 1) AS last_amount, \
     (SELECT COUNT(*) FROM portal_quotes WHERE org_id = $1 AND customer_id = $2 \
        AND status = 'sent' AND expiry_date >= $3) AS quotes";
const SQL_STATEMENT_OPENING: &str = "SELECT \
     (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status NOT IN ('draft', 'void') AND issue_date < $3) \
   - (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND issue_date < $3) \
   - (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND paid_on < $3) \
   + (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_refunds \
        WHERE org_id = $1 AND customer_id = $2 AND refunded_on < $3) AS opening";
const SQL_STATEMENT_ENTRIES: &str = "SELECT day, number, amount_minor, \
     CAST(SUM(amount_minor) OVER (ORDER BY day, kind_order, id) AS BIGINT) AS running FROM ( \
     SELECT issue_date AS day, 1 AS kind_order, id, number, total_minor AS amount_minor \
        FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status NOT IN ('draft', 'void') AND issue_date BETWEEN $3 AND $4 \
     UNION ALL SELECT issue_date, 2, id, number, -total_minor FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND issue_date BETWEEN $3 AND $4 \
     UNION ALL SELECT paid_on, 3, id, receipt_number, -amount_minor FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND paid_on BETWEEN $3 AND $4 \
     UNION ALL SELECT refunded_on, 4, id, mode, amount_minor FROM portal_refunds \
        WHERE org_id = $1 AND customer_id = $2 AND refunded_on BETWEEN $3 AND $4) e \
     ORDER BY day, kind_order, id";
const SQL_STATEMENT_AGING: &str = "SELECT \
     CAST(COALESCE(SUM(CASE WHEN $3 - due_date > 90 THEN open_minor ELSE 0 END), 0) AS BIGINT) AS over_90, \
     CAST(COALESCE(SUM(open_minor), 0) AS BIGINT) AS open_total \
     FROM (SELECT MAX(due_date) AS due_date, SUM(part) AS open_minor FROM ( \
        SELECT id AS invoice_id, due_date, total_minor AS part FROM portal_invoices \
           WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
           AND status NOT IN ('draft', 'void') AND issue_date <= $3 \
        UNION ALL SELECT a.invoice_id, NULL, -a.amount_minor \
           FROM portal_payment_allocations a JOIN portal_payments p ON p.id = a.payment_id \
           WHERE a.org_id = $1 AND a.customer_id = $2 \
           AND p.org_id = $1 AND p.customer_id = $2 AND p.paid_on <= $3 \
        UNION ALL SELECT invoice_id, NULL, -amount_minor FROM portal_credit_applications \
           WHERE org_id = $1 AND customer_id = $2 AND applied_on <= $3 \
        ) parts GROUP BY invoice_id HAVING COUNT(due_date) = 1) open_invoices";
const SQL_INVOICE_PAGE: &str = "SELECT id, org_id, customer_id, kind, number, status, lines, currency, \
     total_minor, paid_minor, credited_minor, balance_minor, issue_date, due_date, \
     allow_partial_payments, payment_gateways, viewed_at, created_at, version, retainer_drawn_minor, \
     reserved_minor FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND status <> 'draft' \
     AND (issue_date, id) < ($3, $4) ORDER BY issue_date DESC, id DESC LIMIT $5";

fn days(d: Date) -> i64 {
    (d - date!(1970 - 01 - 01)).whole_days()
}

/// Each call's answer, reduced to what the portal and the baseline must agree on.
#[derive(Debug, PartialEq)]
enum Answer {
    Ids(Vec<Uuid>),
    Figures(Vec<i64>),
}

/// The baselines, over either engine.
struct Baseline<'a, DB: Engine> {
    pool: &'a Pool<DB>,
    org: Uuid,
    customer: Uuid,
}

impl<DB: Engine> Baseline<'_, DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn session(&self, token: &str) -> Answer {
        let hash = SecretToken::from_text(token).hash();
        let row = DB::bind(sqlx::query::<DB>(SQL_SESSION), hash.as_bytes().to_vec())
            .fetch_one(self.pool)
            .await
            .expect("session");
        // Read every column by position, as a host's own structs would.
        let uuid = |i: usize| DB::column_at::<Uuid>(&row, i).expect("uuid");
        let text = |i: usize| DB::column_at::<String>(&row, i).expect("text");
        let ts = |i: usize| DB::column_at::<DB::Ts>(&row, i).expect("time");
        let json = |i: usize| DB::column_at::<Json<serde_json::Value>>(&row, i).expect("json");
        let int = |i: usize| DB::column_at::<i64>(&row, i).expect("integer");
        std::hint::black_box((
            (uuid(0), DB::column_at::<Vec<u8>>(&row, 1).expect("hash")),
            (uuid(2), uuid(3), uuid(4), ts(5), ts(6)),
            (uuid(8), uuid(9), text(10), text(11)),
            DB::column_at::<Option<String>>(&row, 12).expect("email"),
            (
                text(13),
                DB::column_at::<bool>(&row, 14).expect("primary"),
                text(15),
            ),
            DB::column_at::<Option<Uuid>>(&row, 16).expect("role"),
            DB::column_at::<Option<String>>(&row, 17).expect("password"),
            DB::column_at::<Option<Json<serde_json::Value>>>(&row, 18).expect("preferences"),
            (
                ts(19),
                DB::column_at::<Option<DB::Ts>>(&row, 20).expect("deleted"),
                int(21),
            ),
            (uuid(23), text(24), text(25), text(26), json(27), json(28)),
            DB::column_at::<bool>(&row, 29).expect("bank"),
            (
                ts(30),
                DB::column_at::<Option<DB::Ts>>(&row, 31).expect("deleted"),
                int(32),
            ),
            (
                uuid(33),
                text(35),
                json(36),
                json(37),
                int(38),
                ts(39),
                int(40),
            ),
        ));
        assert_eq!(text(34), "Acme");
        Answer::Ids(vec![uuid(7), uuid(22)])
    }

    async fn payments(&self) -> Answer {
        let q = DB::bind(sqlx::query::<DB>(SQL_PAYMENTS), self.org);
        let q = DB::bind(q, self.customer);
        let rows = DB::bind(q, i64::from(PAGE) + 1)
            .fetch_all(self.pool)
            .await
            .expect("payments");
        let mut ids = Vec::new();
        for row in rows.iter().take(usize::try_from(PAGE).expect("page")) {
            // Read every column, as a host's own struct would.
            std::hint::black_box((
                DB::column::<Uuid>(row, "org_id").expect("org"),
                DB::column::<Uuid>(row, "customer_id").expect("customer"),
                DB::column::<String>(row, "receipt_number").expect("receipt"),
                DB::column::<String>(row, "currency").expect("currency"),
                DB::column::<i64>(row, "amount_minor").expect("amount"),
                DB::column::<i64>(row, "unapplied_minor").expect("unapplied"),
                DB::column::<Json<serde_json::Value>>(row, "method").expect("method"),
                DB::column::<Option<String>>(row, "reference").expect("reference"),
                DB::column::<DB::Ts>(row, "paid_at").expect("paid at"),
                DB::column::<i64>(row, "allocated").expect("allocated"),
            ));
            ids.push(DB::column::<Uuid>(row, "id").expect("id"));
            ids.push(DB::column::<Uuid>(row, "invoice_id").expect("invoice"));
        }
        Answer::Ids(ids)
    }

    async fn dashboard(&self, today: Date) -> Answer {
        let q = DB::bind(sqlx::query::<DB>(SQL_DASHBOARD), self.org);
        let q = DB::bind(q, self.customer);
        let row = DB::bind(q, days(today))
            .fetch_one(self.pool)
            .await
            .expect("dashboard");
        Answer::Figures(
            [
                "outstanding",
                "overdue",
                "credits",
                "retainers",
                "retainer_payments",
                "last_amount",
                "quotes",
            ]
            .iter()
            .map(|c| {
                DB::column::<Option<i64>>(&row, c)
                    .expect("figure")
                    .unwrap_or(0)
            })
            .collect(),
        )
    }

    async fn statement(&self, from: Date, to: Date) -> Answer {
        let q = DB::bind(sqlx::query::<DB>(SQL_STATEMENT_OPENING), self.org);
        let q = DB::bind(q, self.customer);
        let opening: i64 = DB::column(
            &DB::bind(q, days(from))
                .fetch_one(self.pool)
                .await
                .expect("opening"),
            "opening",
        )
        .expect("opening");
        let q = DB::bind(sqlx::query::<DB>(SQL_STATEMENT_ENTRIES), self.org);
        let q = DB::bind(q, self.customer);
        let q = DB::bind(q, days(from));
        let rows = DB::bind(q, days(to))
            .fetch_all(self.pool)
            .await
            .expect("entries");
        for row in &rows {
            std::hint::black_box((
                DB::column::<i64>(row, "day").expect("day"),
                DB::column::<String>(row, "number").expect("number"),
                DB::column::<i64>(row, "amount_minor").expect("amount"),
            ));
        }
        let running = rows
            .last()
            .map_or(0, |r| DB::column::<i64>(r, "running").expect("running"));
        let q = DB::bind(sqlx::query::<DB>(SQL_STATEMENT_AGING), self.org);
        let q = DB::bind(q, self.customer);
        let aging = DB::bind(q, days(to))
            .fetch_one(self.pool)
            .await
            .expect("aging");
        Answer::Figures(vec![
            opening,
            i64::try_from(rows.len()).expect("count"),
            opening + running,
            DB::column(&aging, "over_90").expect("over 90"),
            DB::column(&aging, "open_total").expect("open"),
        ])
    }

    /// The plans of the dashboard and statement baselines (`PORTAL_SCALE_EXPLAIN=1`):
    /// `EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite.
    async fn explain(&self, today: Date, from: Date, to: Date) {
        let (explain, column) = if DB::NAME == "PostgreSQL" {
            ("EXPLAIN (ANALYZE, BUFFERS)", 0)
        } else {
            ("EXPLAIN QUERY PLAN", 3)
        };
        for (sql, days) in [
            (SQL_DASHBOARD, vec![days(today)]),
            (SQL_STATEMENT_OPENING, vec![days(from)]),
            (SQL_STATEMENT_ENTRIES, vec![days(from), days(to)]),
            (SQL_STATEMENT_AGING, vec![days(to)]),
        ] {
            let text = format!("{explain} {sql}");
            let mut q = DB::bind(sqlx::query::<DB>(sqlx::AssertSqlSafe(text)), self.org);
            q = DB::bind(q, self.customer);
            for d in days {
                q = DB::bind(q, d);
            }
            for row in q.fetch_all(self.pool).await.expect("explain") {
                println!(
                    "    {}",
                    DB::column_at::<String>(&row, column).expect("plan")
                );
            }
        }
    }

    async fn invoice_page(&self, after: (i64, Uuid)) -> Answer {
        let q = DB::bind(sqlx::query::<DB>(SQL_INVOICE_PAGE), self.org);
        let q = DB::bind(q, self.customer);
        let q = DB::bind(q, after.0);
        let q = DB::bind(q, after.1);
        let rows = DB::bind(q, i64::from(PAGE) + 1)
            .fetch_all(self.pool)
            .await
            .expect("page");
        Answer::Ids(
            rows.iter()
                .take(usize::try_from(PAGE).expect("page"))
                .map(|r| {
                    // Read every column, as a host's own struct would.
                    std::hint::black_box((
                        DB::column::<Uuid>(r, "org_id").expect("org"),
                        DB::column::<Uuid>(r, "customer_id").expect("customer"),
                        DB::column::<String>(r, "kind").expect("kind"),
                        DB::column::<String>(r, "number").expect("number"),
                        DB::column::<String>(r, "status").expect("status"),
                        DB::column::<Json<serde_json::Value>>(r, "lines").expect("lines"),
                        DB::column::<String>(r, "currency").expect("currency"),
                        [
                            "total_minor",
                            "paid_minor",
                            "credited_minor",
                            "balance_minor",
                            "issue_date",
                            "due_date",
                            "version",
                            "retainer_drawn_minor",
                        ]
                        .map(|c| DB::column::<i64>(r, c).expect("figure")),
                        DB::column::<bool>(r, "allow_partial_payments").expect("partial"),
                        DB::column::<Json<serde_json::Value>>(r, "payment_gateways")
                            .expect("gateways"),
                        DB::column::<Option<DB::Ts>>(r, "viewed_at").expect("viewed"),
                        DB::column::<DB::Ts>(r, "created_at").expect("created"),
                    ));
                    DB::column::<Uuid>(r, "id").expect("id")
                })
                .collect(),
        )
    }
}

fn minor(m: &Money) -> i64 {
    m.to_minor_units().expect("minor units")
}

async fn portal_session(f: &Focal) -> Answer {
    let s = f.portal.session(&f.token).await.expect("session");
    Answer::Ids(vec![s.contact_id().as_uuid(), s.customer_id().as_uuid()])
}

async fn portal_payments(s: &PortalSession) -> Answer {
    let page = s.payments().list(None, PAGE).await.expect("payments");
    Answer::Ids(
        page.items
            .iter()
            .flat_map(|p| {
                p.allocations
                    .iter()
                    .flat_map(move |a| [p.id.as_uuid(), a.invoice.as_uuid()])
            })
            .collect(),
    )
}

async fn portal_dashboard(s: &PortalSession) -> Answer {
    let d = s.dashboard().await.expect("dashboard");
    Answer::Figures(vec![
        minor(&d.outstanding_invoices),
        minor(&d.overdue_invoices),
        minor(&d.available_credits),
        minor(&d.outstanding_retainers),
        minor(&d.available_retainer_payments),
        d.last_payment.map_or(0, |(m, _)| minor(&m)),
        i64::try_from(d.quotes_awaiting).expect("quotes"),
    ])
}

async fn portal_statement(s: &PortalSession, from: Date, to: Date) -> Answer {
    let st = s
        .statement(StatementPeriod::Custom { from, to })
        .await
        .expect("statement");
    let a = &st.aging;
    Answer::Figures(vec![
        minor(&st.opening),
        i64::try_from(st.entries.len()).expect("count"),
        minor(&st.closing),
        minor(&a.over_90),
        [
            &a.current,
            &a.days_1_30,
            &a.days_31_60,
            &a.days_61_90,
            &a.over_90,
        ]
        .into_iter()
        .map(minor)
        .sum(),
    ])
}

async fn portal_invoice_page(s: &PortalSession, cursor: Option<&str>) -> Answer {
    let query = InvoiceQuery::new(s.today())
        .starting_after(cursor)
        .expect("cursor");
    let page = s.invoices().list(&query).await.expect("invoices");
    Answer::Ids(page.items.iter().map(|i| i.id.as_uuid()).collect())
}

type BoxAnswer<'a> = std::pin::Pin<Box<dyn Future<Output = Answer> + 'a>>;
/// One way to answer a call: the portal's or the baseline's, on one store.
type Call<'a> = Box<dyn FnMut() -> BoxAnswer<'a> + 'a>;

fn call<'a, F, Fut>(mut f: F) -> Call<'a>
where
    F: FnMut() -> Fut + 'a,
    Fut: Future<Output = Answer> + 'a,
{
    Box::new(move || Box::pin(f()))
}

/// Medians of the calls run in turn (one of each, again and again) for about
/// `budget`: the calls of both stores and both sides share every moment of the
/// run, so drift in the machine's speed does not fall on one of them. Each round
/// runs them in a new order: a pool hands out its idle connections in turn, so
/// in a fixed order the portal's call and its baseline would each keep to their
/// own connections (on PostgreSQL, their own server processes, plan caches and
/// CPUs), and one connection's state would fall on one side only.
async fn race(budget: Duration, calls: &mut [&mut Call<'_>]) -> Vec<Duration> {
    let mut order: Vec<usize> = (0..calls.len()).collect();
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut shuffle = |order: &mut Vec<usize>| {
        for i in (1..order.len()).rev() {
            // xorshift64: a fixed, cheap sequence is all an order needs.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let j = usize::try_from(seed % (i as u64 + 1)).expect("index");
            order.swap(i, j);
        }
    };
    for _ in 0..20 {
        shuffle(&mut order);
        for &i in &order {
            std::hint::black_box(calls[i]().await);
        }
    }
    let mut times = vec![Vec::new(); calls.len()];
    let started = Instant::now();
    while (started.elapsed() < budget || times[0].len() < 15) && times[0].len() < 20_000 {
        shuffle(&mut order);
        for &i in &order {
            let at = Instant::now();
            std::hint::black_box(calls[i]().await);
            times[i].push(at.elapsed());
        }
    }
    times.iter_mut().map(|t| median(t)).collect()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// What the calls of one store need: its baseline and the call arguments.
struct Context<'a, DB: Engine> {
    f: &'a Focal,
    base: Baseline<'a, DB>,
    today: Date,
    from: Date,
    to: Date,
    /// The cursor 900 invoices deep, and the baseline's key for it.
    cursor: Option<String>,
    deep: (i64, Uuid),
    hash: PasswordHash,
    hasher: PasswordHasherConfig,
    /// [`LIGHT_EMAIL`]'s hash.
    light_hash: PasswordHash,
}

const FIRST: (i64, Uuid) = (i64::MAX, Uuid::max());

impl<'a, DB: Engine> Context<'a, DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Reads what the calls need, and checks every portal answer equals its
    /// baseline's.
    async fn new(f: &'a Focal, pool: &'a Pool<DB>) -> Self {
        let s = &f.session;
        let today = s.today();
        let mut cursor: Option<String> = None;
        let mut query = InvoiceQuery::new(today);
        for _ in 0..45 {
            let page = s.invoices().list(&query).await.expect("page");
            cursor = page.next.clone();
            query = query.starting_after(cursor.as_deref()).expect("cursor");
        }
        let last = query.after.expect("deep cursor");
        let q = sqlx::query::<DB>(
            "SELECT password_hash FROM portal_contacts WHERE org_id = $1 AND email = $2",
        );
        let row = DB::bind(DB::bind(q, f.org), EMAIL)
            .fetch_one(pool)
            .await
            .expect("hash");
        let hash: String = DB::column(&row, "password_hash").expect("hash");
        let c = Self {
            f,
            base: Baseline {
                pool,
                org: f.org,
                customer: f.customer,
            },
            today,
            from: date!(2026 - 01 - 01),
            to: date!(2026 - 12 - 31),
            cursor,
            deep: (last.key, last.id),
            hash: PasswordHash::from_phc(hash),
            hasher: PasswordHasherConfig::new(HashingCost::default()).expect("hasher"),
            light_hash: light_contact(pool, f.org).await,
        };
        let (base, s) = (&c.base, &f.session);
        let checks: [(&str, Answer, Answer); 6] = [
            (
                "session",
                portal_session(f).await,
                base.session(&f.token).await,
            ),
            ("payments", portal_payments(s).await, base.payments().await),
            (
                "dashboard",
                portal_dashboard(s).await,
                base.dashboard(c.today).await,
            ),
            (
                "statement",
                portal_statement(s, c.from, c.to).await,
                base.statement(c.from, c.to).await,
            ),
            (
                "first page",
                portal_invoice_page(s, None).await,
                base.invoice_page(FIRST).await,
            ),
            (
                "deep page",
                portal_invoice_page(s, c.cursor.as_deref()).await,
                base.invoice_page(c.deep).await,
            ),
        ];
        for (call, portal, baseline) in checks {
            assert_eq!(portal, baseline, "{call}: the portal and the SQL disagree");
        }
        if std::env::var_os("PORTAL_SCALE_EXPLAIN").is_some() {
            c.base.explain(c.today, c.from, c.to).await;
        }
        c
    }

    /// Sign-in as `email`, and the verification of its `hash` alone.
    fn sign_in_and_verify(&'a self, email: &'static str, hash: &'a PasswordHash) -> [Call<'a>; 2] {
        let f = self.f;
        [
            call(move || async move {
                f.portal
                    .sign_in(
                        SLUG,
                        email,
                        PASSWORD,
                        &portal_core::auth::ClientKey::unknown(),
                    )
                    .await
                    .expect("sign in");
                Answer::Figures(vec![])
            }),
            call(move || async move {
                assert!(self.hasher.verify(PASSWORD, hash));
                Answer::Figures(vec![])
            }),
        ]
    }

    /// Sign-in as [`LIGHT_EMAIL`], then that contact's (cheap) verification alone:
    /// the difference is what sign-in costs besides hashing.
    fn light_sign_in(&'a self) -> [Call<'a>; 2] {
        self.sign_in_and_verify(LIGHT_EMAIL, &self.light_hash)
    }

    /// Each call: its name, how long to run it, the portal's way and the SQL's.
    fn calls(&'a self) -> Vec<(&'static str, Duration, Call<'a>, Call<'a>)> {
        let (f, base, s) = (self.f, &self.base, &self.f.session);
        let second = Duration::from_millis(1_000);
        let [sign_in, verify] = self.sign_in_and_verify(EMAIL, &self.hash);
        vec![
            (
                "session(token)",
                second,
                call(move || portal_session(f)),
                call(move || base.session(&f.token)),
            ),
            (
                "payments(None, 20)",
                second,
                call(move || portal_payments(s)),
                call(move || base.payments()),
            ),
            (
                "dashboard()",
                second,
                call(move || portal_dashboard(s)),
                call(move || base.dashboard(self.today)),
            ),
            (
                "statement(2026)",
                second,
                call(move || portal_statement(s, self.from, self.to)),
                call(move || base.statement(self.from, self.to)),
            ),
            (
                "invoices, first page",
                second,
                call(move || portal_invoice_page(s, None)),
                call(move || base.invoice_page(FIRST)),
            ),
            (
                "invoices, 900 deep",
                second,
                call(move || portal_invoice_page(s, self.cursor.as_deref())),
                call(move || base.invoice_page(self.deep)),
            ),
            // Sign-in against the one argon2id verification it cannot avoid. A call
            // takes about 12 ms and varies by a millisecond or two (more than the
            // reads, relative to the ratio asked of it), so its race runs long
            // enough for about 200 samples of each of the four calls.
            (
                "sign_in / argon2id verify",
                Duration::from_millis(10_000),
                sign_in,
                verify,
            ),
        ]
    }
}

/// The bench's threads on one CPU while this lives (`taskset -a`, Linux), back on
/// the CPUs they had when it drops. sqlx runs each SQLite connection on a thread
/// of its own, and every call hands its work to that thread and back: whether a
/// handoff wakes the other CPU or switches on the same one moved a 60 µs SQLite
/// call by up to 2x from run to run, and between the two stores of one run. On one
/// CPU every handoff is a switch, for the portal and its baseline alike. Without
/// `taskset` the bench says so and measures unpinned.
struct OneCpu {
    /// The CPUs the process could run on, as `taskset` reads them (`0-1`).
    before: Option<String>,
}

impl OneCpu {
    fn pin() -> Self {
        let before = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
                    .map(|cpus| cpus.trim().to_owned())
            });
        let first = before
            .as_deref()
            .and_then(|cpus| cpus.split([',', '-']).next())
            .map(str::to_owned);
        match first {
            Some(cpu) if Self::taskset(&cpu) => Self { before },
            _ => {
                println!("  (taskset is not available: measuring on every CPU)");
                Self { before: None }
            }
        }
    }

    /// Sets every thread of this process to `cpus`; whether that worked.
    fn taskset(cpus: &str) -> bool {
        std::process::Command::new("taskset")
            .args(["-a", "-p", "-c", cpus, &std::process::id().to_string()])
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for OneCpu {
    fn drop(&mut self) {
        if let Some(cpus) = &self.before {
            Self::taskset(cpus);
        }
    }
}

/// Each call's medians: portal and SQL on the small store, then on the big one.
type Timing = [Duration; 4];

async fn measure<DB: Engine>(
    small: &Context<'_, DB>,
    big: &Context<'_, DB>,
) -> Vec<(&'static str, Timing)>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let mut out = Vec::new();
    for ((name, budget, mut ps, mut bs), (_, _, mut pb, mut bb)) in
        small.calls().into_iter().zip(big.calls())
    {
        let t = race(budget, &mut [&mut ps, &mut bs, &mut pb, &mut bb]).await;
        out.push((name, [t[0], t[1], t[2], t[3]]));
    }
    out
}

/// Adds [`LIGHT_EMAIL`] to the focal customer, active, with an 8 KiB, one-pass
/// argon2id hash of [`PASSWORD`], and answers that hash.
async fn light_contact<DB: Engine>(pool: &Pool<DB>, org: Uuid) -> PasswordHash
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    use argon2::PasswordHasher as _;
    let params = argon2::Params::new(8, 1, 1, None).expect("params");
    let phc = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password(PASSWORD.as_bytes())
        .expect("light hash")
        .to_string();
    let q = sqlx::query::<DB>(
        "INSERT INTO portal_contacts (id, org_id, customer_id, first_name, last_name, email, \
         phone, is_primary, portal_status, role_id, password_hash, preferences, created_at, \
         deleted_at, version) SELECT $3, org_id, customer_id, first_name, last_name, $4, phone, \
         FALSE, portal_status, role_id, $5, preferences, created_at, deleted_at, version \
         FROM portal_contacts WHERE org_id = $1 AND email = $2",
    );
    let q = DB::bind(DB::bind(DB::bind(q, org), EMAIL), Uuid::now_v7());
    DB::bind(DB::bind(q, LIGHT_EMAIL), phc.clone())
        .execute(pool)
        .await
        .expect("light contact");
    PasswordHash::from_phc(phc)
}

/// Sign-in besides its hash, small store then big: the median light sign-in
/// minus the median light verification.
async fn sign_in_work<DB: Engine>(small: &Context<'_, DB>, big: &Context<'_, DB>) -> [Duration; 2]
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let [mut ps, mut vs] = small.light_sign_in();
    let [mut pb, mut vb] = big.light_sign_in();
    let t = race(
        Duration::from_millis(2_000),
        &mut [&mut ps, &mut vs, &mut pb, &mut vb],
    )
    .await;
    [t[0].saturating_sub(t[1]), t[2].saturating_sub(t[3])]
}

/// Pays 1.00 of `invoice` by card, through the portal.
async fn pay_by_card(
    session: &PortalSession,
    invoice: InvoiceId,
    idempotency_key: String,
) -> portal_core::Result<portal_core::domain::Payment> {
    session
        .invoices()
        .pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![invoice]),
            amount: Some(Money::from_minor_units(100, session.currency())),
            source: PaySource::Card(Box::new(CardDetails {
                number: portal_memory::cards::VISA_OK.into(),
                cvv: "314".into(),
                exp_month: 12,
                exp_year: 2030,
                holder: "Pat Payer".into(),
                billing_address: Address::default(),
                country: "US".into(),
            })),
            idempotency_key,
        })
        .await
}

/// Pay Now calls per second from `clients` concurrent clients, each paying 1.00 of
/// the same invoice, for `length`; then checks nothing was overcharged.
async fn pay_now_rate(f: &Focal, clients: usize, length: Duration) -> (f64, usize) {
    let balance_of = async || {
        let invoice = f
            .session
            .invoices()
            .get(f.pay_invoice)
            .await
            .expect("invoice");
        minor(&invoice.balance)
    };
    let before = balance_of().await;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let portal = f.portal.clone();
        let token = f.token.clone();
        let invoice = f.pay_invoice;
        tasks.push(tokio::spawn(async move {
            let session = portal.session(&token).await.expect("session");
            let (mut paid, mut refused) = (0_usize, 0_usize);
            let mut n = 0;
            while started.elapsed() < length {
                n += 1;
                let key = format!("scale-{client}-{n}-{}", Uuid::now_v7());
                match pay_by_card(&session, invoice, key).await {
                    Ok(_) => paid += 1,
                    Err(_) => refused += 1,
                }
            }
            (paid, refused)
        }));
    }
    let (mut paid, mut refused) = (0, 0);
    for t in tasks {
        let (p, r) = t.await.expect("client");
        paid += p;
        refused += r;
    }
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(
        before - balance_of().await,
        i64::try_from(paid * 100).expect("paid"),
        "every recorded payment, and nothing more, came off the balance"
    );
    (paid as f64 / seconds, refused)
}

struct Report {
    engine: &'static str,
    timings: Vec<(&'static str, Timing)>,
    /// Sign-in besides its hash, small and big store.
    sign_in_work: [Duration; 2],
    pay_now: Vec<(usize, f64, usize)>,
}

/// The small store (the customer alone) and the big one (the customer, then the
/// bulk load), opened side by side, measured together.
async fn run<DB: Engine>(
    engine: &'static str,
    open: impl AsyncFn(&str) -> SqlStore<DB>,
    bulk: &Bulk,
    invoices: usize,
) -> Report
where
    SqlStore<DB>: Backend,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    println!("{engine}: the customer's 1 000 invoices and 667 payments, through the portal");
    let started = Instant::now();
    let small_store = open("small").await;
    let small = focal(Arc::new(small_store.clone())).await;
    let big_store = open("big").await;
    let big = focal(Arc::new(big_store.clone())).await;
    println!("  made twice in {:.1} s", started.elapsed().as_secs_f64());
    bulk_load(big_store.pool(), bulk, &big, invoices).await;
    settle(small_store.pool(), bulk).await;
    // Restarted apps over both databases (so that both had their statistics
    // gathered the same way, when their pools opened).
    let reopen = async |f: &mut Focal, name: &str| {
        let store = open(name).await;
        f.portal = portal_over(Arc::new(store.clone()), Arc::new(RecordingMailer::new()));
        f.session = f.portal.session(&f.token).await.expect("session");
        store
    };
    let (mut small, mut big) = (small, big);
    let small_store = reopen(&mut small, "small").await;
    let big_store = reopen(&mut big, "big").await;
    let small_context = Context::new(&small, small_store.pool()).await;
    let big_context = Context::new(&big, big_store.pool()).await;
    let pinned = OneCpu::pin();
    let timings = measure(&small_context, &big_context).await;
    let sign_in_work = sign_in_work(&small_context, &big_context).await;
    // Pay Now runs its clients on every CPU.
    drop(pinned);
    let mut pay_now = Vec::new();
    for clients in [8, 32] {
        // The median of three rounds.
        let mut rounds = Vec::new();
        for _ in 0..3 {
            rounds.push(pay_now_rate(&big, clients, Duration::from_secs(3)).await);
        }
        rounds.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (rate, refused) = rounds[1];
        pay_now.push((clients, rate, refused));
    }
    Report {
        engine,
        timings,
        sign_in_work,
        pay_now,
    }
}

fn print(reports: &[Report]) {
    println!();
    println!(
        "| call | engine | portal small | SQL small | portal / SQL small | portal big | SQL big | portal / SQL big | big / small |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let us = |d: Duration| format!("{:.0} µs", d.as_secs_f64() * 1e6);
    let ratio = |a: Duration, b: Duration| format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64());
    for r in reports {
        for (call, [ps, bs, pb, bb]) in &r.timings {
            println!(
                "| {call} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.engine,
                us(*ps),
                us(*bs),
                ratio(*ps, *bs),
                us(*pb),
                us(*bb),
                ratio(*pb, *bb),
                ratio(*pb, *ps),
            );
        }
    }
    println!();
    println!(
        "| engine | sign-in besides the hash, small | big | of one argon2id verify (big, SQL column above) |"
    );
    println!("|---|---|---|---|");
    for r in reports {
        let verify = r
            .timings
            .iter()
            .find(|(call, _)| call.starts_with("sign_in"))
            .map(|(_, t)| t[3]);
        let [small, big] = r.sign_in_work;
        let share = verify.map_or_else(String::new, |v| {
            format!("{:.1} %", 100.0 * big.as_secs_f64() / v.as_secs_f64())
        });
        println!("| {} | {} | {} | {share} |", r.engine, us(small), us(big));
    }
    println!();
    println!("| engine | concurrent clients | Pay Now on one invoice, payments/s | refused |");
    println!("|---|---|---|---|");
    for r in reports {
        for (clients, rate, refused) in &r.pay_now {
            println!("| {} | {clients} | {rate:.0} | {refused} |", r.engine);
        }
    }
}

fn main() {
    let invoices: usize = std::env::var("PORTAL_SCALE_INVOICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = std::env::temp_dir().join(format!("portal-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut reports = Vec::new();
    rt.block_on(async {
        let sqlite = async |name: &str| {
            let url = format!("sqlite://{}", dir.join(format!("{name}.db")).display());
            let s = SqliteStore::connect(&url).await.expect("sqlite");
            s.migrate().await.expect("migrate");
            s
        };
        // `PORTAL_SCALE_ENGINES=postgres` (or `sqlite`) measures one engine only.
        let engines = std::env::var("PORTAL_SCALE_ENGINES").unwrap_or_default();
        if engines.is_empty() || engines.contains("sqlite") {
            reports.push(run("SQLite", sqlite, &LITE_BULK, invoices).await);
            // Deleted now, so that writing back its pages does not compete with
            // the PostgreSQL measurement.
            let _ = std::fs::remove_dir_all(&dir);
        }
        if !engines.is_empty() && !engines.contains("postgres") {
            return;
        }
        let Ok(url) = std::env::var("DATABASE_URL") else {
            println!(
                "DATABASE_URL is not set: PostgreSQL is not measured (run through scripts/with-postgres)"
            );
            return;
        };
        let base: PgConnectOptions = url.parse().expect("DATABASE_URL");
        let admin = PostgresStore::connect_with(base.clone())
            .await
            .expect("postgres");
        for name in ["small", "big"] {
            admin
                .pool()
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS scale_{name} CASCADE; CREATE SCHEMA scale_{name}"
                )))
                .await
                .expect("schema");
        }
        let postgres = async |name: &str| {
            let schema = format!("scale_{name}");
            let options = base.clone().options([("search_path", schema.as_str())]);
            let s = PostgresStore::connect_with(options)
                .await
                .expect("postgres");
            s.migrate().await.expect("migrate");
            s
        };
        reports.push(run("PostgreSQL", postgres, &PG_BULK, invoices).await);
    });
    let _ = std::fs::remove_dir_all(&dir);
    print(&reports);
}
