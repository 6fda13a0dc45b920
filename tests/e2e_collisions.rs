//! End to end: two secrets that want one key. The advice fits the case, names the real
//! secret id, and nothing is left behind that Terraform does not know about, on the Devin
//! API v1 and v3.

mod common;

use common::{cases, provider_hcl, squash, start_api};

#[test]
fn two_resources_with_one_key_are_told_apart_from_an_existing_secret() {
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
        let run = wd.apply();
        let out = squash(&run.output());
        assert_eq!(run.code, 1, "{t} {v}: {out}");
        let stored = api.secrets();
        assert_eq!(stored.len(), 1, "{t} {v}: one of them was created");
        assert!(
            out.contains("Two devin_secret resources use the key \"TWICE\""),
            "{t} {v}: {out}"
        );
        assert!(
            out.contains(&format!("created secret {} with the key", stored[0].id)),
            "{t} {v}: the real id: {out}"
        );
        assert!(!out.contains("<secret id>"), "{t} {v}: {out}");
        assert!(
            !out.contains("terraform import"),
            "{t} {v}: wrong advice: {out}"
        );
        assert_eq!(wd.state_list().len(), 1, "{t} {v}: what exists is in state");
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
