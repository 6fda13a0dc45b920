//! End to end: `devin_secret` through real `terraform` and `tofu` against the stand-in,
//! on the Devin API v1 and v3.

mod common;

use common::{cases, provider_hcl, tools, Api};
use devin_api_standin::{Budget, Fault, FaultRule};

fn secret(value: &str) -> String {
    provider_hcl(&format!(
        r#"
provider "devin" {{}}

resource "devin_secret" "gh" {{
  key       = "GITHUB_TOKEN"
  value     = "{value}"
  type      = "totp"
  sensitive = false
  note      = "CI token"
}}
"#
    ))
}

#[test]
fn apply_plan_replace_and_destroy() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write("main.tf", &secret("first-value-123"));

        wd.apply().assert_ok("apply");
        let stored = standin.secrets();
        assert_eq!(stored.len(), 1, "{t} {v}: one secret after apply");
        let s = &stored[0];
        assert_eq!(
            (
                s.key.as_str(),
                s.value.as_str(),
                s.kind.as_str(),
                s.sensitive,
                s.note.as_str(),
                s.org_id.as_str()
            ),
            (
                "GITHUB_TOKEN",
                "first-value-123",
                "totp",
                false,
                "CI token",
                devin_api_standin::DEFAULT_ORG
            ),
            "{t} {v}"
        );
        // created_at is known when the apply ends: v3's create answers it, v1's create
        // answers only the id and the provider lists after it.
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(values["id"], s.id.as_str(), "{t} {v}");
        assert_eq!(
            values["created_at"],
            api.created_at(&s.created_at).as_str(),
            "{t} {v}: created_at after apply"
        );
        assert_eq!(
            values["org_id"],
            serde_json::json!(api.org()),
            "{t} {v}: org_id in state"
        );
        wd.run(&[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-input=false",
            "-no-color",
        ])
        .assert_ok("refresh");
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(
            values["created_at"],
            api.created_at(&s.created_at).as_str(),
            "{t} {v}: created_at after a refresh"
        );

        let plan = wd.plan();
        assert_eq!(
            plan.code,
            0,
            "{t} {v}: plan after apply must be empty:\n{}",
            plan.output()
        );

        wd.write("main.tf", &secret("second-value-456"));
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
        assert!(
            !plan.output().contains("second-value-456"),
            "{t} {v}: value printed"
        );

        wd.apply().assert_ok("apply replacement");
        let stored = standin.secrets();
        assert_eq!(
            stored.len(),
            1,
            "{t} {v}: exactly one secret after replacement"
        );
        assert_eq!(stored[0].value, "second-value-456", "{t} {v}");
        assert_ne!(stored[0].id, s.id, "{t} {v}: a replacement has a new id");

        wd.destroy().assert_ok("destroy");
        assert!(
            standin.secrets().is_empty(),
            "{t} {v}: destroy leaves nothing"
        );
        assert!(
            standin
                .requests()
                .iter()
                .all(|r| r.path.starts_with(&api.secrets_path())),
            "{t} {v}: every request went to {}",
            api.secrets_path()
        );
    }
}

