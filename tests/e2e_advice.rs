//! End to end: what a diagnostic advises matches what happened. A connection that never
//! opened points at `api_url`, a request that timed out may have been applied, a refused
//! delete names the secret, and a `Retry-After` longer than the provider waits is logged,
//! on the Devin API v1 and v3.

mod common;

use std::time::{Duration, Instant};

use common::{cases, provider_hcl, squash, Api, Workdir};
use devin_api_standin::{Budget, Fault, FaultRule};

fn config(provider_block: &str, key: &str) -> String {
    provider_hcl(&format!(
        r#"
{provider_block}
resource "devin_secret" "s" {{
  key   = "{key}"
  value = "advice-value"
}}
"#
    ))
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

fn assert_says(out: &str, who: &str, expected: &[&str], never: &[&str]) {
    // Terraform wraps diagnostic text to the width of a terminal.
    let flat = squash(out);
    for e in expected {
        assert!(
            flat.contains(&squash(e)),
            "{who}: expected {e:?} in:\n{out}"
        );
    }
    for n in never {
        assert!(
            !flat.contains(&squash(n)),
            "{who}: {n:?} should not be in:\n{out}"
        );
    }
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_refused_connection_points_at_api_url_not_at_max_retries() {
    for (tool, api) in cases() {
        let who = format!("{} {}", tool.name, api.name());
        let url = format!("http://127.0.0.1:{}", closed_port());
        let wd = Workdir::for_api(&tool, &url, api);
        wd.write(
            "main.tf",
            &config(
                "provider \"devin\" {\n  max_retries = 1\n}",
                "ADVICE_CONNECT",
            ),
        );
        let run = wd.apply();
        assert_ne!(run.code, 0, "{who}: {}", run.output());
        assert_says(
            &run.output(),
            &who,
            &[
                // The provider lists the secrets when it is configured: that call fails.
                ": cannot connect to the Devin API",
                "Connection refused",
                &url,
                "nothing listens there",
                "`api_url`",
                "DEVIN_API_URL",
                "The request was never sent",
            ],
            &["`max_retries`", "could not be reached"],
        );
    }
}

#[test]
fn a_timeout_says_the_request_reached_the_api_and_may_have_been_applied() {
    // Mostly waits on delayed answers: the CLIs and versions run side by side.
    let runs: Vec<_> = cases()
        .into_iter()
        .map(|(tool, version)| std::thread::spawn(move || timeouts(&tool, version)))
        .collect();
    for run in runs {
        if let Err(panic) = run.join() {
            std::panic::resume_unwind(panic);
        }
    }
}

fn timeouts(tool: &common::Tool, version: Api) {
    let who = format!("{} {}", tool.name, version.name());
    let (api, wd) = common::start_api(tool, version);
    wd.write(
        "main.tf",
        &config(
            "provider \"devin\" {\n  max_retries     = 1\n  request_timeout = \"1s\"\n}",
            "ADVICE_TIMEOUT",
        ),
    );
    wd.apply().assert_ok("apply");
    let id = api.secrets()[0].id.clone();

    // A read that times out changed nothing: it says so, and what to raise.
    api.push_fault(rule(
        version,
        Fault::Delay { ms: 2_500 },
        "GET",
        Budget::Always,
    ));
    let out = wd.plan().output();
    assert_says(
        &out,
        &who,
        &[
            "no answer came within `request_timeout`",
            "A read changes nothing",
            "raise `request_timeout`",
        ],
        &["could not be reached", "may have been applied"],
    );
    api.clear_faults();

    // A delete that times out may have been applied.
    api.push_fault(rule(
        version,
        Fault::Delay { ms: 2_500 },
        "DELETE",
        Budget::Always,
    ));
    let out = wd.destroy().output();
    assert_says(
        &out,
        &who,
        &[
            &format!(
                "Could not delete secret \"ADVICE_TIMEOUT\" (devin_secret, id {id}): no \
                 answer from the Devin API"
            ),
            "no answer came within `request_timeout`",
            "The request reached the API",
            "may have been applied",
            "`terraform plan`",
        ],
        &["could not be reached", "never sent"],
    );
    api.clear_faults();
    // Let the delayed deletes land, then settle the state.
    std::thread::sleep(Duration::from_secs(3));
    wd.destroy().assert_ok("destroy once the API answers");

    // A create that times out: the provider looked for the secret before giving up.
    // The POSTs land only after the last look.
    api.push_fault(rule(
        version,
        Fault::Delay { ms: 4_000 },
        "POST",
        Budget::Always,
    ));
    let out = wd.apply().output();
    assert_says(
        &out,
        &who,
        &[
            "Could not create secret \"ADVICE_TIMEOUT\": no answer from the Devin API",
            "The request reached the API",
            "may have been applied",
            "listed the secrets",
            "no secret \"ADVICE_TIMEOUT\"",
            "Running `terraform apply` again is safe",
        ],
        &["could not be reached", "never sent"],
    );
    api.clear_faults();
}

#[test]
fn a_refused_delete_names_the_key_and_the_resource() {
    for (tool, version) in cases() {
        let who = format!("{} {}", tool.name, version.name());
        let (api, wd) = common::start_api(&tool, version);
        wd.write("main.tf", &config("provider \"devin\" {}", "ADVICE_DELETE"));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();
        api.push_fault(rule(
            version,
            Fault::Status {
                status: 422,
                retry_after: None,
                body: Some(
                    r#"{"detail":[{"loc":["path","secret_id"],"msg":"Secret is in use by a running session","type":"value_error.in_use"}]}"#
                        .into(),
                ),
            },
            "DELETE",
            Budget::Next { count: 1 },
        ));
        let run = wd.destroy();
        assert_ne!(run.code, 0, "{who}: destroy must fail");
        assert_says(
            &run.output(),
            &who,
            &[
                &format!(
                    "Devin API refused to delete secret \"ADVICE_DELETE\" (devin_secret, id \
                     {id})"
                ),
                "Secret is in use by a running session",
                "location: path.secret_id",
            ],
            &[],
        );
        wd.destroy().assert_ok("second destroy");
    }
}

#[test]
fn a_retry_after_beyond_the_cap_is_logged() {
    // The provider waits 20 s: the CLIs and versions run side by side.
    let runs: Vec<_> = cases()
        .into_iter()
        .map(|(tool, version)| {
            std::thread::spawn(move || {
                let who = format!("{} {}", tool.name, version.name());
                let (api, mut wd) = common::start_api(&tool, version);
                let log = wd.path().join("provider.log");
                wd.set_env("TF_LOG_PROVIDER", "warn");
                wd.set_env("TF_LOG_PATH", log.to_str().unwrap());
                wd.write("main.tf", &config("provider \"devin\" {}", "ADVICE_RETRY"));
                api.push_fault(rule(
                    version,
                    Fault::Status {
                        status: 429,
                        retry_after: Some("3600".into()),
                        body: None,
                    },
                    "GET",
                    Budget::Next { count: 1 },
                ));
                let started = Instant::now();
                wd.apply().assert_ok("apply after one 429");
                let took = started.elapsed();
                assert!(
                    took >= Duration::from_secs(19) && took < Duration::from_secs(60),
                    "{who}: waited {took:?}"
                );
                let text = squash(&std::fs::read_to_string(&log).unwrap());
                let expected = format!(
                    "GET {}: the API asked to wait 3600 s (Retry-After); the provider waits \
                     at most 20 s, so it retries in 20 s",
                    version.list_path()
                );
                assert!(
                    text.contains(&expected),
                    "{who}: {expected:?} not in the provider log at warn:\n{text}"
                );
                assert_eq!(api.secrets().len(), 1, "{who}");
            })
        })
        .collect();
    for run in runs {
        if let Err(panic) = run.join() {
            std::panic::resume_unwind(panic);
        }
    }
}
