//! The conformance suite: one `pub async fn` per behaviour every [`Store`](crate::store::Store) backend
//! must show, and [`conformance_tests!`](crate::conformance_tests) to turn them into
//! tests. A backend's test file is one line:
//!
//! ```ignore
//! portal_core::conformance_tests!(my_backend_factory);
//! ```
//!
//! where `my_backend_factory()` is an `async fn` returning `Option<S>`, `S` being
//! something that dereferences to `dyn Store` (an `Arc<dyn Store>`, or a guard that
//! also owns a temporary database). `None` skips the test: a factory returns it only
//! when its backend is not configured and it has printed why (never in CI). Tests
//! never assume an empty store: each makes its own organization with a random slug.

mod access;
mod activity;
mod approvals;
mod comments;
mod contacts;
mod credits;
mod customers;
mod documents;
mod files;
mod fixtures;
mod invoices;
mod links;
mod orgs;
mod outbox;
mod payment_methods;
mod payments;
mod pending;
mod projects;
mod quotes;
mod reservations;
mod reviews;
mod sales_orders;
mod sessions;
mod statements;

pub use access::*;
pub use activity::*;
pub use approvals::*;
pub use comments::*;
pub use contacts::*;
pub use credits::*;
pub use customers::*;
pub use documents::*;
pub use files::*;
pub use invoices::*;
pub use links::*;
pub use orgs::*;
pub use outbox::*;
pub use payment_methods::*;
pub use payments::*;
pub use pending::*;
pub use projects::*;
pub use quotes::*;
pub use reservations::*;
pub use reviews::*;
pub use sales_orders::*;
pub use sessions::*;
pub use statements::*;

/// Turns every conformance behaviour into its own `#[tokio::test]`, calling
/// `$factory().await` for a fresh store each time (`None`: skip). The calling crate needs `tokio`
/// (with `macros` and `rt-multi-thread`) as a dev-dependency.
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!(@with each $factory);
    };
    (@with $mode:ident $factory:path) => {
        $crate::conformance_tests!(@ $mode $factory;
            // orgs
            org_round_trip,
            slug_is_unique,
            org_update_checks_version,
            timestamps_round_trip_exactly,
            // customers
            customer_round_trip_is_scoped_to_org,
            org_customers_are_paged_newest_first_without_deleted_or_foreign_ones,
            delete_customer_deletes_contacts_and_ends_sessions,
            // contacts
            contact_email_is_unique_per_org_only,
            contact_update_checks_version_and_keeps_access_fields,
            contacts_of_customer_are_scoped,
            delete_contact_ends_sessions_and_voids_tokens,
            details_change_is_versioned_and_limited,
            // access
            invitations_void_earlier_links_and_queue_email,
            invitation_batch_respects_cap_atomically,
            invitation_with_stale_version_changes_nothing,
            token_redeems_once,
            token_redemption_checks_purpose_expiry_and_status,
            disable_access_ends_sessions_and_voids_tokens,
            password_reset_voids_older_reset_links,
            sign_in_failures_slide_and_clear,
            sign_in_subject_reads_org_contact_and_failures,
            // sessions
            password_change_ends_other_sessions,
            sessions_touch_and_end,
            session_context_reads_all_a_request_needs,
            // links
            links_are_found_by_hash_and_revoked_once,
            links_belong_to_their_customer_and_their_uses_are_recorded,
            // outbox
            outbox_claims_with_lease_and_records_outcomes,
            outbox_claims_across_organizations,
            outbox_keeps_the_attached_documents_reference,
            forwarding_adds_the_contact_with_the_email,
            // documents: what invoices, quotes and sales orders share
            invoices_behave_as_documents,
            quotes_behave_as_documents,
            sales_orders_behave_as_documents,
            // invoices
            invoice_round_trip_and_scope,
            invoice_list_sorts_filters_and_pages,
            // payments
            payment_allocates_oldest_due_first_and_keeps_excess,
            payment_attempts_are_idempotent,
            payments_page_newest_first,
            payment_attempts_reserve_what_they_apply,
            // pending: payments waiting for the bank or processing
            a_staged_attempt_keeps_its_reservation_and_moves_only_forward,
            failing_an_attempt_queues_what_it_tells_once,
            // reservations
            a_reservation_shows_on_the_invoice_and_bumps_its_version,
            credit_leaves_what_an_attempt_holds,
            payments_settle_their_own_holds_and_leave_others,
            // credits
            credits_apply_without_going_negative,
            refunds_reduce_credit,
            retainer_balance_settles_other_invoices,
            // payment_methods
            saved_payment_methods_are_scoped,
            // statements
            dashboard_figures_add_up,
            statement_of_account_adds_up,
            customer_turnover_and_sums_at_the_ceiling,
            // quotes
            quote_round_trip_and_single_decision,
            quote_list_filters_and_pages,
            quote_view_and_conversion,
            // comments
            comments_are_scoped_and_filtered,
            // reviews
            reviews_are_scoped,
            // sales_orders
            sales_orders_round_trip_list_and_view,
            // projects
            projects_round_trip_and_scope,
            task_hours_add_up,
            // approvals
            timesheet_approval_lifecycle,
            // files
            shared_files_round_trip_and_scope,
            // activity
            activity_feed_is_atomic_and_paged,
        );
    };
    (@sequential $factory:path; $($name:ident),* $(,)?) => {
        $(
            if let Some(store) = $factory().await {
                $crate::conformance::$name(&*store).await;
            }
        )*
    };
    (@each $factory:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(store) = $factory().await else {
                    return;
                };
                $crate::conformance::$name(&*store).await;
            }
        )*
    };
}

/// Runs every conformance behaviour one after the other, each on a fresh store from
/// `$factory().await` (`None`: skipped), inside the calling async function: for a
/// test that watches what the whole suite does (the statements it runs, say).
#[macro_export]
macro_rules! run_conformance_suite {
    ($factory:path) => {
        $crate::conformance_tests!(@with sequential $factory)
    };
}

/// Turns the behaviours of the [`FileStore`](crate::store::FileStore) port into tests, for a
/// backend that keeps file bytes: `$factory().await` returns `Option<S>`, `S`
/// dereferencing to `dyn FileStore`.
#[macro_export]
macro_rules! file_store_conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!(@each $factory; file_bytes_round_trip);
    };
}
