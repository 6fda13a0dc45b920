//! Every message the provider's own settings and configure give a person: what is wrong,
//! on which argument, and how to fix it. The checks raise typed problems; the words are
//! built here only.

use tf_provider::{AttributePath, Diagnostics};

use super::settings::{Origin, MAX_RETRIES_LIMIT};
use crate::api::retry::DEFAULT_MAX_RETRIES;
use crate::api::{ApiError, ApiVersion};
use crate::diagnostics::{self, Action};

/// A problem with one provider argument, or with the environment variable it falls back to.
#[derive(Debug, PartialEq, Eq)]
pub enum ConfigProblem {
    /// `api_key = ""`.
    EmptyApiKey,
    /// Neither `api_key` nor DEVIN_API_KEY.
    NoApiKey,
    /// A key that cannot travel in an HTTP header: `flaw` at 0-based character `at`.
    UnsendableKey {
        /// Where the key came from.
        origin: Origin,
        /// What the offending character is.
        flaw: KeyFlaw,
        /// Its position in the trimmed key.
        at: usize,
    },
    /// An `api_url` or DEVIN_API_URL that cannot be used.
    BadUrl {
        /// Where the URL came from.
        origin: Origin,
        /// What is wrong with it.
        flaw: UrlFlaw,
    },
    /// A `request_timeout` that is not a duration from 1s to 10m.
    BadTimeout {
        /// The text given.
        given: String,
        /// Why it is refused.
        flaw: TimeoutFlaw,
    },
    /// A `max_retries` that is not a whole number from 0 to [`MAX_RETRIES_LIMIT`].
    BadMaxRetries {
        /// The number given, as Terraform wrote it.
        given: String,
    },
    /// An `api_version` other than `v1` and `v3`.
    UnknownApiVersion {
        /// The text given.
        given: String,
    },
    /// An `api_version` the key's prefix contradicts.
    VersionContradictsKey {
        /// `api_version`.
        explicit: ApiVersion,
        /// What the key's prefix says.
        by_key: ApiVersion,
        /// Where the key came from.
        key_origin: Origin,
    },
    /// An organization id the API cannot be asked about.
    BadOrgId {
        /// Where it came from.
        origin: Origin,
        /// Why, as the end of a sentence that starts with its name.
        flaw: &'static str,
    },
    /// A v3 key without `org_id` or DEVIN_ORG_ID.
    NoOrganization {
        /// Where the key came from.
        key_origin: Origin,
    },
    /// `org_id` beside a v1 key, which implies its organization.
    OrgIdWithV1Key {
        /// Where the key came from.
        key_origin: Origin,
    },
}

/// What makes a key unsendable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFlaw {
    /// `\n` or `\r`.
    LineBreak,
    /// Any other control character.
    Control,
    /// A character beyond ASCII.
    NotAscii,
}

/// What makes an API URL unusable.
#[derive(Debug, PartialEq, Eq)]
pub enum UrlFlaw {
    /// The URL parser's reason.
    Unparsable(String),
    /// A user name or password in the URL.
    Credentials,
    /// A query or a fragment.
    QueryOrFragment,
    /// `http://` to a host that is not loopback.
    PlainHttp,
    /// A scheme other than http and https.
    Scheme(String),
}

/// Why a `request_timeout` is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TimeoutFlaw {
    /// A duration outside 1s..=10m.
    OutOfRange,
    /// Not a duration: the parser's reason.
    NotADuration(String),
}

/// "the `api_key` argument" or "the DEVIN_API_KEY environment variable".
fn described(origin: Origin) -> String {
    match origin {
        Origin::Argument(name) => format!("the `{name}` argument"),
        Origin::Variable(name) => format!("the {name} environment variable"),
    }
}

