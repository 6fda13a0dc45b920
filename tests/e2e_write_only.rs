//! End to end: the write-only `value_wo` and its `value_wo_version` (issue 13), under the
//! CLIs that support write-only attributes (Terraform 1.11.4 and 1.15.5) on both API
//! versions, and refused under the one that does not (OpenTofu 1.6.2).
//!
//! No failure message of this file prints a command's output unredacted: every output
//! goes through [`redact`], which hides the test's secret values.

mod common;

use std::path::Path;
use std::process::Command;

use common::{provider_hcl, start_api, tools, Api, Run, Tool, Workdir};
use devin_api_standin::{Budget, Fault, FaultRule, StandIn};

/// Distinctive values, found nowhere else: what a leak would show.
const CANARY: &str = "zq7-wo-canary-4d1e9b";
const ROTATED: &str = "zq7-wo-rotated-8c2f51";
const PLAIN: &str = "zq7-plain-value-3a6e07";
const EXISTING: &str = "zq7-existing-value-91b4dd";

/// Output with every test value and key hidden, fit for a failure message.
fn redact(text: &str) -> String {
    common::hide_test_values(text, &[CANARY, ROTATED, PLAIN, EXISTING])
}

/// Panics, with the redacted output, unless the command succeeded.
fn ok(run: &Run, what: &str) {
    run.assert_ok_redacted(what, redact);
}

/// The CLIs that support write-only attributes: every Terraform of the harness.
fn write_only_clis() -> Vec<Tool> {
    tools().into_iter().filter(Tool::is_terraform).collect()
}

/// The variables the configurations take their values from: an ephemeral variable can
/// only go into a write-only attribute, so the values never enter the configuration
/// that a plan file and `show -json` copy.
const VARIABLES: &str = r#"
variable "wo" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}
variable "plain" {
  type      = string
  sensitive = true
  default   = null
}
"#;

/// A configuration of one `devin_secret` named `s` with `body` inside.
fn config(body: &str) -> String {
    provider_hcl(&format!(
        "provider \"devin\" {{}}\n{VARIABLES}\nresource \"devin_secret\" \"s\" {{\n{body}}}\n"
    ))
}

/// The 1-based line of the first line of `text` that starts (after spaces) with `start`.
fn line_of(text: &str, start: &str) -> u64 {
    text.lines()
        .position(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line starts with {start:?}")) as u64
        + 1
}

/// One diagnostic of a `-json` run.
#[derive(Debug)]
struct Diag {
    severity: String,
    summary: String,
    detail: String,
    /// The first line of the range it points at, when it has one.
    line: Option<u64>,
}

/// The diagnostics of a run made with `-json`: `validate -json` prints one object,
/// `plan` and `apply` one message a line.
fn diagnostics(run: &Run) -> Vec<Diag> {
    let parse = |d: &serde_json::Value| Diag {
        severity: d["severity"].as_str().unwrap_or_default().to_string(),
        summary: d["summary"].as_str().unwrap_or_default().to_string(),
        detail: d["detail"].as_str().unwrap_or_default().to_string(),
        line: d["range"]["start"]["line"].as_u64(),
    };
    if let Ok(whole) = serde_json::from_str::<serde_json::Value>(&run.stdout) {
        if let Some(list) = whole["diagnostics"].as_array() {
            return list.iter().map(parse).collect();
        }
    }
    run.stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["type"] == "diagnostic")
        .map(|m| parse(&m["diagnostic"]))
        .collect()
}

fn errors(run: &Run) -> Vec<Diag> {
    diagnostics(run)
        .into_iter()
        .filter(|d| d.severity == "error")
        .collect()
}

/// Every member of the plan file (a zip archive), concatenated, with `unzip -p`, else
/// Python's `zipfile`.
fn plan_file_members(plan: &Path) -> Vec<u8> {
    let unzip = Command::new("unzip").arg("-p").arg(plan).output();
    if let Ok(out) = unzip {
        if out.status.success() {
            return out.stdout;
        }
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n\
             for n in z.namelist(): sys.stdout.buffer.write(z.read(n))",
        ])
        .arg(plan)
        .output()
        .expect("neither unzip nor python3 can read the plan file");
    assert!(
        out.status.success(),
        "python3 could not unzip the plan file"
    );
    out.stdout
}

