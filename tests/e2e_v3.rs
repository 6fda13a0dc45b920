//! End to end: what only the Devin API v3 has, under every CLI: the choice of version and
//! organization, a key used with another organization, two organizations through
//! provider aliases, drift in note and sensitivity, import by `org_id/secret_id`,
//! integer timestamps in either unit, and lists that take several pages.

mod common;

use common::{provider_hcl, squash, tools, v3_created_at, Api, Run, Workdir};
use devin_api_standin::{
    Config, StandIn, StoredSecret, TimestampUnit, DEFAULT_ORG, DEFAULT_ORG_KEY, OTHER_ORG,
    OTHER_ORG_KEY,
};

/// A legacy-style (`apk_`) key a stand-in can be told to accept on v1.
const APK_KEY: &str = "apk_CHECK_v1_4d5e6f";
/// A key whose prefix says no version.
const PLAIN_KEY: &str = "plainkey_CHECK_7a8b9c";

fn one_secret(provider_block: &str) -> String {
    provider_hcl(&format!(
        r#"
{provider_block}
resource "devin_secret" "s" {{
  key   = "V3_ONLY"
  value = "v3-only-value"
}}
"#
    ))
}

/// Panics unless `run` failed with exactly one error, which holds each of `expected`
/// (white space squashed) and no key.
fn assert_one_error(run: &Run, who: &str, expected: &[&str]) {
    let out = run.output();
    assert_eq!(run.code, 1, "{who}: {out}");
    assert_eq!(
        out.matches("Error: ").count(),
        1,
        "{who}: one error:\n{out}"
    );
    let flat = squash(&out);
    for e in expected {
        assert!(
            flat.contains(&squash(e)),
            "{who}: expected {e:?} in:\n{out}"
        );
    }
    assert_no_key(&out, who);
}

fn assert_no_key(out: &str, who: &str) {
    for key in [APK_KEY, PLAIN_KEY, DEFAULT_ORG_KEY, OTHER_ORG_KEY] {
        assert!(!out.contains(key), "{who}: a key is printed:\n{out}");
    }
    assert!(!out.contains("stack backtrace"), "{who}: {out}");
}

/// The `devin_secret` instances in state: address to values.
fn state_secrets(wd: &Workdir) -> Vec<(String, serde_json::Value)> {
    let state = wd.state_json();
    state["values"]["root_module"]["resources"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|r| r["type"] == "devin_secret")
        .map(|r| {
            (
                r["address"].as_str().unwrap().to_string(),
                r["values"].clone(),
            )
        })
        .collect()
}

fn stored_by_key(standin: &StandIn, org: &str, key: &str) -> Vec<StoredSecret> {
    standin
        .secrets()
        .into_iter()
        .filter(|s| s.org_id == org && s.key == key)
        .collect()
}

