//! A GPG key in a keyring of its own (a GNUPGHOME under `dir`), for signing a release the
//! way `make release` does (scripts/sign.sh). The keyring's gpg-agent is stopped once the
//! key is made and after each signature, so no agent outlives a test.

#![allow(dead_code)] // tests/release_script.rs takes this file alone, and uses a part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A key, and the keyring that holds it.
pub struct GpgKey {
    /// The GNUPGHOME.
    pub home: PathBuf,
    /// Its fingerprint, 40 hex digits.
    pub fingerprint: String,
}

fn gpg(home: &Path, args: &[&str]) -> Output {
    let out = Command::new("gpg")
        .arg("--homedir")
        .arg(home)
        .args(["--batch", "--no-tty"])
        .args(args)
        .output()
        .expect("run gpg (scripts/tools.sh installs it)");
    assert!(
        out.status.success(),
        "gpg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stop_agent(home: &Path) {
    let _ = Command::new("gpgconf")
        .arg("--homedir")
        .arg(home)
        .args(["--kill", "all"])
        .output();
}

impl GpgKey {
    /// A new signing key of `algo` (`rsa3072`, `ed25519`, ...), with no passphrase, in a
    /// new keyring at `dir`/`name`.
    pub fn generate(dir: &Path, name: &str, algo: &str) -> GpgKey {
        let home = dir.join(name);
        std::fs::create_dir_all(&home).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let user = format!("{name} test key <{name}@example.invalid>");
        gpg(
            &home,
            &[
                "--passphrase",
                "",
                "--quick-gen-key",
                &user,
                algo,
                "sign",
                "never",
            ],
        );
        let listing = gpg(&home, &["--with-colons", "--list-secret-keys"]);
        let fingerprint = String::from_utf8_lossy(&listing.stdout)
            .lines()
            .find_map(|l| {
                l.strip_prefix("fpr:")
                    .map(|r| r.trim_matches(':').to_string())
            })
            .expect("the new key's fingerprint");
        stop_agent(&home);
        GpgKey { home, fingerprint }
    }

    /// The long key id: the fingerprint's last 16 hex digits.
    pub fn key_id(&self) -> String {
        self.fingerprint[self.fingerprint.len() - 16..].to_string()
    }

    /// The public key, ASCII-armored, as a registry lists it.
    pub fn armored_public_key(&self) -> String {
        let out = gpg(&self.home, &["--armor", "--export", &self.fingerprint]);
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `scripts/sign.sh` with `args`, with this key in GPG_FINGERPRINT.
    pub fn sign_sh(&self, args: &[&Path]) -> Output {
        let out = Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/sign.sh"))
            .args(args)
            .env("GNUPGHOME", &self.home)
            .env("GPG_FINGERPRINT", &self.fingerprint)
            .env_remove("GPG_PASSPHRASE")
            .output()
            .unwrap();
        stop_agent(&self.home);
        out
    }
}

impl Drop for GpgKey {
    fn drop(&mut self) {
        stop_agent(&self.home);
    }
}
