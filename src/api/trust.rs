//! Which certificate authorities the client trusts: the platform's, as the machine's other
//! TLS programs see them, so that a company's CA (a TLS-inspecting proxy's) that is trusted
//! there is trusted here; the Mozilla roots built in only where the platform has none (a
//! bare container).

use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};

/// The TLS configuration the client connects with, and where its roots came from.
pub(super) struct Trust {
    /// Roots and protocol versions, for reqwest.
    pub(super) config: ClientConfig,
    /// Where the roots came from, for a person: it goes into the message of a failed
    /// handshake and the debug log.
    pub(super) source: String,
}

/// Reads the platform's roots: SSL_CERT_FILE and SSL_CERT_DIR when either is set (in place
/// of the system's, the rule of OpenSSL, curl and git), else the system's store (the CA
/// files of Linux and the BSDs, the macOS keychains, the Windows certificate store).
pub(super) fn load() -> Result<Trust, String> {
    let started = std::time::Instant::now();
    let loaded = rustls_native_certs::load_native_certs();
    for e in &loaded.errors {
        log::warn!("reading the trusted certificates: {e}");
    }
    let mut roots = RootCertStore::empty();
    let (added, ignored) = roots.add_parsable_certificates(loaded.certs);
    if ignored > 0 {
        log::debug!("{ignored} of the trusted certificates could not be parsed; ignored");
    }
    let named = named_by_env();
    let source = if added > 0 {
        let count = match added {
            1 => "1 certificate".to_string(),
            n => format!("{n} certificates"),
        };
        format!(
            "{} ({count})",
            named.as_deref().unwrap_or("the system's trust store")
        )
    } else {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        format!(
            "the Mozilla roots built into the provider, as {} held no certificate",
            named.as_deref().unwrap_or("the system's trust store")
        )
    };
    log::debug!(
        "trusted roots: {source}, read in {} ms",
        started.elapsed().as_millis()
    );
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok(Trust { config, source })
}

/// `SSL_CERT_FILE=…` and `SSL_CERT_DIR=…` as set (paths: no secret), when either is.
fn named_by_env() -> Option<String> {
    let set: Vec<String> = ["SSL_CERT_FILE", "SSL_CERT_DIR"]
        .into_iter()
        .filter_map(|name| {
            let value = std::env::var_os(name)?;
            (!value.is_empty()).then(|| format!("{name}={}", value.to_string_lossy()))
        })
        .collect();
    (!set.is_empty()).then(|| set.join(" and "))
}
