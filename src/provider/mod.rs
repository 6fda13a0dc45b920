//! The `devin` provider: its configuration, and the API handle it shares with resources.

use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint::Optional, AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty, ValueString};
use tf_provider::{AttributePath, Diagnostics, Provider};
use tokio_util::sync::CancellationToken;
use url::{Host, Url};

use crate::api::retry::DEFAULT_MAX_RETRIES;
use crate::api::types::OrgId;
use crate::api::{ApiError, ApiVersion, Client, ClientConfig, RetryPolicy, Sensitive};
use crate::diagnostics;
use tfplugin::builders::{attr, block};
use tfplugin::Number;

/// The API's address when neither `api_url` nor `DEVIN_API_URL` is set.
pub const DEFAULT_API_URL: &str = "https://api.devin.ai";
/// The request timeout when `request_timeout` is not set.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest `max_retries` accepted.
pub const MAX_RETRIES_LIMIT: i64 = 20;
/// The shortest `request_timeout` accepted.
pub const MIN_REQUEST_TIMEOUT: Duration = Duration::from_secs(1);
/// The longest `request_timeout` accepted.
pub const MAX_REQUEST_TIMEOUT: Duration = Duration::from_secs(600);
/// What the list taken when the provider is configured is called in diagnostics.
const CHECK_ACTION: diagnostics::Action = diagnostics::Action::CheckCredentials;

/// The provider block, as Terraform sends it. Arguments a CLI does not send (an older
/// schema cached by the CLI) read as null.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderConfig<'a> {
    /// `api_key`; falls back to `DEVIN_API_KEY`.
    pub api_key: ValueString<'a>,
    /// `api_url`; falls back to `DEVIN_API_URL`, then [`DEFAULT_API_URL`].
    pub api_url: ValueString<'a>,
    /// `request_timeout`, a duration such as `30s`.
    pub request_timeout: ValueString<'a>,
    /// `max_retries`: any number Terraform sends, so that a fractional or huge one is an
    /// error on `max_retries` rather than a configuration the provider cannot read.
    pub max_retries: Value<Number>,
    /// `org_id`: the organization of API v3; falls back to `DEVIN_ORG_ID`.
    pub org_id: ValueString<'a>,
    /// `api_version`: `v1` or `v3`, for a key whose prefix does not say.
    pub api_version: ValueString<'a>,
}

/// What resources use to reach the API: empty until Terraform configures the provider.
#[derive(Default)]
pub struct ApiHandle {
    state: RwLock<Connection>,
    cancel: CancellationToken,
}

#[derive(Default)]
enum Connection {
    #[default]
    Unconfigured,
    /// The configuration depends on values known only at apply time.
    Pending,
    Ready(Client),
    /// Configure reported why the API cannot be used (a wrong key, an outage): resources
    /// must not each report it again.
    Failed,
}

/// Why a resource cannot reach the API yet.
pub enum NotReady {
    /// Configure has not run (the command needs no provider configuration).
    Unconfigured,
    /// The configuration holds values that are unknown until apply.
    Pending,
}

impl ApiHandle {
    /// A handle whose requests end when `cancel` is cancelled.
    pub fn new(cancel: CancellationToken) -> Self {
        Self {
            state: RwLock::default(),
            cancel,
        }
    }

    /// The client, once configured.
    pub fn client(&self) -> Result<Client, NotReady> {
        match &*self.state.read().unwrap_or_else(|e| e.into_inner()) {
            Connection::Ready(client) => Ok(client.clone()),
            Connection::Pending => Err(NotReady::Pending),
            // Terraform stops at configure's error and calls no resource after it; were
            // one called anyway, it has no client, as when configure never ran.
            Connection::Unconfigured | Connection::Failed => Err(NotReady::Unconfigured),
        }
    }

    fn failed(&self) -> bool {
        matches!(
            *self.state.read().unwrap_or_else(|e| e.into_inner()),
            Connection::Failed
        )
    }

    /// Like [`ApiHandle::client`], reporting why not in `diags`.
    pub fn client_or_diag(
        &self,
        diags: &mut Diagnostics,
        action: &diagnostics::Action,
    ) -> Option<Client> {
        match self.client() {
            Ok(client) => Some(client),
            Err(NotReady::Pending) => {
                diagnostics::error(
                    diags,
                    format!("Cannot {action}: the provider configuration is not known yet"),
                    "The `devin` provider block uses values that Terraform learns only during \
                     apply (for example another resource's attribute). Apply the resources it \
                     depends on first, e.g. with `-target`."
                        .into(),
                    None,
                );
                None
            }
            Err(NotReady::Unconfigured) if self.failed() => {
                // Configure's error already says why, once for every resource.
                diagnostics::error(
                    diags,
                    format!("Cannot {action}: the Devin API could not be used"),
                    "See the error reported when the `devin` provider was configured.".into(),
                    None,
                );
                None
            }
            Err(NotReady::Unconfigured) => {
                diagnostics::error(
                    diags,
                    format!("Cannot {action}: the provider is not configured"),
                    "Terraform did not configure the `devin` provider before using it.".into(),
                    None,
                );
                None
            }
        }
    }

