//! A certificate authority a test makes, and the server certificates it signs: valid,
//! expired, or for other names. A CLI trusts it through `SSL_CERT_FILE` (or a folder
//! through `SSL_CERT_DIR`).

use rcgen::{
    date_time_ymd, BasicConstraints, Certificate, CertificateParams, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The CA: its certificate and key.
pub struct TestCa {
    cert: Certificate,
    key: KeyPair,
}

/// A server's certificate chain and key, as a rustls server takes them.
pub struct Leaf {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

/// When a leaf is valid.
#[derive(Clone, Copy)]
pub enum Validity {
    /// From 1975 to 4096.
    Always,
    /// From 2000 to 2001: expired.
    Expired,
}

impl TestCa {
    /// A new CA, named `name`.
    pub fn new(name: &str) -> TestCa {
        let key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.distinguished_name.push(DnType::CommonName, name);
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = ca.self_signed(&key).unwrap();
        TestCa { cert, key }
    }

    /// The CA's certificate, PEM: the one to trust.
    pub fn pem(&self) -> String {
        self.cert.pem()
    }

    /// A server certificate for `names` (host names or IP addresses), and the CA's.
    pub fn leaf(&self, names: &[&str], validity: Validity) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut leaf = CertificateParams::new(names.clone()).unwrap();
        leaf.distinguished_name
            .push(DnType::CommonName, names[0].as_str());
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        if let Validity::Expired = validity {
            leaf.not_before = date_time_ymd(2000, 1, 1);
            leaf.not_after = date_time_ymd(2001, 1, 1);
        }
        let cert = leaf.signed_by(&key, &self.cert, &self.key).unwrap();
        Leaf {
            chain: vec![cert.der().clone(), self.cert.der().clone()],
            key: PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
        }
    }
}

/// A rustls server configuration presenting `leaf`, speaking HTTP/1.1.
pub fn server_config(leaf: Leaf) -> rustls::ServerConfig {
    let mut config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .and_then(|b| {
        b.with_no_client_auth()
            .with_single_cert(leaf.chain, leaf.key)
    })
    .expect("the server's TLS configuration");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}
