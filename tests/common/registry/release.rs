//! A release of the test build, made by the project's own scripts as `make release` makes
//! one (scripts/package.sh's zip and sums, scripts/sign.sh with an RSA test key), once per
//! test process, under cargo's target/tmp. linux_amd64 holds the provider as built for
//! the tests; the Registry's other platforms hold a stand-in file (nothing runs them here),
//! so that the SHA256SUMS and its signature cover every platform a release lists.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::gpg::GpgKey;
use crate::common::provider_binary;

/// The provider's name in every file name.
pub const NAME: &str = "terraform-provider-devin";

/// The platforms a release lists, the Registry's expected five.
pub const PLATFORMS: [&str; 5] = [
    "darwin_amd64",
    "darwin_arm64",
    "linux_amd64",
    "linux_arm64",
    "windows_amd64",
];

/// The packaged release.
pub struct Release {
    /// The folder the scripts wrote the artifacts to.
    pub dist: PathBuf,
    /// Cargo.toml's version.
    pub version: String,
    /// The key that signed SHA256SUMS.
    pub key: GpgKey,
    /// Another key, and the SHA256SUMS signed by it.
    pub other_key: GpgKey,
    /// SHA256SUMS's signature by `other_key`.
    pub other_signature: Vec<u8>,
}

impl Release {
    /// `terraform-provider-devin_<V>_<suffix>`.
    pub fn file(&self, suffix: &str) -> String {
        format!("{NAME}_{}_{suffix}", self.version)
    }

    /// The bytes of the artifact `terraform-provider-devin_<V>_<suffix>`.
    pub fn read(&self, suffix: &str) -> Vec<u8> {
        std::fs::read(self.dist.join(self.file(suffix))).expect("an artifact of the release")
    }

    /// The zip of `platform`'s name.
    pub fn zip(&self, platform: &str) -> String {
        self.file(&format!("{platform}.zip"))
    }

    /// `zh:` and the SHA-256 of `platform`'s zip, as a lock file records it.
    pub fn zh(&self, platform: &str) -> String {
        self.zh_of(&format!("{platform}.zip"))
    }

    /// `zh:` and the SHA-256 of the artifact `terraform-provider-devin_<V>_<suffix>`.
    pub fn zh_of(&self, suffix: &str) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(self.read(suffix));
        format!(
            "zh:{}",
            digest
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        )
    }

    /// `h1:` of `platform`'s zip: Go's dirhash Hash1 over the files it holds.
    pub fn h1(&self, platform: &str) -> String {
        let out = Command::new("python3")
            .arg("-c")
            .arg(
                "import base64, hashlib, sys, zipfile\n\
                 z = zipfile.ZipFile(sys.argv[1])\n\
                 names = sorted(i.filename for i in z.infolist() if not i.is_dir())\n\
                 lines = ''.join(f'{hashlib.sha256(z.read(n)).hexdigest()}  {n}\\n' for n in names)\n\
                 print('h1:' + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode())",
            )
            .arg(self.dist.join(self.zip(platform)))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }
}

fn script(args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/package.sh"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "package.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The release, packaged on first use.
pub fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e_registry");
        let _ = std::fs::remove_dir_all(&dir);
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        for platform in PLATFORMS {
            let binary = if platform == "linux_amd64" {
                provider_binary()
            } else {
                let fake = dir.join(format!("not-a-program-{platform}"));
                std::fs::write(&fake, format!("the provider for {platform}, built by CI\n"))
                    .unwrap();
                fake
            };
            script(&[
                "zip".as_ref(),
                binary.as_os_str(),
                platform.as_ref(),
                dist.as_os_str(),
            ]);
        }
        let sums = PathBuf::from(script(&["sums".as_ref(), dist.as_os_str()]));
        let key = GpgKey::generate(&dir, "release", "rsa3072");
        let signed = key.sign_sh(&[&sums]);
        assert!(
            signed.status.success(),
            "{}",
            String::from_utf8_lossy(&signed.stderr)
        );
        let other_key = GpgKey::generate(&dir, "other", "rsa3072");
        let copy = dir.join("SHA256SUMS");
        std::fs::copy(&sums, &copy).unwrap();
        let other = other_key.sign_sh(&[&copy]);
        assert!(
            other.status.success(),
            "{}",
            String::from_utf8_lossy(&other.stderr)
        );
        let other_signature = std::fs::read(dir.join("SHA256SUMS.sig")).unwrap();
        Release {
            dist,
            version: env!("CARGO_PKG_VERSION").to_string(),
            key,
            other_key,
            other_signature,
        }
    })
}
