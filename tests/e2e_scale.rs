//! End to end: a refresh of many secrets shares one list call, and their creates share
//! the lists that give them `created_at`.

mod common;

use common::{provider_hcl, tools};

const N: usize = 1000;

#[test]
fn a_thousand_secrets_share_their_lists() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"
provider "devin" {{}}
resource "devin_secret" "s" {{
  count = {N}
  key   = "SCALE_${{count.index}}"
  value = "value-${{count.index}}"
}}
"#
            )),
        );
        let started = std::time::Instant::now();
        wd.apply().assert_ok("apply");
        let counts = api.request_counts();
        eprintln!(
            "{}: apply of {N} secrets made {} GET in {:?}",
            tool.name,
            counts.get,
            started.elapsed()
        );
        assert_eq!(
            counts.post as usize, N,
            "{}: one POST per secret",
            tool.name
        );
        // One list before the creates, and after them the lists that give each its
        // created_at, shared by each wave of Terraform's parallel creates: a fraction of
        // one per create.
        assert!(
            counts.get as usize <= N / 3,
            "{}: the creates shared their lists: {counts:?}",
            tool.name
        );
        assert_eq!(api.secrets().len(), N);

        api.reset_counts();
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{}: {}", tool.name, plan.output());
        let counts = api.request_counts();
        eprintln!("{}: plan of {N} secrets made {} GET", tool.name, counts.get);
        assert!(counts.get <= 2, "{}: {counts:?}", tool.name);
        assert_eq!((counts.post, counts.delete), (0, 0));

        // Drift from outside is still seen by the next command.
        let gone = api.secrets()[N / 2].id.clone();
        api.remove_secret(&gone);
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{}", tool.name);
        assert!(
            plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
            "{}: {}",
            tool.name,
            plan.stdout
        );

        api.reset_counts();
        wd.destroy().assert_ok("destroy");
        let counts = api.request_counts();
        assert_eq!(counts.delete as usize, N - 1, "{}: {counts:?}", tool.name);
        assert!(api.secrets().is_empty());
    }
}
