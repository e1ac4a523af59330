//! The shared conformance suite against `MemoryStore`.

use std::sync::Arc;

use portal_core::{FileStore, Store};
use portal_memory::MemoryStore;

async fn memory_store() -> Option<Arc<dyn Store>> {
    Some(Arc::new(MemoryStore::new()))
}

portal_core::conformance_tests!(memory_store);

async fn memory_files() -> Option<Arc<dyn FileStore>> {
    Some(Arc::new(MemoryStore::new()))
}

portal_core::file_store_conformance_tests!(memory_files);
