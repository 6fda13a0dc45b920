//! How the provider block's arguments, their environment variables and the defaults
//! settle into [`Settings`]: which key, which URL, which API version and organization.

use std::time::Duration;

use url::Url;

use super::checks::{
    check_api_key, check_config, check_max_retries, check_org_id, parse_api_url, parse_api_version,
    parse_timeout,
};
use super::problems::ConfigProblem;
use super::schema::ProviderConfig;
use crate::api::retry::DEFAULT_MAX_RETRIES;
use crate::api::{ApiVersion, Sensitive};

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
    let key_origin = *key_origin;
    let by_key = version_of_key(key);
    let version = match (explicit, by_key) {
        (Some(explicit), Some(by_key)) if explicit != by_key => {
            problems.push(ConfigProblem::VersionContradictsKey {
                explicit,
                by_key,
                key_origin,
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
                // An `org_id` argument was reported by `check_config` already.
                if origin.attribute().is_none() {
                    problems.push(p);
                }
                None
            }
        },
        (ApiVersion::V3, None) => {
            problems.push(ConfigProblem::NoOrganization { key_origin });
            None
        }
        (ApiVersion::V1, Some((_, Origin::Argument(_)))) => {
            problems.push(ConfigProblem::OrgIdWithV1Key { key_origin });
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
                problems.push(ConfigProblem::NoApiKey);
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
