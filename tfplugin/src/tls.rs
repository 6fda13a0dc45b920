//! go-plugin's AutoMTLS, with the client certificate required.
//!
//! Terraform generates a self-signed certificate for each plugin it starts and hands it
//! over in `PLUGIN_CLIENT_CERT`; the plugin answers with a certificate of its own in the
//! handshake line. Here a connection is served only when the peer presents exactly the
//! certificate Terraform handed over and proves it holds its key: another local process
//! that finds the port cannot drive a provider configured with someone's API key.
//!
//! Terraform's certificates are ECDSA P-521, which ring (our TLS crypto) cannot verify:
//! that signature check is done by the `p521` crate. The certificate is compared byte
//! for byte rather than chain-verified, because it is its own CA (webpki refuses a CA
//! certificate as an end entity) and a pin is the stricter check anyway.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{
    alg_id, AlgorithmIdentifier, CertificateDer, InvalidSignature, PrivateKeyDer,
    SignatureVerificationAlgorithm, UnixTime,
};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};

/// The plugin's side of AutoMTLS.
pub struct Tls {
    /// For the acceptor.
    pub config: Arc<rustls::ServerConfig>,
    /// The plugin's certificate, DER, for the handshake line.
    pub certificate: Vec<u8>,
}

/// Builds the server configuration from the PEM certificate Terraform handed over; the
/// plugin's own certificate names `organisation` (the provider's binary).
pub fn from_client_pem(client_pem: &str, organisation: &str) -> Result<Tls, String> {
    let client = parse_pem_certificate(client_pem)
        .ok_or("PLUGIN_CLIENT_CERT does not hold a PEM certificate")?;
    let (certificate, key) = server_certificate(organisation)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(TerraformOnly {
        certificate: client,
        algorithms: with_p521(provider.signature_verification_algorithms),
    });
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![certificate.clone()], key)
        .map_err(|e| format!("TLS setup: {e}"))?;
    // grpc-go refuses a server that does not agree on HTTP/2 through ALPN.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Tls {
        config: Arc::new(config),
        certificate: certificate.to_vec(),
    })
}

fn parse_pem_certificate(pem: &str) -> Option<CertificateDer<'static>> {
    use base64::Engine;
    let body = pem
        .split("-----BEGIN CERTIFICATE-----")
        .nth(1)?
        .split("-----END CERTIFICATE-----")
        .next()?;
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some(CertificateDer::from(der))
}

/// A fresh self-signed certificate for `localhost`, the name go-plugin's client checks,
/// marked as its own CA as go-plugin's are (the client trusts exactly this certificate).
fn server_certificate(
    organisation: &str,
) -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
        IsCa, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
    };
    let fail = |e: rcgen::Error| format!("cannot make the plugin's TLS certificate: {e}");
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).map_err(fail)?;
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::days(365);
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, organisation);
    name.push(DnType::CommonName, "localhost");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(fail)?;
    let cert = params.self_signed(&key).map_err(fail)?;
    let key = PrivateKeyDer::try_from(key.serialize_der())
        .map_err(|e| format!("cannot use the plugin's TLS key: {e}"))?;
    Ok((cert.der().clone(), key))
}

/// ring's signature algorithms plus ECDSA P-521 with SHA-512. Built once per process;
/// rustls wants them `'static`.
fn with_p521(ring: WebPkiSupportedAlgorithms) -> WebPkiSupportedAlgorithms {
    static P521: &dyn SignatureVerificationAlgorithm = &EcdsaP521Sha512;
    static P521_ONLY: [&dyn SignatureVerificationAlgorithm; 1] = [P521];
    let mut all = ring.all.to_vec();
    all.push(P521);
    let mut mapping = ring.mapping.to_vec();
    mapping.push((SignatureScheme::ECDSA_NISTP521_SHA512, &P521_ONLY));
    WebPkiSupportedAlgorithms {
        all: Vec::leak(all),
        mapping: Vec::leak(mapping),
    }
}

/// ECDSA on P-521 with SHA-512, by the `p521` crate.
#[derive(Debug)]
struct EcdsaP521Sha512;

impl SignatureVerificationAlgorithm for EcdsaP521Sha512 {
    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_SHA512
    }

    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use p521::ecdsa::signature::Verifier;
        let key =
            p521::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let signature =
            p521::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &signature)
            .map_err(|_| InvalidSignature)
    }
}

/// Accepts exactly one client certificate, and requires it.
#[derive(Debug)]
struct TerraformOnly {
    certificate: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for TerraformOnly {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.certificate.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p521_signatures_verify_and_forgeries_do_not() {
        use p521::ecdsa::signature::Signer;
        let mut scalar = [7u8; 66];
        scalar[0] = 0; // below the group order
        let signing = p521::ecdsa::SigningKey::from_slice(&scalar).unwrap();
        let public = p521::ecdsa::VerifyingKey::from(&signing)
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        let signature: p521::ecdsa::Signature = signing.sign(b"handshake");
        let der = signature.to_der();
        assert!(EcdsaP521Sha512
            .verify_signature(&public, b"handshake", der.as_bytes())
            .is_ok());
        assert!(EcdsaP521Sha512
            .verify_signature(&public, b"handshakf", der.as_bytes())
            .is_err());
        assert!(EcdsaP521Sha512
            .verify_signature(&public, b"handshake", b"\x30\x00")
            .is_err());
    }

    #[test]
    fn only_the_handed_over_certificate_is_accepted() {
        let (mine, _) = server_certificate("terraform-provider-example").unwrap();
        let (other, _) = server_certificate("terraform-provider-example").unwrap();
        let verifier = TerraformOnly {
            certificate: mine.clone(),
            algorithms: with_p521(
                rustls::crypto::ring::default_provider().signature_verification_algorithms,
            ),
        };
        assert!(verifier
            .verify_client_cert(&mine, &[], UnixTime::now())
            .is_ok());
        assert!(verifier
            .verify_client_cert(&other, &[], UnixTime::now())
            .is_err());
        assert!(verifier.client_auth_mandatory());
        assert!(verifier
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn pem_is_read_and_garbage_is_refused() {
        use base64::Engine;
        let (cert, _) = server_certificate("terraform-provider-example").unwrap();
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::engine::general_purpose::STANDARD.encode(cert.as_ref())
        );
        assert_eq!(parse_pem_certificate(&pem).unwrap().as_ref(), cert.as_ref());
        assert!(parse_pem_certificate("not a certificate").is_none());
        assert!(from_client_pem(&pem, "terraform-provider-example").is_ok());
    }
}
