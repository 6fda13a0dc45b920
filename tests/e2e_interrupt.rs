//! End to end: Ctrl-C ends in-flight requests and backoff waits at once, and so does a
//! SIGINT sent to the CLI alone (as CI runners and `timeout` do), which reaches the
//! provider only as the protocol's StopProvider; a create the API finishes after the
//! interrupt is caught by the next plan. On the Devin API v1 and v3.

mod common;

use std::time::{Duration, Instant};

use common::{cases, provider_hcl, squash, Workdir};
use devin_api_standin::{Budget, Fault, FaultRule, StandIn};

/// Who gets the SIGINT.
#[derive(Clone, Copy, Debug)]
enum Target {
    /// The whole process group, as a terminal's Ctrl-C does: the plugin too.
    Group,
    /// The CLI's process alone, as `timeout` and CI runners do.
    CliAlone,
}

/// Runs `apply`, waits until the stand-in has seen `posts` POSTs, sends SIGINT to
/// `target` and returns the output and how long the CLI took to exit after it.
fn interrupt_apply(wd: &Workdir, api: &StandIn, posts: u64, target: Target) -> (String, Duration) {
    let args = ["apply", "-auto-approve", "-input=false", "-no-color"];
    let (out, took, _) = interrupt(wd, &args, target, || api.request_counts().post >= posts);
    (out, took)
}

/// Runs the CLI with `args`, waits until `ready`, sends SIGINT to `target` and returns
/// the output, how long the CLI took to exit after it, and its process group (which the
/// plugin shares).
fn interrupt(
    wd: &Workdir,
    args: &[&str],
    target: Target,
    ready: impl Fn() -> bool,
) -> (String, Duration, i32) {
    let mut cmd = wd.command(args);
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let out = tempfile::NamedTempFile::new().unwrap();
    cmd.stdout(out.reopen().unwrap())
        .stderr(out.reopen().unwrap());
    let mut child = cmd.spawn().expect("spawn terraform");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "the provider never called the API"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let pgid = child.id() as i32;
    let pid = match target {
        Target::Group => -pgid,
        Target::CliAlone => pgid,
    };
    // SAFETY: plain syscall on a process (group) this test created.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let pressed = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if pressed.elapsed() > Duration::from_secs(45) {
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
            let _ = child.wait();
            panic!(
                "the CLI did not stop after SIGINT to {target:?}:\n{}",
                std::fs::read_to_string(out.path()).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (
        std::fs::read_to_string(out.path()).unwrap(),
        pressed.elapsed(),
        pgid,
    )
}

/// How long until no process of the group `pgid` is left, waiting at most `limit`; the
/// group is killed after that.
fn group_gone(pgid: i32, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        // SAFETY: signal 0 only checks that the group exists.
        if unsafe { libc::kill(-pgid, 0) } != 0 {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe { libc::kill(-pgid, libc::SIGKILL) };
    None
}

#[test]
fn ctrl_c_ends_a_hanging_request_and_a_backoff_wait() {
    interrupts_end_a_hanging_request_and_a_backoff_wait(Target::Group);
}

#[test]
fn a_sigint_to_the_cli_alone_ends_a_hanging_request_and_a_backoff_wait() {
    interrupts_end_a_hanging_request_and_a_backoff_wait(Target::CliAlone);
}

fn interrupts_end_a_hanging_request_and_a_backoff_wait(target: Target) {
    for (tool, version) in cases() {
        let who = format!("{} {}", tool.name, version.name());
        let (api, wd) = common::start_api(&tool, version);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
provider "devin" {
  request_timeout = "5m"
}
resource "devin_secret" "s" {
  key   = "SLOW"
  value = "slow-value"
}
"#,
            ),
        );

        // A create that would take two minutes to answer.
        api.push_fault(FaultRule {
            fault: Fault::Delay { ms: 120_000 },
            method: Some("POST".into()),
            path_prefix: Some(version.secrets_path()),
            budget: Budget::Next { count: 1 },
        });
        let (out, took) = interrupt_apply(&wd, &api, 1, target);
        eprintln!("{who}: exited {took:?} after SIGINT to {target:?} during a request");
        assert!(
            out.contains("Interrupted while trying to create secret"),
            "{who}: {out}"
        );
        assert!(took < Duration::from_secs(20), "{who}: took {took:?}");
        assert!(wd.state_list().is_empty(), "{who}");
        api.clear_faults();

        // A server that asks to come back in 20 s, every time.
        api.push_fault(FaultRule {
            fault: Fault::Status {
                status: 429,
                retry_after: Some("20".into()),
                body: None,
            },
            method: Some("POST".into()),
            path_prefix: Some(version.secrets_path()),
            budget: Budget::Always,
        });
        let before = api.request_counts().post;
        let (out, took) = interrupt_apply(&wd, &api, before + 1, target);
        eprintln!("{who}: exited {took:?} after SIGINT to {target:?} during a backoff wait");
        assert!(
            out.contains("Interrupted while trying to create secret"),
            "{who}: {out}"
        );
        assert!(took < Duration::from_secs(15), "{who}: took {took:?}");
        assert_eq!(
            api.request_counts().post,
            before + 1,
            "{who}: no retry after the interrupt"
        );
        assert!(api.secrets().is_empty(), "{who}");
    }
}

