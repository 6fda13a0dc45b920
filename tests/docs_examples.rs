//! The Registry examples and the generated docs: every example file validates under each
//! CLI that supports what it uses (terraform, tofu and terraform 1.15), and `docs/` is
//! what `make docs` would write now.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{tools, Family, Tool, Workdir};

/// The examples the Registry layout requires (tfplugindocs' conventional paths); any other
/// directory holding `.tf` or `.tfquery.hcl` files (such as `examples/quickstart`) is
/// validated too.
const REQUIRED: [&str; 10] = [
    "provider/provider.tf",
    "provider/provider-aliases.tf",
    "resources/devin_secret/resource.tf",
    "resources/devin_secret/resource-write-only.tf",
    "resources/devin_secret/import.sh",
    "resources/devin_secret/import-by-string-id.tf",
    "resources/devin_secret/import-by-identity.tf",
    "data-sources/devin_secrets/data-source.tf",
    "data-sources/devin_secret/data-source.tf",
    "list-resources/devin_secret/list-resource.tfquery.hcl",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A configuration file (`.tf`) or a query file (`.tfquery.hcl`, Terraform 1.14+).
fn is_example(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    name.ends_with(".tf") || name.ends_with(".tfquery.hcl")
}

/// Every directory under `dir` that holds example files, sorted.
fn example_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    if entries.iter().any(|p| p.is_file() && is_example(p)) {
        out.push(dir.to_path_buf());
    }
    for p in entries {
        if p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('.') {
            example_dirs(&p, out);
        }
    }
}

/// What a CLI can validate, from its version. Each example file is validated by every CLI
/// that supports what it uses, and skipped (with a message) by the others.
#[derive(Debug)]
struct Supports {
    /// `import` blocks: Terraform 1.5+, OpenTofu.
    import_blocks: bool,
    /// Write-only attributes (`value_wo`) and ephemeral variables: Terraform 1.11+,
    /// OpenTofu 1.11+. (Older CLIs: the provider refuses `value_wo` with an error.)
    write_only: bool,
    /// `import` blocks with `identity`: Terraform 1.12+.
    identity: bool,
    /// `.tfquery.hcl` files, validated by `validate -query`: Terraform 1.14+.
    query: bool,
}

fn supports(tool: &Tool, wd: &Workdir) -> (String, Supports) {
    let out = wd.run(&["version"]).stdout;
    let version = out
        .split_whitespace()
        .find_map(|w| w.strip_prefix('v'))
        .unwrap_or("0.0.0")
        .to_string();
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let v = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    let s = match tool.family {
        Family::Terraform => Supports {
            import_blocks: v >= (1, 5),
            write_only: v >= (1, 11),
            identity: v >= (1, 12),
            query: v >= (1, 14),
        },
        Family::Tofu => Supports {
            import_blocks: true,
            write_only: v >= (1, 11),
            identity: false,
            query: false,
        },
    };
    (version, s)
}

/// What validating `name` (with contents `text`) needs, or `None` when `supports` has it
/// all. Read from the file: the lines that start with these arguments, outside comments.
fn missing(name: &str, text: &str, supports: &Supports) -> Option<&'static str> {
    let uses = |prefix: &str| {
        text.lines()
            .map(str::trim_start)
            .any(|l| l.starts_with(prefix))
    };
    if name.ends_with(".tfquery.hcl") && !supports.query {
        Some("query files (Terraform 1.14+)")
    } else if uses("import {") && !supports.import_blocks {
        Some("import blocks")
    } else if uses("identity") && !supports.identity {
        Some("import by identity (Terraform 1.12+)")
    } else if (uses("value_wo") || uses("ephemeral")) && !supports.write_only {
        Some("write-only attributes (Terraform or OpenTofu 1.11+)")
    } else {
        None
    }
}

#[test]
fn every_example_validates_under_each_cli_that_supports_it() {
    let examples = root().join("examples");
    for file in REQUIRED {
        assert!(examples.join(file).is_file(), "examples/{file} is missing");
    }
    let mut dirs = Vec::new();
    example_dirs(&examples, &mut dirs);
    // Each example file, once some CLI has validated it.
    let mut validated = BTreeSet::new();
    let mut all = BTreeSet::new();
    for tool in tools() {
        for dir in &dirs {
            let rel = dir.strip_prefix(root()).unwrap().display().to_string();
            // validate makes no API call: the URL and key are never used.
            let wd = Workdir::new(&tool, "http://127.0.0.1:9", "unused");
            let (version, supports) = supports(&tool, &wd);
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_file() && is_example(p))
                .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
                .collect();
            names.sort();
            let mut written = Vec::new();
            for name in names {
                let text = std::fs::read_to_string(dir.join(&name)).unwrap();
                all.insert(format!("{rel}/{name}"));
                match missing(&name, &text, &supports) {
                    Some(what) => eprintln!(
                        "{} {version}: {rel}/{name} skipped: it needs {what}",
                        tool.name
                    ),
                    None => {
                        wd.write(&name, &text);
                        written.push(format!("{rel}/{name}"));
                    }
                }
            }
            if written.is_empty() {
                continue;
            }
            let run = if supports.query {
                wd.run(&["validate", "-query", "-no-color"])
            } else {
                wd.validate()
            };
            run.assert_ok(&format!("{} validate of {rel}", tool.name));
            assert!(
                run.stdout.contains("The configuration is valid"),
                "{} validate of {rel}:\n{}",
                tool.name,
                run.output()
            );
            validated.extend(written);
        }
    }
    let never: Vec<&String> = all.difference(&validated).collect();
    assert!(
        never.is_empty(),
        "no CLI validated these examples: {never:?}"
    );
}

#[test]
fn examples_hold_no_literal_secret_values() {
    let mut dirs = Vec::new();
    example_dirs(&root().join("examples"), &mut dirs);
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if !is_example(&path) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().map(str::trim) {
                let rhs = line
                    .strip_prefix("value_wo")
                    .or_else(|| line.strip_prefix("value"))
                    .map(str::trim_start);
                if let Some(rhs) = rhs {
                    if let Some(rhs) = rhs.strip_prefix('=') {
                        let rhs = rhs.trim();
                        assert!(
                            !rhs.starts_with('"'),
                            "{}: a literal value ({line}); use a sensitive variable",
                            path.display()
                        );
                    }
                }
                assert!(
                    !line.contains("apk_") || line.starts_with('#'),
                    "{}: {line}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn docs_are_up_to_date() {
    // `make docs` renders the schema JSON of Terraform 1.15 (DEVIN_TEST_TERRAFORM_115),
    // the one with the list resource and the resource identity.
    let terraform = common::tool_named("terraform-1.15");
    let out = Command::new("bash")
        .arg("scripts/docs.sh")
        .arg("--check")
        .current_dir(root())
        .env("DEVIN_TEST_TERRAFORM_115", &terraform.path)
        .output()
        .expect("run bash scripts/docs.sh --check");
    assert!(
        out.status.success(),
        "bash scripts/docs.sh --check failed (exit {:?}):\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
