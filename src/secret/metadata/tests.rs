//! From the API's metadata to state.

use super::*;
use crate::secret::test_support::{meta, state};

#[test]
fn v3_reports_note_and_sensitive_v1_does_not() {
    let meta = SecretMetadata {
        id: "sec_1".into(),
        kind: Some("key-value".into()),
        key: Some("K".into()),
        created_at: None,
        note: Some("changed".into()),
        sensitive: Some(false),
        updated: None,
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
        updated: None,
    };
    let kept = apply_metadata(state, &meta);
    assert_eq!(
        kept.created_at.as_deref_option(),
        Some("2026-11-23T17:08:12.325649Z")
    );
}

#[test]
fn later_moments_at_any_precision() {
    assert!(later("2026-03-01T10:00:01Z", "2026-03-01T10:00:00Z"));
    assert!(later(
        "2026-03-01T10:00:00.002Z",
        "2026-03-01T10:00:00.001Z"
    ));
    // The same second at two precisions is one moment, as for `created_at`.
    assert!(!later("2026-03-01T10:00:00.001Z", "2026-03-01T10:00:00Z"));
    assert!(later("2027-01-01T00:00:00Z", "2026-12-31T23:59:59.999Z"));
    assert!(!later("2026-03-01T10:00:00Z", "2026-03-01T10:00:00.000Z"));
    assert!(!later(
        "2026-03-01T10:00:00.25Z",
        "2026-03-01T10:00:00.250Z"
    ));
    assert!(!later("2026-03-01T09:59:59.999Z", "2026-03-01T10:00:00Z"));
    // Another shape: a change whenever it differs.
    assert!(later("yesterday", "today"));
    assert!(!later("today", "today"));
}

#[test]
fn v3_reports_the_last_change_v1_does_not() {
    let mut v3 = meta("sec_1", "K");
    v3.updated = Some(crate::api::LastUpdate {
        at: Some("2026-03-01T10:00:00Z".into()),
        by: Some("ann".into()),
    });
    let s = apply_metadata(state("K", Some("v")), &v3);
    assert_eq!(s.updated_at.as_deref_option(), Some("2026-03-01T10:00:00Z"));
    assert_eq!(s.updated_by.as_deref_option(), Some("ann"));
    let mut planned = state("K", Some("v"));
    planned.updated_at = Value::Unknown;
    planned.updated_by = Value::Unknown;
    let s = apply_metadata(planned, &meta("sec_1", "K"));
    assert!(s.updated_at.is_null() && s.updated_by.is_null());
}