/// The files under `dir` (the work directory: state, its backup, plan, lock file, the
/// CLI's data directory) that contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if std::fs::read(&path).is_ok_and(|b| bytes_contain(&b, needle)) {
                found.push(path);
            }
        }
    }
    found
}

fn bytes_contain(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The one resource of `show -json`'s state.
fn resource_values(wd: &Workdir) -> serde_json::Value {
    let state = wd.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(resources.len(), 1, "one resource in state");
    resources[0]["values"].clone()
}

/// `apply -json`: a run whose diagnostics [`errors`] can read.
fn apply_json(wd: &Workdir) -> Run {
    wd.run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-json",
    ])
}

/// The value the stand-in holds for the only secret it has.
fn only_secret(api: &StandIn, what: &str) -> devin_api_standin::StoredSecret {
    let secrets = api.secrets();
    assert_eq!(secrets.len(), 1, "{what}: one secret in the stand-in");
    secrets.into_iter().next().unwrap()
}

#[test]
fn value_wo_reaches_the_api_and_nowhere_else() {
    for tool in write_only_clis() {
        for api_version in Api::ALL {
            let case = format!("{} on {}", tool.name, api_version.name());
            let (api, mut wd) = start_api(&tool, api_version);
            let text = config("  key              = \"WO_CANARY\"\n  value_wo         = var.wo\n  value_wo_version = 1\n");
            wd.write("main.tf", &text);
            wd.set_env("TF_VAR_wo", CANARY);
            wd.set_env("TF_LOG", "trace");

            let plan = wd.run(&["plan", "-input=false", "-no-color", "-out=plan.out"]);
            ok(&plan, &format!("{case}: plan -out"));
            assert!(
                plan.stderr.contains("[TRACE]"),
                "{case}: TF_LOG=trace logs to standard error"
            );
            assert!(
                !plan.output().contains(CANARY),
                "{case}: the value is in the output or trace log of plan"
            );
            assert!(
                plan.stdout.contains("(write-only attribute)"),
                "{case}: the plan shows value_wo as write-only:\n{}",
                redact(&plan.stdout)
            );

            wd.remove_env("TF_LOG");
            let shown = wd.run(&["show", "-json", "plan.out"]);
            ok(&shown, &format!("{case}: show -json plan.out"));
            let json: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
            assert_eq!(
                json["resource_changes"][0]["change"]["after"]["key"], "WO_CANARY",
                "{case}: show -json describes the planned secret"
            );
            assert!(
                !shown.stdout.contains(CANARY),
                "{case}: the value is in `show -json` of the saved plan"
            );
            let plan_file = wd.path().join("plan.out");
            let raw = std::fs::read(&plan_file).unwrap();
            let members = plan_file_members(&plan_file);
            assert!(
                bytes_contain(&members, "WO_CANARY"),
                "{case}: the plan file's members were read (they hold the configuration)"
            );
            assert!(
                !bytes_contain(&raw, CANARY) && !bytes_contain(&members, CANARY),
                "{case}: the value is in the plan file"
            );

            wd.set_env("TF_LOG", "trace");
            let apply = wd.run(&["apply", "-input=false", "-no-color", "plan.out"]);
            ok(&apply, &format!("{case}: apply plan.out"));
            assert!(apply.stderr.contains("[TRACE]"), "{case}: trace log");
            assert!(
                !apply.output().contains(CANARY),
                "{case}: the value is in the output or trace log of apply"
            );
            wd.remove_env("TF_LOG");

            let stored = only_secret(&api, &case);
            assert!(
                stored.value == CANARY,
                "{case}: the stand-in did not receive the write-only value"
            );
            assert_eq!(stored.key, "WO_CANARY", "{case}");
            assert_eq!(
                api.request_counts().post,
                1,
                "{case}: one create, with the value"
            );

            let state_file = std::fs::read_to_string(wd.path().join("terraform.tfstate")).unwrap();
            assert!(
                state_file.contains(&stored.id),
                "{case}: terraform.tfstate records the secret"
            );
            assert!(
                !state_file.contains(CANARY),
                "{case}: the value is in terraform.tfstate"
            );
            let values = resource_values(&wd);
            assert_eq!(values["value"], serde_json::Value::Null, "{case}");
            assert_eq!(values["value_wo"], serde_json::Value::Null, "{case}");
            assert_eq!(values["value_wo_version"], "1", "{case}: a number as text");
            assert_eq!(values["id"], stored.id.as_str(), "{case}");

            // Refreshed and planned again, with the value still configured: nothing to
            // do, and still nowhere.
            wd.set_env("TF_LOG", "trace");
            let again = wd.plan();
            assert_eq!(
                again.code,
                0,
                "{case}: the next plan has nothing to do:\n{}",
                redact(&again.output())
            );
            assert!(
                !again.output().contains(CANARY),
                "{case}: the value is in the trace log of the next plan"
            );
            wd.remove_env("TF_LOG");
            let state_file = std::fs::read_to_string(wd.path().join("terraform.tfstate")).unwrap();
            assert!(!state_file.contains(CANARY), "{case}: value in state");
            // Nor in any file the CLI wrote: the state's backup, the plan, anything.
            assert_eq!(
                files_containing(wd.path(), CANARY),
                Vec::<std::path::PathBuf>::new(),
                "{case}: files of the work directory that hold the value"
            );
            // The control: this search finds what is there.
            assert!(
                !files_containing(wd.path(), &stored.id).is_empty(),
                "{case}: the search finds the secret's id in state"
            );

            ok(&wd.destroy(), &format!("{case}: destroy"));
            assert!(api.secrets().is_empty(), "{case}: destroyed");
        }
    }
}

