//! End to end: every API failure becomes a diagnostic a person can act on, and neither
//! the secret value nor the API key ever shows up in output or logs, on the Devin API v1
//! and v3 alike: the same fault scenarios run on both versions under every CLI.

mod common;

use common::{cases, provider_hcl, squash, tools, Api, Workdir};
use devin_api_standin::{Budget, Config, Fault, FaultRule};

fn one_secret(provider_block: &str, value: &str) -> String {
    provider_hcl(&format!(
        r#"
{provider_block}
resource "devin_secret" "s" {{
  key   = "ERR_KEY"
  value = "{value}"
}}
"#
    ))
}

/// A status fault on `method` requests to `api`'s secrets endpoints only: a provider that
/// spoke the other version would never meet it.
fn fault(
    api: Api,
    status: u16,
    retry_after: Option<&str>,
    body: Option<&str>,
    method: &str,
    budget: Budget,
) -> FaultRule {
    rule(
        api,
        Fault::Status {
            status,
            retry_after: retry_after.map(Into::into),
            body: body.map(Into::into),
        },
        method,
        budget,
    )
}

/// `fault` on `method` requests to `api`'s secrets endpoints.
fn rule(api: Api, fault: Fault, method: &str, budget: Budget) -> FaultRule {
    FaultRule {
        fault,
        method: Some(method.into()),
        path_prefix: Some(api.secrets_path()),
        budget,
    }
}

/// The text around the first `needle`, for failure messages.
fn context(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(300)
        .map_or(0, |(i, _)| i);
    text[start..(at + needle.len() + 100).min(text.len())].to_string()
}

fn assert_all(out: &str, what: &str, expected: &[&str]) {
    // Terraform wraps diagnostic text to the width of a terminal.
    let flat = squash(out);
    for e in expected {
        assert!(
            flat.contains(&squash(e)),
            "{what}: expected {e:?} in:\n{out}"
        );
    }
    assert!(
        !out.contains("stack backtrace"),
        "{what}: a backtrace in:\n{out}"
    );
}

/// The ids in the state's `devin_secret` instances, sorted.
fn state_ids(wd: &Workdir) -> Vec<String> {
    let state = wd.state_json();
    let mut ids: Vec<String> = state["values"]["root_module"]["resources"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|r| r["type"] == "devin_secret")
        .map(|r| r["values"]["id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn auth_failures_point_at_the_key_without_printing_it() {
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let wrong_key = match api {
            Api::V1 => "apk_user_wrong_key_123",
            Api::V3 => "cog_wrong_key_123",
        };
        let (standin, mut wd) = common::start_api(&tool, api);
        wd.set_env("DEVIN_API_KEY", wrong_key);
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {}", "auth-value"),
        );
        let out = wd.apply().output();
        assert_all(
            &out,
            &what,
            &[
                // Checked once, at configure, before any secret is touched.
                "Devin API rejected the API key while trying to list the organization's secrets",
                "HTTP 401",
                "`api_key`",
                "DEVIN_API_KEY",
            ],
        );
        assert!(!out.contains(wrong_key), "{what}: key printed");
        assert_eq!(standin.request_counts().post, 0, "{what}");

        let wd = Workdir::for_api(&tool, &standin.url(), api);
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {}", "auth-value"),
        );
        standin.push_fault(fault(
            api,
            403,
            None,
            Some(r#"{"detail":"Not allowed to manage secrets"}"#),
            "POST",
            Budget::Next { count: 1 },
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            &what,
            &[
                "Devin API denied permission to create secret \"ERR_KEY\"",
                "HTTP 403: Not allowed to manage secrets",
                "DEVIN_API_KEY",
            ],
        );
        assert!(!out.contains(api.key()), "{what}: key printed");
        assert!(standin.secrets().is_empty(), "{what}");
    }
}

#[test]
fn a_refused_create_points_at_the_attribute() {
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "value-422"));
        // FastAPI names the fields of the body it got: v3 spells the flag `is_sensitive`.
        let body = format!(
            r#"{{"detail":[{{"loc":["body","key"],"msg":"Key must be uppercase","type":"value_error","input":"value-422"}},{{"loc":["body","note"],"msg":"Note too long","type":"string_too_long"}},{{"loc":["body","{}"],"msg":"Input should be a valid boolean","type":"bool_parsing"}}]}}"#,
            api.sensitive_field()
        );
        standin.push_fault(fault(
            api,
            422,
            None,
            Some(&body),
            "POST",
            Budget::Next { count: 1 },
        ));
        let run = wd.apply();
        assert_ne!(run.code, 0, "{what}");
        let out = run.output();
        assert_all(
            &out,
            &what,
            &[
                "Devin API refused to create secret \"ERR_KEY\"",
                "Key must be uppercase",
                "Note too long",
                "Input should be a valid boolean",
                "location: body.key",
                &format!("location: body.{}", api.sensitive_field()),
                "Correct the `key` argument",
                "Correct the `note` argument",
                "Correct the `sensitive` argument",
            ],
        );
        assert_eq!(
            out.matches("Devin API refused to create secret").count(),
            3,
            "{what}: one diagnostic per item"
        );
        assert!(
            !out.contains("value-422"),
            "{what}: the echoed value leaked"
        );
        assert!(standin.secrets().is_empty(), "{what}");
    }
}

