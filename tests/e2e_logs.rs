//! End to end: provider logs under TF_LOG / TF_LOG_PROVIDER, in Terraform's own log.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use common::{provider_binary, provider_hcl, squash, tools, Workdir};
use devin_api_standin::{Budget, Config, Fault, FaultRule, StandIn};

#[test]
fn tf_log_provider_shows_requests_and_retry_decisions() {
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let mut wd = Workdir::new(&tool, &api.url(), "test-api-key");
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
            path_prefix: None,
            budget: Budget::Next { count: 1 },
        });
        wd.apply().assert_ok("apply");
        wd.destroy().assert_ok("destroy");
        let text = squash(&std::fs::read_to_string(&log).unwrap());
        for expected in [
            "provider.terraform-provider-devin: GET /v1/secrets -> 503 in",
            "GET /v1/secrets: HTTP 503; retry 1 of 5 in",
            "GET /v1/secrets -> 200 in",
            "POST /v1/secrets -> 200 in",
            "DELETE /v1/secrets/sec_",
        ] {
            assert!(
                text.contains(expected),
                "{}: {expected:?} not in the provider log",
                tool.name
            );
        }
        assert!(!text.contains("logged-value"));
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