/// The value from a variable that is not ephemeral, which Terraform would let into any
/// attribute: only the attribute being write-only keeps it out of state. (A saved plan
/// is not checked here: Terraform records such a variable's value in the plan file.)
#[test]
fn value_wo_from_a_plain_variable_stays_out_of_state_and_logs() {
    for tool in write_only_clis() {
        for api_version in Api::ALL {
            let case = format!("{} on {}", tool.name, api_version.name());
            let (api, mut wd) = start_api(&tool, api_version);
            wd.write(
                "main.tf",
                &config("  key              = \"WO_PLAIN_VAR\"\n  value_wo         = var.plain\n  value_wo_version = \"v1\"\n"),
            );
            wd.set_env("TF_VAR_plain", CANARY);
            wd.set_env("TF_LOG", "trace");
            let apply = wd.apply();
            ok(&apply, &format!("{case}: apply"));
            assert!(apply.stderr.contains("[TRACE]"), "{case}: trace log");
            assert!(
                !apply.output().contains(CANARY),
                "{case}: the value is in the output or trace log of apply"
            );
            wd.remove_env("TF_LOG");
            assert!(
                only_secret(&api, &case).value == CANARY,
                "{case}: the stand-in received the value"
            );
            let state_file = std::fs::read_to_string(wd.path().join("terraform.tfstate")).unwrap();
            assert!(
                state_file.contains("WO_PLAIN_VAR"),
                "{case}: the state records the secret"
            );
            assert!(
                !state_file.contains(CANARY),
                "{case}: the value is in terraform.tfstate"
            );
            let shown = wd.run(&["show", "-json"]);
            assert!(
                !shown.stdout.contains(CANARY),
                "{case}: the value is in `show -json`"
            );
            assert_eq!(
                resource_values(&wd)["value_wo_version"],
                "v1",
                "{case}: a version as text"
            );
            assert_eq!(wd.plan().code, 0, "{case}: settled");
        }
    }
}

