//! What can go wrong in a call to the Devin API, as values a caller can tell apart.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::certificate::TlsProblem;
use super::redact;
use super::version::v1_field_name;

/// One item of a FastAPI `HTTPValidationError`: where the request was wrong, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationIssue {
    /// Where: e.g. `["body", "key"]` or `["path", "secret_id"]`.
    pub loc: Vec<String>,
    /// The server's message for a person.
    pub msg: String,
    /// The server's machine-readable error type.
    pub kind: String,
}

impl ValidationIssue {
    /// The request field `loc` names: its step after `body`, `path` or `query`, in v1's
    /// spelling whichever version answered (v3's `is_sensitive` is `sensitive`), so that
    /// callers map fields to their own names once for both versions.
    pub fn field(&self) -> Option<&str> {
        let field = match self.loc.as_slice() {
            [scope, field, ..] if matches!(scope.as_str(), "body" | "path" | "query") => field,
            [field] if field != "body" => field,
            _ => return None,
        };
        Some(v1_field_name(field))
    }

    /// `loc` as a person reads it: `body.key`.
    pub fn loc_text(&self) -> String {
        if self.loc.is_empty() {
            "(none)".into()
        } else {
            self.loc.join(".")
        }
    }
}

/// Why a request got no HTTP answer: what a person must be told differs (was the
/// request sent at all? may it have been applied?).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoAnswer {
    /// No connection could be opened (refused, no route, DNS, connect timeout): the
    /// request was never sent, and the API cannot have seen it.
    NotConnected,
    /// The request was sent, but no complete answer came within `request_timeout`: the
    /// API may have received it, and may have applied it.
    TimedOut,
    /// The request was sent, but the connection broke before a complete answer: the API
    /// may have received it, and may have applied it.
    Broken,
}

impl NoAnswer {
    /// Whether the API may have seen the request.
    pub fn may_have_reached(self) -> bool {
        self != Self::NotConnected
    }
}

/// The last failed answer of a call that was retried until it gave up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LastAnswer {
    /// An HTTP status with a short, redacted excerpt of its body.
    Status {
        /// The status code.
        status: u16,
        /// What the body said.
        detail: String,
    },
    /// No HTTP answer.
    Transport {
        /// Whether the request was sent, and how it ended.
        kind: NoAnswer,
        /// The transport error, redacted.
        message: String,
    },
}

impl LastAnswer {
    /// The status or transport error without the body: what logs show, since a server
    /// may echo anything in a body.
    pub fn brief(&self) -> String {
        match self {
            Self::Status { status, .. } => format!("HTTP {status}"),
            Self::Transport { message, .. } => message.clone(),
        }
    }
}

impl fmt::Display for LastAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status { status, detail } if detail.is_empty() => write!(f, "HTTP {status}"),
            Self::Status { status, detail } => write!(f, "HTTP {status}: {detail}"),
            Self::Transport { message, .. } => f.write_str(message),
        }
    }
}

/// What a call that failed was doing: whether it may have changed anything in Devin, and
/// what the client did to find out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// Listing the secrets (every page of it, on v3): changes nothing.
    List,
    /// Creating a secret (a POST): after every attempt that may have reached the API, the
    /// client listed the secrets and found none it created.
    Create,
    /// Deleting a secret by id.
    Delete,
}