#[test]
fn a_duplicate_key_is_an_error_on_key_with_the_existing_id() {
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        let existing = standin.insert_secret("ERR_KEY", "key-value", "someone-elses");
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "mine"));
        let out = wd.apply().output();
        assert_all(
            &out,
            &what,
            &[
                "Cannot create secret \"ERR_KEY\": a secret named \"ERR_KEY\" already exists",
                &format!("The existing secret has id {existing}"),
                &format!("terraform import devin_secret.<name> {existing}"),
            ],
        );
        assert_eq!(
            standin.request_counts().post,
            0,
            "{what}: refused before any POST"
        );
        assert_eq!(standin.secrets().len(), 1, "{what}");
    }
}

#[test]
fn throttling_and_server_errors_report_attempts_and_last_answer() {
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {\n  max_retries = 2\n}", "v-429"),
        );
        standin.push_fault(fault(
            api,
            429,
            Some("0"),
            Some(r#"{"detail":"Rate limit exceeded"}"#),
            "GET",
            Budget::Always,
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            &what,
            &[
                "the Devin API failed 3 times",
                "throttling requests (HTTP 429)",
                "Gave up after 3 attempts",
                "Last answer: HTTP 429: Rate limit exceeded",
                "`max_retries`",
            ],
        );
        assert_eq!(
            standin.request_counts().get,
            3,
            "{what}: 1 attempt + 2 retries"
        );
        standin.clear_faults();

        standin.push_fault(fault(
            api,
            503,
            None,
            Some("<html>Service Unavailable</html>"),
            "GET",
            Budget::Always,
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            &what,
            &[
                "The API is failing (HTTP 5xx)",
                "Last answer: HTTP 503: <html>Service Unavailable</html>",
            ],
        );
        standin.clear_faults();
        wd.apply().assert_ok("apply once the API recovers");
        assert_eq!(standin.secrets().len(), 1, "{what}");
    }
}

#[test]
fn transient_failures_are_retried_until_the_apply_and_destroy_succeed() {
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "v-retried"));
        // The list at configure: throttled, then failing; the create: throttled (never
        // applied, retried blindly), then a 502 (settled through the list, then retried).
        standin.push_fault(fault(
            api,
            429,
            Some("0"),
            None,
            "GET",
            Budget::Next { count: 1 },
        ));
        standin.push_fault(fault(
            api,
            503,
            None,
            None,
            "GET",
            Budget::Next { count: 1 },
        ));
        standin.push_fault(fault(
            api,
            429,
            Some("0"),
            None,
            "POST",
            Budget::Next { count: 1 },
        ));
        standin.push_fault(fault(
            api,
            502,
            None,
            None,
            "POST",
            Budget::Next { count: 1 },
        ));
        wd.apply().assert_ok("apply through transient failures");
        let stored = standin.secrets();
        assert_eq!(stored.len(), 1, "{what}: one secret, no duplicate");
        assert_eq!(state_ids(&wd), [stored[0].id.clone()], "{what}: in state");
        let counts = standin.request_counts();
        assert_eq!(
            counts.post, 3,
            "{what}: 429, 502, then the create: {counts:?}"
        );
        let statuses: Vec<u16> = standin
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .map(|r| r.status)
            .collect();
        assert_eq!(statuses, [429, 502, 200], "{what}");
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{what}: settled: {}", plan.output());

        standin.push_fault(fault(
            api,
            503,
            Some("0"),
            None,
            "DELETE",
            Budget::Next { count: 2 },
        ));
        standin.reset_counts();
        wd.destroy().assert_ok("destroy through transient failures");
        assert_eq!(standin.request_counts().delete, 3, "{what}");
        assert!(standin.secrets().is_empty(), "{what}");
        assert!(wd.state_list().is_empty(), "{what}");
    }
}