#[test]
fn only_a_new_value_wo_version_sends_a_new_value() {
    for tool in write_only_clis() {
        for api_version in Api::ALL {
            let case = format!("{} on {}", tool.name, api_version.name());
            let (api, mut wd) = start_api(&tool, api_version);
            let versioned = |version: &str| {
                config(&format!(
                    "  key              = \"WO_ROTATE\"\n  value_wo         = var.wo\n  value_wo_version = {version}\n"
                ))
            };
            wd.write("main.tf", &versioned("1"));
            wd.set_env("TF_VAR_wo", CANARY);
            ok(&wd.apply(), &format!("{case}: first apply"));
            let first = only_secret(&api, &case);
            assert!(first.value == CANARY, "{case}: created with the value");

            // The same version as text: the same version.
            wd.write("main.tf", &versioned("\"1\""));
            let plan = wd.plan();
            assert_eq!(
                plan.code,
                0,
                "{case}: 1 and \"1\" are the same version:\n{}",
                redact(&plan.output())
            );

            // Only the value changes: Terraform cannot compare write-only values, so
            // nothing happens.
            wd.set_env("TF_VAR_wo", ROTATED);
            let plan = wd.plan();
            assert_eq!(
                plan.code,
                0,
                "{case}: a new value_wo alone plans nothing:\n{}",
                redact(&plan.output())
            );
            ok(
                &wd.apply(),
                &format!("{case}: apply with a new value_wo alone"),
            );
            let counts = api.request_counts();
            assert_eq!((counts.post, counts.delete), (1, 0), "{case}: nothing sent");
            let kept = only_secret(&api, &case);
            assert_eq!(kept.id, first.id, "{case}: not replaced");
            assert!(kept.value == CANARY, "{case}: the old value stays");

            // A new version replaces the secret with one holding the current value.
            wd.write("main.tf", &versioned("2"));
            let plan = wd.plan();
            let out = redact(&plan.output());
            assert_eq!(plan.code, 2, "{case}: {out}");
            assert!(
                out.contains("must be replaced")
                    && out.contains("value_wo_version = \"1\" -> \"2\" # forces replacement"),
                "{case}: the version forces the replacement:\n{out}"
            );
            ok(&wd.apply(), &format!("{case}: apply version 2"));
            let rotated = only_secret(&api, &case);
            assert_ne!(rotated.id, first.id, "{case}: replaced");
            assert!(
                rotated.value == ROTATED,
                "{case}: the new secret holds the current value_wo"
            );
            let counts = api.request_counts();
            assert_eq!((counts.post, counts.delete), (2, 1), "{case}");
            let values = resource_values(&wd);
            assert_eq!(values["id"], rotated.id.as_str(), "{case}");
            assert_eq!(values["value_wo_version"], "2", "{case}");
            let state_file = std::fs::read_to_string(wd.path().join("terraform.tfstate")).unwrap();
            assert!(
                !state_file.contains(CANARY) && !state_file.contains(ROTATED),
                "{case}: a value is in terraform.tfstate"
            );
            assert_eq!(wd.plan().code, 0, "{case}: settled");
        }
    }
}

