//! End to end: the identity of `devin_secret` (issue 13), under Terraform 1.15.5 (the
//! harness's only CLI with identities, which came in Terraform 1.12), on both API
//! versions: recorded by creates, reads and plans, and taken by `import` blocks.

mod common;

use common::{provider_hcl, start_api, Api, Run, Tool, Workdir};
use devin_api_standin::{StandIn, DEFAULT_ORG, OTHER_ORG, OTHER_ORG_KEY};
use serde_json::{json, Value};

/// A value no output may show.
const VALUE: &str = "zq7-identity-value-5e0c2a";
const EXISTING: &str = "zq7-identity-existing-7b13f4";

/// Output with every test value and key hidden, fit for a failure message.
fn redact(text: &str) -> String {
    common::hide_test_values(text, &[VALUE, EXISTING])
}

/// Panics, with the redacted output, unless the command succeeded.
fn ok(run: &Run, what: &str) {
    run.assert_ok_redacted(what, redact);
}

/// Terraform 1.15: the CLI of the harness that has resource identities.
fn identity_cli() -> Tool {
    common::tool_named("terraform-1.15")
}

const VARIABLE: &str = r#"
variable "wo" {
  type      = string
  sensitive = true
  ephemeral = true
}
"#;

/// One `devin_secret` named `s`, written from the ephemeral `var.wo`, after `extra`.
fn secret_config(key: &str, version: u32, extra: &str) -> String {
    provider_hcl(&format!(
        "provider \"devin\" {{}}\n{VARIABLE}\n{extra}\nresource \"devin_secret\" \"s\" {{\n  key              = \"{key}\"\n  value_wo         = var.wo\n  value_wo_version = {version}\n}}\n"
    ))
}

/// The identity `api` gives secret `id`.
fn expected_identity(api: Api, id: &str) -> Value {
    json!({ "id": id, "org_id": api.org() })
}

/// The one resource of `show -json`'s state.
fn resource(wd: &Workdir) -> Value {
    let state = wd.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(resources.len(), 1, "one resource in state");
    resources[0].clone()
}

/// The identity terraform.tfstate records for its one instance.
fn state_file_identity(wd: &Workdir) -> (Value, Value) {
    let text = std::fs::read_to_string(wd.path().join("terraform.tfstate")).unwrap();
    let state: Value = serde_json::from_str(&text).unwrap();
    let instance = &state["resources"][0]["instances"][0];
    (
        instance["identity"].clone(),
        instance["identity_schema_version"].clone(),
    )
}

/// `show -json` of a saved plan of the current configuration.
fn saved_plan(wd: &Workdir, what: &str) -> (Run, Value) {
    let plan = wd.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-detailed-exitcode",
        "-out=plan.out",
    ]);
    assert_ne!(plan.code, 1, "{what}: {}", redact(&plan.output()));
    let shown = wd.run(&["show", "-json", "plan.out"]);
    ok(&shown, &format!("{what}: show -json plan.out"));
    (plan, serde_json::from_str(&shown.stdout).unwrap())
}

fn only_secret(api: &StandIn, what: &str) -> devin_api_standin::StoredSecret {
    let secrets = api.secrets();
    assert_eq!(secrets.len(), 1, "{what}: one secret in the stand-in");
    secrets.into_iter().next().unwrap()
}

