//! The examples run to the end (in memory): they double as end-to-end checks of
//! the public API, and a broken step fails the suite rather than a reader.

use std::process::Command;

fn run(exe: &str) -> String {
    let out = Command::new(exe)
        .env_remove("PORTAL_DATABASE_URL")
        .output()
        .expect("the example starts");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{exe} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn quickstart_runs() {
    let out = run(env!("CARGO_BIN_EXE_quickstart"));
    assert!(out.contains("Using the in-memory store"), "{out}");
}

#[test]
fn self_service_runs() {
    let out = run(env!("CARGO_BIN_EXE_self_service"));
    for expected in [
        "SO-7 Invoiced",
        "decision: PartiallyApproved",
        "[time_not_approved]",
        "billed 7h00, unbilled 1h30",
        "[file_type_not_allowed]",
        "TimesheetRejected: Lee & Co disputed entries of timesheet Week 47",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}
