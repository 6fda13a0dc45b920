//! The one place that turns errors into Terraform diagnostics a person can act on.
//!
//! Diagnostics are built field by field rather than with `Diagnostic::new`, which appends
//! a Rust backtrace to the detail whenever `RUST_BACKTRACE` is set.

use tf_provider::{AttributePath, Diagnostic, Diagnostics};

use crate::api::{ApiError, LastAnswer, ValidationIssue};

/// Adds an error on `attribute` (the root when `None`).
pub fn error(diags: &mut Diagnostics, summary: String, detail: String, attribute: Option<&str>) {
    diags.add_error(Diagnostic {
        summary: summary.into(),
        detail: detail.into(),
        attribute: path(attribute),
    });
}

/// Adds a warning on `attribute` (the root when `None`).
pub fn warning(diags: &mut Diagnostics, summary: String, detail: String, attribute: Option<&str>) {
    diags.add_warning(Diagnostic {
        summary: summary.into(),
        detail: detail.into(),
        attribute: path(attribute),
    });
}

fn path(attribute: Option<&str>) -> AttributePath {
    attribute.map_or_else(AttributePath::root, |a| AttributePath::new(a.to_string()))
}

/// The resource attribute a request field maps to: `secret_id` is the resource's `id`;
/// body fields share their names with attributes.
pub fn attribute_for_field(field: &str) -> Option<&'static str> {
    match field {
        "secret_id" | "id" => Some("id"),
        "key" => Some("key"),
        "value" => Some("value"),
        "type" => Some("type"),
        "sensitive" => Some("sensitive"),
        "note" => Some("note"),
        _ => None,
    }
}

/// Adds the diagnostics for `err`, raised while trying to `action` (e.g. `delete secret
/// sec_123`). `key` is the secret's name when known, for duplicate-key advice.
pub fn api_error(diags: &mut Diagnostics, action: &str, key: Option<&str>, err: &ApiError) {
    match err {
        ApiError::Validation(items) => {
            for item in items {
                validation(diags, action, item);
            }
        }
        ApiError::Unauthenticated { detail } => error(
            diags,
            format!("Devin API rejected the API key while trying to {action}"),
            format!(
                "HTTP 401: {detail}\n\nSet a valid Devin API key in the provider's `api_key` \
                 argument or in the DEVIN_API_KEY environment variable. Personal API keys \
                 start with apk_user_, Service API keys with apk_."
            ),
            None,
        ),
        ApiError::Forbidden { detail } => error(
            diags,
            format!("Devin API denied permission to {action}"),
            format!(
                "HTTP 403: {detail}\n\nThe API key given by `api_key` or DEVIN_API_KEY was \
                 accepted but may not manage this organization's secrets. Use a Service API \
                 key, or the Personal key of a user allowed to manage secrets."
            ),
            None,
        ),
        ApiError::Duplicate {
            existing_id,
            detail,
        } => {
            let name = key.map_or_else(String::new, |k| format!(" \"{k}\""));
            let existing = match existing_id {
                Some(id) => format!(" The existing secret has id {id}."),
                None if !detail.is_empty() => format!(" The API said: {detail}."),
                None => String::new(),
            };
            let import = existing_id.as_deref().unwrap_or("<secret id>");
            error(
                diags,
                format!("Cannot {action}: a secret named{name} already exists"),
                format!(
                    "Secret names are unique within a Devin organization.{existing}\n\nTo \
                     manage the existing secret with Terraform, import it \
                     (`terraform import <resource address> {import}`); otherwise choose another \
                     `key`. A replacement under `create_before_destroy` cannot keep the same \
                     key, because the old secret still exists when the new one is created."
                ),
                Some("key"),
            );
        }
        ApiError::NotFound { detail } => error(
            diags,
            format!("Devin API found nothing to {action}"),
            format!("HTTP 404: {detail}"),
            None,
        ),
        ApiError::Status { status, detail } => error(
            diags,
            format!("Devin API refused to {action}"),
            format!("HTTP {status}: {detail}"),
            None,
        ),
        ApiError::Exhausted {
            attempts,
            elapsed,
            last,
        } => {
            let why = match last {
                LastAnswer::Status { status: 429, .. } => {
                    "The API is throttling requests (HTTP 429)."
                }
                LastAnswer::Status { status, .. } if *status >= 500 => {
                    "The API is failing (HTTP 5xx)."
                }
                LastAnswer::Status { .. } => "The API kept answering with an error.",
                LastAnswer::Transport(_) => "The API could not be reached.",
            };
            error(
                diags,
                format!("Could not {action}: the Devin API failed {attempts} times"),
                format!(
                    "{why} Gave up after {attempts} attempts over {:.1} s.\nLast answer: \
                     {last}\n\nRun the command again later, or raise `max_retries` or \
                     `request_timeout` in the provider configuration.",
                    elapsed.as_secs_f64()
                ),
                None,
            );
        }
        ApiError::Unconfirmed { cause, reason } => error(
            diags,
            format!("Could not tell whether the Devin API managed to {action}"),
            format!(
                "The request failed ({cause}), and {reason}.\n\nThe secret may exist without \
                 Terraform knowing it. Run `terraform plan`: if it reports that the key is \
                 already in use, import the existing secret."
            ),
            Some("key"),
        ),
        ApiError::UnexpectedBody {
            status,
            expected,
            excerpt,
        } => error(
            diags,
            format!("Devin API sent an unexpected answer while trying to {action}"),
            format!(
                "HTTP {status}: expected {expected}, got: {excerpt}\n\nCheck that `api_url` \
                 points at the Devin API."
            ),
            None,
        ),
        ApiError::Cancelled => error(
            diags,
            format!("Interrupted while trying to {action}"),
            "Terraform asked the provider to stop, so the request was abandoned.".into(),
            None,
        ),
    }
}

