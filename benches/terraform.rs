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
//! `none` leaves it out.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use devin_api_standin::{Config, StandIn, DEFAULT_ORG, DEFAULT_ORG_KEY};

const PROVIDER: &str = env!("CARGO_BIN_EXE_terraform-provider-devin");
const API_KEY: &str = "bench-api-key";
const COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);
/// A throwaway client certificate, so the start-up measured includes the server key and
/// certificate that Terraform's AutoMTLS makes every provider generate.
const CLIENT_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIUKSavkxIL6fjHKGBh1hpqmm+eJTkwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSZGV2aW4tYmVuY2gtY2xpZW50MCAXDTI2MTEyMjE1NDkxM1oY
DzIxMjYxMDI5MTU0OTEzWjAdMRswGQYDVQQDDBJkZXZpbi1iZW5jaC1jbGllbnQw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAR51FxpBwDQjjNL86rUM9AiiirpyklK
ZH8q58KWTKADlalE7XSlFkK0BvhlblggIL/Pr9fI1NcB8yT3GWAUGuydo1MwUTAd
BgNVHQ4EFgQUf3R8su1FWtUoKTroVUnnv8a9qpUwHwYDVR0jBBgwFoAUf3R8su1F
WtUoKTroVUnnv8a9qpUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiEAsXMfXnCiOZMpkuwzme7GQulE1pK+4kZw6dh4AR34oxcCIA3UvPFXyPX9oAxv
BQ90qjFXYtHCumeTAUzAYn7EnPMS
-----END CERTIFICATE-----";
const OPS: [&str; 3] = ["apply", "plan", "destroy"];
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
fn apis_env() -> Vec<Api> {
    let text = std::env::var("DEVIN_BENCH_APIS").unwrap_or_else(|_| "v1,v3".into());
    let mut apis = Vec::new();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let api = match word.to_ascii_lowercase().as_str() {
            "v1" => Api::V1,
            "v3" => Api::V3,
            _ => panic!("DEVIN_BENCH_APIS={text}: {word:?} is neither v1 nor v3"),
        };
        if !apis.contains(&api) {
            apis.push(api);
        }
    }
    assert!(!apis.is_empty(), "DEVIN_BENCH_APIS={text} names no API");
    apis
}

