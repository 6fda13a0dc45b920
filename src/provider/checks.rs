//! One check per provider argument: each parses what was given and names what is wrong
//! as a [`ConfigProblem`].

use std::net::IpAddr;
use std::time::Duration;

use tfplugin::Number;
use url::{Host, Url};

use super::problems::{ConfigProblem, KeyFlaw, TimeoutFlaw, UrlFlaw};
use super::schema::ProviderConfig;
use super::settings::{Origin, MAX_REQUEST_TIMEOUT, MAX_RETRIES_LIMIT, MIN_REQUEST_TIMEOUT};
use crate::api::types::OrgId;
use crate::api::ApiVersion;

/// Checks what the configuration itself says, before any fallback: used by `validate`.
pub fn check_config(config: &ProviderConfig<'_>) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    if let Some(key) = config.api_key.as_ref_option() {
        if key.trim().is_empty() {
            problems.push(ConfigProblem::EmptyApiKey);
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

/// `v1` or `v3`.
pub fn parse_api_version(text: &str) -> Result<ApiVersion, ConfigProblem> {
    match text.trim() {
        "v1" => Ok(ApiVersion::V1),
        "v3" => Ok(ApiVersion::V3),
        other => Err(ConfigProblem::UnknownApiVersion {
            given: other.to_string(),
        }),
    }
}

/// An organization id must be one the client can send (`OrgId`'s rules), and without
/// `/`: the client would encode one, but no organization id has it, so it is a mistake
/// (an import id `org_id/secret_id` pasted here, say).
pub fn check_org_id(org: &str, origin: Origin) -> Result<(), ConfigProblem> {
    let flaw = if org.contains('/') {
        Some("contains `/`")
    } else {
        OrgId::problem(org)
    };
    match flaw {
        None => Ok(()),
        Some(flaw) => Err(ConfigProblem::BadOrgId { origin, flaw }),
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
    let flaw = match c {
        '\n' | '\r' => KeyFlaw::LineBreak,
        c if c.is_control() => KeyFlaw::Control,
        _ => KeyFlaw::NotAscii,
    };
    Err(ConfigProblem::UnsendableKey { origin, flaw, at })
}

/// Parses and checks an API base URL. `origin` says where it came from.
pub fn parse_api_url(text: &str, origin: Origin) -> Result<Url, ConfigProblem> {
    let refuse = |flaw| Err(ConfigProblem::BadUrl { origin, flaw });
    let url = match Url::parse(text.trim()) {
        Ok(url) => url,
        Err(e) => return refuse(UrlFlaw::Unparsable(e.to_string())),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return refuse(UrlFlaw::Credentials);
    }
    if url.query().is_some() || url.fragment().is_some() {
        return refuse(UrlFlaw::QueryOrFragment);
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => refuse(UrlFlaw::PlainHttp),
        other => refuse(UrlFlaw::Scheme(other.to_string())),
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

/// A duration from [`MIN_REQUEST_TIMEOUT`] to [`MAX_REQUEST_TIMEOUT`].
pub fn parse_timeout(text: &str) -> Result<Duration, ConfigProblem> {
    let refuse = |flaw| {
        Err(ConfigProblem::BadTimeout {
            given: text.to_string(),
            flaw,
        })
    };
    match humantime::parse_duration(text.trim()) {
        Ok(d) if (MIN_REQUEST_TIMEOUT..=MAX_REQUEST_TIMEOUT).contains(&d) => Ok(d),
        Ok(_) => refuse(TimeoutFlaw::OutOfRange),
        Err(e) => refuse(TimeoutFlaw::NotADuration(e.to_string())),
    }
}

/// A whole number from 0 to [`MAX_RETRIES_LIMIT`].
pub fn check_max_retries(n: &Number) -> Result<u32, ConfigProblem> {
    match n.whole_up_to(MAX_RETRIES_LIMIT) {
        Some(n) => Ok(n as u32),
        None => Err(ConfigProblem::BadMaxRetries {
            given: n.to_string(),
        }),
    }
}
