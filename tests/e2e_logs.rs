//! End to end: provider logs under TF_LOG / TF_LOG_PROVIDER, in Terraform's own log, on
//! the Devin API v1 and v3.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use common::{cases, provider_binary, provider_hcl, squash};
use devin_api_standin::{Budget, Fault, FaultRule};

#[test]
fn tf_log_provider_shows_requests_and_retry_decisions() {
    for (tool, version) in cases() {
        let who = format!("{} {}", tool.name, version.name());
        let (api, mut wd) = common::start_api(&tool, version);
        let log = wd.path().join("provider.log");
        wd.set_env("TF_LOG_PROVIDER", "debug");
        wd.set_env("TF_LOG_PATH", log.to_str().unwrap());
        wd.write(
            "main.tf",
            &provider_hcl(
                "provider \"devin\" {}\nresource \"devin_secret\" \"s\" {\n  key   = \"LOGGED\"\n  value = \"logged-value\"\n}\n",
            ),
        );
        api.push_fault(FaultRule {
            fault: Fault::Status {
                status: 503,
                retry_after: Some("0".into()),
                body: None,
            },
            method: Some("GET".into()),
            path_prefix: Some(version.secrets_path()),
            budget: Budget::Next { count: 1 },
        });
        wd.apply().assert_ok("apply");
        wd.destroy().assert_ok("destroy");
        let text = squash(&std::fs::read_to_string(&log).unwrap());
        let (list, secrets) = (version.list_path(), version.secrets_path());
        for expected in [
            format!("provider.terraform-provider-devin: GET {list} -> 503 in"),
            format!("GET {list}: HTTP 503; retry 1 of 5 in"),
            format!("GET {list} -> 200 in"),
            format!("POST {secrets} -> 200 in"),
            format!("DELETE {secrets}/sec_"),
        ] {
            assert!(
                text.contains(&expected),
                "{who}: {expected:?} not in the provider log"
            );
        }
        assert!(!text.contains("logged-value"), "{who}");
        assert!(
            !text.contains("@module=")
                || text.matches("@module=").count() == text.matches("@module=devin").count(),
            "{who}: at debug, only the provider's own lines"
        );
        assert!(
            !text.contains(version.key()),
            "{who}: the key is in the log"
        );
    }
}

#[test]
fn trace_keeps_the_libraries_lines_apart_from_the_providers() {
    for (tool, version) in cases().into_iter().filter(|(_, v)| *v == common::Api::V3) {
        let who = tool.name;
        let (_api, mut wd) = common::start_api(&tool, version);
        let log = wd.path().join("provider.log");
        wd.set_env("TF_LOG_PROVIDER", "trace");
        wd.set_env("TF_LOG_PATH", log.to_str().unwrap());
        wd.write(
            "main.tf",
            &provider_hcl(
                "provider \"devin\" {}\nresource \"devin_secret\" \"s\" {\n  key   = \"TRACED\"\n  value = \"traced-value\"\n}\n",
            ),
        );
        wd.apply().assert_ok("apply");
        wd.destroy().assert_ok("destroy");
        let text = std::fs::read_to_string(&log).unwrap();
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("provider.terraform-provider-devin:"))
            .collect();
        let module = |l: &str| {
            l.split("@module=")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_string)
        };
        let ours: Vec<&&str> = lines
            .iter()
            .filter(|l| module(l).as_deref() == Some("devin"))
            .collect();
        let theirs: Vec<String> = lines
            .iter()
            .filter_map(|l| module(l))
            .filter(|m| m != "devin")
            .collect();
        assert!(
            ours.iter().any(|l| l.contains("deleted secret sec_")),
            "{who}: the provider's own lines, as sentences"
        );
        for internal in [
            "shouldn't retry",
            "pooling idle",
            "reuse idle",
            "starting new connection",
            "connecting to",
            "ClientHello",
            "flushed",
        ] {
            assert!(
                !ours.iter().any(|l| l.contains(internal)),
                "{who}: a library's line {internal:?} under @module=devin"
            );
        }
        assert!(
            theirs
                .iter()
                .any(|m| m.starts_with("hyper") || m.starts_with("reqwest")),
            "{who}: the HTTP libraries' lines keep their own names at trace: {theirs:?}"
        );
        assert!(!text.contains("traced-value"), "{who}");
    }
}

#[test]
fn nothing_is_logged_at_the_default_level() {
    let mut child = Command::new(provider_binary())
        .env(
            "TF_PLUGIN_MAGIC_COOKIE",
            "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
        )
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PROVIDER")
        // The certificate the CLI hands over: without it the plugin refuses to serve.
        .env(
            "PLUGIN_CLIENT_CERT",
            rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
                .unwrap()
                .cert
                .pem(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut handshake = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut handshake)
        .unwrap();
    assert!(handshake.starts_with("1|6|tcp|127.0.0.1:"), "{handshake}");
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(stderr, "", "the provider wrote to stderr without TF_LOG");
}
