//! The money stores (H1, I1–I11, D1): invoices, payments and their attempts,
//! credits, refunds, saved payment methods, the statement and the dashboard. Plain
//! Rust over either engine.

use async_trait::async_trait;
use portal_core::{
    Allocation, AttemptId, AttemptStart, AttemptStatus, AvailableCredit, ContactId,
    CreditApplication, CreditNote, CreditNoteId, CreditSource, Currency, Cursor, CustomerId,
    DashboardFigures, Direction, Entity, Invoice, InvoiceId, InvoiceKind, InvoiceQuery,
    InvoiceSort, InvoiceStatus, InvoiceStore, LineItem, Money, OrgId, Page, Payable, Payment,
    PaymentAttempt, PaymentId, PaymentMethod, PaymentRecording, PaymentStore, Reservable,
    Reservation, Rule, StoreError, StoreResult, allocate_oldest_first, days_since_epoch,
    reserve_oldest_first,
};
use sqlx::Executor;
use sqlx::types::Json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{
    at, currency_of, date_of, first, get, insert_email, insert_invoice, insert_notice,
    live_customer_currency, minor, money, opt_at, version_miss,
};
use crate::sql::common as q;

fn settle_err(e: portal_core::SettleError) -> StoreError {
    StoreError::Backend(Box::new(e))
}

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    fn invoice_from(row: &DB::Row) -> StoreResult<Invoice> {
        let currency = currency_of(row)?;
        let kind: String = get(row, "kind")?;
        let status: String = get(row, "status")?;
        Ok(Invoice {
            id: InvoiceId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            kind: InvoiceKind::from_db(&kind).ok_or_else(|| corrupt("invoice kind", &kind))?,
            number: get(row, "number")?,
            status: InvoiceStatus::from_db(&status)
                .ok_or_else(|| corrupt("invoice status", &status))?,
            lines: get::<_, Json<Vec<LineItem>>>(row, "lines")?.0,
            total: money(get(row, "total_minor")?, currency),
            paid: money(get(row, "paid_minor")?, currency),
            credited: money(get(row, "credited_minor")?, currency),
            balance: money(get(row, "balance_minor")?, currency),
            drawn: money(get(row, "retainer_drawn_minor")?, currency),
            issue_date: date_of(row, "issue_date")?,
            due_date: date_of(row, "due_date")?,
            allow_partial_payments: get(row, "allow_partial_payments")?,
            payment_gateways: get::<_, Json<Vec<String>>>(row, "payment_gateways")?.0,
            viewed_at: opt_at(row, "viewed_at")?,
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }

    fn payment_from(row: &DB::Row, allocations: Vec<Allocation>) -> StoreResult<Payment> {
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

    fn method_from(row: &DB::Row) -> StoreResult<portal_core::SavedPaymentMethod> {
        let month: Option<i64> = get(row, "exp_month")?;
        let year: Option<i64> = get(row, "exp_year")?;
        Ok(portal_core::SavedPaymentMethod {
            id: portal_core::SavedMethodId::from_uuid(get(row, "id")?),
            org: OrgId::from_uuid(get(row, "org_id")?),
            customer: CustomerId::from_uuid(get(row, "customer_id")?),
            gateway: get(row, "gateway")?,
            token: get(row, "token")?,
            method: get::<_, Json<PaymentMethod>>(row, "method")?.0,
            exp_month: month
                .map(u8::try_from)
                .transpose()
                .map_err(|e| corrupt("expiry", e))?,
            exp_year: year
                .map(u16::try_from)
                .transpose()
                .map_err(|e| corrupt("expiry", e))?,
            billing_address: get::<_, Json<portal_core::Address>>(row, "billing_address")?.0,
            created_at: at(row, "created_at")?,
            version: get(row, "version")?,
        })
    }

    fn attempt_from(row: &DB::Row) -> StoreResult<PaymentAttempt> {
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
                code: get::<_, Option<String>>(row, "failure_code")?.unwrap_or_default(),
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
        })
    }

    /// Allocations rows (payment_id, invoice_id, amount_minor) grouped by payment.
    fn allocations_from(
        rows: &[DB::Row],
        currency_of_payment: impl Fn(Uuid) -> Option<Currency>,
    ) -> StoreResult<std::collections::HashMap<Uuid, Vec<Allocation>>> {
        let mut out: std::collections::HashMap<Uuid, Vec<Allocation>> =
            std::collections::HashMap::new();
        for row in rows {
            let payment: Uuid = get(row, "payment_id")?;
            let currency = currency_of_payment(payment)
                .ok_or_else(|| corrupt("allocation", "payment not in page"))?;
            out.entry(payment).or_default().push(Allocation {
                invoice: InvoiceId::from_uuid(get(row, "invoice_id")?),
                amount: money(get(row, "amount_minor")?, currency),
            });
        }
        Ok(out)
    }

    /// Reads and locks the customer's sent invoices among `ids`, in id order so that
    /// two transactions never deadlock; ids that are not the customer's are skipped.
    async fn lock_customer_invoices(
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
                invoices.push(Self::invoice_from(&row)?);
            }
        }
        Ok(invoices)
    }

    async fn settle_row(conn: &mut DB::Connection, invoice: &Invoice) -> StoreResult<()> {
        sqlx::query::<DB>(q::SETTLE_INVOICE)
            .arg(invoice.id.as_uuid())
            .arg(minor(invoice.paid)?)
            .arg(minor(invoice.credited)?)
            .arg(minor(invoice.balance)?)
            .arg(invoice.status.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Takes `amount` out of a credit source of the customer, inside `conn`'s
    /// transaction; returns the source's kind and id for the records.
    async fn use_credit(
        conn: &mut DB::Connection,
        org: OrgId,
        customer: CustomerId,
        source: CreditSource,
        amount: i64,
    ) -> StoreResult<(&'static str, Uuid)> {
        let (use_statement, exists_statement, kind, source_id) = match source {
            CreditSource::CreditNote(id) => (
                q::USE_CREDIT_NOTE,
                q::CREDIT_NOTE_EXISTS,
                "credit_note",
                id.as_uuid(),
            ),
            CreditSource::Payment(id) => (
                q::USE_PAYMENT_CREDIT,
                q::PAYMENT_EXISTS,
                "payment",
                id.as_uuid(),
            ),
            CreditSource::Retainer(id) => (
                q::USE_RETAINER,
                q::RETAINER_EXISTS,
                "retainer",
                id.as_uuid(),
            ),
        };
        let used = sqlx::query::<DB>(use_statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(source_id)
            .arg(amount)
            .execute(&mut *conn)
            .await
            .map_err(db)?
            .rows_affected();
        if used == 0 {
            let exists = sqlx::query::<DB>(exists_statement)
                .arg(org.as_uuid())
                .arg(customer.as_uuid())
                .arg(source_id)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict(Rule::CreditAvailable),
                None => StoreError::NotFound(Entity::Credit),
            });
        }
        Ok((kind, source_id))
    }
}

