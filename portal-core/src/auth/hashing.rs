//! Password hashing off the async runtime.
//!
//! One argon2id hash or verification is 10 to 20 ms of one CPU, on purpose. Run
//! on the caller's executor thread, a burst of sign-ins (credential stuffing, a
//! morning rush) holds every worker thread of a small host and stalls every other
//! request. [`HashingPool`] runs each on Tokio's blocking threads instead, at most
//! `concurrency` at a time; the rest wait their turn, first come first served,
//! without holding a worker thread. What the pool bounds is the CPU the hashes take
//! together: the async workers stay free to answer everything else.

use std::sync::Arc;

use tokio::sync::Semaphore;

use super::password::{HashingError, Password, PasswordHasherConfig};
use crate::domain::PasswordHash;

/// Runs argon2id hashing and verification on Tokio's blocking threads, at most
/// `concurrency` at once (queued beyond that, in arrival order). Cheap to clone.
///
/// Needs a Tokio runtime (any flavour); calls made outside one panic, as
/// `tokio::task::spawn_blocking` does.
#[derive(Debug, Clone)]
pub struct HashingPool {
    hasher: PasswordHasherConfig,
    permits: Arc<Semaphore>,
    concurrency: usize,
}

impl HashingPool {
    /// A pool that runs at most `concurrency` hashes at once (at least one).
    #[must_use]
    pub fn new(hasher: PasswordHasherConfig, concurrency: usize) -> Self {
        let concurrency = concurrency.clamp(1, Semaphore::MAX_PERMITS);
        Self {
            hasher,
            permits: Arc::new(Semaphore::new(concurrency)),
            concurrency,
        }
    }

    /// The default bound: the number of CPUs the process may use.
    #[must_use]
    pub fn default_concurrency() -> usize {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    }

    /// How many hashes run at once at most.
    #[must_use]
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Runs `work` on a blocking thread once a permit is free, in the caller's
    /// tracing span.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&PasswordHasherConfig) -> T + Send + 'static,
    ) -> Result<T, HashingError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| HashingError::new("the hashing pool is closed"))?;
        let hasher = self.hasher.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            span.in_scope(|| work(&hasher))
        })
        .await
        .map_err(|e| HashingError::new(&format!("the hashing task failed: {e}")))
    }

    /// Hashes a new password with a fresh salt.
    ///
    /// # Errors
    /// [`HashingError`] if the system's random source fails.
    pub async fn hash(&self, password: Password) -> Result<PasswordHash, HashingError> {
        self.run(move |h| h.hash(&password)).await?
    }

    /// Whether `candidate` matches `hash`. A corrupt hash, or a failure of the
    /// pool, verifies as false.
    pub async fn verify(&self, candidate: &str, hash: &PasswordHash) -> bool {
        // The event callers count, on the caller's thread (see
        // `PasswordHasherConfig::verify`); the work runs on the pool.
        tracing::trace!(target: "portal_core::password", "argon2id verification");
        let (candidate, hash) = (candidate.to_owned(), hash.clone());
        self.run(move |h| h.verify_quietly(&candidate, &hash))
            .await
            .unwrap_or(false)
    }

    /// Spends the work of [`Self::verify`] against a dummy hash, so that a sign-in
    /// for an unknown email costs what one for a known email costs.
    pub async fn verify_dummy(&self, candidate: &str) {
        tracing::trace!(target: "portal_core::password", "argon2id verification");
        let candidate = candidate.to_owned();
        let _ = self.run(move |h| h.verify_dummy_quietly(&candidate)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::HashingCost;

    #[tokio::test(flavor = "current_thread")]
    async fn hashes_and_verifies_off_the_runtime_thread() {
        let pool = HashingPool::new(
            PasswordHasherConfig::new(HashingCost::default()).expect("hasher"),
            2,
        );
        assert_eq!(pool.concurrency(), 2);
        let password = Password::new("correct horse battery staple", &[]).expect("policy");
        let hash = pool.hash(password).await.expect("hash");
        assert!(pool.verify("correct horse battery staple", &hash).await);
        assert!(!pool.verify("correct horse battery stapl", &hash).await);
        pool.verify_dummy("anything").await;
        assert_eq!(HashingPool::new(pool.hasher.clone(), 0).concurrency(), 1);
    }
}