#[test]
fn moving_value_to_value_wo_keeps_the_secret_only_for_the_same_value() {
    for tool in write_only_clis() {
        for api_version in Api::ALL {
            let case = format!("{} on {}", tool.name, api_version.name());
            let (api, mut wd) = start_api(&tool, api_version);
            let state_file = wd.path().join("terraform.tfstate");
            let in_state = |v: &str| std::fs::read_to_string(&state_file).unwrap().contains(v);
            let plain = config("  key   = \"WO_MOVE\"\n  value = var.plain\n");
            let write_only = config(
                "  key              = \"WO_MOVE\"\n  value_wo         = var.wo\n  value_wo_version = 1\n",
            );

            wd.write("main.tf", &plain);
            wd.set_env("TF_VAR_plain", PLAIN);
            ok(&wd.apply(), &format!("{case}: apply with value"));
            let created = only_secret(&api, &case);
            // The control: `value` is in state, and this grep sees it.
            assert!(in_state(PLAIN), "{case}: `value` is stored in state");

            // The same text moved to value_wo: state changes, the secret does not.
            wd.write("main.tf", &write_only);
            wd.set_env("TF_VAR_wo", PLAIN);
            let plan = wd.plan();
            let out = redact(&plan.output());
            assert_eq!(plan.code, 2, "{case}: {out}");
            assert!(
                out.contains("will be updated in-place") && !out.contains("must be replaced"),
                "{case}: an in-place change of state only:\n{out}"
            );
            let apply = wd.apply();
            ok(&apply, &format!("{case}: apply the move"));
            assert!(
                apply
                    .stdout
                    .contains("Resources: 0 added, 1 changed, 0 destroyed"),
                "{case}: {}",
                redact(&apply.stdout)
            );
            let counts = api.request_counts();
            assert_eq!((counts.post, counts.delete), (1, 0), "{case}: nothing sent");
            assert_eq!(only_secret(&api, &case).id, created.id, "{case}: kept");
            assert!(!in_state(PLAIN), "{case}: the value left the state");
            let values = resource_values(&wd);
            assert_eq!(values["value"], serde_json::Value::Null, "{case}");
            assert_eq!(values["value_wo_version"], "1", "{case}");
            assert_eq!(wd.plan().code, 0, "{case}: settled after the move");

            // Back to `value`, then to a different value_wo: a new secret.
            wd.write("main.tf", &plain);
            let back = wd.apply();
            ok(&back, &format!("{case}: back to value"));
            let plain_again = only_secret(&api, &case);
            assert!(in_state(PLAIN), "{case}: value stored again");
            wd.write("main.tf", &write_only);
            wd.set_env("TF_VAR_wo", ROTATED);
            let plan = wd.plan();
            let out = redact(&plan.output());
            assert!(
                plan.code == 2 && out.contains("must be replaced"),
                "{case}: a different value_wo replaces the secret:\n{out}"
            );
            ok(&wd.apply(), &format!("{case}: apply a different value_wo"));
            let replaced = only_secret(&api, &case);
            assert_ne!(replaced.id, plain_again.id, "{case}: replaced");
            assert!(replaced.value == ROTATED, "{case}: with the new value");
            assert!(
                !in_state(PLAIN) && !in_state(ROTATED),
                "{case}: no value in state"
            );
        }
    }
}

#[test]
fn exactly_one_of_value_and_value_wo_and_a_version_only_with_value_wo() {
    // (attributes, variables set, summary, the attribute the error is on)
    type Case = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    );
    let cases: [Case; 3] = [
        (
            "  key      = \"WO_BOTH\"\n  value    = var.plain\n  value_wo = var.wo\n",
            &[("TF_VAR_plain", PLAIN), ("TF_VAR_wo", CANARY)],
            "`value` and `value_wo` are both set",
            "value_wo",
        ),
        (
            "  key      = \"WO_NEITHER\"\n  value    = var.plain\n  value_wo = var.wo\n",
            &[],
            "`value` is null",
            "value",
        ),
        (
            "  key              = \"WO_VERSION_ONLY\"\n  value            = var.plain\n  value_wo_version = 1\n",
            &[("TF_VAR_plain", PLAIN)],
            "`value_wo_version` without `value_wo`",
            "value_wo_version",
        ),
    ];
    for tool in write_only_clis() {
        for api_version in Api::ALL {
            let (api, mut wd) = start_api(&tool, api_version);
            for (body, vars, summary, attribute) in cases {
                let case = format!("{} on {}: {summary}", tool.name, api_version.name());
                let text = config(body);
                wd.write("main.tf", &text);
                wd.remove_env("TF_VAR_plain");
                wd.remove_env("TF_VAR_wo");
                for (k, v) in vars {
                    wd.set_env(k, v);
                }
                let run = apply_json(&wd);
                assert_eq!(run.code, 1, "{case}: {}", redact(&run.output()));
                let errs = errors(&run);
                assert_eq!(
                    errs.len(),
                    1,
                    "{case}: one error: {}",
                    redact(&format!("{errs:?}"))
                );
                assert_eq!(errs[0].summary, summary, "{case}");
                assert_eq!(
                    errs[0].line,
                    Some(line_of(&text, &format!("{attribute} "))),
                    "{case}: the error is on `{attribute}`"
                );
                assert!(
                    !run.output().contains(PLAIN) && !run.output().contains(CANARY),
                    "{case}: a value is in the output"
                );
                assert_eq!(api.request_counts().post, 0, "{case}: nothing sent");
                assert!(api.secrets().is_empty(), "{case}: nothing created");
            }
        }
    }
}