#[test]
fn creates_reads_and_plans_carry_the_identity() {
    let tool = identity_cli();
    for api_version in Api::ALL {
        let case = format!("{} on {}", tool.name, api_version.name());
        let (api, mut wd) = start_api(&tool, api_version);
        wd.set_env("TF_VAR_wo", VALUE);
        wd.write("main.tf", &secret_config("ID_CREATED", 1, ""));
        ok(&wd.apply(), &format!("{case}: create"));
        let created = only_secret(&api, &case);
        let identity = expected_identity(api_version, &created.id);

        let r = resource(&wd);
        assert_eq!(r["identity"], identity, "{case}: show -json after create");
        assert_eq!(r["identity_schema_version"], 0, "{case}");
        assert_eq!(
            r["values"]["org_id"],
            json!(api_version.org()),
            "{case}: org_id in state"
        );
        assert_eq!(
            state_file_identity(&wd),
            (identity.clone(), json!(0)),
            "{case}: terraform.tfstate after create"
        );

        // A read: the refresh keeps it.
        let refresh = wd.run(&[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-input=false",
            "-no-color",
        ]);
        ok(&refresh, &format!("{case}: refresh"));
        assert_eq!(
            state_file_identity(&wd).0,
            identity,
            "{case}: terraform.tfstate after a refresh"
        );

        // A plan with nothing to do shows it as the prior identity.
        let (plan, json) = saved_plan(&wd, &format!("{case}: plan"));
        assert_eq!(plan.code, 0, "{case}: {}", redact(&plan.output()));
        assert_eq!(
            json["prior_state"]["values"]["root_module"]["resources"][0]["identity"], identity,
            "{case}: the plan's prior state"
        );

        // A plan that replaces the secret: the old identity before, the new one after.
        wd.write("main.tf", &secret_config("ID_CREATED", 2, ""));
        let (plan, json) = saved_plan(&wd, &format!("{case}: replacing plan"));
        assert_eq!(plan.code, 2, "{case}");
        let change = &json["resource_changes"][0]["change"];
        assert_eq!(change["actions"], json!(["delete", "create"]), "{case}");
        assert_eq!(change["before_identity"], identity, "{case}: before");
        ok(
            &wd.run(&["apply", "-input=false", "-no-color", "plan.out"]),
            &format!("{case}: apply the replacement"),
        );
        let replaced = only_secret(&api, &case);
        assert_ne!(replaced.id, created.id, "{case}: replaced");
        let new_identity = expected_identity(api_version, &replaced.id);
        assert_eq!(resource(&wd)["identity"], new_identity, "{case}: new");
        assert_eq!(state_file_identity(&wd).0, new_identity, "{case}");
    }
}

#[test]
fn an_import_block_with_an_identity_adopts_the_secret_without_replacement() {
    let tool = identity_cli();
    for api_version in Api::ALL {
        // On v3 the organization may be given or left to the provider.
        let with_org: &[bool] = match api_version {
            Api::V1 => &[false],
            Api::V3 => &[false, true],
        };
        for &org_given in with_org {
            let case = format!(
                "{} on {}, org_id {}",
                tool.name,
                api_version.name(),
                if org_given { "given" } else { "left out" }
            );
            let (api, mut wd) = start_api(&tool, api_version);
            wd.set_env("TF_VAR_wo", VALUE);
            let id = api.insert_secret("ID_ADOPTED", "cookie", EXISTING);
            let given = if org_given {
                format!("id = \"{id}\", org_id = \"{DEFAULT_ORG}\"")
            } else {
                format!("id = \"{id}\"")
            };
            let import =
                format!("import {{\n  to       = devin_secret.s\n  identity = {{ {given} }}\n}}\n");
            wd.write(
                "main.tf",
                &secret_config("ID_ADOPTED", 1, &import).replace(
                    "value_wo_version = 1\n",
                    "value_wo_version = 1\n  type             = \"cookie\"\n",
                ),
            );
            let (plan, json) = saved_plan(&wd, &case);
            let out = redact(&plan.output());
            assert_eq!(plan.code, 2, "{case}: {out}");
            assert!(
                out.contains("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.")
                    && out.contains("[identity=id="),
                "{case}: imported by identity, recorded in place:\n{out}"
            );
            let change = &json["resource_changes"][0]["change"];
            assert_eq!(change["actions"], json!(["update"]), "{case}");
            let identity = expected_identity(api_version, &id);
            assert_eq!(
                change["importing"]["identity"], identity,
                "{case}: the import read the whole identity"
            );
            assert_eq!(change["before_identity"], identity, "{case}: before");
            assert_eq!(change["after_identity"], identity, "{case}: after");
            let apply = wd.run(&["apply", "-input=false", "-no-color", "plan.out"]);
            ok(&apply, &format!("{case}: apply"));
            assert!(
                apply
                    .stdout
                    .contains("1 imported, 0 added, 1 changed, 0 destroyed"),
                "{case}: {}",
                redact(&apply.stdout)
            );
            let counts = api.request_counts();
            assert_eq!((counts.post, counts.delete), (0, 0), "{case}: nothing sent");
            let kept = only_secret(&api, &case);
            assert!(kept.id == id && kept.value == EXISTING, "{case}: untouched");

            let r = resource(&wd);
            assert_eq!(r["identity"], identity, "{case}: identity in state");
            assert_eq!(r["values"]["id"], id.as_str(), "{case}");
            assert_eq!(r["values"]["org_id"], json!(api_version.org()), "{case}");
            assert_eq!(state_file_identity(&wd).0, identity, "{case}");
            let again = wd.plan();
            assert_eq!(
                again.code,
                0,
                "{case}: no replacement after:\n{}",
                redact(&again.output())
            );
        }
    }
}

