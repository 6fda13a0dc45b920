//! End to end: the provider configuration. A wrong API key or an API outage is one error,
//! found once when the provider is configured, however many secrets the configuration
//! holds, on the Devin API v1 and v3; every configuration error points at the argument or
//! the environment variable it comes from; and the API key never shows up in any output.

mod common;

use std::time::{Duration, Instant};

use common::{cases, provider_hcl, squash, tools, Api, Tool, Workdir};
use devin_api_standin::{Budget, Config, Fault, FaultRule, StandIn};

/// A recognisable key, to grep every output for.
const KEY: &str = "apk_user_CONFIGCHECK_5e4d3c2b1a";
/// A wrong one, just as recognisable.
const WRONG_KEY: &str = "apk_user_WRONGKEY_0f9e8d7c6b";
/// The v3 (`cog_`) counterparts of [`KEY`] and [`WRONG_KEY`].
const V3_KEY: &str = "cog_CONFIGCHECK_5e4d3c2b1a";
const V3_WRONG_KEY: &str = "cog_WRONGKEY_0f9e8d7c6b";
/// Secrets in the configurations below.
const N: usize = 5;

/// The recognisable key of `api`.
fn key(api: Api) -> &'static str {
    match api {
        Api::V1 => KEY,
        Api::V3 => V3_KEY,
    }
}

/// A wrong key of `api`'s kind.
fn wrong_key(api: Api) -> &'static str {
    match api {
        Api::V1 => WRONG_KEY,
        Api::V3 => V3_WRONG_KEY,
    }
}

fn standin() -> StandIn {
    StandIn::start(Config {
        api_key: KEY.into(),
        ..Config::default()
    })
    .expect("start the stand-in")
}

/// A stand-in that accepts [`key`]`(api)`.
fn standin_for(api: Api) -> StandIn {
    StandIn::start(api.config_with_key(key(api))).expect("start the stand-in")
}

/// A work directory speaking `api` to `url` with `api_key`.
fn workdir_for(tool: &Tool, url: &str, api: Api, api_key: &str) -> Workdir {
    let mut wd = Workdir::for_api(tool, url, api);
    wd.set_env("DEVIN_API_KEY", api_key);
    wd
}

/// `N` secrets under `provider_block`.
fn secrets(provider_block: &str) -> String {
    provider_hcl(&format!(
        r#"
{provider_block}
resource "devin_secret" "s" {{
  count = {N}
  key   = "CONFIG_${{count.index}}"
  value = "config-value-${{count.index}}"
}}
"#
    ))
}

/// A provider block whose `api_key` and `api_url` come from variables that default to
/// null, as in a module that lets its caller set them: the provider then falls back to
/// DEVIN_API_KEY and DEVIN_API_URL, and the block does hold `api_key =` and `api_url =`.
const VIA_NULL_VARIABLES: &str = r#"
variable "devin_api_key" {
  type      = string
  sensitive = true
  default   = null
}
variable "devin_api_url" {
  type    = string
  default = null
}
provider "devin" {
  api_key     = var.devin_api_key
  api_url     = var.devin_api_url
  max_retries = 1
}
"#;

