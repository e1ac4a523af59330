//! The money stores (H1, I1–I11, D1): invoices, payments and their attempts,
//! credits, refunds, saved payment methods, the statement and the dashboard. Plain
//! Rust over either engine.

use crate::shared::settle_err;
use async_trait::async_trait;
use portal_core::domain::{
    Allocation, AttemptId, AttemptStatus, ContactId, Currency, Cursor, CustomerId, FailureCode,
    Invoice, InvoiceId, OrgId, Page, Payable, Payment, PaymentAttempt, PaymentId, PaymentMethod,
    Reservable, allocate_payment,
};
use portal_core::domain::{AttemptProgress, AttemptStage, Notice};
use portal_core::store::{
    AttemptStart, Entity, FailureNotice, PaymentRecording, PaymentStore, Rule, StoreError,
    StoreResult,
};
use sqlx::Executor;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::documents::SqlDocument as _;
use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db, violates_not_null};
use crate::shared::{
    activity_json, at, currency_of, email_json, get, insert_email, insert_notice,
    live_customer_currency, minor, money,
};
use crate::sql::common as q;

/// What a Pay Now attempt holds on one invoice: an element of the attempt's
/// `holds` JSON array.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub(crate) struct Hold {
    pub(crate) invoice_id: Uuid,
    pub(crate) amount_minor: i64,
}