#[test]
fn the_key_and_the_settings_pick_the_version_and_the_organization() {
    for tool in tools() {
        let t = tool.name;
        let standin = StandIn::start(Config::default()).unwrap();

        // A `cog_` key needs an organization: one error naming both places to set it.
        let mut wd = Workdir::for_api(&tool, &standin.url(), Api::V3);
        wd.remove_env("DEVIN_ORG_ID");
        wd.write("main.tf", &one_secret("provider \"devin\" {}"));
        assert_one_error(
            &wd.plan(),
            &format!("{t}: a cog_ key without org_id"),
            &[
                "No organization: set `org_id` or DEVIN_ORG_ID",
                "DEVIN_ORG_ID",
            ],
        );

        // An `apk_` key with `org_id`: an error on `org_id`, on its line.
        let mut wd = Workdir::new(&tool, &standin.url(), APK_KEY);
        wd.write(
            "main.tf",
            &one_secret(&format!(
                "provider \"devin\" {{\n  org_id = \"{DEFAULT_ORG}\"\n}}"
            )),
        );
        assert_one_error(
            &wd.plan(),
            &format!("{t}: an apk_ key with org_id"),
            &[
                "`org_id` cannot be used with a v1 API key",
                &format!("org_id = \"{DEFAULT_ORG}\""),
            ],
        );

        // `api_version` against the key's prefix: an error on `api_version`, both ways.
        for (key, version, speaks) in [(DEFAULT_ORG_KEY, "v1", "v3"), (APK_KEY, "v3", "v1")] {
            wd.set_env("DEVIN_API_KEY", key);
            wd.set_env("DEVIN_ORG_ID", DEFAULT_ORG);
            wd.write(
                "main.tf",
                &one_secret(&format!(
                    "provider \"devin\" {{\n  api_version = \"{version}\"\n}}"
                )),
            );
            assert_one_error(
                &wd.plan(),
                &format!("{t}: api_version {version} with a {speaks} key"),
                &[
                    &format!("api_version is \"{version}\", but the key speaks {speaks}"),
                    &format!("api_version = \"{version}\""),
                ],
            );
        }
        assert_eq!(standin.requests().len(), 0, "{t}: nothing was sent");

        // DEVIN_ORG_ID is ignored with an `apk_` key: it speaks v1.
        let v1 = StandIn::start(Api::V1.config_with_key(APK_KEY)).unwrap();
        let mut wd = Workdir::new(&tool, &v1.url(), APK_KEY);
        wd.set_env("DEVIN_ORG_ID", OTHER_ORG);
        wd.write("main.tf", &one_secret("provider \"devin\" {}"));
        let plan = wd.plan();
        assert_eq!(
            plan.code,
            2,
            "{t}: an apk_ key with DEVIN_ORG_ID: {}",
            plan.output()
        );
        assert!(
            v1.requests().iter().all(|r| r.path == "/v1/secrets"),
            "{t}: {:?}",
            v1.requests().iter().map(|r| &r.path).collect::<Vec<_>>()
        );

        // A key whose prefix says nothing speaks v3 with `api_version = "v3"`, or when an
        // organization is given.
        let plain = StandIn::start(Api::V3.config_with_key(PLAIN_KEY)).unwrap();
        let mut wd = Workdir::new(&tool, &plain.url(), PLAIN_KEY);
        wd.set_env("DEVIN_ORG_ID", DEFAULT_ORG);
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {\n  api_version = \"v3\"\n}"),
        );
        let run = wd.apply();
        run.assert_ok("apply with api_version = \"v3\" and a plain key");
        assert_no_key(&run.output(), t);
        let stored = plain.secrets();
        assert_eq!(stored.len(), 1, "{t}");
        assert_eq!(stored[0].org_id, DEFAULT_ORG, "{t}");
        assert_eq!(
            state_secrets(&wd)[0].1["org_id"],
            DEFAULT_ORG,
            "{t}: org_id in state"
        );
        wd.write("main.tf", &one_secret("provider \"devin\" {}"));
        let plan = wd.plan();
        assert_eq!(
            plan.code,
            0,
            "{t}: the organization alone picks v3: {}",
            plan.output()
        );
        wd.destroy().assert_ok("destroy");
        assert!(plain.secrets().is_empty(), "{t}");
        let paths: Vec<String> = plain.requests().iter().map(|r| r.path.clone()).collect();
        assert!(
            paths.iter().all(|p| p.starts_with(&Api::V3.secrets_path())),
            "{t}: {paths:?}"
        );
    }
}

#[test]
fn a_key_used_with_another_organization_is_one_error_at_configure() {
    for tool in tools() {
        let t = tool.name;
        let standin = StandIn::start(Config::default()).unwrap();
        // The default organization's key, pointed at the other one.
        let mut wd = Workdir::for_api(&tool, &standin.url(), Api::V3);
        wd.set_env("DEVIN_ORG_ID", OTHER_ORG);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
provider "devin" {}
resource "devin_secret" "s" {
  count = 5
  key   = "WRONG_ORG_${count.index}"
  value = "v"
}
"#,
            ),
        );
        for (what, run) in [("plan", wd.plan()), ("apply", wd.apply())] {
            assert_one_error(
                &run,
                &format!("{t} {what}"),
                &[
                    "Devin API denied permission to list the organization's secrets",
                    "HTTP 403",
                    OTHER_ORG,
                ],
            );
        }
        let counts = standin.request_counts();
        assert_eq!(
            (counts.get, counts.post, counts.delete),
            (2, 0, 0),
            "{t}: one list at each configure, then nothing"
        );
        assert!(standin.secrets().is_empty(), "{t}");
    }
}

