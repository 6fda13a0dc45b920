//! The Registry examples and the generated docs: every example directory validates on its
//! own under terraform and tofu, and `docs/` is what `make docs` would write now.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{supports_import_blocks, tools, Workdir};

/// The examples the Registry layout requires; any other directory holding `.tf` files
/// (such as `examples/quickstart`) is validated too.
const REQUIRED: [&str; 5] = [
    "provider/provider.tf",
    "resources/devin_secret/resource.tf",
    "resources/devin_secret/import.sh",
    "data-sources/devin_secrets/data-source.tf",
    "data-sources/devin_secret/data-source.tf",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every directory under `dir` that holds `.tf` files, sorted.
fn example_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    if entries
        .iter()
        .any(|p| p.extension().is_some_and(|x| x == "tf"))
    {
        out.push(dir.to_path_buf());
    }
    for p in entries {
        if p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('.') {
            example_dirs(&p, out);
        }
    }
}

#[test]
fn every_example_directory_validates_under_terraform_and_tofu() {
    let examples = root().join("examples");
    for file in REQUIRED {
        assert!(examples.join(file).is_file(), "examples/{file} is missing");
    }
    let mut dirs = Vec::new();
    example_dirs(&examples, &mut dirs);
    for tool in tools() {
        for dir in &dirs {
            let rel = dir.strip_prefix(root()).unwrap().display().to_string();
            // validate makes no API call: the URL and key are never used.
            let wd = Workdir::new(&tool, "http://127.0.0.1:9", "unused");
            let import_blocks = supports_import_blocks(&tool, &wd);
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_str().unwrap();
                if path.extension().is_some_and(|x| x == "tf")
                    && (import_blocks || !name.starts_with("import"))
                {
                    wd.write(name, &std::fs::read_to_string(&path).unwrap());
                }
            }
            let run = wd.validate();
            run.assert_ok(&format!("{} validate of {rel}", tool.name));
            assert!(
                run.stdout.contains("The configuration is valid"),
                "{} validate of {rel}:\n{}",
                tool.name,
                run.output()
            );
        }
    }
}

#[test]
fn examples_hold_no_literal_secret_values() {
    let mut dirs = Vec::new();
    example_dirs(&root().join("examples"), &mut dirs);
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "tf") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().map(str::trim) {
                if let Some(rhs) = line.strip_prefix("value").map(str::trim_start) {
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
    // The first terraform is DEVIN_TEST_TERRAFORM, the one `make docs` uses.
    let terraform = tools()
        .into_iter()
        .find(|t| t.is_terraform())
        .expect("terraform");
    let out = Command::new("bash")
        .arg("scripts/docs.sh")
        .arg("--check")
        .current_dir(root())
        .env("DEVIN_TEST_TERRAFORM", &terraform.path)
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
