//! End to end: throttling, server errors and lost answers are retried within their
//! bounds, say what they did when they give up, and never leave a duplicate or an orphan
//! behind a create, on the Devin API v1 and v3 under every CLI.

mod common;

use common::faults::{assert_all, fault, one_secret, rule};
use common::{cases, provider_hcl, Workdir};
use devin_api_standin::{Budget, Fault};

/// The ids in the state's `devin_secret` instances, sorted.
fn state_ids(wd: &Workdir) -> Vec<String> {
    let state = wd.state_json();
    let mut ids: Vec<String> = state["values"]["root_module"]["resources"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|r| r["type"] == "devin_secret")
        .map(|r| r["values"]["id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn throttling_and_server_errors_report_attempts_and_last_answer() {
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {\n  max_retries = 2\n}", "v-429"),
        );
        standin.push_fault(fault(
            api,
            429,
            Some("0"),
            Some(r#"{"detail":"Rate limit exceeded"}"#),
            "GET",
            Budget::Always,
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            &what,
            &[
                "the Devin API failed 3 times",
                "throttling requests (HTTP 429)",
                "Gave up after 3 attempts",
                "Last answer: HTTP 429: Rate limit exceeded",
                "`max_retries`",
            ],
        );
        assert_eq!(
            standin.request_counts().get,
            3,
            "{what}: 1 attempt + 2 retries"
        );
        standin.clear_faults();

        standin.push_fault(fault(
            api,
            503,
            None,
            Some("<html>Service Unavailable</html>"),
            "GET",
            Budget::Always,
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            &what,
            &[
                "The API is failing (HTTP 5xx)",
                "Last answer: HTTP 503: <html>Service Unavailable</html>",
            ],
        );
        standin.clear_faults();
        wd.apply().assert_ok("apply once the API recovers");
        assert_eq!(standin.secrets().len(), 1, "{what}");
    }
}

#[test]
fn transient_failures_are_retried_until_the_apply_and_destroy_succeed() {
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "v-retried"));
        // The list at configure: throttled, then failing; the create: throttled (never
        // applied, retried blindly), then a 502 (settled through the list, then retried).
        standin.push_fault(fault(
            api,
            429,
            Some("0"),
            None,
            "GET",
            Budget::Next { count: 1 },
        ));
        standin.push_fault(fault(
            api,
            503,
            None,
            None,
            "GET",
            Budget::Next { count: 1 },
        ));
        standin.push_fault(fault(
            api,
            429,
            Some("0"),
            None,
            "POST",
            Budget::Next { count: 1 },
        ));
        standin.push_fault(fault(
            api,
            502,
            None,
            None,
            "POST",
            Budget::Next { count: 1 },
        ));
        wd.apply().assert_ok("apply through transient failures");
        let stored = standin.secrets();
        assert_eq!(stored.len(), 1, "{what}: one secret, no duplicate");
        assert_eq!(state_ids(&wd), [stored[0].id.clone()], "{what}: in state");
        let counts = standin.request_counts();
        assert_eq!(
            counts.post, 3,
            "{what}: 429, 502, then the create: {counts:?}"
        );
        let statuses: Vec<u16> = standin
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .map(|r| r.status)
            .collect();
        assert_eq!(statuses, [429, 502, 200], "{what}");
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{what}: settled: {}", plan.output());

        standin.push_fault(fault(
            api,
            503,
            Some("0"),
            None,
            "DELETE",
            Budget::Next { count: 2 },
        ));
        standin.reset_counts();
        wd.destroy().assert_ok("destroy through transient failures");
        assert_eq!(standin.request_counts().delete, 3, "{what}");
        assert!(standin.secrets().is_empty(), "{what}");
        assert!(wd.state_list().is_empty(), "{what}");
    }
}

#[test]
fn an_ambiguous_create_leaves_no_duplicate_and_no_orphan() {
    // Each fault hits one POST: the first two apply the create and lose the answer, the
    // other three never apply it. The provider must adopt the first kind (from the list)
    // and retry the second, never the other way round.
    let faults = [
        Fault::DropAfter,
        Fault::MalformedAfter,
        Fault::DropBefore,
        Fault::MalformedBefore { status: 502 },
        Fault::Status {
            status: 500,
            retry_after: None,
            body: None,
        },
    ];
    let n = faults.len();
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"
provider "devin" {{}}
resource "devin_secret" "s" {{
  count = {n}
  key   = "AMBIGUOUS_${{count.index}}"
  value = "ambiguous-value-${{count.index}}"
}}
"#
            )),
        );
        for f in &faults {
            standin.push_fault(rule(api, f.clone(), "POST", Budget::Next { count: 1 }));
        }
        wd.apply().assert_ok("apply through ambiguous creates");
        let stored = standin.secrets();
        let mut keys: Vec<&str> = stored.iter().map(|s| s.key.as_str()).collect();
        keys.sort();
        let expected: Vec<String> = (0..n).map(|i| format!("AMBIGUOUS_{i}")).collect();
        assert_eq!(keys, expected, "{what}: each secret exactly once");
        for s in &stored {
            assert_eq!(
                s.value,
                format!("ambiguous-value-{}", &s.key["AMBIGUOUS_".len()..]),
                "{what}"
            );
        }
        let mut ids: Vec<String> = stored.iter().map(|s| s.id.clone()).collect();
        ids.sort();
        assert_eq!(
            state_ids(&wd),
            ids,
            "{what}: every secret in state, no orphan"
        );
        let posts: Vec<u16> = standin
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .map(|r| r.status)
            .collect();
        // n creates, and one retry for each fault that did not apply its create.
        assert_eq!(posts.len(), n + 3, "{what}: POST statuses {posts:?}");
        let count = |status| posts.iter().filter(|s| **s == status).count();
        assert_eq!(
            (count(0), count(500), count(502)),
            (2, 1, 1),
            "{what}: every fault fired: {posts:?}"
        );
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{what}: settled: {}", plan.output());
        wd.destroy().assert_ok("destroy");
        assert!(standin.secrets().is_empty(), "{what}");
    }
}
