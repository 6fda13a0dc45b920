//! `make bench`: wall time, API requests, peak memory and start-up of the provider under
//! real `terraform`, against the stand-in, next to a `terraform_data` baseline and next to
//! the provider as it was on tf-provider 0.2's transport (tfplugin6.5, commit 8bfdf52),
//! through the Devin API v1 and, for the current transport, v3 as well (the old transport
//! speaks v1 only). All are measured in the same run, taking turns, so that drift on the
//! machine hits each alike. Prints Markdown tables and writes them to `DEVIN_BENCH_OUT`.
//!
//! Settings (environment): `DEVIN_BENCH_SIZES` (default `10,100,1000`),
//! `DEVIN_BENCH_LATENCIES_MS` (`0,20`), `DEVIN_BENCH_RUNS` (`3`),
//! `DEVIN_BENCH_APIS` (`v1,v3`: `v3` alone runs only the v3 rows, and skips the old
//! transport), `DEVIN_TEST_TERRAFORM` (`terraform` on PATH), `DEVIN_BENCH_OUT`
//! (`bench-results.md`), `DEVIN_BENCH_BASELINE`: the old transport's binary; unset,
//! `scripts/bench-baseline.sh` builds it once from 8bfdf52 into `target/bench-baseline/`;
//! `none` leaves it out. `DEVIN_BENCH_COMPARE_BINARY`: another build of the provider (an
//! earlier commit's, say), whose size and start-up the binaries table adds, measured in
//! turns with this one.

#[path = "../../tests/common/dev_overrides.rs"]
mod dev_overrides;
mod render;
mod run;
mod startup;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context};
use devin_api_standin::{Config, StandIn, DEFAULT_ORG, DEFAULT_ORG_KEY};

use render::Binary;
use run::{Outcome, Subject, Tf};

const PROVIDER: &str = env!("CARGO_BIN_EXE_terraform-provider-devin");
const API_KEY: &str = "bench-api-key";
const OURS: &str = "ours (6.10)";
const OLD: &str = "tf-provider 0.2 (6.5)";

/// A provider binary under test.
struct Transport {
    label: &'static str,
    bin: PathBuf,
}

/// The Devin API version the provider speaks to the stand-in, picked by the key it is
/// given: v1 with the stand-in's legacy key, v3 with a `cog_` key and an organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Api {
    V1,
    V3,
}

impl Api {
    fn name(self) -> &'static str {
        match self {
            Api::V1 => "v1",
            Api::V3 => "v3",
        }
    }

    /// The provider's settings for this version against the stand-in at `url`.
    fn env(self, url: String) -> Vec<(&'static str, String)> {
        match self {
            Api::V1 => vec![("DEVIN_API_URL", url), ("DEVIN_API_KEY", API_KEY.into())],
            Api::V3 => vec![
                ("DEVIN_API_URL", url),
                ("DEVIN_API_KEY", DEFAULT_ORG_KEY.into()),
                ("DEVIN_ORG_ID", DEFAULT_ORG.into()),
            ],
        }
    }
}

/// `DEVIN_BENCH_APIS`: the API versions measured, `v1,v3` unless told.
fn apis_env() -> anyhow::Result<Vec<Api>> {
    let text = std::env::var("DEVIN_BENCH_APIS").unwrap_or_else(|_| "v1,v3".into());
    let mut apis = Vec::new();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let api = match word.to_ascii_lowercase().as_str() {
            "v1" => Api::V1,
            "v3" => Api::V3,
            _ => bail!("DEVIN_BENCH_APIS={text}: {word:?} is neither v1 nor v3"),
        };
        if !apis.contains(&api) {
            apis.push(api);
        }
    }
    if apis.is_empty() {
        bail!("DEVIN_BENCH_APIS={text} names no API");
    }
    Ok(apis)
}

