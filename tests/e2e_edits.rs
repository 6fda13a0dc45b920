//! End to end: changes made to a secret in Devin, outside Terraform, under every CLI. On
//! the Devin API v3 a newer `updated_at` shows them: the plan replaces the secret to send
//! the configured value again, saying who changed it and when, unless `lifecycle {
//! ignore_changes = [updated_at] }` keeps them. v1 reports no such field: there they go
//! unseen, as documented.

mod common;

use common::{cases, provider_hcl, squash, start_api, Api, Run, Workdir};
use devin_api_standin::{SecretEdit, StandIn};

const CONFIGURED: &str = "configured-value";
const EDITED: &str = "edited-in-devin";
const EDITOR: &str = "ann@example.com";

/// One secret named `key` holding [`CONFIGURED`], with `lifecycle` (may be empty).
fn secret(key: &str, lifecycle: &str) -> String {
    provider_hcl(&format!(
        r#"
resource "devin_secret" "s" {{
  key   = "{key}"
  value = "{CONFIGURED}"
  note  = "from terraform"
{lifecycle}}}
"#
    ))
}

/// An edit of the value in Devin, by [`EDITOR`].
fn new_value() -> SecretEdit {
    SecretEdit {
        value: Some(EDITED.into()),
        updated_by: EDITOR.into(),
        ..SecretEdit::default()
    }
}

/// `updated_at` as the provider prints it for the stand-in's only secret.
fn updated_at(api: &StandIn, version: Api) -> String {
    let stored = api.secrets()[0].updated_at.clone().expect("edited");
    version.created_at(&stored)
}

/// The plan's output, squashed, after checking that it prints no value.
fn plan_output(run: &Run, who: &str) -> String {
    let out = run.output();
    for value in [CONFIGURED, EDITED] {
        assert!(!out.contains(value), "{who}: a value is printed:\n{out}");
    }
    squash(&out)
}

/// Panics unless the plan replaces the secret for the edit [`EDITOR`] made at `at`.
fn assert_replaces_for_the_edit(wd: &Workdir, at: &str, who: &str) {
    let plan = wd.plan();
    let out = plan_output(&plan, who);
    assert_eq!(plan.code, 2, "{who}: {out}");
    assert!(out.contains("must be replaced"), "{who}: {out}");
    // OpenTofu 1.6 prints `# forces replacement` twice on the line, Terraform once.
    let line = plan.stdout.lines().find(|l| l.contains("updated_at ="));
    let line = squash(line.unwrap_or_default());
    assert!(
        line.starts_with(&format!("~ updated_at = \"{at}\""))
            && line.contains("-> (known after apply)")
            && line.contains("# forces replacement"),
        "{who}: {out}"
    );
    assert!(
        out.contains(&format!(
            "Secret \"EDITS\" was changed in Devin by {EDITOR} at {at}"
        )),
        "{who}: {out}"
    );
    assert!(
        out.contains("ignore_changes"),
        "{who}: the way to keep it: {out}"
    );
}

