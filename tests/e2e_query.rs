//! End to end: the `devin_secret` list resource and `terraform query` (issue 13), under
//! Terraform 1.15.5 (the harness's only CLI with `query`, which came in Terraform 1.14),
//! on both API versions: every matching secret with its identity and key, the filters of
//! the `devin_secrets` data source, one list walk per query, and configuration generated
//! by `-generate-config-out` that imports every secret without a replacement.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{provider_hcl, start_api, Api, Run, Tool, Workdir};
use devin_api_standin::{StandIn, OTHER_ORG};
use serde_json::{json, Value};

/// Values no output may show.
const VALUE: &str = "zq7-query-value-c41d88";
const FILLED: &str = "zq7-query-filled-2f9a60";

/// Output with every test value and key hidden, fit for a failure message.
fn redact(text: &str) -> String {
    common::hide_test_values(text, &[VALUE, FILLED])
}

/// Panics, with the redacted output, unless the command succeeded.
fn ok(run: &Run, what: &str) {
    run.assert_ok_redacted(what, redact);
}

/// Terraform 1.15: the CLI of the harness that has `terraform query`.
fn query_cli() -> Tool {
    common::tool_named("terraform-1.15")
}

/// The largest page the provider asks `/v3` for.
const V3_PAGE: usize = 200;

/// The GET requests one list walk over `n` secrets takes.
fn list_requests(api: Api, n: usize) -> u64 {
    match api {
        Api::V1 => 1,
        Api::V3 => n.div_ceil(V3_PAGE).max(1) as u64,
    }
}

/// One result of `query -json`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    id: String,
    org_id: Option<String>,
    display_name: String,
}

/// `query -json`: the results of each list block, by address, and each block's total.
fn query_json(
    wd: &Workdir,
    what: &str,
) -> (BTreeMap<String, BTreeSet<Found>>, BTreeMap<String, u64>) {
    let run = wd.run(&["query", "-no-color", "-json"]);
    ok(&run, what);
    let mut found: BTreeMap<String, BTreeSet<Found>> = BTreeMap::new();
    let mut totals = BTreeMap::new();
    for line in run.stdout.lines() {
        let Ok(m) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        match m["type"].as_str() {
            Some("list_resource_found") => {
                let r = &m["list_resource_found"];
                assert_eq!(r["resource_type"], "devin_secret", "{what}");
                let identity = r["identity"].as_object().expect("an identity");
                assert_eq!(
                    identity.keys().collect::<Vec<_>>(),
                    ["id", "org_id"],
                    "{what}: the identity's attributes"
                );
                found
                    .entry(r["address"].as_str().unwrap().to_string())
                    .or_default()
                    .insert(Found {
                        id: identity["id"].as_str().unwrap().to_string(),
                        org_id: identity["org_id"].as_str().map(str::to_string),
                        display_name: r["display_name"].as_str().unwrap().to_string(),
                    });
            }
            Some("list_complete") => {
                let c = &m["list_complete"];
                totals.insert(
                    c["address"].as_str().unwrap().to_string(),
                    c["total"].as_u64().unwrap(),
                );
            }
            Some("diagnostic") if m["diagnostic"]["severity"] == "error" => {
                panic!("{what}: {}", redact(&m["diagnostic"].to_string()))
            }
            _ => {}
        }
    }
    (found, totals)
}

const MAIN: &str = "provider \"devin\" {}\n";