/// Two providers, one per organization, each with its own key; one secret key used in
/// both organizations, and a list of each.
fn two_orgs(there_provider: &str) -> String {
    provider_hcl(&format!(
        r#"
provider "devin" {{}}
provider "devin" {{
  alias   = "other"
  org_id  = "{OTHER_ORG}"
  api_key = "{OTHER_ORG_KEY}"
}}
resource "devin_secret" "here" {{
  key   = "SAME_NAME"
  value = "here-value"
}}
resource "devin_secret" "there" {{
  {there_provider}
  key   = "SAME_NAME"
  value = "there-value"
}}
data "devin_secrets" "here" {{
  depends_on = [devin_secret.here, devin_secret.there]
}}
data "devin_secrets" "there" {{
  provider   = devin.other
  depends_on = [devin_secret.here, devin_secret.there]
}}
output "here" {{ value = [for s in data.devin_secrets.here.secrets : s.id] }}
output "there" {{ value = [for s in data.devin_secrets.there.secrets : s.id] }}
"#
    ))
}

#[test]
fn two_organizations_through_provider_aliases() {
    for tool in tools() {
        let t = tool.name;
        let standin = StandIn::start(Config::default()).unwrap();
        let wd = Workdir::for_api(&tool, &standin.url(), Api::V3);
        wd.write("main.tf", &two_orgs("provider = devin.other"));
        wd.apply().assert_ok("apply in two organizations");
        let here = stored_by_key(&standin, DEFAULT_ORG, "SAME_NAME");
        let there = stored_by_key(&standin, OTHER_ORG, "SAME_NAME");
        assert_eq!(
            (here.len(), there.len(), standin.secrets().len()),
            (1, 1, 2),
            "{t}: one secret in each organization"
        );
        assert_eq!(here[0].value, "here-value", "{t}");
        assert_eq!(there[0].value, "there-value", "{t}");
        let state = state_secrets(&wd);
        for (address, values) in &state {
            let (org, id) = match address.as_str() {
                "devin_secret.here" => (DEFAULT_ORG, &here[0].id),
                _ => (OTHER_ORG, &there[0].id),
            };
            assert_eq!(values["org_id"], org, "{t}: {address}");
            assert_eq!(values["id"], id.as_str(), "{t}: {address}");
        }
        let outputs: serde_json::Value =
            serde_json::from_str(&wd.run(&["output", "-json"]).stdout).unwrap();
        assert_eq!(
            outputs["here"]["value"],
            serde_json::json!([here[0].id]),
            "{t}"
        );
        assert_eq!(
            outputs["there"]["value"],
            serde_json::json!([there[0].id]),
            "{t}"
        );
        // Each provider used its own key, in its own organization only.
        for r in standin.requests() {
            let auth = r
                .headers
                .iter()
                .find(|(k, _)| k == "authorization")
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            let key = if r
                .path
                .starts_with(&format!("/v3/organizations/{OTHER_ORG}/"))
            {
                OTHER_ORG_KEY
            } else {
                assert!(
                    r.path.starts_with(&Api::V3.secrets_path()),
                    "{t}: {}",
                    r.path
                );
                DEFAULT_ORG_KEY
            };
            assert_eq!(auth, format!("Bearer {key}"), "{t}: {}", r.path);
            assert_eq!(r.status, 200, "{t}: {} {}", r.method, r.path);
        }
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{t}: settled: {}", plan.output());

        // The other organization's secret under the default provider: refused at read
        // and at destroy, and nothing is deleted.
        wd.write("main.tf", &two_orgs(""));
        let expected = [
            &format!("This secret belongs to organization {OTHER_ORG}") as &str,
            "provider alias",
        ];
        assert_one_error(&wd.plan(), &format!("{t} plan"), &expected);
        let run = wd.run(&[
            "destroy",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-refresh=false",
        ]);
        assert_eq!(run.code, 1, "{t}: {}", run.output());
        assert!(
            squash(&run.output()).contains(&squash(expected[0])),
            "{t}: {}",
            run.output()
        );
        assert_eq!(
            stored_by_key(&standin, OTHER_ORG, "SAME_NAME").len(),
            1,
            "{t}: kept"
        );
        assert!(
            wd.state_list().contains(&"devin_secret.there".to_string()),
            "{t}: still in state"
        );

        wd.write("main.tf", &two_orgs("provider = devin.other"));
        wd.destroy().assert_ok("destroy in two organizations");
        assert!(standin.secrets().is_empty(), "{t}");
    }
}