fn validation(diags: &mut Diagnostics, action: &str, item: &ValidationIssue) {
    let attribute = item.field().and_then(attribute_for_field);
    let fix = match attribute {
        Some("id") => {
            "\n\nThe secret id recorded in Terraform's state was refused. If the secret no \
             longer exists, remove it from state with `terraform state rm`."
                .to_string()
        }
        Some(a) => format!("\n\nCorrect the `{a}` argument and apply again."),
        None => String::new(),
    };
    error(
        diags,
        format!("Devin API refused to {action}"),
        format!(
            "{}\n\nError type: {}; location: {}.{fix}",
            item.msg,
            item.kind,
            item.loc_text()
        ),
        attribute,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tf_provider::AttributePathStep;

    fn attr_of(d: &Diagnostic) -> Option<String> {
        match d.attribute.steps.as_slice() {
            [AttributePathStep::Attribute(a)] => Some(a.to_string()),
            [] => None,
            other => panic!("unexpected path {other:?}"),
        }
    }

    #[test]
    fn one_diagnostic_per_validation_item_on_its_attribute() {
        let mut diags = Diagnostics::default();
        let err = ApiError::Validation(vec![
            ValidationIssue {
                loc: vec!["path".into(), "secret_id".into()],
                msg: "bad id".into(),
                kind: "value_error".into(),
            },
            ValidationIssue {
                loc: vec!["body".into(), "note".into()],
                msg: "too long".into(),
                kind: "string_too_long".into(),
            },
            ValidationIssue {
                loc: vec!["body".into(), "other".into()],
                msg: "odd".into(),
                kind: "x".into(),
            },
        ]);
        api_error(&mut diags, "delete secret s1", None, &err);
        assert_eq!(diags.errors.len(), 3);
        assert_eq!(
            diags.errors[0].summary,
            "Devin API refused to delete secret s1"
        );
        assert!(diags.errors[0].detail.contains("bad id"));
        assert!(diags.errors[0].detail.contains("value_error"));
        assert!(diags.errors[0].detail.contains("path.secret_id"));
        assert_eq!(attr_of(&diags.errors[0]).as_deref(), Some("id"));
        assert_eq!(attr_of(&diags.errors[1]).as_deref(), Some("note"));
        assert_eq!(attr_of(&diags.errors[2]), None);
    }

    #[test]
    fn no_backtrace_even_when_requested() {
        std::env::set_var("RUST_BACKTRACE", "1");
        let mut diags = Diagnostics::default();
        api_error(&mut diags, "list secrets", None, &ApiError::Cancelled);
        assert!(!diags.errors[0].detail.contains("backtrace"));
        assert!(!diags.errors[0].detail.contains("diagnostics.rs"));
    }

    #[test]
    fn exhausted_says_status_attempts_and_last_answer() {
        let mut diags = Diagnostics::default();
        let err = ApiError::Exhausted {
            attempts: 6,
            elapsed: Duration::from_millis(4200),
            last: LastAnswer::Status {
                status: 503,
                detail: "upstream down".into(),
            },
        };
        api_error(&mut diags, "create secret \"K\"", Some("K"), &err);
        let d = &diags.errors[0];
        assert!(d.summary.contains("6 times"));
        assert!(d.detail.contains("HTTP 503: upstream down"));
        assert!(d.detail.contains("6 attempts over 4.2 s"));
    }

    #[test]
    fn duplicates_point_at_key_and_suggest_import() {
        let mut diags = Diagnostics::default();
        let err = ApiError::Duplicate {
            existing_id: Some("sec_9".into()),
            detail: String::new(),
        };
        api_error(&mut diags, "create secret \"K\"", Some("K"), &err);
        let d = &diags.errors[0];
        assert_eq!(attr_of(d).as_deref(), Some("key"));
        assert!(d
            .detail
            .contains("terraform import <resource address> sec_9"));
    }

    #[test]
    fn auth_errors_name_the_key_settings() {
        let mut diags = Diagnostics::default();
        let err = ApiError::Unauthenticated {
            detail: "Invalid API key".into(),
        };
        api_error(&mut diags, "list secrets", None, &err);
        assert!(diags.errors[0].detail.contains("`api_key`"));
        assert!(diags.errors[0].detail.contains("DEVIN_API_KEY"));
    }
}
