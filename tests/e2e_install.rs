//! End to end: `make install`'s filesystem mirror makes a plain, offline `init` work, the
//! way an air-gapped team runs the provider, with the block `make install` prints pasted
//! as it is into the CLI configuration.

mod common;

use common::{provider_binary, tools, Workdir};
use devin_api_standin::{Config, StandIn};

#[test]
fn init_from_the_filesystem_mirror_then_apply_and_destroy() {
    let version = env!("CARGO_PKG_VERSION");
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let mut wd = Workdir::new(&tool, &api.url(), "test-api-key");
        let mirror = wd.path().join("mirror");
        // `make install`, as a user types it: make's own echo of the command stays out.
        let install = std::process::Command::new("make")
            .args([
                "-C",
                env!("CARGO_MANIFEST_DIR"),
                "--no-print-directory",
                "install",
            ])
            .env("MIRROR_DIR", &mirror)
            .env("PROVIDER_BIN", provider_binary())
            .output()
            .unwrap();
        assert!(
            install.status.success(),
            "{}",
            String::from_utf8_lossy(&install.stderr)
        );
        let block = String::from_utf8(install.stdout).unwrap();
        assert!(
            block.starts_with("# Add to your CLI configuration"),
            "make install's output starts with the block: {block}"
        );
        assert!(block.contains("filesystem_mirror"), "{block}");
        // The printed block, as a user would paste it, and nothing else.
        let cli = wd.path().join("mirror.tfrc");
        std::fs::write(&cli, &block).unwrap();
        wd.set_env("TF_CLI_CONFIG_FILE", cli.to_str().unwrap());
        wd.write(
            "main.tf",
            &format!(
                r#"
terraform {{
  required_providers {{
    devin = {{
      source  = "devin-oss/devin"
      version = "{version}"
    }}
  }}
}}
provider "devin" {{}}
resource "devin_secret" "s" {{
  key   = "FROM_MIRROR"
  value = "mirror-value"
}}
"#
            ),
        );
        let init = wd.run(&["init", "-input=false", "-no-color"]);
        init.assert_ok("init from the mirror");
        assert!(
            init.stdout
                .contains(&format!("Installed devin-oss/devin v{version}")),
            "{}: {}",
            tool.name,
            init.stdout
        );
        wd.apply().assert_ok("apply");
        assert_eq!(api.secrets().len(), 1);
        wd.destroy().assert_ok("destroy");
        assert!(api.secrets().is_empty());
    }
}
