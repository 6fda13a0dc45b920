//! End to end: a refresh of many secrets shares one list call.

mod common;

use common::{provider_hcl, tools};

const N: usize = 1000;

#[test]
fn a_plan_of_a_thousand_secrets_lists_at_most_twice() {
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
        wd.apply().assert_ok("apply");
        let counts = api.request_counts();
        assert_eq!(
            counts.post as usize, N,
            "{}: one POST per secret",
            tool.name
        );
        assert!(
            counts.get <= 2,
            "{}: the creates shared their list: {counts:?}",
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
