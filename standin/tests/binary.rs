//! The stand-in as a program: the flags `scripts/demo.sh` passes still work, and `--org`
//! sets the organizations `/v3` serves.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Kills the program when the test ends, passing or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the program and reads its ready message: the URL, then one line per key.
fn start(args: &[&str]) -> (Running, String, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_devin-api-standin"))
        .args(args)
        .env_remove("DEVIN_API_KEY")
        .env_remove("DEVIN_STANDIN_ORGS")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the program starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let running = Running(child);
    let mut ready = String::new();
    out.read_line(&mut ready).unwrap();
    let url = ready
        .trim()
        .strip_prefix("devin-api-standin listening on ")
        .unwrap_or_else(|| panic!("a ready line: {ready:?}"))
        .to_string();
    // One line for v1, one per organization (two by default). Counted, because the
    // program keeps running and reading further would wait for ever.
    let orgs = args.iter().filter(|a| **a == "--org").count();
    let keys = out
        .lines()
        .take(1 + if orgs == 0 { 2 } else { orgs })
        .map_while(Result::ok)
        .collect();
    (running, url, keys)
}

async fn status(url: &str, key: &str) -> u16 {
    reqwest::Client::new()
        .get(url)
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn orgs_from_flags_and_the_demo_flags() {
    let dir = std::env::temp_dir().join(format!("standin-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let addr_file = dir.join("addr");
    let (_running, url, keys) = start(&[
        "--port",
        "0",
        "--api-key",
        "demo-api-key",
        "--addr-file",
        addr_file.to_str().unwrap(),
        "--org",
        "org-a=cog_a",
        "--org",
        "org-b=cog_b",
        "--v3-timestamps",
        "millis",
    ]);
    assert_eq!(std::fs::read_to_string(&addr_file).unwrap(), url);
    assert_eq!(
        keys,
        [
            "  v1: /v1/secrets with Bearer demo-api-key (organization org-a)",
            "  v3: /v3/organizations/org-a/secrets with Bearer cog_a",
            "  v3: /v3/organizations/org-b/secrets with Bearer cog_b",
        ]
    );
    assert_eq!(
        status(&format!("{url}/v1/secrets"), "demo-api-key").await,
        200
    );
    assert_eq!(
        status(&format!("{url}/v3/organizations/org-b/secrets"), "cog_b").await,
        200
    );
    assert_eq!(
        status(&format!("{url}/v3/organizations/org-b/secrets"), "cog_a").await,
        403
    );
    assert_eq!(
        status(
            &format!("{url}/v3/organizations/org-test/secrets"),
            "cog_test_key"
        )
        .await,
        401,
        "--org replaces the default organizations"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn default_orgs_without_flags() {
    let (_running, url, keys) = start(&["--port", "0"]);
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert_eq!(
        status(&format!("{url}/v1/secrets"), "test-api-key").await,
        200
    );
    for (org, key) in [("org-test", "cog_test_key"), ("org-other", "cog_other_key")] {
        let url = format!("{url}/v3/organizations/{org}/secrets");
        assert_eq!(status(&url, key).await, 200, "{org}");
    }
}

#[test]
fn bad_org_flags_are_refused() {
    for bad in ["org-a", "=cog_a", "org-a=", "a/b=cog"] {
        let out = Command::new(env!("CARGO_BIN_EXE_devin-api-standin"))
            .args(["--port", "0", "--org", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("ORG_ID=KEY"),
            "{bad}"
        );
    }
}
