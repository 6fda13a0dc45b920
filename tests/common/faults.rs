//! What the fault scenarios of several test files share: a one-secret configuration,
//! faults aimed at one API version's secrets endpoints, and excerpts for failure messages.

use devin_api_standin::{Budget, Fault, FaultRule};

use super::{provider_hcl, squash, Api};

/// A configuration of `provider_block` and one `devin_secret` whose value is `value`.
pub fn one_secret(provider_block: &str, value: &str) -> String {
    provider_hcl(&format!(
        r#"
{provider_block}
resource "devin_secret" "s" {{
  key   = "ERR_KEY"
  value = "{value}"
}}
"#
    ))
}

/// A status fault on `method` requests to `api`'s secrets endpoints only: a provider that
/// spoke the other version would never meet it.
pub fn fault(
    api: Api,
    status: u16,
    retry_after: Option<&str>,
    body: Option<&str>,
    method: &str,
    budget: Budget,
) -> FaultRule {
    rule(
        api,
        Fault::Status {
            status,
            retry_after: retry_after.map(Into::into),
            body: body.map(Into::into),
        },
        method,
        budget,
    )
}

/// `fault` on `method` requests to `api`'s secrets endpoints.
pub fn rule(api: Api, fault: Fault, method: &str, budget: Budget) -> FaultRule {
    FaultRule {
        fault,
        method: Some(method.into()),
        path_prefix: Some(api.secrets_path()),
        budget,
    }
}

/// The text around the first `needle`, for failure messages.
pub fn context(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(300)
        .map_or(0, |(i, _)| i);
    text[start..(at + needle.len() + 100).min(text.len())].to_string()
}

/// Asserts that `out` holds each of `expected` (white space squashed) and no backtrace;
/// `what` names the case in the failure.
pub fn assert_all(out: &str, what: &str, expected: &[&str]) {
    // Terraform wraps diagnostic text to the width of a terminal.
    let flat = squash(out);
    for e in expected {
        assert!(
            flat.contains(&squash(e)),
            "{what}: expected {e:?} in:\n{out}"
        );
    }
    assert!(
        !out.contains("stack backtrace"),
        "{what}: a backtrace in:\n{out}"
    );
}
