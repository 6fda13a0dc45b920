//! End to end: import, drift, and the data sources, under every CLI, on the Devin API v1
//! and v3.

mod common;

use common::{cases, provider_hcl, squash, supports_import_blocks, Api, Family, Tool, Workdir};
use devin_api_standin::StandIn;
use serde_json::json;

/// A secret created outside Terraform, as in the Devin UI, with the note the
/// configurations below give it: v3 reports notes (an import takes it from the API, and a
/// different one would be planned as a replacement); v1 does not.
fn insert_adoptable(api: &StandIn, key: &str, kind: &str) -> String {
    let id = api.insert_secret(key, kind, "real-value");
    assert!(api.update_secret_meta(&id, Some("adopted"), None));
    id
}

fn managed(key: &str, kind: &str) -> String {
    provider_hcl(&format!(
        r#"
provider "devin" {{}}
resource "devin_secret" "imp" {{
  key   = "{key}"
  value = "configured-value"
  type  = "{kind}"
  note  = "adopted"
}}
"#
    ))
}

fn assert_adopted_without_replacement(
    api: &StandIn,
    wd: &Workdir,
    id: &str,
    tool: &Tool,
    version: Api,
) {
    let (t, v) = (tool.name, version.name());
    let plan = wd.plan();
    let out = plan.output();
    assert!(!out.contains("must be replaced"), "{t} {v}: {out}");
    assert!(
        out.contains("recorded, not checked"),
        "{t} {v}: the plan says so: {out}"
    );
    wd.apply().assert_ok("apply after import");
    let stored = api.secrets();
    assert_eq!(stored.len(), 1, "{t} {v}");
    assert_eq!(stored[0].id, id, "{t} {v}: the secret was not replaced");
    assert_eq!(api.request_counts().post, 0, "{t} {v}");
    assert_eq!(api.request_counts().delete, 0, "{t} {v}");
    let state = wd.state_json();
    let values = &state["values"]["root_module"]["resources"][0]["values"];
    assert_eq!(values["note"], "adopted", "{t} {v}");
    assert_eq!(
        values["org_id"],
        serde_json::json!(version.org()),
        "{t} {v}"
    );
    let plan = wd.plan();
    assert_eq!(
        plan.code,
        0,
        "{t} {v}: nothing left to do: {}",
        plan.output()
    );

    // The warning's advice, followed under this CLI, sends the configured value.
    let said = squash(&out);
    let advice = match tool.family {
        Family::Terraform => "`terraform apply -replace=ADDRESS`",
        Family::Tofu => "`tofu apply -replace=ADDRESS` under OpenTofu",
    };
    assert!(
        said.contains(advice) && said.contains("with devin_secret.imp"),
        "{t} {v}: the advice and the address it applies to: {said}"
    );
    wd.run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-replace=devin_secret.imp",
    ])
    .assert_ok("apply -replace, as the warning advises");
    let stored = api.secrets();
    assert_eq!(stored.len(), 1, "{t} {v}");
    assert_ne!(stored[0].id, id, "{t} {v}: replaced");
    assert_eq!(stored[0].value, "configured-value", "{t} {v}");
    let plan = wd.plan();
    assert_eq!(plan.code, 0, "{t} {v}: {}", plan.output());
    assert!(!plan.output().contains("recorded, not checked"), "{t} {v}");
}

#[test]
fn import_by_command_adopts_without_replacing() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        let id = insert_adoptable(&standin, "EXISTING", "cookie");
        wd.write("main.tf", &managed("EXISTING", "cookie"));
        let run = wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.imp",
            &id,
        ]);
        run.assert_ok("import");
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(values["id"], id.as_str(), "{t} {v}");
        assert_eq!(values["key"], "EXISTING", "{t} {v}");
        assert_eq!(values["type"], "cookie", "{t} {v}");
        assert_eq!(
            values["created_at"],
            api.created_at(&standin.secrets()[0].created_at).as_str(),
            "{t} {v}"
        );
        assert_eq!(values["org_id"], serde_json::json!(api.org()), "{t} {v}");
        assert_adopted_without_replacement(&standin, &wd, &id, &tool, api);
    }
}