    fn set(&self, connection: Connection) {
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = connection;
    }
}

/// The `devin` provider.
pub struct DevinProvider {
    api: Arc<ApiHandle>,
}

impl DevinProvider {
    /// A provider whose API requests end when `cancel` is cancelled.
    pub fn new(cancel: CancellationToken) -> Self {
        Self {
            api: Arc::new(ApiHandle::new(cancel)),
        }
    }

    /// The handle its resources and data sources reach the API through.
    pub fn api(&self) -> Arc<ApiHandle> {
        self.api.clone()
    }
}

/// The provider's schema.
pub fn provider_schema() -> Schema {
    Schema {
        version: 0,
        block: block(
            "The Devin provider manages the secrets of a Devin organization through the Devin \
             API: v3 with a service-user credential (`cog_…`, what new Devin accounts get) and \
             an `org_id`, or the legacy v1 with an `apk_…` key. The key's prefix picks the \
             version. When Terraform configures it, the provider lists the organization's \
             secrets once: a wrong API key or an unreachable API is one error there, whatever \
             the number of secrets, and the reads of the run share that list. To manage \
             several organizations, declare one provider block per organization, with \
             `alias`.",
            vec![
                (
                    "api_key",
                    attr(
                        AttributeType::String,
                        Optional,
                        true,
                        "A Devin API credential. A service-user credential (`cog_…`, with the \
                         `ManageOrgSecrets` permission) speaks API v3 and needs `org_id`; a \
                         legacy Personal (`apk_user_…`) or Service (`apk_…`) key speaks API v1 \
                         and implies its organization. Defaults to the `DEVIN_API_KEY` \
                         environment variable. Prefer the environment variable, so the key \
                         stays out of your configuration. White space around the key, such as \
                         the newline that ends a key file, is ignored.",
                    ),
                ),
                (
                    "api_url",
                    attr(
                        AttributeType::String,
                        Optional,
                        false,
                        "Base URL of the Devin API. Defaults to the `DEVIN_API_URL` environment \
                         variable, then `https://api.devin.ai`. Must be `https://`; plain \
                         `http://` is accepted only for a loopback host (`localhost`, \
                         `127.0.0.1`, `::1`), so the key never crosses a network unencrypted. \
                         Credentials, a query or a fragment are refused.",
                    ),
                ),
                (
                    "request_timeout",
                    attr(
                        AttributeType::String,
                        Optional,
                        false,
                        "How long one HTTP request may take before it is abandoned (and retried \
                         when safe), as a duration from `1s` to `10m`, such as `30s` or `2m`. \
                         Defaults to `30s`.",
                    ),
                ),
                (
                    "max_retries",
                    attr(
                        AttributeType::Number,
                        Optional,
                        false,
                        "How many times a failed request is retried (on HTTP 429, 5xx and \
                         connection errors, with exponential backoff and jitter, honouring \
                         `Retry-After`): a whole number from 0 to 20. Defaults to 5; 0 \
                         disables retries.",
                    ),
                ),
                (
                    "org_id",
                    attr(
                        AttributeType::String,
                        Optional,
                        false,
                        "The Devin organization whose secrets this provider manages, such as \
                         `org-abc123`: required with a `cog_` credential (API v3), and refused \
                         with an `apk_` key (API v1 takes the organization from the key). \
                         Defaults to the `DEVIN_ORG_ID` environment variable.",
                    ),
                ),
                (
                    "api_version",
                    attr(
                        AttributeType::String,
                        Optional,
                        false,
                        "`v1` or `v3`. Only needed for a key whose prefix is neither `cog_` \
                         (v3) nor `apk_` (v1); without it, such a key speaks v3 when an \
                         `org_id` is given and v1 otherwise.",
                    ),
                ),
            ],
        ),
    }
}

/// Settings read from the provider block and the environment.
#[derive(Debug)]
pub struct Settings {
    /// Where the API is.
    pub url: Url,
    /// The bearer key.
    pub api_key: Sensitive,
    /// Where the key came from.
    pub key_origin: Origin,
    /// Per-request timeout.
    pub request_timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The API version spoken.
    pub version: ApiVersion,
    /// The organization (v3 only).
    pub org_id: Option<String>,
}

/// Where a setting came from: a provider argument, or the environment variable it falls
/// back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The provider block's argument of this name.
    Argument(&'static str),
    /// The environment variable of this name.
    Variable(&'static str),
}

impl Origin {
    /// The argument or the variable, as messages name it.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Argument(name) | Origin::Variable(name) => name,
        }
    }

    /// The argument a diagnostic points at: none for an environment variable, which has
    /// no line in the configuration.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Origin::Argument(name) => Some(name),
            Origin::Variable(_) => None,
        }
    }

    /// "the `api_key` argument" or "the DEVIN_API_KEY environment variable".
    fn described(self) -> String {
        match self {
            Origin::Argument(name) => format!("the `{name}` argument"),
            Origin::Variable(name) => format!("the {name} environment variable"),
        }
    }
}

