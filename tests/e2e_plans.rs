//! End to end: plans that settle and arguments that cannot silently go wrong, under every
//! CLI and on the Devin API v1 and v3: a null required argument, `created_at` used
//! elsewhere, an unset note against "", an unset `sensitive` or `type` against what Devin
//! reports.

mod common;

use common::{cases, provider_hcl, squash, start_api, Api};

const NULL_VARIABLES: &str = r#"
variable "token" {
  type      = string
  sensitive = true
  default   = null
}
variable "name" {
  type    = string
  default = null
}
"#;

#[test]
fn a_null_value_or_key_is_an_error_at_plan_and_nothing_is_sent() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        for (config, attribute) in [
            (
                r#"resource "devin_secret" "s" {
  key   = "FROM_VARIABLE"
  value = var.token
}"#,
                "value",
            ),
            (
                r#"resource "devin_secret" "s" {
  key   = var.name
  value = "plain"
}"#,
                "key",
            ),
            (
                r#"resource "devin_secret" "s" {
  key   = "LITERAL_NULL"
  value = null
}"#,
                "value",
            ),
        ] {
            wd.write(
                "main.tf",
                &provider_hcl(&format!("{NULL_VARIABLES}\n{config}")),
            );
            for run in [wd.plan(), wd.apply()] {
                let out = squash(&run.output());
                assert_eq!(run.code, 1, "{t} {v}: {out}");
                assert!(
                    out.contains(&format!("`{attribute}` is null")),
                    "{t} {v}: {out}"
                );
                // Terraform shows the line of the attribute the error is on.
                assert!(
                    out.contains(&format!("{attribute} =")),
                    "{t} {v}: the error points at `{attribute}`: {out}"
                );
            }
        }
        assert_eq!(api.request_counts().post, 0, "{t} {v}: nothing was sent");
        assert!(api.secrets().is_empty(), "{t} {v}");
        assert!(wd.state_list().is_empty(), "{t} {v}");
    }
}

#[test]
fn a_secret_created_with_a_null_value_by_an_older_release_is_replaced_once_the_value_is_set() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
resource "devin_secret" "s" {
  key   = "WAS_EMPTY"
  value = "now-set"
}
"#,
            ),
        );
        wd.apply().assert_ok("apply");
        // What an older release left behind for `value = var.token` with a null token: a
        // created secret (its defaults recorded) whose value is null in state.
        wd.edit_state(|state| {
            state["resources"][0]["instances"][0]["attributes"]["value"] = serde_json::Value::Null;
        });
        let plan = wd.plan();
        let out = squash(&plan.output());
        assert_eq!(plan.code, 2, "{t} {v}: {out}");
        assert!(out.contains("must be replaced"), "{t} {v}: {out}");
        assert!(
            !out.contains("recorded, not checked"),
            "{t} {v}: the warning is for imported secrets only: {out}"
        );
        wd.apply().assert_ok("apply the replacement");
        assert_eq!(api.secrets()[0].value, "now-set", "{t} {v}");
    }
}

#[test]
fn plans_settle_when_created_at_is_used() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
resource "devin_secret" "first" {
  count = 12
  key   = "FIRST_${count.index}"
  value = "v"
}
resource "devin_secret" "second" {
  key   = "SECOND"
  value = "v"
  note  = "after ${devin_secret.first[0].created_at}"
}
output "created" {
  value = devin_secret.first[0].created_at
}
"#,
            ),
        );
        wd.apply().assert_ok("apply");
        let counts = api.request_counts();
        eprintln!(
            "{t} {v}: apply of 13 secrets: {} GET, {} POST",
            counts.get, counts.post
        );
        // One list before the creates, and on v1 lists after them shared by the creates
        // that finish together: far fewer than one per create. v3's create answers
        // created_at: no list after the creates at all.
        assert!(counts.get < 13, "{t} {v}: {} lists", counts.get);
        let requests = api.requests();
        let first_post = requests.iter().position(|r| r.method == "POST").unwrap();
        let lists_after = requests[first_post..]
            .iter()
            .filter(|r| r.method == "GET")
            .count();
        if version == Api::V3 {
            assert_eq!(lists_after, 0, "{t} {v}: lists after the first create");
        }
        let created = wd.run(&["output", "-raw", "created"]).stdout;
        let stored = api
            .secrets()
            .into_iter()
            .find(|s| s.key == "FIRST_0")
            .unwrap();
        assert_eq!(created, version.created_at(&stored.created_at), "{t} {v}");

        let plan = wd.plan();
        assert_eq!(
            plan.code,
            0,
            "{t} {v}: the plan right after apply is empty: {}",
            plan.output()
        );
        wd.apply().assert_ok("second apply");
        assert_eq!(api.request_counts().post, 13, "{t} {v}: nothing replaced");
    }
}

