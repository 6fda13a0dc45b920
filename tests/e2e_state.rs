//! End to end: states written by an older layout of the `devin_secret` schema, under
//! terraform and tofu. A state that lacks an attribute the schema gained, or holds one
//! the schema dropped, must never plan replacing the secret, on the Devin API v1 and v3;
//! one recorded before the provider watched `updated_at` starts watching at its next read.

mod common;

use common::{cases, provider_hcl, start_api, Api};
use devin_api_standin::SecretEdit;

/// The schema version of `devin_secret` this provider writes.
const SCHEMA_VERSION: u64 = 3;

const CONFIG: &str = r#"
provider "devin" {}
resource "devin_secret" "old" {
  key   = "OLD_LAYOUT"
  value = "kept-value"
}
"#;

/// Removes `names` from the stored attributes of every instance, as a state written
/// before those attributes existed would be, and adds `retired`, as a state written
/// while the schema still had it would hold it.
fn rewrite_attributes(state: &mut serde_json::Value, names: &[&str], retired: &str) {
    for resource in state["resources"].as_array_mut().expect("resources") {
        for instance in resource["instances"].as_array_mut().expect("instances") {
            let attributes = instance["attributes"].as_object_mut().expect("attributes");
            for name in names {
                assert!(attributes.remove(*name).is_some(), "{name} was in state");
            }
            attributes.insert(retired.to_string(), serde_json::json!("legacy"));
        }
    }
}

#[test]
fn an_older_state_layout_keeps_its_secret() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        wd.write("main.tf", &provider_hcl(CONFIG));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();
        wd.edit_state(|state| {
            rewrite_attributes(
                state,
                &["type", "sensitive", "org_id", "updated_at", "updated_by"],
                "retired_attribute",
            )
        });
        api.reset_counts();

        let quick = wd.run(&[
            "plan",
            "-refresh=false",
            "-input=false",
            "-no-color",
            "-detailed-exitcode",
        ]);
        let out = quick.output();
        // Without a refresh the provider sees the stored state as it is: filling it
        // is an in-place update of Terraform's state, never a replacement.
        assert_eq!(quick.code, 2, "{t} {v}: {out}");
        assert!(out.contains("updated in-place"), "{t} {v}: {out}");
        assert!(!out.contains("must be replaced"), "{t} {v}: {out}");
        assert!(out.contains("0 to add"), "{t} {v}: {out}");

        let plan = wd.plan();
        assert_eq!(
            plan.code,
            0,
            "{t} {v}: the refresh fills what the state lacks, leaving nothing to do: {}",
            plan.output()
        );

        wd.apply().assert_ok("apply over the old layout");
        let counts = api.request_counts();
        assert_eq!((counts.post, counts.delete), (0, 0), "{t} {v}");
        let stored = api.secrets();
        assert_eq!(stored.len(), 1, "{t} {v}");
        assert_eq!(stored[0].id, id, "{t} {v}: the secret was kept");
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(values["type"], "key-value", "{t} {v}");
        assert_eq!(values["sensitive"], true, "{t} {v}");
        assert_eq!(values["id"], id.as_str(), "{t} {v}");
        assert!(values.get("retired_attribute").is_none(), "{t} {v}");
        // A state without `org_id` keeps it null (the provider's organization), as
        // reads keep the identity they were given.
        assert!(values["org_id"].is_null(), "{t} {v}");
    }
}

/// Sets the schema version every instance was recorded at.
fn set_schema_version(state: &mut serde_json::Value, version: i64) {
    for resource in state["resources"].as_array_mut().expect("resources") {
        for instance in resource["instances"].as_array_mut().expect("instances") {
            instance["schema_version"] = serde_json::json!(version);
        }
    }
}

#[test]
fn a_state_recorded_at_schema_version_0_is_upgraded_without_replacement() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        wd.write("main.tf", &provider_hcl(CONFIG));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();
        // Version 0 had neither `type` nor `sensitive` (nor version 2's `org_id`, nor
        // version 3's `updated_at` and `updated_by`).
        wd.edit_state(|state| {
            rewrite_attributes(
                state,
                &["type", "sensitive", "org_id", "updated_at", "updated_by"],
                "retired_attribute",
            );
            set_schema_version(state, 0);
        });
        api.reset_counts();

        for refresh in ["-refresh=false", "-refresh=true"] {
            let plan = wd.run(&[
                "plan",
                refresh,
                "-input=false",
                "-no-color",
                "-detailed-exitcode",
            ]);
            assert_eq!(
                plan.code,
                0,
                "{t} {v} plan {refresh}: the upgrade alone settles the state: {}",
                plan.output()
            );
        }
        wd.apply().assert_ok("apply over a version 0 state");
        let counts = api.request_counts();
        assert_eq!((counts.post, counts.delete), (0, 0), "{t} {v}");
        assert_eq!(api.secrets()[0].id, id, "{t} {v}: the secret was kept",);
        let raw = std::fs::read_to_string(wd.path().join("terraform.tfstate")).unwrap();
        let raw: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let instance = &raw["resources"][0]["instances"][0];
        assert_eq!(instance["schema_version"], SCHEMA_VERSION, "{t} {v}");
        assert_eq!(instance["attributes"]["type"], "key-value", "{t} {v}");
        assert_eq!(instance["attributes"]["sensitive"], true, "{t} {v}");
        assert!(instance["attributes"]["org_id"].is_null(), "{t} {v}");

        // A state from a newer provider is refused with what to do (by the CLI itself, or
        // by the provider where a CLI leaves it to it), and kept.
        wd.edit_state(|state| set_schema_version(state, 7));
        let plan = wd.plan();
        let out = common::squash(&plan.output());
        assert_eq!(plan.code, 1, "{t} {v}: {out}");
        assert!(out.contains("newer"), "{t} {v}: {out}");
        assert!(out.contains("Upgrade the"), "{t} {v}: {out}");
        assert_eq!(api.secrets().len(), 1, "{t} {v}");
    }
}

#[test]
fn a_secret_recorded_by_an_earlier_release_sees_changes_made_in_devin_after_its_next_read() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        wd.write("main.tf", &provider_hcl(CONFIG));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();
        // What schema version 2 left: no `updated_at`, `updated_by`, nor private state.
        wd.edit_state(|state| {
            rewrite_attributes(state, &["updated_at", "updated_by"], "retired_attribute");
            set_schema_version(state, 2);
            for resource in state["resources"].as_array_mut().expect("resources") {
                for instance in resource["instances"].as_array_mut().expect("instances") {
                    instance
                        .as_object_mut()
                        .expect("instance")
                        .remove("private");
                }
            }
        });
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{t} {v}: {}", plan.output());
        wd.apply()
            .assert_ok("apply: the read records what Devin reports");

        let edit = SecretEdit {
            value: Some("changed-in-devin".into()),
            updated_by: "ann".into(),
            ..SecretEdit::default()
        };
        assert!(api.edit_secret(&id, &edit), "{t} {v}");
        let plan = wd.plan();
        let out = common::squash(&plan.output());
        match version {
            Api::V1 => assert_eq!(plan.code, 0, "{t} {v}: v1 cannot see it: {out}"),
            Api::V3 => {
                assert_eq!(plan.code, 2, "{t} {v}: {out}");
                assert!(
                    out.contains("was changed in Devin by ann"),
                    "{t} {v}: {out}"
                );
            }
        }
        assert!(
            !out.contains("changed-in-devin"),
            "{t} {v}: a value printed"
        );
    }
}