fn main() -> anyhow::Result<()> {
    // Terraform starts "terraform-provider-devin" from the dev_overrides folder: a link to
    // this binary, which runs the real provider and records its peak RSS.
    let argv0 = std::env::args().next().unwrap_or_default();
    if Path::new(&argv0)
        .file_name()
        .is_some_and(|n| n == "terraform-provider-devin")
    {
        run::wrap_provider();
    }
    if std::env::args().any(|a| a == "--list") {
        return Ok(()); // `cargo bench -- --list` probes harness-less benches.
    }

    let sizes = list_env("DEVIN_BENCH_SIZES", "10,100,1000");
    let latencies = list_env("DEVIN_BENCH_LATENCIES_MS", "0,20");
    let runs = list_env("DEVIN_BENCH_RUNS", "3")
        .first()
        .copied()
        .context("DEVIN_BENCH_RUNS is not a number")?
        .max(1) as usize;
    let apis = apis_env()?;
    let terraform = std::env::var("DEVIN_TEST_TERRAFORM").unwrap_or_else(|_| "terraform".into());
    let out_file = std::env::var("DEVIN_BENCH_OUT").unwrap_or_else(|_| "bench-results.md".into());

    let mut transports = vec![Transport {
        label: OURS,
        bin: PROVIDER.into(),
    }];
    // The old transport speaks v1 only: without v1 rows it has nothing to run.
    if !apis.contains(&Api::V1) {
        eprintln!("bench: DEVIN_BENCH_APIS has no v1: the old transport (v1 only) is left out");
    } else if let Some(bin) = old_transport()? {
        transports.push(Transport { label: OLD, bin });
    }

    let scratch = tempfile::tempdir().context("temp dir")?;
    let tf = terraform_in(scratch.path(), terraform)?;
    let version = tf
        .run(scratch.path(), &["version"], &[])?
        .0
        .lines()
        .next()
        .unwrap_or("")
        .to_string();

    let mut results = Vec::new();
    for &n in &sizes {
        let subjects = subjects(scratch.path(), n, &latencies, &transports, &apis)?;
        let measured = run::measure(&tf, &subjects, runs, n)?;
        for (s, ms) in subjects.iter().zip(measured) {
            if let Some(standin) = &s.standin {
                if !standin.secrets().is_empty() {
                    bail!("destroy left secrets behind");
                }
            }
            results.push(Outcome {
                n,
                latency_ms: s.latency_ms,
                transport: s.transport.as_ref().map(|t| t.0),
                api: s.api,
                ops: ms,
            });
        }
    }

    let binaries = binaries(&transports);
    let table = render::render(&version, runs, &transports, &results, &binaries);
    print!("{table}");
    std::fs::write(&out_file, &table).with_context(|| format!("write results to {out_file}"))?;
    eprintln!("bench: written to {out_file}");
    Ok(())
}

/// Terraform set up in `scratch`: a CLI configuration whose dev_overrides folder holds a
/// link to this binary in the provider's place, and a folder for the peak RSS it records.
fn terraform_in(scratch: &Path, bin: String) -> anyhow::Result<Tf> {
    let plugins = scratch.join("plugins");
    let rss_dir = scratch.join("rss");
    std::fs::create_dir_all(&plugins).context("create the plugins folder")?;
    std::fs::create_dir_all(&rss_dir).context("create the RSS folder")?;
    let me = std::env::current_exe().context("the bench's own path")?;
    std::os::unix::fs::symlink(me, plugins.join("terraform-provider-devin"))
        .context("link the provider into the plugins folder")?;
    let cli_config = scratch.join("cli.tfrc");
    dev_overrides::write_dev_overrides(&cli_config, &plugins)
        .context("write the CLI configuration")?;
    Ok(Tf {
        bin,
        cli_config,
        rss_dir,
    })
}