#[test]
fn import_block_adopts_without_replacing() {
    for (tool, api) in cases() {
        let (standin, wd) = common::start_api(&tool, api);
        let id = insert_adoptable(&standin, "FROM_BLOCK", "key-value");
        if !supports_import_blocks(&tool, &wd) {
            continue;
        }
        wd.write(
            "main.tf",
            &format!(
                "{}\nimport {{\n  to = devin_secret.imp\n  id = \"{id}\"\n}}\n",
                managed("FROM_BLOCK", "key-value")
            ),
        );
        assert_adopted_without_replacement(&standin, &wd, &id, &tool, api);
    }
}

#[test]
fn import_errors_and_mismatches() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write("main.tf", &managed("K", "key-value"));
        let run = wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.imp",
            "sec_doesnotexist",
        ]);
        assert_ne!(run.code, 0, "{t} {v}");
        assert!(
            run.output()
                .contains("Cannot import \"sec_doesnotexist\": no secret has this id or key"),
            "{t} {v}: {}",
            run.output()
        );

        let id = insert_adoptable(&standin, "OTHER_NAME", "key-value");
        wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.imp",
            &id,
        ])
        .assert_ok("import");
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{t} {v}: {}", plan.output());
        assert!(
            plan.stdout.contains("must be replaced"),
            "{t} {v}: {}",
            plan.stdout
        );
        assert!(
            plan.stdout.contains("# forces replacement"),
            "{t} {v}: {}",
            plan.stdout
        );
    }
}

#[test]
fn drift_outside_terraform_is_seen() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write("main.tf", &managed("DRIFTING", "key-value"));
        wd.apply().assert_ok("apply");
        let id = standin.secrets()[0].id.clone();

        standin.update_secret(&id, Some("RENAMED_IN_UI"), None);
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{t} {v}: {}", plan.output());
        assert!(
            plan.stdout.contains("must be replaced"),
            "{t} {v}: {}",
            plan.stdout
        );
        assert!(
            plan.stdout.contains("RENAMED_IN_UI"),
            "{t} {v}: {}",
            plan.stdout
        );

        assert!(standin.remove_secret(&id), "{t} {v}");
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{t} {v}: {}", plan.output());
        assert!(
            plan.stdout.contains("will be created"),
            "{t} {v}: {}",
            plan.stdout
        );
        wd.destroy()
            .assert_ok("destroy of a secret deleted outside Terraform");
        assert!(wd.state_list().is_empty(), "{t} {v}");
    }
}