#[async_trait]
impl<DB> InvoiceStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_invoice(&self, invoice: &Invoice) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, invoice.org, invoice.customer).await?;
        insert_invoice::<DB>(&mut tx, invoice).await?;
        tx.commit().await.map_err(db)
    }

    async fn invoice(&self, org: OrgId, id: InvoiceId) -> StoreResult<Invoice> {
        let row = sqlx::query::<DB>(q::SELECT_INVOICE)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Invoice))?;
        Self::invoice_from(&row)
    }

    async fn update_invoice(&self, invoice: &Invoice) -> StoreResult<Invoice> {
        let row = sqlx::query::<DB>(q::UPDATE_INVOICE)
            .arg(invoice.org.as_uuid())
            .arg(invoice.id.as_uuid())
            .arg(invoice.version)
            .arg(invoice.kind.as_str())
            .arg(invoice.number.as_str())
            .arg(invoice.status.as_str())
            .arg(Json(&invoice.lines))
            .arg(minor(invoice.total)?)
            .arg(minor(invoice.paid)?)
            .arg(minor(invoice.credited)?)
            .arg(minor(invoice.balance)?)
            .arg(days_since_epoch(invoice.issue_date))
            .arg(days_since_epoch(invoice.due_date))
            .arg(invoice.allow_partial_payments)
            .arg(Json(&invoice.payment_gateways))
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        if let Some(row) = row {
            return Self::invoice_from(&row);
        }
        Err(version_miss(
            &self.pool,
            q::INVOICE_VERSION,
            invoice.org,
            invoice.id.as_uuid(),
            Entity::Invoice,
        )
        .await)
    }

    async fn customer_invoice(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
    ) -> StoreResult<Invoice> {
        let row = sqlx::query::<DB>(q::SELECT_CUSTOMER_INVOICE)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Invoice))?;
        Self::invoice_from(&row)
    }

    async fn customer_invoices(
        &self,
        org: OrgId,
        customer: CustomerId,
        query: &InvoiceQuery,
    ) -> StoreResult<Page<Invoice>> {
        use Direction::{Asc, Desc};
        let statement = match (query.sort, query.direction) {
            (InvoiceSort::IssueDate, Asc) => q::INVOICES_BY_ISSUE_ASC,
            (InvoiceSort::IssueDate, Desc) => q::INVOICES_BY_ISSUE_DESC,
            (InvoiceSort::DueDate, Asc) => q::INVOICES_BY_DUE_ASC,
            (InvoiceSort::DueDate, Desc) => q::INVOICES_BY_DUE_DESC,
            (InvoiceSort::Total, Asc) => q::INVOICES_BY_TOTAL_ASC,
            (InvoiceSort::Total, Desc) => q::INVOICES_BY_TOTAL_DESC,
            (InvoiceSort::Balance, Asc) => q::INVOICES_BY_BALANCE_ASC,
            (InvoiceSort::Balance, Desc) => q::INVOICES_BY_BALANCE_DESC,
        };
        let statuses = query.filter.statuses();
        let status = |i: usize| statuses[i.min(statuses.len() - 1)].as_str();
        let (k1, k2) = match query.kind {
            Some(k) => (k.as_str(), k.as_str()),
            None => (
                InvoiceKind::Invoice.as_str(),
                InvoiceKind::Retainer.as_str(),
            ),
        };
        let due_before = if query.filter == portal_core::InvoiceFilter::Overdue {
            days_since_epoch(query.today)
        } else {
            i64::MAX
        };
        let (key, id) = query.direction.start(query.after);
        let rows = sqlx::query::<DB>(statement)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(status(0))
            .arg(status(1))
            .arg(status(2))
            .arg(status(3))
            .arg(k1)
            .arg(k2)
            .arg(due_before)
            .arg(key)
            .arg(id)
            .arg(i64::from(query.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let items = rows
            .iter()
            .map(Self::invoice_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, query.limit, |i| Cursor {
            key: query.key_of(i),
            id: i.id.as_uuid(),
        }))
    }

    async fn mark_invoice_viewed(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: InvoiceId,
        at: OffsetDateTime,
        notice: &portal_core::Notice,
    ) -> StoreResult<(Invoice, bool)> {
        match self
            .mark_first_view(
                q::MARK_INVOICE_VIEWED,
                (org, customer, id.as_uuid()),
                at,
                notice,
                Self::invoice_from,
            )
            .await?
        {
            Some(record) => Ok((record, true)),
            None => Ok((self.customer_invoice(org, customer, id).await?, false)),
        }
    }
}