/// A failed call to the Devin API. Every text in it is already redacted: no variant holds
/// the API key or a secret value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the key is missing, malformed or revoked.
    Unauthenticated {
        /// What the server said.
        detail: String,
    },
    /// 403: the key is valid but may not do this.
    Forbidden {
        /// What the server said.
        detail: String,
    },
    /// 422: the request was refused, item by item.
    Validation(Vec<ValidationIssue>),
    /// 409 (or another refusal of a duplicate): a secret with this key exists already.
    Duplicate {
        /// The existing secret's id, when known.
        existing_id: Option<String>,
        /// What the server said, when it said anything.
        detail: String,
    },
    /// 404 on a call that needs the object to exist.
    NotFound {
        /// What the server said.
        detail: String,
    },
    /// A status that retrying cannot fix (400, 405, …), answered on the first attempt.
    Status {
        /// The status code.
        status: u16,
        /// What the server said.
        detail: String,
    },
    /// Retries are spent (429, 5xx, connection errors): how many attempts over how long,
    /// and the last answer.
    Exhausted {
        /// The call that gave up.
        call: Call,
        /// Attempts made, the first included.
        attempts: u32,
        /// Time from the first attempt to giving up.
        elapsed: Duration,
        /// The last failed answer.
        last: LastAnswer,
    },
    /// A POST may or may not have taken effect and the follow-up list could not tell.
    Unconfirmed {
        /// What went wrong with the POST.
        cause: LastAnswer,
        /// Why the list could not settle it.
        reason: String,
    },
    /// A success status with a body of the wrong shape.
    UnexpectedBody {
        /// The status code.
        status: u16,
        /// What was expected.
        expected: &'static str,
        /// A short, redacted excerpt of what came.
        excerpt: String,
    },
    /// The TLS handshake with the API's host failed: its certificate is not one the client
    /// trusts, or the server does not speak TLS. Not retried: no attempt would differ, and
    /// no request was sent.
    Tls {
        /// The host the client connected to (through the proxy, when one is set).
        host: String,
        /// What was wrong.
        problem: TlsProblem,
        /// Where the trusted roots came from.
        trusted: String,
        /// The variable that sets a proxy for the URL (`HTTPS_PROXY`, …), when one is set:
        /// its name only, as its value may hold the proxy's password.
        proxy: Option<&'static str>,
    },
    /// Terraform asked the provider to stop (Ctrl-C).
    Cancelled,
    /// Terraform asked the provider to stop while a POST that may have reached the API
    /// was under way, and one quick look at the list did not show its secret: the API may
    /// still create it.
    Abandoned,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unauthenticated { detail } => write!(f, "HTTP 401: {detail}"),
            Self::Forbidden { detail } => write!(f, "HTTP 403: {detail}"),
            Self::Validation(items) => {
                let msgs: Vec<_> = items.iter().map(|i| i.msg.as_str()).collect();
                write!(f, "HTTP 422: {}", msgs.join("; "))
            }
            Self::Duplicate { detail, .. } => write!(f, "duplicate key: {detail}"),
            Self::NotFound { detail } => write!(f, "HTTP 404: {detail}"),
            Self::Status { status, detail } => write!(f, "HTTP {status}: {detail}"),
            Self::Exhausted {
                attempts,
                elapsed,
                last,
                ..
            } => write!(
                f,
                "gave up after {attempts} attempts in {:.1} s; last answer: {last}",
                elapsed.as_secs_f64()
            ),
            Self::Unconfirmed { cause, reason } => {
                write!(f, "outcome unknown after {cause}: {reason}")
            }
            Self::UnexpectedBody {
                status,
                expected,
                excerpt,
            } => write!(
                f,
                "HTTP {status} with a body that is not {expected}: {excerpt}"
            ),
            Self::Tls { host, problem, .. } => write!(f, "TLS with {host}: {problem}"),
            Self::Cancelled => f.write_str("interrupted"),
            Self::Abandoned => f.write_str("interrupted; the request may have been applied"),
        }
    }
}

impl std::error::Error for ApiError {}

/// What an error body says, for a person: FastAPI's `detail` string, the `msg`s of a
/// `detail` list, or else a redacted excerpt of the raw body.
pub fn body_detail(body: &str, hidden: &[&str]) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let text = match parsed.as_ref().and_then(|v| v.get("detail")) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.get("msg").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    };
    if text.is_empty() {
        redact::excerpt(body, hidden)
    } else {
        redact::excerpt(&text, hidden)
    }
}