#[test]
fn an_identity_of_another_organization_needs_a_provider_configured_for_it() {
    let tool = identity_cli();
    for api_version in Api::ALL {
        let case = format!("{} on {}", tool.name, api_version.name());
        let (api, mut wd) = start_api(&tool, api_version);
        wd.set_env("TF_VAR_wo", VALUE);
        let other = api.insert_secret_in(OTHER_ORG, "ID_ELSEWHERE", "key-value", EXISTING);
        let import = format!(
            "import {{\n  to       = devin_secret.s\n  identity = {{ id = \"{other}\", org_id = \"{OTHER_ORG}\" }}\n}}\n"
        );
        wd.write("main.tf", &secret_config("ID_ELSEWHERE", 1, &import));
        let plan = wd.plan();
        let out = common::squash(&redact(&plan.output()));
        assert_eq!(plan.code, 1, "{case}: {out}");
        let explained = match api_version {
            // The default provider is configured for org-test.
            Api::V3 => [
                format!("Cannot import \"{OTHER_ORG}/{other}\""),
                format!("but this `devin` provider is configured for \"{DEFAULT_ORG}\""),
                format!("a provider alias with `org_id = \"{OTHER_ORG}\"`"),
                "set `provider = devin.<alias>` on the resource".to_string(),
            ],
            // v1 has no organizations in its identities.
            Api::V1 => [
                format!("Cannot import \"{OTHER_ORG}/{other}\""),
                "which names an organization of the Devin API v3".to_string(),
                "this provider speaks v1".to_string(),
                "Import by the secret id alone".to_string(),
            ],
        };
        for text in &explained {
            assert!(out.contains(text.as_str()), "{case}: says {text:?}:\n{out}");
        }
        assert_eq!(out.matches("Error:").count(), 1, "{case}: one error");
        assert!(wd.state_list().is_empty(), "{case}: nothing imported");
        assert_eq!(api.request_counts().post, 0, "{case}: nothing created");

        if api_version == Api::V1 {
            continue;
        }
        // The advice followed: an alias configured for that organization, set on the
        // resource (the import block names no provider), adopts it.
        wd.set_env("TF_VAR_other_key", OTHER_ORG_KEY);
        let alias = format!(
            "provider \"devin\" {{\n  alias   = \"other\"\n  org_id  = \"{OTHER_ORG}\"\n  api_key = var.other_key\n}}\n\
             variable \"other_key\" {{\n  type      = string\n  sensitive = true\n}}\n\
             import {{\n  to       = devin_secret.s\n  identity = {{ id = \"{other}\", org_id = \"{OTHER_ORG}\" }}\n}}\n"
        );
        wd.write(
            "main.tf",
            &secret_config("ID_ELSEWHERE", 1, &alias).replace(
                "  key              = \"ID_ELSEWHERE\"",
                "  provider         = devin.other\n  key              = \"ID_ELSEWHERE\"",
            ),
        );
        let apply = wd.apply();
        ok(&apply, &format!("{case}: import through the alias"));
        assert!(
            apply
                .stdout
                .contains("1 imported, 0 added, 1 changed, 0 destroyed"),
            "{case}: {}",
            redact(&apply.stdout)
        );
        let r = resource(&wd);
        assert_eq!(
            r["identity"],
            json!({ "id": other, "org_id": OTHER_ORG }),
            "{case}: the other organization's identity"
        );
        assert_eq!(r["values"]["org_id"], OTHER_ORG, "{case}");
        let counts = api.request_counts();
        assert_eq!((counts.post, counts.delete), (0, 0), "{case}: nothing sent");
        let stored = only_secret(&api, &case);
        assert!(
            stored.id == other && stored.org_id == OTHER_ORG && stored.value == EXISTING,
            "{case}: untouched"
        );
        assert_eq!(wd.plan().code, 0, "{case}: no replacement after");
    }
}

