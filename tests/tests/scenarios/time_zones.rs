//! An organization's day (its IANA time zone), on every backend: an invoice due
//! today turns overdue exactly when the organization's local day ends, at both
//! ends of the date line (UTC+14, UTC-11) and on the days summer time ends and
//! starts, on the dashboard, the overdue filter and the session's "today".

use crate::common;
use crate::on_all_backends;

use common::backends::Env;
use portal_core::domain::InvoiceFilter;
use portal_core::prelude::*;
use time::macros::{date, datetime};

/// An organization in `zone`, a signed-in customer and an invoice of 100.00 due
/// on `due`; then, one second before `day_ends` (UTC) the invoice is not overdue,
/// and at `day_ends` it is.
async fn overdue_when_the_day_ends(
    env: &Env,
    zone: &str,
    due: time::Date,
    day_ends: time::OffsetDateTime,
) {
    env.clock.set(day_ends - time::Duration::hours(30));
    let org = env.org().await;
    let org = env
        .portal
        .org(org.id)
        .update_settings(|s| s.time_zone = zone.into())
        .await
        .expect("zone");
    let (customer, _, session) = env.signed_in(&org, "EUR").await;
    let number = format!("TZ-{}", zone.replace('/', "-"));
    env.invoice(&number, 10_000)
        .due(due)
        .sent_to(&org, &customer)
        .await;
    let overdue = |session: PortalSession| async move {
        let dash = session.dashboard().await.expect("dashboard");
        let mut query = InvoiceQuery::new(date!(2000 - 01 - 01));
        query.filter = InvoiceFilter::Overdue;
        let listed = session.invoices().list(&query).await.expect("list");
        assert_eq!(
            dash.overdue_invoices.is_zero(),
            listed.items.is_empty(),
            "the dashboard and the filter agree"
        );
        (session.today(), !listed.items.is_empty())
    };
    env.clock.set(day_ends - time::Duration::seconds(1));
    assert_eq!(
        overdue(session.clone()).await,
        (due, false),
        "{zone}: the last second of the due date"
    );
    env.clock.set(day_ends);
    assert_eq!(
        overdue(session).await,
        (due.next_day().expect("next"), true),
        "{zone}: the next day has begun"
    );
}

async fn invoices_turn_overdue_when_the_organizations_day_ends(env: Env) {
    // UTC+14: the 4th of May ends at 10:00 UTC that day.
    overdue_when_the_day_ends(
        &env,
        "Pacific/Kiritimati",
        date!(2026 - 05 - 04),
        datetime!(2026-05-04 10:00 UTC),
    )
    .await;
    // UTC-11: the 4th of May ends at 11:00 UTC the next day.
    overdue_when_the_day_ends(
        &env,
        "Pacific/Pago_Pago",
        date!(2026 - 05 - 04),
        datetime!(2026-05-05 11:00 UTC),
    )
    .await;
    // Lisbon, 25 October 2026: summer time ends at 01:00 UTC, so the day ends at
    // midnight UTC (a fixed summer offset would say 23:00).
    overdue_when_the_day_ends(
        &env,
        "Europe/Lisbon",
        date!(2026 - 10 - 25),
        datetime!(2026-10-26 00:00 UTC),
    )
    .await;
    // Lisbon, 28 March 2027: summer time starts at 01:00 UTC, so the day ends at
    // 23:00 UTC.
    overdue_when_the_day_ends(
        &env,
        "Europe/Lisbon",
        date!(2027 - 03 - 28),
        datetime!(2027-03-28 23:00 UTC),
    )
    .await;
}

/// A zone the IANA database does not know is refused and nothing is stored; a
/// name in other letter case is stored as the database spells it.
async fn unknown_time_zones_are_refused(env: Env) {
    let org = env.org().await;
    let admin = env.portal.org(org.id);
    for bad in ["Europe/Atlantis", "UTC+1", ""] {
        let err = admin
            .update_settings(|s| s.time_zone = bad.into())
            .await
            .expect_err(bad);
        assert_eq!(err.code(), "invalid_preference", "{bad}");
    }
    assert_eq!(
        admin.organization().await.expect("org").settings.time_zone,
        "UTC"
    );
    let saved = admin
        .update_settings(|s| s.time_zone = "america/sao_paulo".into())
        .await
        .expect("known");
    assert_eq!(saved.settings.time_zone, "America/Sao_Paulo");
    let err = admin
        .update_settings(|s| s.default_user_preferences.time_zone = "Mars/Olympus".into())
        .await
        .expect_err("a user default");
    assert_eq!(err.code(), "invalid_preference");
}

/// A portal user reads times in their own zone, which may not be the
/// organization's: 12:30 UTC on the 4th of May is already the 5th in Auckland.
async fn a_reader_sees_times_in_their_own_zone(env: Env) {
    env.clock.set(datetime!(2026-05-04 12:30 UTC));
    let org = env.org().await;
    let org = env
        .portal
        .org(org.id)
        .update_settings(|s| s.time_zone = "Europe/Lisbon".into())
        .await
        .expect("zone");
    let preferences = portal_core::domain::UserPreferences {
        time_zone: "Pacific/Auckland".into(),
        ..portal_core::domain::UserPreferences::default()
    };
    let (_, _, session, _) = env.signed_in_with(&org, "EUR", Some(preferences)).await;
    assert_eq!(session.time_zone(), "Pacific/Auckland");
    let seen = session.local_time(env.clock_now());
    assert_eq!(
        (seen.date(), seen.hour(), seen.minute()),
        (date!(2026 - 05 - 05), 0, 30)
    );
    assert_eq!(
        session.today(),
        date!(2026 - 05 - 04),
        "the rules follow the organization's day (13:30 in Lisbon)"
    );
    let bad = portal_core::domain::UserPreferences {
        time_zone: "Pacific/Atlantis".into(),
        ..portal_core::domain::UserPreferences::default()
    };
    assert!(bad.validate().is_err(), "refused before anything is stored");
}

on_all_backends!(
    invoices_turn_overdue_when_the_organizations_day_ends,
    unknown_time_zones_are_refused,
    a_reader_sees_times_in_their_own_zone,
);
