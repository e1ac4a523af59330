//! The clock port: every rule takes `now` from here, so tests control time.

use std::fmt::Debug;
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// Truncates a timestamp to whole microseconds, the precision every backend stores,
/// so a value read back compares equal to the value written.
#[must_use]
pub fn truncate_to_micros(t: OffsetDateTime) -> OffsetDateTime {
    let nanos = t.nanosecond();
    t.replace_nanosecond(nanos - nanos % 1_000).unwrap_or(t)
}

/// Tells the time.
pub trait Clock: Debug + Send + Sync + 'static {
    /// The current time in UTC, truncated to microseconds.
    fn now(&self) -> OffsetDateTime;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        truncate_to_micros(OffsetDateTime::now_utc())
    }
}

/// A clock that only moves when told to, for tests and simulations.
#[derive(Debug)]
pub struct ManualClock(Mutex<OffsetDateTime>);

impl ManualClock {
    /// A clock stopped at `start`.
    #[must_use]
    pub fn new(start: OffsetDateTime) -> Self {
        Self(Mutex::new(truncate_to_micros(start)))
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *now = truncate_to_micros(*now + by);
    }

    /// Sets the clock.
    pub fn set(&self, to: OffsetDateTime) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = truncate_to_micros(to);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A wait as a person says it: "1 minute", "14 minutes", "2 hours", "1 hour and 5
/// minutes"; rounded up to the minute, so that trying again then works.
#[must_use]
pub fn in_words(wait: time::Duration) -> String {
    let seconds = wait.whole_seconds().max(1);
    let minutes = (seconds + 59) / 60;
    let plural = |n: i64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match (minutes / 60, minutes % 60) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} and {}", plural(h, "hour"), plural(m, "minute")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(datetime!(2026-01-01 00:00:00.123456789 UTC));
        assert_eq!(clock.now(), datetime!(2026-01-01 00:00:00.123456 UTC));
        clock.advance(Duration::minutes(5));
        assert_eq!(clock.now(), datetime!(2026-01-01 00:05:00.123456 UTC));
        assert_eq!(SystemClock.now().nanosecond() % 1_000, 0);
    }

    #[test]
    fn waits_read_as_words_rounded_up() {
        assert_eq!(super::in_words(Duration::seconds(1)), "1 minute");
        assert_eq!(super::in_words(Duration::ZERO), "1 minute");
        assert_eq!(super::in_words(Duration::seconds(60)), "1 minute");
        assert_eq!(super::in_words(Duration::seconds(61)), "2 minutes");
        assert_eq!(
            super::in_words(Duration::minutes(14) - Duration::seconds(3)),
            "14 minutes"
        );
        assert_eq!(super::in_words(Duration::hours(2)), "2 hours");
        assert_eq!(
            super::in_words(Duration::minutes(65)),
            "1 hour and 5 minutes"
        );
        assert_eq!(
            super::in_words(Duration::minutes(121)),
            "2 hours and 1 minute"
        );
    }
}
