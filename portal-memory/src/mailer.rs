//! A mailer that records what it sends and can be told to fail.

use std::sync::Mutex;

use async_trait::async_trait;
use portal_core::mailer::{EmailMessage, Mailer, MailerError};

/// Keeps every email it is asked to send; tests read them back (e.g. to follow the
/// invitation link). `fail_next(n)` or `set_down(true)` simulate an outage.
#[derive(Debug, Default)]
pub struct RecordingMailer {
    state: Mutex<MailerState>,
}

#[derive(Debug, Default)]
struct MailerState {
    sent: Vec<EmailMessage>,
    fail_next: u32,
    down: bool,
    attempts: u64,
}

impl RecordingMailer {
    /// A working mailer with nothing sent.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MailerState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every email sent so far, in order.
    #[must_use]
    pub fn sent(&self) -> Vec<EmailMessage> {
        self.lock().sent.clone()
    }

    /// The emails sent to `to`, in order.
    #[must_use]
    pub fn sent_to(&self, to: &str) -> Vec<EmailMessage> {
        self.lock()
            .sent
            .iter()
            .filter(|m| m.to.as_str() == to)
            .cloned()
            .collect()
    }

    /// How many sends were attempted, failed ones included.
    #[must_use]
    pub fn attempts(&self) -> u64 {
        self.lock().attempts
    }

    /// The next `n` sends fail as unavailable.
    pub fn fail_next(&self, n: u32) {
        self.lock().fail_next = n;
    }

    /// While down, every send fails as unavailable.
    pub fn set_down(&self, down: bool) {
        self.lock().down = down;
    }

    /// Finds the URL containing `marker` (such as `/invitation/`) in the last
    /// email to `to` that has one, for tests and demos that follow a link.
    #[must_use]
    pub fn last_link_to(&self, to: &str, marker: &str) -> Option<String> {
        let state = self.lock();
        state
            .sent
            .iter()
            .rev()
            .filter(|m| m.to.as_str() == to)
            .find_map(|m| m.body.split_whitespace().find(|w| w.contains(marker)))
            .map(|w| w.trim_end_matches(['.', ',', ')']).to_owned())
    }
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, message: &EmailMessage) -> Result<(), MailerError> {
        let mut state = self.lock();
        state.attempts += 1;
        if state.down {
            return Err(MailerError::Unavailable("recording mailer is down".into()));
        }
        if state.fail_next > 0 {
            state.fail_next -= 1;
            return Err(MailerError::Unavailable(
                "recording mailer told to fail".into(),
            ));
        }
        state.sent.push(message.clone());
        Ok(())
    }
}