#[test]
fn a_sigint_during_plan_ends_the_request_at_once() {
    for (tool, version) in cases() {
        let who = format!("{} {}", tool.name, version.name());
        let (api, wd) = common::start_api(&tool, version);
        wd.write(
            "main.tf",
            &provider_hcl(
                "provider \"devin\" {\n  request_timeout = \"5m\"\n}\ndata \"devin_secrets\" \"all\" {}\n",
            ),
        );
        // The list at configure would take two minutes to answer. The CLI passes the
        // SIGINT on as StopProvider during a plan too.
        api.push_fault(FaultRule {
            fault: Fault::Delay { ms: 120_000 },
            method: Some("GET".into()),
            path_prefix: Some(version.secrets_path()),
            budget: Budget::Next { count: 1 },
        });
        let args = ["plan", "-input=false", "-no-color"];
        let (out, took, pgid) = interrupt(&wd, &args, Target::CliAlone, || {
            api.request_counts().get >= 1
        });
        let plugin_gone = group_gone(pgid, Duration::from_secs(30));
        eprintln!(
            "{who}: a plan exited {took:?} after SIGINT to the CLI during a request; \
             the plugin {plugin_gone:?} after that"
        );
        assert!(
            out.contains("Interrupted while trying to list the organization's secrets"),
            "{who}: {out}"
        );
        assert!(took < Duration::from_secs(20), "{who}: took {took:?}");
        assert!(
            plugin_gone.is_some_and(|t| t < Duration::from_secs(20)),
            "{who}: the plugin, and its request, outlived the CLI: {plugin_gone:?}"
        );
        assert_eq!(api.request_counts().get, 1, "{who}: nothing sent after");
    }
}

#[test]
fn a_create_the_api_finishes_after_ctrl_c_stops_the_next_plan_with_its_import_block() {
    for (tool, version) in cases() {
        let who = format!("{} {}", tool.name, version.name());
        let (api, wd) = common::start_api(&tool, version);
        // As a server behind a load balancer does: the POSTs go on after the client left.
        api.set_finish_abandoned(true);
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
provider "devin" {
  request_timeout = "5m"
}
resource "devin_secret" "a" {
  key   = "LATE_A"
  value = "late-a"
}
resource "devin_secret" "b" {
  key   = "LATE_B"
  value = "late-b"
}
"#,
            ),
        );
        api.push_fault(FaultRule {
            fault: Fault::Delay { ms: 5_000 },
            method: Some("POST".into()),
            path_prefix: Some(version.secrets_path()),
            budget: Budget::Next { count: 2 },
        });
        let (out, _) = interrupt_apply(&wd, &api, 2, Target::Group);
        let flat = squash(&out);
        assert_eq!(
            flat.matches("Interrupted while trying to create secret")
                .count(),
            2,
            "{who}: {out}"
        );
        assert!(flat.contains("it may have been created"), "{who}: {out}");
        assert!(
            flat.contains("Run `terraform plan` before anything else"),
            "{who}: {out}"
        );
        assert!(wd.state_list().is_empty(), "{who}");

        // The API finishes both creates after the provider has gone.
        let deadline = Instant::now() + Duration::from_secs(30);
        while api.secrets().len() < 2 {
            assert!(
                Instant::now() < deadline,
                "{who}: the stand-in never finished"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let id_of = |key: &str| {
            let stored = api.secrets();
            stored
                .iter()
                .find(|s| s.key == key)
                .expect("stored")
                .id
                .clone()
        };
        let run = wd.plan();
        let out = squash(&run.output());
        assert_eq!(run.code, 1, "{who}: the plan itself fails: {out}");
        for key in ["LATE_A", "LATE_B"] {
            let id = id_of(key);
            assert!(
                out.contains(&format!("A secret named \"{key}\" already exists in Devin")),
                "{who}: {out}"
            );
            assert!(
                out.contains(&format!(
                    "import {{ to = devin_secret.<name> id = \"{id}\" }}"
                )),
                "{who}: the import block for {id}: {out}"
            );
        }

        // The blocks, with each resource's address, adopt both secrets.
        wd.write(
            "imports.tf",
            &format!(
                "import {{\n  to = devin_secret.a\n  id = \"{}\"\n}}\n\
                 import {{\n  to = devin_secret.b\n  id = \"{}\"\n}}\n",
                id_of("LATE_A"),
                id_of("LATE_B")
            ),
        );
        wd.apply().assert_ok("apply with the import blocks");
        assert_eq!(wd.state_list().len(), 2, "{who}");
        assert_eq!(api.secrets().len(), 2, "{who}: no second secret");
        assert_eq!(api.request_counts().post, 2, "{who}: nothing created again");
    }
}