#[async_trait]
impl<DB> PaymentStore for SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn start_payment_attempt(&self, a: &PaymentAttempt) -> StoreResult<AttemptStart> {
        let mut tx = self.begin().await?;
        let inserted = sqlx::query::<DB>(q::INSERT_ATTEMPT)
            .arg(a.id.as_uuid())
            .arg(a.org.as_uuid())
            .arg(a.customer.as_uuid())
            .arg(a.idempotency_key.as_str())
            .arg(a.fingerprint.as_str())
            .arg(a.amount.currency().code())
            .arg(minor(a.amount)?)
            .arg(Json(&a.invoices))
            .arg(a.gateway.as_str())
            .arg("pending")
            .arg(Option::<Uuid>::None)
            .arg(Option::<&str>::None)
            .arg(Option::<&str>::None)
            .arg(DB::ts_to_db(a.created_at))
            .arg(a.contact.map(|c| c.as_uuid()))
            .execute(&mut *tx)
            .await
            .map_err(|e| match db(e) {
                StoreError::NotFound(_) => StoreError::NotFound(Entity::Customer),
                other => other,
            })?
            .rows_affected();
        if inserted != 1 {
            tx.rollback().await.map_err(db)?;
            return Ok(AttemptStart::Existing(Box::new(
                self.payment_attempt(a.org, &a.idempotency_key).await?,
            )));
        }
        // Lock the invoices (as payments do), then see what other pending
        // attempts hold on each.
        let currency = a.amount.currency();
        let locked =
            Self::lock_customer_invoices(&mut tx, (a.org, a.customer), &a.invoices).await?;
        let mut invoices = Vec::with_capacity(locked.len());
        for invoice in locked {
            let reserved: i64 = first(
                &sqlx::query::<DB>(q::SUM_RESERVED)
                    .arg(a.org.as_uuid())
                    .arg(invoice.id.as_uuid())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?,
            )?;
            invoices.push(Reservable {
                payable: Payable::of(&invoice),
                reserved: money(reserved, currency),
            });
        }
        let held = match reserve_oldest_first(a.amount, &invoices)
            .map_err(|e| corrupt("reservation", e))?
        {
            Reservation::Granted(held) => held,
            Reservation::Refused(why) => {
                tx.rollback().await.map_err(db)?;
                return Ok(AttemptStart::Refused(why));
            }
        };
        for h in held {
            sqlx::query::<DB>(q::INSERT_RESERVATION)
                .arg(a.id.as_uuid())
                .arg(h.invoice.as_uuid())
                .arg(a.org.as_uuid())
                .arg(minor(h.amount)?)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(AttemptStart::Started)
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
        code: &str,
        message: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let changed = sqlx::query::<DB>(q::FAIL_ATTEMPT)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .arg(code)
            .arg(message)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if changed == 1 {
            sqlx::query::<DB>(q::RELEASE_RESERVATIONS)
                .arg(id.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            tx.commit().await.map_err(db)?;
            return Ok(());
        }
        tx.rollback().await.map_err(db)?;
        let exists = sqlx::query::<DB>(q::ATTEMPT_EXISTS)
            .arg(org.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Err(match exists {
            Some(_) => StoreError::Conflict(Rule::PaymentAttempt),
            None => StoreError::NotFound(Entity::PaymentAttempt),
        })
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
        let mut tx = self.begin().await?;
        let currency = live_customer_currency::<DB>(&mut tx, r.org, r.customer).await?;
        if r.amount.currency() != currency {
            return Err(StoreError::Conflict(Rule::PaymentCurrency));
        }
        if let Some(attempt) = r.attempt {
            let row = sqlx::query::<DB>(DB::LOCK_ATTEMPT)
                .arg(r.org.as_uuid())
                .arg(r.customer.as_uuid())
                .arg(attempt.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?
                .ok_or(StoreError::NotFound(Entity::PaymentAttempt))?;
            if Self::attempt_from(&row)?.status != AttemptStatus::Pending {
                return Err(StoreError::Conflict(Rule::PaymentAttempt));
            }
        }
        let mut invoices =
            Self::lock_customer_invoices(&mut tx, (r.org, r.customer), &r.invoices).await?;
        let payables: Vec<Payable> = invoices.iter().map(Payable::of).collect();
        let (allocations, unapplied) =
            allocate_oldest_first(r.amount, &payables).map_err(|e| corrupt("allocation", e))?;
        sqlx::query::<DB>(q::INSERT_PAYMENT)
            .arg(r.id.as_uuid())
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(r.receipt_number.as_str())
            .arg(currency.code())
            .arg(minor(r.amount)?)
            .arg(minor(unapplied)?)
            .arg(Json(&r.method))
            .arg(r.reference.as_deref())
            .arg(DB::ts_to_db(r.paid_at))
            .arg(portal_core::day_of(r.paid_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for (position, a) in allocations.iter().enumerate() {
            let invoice = invoices
                .iter_mut()
                .find(|i| i.id == a.invoice)
                .ok_or(StoreError::NotFound(Entity::Invoice))?;
            invoice.settle(a.amount, false).map_err(settle_err)?;
            Self::settle_row(&mut tx, invoice).await?;
            sqlx::query::<DB>(q::INSERT_ALLOCATION)
                .arg(r.id.as_uuid())
                .arg(a.invoice.as_uuid())
                .arg(r.org.as_uuid())
                .arg(r.customer.as_uuid())
                .arg(i64::try_from(position).unwrap_or(i64::MAX))
                .arg(minor(a.amount)?)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        if let Some(attempt) = r.attempt {
            sqlx::query::<DB>(q::SUCCEED_ATTEMPT)
                .arg(attempt.as_uuid())
                .arg(r.id.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query::<DB>(q::RELEASE_RESERVATIONS)
                .arg(attempt.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        for email in &r.emails {
            insert_email::<DB>(&mut tx, email).await?;
        }
        if let Some(n) = &r.notice {
            insert_notice::<DB>(&mut tx, n).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(Payment {
            id: r.id,
            org: r.org,
            customer: r.customer,
            receipt_number: r.receipt_number.clone(),
            amount: r.amount,
            allocations,
            unapplied,
            method: r.method.clone(),
            reference: r.reference.clone(),
            paid_at: r.paid_at,
        })
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
        let fetch = i64::from(limit) + 1;
        let rows = sqlx::query::<DB>(q::SELECT_PAYMENT_PAGE)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(DB::ts_to_db(key))
            .arg(id)
            .arg(fetch)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let allocation_rows = sqlx::query::<DB>(q::SELECT_PAYMENT_PAGE_ALLOCATIONS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(DB::ts_to_db(key))
            .arg(id)
            .arg(fetch)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut currencies = std::collections::HashMap::new();
        for row in &rows {
            currencies.insert(get::<_, Uuid>(row, "id")?, currency_of(row)?);
        }
        let mut allocations =
            Self::allocations_from(&allocation_rows, |p| currencies.get(&p).copied())?;
        let items = rows
            .iter()
            .map(|row| {
                let pid: Uuid = get(row, "id")?;
                Self::payment_from(row, allocations.remove(&pid).unwrap_or_default())
            })
            .collect::<StoreResult<Vec<_>>>()?;
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
        let row = sqlx::query::<DB>(q::SELECT_CUSTOMER_PAYMENT)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Payment))?;
        let currency = currency_of(&row)?;
        let allocation_rows = sqlx::query::<DB>(q::SELECT_ALLOCATIONS_OF_PAYMENT)
            .arg(id.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut allocations = Self::allocations_from(&allocation_rows, |_| Some(currency))?;
        Self::payment_from(&row, allocations.remove(&id.as_uuid()).unwrap_or_default())
    }

    async fn create_credit_note(&self, note: &CreditNote) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, note.org, note.customer).await?;
        sqlx::query::<DB>(q::INSERT_CREDIT_NOTE)
            .arg(note.id.as_uuid())
            .arg(note.org.as_uuid())
            .arg(note.customer.as_uuid())
            .arg(note.number.as_str())
            .arg(note.total.currency().code())
            .arg(minor(note.total)?)
            .arg(minor(note.balance)?)
            .arg(days_since_epoch(note.issue_date))
            .arg(DB::ts_to_db(note.created_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn available_credits(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<AvailableCredit>> {
        let notes = sqlx::query::<DB>(q::SELECT_CREDIT_NOTE_CREDITS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let payments = sqlx::query::<DB>(q::SELECT_PAYMENT_CREDITS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let retainers = sqlx::query::<DB>(q::SELECT_RETAINER_CREDITS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut out = Vec::with_capacity(notes.len() + payments.len() + retainers.len());
        for row in &retainers {
            out.push(AvailableCredit {
                source: CreditSource::Retainer(InvoiceId::from_uuid(get(row, "id")?)),
                number: get(row, "number")?,
                available: money(get(row, "available_minor")?, currency_of(row)?),
                date: date_of(row, "issue_date")?,
            });
        }
        for row in &notes {
            out.push(AvailableCredit {
                source: CreditSource::CreditNote(CreditNoteId::from_uuid(get(row, "id")?)),
                number: get(row, "number")?,
                available: money(get(row, "balance_minor")?, currency_of(row)?),
                date: date_of(row, "issue_date")?,
            });
        }
        for row in &payments {
            out.push(AvailableCredit {
                source: CreditSource::Payment(PaymentId::from_uuid(get(row, "id")?)),
                number: get(row, "receipt_number")?,
                available: money(get(row, "unapplied_minor")?, currency_of(row)?),
                date: at(row, "paid_at")?.date(),
            });
        }
        out.sort_by_key(|c| {
            (
                c.date,
                match c.source {
                    CreditSource::CreditNote(id) => id.as_uuid(),
                    CreditSource::Payment(id) => id.as_uuid(),
                    CreditSource::Retainer(id) => id.as_uuid(),
                },
            )
        });
        Ok(out)
    }

    async fn apply_credit(&self, a: &CreditApplication) -> StoreResult<Invoice> {
        let mut tx = self.begin().await?;
        let row = sqlx::query::<DB>(DB::LOCK_CUSTOMER_INVOICE)
            .arg(a.org.as_uuid())
            .arg(a.customer.as_uuid())
            .arg(a.invoice.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Invoice))?;
        let mut invoice = Self::invoice_from(&row)?;
        if !invoice.status.is_payable()
            || invoice.kind == InvoiceKind::Retainer
            || invoice.balance.amount() < a.amount.amount()
        {
            return Err(StoreError::Conflict(Rule::InvoiceBalance));
        }
        let amount = minor(a.amount)?;
        let (kind, source_id) =
            Self::use_credit(&mut tx, a.org, a.customer, a.source, amount).await?;
        invoice.settle(a.amount, true).map_err(settle_err)?;
        Self::settle_row(&mut tx, &invoice).await?;
        invoice.version += 1;
        sqlx::query::<DB>(q::INSERT_CREDIT_APPLICATION)
            .arg(a.id.as_uuid())
            .arg(a.org.as_uuid())
            .arg(a.customer.as_uuid())
            .arg(kind)
            .arg(source_id)
            .arg(a.invoice.as_uuid())
            .arg(amount)
            .arg(DB::ts_to_db(a.applied_at))
            .arg(portal_core::day_of(a.applied_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(invoice)
    }

    async fn record_refund(&self, r: &portal_core::Refund) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, r.org, r.customer).await?;
        let amount = minor(r.amount)?;
        let (kind, source_id) =
            Self::use_credit(&mut tx, r.org, r.customer, r.source, amount).await?;
        sqlx::query::<DB>(q::INSERT_REFUND)
            .arg(r.id.as_uuid())
            .arg(r.org.as_uuid())
            .arg(r.customer.as_uuid())
            .arg(kind)
            .arg(source_id)
            .arg(r.amount.currency().code())
            .arg(amount)
            .arg(r.mode.as_str())
            .arg(DB::ts_to_db(r.refunded_at))
            .arg(portal_core::day_of(r.refunded_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn customer_refunds(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::Refund>> {
        sqlx::query::<DB>(q::SELECT_REFUNDS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(|row| {
                let kind: String = get(row, "source_kind")?;
                let source: Uuid = get(row, "source_id")?;
                Ok(portal_core::Refund {
                    id: portal_core::RefundId::from_uuid(get(row, "id")?),
                    org: OrgId::from_uuid(get(row, "org_id")?),
                    customer: CustomerId::from_uuid(get(row, "customer_id")?),
                    source: match kind.as_str() {
                        "credit_note" => CreditSource::CreditNote(CreditNoteId::from_uuid(source)),
                        "payment" => CreditSource::Payment(PaymentId::from_uuid(source)),
                        "retainer" => CreditSource::Retainer(InvoiceId::from_uuid(source)),
                        other => return Err(corrupt("refund source", other)),
                    },
                    amount: money(get(row, "amount_minor")?, currency_of(row)?),
                    mode: get(row, "mode")?,
                    refunded_at: at(row, "refunded_at")?,
                })
            })
            .collect()
    }

    async fn save_payment_method(&self, m: &portal_core::SavedPaymentMethod) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        live_customer_currency::<DB>(&mut tx, m.org, m.customer).await?;
        sqlx::query::<DB>(q::INSERT_METHOD)
            .arg(m.id.as_uuid())
            .arg(m.org.as_uuid())
            .arg(m.customer.as_uuid())
            .arg(m.gateway.as_str())
            .arg(m.token.as_str())
            .arg(Json(&m.method))
            .arg(m.exp_month.map(i64::from))
            .arg(m.exp_year.map(i64::from))
            .arg(Json(&m.billing_address))
            .arg(DB::ts_to_db(m.created_at))
            .arg(m.version)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn payment_methods(
        &self,
        org: OrgId,
        customer: CustomerId,
    ) -> StoreResult<Vec<portal_core::SavedPaymentMethod>> {
        sqlx::query::<DB>(q::SELECT_METHODS)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(Self::method_from)
            .collect()
    }

    async fn payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::SavedMethodId,
    ) -> StoreResult<portal_core::SavedPaymentMethod> {
        let row = sqlx::query::<DB>(q::SELECT_METHOD)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::PaymentMethod))?;
        Self::method_from(&row)
    }

    async fn update_payment_method(
        &self,
        m: &portal_core::SavedPaymentMethod,
    ) -> StoreResult<portal_core::SavedPaymentMethod> {
        let row = sqlx::query::<DB>(q::UPDATE_METHOD)
            .arg(m.org.as_uuid())
            .arg(m.customer.as_uuid())
            .arg(m.id.as_uuid())
            .arg(m.version)
            .arg(m.exp_month.map(i64::from))
            .arg(m.exp_year.map(i64::from))
            .arg(Json(&m.billing_address))
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        if let Some(row) = row {
            return Self::method_from(&row);
        }
        let exists = self.payment_method(m.org, m.customer, m.id).await;
        Err(match exists {
            Ok(_) => StoreError::ConcurrentModification(Entity::PaymentMethod),
            Err(e) => e,
        })
    }

    async fn delete_payment_method(
        &self,
        org: OrgId,
        customer: CustomerId,
        id: portal_core::SavedMethodId,
    ) -> StoreResult<()> {
        let deleted = sqlx::query::<DB>(q::DELETE_METHOD)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(id.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        if deleted == 0 {
            return Err(StoreError::NotFound(Entity::PaymentMethod));
        }
        Ok(())
    }

    async fn statement(
        &self,
        org: OrgId,
        customer: CustomerId,
        from: Date,
        to: Date,
    ) -> StoreResult<portal_core::Statement> {
        let (from_day, to_day) = (days_since_epoch(from), days_since_epoch(to));
        let head = sqlx::query::<DB>(q::STATEMENT_OPENING)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(from_day)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        let currency = currency_of(&head)?;
        let opening: i64 = get(&head, "opening_minor")?;
        let rows = sqlx::query::<DB>(q::STATEMENT_ENTRIES)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(from_day)
            .arg(to_day)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut entries = Vec::with_capacity(rows.len());
        let mut closing = opening;
        for row in &rows {
            let order: i64 = get(row, "kind_order")?;
            let running: i64 = get(row, "running_minor")?;
            closing = opening + running;
            entries.push(portal_core::StatementEntry {
                date: date_of(row, "day")?,
                kind: portal_core::StatementEntryKind::from_order(order)
                    .ok_or_else(|| corrupt("statement entry", order))?,
                id: get(row, "id")?,
                number: get(row, "number")?,
                amount: money(get(row, "amount_minor")?, currency),
                balance: money(closing, currency),
            });
        }
        let aging = sqlx::query::<DB>(q::STATEMENT_AGING)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(to_day)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        let bucket = |column: &'static str| -> StoreResult<Money> {
            Ok(money(get(&aging, column)?, currency))
        };
        Ok(portal_core::Statement {
            from,
            to,
            currency,
            opening: money(opening, currency),
            entries,
            closing: money(closing, currency),
            aging: portal_core::Aging {
                current: bucket("current_minor")?,
                days_1_30: bucket("d1_30")?,
                days_31_60: bucket("d31_60")?,
                days_61_90: bucket("d61_90")?,
                over_90: bucket("over_90")?,
            },
        })
    }

    async fn customer_turnover(&self, org: OrgId, customer: CustomerId) -> StoreResult<Money> {
        let row = sqlx::query::<DB>(q::CUSTOMER_TURNOVER)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        let currency = currency_of(&row)?;
        ["invoices", "payments", "credit_notes", "refunds"]
            .into_iter()
            .try_fold(Money::zero(currency), |sum, column| {
                sum.checked_add(&money(get(&row, column)?, currency))
                    .map_err(|e| corrupt("turnover", e))
            })
    }

    async fn dashboard(
        &self,
        org: OrgId,
        customer: CustomerId,
        today: Date,
    ) -> StoreResult<DashboardFigures> {
        let row = sqlx::query::<DB>(q::DASHBOARD)
            .arg(org.as_uuid())
            .arg(customer.as_uuid())
            .arg(days_since_epoch(today))
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::Customer))?;
        let currency = currency_of(&row)?;
        let sum = |column: &'static str| -> StoreResult<Money> {
            Ok(money(get(&row, column)?, currency))
        };
        let credits = sum("credit_notes")?
            .checked_add(&sum("unapplied_payments")?)
            .map_err(|e| corrupt("credits", e))?;
        let last_amount: Option<i64> = get(&row, "last_amount")?;
        let last_at = opt_at(&row, "last_paid_at")?;
        let quotes_awaiting: i64 = get(&row, "quotes_awaiting")?;
        Ok(DashboardFigures {
            outstanding_invoices: sum("outstanding_invoices")?,
            overdue_invoices: sum("overdue_invoices")?,
            available_credits: credits,
            outstanding_retainers: sum("outstanding_retainers")?,
            available_retainer_payments: sum("retainer_payments")?,
            last_payment: last_amount
                .zip(last_at)
                .map(|(m, t)| (money(m, currency), t)),
            quotes_awaiting: u64::try_from(quotes_awaiting).unwrap_or_default(),
        })
    }
}
