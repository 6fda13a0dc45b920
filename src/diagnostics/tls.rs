//! The words for a failed TLS handshake: what was wrong with the host's certificate, what
//! the provider trusted, and what to do. Never "cannot connect": the host answered.

use tf_provider::Diagnostics;

use super::{error, Action};
use crate::api::TlsProblem;

/// Adds the error for a TLS handshake with `host` that failed with `problem`, while trying
/// to `action`. `trusted` says where the roots came from; `proxy` names the variable that
/// set a proxy, when one did.
pub fn tls_error(
    diags: &mut Diagnostics,
    action: &Action,
    host: &str,
    problem: &TlsProblem,
    trusted: &str,
    proxy: Option<&str>,
) {
    let summary = if problem.is_certificate() {
        format!("Could not {action}: the TLS certificate of {host} is not trusted")
    } else {
        format!("Could not {action}: the TLS handshake with {host} failed")
    };
    let through = proxy.map_or_else(String::new, |v| format!(" (through the proxy {v} sets)"));
    let advice = match problem {
        TlsProblem::UnknownIssuer => format!(
            "If a TLS-inspecting proxy or firewall stands between this machine and the \
             API{through}, it signs the connection with your organization's own certificate \
             authority (CA): trust that CA. Add it to the system's trust store (Debian, \
             Ubuntu, Alpine: a .crt file in /usr/local/share/ca-certificates, then \
             update-ca-certificates; RHEL, Fedora, Amazon Linux: /etc/pki/ca-trust/source/anchors, \
             then update-ca-trust; macOS: the System keychain; Windows: Trusted Root \
             Certification Authorities), or set SSL_CERT_FILE to a PEM file that holds it \
             (or SSL_CERT_DIR to a folder of them) in the environment of terraform or tofu; \
             the provider then trusts those in place of the system's store. If `api_url` (or \
             DEVIN_API_URL) names a server of your own, trust the CA that signed its \
             certificate the same way."
        ),
        TlsProblem::Expired { .. } | TlsProblem::NotYetValid { .. } => format!(
            "If this machine's clock is wrong, set it right: certificates are checked against \
             it. Otherwise the certificate {host} presented{through} is out of date: a proxy \
             or a server of your own must be given a current one; if it is the Devin API's \
             own, try again later and tell Devin's support."
        ),
        TlsProblem::OtherName { .. } => format!(
            "Check that `api_url` (or DEVIN_API_URL) names the host the way its certificate \
             does (the Devin API is https://api.devin.ai). If a TLS-inspecting proxy stands \
             in the way{through}, it must issue its certificates for the host asked for."
        ),
        TlsProblem::OtherCertificate(_) => format!(
            "The certificate {host} presented{through} was refused for the reason above. A \
             TLS-inspecting proxy or a server of your own must present a valid certificate, \
             signed by a CA in the system's trust store or in SSL_CERT_FILE / SSL_CERT_DIR."
        ),
        TlsProblem::Handshake(_) => format!(
            "If `api_url` (or DEVIN_API_URL) starts with https:// but the server there speaks \
             plain HTTP, use http://. Otherwise something between this machine and {host}\
             {through} cuts TLS connections short."
        ),
    };
    let trusted_line = if problem.is_certificate() {
        format!(" The provider trusts {trusted}.")
    } else {
        String::new()
    };
    error(
        diags,
        summary,
        format!(
            "{host}: {problem}. No request was sent, so nothing changed in Devin; the provider \
             tried once, as trying again would fail the same way.{trusted_line}\n\n{advice} \
             Then run the command again."
        ),
        None,
    );
}