/// `status` for every list of `api`.
fn fault_on_gets(api: Api, status: u16) -> FaultRule {
    FaultRule {
        fault: Fault::Status {
            status,
            retry_after: Some("0".into()),
            body: Some(r#"{"detail":"Service Unavailable"}"#.into()),
        },
        method: Some("GET".into()),
        path_prefix: Some(api.secrets_path()),
        budget: Budget::Always,
    }
}

/// Panics unless `out` holds each of `expected` (compared with white space squashed, as
/// Terraform wraps diagnostics), and never a key or a backtrace.
fn assert_says(out: &str, who: &str, expected: &[&str]) {
    let flat = squash(out);
    for e in expected {
        assert!(
            flat.contains(&squash(e)),
            "{who}: expected {e:?} in:\n{out}"
        );
    }
    assert_no_key(out, who);
}

fn assert_no_key(out: &str, who: &str) {
    for key in [KEY, WRONG_KEY, V3_KEY, V3_WRONG_KEY] {
        assert!(!out.contains(key), "{who}: the API key printed:\n{out}");
    }
    assert!(
        !out.contains("stack backtrace"),
        "{who}: a backtrace in:\n{out}"
    );
}

/// How many times `summary` appears: Terraform prints each diagnostic once.
fn count(out: &str, summary: &str) -> usize {
    squash(out).matches(&squash(summary)).count()
}

/// Whether a diagnostic's source snippet shows `line` (white space squashed).
fn shows(diag: &str, line: &str) -> bool {
    squash(diag).contains(&squash(line))
}

/// The diagnostic whose summary starts with `summary`, up to the next one: its source
/// snippet shows the line Terraform blames.
fn diagnostic<'a>(out: &'a str, summary: &str) -> &'a str {
    let start = out
        .find(summary)
        .unwrap_or_else(|| panic!("no {summary:?} in:\n{out}"));
    let rest = &out[start..];
    let end = rest[1..].find("Error: ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[test]
fn a_wrong_api_key_is_one_error_whatever_the_number_of_secrets() {
    for (tool, api) in cases() {
        let who = format!("{} {}", tool.name, api.name());
        let standin = standin_for(api);
        let mut wd = workdir_for(&tool, &standin.url(), api, key(api));
        wd.write("main.tf", &secrets("provider \"devin\" {}"));
        wd.apply().assert_ok("apply with the right key");
        assert_eq!(standin.secrets().len(), N, "{who}");

        // With the right key, the list taken at configure is the one the N reads share.
        standin.reset_counts();
        let run = wd.plan();
        assert_eq!(run.code, 0, "{who}: {}", run.output());
        let counts = standin.request_counts();
        assert_eq!(
            (counts.get, counts.post, counts.delete),
            (1, 0, 0),
            "{who}: one list for configure and the reads"
        );

        // A refresh of N secrets, then a destroy, with a wrong key.
        wd.set_env("DEVIN_API_KEY", wrong_key(api));
        for what in ["plan", "destroy"] {
            standin.reset_counts();
            let run = if what == "plan" {
                wd.plan()
            } else {
                wd.destroy()
            };
            assert_eq!(run.code, 1, "{who} {what}: {}", run.output());
            let out = run.output();
            assert_says(
                &out,
                &who,
                &[
                    "Devin API rejected the API key",
                    "HTTP 401",
                    "DEVIN_API_KEY",
                ],
            );
            assert_eq!(
                count(&out, "Devin API rejected the API key"),
                1,
                "{who} {what}: one error, not one per secret:\n{out}"
            );
            let counts = standin.request_counts();
            assert_eq!(
                (counts.get, counts.post, counts.delete),
                (1, 0, 0),
                "{who} {what}: one request, then nothing"
            );
        }
        assert_eq!(standin.secrets().len(), N, "{who}: nothing destroyed");

        // An apply of N new secrets with a wrong key: one error, no POST.
        let fresh = standin_for(api);
        let mut wd = workdir_for(&tool, &fresh.url(), api, wrong_key(api));
        wd.write("main.tf", &secrets("provider \"devin\" {}"));
        let run = wd.apply();
        assert_eq!(run.code, 1, "{who}: {}", run.output());
        let out = run.output();
        assert_says(&out, &who, &["Devin API rejected the API key", "HTTP 401"]);
        assert_eq!(
            count(&out, "Devin API rejected the API key"),
            1,
            "{who}: one error, not one per secret:\n{out}"
        );
        let counts = fresh.request_counts();
        assert_eq!(counts.post, 0, "{who}: {counts:?}");
        assert!(counts.get <= 1, "{who}: {counts:?}");
        assert!(fresh.secrets().is_empty(), "{who}");

        // The same key from the argument: the same one error.
        wd.remove_env("DEVIN_API_KEY");
        wd.set_env("TF_VAR_devin_api_key", wrong_key(api));
        wd.set_env("TF_VAR_devin_api_url", &fresh.url());
        wd.write("main.tf", &secrets(VIA_NULL_VARIABLES));
        let out = wd.apply().output();
        assert_eq!(
            count(&out, "Devin API rejected the API key"),
            1,
            "{who}: {out}"
        );
        assert_no_key(&out, &who);
    }
}

#[test]
fn an_outage_is_one_error_whatever_the_number_of_secrets() {
    for (tool, api) in cases() {
        let who = format!("{} {}", tool.name, api.name());
        let standin = standin_for(api);
        let wd = workdir_for(&tool, &standin.url(), api, key(api));
        wd.write(
            "main.tf",
            &secrets("provider \"devin\" {\n  max_retries = 1\n}"),
        );
        wd.apply().assert_ok("apply");

        standin.push_fault(fault_on_gets(api, 503));
        standin.reset_counts();
        let run = wd.plan();
        assert_eq!(run.code, 1, "{who}: {}", run.output());
        let out = run.output();
        assert_says(
            &out,
            &who,
            &[
                "the Devin API failed 2 times",
                "The API is failing (HTTP 5xx)",
                "Last answer: HTTP 503: Service Unavailable",
            ],
        );
        assert_eq!(
            count(&out, "the Devin API failed"),
            1,
            "{who}: one error, not one per secret:\n{out}"
        );
        let counts = standin.request_counts();
        assert_eq!(counts.get, 2, "{who}: 1 attempt + 1 retry: {counts:?}");

        // New secrets during the outage: one error, and no POST.
        wd.write(
            "main.tf",
            &format!(
                "{}resource \"devin_secret\" \"t\" {{\n  count = {N}\n  key   = \"OUTAGE_${{count.index}}\"\n  value = \"v\"\n}}\n",
                secrets("provider \"devin\" {\n  max_retries = 1\n}")
            ),
        );
        standin.reset_counts();
        let out = wd
            .run(&[
                "apply",
                "-auto-approve",
                "-input=false",
                "-no-color",
                "-refresh=false",
            ])
            .output();
        assert_eq!(count(&out, "the Devin API failed"), 1, "{who}: {out}");
        let counts = standin.request_counts();
        assert_eq!((counts.post, counts.delete), (0, 0), "{who}: {counts:?}");

        standin.clear_faults();
        wd.apply().assert_ok("apply once the API is back");
        assert_eq!(standin.secrets().len(), 2 * N, "{who}");
    }
}

#[test]
fn a_fractional_max_retries_is_an_error_on_max_retries_beside_the_others() {
    for tool in tools() {
        let api = standin();
        let wd = Workdir::new(&tool, &api.url(), KEY);
        wd.write(
            "main.tf",
            &secrets(
                "provider \"devin\" {\n  max_retries     = 2.5\n  request_timeout = \"soon\"\n}",
            ),
        );
        for (what, run) in [("validate", wd.validate()), ("plan", wd.plan())] {
            assert_eq!(run.code, 1, "{} {what}: {}", tool.name, run.output());
            let out = run.output();
            assert_says(
                &out,
                tool.name,
                &[
                    "max_retries must be a whole number from 0 to 20, not 2.5",
                    "request_timeout \"soon\" is not a duration",
                    "between 1s and 10m",
                ],
            );
            assert!(
                !out.contains("cannot read") && !out.contains("untagged enum"),
                "{} {what}: the whole block refused:\n{out}",
                tool.name
            );
            // Each error shows its own line.
            let retries = diagnostic(&out, "Error: max_retries");
            assert!(
                shows(retries, "max_retries = 2.5"),
                "{} {what}: not on its line:\n{retries}",
                tool.name
            );
            let timeout = diagnostic(&out, "Error: request_timeout");
            assert!(
                shows(timeout, "request_timeout = \"soon\""),
                "{} {what}: not on its line:\n{timeout}",
                tool.name
            );
        }

        for (value, expected) in [
            ("-1", "not -1"),
            ("21", "not 21"),
            ("1e30", "not 1000000000000000000000000000000"),
            ("0.1", "not 0.1"),
        ] {
            wd.write(
                "main.tf",
                &secrets(&format!(
                    "provider \"devin\" {{\n  max_retries = {value}\n}}"
                )),
            );
            let run = wd.validate();
            assert_eq!(run.code, 1, "{} {value}: {}", tool.name, run.output());
            let out = run.output();
            assert_says(
                &out,
                tool.name,
                &[&format!(
                    "max_retries must be a whole number from 0 to 20, {expected}"
                )],
            );
            assert!(
                shows(
                    diagnostic(&out, "Error: max_retries"),
                    &format!("max_retries = {value}")
                ),
                "{} {value}: not on its line:\n{out}",
                tool.name
            );
        }
        assert_eq!(api.request_counts(), Default::default(), "{}", tool.name);

        // Every accepted value still works, at both ends of the range.
        for value in ["0", "20"] {
            wd.write(
                "main.tf",
                &secrets(&format!(
                    "provider \"devin\" {{\n  max_retries = {value}\n}}"
                )),
            );
            let run = wd.validate();
            run.assert_ok(&format!("validate max_retries = {value}"));
        }
        wd.apply().assert_ok("apply with max_retries = 20");
    }
}

#[test]
fn an_api_key_from_the_environment_is_trimmed_and_never_blamed_on_api_key() {
    for tool in tools() {
        let api = standin();
        let mut wd = Workdir::new(&tool, &api.url(), &format!("{KEY}\n"));
        wd.write("main.tf", &secrets(VIA_NULL_VARIABLES));
        // `export DEVIN_API_KEY="$(cat key)"` keeps no newline, `< key` does: both work.
        let run = wd.apply();
        run.assert_ok("apply with a trailing newline in DEVIN_API_KEY");
        assert_no_key(&run.output(), tool.name);
        assert_eq!(api.secrets().len(), N);
        assert!(api
            .requests()
            .iter()
            .all(|r| r
                .headers
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("authorization")
                    && v == &format!("Bearer {KEY}"))));

        wd.set_env("DEVIN_API_KEY", &format!("  {KEY}\r\n"));
        wd.plan().assert_ok("plan with surrounding white space");

        // A key that cannot be sent at all: named as DEVIN_API_KEY, not shown, and not
        // blamed on the `api_key` line.
        let broken = "apk_user_CONFIG\nCHECK_5e4d3c2b1a".to_string();
        wd.set_env("DEVIN_API_KEY", &broken);
        api.reset_counts();
        let run = wd.plan();
        assert_eq!(run.code, 1, "{}: {}", tool.name, run.output());
        let out = run.output();
        assert_says(
            &out,
            tool.name,
            &["DEVIN_API_KEY holds a line break, which an API key cannot contain"],
        );
        assert!(!out.contains("CHECK_5e4d3c2b1a"), "{}: {out}", tool.name);
        let diag = diagnostic(&out, "Error: DEVIN_API_KEY");
        assert!(
            !shows(diag, "api_key = var.devin_api_key"),
            "{}: blamed on the `api_key` argument:\n{diag}",
            tool.name
        );
        assert_eq!(api.request_counts(), Default::default(), "{}", tool.name);

        // The same key in the argument: named as `api_key`, on its line.
        wd.set_env("DEVIN_API_KEY", KEY);
        wd.set_env("TF_VAR_devin_api_key", &broken);
        let run = wd.plan();
        assert_eq!(run.code, 1, "{}: {}", tool.name, run.output());
        let out = run.output();
        assert_says(
            &out,
            tool.name,
            &["api_key holds a line break, which an API key cannot contain"],
        );
        assert!(!out.contains("CHECK_5e4d3c2b1a"), "{}: {out}", tool.name);
        let diag = diagnostic(&out, "Error: api_key holds");
        assert!(
            shows(diag, "api_key = var.devin_api_key"),
            "{}: not on the `api_key` line:\n{diag}",
            tool.name
        );
    }
}

