//! The example's "API": named things in memory, shared by every type it serves.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Things by id.
#[derive(Clone, Default)]
pub struct Store(Arc<Mutex<Things>>);

#[derive(Default)]
struct Things {
    next_id: u64,
    names: BTreeMap<String, String>,
}

impl Store {
    /// Stores a thing called `name`; returns its new id.
    pub fn create(&self, name: &str) -> String {
        let mut things = self.0.lock().unwrap_or_else(|e| e.into_inner());
        things.next_id += 1;
        let id = format!("thing-{}", things.next_id);
        things.names.insert(id.clone(), name.to_string());
        id
    }

    /// The name of thing `id`, if it exists.
    pub fn name(&self, id: &str) -> Option<String> {
        let things = self.0.lock().unwrap_or_else(|e| e.into_inner());
        things.names.get(id).cloned()
    }

    /// Forgets thing `id`.
    pub fn delete(&self, id: &str) {
        let mut things = self.0.lock().unwrap_or_else(|e| e.into_inner());
        things.names.remove(id);
    }

    /// Every thing, as (id, name), by id.
    pub fn all(&self) -> Vec<(String, String)> {
        let things = self.0.lock().unwrap_or_else(|e| e.into_inner());
        things.names.clone().into_iter().collect()
    }
}
