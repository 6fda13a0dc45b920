//! End to end under faults: 50 secrets applied and destroyed while 30% of requests fail
//! in every way the stand-in can fail them. No duplicate, no orphan, on the Devin API v1
//! and v3.

mod common;

use std::collections::BTreeMap;

use common::{cases, provider_hcl, Api, Run};
use devin_api_standin::{Budget, Fault, FaultRule};

const N: usize = 50;
/// Terraform-reported failures tolerated before the test gives up.
const MAX_RERUNS: usize = 5;

/// Runs `step` until it succeeds; returns how many runs failed first.
fn until_ok(what: &str, tool: &str, mut step: impl FnMut() -> Run) -> usize {
    for failures in 0..=MAX_RERUNS {
        let run = step();
        if run.code == 0 {
            return failures;
        }
        eprintln!(
            "{tool}: {what} failed (run {}), re-running:\n{}",
            failures + 1,
            run.output()
        );
    }
    panic!("{tool}: {what} still failing after {MAX_RERUNS} re-runs");
}

#[test]
fn fifty_secrets_under_thirty_percent_faults() {
    for (i, (tool, version)) in cases().into_iter().enumerate() {
        let who = format!("{} {}", tool.name, version.name());
        let (api, wd) = common::start_api(&tool, version);
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"
provider "devin" {{
  request_timeout = "5s"
}}
resource "devin_secret" "s" {{
  count = {N}
  key   = "SOAK_${{count.index}}"
  value = "soak-value-${{count.index}}"
}}
"#
            )),
        );
        api.push_fault(FaultRule {
            fault: Fault::Mixed,
            method: None,
            path_prefix: Some(version.secrets_path()),
            budget: Budget::Random {
                probability: 0.3,
                // v1 keeps the seeds it had before v3 (one per CLI); v3 gets its own.
                seed: 20261122 + (i / 2) as u64 + u64::from(version == Api::V3) * 1000,
            },
        });

        let apply_reruns = until_ok("apply", &who, || wd.apply());
        let stored = api.secrets();
        let mut by_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for s in &stored {
            by_key
                .entry(s.key.as_str())
                .or_default()
                .push(s.value.as_str());
        }
        assert_eq!(
            stored.len(),
            N,
            "{who}: exactly {N} secrets, no duplicate, no orphan: {by_key:?}",
        );
        for k in 0..N {
            assert_eq!(
                by_key.get(format!("SOAK_{k}").as_str()).map(Vec::as_slice),
                Some([format!("soak-value-{k}").as_str()].as_slice()),
                "{who}: SOAK_{k}",
            );
        }
        assert_eq!(wd.state_list().len(), N, "{who}: every secret is in state",);

        let destroy_reruns = until_ok("destroy", &who, || wd.destroy());
        assert!(
            api.secrets().is_empty(),
            "{who}: destroy left {:?}",
            api.secrets()
        );
        assert!(wd.state_list().is_empty(), "{who}");
        let faulted = api
            .requests()
            .iter()
            .filter(|r| r.status == 0 || r.status >= 500 || r.status == 429)
            .count();
        eprintln!(
            "{who}: {} requests, {faulted} visibly faulted (plus delays and malformed bodies); \
             re-runs after a Terraform-reported failure: apply {apply_reruns}, destroy {destroy_reruns}",
            api.requests().len()
        );
    }
}
