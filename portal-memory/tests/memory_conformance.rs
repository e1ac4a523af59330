//! The shared conformance suite against `MemoryStore`.

use std::sync::Arc;

use portal_core::Store;
use portal_memory::MemoryStore;

async fn memory_store() -> Option<Arc<dyn Store>> {
    Some(Arc::new(MemoryStore::new()))
}

portal_core::conformance_tests!(memory_store);
