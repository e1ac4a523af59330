//! Sends the outbox through the mailer, retrying failures with backoff (N4).

use time::Duration;
use tracing::instrument;

use super::Portal;
use crate::error::Result;
use crate::mailer::{EmailMessage, MailerError};

/// What one dispatch run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    /// Emails handed to the mail server.
    pub sent: u32,
    /// Emails that failed for now and will be retried.
    pub deferred: u32,
    /// Emails the mail server refused for good.
    pub rejected: u32,
}

impl Portal {
    /// Sends up to `limit` due emails of the outbox. A failure leaves the email
    /// pending with a growing delay (30 s, 1 min, 2 min, ... up to 1 hour by
    /// default); nothing is dropped while the mail server is down. Emails are claimed
    /// with a lease first, so several dispatchers can run at once without sending
    /// an email twice (unless one dies after sending and before recording it: then
    /// the email is sent again after the lease, at least once rather than never).
    /// Call it from a timer in the host app.
    ///
    /// # Errors
    /// Store errors (mailer failures are counted in the report, not returned).
    #[instrument(skip_all)]
    pub async fn dispatch_emails(&self, limit: u32) -> Result<DispatchReport> {
        let inner = &self.inner;
        let now = self.now();
        let claimed = inner
            .store
            .claim_due_emails(now, now + inner.config.dispatch_lease, limit)
            .await?;
        let mut report = DispatchReport::default();
        for email in claimed {
            let message = EmailMessage {
                to: email.to.clone(),
                subject: email.subject.clone(),
                body: email.body.clone(),
            };
            match inner.mailer.send(&message).await {
                Ok(()) => {
                    inner.store.mark_email_sent(email.id, self.now()).await?;
                    report.sent += 1;
                }
                Err(MailerError::Rejected(why)) => {
                    tracing::warn!(email = %email.id, %why, "email rejected");
                    inner
                        .store
                        .mark_email_failed(email.id, &why, self.now(), false)
                        .await?;
                    report.rejected += 1;
                }
                Err(e) => {
                    let delay = self.retry_delay(email.attempts);
                    tracing::warn!(email = %email.id, error = %e, ?delay, "email deferred");
                    inner
                        .store
                        .mark_email_failed(email.id, &e.to_string(), self.now() + delay, true)
                        .await?;
                    report.deferred += 1;
                }
            }
        }
        Ok(report)
    }

    /// The delay before the next attempt after `attempts` earlier attempts failed.
    fn retry_delay(&self, attempts: u32) -> Duration {
        let config = &self.inner.config;
        let factor = 2_i32.saturating_pow(attempts.min(20));
        config
            .retry_base_delay
            .checked_mul(factor)
            .unwrap_or(config.retry_max_delay)
            .min(config.retry_max_delay)
    }
}