#[test]
fn an_ambiguous_create_leaves_no_duplicate_and_no_orphan() {
    // Each fault hits one POST: the first two apply the create and lose the answer, the
    // other three never apply it. The provider must adopt the first kind (from the list)
    // and retry the second, never the other way round.
    let faults = [
        Fault::DropAfter,
        Fault::MalformedAfter,
        Fault::DropBefore,
        Fault::MalformedBefore { status: 502 },
        Fault::Status {
            status: 500,
            retry_after: None,
            body: None,
        },
    ];
    let n = faults.len();
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"
provider "devin" {{}}
resource "devin_secret" "s" {{
  count = {n}
  key   = "AMBIGUOUS_${{count.index}}"
  value = "ambiguous-value-${{count.index}}"
}}
"#
            )),
        );
        for f in &faults {
            standin.push_fault(rule(api, f.clone(), "POST", Budget::Next { count: 1 }));
        }
        wd.apply().assert_ok("apply through ambiguous creates");
        let stored = standin.secrets();
        let mut keys: Vec<&str> = stored.iter().map(|s| s.key.as_str()).collect();
        keys.sort();
        let expected: Vec<String> = (0..n).map(|i| format!("AMBIGUOUS_{i}")).collect();
        assert_eq!(keys, expected, "{what}: each secret exactly once");
        for s in &stored {
            assert_eq!(
                s.value,
                format!("ambiguous-value-{}", &s.key["AMBIGUOUS_".len()..]),
                "{what}"
            );
        }
        let mut ids: Vec<String> = stored.iter().map(|s| s.id.clone()).collect();
        ids.sort();
        assert_eq!(
            state_ids(&wd),
            ids,
            "{what}: every secret in state, no orphan"
        );
        let posts: Vec<u16> = standin
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .map(|r| r.status)
            .collect();
        // n creates, and one retry for each fault that did not apply its create.
        assert_eq!(posts.len(), n + 3, "{what}: POST statuses {posts:?}");
        let count = |status| posts.iter().filter(|s| **s == status).count();
        assert_eq!(
            (count(0), count(500), count(502)),
            (2, 1, 1),
            "{what}: every fault fired: {posts:?}"
        );
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{what}: settled: {}", plan.output());
        wd.destroy().assert_ok("destroy");
        assert!(standin.secrets().is_empty(), "{what}");
    }
}