#[test]
fn a_bad_api_url_from_the_environment_names_the_variable_not_api_url() {
    for tool in tools() {
        let api = standin();
        let mut wd = Workdir::new(&tool, "http://devin.example.com", KEY);
        wd.write("main.tf", &secrets(VIA_NULL_VARIABLES));
        let run = wd.plan();
        assert_eq!(run.code, 1, "{}: {}", tool.name, run.output());
        let out = run.output();
        assert_says(
            &out,
            tool.name,
            &["DEVIN_API_URL uses plain http:// to a host that is not loopback"],
        );
        let diag = diagnostic(&out, "Error: DEVIN_API_URL");
        assert!(
            !shows(diag, "api_url = var.devin_api_url"),
            "{}: blamed on the `api_url` argument:\n{diag}",
            tool.name
        );
        assert_eq!(count(&out, "DEVIN_API_URL uses plain http://"), 1);

        // Given in the argument, the same URL is an error on `api_url`, on its line.
        wd.set_env("TF_VAR_devin_api_url", "http://devin.example.com");
        wd.set_env("DEVIN_API_URL", &api.url());
        let out = wd.plan().output();
        let diag = diagnostic(&out, "Error: api_url uses plain http://");
        assert!(
            shows(diag, "api_url = var.devin_api_url"),
            "{}: not on the `api_url` line:\n{diag}",
            tool.name
        );
        assert_no_key(&out, tool.name);
        assert_eq!(api.request_counts(), Default::default(), "{}", tool.name);
    }
}

