//! The shared conformance suite against `PostgresStore` (a fresh schema per test on
//! the server `DATABASE_URL` names).

use crate::common;

portal_core::conformance_tests!(common::postgres_store);
portal_core::file_store_conformance_tests!(common::postgres_files);