impl ConfigProblem {
    /// The argument a diagnostic points at; `None` when the problem is in the
    /// environment, so that Terraform does not point at an argument that did not cause it.
    pub fn attribute(&self) -> Option<&'static str> {
        use ConfigProblem::*;
        match self {
            EmptyApiKey | NoApiKey => Some("api_key"),
            UnsendableKey { origin, .. } | BadUrl { origin, .. } | BadOrgId { origin, .. } => {
                origin.attribute()
            }
            BadTimeout { .. } => Some("request_timeout"),
            BadMaxRetries { .. } => Some("max_retries"),
            UnknownApiVersion { .. } | VersionContradictsKey { .. } => Some("api_version"),
            NoOrganization { .. } | OrgIdWithV1Key { .. } => Some("org_id"),
        }
    }

    /// What is wrong, in one line.
    pub fn summary(&self) -> String {
        use ConfigProblem::*;
        match self {
            EmptyApiKey => "`api_key` is empty".into(),
            NoApiKey => "No Devin API key: set `api_key` or DEVIN_API_KEY".into(),
            UnsendableKey { origin, flaw, .. } => format!(
                "{} holds {}, which an API key cannot contain",
                origin.name(),
                flaw.text()
            ),
            BadUrl { origin, flaw } => {
                let source = origin.name();
                match flaw {
                    UrlFlaw::Unparsable(e) => format!("{source} is not a valid URL ({e})"),
                    UrlFlaw::Credentials => format!("{source} must not contain credentials"),
                    UrlFlaw::QueryOrFragment => {
                        format!("{source} must not have a query or a fragment")
                    }
                    UrlFlaw::PlainHttp => {
                        format!("{source} uses plain http:// to a host that is not loopback")
                    }
                    UrlFlaw::Scheme(other) => {
                        format!("{source} has the unsupported scheme \"{other}\"")
                    }
                }
            }
            BadTimeout { given, flaw } => match flaw {
                TimeoutFlaw::OutOfRange => format!("request_timeout \"{given}\" is out of range"),
                TimeoutFlaw::NotADuration(e) => {
                    format!("request_timeout \"{given}\" is not a duration ({e})")
                }
            },
            BadMaxRetries { given } => format!(
                "max_retries must be a whole number from 0 to {MAX_RETRIES_LIMIT}, not {given}"
            ),
            UnknownApiVersion { given } => {
                format!("api_version must be \"v1\" or \"v3\", not {given:?}")
            }
            VersionContradictsKey {
                explicit, by_key, ..
            } => format!("api_version is \"{explicit}\", but the key speaks {by_key}"),
            BadOrgId { origin, flaw } => format!("{} {flaw}", origin.name()),
            NoOrganization { .. } => "No organization: set `org_id` or DEVIN_ORG_ID".into(),
            OrgIdWithV1Key { .. } => "`org_id` cannot be used with a v1 API key".into(),
        }
    }

    /// How to fix it.
    pub fn detail(&self) -> String {
        use ConfigProblem::*;
        match self {
            EmptyApiKey => "Set a Devin API key, or remove `api_key` to use the DEVIN_API_KEY \
                            environment variable."
                .into(),
            NoApiKey => "The provider needs a Devin API key to reach the API. Set the \
                         DEVIN_API_KEY environment variable (preferred), or the `api_key` \
                         argument of the `devin` provider block."
                .into(),
            UnsendableKey { origin, flaw, at } => {
                let name = origin.name();
                let fix = match origin {
                    Origin::Variable(_) => format!(
                        "Set {name} to the key alone, as Devin shows it under Settings → API keys."
                    ),
                    Origin::Argument(_) => format!(
                        "Give `{name}` the key alone, as Devin shows it under Settings → API \
                         keys, or remove `{name}` to use the DEVIN_API_KEY environment variable."
                    ),
                };
                format!(
                    "Character {} of the key is {}: the key cannot be sent to the API in an \
                     HTTP header. White space around the key is ignored, but not inside it. \
                     The key is not shown here.\n\n{fix}",
                    at + 1,
                    flaw.text()
                )
            }
            BadUrl { flaw, .. } => match flaw {
                UrlFlaw::Unparsable(_) => "Give the API's base URL, such as https://api.devin.ai.",
                UrlFlaw::Credentials => {
                    "Remove the user name and password from the URL; the provider \
                     authenticates with `api_key` / DEVIN_API_KEY."
                }
                UrlFlaw::QueryOrFragment => {
                    "Give only the scheme, host, optional port and optional path prefix, such \
                     as https://api.devin.ai."
                }
                UrlFlaw::PlainHttp => {
                    "The API key would travel unencrypted over the network. Use https://, or \
                     http:// only with localhost, 127.0.0.1 or ::1."
                }
                UrlFlaw::Scheme(_) => "Use an https:// URL, such as https://api.devin.ai.",
            }
            .into(),
            BadTimeout { .. } => {
                "Give a duration between 1s and 10m, such as \"30s\" or \"2m\".".into()
            }
            BadMaxRetries { .. } => format!(
                "`max_retries` is how many times a failed request is retried after its first \
                 attempt: give a whole number from 0 (no retries) to {MAX_RETRIES_LIMIT}, or \
                 leave it out for the default, {DEFAULT_MAX_RETRIES}."
            ),
            UnknownApiVersion { .. } => "Give \"v3\" for a service-user credential (`cog_…`) \
                                         or \"v1\" for a legacy API key (`apk_…`), or leave \
                                         `api_version` out: the key's prefix picks the version."
                .into(),
            VersionContradictsKey {
                explicit,
                by_key,
                key_origin,
            } => {
                let kind = match by_key {
                    ApiVersion::V3 => "a service-user credential (`cog_…`)",
                    ApiVersion::V1 => "a legacy API key (`apk_…`)",
                };
                format!(
                    "The key in {} is {kind}, which Devin accepts on API {by_key} only. \
                     Remove `api_version` (the key's prefix picks the version), or use a key \
                     made for API {explicit}.",
                    described(*key_origin)
                )
            }
            BadOrgId { origin, .. } => format!(
                "Give the id of the Devin organization, such as \"org-abc123\", as Devin shows \
                 it in the organization's settings ({}).",
                described(*origin)
            ),
            NoOrganization { key_origin } => format!(
                "The key in {} speaks the Devin API v3, where every secret belongs to an \
                 organization named in the request. Set the DEVIN_ORG_ID environment \
                 variable or the provider's `org_id` argument to the organization's id, \
                 such as \"org-abc123\".",
                described(*key_origin)
            ),
            OrgIdWithV1Key { key_origin } => format!(
                "The key in {} is a legacy API key (`apk_…`), which speaks the Devin API \
                 v1: there the key itself decides the organization, and no request \
                 names one. Remove `org_id`, or use a service-user credential (`cog_…`, \
                 API v3) of the organization you mean.",
                described(*key_origin)
            ),
        }
    }
}