#[test]
fn the_api_refusing_a_write_only_value_points_at_value_wo() {
    for tool in write_only_clis() {
        for api_version in Api::ALL {
            let case = format!("{} on {}", tool.name, api_version.name());
            let (api, mut wd) = start_api(&tool, api_version);
            let text = config(
                "  key              = \"WO_REFUSED\"\n  value_wo         = var.wo\n  value_wo_version = 1\n",
            );
            wd.write("main.tf", &text);
            wd.set_env("TF_VAR_wo", CANARY);
            // As pydantic answers: the offending input echoed back.
            let body = serde_json::json!({"detail": [{
                "loc": ["body", "value"],
                "msg": "String should have at most 8 characters",
                "type": "string_too_long",
                "input": CANARY,
            }]});
            api.push_fault(FaultRule {
                fault: Fault::Status {
                    status: 422,
                    retry_after: None,
                    body: Some(body.to_string()),
                },
                method: Some("POST".into()),
                path_prefix: Some(api_version.secrets_path()),
                budget: Budget::Next { count: 1 },
            });
            let run = apply_json(&wd);
            assert_eq!(run.code, 1, "{case}: {}", redact(&run.output()));
            let errs = errors(&run);
            assert_eq!(
                errs.len(),
                1,
                "{case}: one error: {}",
                redact(&format!("{errs:?}"))
            );
            assert_eq!(
                errs[0].summary, "Devin API refused to create secret \"WO_REFUSED\"",
                "{case}"
            );
            assert!(
                errs[0]
                    .detail
                    .contains("String should have at most 8 characters")
                    && errs[0].detail.contains("Correct the `value_wo` argument"),
                "{case}: {}",
                redact(&errs[0].detail)
            );
            assert_eq!(
                errs[0].line,
                Some(line_of(&text, "value_wo ")),
                "{case}: the error is on value_wo"
            );
            assert!(
                !run.output().contains(CANARY),
                "{case}: the echoed value is in the output"
            );
            assert_eq!(api.request_counts().post, 1, "{case}: the refused create");
            assert!(api.secrets().is_empty(), "{case}: nothing created");
            assert!(wd.state_list().is_empty(), "{case}: nothing in state");
        }
    }
}