#[test]
fn requests_follow_the_documented_wire_format() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
provider "devin" {}
resource "devin_secret" "s" {
  key   = "PLAIN"
  value = "plain-value-789"
}
"#,
            ),
        );
        wd.apply().assert_ok("apply");
        wd.destroy().assert_ok("destroy");
        let requests = standin.requests();
        let post = requests
            .iter()
            .find(|r| r.method == "POST")
            .expect("a POST");
        assert_eq!(post.path, api.secrets_path(), "{t} {v}");
        let body: serde_json::Value = serde_json::from_str(&post.body).unwrap();
        let expected = match api {
            // v1: `sensitive`, and every field sent.
            Api::V1 => serde_json::json!({"type": "key-value", "key": "PLAIN",
                "value": "plain-value-789", "sensitive": true, "note": ""}),
            // v3: `is_sensitive`, never `sensitive`.
            Api::V3 => serde_json::json!({"type": "key-value", "key": "PLAIN",
                "value": "plain-value-789", "is_sensitive": true, "note": ""}),
        };
        assert_eq!(
            body, expected,
            "{t} {v}: note is sent as \"\" and the sensitivity flag defaults to true"
        );
        let header = |name: &str| {
            post.headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            header("authorization"),
            format!("Bearer {}", api.key()),
            "{t} {v}"
        );
        assert!(
            header("content-type").starts_with("application/json"),
            "{t} {v}"
        );
        let ua = header("user-agent");
        assert!(ua.starts_with("terraform-provider-devin/"), "{t} {v}: {ua}");
        assert!(ua.contains(" Terraform/"), "{t} {v}: {ua}");
        let delete = requests
            .iter()
            .find(|r| r.method == "DELETE")
            .expect("a DELETE");
        assert!(
            delete
                .path
                .starts_with(&format!("{}/sec_", api.secrets_path())),
            "{t} {v}: {}",
            delete.path
        );
        assert!(
            requests
                .iter()
                .all(|r| r.path.starts_with(&api.secrets_path())),
            "{t} {v}: {:?}",
            requests.iter().map(|r| &r.path).collect::<Vec<_>>()
        );
        let lists: Vec<&str> = requests
            .iter()
            .filter(|r| r.method == "GET")
            .map(|r| r.path.as_str())
            .collect();
        assert!(!lists.is_empty(), "{t} {v}: no list");
        match api {
            // v1 lists in one bare call; v3 walks pages of at most 200.
            Api::V1 => assert!(
                lists.iter().all(|p| *p == "/v1/secrets"),
                "{t} {v}: {lists:?}"
            ),
            Api::V3 => assert!(
                lists
                    .iter()
                    .all(|p| *p == format!("{}?first=200", api.secrets_path())),
                "{t} {v}: {lists:?}"
            ),
        }
    }
}

#[test]
fn a_refused_delete_reports_the_api_message_and_keeps_the_secret_in_state() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write("main.tf", &secret("value-for-422"));
        wd.apply().assert_ok("apply");

        standin.push_fault(FaultRule {
            fault: Fault::Status {
                status: 422,
                retry_after: None,
                body: Some(
                    r#"{"detail":[{"loc":["path","secret_id"],"msg":"Secret is in use by a running session","type":"value_error.in_use"}]}"#
                        .into(),
                ),
            },
            method: Some("DELETE".into()),
            path_prefix: Some(api.secrets_path()),
            budget: Budget::Next { count: 1 },
        });
        let failed = wd.destroy();
        assert_ne!(failed.code, 0, "{t} {v}: destroy must fail");
        let out = failed.output();
        assert!(
            out.contains("Devin API refused to delete secret"),
            "{t} {v}: {out}"
        );
        assert!(
            out.contains("Secret is in use by a running session"),
            "{t} {v}: {out}"
        );
        assert!(out.contains("value_error.in_use"), "{t} {v}: {out}");
        assert!(!out.contains("stack backtrace"), "{t} {v}: {out}");
        assert_eq!(
            wd.state_list(),
            ["devin_secret.gh"],
            "{t} {v}: still in state"
        );
        assert_eq!(standin.secrets().len(), 1, "{t} {v}");

        wd.destroy().assert_ok("second destroy");
        assert!(standin.secrets().is_empty(), "{t} {v}");
        assert!(wd.state_list().is_empty(), "{t} {v}");
    }
}

#[test]
fn a_missing_api_key_is_one_clear_error() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        // On v3 DEVIN_ORG_ID stays set: the missing key is the one error.
        let (standin, mut wd) = common::start_api(&tool, api);
        wd.remove_env("DEVIN_API_KEY");
        wd.write("main.tf", &secret("v-missing-key"));
        let run = wd.plan();
        assert_eq!(run.code, 1, "{t} {v}: {}", run.output());
        let out = run.output();
        assert!(
            out.contains("No Devin API key: set `api_key` or DEVIN_API_KEY"),
            "{t} {v}: {out}"
        );
        assert_eq!(
            out.matches("Error:").count(),
            1,
            "{t} {v}: one error: {out}"
        );
        assert_eq!(standin.request_counts().get, 0, "{t} {v}");
    }
}