/// A problem with one provider argument, or with the environment variable it falls back to.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The argument concerned; `None` when the problem is in the environment, so that
    /// Terraform does not point at an argument that did not cause it.
    pub attribute: Option<&'static str>,
    /// What is wrong.
    pub summary: String,
    /// How to fix it.
    pub detail: String,
}

/// How reading the configuration ended.
#[derive(Debug)]
pub enum Resolved {
    /// Ready to build a client.
    Ready(Settings),
    /// Some argument is unknown until apply.
    Unknown,
    /// Something is wrong; each problem names its argument or variable.
    Invalid(Vec<ConfigProblem>),
}

/// Checks what the configuration itself says, before any fallback: used by `validate`.
pub fn check_config(config: &ProviderConfig<'_>) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    if let Some(key) = config.api_key.as_ref_option() {
        if key.trim().is_empty() {
            problems.push(ConfigProblem {
                attribute: Some("api_key"),
                summary: "`api_key` is empty".into(),
                detail: "Set a Devin API key, or remove `api_key` to use the DEVIN_API_KEY \
                         environment variable."
                    .into(),
            });
        } else if let Err(p) = check_api_key(key, Origin::Argument("api_key")) {
            problems.push(p);
        }
    }
    if let Some(url) = config.api_url.as_ref_option() {
        if let Err(p) = parse_api_url(url, Origin::Argument("api_url")) {
            problems.push(p);
        }
    }
    if let Some(t) = config.request_timeout.as_ref_option() {
        if let Err(p) = parse_timeout(t) {
            problems.push(p);
        }
    }
    if let Some(n) = config.max_retries.as_ref_option() {
        if let Err(p) = check_max_retries(n) {
            problems.push(p);
        }
    }
    if let Some(v) = config.api_version.as_ref_option() {
        if let Err(p) = parse_api_version(v) {
            problems.push(p);
        }
    }
    if let Some(org) = config.org_id.as_ref_option() {
        if let Err(p) = check_org_id(org, Origin::Argument("org_id")) {
            problems.push(p);
        }
    }
    problems
}

/// The version a key's prefix implies: `cog_` is v3, `apk_` (and `apk_user_`) v1.
pub fn version_of_key(key: &str) -> Option<ApiVersion> {
    if key.starts_with("cog_") {
        Some(ApiVersion::V3)
    } else if key.starts_with("apk_") {
        Some(ApiVersion::V1)
    } else {
        None
    }
}

fn parse_api_version(text: &str) -> Result<ApiVersion, ConfigProblem> {
    match text.trim() {
        "v1" => Ok(ApiVersion::V1),
        "v3" => Ok(ApiVersion::V3),
        other => Err(ConfigProblem {
            attribute: Some("api_version"),
            summary: format!("api_version must be \"v1\" or \"v3\", not {other:?}"),
            detail: "Give \"v3\" for a service-user credential (`cog_…`) or \"v1\" for a \
                     legacy API key (`apk_…`), or leave `api_version` out: the key's prefix \
                     picks the version."
                .into(),
        }),
    }
}

/// An organization id must be one the client can send (`OrgId`'s rules), and without
/// `/`: the client would encode one, but no organization id has it, so it is a mistake
/// (an import id `org_id/secret_id` pasted here, say).
pub fn check_org_id(org: &str, origin: Origin) -> Result<(), ConfigProblem> {
    let name = origin.name();
    let bad = if org.contains('/') {
        Some("contains `/`")
    } else {
        OrgId::problem(org)
    };
    match bad {
        None => Ok(()),
        Some(why) => Err(ConfigProblem {
            attribute: origin.attribute(),
            summary: format!("{name} {why}"),
            detail: format!(
                "Give the id of the Devin organization, such as \"org-abc123\", as Devin shows \
                 it in the organization's settings ({} ).",
                origin.described()
            )
            .replace(" )", ")"),
        }),
    }
}