#[test]
fn malformed_answers_give_a_clear_diagnostic() {
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {\n  max_retries = 1\n}", "v-malformed"),
        );
        standin.push_fault(fault(
            api,
            200,
            None,
            Some(r#"{"items": "not what you expected"}"#),
            "GET",
            Budget::Always,
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            &what,
            &[
                "Devin API sent an unexpected answer while trying to list the organization's secrets",
                match api {
                    Api::V1 => "expected a JSON list of secrets",
                    Api::V3 => "expected a page of secrets",
                },
                "not what you expected",
            ],
        );
        standin.clear_faults();
        standin.push_fault(fault(
            api,
            400,
            None,
            Some("plain text, not JSON"),
            "POST",
            Budget::Next { count: 1 },
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            &what,
            &[
                "Devin API refused to create secret",
                "HTTP 400: plain text, not JSON",
            ],
        );
        assert!(standin.secrets().is_empty(), "{what}");
    }
}

#[test]
fn destroying_a_secret_that_is_already_gone_succeeds() {
    for ((tool, api), status) in cases()
        .into_iter()
        .flat_map(|c| [404u16, 403].map(move |s| (c.clone(), s)))
    {
        let what = format!("{} {} ({status})", tool.name, api.name());
        // What the API answers for an id it does not have: v3 answers 403 by default.
        let config = match api {
            Api::V1 => Config {
                unknown_delete_status: status,
                ..Config::default()
            },
            Api::V3 => Config {
                v3_unknown_delete_status: status,
                ..Config::default()
            },
        };
        let (standin, wd) = common::start_api_with(&tool, api, config);
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "v-gone"));
        wd.apply().assert_ok("apply");
        let id = standin.secrets()[0].id.clone();
        assert!(standin.remove_secret(&id), "{what}");
        standin.reset_counts();
        let before = standin.requests().len();
        // Skip the refresh, so the provider sends the DELETE for an id that is gone.
        wd.run(&[
            "destroy",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-refresh=false",
        ])
        .assert_ok("destroy of a gone secret");
        assert!(wd.state_list().is_empty(), "{what}");
        assert_eq!(standin.request_counts().delete, 1, "{what}");
        let requests = standin.requests();
        let after_delete: Vec<(&str, u16)> = requests[before..]
            .iter()
            .skip_while(|r| r.method != "DELETE")
            .map(|r| (r.method.as_str(), r.status))
            .collect();
        assert_eq!(after_delete.first(), Some(&("DELETE", status)), "{what}");
        // A 403 (or on v3 any refusal) is ambiguous: only a list can say the secret is gone.
        let confirmed = after_delete.iter().skip(1).any(|(m, _)| *m == "GET");
        let must_confirm = status == 403 || api == Api::V3;
        assert_eq!(
            confirmed, must_confirm,
            "{what}: a list after the DELETE: {after_delete:?}"
        );

        // A 403 for a secret that does exist is a real refusal.
        if status == 403 {
            wd.apply().assert_ok("apply");
            standin.push_fault(fault(
                api,
                403,
                None,
                Some(r#"{"detail":"Forbidden"}"#),
                "DELETE",
                Budget::Always,
            ));
            let out = wd.destroy().output();
            assert_all(
                &out,
                &what,
                &["Devin API denied permission to delete secret"],
            );
            assert_eq!(wd.state_list(), ["devin_secret.s"], "{what}");
            assert_eq!(standin.secrets().len(), 1, "{what}");
        }
    }
}

#[test]
fn odd_ids_in_state_stay_one_path_segment() {
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let (standin, wd) = common::start_api(&tool, api);
        let base = api.secrets_path();
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "v-ids"));
        for (id, segment) in [
            ("../x", "..%2Fx"),
            ("a/b", "a%2Fb"),
            ("?", "%3F"),
            ("#", "%23"),
            ("%2F", "%252F"),
        ] {
            wd.apply().assert_ok("apply");
            wd.edit_state(|state| {
                state["resources"][0]["instances"][0]["attributes"]["id"] = id.into();
            });
            let before = standin.requests().len();
            wd.run(&[
                "destroy",
                "-auto-approve",
                "-input=false",
                "-no-color",
                "-refresh=false",
            ])
            .assert_ok("destroy");
            let delete = standin.requests()[before..]
                .iter()
                .find(|r| r.method == "DELETE")
                .cloned()
                .expect("a DELETE");
            assert_eq!(
                delete.path,
                format!("{base}/{segment}"),
                "{what}: id {id:?}"
            );
            // The real secret is still there: clean it up out of band.
            for s in standin.secrets() {
                standin.remove_secret(&s.id);
            }
        }
        // An import id with a path in it: on v1 the `org_id/secret_id` form is refused
        // before any request; on v3 the part after the organization is only an id.
        let import = match api {
            Api::V1 => "../../v1/secrets".to_string(),
            Api::V3 => format!("{}/../../v1/secrets", devin_api_standin::DEFAULT_ORG),
        };
        let run = wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.s",
            &import,
        ]);
        assert_ne!(run.code, 0, "{what}");
        let expected = match api {
            Api::V1 => "has the form `org_id/secret_id`",
            Api::V3 => "no secret has this id",
        };
        assert!(
            squash(&run.output()).contains(expected),
            "{what}: {}",
            run.output()
        );
        assert!(
            standin.requests().iter().all(|r| r.path.starts_with(&base)),
            "{what}: {:?}",
            standin
                .requests()
                .iter()
                .map(|r| &r.path)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn bad_provider_input_is_caught_before_any_request() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        for (url, message) in [
            (
                "https://user:pw@api.devin.ai",
                "api_url must not contain credentials",
            ),
            (
                "https://api.devin.ai/?org=1",
                "api_url must not have a query or a fragment",
            ),
            (
                "https://api.devin.ai/#top",
                "api_url must not have a query or a fragment",
            ),
            ("ftp://api.devin.ai", "unsupported scheme"),
        ] {
            wd.write(
                "main.tf",
                &one_secret(
                    &format!("provider \"devin\" {{\n  api_url = \"{url}\"\n}}"),
                    "v",
                ),
            );
            let run = wd.validate();
            assert_ne!(run.code, 0, "{}: {url}", tool.name);
            assert_all(&run.output(), tool.name, &[message]);
        }
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
provider "devin" {}
resource "devin_secret" "s" {
  key   = "my-api.key"
  value = "v"
}
"#,
            ),
        );
        let run = wd.validate();
        run.assert_ok("a rewritten key is only a warning");
        assert_all(
            &run.output(),
            tool.name,
            &["Devin sessions will see this secret as $my_api_key"],
        );
        assert_eq!(api.request_counts(), Default::default());
    }
}

