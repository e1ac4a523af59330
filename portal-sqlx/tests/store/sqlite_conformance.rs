//! The shared conformance suite against `SqliteStore` (a temporary file per test).

use crate::common;

portal_core::conformance_tests!(common::sqlite_store);
portal_core::file_store_conformance_tests!(common::sqlite_files);
