//! The checks of a secret's arguments that need no API: its key, its type, and exactly
//! one of `value` and `value_wo`.

use tf_provider::value::{Value, ValueString};
use tf_provider::Diagnostics;

use super::problems::SecretProblem;
use super::state::SecretState;

/// The environment variable name Devin gives a secret key in its sessions.
pub fn env_var_name(key: &str) -> String {
    let mut name: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, '_');
    }
    name
}

/// A key close to `key` that Devin keeps as it is: the environment variable name, or, for
/// a name that does not start with a letter (which Devin prefixes with `_` however many
/// it has already), the name with its leading part moved to the end: `1PASSWORD` gives
/// `PASSWORD_1`.
pub fn key_kept_as_is(key: &str) -> String {
    let name: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let start = name
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(name.len());
    let (lead, rest) = name.split_at(start);
    let lead = lead.trim_matches('_');
    match (rest.is_empty(), lead.is_empty()) {
        (false, true) => rest.to_string(),
        (false, false) => format!("{rest}_{lead}"),
        (true, true) => "SECRET".to_string(),
        (true, false) => format!("SECRET_{lead}"),
    }
}

/// Checks a configured `type` against the `allowed` ones (the resource manages fewer
/// types than the list reports).
pub(crate) fn check_type(diags: &mut Diagnostics, kind: &ValueString<'_>, allowed: &[&str]) {
    if let Some(kind) = kind.as_ref_option() {
        if !allowed.contains(&kind.as_ref()) {
            SecretProblem::UnsupportedType { kind, allowed }.report(diags);
        }
    }
}

/// Checks `key`: not blank, no line break or other control character (a name read from a
/// file with its newline), and warns when Devin will rename it for the environment.
pub(crate) fn check_key(diags: &mut Diagnostics, key: &ValueString<'_>) {
    let Some(key) = key.as_ref_option() else {
        return;
    };
    if key.trim().is_empty() {
        SecretProblem::EmptyKey.report(diags);
        return;
    }
    if key.chars().any(char::is_control) {
        SecretProblem::KeyWithControlCharacter {
            shown: key.escape_debug().to_string(),
        }
        .report(diags);
        return;
    }
    let env = env_var_name(key);
    if env != key.as_ref() {
        SecretProblem::KeyRenamedInSessions {
            key,
            env: &env,
            instead: key_kept_as_is(key),
        }
        .report(diags);
    }
}

/// Checks that the configuration leaves the attributes the API computes alone. Validate
/// sees the configuration as written, before `ignore_changes` fills `updated_at`.
pub(crate) fn check_computed_unset(diags: &mut Diagnostics, config: &SecretState<'_>) {
    for (attribute, value) in [
        ("id", &config.id),
        ("created_at", &config.created_at),
        ("org_id", &config.org_id),
        ("updated_by", &config.updated_by),
    ] {
        if !value.is_null() {
            SecretProblem::ComputedAttributeSet { attribute }.report(diags);
        }
    }
    if !config.updated_at.is_null() {
        SecretProblem::UpdatedAtSet.report(diags);
    }
}

/// `key`, and exactly one of `value` and `value_wo`: an expression that evaluates to
/// null (a variable with no value, `-generate-config-out`'s `value = null`) must not
/// become an empty secret. At validate, unknown values are let through; the plan checks
/// again with them known.
pub(crate) fn check_arguments(diags: &mut Diagnostics, config: &SecretState<'_>) -> bool {
    let mut problems = Vec::new();
    if config.key.is_null() {
        problems.push(SecretProblem::NullKey);
    }
    let set = |v: &ValueString<'_>| matches!(v, Value::Value(_));
    if config.value.is_null() && config.value_wo.is_null() {
        problems.push(SecretProblem::NullValue);
    } else if set(&config.value) && set(&config.value_wo) {
        problems.push(SecretProblem::BothValues);
    }
    if !config.value_wo_version.is_null() && config.value_wo.is_null() {
        problems.push(SecretProblem::VersionWithoutWriteOnlyValue);
    }
    for problem in &problems {
        problem.report(diags);
    }
    problems.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::state::owned;
    use crate::secret::test_support::state;

    #[test]
    fn env_var_names_follow_devin() {
        assert_eq!(env_var_name("GITHUB_TOKEN"), "GITHUB_TOKEN");
        assert_eq!(env_var_name("my-key.v2"), "my_key_v2");
        assert_eq!(env_var_name("1PASSWORD"), "_1PASSWORD");
        assert_eq!(env_var_name("_x"), "__x");
        assert_eq!(env_var_name("clé"), "cl_");
    }

    #[test]
    fn the_key_advised_instead_is_kept_as_is() {
        for (key, instead) in [
            ("1PASSWORD", "PASSWORD_1"),
            ("_1PASSWORD", "PASSWORD_1"),
            ("my-key.v2", "my_key_v2"),
            ("_x", "x"),
            ("-a", "a"),
            ("9", "SECRET_9"),
            ("__", "SECRET"),
            ("clé", "cl_"),
            ("2-fa key", "fa_key_2"),
        ] {
            let advised = key_kept_as_is(key);
            assert_eq!(advised, instead, "{key}");
            assert_eq!(
                env_var_name(&advised),
                advised,
                "{key}: advice that does not warn"
            );
        }
    }

    #[test]
    fn exactly_one_of_value_and_value_wo() {
        let check = |value: ValueString<'static>,
                     wo: ValueString<'static>,
                     version: ValueString<'static>| {
            let mut config = state("K", None);
            config.value = value;
            config.value_wo = wo;
            config.value_wo_version = version;
            let mut diags = Diagnostics::default();
            let ok = check_arguments(&mut diags, &config);
            let on: Vec<String> = diags
                .errors
                .iter()
                .map(|d| format!("{:?}", d.attribute))
                .collect();
            (ok, on.join(" "))
        };
        let v = |s: &str| owned(Some(s.to_string()));
        assert!(check(v("a"), Value::Null, Value::Null).0);
        assert!(check(Value::Null, v("a"), v("1")).0);
        // Unknown at validate: let through, the plan checks again.
        assert!(check(Value::Unknown, Value::Unknown, Value::Null).0);
        let (ok, on) = check(v("a"), v("b"), Value::Null);
        assert!(!ok && on.contains("value_wo"), "{on}");
        let (ok, on) = check(Value::Null, Value::Null, Value::Null);
        assert!(!ok && on.contains("\"value\""), "{on}");
        let (ok, on) = check(v("a"), Value::Null, v("1"));
        assert!(!ok && on.contains("value_wo_version"), "{on}");
    }
}
