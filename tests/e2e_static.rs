//! The Linux binary needs nothing of the host: no loader, no C library. Proved the way a
//! CI image without glibc (the official `hashicorp/terraform` image is Alpine, with musl)
//! or with an older one would run it: in a root that holds no libc at all, only the CLI
//! (Terraform's and OpenTofu's are static Go binaries), the provider installed in a
//! filesystem mirror, the CLI configuration, `/etc/hosts` and `/etc/resolv.conf`. There
//! `init`, `apply`, `plan` and `destroy` run against the stand-in on 127.0.0.1, addressed
//! by two names: one from `/etc/hosts`, one from the DNS server `/etc/resolv.conf` names
//! (a responder on a loopback address of the test's own), over HTTPS (the provider sends
//! its key in clear only to a loopback address), trusting a CA of the test's own through
//! `SSL_CERT_FILE`.
#![cfg(target_os = "linux")]

mod common;
#[path = "common/dns.rs"]
mod dns;
#[path = "common/tls/mod.rs"]
mod tls;

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{provider_binary, squash, tool_named, Tool, Workdir};
use devin_api_standin::StandIn;

/// What `readelf` says `binary` needs to start: its loader and libraries.
fn needs_of(binary: &Path) -> Vec<String> {
    let out = Command::new("readelf")
        .args(["--program-headers", "--dynamic", "--wide"])
        .arg(binary)
        .env("LC_ALL", "C")
        .output()
        .expect("run readelf (binutils)");
    assert!(
        out.status.success(),
        "readelf {}: {out:?}",
        binary.display()
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("program interpreter") || l.contains("(NEEDED)"))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn the_provider_needs_no_loader_and_no_library() {
    let needs = needs_of(&provider_binary());
    assert!(
        needs.is_empty(),
        "{} needs of the host: {needs:?}",
        provider_binary().display()
    );
}

/// The root: `usr/local/bin/cli`, the provider in `mirror/`, `etc/terraformrc`, `etc/hosts`,
/// `etc/resolv.conf`, `work/main.tf`, `root/`, `tmp/` and `dev/null`: no libc, and no
/// `/dev/urandom` (a container has one; a program that needs it fails here).
fn make_root(root: &Path, cli: &Tool, hosts: &str, resolv: &str, main_tf: &str) {
    for dir in ["usr/local/bin", "etc", "work", "root", "tmp", "dev"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    let needs = needs_of(&cli.path);
    assert!(
        needs.is_empty(),
        "{} is not static: {needs:?}",
        cli.path.display()
    );
    std::fs::copy(&cli.path, root.join("usr/local/bin/cli")).unwrap();
    let install = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install.sh"))
        .env("PROVIDER_BIN", provider_binary())
        .env("MIRROR_DIR", root.join("mirror"))
        .output()
        .expect("run scripts/install.sh");
    assert!(install.status.success(), "install.sh: {install:?}");
    std::fs::write(
        root.join("etc/terraformrc"),
        r#"disable_checkpoint = true
provider_installation {
  filesystem_mirror {
    path    = "/mirror"
    include = ["registry.terraform.io/devin-oss/devin", "registry.opentofu.org/devin-oss/devin"]
  }
}
"#,
    )
    .unwrap();
    std::fs::write(root.join("etc/hosts"), hosts).unwrap();
    std::fs::write(root.join("etc/resolv.conf"), resolv).unwrap();
    std::fs::write(root.join("work/main.tf"), main_tf).unwrap();
    // Go's os/exec opens /dev/null for a child's missing streams.
    let _ = Command::new("mknod")
        .args(["-m", "666"])
        .arg(root.join("dev/null"))
        .args(["c", "1", "3"])
        .status();
    let libc: Vec<PathBuf> = walk(root)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("libc.") || name.starts_with("ld-linux") || name.starts_with("ld-musl")
        })
        .collect();
    assert!(libc.is_empty(), "the root holds a C library: {libc:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// The CLI inside `root`, through `chroot` (as root; else in a user namespace whose root
/// may chroot).
fn in_root(cli: &Tool) -> Workdir {
    let as_root = unsafe { libc::geteuid() } == 0;
    let launcher = Tool {
        name: cli.name,
        family: cli.family,
        path: host_command(if as_root { "chroot" } else { "unshare" }),
    };
    let mut wd = Workdir::new(&launcher, "http://unused.invalid", "unused");
    wd.set_env("TF_CLI_CONFIG_FILE", "/etc/terraformrc");
    wd.set_env("HOME", "/root");
    wd.set_env("PATH", "/usr/local/bin");
    wd.set_env("TMPDIR", "/tmp");
    wd.remove_env("DEVIN_API_URL");
    wd
}

/// `name` on the host: the commands inside are given a PATH of the root's.
fn host_command(name: &str) -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .chain(["/usr/sbin", "/usr/bin", "/sbin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("no {name} on this machine (coreutils, util-linux)"))
}

fn run(wd: &Workdir, root: &Path, as_root: bool, args: &[&str]) -> common::Run {
    let mut full: Vec<String> = Vec::new();
    if !as_root {
        full.extend(["--user", "--map-root-user", "chroot"].map(String::from));
    }
    full.push(root.display().to_string());
    full.push("/usr/local/bin/cli".into());
    full.push("-chdir=/work".into());
    full.extend(args.iter().map(|a| a.to_string()));
    let full: Vec<&str> = full.iter().map(String::as_str).collect();
    wd.run(&full)
}

#[test]
fn init_apply_plan_and_destroy_in_a_root_without_libc() {
    let standin = StandIn::start(devin_api_standin::Config::default()).expect("start the stand-in");
    let ca = tls::ca::TestCa::new("Example Corp CA");
    let front = tls::front::TlsFront::start(
        ca.leaf(
            &["devin-hosts.test", "devin-dns.test"],
            tls::ca::Validity::Always,
        ),
        standin.addr(),
    );
    let port = front.port();
    // A loopback address of its own, so that no other server's port 53 is in the way.
    let dns_ip = Ipv4Addr::new(127, 53, 83, 1);
    let dns =
        dns::Dns::start(dns_ip, &[("devin-dns.test", Ipv4Addr::LOCALHOST)]).unwrap_or_else(|e| {
            panic!("a DNS server on {dns_ip}:53 (binding port 53 needs root): {e}")
        });
    let as_root = unsafe { libc::geteuid() } == 0;
    for (cli, source_host) in [
        (tool_named("terraform"), "registry.terraform.io"),
        (tool_named("tofu"), "registry.opentofu.org"),
    ] {
        let t = cli.name;
        let root = tempfile::tempdir().unwrap();
        let main_tf = format!(
            r#"terraform {{
  required_providers {{
    devin = {{ source = "{source_host}/devin-oss/devin" }}
  }}
}}

provider "devin" {{
  api_url = "https://devin-hosts.test:{port}"
}}

provider "devin" {{
  alias   = "dns"
  api_url = "https://devin-dns.test:{port}"
}}

resource "devin_secret" "from_hosts" {{
  key   = "FROM_HOSTS"
  value = "static-value-1"
}}

resource "devin_secret" "from_dns" {{
  provider = devin.dns
  key      = "FROM_DNS"
  value    = "static-value-2"
}}
"#
        );
        make_root(
            root.path(),
            &cli,
            "127.0.0.1 localhost\n127.0.0.1 devin-hosts.test\n",
            &format!("nameserver {}\n", dns.ip()),
            &main_tf,
        );
        std::fs::write(root.path().join("etc/company-ca.pem"), ca.pem()).unwrap();
        let mut wd = in_root(&cli);
        wd.set_env("SSL_CERT_FILE", "/etc/company-ca.pem");
        wd.remove_env("SSL_CERT_DIR");
        wd.set_env("DEVIN_API_KEY", common::API_KEY);
        let step = |args: &[&str]| run(&wd, root.path(), as_root, args);
        step(&["init", "-input=false", "-no-color"]).assert_ok(&format!("{t}: init in the root"));
        step(&["apply", "-auto-approve", "-input=false", "-no-color"])
            .assert_ok(&format!("{t}: apply in the root"));
        let mut keys: Vec<String> = standin.secrets().into_iter().map(|s| s.key).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["FROM_DNS", "FROM_HOSTS"],
            "{t}: both secrets, through both names"
        );
        let plan = step(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
        assert_eq!(
            plan.code,
            0,
            "{t}: the plan after apply is empty:\n{}",
            squash(&plan.output())
        );
        step(&["destroy", "-auto-approve", "-input=false", "-no-color"])
            .assert_ok(&format!("{t}: destroy in the root"));
        assert!(standin.secrets().is_empty(), "{t}: destroyed");
        let asked = dns.asked();
        assert!(
            asked.iter().any(|n| n == "devin-dns.test"),
            "{t}: the name server of /etc/resolv.conf was asked: {asked:?}"
        );
        assert!(
            !asked.iter().any(|n| n == "devin-hosts.test"),
            "{t}: a name in /etc/hosts is not asked of DNS: {asked:?}"
        );
    }
}
