//! SQLite's Pay Now writes on one invoice, committed in batches. SQLite has one
//! writer at a time: each payment's start and record would take the write lock,
//! write their pages to the log and commit, one after another, with a hop to
//! the connection's thread and back for the `BEGIN`, the write and the `COMMIT`
//! of each while the lock is held. Here a write that arrives while a batch runs
//! waits for the next one, which runs the writes that waited, one after another
//! in one transaction, each in a savepoint of its own (a write that does not
//! qualify, or fails, is undone alone, as its own transaction would have been),
//! and commits once. The pages payments share (the invoice's, the last leaf of
//! each index) then reach the log once per batch, and the lock changes hands
//! once. A write is answered after its batch commits; the caller then makes it
//! durable as before ([`crate::log_sync::LogSync`]).

use std::sync::{Arc, Mutex};

use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Execute as _, Executor as _, Pool, SqlStr, Sqlite, SqliteConnection};
use tokio::sync::oneshot;

/// How many writes one batch runs at most, so that a batch's transaction (and
/// its undo journal) stays small.
const MOST: usize = 64;

/// A write's answer: its first row (none when it did not qualify and was undone),
/// or its error. A batch that failed as a whole (begin, commit, or an undo)
/// answers every write in it with an I/O error that names the failure: none of
/// them was made.
pub(crate) type Answer = Result<Option<SqliteRow>, sqlx::Error>;

/// A write answered later, whoever waits for it (the engines' type for it).
type Pending = crate::engine::Batched<Sqlite>;

/// How many writes are committed between two checkpoints run beside the
/// batches. A checkpoint copies the log's pages into the database file and
/// syncs both; SQLite makes one on the connection that commits once the log
/// passes 1 000 pages, and every payment would wait for the batches' connection
/// meanwhile. A write of a batch adds a few pages to the log (3 to 6 in the
/// scale bench), so a checkpoint on another connection after this many keeps
/// the log below that mark, and the batches' connection finds little or
/// nothing left to copy when it does pass it.
const CHECKPOINT_AFTER: u64 = 128;

/// The writes waiting for a batch, and the batches of one store.
#[derive(Debug)]
pub(crate) struct WriteBatches {
    /// The connection the batches run on.
    pool: Pool<Sqlite>,
    /// Where checkpoints run (the store's other connections).
    checkpoints: Pool<Sqlite>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    waiting: Vec<Job>,
    /// A task runs batches until nothing waits.
    running: bool,
    /// Batches committed, and writes committed in them.
    batches: u64,
    written: u64,
    /// Writes committed since the last checkpoint began.
    unchecked: u64,
    /// A checkpoint is running.
    checkpointing: bool,
    /// Checkpoints that ran to their end.
    checkpoints: u64,
}

/// One write: its statements, its values, and who waits for its answer.
#[derive(Debug)]
struct Job {
    sql: SqlStr,
    arguments: Option<SqliteArguments>,
    answer: oneshot::Sender<Answer>,
}