/// The version and organization to use, from the key, `api_version` and `org_id` (or
/// DEVIN_ORG_ID). Each problem names the setting to change.
fn resolve_version(
    key: Option<&(String, Origin)>,
    config: &ProviderConfig<'_>,
    env_org: Option<String>,
    problems: &mut Vec<ConfigProblem>,
) -> Option<(ApiVersion, Option<String>)> {
    let explicit = match config.api_version.as_ref_option() {
        Some(v) => Some(parse_api_version(v).ok()?),
        None => None,
    };
    let org = match config.org_id.as_ref_option() {
        Some(org) => Some((org.trim().to_string(), Origin::Argument("org_id"))),
        None => env_org.map(|org| (org.trim().to_string(), Origin::Variable("DEVIN_ORG_ID"))),
    };
    let (key, key_origin) = key?;
    let by_key = version_of_key(key);
    let version = match (explicit, by_key) {
        (Some(explicit), Some(by_key)) if explicit != by_key => {
            let (kind, wants) = match by_key {
                ApiVersion::V3 => ("a service-user credential (`cog_…`)", "v3"),
                ApiVersion::V1 => ("a legacy API key (`apk_…`)", "v1"),
            };
            problems.push(ConfigProblem {
                attribute: Some("api_version"),
                summary: format!("api_version is \"{explicit}\", but the key speaks {wants}"),
                detail: format!(
                    "The key in {} is {kind}, which Devin accepts on API {wants} only. \
                     Remove `api_version` (the key's prefix picks the version), or use a key \
                     made for API {explicit}.",
                    key_origin.described()
                ),
            });
            return None;
        }
        (Some(explicit), _) => explicit,
        (None, Some(by_key)) => by_key,
        (None, None) if org.is_some() => ApiVersion::V3,
        (None, None) => ApiVersion::V1,
    };
    match (version, org) {
        (ApiVersion::V3, Some((org, origin))) => match check_org_id(&org, origin) {
            Ok(()) => Some((version, Some(org))),
            Err(p) => {
                if origin.attribute().is_none() {
                    problems.push(p);
                }
                None
            }
        },
        (ApiVersion::V3, None) => {
            problems.push(ConfigProblem {
                attribute: Some("org_id"),
                summary: "No organization: set `org_id` or DEVIN_ORG_ID".into(),
                detail: format!(
                    "The key in {} speaks the Devin API v3, where every secret belongs to an \
                     organization named in the request. Set the DEVIN_ORG_ID environment \
                     variable or the provider's `org_id` argument to the organization's id, \
                     such as \"org-abc123\".",
                    key_origin.described()
                ),
            });
            None
        }
        (ApiVersion::V1, Some((_, Origin::Argument(_)))) => {
            problems.push(ConfigProblem {
                attribute: Some("org_id"),
                summary: "`org_id` cannot be used with a v1 API key".into(),
                detail: format!(
                    "The key in {} is a legacy API key (`apk_…`), which speaks the Devin API \
                     v1: there the key itself decides the organization, and no request \
                     names one. Remove `org_id`, or use a service-user credential (`cog_…`, \
                     API v3) of the organization you mean.",
                    key_origin.described()
                ),
            });
            None
        }
        (ApiVersion::V1, _) => {
            // DEVIN_ORG_ID may be set for other tools; with a v1 key it means nothing.
            Some((ApiVersion::V1, None))
        }
    }
}

/// Reads the configuration with its environment fallbacks.
pub fn resolve(config: &ProviderConfig<'_>, env: impl Fn(&str) -> Option<String>) -> Resolved {
    if config.api_key.is_unknown()
        || config.api_url.is_unknown()
        || config.request_timeout.is_unknown()
        || config.max_retries.is_unknown()
        || config.org_id.is_unknown()
        || config.api_version.is_unknown()
    {
        return Resolved::Unknown;
    }
    let mut problems = check_config(config);
    let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());

    // White space around a key is never part of it: `DEVIN_API_KEY=$(< key-file)` or
    // `file("key")` keep the file's final newline, which no header can carry.
    let api_key = match config.api_key.as_ref_option() {
        Some(key) => Some((key.trim().to_string(), Origin::Argument("api_key"))),
        None => match env("DEVIN_API_KEY") {
            Some(key) => {
                let origin = Origin::Variable("DEVIN_API_KEY");
                match check_api_key(&key, origin) {
                    Ok(()) => Some((key.trim().to_string(), origin)),
                    Err(p) => {
                        problems.push(p);
                        None
                    }
                }
            }
            None => {
                problems.push(ConfigProblem {
                    attribute: Some("api_key"),
                    summary: "No Devin API key: set `api_key` or DEVIN_API_KEY".into(),
                    detail: "The provider needs a Devin API key to reach the API. Set the \
                             DEVIN_API_KEY environment variable (preferred), or the `api_key` \
                             argument of the `devin` provider block."
                        .into(),
                });
                None
            }
        },
    };
    let url = match config.api_url.as_ref_option() {
        Some(url) => parse_api_url(url, Origin::Argument("api_url")).ok(),
        None => match env("DEVIN_API_URL") {
            Some(url) => match parse_api_url(&url, Origin::Variable("DEVIN_API_URL")) {
                Ok(url) => Some(url),
                Err(p) => {
                    problems.push(p);
                    None
                }
            },
            None => Url::parse(DEFAULT_API_URL).ok(),
        },
    };
    let request_timeout = config
        .request_timeout
        .as_ref_option()
        .map_or(Ok(DEFAULT_REQUEST_TIMEOUT), |t| parse_timeout(t));
    let max_retries = config
        .max_retries
        .as_ref_option()
        .map_or(Ok(DEFAULT_MAX_RETRIES), check_max_retries);

    let version = resolve_version(api_key.as_ref(), config, env("DEVIN_ORG_ID"), &mut problems);

    match (api_key, url, request_timeout, max_retries, version) {
        (
            Some((key, key_origin)),
            Some(url),
            Ok(request_timeout),
            Ok(max_retries),
            Some((version, org_id)),
        ) if problems.is_empty() => Resolved::Ready(Settings {
            url,
            api_key: Sensitive::new(key),
            key_origin,
            request_timeout,
            max_retries,
            version,
            org_id,
        }),
        _ => Resolved::Invalid(problems),
    }
}

