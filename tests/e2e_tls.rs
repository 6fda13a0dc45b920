//! End to end: the provider over HTTPS, as behind a company's TLS-inspecting proxy. The
//! stand-in is served through a TLS front whose certificate a CA of the test's own signed;
//! the CLIs trust that CA only through `SSL_CERT_FILE` or `SSL_CERT_DIR`, as a company's
//! CA is trusted, directly and through an `HTTPS_PROXY` CONNECT proxy. A certificate the
//! provider does not trust fails at once, with one connection, and says what is wrong.

mod common;
#[path = "common/tls/mod.rs"]
mod tls;

use common::{provider_hcl, squash, tool_named, tools, Api, Tool, Workdir};
use devin_api_standin::StandIn;
use tls::ca::{TestCa, Validity};
use tls::front::TlsFront;
use tls::proxy::ConnectProxy;

const VALUE: &str = "tls-test-value-4471";

fn config() -> String {
    provider_hcl(&format!(
        r#"
provider "devin" {{}}

resource "devin_secret" "over_tls" {{
  key   = "OVER_TLS"
  value = "{VALUE}"
}}
"#
    ))
}

/// A stand-in behind a TLS front presenting a certificate `ca` signed for `names`, and a
/// work directory for `tool` pointed at `https://HOST:PORT`, with no proxy and no trust
/// settings of the machine's environment.
fn behind_tls(
    tool: &Tool,
    ca: &TestCa,
    names: &[&str],
    validity: Validity,
    host: &str,
) -> (StandIn, TlsFront, Workdir) {
    let standin = StandIn::start(devin_api_standin::Config::default()).expect("start the stand-in");
    let front = TlsFront::start(ca.leaf(names, validity), standin.addr());
    let mut wd = Workdir::for_api(tool, &format!("https://{host}:{}", front.port()), Api::V1);
    for var in [
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        wd.remove_env(var);
    }
    wd.write("main.tf", &config());
    (standin, front, wd)
}

fn trust_through_file(wd: &mut Workdir, ca: &TestCa) {
    let file = wd.path().join("company-ca.pem");
    std::fs::write(&file, ca.pem()).unwrap();
    wd.set_env("SSL_CERT_FILE", file.to_str().unwrap());
}

#[test]
fn apply_plan_and_destroy_over_https_directly_and_through_a_connect_proxy() {
    for tool in tools() {
        for proxied in [false, true] {
            let t = format!(
                "{}{}",
                tool.name,
                if proxied { " through the proxy" } else { "" }
            );
            let ca = TestCa::new("Example Corp TLS inspection CA");
            let (standin, front, mut wd) =
                behind_tls(&tool, &ca, &["localhost"], Validity::Always, "localhost");
            trust_through_file(&mut wd, &ca);
            let proxy = ConnectProxy::start();
            if proxied {
                wd.set_env("HTTPS_PROXY", &proxy.url());
            }
            wd.apply().assert_ok(&format!("{t}: apply over https"));
            assert_eq!(standin.secrets().len(), 1, "{t}: the secret was created");
            let plan = wd.plan();
            assert_eq!(
                plan.code,
                0,
                "{t}: the plan after apply is empty:\n{}",
                plan.output()
            );
            wd.destroy().assert_ok(&format!("{t}: destroy over https"));
            assert!(standin.secrets().is_empty(), "{t}: destroyed");
            assert!(front.handshakes() >= 3, "{t}: the requests went over TLS");
            let targets = proxy.targets();
            if proxied {
                let expected = format!("localhost:{}", front.port());
                assert!(
                    targets.len() >= 3 && targets.iter().all(|t| *t == expected),
                    "{t}: every connection went through the proxy to {expected}: {targets:?}"
                );
            } else {
                assert!(
                    targets.is_empty(),
                    "{t}: no proxy without HTTPS_PROXY: {targets:?}"
                );
            }
        }
    }
}

#[test]
fn a_folder_in_ssl_cert_dir_is_trusted() {
    let tool = tool_named("terraform");
    let ca = TestCa::new("Example Corp TLS inspection CA");
    let (standin, _front, mut wd) =
        behind_tls(&tool, &ca, &["127.0.0.1"], Validity::Always, "127.0.0.1");
    let dir = wd.path().join("company-cas");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("example-corp.pem"), ca.pem()).unwrap();
    wd.set_env("SSL_CERT_DIR", dir.to_str().unwrap());
    wd.apply().assert_ok("apply trusting SSL_CERT_DIR");
    assert_eq!(standin.secrets().len(), 1);
    wd.destroy().assert_ok("destroy");
}

