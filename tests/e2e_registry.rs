//! End to end: a release, packaged and signed by the project's scripts as `make release`
//! does (of the test build), installed by each CLI's own installer from a real HTTPS
//! server on 127.0.0.1 whose certificate the CLI trusts through SSL_CERT_FILE:
//!
//! - over the Provider Registry Protocol, `init` verifies the signature, records `h1:`
//!   and `zh:` hashes in the lock file, and the provider then applies and destroys;
//! - the CLI itself refuses a zip with one byte flipped, a SHA256SUMS signed by another
//!   key, and a missing signature;
//! - over the Provider Network Mirror Protocol, `init` installs it by its `h1:` hash;
//! - `providers lock` records the hashes of every platform the release lists.

mod common;
#[path = "common/registry/mod.rs"]
mod registry;

use common::{squash, tools, Tool, Workdir, API_KEY};
use devin_api_standin::{Config, StandIn};
use registry::https::Https;
use registry::release::{release, PLATFORMS};
use registry::serve::{locked, serve_mirror, serve_registry, Flaw};

/// A work directory for `tool` whose CLI configuration is `cli_config`, trusting the
/// server's CA, with a configuration that takes the provider from `source`.
fn workdir(tool: &Tool, https: &Https, api: &StandIn, cli_config: &str, source: &str) -> Workdir {
    let mut wd = Workdir::new(tool, &api.url(), API_KEY);
    let config = wd.path().join("install.tfrc");
    std::fs::write(&config, cli_config).unwrap();
    wd.set_env("TF_CLI_CONFIG_FILE", config.to_str().unwrap());
    let ca = wd.path().join("test-ca.pem");
    https.write_ca(&ca);
    wd.set_env("SSL_CERT_FILE", ca.to_str().unwrap());
    let no_dir = wd.path().join("no-more-certificates");
    std::fs::create_dir_all(&no_dir).unwrap();
    wd.set_env("SSL_CERT_DIR", no_dir.to_str().unwrap());
    wd.write(
        "main.tf",
        &format!(
            r#"terraform {{
  required_providers {{
    devin = {{
      source  = "{source}"
      version = "~> 0.1"
    }}
  }}
}}
provider "devin" {{}}
resource "devin_secret" "s" {{
  key   = "FROM_THE_REGISTRY"
  value = "registry-value"
}}
"#
        ),
    );
    wd
}

const DIRECT: &str = "provider_installation {\n  direct {}\n}\n";

fn lock_file(wd: &Workdir) -> String {
    std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).unwrap_or_default()
}

#[test]
fn init_from_the_registry_verifies_the_signature_and_locks_the_hashes_then_apply_and_destroy() {
    let release = release();
    let https = Https::start();
    serve_registry(&https, release, "devin-oss", Flaw::None);
    let provider = format!("{}/devin-oss/devin", https.host());
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let wd = workdir(&tool, &https, &api, DIRECT, &provider);
        let init = wd.run(&["init", "-input=false", "-no-color"]);
        init.assert_ok(&format!("{} init from the registry", tool.name));
        let said = squash(&init.stdout);
        assert!(
            said.contains(&format!("Installed {provider} v{}", release.version)),
            "{}: {said}",
            tool.name
        );
        assert!(
            said.contains(&format!("key ID {}", release.key.key_id())),
            "{}: the signature is checked against the registry's key: {said}",
            tool.name
        );
        let (version, hashes) = locked(&lock_file(&wd), &provider);
        assert_eq!(version, release.version, "{}", tool.name);
        assert!(
            hashes.contains(&release.h1("linux_amd64")),
            "{}: the installed package's h1: in {hashes:?}",
            tool.name
        );
        for platform in PLATFORMS {
            assert!(
                hashes.contains(&release.zh(platform)),
                "{}: {platform}'s zh: (from the signed SHA256SUMS) in {hashes:?}",
                tool.name
            );
        }
        wd.apply().assert_ok(&format!("{} apply", tool.name));
        assert_eq!(api.secrets().len(), 1, "{}", tool.name);
        wd.destroy().assert_ok(&format!("{} destroy", tool.name));
        assert!(api.secrets().is_empty(), "{}", tool.name);
    }
    let sig = format!("GET /files/devin-oss/{}.sig", release.file("SHA256SUMS"));
    assert!(https.requests().contains(&sig), "{:?}", https.requests());
}

