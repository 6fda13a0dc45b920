//! End to end: import, drift, and the data sources, under terraform and tofu.

mod common;

use common::{provider_hcl, supports_import_blocks, tools, Tool, Workdir};
use devin_api_standin::{Config, StandIn};

const KEY: &str = "test-api-key";

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

fn assert_adopted_without_replacement(api: &StandIn, wd: &Workdir, id: &str, tool: &Tool) {
    let plan = wd.plan();
    let out = plan.output();
    assert!(!out.contains("must be replaced"), "{}: {out}", tool.name);
    assert!(
        out.contains("recorded, not checked"),
        "{}: the plan says so: {out}",
        tool.name
    );
    wd.apply().assert_ok("apply after import");
    let stored = api.secrets();
    assert_eq!(stored.len(), 1, "{}", tool.name);
    assert_eq!(
        stored[0].id, id,
        "{}: the secret was not replaced",
        tool.name
    );
    assert_eq!(api.request_counts().post, 0, "{}", tool.name);
    assert_eq!(api.request_counts().delete, 0, "{}", tool.name);
    let state = wd.state_json();
    let values = &state["values"]["root_module"]["resources"][0]["values"];
    assert_eq!(values["note"], "adopted", "{}", tool.name);
    assert_eq!(wd.plan().code, 0, "{}: nothing left to do", tool.name);
}

#[test]
fn import_by_command_adopts_without_replacing() {
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let id = api.insert_secret("EXISTING", "cookie", "real-value");
        let wd = Workdir::new(&tool, &api.url(), KEY);
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
        assert_eq!(values["id"], id.as_str());
        assert_eq!(values["key"], "EXISTING");
        assert_eq!(values["type"], "cookie");
        assert_eq!(values["created_at"], api.secrets()[0].created_at.as_str());
        assert_adopted_without_replacement(&api, &wd, &id, &tool);
    }
}

#[test]
fn import_block_adopts_without_replacing() {
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let id = api.insert_secret("FROM_BLOCK", "key-value", "real-value");
        let wd = Workdir::new(&tool, &api.url(), KEY);
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
        assert_adopted_without_replacement(&api, &wd, &id, &tool);
    }
}

#[test]
fn import_errors_and_mismatches() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write("main.tf", &managed("K", "key-value"));
        let run = wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.imp",
            "sec_doesnotexist",
        ]);
        assert_ne!(run.code, 0, "{}", tool.name);
        assert!(
            run.output()
                .contains("Cannot import \"sec_doesnotexist\": no secret has this id or key"),
            "{}: {}",
            tool.name,
            run.output()
        );

        let id = api.insert_secret("OTHER_NAME", "key-value", "v");
        wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.imp",
            &id,
        ])
        .assert_ok("import");
        let plan = wd.plan();
        assert_eq!(plan.code, 2);
        assert!(
            plan.stdout.contains("must be replaced"),
            "{}: {}",
            tool.name,
            plan.stdout
        );
        assert!(
            plan.stdout.contains("# forces replacement"),
            "{}: {}",
            tool.name,
            plan.stdout
        );
    }
}

#[test]
fn drift_outside_terraform_is_seen() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write("main.tf", &managed("DRIFTING", "key-value"));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();

        api.update_secret(&id, Some("RENAMED_IN_UI"), None);
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{}", tool.name);
        assert!(
            plan.stdout.contains("must be replaced"),
            "{}: {}",
            tool.name,
            plan.stdout
        );
        assert!(
            plan.stdout.contains("RENAMED_IN_UI"),
            "{}: {}",
            tool.name,
            plan.stdout
        );

        assert!(api.remove_secret(&id));
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{}", tool.name);
        assert!(
            plan.stdout.contains("will be created"),
            "{}: {}",
            tool.name,
            plan.stdout
        );
        wd.destroy()
            .assert_ok("destroy of a secret deleted outside Terraform");
        assert!(wd.state_list().is_empty());
    }
}

