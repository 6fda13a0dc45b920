//! The Markdown tables `make bench` prints and writes: the headline, both transports side
//! by side, API v3 beside v1, every subject on its own, and the binaries.

use std::fmt::Write as _;
use std::time::Duration;

use devin_api_standin::DEFAULT_ORG;

use crate::run::Outcome;
use crate::{Api, Transport, OLD, OURS};

const OPS: [&str; 3] = ["apply", "plan", "destroy"];
const V1: Option<Api> = Some(Api::V1);
const V3: Option<Api> = Some(Api::V3);

/// A release binary's size and start-up time.
pub struct Binary {
    pub label: String,
    pub size: u64,
    /// What it needs of the host to start: `static`, or its loader and libraries.
    pub linking: String,
    pub startup: Option<f64>,
}

/// Every table, from the results of one run of the bench.
pub fn render(
    version: &str,
    runs: usize,
    transports: &[Transport],
    results: &[Outcome],
    binaries: &[Binary],
) -> String {
    let res = Results {
        results,
        old: transports.iter().position(|t| t.label == OLD),
        has_v3: results.iter().any(|r| r.api == V3),
    };
    let mut t = String::new();
    intro(&mut t, &res, version, runs);
    headline(&mut t, &res);
    let v1_table = transports_table(&mut t, &res);
    v3_table(&mut t, &res, v1_table);
    each_table(&mut t, &res, transports);
    binaries_table(&mut t, &res, binaries);
    t
}

/// The results, with what every table asks of them.
struct Results<'a> {
    results: &'a [Outcome],
    /// The old transport's index, when it was measured.
    old: Option<usize>,
    has_v3: bool,
}

impl Results<'_> {
    fn find(
        &self,
        n: u64,
        lat: Option<u64>,
        t: Option<usize>,
        api: Option<Api>,
    ) -> Option<&Outcome> {
        self.results
            .iter()
            .find(|r| r.n == n && r.latency_ms == lat && r.transport == t && r.api == api)
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The title and what was measured, how.
fn intro(t: &mut String, res: &Results, version: &str, runs: usize) {
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
    if res.has_v3 {
        let _ = write!(
            intro,
            " APIs: **v1** (`/v1/secrets`, a legacy key) under each transport; **v3** \
             (`/v3/organizations/{DEFAULT_ORG}/secrets`, a `cog_` key, lists in pages of 200) \
             under {OURS} only, as {OLD} speaks v1 only."
        );
    }
    let _ = writeln!(intro, " The subjects take turns in each run.\n");
    t.push_str(&intro);
}

/// The headline: plan at the largest N and latency.
fn headline(t: &mut String, res: &Results) {
    let results = res.results;
    let old = res.old;
    let big_n = results.iter().map(|r| r.n).max();
    let big_lat = results.iter().filter_map(|r| r.latency_ms).max();
    if let (Some(n), Some(lat)) = (big_n, big_lat) {
        if let (Some(b), Some(ours)) = (
            res.find(n, None, None, None),
            res.find(n, Some(lat), Some(0), V1),
        ) {
            let base = secs(b.ops[1].median());
            let o = secs(ours.ops[1].median());
            let mut line = format!(
                "**Plan of {n} secrets at {lat} ms API latency:** {OURS} {:.2}× terraform_data",
                o / base
            );
            if let Some(old) = old.and_then(|i| res.find(n, Some(lat), Some(i), V1)) {
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
        if let (Some(b), Some(three)) = (
            res.find(n, None, None, None),
            res.find(n, Some(lat), Some(0), V3),
        ) {
            let base = secs(b.ops[1].median());
            let o = secs(three.ops[1].median());
            let mut line = format!(
                "**Plan of {n} secrets at {lat} ms API latency through API v3:** {OURS} {:.2}× terraform_data",
                o / base
            );
            if let Some(one) = res.find(n, Some(lat), Some(0), V1) {
                let _ = write!(
                    line,
                    ", {:.2}× the time of the same plan through v1",
                    o / secs(one.ops[1].median())
                );
            }
            let _ = write!(line, "; {} list requests (GET)", three.ops[1].counts()[0]);
            if let Some(one) = res.find(n, Some(lat), Some(0), V1) {
                let _ = write!(line, ", v1 {}", one.ops[1].counts()[0]);
            }
            let _ = writeln!(t, "{line}.\n");
        }
    }
}

/// Side by side: one row per op, N and latency, under both transports through API v1.
/// Whether there was anything to show.
fn transports_table(t: &mut String, res: &Results) -> bool {
    let (results, old) = (res.results, res.old);
    let v1_rows: Vec<&Outcome> = results
        .iter()
        .filter(|r| r.transport == Some(0) && r.api == V1)
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
        let Some(b) = res.find(r.n, None, None, None) else {
            continue;
        };
        let lat = r.latency_ms.unwrap_or(0);
        let o = old.and_then(|i| res.find(r.n, r.latency_ms, Some(i), V1));
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
    v1_table
}

/// API v3 beside v1, under the current transport: wall time and list requests.
fn v3_table(t: &mut String, res: &Results, v1_table: bool) {
    let results = res.results;
    if res.has_v3 {
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
        .filter(|r| r.transport == Some(0) && r.api == V3)
    {
        let Some(b) = res.find(r.n, None, None, None) else {
            continue;
        };
        let lat = r.latency_ms.unwrap_or(0);
        let one = res.find(r.n, r.latency_ms, Some(0), V1);
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
}

/// Every subject on its own: spread, requests, memory.
fn each_table(t: &mut String, res: &Results, transports: &[Transport]) {
    let results = res.results;
    let _ = writeln!(t, "\n### Each transport\n");
    let _ = writeln!(t, "| op | N | resources | transport | API | API latency | median wall | min–max | vs terraform_data | vs ideal N×latency/10 | GET | POST | DELETE | provider peak RSS |");
    let _ = writeln!(
        t,
        "|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in results {
        let Some(b) = res.find(r.n, None, None, None) else {
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
}

/// Each transport's release binary (and the one compared): size, linking and start-up.
fn binaries_table(t: &mut String, res: &Results, binaries: &[Binary]) {
    let old = res.old;
    let _ = writeln!(t, "\n### Binaries\n");
    let _ = writeln!(
        t,
        "| binary | size | needs of the host | start-up (exec to handshake, schemas built and TLS key made), median of 20 |"
    );
    let _ = writeln!(t, "|---|---:|---|---:|");
    for b in binaries {
        let _ = writeln!(
            t,
            "| {} | {:.1} MB | {} | {} |",
            b.label,
            b.size as f64 / 1_048_576.0,
            b.linking,
            b.startup.map_or("n/a".into(), |ms| format!("{ms:.1} ms"))
        );
    }
    if old.is_none() {
        let _ = writeln!(
            t,
            "\nThe old transport was not measured (see the bench's output for why)."
        );
    }
}