#[test]
fn data_sources_list_and_find_secrets() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        let a = standin.insert_secret("CI_TOKEN", "key-value", "value-a");
        let b = standin.insert_secret("CI_OTP", "totp", "value-b");
        standin.edit_secret(
            &a,
            &devin_api_standin::SecretEdit {
                note: Some("the CI token".into()),
                is_sensitive: Some(false),
                updated_by: "ada@example.com".into(),
                ..Default::default()
            },
        );
        let _c = standin.insert_secret("SESSION", "cookie", "value-c");
        // Another organization's secrets are never listed, on either version.
        standin.insert_secret_in(
            devin_api_standin::OTHER_ORG,
            "CI_ELSEWHERE",
            "key-value",
            "value-d",
        );
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"
provider "devin" {{}}
data "devin_secrets" "all" {{}}
data "devin_secrets" "ci" {{
  key_prefix = "CI_"
}}
data "devin_secrets" "ci_totp" {{
  key_prefix = "CI_"
  type       = "totp"
}}
data "devin_secret" "by_key" {{
  key = "CI_TOKEN"
}}
data "devin_secret" "by_id" {{
  id = "{b}"
}}
output "all" {{ value = [for s in data.devin_secrets.all.secrets : s.key] }}
output "ci" {{ value = [for s in data.devin_secrets.ci.secrets : s.id] }}
output "ci_totp" {{ value = data.devin_secrets.ci_totp.secrets }}
output "by_key" {{ value = data.devin_secret.by_key }}
output "by_id" {{ value = data.devin_secret.by_id.key }}
"#
            )),
        );
        wd.apply().assert_ok("apply");
        let out = wd.run(&["output", "-json"]);
        out.assert_ok("output");
        let o: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(
            o["all"]["value"],
            serde_json::json!(["CI_TOKEN", "CI_OTP", "SESSION"]),
            "{t} {v}"
        );
        assert_eq!(o["ci"]["value"], serde_json::json!([a, b]), "{t} {v}");
        let totp = &o["ci_totp"]["value"];
        assert_eq!(totp.as_array().unwrap().len(), 1, "{t} {v}");
        assert_eq!(totp[0]["id"], b.as_str(), "{t} {v}");
        assert_eq!(totp[0]["type"], "totp", "{t} {v}");
        let stored_b = standin.secrets().into_iter().find(|s| s.id == b).unwrap();
        assert_eq!(
            totp[0]["created_at"],
            api.created_at(&stored_b.created_at).as_str(),
            "{t} {v}"
        );
        assert!(totp[0].get("value").is_none(), "{t} {v}: never values");
        assert_eq!(o["by_key"]["value"]["id"], a.as_str(), "{t} {v}");
        assert_eq!(o["by_key"]["value"]["type"], "key-value", "{t} {v}");
        // What v3 reports beside: the note, the sensitive flag and the organization.
        let (note, sensitive, org) = match api {
            Api::V1 => (json!(null), json!(null), json!(null)),
            Api::V3 => (json!("the CI token"), json!(false), json!(api.org())),
        };
        let by_key = &o["by_key"]["value"];
        assert_eq!(
            (&by_key["note"], &by_key["sensitive"], &by_key["org_id"]),
            (&note, &sensitive, &org),
            "{t} {v}"
        );
        let edited = standin.secrets().into_iter().find(|s| s.id == a).unwrap();
        match api {
            Api::V1 => assert_eq!(
                (&by_key["updated_at"], &by_key["updated_by"]),
                (&json!(null), &json!(null)),
                "{t} {v}"
            ),
            Api::V3 => {
                assert_eq!(by_key["updated_by"], "ada@example.com", "{t} {v}");
                let at = edited.updated_at.expect("the edit moved updated_at");
                assert_eq!(
                    by_key["updated_at"],
                    api.created_at(&at).as_str(),
                    "{t} {v}"
                );
                assert_eq!(totp[0]["sensitive"], true, "{t} {v}");
                assert_eq!(totp[0]["org_id"], json!(api.org()), "{t} {v}");
                assert_eq!(totp[0]["updated_by"], json!(null), "{t} {v}: never changed");
            }
        }
        assert_eq!(o["by_id"]["value"], "CI_OTP", "{t} {v}");
        let everything = wd.run(&["show", "-json"]).stdout;
        for value in ["value-a", "value-b", "value-c", "value-d"] {
            assert!(
                !everything.contains(value),
                "{t} {v}: data sources never hold values"
            );
        }
    }
}

#[test]
fn data_source_errors() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
data "devin_secret" "both" {
  id  = "x"
  key = "y"
}
data "devin_secret" "neither" {}
data "devin_secrets" "bad" {
  type = "password"
}
"#,
            ),
        );
        let run = wd.validate();
        assert_ne!(run.code, 0, "{t} {v}");
        let out = run.output();
        assert!(
            out.contains("Set exactly one of `id` and `key`: both `id` and `key` are set"),
            "{t} {v}: {out}"
        );
        assert!(
            out.contains("Set exactly one of `id` and `key`: neither `id` nor `key` is set"),
            "{t} {v}: {out}"
        );
        assert!(
            out.contains("Unsupported secret type \"password\""),
            "{t} {v}: {out}"
        );

        standin.insert_secret("TWIN", "key-value", "1");
        standin.insert_secret("TWIN", "cookie", "2");
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
provider "devin" {}
data "devin_secret" "missing" {
  key = "NOPE"
}
"#,
            ),
        );
        let out = wd.plan().output();
        assert!(
            out.contains("No Devin secret has key \"NOPE\""),
            "{t} {v}: {out}"
        );
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
provider "devin" {}
data "devin_secret" "twins" {
  key = "TWIN"
}
"#,
            ),
        );
        let out = wd.plan().output();
        assert!(
            out.contains("2 Devin secrets have key \"TWIN\""),
            "{t} {v}: {out}"
        );
        assert!(
            out.contains("Look the secret up by `id` instead"),
            "{t} {v}: {out}"
        );
    }
}

