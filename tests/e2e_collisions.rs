//! End to end: two secrets that want one key. The advice fits the case, names the real
//! secret id, and nothing is left behind that Terraform does not know about.

mod common;

use common::{provider_hcl, squash, start, tools};

#[test]
fn two_resources_with_one_key_are_told_apart_from_an_existing_secret() {
    for tool in tools() {
        let (api, wd) = start(&tool);
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
        assert_eq!(run.code, 1, "{}: {out}", tool.name);
        let stored = api.secrets();
        assert_eq!(stored.len(), 1, "{}: one of them was created", tool.name);
        assert!(
            out.contains("Two devin_secret resources use the key \"TWICE\""),
            "{}: {out}",
            tool.name
        );
        assert!(
            out.contains(&format!("created secret {} with the key", stored[0].id)),
            "{}: the real id: {out}",
            tool.name
        );
        assert!(!out.contains("<secret id>"), "{}: {out}", tool.name);
        assert!(
            !out.contains("terraform import"),
            "{}: wrong advice: {out}",
            tool.name
        );
        assert_eq!(
            wd.state_list().len(),
            1,
            "{}: what exists is in state",
            tool.name
        );
    }
}

#[test]
fn create_before_destroy_on_the_same_key_is_explained_and_keeps_the_old_secret() {
    for tool in tools() {
        let (api, wd) = start(&tool);
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
        assert_eq!(run.code, 1, "{}: {out}", tool.name);
        assert!(
            out.contains("create_before_destroy"),
            "{}: {out}",
            tool.name
        );
        assert!(
            out.contains(&format!("The existing secret has id {old}")),
            "{}: {out}",
            tool.name
        );
        let stored = api.secrets();
        assert_eq!(stored.len(), 1, "{}: no second secret", tool.name);
        assert_eq!(stored[0].id, old, "{}: the old secret is kept", tool.name);
        assert_eq!(
            api.request_counts().post,
            1,
            "{}: refused before any POST",
            tool.name
        );
        // The old secret is still what Terraform manages.
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(values["id"], old.as_str(), "{}", tool.name);
    }
}