fn with_note(note: &str, sensitive: bool) -> String {
    provider_hcl(&format!(
        r#"
provider "devin" {{}}
resource "devin_secret" "s" {{
  key       = "DRIFTS"
  value     = "drift-value"
  note      = "{note}"
  sensitive = {sensitive}
}}
"#
    ))
}

#[test]
fn note_and_sensitivity_changed_outside_terraform_are_drift() {
    for tool in tools() {
        // v1 lists neither: the same change outside Terraform goes unseen there.
        for api in Api::ALL {
            let who = format!("{} {}", tool.name, api.name());
            let (standin, wd) = common::start_api(&tool, api);
            wd.write("main.tf", &with_note("set by terraform", true));
            wd.apply().assert_ok("apply");
            let id = standin.secrets()[0].id.clone();

            for (note, sensitive, shows) in [
                (
                    Some("edited in the UI"),
                    None,
                    "note = \"edited in the UI\" -> \"set by terraform\" # forces replacement",
                ),
                (
                    None,
                    Some(false),
                    "sensitive = false -> true # forces replacement",
                ),
            ] {
                assert!(standin.update_secret_meta(&id, note, sensitive), "{who}");
                let plan = wd.plan();
                let out = plan.output();
                match api {
                    Api::V1 => assert_eq!(plan.code, 0, "{who}: {out}"),
                    Api::V3 => {
                        assert_eq!(plan.code, 2, "{who}: {out}");
                        assert!(out.contains("must be replaced"), "{who}: {out}");
                        assert!(squash(&out).contains(shows), "{who}: {out}");
                    }
                }
                // Put it back: the plan settles again.
                standin.update_secret_meta(&id, Some("set by terraform"), Some(true));
                let plan = wd.plan();
                assert_eq!(plan.code, 0, "{who}: {}", plan.output());
            }

            // Applying the drift replaces the secret with the configured one.
            standin.update_secret_meta(&id, Some("edited in the UI"), Some(false));
            wd.apply().assert_ok("apply over the drift");
            let stored = standin.secrets();
            assert_eq!(stored.len(), 1, "{who}");
            match api {
                Api::V1 => assert_eq!(stored[0].id, id, "{who}: nothing seen, nothing done"),
                Api::V3 => {
                    assert_ne!(stored[0].id, id, "{who}: replaced");
                    assert_eq!(
                        (stored[0].note.as_str(), stored[0].sensitive),
                        ("set by terraform", true),
                        "{who}"
                    );
                    let plan = wd.plan();
                    assert_eq!(plan.code, 0, "{who}: {}", plan.output());
                }
            }
        }
    }
}

#[test]
fn import_by_organization_and_id() {
    for tool in tools() {
        let t = tool.name;
        let standin = StandIn::start(Config::default()).unwrap();
        let id = standin.insert_secret_in(DEFAULT_ORG, "IMPORTED", "cookie", "real-value");
        assert!(standin.update_secret_meta(&id, Some("from the UI"), Some(false)));
        let elsewhere = standin.insert_secret_in(OTHER_ORG, "IMPORTED", "totp", "other-value");
        let wd = Workdir::for_api(&tool, &standin.url(), Api::V3);
        wd.write("main.tf", &imports(true));
        let import =
            |address: &str, id: &str| wd.run(&["import", "-no-color", "-input=false", address, id]);

        // The provider's own organization: the note and sensitivity come from the API.
        import("devin_secret.here", &format!("{DEFAULT_ORG}/{id}")).assert_ok("import org/id");
        let state = state_secrets(&wd);
        let values = &state[0].1;
        assert_eq!(values["id"], id.as_str(), "{t}");
        assert_eq!(values["org_id"], DEFAULT_ORG, "{t}");
        assert_eq!(values["note"], "from the UI", "{t}: from the API");
        assert_eq!(values["sensitive"], false, "{t}: from the API");

        // Another organization through the default provider: refused, with the way out.
        let run = import("devin_secret.wrong", &format!("{OTHER_ORG}/{elsewhere}"));
        assert_one_error(
            &run,
            &format!("{t}: import from {OTHER_ORG}"),
            &[
                &format!("names organization \"{OTHER_ORG}\""),
                "provider alias",
            ],
        );
        // Through a provider of that organization, it is found.
        import("devin_secret.there", &format!("{OTHER_ORG}/{elsewhere}"))
            .assert_ok("import through the alias");
        let state = state_secrets(&wd);
        let there = state
            .iter()
            .find(|(a, _)| a == "devin_secret.there")
            .expect("imported");
        assert_eq!(there.1["org_id"], OTHER_ORG, "{t}");
        assert_eq!(there.1["id"], elsewhere.as_str(), "{t}");

        // Adopted as they are: nothing created, nothing replaced.
        wd.write("main.tf", &imports(false));
        let plan = wd.plan();
        let out = plan.output();
        assert!(!out.contains("must be replaced"), "{t}: {out}");
        assert!(out.contains("recorded, not checked"), "{t}: {out}");
        wd.apply().assert_ok("apply after import");
        let counts = standin.request_counts();
        assert_eq!((counts.post, counts.delete), (0, 0), "{t}: {counts:?}");
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{t}: {}", plan.output());
    }
}

