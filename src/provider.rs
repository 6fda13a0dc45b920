//! The `devin` provider: its configuration, and the API handle it shares with resources.

use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint::Optional, AttributeType, Schema};
use tf_provider::value::{ValueEmpty, ValueNumber, ValueString};
use tf_provider::{Diagnostics, Provider};
use tokio_util::sync::CancellationToken;
use url::{Host, Url};

use crate::api::retry::DEFAULT_MAX_RETRIES;
use crate::api::{Client, ClientConfig, RetryPolicy, Sensitive};
use crate::diagnostics;
use crate::schema_util::{attr, block};

/// The API's address when neither `api_url` nor `DEVIN_API_URL` is set.
pub const DEFAULT_API_URL: &str = "https://api.devin.ai";
/// The request timeout when `request_timeout` is not set.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest `max_retries` accepted.
pub const MAX_RETRIES_LIMIT: i64 = 20;

/// The provider block, as Terraform sends it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ProviderConfig<'a> {
    /// `api_key`; falls back to `DEVIN_API_KEY`.
    pub api_key: ValueString<'a>,
    /// `api_url`; falls back to `DEVIN_API_URL`, then [`DEFAULT_API_URL`].
    pub api_url: ValueString<'a>,
    /// `request_timeout`, a duration such as `30s`.
    pub request_timeout: ValueString<'a>,
    /// `max_retries`.
    pub max_retries: ValueNumber,
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
            Connection::Unconfigured => Err(NotReady::Unconfigured),
        }
    }

    /// Like [`ApiHandle::client`], reporting why not in `diags`.
    pub fn client_or_diag(&self, diags: &mut Diagnostics, action: &str) -> Option<Client> {
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
             API v1.",
            vec![
                (
                    "api_key",
                    attr(
                        AttributeType::String,
                        Optional,
                        true,
                        "A Devin API key: a Personal (`apk_user_…`) or Service (`apk_…`) key of \
                         the organization. Defaults to the `DEVIN_API_KEY` environment variable. \
                         Prefer the environment variable, so the key stays out of your \
                         configuration.",
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
                         `127.0.0.1`, `::1`), so the key never crosses a network unencrypted.",
                    ),
                ),
                (
                    "request_timeout",
                    attr(
                        AttributeType::String,
                        Optional,
                        false,
                        "How long one HTTP request may take before it is abandoned (and retried \
                         when safe), as a duration such as `30s` or `2m`. Defaults to `30s`.",
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
                         `Retry-After`). Defaults to 5; 0 disables retries.",
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
    /// Per-request timeout.
    pub request_timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
}

/// A problem with one provider argument.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The argument concerned.
    pub attribute: &'static str,
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
    /// Something is wrong; each problem names its argument.
    Invalid(Vec<ConfigProblem>),
}

/// Checks what the configuration itself says, before any fallback: used by `validate`.
pub fn check_config(config: &ProviderConfig<'_>) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    if let Some(key) = config.api_key.as_ref_option() {
        if key.trim().is_empty() {
            problems.push(ConfigProblem {
                attribute: "api_key",
                summary: "`api_key` is empty".into(),
                detail: "Set a Devin API key, or remove `api_key` to use the DEVIN_API_KEY \
                         environment variable."
                    .into(),
            });
        }
    }
    if let Some(url) = config.api_url.as_ref_option() {
        if let Err(p) = parse_api_url(url, "api_url") {
            problems.push(p);
        }
    }
    if let Some(t) = config.request_timeout.as_ref_option() {
        if let Err(p) = parse_timeout(t) {
            problems.push(p);
        }
    }
    if let Some(n) = config.max_retries.as_ref_option() {
        if let Err(p) = check_max_retries(*n) {
            problems.push(p);
        }
    }
    problems
}

