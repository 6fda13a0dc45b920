//! End to end: every API failure becomes a diagnostic a person can act on, on the Devin
//! API v1 and v3 alike: the same fault scenarios run on both versions under every CLI.
//! That neither the value nor the key ever shows is `e2e_secrecy`'s.

mod common;

use common::faults::{assert_all, fault, one_secret};
use common::{cases, provider_hcl, squash, tools, Api, Workdir};
use devin_api_standin::{Budget, Config};

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
                "A secret named \"ERR_KEY\" already exists in Devin",
                &format!("The existing secret has id {existing}"),
                &format!("import {{\n  to = devin_secret.<name>\n  id = \"{existing}\"\n}}"),
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
        let key_config = |keys: &[&str]| {
            let resources: String = keys
                .iter()
                .enumerate()
                .map(|(i, key)| {
                    format!("resource \"devin_secret\" \"s{i}\" {{\n  key = \"{key}\"\n  value = \"v\"\n}}\n")
                })
                .collect();
            provider_hcl(&format!("provider \"devin\" {{}}\n{resources}"))
        };
        for (keys, said) in [
            (
                &["my-api.key", "-x"][..],
                "The key \"my-api.key\" becomes $my_api_key. Use \"my_api_key\" as the key",
            ),
            (
                &["1PASSWORD"][..],
                "The key \"1PASSWORD\" becomes $_1PASSWORD. No key gives _1PASSWORD",
            ),
        ] {
            wd.write("main.tf", &key_config(keys));
            let run = wd.validate();
            run.assert_ok("a rewritten key is only a warning");
            assert_all(
                &run.output(),
                tool.name,
                &[
                    "Devin sessions will see this secret under another name",
                    said,
                ],
            );
            if keys.len() == 2 {
                // One summary for every key: the CLI folds them.
                assert_all(&run.output(), tool.name, &["(and one more similar warning"]);
            } else {
                assert_all(&run.output(), tool.name, &["such as \"PASSWORD_1\""]);
            }
        }
        // The advice followed: the keys it gives do not warn.
        wd.write("main.tf", &key_config(&["my_api_key", "x", "PASSWORD_1"]));
        let run = wd.validate();
        run.assert_ok("the advised keys");
        assert!(
            !run.output().contains("another name"),
            "{}: {}",
            tool.name,
            run.output()
        );
        // A key with a line break is an error that shows the break escaped.
        wd.write("main.tf", &key_config(&["TOKEN\\n"]));
        let run = wd.validate();
        assert_ne!(run.code, 0, "{}: {}", tool.name, run.output());
        assert_all(
            &run.output(),
            tool.name,
            &[
                "`key` holds a line break or another control character",
                "The key \"TOKEN\\n\" holds a character",
                "trimspace(file(",
            ],
        );
        assert!(
            !run.output().contains("TOKEN\n\""),
            "{}: raw break printed",
            tool.name
        );
        assert_eq!(api.request_counts(), Default::default());
    }
}