fn main() {
    // Terraform starts "terraform-provider-devin" from the dev_overrides folder: a link to
    // this binary, which runs the real provider and records its peak RSS.
    let argv0 = std::env::args().next().unwrap_or_default();
    if Path::new(&argv0)
        .file_name()
        .is_some_and(|n| n == "terraform-provider-devin")
    {
        wrap_provider();
    }
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` probes harness-less benches.
    }

    let sizes = list_env("DEVIN_BENCH_SIZES", "10,100,1000");
    let latencies = list_env("DEVIN_BENCH_LATENCIES_MS", "0,20");
    let runs = list_env("DEVIN_BENCH_RUNS", "3")[0].max(1) as usize;
    let apis = apis_env();
    let terraform = std::env::var("DEVIN_TEST_TERRAFORM").unwrap_or_else(|_| "terraform".into());
    let out_file = std::env::var("DEVIN_BENCH_OUT").unwrap_or_else(|_| "bench-results.md".into());

    let mut transports = vec![Transport {
        label: OURS,
        bin: PROVIDER.into(),
    }];
    // The old transport speaks v1 only: without v1 rows it has nothing to run.
    if !apis.contains(&Api::V1) {
        eprintln!("bench: DEVIN_BENCH_APIS has no v1: the old transport (v1 only) is left out");
    } else if let Some(bin) = old_transport() {
        transports.push(Transport { label: OLD, bin });
    }

    let scratch = tempfile::tempdir().expect("temp dir");
    let plugins = scratch.path().join("plugins");
    let rss_dir = scratch.path().join("rss");
    std::fs::create_dir_all(&plugins).unwrap();
    std::fs::create_dir_all(&rss_dir).unwrap();
    std::os::unix::fs::symlink(
        std::env::current_exe().unwrap(),
        plugins.join("terraform-provider-devin"),
    )
    .unwrap();
    let cli_config = scratch.path().join("cli.tfrc");
    std::fs::write(
        &cli_config,
        format!(
            "provider_installation {{\n  dev_overrides {{\n    \"registry.terraform.io/devin-oss/devin\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            plugins.display()
        ),
    )
    .unwrap();
    let tf = Tf {
        bin: terraform.clone(),
        cli_config,
        rss_dir,
    };
    let version = tf
        .run(scratch.path(), &["version"], &[])
        .0
        .lines()
        .next()
        .unwrap_or("")
        .to_string();

    let mut results = Vec::new();
    for &n in &sizes {
        // The subjects of this N: terraform_data, then each latency under each transport
        // and API version (v3 under the current transport only).
        let mut subjects = Vec::new();
        let base = scratch.path().join(format!("baseline-{n}"));
        std::fs::create_dir_all(&base).unwrap();
        std::fs::write(base.join("main.tf"), baseline_config(n)).unwrap();
        subjects.push(Subject {
            dir: base,
            latency_ms: None,
            transport: None,
            api: None,
            standin: None,
        });
        for &lat in &latencies {
            for (t, transport) in transports.iter().enumerate() {
                for &api in &apis {
                    if api == Api::V3 && transport.label != OURS {
                        continue;
                    }
                    let standin = StandIn::start(Config {
                        api_key: API_KEY.into(),
                        latency: Duration::from_millis(lat),
                        ..Config::default()
                    })
                    .expect("stand-in");
                    let dir = scratch
                        .path()
                        .join(format!("devin-{n}-{lat}-{t}-{}", api.name()));
                    std::fs::create_dir_all(&dir).unwrap();
                    std::fs::write(dir.join("main.tf"), secrets_config(n)).unwrap();
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
        let measured = measure(&tf, &subjects, runs, n);
        for (s, ms) in subjects.iter().zip(measured) {
            if let Some(standin) = &s.standin {
                assert!(standin.secrets().is_empty(), "destroy left secrets behind");
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

    let binaries: Vec<Binary> = {
        let bins: Vec<PathBuf> = transports
            .iter()
            .map(|t| match t.label {
                OURS => release_provider(),
                _ => t.bin.clone(),
            })
            .collect();
        let startup = startup_ms(&bins, 20);
        bins.iter()
            .zip(startup)
            .map(|(b, startup)| Binary {
                size: std::fs::metadata(b).map(|m| m.len()).unwrap_or(0),
                startup,
            })
            .collect()
    };
    let table = render(&version, runs, &transports, &results, &binaries);
    print!("{table}");
    std::fs::write(&out_file, &table).expect("write results");
    eprintln!("bench: written to {out_file}");
}

/// The old transport's binary, from `DEVIN_BENCH_BASELINE` or built (once) by
/// `scripts/bench-baseline.sh`, which says why when there is none.
fn old_transport() -> Option<PathBuf> {
    if std::env::var("DEVIN_BENCH_BASELINE").is_ok_and(|v| v == "none") {
        eprintln!("bench: DEVIN_BENCH_BASELINE=none: the old transport is left out");
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bench-baseline.sh");
    let out = Command::new("bash")
        .arg(&script)
        .stderr(Stdio::inherit())
        .output();
    let path = match out {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        Ok(out) => panic!("{} failed: {}", script.display(), out.status),
        Err(e) => panic!("cannot run {}: {e}", script.display()),
    };
    if path.is_empty() {
        eprintln!("bench: no old-transport binary: only the current transport is measured");
        return None;
    }
    Some(path.into())
}

struct Tf {
    bin: String,
    cli_config: PathBuf,
    rss_dir: PathBuf,
}

impl Tf {
    fn run(&self, dir: &Path, args: &[&str], env: &[(&str, String)]) -> (String, Duration) {
        let started = Instant::now();
        let out = Command::new(&self.bin)
            .args(args)
            .current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("DEVIN_BENCH_RSS_DIR", &self.rss_dir)
            .env_remove("TF_LOG")
            // Set again for v3 subjects only: with v1's unprefixed key it would pick v3.
            .env_remove("DEVIN_ORG_ID")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .expect("run terraform");
        let wall = started.elapsed();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "terraform {args:?} failed:\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (text, wall)
    }

    /// The largest peak RSS recorded since the last call, in KiB.
    fn take_rss(&self) -> Option<u64> {
        let mut peak = None;
        for entry in std::fs::read_dir(&self.rss_dir).ok()?.flatten() {
            let kb = std::fs::read_to_string(entry.path())
                .ok()
                .and_then(|s| s.trim().parse::<u64>().ok());
            peak = peak.max(kb);
            let _ = std::fs::remove_file(entry.path());
        }
        peak
    }
}

/// One configuration measured: terraform_data (no transport, no API), or devin_secret at
/// one latency under one transport (its index and binary) through one API version, with a
/// stand-in of its own.
struct Subject {
    dir: PathBuf,
    latency_ms: Option<u64>,
    transport: Option<(usize, PathBuf)>,
    api: Option<Api>,
    standin: Option<StandIn>,
}

#[derive(Clone, Default)]
struct Measure {
    /// Sorted, one per run.
    walls: Vec<Duration>,
    /// GET, POST, DELETE requests, one per run.
    counts: Vec<[u64; 3]>,
    rss_kb: Option<u64>,
}

impl Measure {
    fn median(&self) -> Duration {
        self.walls[self.walls.len() / 2]
    }

    /// GET, POST and DELETE requests: the count, or `min–max` when the runs differ; `-`
    /// without a stand-in.
    fn counts(&self) -> [String; 3] {
        std::array::from_fn(|i| {
            let all = self.counts.iter().map(|c| c[i]);
            match (all.clone().min(), all.max()) {
                (Some(lo), Some(hi)) if lo == hi => lo.to_string(),
                (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
                _ => "-".into(),
            }
        })
    }
}

struct Outcome {
    n: u64,
    latency_ms: Option<u64>,
    transport: Option<usize>,
    api: Option<Api>,
    /// apply, plan, destroy.
    ops: Vec<Measure>,
}

/// `runs` cycles of apply, plan and destroy of every subject, the subjects taking turns
/// within each cycle.
fn measure(tf: &Tf, subjects: &[Subject], runs: usize, n: u64) -> Vec<Vec<Measure>> {
    let commands: [&[&str]; 3] = [
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &["plan", "-input=false", "-no-color"],
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
    ];
    let mut out = vec![vec![Measure::default(); 3]; subjects.len()];
    for run in 0..runs {
        for (s, m) in subjects.iter().zip(&mut out) {
            let mut env: Vec<(&str, String)> = Vec::new();
            if let (Some(standin), Some(api)) = (&s.standin, s.api) {
                env.extend(api.env(standin.url()));
            }
            if let Some((_, bin)) = &s.transport {
                env.push(("DEVIN_BENCH_PROVIDER", bin.display().to_string()));
            }
            for (i, args) in commands.iter().enumerate() {
                tf.take_rss();
                if let Some(standin) = &s.standin {
                    standin.reset_counts();
                }
                let (_, wall) = tf.run(&s.dir, args, &env);
                m[i].walls.push(wall);
                if let Some(standin) = &s.standin {
                    let c = standin.request_counts();
                    m[i].counts.push([c.get, c.post, c.delete]);
                }
                m[i].rss_kb = m[i].rss_kb.max(tf.take_rss());
            }
        }
        eprintln!("bench: N={n} run {}/{runs} done", run + 1);
    }
    for m in out.iter_mut().flatten() {
        m.walls.sort();
    }
    out
}

struct Binary {
    size: u64,
    startup: Option<f64>,
}

fn render(
    version: &str,
    runs: usize,
    transports: &[Transport],
    results: &[Outcome],
    binaries: &[Binary],
) -> String {
    let find = |n: u64, lat: Option<u64>, t: Option<usize>, api: Option<Api>| {
        results
            .iter()
            .find(|r| r.n == n && r.latency_ms == lat && r.transport == t && r.api == api)
    };
    let secs = |d: Duration| d.as_secs_f64();
    let old = transports.iter().position(|t| t.label == OLD);
    let v1 = Some(Api::V1);
    let v3 = Some(Api::V3);
    let has_v3 = results.iter().any(|r| r.api == v3);

    let mut t = String::new();
    let _ = writeln!(
        t,
        "## Benchmark: terraform-provider-devin {}\n",
        env!("CARGO_PKG_VERSION")
    );
    let mut intro = format!(
        "{version}; median of {runs} runs; parallelism 10 (Terraform's default); stand-in on 127.0.0.1. \
         Transports: **{OURS}**, the plugin protocol served by this provider (tonic); **{OLD}**, \
         the same provider at commit 8bfdf52, served by tf-provider 0.2.2."
    );
    if has_v3 {
        let _ = write!(
            intro,
            " APIs: **v1** (`/v1/secrets`, a legacy key) under each transport; **v3** \
             (`/v3/organizations/{DEFAULT_ORG}/secrets`, a `cog_` key, lists in pages of 200) \
             under {OURS} only, as {OLD} speaks v1 only."
        );
    }
    let _ = writeln!(intro, " The subjects take turns in each run.\n");
    t.push_str(&intro);

    // The headline: plan at the largest N and latency.
    let big_n = results.iter().map(|r| r.n).max();
    let big_lat = results.iter().filter_map(|r| r.latency_ms).max();
    if let (Some(n), Some(lat)) = (big_n, big_lat) {
        if let (Some(b), Some(ours)) = (find(n, None, None, None), find(n, Some(lat), Some(0), v1))
        {
            let base = secs(b.ops[1].median());
            let o = secs(ours.ops[1].median());
            let mut line = format!(
                "**Plan of {n} secrets at {lat} ms API latency:** {OURS} {:.2}× terraform_data",
                o / base
            );
            if let Some(old) = old.and_then(|i| find(n, Some(lat), Some(i), v1)) {
                let d = secs(old.ops[1].median());
                let _ = write!(
                    line,
                    ", {OLD} {:.2}×; {OURS} takes {:.2}× the time of {OLD}",
                    d / base,
                    o / d
                );
            }
            let _ = writeln!(t, "{line}.\n");
        }
        if let (Some(b), Some(three)) = (find(n, None, None, None), find(n, Some(lat), Some(0), v3))
        {
            let base = secs(b.ops[1].median());
            let o = secs(three.ops[1].median());
            let mut line = format!(
                "**Plan of {n} secrets at {lat} ms API latency through API v3:** {OURS} {:.2}× terraform_data",
                o / base
            );
            if let Some(one) = find(n, Some(lat), Some(0), v1) {
                let _ = write!(
                    line,
                    ", {:.2}× the time of the same plan through v1",
                    o / secs(one.ops[1].median())
                );
            }
            let _ = write!(line, "; {} list requests (GET)", three.ops[1].counts()[0]);
            if let Some(one) = find(n, Some(lat), Some(0), v1) {
                let _ = write!(line, ", v1 {}", one.ops[1].counts()[0]);
            }
            let _ = writeln!(t, "{line}.\n");
        }
    }

    // Side by side: one row per op, N and latency.
    let v1_rows: Vec<&Outcome> = results
        .iter()
        .filter(|r| r.transport == Some(0) && r.api == v1)
        .collect();
    let v1_table = !v1_rows.is_empty();
    if v1_table {
        let _ = writeln!(t, "### Wall time, both transports\n");
        let _ = writeln!(
            t,
            "| op | N | API latency | terraform_data | {OURS} | {OLD} | ours ÷ old | ours ÷ terraform_data | old ÷ terraform_data |"
        );
        let _ = writeln!(t, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    }
    for r in v1_rows {
        let Some(b) = find(r.n, None, None, None) else {
            continue;
        };
        let lat = r.latency_ms.unwrap_or(0);
        let o = old.and_then(|i| find(r.n, r.latency_ms, Some(i), v1));
        for (i, op) in OPS.iter().enumerate() {
            let base = secs(b.ops[i].median());
            let ours = secs(r.ops[i].median());
            let (old_s, ratio, old_ratio) = match o {
                Some(o) => {
                    let d = secs(o.ops[i].median());
                    (
                        format!("{d:.2} s"),
                        format!("{:.2}×", ours / d),
                        format!("{:.2}×", d / base),
                    )
                }
                None => ("-".into(), "-".into(), "-".into()),
            };
            let _ = writeln!(
                t,
                "| {op} | {} | {lat} ms | {base:.2} s | {ours:.2} s | {old_s} | {ratio} | {:.2}× | {old_ratio} |",
                r.n,
                ours / base
            );
        }
    }

    // API v3 beside v1, under the current transport: wall time and list requests.
    if has_v3 {
        let gap = if v1_table { "\n" } else { "" };
        let _ = writeln!(t, "{gap}### API v3 beside v1 ({OURS})\n");
        let _ = writeln!(
            t,
            "| op | N | API latency | terraform_data | v1 | v3 | v3 ÷ v1 | v3 ÷ terraform_data | v1 GET | v3 GET (list pages) |"
        );
        let _ = writeln!(t, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    }
    for r in results
        .iter()
        .filter(|r| r.transport == Some(0) && r.api == v3)
    {
        let Some(b) = find(r.n, None, None, None) else {
            continue;
        };
        let lat = r.latency_ms.unwrap_or(0);
        let one = find(r.n, r.latency_ms, Some(0), v1);
        for (i, op) in OPS.iter().enumerate() {
            let base = secs(b.ops[i].median());
            let three = secs(r.ops[i].median());
            let (one_s, ratio, one_get) = match one {
                Some(one) => {
                    let d = secs(one.ops[i].median());
                    let [get, _, _] = one.ops[i].counts();
                    (format!("{d:.2} s"), format!("{:.2}×", three / d), get)
                }
                None => ("-".into(), "-".into(), "-".into()),
            };
            let [get, _, _] = r.ops[i].counts();
            let _ = writeln!(
                t,
                "| {op} | {} | {lat} ms | {base:.2} s | {one_s} | {three:.2} s | {ratio} | {:.2}× | {one_get} | {get} |",
                r.n,
                three / base
            );
        }
    }

    // Every subject on its own: spread, requests, memory.
    let _ = writeln!(t, "\n### Each transport\n");
    let _ = writeln!(t, "| op | N | resources | transport | API | API latency | median wall | min–max | vs terraform_data | vs ideal N×latency/10 | GET | POST | DELETE | provider peak RSS |");
    let _ = writeln!(
        t,
        "|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in results {
        let Some(b) = find(r.n, None, None, None) else {
            continue;
        };
        let (what, label, api, lat) = match (r.latency_ms, r.transport, r.api) {
            (Some(l), Some(i), Some(api)) => (
                "devin_secret",
                transports[i].label,
                api.name(),
                format!("{l} ms"),
            ),
            _ => ("terraform_data", "-", "-", "-".into()),
        };
        for (i, op) in OPS.iter().enumerate() {
            let m = &r.ops[i];
            let s = secs(m.median());
            let spread = format!(
                "{:.2}–{:.2} s",
                secs(m.walls[0]),
                secs(m.walls[m.walls.len() - 1])
            );
            let ratio = s / secs(b.ops[i].median());
            let ideal = match (r.latency_ms, *op) {
                (Some(l), "apply" | "destroy") if l > 0 => {
                    format!("{:.2}×", s / (r.n as f64 * l as f64 / 1000.0 / 10.0))
                }
                _ => "-".into(),
            };
            let c = m.counts();
            let rss = m
                .rss_kb
                .map_or("-".into(), |kb| format!("{:.1} MB", kb as f64 / 1024.0));
            let _ = writeln!(t, "| {op} | {} | {what} | {label} | {api} | {lat} | {s:.2} s | {spread} | {ratio:.2}× | {ideal} | {} | {} | {} | {rss} |", r.n, c[0], c[1], c[2]);
        }
    }

    let _ = writeln!(t, "\n### Binaries\n");
    let _ = writeln!(
        t,
        "| transport | release binary | start-up (exec to handshake, schemas built and TLS key made), median of 20 |"
    );
    let _ = writeln!(t, "|---|---:|---:|");
    for (tr, b) in transports.iter().zip(binaries) {
        let _ = writeln!(
            t,
            "| {} | {:.1} MB | {} |",
            tr.label,
            b.size as f64 / 1_048_576.0,
            b.startup.map_or("n/a".into(), |ms| format!("{ms:.1} ms"))
        );
    }
    if old.is_none() {
        let _ = writeln!(
            t,
            "\nThe old transport was not measured (see the bench's output for why)."
        );
    }
    t
}

/// Median time from exec to the go-plugin handshake line, in ms, of each binary; the
/// binaries take turns.
fn startup_ms(providers: &[PathBuf], runs: usize) -> Vec<Option<f64>> {
    let mut times = vec![Some(Vec::new()); providers.len()];
    for _ in 0..runs {
        for (provider, times) in providers.iter().zip(&mut times) {
            if let Some(list) = times {
                match startup_once(provider) {
                    Some(ms) => list.push(ms),
                    None => *times = None,
                }
            }
        }
    }
    times
        .into_iter()
        .map(|t| {
            let mut t = t?;
            t.sort_by(f64::total_cmp);
            t.get(t.len() / 2).copied()
        })
        .collect()
}

fn startup_once(provider: &Path) -> Option<f64> {
    let started = Instant::now();
    let mut child = Command::new(provider)
        .env(COOKIE.0, COOKIE.1)
        .env("PLUGIN_CLIENT_CERT", CLIENT_CERT)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take()?).read_line(&mut line);
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let _ = child.kill();
    let _ = child.wait();
    (read.is_ok() && line.starts_with("1|6|tcp|")).then_some(ms)
}

/// The release build of the provider (the bench profile's binary is the same code, but
/// the size that matters is the one `make release` ships).
fn release_provider() -> PathBuf {
    let here = PathBuf::from(PROVIDER);
    let release = here
        .parent()
        .and_then(Path::parent)
        .map(|t| t.join("release/terraform-provider-devin"));
    match release {
        Some(p) if p.exists() => p,
        _ => here,
    }
}

fn wrap_provider() -> ! {
    let real = std::env::var("DEVIN_BENCH_PROVIDER").unwrap_or_else(|_| PROVIDER.into());
    let status = Command::new(real).args(std::env::args().skip(1)).status();
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    if let Ok(dir) = std::env::var("DEVIN_BENCH_RSS_DIR") {
        let _ = std::fs::write(
            Path::new(&dir).join(std::process::id().to_string()),
            usage.ru_maxrss.to_string(),
        );
    }
    std::process::exit(status.ok().and_then(|s| s.code()).unwrap_or(1));
}

fn list_env(name: &str, default: &str) -> Vec<u64> {
    std::env::var(name)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn baseline_config(n: u64) -> String {
    format!("resource \"terraform_data\" \"s\" {{\n  count = {n}\n  input = \"value-${{count.index}}\"\n}}\n")
}

fn secrets_config(n: u64) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    devin = {{ source = \"devin-oss/devin\" }}\n  }}\n}}\n\nprovider \"devin\" {{}}\n\nresource \"devin_secret\" \"s\" {{\n  count = {n}\n  key   = \"BENCH_${{count.index}}\"\n  value = \"value-${{count.index}}\"\n}}\n"
    )
}
