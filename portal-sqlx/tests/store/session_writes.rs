//! A new session and a session's last-seen time are the writes a power loss may
//! undo without harm (the user signs in again), so they commit without waiting
//! for the disk: both stores write them on connections of their own, with
//! PostgreSQL's `synchronous_commit = off` and SQLite's `synchronous = NORMAL`.
//! Every other write keeps waiting, but for SQLite's Pay Now on one invoice,
//! which commits there too and syncs the log before it answers. A trigger on the sessions table notes the setting in
//! force when each session row is written: by the accepted invitation (in the same
//! transaction as the password), by a sign-in and by a touch.

use crate::common;

use std::sync::Arc;

use common::paying::{paying_portal, signed_in};
use portal_sqlx::PostgresStore;
use portal_sqlx::sqlx;

/// The setting noted by the trigger, per write, in order.
const SEEN: &str = "SELECT op, setting FROM session_writes ORDER BY n";

/// Through a portal over `store`: accepts an invitation (its session is written
/// with the password), signs in again, then touches that new session an hour
/// later: the durable write, then the two relaxed ones.
async fn write_sessions(store: Arc<dyn portal_core::Backend>) {
    let (portal, mailer) = paying_portal(store.clone());
    let (first, _) = signed_in(&portal, &mailer).await;
    let email = first.email().expect("email").as_str().to_owned();
    let again = portal
        .sign_in(
            first.org_slug().as_str(),
            &email,
            "hold it right there",
            &portal_core::auth::ClientKey::unknown(),
        )
        .await
        .expect("sign in")
        .session;
    store
        .touch_session(
            again.org_id(),
            again.id(),
            portal_core::OffsetDateTime::now_utc() + time::Duration::hours(1),
        )
        .await
        .expect("touch");
}

/// The trigger's notes equal `expected`: (operation, setting) per write, in order.
fn assert_notes(seen: &[(String, String)], expected: [(&str, &str); 3]) {
    assert_eq!(
        seen,
        expected.map(|(op, s)| (op.to_owned(), s.to_owned())),
        "the invitation's session commits with the password; sign-in and touch do not wait"
    );
}

#[tokio::test]
async fn postgres_session_writes_skip_the_wal_flush_and_nothing_else_does() {
    let Some(options) = common::fresh_schema().await else {
        return;
    };
    // Opened as `connect` opens it: its pool, and its relaxed connections.
    let store = PostgresStore::connect_with(options).await.expect("connect");
    let pool = store.pool().clone();
    sqlx::raw_sql(
        "CREATE TABLE session_writes (n bigserial, op text, setting text); \
         CREATE FUNCTION note_session_write() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN INSERT INTO session_writes (op, setting) \
         VALUES (TG_OP, current_setting('synchronous_commit')); RETURN NEW; END $$; \
         CREATE TRIGGER note AFTER INSERT OR UPDATE ON portal_sessions \
         FOR EACH ROW EXECUTE FUNCTION note_session_write()",
    )
    .execute(&pool)
    .await
    .expect("trigger");
    write_sessions(Arc::new(store)).await;

    let seen: Vec<(String, String)> = sqlx::query_as(SEEN).fetch_all(&pool).await.expect("seen");
    assert_notes(
        &seen,
        [("INSERT", "on"), ("INSERT", "off"), ("UPDATE", "off")],
    );
    let (mut a, mut b) = (
        pool.acquire().await.expect("a"),
        pool.acquire().await.expect("b"),
    );
    for conn in [&mut a, &mut b] {
        let setting: String = sqlx::query_scalar("SHOW synchronous_commit")
            .fetch_one(&mut **conn)
            .await
            .expect("show");
        assert_eq!(
            setting, "on",
            "the store's other connections wait for the disk"
        );
    }
}

/// On SQLite: a trigger for each `(op, event, table)` notes `op` and the
/// `synchronous` setting in force when a row of `table` is written, in
/// `session_writes` (read back by [`noted`]).
async fn note_synchronous(store: &portal_sqlx::SqliteStore, notes: &[(&str, &str, &str)]) {
    let mut sql =
        String::from("CREATE TABLE session_writes (n INTEGER PRIMARY KEY, op TEXT, setting TEXT);");
    for (i, (op, event, table)) in notes.iter().enumerate() {
        sql += &format!(
            " CREATE TRIGGER note_{i} AFTER {event} ON {table} BEGIN \
             INSERT INTO session_writes (op, setting) \
             SELECT '{op}', CAST(synchronous AS TEXT) FROM pragma_synchronous; END;"
        );
    }
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(store.pool())
        .await
        .expect("trigger");
}

/// What the triggers of [`note_synchronous`] noted, in order.
async fn noted(store: &portal_sqlx::SqliteStore) -> Vec<(String, String)> {
    sqlx::query_as(SEEN)
        .fetch_all(store.pool())
        .await
        .expect("seen")
}

#[tokio::test]
async fn sqlite_session_writes_skip_the_fsync_and_nothing_else_does() {
    let path = common::sqlite_path();
    let store = common::sqlite_at(&path).await;
    note_synchronous(
        &store,
        &[
            ("INSERT", "INSERT", "portal_sessions"),
            ("UPDATE", "UPDATE", "portal_sessions"),
        ],
    )
    .await;
    write_sessions(Arc::new(store.clone())).await;

    let seen = noted(&store).await;
    // 2 is FULL (the commit syncs the WAL), 1 is NORMAL.
    assert_notes(&seen, [("INSERT", "2"), ("INSERT", "1"), ("UPDATE", "1")]);
    store.pool().close().await;
    portal_sqlx::testing::remove_sqlite_files(&path);
}

#[tokio::test]
async fn sqlite_pay_now_commits_without_the_fsync_then_syncs_the_log_before_it_answers() {
    let path = common::sqlite_path();
    let store = common::sqlite_at(&path).await;
    note_synchronous(
        &store,
        &[
            ("attempt", "INSERT", "portal_payment_attempts"),
            ("payment", "INSERT", "portal_payments"),
        ],
    )
    .await;
    let (portal, mailer) = paying_portal(Arc::new(store.clone()));
    let (session, invoices) = signed_in(&portal, &mailer).await;
    let before = store.log_syncs();
    session
        .invoices()
        .pay(portal_core::prelude::PayRequest {
            invoices: portal_core::prelude::InvoiceSelection::Chosen(vec![invoices[0]]),
            amount: Some(portal_core::prelude::Money::from_minor_units(
                2_500,
                session.currency(),
            )),
            source: common::paying::card(portal_memory::cards::VISA_OK),
            idempotency_key: "sync-after-commit-1".into(),
        })
        .await
        .expect("paid");
    assert_eq!(
        store.log_syncs() - before,
        2,
        "the log is synced after the start and after the record, before each answers"
    );
    // An offline payment waits for the disk as it commits.
    portal
        .org(session.org_id())
        .invoices()
        .record_offline_payment(
            session.customer_id(),
            portal_core::prelude::Money::from_minor_units(1_000, session.currency()),
            "bank transfer",
            portal_core::OffsetDateTime::now_utc(),
            &[invoices[1]],
        )
        .await
        .expect("offline payment");
    let seen = noted(&store).await;
    // 1 is NORMAL: the commit does not sync, the store syncs after it; 2 is
    // FULL: the commit syncs.
    assert_eq!(
        seen,
        [("attempt", "1"), ("payment", "1"), ("payment", "2")]
            .map(|(op, s)| (op.to_owned(), s.to_owned()))
    );
    store.pool().close().await;
    portal_sqlx::testing::remove_sqlite_files(&path);
}
