//! Reproducible builds. The provider binary holds none of the build's own paths (the
//! workspace, the target folder, HOME, CARGO_HOME, the toolchain's sysroot) nor the host's
//! name; and a release zip is the same bytes whatever the folder, the file's time and mode,
//! the umask or the time zone. These check the test build, compiled with the remappings a
//! release uses (scripts/tools.sh exports them in RUSTFLAGS, as `make test` runs it), and
//! scripts/zip.py; `make release-check` builds the release twice and compares the bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The build's own paths, each with what it is, as the build saw them.
fn build_paths() -> Vec<(String, &'static str)> {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-devin"));
    let home = std::env::var("HOME").unwrap_or_default();
    let cargo_home = std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{home}/.cargo"));
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    // The folder cargo put the binary in: target/debug (or a CARGO_TARGET_DIR).
    let target = binary
        .parent()
        .and_then(Path::parent)
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut paths = vec![
        (ROOT.to_string(), "the workspace"),
        (target, "the target folder"),
        (format!("{home}/"), "HOME"),
        (cargo_home, "CARGO_HOME"),
        (sysroot, "the toolchain's sysroot"),
    ];
    // A short host name could be in the binary by chance, as a word of some text.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    if host.trim().len() >= 8 {
        paths.push((host.trim().to_string(), "the host's name"));
    }
    paths.retain(|(p, _)| p.trim_matches('/').len() >= 3);
    paths
}

#[test]
fn the_binary_holds_none_of_the_builds_own_paths() {
    let binary = env!("CARGO_BIN_EXE_terraform-provider-devin");
    let bytes = std::fs::read(binary).expect("read the provider binary");
    let found: Vec<String> = build_paths()
        .into_iter()
        .filter_map(|(path, what)| {
            let finder = memchr::memmem::Finder::new(path.as_bytes());
            finder.find(&bytes).map(|at| {
                let end = (at + path.len() + 60).min(bytes.len());
                format!(
                    "{what} ({path}) at byte {at}: {:?}",
                    String::from_utf8_lossy(&bytes[at..end])
                )
            })
        })
        .collect();
    assert!(
        found.is_empty(),
        "{binary} holds the build's own paths:\n  {}\nBuild with the RUSTFLAGS that \
         `scripts/tools.sh` prints (eval \"$(bash scripts/tools.sh)\"; make test does), the \
         path remappings of scripts/lib.sh's repro_rustflags that a release uses",
        found.join("\n  ")
    );
}

/// Runs scripts/zip.py in `cwd` with `umask` and `tz`, writing `archive` from `file`.
fn zip(cwd: &Path, archive: &Path, file: &Path, umask: &str, tz: &str) {
    let out = Command::new("bash")
        .arg("-c")
        .arg(r#"umask "$1" && python3 "$2" "$3" "terraform-provider-devin_v9.9.9=$4""#)
        .arg("zip")
        .arg(umask)
        .arg(Path::new(ROOT).join("scripts/zip.py"))
        .arg(archive)
        .arg(file)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1767323047") // 2026-01-02T03:04:07Z
        .env("TZ", tz)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_zip_is_the_same_bytes_whatever_the_folder_time_mode_umask_or_time_zone() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let deeper = two.path().join("some/other/folder");
    std::fs::create_dir_all(&deeper).unwrap();
    let (a, b) = (one.path().join("bin"), deeper.join("provider"));
    std::fs::write(&a, b"\x7fELF not really a program").unwrap();
    std::fs::copy(&a, &b).unwrap();
    let set = |p: &Path, mode: &str, when: &str| {
        let ok = Command::new("bash")
            .arg("-c")
            .arg(r#"chmod "$1" "$0" && touch -d "$2" "$0""#)
            .arg(p)
            .arg(mode)
            .arg(when)
            .status()
            .unwrap();
        assert!(ok.success());
    };
    set(&a, "0644", "2001-02-03 04:05:06");
    set(&b, "0700", "2030-12-31 23:59:59");
    let (za, zb) = (one.path().join("a.zip"), deeper.join("b.zip"));
    zip(one.path(), &za, &a, "022", "UTC");
    zip(&deeper, &zb, &b, "077", "Pacific/Kiritimati");
    let (bytes_a, bytes_b) = (std::fs::read(&za).unwrap(), std::fs::read(&zb).unwrap());
    assert!(bytes_a == bytes_b, "the two zips differ");

    // What the entry says: its name, the commit's time in UTC (to the even second below, as
    // the format counts), mode 0755, made on Unix.
    let listing = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             for i in zipfile.ZipFile(sys.argv[1]).infolist():\n    \
             print(i.filename, i.date_time, oct(i.external_attr >> 16), i.create_system, i.extra)",
        )
        .arg(&za)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&listing.stdout).trim(),
        "terraform-provider-devin_v9.9.9 (2026, 1, 2, 3, 4, 6) 0o100755 3 b''"
    );
}
