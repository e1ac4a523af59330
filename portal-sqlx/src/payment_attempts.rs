//! Payment attempts in the SQL store: storing one with what it holds on its
//! invoices (one conditional statement for one invoice, locked in id order for
//! several), finding a retry's earlier attempt, giving holds back.

use portal_core::domain::{
    AttemptId, InvoiceId, OrgId, Payable, PaymentAttempt, Reservable, Reservation,
    reserve_oldest_first,
};
use portal_core::store::{AttemptStart, Entity, PaymentStore, Rule, StoreError, StoreResult};
use sqlx::Executor;
use sqlx::types::Json;
use uuid::Uuid;

use crate::engine::{Bind as _, Engine, RowsAffected as _, SqlStore};
use crate::error::{corrupt, db};
use crate::shared::{get, minor};
use crate::sql::common as q;

use crate::payments::Hold;

impl<DB> SqlStore<DB>
where
    DB: Engine,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// `query` with the attempt's fifteen columns and its holds bound, in
    /// `INSERT_ATTEMPT`'s order.
    pub(crate) fn bind_attempt<'q>(
        query: sqlx::query::Query<'q, DB, DB::Arguments>,
        a: &'q PaymentAttempt,
        holds: &'q [Hold],
    ) -> StoreResult<sqlx::query::Query<'q, DB, DB::Arguments>> {
        Ok(query
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
            .arg(Json(holds)))
    }

    /// An attempt's insert failing on its customer's foreign key: the customer.
    pub(crate) fn attempt_err(e: sqlx::Error) -> StoreError {
        match db(e) {
            StoreError::NotFound(_) => StoreError::NotFound(Entity::Customer),
            other => other,
        }
    }

    /// Stores the attempt under its key, with its holds; `false` if the key is
    /// already taken.
    pub(crate) async fn insert_attempt(
        conn: &mut DB::Connection,
        a: &PaymentAttempt,
        holds: &[Hold],
    ) -> StoreResult<bool> {
        let inserted = Self::bind_attempt(sqlx::query::<DB>(q::INSERT_ATTEMPT), a, holds)?
            .execute(&mut *conn)
            .await
            .map_err(Self::attempt_err)?
            .rows_affected();
        Ok(inserted == 1)
    }

    /// Stores what an attempt of several invoices holds, once reserved.
    pub(crate) async fn set_holds(
        conn: &mut DB::Connection,
        a: &PaymentAttempt,
        holds: &[Hold],
    ) -> StoreResult<()> {
        sqlx::query::<DB>(q::SET_HOLDS)
            .arg(a.org.as_uuid())
            .arg(a.id.as_uuid())
            .arg(Json(holds))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// The attempt with this key, after a rollback found the key taken.
    pub(crate) async fn existing(&self, a: &PaymentAttempt) -> StoreResult<AttemptStart> {
        Ok(AttemptStart::Existing(Box::new(
            self.payment_attempt(a.org, &a.idempotency_key).await?,
        )))
    }

    /// Starts an attempt on one invoice in the engine's one call
    /// ([`Engine::START_ONE`]): reserves what is free on the invoice and stores
    /// the attempt with its hold, or changes nothing. `None` when nothing could be
    /// reserved (not payable, or not enough free): [`Self::start_many`] then
    /// answers why.
    ///
    /// It commits where [`crate::engine::Flush`] says, and is durable when it
    /// returns: the gateway is called only for an attempt that is.
    pub(crate) async fn start_one(
        &self,
        a: &PaymentAttempt,
        invoice: InvoiceId,
    ) -> StoreResult<Option<AttemptStart>> {
        // An attempt found under the key may be another caller's, committed and
        // not yet flushed: flushed too, before it is charged again.
        let started = self.start_one_unflushed(a, invoice).await?;
        self.flushed(started).await
    }

    /// [`Self::start_one`] up to its commit.
    async fn start_one_unflushed(
        &self,
        a: &PaymentAttempt,
        invoice: InvoiceId,
    ) -> StoreResult<Option<AttemptStart>> {
        let holds = [Hold {
            invoice_id: invoice.as_uuid(),
            amount_minor: minor(a.amount)?,
        }];
        let start =
            Self::bind_attempt(sqlx::query::<DB>(DB::START_ONE), a, &holds)?.arg(invoice.as_uuid());
        let started = if DB::ONE_CALL_COMMITS {
            start.fetch_optional(self.pay_now_pool()).await
        } else {
            self.write_pay_now(start).await?
        };
        match started.map_err(Self::attempt_err) {
            Ok(Some(_)) => Ok(Some(AttemptStart::Started)),
            Ok(None) => Ok(None),
            // The key is taken (`portal_payment_attempts_key`).
            Err(StoreError::Conflict(Rule::PaymentAttempt)) => self.existing(a).await.map(Some),
            Err(e) => Err(e),
        }
    }

    /// Starts an attempt on several invoices: locks them in id order, reads what
    /// other attempts hold, and reserves oldest due first, or refuses.
    pub(crate) async fn start_many(&self, a: &PaymentAttempt) -> StoreResult<AttemptStart> {
        let mut tx = self.begin().await?;
        if !Self::insert_attempt(&mut tx, a, &[]).await? {
            tx.rollback().await.map_err(db)?;
            return self.existing(a).await;
        }
        let locked =
            Self::lock_customer_invoices(&mut tx, (a.org, a.customer), &a.invoices).await?;
        let invoices: Vec<Reservable> = locked
            .iter()
            .map(|invoice| Reservable {
                payable: Payable::of(invoice),
                reserved: invoice.reserved,
            })
            .collect();
        let held = match reserve_oldest_first(a.amount, &invoices)
            .map_err(|e| corrupt("reservation", e))?
        {
            Reservation::Granted(held) => held,
            Reservation::Refused(why) => {
                tx.rollback().await.map_err(db)?;
                return Ok(AttemptStart::Refused(why));
            }
        };
        let mut holds = Vec::with_capacity(held.len());
        for h in held {
            let amount = minor(h.amount)?;
            sqlx::query::<DB>(q::ADD_RESERVED)
                .arg(a.org.as_uuid())
                .arg(h.invoice.as_uuid())
                .arg(amount)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            holds.push(Hold {
                invoice_id: h.invoice.as_uuid(),
                amount_minor: amount,
            });
        }
        Self::set_holds(&mut tx, a, &holds).await?;
        tx.commit().await.map_err(db)?;
        Ok(AttemptStart::Started)
    }

    /// Gives back what the attempt holds: subtracts each hold from its invoice, in
    /// invoice id order. Answers every hold. Only the transaction
    /// that changes the attempt from pending calls this, so a hold is given back
    /// once.
    pub(crate) async fn release_holds(
        conn: &mut DB::Connection,
        org: OrgId,
        attempt: AttemptId,
    ) -> StoreResult<Vec<Hold>> {
        let row = sqlx::query::<DB>(q::SELECT_HOLDS)
            .arg(org.as_uuid())
            .arg(attempt.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(Entity::PaymentAttempt))?;
        let holds = get::<_, Json<Vec<Hold>>>(&row, "holds")?.0;
        let mut released: Vec<(Uuid, i64)> = holds
            .iter()
            .map(|h| (h.invoice_id, h.amount_minor))
            .collect();
        released.sort_unstable();
        for (invoice, amount) in released {
            sqlx::query::<DB>(q::SUBTRACT_RESERVED)
                .arg(org.as_uuid())
                .arg(invoice)
                .arg(amount)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
        }
        Ok(holds)
    }
}