#[test]
fn import_by_key_takes_the_one_secret_with_that_key_and_says_which() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        let id = insert_adoptable(&standin, "BY_KEY", "cookie");
        wd.write("main.tf", &managed("BY_KEY", "cookie"));
        let run = wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.imp",
            "BY_KEY",
        ]);
        run.assert_ok("import by key");
        let out = common::squash(&run.output());
        assert!(
            out.contains(&format!("Imported secret {id} by its key \"BY_KEY\"")),
            "{t} {v}: {out}"
        );
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(values["id"], id.as_str(), "{t} {v}");
        assert_adopted_without_replacement(&standin, &wd, &id, &tool, api);

        // A key two secrets share names neither: the error gives both ids.
        let a = standin.insert_secret("SHARED", "key-value", "1");
        let b = standin.insert_secret("SHARED", "cookie", "2");
        let wd = Workdir::for_api(&tool, &standin.url(), api);
        wd.write("main.tf", &managed("SHARED", "cookie"));
        let run = wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.imp",
            "SHARED",
        ]);
        let out = common::squash(&run.output());
        assert_ne!(run.code, 0, "{t} {v}");
        assert!(out.contains("2 secrets have this key"), "{t} {v}: {out}");
        assert!(out.contains(&a) && out.contains(&b), "{t} {v}: {out}");
    }
}

#[test]
fn generated_configuration_with_a_null_value_adopts_nothing() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        let id = standin.insert_secret("GENERATED", "key-value", "real-value");
        if !supports_import_blocks(&tool, &wd) {
            continue;
        }
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                "provider \"devin\" {{}}\nimport {{\n  to = devin_secret.gen\n  id = \"{id}\"\n}}\n"
            )),
        );
        let run = wd.run(&[
            "plan",
            "-no-color",
            "-input=false",
            "-generate-config-out=generated.tf",
        ]);
        let generated = std::fs::read_to_string(wd.path().join("generated.tf"))
            .unwrap_or_else(|_| panic!("{t} {v}: no generated.tf: {}", run.output()));
        assert!(generated.contains("value"), "{t} {v}: {generated}");
        // The generated `value = null` must be filled in before anything is adopted.
        let apply = wd.apply();
        let out = common::squash(&apply.output());
        assert_eq!(apply.code, 1, "{t} {v}: {out}");
        assert!(out.contains("`value` is null"), "{t} {v}: {out}");
        assert!(wd.state_list().is_empty(), "{t} {v}: nothing adopted");
        assert_eq!(standin.request_counts().post, 0, "{t} {v}");
    }
}

#[test]
fn data_source_arguments_from_variables_are_checked_once_known() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        let id = standin.insert_secret("LOOKED_UP", "key-value", "v");
        let config = |id_default: &str, key_default: &str| {
            provider_hcl(&format!(
                r#"
provider "devin" {{}}
variable "id" {{
  type    = string
  default = {id_default}
}}
variable "key" {{
  type    = string
  default = {key_default}
}}
data "devin_secret" "one" {{
  id  = var.id
  key = var.key
}}
output "found" {{
  value = data.devin_secret.one.id
}}
"#
            ))
        };
        wd.write("main.tf", &config("null", "\"LOOKED_UP\""));
        wd.validate().assert_ok("validate with variables");
        wd.apply().assert_ok("a null id and a known key");
        assert_eq!(wd.run(&["output", "-raw", "found"]).stdout, id, "{t} {v}");
        wd.write("main.tf", &config(&format!("\"{id}\""), "null"));
        wd.apply().assert_ok("a known id and a null key");
        wd.write("main.tf", &config("null", "null"));
        let out = common::squash(&wd.plan().output());
        assert!(
            out.contains("Set exactly one of `id` and `key`: neither `id` nor `key` is set"),
            "{t} {v}: {out}"
        );
    }
}
