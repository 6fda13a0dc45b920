//! The plan's rules: which changes replace a secret, and what an import or a state of an
//! older layout lets the plan record without one.

use tf_provider::value::{Value, ValueString};

use super::state::{note_of, with_defaults, Private, SecretState};

/// The attributes whose change replaces the secret, in the order a plan names them.
const REPLACING: [&str; 6] = [
    "key",
    "value",
    "value_wo_version",
    "type",
    "sensitive",
    "note",
];

/// A secret imported through API v1, whose note and sensitive flag were never recorded:
/// v1 cannot return them, so import leaves them null. A secret Terraform created always
/// has `sensitive` in state (the plan fills its default), even one created with a null
/// value by an earlier release; v3 reports both.
pub(crate) fn imported_through_v1(state: &SecretState<'_>) -> bool {
    state.value.is_null() && state.sensitive.is_null()
}

/// Whether the value of `prior` was never recorded, because it was imported: the
/// configured value (or `value_wo_version`) is then recorded without a replacement,
/// once.
pub(crate) fn value_never_recorded(prior: &SecretState<'_>, private: &Private) -> bool {
    let imported = private.as_ref().is_some_and(|p| p.imported) || imported_through_v1(prior);
    imported && prior.value.is_null() && prior.value_wo_version.is_null()
}

/// Moving from `value` to `value_wo` with the same value needs no new secret: the plan
/// sees the write-only value, so it can tell.
pub(crate) fn same_value_moved_to_wo(prior: &SecretState<'_>, config: &SecretState<'_>) -> bool {
    matches!(
        (&prior.value, &config.value_wo),
        (Value::Value(old), Value::Value(new)) if old == new
    )
}

/// Fills the attributes that a state written by an older layout of the schema lacks.
///
/// A state of the current schema version reaches the provider as stored, and Terraform
/// reads an attribute the state does not have as null. Adding an attribute with a
/// default would then plan the replacement of every existing secret (null → default
/// forces it). For a secret Terraform created (its value is known) such an attribute
/// holds what the API applied at creation, its default. An imported secret keeps its
/// nulls: the plan takes those attributes from the configuration.
pub(crate) fn fill_absent(state: SecretState<'_>) -> SecretState<'_> {
    if imported_through_v1(&state) {
        state
    } else {
        with_defaults(state)
    }
}

/// The arguments that differ between the prior state and the plan: each forces a
/// replacement. `keep_value` leaves out `value` and `value_wo_version` (an import, or
/// the same value moved to `value_wo`). After a v1 import, `note` and `sensitive` are
/// unknown to the API (null in state) and are taken from the configuration without one.
/// An unset note and `""` are the same note.
pub(crate) fn replaced_attributes(
    prior: &SecretState<'_>,
    planned: &SecretState<'_>,
    keep_value: bool,
) -> Vec<&'static str> {
    let from_v1_import = imported_through_v1(prior);
    let differs = |a: &ValueString<'_>, b: &ValueString<'_>| {
        a.is_unknown() || b.is_unknown() || a.as_deref_option() != b.as_deref_option()
    };
    REPLACING
        .into_iter()
        .filter(|name| match *name {
            "key" => differs(&prior.key, &planned.key),
            "type" => differs(&prior.kind, &planned.kind),
            "value" => !keep_value && differs(&prior.value, &planned.value),
            "value_wo_version" => {
                !keep_value && differs(&prior.value_wo_version, &planned.value_wo_version)
            }
            "note" => !from_v1_import && differs(&note_of(&prior.note), &note_of(&planned.note)),
            "sensitive" => {
                !from_v1_import
                    && (planned.sensitive.is_unknown()
                        || prior.sensitive.as_ref_option() != planned.sensitive.as_ref_option())
            }
            _ => false,
        })
        .collect()
}

#[cfg(test)]
mod tests;
