//! A release served the two ways a team installs a provider from somewhere other than the
//! public registry: the Provider Registry Protocol (service discovery, `versions`,
//! `download/{os}/{arch}` with the SHA256SUMS, its signature and the signing key) and the
//! Provider Network Mirror Protocol (`index.json`, `{version}.json` with `h1:` hashes);
//! and what a lock file records.

use serde_json::json;

use super::https::Https;
use super::release::{Release, PLATFORMS};

/// What a namespace of the served registry gets wrong, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flaw {
    /// Nothing: the release as `make release` made it.
    None,
    /// One byte of the linux_amd64 zip flipped after the release was signed.
    FlippedByte,
    /// SHA256SUMS signed by a key other than the one the registry lists.
    OtherKey,
    /// No signature where `shasums_signature_url` points.
    NoSignature,
}

/// Serves service discovery (`/.well-known/terraform.json`) and, under the provider
/// `HOST/namespace/devin`, `release` with `flaw`. Each namespace has its own files.
pub fn serve_registry(https: &Https, release: &Release, namespace: &str, flaw: Flaw) {
    https.put(
        "/.well-known/terraform.json",
        json!({ "providers.v1": "/v1/providers/" }).to_string(),
    );
    let files = format!("/files/{namespace}");
    let api = format!("/v1/providers/{namespace}/devin");
    let v = &release.version;
    let platforms: Vec<_> = PLATFORMS
        .iter()
        .map(|p| {
            let (os, arch) = p.split_once('_').unwrap();
            json!({ "os": os, "arch": arch })
        })
        .collect();
    https.put(
        &format!("{api}/versions"),
        json!({ "versions": [{ "version": v, "protocols": ["6.0"], "platforms": platforms }] })
            .to_string(),
    );
    let sums = release.file("SHA256SUMS");
    https.put(&format!("{files}/{sums}"), release.read("SHA256SUMS"));
    match flaw {
        Flaw::NoSignature => {}
        Flaw::OtherKey => https.put(
            &format!("{files}/{sums}.sig"),
            release.other_signature.clone(),
        ),
        _ => https.put(
            &format!("{files}/{sums}.sig"),
            release.read("SHA256SUMS.sig"),
        ),
    }
    for platform in PLATFORMS {
        let zip = release.zip(platform);
        let mut bytes = release.read(&format!("{platform}.zip"));
        if flaw == Flaw::FlippedByte && platform == "linux_amd64" {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x01;
        }
        https.put(&format!("{files}/{zip}"), bytes);
        let (os, arch) = platform.split_once('_').unwrap();
        https.put(
            &format!("{api}/{v}/download/{os}/{arch}"),
            json!({
                "protocols": ["6.0"],
                "os": os,
                "arch": arch,
                "filename": zip,
                "download_url": https.url(&format!("{files}/{zip}")),
                "shasums_url": https.url(&format!("{files}/{sums}")),
                "shasums_signature_url": https.url(&format!("{files}/{sums}.sig")),
                "shasum": release.zh(platform).trim_start_matches("zh:"),
                "signing_keys": { "gpg_public_keys": [{
                    "key_id": release.key.key_id(),
                    "ascii_armor": release.key.armored_public_key(),
                    "trust_signature": "",
                    "source": "terraform-provider-devin tests",
                    "source_url": null,
                }]},
            })
            .to_string(),
        );
    }
}

/// Serves `release` as a network mirror at `https://HOST/mirror/` for the provider
/// `origin/devin-oss/devin` of each origin registry host given, as `terraform providers
/// mirror` lays one out: the zips beside `{version}.json`, by relative URL.
pub fn serve_mirror(https: &Https, release: &Release, origins: &[&str]) {
    let v = &release.version;
    let archives: serde_json::Map<String, serde_json::Value> = PLATFORMS
        .iter()
        .map(|p| {
            let entry = json!({ "url": release.zip(p), "hashes": [release.h1(p)] });
            (p.to_string(), entry)
        })
        .collect();
    for origin in origins {
        let base = format!("/mirror/{origin}/devin-oss/devin");
        https.put(
            &format!("{base}/index.json"),
            json!({ "versions": { v: {} } }).to_string(),
        );
        https.put(
            &format!("{base}/{v}.json"),
            json!({ "archives": archives }).to_string(),
        );
        for platform in PLATFORMS {
            https.put(
                &format!("{base}/{}", release.zip(platform)),
                release.read(&format!("{platform}.zip")),
            );
        }
    }
}

/// The hashes a `.terraform.lock.hcl` records for `provider`, and its version.
pub fn locked(lock_file: &str, provider: &str) -> (String, Vec<String>) {
    let start = lock_file
        .find(&format!("provider \"{provider}\""))
        .unwrap_or_else(|| panic!("no {provider} in the lock file:\n{lock_file}"));
    let block = &lock_file[start..];
    let block = &block[..block.find("\n}").unwrap_or(block.len())];
    let version = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("version"))
        .map(|v| {
            v.trim_start_matches([' ', '='])
                .trim_matches('"')
                .to_string()
        })
        .unwrap_or_default();
    let hashes = block
        .lines()
        .map(|l| l.trim().trim_end_matches(',').trim_matches('"'))
        .filter(|l| l.starts_with("h1:") || l.starts_with("zh:"))
        .map(str::to_string)
        .collect();
    (version, hashes)
}
