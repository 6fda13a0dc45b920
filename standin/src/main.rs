//! `devin-api-standin`: the local Devin API stand-in as a program, for the demo and scripts.

use std::io::Write;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use devin_api_standin::{run_forever, Config, Org, TimestampUnit};

const USAGE: &str = "usage: devin-api-standin [--port N] [--api-key KEY] [--latency-ms N] \
                     [--addr-file PATH] [--unknown-delete-status 404|403] \
                     [--org ORG_ID=COG_KEY]... [--v3-unknown-delete-status N] \
                     [--v3-timestamps seconds|millis] [--finish-abandoned true|false]\n\
                     Serves the Devin API secrets endpoints on 127.0.0.1 until SIGINT or SIGTERM:\n\
                     \x20 v1  /v1/secrets                          Bearer KEY (the --api-key), acting in the first organization\n\
                     \x20 v3  /v3/organizations/ORG_ID/secrets     Bearer COG_KEY of that organization\n\
                     The v1 key defaults to $DEVIN_API_KEY, else test-api-key. Organizations come from\n\
                     --org (repeatable; the first replaces the defaults), else $DEVIN_STANDIN_ORGS\n\
                     (ORG_ID=COG_KEY,ORG_ID=COG_KEY), else org-test=cog_test_key and org-other=cog_other_key.\n\
                     v1 refuses cog_ keys and v3 the v1 key (401); a cog_ key on another organization gets 403.";

fn main() {
    if let Err(e) = run() {
        eprintln!("devin-api-standin: {e:#}\n{USAGE}");
        std::process::exit(2);
    }
}

fn run() -> anyhow::Result<()> {
    let mut config = Config::default();
    if let Ok(key) = std::env::var("DEVIN_API_KEY") {
        config.api_key = key;
    }
    if let Ok(list) = std::env::var("DEVIN_STANDIN_ORGS") {
        config.orgs = list
            .split(',')
            .filter(|x| !x.trim().is_empty())
            .map(|x| parse_org(x.trim()))
            .collect::<anyhow::Result<_>>()
            .context("DEVIN_STANDIN_ORGS")?;
    }
    let mut port = 0u16;
    let mut addr_file = None;
    let mut orgs_from_flags: Vec<Org> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        let value = args.next().ok_or_else(|| anyhow!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| anyhow!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--port" => port = number(&value)? as u16,
            "--api-key" => config.api_key = value,
            "--latency-ms" => config.latency = Duration::from_millis(number(&value)?),
            "--addr-file" => addr_file = Some(value),
            "--unknown-delete-status" => config.unknown_delete_status = number(&value)? as u16,
            "--org" => orgs_from_flags.push(parse_org(&value).context("--org")?),
            "--v3-unknown-delete-status" => {
                config.v3_unknown_delete_status = number(&value)? as u16;
            }
            "--v3-timestamps" => {
                config.v3_timestamps = match value.as_str() {
                    "seconds" => TimestampUnit::Seconds,
                    "millis" => TimestampUnit::Millis,
                    other => bail!("--v3-timestamps: seconds or millis, not {other}"),
                };
            }
            "--finish-abandoned" => {
                config.finish_abandoned = match value.as_str() {
                    "true" => true,
                    "false" => false,
                    other => bail!("--finish-abandoned: true or false, not {other}"),
                };
            }
            other => bail!("unknown flag {other}"),
        }
    }
    if !orgs_from_flags.is_empty() {
        config.orgs = orgs_from_flags;
    }
    if config.orgs.is_empty() {
        bail!("at least one organization is needed: the v1 key acts in the first");
    }
    let keys = describe_keys(&config);
    run_forever(config, port, |url| {
        if let Some(path) = &addr_file {
            let _ = std::fs::write(path, url);
        }
        // The first line stays as it always was, for anything that waits for it.
        println!("devin-api-standin listening on {url}");
        for line in keys {
            println!("  {line}");
        }
        let _ = std::io::stdout().flush();
    })?;
    Ok(())
}

/// `ORG_ID=KEY`.
fn parse_org(text: &str) -> anyhow::Result<Org> {
    match text.split_once('=') {
        Some((id, key)) if !id.is_empty() && !key.is_empty() && !id.contains('/') => Ok(Org {
            id: id.into(),
            key: key.into(),
        }),
        _ => bail!("expected ORG_ID=KEY, got {text:?}"),
    }
}

/// Which key goes with which version, for the ready message: these are test keys of a
/// local stand-in, and whoever starts it needs them to point a client at it.
fn describe_keys(config: &Config) -> Vec<String> {
    let first = config.orgs.first().map_or("", |o| o.id.as_str());
    let mut lines = vec![format!(
        "v1: /v1/secrets with Bearer {} (organization {first})",
        config.api_key
    )];
    lines.extend(config.orgs.iter().map(|o| {
        format!(
            "v3: /v3/organizations/{}/secrets with Bearer {}",
            o.id, o.key
        )
    }));
    lines
}
