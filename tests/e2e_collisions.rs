//! End to end: two secrets that want one key. The plan refuses what it can see (two
//! creates of one key, the key of a secret another resource keeps or destroys), the
//! advice fits the case and names the real secret id, a replacement never collides with
//! itself, and nothing is left behind that Terraform does not know about, on the Devin
//! API v1 and v3.

mod common;

use common::{cases, provider_hcl, squash, start_api};

#[test]
fn two_resources_with_one_key_fail_at_plan() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
resource "devin_secret" "a" {
  key   = "TWICE"
  value = "one"
}
resource "devin_secret" "b" {
  key   = "TWICE"
  value = "two"
}
"#,
            ),
        );
        let run = wd.plan();
        let out = squash(&run.output());
        assert_eq!(run.code, 1, "{t} {v}: the plan fails: {out}");
        assert_eq!(
            out.matches("Two devin_secret resources use the key \"TWICE\"")
                .count(),
            1,
            "{t} {v}: on the second of them: {out}"
        );
        assert!(
            out.contains("creates a secret with the key"),
            "{t} {v}: {out}"
        );
        assert!(!out.contains("import"), "{t} {v}: wrong advice: {out}");
        let run = wd.apply();
        assert_eq!(run.code, 1, "{t} {v}");
        assert!(api.secrets().is_empty(), "{t} {v}: nothing half applied");
        assert_eq!(api.request_counts().post, 0, "{t} {v}");
    }
}

/// Two resources whose one key is known only at apply: the apply plans each create
/// again, with the key known, and refuses the second before its POST; the next plan,
/// with the key known, refuses it on the key the other resource's secret holds. Neither
/// says to import that secret, which would make two resources manage it.
#[test]
fn two_resources_with_one_key_known_only_at_apply_never_say_import() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
resource "devin_secret" "seed" {
  key   = "SEED"
  value = "seed"
}
resource "devin_secret" "a" {
  key   = "LATER${substr(devin_secret.seed.id, 0, 0)}"
  value = "one"
}
resource "devin_secret" "b" {
  key   = "LATER${substr(devin_secret.seed.id, 0, 0)}"
  value = "two"
}
"#,
            ),
        );
        let run = wd.apply();
        let out = squash(&run.output());
        assert_eq!(run.code, 1, "{t} {v}: {out}");
        assert!(
            out.contains("Two devin_secret resources use the key \"LATER\""),
            "{t} {v}: {out}"
        );
        assert!(!out.contains("import"), "{t} {v}: wrong advice: {out}");
        assert_eq!(
            api.request_counts().post,
            2,
            "{t} {v}: the seed and one of them"
        );
        let later: Vec<_> = api
            .secrets()
            .into_iter()
            .filter(|s| s.key == "LATER")
            .collect();
        assert_eq!(later.len(), 1, "{t} {v}");
        assert_eq!(wd.state_list().len(), 2, "{t} {v}: what exists is in state");

        let run = wd.plan();
        let out = squash(&run.output());
        assert_eq!(run.code, 1, "{t} {v}: the next plan fails: {out}");
        assert!(
            out.contains(&format!("Secret {} has the key \"LATER\"", later[0].id)),
            "{t} {v}: {out}"
        );
        assert!(
            out.contains("would make two resources manage one secret"),
            "{t} {v}: {out}"
        );
        assert!(!out.contains("import {"), "{t} {v}: wrong advice: {out}");
        assert!(
            !out.contains("terraform import"),
            "{t} {v}: wrong advice: {out}"
        );
    }
}

