//! End to end: states written by an older layout of the `devin_secret` schema, under
//! terraform and tofu. A state that lacks an attribute the schema gained, or holds one
//! the schema dropped, must never plan replacing the secret.

mod common;

use common::{provider_hcl, start, tools};

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
    for tool in tools() {
        let (api, wd) = start(&tool);
        wd.write("main.tf", &provider_hcl(CONFIG));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();
        wd.edit_state(|state| {
            rewrite_attributes(state, &["type", "sensitive"], "retired_attribute")
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
        assert_eq!(quick.code, 2, "{}: {out}", tool.name);
        assert!(out.contains("updated in-place"), "{}: {out}", tool.name);
        assert!(!out.contains("must be replaced"), "{}: {out}", tool.name);
        assert!(out.contains("0 to add"), "{}: {out}", tool.name);

        let plan = wd.plan();
        assert_eq!(
            plan.code,
            0,
            "{}: the refresh fills what the state lacks, leaving nothing to do: {}",
            tool.name,
            plan.output()
        );

        wd.apply().assert_ok("apply over the old layout");
        let counts = api.request_counts();
        assert_eq!((counts.post, counts.delete), (0, 0), "{}", tool.name);
        let stored = api.secrets();
        assert_eq!(stored.len(), 1, "{}", tool.name);
        assert_eq!(stored[0].id, id, "{}: the secret was kept", tool.name);
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(values["type"], "key-value", "{}", tool.name);
        assert_eq!(values["sensitive"], true, "{}", tool.name);
        assert_eq!(values["id"], id.as_str(), "{}", tool.name);
        assert!(values.get("retired_attribute").is_none(), "{}", tool.name);
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
    for tool in tools() {
        let (api, wd) = start(&tool);
        wd.write("main.tf", &provider_hcl(CONFIG));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();
        // Version 0 had neither `type` nor `sensitive`.
        wd.edit_state(|state| {
            rewrite_attributes(state, &["type", "sensitive"], "retired_attribute");
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
                "{} plan {refresh}: the upgrade alone settles the state: {}",
                tool.name,
                plan.output()
            );
        }
        wd.apply().assert_ok("apply over a version 0 state");
        let counts = api.request_counts();
        assert_eq!((counts.post, counts.delete), (0, 0), "{}", tool.name);
        assert_eq!(
            api.secrets()[0].id,
            id,
            "{}: the secret was kept",
            tool.name
        );
        let raw = std::fs::read_to_string(wd.path().join("terraform.tfstate")).unwrap();
        let raw: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let instance = &raw["resources"][0]["instances"][0];
        assert_eq!(instance["schema_version"], 1, "{}", tool.name);
        assert_eq!(instance["attributes"]["type"], "key-value", "{}", tool.name);
        assert_eq!(instance["attributes"]["sensitive"], true, "{}", tool.name);

        // A state from a newer provider is refused with what to do (by the CLI itself, or
        // by the provider where a CLI leaves it to it), and kept.
        wd.edit_state(|state| set_schema_version(state, 7));
        let plan = wd.plan();
        let out = common::squash(&plan.output());
        assert_eq!(plan.code, 1, "{}: {out}", tool.name);
        assert!(out.contains("newer"), "{}: {out}", tool.name);
        assert!(out.contains("Upgrade the"), "{}: {out}", tool.name);
        assert_eq!(api.secrets().len(), 1, "{}", tool.name);
    }
}
