//! The settings' resolution and checks, and the problems they raise.

use std::time::Duration;

use serde::Serialize;
use tf_provider::value::Value;
use tfplugin::Number;

use super::checks::{check_config, check_max_retries, parse_api_url, parse_timeout};
use super::settings::{DEFAULT_REQUEST_TIMEOUT, MAX_REQUEST_TIMEOUT};
use super::*;
use crate::api::retry::DEFAULT_MAX_RETRIES;
use crate::api::ApiVersion;

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
        Resolved::Invalid(problems) => Err(problems.iter().map(|p| p.attribute()).collect()),
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
            assert_eq!(p[0].attribute(), Some("api_key"));
            assert!(p[0].summary().contains("`api_key`"));
            assert!(p[0].summary().contains("DEVIN_API_KEY"));
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
    assert_eq!(err.attribute(), Some("api_url"));
    assert!(err.summary().contains("not loopback"));
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
            assert!(p[0].summary().starts_with("DEVIN_API_URL"));
            assert_eq!(p[0].attribute(), None, "not on `api_url`");
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
        assert_eq!(p.attribute(), Some("max_retries"));
        assert!(p.summary().contains("from 0 to 20"), "{}", p.summary());
        assert!(
            p.summary().ends_with(&format!("not {bad}")),
            "{}",
            p.summary()
        );
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
    let attributes: Vec<_> = problems.iter().map(|p| p.attribute()).collect();
    assert_eq!(attributes, [Some("request_timeout"), Some("max_retries")]);
    assert_eq!(
        problems[1].summary(),
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
            assert_eq!(p[0].attribute(), None, "not on `api_key`");
            assert_eq!(
                p[0].summary(),
                "DEVIN_API_KEY holds a line break, which an API key cannot contain"
            );
            assert!(p[0].detail().contains("Character 8 "));
            assert!(!format!("{p:?}").contains("ret"));
        }
        other => panic!("{other:?}"),
    }
    let p = check_config(&config(Some("apk_sécret"), None));
    assert_eq!(p[0].attribute(), Some("api_key"));
    assert!(p[0]
        .summary()
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