#[test]
fn a_query_lists_every_matching_secret_with_its_identity_and_key_in_one_walk() {
    let tool = query_cli();
    for api_version in Api::ALL {
        let case = format!("{} on {}", tool.name, api_version.name());
        let (api, wd) = start_api(&tool, api_version);
        // 250 secrets: more than one /v3 page, and more than a list block's default limit.
        let mut ids: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut add = |key: String, kind: &str| {
            let id = api.insert_secret(&key, kind, VALUE);
            ids.insert(id, (key, kind.to_string()));
        };
        for i in 0..120 {
            add(format!("APP_TOKEN_{i:03}"), "key-value");
        }
        for i in 0..5 {
            add(format!("APP_COOKIE_{i}"), "cookie");
        }
        for i in 0..124 {
            add(format!("OPS_OTP_{i:03}"), "totp");
        }
        add("APP_DICT".into(), "dictionary");
        let n = ids.len();
        assert_eq!(n, 250);
        // Another organization's secrets: never listed.
        for i in 0..3 {
            api.insert_secret_in(OTHER_ORG, &format!("APP_ELSEWHERE_{i}"), "key-value", VALUE);
        }
        let expect = |kind: Option<&str>, prefix: Option<&str>| -> BTreeSet<Found> {
            ids.iter()
                .filter(|(_, (key, k))| {
                    kind.is_none_or(|x| x == k) && prefix.is_none_or(|p| key.starts_with(p))
                })
                .map(|(id, (key, _))| Found {
                    id: id.clone(),
                    org_id: api_version.org().map(str::to_string),
                    display_name: key.clone(),
                })
                .collect()
        };
        wd.write("main.tf", &provider_hcl(MAIN));
        wd.write(
            "secrets.tfquery.hcl",
            r#"
list "devin_secret" "all" {
  provider = devin
  limit    = 1000
}
list "devin_secret" "cookies" {
  provider = devin
  config {
    type = "cookie"
  }
}
list "devin_secret" "app" {
  provider = devin
  limit    = 1000
  config {
    key_prefix = "APP_"
  }
}
list "devin_secret" "app_key_values" {
  provider = devin
  limit    = 1000
  config {
    type       = "key-value"
    key_prefix = "APP_"
  }
}
list "devin_secret" "none" {
  provider = devin
  config {
    key_prefix = "NOTHING_"
  }
}
"#,
        );
        api.reset_counts();
        let (found, totals) = query_json(&wd, &format!("{case}: query"));
        let counts = api.request_counts();
        assert_eq!(
            counts.get,
            list_requests(api_version, n),
            "{case}: one list walk for the whole query, five list blocks included"
        );
        assert_eq!(
            (counts.post, counts.delete, counts.other),
            (0, 0, 0),
            "{case}"
        );

        let blocks = [
            ("list.devin_secret.all", expect(None, None)),
            ("list.devin_secret.cookies", expect(Some("cookie"), None)),
            ("list.devin_secret.app", expect(None, Some("APP_"))),
            (
                "list.devin_secret.app_key_values",
                expect(Some("key-value"), Some("APP_")),
            ),
            ("list.devin_secret.none", BTreeSet::new()),
        ];
        assert_eq!(blocks[0].1.len(), 250, "{case}");
        assert_eq!(blocks[1].1.len(), 5, "{case}");
        assert_eq!(blocks[2].1.len(), 126, "{case}");
        assert_eq!(blocks[3].1.len(), 120, "{case}");
        for (address, expected) in &blocks {
            let got = found.get(*address).cloned().unwrap_or_default();
            assert!(
                got == *expected,
                "{case}: {address}: {} found, {} expected; missing {:?}, extra {:?}",
                got.len(),
                expected.len(),
                expected.difference(&got).take(3).collect::<Vec<_>>(),
                got.difference(expected).take(3).collect::<Vec<_>>(),
            );
            assert_eq!(
                totals.get(*address).copied(),
                Some(expected.len() as u64),
                "{case}: {address}: total"
            );
        }

        // The human output: address, identity, key.
        let text = wd.run(&["query", "-no-color"]);
        ok(&text, &format!("{case}: query"));
        let (id, (key, _)) = ids.iter().find(|(_, (k, _))| k == "APP_COOKIE_3").unwrap();
        let identity = match api_version.org() {
            Some(org) => format!("id={id},org_id={org}"),
            None => format!("id={id}"),
        };
        assert!(
            text.stdout.lines().any(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.first() == Some(&"list.devin_secret.cookies")
                    && words.get(1).is_some_and(|w| w.starts_with(&identity))
                    && words.get(2) == Some(&key.as_str())
            }),
            "{case}: a line with the address, {identity} and {key}:\n{}",
            redact(&text.stdout)
        );

        // The devin_secrets data source, given the same filters, finds the same secrets.
        std::fs::remove_file(wd.path().join("secrets.tfquery.hcl")).unwrap();
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"{MAIN}
data "devin_secrets" "cookies" {{
  type = "cookie"
}}
data "devin_secrets" "app_key_values" {{
  type       = "key-value"
  key_prefix = "APP_"
}}
output "cookies" {{
  value = data.devin_secrets.cookies.secrets[*].id
}}
output "app_key_values" {{
  value = data.devin_secrets.app_key_values.secrets[*].id
}}
"#
            )),
        );
        ok(&wd.apply(), &format!("{case}: data sources"));
        let outputs = wd.run(&["output", "-json"]);
        let outputs: Value = serde_json::from_str(&outputs.stdout).unwrap();
        for (output, address) in [
            ("cookies", "list.devin_secret.cookies"),
            ("app_key_values", "list.devin_secret.app_key_values"),
        ] {
            let from_data: BTreeSet<String> = outputs[output]["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            let from_query: BTreeSet<String> =
                found[address].iter().map(|f| f.id.clone()).collect();
            assert_eq!(from_data, from_query, "{case}: {output}");
        }
    }
}

