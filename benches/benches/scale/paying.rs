//! Pay Now against the same writes made by hand: what the database alone costs for
//! one card payment of 1.00, so that the portal's rate has a floor beside it.

use super::*;

/// PostgreSQL's start by hand: reserve 1.00 of the invoice if that much is neither
/// paid nor held, and store the attempt with its hold, in one statement that
/// commits on its own (no round trip while the invoice's row is locked).
const PG_START: &str = "WITH i AS (UPDATE portal_invoices SET reserved_minor = reserved_minor + $4, \
     version = version + 1 WHERE org_id = $1 AND id = $3 AND status IN ('sent', 'partially_paid') \
     AND balance_minor - reserved_minor >= $4 RETURNING id) \
     INSERT INTO portal_payment_attempts (id, org_id, customer_id, idempotency_key, fingerprint, \
     currency, amount_minor, invoices, gateway, status, created_at, contact_id, holds) \
     SELECT $5, $1, $2, $6, $7, $8, $4, $9, 'test', 'pending', $10, $11, $12 FROM i";
/// PostgreSQL's record by hand, likewise one statement: the attempt succeeded, the
/// invoice settled and its hold released, the payment, its allocation, the receipt
/// email and the activity entry.
const PG_RECORD: &str = "WITH a AS (UPDATE portal_payment_attempts SET status = 'succeeded', \
     payment_id = $4 WHERE org_id = $1 AND id = $3 AND status = 'pending' RETURNING id), \
     i AS (UPDATE portal_invoices SET paid_minor = paid_minor + $6, balance_minor = balance_minor - $6, \
     reserved_minor = reserved_minor - $6, \
     status = CASE WHEN balance_minor = $6 THEN 'paid' ELSE 'partially_paid' END, version = version + 1 \
     WHERE org_id = $1 AND id = $5 AND balance_minor >= $6 AND reserved_minor >= $6 \
     AND EXISTS (SELECT 1 FROM a) RETURNING id), \
     p AS (INSERT INTO portal_payments (id, org_id, customer_id, receipt_number, currency, amount_minor, \
     unapplied_minor, method, reference, paid_at, paid_on) \
     SELECT $4, $1, $2, $7, $8, $6, 0, $9, $10, $11, $12 FROM i RETURNING id), \
     al AS (INSERT INTO portal_payment_allocations (payment_id, invoice_id, org_id, customer_id, position, \
     amount_minor) SELECT id, $5, $1, $2, 0, $6 FROM p), \
     e AS (INSERT INTO portal_outbox (id, org_id, kind, recipient, subject, body, status, attempts, \
     next_attempt_at, created_at, attachment) \
     SELECT $13, $1, 'customer_notification', $14, $15, $16, 'pending', 0, $11, $11, $17 FROM p), \
     ac AS (INSERT INTO portal_activity (id, org_id, customer_id, contact_id, event, subject_kind, \
     subject_id, summary, at) SELECT $18, $1, $2, $19, 'paid', 'payment', $4, $20, $11 FROM p) \
     SELECT id FROM p";

/// SQLite's statements by hand, each step in a write transaction of its own.
const LITE_RESERVE: &str = "UPDATE portal_invoices SET reserved_minor = reserved_minor + $3, \
     version = version + 1 WHERE org_id = $1 AND id = $2 AND status IN ('sent', 'partially_paid') \
     AND balance_minor - reserved_minor >= $3";
const LITE_ATTEMPT: &str = "INSERT INTO portal_payment_attempts (id, org_id, customer_id, \
     idempotency_key, fingerprint, currency, amount_minor, invoices, gateway, status, created_at, \
     contact_id, holds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'test', 'pending', $9, $10, $11)";
const LITE_SUCCEED: &str = "UPDATE portal_payment_attempts SET status = 'succeeded', payment_id = $3 \
     WHERE org_id = $1 AND id = $2 AND status = 'pending'";
const LITE_SETTLE: &str = "UPDATE portal_invoices SET paid_minor = paid_minor + $3, \
     balance_minor = balance_minor - $3, reserved_minor = reserved_minor - $3, \
     status = CASE WHEN balance_minor = $3 THEN 'paid' ELSE 'partially_paid' END, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND balance_minor >= $3 AND reserved_minor >= $3";
