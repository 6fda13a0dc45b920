//! `make release` (scripts/release.sh) before it builds anything: the version comes from
//! Cargo.toml alone, and a version without a dated CHANGELOG.md section is refused.
//! Each test runs the script in a small copy of the project (its scripts, a Cargo.toml of
//! the version under test and a changelog), so nothing here compiles the provider.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A temporary project: the real `scripts/`, a root package of `version` and `changelog`.
fn project(version: &str, changelog: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let scripts = dir.path().join("scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    for entry in std::fs::read_dir(Path::new(ROOT).join("scripts")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), scripts.join(entry.file_name())).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"terraform-provider-devin\"\nversion = \"{version}\"\nedition = \"2021\"\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("CHANGELOG.md"), changelog).unwrap();
    dir
}

fn release(dir: &Path) -> Output {
    Command::new("bash")
        .arg(dir.join("scripts/release.sh"))
        .current_dir(dir)
        .env_remove("GPG_FINGERPRINT")
        .env_remove("UNSIGNED")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `changelog_date FILE VERSION` from scripts/lib.sh.
fn changelog_date(file: &Path, version: &str) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(r#". "$0" && changelog_date "$1" "$2""#)
        .arg(PathBuf::from(ROOT).join("scripts/lib.sh"))
        .arg(file)
        .arg(version)
        .output()
        .unwrap()
}

#[test]
fn a_version_without_a_changelog_section_is_refused_before_anything_is_built() {
    let dir = project("9.8.7", "# Changelog\n\n## 9.8.6 — 2026-01-02\n\n- earlier\n");
    let out = release(dir.path());
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("CHANGELOG.md has no section for 9.8.7, the version in Cargo.toml"),
        "{err}"
    );
    assert!(err.contains("## 9.8.7 — "), "the fix is named: {err}");
    assert!(err.contains("nothing built"), "{err}");
    assert!(!dir.path().join("dist").exists());
    assert!(!dir.path().join("target").exists(), "nothing compiled");
}

#[test]
fn an_unreleased_section_is_refused_with_the_heading_to_write() {
    let dir = project("9.8.7", "# Changelog\n\n## 9.8.7 — Unreleased\n\n- new\n");
    let out = release(dir.path());
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("the section of 9.8.7 is not dated (its heading says \"Unreleased\")"),
        "{err}"
    );
    assert!(!dir.path().join("dist").exists());
}

#[test]
fn a_dated_section_gives_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("CHANGELOG.md");
    std::fs::write(
        &file,
        "# Changelog\n\n## 1.2.0 — Unreleased\n\n## 1.1.0 — 2026-03-04\n\n## [1.0.0] - 2025-12-31\n",
    )
    .unwrap();
    for (version, date) in [("1.1.0", "2026-03-04"), ("1.0.0", "2025-12-31")] {
        let out = changelog_date(&file, version);
        assert!(out.status.success(), "{version}: {}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), date);
    }
    // Not a date, and a version that only starts like a listed one.
    std::fs::write(&file, "## 1.1.0 — 2026-13-40\n## 1.1.0-rc.1 — 2026-01-01\n").unwrap();
    assert!(!changelog_date(&file, "1.1.0").status.success());
    assert!(!changelog_date(&file, "1.1").status.success());
}

#[test]
fn the_project_changelog_has_a_section_for_the_cargo_version() {
    // Dated or not yet: a release only has to date it.
    let version = env!("CARGO_PKG_VERSION");
    let text = std::fs::read_to_string(Path::new(ROOT).join("CHANGELOG.md")).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("## {version} — "))),
        "CHANGELOG.md has no \"## {version} — \" section"
    );
}