#[test]
fn trace_logs_and_output_never_hold_the_value_or_the_key() {
    const VALUE: &str = "VALUE_LEAKCHECK_1a2b3c4d";
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let secret_key = match api {
            Api::V1 => "apk_user_LEAKCHECK_9f8e7d6c",
            Api::V3 => "cog_LEAKCHECK_9f8e7d6c",
        };
        let (standin, mut wd) = common::start_api_with(&tool, api, api.config_with_key(secret_key));
        wd.set_env("DEVIN_API_KEY", secret_key);
        let log = wd.path().join("trace.log");
        wd.set_env("TF_LOG", "trace");
        wd.set_env("TF_LOG_PATH", log.to_str().unwrap());
        // As users do: the value comes from a sensitive variable, so Terraform's own
        // rendering of the configuration never shows it either.
        wd.set_env("TF_VAR_secret_value", VALUE);
        wd.write(
            "main.tf",
            &one_secret(
                "provider \"devin\" {}\nvariable \"secret_value\" {\n  type      = string\n  sensitive = true\n}",
                "${var.secret_value}",
            ),
        );
        let echo = format!(
            r#"{{"detail":[{{"loc":["body","value"],"msg":"Value rejected","type":"value_error","input":{{"value":"{VALUE}","key":"{secret_key}"}}}}]}}"#
        );
        standin.push_fault(fault(
            api,
            422,
            None,
            Some(&echo),
            "POST",
            Budget::Next { count: 1 },
        ));
        standin.push_fault(fault(
            api,
            503,
            Some("0"),
            Some(&format!("upstream saw {VALUE} and {secret_key}")),
            "GET",
            Budget::Next { count: 1 },
        ));
        let mut outputs = vec![wd.apply().output()];
        standin.push_fault(fault(
            api,
            500,
            None,
            Some(&format!("boom {secret_key} {VALUE}")),
            "POST",
            Budget::Next { count: 1 },
        ));
        outputs.push(wd.apply().output());
        outputs.push(wd.apply().output());
        standin.push_fault(fault(
            api,
            500,
            None,
            Some(&format!("{{\"detail\":\"{VALUE}\"}}")),
            "DELETE",
            Budget::Next { count: 1 },
        ));
        outputs.push(wd.destroy().output());
        outputs.push(wd.run(&["show", "-no-color"]).output());
        assert_eq!(standin.secrets().len(), 0, "{what}: destroyed in the end");
        let logs = std::fs::read_to_string(&log).expect("trace log");
        assert!(
            logs.contains(&format!("GET {}", api.secrets_path())),
            "{what}: the provider's own debug lines are in the trace"
        );
        for (place, text) in outputs
            .iter()
            .map(|o| ("output", o))
            .chain([("trace log", &logs)])
        {
            assert!(
                !text.contains(VALUE),
                "{what}: the value is in the {place}: {}",
                context(text, VALUE)
            );
            assert!(
                !text.contains(secret_key),
                "{what}: the API key is in the {place}: {}",
                context(text, secret_key)
            );
        }
        assert!(
            outputs[0].contains("Value rejected"),
            "{what}: {}",
            outputs[0]
        );
    }
}