/// Reads a FastAPI `HTTPValidationError`. Only `loc`, `msg` and `type` are kept: pydantic
/// also echoes the request as `input`, which may hold the secret's value.
pub fn validation_issues(body: &str, hidden: &[&str]) -> Option<Vec<ValidationIssue>> {
    let parsed: Value = serde_json::from_str(body).ok()?;
    let items = parsed.get("detail")?.as_array()?;
    let issues: Vec<_> = items
        .iter()
        .map(|item| ValidationIssue {
            loc: item
                .get("loc")
                .and_then(Value::as_array)
                .map(|steps| {
                    steps
                        .iter()
                        .map(|s| match s {
                            Value::String(s) => redact::excerpt(s, hidden),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            msg: redact::excerpt(
                item.get("msg")
                    .and_then(Value::as_str)
                    .unwrap_or("(no message)"),
                hidden,
            ),
            kind: redact::excerpt(
                item.get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown"),
                hidden,
            ),
        })
        .collect();
    (!issues.is_empty()).then_some(issues)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_issues_keep_loc_msg_type_and_drop_input() {
        let body = r#"{"detail":[{"type":"missing","loc":["body","note"],"msg":"Field required","input":{"value":"hunter22"}},{"type":"x","loc":["path","secret_id",0],"msg":"bad"}]}"#;
        let issues = validation_issues(body, &[]).unwrap();
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].field(), Some("note"));
        assert_eq!(issues[0].kind, "missing");
        assert_eq!(issues[1].loc, vec!["path", "secret_id", "0"]);
        assert_eq!(issues[1].field(), Some("secret_id"));
        assert!(!format!("{issues:?}").contains("hunter22"));
    }

    #[test]
    fn v3_field_names_read_as_v1_names() {
        let body = r#"{"detail":[
            {"type":"bool_parsing","loc":["body","is_sensitive"],"msg":"bad"},
            {"type":"missing","loc":["body","type"],"msg":"Field required"},
            {"type":"x","loc":["path","org_id"],"msg":"bad"},
            {"type":"x","loc":["query","first"],"msg":"too big"},
            {"type":"x","loc":["is_sensitive"],"msg":"bad"}]}"#;
        let issues = validation_issues(body, &[]).unwrap();
        let fields: Vec<_> = issues.iter().map(ValidationIssue::field).collect();
        assert_eq!(
            fields,
            [
                Some("sensitive"),
                Some("type"),
                Some("org_id"),
                Some("first"),
                Some("sensitive")
            ]
        );
        // Where it was, as the API said it.
        assert_eq!(issues[0].loc_text(), "body.is_sensitive");
    }

    #[test]
    fn validation_issues_tolerate_odd_shapes() {
        assert_eq!(validation_issues("not json", &[]), None);
        assert_eq!(validation_issues(r#"{"detail":"nope"}"#, &[]), None);
        assert_eq!(validation_issues(r#"{"detail":[]}"#, &[]), None);
        let odd = validation_issues(r#"{"detail":[{}]}"#, &[]).unwrap();
        assert_eq!(odd[0].msg, "(no message)");
        assert_eq!(odd[0].field(), None);
    }

    #[test]
    fn details_quoting_an_escaped_value_are_scrubbed() {
        let value = "p\"w\\d\n\u{e9}-x";
        let escaped = serde_json::to_string(value).unwrap();
        let escaped = &escaped[1..escaped.len() - 1];
        // A `detail` quoting the request: the value escaped twice in the body.
        let body =
            serde_json::json!({ "detail": format!("bad {{\"value\":\"{escaped}\"}}") }).to_string();
        assert_eq!(
            body_detail(&body, &[value]),
            r#"bad {"value":"<redacted>"}"#
        );
        // JSON without `detail`: an excerpt of the raw body.
        let body = format!(r#"{{"echo":{{"value":"{escaped}"}}}}"#);
        assert_eq!(
            body_detail(&body, &[value]),
            r#"{"echo":{"value":"<redacted>"}}"#
        );
        // A 422 whose `msg` quotes it.
        let body = serde_json::json!({"detail": [{"loc": ["body", "value"], "type": "value_error",
            "msg": format!("Value error, \"{escaped}\" is not allowed"), "input": value}]})
        .to_string();
        let issues = validation_issues(&body, &[value]).unwrap();
        assert_eq!(issues[0].msg, "Value error, \"<redacted>\" is not allowed");
        assert!(!format!("{issues:?}").contains("-x"));
    }

    #[test]
    fn body_detail_prefers_fastapi_detail() {
        assert_eq!(
            body_detail(r#"{"detail":"Secret not found"}"#, &[]),
            "Secret not found"
        );
        assert_eq!(
            body_detail(r#"{"detail":[{"msg":"a"},{"msg":"b"}]}"#, &[]),
            "a; b"
        );
        assert_eq!(
            body_detail("<html>bad gateway apk_secret</html>", &["apk_secret"]),
            "<html>bad gateway <redacted></html>"
        );
    }
}
