//! Making the big store: every other customer's rows, loaded in bulk by each
//! engine, and the statistics gathered after.

use super::*;

/// How an engine makes the big store out of the focal customer's rows.
pub(crate) struct Bulk {
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
pub(crate) const PG_BULK: Bulk = Bulk {
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
        // Statistics of the loaded rows before their keys are checked for
        // every allocation: the checks' plans, made with statistics of the
        // focal customer alone, could take a bulk organization for a small one
        // and read all its invoices through an index led by `org_id` for each
        // allocation (a load of minutes ran for more than ten). A store that
        // grows a row at a time is analyzed as it grows.
        "ANALYZE portal_orgs, portal_customers, portal_invoices, portal_payments",
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
pub(crate) const LITE_BULK: Bulk = Bulk {
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

pub(crate) async fn bulk_load<DB: Engine>(
    pool: &Pool<DB>,
    bulk: &Bulk,
    focal: &Focal,
    invoices: usize,
) where
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

pub(crate) async fn settle<DB: Engine>(pool: &Pool<DB>, bulk: &Bulk)
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