/// A resource renamed without a `moved` block plans the destroy of its old address and
/// the create of its key: the plan fails and gives the `moved` block, which then keeps
/// the secret as it is.
#[test]
fn a_renamed_resource_without_a_moved_block_fails_at_plan_and_gets_the_block() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        let config = |name: &str, extra: &str| {
            provider_hcl(&format!(
                r#"
resource "devin_secret" "{name}" {{
  key   = "RENAMED"
  value = "kept"
}}
{extra}"#
            ))
        };
        wd.write("main.tf", &config("old", ""));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();
        wd.write("main.tf", &config("new", ""));
        let run = wd.plan();
        let out = squash(&run.output());
        assert_eq!(run.code, 1, "{t} {v}: the plan fails: {out}");
        assert!(
            out.contains("The key \"RENAMED\" belongs to a devin_secret that this plan destroys"),
            "{t} {v}: {out}"
        );
        assert!(
            out.contains(&format!("Secret {id} has the key")),
            "{t} {v}: {out}"
        );
        assert!(
            out.contains("moved { from = devin_secret.<old name> to = devin_secret.<name> }"),
            "{t} {v}: {out}"
        );
        assert!(
            out.contains(&format!("terraform state list -id={id}")),
            "{t} {v}: {out}"
        );
        assert!(!out.contains("import {"), "{t} {v}: {out}");
        // `terraform state list -id=` gives the old address, as the message says.
        let listed = wd.run(&["state", "list", &format!("-id={id}")]);
        assert_eq!(listed.stdout.trim(), "devin_secret.old", "{t} {v}");

        wd.write(
            "main.tf",
            &config(
                "new",
                "moved {\n  from = devin_secret.old\n  to   = devin_secret.new\n}\n",
            ),
        );
        wd.apply().assert_ok("apply with the moved block");
        assert_eq!(wd.state_list(), ["devin_secret.new"], "{t} {v}");
        let stored = api.secrets();
        assert_eq!(
            (stored.len(), stored[0].id.as_str()),
            (1, id.as_str()),
            "{t} {v}"
        );
        assert_eq!(
            api.request_counts().post,
            1,
            "{t} {v}: nothing created again"
        );
    }
}

/// A replacement plans its create twice, and so do `-replace` and a tainted resource:
/// none of them collides with the secret it replaces.
#[test]
fn replacements_forced_or_tainted_are_no_collision() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        let config = |value: &str| {
            provider_hcl(&format!(
                r#"
resource "devin_secret" "r" {{
  key   = "REPLACED"
  value = "{value}"
}}
"#
            ))
        };
        wd.write("main.tf", &config("first"));
        wd.apply().assert_ok("apply");
        wd.write("main.tf", &config("second"));
        wd.apply().assert_ok("a new value replaces the secret");
        wd.run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-replace=devin_secret.r",
        ])
        .assert_ok("apply -replace");
        wd.run(&["taint", "devin_secret.r"]).assert_ok("taint");
        wd.apply().assert_ok("apply after a taint");
        let stored = api.secrets();
        assert_eq!(stored.len(), 1, "{t} {v}");
        assert_eq!(stored[0].value, "second", "{t} {v}");
        assert_eq!(api.request_counts().post, 4, "{t} {v}: one create each");
        assert_eq!(api.request_counts().delete, 3, "{t} {v}: one delete each");
    }
}

#[test]
fn create_before_destroy_on_the_same_key_is_explained_and_keeps_the_old_secret() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        let config = |value: &str| {
            provider_hcl(&format!(
                r#"
resource "devin_secret" "rotated" {{
  key   = "ROTATED"
  value = "{value}"
  lifecycle {{
    create_before_destroy = true
  }}
}}
"#
            ))
        };
        wd.write("main.tf", &config("first"));
        wd.apply().assert_ok("apply");
        let old = api.secrets()[0].id.clone();
        wd.write("main.tf", &config("second"));
        let run = wd.apply();
        let out = squash(&run.output());
        assert_eq!(run.code, 1, "{t} {v}: {out}");
        assert!(
            out.contains("A secret named \"ROTATED\" already exists in Devin"),
            "{t} {v}: {out}"
        );
        assert!(out.contains("create_before_destroy"), "{t} {v}: {out}");
        assert!(
            out.contains(&format!("The existing secret has id {old}")),
            "{t} {v}: {out}"
        );
        let stored = api.secrets();
        assert_eq!(stored.len(), 1, "{t} {v}: no second secret");
        assert_eq!(stored[0].id, old, "{t} {v}: the old secret is kept");
        assert_eq!(
            api.request_counts().post,
            1,
            "{t} {v}: refused before any POST"
        );
        // The old secret is still what Terraform manages.
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(values["id"], old.as_str(), "{t} {v}");
    }
}