/// Checks that a key, once trimmed, can be sent in an HTTP header. The problem names the
/// offending character's kind and position, never the key.
pub fn check_api_key(key: &str, origin: Origin) -> Result<(), ConfigProblem> {
    let Some((at, c)) = key
        .trim()
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_graphic() || *c == ' ' || *c == '\t'))
    else {
        return Ok(());
    };
    let kind = match c {
        '\n' | '\r' => "a line break",
        c if c.is_control() => "a control character",
        _ => "a character that is not ASCII",
    };
    let name = origin.name();
    let fix = match origin {
        Origin::Variable(_) => {
            format!("Set {name} to the key alone, as Devin shows it under Settings → API keys.")
        }
        Origin::Argument(_) => format!(
            "Give `{name}` the key alone, as Devin shows it under Settings → API keys, or \
             remove `{name}` to use the DEVIN_API_KEY environment variable."
        ),
    };
    Err(ConfigProblem {
        attribute: origin.attribute(),
        summary: format!("{name} holds {kind}, which an API key cannot contain"),
        detail: format!(
            "Character {} of the key is {kind}: the key cannot be sent to the API in an HTTP \
             header. White space around the key is ignored, but not inside it. The key is not \
             shown here.\n\n{fix}",
            at + 1
        ),
    })
}

