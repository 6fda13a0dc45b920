//! The words for the API's errors.

use std::time::Duration;

use tf_provider::Diagnostics;

use super::{api_error, Action};
use crate::api::{ApiError, Call, LastAnswer, NoAnswer, ValidationIssue};
use tf_provider::AttributePathStep;
use tf_provider::Diagnostic;

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
    let action = Action::DeleteSecretById { id: "s1".into() };
    api_error(&mut diags, &action, &err);
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
    api_error(&mut diags, &Action::ListSecrets, &ApiError::Cancelled);
    assert!(!diags.errors[0].detail.contains("backtrace"));
    assert!(!diags.errors[0].detail.contains("diagnostics.rs"));
}

#[test]
fn exhausted_says_status_attempts_and_last_answer() {
    let mut diags = Diagnostics::default();
    let err = ApiError::Exhausted {
        call: Call::Create,
        attempts: 6,
        elapsed: Duration::from_millis(4200),
        last: LastAnswer::Status {
            status: 503,
            detail: "upstream down".into(),
        },
    };
    let action = Action::CreateSecret { key: "K".into() };
    api_error(&mut diags, &action, &err);
    let d = &diags.errors[0];
    assert!(d.summary.contains("6 times"));
    assert!(d.detail.contains("HTTP 503: upstream down"));
    assert!(d.detail.contains("6 attempts over 4.2 s"));
    assert!(d.detail.contains("`max_retries`"));
}

fn no_answer_diag(call: Call, kind: NoAnswer, attempts: u32) -> Diagnostic {
    let mut diags = Diagnostics::default();
    let err = ApiError::Exhausted {
        call,
        attempts,
        elapsed: Duration::from_millis(2200),
        last: LastAnswer::Transport {
            kind,
            message: "error sending request for url (http://127.0.0.1:9/v1/secrets): \
                      operation timed out"
                .into(),
        },
    };
    let action = match call {
        Call::List => Action::ListSecrets,
        Call::Create => Action::CreateSecret { key: "K".into() },
        Call::Delete => Action::DeleteSecret {
            key: Some("K".into()),
            id: "sec_1".into(),
        },
    };
    api_error(&mut diags, &action, &err);
    assert_eq!(diags.errors.len(), 1);
    diags.errors.remove(0)
}

#[test]
fn a_connection_that_never_opened_points_at_the_address_not_at_retries() {
    for call in [Call::List, Call::Create, Call::Delete] {
        let d = no_answer_diag(call, NoAnswer::NotConnected, 1);
        assert!(
            d.summary.ends_with(": cannot connect to the Devin API"),
            "{}",
            d.summary
        );
        for expected in [
            "(1 attempt over 2.2 s)",
            "http://127.0.0.1:9/v1/secrets",
            "never sent, so nothing changed",
            "`api_url`",
            "DEVIN_API_URL",
            "nothing listens there",
        ] {
            assert!(d.detail.contains(expected), "{expected:?} in {}", d.detail);
        }
        for never in [
            "max_retries",
            "could not be reached",
            "may have been applied",
        ] {
            assert!(!d.detail.contains(never), "{never:?} in {}", d.detail);
        }
    }
}

#[test]
fn a_request_that_timed_out_may_have_been_applied() {
    let d = no_answer_diag(Call::List, NoAnswer::TimedOut, 2);
    assert_eq!(
        d.summary,
        "Could not list secrets: no answer from the Devin API"
    );
    assert!(d
        .detail
        .contains("no answer came within `request_timeout` (2 attempts"));
    assert!(d.detail.contains("A read changes nothing in Devin"));
    assert!(!d.detail.contains("may have been applied"));

    let d = no_answer_diag(Call::Delete, NoAnswer::TimedOut, 2);
    assert_eq!(
        d.summary,
        "Could not delete secret \"K\" (devin_secret, id sec_1): no answer from the Devin API"
    );
    assert!(d.detail.contains("The request reached the API"));
    assert!(d.detail.contains("It may have been applied"));
    assert!(d.detail.contains("`terraform plan`"));
    assert!(d.detail.contains("raise `request_timeout`"));

    let d = no_answer_diag(Call::Create, NoAnswer::TimedOut, 2);
    assert!(d.detail.contains("It may have been applied"));
    assert!(d
        .detail
        .contains("listed the secrets and found no secret \"K\""));
    assert!(d.detail.contains("`terraform apply` again is safe"));
    for call in [Call::List, Call::Create, Call::Delete] {
        let d = no_answer_diag(call, NoAnswer::TimedOut, 2);
        assert!(!d.detail.contains("could not be reached"));
        assert!(!d.detail.contains("never sent"));
    }
}