/// A value with everything an encoder rewrites: a quote, a backslash, a slash, a space, a
/// newline, a tab, a Latin letter outside ASCII and an emoji outside the BMP (a surrogate
/// pair in `\u` escapes).
const TRICKY_VALUE: &str = "pa\"ss\\w/\u{f6}rd x\n\t\u{1F600}-LEAK7q";

/// The part of [`TRICKY_VALUE`] that no encoding here rewrites: a leak of any part of the
/// value that keeps it is caught even in an encoding the test does not list.
const TRICKY_TAIL: &str = "LEAK7q";

fn b64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=chunk.len() {
            out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        if pad {
            out.push_str(&"=".repeat(3 - chunk.len()));
        }
    }
    out
}

const B64_STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// JSON string contents with every non-ASCII character as `\uXXXX` (surrogate pairs past
/// the BMP) and `/` as `\/`, as PHP's and Python's encoders write them.
fn json_ascii(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out
}

/// JSON string contents as serde_json (and Go, and JavaScript) write them.
fn json_plain(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}

/// Every encoding of `value` a server's answer might carry.
fn encodings(value: &str) -> Vec<(&'static str, String)> {
    let json = json_plain(value);
    let form = percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let html: String = value
        .chars()
        .map(|c| match c {
            '"' => "&quot;".to_string(),
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect();
    vec![
        ("raw", value.to_string()),
        ("JSON-escaped", json.clone()),
        ("JSON-escaped, ASCII only", json_ascii(value)),
        ("JSON-escaped twice", json_plain(&json)),
        ("percent-encoded", form.clone()),
        ("form-encoded", form.replace("%20", "+")),
        ("HTML-escaped", html),
        ("base64", b64(value.as_bytes(), B64_STD, true)),
        ("base64url", b64(value.as_bytes(), B64_URL, false)),
    ]
}

/// Where `texts` hold `value` in some encoding: the encoding and the place, never the text
/// around it, which could hold part of the value. Terraform wraps diagnostics at spaces,
/// so white space is compared squashed.
fn leaks_of(value: &str, texts: &[(String, &str)]) -> Vec<String> {
    let mut found = Vec::new();
    for (what, text) in texts {
        let text = squash(text);
        for (encoding, needle) in encodings(value)
            .iter()
            .chain(&[("its tail", TRICKY_TAIL.to_string())])
        {
            if let Some(at) = text.find(&squash(needle)) {
                found.push(format!(
                    "the value, {encoding}, is in the {what} at character {}",
                    text[..at].chars().count()
                ));
            }
        }
    }
    found
}

#[test]
fn a_value_echoed_in_any_encoding_never_reaches_output_or_logs() {
    for (tool, api) in cases() {
        value_echoed_in_any_encoding(&tool, api);
    }
}

fn value_echoed_in_any_encoding(tool: &common::Tool, api: Api) {
    let who = format!("{} {}", tool.name, api.name());
    let value = TRICKY_VALUE;
    let json = json_plain(value);
    // The request as this version sends it, for the answers that quote it.
    let request = format!(
        r#"{{"type":"key-value","key":"ERR_KEY","value":"{json}","{}":true,"note":""}}"#,
        api.sensitive_field()
    );
    let all = encodings(value);
    let enc = |name: &str| all.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    // (status, body, what the diagnostic still shows): every body echoes the request.
    let answers: Vec<(u16, String, &str)> = vec![
        // JSON without FastAPI's `detail`: quoted as an excerpt of the raw text.
        (
            400,
            format!(r#"{{"error":"bad request","echo":{{"value":"{json}","key":"ERR_KEY"}}}}"#),
            "HTTP 400",
        ),
        // Text quoting the request as PHP or Python encode JSON.
        (
            400,
            format!(
                r#"rejected {{"value":"{}"}}"#,
                enc("JSON-escaped, ASCII only")
            ),
            "HTTP 400: rejected",
        ),
        // A `detail` that quotes the JSON request: JSON-escaped twice in the body.
        (
            400,
            serde_json::json!({ "detail": format!("conflict with {request}") }).to_string(),
            "conflict with",
        ),
        // A 422 whose `msg` quotes the value, JSON-escaped.
        (
            422,
            serde_json::json!({"detail": [{"loc": ["body", "value"], "type": "value_error",
                "msg": format!("Value error, \"{json}\" is not allowed")}]})
            .to_string(),
            "is not allowed",
        ),
        (
            400,
            format!("bad form: key=ERR_KEY&value={}", enc("form-encoded")),
            "HTTP 400: bad form",
        ),
        (
            400,
            format!("<p>value=&quot;{}&quot;</p>", enc("HTML-escaped")),
            "HTTP 400: <p>value=",
        ),
        (
            400,
            format!(
                r#"{{"error":"bad","value_b64":"{}","body_b64":"{}"}}"#,
                enc("base64"),
                b64(request.as_bytes(), B64_STD, true)
            ),
            "HTTP 400",
        ),
        // A 5xx: the POST is settled by listing, and the last answer is quoted.
        (
            500,
            format!(r#"upstream failed on {{"value":"{json}"}}"#),
            "Last answer: HTTP 500: upstream failed on",
        ),
        // A 200 that is not the version's answer (`{"id": …}`, or a SecretResponse).
        (
            200,
            format!(r#"{{"secret":{{"value":"{json}"}}}}"#),
            "body is not",
        ),
    ];
    let (standin, mut wd) = common::start_api(tool, api);
    let log = wd.path().join("trace.log");
    wd.set_env("TF_LOG", "trace");
    wd.set_env("TF_LOG_PATH", log.to_str().unwrap());
    wd.set_env("TF_VAR_secret_value", value);
    wd.write(
        "main.tf",
        &one_secret(
            "provider \"devin\" {\n  max_retries = 0\n}\nvariable \"secret_value\" {\n  type      = string\n  sensitive = true\n}",
            "${var.secret_value}",
        ),
    );
    let mut texts = Vec::new();
    let mut leaks = Vec::new();
    for (status, body, shown) in &answers {
        standin.push_fault(fault(
            api,
            *status,
            None,
            Some(body),
            "POST",
            Budget::Always,
        ));
        let run = wd.apply();
        standin.clear_faults();
        let out = run.output();
        let what = format!("output of a {status} answer ({shown})");
        let found = leaks_of(value, &[(what.clone(), out.as_str())]);
        if !found.is_empty() {
            // Not printed: the output holds the value.
            leaks.extend(found);
            continue;
        }
        assert_ne!(run.code, 0, "{who}: a {status} answer must fail");
        assert!(
            squash(&out).contains(&squash(shown)),
            "{who}: expected {shown:?} from a {status} answer in:\n{out}"
        );
        assert!(
            out.contains("<redacted>"),
            "{who}: the echoed value is not marked as redacted in:\n{out}"
        );
        texts.push((what, out));
    }
    wd.apply().assert_ok("apply once the API recovers");
    assert_eq!(standin.secrets().len(), 1, "{who}");
    assert!(
        standin.secrets()[0].value == value,
        "{who}: the value sent as is"
    );
    let logs = std::fs::read_to_string(&log).expect("trace log");
    assert!(
        logs.contains(&format!("POST {}", api.secrets_path())),
        "{who}: no provider lines in the trace"
    );
    texts.push(("trace log".to_string(), logs));
    let texts: Vec<(String, &str)> = texts.iter().map(|(w, t)| (w.clone(), t.as_str())).collect();
    leaks.extend(leaks_of(value, &texts));
    assert!(
        leaks.is_empty(),
        "{who}: {} leaks (texts not shown):\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}