#[test]
fn an_invalid_filter_is_an_error_on_the_list_block() {
    let tool = query_cli();
    for api_version in Api::ALL {
        let case = format!("{} on {}", tool.name, api_version.name());
        let (api, wd) = start_api(&tool, api_version);
        wd.write("main.tf", &provider_hcl(MAIN));
        wd.write(
            "bad.tfquery.hcl",
            "list \"devin_secret\" \"bad\" {\n  provider = devin\n  config {\n    type = \"password\"\n  }\n}\n",
        );
        let run = wd.run(&["query", "-no-color"]);
        let out = common::squash(&run.output());
        assert_eq!(run.code, 1, "{case}: {out}");
        assert!(
            out.contains("Unsupported secret type \"password\"")
                && out.contains("`type` must be one of: key-value, cookie, totp, dictionary")
                && out.contains("with list.devin_secret.bad")
                && out.contains("line 4, in list \"devin_secret\" \"bad\""),
            "{case}: an error on the `type` line of the config block: {out}"
        );
        assert_eq!(api.request_counts().get, 0, "{case}: nothing listed");
    }
}

/// `gen.tf` as `-generate-config-out` wrote it, with every `value_wo = null` given
/// `value_wo` and every `value = null` line removed (or the other way round).
fn fill_in(generated: &str, prefer_write_only: bool) -> String {
    generated
        .lines()
        .filter_map(|l| {
            let t = l.trim_start();
            let indent = &l[..l.len() - t.len()];
            if t.starts_with("value ") && t.contains("= null") {
                (!prefer_write_only).then(|| format!("{indent}value = var.filled"))
            } else if t.starts_with("value_wo ") && t.contains("= null") {
                prefer_write_only.then(|| format!("{indent}value_wo = var.filled_wo"))
            } else if t.starts_with("value_wo_version ") {
                prefer_write_only.then(|| l.to_string())
            } else {
                Some(l.to_string())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const FILLED_VARIABLES: &str = r#"
variable "filled" {
  type      = string
  sensitive = true
}
variable "filled_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}
"#;

fn adopted_secrets(api: &StandIn) -> BTreeMap<String, devin_api_standin::StoredSecret> {
    api.secrets()
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect()
}

#[test]
fn generated_configuration_imports_every_secret_without_replacement() {
    let tool = query_cli();
    for api_version in Api::ALL {
        for prefer_write_only in [true, false] {
            let case = format!(
                "{} on {}, filled in with {}",
                tool.name,
                api_version.name(),
                if prefer_write_only {
                    "value_wo"
                } else {
                    "value"
                }
            );
            let (api, mut wd) = start_api(&tool, api_version);
            wd.set_env("TF_VAR_filled", FILLED);
            wd.set_env("TF_VAR_filled_wo", FILLED);
            let token = api.insert_secret("GEN_TOKEN", "key-value", VALUE);
            let cookie = api.insert_secret("GEN_COOKIE", "cookie", VALUE);
            let otp = api.insert_secret("GEN_OTP", "totp", VALUE);
            assert!(api.update_secret_meta(&cookie, Some("from the UI"), Some(false)));
            let unmatched = api.insert_secret("OTHER_KEY", "key-value", VALUE);
            let before = adopted_secrets(&api);

            wd.write(
                "main.tf",
                &provider_hcl(&format!("{MAIN}{FILLED_VARIABLES}")),
            );
            wd.write(
                "gen.tfquery.hcl",
                "list \"devin_secret\" \"found\" {\n  provider = devin\n  config {\n    key_prefix = \"GEN_\"\n  }\n}\n",
            );
            api.reset_counts();
            let run = wd.run(&["query", "-no-color", "-generate-config-out=gen.tf"]);
            ok(&run, &format!("{case}: query -generate-config-out"));
            assert_eq!(
                api.request_counts().get,
                list_requests(api_version, 4),
                "{case}: one list request"
            );
            let generated = std::fs::read_to_string(wd.path().join("gen.tf")).unwrap();
            assert!(!generated.contains(VALUE), "{case}: a value in gen.tf");
            assert_eq!(
                generated.matches("resource \"devin_secret\"").count(),
                3,
                "{case}:\n{generated}"
            );
            assert_eq!(generated.matches("import {").count(), 3, "{case}");
            assert!(
                generated.contains("value_wo = null")
                    || generated.contains("value_wo         = null"),
                "{case}: value_wo is offered:\n{generated}"
            );
            for id in [&token, &cookie, &otp] {
                assert!(
                    generated.contains(&format!("id     = \"{id}\""))
                        || generated.contains(&format!("id = \"{id}\"")),
                    "{case}: an import block with the identity of {id}:\n{generated}"
                );
            }
            assert!(!generated.contains(&unmatched), "{case}: filtered");
            if let Some(org) = api_version.org() {
                assert!(
                    generated.contains(&format!("org_id = \"{org}\"")),
                    "{case}: org_id in the identities:\n{generated}"
                );
                // v3 reports note and sensitive flag: the configuration keeps them.
                assert!(
                    generated.contains("note             = \"from the UI\"")
                        && generated.contains("sensitive        = false"),
                    "{case}: the note and flag set in the UI:\n{generated}"
                );
            }

            // As generated: `value = null`, an error on `value`, nothing sent.
            let plan = wd.plan();
            let out = common::squash(&redact(&plan.output()));
            assert_eq!(plan.code, 1, "{case}: {out}");
            assert!(out.contains("`value` is null"), "{case}: {out}");

            // Filled in.
            std::fs::remove_file(wd.path().join("gen.tfquery.hcl")).unwrap();
            std::fs::write(
                wd.path().join("gen.tf"),
                fill_in(&generated, prefer_write_only),
            )
            .unwrap();
            let plan = wd.plan();
            let out = redact(&plan.output());
            assert_eq!(plan.code, 2, "{case}: {out}");
            assert!(
                !out.contains("must be replaced")
                    && out.contains("3 to import, 0 to add")
                    && out.contains("0 to destroy"),
                "{case}: imports only:\n{out}"
            );
            let apply = wd.apply();
            ok(&apply, &format!("{case}: apply"));
            // With `value_wo` and no version there is nothing to record, except on v1,
            // whose list reports no note or sensitive flag: those are recorded from the
            // configuration, in place. A `value` is recorded in state, in place.
            let summary = if prefer_write_only && api_version == Api::V3 {
                "Resources: 3 imported, 0 added, 0 changed, 0 destroyed."
            } else {
                "Resources: 3 imported, 0 added, 3 changed, 0 destroyed."
            };
            assert!(
                apply.stdout.contains(summary),
                "{case}: {summary}\n{}",
                redact(&apply.stdout)
            );
            let counts = api.request_counts();
            assert_eq!((counts.post, counts.delete), (0, 0), "{case}: nothing sent");
            assert!(
                adopted_secrets(&api) == before,
                "{case}: every secret untouched"
            );

            let state = wd.state_json();
            let resources = state["values"]["root_module"]["resources"]
                .as_array()
                .unwrap()
                .clone();
            let identities: BTreeSet<String> = resources
                .iter()
                .map(|r| {
                    assert_eq!(r["identity"]["org_id"], json!(api_version.org()), "{case}");
                    r["identity"]["id"].as_str().unwrap().to_string()
                })
                .collect();
            let expected: BTreeSet<String> = [&token, &cookie, &otp].into_iter().cloned().collect();
            assert_eq!(identities, expected, "{case}: adopted by identity");
            let state_file = std::fs::read_to_string(wd.path().join("terraform.tfstate")).unwrap();
            assert_eq!(
                state_file.contains(FILLED),
                !prefer_write_only,
                "{case}: the value is in state exactly when `value` was filled in"
            );
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
