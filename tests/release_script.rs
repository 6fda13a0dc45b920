//! `make release` (scripts/release.sh): the version comes from Cargo.toml alone, and a
//! version without a dated CHANGELOG.md section is refused; the artifacts are named and
//! made as the Registry wants them; SHA256SUMS is signed by GPG_FINGERPRINT's key, an RSA
//! key, ECC keys are refused before anything is built, and artifacts are unsigned only when
//! asked. Each test runs the scripts in a small copy of the project (its scripts, a
//! Cargo.toml of the version under test, a `fn main` and a changelog), so nothing here
//! compiles the provider.

#[path = "common/registry/gpg.rs"]
mod gpg;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gpg::GpgKey;

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
    let lock = Command::new("cargo")
        .args(["generate-lockfile", "--offline"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(lock.status.success(), "{}", stderr(&lock));
    dir
}

const DATED: &str = "# Changelog\n\n## 9.8.7 — 2026-05-06\n\n- new\n";

fn release(dir: &Path) -> Output {
    release_with(dir, &[])
}

/// release.sh in `dir` with `env` and no signing settings of the caller's.
fn release_with(dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg(dir.join("scripts/release.sh"))
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1778040000")
        .env_remove("GPG_FINGERPRINT")
        .env_remove("GPG_PASSPHRASE")
        .env_remove("UNSIGNED")
        .env_remove("DIST_DIR")
        .env_remove("RELEASE_TAG")
        .env_remove("CARGO_TARGET_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn sha256_hex(file: &Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(std::fs::read(file).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The entries of a zip: name and mode, one `NAME MODE` line each.
fn zip_entries(zip: &Path) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             for i in zipfile.ZipFile(sys.argv[1]).infolist():\n    \
             print(i.filename, oct(i.external_attr >> 16))",
        )
        .arg(zip)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
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
    let dir = project(
        "9.8.7",
        "# Changelog\n\n## 9.8.6 — 2026-01-02\n\n- earlier\n",
    );
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

#[test]
fn with_no_key_it_says_how_to_give_one_and_builds_nothing() {
    let dir = project("9.8.7", DATED);
    let out = release(dir.path());
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    for fragment in [
        "no signing key: set GPG_FINGERPRINT to the fingerprint (40 hex digits) of an RSA or",
        "gpg --quick-gen-key 'Your Name <you@example.com>' rsa4096 sign 2y",
        "UNSIGNED=1 make release",
        "refused, nothing built",
    ] {
        assert!(err.contains(fragment), "no \"{fragment}\" in: {err}");
    }
    assert!(!dir.path().join("dist").exists());
    assert!(!dir.path().join("target").exists(), "nothing compiled");
}

#[test]
fn an_ecc_key_is_refused_with_the_reason_before_anything_is_built_or_signed() {
    let dir = project("9.8.7", DATED);
    let key = GpgKey::generate(dir.path(), "ecc", "ed25519");
    let home = key.home.to_str().unwrap();
    let out = release_with(
        dir.path(),
        &[("GNUPGHOME", home), ("GPG_FINGERPRINT", &key.fingerprint)],
    );
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    let reason = format!(
        "refused, nothing signed: the key {} is ECC (EdDSA): the Terraform Registry accepts RSA and DSA keys only",
        key.fingerprint
    );
    assert!(err.contains(&reason), "{err}");
    assert!(!dir.path().join("dist").exists());
    assert!(!dir.path().join("target").exists(), "nothing compiled");
    // sign.sh itself, on a file: no signature.
    let file = dir.path().join("SHA256SUMS");
    std::fs::write(&file, "sums\n").unwrap();
    let signed = key.sign_sh(&[&file]);
    assert!(!signed.status.success());
    assert!(stderr(&signed).contains(&reason), "{}", stderr(&signed));
    assert!(!dir.path().join("SHA256SUMS.sig").exists());
}

#[test]
fn unsigned_artifacts_only_when_asked_named_as_the_registry_wants() {
    let dir = project("9.8.7", DATED);
    let out = release_with(dir.path(), &[("UNSIGNED", "1")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("UNSIGNED=1: no SHA256SUMS.sig"));
    let dist = dir.path().join("dist");
    let p = "terraform-provider-devin_9.8.7";
    assert_eq!(
        listing(&dist),
        [
            format!("{p}_SHA256SUMS"),
            format!("{p}_linux_amd64.zip"),
            format!("{p}_manifest.json")
        ]
    );
    assert_eq!(
        zip_entries(&dist.join(format!("{p}_linux_amd64.zip"))),
        "terraform-provider-devin_v9.8.7 0o100755"
    );
    assert_eq!(
        std::fs::read_to_string(dist.join(format!("{p}_manifest.json"))).unwrap(),
        "{\"version\":1,\"metadata\":{\"protocol_versions\":[\"6.0\"]}}\n"
    );
    let sums = std::fs::read_to_string(dist.join(format!("{p}_SHA256SUMS"))).unwrap();
    let expected: String = [format!("{p}_linux_amd64.zip"), format!("{p}_manifest.json")]
        .iter()
        .map(|f| format!("{}  {f}\n", sha256_hex(&dist.join(f))))
        .collect();
    assert_eq!(sums, expected);
}

#[test]
fn make_release_signs_the_sums_with_the_rsa_key_binary_and_detached() {
    let dir = project("9.8.7", DATED);
    let key = GpgKey::generate(dir.path(), "rsa", "rsa3072");
    let home = key.home.to_str().unwrap();
    let out = release_with(
        dir.path(),
        &[("GNUPGHOME", home), ("GPG_FINGERPRINT", &key.fingerprint)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let dist = dir.path().join("dist");
    let sums = dist.join("terraform-provider-devin_9.8.7_SHA256SUMS");
    let sig_file = dist.join("terraform-provider-devin_9.8.7_SHA256SUMS.sig");
    let sig = std::fs::read(&sig_file).expect("the signature");
    // A binary OpenPGP packet, not "-----BEGIN PGP SIGNATURE-----".
    assert!(
        sig[0] & 0x80 != 0 && !sig.starts_with(b"-----"),
        "{:?}",
        &sig[..8]
    );
    let verify = Command::new("gpg")
        .arg("--homedir")
        .arg(&key.home)
        .args(["--batch", "--status-fd", "1", "--verify"])
        .arg(&sig_file)
        .arg(&sums)
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&verify.stdout);
    assert!(
        status.contains(&format!("[GNUPG:] VALIDSIG {} ", key.fingerprint)),
        "{status}{}",
        stderr(&verify)
    );
}

#[test]
fn a_windows_zip_holds_an_exe_and_an_unknown_platform_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake");
    std::fs::write(&fake, "not a program").unwrap();
    let zip = |platform: &str| {
        Command::new("bash")
            .arg(Path::new(ROOT).join("scripts/package.sh"))
            .args([
                "zip".as_ref(),
                fake.as_os_str(),
                platform.as_ref(),
                dir.path().as_os_str(),
            ])
            .output()
            .unwrap()
    };
    let out = zip("windows_amd64");
    assert!(out.status.success(), "{}", stderr(&out));
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        zip_entries(&dir.path().join(format!(
            "terraform-provider-devin_{version}_windows_amd64.zip"
        ))),
        format!("terraform-provider-devin_v{version}.exe 0o100755")
    );
    let out = zip("linux_amd65");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("\"linux_amd65\" is not an os_arch the Registry knows"),
        "{}",
        stderr(&out)
    );
}
