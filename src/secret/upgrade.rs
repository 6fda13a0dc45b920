//! Stored states of older schema versions, brought up to the current one.

use super::plan::fill_absent;
use super::problems::SecretProblem;
use super::state::{SecretState, SCHEMA_VERSION};

/// Brings a state of an older schema version up to [`SCHEMA_VERSION`], so that a schema
/// change never forces replacing users' secrets.
///
/// Every layout so far only added attributes (1: `type`, `sensitive`, `note`,
/// `created_at`; 2: `value_wo`, `value_wo_version`, `org_id`; 3: `updated_at`,
/// `updated_by`, null until the next read fills them), so [`fill_absent`] is the whole
/// migration; a rename or retype adds its step here.
pub(crate) fn upgrade_state(
    version: i64,
    json: serde_json::Value,
) -> Result<SecretState<'static>, SecretProblem<'static>> {
    if version > SCHEMA_VERSION {
        return Err(SecretProblem::StateTooNew {
            version,
            known: SCHEMA_VERSION,
        });
    }
    // serde would also read a struct from an array, by position.
    if !json.is_object() {
        return Err(SecretProblem::StateNotObject);
    }
    // serde's message would quote the offending input, which may be the value.
    let state: SecretState<'static> =
        serde_json::from_value(json).map_err(|_| SecretProblem::StateLayout { version })?;
    Ok(fill_absent(state))
}

#[cfg(test)]
mod tests {
    use tf_provider::value::Value;
    use tf_provider::Diagnostics;

    use super::*;

    #[test]
    fn upgrade_from_version_0_fills_defaults() {
        let v0 = serde_json::json!({"id": "sec_1", "key": "K", "value": "v"});
        let s = upgrade_state(0, v0).ok().unwrap();
        assert_eq!(s.kind.as_deref_option(), Some("key-value"));
        assert_eq!(s.sensitive, Value::Value(true));
        // The note Devin stored for an unset one.
        assert_eq!(s.note.as_deref_option(), Some(""));
        assert!(s.created_at.is_null());
        assert_eq!(s.value.as_deref_option(), Some("v"));
        assert!(upgrade_state(SCHEMA_VERSION + 1, serde_json::json!({})).is_err());
        assert!(upgrade_state(0, serde_json::json!([])).is_err());
    }

    #[test]
    fn upgrade_errors_never_quote_the_state() {
        let bad = serde_json::json!({"id": "sec_1", "key": "K", "value": 424242});
        let mut diags = Diagnostics::default();
        upgrade_state(1, bad).err().unwrap().report(&mut diags);
        let err = &diags.errors[0].detail;
        assert!(!err.contains("424242"), "{err}");
    }

    #[test]
    fn upgrade_keeps_a_current_state_as_is() {
        let v1 = serde_json::json!({"id":"a","key":"K","value":"v","type":"totp","sensitive":false,"note":"n","created_at":"t"});
        let s = upgrade_state(1, v1).ok().unwrap();
        assert_eq!(s.kind.as_deref_option(), Some("totp"));
        assert_eq!(s.sensitive, Value::Value(false));
        assert_eq!(s.note.as_deref_option(), Some("n"));
    }
}