#[test]
fn data_sources_list_and_find_secrets() {
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let a = api.insert_secret("CI_TOKEN", "key-value", "value-a");
        let b = api.insert_secret("CI_OTP", "totp", "value-b");
        let _c = api.insert_secret("SESSION", "cookie", "value-c");
        let wd = Workdir::new(&tool, &api.url(), KEY);
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
            serde_json::json!(["CI_TOKEN", "CI_OTP", "SESSION"])
        );
        assert_eq!(o["ci"]["value"], serde_json::json!([a, b]));
        let totp = &o["ci_totp"]["value"];
        assert_eq!(totp.as_array().unwrap().len(), 1);
        assert_eq!(totp[0]["id"], b.as_str());
        assert_eq!(totp[0]["type"], "totp");
        assert!(totp[0]["created_at"].as_str().unwrap().starts_with("20"));
        assert!(totp[0].get("value").is_none(), "never values");
        assert_eq!(o["by_key"]["value"]["id"], a.as_str());
        assert_eq!(o["by_key"]["value"]["type"], "key-value");
        assert_eq!(o["by_id"]["value"], "CI_OTP");
        let everything = wd.run(&["show", "-json"]).stdout;
        for value in ["value-a", "value-b", "value-c"] {
            assert!(
                !everything.contains(value),
                "{}: data sources never hold values",
                tool.name
            );
        }
    }
}

#[test]
fn data_source_errors() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
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
        assert_ne!(run.code, 0);
        let out = run.output();
        assert!(
            out.contains("Set exactly one of `id` and `key`: both `id` and `key` are set"),
            "{}: {out}",
            tool.name
        );
        assert!(
            out.contains("Set exactly one of `id` and `key`: neither `id` nor `key` is set"),
            "{}: {out}",
            tool.name
        );
        assert!(
            out.contains("Unsupported secret type \"password\""),
            "{}: {out}",
            tool.name
        );

        api.insert_secret("TWIN", "key-value", "1");
        api.insert_secret("TWIN", "cookie", "2");
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
            "{}: {out}",
            tool.name
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
            "{}: {out}",
            tool.name
        );
        assert!(
            out.contains("Look the secret up by `id` instead"),
            "{}: {out}",
            tool.name
        );
    }
}

#[test]
fn import_by_key_takes_the_one_secret_with_that_key_and_says_which() {
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let id = api.insert_secret("BY_KEY", "cookie", "real-value");
        let wd = Workdir::new(&tool, &api.url(), KEY);
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
            "{}: {out}",
            tool.name
        );
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(values["id"], id.as_str(), "{}", tool.name);
        assert_adopted_without_replacement(&api, &wd, &id, &tool);

        // A key two secrets share names neither: the error gives both ids.
        let a = api.insert_secret("SHARED", "key-value", "1");
        let b = api.insert_secret("SHARED", "cookie", "2");
        let wd = Workdir::new(&tool, &api.url(), KEY);
        wd.write("main.tf", &managed("SHARED", "cookie"));
        let run = wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.imp",
            "SHARED",
        ]);
        let out = common::squash(&run.output());
        assert_ne!(run.code, 0, "{}", tool.name);
        assert!(
            out.contains("2 secrets have this key"),
            "{}: {out}",
            tool.name
        );
        assert!(out.contains(&a) && out.contains(&b), "{}: {out}", tool.name);
    }
}

#[test]
fn generated_configuration_with_a_null_value_adopts_nothing() {
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let id = api.insert_secret("GENERATED", "key-value", "real-value");
        let wd = Workdir::new(&tool, &api.url(), KEY);
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
            .unwrap_or_else(|_| panic!("{}: no generated.tf: {}", tool.name, run.output()));
        assert!(generated.contains("value"), "{}: {generated}", tool.name);
        // The generated `value = null` must be filled in before anything is adopted.
        let apply = wd.apply();
        let out = common::squash(&apply.output());
        assert_eq!(apply.code, 1, "{}: {out}", tool.name);
        assert!(out.contains("`value` is null"), "{}: {out}", tool.name);
        assert!(wd.state_list().is_empty(), "{}: nothing adopted", tool.name);
        assert_eq!(api.request_counts().post, 0, "{}", tool.name);
    }
}

#[test]
fn data_source_arguments_from_variables_are_checked_once_known() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        let id = api.insert_secret("LOOKED_UP", "key-value", "v");
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
        assert_eq!(
            wd.run(&["output", "-raw", "found"]).stdout,
            id,
            "{}",
            tool.name
        );
        wd.write("main.tf", &config(&format!("\"{id}\""), "null"));
        wd.apply().assert_ok("a known id and a null key");
        wd.write("main.tf", &config("null", "null"));
        let out = common::squash(&wd.plan().output());
        assert!(
            out.contains("Set exactly one of `id` and `key`: neither `id` nor `key` is set"),
            "{}: {out}",
            tool.name
        );
    }
}
