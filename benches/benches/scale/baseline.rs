//! The hand-written SQL each portal call is measured against, and the portal's
//! calls, each reduced to the answer both must agree on.

use super::*;

/// The hand-written statements the portal calls are measured against.
pub(crate) const SQL_SESSION: &str = "SELECT s.id, s.token_hash, s.org_id, s.customer_id, s.contact_id, \
     s.created_at, s.last_seen_at, \
     c.id, c.org_id, c.customer_id, c.first_name, c.last_name, c.email, c.phone, c.is_primary, \
     c.portal_status, c.role_id, c.password_hash, c.preferences, c.created_at, c.deleted_at, \
     c.version, \
     cu.id, cu.org_id, cu.display_name, cu.company_name, cu.currency, cu.billing_address, \
     cu.shipping_address, cu.may_pay_by_bank_account, cu.created_at, cu.deleted_at, cu.version, \
     o.id, o.name, o.slug, o.settings, o.roles, o.portal_user_cap, o.created_at, o.version \
     FROM portal_sessions s \
     JOIN portal_contacts c ON c.org_id = s.org_id AND c.id = s.contact_id \
     JOIN portal_customers cu ON cu.org_id = s.org_id AND cu.id = s.customer_id \
     JOIN portal_orgs o ON o.id = s.org_id \
     WHERE s.org_id = $2 AND s.token_hash = $1";
pub(crate) const SQL_PAYMENTS: &str = "SELECT p.id, p.org_id, p.customer_id, p.receipt_number, p.currency, \
     p.amount_minor, p.unapplied_minor, p.method, p.reference, p.paid_at, \
     a.invoice_id, a.amount_minor AS allocated \
     FROM (SELECT * FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
       ORDER BY paid_at DESC, id DESC LIMIT $3) p \
     LEFT JOIN portal_payment_allocations a ON a.org_id = $1 AND a.payment_id = p.id \
     ORDER BY p.paid_at DESC, p.id DESC, a.position";
/// The home's figures in one statement: one pass over the customer's open
/// invoices (the partial index of open invoices) with `FILTER` sums, then the
/// open credit notes, the unapplied payments, the undrawn retainers, the last
/// payment and the quotes awaiting, each from its own small index.
pub(crate) const SQL_DASHBOARD: &str = "SELECT o.outstanding, o.overdue, o.retainers, o.pending, \
     (SELECT CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND balance_minor > 0) \
   + (SELECT CAST(COALESCE(SUM(unapplied_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND unapplied_minor > 0) AS credits, \
     (SELECT CAST(COALESCE(SUM(paid_minor - retainer_drawn_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'retainer' \
        AND paid_minor > retainer_drawn_minor) AS retainer_payments, \
     l.amount_minor AS last_amount, l.paid_at AS last_paid_at, \
     (SELECT COUNT(*) FROM portal_quotes WHERE org_id = $1 AND customer_id = $2 \
        AND status = 'sent' AND expiry_date >= $3) AS quotes \
     FROM (SELECT \
        CAST(COALESCE(SUM(balance_minor) FILTER (WHERE kind = 'invoice'), 0) AS BIGINT) AS outstanding, \
        CAST(COALESCE(SUM(balance_minor) FILTER (WHERE kind = 'invoice' AND due_date < $3), 0) AS BIGINT) AS overdue, \
        CAST(COALESCE(SUM(balance_minor) FILTER (WHERE kind = 'retainer'), 0) AS BIGINT) AS retainers, \
        CAST(COALESCE(SUM(reserved_minor), 0) AS BIGINT) AS pending \
        FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 \
        AND status IN ('sent', 'partially_paid')) o \
     LEFT JOIN (SELECT amount_minor, paid_at FROM portal_payments WHERE org_id = $1 AND customer_id = $2 \
        ORDER BY paid_at DESC, id DESC LIMIT 1) l ON 1 = 1";
pub(crate) const SQL_STATEMENT_OPENING: &str = "SELECT \
     (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_invoices \
        WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status NOT IN ('draft', 'void') AND issue_date < $3) \
   - (SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND issue_date < $3) \
   - (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND paid_on < $3) \
   + (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM portal_refunds \
        WHERE org_id = $1 AND customer_id = $2 AND refunded_on < $3) AS opening";