/// Reads the configuration with its environment fallbacks.
pub fn resolve(config: &ProviderConfig<'_>, env: impl Fn(&str) -> Option<String>) -> Resolved {
    if config.api_key.is_unknown()
        || config.api_url.is_unknown()
        || config.request_timeout.is_unknown()
        || config.max_retries.is_unknown()
    {
        return Resolved::Unknown;
    }
    let mut problems = check_config(config);
    let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());

    let api_key = match config.api_key.as_ref_option() {
        Some(key) => Some(key.to_string()),
        None => env("DEVIN_API_KEY"),
    };
    if api_key.is_none() {
        problems.push(ConfigProblem {
            attribute: "api_key",
            summary: "No Devin API key: set `api_key` or DEVIN_API_KEY".into(),
            detail: "The provider needs a Devin API key to reach the API. Set the \
                     DEVIN_API_KEY environment variable (preferred), or the `api_key` argument \
                     of the `devin` provider block."
                .into(),
        });
    }
    let url = match config.api_url.as_ref_option() {
        Some(url) => parse_api_url(url, "api_url").ok(),
        None => match env("DEVIN_API_URL") {
            Some(url) => match parse_api_url(&url, "DEVIN_API_URL") {
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
        .map_or(Ok(DEFAULT_MAX_RETRIES), |n| check_max_retries(*n));

    match (api_key, url, request_timeout, max_retries) {
        (Some(key), Some(url), Ok(request_timeout), Ok(max_retries)) if problems.is_empty() => {
            Resolved::Ready(Settings {
                url,
                api_key: Sensitive::new(key),
                request_timeout,
                max_retries,
            })
        }
        _ => Resolved::Invalid(problems),
    }
}

/// Parses and checks an API base URL. `source` names where it came from.
pub fn parse_api_url(text: &str, source: &'static str) -> Result<Url, ConfigProblem> {
    let problem = |summary: String, detail: &str| ConfigProblem {
        attribute: "api_url",
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
        attribute: "request_timeout",
        summary,
        detail: "Give a duration between 1s and 10m, such as \"30s\" or \"2m\".".into(),
    };
    match humantime::parse_duration(text.trim()) {
        Ok(d) if d >= Duration::from_secs(1) && d <= Duration::from_secs(600) => Ok(d),
        Ok(_) => Err(problem(format!(
            "request_timeout \"{text}\" is out of range"
        ))),
        Err(e) => Err(problem(format!(
            "request_timeout \"{text}\" is not a duration ({e})"
        ))),
    }
}

fn check_max_retries(n: i64) -> Result<u32, ConfigProblem> {
    if (0..=MAX_RETRIES_LIMIT).contains(&n) {
        Ok(n as u32)
    } else {
        Err(ConfigProblem {
            attribute: "max_retries",
            summary: format!("max_retries {n} is out of range"),
            detail: format!("Give a number from 0 to {MAX_RETRIES_LIMIT}."),
        })
    }
}

fn report(diags: &mut Diagnostics, problems: Vec<ConfigProblem>) {
    for p in problems {
        diagnostics::error(diags, p.summary, p.detail, Some(p.attribute));
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
        match resolve(&config, |name| std::env::var(name).ok()) {
            Resolved::Unknown => {
                log::debug!("provider configuration is unknown until apply");
                self.api.set(Connection::Pending);
            }
            Resolved::Invalid(problems) => report(diags, problems),
            Resolved::Ready(settings) => {
                crate::logging::redact(settings.api_key.expose());
                log::debug!(
                    "configured for {} (timeout {:?}, max_retries {})",
                    settings.url,
                    settings.request_timeout,
                    settings.max_retries
                );
                let config = ClientConfig {
                    base_url: settings.url,
                    api_key: settings.api_key,
                    request_timeout: settings.request_timeout,
                    retry: RetryPolicy {
                        max_retries: settings.max_retries,
                        ..RetryPolicy::default()
                    },
                    user_agent: user_agent(&terraform_version),
                };
                match Client::new(config, self.api.cancel.clone()) {
                    Ok(client) => self.api.set(Connection::Ready(client)),
                    Err(e) => diagnostics::error(
                        diags,
                        "Cannot set up the Devin API client".into(),
                        e,
                        Some("api_key"),
                    ),
                }
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
                assert_eq!(p[0].attribute, "api_key");
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
            assert!(parse_api_url(ok, "api_url").is_ok(), "{ok}");
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
            assert!(parse_api_url(bad, "api_url").is_err(), "{bad}");
        }
        let err = parse_api_url("http://api.devin.ai", "api_url").unwrap_err();
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
            Resolved::Invalid(p) => assert!(p[0].summary.starts_with("DEVIN_API_URL")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn timeouts_and_retries_are_checked() {
        assert_eq!(parse_timeout("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_timeout("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_timeout("0s").is_err());
        assert!(parse_timeout("soon").is_err());
        assert!(check_max_retries(-1).is_err());
        assert!(check_max_retries(21).is_err());
        assert_eq!(check_max_retries(0).unwrap(), 0);
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