#[test]
fn a_change_made_in_devin_replaces_the_secret_with_the_configured_value_on_v3() {
    for (tool, version) in cases() {
        let who = format!("{} {}", tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        wd.write("main.tf", &secret("EDITS", ""));
        wd.apply().assert_ok("apply");
        assert_eq!(
            wd.plan().code,
            0,
            "{who}: the plan right after apply is empty"
        );
        let id = api.secrets()[0].id.clone();

        assert!(api.edit_secret(&id, &new_value()), "{who}");
        match version {
            Api::V1 => {
                let plan = wd.plan();
                let out = plan_output(&plan, &who);
                assert_eq!(plan.code, 0, "{who}: v1 cannot see it: {out}");
                wd.apply().assert_ok("apply on v1");
                assert_eq!(api.secrets()[0].value, EDITED, "{who}: unseen, kept");
            }
            Api::V3 => {
                assert_replaces_for_the_edit(&wd, &updated_at(&api, version), &who);
                wd.apply().assert_ok("apply the replacement");
                let stored = api.secrets();
                assert_eq!(stored.len(), 1, "{who}");
                assert_ne!(stored[0].id, id, "{who}: replaced");
                assert_eq!(stored[0].value, CONFIGURED, "{who}: sent again");
                let plan = wd.plan();
                assert_eq!(plan.code, 0, "{who}: settled: {}", plan.output());
            }
        }
    }
}

#[test]
fn ignore_changes_on_updated_at_keeps_changes_made_in_devin() {
    for (tool, version) in cases() {
        let who = format!("{} {}", tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        let keep = |what: &str| format!("  lifecycle {{\n    ignore_changes = [{what}]\n  }}\n");
        wd.write("main.tf", &secret("EDITS", &keep("updated_at")));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();

        assert!(api.edit_secret(&id, &new_value()), "{who}");
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{who}: kept: {}", plan_output(&plan, &who));
        wd.apply().assert_ok("apply keeps it");
        // Note and sensitivity are arguments of their own: listed too, they are kept.
        wd.write(
            "main.tf",
            &secret("EDITS", &keep("updated_at, note, sensitive")),
        );
        let edit = SecretEdit {
            note: Some("from the UI".into()),
            is_sensitive: Some(false),
            updated_by: EDITOR.into(),
            ..SecretEdit::default()
        };
        assert!(api.edit_secret(&id, &edit), "{who}");
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{who}: kept: {}", plan_output(&plan, &who));
        wd.apply().assert_ok("apply keeps them");
        let counts = api.request_counts();
        assert_eq!(
            (counts.post, counts.delete),
            (1, 0),
            "{who}: nothing replaced"
        );
        assert_eq!(api.secrets()[0].value, EDITED, "{who}");

        // Without `ignore_changes`, the changes are still changes made outside Terraform.
        wd.write("main.tf", &secret("EDITS", ""));
        match version {
            Api::V1 => assert_eq!(wd.plan().code, 0, "{who}: v1 cannot see them"),
            Api::V3 => {
                assert_replaces_for_the_edit(&wd, &updated_at(&api, version), &who);
                wd.apply().assert_ok("apply the replacement");
                assert_eq!(api.secrets()[0].value, CONFIGURED, "{who}");
                assert_eq!(wd.plan().code, 0, "{who}: settled");
            }
        }

        // Set in configuration, it is an error that says how to keep such changes.
        let set = secret("EDITS", "  updated_at = \"2026-01-01T00:00:00Z\"\n");
        wd.write("main.tf", &set);
        let run = wd.validate();
        let out = squash(&run.output());
        assert_eq!(run.code, 1, "{who}: {out}");
        assert!(out.contains("`updated_at` cannot be set"), "{who}: {out}");
        assert!(
            out.contains("ignore_changes = [updated_at]"),
            "{who}: {out}"
        );
    }
}

#[test]
fn a_change_made_before_an_import_is_adopted_and_one_made_after_it_is_seen() {
    for (tool, version) in cases() {
        let who = format!("{} {}", tool.name, version.name());
        let (api, wd) = start_api(&tool, version);
        let id = api.insert_secret("EDITS", "key-value", CONFIGURED);
        assert!(api.update_secret_meta(&id, Some("from terraform"), None));
        assert!(api.edit_secret(&id, &new_value()), "{who}");
        wd.write("main.tf", &secret("EDITS", ""));
        wd.run(&["import", "-no-color", "-input=false", "devin_secret.s", &id])
            .assert_ok("import");
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        match version {
            Api::V1 => assert!(values["updated_at"].is_null(), "{who}: {values}"),
            Api::V3 => {
                assert_eq!(values["updated_at"], updated_at(&api, version), "{who}");
                assert_eq!(values["updated_by"], EDITOR, "{who}");
            }
        }
        let plan = wd.plan();
        let out = plan_output(&plan, &who);
        assert!(!out.contains("must be replaced"), "{who}: adopted: {out}");
        wd.apply().assert_ok("apply after import");
        assert_eq!(wd.plan().code, 0, "{who}: settled");

        assert!(api.edit_secret(&id, &new_value()), "{who}");
        match version {
            Api::V1 => assert_eq!(wd.plan().code, 0, "{who}: v1 cannot see it"),
            Api::V3 => assert_replaces_for_the_edit(&wd, &updated_at(&api, version), &who),
        }
    }
}
