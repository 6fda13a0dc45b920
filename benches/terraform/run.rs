//! Running terraform over the subjects: each command's wall time, the stand-in's request
//! counts and the provider's peak memory, recorded by `wrap_provider` in the provider's
//! place.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use devin_api_standin::StandIn;

use crate::{Api, PROVIDER};

/// The terraform binary and the environment every run of it gets.
pub struct Tf {
    pub bin: String,
    pub cli_config: PathBuf,
    pub rss_dir: PathBuf,
}

impl Tf {
    /// Runs one terraform command in `dir`: its standard output and wall time, or an error
    /// with both of its outputs when it fails.
    pub fn run(
        &self,
        dir: &Path,
        args: &[&str],
        env: &[(&str, String)],
    ) -> anyhow::Result<(String, Duration)> {
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
            .with_context(|| format!("run terraform ({})", self.bin))?;
        let wall = started.elapsed();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if !out.status.success() {
            bail!(
                "terraform {args:?} failed:\n{text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok((text, wall))
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
pub struct Subject {
    pub dir: PathBuf,
    pub latency_ms: Option<u64>,
    pub transport: Option<(usize, PathBuf)>,
    pub api: Option<Api>,
    pub standin: Option<StandIn>,
}

/// One command of one subject, over the runs.
#[derive(Clone, Default)]
pub struct Measure {
    /// Sorted, one per run.
    pub walls: Vec<Duration>,
    /// GET, POST, DELETE requests, one per run.
    pub counts: Vec<[u64; 3]>,
    pub rss_kb: Option<u64>,
}

impl Measure {
    /// The median wall time (`walls` is sorted by then).
    pub fn median(&self) -> Duration {
        self.walls[self.walls.len() / 2]
    }

    /// GET, POST and DELETE requests: the count, or `min–max` when the runs differ; `-`
    /// without a stand-in.
    pub fn counts(&self) -> [String; 3] {
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

/// One subject's measures, by what tells it apart: N, latency, transport, API version.
pub struct Outcome {
    pub n: u64,
    pub latency_ms: Option<u64>,
    pub transport: Option<usize>,
    pub api: Option<Api>,
    /// apply, plan, destroy.
    pub ops: Vec<Measure>,
}

/// `runs` cycles of apply, plan and destroy of every subject, the subjects taking turns
/// within each cycle.
pub fn measure(
    tf: &Tf,
    subjects: &[Subject],
    runs: usize,
    n: u64,
) -> anyhow::Result<Vec<Vec<Measure>>> {
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
                let (_, wall) = tf.run(&s.dir, args, &env)?;
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
    Ok(out)
}

/// What runs when terraform starts "terraform-provider-devin" from the dev_overrides
/// folder: the provider under test (`DEVIN_BENCH_PROVIDER`), whose peak RSS it records in
/// `DEVIN_BENCH_RSS_DIR`.
pub fn wrap_provider() -> ! {
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
