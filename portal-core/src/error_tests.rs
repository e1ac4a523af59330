//! The error codes and kinds a host relies on.

use super::*;

#[test]
fn kinds_sort_failures_the_way_a_host_answers_them() {
    use ErrorKind as K;
    for (error, kind) in [
        (Error::from(EmailError::Empty), K::Input),
        (Error::InvalidCredentials, K::Input),
        (Error::SessionExpired, K::Unauthenticated),
        (Error::PortalDisabled, K::Forbidden),
        (Error::NotFound(Entity::Invoice), K::NotFound),
        (Error::LinkRevoked, K::Gone),
        (Error::PaymentInProgress, K::Conflict),
        (
            Error::from(StoreError::Conflict(Rule::PortalSlug)),
            K::Conflict,
        ),
        (Error::PaymentPending, K::Payment),
        (Error::Busy, K::Unavailable),
        (
            Error::from(StoreError::Unavailable("down".into())),
            K::Unavailable,
        ),
        (
            Error::from(StoreError::Conflict(Rule::PaymentAttempt)),
            K::Internal,
        ),
    ] {
        assert_eq!(error.kind(), kind, "{error:?}");
        assert_eq!(
            error.is_input_error(),
            !matches!(kind, K::Unavailable | K::Internal)
        );
    }
}

#[test]
fn codes_are_stable() {
    assert_eq!(Error::ContactDeleted.code(), "CP1003");
    assert_eq!(Error::from(EmailError::Empty).code(), "invalid_email");
    assert_eq!(
        Error::from(StoreError::Conflict(Rule::PortalSlug)).code(),
        "slug_taken"
    );
    assert_eq!(
        Error::from(StoreError::LimitReached {
            what: Limit::PortalUsers,
            limit: 3
        })
        .code(),
        "portal_user_cap_reached"
    );
    assert_eq!(
        Error::from(StoreError::Unavailable("down".into())).code(),
        "store_unavailable"
    );
}

#[test]
fn messages_are_lowercase_without_trailing_period() {
    for e in [
        Error::InvalidCredentials,
        Error::ContactDeleted,
        Error::SessionExpired,
        Error::InvalidLink,
        Error::PortalDisabled,
    ] {
        let m = e.to_string();
        assert!(m.chars().next().is_some_and(|c| c.is_lowercase()), "{m}");
        assert!(!m.ends_with('.'), "{m}");
    }
}

#[test]
fn refusals_name_the_input_at_fault() {
    use crate::domain::{ProjectError, comment_body};
    use crate::gateway::CardDetails;
    let card = |number: &str, cvv: &str| CardDetails {
        number: number.into(),
        cvv: cvv.into(),
        exp_month: 12,
        exp_year: 2099,
        holder: "A".into(),
        billing_address: crate::domain::Address::default(),
        country: String::new(),
    };
    let field = |e: Error| e.field();
    assert_eq!(
        field(comment_body("  ").expect_err("empty").into()),
        Some("comment")
    );
    assert_eq!(
        field(card("12", "123").check().expect_err("short").into()),
        Some("card number")
    );
    assert_eq!(
        field(
            card("4242424242424242", "1")
                .check()
                .expect_err("cvv")
                .into()
        ),
        Some("security code")
    );
    assert_eq!(field(Error::InvalidExpiry), Some("expiry"));
    assert_eq!(field(Error::PartialPaymentNotAllowed), Some("amount"));
    assert_eq!(field(ProjectError::ReasonRequired.into()), Some("reason"));
    assert_eq!(
        field(ProjectError::NothingDisputed.into()),
        Some("disputes")
    );
    assert_eq!(field(EmailError::Empty.into()), Some("email"));
    // About the request as a whole: no field.
    for e in [
        Error::QuoteChanged,
        Error::InvalidCredentials,
        Error::NothingToPay,
    ] {
        assert_eq!(e.field(), None, "{e}");
    }
}