/// The statement's entries in order; the running balance is summed in Rust as
/// the rows arrive (cheaper than a window function over them).
pub(crate) const SQL_STATEMENT_ENTRIES: &str = "SELECT day, kind_order, id, number, amount_minor FROM ( \
     SELECT issue_date AS day, CAST(1 AS BIGINT) AS kind_order, id, number, total_minor AS amount_minor \
        FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND kind = 'invoice' \
        AND status NOT IN ('draft', 'void') AND issue_date BETWEEN $3 AND $4 \
     UNION ALL SELECT issue_date, 2, id, number, -total_minor FROM portal_credit_notes \
        WHERE org_id = $1 AND customer_id = $2 AND issue_date BETWEEN $3 AND $4 \
     UNION ALL SELECT paid_on, 3, id, receipt_number, -amount_minor FROM portal_payments \
        WHERE org_id = $1 AND customer_id = $2 AND paid_on BETWEEN $3 AND $4 \
     UNION ALL SELECT refunded_on, 4, id, mode, amount_minor FROM portal_refunds \
        WHERE org_id = $1 AND customer_id = $2 AND refunded_on BETWEEN $3 AND $4) e \
     ORDER BY day, kind_order, id";
/// Payments in flight for a statement that reaches today (the partial index of
/// staged pending attempts).
pub(crate) const SQL_STATEMENT_PENDING: &str = "SELECT id, amount_minor, invoices, stage, created_at \
     FROM portal_payment_attempts WHERE org_id = $1 AND customer_id = $2 \
     AND status = 'pending' AND stage IS NOT NULL ORDER BY created_at";
/// One invoice of the customer, every column the portal reads.
pub(crate) const SQL_INVOICE: &str = "SELECT id, org_id, customer_id, kind, number, status, lines, currency, \
     total_minor, paid_minor, credited_minor, balance_minor, issue_date, due_date, \
     allow_partial_payments, payment_gateways, viewed_at, created_at, version, retainer_drawn_minor, \
     reserved_minor FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND id = $3 \
     AND status <> 'draft'";
pub(crate) const SQL_STATEMENT_AGING: &str = "SELECT \
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
pub(crate) const SQL_INVOICE_PAGE: &str = "SELECT id, org_id, customer_id, kind, number, status, lines, currency, \
     total_minor, paid_minor, credited_minor, balance_minor, issue_date, due_date, \
     allow_partial_payments, payment_gateways, viewed_at, created_at, version, retainer_drawn_minor, \
     reserved_minor FROM portal_invoices WHERE org_id = $1 AND customer_id = $2 AND status <> 'draft' \
     AND (issue_date, id) < ($3, $4) ORDER BY issue_date DESC, id DESC LIMIT $5";

pub(crate) fn days(d: Date) -> i64 {
    (d - date!(1970 - 01 - 01)).whole_days()
}

/// Each call's answer, reduced to what the portal and the baseline must agree on.
#[derive(Debug, PartialEq)]
pub(crate) enum Answer {
    Ids(Vec<Uuid>),
    Figures(Vec<i64>),
    Printed(Box<portal_core::print::Printable>),
}

/// The baselines, over either engine.
pub(crate) struct Baseline<'a, DB: Engine> {
    pub(crate) pool: &'a Pool<DB>,
    pub(crate) org: Uuid,
    pub(crate) customer: Uuid,
}