/// The secrets to import: one of each organization through its provider, and with
/// `wrong`, one of the other organization through the default provider.
fn imports(wrong: bool) -> String {
    let wrong = if wrong {
        r#"
resource "devin_secret" "wrong" {
  key   = "IMPORTED"
  value = "other-value"
  type  = "totp"
}
"#
    } else {
        ""
    };
    provider_hcl(&format!(
        r#"
provider "devin" {{}}
provider "devin" {{
  alias   = "other"
  org_id  = "{OTHER_ORG}"
  api_key = "{OTHER_ORG_KEY}"
}}
resource "devin_secret" "here" {{
  key       = "IMPORTED"
  value     = "real-value"
  type      = "cookie"
  note      = "from the UI"
  sensitive = false
}}
resource "devin_secret" "there" {{
  provider = devin.other
  key      = "IMPORTED"
  value    = "other-value"
  type     = "totp"
}}
{wrong}"#
    ))
}

/// `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.fffZ`: RFC 3339 in UTC.
fn is_rfc3339_utc(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.into_iter().all(|i| b[i].is_ascii_digit());
    let whole = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    whole
        && match b.len() {
            20 => b[19] == b'Z',
            24 => b[19] == b'.' && digits(20..23) && b[23] == b'Z',
            _ => false,
        }
}

#[test]
fn integer_timestamps_in_seconds_or_milliseconds_read_as_rfc3339() {
    for tool in tools() {
        let mut shapes = Vec::new();
        for unit in [TimestampUnit::Seconds, TimestampUnit::Millis] {
            let who = format!("{} ({unit:?})", tool.name);
            let (standin, wd) = common::start_api_with(
                &tool,
                Api::V3,
                Config {
                    v3_timestamps: unit,
                    ..Config::default()
                },
            );
            let listed = standin.insert_secret("LISTED", "key-value", "v");
            wd.write(
                "main.tf",
                &provider_hcl(&format!(
                    r#"
provider "devin" {{}}
resource "devin_secret" "s" {{
  key   = "STAMPED"
  value = "v"
}}
data "devin_secret" "listed" {{
  id = "{listed}"
}}
output "created" {{ value = devin_secret.s.created_at }}
output "listed" {{ value = data.devin_secret.listed.created_at }}
"#
                )),
            );
            wd.apply().assert_ok("apply");
            let out = |name: &str| wd.run(&["output", "-raw", name]).stdout;
            let (created, listed_at) = (out("created"), out("listed"));
            let stored = |key: &str| {
                standin
                    .secrets()
                    .into_iter()
                    .find(|s| s.key == key)
                    .unwrap()
                    .created_at
            };
            for (what, text, key) in [
                ("from the create", &created, "STAMPED"),
                ("from the list", &listed_at, "LISTED"),
            ] {
                assert!(is_rfc3339_utc(text), "{who}: {what}: {text:?}");
                assert_eq!(
                    text,
                    &v3_created_at(&stored(key), unit),
                    "{who}: {what}: the stored time, to the {unit:?}"
                );
                // No year 1970 and no year 50000: the unit was detected.
                let year: i32 = text[..4].parse().unwrap();
                assert!((2025..2100).contains(&year), "{who}: {what}: {text}");
            }
            let plan = wd.plan();
            assert_eq!(plan.code, 0, "{who}: settled: {}", plan.output());
            shapes.push(created.len());
        }
        eprintln!(
            "{}: created_at is {} characters from seconds, {} from milliseconds",
            tool.name, shapes[0], shapes[1]
        );
    }
}

