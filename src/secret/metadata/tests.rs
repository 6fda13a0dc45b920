//! From the API's metadata to state.

use super::*;
use crate::secret::test_support::state;

#[test]
fn v3_reports_note_and_sensitive_v1_does_not() {
    let meta = SecretMetadata {
        id: "sec_1".into(),
        kind: Some("key-value".into()),
        key: Some("K".into()),
        created_at: None,
        note: Some("changed".into()),
        sensitive: Some(false),
    };
    let state = apply_reported(state("K", Some("v")), &meta);
    assert_eq!(state.note.as_deref_option(), Some("changed"));
    assert_eq!(state.sensitive, Value::Value(false));
    // A null note on v3 and "" in state are the same note: no drift.
    let mut empty = state.clone();
    empty.note = owned(Some(String::new()));
    let v1 = SecretMetadata {
        note: None,
        sensitive: None,
        ..meta
    };
    let kept = apply_reported(empty, &v1);
    assert_eq!(kept.note.as_deref_option(), Some(""));
    assert_eq!(kept.sensitive, Value::Value(false));
}

#[test]
fn one_moment_at_two_precisions_is_no_change() {
    assert!(same_moment(
        "2026-11-23T17:08:12.325649Z",
        "2026-11-23T17:08:12Z"
    ));
    assert!(same_moment(
        "2026-11-23T17:08:12Z",
        "2026-11-23T17:08:12.325649Z"
    ));
    assert!(same_moment(
        "2026-11-23T17:08:12.325649Z",
        "2026-11-23T17:08:12.325Z"
    ));
    assert!(same_moment("2026-11-23T17:08:12Z", "2026-11-23T17:08:12Z"));
    assert!(!same_moment(
        "2026-11-23T17:08:12.325649Z",
        "2026-11-23T17:08:12.326Z"
    ));
    assert!(!same_moment("2026-11-23T17:08:13Z", "2026-11-23T17:08:12Z"));
    assert!(!same_moment(
        "2026-11-23T17:08:12+00:00",
        "2026-11-23T17:08:12Z"
    ));
    assert!(!same_moment("2026-11-23T17:08:12Z", "2026-11-23T17:08:1Z"));
    let mut state = state("K", Some("v"));
    state.created_at = owned(Some("2026-11-23T17:08:12.325649Z".into()));
    let meta = SecretMetadata {
        id: "sec_1".into(),
        kind: None,
        key: None,
        created_at: Some("2026-11-23T17:08:12Z".into()),
        note: None,
        sensitive: None,
    };
    let kept = apply_metadata(state, &meta);
    assert_eq!(
        kept.created_at.as_deref_option(),
        Some("2026-11-23T17:08:12.325649Z")
    );
}