#[test]
fn an_imported_secret_records_its_first_version_then_a_new_one_replaces_it() {
    for tool in write_only_clis() {
        for api_version in Api::ALL {
            let case = format!("{} on {}", tool.name, api_version.name());
            let (api, mut wd) = start_api(&tool, api_version);
            let id = api.insert_secret("WO_ADOPTED", "key-value", EXISTING);
            let adopt = |version: u32| {
                format!(
                    "{}\nimport {{\n  to = devin_secret.s\n  id = \"{id}\"\n}}\n",
                    config(&format!(
                        "  key              = \"WO_ADOPTED\"\n  value_wo         = var.wo\n  value_wo_version = {version}\n"
                    ))
                )
            };
            wd.write("main.tf", &adopt(1));
            wd.set_env("TF_VAR_wo", CANARY);
            let plan = wd.plan();
            let out = redact(&plan.output());
            assert_eq!(plan.code, 2, "{case}: {out}");
            assert!(
                out.contains("recorded, not checked") && !out.contains("must be replaced"),
                "{case}: the first version is recorded, with a warning:\n{out}"
            );
            let apply = wd.apply();
            ok(&apply, &format!("{case}: adopt"));
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
            assert!(
                kept.id == id && kept.value == EXISTING,
                "{case}: the secret is untouched"
            );
            let values = resource_values(&wd);
            assert_eq!(values["value_wo_version"], "1", "{case}: recorded");
            assert_eq!(wd.plan().code, 0, "{case}: settled after the import");

            wd.write("main.tf", &adopt(2));
            let plan = wd.plan();
            let out = redact(&plan.output());
            assert!(
                plan.code == 2 && out.contains("must be replaced"),
                "{case}: a later version replaces:\n{out}"
            );
            ok(&wd.apply(), &format!("{case}: version 2"));
            let replaced = only_secret(&api, &case);
            assert_ne!(replaced.id, id, "{case}: replaced");
            assert!(replaced.value == CANARY, "{case}: with the value_wo");
            let counts = api.request_counts();
            assert_eq!((counts.post, counts.delete), (1, 1), "{case}");
            assert_eq!(wd.plan().code, 0, "{case}: settled after the rotation");
        }
    }
}

#[test]
fn a_cli_without_write_only_support_refuses_value_wo_and_sends_nothing() {
    for tool in tools().into_iter().filter(Tool::is_tofu) {
        for api_version in Api::ALL {
            let case = format!("{} on {}", tool.name, api_version.name());
            let (api, mut wd) = start_api(&tool, api_version);
            // OpenTofu 1.6 has no ephemeral variables: a sensitive one.
            let text = provider_hcl(
                "provider \"devin\" {}\n\
                 variable \"wo\" {\n  type      = string\n  sensitive = true\n}\n\
                 resource \"devin_secret\" \"s\" {\n  key              = \"WO_REFUSED\"\n  value_wo         = var.wo\n  value_wo_version = 1\n}\n",
            );
            wd.write("main.tf", &text);
            wd.set_env("TF_VAR_wo", CANARY);
            let value_wo_line = line_of(&text, "value_wo ");
            for (what, run) in [
                ("validate", wd.run(&["validate", "-no-color", "-json"])),
                (
                    "plan",
                    wd.run(&["plan", "-input=false", "-no-color", "-json"]),
                ),
                ("apply", apply_json(&wd)),
            ] {
                let case = format!("{case}: {what}");
                assert_eq!(run.code, 1, "{case}: {}", redact(&run.output()));
                let errs = errors(&run);
                assert_eq!(
                    errs.len(),
                    1,
                    "{case}: one error: {}",
                    redact(&format!("{errs:?}"))
                );
                let e = &errs[0];
                assert!(e.summary.contains("`value_wo`"), "{case}: {}", e.summary);
                assert!(
                    e.detail.contains("Terraform 1.11") && e.detail.contains("set `value`"),
                    "{case}: names the CLIs that support it and `value`: {}",
                    redact(&e.detail)
                );
                assert_eq!(e.line, Some(value_wo_line), "{case}: on value_wo");
                assert!(
                    !run.output().contains(CANARY),
                    "{case}: the value is in the output"
                );
            }
            assert_eq!(
                api.request_counts().post,
                0,
                "{case}: nothing reached the API"
            );
            assert!(api.secrets().is_empty(), "{case}: nothing created");
            assert!(wd.state_list().is_empty(), "{case}: nothing in state");

            // The alternative the error names works under this CLI.
            wd.write(
                "main.tf",
                &text.replace(
                    "value_wo         = var.wo\n  value_wo_version = 1\n",
                    "value = var.wo\n",
                ),
            );
            ok(&wd.apply(), &format!("{case}: apply with `value`"));
            assert!(
                only_secret(&api, &case).value == CANARY,
                "{case}: created with `value`"
            );
        }
    }
}