impl Hold {
    pub(crate) fn allocation(self, currency: Currency) -> Allocation {
        Allocation {
            invoice: InvoiceId::from_uuid(self.invoice_id),
            amount: money(self.amount_minor, currency),
        }
    }
}

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) fn payment_from(
        row: &DB::Row,
        allocations: Vec<Allocation>,
    ) -> StoreResult<Payment> {
        let currency = currency_of(row)?;
        Ok(Payment {
            id: PaymentId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            receipt_number: get(row, "receipt_number")?,
            amount: money(get(row, "amount_minor")?, currency),
            allocations,
            unapplied: money(get(row, "unapplied_minor")?, currency),
            method: get::<_, Json<PaymentMethod>>(row, "method")?.0,
            reference: get(row, "reference")?,
            paid_at: at(row, "paid_at")?,
        })
    }

    pub(crate) fn attempt_from(row: &DB::Row) -> StoreResult<PaymentAttempt> {
        let currency = currency_of(row)?;
        let status: String = get(row, "status")?;
        let status = match status.as_str() {
            "pending" => AttemptStatus::Pending,
            "succeeded" => AttemptStatus::Succeeded {
                payment: PaymentId::from_uuid(
                    get::<_, Option<Uuid>>(row, "payment_id")?
                        .ok_or_else(|| corrupt("attempt payment", "missing"))?,
                ),
            },
            "failed" => AttemptStatus::Failed {
                code: FailureCode::from_stored(
                    &get::<_, Option<String>>(row, "failure_code")?.unwrap_or_default(),
                ),
                message: get::<_, Option<String>>(row, "failure_message")?.unwrap_or_default(),
            },
            other => return Err(corrupt("attempt status", other)),
        };
        Ok(PaymentAttempt {
            id: AttemptId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            contact: get::<_, Option<Uuid>>(row, "contact_id")?.map(ContactId::from_uuid),
            idempotency_key: get(row, "idempotency_key")?,
            fingerprint: get(row, "fingerprint")?,
            amount: money(get(row, "amount_minor")?, currency),
            invoices: get::<_, Json<Vec<InvoiceId>>>(row, "invoices")?.0,
            gateway: get(row, "gateway")?,
            status,
            created_at: at(row, "created_at")?,
            progress: Self::progress_from(row)?,
        })
    }

    /// What the gateway answered of a pending attempt that is not settled yet.
    fn progress_from(row: &DB::Row) -> StoreResult<Option<AttemptProgress>> {
        let Some(stage) = get::<_, Option<String>>(row, "stage")? else {
            return Ok(None);
        };
        let stage =
            AttemptStage::from_stored(&stage).ok_or_else(|| corrupt("attempt stage", &stage))?;
        Ok(Some(AttemptProgress {
            stage,
            reference: get::<_, Option<String>>(row, "gateway_ref")?.unwrap_or_default(),
            since: crate::shared::opt_at(row, "staged_at")?
                .ok_or_else(|| corrupt("attempt stage time", "missing"))?,
        }))
    }

    /// Payments from rows of a payment joined with its allocations (`a_invoice_id`,
    /// `a_amount_minor`, NULL for a payment without any), one row per allocation,
    /// each payment's rows together.
    pub(crate) fn payments_from(rows: &[DB::Row]) -> StoreResult<Vec<Payment>> {
        let mut out: Vec<Payment> = Vec::new();
        for row in rows {
            let id = PaymentId::from_uuid(get(row, "id")?);
            if out.last().is_none_or(|p| p.id != id) {
                out.push(Self::payment_from(row, Vec::new())?);
            }
            let payment = out.last_mut().ok_or_else(|| corrupt("payment", "no row"))?;
            if let Some(invoice) = get::<_, Option<Uuid>>(row, "a_invoice_id")? {
                payment.allocations.push(Allocation {
                    invoice: InvoiceId::from_uuid(invoice),
                    amount: money(get(row, "a_amount_minor")?, payment.amount.currency()),
                });
            }
        }
        Ok(out)
    }

    /// Reads and locks the customer's sent invoices among `ids`, in id order so that
    /// two transactions never deadlock; ids that are not the customer's are skipped.
    pub(crate) async fn lock_customer_invoices(
        conn: &mut DB::Connection,
        (org, customer): (OrgId, CustomerId),
        ids: &[InvoiceId],
    ) -> StoreResult<Vec<Invoice>> {
        let mut targets = ids.to_vec();
        targets.sort();
        targets.dedup();
        let mut invoices = Vec::with_capacity(targets.len());
        for id in targets {
            let row = sqlx::query::<DB>(DB::LOCK_CUSTOMER_INVOICE)
                .arg(org.as_uuid())
                .arg(customer.as_uuid())
                .arg(id.as_uuid())
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
            if let Some(row) = row {
                invoices.push(Invoice::from_row::<DB>(&row)?);
            }
        }
        Ok(invoices)
    }

    /// Records a payment of any number of invoices, reading and locking them
    /// all: offline payments, several invoices, and what the one-invoice path
    /// leaves (an excess, an invoice no longer payable).
    async fn record_many(&self, r: &PaymentRecording) -> StoreResult<Payment> {
        let mut tx = self.begin().await?;
        let currency = Self::start_recording(&mut tx, r).await?;
        let mut invoices =
            Self::lock_customer_invoices(&mut tx, (r.org, r.customer), &r.invoices).await?;
        let holds: Vec<Allocation> = match r.attempt {
            // The attempt's invoices are locked above, in id order.
            Some(attempt) => Self::release_holds(&mut tx, r.org, attempt)
                .await?
                .into_iter()
                .map(|h| h.allocation(currency))
                .collect(),
            None => Vec::new(),
        };
        // What other attempts hold: each invoice's reservation (read under its lock,
        // before this attempt's holds were given back) less this attempt's own.
        let reservables = invoices
            .iter()
            .map(|i| {
                let own: i64 = holds
                    .iter()
                    .filter(|h| h.invoice == i.id)
                    .map(|h| minor(h.amount))
                    .sum::<StoreResult<i64>>()?;
                Ok(Reservable {
                    payable: Payable::of(i),
                    reserved: money(minor(i.reserved)? - own, currency),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let (allocations, unapplied) = allocate_payment(r.amount, &reservables, &holds)
            .map_err(|e| corrupt("allocation", e))?;
        Self::insert_payment_row(&mut tx, r, unapplied).await?;
        for (position, a) in allocations.iter().enumerate() {
            let invoice = invoices
                .iter_mut()
                .find(|i| i.id == a.invoice)
                .ok_or(StoreError::NotFound(Entity::Invoice))?;
            invoice.settle(a.amount, false).map_err(settle_err)?;
            Self::settle_row(&mut tx, invoice).await?;
            Self::insert_allocation(&mut tx, r, position, a).await?;
        }
        if let Some(attempt) = r.attempt {
            Self::succeed_attempt(&mut tx, r, attempt).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(r.payment(allocations, unapplied))
    }

    /// What every recording does first, none of it depending on the invoices'
    /// balances (so before their row locks): the customer is live and pays in the
    /// payment's currency, the attempt (if any) is still pending, and the emails and
    /// the activity row are stored. Answers the currency.
    async fn start_recording(
        conn: &mut DB::Connection,
        r: &PaymentRecording,
    ) -> StoreResult<portal_core::domain::Currency> {
        let currency = live_customer_currency::<DB>(&mut *conn, r.org, r.customer).await?;
        if r.amount.currency() != currency {
            return Err(StoreError::Conflict(Rule::PaymentCurrency));
        }
        if let Some(attempt) = r.attempt {
            Self::check_pending(&mut *conn, r, attempt).await?;
        }
        for email in &r.emails {
            insert_email::<DB>(&mut *conn, email).await?;
        }
        if let Some(n) = &r.notice {
            insert_notice::<DB>(&mut *conn, n).await?;
        }
        Ok(currency)
    }

    /// The status of attempt `id`, after a conditional change of it matched no row.
    async fn attempt_status(&self, org: OrgId, id: AttemptId) -> StoreResult<Option<String>> {
        sqlx::query::<DB>(q::ATTEMPT_EXISTS)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .map(|row| get::<_, String>(&row, "status"))
            .transpose()
    }

    /// Marks the attempt succeeded with the recorded payment.
    async fn succeed_attempt(
        conn: &mut DB::Connection,
        r: &PaymentRecording,
        attempt: AttemptId,
    ) -> StoreResult<()> {
        sqlx::query::<DB>(q::SUCCEED_ATTEMPT)
            .arg(attempt.as_uuid())
            .arg(r.id.as_uuid())
            .arg(r.org.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// `Conflict(PaymentAttempt)` unless the attempt is pending; it stays locked
    /// (on PostgreSQL) until the transaction ends, so one recording wins.
    async fn check_pending(
        conn: &mut DB::Connection,
        r: &PaymentRecording,
        attempt: AttemptId,
    ) -> StoreResult<()> {
        let row = sqlx::query::<DB>(DB::LOCK_ATTEMPT)
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(attempt.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::PaymentAttempt))?;
        if Self::attempt_from(&row)?.status != AttemptStatus::Pending {
            return Err(StoreError::Conflict(Rule::PaymentAttempt));
        }
        Ok(())
    }

    async fn insert_payment_row(
        conn: &mut DB::Connection,
        r: &PaymentRecording,
        unapplied: portal_core::domain::Money,
    ) -> StoreResult<()> {
        sqlx::query::<DB>(q::INSERT_PAYMENT)
            .arg(r.id.as_uuid())
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(r.receipt_number.as_str())
            .arg(r.amount.currency().code())
            .arg(minor(r.amount)?)
            .arg(minor(unapplied)?)
            .arg(Json(&r.method))
            .arg(r.reference.as_deref())
            .arg(DB::ts_to_db(r.paid_at))
            .arg(portal_core::domain::day_of(r.paid_at))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn insert_allocation(
        conn: &mut DB::Connection,
        r: &PaymentRecording,
        position: usize,
        a: &Allocation,
    ) -> StoreResult<()> {
        sqlx::query::<DB>(q::INSERT_ALLOCATION)
            .arg(r.id.as_uuid())
            .arg(a.invoice.as_uuid())
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(i64::try_from(position).unwrap_or(i64::MAX))
            .arg(minor(a.amount)?)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Records a Pay Now payment of one invoice in the engine's one call
    /// ([`Engine::RECORD_ONE`]): the attempt's outcome, the invoice settled with
    /// its reservation given back, the payment, its allocation, the emails and
    /// the activity, or nothing. `None` when nothing was recorded (the invoice
    /// owes less than the payment now, or is no longer payable, or the attempt
    /// no longer pending): [`Self::record_many`] then records it with the excess
    /// as credit, or says why not.
    ///
    /// Like [`Self::start_one`] it commits where [`crate::engine::Flush`] says,
    /// and is durable when it returns: the customer is told of a payment that is.
    async fn record_one(
        &self,
        r: &PaymentRecording,
        invoice: InvoiceId,
        attempt: AttemptId,
    ) -> StoreResult<Option<Payment>> {
        let recorded = self.record_one_unflushed(r, invoice, attempt).await?;
        self.flushed(recorded).await
    }

    /// [`Self::record_one`] up to its commit.
    async fn record_one_unflushed(
        &self,
        r: &PaymentRecording,
        invoice: InvoiceId,
        attempt: AttemptId,
    ) -> StoreResult<Option<Payment>> {
        if DB::ONE_CALL_COMMITS {
            self.record_one_statement(r, invoice, attempt).await
        } else {
            self.record_one_script(r, invoice, attempt).await
        }
    }

    /// [`Self::record_one`] as one script run in a write transaction (SQLite):
    /// [`Engine::RECORD_ONE`], then the emails and the activity row, each
    /// statement running only if the one before recorded its row.
    #[cfg(feature = "sqlite")]
    async fn record_one_script(
        &self,
        r: &PaymentRecording,
        invoice: InvoiceId,
        attempt: AttemptId,
    ) -> StoreResult<Option<Payment>> {
        use crate::shared::{bind_activity, bind_email};
        use crate::sql::sqlite::{RECORD_ONE_HEAD_ARGS, RECORD_ONE_TAIL, chained_inserts};
        use portal_core::domain::OutboxEmail;
        let emails: Vec<&OutboxEmail> = r
            .emails
            .iter()
            .chain(r.notice.as_ref().and_then(|n| n.email.as_ref()))
            .collect();
        let activity = r.notice.as_ref().map(|n| &n.activity);
        let script = format!(
            "{}{}{RECORD_ONE_TAIL}",
            DB::RECORD_ONE,
            chained_inserts(RECORD_ONE_HEAD_ARGS, emails.len(), activity.is_some())
        );
        let invoice_text = invoice.as_uuid().to_string();
        // The script is the head's constant text and inserts built from
        // constant column lists; every value is bound.
        let mut query = sqlx::query::<DB>(sqlx::AssertSqlSafe(script))
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(invoice.as_uuid())
            .arg(attempt.as_uuid())
            .arg(r.id.as_uuid())
            .arg(r.receipt_number.as_str())
            .arg(r.amount.currency().code())
            .arg(minor(r.amount)?)
            .arg(Json(&r.method))
            .arg(r.reference.as_deref())
            .arg(DB::ts_to_db(r.paid_at))
            .arg(portal_core::domain::day_of(r.paid_at))
            .arg(invoice_text.as_str());
        for email in &emails {
            query = bind_email(query, email);
        }
        if let Some(activity) = activity {
            query = bind_activity(query, activity);
        }
        if self.write_pay_now(query).await?.map_err(db)?.is_none() {
            // The attempt or the invoice did not qualify: whatever changed is
            // undone, and the general path records the payment or says why not.
            return Ok(None);
        }
        let allocation = Allocation {
            invoice,
            amount: r.amount,
        };
        let unapplied = portal_core::domain::Money::zero(r.amount.currency());
        Ok(Some(r.payment(vec![allocation], unapplied)))
    }

    /// Without SQLite there is no script to run.
    #[cfg(not(feature = "sqlite"))]
    async fn record_one_script(
        &self,
        _: &PaymentRecording,
        _: InvoiceId,
        _: AttemptId,
    ) -> StoreResult<Option<Payment>> {
        unreachable!("only SQLite records by script")
    }

    /// [`Self::record_one`] in the engine's one statement ([`Engine::RECORD_ONE`]),
    /// committed on its own (PostgreSQL).
    async fn record_one_statement(
        &self,
        r: &PaymentRecording,
        invoice: InvoiceId,
        attempt: AttemptId,
    ) -> StoreResult<Option<Payment>> {
        let emails = r
            .emails
            .iter()
            .chain(r.notice.as_ref().and_then(|n| n.email.as_ref()))
            .map(email_json)
            .collect::<Vec<_>>();
        let activity = r
            .notice
            .as_ref()
            .map(|n| activity_json(&n.activity))
            .into_iter()
            .collect::<Vec<_>>();
        let recorded = sqlx::query::<DB>(DB::RECORD_ONE)
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(invoice.as_uuid())
            .arg(attempt.as_uuid())
            .arg(r.id.as_uuid())
            .arg(r.receipt_number.as_str())
            .arg(r.amount.currency().code())
            .arg(minor(r.amount)?)
            .arg(Json(&r.method))
            .arg(r.reference.as_deref())
            .arg(DB::ts_to_db(r.paid_at))
            .arg(portal_core::domain::day_of(r.paid_at))
            .arg(Json(emails))
            .arg(Json(activity))
            .fetch_optional(self.pay_now_pool())
            .await;
        match recorded {
            Ok(Some(_)) => {
                let allocation = Allocation {
                    invoice,
                    amount: r.amount,
                };
                let unapplied = portal_core::domain::Money::zero(r.amount.currency());
                Ok(Some(r.payment(vec![allocation], unapplied)))
            }
            Ok(None) => Ok(None),
            Err(e) if violates_not_null(&e, "portal_payment_allocations") => Ok(None),
            Err(e) => Err(db(e)),
        }
    }

    pub(crate) async fn settle_row(
        conn: &mut DB::Connection,
        invoice: &Invoice,
    ) -> StoreResult<()> {
        sqlx::query::<DB>(q::SETTLE_INVOICE)
            .arg(invoice.id.as_uuid())
            .arg(minor(invoice.paid)?)
            .arg(minor(invoice.credited)?)
            .arg(minor(invoice.balance)?)
            .arg(invoice.status.as_str())
            .arg(invoice.org.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }
}

#[async_trait]
impl<DB> PaymentStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn start_payment_attempt(&self, a: &PaymentAttempt) -> StoreResult<AttemptStart> {
        if let [invoice] = a.invoices.as_slice()
            && let Some(started) = self.start_one(a, *invoice).await?
        {
            return Ok(started);
        }
        self.start_many(a).await
    }

    async fn payment_attempt(
        &self,
        org: OrgId,
        idempotency_key: &str,
    ) -> StoreResult<PaymentAttempt> {
        let row = sqlx::query::<DB>(q::SELECT_ATTEMPT_BY_KEY)
            .arg(org.as_uuid())
            .arg(idempotency_key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::PaymentAttempt))?;
        Self::attempt_from(&row)
    }

    async fn fail_payment_attempt(
        &self,
        org: OrgId,
        id: AttemptId,
        code: FailureCode,
        message: &str,
        tell: &FailureNotice,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let changed = sqlx::query::<DB>(q::FAIL_ATTEMPT)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .arg(code.as_str())
            .arg(message)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if changed == 1 {
            Self::release_holds(&mut tx, org, id).await?;
            for email in &tell.emails {
                insert_email::<DB>(&mut *tx, email).await?;
            }
            if let Some(n) = &tell.notice {
                insert_notice::<DB>(&mut *tx, n).await?;
            }
            tx.commit().await.map_err(db)?;
            return Ok(());
        }
        tx.rollback().await.map_err(db)?;
        Err(match self.attempt_status(org, id).await? {
            Some(_) => StoreError::Conflict(Rule::PaymentAttempt),
            None => StoreError::NotFound(Entity::PaymentAttempt),
        })
    }

    async fn stage_payment_attempt(
        &self,
        org: OrgId,
        id: AttemptId,
        progress: &AttemptProgress,
        notice: Option<&Notice>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let changed = sqlx::query::<DB>(q::STAGE_ATTEMPT)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .arg(progress.stage.as_str())
            .arg(progress.reference.as_str())
            .arg(DB::ts_to_db(progress.since))
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if changed == 1 {
            if let Some(n) = notice {
                insert_notice::<DB>(&mut *tx, n).await?;
            }
            tx.commit().await.map_err(db)?;
            return Ok(true);
        }
        tx.rollback().await.map_err(db)?;
        match self.attempt_status(org, id).await?.as_deref() {
            // Pending, at or past that stage already: a duplicate.
            Some("pending") => Ok(false),
            Some(_) => Err(StoreError::Conflict(Rule::PaymentAttempt)),
            None => Err(StoreError::NotFound(Entity::PaymentAttempt)),
        }
    }

    async fn customer_pending_attempts(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<PaymentAttempt>> {
        sqlx::query::<DB>(q::SELECT_CUSTOMER_STAGED)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(Self::attempt_from)
            .collect()
    }

    async fn pending_payment_attempts(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<PaymentAttempt>> {
        sqlx::query::<DB>(q::SELECT_PENDING_ATTEMPTS)
            .arg(DB::ts_to_db(before))
            .arg(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(Self::attempt_from)
            .collect()
    }

    async fn record_payment(&self, r: &PaymentRecording) -> StoreResult<Payment> {
        if let ([invoice], Some(attempt)) = (r.invoices.as_slice(), r.attempt)
            && let Some(payment) = self.record_one(r, *invoice, attempt).await?
        {
            return Ok(payment);
        }
        self.record_many(r).await
    }

    async fn customer_payments(
        &self,
        org: OrgId,
        customer: CustomerId,
        after: Option<Cursor>,
        limit: u32,
    ) -> StoreResult<Page<Payment>> {
        let (key, id) = match after {
            Some(c) => (
                OffsetDateTime::from_unix_timestamp_nanos(i128::from(c.key) * 1_000)
                    .map_err(|e| corrupt("cursor", e))?,
                c.id,
            ),
            None => (
                time::macros::datetime!(9999-12-31 23:59:59 UTC),
                Uuid::max(),
            ),
        };
        let rows = sqlx::query::<DB>(q::SELECT_PAYMENT_PAGE)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(DB::ts_to_db(key))
            .arg(id)
            .arg(i64::from(limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let items = Self::payments_from(&rows)?;
        Ok(Page::from_overfetch(items, limit, |p| Cursor {
            key: i64::try_from(p.paid_at.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX),
            id: p.id.as_uuid(),
        }))
    }

    async fn customer_payment(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: PaymentId,
    ) -> StoreResult<Payment> {
        let rows = sqlx::query::<DB>(q::SELECT_CUSTOMER_PAYMENT)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Self::payments_from(&rows)?
            .pop()
            .ok_or(StoreError::NotFound(Entity::Payment))
    }

    async fn invoice_applications(
        &self,
        org: OrgId,
        customer: CustomerId,
        invoice: InvoiceId,
        currency: Currency,
    ) -> StoreResult<Vec<portal_core::domain::InvoiceApplication>> {
        use portal_core::domain::{AppliedFrom, InvoiceApplication};
        sqlx::query::<DB>(q::SELECT_INVOICE_APPLICATIONS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(invoice.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(|row| {
                let kind: String = get(row, "source_kind")?;
                let source: Uuid = get(row, "source_id")?;
                // A payment's share of the invoice carries its receipt number;
                // anything else (a payment's excess too) is credit applied.
                let from = match get::<_, Option<String>>(row, "receipt_number")? {
                    Some(receipt_number) => AppliedFrom::Payment {
                        payment: PaymentId::from_uuid(source),
                        receipt_number,
                    },
                    None => AppliedFrom::Credit(crate::credits::credit_source(&kind, source)?),
                };
                Ok(InvoiceApplication {
                    from,
                    at: at(row, "applied_at")?,
                    amount: money(get(row, "amount_minor")?, currency),
                })
            })
            .collect()
    }
}