#[test]
fn a_list_of_several_pages_is_read_to_the_end() {
    const N: usize = 450;
    for tool in tools() {
        let t = tool.name;
        let (standin, wd) = common::start_api(&tool, Api::V3);
        let ids: Vec<String> = (0..N)
            .map(|i| {
                standin.insert_secret_in(DEFAULT_ORG, &format!("PAGED_{i:03}"), "key-value", "v")
            })
            .collect();
        for i in 0..10 {
            standin.insert_secret_in(OTHER_ORG, &format!("PAGED_ELSEWHERE_{i}"), "cookie", "v");
        }
        wd.write(
            "main.tf",
            &provider_hcl(&format!(
                r#"
provider "devin" {{}}
data "devin_secrets" "all" {{}}
data "devin_secret" "last" {{
  key = "PAGED_{last:03}"
}}
output "ids" {{ value = [for s in data.devin_secrets.all.secrets : s.id] }}
output "last" {{ value = data.devin_secret.last.id }}
"#,
                last = N - 1
            )),
        );
        wd.apply().assert_ok("apply");
        let outputs: serde_json::Value =
            serde_json::from_str(&wd.run(&["output", "-json"]).stdout).unwrap();
        assert_eq!(
            outputs["ids"]["value"],
            serde_json::json!(ids),
            "{t}: every secret of the organization, in order, once"
        );
        assert_eq!(outputs["last"]["value"], ids[N - 1].as_str(), "{t}");

        // One walk of 3 pages (200, 200, 50): its first page is configure's check in
        // the plan, which the reads go on from. The apply reads nothing and checks with
        // one first page (Terraform starts the provider there; OpenTofu does not).
        let gets: Vec<String> = standin
            .requests()
            .iter()
            .filter(|r| r.method == "GET")
            .map(|r| r.path.clone())
            .collect();
        let firsts = gets.iter().filter(|p| **p == Api::V3.list_path()).count();
        let nexts = gets.iter().filter(|p| p.contains("&after=")).count();
        assert!((1..=2).contains(&firsts), "{t}: {gets:?}");
        assert_eq!(nexts, 2, "{t}: the rest of one walk, once: {gets:?}");
        assert_eq!(gets.len(), firsts + nexts, "{t}: {gets:?}");
    }
}

#[test]
fn switching_from_a_v1_key_to_a_v3_credential_keeps_the_secrets() {
    for tool in tools() {
        let t = tool.name;
        let standin = StandIn::start(Config::default()).unwrap();
        let mut wd = Workdir::for_api(&tool, &standin.url(), Api::V1);
        wd.write("main.tf", &one_secret("provider \"devin\" {}"));
        wd.apply().assert_ok("apply on v1");
        let id = standin.secrets()[0].id.clone();
        assert!(state_secrets(&wd)[0].1["org_id"].is_null(), "{t}: v1");

        // The same organization through v3: the secret is the same one.
        wd.set_env("DEVIN_API_KEY", DEFAULT_ORG_KEY);
        wd.set_env("DEVIN_ORG_ID", DEFAULT_ORG);
        standin.reset_counts();
        let plan = wd.plan();
        assert_eq!(plan.code, 0, "{t}: nothing to do: {}", plan.output());
        wd.apply().assert_ok("apply on v3");
        let counts = standin.request_counts();
        assert_eq!((counts.post, counts.delete), (0, 0), "{t}: {counts:?}");
        let state = state_secrets(&wd);
        assert_eq!(state[0].1["id"], id.as_str(), "{t}");
        // Kept null (the provider's organization): it is part of the identity.
        assert!(state[0].1["org_id"].is_null(), "{t}: kept as recorded");
        wd.destroy().assert_ok("destroy on v3");
        assert!(standin.secrets().is_empty(), "{t}");
        let last_delete = standin
            .requests()
            .into_iter()
            .rev()
            .find(|r| r.method == "DELETE")
            .unwrap();
        assert_eq!(
            last_delete.path,
            format!("{}/{id}", Api::V3.secrets_path()),
            "{t}"
        );
    }
}