const LITE_PAYMENT: &str = "INSERT INTO portal_payments (id, org_id, customer_id, receipt_number, \
     currency, amount_minor, unapplied_minor, method, reference, paid_at, paid_on) \
     VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10)";
const LITE_ALLOCATION: &str = "INSERT INTO portal_payment_allocations (payment_id, invoice_id, \
     org_id, customer_id, position, amount_minor) VALUES ($1, $2, $3, $4, 0, $5)";
const LITE_EMAIL: &str = "INSERT INTO portal_outbox (id, org_id, kind, recipient, subject, body, \
     status, attempts, next_attempt_at, created_at, attachment) \
     VALUES ($1, $2, 'customer_notification', $3, $4, $5, 'pending', 0, $6, $6, $7)";
const LITE_ACTIVITY: &str = "INSERT INTO portal_activity (id, org_id, customer_id, contact_id, event, \
     subject_kind, subject_id, summary, at) VALUES ($1, $2, $3, $4, 'paid', 'payment', $5, $6, $7)";

/// One payment's writes by hand: PostgreSQL's two self-committing statements;
/// SQLite's two write transactions on one connection at a time (writers queue
/// in the process, as SQLite allows one writer), each committed with
/// `synchronous = FULL` (SQLite's own durable commit).
pub(crate) struct HandPay<DB: Engine> {
    pool: Pool<DB>,
    /// SQLite's writers queue here instead of in SQLite's busy handler.
    writer: tokio::sync::Mutex<()>,
    org: Uuid,
    customer: Uuid,
    contact: Uuid,
    invoice: Uuid,
    currency: &'static str,
}

const AMOUNT: i64 = 100;

impl<DB: Engine> HandPay<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn new(f: &Focal, pool: &Pool<DB>) -> Self {
        Self {
            pool: pool.clone(),
            writer: tokio::sync::Mutex::new(()),
            org: f.org,
            customer: f.customer,
            contact: f.session.contact_id().as_uuid(),
            invoice: f.pay_invoice.as_uuid(),
            currency: f.session.currency().code(),
        }
    }

    /// Pays 1.00 of the invoice: `false` when nothing was free to reserve.
    async fn pay_by_hand(&self, key: String) -> bool {
        let attempt = Uuid::now_v7();
        let payment = Uuid::now_v7();
        let at = OffsetDateTime::now_utc();
        let now = || DB::ts_to_db(at);
        let holds =
            Json(serde_json::json!([{ "invoice_id": self.invoice, "amount_minor": AMOUNT }]));
        let invoices = Json(serde_json::json!([self.invoice]));
        let method = Json(serde_json::json!({ "type": "card", "brand": "visa", "last4": "4242" }));
        let attachment = Json(
            serde_json::json!({ "id": payment, "kind": "receipt", "customer": self.customer }),
        );
        let receipt = format!("R-{}", &payment.simple().to_string()[22..]);
        let today = days(at.date());
        let subject = format!("Receipt {receipt} from Acme");
        let body = format!(
            "Thank you. Acme received 1.00 {} for your invoice. Your receipt {receipt} is attached.\n",
            self.currency
        );
        let summary = "Pat Payer paid 1.00".to_owned();
        // Binds the values in order to the statement.
        macro_rules! query {
            ($sql:expr $(, $v:expr)* $(,)?) => {{
                let q = sqlx::query::<DB>($sql);
                $(let q = DB::bind(q, $v);)*
                q
            }};
        }
        let (org, customer, contact, invoice) =
            (self.org, self.customer, self.contact, self.invoice);
        if DB::ONE_CALL_COMMITS {
            let started = query!(
                PG_START,
                org,
                customer,
                invoice,
                AMOUNT,
                attempt,
                key,
                "hand",
                self.currency,
                invoices,
                now(),
                contact,
                holds,
            )
            .execute(&self.pool)
            .await
            .expect("start by hand");
            if started.rows_affected() != 1 {
                return false;
            }
            let recorded = query!(
                PG_RECORD,
                org,
                customer,
                attempt,
                payment,
                invoice,
                AMOUNT,
                receipt,
                self.currency,
                method,
                "ch_hand",
                now(),
                today,
                Uuid::now_v7(),
                EMAIL,
                subject,
                body,
                attachment,
                Uuid::now_v7(),
                contact,
                summary,
            )
            .fetch_optional(&self.pool)
            .await
            .expect("record by hand");
            assert!(recorded.is_some(), "recorded by hand");
            return true;
        }
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with(DB::BEGIN).await.expect("begin");
        let reserved = query!(LITE_RESERVE, org, invoice, AMOUNT)
            .execute(&mut *tx)
            .await
            .expect("reserve by hand");
        if reserved.rows_affected() != 1 {
            return false;
        }
        query!(
            LITE_ATTEMPT,
            attempt,
            org,
            customer,
            key,
            "hand",
            self.currency,
            AMOUNT,
            invoices,
            now(),
            contact,
            holds,
        )
        .execute(&mut *tx)
        .await
        .expect("attempt by hand");
        tx.commit().await.expect("commit the start");
        let mut tx = self.pool.begin_with(DB::BEGIN).await.expect("begin");
        let one = |done: DB::QueryResult, what: &str| {
            assert_eq!(done.rows_affected(), 1, "{what} by hand");
        };
        one(
            query!(LITE_SETTLE, org, invoice, AMOUNT)
                .execute(&mut *tx)
                .await
                .expect("settle"),
            "invoice",
        );
        query!(
            LITE_PAYMENT,
            payment,
            org,
            customer,
            receipt,
            self.currency,
            AMOUNT,
            method,
            "ch_hand",
            now(),
            today,
        )
        .execute(&mut *tx)
        .await
        .expect("payment by hand");
        // The payment before the attempt that names it (SQLite checks that key at once).
        one(
            query!(LITE_SUCCEED, org, attempt, payment)
                .execute(&mut *tx)
                .await
                .expect("succeed"),
            "attempt",
        );
        query!(LITE_ALLOCATION, payment, invoice, org, customer, AMOUNT)
            .execute(&mut *tx)
            .await
            .expect("allocation by hand");
        query!(
            LITE_EMAIL,
            Uuid::now_v7(),
            org,
            EMAIL,
            subject,
            body,
            now(),
            attachment
        )
        .execute(&mut *tx)
        .await
        .expect("email by hand");
        query!(
            LITE_ACTIVITY,
            Uuid::now_v7(),
            org,
            customer,
            contact,
            payment,
            summary,
            now()
        )
        .execute(&mut *tx)
        .await
        .expect("activity by hand");
        tx.commit().await.expect("commit the record");
        true
    }
}

