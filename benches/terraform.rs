//! `make bench`: wall time, API requests, peak memory and start-up of the provider under
//! real `terraform`, against the stand-in, next to a `terraform_data` baseline measured in
//! the same run. Prints a Markdown table and writes it to `DEVIN_BENCH_OUT`.
//!
//! Settings (environment): `DEVIN_BENCH_SIZES` (default `10,100,1000`),
//! `DEVIN_BENCH_LATENCIES_MS` (`0,20`), `DEVIN_BENCH_RUNS` (`3`),
//! `DEVIN_TEST_TERRAFORM` (`terraform` on PATH), `DEVIN_BENCH_OUT` (`bench-results.md`).

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use devin_api_standin::{Config, StandIn};

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
    let terraform = std::env::var("DEVIN_TEST_TERRAFORM").unwrap_or_else(|_| "terraform".into());
    let out_file = std::env::var("DEVIN_BENCH_OUT").unwrap_or_else(|_| "bench-results.md".into());

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

    let mut rows = Vec::new();
    for &n in &sizes {
        let base = scratch.path().join(format!("baseline-{n}"));
        std::fs::create_dir_all(&base).unwrap();
        std::fs::write(base.join("main.tf"), baseline_config(n)).unwrap();
        let baseline = measure(&tf, &base, runs, None);
        for (op, m) in ["apply", "plan", "destroy"].iter().zip(&baseline) {
            rows.push(Row {
                op,
                n,
                latency_ms: None,
                wall: m.wall,
                baseline: m.wall,
                counts: None,
                rss_kb: None,
            });
        }
        for &lat in &latencies {
            let api = StandIn::start(Config {
                api_key: API_KEY.into(),
                latency: Duration::from_millis(lat),
                ..Config::default()
            })
            .expect("stand-in");
            let dir = scratch.path().join(format!("devin-{n}-{lat}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("main.tf"), secrets_config(n)).unwrap();
            let ms = measure(&tf, &dir, runs, Some(&api));
            assert!(api.secrets().is_empty(), "destroy left secrets behind");
            for ((op, m), b) in ["apply", "plan", "destroy"].iter().zip(ms).zip(&baseline) {
                rows.push(Row {
                    op,
                    n,
                    latency_ms: Some(lat),
                    wall: m.wall,
                    baseline: b.wall,
                    counts: m.counts,
                    rss_kb: m.rss_kb,
                });
            }
            eprintln!("bench: N={n} latency={lat} ms done");
        }
    }

    let size = std::fs::metadata(release_provider())
        .map(|m| m.len())
        .unwrap_or(0);
    let startup = startup_ms(&release_provider(), 20);
    let table = render(&version, runs, &rows, size, startup);
    print!("{table}");
    std::fs::write(&out_file, &table).expect("write results");
    eprintln!("bench: written to {out_file}");
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
            .env("DEVIN_BENCH_PROVIDER", PROVIDER)
            .env("DEVIN_BENCH_RSS_DIR", &self.rss_dir)
            .env_remove("TF_LOG")
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

struct Measure {
    wall: Duration,
    counts: Option<[u64; 3]>,
    rss_kb: Option<u64>,
}

/// Medians of apply, plan and destroy over `runs` cycles.
fn measure(tf: &Tf, dir: &Path, runs: usize, api: Option<&StandIn>) -> Vec<Measure> {
    let env: Vec<(&str, String)> = match api {
        Some(api) => vec![
            ("DEVIN_API_URL", api.url()),
            ("DEVIN_API_KEY", API_KEY.to_string()),
        ],
        None => vec![],
    };
    let commands: [&[&str]; 3] = [
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &["plan", "-input=false", "-no-color"],
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
    ];
    let mut walls = vec![Vec::new(); 3];
    let mut counts = [None; 3];
    let mut rss = [None; 3];
    for _ in 0..runs {
        for (i, args) in commands.iter().enumerate() {
            tf.take_rss();
            if let Some(api) = api {
                api.reset_counts();
            }
            let (_, wall) = tf.run(dir, args, &env);
            walls[i].push(wall);
            if let Some(api) = api {
                let c = api.request_counts();
                counts[i] = Some([c.get, c.post, c.delete]);
            }
            rss[i] = rss[i].max(tf.take_rss());
        }
    }
    (0..3)
        .map(|i| {
            walls[i].sort();
            Measure {
                wall: walls[i][walls[i].len() / 2],
                counts: counts[i],
                rss_kb: rss[i],
            }
        })
        .collect()
}

struct Row {
    op: &'static str,
    n: u64,
    latency_ms: Option<u64>,
    wall: Duration,
    baseline: Duration,
    counts: Option<[u64; 3]>,
    rss_kb: Option<u64>,
}

fn render(version: &str, runs: usize, rows: &[Row], size: u64, startup: Option<f64>) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "## Benchmark: terraform-provider-devin {}\n",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(t, "{version}; median of {runs} runs; parallelism 10 (Terraform's default); stand-in on 127.0.0.1.\n");
    let _ = writeln!(t, "| op | N | resources | API latency | median wall | vs terraform_data | vs ideal N×latency/10 | GET | POST | DELETE | provider peak RSS |");
    let _ = writeln!(t, "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let secs = r.wall.as_secs_f64();
        let (what, lat) = match r.latency_ms {
            Some(l) => ("devin_secret", format!("{l} ms")),
            None => ("terraform_data", "-".into()),
        };
        let ratio = secs / r.baseline.as_secs_f64();
        let ideal = match (r.latency_ms, r.op) {
            (Some(l), "apply" | "destroy") if l > 0 => {
                format!("{:.2}×", secs / (r.n as f64 * l as f64 / 1000.0 / 10.0))
            }
            _ => "-".into(),
        };
        let c = r
            .counts
            .map_or(["-".to_string(), "-".into(), "-".into()], |c| {
                c.map(|x| x.to_string())
            });
        let rss = r
            .rss_kb
            .map_or("-".into(), |kb| format!("{:.1} MB", kb as f64 / 1024.0));
        let _ = writeln!(t, "| {} | {} | {what} | {lat} | {secs:.2} s | {ratio:.2}× | {ideal} | {} | {} | {} | {rss} |", r.op, r.n, c[0], c[1], c[2]);
    }
    let _ = writeln!(t, "\nRelease binary: {:.1} MB. Start-up (exec to handshake, schemas built and TLS key made), median of 20: {}.",
        size as f64 / 1_048_576.0,
        startup.map_or("n/a".into(), |ms| format!("{ms:.1} ms")));
    t
}

/// Median time from exec to the go-plugin handshake line, in ms.
fn startup_ms(provider: &Path, runs: usize) -> Option<f64> {
    let mut times = Vec::new();
    for _ in 0..runs {
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
        BufReader::new(child.stdout.take()?)
            .read_line(&mut line)
            .ok()?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let _ = child.kill();
        let _ = child.wait();
        if !line.starts_with("1|6|tcp|") {
            return None;
        }
    }
    times.sort_by(f64::total_cmp);
    Some(times[times.len() / 2])
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
    let real = std::env::var("DEVIN_BENCH_PROVIDER").expect("DEVIN_BENCH_PROVIDER");
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
