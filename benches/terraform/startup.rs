//! The provider binary on its own: how long it takes from exec to the go-plugin handshake
//! line, and which binary's size is reported.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::PROVIDER;

const COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);
/// A throwaway client certificate, so the start-up measured includes the server key and
/// certificate that Terraform's AutoMTLS makes every provider generate.
const CLIENT_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIUKSavkxIL6fjHKGBh1hpqmm+eJTkwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSZGV2aW4tYmVuY2gtY2xpZW50MCAXDTI2MTEyMjE1NDkxM1oY
DzIxMjYxMDI5MTU0OTEzWjAdMRswGQYDVQQDDBJkZXZpbi1iZW5jaC1jbGllbnQw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAR51FxpBwDQjjNL86rUM9AiiirpyklK
ZH8q58KWTKADlalE7XSlFkK0BvhlblggIL/Pr9fI1NcB8yT3GWAUGuydo1MwUTAd
BgNVHQ4EFgQUf3R8su1FWtUoKTroVUnnv8a9qpUwHwYDVR0jBBgwFoAUf3R8su1F
WtUoKTroVUnnv8a9qpUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiEAsXMfXnCiOZMpkuwzme7GQulE1pK+4kZw6dh4AR34oxcCIA3UvPFXyPX9oAxv
BQ90qjFXYtHCumeTAUzAYn7EnPMS
-----END CERTIFICATE-----";

/// Median time from exec to the go-plugin handshake line, in ms, of each binary; the
/// binaries take turns.
pub fn startup_ms(providers: &[PathBuf], runs: usize) -> Vec<Option<f64>> {
    let mut times = vec![Some(Vec::new()); providers.len()];
    for _ in 0..runs {
        for (provider, times) in providers.iter().zip(&mut times) {
            if let Some(list) = times {
                match startup_once(provider) {
                    Some(ms) => list.push(ms),
                    None => *times = None,
                }
            }
        }
    }
    times
        .into_iter()
        .map(|t| {
            let mut t = t?;
            t.sort_by(f64::total_cmp);
            t.get(t.len() / 2).copied()
        })
        .collect()
}

fn startup_once(provider: &Path) -> Option<f64> {
    let started = Instant::now();
    let mut child = Command::new(provider)
        .env(COOKIE.0, COOKIE.1)
        .env("PLUGIN_CLIENT_CERT", CLIENT_CERT)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take()?).read_line(&mut line);
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let _ = child.kill();
    let _ = child.wait();
    (read.is_ok() && line.starts_with("1|6|tcp|")).then_some(ms)
}

/// The release build of the provider (the bench profile's binary is the same code, but
/// the size that matters is the one `make release` ships).
pub fn release_provider() -> PathBuf {
    let here = PathBuf::from(PROVIDER);
    let release = here
        .parent()
        .and_then(Path::parent)
        .map(|t| t.join("release/terraform-provider-devin"));
    match release {
        Some(p) if p.exists() => p,
        _ => here,
    }
}

/// What `binary` needs of the host to start, as `readelf` reads its ELF headers: `static`
/// (no loader, no library), or the loader and the libraries it names; `-` where there is
/// no `readelf` or the binary is not ELF (macOS, Windows).
pub fn linking(binary: &Path) -> String {
    let Ok(out) = Command::new("readelf")
        .args(["--program-headers", "--dynamic", "--wide"])
        .arg(binary)
        .env("LC_ALL", "C")
        .stderr(Stdio::null())
        .output()
    else {
        return "-".into();
    };
    if !out.status.success() {
        return "-".into();
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut needs: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix("[Requesting program interpreter: ")
                .or_else(|| l.split("Shared library: [").nth(1))
                .map(|rest| rest.trim_end_matches(']').to_string())
        })
        .collect();
    if needs.is_empty() {
        return "static".into();
    }
    // The loader is named twice: as the interpreter, and as a library.
    let mut seen = std::collections::BTreeSet::new();
    needs.retain(|n| seen.insert(n.rsplit('/').next().unwrap_or(n).to_string()));
    needs.join(", ")
}