#[test]
fn an_interrupt_ends_the_check_at_configure_at_once() {
    for tool in tools() {
        // Ctrl-C in a terminal reaches the plugin too; a SIGINT to the CLI alone reaches
        // it as StopProvider, which `plan` sends at once.
        for group in [true, false] {
            let api = standin();
            let wd = Workdir::new(&tool, &api.url(), KEY);
            wd.write(
                "main.tf",
                &secrets("provider \"devin\" {\n  request_timeout = \"5m\"\n}"),
            );
            api.push_fault(FaultRule {
                fault: Fault::Delay { ms: 120_000 },
                method: Some("GET".into()),
                path_prefix: None,
                budget: Budget::Next { count: 1 },
            });
            let mut cmd = wd.command(&["plan", "-input=false", "-no-color"]);
            std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
            let out = tempfile::NamedTempFile::new().unwrap();
            cmd.stdout(out.reopen().unwrap())
                .stderr(out.reopen().unwrap());
            let mut child = cmd.spawn().expect("spawn the CLI");
            let deadline = Instant::now() + Duration::from_secs(60);
            while api.request_counts().get == 0 {
                assert!(
                    Instant::now() < deadline,
                    "{}: no list at configure",
                    tool.name
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            std::thread::sleep(Duration::from_millis(300));
            let pgid = child.id() as i32;
            // SAFETY: a plain syscall on a process (group) this test created.
            unsafe { libc::kill(if group { -pgid } else { pgid }, libc::SIGINT) };
            let sent = Instant::now();
            while child.try_wait().unwrap().is_none() {
                if sent.elapsed() > Duration::from_secs(30) {
                    unsafe { libc::kill(-pgid, libc::SIGKILL) };
                    let _ = child.wait();
                    panic!(
                        "{} (group {group}): still running 30 s after SIGINT:\n{}",
                        tool.name,
                        std::fs::read_to_string(out.path()).unwrap_or_default()
                    );
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let took = sent.elapsed();
            let text = std::fs::read_to_string(out.path()).unwrap();
            assert!(
                took < Duration::from_secs(15),
                "{} (group {group}): took {took:?}",
                tool.name
            );
            assert_says(
                &text,
                tool.name,
                &["Interrupted while trying to list the organization's secrets"],
            );
            assert_eq!(api.request_counts().get, 1, "{}: no retry", tool.name);
        }
    }
}
