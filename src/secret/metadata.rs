//! From what the API reports of a secret to what Terraform records: its state and its
//! identity.

use tf_provider::value::Value;

use super::state::{note_of, owned, SecretIdentity, SecretState};
use crate::api::SecretMetadata;

/// Fills the computed attributes from the API's metadata.
pub(crate) fn apply_metadata<'a>(
    mut state: SecretState<'a>,
    meta: &SecretMetadata,
) -> SecretState<'a> {
    state.id = owned(Some(meta.id.clone()));
    if let Some(key) = &meta.key {
        state.key = owned(Some(key.clone()));
    }
    if let Some(kind) = &meta.kind {
        state.kind = owned(Some(kind.clone()));
    }
    // The same moment printed at another precision (v1 prints the API's text, v3 formats
    // an integer timestamp) is not a change: a switch of API version must not ripple
    // into whatever uses `created_at`.
    let unchanged = match (
        state.created_at.as_deref_option(),
        meta.created_at.as_deref(),
    ) {
        (Some(recorded), Some(reported)) => same_moment(recorded, reported),
        _ => false,
    };
    if !unchanged {
        state.created_at = owned(meta.created_at.clone());
    }
    match &meta.updated {
        Some(update) => {
            state.updated_at = owned(update.at.clone());
            state.updated_by = owned(update.by.clone());
        }
        // v1 reports no last change: what state holds stays, and a create planned
        // before the API version was known learns that there is none.
        None => {
            if state.updated_at.is_unknown() {
                state.updated_at = Value::Null;
            }
            if state.updated_by.is_unknown() {
                state.updated_by = Value::Null;
            }
        }
    }
    state
}

/// Whether `reported` is a later moment than `recorded`, both RFC 3339 UTC text. A time
/// of another shape (an API that answers text) is later whenever it is another moment:
/// a change of `updated_at` is a change.
pub(crate) fn later(reported: &str, recorded: &str) -> bool {
    if same_moment(reported, recorded) {
        return false;
    }
    match (moment(reported), moment(recorded)) {
        (Some(a), Some(b)) => a > b,
        _ => true,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` as its seconds text (fixed width, so it sorts) and
/// its fraction in nanoseconds.
fn moment(text: &str) -> Option<(&str, u32)> {
    let text = text.strip_suffix('Z')?;
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let shape_ok = whole.len() == 19
        && whole.bytes().enumerate().all(|(i, c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok || fraction.len() > 9 || !fraction.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((whole, format!("{fraction:0<9}").parse().ok()?))
}

/// Whether two RFC 3339 UTC times are one moment, the coarser one truncated:
/// `…:12.325649Z` is `…:12Z` at second precision and `…:12.325Z` at millisecond
/// precision.
pub(crate) fn same_moment(a: &str, b: &str) -> bool {
    let (Some(a), Some(b)) = (a.strip_suffix('Z'), b.strip_suffix('Z')) else {
        return a == b;
    };
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    match long.strip_prefix(short) {
        Some("") => true,
        // `short` ends at the seconds: the rest must be a fraction.
        Some(rest) if !short.contains('.') => {
            rest.starts_with('.') && rest[1..].bytes().all(|c| c.is_ascii_digit())
        }
        Some(rest) => rest.bytes().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

/// Takes the note and sensitive flag the API reports (v3), so that a change made
/// outside Terraform shows in the plan. v1 reports neither: state keeps what was sent.
pub(crate) fn apply_reported<'a>(
    mut state: SecretState<'a>,
    meta: &SecretMetadata,
) -> SecretState<'a> {
    if let Some(sensitive) = meta.sensitive {
        state.sensitive = Value::Value(sensitive);
    }
    if let Some(note) = &meta.note {
        if note_of(&state.note).as_deref_option() != Some(note.as_str()) {
            state.note = owned(Some(note.clone()));
        }
    }
    state
}

/// The state an import records: what the API reports, the value never.
pub(crate) fn imported_state(meta: &SecretMetadata, org_id: Option<&str>) -> SecretState<'static> {
    let mut state = apply_reported(apply_metadata(SecretState::default(), meta), meta);
    state.org_id = owned(org_id.map(str::to_string));
    state
}

/// The identity of a listed or imported secret.
pub(crate) fn identity_of(meta: &SecretMetadata, org_id: Option<&str>) -> SecretIdentity {
    SecretIdentity {
        id: Some(meta.id.clone()),
        org_id: org_id.map(str::to_string),
    }
}

#[cfg(test)]
mod tests;
