//! Syncing SQLite's write-ahead log for every committer waiting at once: a
//! commit made without a sync (`synchronous = NORMAL`) is durable once the log
//! file is synced after it, and one sync serves every commit made before it
//! started. So while one sync runs, the commits that come meanwhile wait for the
//! next, and share it.

use std::path::PathBuf;
use std::sync::Mutex;

use tokio::sync::Notify;

/// One log file's syncs, shared by the store's clones.
#[derive(Debug)]
pub(crate) struct LogSync {
    path: PathBuf,
    state: Mutex<State>,
    synced: Notify,
}

/// Commits are counted as they ask to be made durable; a sync that starts
/// after the `n`th ask makes the first `n` durable.
#[derive(Debug, Default)]
struct State {
    asked: u64,
    durable: u64,
    syncing: bool,
    /// Syncs started.
    syncs: u64,
    /// Syncs that ended without error.
    completed: u64,
}

impl LogSync {
    /// The syncs of the log file at `path`.
    pub(crate) fn new(path: PathBuf) -> Self {
        Self {
            path,
            state: Mutex::new(State::default()),
            synced: Notify::new(),
        }
    }

    /// How many syncs have completed without error.
    #[cfg(feature = "test-support")]
    pub(crate) fn completed(&self) -> u64 {
        self.state().completed
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // Every change to the state is made under the lock by code that cannot
        // panic midway: a panic elsewhere cannot leave it half changed.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Returns once everything committed before the call is on the disk: after a
    /// sync that started after the call, this caller's or another's.
    ///
    /// # Errors
    /// The sync's error (the next caller tries again).
    pub(crate) async fn sync(&self) -> std::io::Result<()> {
        let ticket = {
            let mut state = self.state();
            state.asked += 1;
            state.asked
        };
        loop {
            // Created before the state is read, so a sync that ends in between
            // still wakes it.
            let synced = self.synced.notified();
            let covers = {
                let mut state = self.state();
                if state.durable >= ticket {
                    return Ok(());
                }
                if state.syncing {
                    None
                } else {
                    state.syncing = true;
                    state.syncs += 1;
                    Some(state.asked)
                }
            };
            let Some(covers) = covers else {
                synced.await;
                continue;
            };
            let mut running = Running {
                sync: self,
                covers: None,
            };
            let path = self.path.clone();
            let result = tokio::task::spawn_blocking(move || sync_file(&path))
                .await
                .unwrap_or_else(|e| Err(std::io::Error::other(e)));
            if result.is_ok() {
                running.covers = Some(covers);
            }
            drop(running);
            return result;
        }
    }
}

/// The sync in progress: when it ends, however it ends (an error, or its caller
/// gone), the next may start, and the waiters look again.
struct Running<'a> {
    sync: &'a LogSync,
    covers: Option<u64>,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        {
            let mut state = self.sync.state();
            state.syncing = false;
            if let Some(covers) = self.covers {
                state.durable = state.durable.max(covers);
                state.completed += 1;
            }
        }
        self.sync.synced.notify_waiters();
    }
}

/// Syncs the file's data to the disk. A log that is gone was checkpointed into
/// the database file, which the checkpoint synced: nothing is left to sync.
fn sync_file(path: &std::path::Path) -> std::io::Result<()> {
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(file) => file.sync_data(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn log() -> (PathBuf, Arc<LogSync>) {
        let dir = std::env::temp_dir().join(format!("portal-log-sync-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("db-wal");
        std::fs::write(&path, b"log").expect("log");
        (dir, Arc::new(LogSync::new(path)))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_who_come_during_a_sync_share_the_next_one() {
        let (dir, sync) = log();
        // A sync is running, started before any of the callers asked.
        sync.state().syncing = true;
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let sync = sync.clone();
                tokio::spawn(async move { sync.sync().await })
            })
            .collect();
        while sync.state().asked < 10 {
            tokio::task::yield_now().await;
        }
        for _ in 0..20 {
            tokio::task::yield_now().await;
        }
        assert_eq!(
            sync.state().durable,
            0,
            "nobody is told before a sync after its call"
        );
        // The running sync ends, covering none of them.
        drop(Running {
            sync: &sync,
            covers: Some(0),
        });
        for t in tasks {
            t.await.expect("task").expect("synced");
        }
        let state = sync.state();
        assert_eq!(
            (state.durable, state.syncs),
            (10, 1),
            "one sync served the ten"
        );
        assert!(!state.syncing);
        drop(state);
        std::fs::remove_dir_all(&dir).expect("clean");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_caller_is_covered_and_a_missing_log_is_durable() {
        let (dir, sync) = log();
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let sync = sync.clone();
                tokio::spawn(async move { sync.sync().await })
            })
            .collect();
        for t in tasks {
            t.await.expect("task").expect("synced");
        }
        {
            let state = sync.state();
            assert_eq!((state.asked, state.durable), (64, 64));
            assert!(state.syncs >= 1 && state.syncs <= 64);
        }
        // A log checkpointed away leaves nothing to sync.
        std::fs::remove_dir_all(&dir).expect("clean");
        sync.sync().await.expect("a missing log is durable already");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_sync_fails_its_caller_and_the_next_tries_again() {
        let (dir, sync) = log();
        // A directory where the log should be: opening it for writing fails.
        let bad = Arc::new(LogSync::new(dir.clone()));
        assert!(bad.sync().await.is_err());
        assert!(!bad.state().syncing, "a failed sync lets the next start");
        assert_eq!(bad.state().durable, 0);
        assert!(bad.sync().await.is_err(), "and the next tries again");
        assert_eq!(bad.state().syncs, 2);
        sync.sync().await.expect("synced");
        std::fs::remove_dir_all(&dir).expect("clean");
    }
}