impl<DB: Engine> Baseline<'_, DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    pub(crate) async fn session(&self, token: &str) -> Answer {
        let hash = SecretToken::from_text(token).hash();
        let q = DB::bind(sqlx::query::<DB>(SQL_SESSION), hash.as_bytes().to_vec());
        let row = DB::bind(q, self.org)
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

    pub(crate) async fn payments(&self) -> Answer {
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

    pub(crate) async fn dashboard(&self, today: Date) -> Answer {
        let q = DB::bind(sqlx::query::<DB>(SQL_DASHBOARD), self.org);
        let q = DB::bind(q, self.customer);
        let row = DB::bind(q, days(today))
            .fetch_one(self.pool)
            .await
            .expect("dashboard");
        std::hint::black_box(
            DB::column::<Option<DB::Ts>>(&row, "last_paid_at").expect("last paid at"),
        );
        Answer::Figures(
            [
                "outstanding",
                "overdue",
                "credits",
                "retainers",
                "retainer_payments",
                "last_amount",
                "quotes",
                "pending",
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

    /// The statement's figures: opening, entries (their count), closing, over
    /// 90 days, open in all, payments in flight (a statement reaching `today`).
    pub(crate) async fn statement(&self, from: Date, to: Date, today: Date) -> Answer {
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
        let mut closing = opening;
        for row in &rows {
            let amount = DB::column::<i64>(row, "amount_minor").expect("amount");
            closing += amount;
            std::hint::black_box((
                DB::column::<i64>(row, "day").expect("day"),
                DB::column::<i64>(row, "kind_order").expect("kind"),
                DB::column::<Uuid>(row, "id").expect("id"),
                DB::column::<String>(row, "number").expect("number"),
                closing,
            ));
        }
        let q = DB::bind(sqlx::query::<DB>(SQL_STATEMENT_AGING), self.org);
        let q = DB::bind(q, self.customer);
        let aging = DB::bind(q, days(to))
            .fetch_one(self.pool)
            .await
            .expect("aging");
        let mut pending = 0;
        if to >= today {
            let q = DB::bind(sqlx::query::<DB>(SQL_STATEMENT_PENDING), self.org);
            for row in DB::bind(q, self.customer)
                .fetch_all(self.pool)
                .await
                .expect("pending")
            {
                std::hint::black_box((
                    DB::column::<Uuid>(&row, "id").expect("id"),
                    DB::column::<i64>(&row, "amount_minor").expect("amount"),
                    DB::column::<Json<serde_json::Value>>(&row, "invoices").expect("invoices"),
                    DB::column::<String>(&row, "stage").expect("stage"),
                    DB::column::<DB::Ts>(&row, "created_at").expect("created"),
                ));
                pending += 1;
            }
        }
        Answer::Figures(vec![
            opening,
            i64::try_from(rows.len()).expect("count"),
            closing,
            DB::column(&aging, "over_90").expect("over 90"),
            DB::column(&aging, "open_total").expect("open"),
            pending,
        ])
    }

    /// The printable statement: [`Self::statement`]'s reads, then the same
    /// formatting the portal does (of the statement the context read through the
    /// portal once, whose figures these reads are checked to equal).
    pub(crate) async fn printable_statement(
        &self,
        p: &Printing,
        from: Date,
        to: Date,
        today: Date,
    ) -> Answer {
        let figures = self.statement(from, to, today).await;
        assert_eq!(
            figures,
            statement_figures(&p.statement),
            "the same statement"
        );
        Answer::Printed(Box::new(portal_core::print::Printable::statement(
            &p.org,
            &p.customer,
            &p.statement,
            &p.reader,
        )))
    }

    /// The printable invoice: the invoice's row (every column, as the store reads
    /// it), then the portal's formatting of that invoice.
    pub(crate) async fn printable_invoice(&self, p: &Printing, today: Date) -> Answer {
        let q = DB::bind(sqlx::query::<DB>(SQL_INVOICE), self.org);
        let q = DB::bind(q, self.customer);
        let row = DB::bind(q, p.invoice.id.as_uuid())
            .fetch_one(self.pool)
            .await
            .expect("invoice");
        std::hint::black_box((
            DB::column::<String>(&row, "kind").expect("kind"),
            DB::column::<String>(&row, "number").expect("number"),
            DB::column::<String>(&row, "status").expect("status"),
            DB::column::<Json<serde_json::Value>>(&row, "lines").expect("lines"),
            DB::column::<String>(&row, "currency").expect("currency"),
            DB::column::<bool>(&row, "allow_partial_payments").expect("partial"),
            DB::column::<Json<serde_json::Value>>(&row, "payment_gateways").expect("gateways"),
            DB::column::<Option<DB::Ts>>(&row, "viewed_at").expect("viewed"),
            DB::column::<DB::Ts>(&row, "created_at").expect("created"),
            [
                "total_minor",
                "paid_minor",
                "credited_minor",
                "issue_date",
                "due_date",
                "retainer_drawn_minor",
                "reserved_minor",
            ]
            .map(|c| DB::column::<i64>(&row, c).expect("figure")),
        ));
        assert_eq!(
            (
                DB::column::<i64>(&row, "balance_minor").expect("balance"),
                DB::column::<i64>(&row, "version").expect("version"),
            ),
            (minor(&p.invoice.balance), p.invoice.version),
            "the invoice formatted is the one read"
        );
        Answer::Printed(Box::new(
            portal_core::print::Printable::invoice(
                &p.org,
                &p.customer,
                &p.invoice,
                today,
                &p.reader,
            )
            .expect("printable"),
        ))
    }

    /// The plans of the dashboard and statement baselines (`PORTAL_SCALE_EXPLAIN=1`):
    /// `EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite.
    pub(crate) async fn explain(&self, today: Date, from: Date, to: Date) {
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
            (SQL_STATEMENT_PENDING, vec![]),
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

    pub(crate) async fn invoice_page(&self, after: (i64, Uuid)) -> Answer {
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

pub(crate) fn minor(m: &Money) -> i64 {
    m.to_minor_units().expect("minor units")
}

pub(crate) async fn portal_session(f: &Focal) -> Answer {
    let s = f.portal.session(&f.token).await.expect("session");
    Answer::Ids(vec![s.contact_id().as_uuid(), s.customer_id().as_uuid()])
}

pub(crate) async fn portal_payments(s: &PortalSession) -> Answer {
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

pub(crate) async fn portal_dashboard(s: &PortalSession) -> Answer {
    let d = s.dashboard().await.expect("dashboard");
    Answer::Figures(vec![
        minor(&d.outstanding_invoices),
        minor(&d.overdue_invoices),
        minor(&d.available_credits),
        minor(&d.outstanding_retainers),
        minor(&d.available_retainer_payments),
        d.last_payment.map_or(0, |(m, _)| minor(&m)),
        i64::try_from(d.quotes_awaiting).expect("quotes"),
        minor(&d.payments_pending),
    ])
}

pub(crate) async fn portal_statement(s: &PortalSession, from: Date, to: Date) -> Answer {
    let st = s
        .statement(StatementPeriod::Custom { from, to })
        .await
        .expect("statement");
    statement_figures(&st)
}

/// What [`Baseline::statement`] answers, of a statement the portal made.
pub(crate) fn statement_figures(st: &portal_core::domain::Statement) -> Answer {
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
        i64::try_from(st.pending.len()).expect("pending"),
    ])
}

pub(crate) async fn portal_printable_statement(s: &PortalSession, from: Date, to: Date) -> Answer {
    Answer::Printed(Box::new(
        s.print()
            .statement(StatementPeriod::Custom { from, to })
            .await
            .expect("printable statement"),
    ))
}

pub(crate) async fn portal_printable_invoice(s: &PortalSession, id: InvoiceId) -> Answer {
    Answer::Printed(Box::new(
        s.print().invoice(id).await.expect("printable invoice"),
    ))
}

/// What the printable baselines format: read once through the portal.
pub(crate) struct Printing {
    pub(crate) org: portal_core::domain::Organization,
    pub(crate) customer: portal_core::domain::Customer,
    pub(crate) reader: portal_core::i18n::Reader,
    pub(crate) statement: portal_core::domain::Statement,
    pub(crate) invoice: portal_core::domain::Invoice,
}

pub(crate) async fn portal_invoice_page(s: &PortalSession, cursor: Option<&str>) -> Answer {
    let query = InvoiceQuery::new(s.today())
        .starting_after(cursor)
        .expect("cursor");
    let page = s.invoices().list(&query).await.expect("invoices");
    Answer::Ids(page.items.iter().map(|i| i.id.as_uuid()).collect())
}

pub(crate) type BoxAnswer<'a> = std::pin::Pin<Box<dyn Future<Output = Answer> + 'a>>;
