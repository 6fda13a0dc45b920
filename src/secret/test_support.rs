//! Fixtures the secret's unit tests share.

use tf_provider::value::Value;

use super::state::{owned, SecretState};
use crate::api::SecretMetadata;

/// A created secret's state, with `value` when given.
pub(crate) fn state(key: &str, value: Option<&str>) -> SecretState<'static> {
    SecretState {
        id: owned(Some("sec_1".into())),
        key: owned(Some(key.into())),
        value: owned(value.map(Into::into)),
        kind: owned(Some("key-value".into())),
        sensitive: Value::Value(true),
        note: Value::Null,
        created_at: owned(Some("2026-01-01T00:00:00Z".into())),
        ..Default::default()
    }
}

/// A listed `key-value` secret, as API v1 reports it.
pub(crate) fn meta(id: &str, key: &str) -> SecretMetadata {
    SecretMetadata::listed(id, key)
}