/// Parses and checks an API base URL. `origin` says where it came from.
pub fn parse_api_url(text: &str, origin: Origin) -> Result<Url, ConfigProblem> {
    let source = origin.name();
    let problem = |summary: String, detail: &str| ConfigProblem {
        attribute: origin.attribute(),
        summary,
        detail: detail.to_string(),
    };
    let url = Url::parse(text.trim()).map_err(|e| {
        problem(
            format!("{source} is not a valid URL ({e})"),
            "Give the API's base URL, such as https://api.devin.ai.",
        )
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem(
            format!("{source} must not contain credentials"),
            "Remove the user name and password from the URL; the provider authenticates with \
             `api_key` / DEVIN_API_KEY.",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(problem(
            format!("{source} must not have a query or a fragment"),
            "Give only the scheme, host, optional port and optional path prefix, such as \
             https://api.devin.ai.",
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(problem(
            format!("{source} uses plain http:// to a host that is not loopback"),
            "The API key would travel unencrypted over the network. Use https://, or \
             http:// only with localhost, 127.0.0.1 or ::1.",
        )),
        other => Err(problem(
            format!("{source} has the unsupported scheme \"{other}\""),
            "Use an https:// URL, such as https://api.devin.ai.",
        )),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn parse_timeout(text: &str) -> Result<Duration, ConfigProblem> {
    let problem = |summary: String| ConfigProblem {
        attribute: Some("request_timeout"),
        summary,
        detail: "Give a duration between 1s and 10m, such as \"30s\" or \"2m\".".into(),
    };
    match humantime::parse_duration(text.trim()) {
        Ok(d) if (MIN_REQUEST_TIMEOUT..=MAX_REQUEST_TIMEOUT).contains(&d) => Ok(d),
        Ok(_) => Err(problem(format!(
            "request_timeout \"{text}\" is out of range"
        ))),
        Err(e) => Err(problem(format!(
            "request_timeout \"{text}\" is not a duration ({e})"
        ))),
    }
}

fn check_max_retries(n: &Number) -> Result<u32, ConfigProblem> {
    match n.whole_up_to(MAX_RETRIES_LIMIT) {
        Some(n) => Ok(n as u32),
        None => Err(ConfigProblem {
            attribute: Some("max_retries"),
            summary: format!(
                "max_retries must be a whole number from 0 to {MAX_RETRIES_LIMIT}, not {n}"
            ),
            detail: format!(
                "`max_retries` is how many times a failed request is retried after its first \
                 attempt: give a whole number from 0 (no retries) to {MAX_RETRIES_LIMIT}, or \
                 leave it out for the default, {DEFAULT_MAX_RETRIES}."
            ),
        }),
    }
}

fn report(diags: &mut Diagnostics, problems: Vec<ConfigProblem>) {
    for p in problems {
        diagnostics::error(diags, p.summary, p.detail, p.attribute);
    }
}

/// Reports why the list taken at configure failed: once, for the whole run. An error
/// about the key points at `api_key` when the key came from there, and says which of
/// `api_key` and DEVIN_API_KEY it came from.
fn report_check(diags: &mut Diagnostics, err: &ApiError, key_origin: Origin) {
    let first = diags.errors.len();
    diagnostics::api_error(diags, &CHECK_ACTION, err);
    let about_the_key = matches!(
        err,
        ApiError::Unauthenticated { .. } | ApiError::Forbidden { .. }
    );
    for d in &mut diags.errors[first..] {
        let mut detail = d.detail.to_string();
        if about_the_key {
            detail.push_str(&format!(
                "\n\nThe key in use came from {}.",
                key_origin.described()
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

#[async_trait]
impl Provider for DevinProvider {
    type Config<'a> = ProviderConfig<'a>;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(provider_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        report(diags, check_config(&config));
        Some(())
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: Self::Config<'a>,
    ) -> Option<()> {
        let settings = match resolve(&config, |name| std::env::var(name).ok()) {
            Resolved::Unknown => {
                log::debug!("provider configuration is unknown until apply");
                self.api.set(Connection::Pending);
                return Some(());
            }
            Resolved::Invalid(problems) => {
                report(diags, problems);
                return Some(());
            }
            Resolved::Ready(settings) => settings,
        };
        crate::logging::redact(settings.api_key.expose());
        log::debug!(
            "configured for {} API {}{} (key from {}, timeout {:?}, max_retries {})",
            settings.url,
            settings.version,
            settings
                .org_id
                .as_deref()
                .map_or_else(String::new, |org| format!(", organization {org}")),
            settings.key_origin.name(),
            settings.request_timeout,
            settings.max_retries
        );
        let key_origin = settings.key_origin;
        let client_config = ClientConfig {
            base_url: settings.url,
            api_key: settings.api_key,
            request_timeout: settings.request_timeout,
            retry: RetryPolicy {
                max_retries: settings.max_retries,
                ..RetryPolicy::default()
            },
            user_agent: user_agent(&terraform_version),
            version: settings.version,
            org_id: settings.org_id,
        };
        let client = match Client::new(client_config, self.api.cancel.clone()) {
            Ok(client) => client,
            Err(e) => {
                diagnostics::error(diags, "Cannot set up the Devin API client".into(), e, None);
                return Some(());
            }
        };
        // Every plan reads the list anyway: taken here, it checks the key and the API
        // once for the whole run, and the reads that follow share it (see api/cache.rs).
        match client.list_secrets().await {
            Ok(listing) => {
                log::debug!("the organization has {} secrets", listing.len());
                self.api.set(Connection::Ready(client));
            }
            Err(e) => {
                self.api.set(Connection::Failed);
                report_check(diags, &e, key_origin);
            }
        }
        Some(())
    }
}

/// `terraform-provider-devin/<version> Terraform/<version>`.
pub fn user_agent(terraform_version: &str) -> String {
    let tf = if terraform_version.is_empty() {
        "unknown"
    } else {
        terraform_version
    };
    format!(
        "terraform-provider-devin/{} Terraform/{tf}",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config<'a>(key: Option<&'a str>, url: Option<&'a str>) -> ProviderConfig<'a> {
        ProviderConfig {
            api_key: key.map(Into::into).into(),
            api_url: url.map(Into::into).into(),
            ..Default::default()
        }
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn key_falls_back_to_env_and_url_to_default() {
        let env = |n: &str| (n == "DEVIN_API_KEY").then(|| "apk_env".to_string());
        match resolve(&config(None, None), env) {
            Resolved::Ready(s) => {
                assert_eq!(s.api_key.expose(), "apk_env");
                assert_eq!(s.url.as_str(), "https://api.devin.ai/");
                assert_eq!(s.request_timeout, DEFAULT_REQUEST_TIMEOUT);
                assert_eq!(s.max_retries, DEFAULT_MAX_RETRIES);
            }
            other => panic!("{other:?}"),
        }
    }

    /// The version and organization `resolve` settles on, or the attributes its problems
    /// point at.
    fn version_of(
        key: &str,
        org: Option<&str>,
        api_version: Option<&str>,
        env_org: Option<&str>,
    ) -> Result<(ApiVersion, Option<String>), Vec<Option<&'static str>>> {
        let mut cfg = config(Some(key), None);
        cfg.org_id = org.map(Into::into).into();
        cfg.api_version = api_version.map(Into::into).into();
        let env_org = env_org.map(str::to_string);
        match resolve(&cfg, |n| {
            (n == "DEVIN_ORG_ID").then(|| env_org.clone()).flatten()
        }) {
            Resolved::Ready(s) => Ok((s.version, s.org_id)),
            Resolved::Invalid(problems) => Err(problems.iter().map(|p| p.attribute).collect()),
            Resolved::Unknown => panic!("unknown"),
        }
    }

    #[test]
    fn the_key_picks_the_api_version() {
        let v3 = |org: &str| Ok((ApiVersion::V3, Some(org.to_string())));
        assert_eq!(version_of("cog_x", Some("org-a"), None, None), v3("org-a"));
        assert_eq!(version_of("cog_x", None, None, Some("org-e")), v3("org-e"));
        assert_eq!(
            version_of("cog_x", Some("org-a"), None, Some("org-e")),
            v3("org-a")
        );
        assert_eq!(
            version_of("cog_x", None, None, None),
            Err(vec![Some("org_id")])
        );
        assert_eq!(
            version_of("apk_x", None, None, None),
            Ok((ApiVersion::V1, None))
        );
        assert_eq!(
            version_of("apk_user_x", None, None, Some("org-e")),
            Ok((ApiVersion::V1, None))
        );
        assert_eq!(
            version_of("apk_x", Some("org-a"), None, None),
            Err(vec![Some("org_id")])
        );
        // Another prefix: api_version decides, else an organization means v3.
        assert_eq!(
            version_of("k", None, None, None),
            Ok((ApiVersion::V1, None))
        );
        assert_eq!(version_of("k", None, None, Some("org-e")), v3("org-e"));
        assert_eq!(
            version_of("k", None, Some("v3"), Some("org-e")),
            v3("org-e")
        );
        assert_eq!(
            version_of("k", None, Some("v1"), Some("org-e")),
            Ok((ApiVersion::V1, None))
        );
        assert_eq!(
            version_of("k", None, Some("v2"), None),
            Err(vec![Some("api_version")])
        );
        assert_eq!(
            version_of("cog_x", Some("org-a"), Some("v1"), None),
            Err(vec![Some("api_version")])
        );
        assert_eq!(
            version_of("cog_x", Some("a/b"), None, None),
            Err(vec![Some("org_id")])
        );
        assert_eq!(
            version_of("cog_x", None, None, Some("a/b")),
            Err(vec![None])
        );
        // What the client could not send is refused here, on the setting that holds it.
        assert_eq!(
            version_of("cog_x", Some(".."), None, None),
            Err(vec![Some("org_id")])
        );
        assert_eq!(
            version_of("cog_x", None, None, Some(&"o".repeat(257))),
            Err(vec![None])
        );
    }

    #[test]
    fn config_wins_over_env() {
        let env = |n: &str| Some(format!("env-{n}"));
        match resolve(&config(Some("apk_cfg"), Some("https://x.example")), env) {
            Resolved::Ready(s) => {
                assert_eq!(s.api_key.expose(), "apk_cfg");
                assert_eq!(s.url.host_str(), Some("x.example"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_key_names_both_settings() {
        match resolve(&config(None, None), no_env) {
            Resolved::Invalid(p) => {
                assert_eq!(p.len(), 1);
                assert_eq!(p[0].attribute, Some("api_key"));
                assert!(p[0].summary.contains("`api_key`"));
                assert!(p[0].summary.contains("DEVIN_API_KEY"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_values_wait_for_apply() {
        let cfg = ProviderConfig {
            api_key: tf_provider::value::Value::Unknown,
            ..Default::default()
        };
        assert!(matches!(resolve(&cfg, no_env), Resolved::Unknown));
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.5.0.1",
            "http://localhost:1",
            "http://[::1]:9",
            "https://api.devin.ai",
            "https://proxy.example/devin/",
        ] {
            assert!(
                parse_api_url(ok, Origin::Argument("api_url")).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "http://api.devin.ai",
            "http://10.0.0.1",
            "http://localhost.evil.example",
            "ftp://x",
            "https://user:pw@api.devin.ai",
            "https://api.devin.ai/?x=1",
            "https://api.devin.ai/#f",
            "not a url",
        ] {
            assert!(
                parse_api_url(bad, Origin::Argument("api_url")).is_err(),
                "{bad}"
            );
        }
        let err = parse_api_url("http://api.devin.ai", Origin::Argument("api_url")).unwrap_err();
        assert_eq!(err.attribute, Some("api_url"));
        assert!(err.summary.contains("not loopback"));
    }

    #[test]
    fn bad_env_url_is_named_as_env() {
        let env = |n: &str| match n {
            "DEVIN_API_KEY" => Some("k".to_string()),
            "DEVIN_API_URL" => Some("http://example.com".to_string()),
            _ => None,
        };
        match resolve(&config(None, None), env) {
            Resolved::Invalid(p) => {
                assert!(p[0].summary.starts_with("DEVIN_API_URL"));
                assert_eq!(p[0].attribute, None, "not on `api_url`");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn timeouts_and_retries_are_checked() {
        assert_eq!(parse_timeout("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_timeout("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_timeout("0s").is_err());
        assert!(parse_timeout("soon").is_err());
        assert!(parse_timeout("11m").is_err());
        assert_eq!(parse_timeout("10m").unwrap(), MAX_REQUEST_TIMEOUT);
        for bad in [
            Number::Int(-1),
            Number::Int(21),
            Number::Int(i64::MAX),
            Number::Float(2.5),
            Number::Float(-0.5),
            Number::Float(f64::INFINITY),
            Number::Text("0.1".into()),
            Number::Text("1000000000000000000000000000000".into()),
        ] {
            let p = check_max_retries(&bad).unwrap_err();
            assert_eq!(p.attribute, Some("max_retries"));
            assert!(p.summary.contains("from 0 to 20"), "{}", p.summary);
            assert!(p.summary.ends_with(&format!("not {bad}")), "{}", p.summary);
        }
        assert_eq!(check_max_retries(&Number::Int(0)).unwrap(), 0);
        assert_eq!(check_max_retries(&Number::Int(20)).unwrap(), 20);
        assert_eq!(check_max_retries(&Number::Float(3.0)).unwrap(), 3);
        assert_eq!(check_max_retries(&Number::Text("7".into())).unwrap(), 7);
    }

    /// A provider block as Terraform sends it (msgpack), with `max_retries` as given.
    fn decode(max_retries: impl Serialize) -> ProviderConfig<'static> {
        #[derive(Serialize)]
        struct Raw<T> {
            api_key: Option<String>,
            api_url: Option<String>,
            request_timeout: &'static str,
            max_retries: T,
        }
        let bytes = rmp_serde::to_vec_named(&Raw {
            api_key: None,
            api_url: None,
            request_timeout: "soon",
            max_retries,
        })
        .unwrap();
        rmp_serde::from_slice(&bytes).expect("decodes")
    }

    #[test]
    fn any_number_decodes_and_a_bad_one_is_an_error_beside_the_others() {
        assert_eq!(decode(2).max_retries, Value::Value(Number::Int(2)));
        assert_eq!(decode(2.5).max_retries, Value::Value(Number::Float(2.5)));
        assert_eq!(
            decode("0.1").max_retries,
            Value::Value(Number::Text("0.1".into()))
        );
        assert_eq!(decode(None::<i64>).max_retries, Value::Null);
        assert!(decode(Value::<i64>::Unknown).max_retries.is_unknown());

        let problems = check_config(&decode(2.5));
        let attributes: Vec<_> = problems.iter().map(|p| p.attribute).collect();
        assert_eq!(attributes, [Some("request_timeout"), Some("max_retries")]);
        assert_eq!(
            problems[1].summary,
            "max_retries must be a whole number from 0 to 20, not 2.5"
        );
    }

    #[test]
    fn keys_are_trimmed_and_unsendable_ones_named_by_origin() {
        let env = |n: &str| (n == "DEVIN_API_KEY").then(|| " apk_env\r\n".to_string());
        match resolve(&config(None, None), env) {
            Resolved::Ready(s) => {
                assert_eq!(s.api_key.expose(), "apk_env");
                assert_eq!(s.key_origin, Origin::Variable("DEVIN_API_KEY"));
            }
            other => panic!("{other:?}"),
        }
        match resolve(&config(Some("apk_cfg\n"), None), no_env) {
            Resolved::Ready(s) => {
                assert_eq!(s.api_key.expose(), "apk_cfg");
                assert_eq!(s.key_origin, Origin::Argument("api_key"));
            }
            other => panic!("{other:?}"),
        }

        let env = |n: &str| (n == "DEVIN_API_KEY").then(|| "apk_sec\nret".to_string());
        match resolve(&config(None, None), env) {
            Resolved::Invalid(p) => {
                assert_eq!(p.len(), 1);
                assert_eq!(p[0].attribute, None, "not on `api_key`");
                assert_eq!(
                    p[0].summary,
                    "DEVIN_API_KEY holds a line break, which an API key cannot contain"
                );
                assert!(p[0].detail.contains("Character 8 "));
                assert!(!format!("{p:?}").contains("ret"));
            }
            other => panic!("{other:?}"),
        }
        let p = check_config(&config(Some("apk_sécret"), None));
        assert_eq!(p[0].attribute, Some("api_key"));
        assert!(p[0]
            .summary
            .starts_with("api_key holds a character that is not ASCII"));
        assert!(!format!("{p:?}").contains("sécret"));
    }

    #[test]
    fn debug_of_settings_hides_the_key() {
        let env = |_: &str| Some("apk_user_supersecret".to_string());
        let resolved = resolve(&config(None, Some("https://a.example")), env);
        assert!(!format!("{resolved:?}").contains("supersecret"));
    }

    #[test]
    fn user_agent_names_both_versions() {
        assert_eq!(
            user_agent("1.11.4"),
            format!(
                "terraform-provider-devin/{} Terraform/1.11.4",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}