#[test]
fn an_identity_naming_no_secret_is_an_error() {
    let tool = identity_cli();
    for api_version in Api::ALL {
        let case = format!("{} on {}", tool.name, api_version.name());
        let (api, mut wd) = start_api(&tool, api_version);
        wd.set_env("TF_VAR_wo", VALUE);
        let import = "import {\n  to       = devin_secret.s\n  identity = { id = \"sec_doesnotexist0000000000\" }\n}\n";
        wd.write("main.tf", &secret_config("ID_MISSING", 1, import));
        let run = wd.apply();
        let out = common::squash(&redact(&run.output()));
        assert_eq!(run.code, 1, "{case}: {out}");
        assert!(
            out.contains(
                "Cannot import \"sec_doesnotexist0000000000\": no secret has this id or key"
            ),
            "{case}: {out}"
        );
        assert!(wd.state_list().is_empty(), "{case}");
        assert_eq!(api.request_counts().post, 0, "{case}");
    }
}

/// A team moves from a legacy `apk_` key to a `cog_` credential (or back) with the
/// secrets already in state: an identity is meant to be immutable for the life of the
/// remote object, so reads keep the recorded one (Terraform 1.15 would accept the change,
/// the Go providers' framework refuses it), and the plan after the switch is empty.
#[test]
fn switching_between_v1_and_v3_keeps_each_identity() {
    let tool = identity_cli();
    for (from, to) in [(Api::V1, Api::V3), (Api::V3, Api::V1)] {
        let case = format!("{}: {} then {}", tool.name, from.name(), to.name());
        let (api, mut wd) = start_api(&tool, from);
        wd.set_env("TF_VAR_wo", VALUE);
        wd.write("main.tf", &secret_config("ID_SWITCHED", 1, ""));
        ok(&wd.apply(), &format!("{case}: create"));
        let created = only_secret(&api, &case);
        let identity = expected_identity(from, &created.id);
        assert_eq!(resource(&wd)["identity"], identity, "{case}: after create");

        // The same organization through the other version's credential.
        wd.set_env("DEVIN_API_KEY", to.key());
        match to.org() {
            Some(org) => wd.set_env("DEVIN_ORG_ID", org),
            None => wd.remove_env("DEVIN_ORG_ID"),
        }
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{case}: {}", redact(&plan.output()));
        let refresh = wd.run(&[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-input=false",
            "-no-color",
        ]);
        ok(&refresh, &format!("{case}: refresh"));
        assert_eq!(resource(&wd)["identity"], identity, "{case}: kept");
        assert_eq!(wd.plan().code, 0, "{case}: still nothing to do");

        let destroy = wd.run(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
        ok(&destroy, &format!("{case}: destroy"));
        assert!(
            api.secrets().is_empty(),
            "{case}: deleted through {}",
            to.name()
        );
        assert_eq!(api.request_counts().post, 1, "{case}: created once");
    }
}