impl<DB: Engine> Payer for Arc<HandPay<DB>>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn pay(&self, idempotency_key: String) -> bool {
        self.pay_by_hand(idempotency_key).await
    }
}

/// Payments per second from `clients` concurrent clients paying 1.00 of the
/// invoice by hand for `length` (sharing one pool, as the portal's clients do);
/// checks that exactly what was paid came off the balance and that each payment
/// has its row.
pub(crate) async fn hand_pay_rate<DB: Engine>(
    hand: &Arc<HandPay<DB>>,
    clients: usize,
    length: Duration,
) -> (f64, usize)
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let figures = async || {
        let q = DB::bind(sqlx::query::<DB>(HAND_FIGURES), hand.org);
        let row = DB::bind(DB::bind(q, hand.customer), hand.invoice)
            .fetch_one(&hand.pool)
            .await
            .expect("figures");
        (
            DB::column_at::<i64>(&row, 0).expect("balance"),
            DB::column_at::<i64>(&row, 1).expect("payments"),
        )
    };
    let before = figures().await;
    let (paid, refused, seconds) = pay_concurrently(vec![hand.clone(); clients], length).await;
    let after = figures().await;
    let paid_i64 = i64::try_from(paid).expect("paid");
    assert_eq!(
        before.0 - after.0,
        paid_i64 * AMOUNT,
        "what was paid by hand came off the balance"
    );
    assert_eq!(
        after.1 - before.1,
        paid_i64,
        "each payment by hand has its row"
    );
    (paid as f64 / seconds, refused)
}

/// The invoice's balance and the customer's number of payments.
const HAND_FIGURES: &str = "SELECT (SELECT balance_minor FROM portal_invoices WHERE org_id = $1 AND id = $3), \
     (SELECT COUNT(*) FROM portal_payments WHERE org_id = $1 AND customer_id = $2)";