impl KeyFlaw {
    fn text(self) -> &'static str {
        match self {
            KeyFlaw::LineBreak => "a line break",
            KeyFlaw::Control => "a control character",
            KeyFlaw::NotAscii => "a character that is not ASCII",
        }
    }
}

/// Reports each problem on the argument it names.
pub fn report(diags: &mut Diagnostics, problems: Vec<ConfigProblem>) {
    for p in problems {
        diagnostics::error(diags, p.summary(), p.detail(), p.attribute());
    }
}

/// Reports why the API client could not be built.
pub fn report_client_setup(diags: &mut Diagnostics, reason: String) {
    diagnostics::error(
        diags,
        "Cannot set up the Devin API client".into(),
        reason,
        None,
    );
}

/// Reports why the list taken at configure failed: once, for the whole run. An error
/// about the key points at `api_key` when the key came from there, and says which of
/// `api_key` and DEVIN_API_KEY it came from.
pub fn report_check(diags: &mut Diagnostics, err: &ApiError, key_origin: Origin) {
    let first = diags.errors.len();
    diagnostics::api_error(diags, &Action::CheckCredentials, err);
    let about_the_key = matches!(
        err,
        ApiError::Unauthenticated { .. } | ApiError::Forbidden { .. }
    );
    for d in &mut diags.errors[first..] {
        let mut detail = d.detail.to_string();
        if about_the_key {
            detail.push_str(&format!(
                "\n\nThe key in use came from {}.",
                described(key_origin)
            ));
            if let Some(attribute) = key_origin.attribute() {
                d.attribute = AttributePath::new(attribute.to_string());
            }
        }
        detail.push_str(
            "\n\nThe provider lists the organization's secrets once when it is configured, to \
             check the key and the API before anything is planned or changed.",
        );
        d.detail = detail.into();
    }
}

/// Why a resource cannot reach the API.
pub enum Unreachable {
    /// The provider block holds values known only at apply.
    Pending,
    /// Configure failed, and said why.
    ConfigureFailed,
    /// Configure never ran.
    Unconfigured,
}

/// Reports that `action` cannot be done, and why.
pub fn report_unreachable(diags: &mut Diagnostics, action: &Action, why: Unreachable) {
    let (summary, detail) = match why {
        Unreachable::Pending => (
            format!("Cannot {action}: the provider configuration is not known yet"),
            "The `devin` provider block uses values that Terraform learns only during apply \
             (for example another resource's attribute). Apply the resources it depends on \
             first, e.g. with `-target`.",
        ),
        Unreachable::ConfigureFailed => (
            format!("Cannot {action}: the Devin API could not be used"),
            "See the error reported when the `devin` provider was configured.",
        ),
        Unreachable::Unconfigured => (
            format!("Cannot {action}: the provider is not configured"),
            "Terraform did not configure the `devin` provider before using it.",
        ),
    };
    diagnostics::error(diags, summary, detail.into(), None);
}