impl WriteBatches {
    /// Batches on `pool`'s connection (the store's relaxed one), checkpoints on
    /// `checkpoints`' (the store's others).
    pub(crate) fn new(pool: Pool<Sqlite>, checkpoints: Pool<Sqlite>) -> Arc<Self> {
        Arc::new(Self {
            pool,
            checkpoints,
            state: Mutex::new(State::default()),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // Every change to the state is made under the lock by code that cannot
        // panic midway.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Batches committed, writes committed in them, and checkpoints run.
    #[cfg(test)]
    fn counts(&self) -> (u64, u64, u64) {
        let state = self.state();
        (state.batches, state.written, state.checkpoints)
    }

    /// Queues `query` (its statements run in a savepoint of the next batch's
    /// transaction; its first row is its answer, and no row undoes it) and
    /// answers once its batch has committed. A caller that goes before its batch
    /// begins leaves nothing done; one that goes later leaves the write to commit
    /// with its batch, as a dropped call after its commit would.
    pub(crate) fn write(
        self: &Arc<Self>,
        mut query: Query<'_, Sqlite, SqliteArguments>,
    ) -> Pending {
        let arguments = match query.take_arguments() {
            Ok(arguments) => arguments,
            Err(e) => return Box::pin(std::future::ready(Err(sqlx::Error::Encode(e)))),
        };
        let (answer, answered) = oneshot::channel();
        let job = Job {
            sql: query.sql(),
            arguments,
            answer,
        };
        let start = {
            let mut state = self.state();
            state.waiting.push(job);
            !std::mem::replace(&mut state.running, true)
        };
        if start {
            let batches = self.clone();
            // A task of its own: a caller that goes does not stop the batch that
            // others wait for.
            tokio::spawn(async move { batches.batches().await });
        }
        Box::pin(async move {
            answered.await.unwrap_or_else(|_| {
                Err(sqlx::Error::Io(std::io::Error::other(
                    "the batch this write waited for stopped before it ran",
                )))
            })
        })
    }

    /// Runs batches until nothing waits.
    async fn batches(self: &Arc<Self>) {
        let mut running = Running {
            batches: self,
            done: false,
        };
        loop {
            let batch: Vec<Job> = {
                let mut state = self.state();
                if state.waiting.is_empty() {
                    state.running = false;
                    running.done = true;
                    return;
                }
                let take = state.waiting.len().min(MOST);
                state.waiting.drain(..take).collect()
            };
            let written = self.commit(batch).await;
            let checkpoint = {
                let mut state = self.state();
                state.batches += 1;
                state.written += written;
                state.unchecked += written;
                let due = state.unchecked >= CHECKPOINT_AFTER && !state.checkpointing;
                if due {
                    state.unchecked = 0;
                    state.checkpointing = true;
                }
                due
            };
            if checkpoint {
                let batches = Arc::clone(self);
                tokio::spawn(async move { batches.checkpoint().await });
            }
        }
    }

    /// Copies the log into the database file without waiting for any writer
    /// or reader (`PASSIVE`), on a connection of the other pool.
    async fn checkpoint(&self) {
        let ran = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&self.checkpoints)
            .await;
        let mut state = self.state();
        state.checkpointing = false;
        match ran {
            Ok((_, log, copied)) => {
                state.checkpoints += 1;
                tracing::debug!(log, copied, "checkpointed the write-ahead log");
            }
            Err(e) => tracing::warn!(error = %e, "a checkpoint of the write-ahead log failed"),
        }
    }

    /// Runs `batch` in one transaction and answers each write; how many were
    /// committed with a change.
    async fn commit(&self, batch: Vec<Job>) -> u64 {
        let mut answers: Vec<(oneshot::Sender<Answer>, Answer)> = Vec::with_capacity(batch.len());
        let mut jobs = batch.into_iter();
        let failed = match self.pool.acquire().await {
            Ok(mut conn) => {
                let ran = Self::run(&mut conn, &mut jobs, &mut answers).await;
                if ran.is_err() {
                    // A failure can leave the connection inside a transaction
                    // SQLite already ended (the driver then counts one open
                    // forever): it is not used again, and the pool opens another.
                    let _ = conn.close().await;
                }
                ran.err()
            }
            Err(e) => Some(e),
        };
        let Some(failed) = failed else {
            let written = answers
                .iter()
                .filter(|(_, a)| matches!(a, Ok(Some(_))))
                .count();
            for (to, answer) in answers {
                let _ = to.send(answer);
            }
            return u64::try_from(written).unwrap_or(u64::MAX);
        };
        tracing::warn!(error = %failed, "a batch of Pay Now writes failed; none was made");
        let reason = failed.to_string();
        for to in answers
            .into_iter()
            .map(|(to, _)| to)
            .chain(jobs.map(|j| j.answer))
        {
            let _ = to.send(Err(sqlx::Error::Io(std::io::Error::other(format!(
                "the batch of writes this one was in failed, and none was made: {reason}"
            )))));
        }
        0
    }

    /// The batch's transaction on `conn`: each write of `jobs` in turn, its
    /// answer kept in `answers` until the commit.
    async fn run(
        conn: &mut SqliteConnection,
        jobs: &mut std::vec::IntoIter<Job>,
        answers: &mut Vec<(oneshot::Sender<Answer>, Answer)>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = sqlx::Connection::begin_with(conn, "BEGIN IMMEDIATE").await?;
        for job in jobs.by_ref() {
            if job.answer.is_closed() {
                // Its caller went before the batch began: not made.
                continue;
            }
            match Self::one(&mut tx, job.sql, job.arguments).await {
                Ok(answer) => answers.push((job.answer, answer)),
                Err(e) => {
                    // Answered with the batch's failure, as the rest.
                    answers.push((job.answer, Ok(None)));
                    return Err(e);
                }
            }
        }
        tx.commit().await
    }

    /// One write in a savepoint of `tx`: its first row, or undone. `Err` only
    /// when the undo fails (the transaction is then given up).
    async fn one(
        tx: &mut SqliteConnection,
        sql: SqlStr,
        arguments: Option<SqliteArguments>,
    ) -> Result<Answer, sqlx::Error> {
        // The savepoint is opened in the same call as the write (one hop to the
        // connection's thread), and a write that is kept stays inside its
        // savepoint until the commit releases them all.
        let script = sqlx::AssertSqlSafe(format!("SAVEPOINT pay_now; {}", sql.as_str()));
        let query = match arguments {
            Some(arguments) => sqlx::query_with(script, arguments),
            None => sqlx::query(script),
        };
        let rows = query.fetch_all(&mut *tx).await;
        match rows {
            Ok(rows) if !rows.is_empty() => Ok(Ok(rows.into_iter().next())),
            other => {
                // Undone: the write's own changes, back to its savepoint. A
                // savepoint that is gone (SQLite rolled the whole transaction
                // back on an error such as a full disk) fails the batch.
                tx.execute("ROLLBACK TO pay_now; RELEASE pay_now").await?;
                Ok(other.map(|_| None))
            }
        }
    }
}

/// The batches' task, however it ends: the next write starts another, and a
/// write left waiting by a task that stopped midway is answered with an error.
struct Running<'a> {
    batches: &'a WriteBatches,
    done: bool,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let waiting = {
            let mut state = self.batches.state();
            state.running = false;
            std::mem::take(&mut state.waiting)
        };
        // Their answers are dropped: each caller hears that its batch stopped.
        drop(waiting);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row as _;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

    /// A database file in WAL mode with a table of kept values, the batches over
    /// a connection of their own, and another pool (for checkpoints, and for a
    /// test to hold the write lock).
    async fn store() -> (std::path::PathBuf, Arc<WriteBatches>, Pool<Sqlite>) {
        let dir = std::env::temp_dir().join(format!("portal-batches-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let options = SqliteConnectOptions::new()
            .filename(dir.join("db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(std::time::Duration::from_secs(10));
        let others = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options.clone())
            .await
            .expect("pool");
        sqlx::raw_sql("CREATE TABLE kept (id INTEGER PRIMARY KEY, what TEXT NOT NULL)")
            .execute(&others)
            .await
            .expect("table");
        let one = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .expect("pool");
        (dir, WriteBatches::new(one, others.clone()), others)
    }

    /// Inserts `id`, then answers a row if `keep`.
    fn insert(batches: &Arc<WriteBatches>, id: i64, keep: bool) -> Pending {
        batches.write(
            sqlx::query("INSERT INTO kept VALUES ($1, 'x'); SELECT 1 WHERE $2")
                .bind(id)
                .bind(keep),
        )
    }

    async fn ids(pool: &Pool<Sqlite>) -> Vec<i64> {
        sqlx::query("SELECT id FROM kept ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("ids")
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    /// Waits until `n` writes wait for a batch.
    async fn waiting(batches: &WriteBatches, n: usize) {
        while batches.state().waiting.len() < n {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    }

    /// Another connection takes the write lock, and a first write (id 1) is
    /// queued: its batch waits to begin, so the writes queued after it wait
    /// for the next batch until the lock is given back.
    async fn held(
        batches: &Arc<WriteBatches>,
        others: &Pool<Sqlite>,
    ) -> (
        sqlx::Transaction<'static, Sqlite>,
        tokio::task::JoinHandle<Answer>,
    ) {
        let lock = others.begin_with("BEGIN IMMEDIATE").await.expect("lock");
        let first = tokio::spawn(insert(batches, 1, true));
        while !batches.state().running || !batches.state().waiting.is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        (lock, first)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_that_wait_commit_together_and_each_is_undone_alone() {
        let (dir, batches, others) = store().await;
        let (lock, first) = held(&batches, &others).await;
        let kept = tokio::spawn(insert(&batches, 2, true));
        // Changes its row, then answers none: undone.
        let declined = tokio::spawn(insert(&batches, 3, false));
        // Changes its row, then fails on a key taken: undone, with its error.
        let failed = tokio::spawn(batches.write(sqlx::query(
            "INSERT INTO kept VALUES (4, 'x'); INSERT INTO kept VALUES (2, 'again'); SELECT 1",
        )));
        let also = tokio::spawn(insert(&batches, 5, true));
        waiting(&batches, 4).await;
        lock.rollback().await.expect("unlock");

        assert!(first.await.expect("task").expect("written").is_some());
        assert!(kept.await.expect("task").expect("written").is_some());
        assert!(declined.await.expect("task").expect("answered").is_none());
        match failed.await.expect("task") {
            Err(sqlx::Error::Database(e)) => assert!(e.is_unique_violation(), "{e}"),
            other => panic!("the write's own error, not {other:?}"),
        }
        assert!(also.await.expect("task").expect("written").is_some());
        assert_eq!(
            ids(&others).await,
            [1, 2, 5],
            "what was kept, and only that"
        );
        let (batches_run, written, _) = batches.counts();
        assert_eq!(
            (batches_run, written),
            (2, 3),
            "the four writes that waited ran in one batch"
        );
        std::fs::remove_dir_all(&dir).expect("clean");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_gone_before_its_batch_leaves_nothing_and_a_failed_batch_makes_nothing() {
        let (dir, batches, others) = store().await;
        let (lock, first) = held(&batches, &others).await;
        // A caller that goes while its write waits.
        drop(insert(&batches, 2, true));
        let kept = tokio::spawn(insert(&batches, 3, true));
        // A write that ends the batch's transaction under it, then fails: its
        // savepoint is gone, so the whole batch is given up.
        let breaker =
            tokio::spawn(batches.write(sqlx::query("ROLLBACK; SELECT * FROM no_such_table")));
        let after = tokio::spawn(insert(&batches, 4, true));
        waiting(&batches, 4).await;
        lock.rollback().await.expect("unlock");

        assert!(first.await.expect("task").expect("written").is_some());
        for task in [kept, breaker, after] {
            match task.await.expect("task") {
                Err(sqlx::Error::Io(e)) => assert!(e.to_string().contains("none was made"), "{e}"),
                other => panic!("the batch's failure, not {other:?}"),
            }
        }
        assert_eq!(
            ids(&others).await,
            [1],
            "nothing of the failed batch, nor of the caller gone"
        );
        // The next write runs in a batch of its own, on a connection left usable.
        assert!(insert(&batches, 6, true).await.expect("written").is_some());
        assert_eq!(ids(&others).await, [1, 6]);
        std::fs::remove_dir_all(&dir).expect("clean");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_log_is_checkpointed_beside_the_batches() {
        let (dir, batches, others) = store().await;
        let n = i64::try_from(CHECKPOINT_AFTER).expect("n");
        for id in 1..=n {
            assert!(insert(&batches, id, true).await.expect("written").is_some());
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while batches.counts().2 == 0 {
            assert!(std::time::Instant::now() < deadline, "no checkpoint ran");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let (_, written, checkpoints) = batches.counts();
        assert_eq!((written, checkpoints), (CHECKPOINT_AFTER, 1));
        // The log was copied into the database file: a checkpoint now finds
        // nothing left to copy.
        let (_, log, copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&others)
            .await
            .expect("checkpoint");
        assert_eq!(log, copied);
        std::fs::remove_dir_all(&dir).expect("clean");
    }
}