#[test]
fn a_connection_that_broke_after_sending_may_have_been_applied() {
    let d = no_answer_diag(Call::Delete, NoAnswer::Broken, 3);
    assert!(d
        .detail
        .contains("the connection broke before the answer (3 attempts"));
    assert!(d.detail.contains("It may have been applied"));
    assert!(!d.detail.contains("request_timeout"));
}

#[test]
fn a_refused_delete_names_the_secret_and_the_state_rm_to_run() {
    let mut diags = Diagnostics::default();
    let err = ApiError::Validation(vec![ValidationIssue {
        loc: vec!["path".into(), "secret_id".into()],
        msg: "Secret is in use".into(),
        kind: "value_error".into(),
    }]);
    let action = Action::DeleteSecret {
        key: Some("GH".into()),
        id: "sec_1".into(),
    };
    api_error(&mut diags, &action, &err);
    let d = &diags.errors[0];
    assert_eq!(
        d.summary,
        "Devin API refused to delete secret \"GH\" (devin_secret, id sec_1)"
    );
    assert!(d
        .detail
        .contains("remove the devin_secret whose key is \"GH\""));
}

#[test]
fn duplicates_point_at_key_and_suggest_import() {
    let mut diags = Diagnostics::default();
    let err = ApiError::Duplicate {
        existing_id: Some("sec_9".into()),
        detail: String::new(),
    };
    let action = Action::CreateSecret { key: "K".into() };
    api_error(&mut diags, &action, &err);
    let d = &diags.errors[0];
    assert_eq!(attr_of(d).as_deref(), Some("key"));
    assert!(d
        .detail
        .contains("terraform import devin_secret.<name> sec_9"));
}

#[test]
fn auth_errors_name_the_key_settings() {
    let mut diags = Diagnostics::default();
    let err = ApiError::Unauthenticated {
        detail: "Invalid API key".into(),
    };
    api_error(&mut diags, &Action::ListSecrets, &err);
    assert!(diags.errors[0].detail.contains("`api_key`"));
    assert!(diags.errors[0].detail.contains("DEVIN_API_KEY"));
}

#[test]
fn an_abandoned_create_says_it_may_have_landed_and_what_to_run() {
    let mut diags = Diagnostics::default();
    let action = Action::CreateSecret { key: "K".into() };
    api_error(&mut diags, &action, &ApiError::Abandoned);
    let d = &diags.errors[0];
    assert_eq!(
        d.summary,
        "Interrupted while trying to create secret \"K\": it may have been created"
    );
    assert!(d
        .detail
        .contains("Run `terraform plan` before anything else"));
    assert!(d.detail.contains("`import` block"));
    assert_eq!(attr_of(d).as_deref(), Some("key"));
}

#[test]
fn a_tls_failure_says_what_is_wrong_and_never_that_the_api_could_not_be_reached() {
    use crate::api::TlsProblem;
    let cases = [
        (
            TlsProblem::UnknownIssuer,
            "is not trusted",
            "set SSL_CERT_FILE to a PEM file",
        ),
        (
            TlsProblem::Expired {
                not_after: None,
                now: None,
            },
            "is not trusted",
            "If this machine's clock is wrong",
        ),
        (
            TlsProblem::OtherName {
                presented: vec!["proxy.corp".into()],
            },
            "is not trusted",
            "names the host the way its certificate does",
        ),
        (
            TlsProblem::Handshake("received corrupt message".into()),
            "TLS handshake with api.devin.ai failed",
            "use http://",
        ),
    ];
    for (problem, summary, advice) in cases {
        let mut diags = Diagnostics::default();
        let err = ApiError::Tls {
            host: "api.devin.ai".into(),
            problem: problem.clone(),
            trusted: "the system's trust store (140 certificates)".into(),
            proxy: Some("HTTPS_PROXY"),
        };
        api_error(&mut diags, &Action::ListSecrets, &err);
        let d = &diags.errors[0];
        assert!(d.summary.contains(summary), "{problem:?}: {}", d.summary);
        for said in [
            "api.devin.ai: ",
            "No request was sent, so nothing changed in Devin",
            "the provider tried once",
            advice,
        ] {
            assert!(
                d.detail.contains(said),
                "{problem:?}: {said:?} in {}",
                d.detail
            );
        }
        if problem.is_certificate() {
            assert!(
                d.detail.contains("(through the proxy HTTPS_PROXY sets)"),
                "{}",
                d.detail
            );
            assert!(
                d.detail.contains("trusts the system's trust store (140"),
                "{}",
                d.detail
            );
        }
        for never in ["cannot connect", "could not be reached", "No connection"] {
            assert!(
                !d.detail.contains(never) && !d.summary.contains(never),
                "{never:?}"
            );
        }
    }
}