/// What the CLIs say when they refuse a package with `flaw`: stable fragments of their
/// own messages (Terraform 1.11 and 1.15 and OpenTofu 1.6 word them alike).
fn refusal(flaw: Flaw, expected_zh: &str) -> Vec<String> {
    match flaw {
        Flaw::FlippedByte => vec![
            "archive has incorrect checksum".to_string(),
            format!("(expected {expected_zh})"),
        ],
        Flaw::OtherKey => vec!["authentication signature from unknown issuer".to_string()],
        Flaw::NoSignature => {
            vec![
                "failed to retrieve cryptographic signature for provider: 404 Not Found"
                    .to_string(),
            ]
        }
        Flaw::None => Vec::new(),
    }
}

#[test]
fn the_cli_refuses_a_flipped_byte_another_key_and_a_missing_signature() {
    let release = release();
    let https = Https::start();
    let flaws = [
        ("flipped", Flaw::FlippedByte),
        ("other-key", Flaw::OtherKey),
        ("unsigned", Flaw::NoSignature),
    ];
    for (namespace, flaw) in flaws {
        serve_registry(&https, release, namespace, flaw);
    }
    let api = StandIn::start(Config::default()).unwrap();
    for tool in tools() {
        for (namespace, flaw) in flaws {
            let provider = format!("{}/{namespace}/devin", https.host());
            let wd = workdir(&tool, &https, &api, DIRECT, &provider);
            let init = wd.run(&["init", "-input=false", "-no-color"]);
            let said = squash(&init.output());
            assert_ne!(
                init.code, 0,
                "{} init of {flaw:?} succeeded: {said}",
                tool.name
            );
            let installing = format!("Error while installing {provider} v{}", release.version);
            for fragment in [installing]
                .into_iter()
                .chain(refusal(flaw, &release.zh("linux_amd64")))
            {
                assert!(
                    said.contains(&fragment),
                    "{} refusing {flaw:?} says no \"{fragment}\": {said}",
                    tool.name
                );
            }
            assert!(
                !lock_file(&wd).contains(&provider),
                "{}: {flaw:?} is locked",
                tool.name
            );
        }
    }
}

#[test]
fn init_through_a_network_mirror_checks_the_h1_hash() {
    let release = release();
    let https = Https::start();
    serve_mirror(
        &https,
        release,
        &["registry.terraform.io", "registry.opentofu.org"],
    );
    let cli_config = format!(
        "provider_installation {{\n  network_mirror {{\n    url = \"{}\"\n  }}\n}}\n",
        https.url("/mirror/")
    );
    let api = StandIn::start(Config::default()).unwrap();
    for tool in tools() {
        let wd = workdir(&tool, &https, &api, &cli_config, "devin-oss/devin");
        let init = wd.run(&["init", "-input=false", "-no-color"]);
        init.assert_ok(&format!("{} init through the mirror", tool.name));
        let origin = if tool.is_tofu() {
            "registry.opentofu.org"
        } else {
            "registry.terraform.io"
        };
        let (version, hashes) = locked(&lock_file(&wd), &format!("{origin}/devin-oss/devin"));
        assert_eq!(version, release.version, "{}", tool.name);
        assert!(
            hashes.contains(&release.h1("linux_amd64")),
            "{}: {hashes:?}",
            tool.name
        );
        // The provider it installed runs: validate asks it for its schema.
        wd.validate().assert_ok(&format!(
            "{} validate with the mirrored provider",
            tool.name
        ));
    }
}

#[test]
fn providers_lock_records_every_platform_of_the_release() {
    let release = release();
    let https = Https::start();
    serve_registry(&https, release, "devin-oss", Flaw::None);
    let provider = format!("{}/devin-oss/devin", https.host());
    let api = StandIn::start(Config::default()).unwrap();
    let platforms: Vec<String> = PLATFORMS.iter().map(|p| format!("-platform={p}")).collect();
    for tool in tools() {
        let wd = workdir(&tool, &https, &api, DIRECT, &provider);
        let mut args = vec!["providers", "lock", "-no-color"];
        args.extend(platforms.iter().map(String::as_str));
        wd.run(&args)
            .assert_ok(&format!("{} providers lock", tool.name));
        // Each platform's h1: (of the package it downloaded) and zh: (of the zip), and
        // the zh: of every other line of the signed SHA256SUMS: the manifest's.
        let (_, mut hashes) = locked(&lock_file(&wd), &provider);
        let mut expected: Vec<String> = PLATFORMS
            .iter()
            .flat_map(|p| [release.h1(p), release.zh(p)])
            .chain([release.zh_of("manifest.json")])
            .collect();
        hashes.sort();
        expected.sort();
        assert_eq!(hashes, expected, "{}: the lock file's hashes", tool.name);
    }
}
