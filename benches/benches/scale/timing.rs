//! How calls are timed: in turn, in a new order each round, medians; the sign-in
//! work beside one verification; Pay Now's rate with many clients.

use super::*;

/// One way to answer a call: the portal's or the baseline's, on one store.
pub(crate) type Call<'a> = Box<dyn FnMut() -> BoxAnswer<'a> + 'a>;

pub(crate) fn call<'a, F, Fut>(mut f: F) -> Call<'a>
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
pub(crate) async fn race(budget: Duration, calls: &mut [&mut Call<'_>]) -> Vec<Duration> {
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

pub(crate) fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// What the calls of one store need: its baseline and the call arguments.
pub(crate) struct Context<'a, DB: Engine> {
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
    /// What the printable baselines format.
    printing: Printing,
}

pub(crate) const FIRST: (i64, Uuid) = (i64::MAX, Uuid::max());

impl<'a, DB: Engine> Context<'a, DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Reads what the calls need, and checks every portal answer equals its
    /// baseline's.
    pub(crate) async fn new(f: &'a Focal, pool: &'a Pool<DB>) -> Self {
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
        let (from, to) = (date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        let first = s
            .invoices()
            .list(&InvoiceQuery::new(today))
            .await
            .expect("first page")
            .items[0]
            .id;
        let admin = f.portal.org(s.org_id());
        let printing = Printing {
            org: admin.organization().await.expect("organization"),
            customer: admin
                .customers()
                .get(s.customer_id())
                .await
                .expect("customer"),
            reader: s.reader(),
            statement: s
                .statement(StatementPeriod::Custom { from, to })
                .await
                .expect("statement"),
            invoice: s.invoices().get(first).await.expect("invoice"),
        };
        let c = Self {
            f,
            base: Baseline {
                pool,
                org: f.org,
                customer: f.customer,
            },
            today,
            from,
            to,
            cursor,
            deep: (last.key, last.id),
            hash: PasswordHash::from_phc(hash),
            hasher: PasswordHasherConfig::new(HashingCost::default()).expect("hasher"),
            light_hash: light_contact(pool, f.org).await,
            printing,
        };
        let (base, s) = (&c.base, &f.session);
        let checks: [(&str, Answer, Answer); 8] = [
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
                base.statement(c.from, c.to, c.today).await,
            ),
            (
                "printable statement",
                portal_printable_statement(s, c.from, c.to).await,
                base.printable_statement(&c.printing, c.from, c.to, c.today)
                    .await,
            ),
            (
                "printable invoice",
                portal_printable_invoice(s, c.printing.invoice.id).await,
                base.printable_invoice(&c.printing, c.today).await,
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
    pub(crate) fn sign_in_and_verify(
        &'a self,
        email: &'static str,
        hash: &'a PasswordHash,
    ) -> [Call<'a>; 2] {
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
    pub(crate) fn light_sign_in(&'a self) -> [Call<'a>; 2] {
        self.sign_in_and_verify(LIGHT_EMAIL, &self.light_hash)
    }

    /// Each call: its name, how long to run it, the portal's way and the SQL's.
    pub(crate) fn calls(&'a self) -> Vec<(&'static str, Duration, Call<'a>, Call<'a>)> {
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
                call(move || base.statement(self.from, self.to, self.today)),
            ),
            (
                "printable statement(2026)",
                second,
                call(move || portal_printable_statement(s, self.from, self.to)),
                call(move || {
                    base.printable_statement(&self.printing, self.from, self.to, self.today)
                }),
            ),
            (
                "printable invoice",
                second,
                call(move || portal_printable_invoice(s, self.printing.invoice.id)),
                call(move || base.printable_invoice(&self.printing, self.today)),
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
pub(crate) struct OneCpu {
    /// The CPUs the process could run on, as `taskset` reads them (`0-1`).
    before: Option<String>,
}

impl OneCpu {
    pub(crate) fn pin() -> Self {
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
    pub(crate) fn taskset(cpus: &str) -> bool {
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
pub(crate) type Timing = [Duration; 4];

pub(crate) async fn measure<DB: Engine>(
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
pub(crate) async fn light_contact<DB: Engine>(pool: &Pool<DB>, org: Uuid) -> PasswordHash
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
pub(crate) async fn sign_in_work<DB: Engine>(
    small: &Context<'_, DB>,
    big: &Context<'_, DB>,
) -> [Duration; 2]
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
pub(crate) async fn pay_by_card(
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

/// One client paying 1.00 of the bench's invoice: `true` when paid, `false` when
/// refused.
pub(crate) trait Payer: Send + 'static {
    fn pay(&self, idempotency_key: String) -> impl Future<Output = bool> + Send;
}

/// A client of the portal: its own session.
struct PortalPayer {
    session: PortalSession,
    invoice: InvoiceId,
}

impl Payer for PortalPayer {
    async fn pay(&self, idempotency_key: String) -> bool {
        pay_by_card(&self.session, self.invoice, idempotency_key)
            .await
            .is_ok()
    }
}

/// Runs each of `payers` as a client paying until `length` has passed, each
/// payment with a new idempotency key: the payments made, those refused, and
/// the seconds it took.
pub(crate) async fn pay_concurrently<P: Payer>(
    payers: Vec<P>,
    length: Duration,
) -> (usize, usize, f64) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (client, payer) in payers.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            let (mut paid, mut refused) = (0_usize, 0_usize);
            let mut n = 0;
            while started.elapsed() < length {
                n += 1;
                if payer
                    .pay(format!("scale-{client}-{n}-{}", Uuid::now_v7()))
                    .await
                {
                    paid += 1;
                } else {
                    refused += 1;
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
    (paid, refused, started.elapsed().as_secs_f64())
}

/// Pay Now calls per second from `clients` concurrent clients (each signed in
/// with a session of its own), each paying 1.00 of the same invoice, for
/// `length`; then checks nothing was overcharged.
pub(crate) async fn pay_now_rate(f: &Focal, clients: usize, length: Duration) -> (f64, usize) {
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
    let mut payers = Vec::new();
    for _ in 0..clients {
        payers.push(PortalPayer {
            session: f.portal.session(&f.token).await.expect("session"),
            invoice: f.pay_invoice,
        });
    }
    let (paid, refused, seconds) = pay_concurrently(payers, length).await;
    assert_eq!(
        before - balance_of().await,
        i64::try_from(paid * 100).expect("paid"),
        "every recorded payment, and nothing more, came off the balance"
    );
    (paid as f64 / seconds, refused)
}
