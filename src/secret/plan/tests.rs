//! The plan's rules.

use tf_provider::value::Value;

use super::*;
use crate::secret::state::{owned, SecretPrivate, DEFAULT_SENSITIVE, DEFAULT_TYPE};
use crate::secret::test_support::state;

#[test]
fn every_changed_argument_forces_replacement() {
    let prior = state("K", Some("v1"));
    assert!(replaced_attributes(&prior, &prior, false).is_empty());
    let mut planned = prior.clone();
    planned.value = owned(Some("v2".into()));
    assert_eq!(replaced_attributes(&prior, &planned, false), ["value"]);
    planned.key = owned(Some("K2".into()));
    planned.note = owned(Some("n".into()));
    assert_eq!(
        replaced_attributes(&prior, &planned, false),
        ["key", "value", "note"]
    );
    let mut unknown = prior.clone();
    unknown.value = Value::Unknown;
    unknown.sensitive = Value::Unknown;
    assert_eq!(
        replaced_attributes(&prior, &unknown, false),
        ["value", "sensitive"]
    );
}

#[test]
fn imported_secrets_take_value_note_sensitive_from_config() {
    let mut prior = state("K", None);
    prior.sensitive = Value::Null;
    let mut planned = state("K", Some("v"));
    planned.note = owned(Some("n".into()));
    planned.sensitive = Value::Value(false);
    let keep = value_never_recorded(&prior, &None);
    assert!(keep);
    assert!(replaced_attributes(&prior, &planned, keep).is_empty());
    planned.kind = owned(Some("totp".into()));
    assert_eq!(replaced_attributes(&prior, &planned, keep), ["type"]);
}

#[test]
fn absent_attributes_of_created_secrets_take_their_defaults() {
    let mut stored = state("K", Some("v"));
    stored.kind = Value::Null;
    stored.sensitive = Value::Null;
    let filled = fill_absent(stored);
    assert_eq!(filled.kind.as_deref_option(), Some(DEFAULT_TYPE));
    assert_eq!(filled.sensitive, Value::Value(DEFAULT_SENSITIVE));
    assert!(replaced_attributes(&filled, &with_defaults(state("K", Some("v"))), false).is_empty());

    let mut imported = state("K", None);
    imported.sensitive = Value::Null;
    assert!(fill_absent(imported).sensitive.is_null());
}

#[test]
fn an_import_records_its_first_value_or_version_once() {
    let mut prior = state("K", None);
    prior.sensitive = Value::Value(true);
    let marked = Some(SecretPrivate {
        imported: true,
        baseline: None,
        ..Default::default()
    });
    // v3 import: note and sensitive known, the value never.
    assert!(value_never_recorded(&prior, &marked));
    assert!(!value_never_recorded(&prior, &None));
    let mut versioned = prior.clone();
    versioned.value_wo_version = owned(Some("1".into()));
    assert!(!value_never_recorded(&versioned, &marked));
    let mut planned = versioned.clone();
    planned.value_wo_version = owned(Some("2".into()));
    assert_eq!(
        replaced_attributes(&versioned, &planned, false),
        ["value_wo_version"]
    );
}

#[test]
fn the_same_value_moved_to_value_wo_keeps_the_secret() {
    let prior = state("K", Some("v1"));
    let mut config = state("K", None);
    config.value_wo = owned(Some("v1".into()));
    assert!(same_value_moved_to_wo(&prior, &config));
    config.value_wo = owned(Some("v2".into()));
    assert!(!same_value_moved_to_wo(&prior, &config));
    config.value_wo = Value::Unknown;
    assert!(!same_value_moved_to_wo(&prior, &config));
}

#[test]
fn an_unset_defaulted_argument_plans_its_default_not_the_prior_value() {
    use crate::secret::state::with_config_defaults;
    // Refreshed from Devin: an insensitive cookie. Terraform proposes those values when
    // the configuration leaves `type` and `sensitive` unset.
    let mut prior = with_defaults(state("K", Some("v")));
    prior.kind = owned(Some("cookie".into()));
    prior.sensitive = Value::Value(false);
    let mut config = state("K", Some("v"));
    config.kind = Value::Null;
    config.sensitive = Value::Null;
    let planned = with_config_defaults(prior.clone(), &config);
    assert_eq!(planned.kind.as_deref_option(), Some(DEFAULT_TYPE));
    assert_eq!(planned.sensitive, Value::Value(DEFAULT_SENSITIVE));
    assert_eq!(
        replaced_attributes(&prior, &planned, false),
        ["type", "sensitive"]
    );
    // Set in configuration (or kept by `ignore_changes`, which sends the prior value).
    let planned = with_config_defaults(prior.clone(), &prior);
    assert!(replaced_attributes(&prior, &planned, false).is_empty());
}