#[test]
fn plain_http_to_another_host_is_refused_before_any_request() {
    for tool in tools() {
        let (api, mut wd) = common::start(&tool);
        wd.set_env("DEVIN_API_URL", "http://devin.example.com");
        wd.write("main.tf", &secret("v-http"));
        let out = wd.plan().output();
        assert!(
            out.contains("DEVIN_API_URL uses plain http:// to a host that is not loopback"),
            "{}: {out}",
            tool.name
        );

        wd.remove_env("DEVIN_API_URL");
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
provider "devin" {
  api_url = "http://10.1.2.3:8080"
}
resource "devin_secret" "s" {
  key   = "K"
  value = "v"
}
"#,
            ),
        );
        let run = wd.validate();
        assert_ne!(run.code, 0, "{}", tool.name);
        let out = run.output();
        assert!(
            out.contains("api_url uses plain http:// to a host that is not loopback"),
            "{}: {out}",
            tool.name
        );
        assert!(out.contains("api_url"), "{}: {out}", tool.name);
        assert_eq!(
            api.request_counts(),
            Default::default(),
            "{}: no request made",
            tool.name
        );
    }
}

#[test]
fn validate_rejects_computed_arguments_empty_keys_and_unknown_types() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
resource "devin_secret" "a" {
  id         = "sec_mine"
  created_at = "yesterday"
  org_id     = "org-mine"
  key        = "   "
  value      = "v"
  type       = "password"
}
"#,
            ),
        );
        let run = wd.validate();
        assert_ne!(run.code, 0, "{}", tool.name);
        let out = run.output();
        for expected in [
            "`id` cannot be set",
            "`created_at` cannot be set",
            "`org_id` cannot be set",
            "`key` cannot be empty",
            "Unsupported secret type \"password\"",
            "must be one of: key-value, cookie, totp",
        ] {
            assert!(
                out.contains(expected),
                "{}: missing {expected:?} in {out}",
                tool.name
            );
        }
        assert_eq!(api.request_counts(), Default::default());
    }
}

#[test]
fn a_provider_configured_from_another_resource_plans_and_applies() {
    for (tool, api) in cases() {
        let (t, v) = (tool.name, api.name());
        let (standin, mut wd) = common::start_api(&tool, api);
        wd.remove_env("DEVIN_API_KEY");
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"
resource "terraform_data" "key" {{
  input = "{key}"
}}
provider "devin" {{
  api_key = terraform_data.key.output
}}
resource "devin_secret" "s" {{
  key   = "FROM_UNKNOWN_CONFIG"
  value = "v-unknown"
}}
"#,
                key = api.key()
            )),
        );
        let plan = wd.plan();
        assert_eq!(
            plan.code,
            2,
            "{t} {v}: the plan works with an unknown api_key:\n{}",
            plan.output()
        );
        wd.apply()
            .assert_ok("apply with a provider configured from another resource");
        let stored = standin.secrets();
        assert_eq!(stored.len(), 1, "{t} {v}");
        let state = wd.state_json();
        let secret = state["values"]["root_module"]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == "devin_secret.s")
            .expect("devin_secret.s in state");
        assert_eq!(
            secret["values"]["org_id"],
            serde_json::json!(api.org()),
            "{t} {v}: org_id in state"
        );
        wd.destroy().assert_ok("destroy");
        assert!(standin.secrets().is_empty(), "{t} {v}");
    }
}

#[test]
fn running_the_plugin_by_hand_explains_itself() {
    let out = std::process::Command::new(common::provider_binary())
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("This is a Terraform and OpenTofu provider plugin"),
        "{text}"
    );
    assert!(text.contains("devin-oss/devin"), "{text}");
    let version = std::process::Command::new(common::provider_binary())
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("terraform-provider-devin {}", env!("CARGO_PKG_VERSION"))
    );
}