#[test]
fn an_unset_note_and_an_empty_note_are_the_same() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        let with_note = |note: &str| {
            provider_hcl(&format!(
                "resource \"devin_secret\" \"s\" {{\n  key   = \"NOTED\"\n  value = \"v\"\n{note}}}\n"
            ))
        };
        wd.write("main.tf", &with_note(""));
        wd.apply().assert_ok("apply without a note");
        for note in ["  note = \"\"\n", "", "  note = null\n"] {
            wd.write("main.tf", &with_note(note));
            let plan = wd.plan();
            assert_eq!(plan.code, 0, "{t} {v} with {note:?}: {}", plan.output());
        }
        // A real note still replaces, and removing it again clears it.
        wd.write("main.tf", &with_note("  note = \"kept\"\n"));
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{t} {v}");
        assert!(
            squash(&plan.output()).contains("must be replaced"),
            "{t} {v}"
        );
        wd.apply().assert_ok("apply a note");
        assert_eq!(api.secrets()[0].note, "kept", "{t} {v}");
        wd.write("main.tf", &with_note(""));
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{t} {v}: removing a note clears it");
        wd.apply().assert_ok("remove the note");
        assert_eq!(api.secrets()[0].note, "", "{t} {v}");
        assert_eq!(wd.plan().code, 0, "{t} {v}");
    }
}

/// One secret named `key` whose `sensitive` and `type` are left at their defaults.
fn defaults(key: &str) -> String {
    provider_hcl(&format!(
        "resource \"devin_secret\" \"s\" {{\n  key   = \"{key}\"\n  value = \"defaulted-value\"\n}}\n"
    ))
}

#[test]
fn an_unset_sensitive_or_type_plans_its_default_not_what_devin_reports() {
    for (tool, version) in cases() {
        let (t, v) = (tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        wd.write("main.tf", &defaults("DEFAULTED"));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();

        // Turned off in Devin: v3 lists it, and the default `true` restores it.
        assert!(api.update_secret_meta(&id, None, Some(false)), "{t} {v}");
        let plan = wd.plan();
        let out = squash(&plan.output());
        match version {
            Api::V1 => assert_eq!(plan.code, 0, "{t} {v}: v1 cannot see it: {out}"),
            Api::V3 => {
                assert_eq!(plan.code, 2, "{t} {v}: {out}");
                assert!(
                    out.contains("sensitive = false -> true # forces replacement"),
                    "{t} {v}: {out}"
                );
                wd.apply().assert_ok("apply the default again");
                let stored = api.secrets();
                assert_eq!(stored.len(), 1, "{t} {v}");
                assert!(stored[0].sensitive, "{t} {v}: restored");
                assert_eq!(wd.plan().code, 0, "{t} {v}: settled");
            }
        }

        // Imported: an insensitive cookie under a configuration that leaves both unset.
        let wd = common::Workdir::for_api(&tool, &api.url(), version);
        let imported = api.insert_secret("IMPORTED", "cookie", "defaulted-value");
        assert!(api.update_secret_meta(&imported, None, Some(false)));
        wd.write("main.tf", &defaults("IMPORTED"));
        wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.s",
            &imported,
        ])
        .assert_ok("import");
        let plan = wd.plan();
        let out = squash(&plan.output());
        assert_eq!(plan.code, 2, "{t} {v}: {out}");
        assert!(
            out.contains("type = \"cookie\" -> \"key-value\" # forces replacement"),
            "{t} {v}: {out}"
        );
        // v1 reports no sensitivity: an import records the configured one.
        assert_eq!(
            out.contains("sensitive = false -> true # forces replacement"),
            version == Api::V3,
            "{t} {v}: {out}"
        );
        wd.apply().assert_ok("apply over the import");
        let stored = api.secrets();
        let now = stored.iter().find(|s| s.key == "IMPORTED");
        let now = now.expect("the replacement");
        assert_ne!(now.id, imported, "{t} {v}: replaced");
        assert_eq!(
            (now.kind.as_str(), now.sensitive),
            ("key-value", true),
            "{t} {v}"
        );
        assert_eq!(wd.plan().code, 0, "{t} {v}: settled");
    }
}