/// The subjects of one N: terraform_data, then each latency under each transport and API
/// version (v3 under the current transport only), each devin_secret subject with a
/// stand-in of its own.
fn subjects(
    scratch: &Path,
    n: u64,
    latencies: &[u64],
    transports: &[Transport],
    apis: &[Api],
) -> anyhow::Result<Vec<Subject>> {
    let mut subjects = Vec::new();
    let base = scratch.join(format!("baseline-{n}"));
    write_config(&base, &baseline_config(n))?;
    subjects.push(Subject {
        dir: base,
        latency_ms: None,
        transport: None,
        api: None,
        standin: None,
    });
    for &lat in latencies {
        for (t, transport) in transports.iter().enumerate() {
            for &api in apis {
                if api == Api::V3 && transport.label != OURS {
                    continue;
                }
                let standin = StandIn::start(Config {
                    api_key: API_KEY.into(),
                    latency: Duration::from_millis(lat),
                    ..Config::default()
                })
                .context("stand-in")?;
                let dir = scratch.join(format!("devin-{n}-{lat}-{t}-{}", api.name()));
                write_config(&dir, &secrets_config(n))?;
                subjects.push(Subject {
                    dir,
                    latency_ms: Some(lat),
                    transport: Some((t, transport.bin.clone())),
                    api: Some(api),
                    standin: Some(standin),
                });
            }
        }
    }
    Ok(subjects)
}

fn write_config(dir: &Path, main_tf: &str) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    std::fs::write(dir.join("main.tf"), main_tf)
        .with_context(|| format!("write {}/main.tf", dir.display()))
}

/// Each transport's release binary, and `DEVIN_BENCH_COMPARE_BINARY`'s: its size and
/// start-up time, the binaries taking turns.
fn binaries(transports: &[Transport]) -> Vec<Binary> {
    let mut bins: Vec<(String, PathBuf)> = transports
        .iter()
        .map(|t| match t.label {
            OURS => (t.label.to_string(), startup::release_provider()),
            _ => (t.label.to_string(), t.bin.clone()),
        })
        .collect();
    if let Some(other) = std::env::var_os("DEVIN_BENCH_COMPARE_BINARY") {
        let other = PathBuf::from(other);
        bins.push((format!("`{}`", other.display()), other));
    }
    let paths: Vec<PathBuf> = bins.iter().map(|(_, p)| p.clone()).collect();
    let startup = startup::startup_ms(&paths, 20);
    bins.into_iter()
        .zip(startup)
        .map(|((label, b), startup)| Binary {
            label,
            size: std::fs::metadata(&b).map(|m| m.len()).unwrap_or(0),
            linking: startup::linking(&b),
            startup,
        })
        .collect()
}

/// The old transport's binary, from `DEVIN_BENCH_BASELINE` or built (once) by
/// `scripts/bench-baseline.sh`, which says why when there is none.
fn old_transport() -> anyhow::Result<Option<PathBuf>> {
    if std::env::var("DEVIN_BENCH_BASELINE").is_ok_and(|v| v == "none") {
        eprintln!("bench: DEVIN_BENCH_BASELINE=none: the old transport is left out");
        return Ok(None);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bench-baseline.sh");
    let out = Command::new("bash")
        .arg(&script)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {}", script.display()))?;
    if !out.status.success() {
        bail!("{} failed: {}", script.display(), out.status);
    }
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if path.is_empty() {
        eprintln!("bench: no old-transport binary: only the current transport is measured");
        return Ok(None);
    }
    Ok(Some(path.into()))
}

/// A comma-separated list of numbers from the environment; what does not parse is skipped.
fn list_env(name: &str, default: &str) -> Vec<u64> {
    std::env::var(name)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// The zero-provider baseline: N `terraform_data` resources.
fn baseline_config(n: u64) -> String {
    format!("resource \"terraform_data\" \"s\" {{\n  count = {n}\n  input = \"value-${{count.index}}\"\n}}\n")
}

/// N `devin_secret` resources, the provider configured from the environment.
fn secrets_config(n: u64) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    devin = {{ source = \"devin-oss/devin\" }}\n  }}\n}}\n\nprovider \"devin\" {{}}\n\nresource \"devin_secret\" \"s\" {{\n  count = {n}\n  key   = \"BENCH_${{count.index}}\"\n  value = \"value-${{count.index}}\"\n}}\n"
    )
}
