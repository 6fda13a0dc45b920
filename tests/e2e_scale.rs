//! End to end: a refresh of many secrets shares one list (one call on v1, one walk of
//! pages of 200 on v3), and their creates take at most one list each for `created_at` on
//! v1, and none on v3, whose create answers it. A thousand under `terraform`; under the
//! other CLIs, which drive the same provider code, 250 (still two v3 pages), which keeps
//! the suite's time down.

mod common;

use common::{cases, provider_hcl, Api};

/// How many secrets under `terraform`, and under the other CLIs.
const MANY: usize = 1000;
const FEWER: usize = 250;
/// The largest page the provider asks v3 for.
const PAGE: usize = 200;

#[test]
fn a_thousand_secrets_share_their_lists() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let n = if t == "terraform" { MANY } else { FEWER };
        let (standin, wd) = common::start_api(&tool, api);
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"
provider "devin" {{}}
resource "devin_secret" "s" {{
  count = {n}
  key   = "SCALE_${{count.index}}"
  value = "value-${{count.index}}"
}}
"#
            )),
        );
        let started = std::time::Instant::now();
        wd.apply().assert_ok("apply");
        let counts = standin.request_counts();
        let requests = standin.requests();
        let first_post = requests
            .iter()
            .position(|r| r.method == "POST")
            .expect("a POST");
        let lists_before = requests[..first_post]
            .iter()
            .filter(|r| r.method == "GET")
            .count();
        let lists_after = requests[first_post..]
            .iter()
            .filter(|r| r.method == "GET")
            .count();
        eprintln!(
            "{t} {v}: apply of {n} secrets made {} GET ({lists_before} before the first \
             POST, {lists_after} after) in {:?}",
            counts.get,
            started.elapsed()
        );
        assert_eq!(counts.post as usize, n, "{t} {v}: one POST per secret");
        match api {
            // The lists taken at configure (one for the plan, one for the apply), and
            // after them at most one per create for its created_at. How many the creates
            // share depends on timing (a fraction of one per create on a quiet machine,
            // about one in two on a loaded one), so that count is a figure of
            // `make bench`, not an assertion.
            Api::V1 => {
                assert!(lists_before <= 2, "{t} {v}: {counts:?}");
                assert!(
                    lists_after <= n,
                    "{t} {v}: at most one list per create: {counts:?}"
                );
            }
            // The create answers created_at: the lists taken at configure (one for the
            // plan, one for the apply, each a single page of an empty organization) and
            // none after.
            Api::V3 => {
                assert_eq!(lists_after, 0, "{t} {v}: no list after the first POST");
                assert!(lists_before <= 2, "{t} {v}: {counts:?}");
            }
        }
        assert_eq!(standin.secrets().len(), n, "{t} {v}");

        standin.reset_counts();
        let before = standin.requests().len();
        let started = std::time::Instant::now();
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{t} {v}: {}", plan.output());
        let counts = standin.request_counts();
        eprintln!(
            "{t} {v}: plan of {n} secrets made {} GET in {:?}",
            counts.get,
            started.elapsed()
        );
        assert_eq!((counts.post, counts.delete), (0, 0), "{t} {v}");
        match api {
            Api::V1 => assert!(counts.get <= 2, "{t} {v}: {counts:?}"),
            Api::V3 => {
                // One walk of the pages, shared by the 1,000 reads: nothing per resource.
                let pages = n.div_ceil(PAGE);
                assert_eq!(
                    counts.get as usize, pages,
                    "{t} {v}: one GET per page of {PAGE}"
                );
                let paths: Vec<String> = standin.requests()[before..]
                    .iter()
                    .map(|r| r.path.clone())
                    .collect();
                let first = format!("{}?first={PAGE}", api.secrets_path());
                assert_eq!(paths[0], first, "{t} {v}");
                assert!(
                    paths[1..]
                        .iter()
                        .all(|p| p.starts_with(&format!("{first}&after="))),
                    "{t} {v}: every later page follows a cursor: {paths:?}"
                );
            }
        }

        // Drift from outside is still seen by the next command.
        let gone = standin.secrets()[n / 2].id.clone();
        standin.remove_secret(&gone);
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{t} {v}");
        assert!(
            plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
            "{t} {v}: {}",
            plan.stdout
        );

        standin.reset_counts();
        let started = std::time::Instant::now();
        wd.destroy().assert_ok("destroy");
        eprintln!(
            "{t} {v}: destroy of {} secrets in {:?}",
            n - 1,
            started.elapsed()
        );
        let counts = standin.request_counts();
        assert_eq!(counts.delete as usize, n - 1, "{t} {v}: {counts:?}");
        assert!(standin.secrets().is_empty(), "{t} {v}");
    }
}
