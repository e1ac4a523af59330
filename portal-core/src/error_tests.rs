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
