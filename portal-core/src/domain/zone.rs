//! Time zones of the IANA database (through jiff): an organization's business day
//! ("today" for due dates, overdue, quote expiry, card expiry and statement
//! periods) and a reader's local times. Names are stored as text (`Europe/Lisbon`)
//! and checked against the database when saved, so a stored name always resolves.

use time::{Date, Month, OffsetDateTime, UtcOffset};

use super::contact::PreferenceError;

/// The zone `name`, or UTC for a name the database does not know (never stored:
/// names are checked when saved, but a database update could in principle drop
/// one).
fn zone(name: &str) -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get(name).unwrap_or(jiff::tz::TimeZone::UTC)
}

/// `at` as jiff's instant.
fn instant(at: OffsetDateTime) -> jiff::Timestamp {
    let nanos = i32::try_from(at.nanosecond()).unwrap_or(0);
    jiff::Timestamp::new(at.unix_timestamp(), nanos).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// The time-zone name as the database spells it (`europe/lisbon` becomes
/// `Europe/Lisbon`).
///
/// # Errors
/// [`PreferenceError`] (`field` as given) for a name the IANA database does not
/// know.
pub fn canonical_time_zone(field: &'static str, name: &str) -> Result<String, PreferenceError> {
    let refused = || PreferenceError {
        field,
        value: name.to_owned(),
        expected: "a time zone of the IANA database such as Europe/Lisbon or America/New_York",
    };
    if name.is_empty() || name.len() > 64 || !name.is_ascii() {
        return Err(refused());
    }
    let found = jiff::tz::TimeZone::get(name).map_err(|_| refused())?;
    Ok(found.iana_name().unwrap_or(name).to_owned())
}

/// Every time-zone name of the database, sorted: the choices a form offers.
#[must_use]
pub fn time_zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_owned())
        .filter(|n| n.contains('/') || n == "UTC")
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The calendar date at `at` in the zone `name`: an organization's "today".
#[must_use]
pub fn local_date(name: &str, at: OffsetDateTime) -> Date {
    let date = instant(at).to_zoned(zone(name)).date();
    Month::try_from(u8::try_from(date.month()).unwrap_or(1))
        .ok()
        .and_then(|month| {
            Date::from_calendar_date(
                i32::from(date.year()),
                month,
                u8::try_from(date.day()).unwrap_or(1),
            )
            .ok()
        })
        .unwrap_or_else(|| at.date())
}

/// `at` as the wall-clock time of the zone `name` (the same instant, with that
/// zone's offset then: summer or winter time as it was).
#[must_use]
pub fn local_time(name: &str, at: OffsetDateTime) -> OffsetDateTime {
    let offset = zone(name).to_offset(instant(at)).seconds();
    UtcOffset::from_whole_seconds(offset).map_or(at, |o| at.to_offset(o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn names_are_checked_against_the_database() {
        assert_eq!(
            canonical_time_zone("time_zone", "europe/lisbon").expect("known"),
            "Europe/Lisbon"
        );
        for bad in [
            "Europe/Atlantis",
            "",
            "UTC+1",
            "Mars/Olympus",
            "../etc/passwd",
        ] {
            assert!(canonical_time_zone("time_zone", bad).is_err(), "{bad}");
        }
        let names = time_zone_names();
        assert!(names.len() > 300, "{}", names.len());
        assert!(names.iter().any(|n| n == "Pacific/Kiritimati"));
        assert!(names.iter().all(|n| canonical_time_zone("z", n).is_ok()));
    }

    #[test]
    fn the_local_day_ends_at_local_midnight() {
        // UTC+14 and UTC-11, both ends of the date line.
        assert_eq!(
            local_date("Pacific/Kiritimati", datetime!(2026-05-04 09:59:59 UTC)),
            date!(2026 - 05 - 04)
        );
        assert_eq!(
            local_date("Pacific/Kiritimati", datetime!(2026-05-04 10:00 UTC)),
            date!(2026 - 05 - 05)
        );
        assert_eq!(
            local_date("Pacific/Pago_Pago", datetime!(2026-05-05 10:59:59 UTC)),
            date!(2026 - 05 - 04)
        );
        assert_eq!(
            local_date("Pacific/Pago_Pago", datetime!(2026-05-05 11:00 UTC)),
            date!(2026 - 05 - 05)
        );
        // Lisbon on the day summer time starts (29 March 2026, 01:00 UTC): that
        // day ends at 23:00 UTC.
        assert_eq!(
            local_date("Europe/Lisbon", datetime!(2026-03-29 22:59:59 UTC)),
            date!(2026 - 03 - 29)
        );
        assert_eq!(
            local_date("Europe/Lisbon", datetime!(2026-03-29 23:00 UTC)),
            date!(2026 - 03 - 30)
        );
        let evening = local_time("Europe/Lisbon", datetime!(2026-07-01 20:30 UTC));
        assert_eq!(
            (evening.hour(), evening.offset().whole_hours()),
            (21, 1),
            "summer time"
        );
        assert_eq!(
            local_date("Not/A_Zone", datetime!(2026-05-04 23:00 UTC)),
            date!(2026 - 05 - 04)
        );
    }
}