/// The words every TLS failure must not use (they would send a person to the network),
/// and the secrets it must not show.
fn assert_not_a_connection_problem(text: &str, what: &str) {
    for wrong in ["could not be reached", "cannot connect", "No connection"] {
        assert!(!text.contains(wrong), "{what}: says {wrong:?}:\n{text}");
    }
    assert!(!text.contains(VALUE), "{what}: the value leaked:\n{text}");
    assert!(
        !text.contains(Api::V1.key()),
        "{what}: the API key leaked:\n{text}"
    );
}

/// What a refused apply left: its output (squashed), the front and the stand-in.
struct Refused {
    text: String,
    front: TlsFront,
    standin: StandIn,
}

/// An apply by `tool` against a front whose certificate, signed by a CA of the test's, is
/// for `names` and valid as `validity`, after `setup` (which may trust the CA): it fails
/// at once, with one connection and none of the wrong words.
fn refused_apply(
    tool: &Tool,
    names: &[&str],
    validity: Validity,
    what: &str,
    setup: impl FnOnce(&mut Workdir, &TestCa),
) -> Refused {
    let ca = TestCa::new("Example Corp TLS inspection CA");
    let (standin, front, mut wd) = behind_tls(tool, &ca, names, validity, "localhost");
    setup(&mut wd, &ca);
    let run = wd.apply();
    let text = squash(&run.output());
    assert_ne!(run.code, 0, "{what}: apply failed");
    assert_eq!(
        front.connections(),
        1,
        "{what}: one attempt, not retried:\n{text}"
    );
    assert_not_a_connection_problem(&text, what);
    Refused {
        text,
        front,
        standin,
    }
}

#[test]
fn an_untrusted_ca_fails_at_once_and_says_how_to_trust_it() {
    for tool in tools() {
        let t = tool.name;
        // The machine's own store, which does not hold the test's CA.
        let refused = refused_apply(&tool, &["localhost"], Validity::Always, t, |_, _| {});
        let text = &refused.text;
        assert_eq!(
            refused.front.handshakes(),
            0,
            "{t}: the handshake was refused"
        );
        assert!(refused.standin.secrets().is_empty());
        for said in [
            "the TLS certificate of localhost is not trusted",
            "certificate signed by an unknown authority",
            "No request was sent, so nothing changed in Devin",
            "the provider tried once",
            "The provider trusts the system's trust store (",
            "set SSL_CERT_FILE to a PEM file that holds it",
            "TLS-inspecting proxy",
        ] {
            assert!(text.contains(said), "{t}: says {said:?}:\n{text}");
        }
    }
}

#[test]
fn an_untrusted_ca_through_a_proxy_names_the_proxy_variable_not_its_url() {
    let proxy = ConnectProxy::start();
    // A proxy URL with a password, as some companies set it.
    let with_password = proxy
        .url()
        .replace("http://", "http://alice:proxy-pass-991@");
    let text = refused_apply(
        &tool_named("terraform"),
        &["localhost"],
        Validity::Always,
        "through a proxy",
        |wd, _| wd.set_env("HTTPS_PROXY", &with_password),
    )
    .text;
    assert!(
        text.contains("(through the proxy HTTPS_PROXY sets)"),
        "names the variable:\n{text}"
    );
    assert!(
        !text.contains("proxy-pass-991"),
        "the proxy's password leaked:\n{text}"
    );
}

#[test]
fn an_expired_certificate_says_it_expired_and_when() {
    let text = refused_apply(
        &tool_named("terraform"),
        &["localhost"],
        Validity::Expired,
        "expired",
        trust_through_file,
    )
    .text;
    for said in [
        "the TLS certificate of localhost is not trusted",
        "certificate expired at 2001-01-01T00:00:00Z (this machine's time: ",
        "If this machine's clock is wrong, set it right",
        "The provider trusts SSL_CERT_FILE=",
    ] {
        assert!(text.contains(said), "says {said:?}:\n{text}");
    }
}

#[test]
fn a_certificate_for_another_name_names_the_names_it_holds() {
    let text = refused_apply(
        &tool_named("terraform"),
        &["proxy.example-corp.test"],
        Validity::Always,
        "another name",
        trust_through_file,
    )
    .text;
    for said in [
        "the TLS certificate of localhost is not trusted",
        "certificate for another name (proxy.example-corp.test)",
        "names the host the way its certificate does",
    ] {
        assert!(text.contains(said), "says {said:?}:\n{text}");
    }
}
