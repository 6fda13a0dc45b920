//! End to end: `devin_secret` through real `terraform` and `tofu` against the stand-in.

mod common;

use common::{provider_hcl, tools};
use devin_api_standin::{Budget, Fault, FaultRule};

const KEY: &str = "test-api-key";

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
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write("main.tf", &secret("first-value-123"));

        wd.apply().assert_ok("apply");
        let stored = api.secrets();
        assert_eq!(stored.len(), 1, "{}: one secret after apply", tool.name);
        let s = &stored[0];
        assert_eq!(
            (
                s.key.as_str(),
                s.value.as_str(),
                s.kind.as_str(),
                s.sensitive,
                s.note.as_str()
            ),
            ("GITHUB_TOKEN", "first-value-123", "totp", false, "CI token"),
            "{}",
            tool.name
        );
        let state = wd.state_json();
        let values = &state["values"]["root_module"]["resources"][0]["values"];
        assert_eq!(values["id"], s.id.as_str());
        // The create call answers only the id; a refresh fills created_at in.
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
        assert_eq!(values["created_at"], s.created_at.as_str());

        let plan = wd.plan();
        assert_eq!(
            plan.code,
            0,
            "{}: plan after apply must be empty:\n{}",
            tool.name,
            plan.output()
        );

        wd.write("main.tf", &secret("second-value-456"));
        let plan = wd.plan();
        assert_eq!(plan.code, 2, "{}: {}", tool.name, plan.output());
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
        assert!(
            !plan.output().contains("second-value-456"),
            "{}: value printed",
            tool.name
        );

        wd.apply().assert_ok("apply replacement");
        let stored = api.secrets();
        assert_eq!(
            stored.len(),
            1,
            "{}: exactly one secret after replacement",
            tool.name
        );
        assert_eq!(stored[0].value, "second-value-456");
        assert_ne!(
            stored[0].id, s.id,
            "{}: a replacement has a new id",
            tool.name
        );

        wd.destroy().assert_ok("destroy");
        assert!(
            api.secrets().is_empty(),
            "{}: destroy leaves nothing",
            tool.name
        );
    }
}

#[test]
fn requests_follow_the_documented_wire_format() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
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
        let requests = api.requests();
        let post = requests
            .iter()
            .find(|r| r.method == "POST")
            .expect("a POST");
        assert_eq!(post.path, "/v1/secrets");
        let body: serde_json::Value = serde_json::from_str(&post.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"type": "key-value", "key": "PLAIN", "value": "plain-value-789", "sensitive": true, "note": ""}),
            "{}: note is sent as \"\" and sensitive defaults to true",
            tool.name
        );
        let header = |name: &str| {
            post.headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(header("authorization"), format!("Bearer {KEY}"));
        assert!(header("content-type").starts_with("application/json"));
        let ua = header("user-agent");
        assert!(ua.starts_with("terraform-provider-devin/"), "{ua}");
        assert!(ua.contains(" Terraform/"), "{ua}");
        let delete = requests
            .iter()
            .find(|r| r.method == "DELETE")
            .expect("a DELETE");
        assert!(
            delete.path.starts_with("/v1/secrets/sec_"),
            "{}",
            delete.path
        );
        assert!(requests.iter().all(|r| r.path.starts_with("/v1/secrets")));
    }
}

#[test]
fn a_refused_delete_reports_the_api_message_and_keeps_the_secret_in_state() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write("main.tf", &secret("value-for-422"));
        wd.apply().assert_ok("apply");

        api.push_fault(FaultRule {
            fault: Fault::Status {
                status: 422,
                retry_after: None,
                body: Some(
                    r#"{"detail":[{"loc":["path","secret_id"],"msg":"Secret is in use by a running session","type":"value_error.in_use"}]}"#
                        .into(),
                ),
            },
            method: Some("DELETE".into()),
            path_prefix: None,
            budget: Budget::Next { count: 1 },
        });
        let failed = wd.destroy();
        assert_ne!(failed.code, 0, "{}: destroy must fail", tool.name);
        let out = failed.output();
        assert!(
            out.contains("Devin API refused to delete secret"),
            "{}: {out}",
            tool.name
        );
        assert!(
            out.contains("Secret is in use by a running session"),
            "{}: {out}",
            tool.name
        );
        assert!(out.contains("value_error.in_use"), "{}: {out}", tool.name);
        assert!(!out.contains("stack backtrace"), "{}: {out}", tool.name);
        assert_eq!(
            wd.state_list(),
            ["devin_secret.gh"],
            "{}: still in state",
            tool.name
        );
        assert_eq!(api.secrets().len(), 1);

        wd.destroy().assert_ok("second destroy");
        assert!(api.secrets().is_empty());
        assert!(wd.state_list().is_empty());
    }
}

#[test]
fn a_missing_api_key_is_one_clear_error() {
    for tool in tools() {
        let (api, mut wd) = common::start(&tool);
        wd.remove_env("DEVIN_API_KEY");
        wd.write("main.tf", &secret("v-missing-key"));
        let run = wd.plan();
        assert_eq!(run.code, 1, "{}: {}", tool.name, run.output());
        let out = run.output();
        assert!(
            out.contains("No Devin API key: set `api_key` or DEVIN_API_KEY"),
            "{}: {out}",
            tool.name
        );
        assert_eq!(
            out.matches("No Devin API key").count(),
            1,
            "{}: one error: {out}",
            tool.name
        );
        assert_eq!(api.request_counts().get, 0);
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
    for tool in tools() {
        let (api, mut wd) = common::start(&tool);
        wd.remove_env("DEVIN_API_KEY");
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"
resource "terraform_data" "key" {{
  input = "{KEY}"
}}
provider "devin" {{
  api_key = terraform_data.key.output
}}
resource "devin_secret" "s" {{
  key   = "FROM_UNKNOWN_CONFIG"
  value = "v-unknown"
}}
"#
            )),
        );
        let plan = wd.plan();
        assert_eq!(
            plan.code,
            2,
            "{}: the plan works with an unknown api_key:\n{}",
            tool.name,
            plan.output()
        );
        wd.apply()
            .assert_ok("apply with a provider configured from another resource");
        assert_eq!(api.secrets().len(), 1);
        wd.destroy().assert_ok("destroy");
        assert!(api.secrets().is_empty());
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
