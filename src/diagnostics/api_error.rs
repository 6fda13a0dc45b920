//! The words for the API's errors: one [`ApiError`] becomes the diagnostics that tell a
//! person what happened and what to do.

use tf_provider::Diagnostics;

use super::{error, Action};
use crate::api::{ApiError, Call, LastAnswer, NoAnswer, ValidationIssue};

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

/// Adds the diagnostics for `err`, raised while trying to `action`. The secret's key,
/// when the action names one, goes into the advice about a taken key or a refused id.
pub fn api_error(diags: &mut Diagnostics, action: &Action, err: &ApiError) {
    api_error_on(diags, action, err, "value");
}

/// [`api_error`] for a create whose value came from `value_attribute` (`value` or the
/// write-only `value_wo`): a refused value points there.
pub fn api_error_on(
    diags: &mut Diagnostics,
    action: &Action,
    err: &ApiError,
    value_attribute: &'static str,
) {
    let key = action.key();
    match err {
        ApiError::Validation(items) => {
            for item in items {
                validation(diags, action, key, item, value_attribute);
            }
        }
        ApiError::Unauthenticated { detail } => error(
            diags,
            format!("Devin API rejected the API key while trying to {action}"),
            format!(
                "HTTP 401: {detail}\n\nSet a valid Devin API key in the provider's `api_key` \
                 argument or in the DEVIN_API_KEY environment variable. Service-user \
                 credentials start with cog_ and speak API v3 (with `org_id`); legacy keys \
                 start with apk_ (Service) or apk_user_ (Personal) and speak API v1."
            ),
            None,
        ),
        ApiError::Forbidden { detail } => error(
            diags,
            format!("Devin API denied permission to {action}"),
            format!(
                "HTTP 403: {detail}\n\nThe API key given by `api_key` or DEVIN_API_KEY was \
                 accepted but may not manage this organization's secrets. With a cog_ \
                 credential (API v3), check that `org_id` (or DEVIN_ORG_ID) names the \
                 organization the credential belongs to, and that its service user has the \
                 ManageOrgSecrets permission. With a legacy key (API v1), use a Service API \
                 key, or the Personal key of a user allowed to manage secrets."
            ),
            None,
        ),
        ApiError::Duplicate {
            existing_id,
            detail,
        } => duplicate_key(diags, action, key, existing_id.as_deref(), detail),
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
            call,
            attempts,
            elapsed,
            last: LastAnswer::Transport { kind, message },
        } => no_answer(
            diags,
            action,
            key,
            *call,
            *kind,
            message,
            &format!(
                "{} over {:.1} s",
                attempts_text(*attempts),
                elapsed.as_secs_f64()
            ),
        ),
        ApiError::Exhausted {
            attempts,
            elapsed,
            last,
            ..
        } => {
            let why = match last {
                LastAnswer::Status { status: 429, .. } => {
                    "The API is throttling requests (HTTP 429)."
                }
                LastAnswer::Status { status, .. } if *status >= 500 => {
                    "The API is failing (HTTP 5xx)."
                }
                _ => "The API kept answering with an error.",
            };
            error(
                diags,
                match attempts {
                    1 => format!("Could not {action}: the Devin API failed"),
                    n => format!("Could not {action}: the Devin API failed {n} times"),
                },
                // An HTTP answer came each time: `request_timeout` is not the cause.
                format!(
                    "{why} Gave up after {} over {:.1} s.\nLast answer: {last}\n\nRun the \
                     command again later, or raise `max_retries` in the provider configuration.",
                    attempts_text(*attempts),
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
                 Terraform knowing it. Run `terraform apply` again once the API answers: the \
                 provider looks for the key before it sends anything, and if the secret was \
                 created, the error names its id so you can import it."
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
        ApiError::Tls {
            host,
            problem,
            trusted,
            proxy,
        } => super::tls::tls_error(diags, action, host, problem, trusted, *proxy),
        ApiError::Cancelled => error(
            diags,
            format!("Interrupted while trying to {action}"),
            "Terraform asked the provider to stop, so the request was abandoned.".into(),
            None,
        ),
        ApiError::Abandoned => error(
            diags,
            format!("Interrupted while trying to {action}: it may have been created"),
            "Terraform asked the provider to stop while the request was under way, so the \
             provider abandoned it, looked once for the secret, found none, and Terraform \
             records none. The API may have received the request all the same and still \
             create the secret (a server behind a load balancer finishes what it received).\n\n\
             Run `terraform plan` before anything else: if the secret was created, the plan \
             stops with an error on `key` that names its id and gives the `import` block \
             that adopts it; if it was not, the plan creates it."
                .into(),
            Some("key"),
        ),
    }
}

fn attempts_text(attempts: u32) -> String {
    match attempts {
        1 => "1 attempt".into(),
        n => format!("{n} attempts"),
    }
}

/// A call that gave up without an HTTP answer. The advice turns on whether the request was
/// sent. A connection that never opened means a wrong address or a network in the way:
/// retrying more would not help, and nothing changed. A request that timed out or lost its
/// connection after it was sent may have reached the API and been applied: what to do
/// then depends on the call.
fn no_answer(
    diags: &mut Diagnostics,
    action: &Action,
    key: Option<&str>,
    call: Call,
    kind: NoAnswer,
    message: &str,
    tries: &str,
) {
    let (summary, what) = match kind {
        NoAnswer::NotConnected => {
            error(
                diags,
                format!("Could not {action}: cannot connect to the Devin API"),
                format!(
                    "No connection to the Devin API could be opened ({tries}): {message}\n\n\
                     The request was never sent, so nothing changed in Devin. Check the address \
                     the provider uses: `api_url` in the provider configuration, else the \
                     DEVIN_API_URL environment variable, else https://api.devin.ai. \
                     \"Connection refused\" means nothing listens there; a name that does not \
                     resolve or a connection that times out points at the name, the network, \
                     a proxy or a firewall."
                ),
                None,
            );
            return;
        }
        NoAnswer::TimedOut => (
            "no answer from the Devin API",
            format!(
                "The request reached the API, but no answer came within `request_timeout` \
                 ({tries}): {message}."
            ),
        ),
        NoAnswer::Broken => (
            "no answer from the Devin API",
            format!(
                "The request reached the API, but the connection broke before the answer \
                 ({tries}): {message}."
            ),
        ),
    };
    let slow = if kind == NoAnswer::TimedOut {
        " If the API is slow rather than down, raise `request_timeout` in the provider \
         configuration."
    } else {
        ""
    };
    let advice = match call {
        Call::List => {
            format!("A read changes nothing in Devin. Run the command again later.{slow}")
        }
        Call::Delete => format!(
            "It may have been applied: the secret may be gone from Devin although Terraform \
             still records it. Run `terraform plan` to see: its refresh drops a secret that \
             is gone from the state, and destroying a secret that is already gone \
             succeeds.{slow}"
        ),
        Call::Create => {
            let name = key.map_or_else(|| "with this key".to_string(), |k| format!("\"{k}\""));
            format!(
                "It may have been applied. After each attempt the provider listed the secrets \
                 and found no secret {name} that it had created, so Terraform records none; \
                 but the API may still be working on a request and create the secret later. \
                 Running `terraform apply` again is safe: before creating, the provider looks \
                 for a secret with this key, and if one appeared it stops and gives its id to \
                 import.{slow}"
            )
        }
    };
    error(
        diags,
        format!("Could not {action}: {summary}"),
        format!("{what}\n\n{advice}"),
        None,
    );
}

fn validation(
    diags: &mut Diagnostics,
    action: &Action,
    key: Option<&str>,
    item: &ValidationIssue,
    value_attribute: &'static str,
) {
    let attribute = match item.field().and_then(attribute_for_field) {
        Some("value") => Some(value_attribute),
        other => other,
    };
    let fix = match attribute {
        Some("id") => {
            let which = key.map_or_else(String::new, |k| format!(" whose key is \"{k}\""));
            format!(
                "\n\nThe API refused the secret id that Terraform's state records. If the \
                 secret no longer exists in Devin, remove the devin_secret{which} from the \
                 state with `terraform state rm <address>`."
            )
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

/// A create refused because the key is taken, by a secret this run did not create.
fn duplicate_key(
    diags: &mut Diagnostics,
    action: &Action,
    key: Option<&str>,
    existing_id: Option<&str>,
    detail: &str,
) {
    let name = key.map_or_else(String::new, |k| format!(" \"{k}\""));
    let advice = match existing_id {
        Some(id) => format!(
            "The existing secret has id {id}.\n\n\
             - If it is the old secret of this very resource, being replaced under \
             `lifecycle {{ create_before_destroy = true }}`: that cannot work, as the new \
             secret would need the key while the old one still holds it. Remove \
             `create_before_destroy`; the provider then deletes the old secret and creates \
             the new one right after.\n\
             - If no resource of this state manages it, import it: \
             `terraform import devin_secret.<name> {id}` (or an `import` block with \
             `id = \"{id}\"`).\n\
             - If another devin_secret of this state manages it (`terraform state list \
             -id={id}` prints its address), do not import it, which would make two \
             resources manage one secret: give this resource another `key`."
        ),
        // Only a 409 from the POST itself gets here: the list did not show the secret.
        None => format!(
            "The API said: {detail}. The `devin_secrets` data source lists the existing \
             secrets and their ids: import the one with this key, or choose another `key`."
        ),
    };
    error(
        diags,
        format!("Cannot {action}: a secret named{name} already exists"),
        format!("Secret names are unique within a Devin organization. {advice}"),
        Some("key"),
    );
}
