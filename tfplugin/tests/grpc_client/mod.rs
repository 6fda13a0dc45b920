//! A client of the tests' own for a plugin process, driving it as go-plugin does (the
//! handshake line, AutoMTLS with the CLI's certificate, gRPC over HTTP/2) but able to
//! do what Terraform never does: present no certificate, or another one.
//!
//! Shared by the framework's transport test and, through `#[path]`, by a provider's own
//! (`tests/plugin_schema.rs` includes this file by path), so both speak to their plugin
//! exactly alike.

#![allow(dead_code)] // each test file that includes it uses a different part of it

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use base64::Engine;
use magma_protocol::tfplugin6 as pb;
use prost::Message;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// go-plugin's handshake cookie, which the CLI sets for every plugin it starts.
pub const COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

/// A certificate and key, as the CLI makes for each plugin.
pub struct CliCertificate {
    der: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    /// The certificate, as `PLUGIN_CLIENT_CERT` carries it.
    pub pem: String,
}

impl CliCertificate {
    /// A fresh self-signed certificate for `localhost`.
    pub fn generate() -> Self {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let cert = params.self_signed(&key).unwrap();
        Self {
            der: cert.der().clone(),
            key: PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
            pem: cert.pem(),
        }
    }
}

/// The plugin, started as the CLI starts it; killed when dropped.
pub struct PluginProcess {
    /// The process.
    pub child: Child,
    addr: SocketAddr,
    certificate: CertificateDer<'static>,
}

impl Drop for PluginProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `binary` as the CLI would, handing it `client_pem`, and reads its handshake.
pub fn start(binary: &Path, client_pem: &str) -> PluginProcess {
    let mut child = Command::new(binary)
        .env(COOKIE.0, COOKIE.1)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", client_pem)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let fields: Vec<&str> = line.trim().split('|').collect();
    assert_eq!(&fields[..3], ["1", "6", "tcp"], "handshake: {line}");
    assert_eq!(fields[4], "grpc", "handshake: {line}");
    let der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(fields[5])
        .unwrap();
    PluginProcess {
        child,
        addr: fields[3].parse().unwrap(),
        certificate: CertificateDer::from(der),
    }
}

/// Trusts exactly the certificate of the handshake line, as go-plugin's client does.
#[derive(Debug)]
struct Pinned(CertificateDer<'static>);

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.0.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "not the plugin's certificate".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algs = rustls::crypto::ring::default_provider().signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(m, c, d, &algs)
    }

    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algs = rustls::crypto::ring::default_provider().signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(m, c, d, &algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        rustls::crypto::ring::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// One gRPC call over a fresh TLS connection, presenting `client` (or no certificate).
/// Returns the response messages and the grpc-status, or the transport's error.
pub async fn call(
    plugin: &PluginProcess,
    client: Option<&CliCertificate>,
    path: &str,
    request: Vec<u8>,
) -> Result<(Vec<Vec<u8>>, String), String> {
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .dangerous()
    .with_custom_certificate_verifier(Arc::new(Pinned(plugin.certificate.clone())));
    let mut config = match client {
        Some(id) => builder
            .with_client_auth_cert(vec![id.der.clone()], id.key.clone_key())
            .unwrap(),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let tcp = tokio::net::TcpStream::connect(plugin.addr)
        .await
        .map_err(|e| e.to_string())?;
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .map_err(|e| format!("tls: {e}"))?;
    let (mut h2, connection) = h2::client::handshake(tls)
        .await
        .map_err(|e| format!("h2: {e}"))?;
    tokio::spawn(connection);
    let req = http::Request::post(format!("https://localhost{path}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .body(())
        .unwrap();
    let (response, mut send) = h2
        .send_request(req, false)
        .map_err(|e| format!("h2: {e}"))?;
    let mut frame = vec![0u8];
    frame.extend_from_slice(&(request.len() as u32).to_be_bytes());
    frame.extend_from_slice(&request);
    send.send_data(frame.into(), true)
        .map_err(|e| format!("h2: {e}"))?;
    let response = response.await.map_err(|e| format!("h2: {e}"))?;
    let mut status = response
        .headers()
        .get("grpc-status")
        .map(|v| v.to_str().unwrap().to_string());
    let mut body = response.into_body();
    let mut bytes = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.map_err(|e| format!("h2: {e}"))?;
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    if let Ok(Some(trailers)) = body.trailers().await {
        if let Some(s) = trailers.get("grpc-status") {
            status = Some(s.to_str().unwrap().to_string());
        }
    }
    let mut messages = Vec::new();
    let mut rest = &bytes[..];
    while rest.len() >= 5 {
        let len = u32::from_be_bytes(rest[1..5].try_into().unwrap()) as usize;
        messages.push(rest[5..5 + len].to_vec());
        rest = &rest[5 + len..];
    }
    Ok((messages, status.unwrap_or_default()))
}

/// A runtime for the calls.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A call of `rpc` on tfplugin6's Provider service that must answer with one message
/// and grpc-status 0; returns that message.
pub fn unary(
    rt: &tokio::runtime::Runtime,
    plugin: &PluginProcess,
    cli: &CliCertificate,
    rpc: &str,
    request: Vec<u8>,
) -> Vec<u8> {
    let path = format!("/tfplugin6.Provider/{rpc}");
    let (messages, status) = rt
        .block_on(call(plugin, Some(cli), &path, request))
        .unwrap_or_else(|e| panic!("{rpc}: {e}"));
    assert_eq!(status, "0", "{rpc}");
    assert_eq!(messages.len(), 1, "{rpc}");
    messages.into_iter().next().unwrap()
}

/// What a plugin serves, as GetMetadata, GetProviderSchema and
/// GetResourceIdentitySchemas describe it.
pub struct Served {
    /// GetMetadata's answer.
    pub metadata: pb::get_metadata::Response,
    /// GetProviderSchema's answer.
    pub schema: pb::get_provider_schema::Response,
    /// GetResourceIdentitySchemas' answer.
    pub identities: pb::get_resource_identity_schemas::Response,
}

impl Served {
    /// Asks the plugin through `unary` (rpc, request → answer).
    pub fn ask(unary: &dyn Fn(&str, Vec<u8>) -> Vec<u8>) -> Self {
        Served {
            metadata: pb::get_metadata::Response::decode(&unary("GetMetadata", vec![])[..])
                .unwrap(),
            schema: pb::get_provider_schema::Response::decode(
                &unary("GetProviderSchema", vec![])[..],
            )
            .unwrap(),
            identities: pb::get_resource_identity_schemas::Response::decode(
                &unary("GetResourceIdentitySchemas", vec![])[..],
            )
            .unwrap(),
        }
    }

    /// The resource types GetMetadata lists.
    pub fn resources(&self) -> Vec<&str> {
        (self.metadata.resources.iter())
            .map(|r| r.type_name.as_str())
            .collect()
    }

    /// The list resource types GetMetadata lists.
    pub fn list_resources(&self) -> Vec<&str> {
        (self.metadata.list_resources.iter())
            .map(|r| r.type_name.as_str())
            .collect()
    }

    /// The write-only attributes of resource type `type_name`.
    pub fn write_only(&self, type_name: &str) -> Vec<&str> {
        let block = self.schema.resource_schemas[type_name].block.as_ref();
        (block.unwrap().attributes.iter())
            .filter(|a| a.write_only)
            .map(|a| a.name.as_str())
            .collect()
    }

    /// The identity attributes of `type_name`, each with whether an import must give it.
    pub fn identity(&self, type_name: &str) -> Vec<(&str, bool)> {
        (self.identities.identity_schemas[type_name]
            .identity_attributes
            .iter())
        .map(|a| (a.name.as_str(), a.required_for_import))
        .collect()
    }
}

/// UpgradeResourceIdentity of `json`, an identity of `type_name` recorded at `version`.
pub fn upgrade_identity(
    unary: &dyn Fn(&str, Vec<u8>) -> Vec<u8>,
    type_name: &str,
    version: i64,
    json: &[u8],
) -> pb::upgrade_resource_identity::Response {
    let request = pb::upgrade_resource_identity::Request {
        type_name: type_name.into(),
        version,
        raw_identity: Some(pb::RawState {
            json: json.to_vec(),
            ..Default::default()
        }),
    };
    pb::upgrade_resource_identity::Response::decode(
        &unary("UpgradeResourceIdentity", request.encode_to_vec())[..],
    )
    .unwrap()
}

/// The diagnostics of ValidateResourceConfig of `config` (JSON, sent as msgpack) for
/// `type_name`, from a CLI that says `write_only_allowed` (or sends no capabilities).
pub fn validate_resource_config(
    unary: &dyn Fn(&str, Vec<u8>) -> Vec<u8>,
    type_name: &str,
    config: &serde_json::Value,
    write_only_allowed: Option<bool>,
) -> Vec<pb::Diagnostic> {
    let request = pb::validate_resource_config::Request {
        type_name: type_name.into(),
        config: Some(pb::DynamicValue {
            msgpack: rmp_serde::to_vec_named(config).unwrap(),
            json: Vec::new(),
        }),
        client_capabilities: write_only_allowed.map(|allowed| pb::ClientCapabilities {
            write_only_attributes_allowed: allowed,
            ..Default::default()
        }),
    };
    pb::validate_resource_config::Response::decode(
        &unary("ValidateResourceConfig", request.encode_to_vec())[..],
    )
    .unwrap()
    .diagnostics
}

/// The attribute a diagnostic points at, when its path starts with one.
pub fn attribute_of(diagnostic: &pb::Diagnostic) -> Option<&str> {
    match &diagnostic.attribute.as_ref()?.steps.first()?.selector {
        Some(pb::attribute_path::step::Selector::AttributeName(name)) => Some(name),
        _ => None,
    }
}

/// The first diagnostics of a ListResource and of a ReadResource of `type_name`, a type
/// the plugin does not serve.
pub fn unknown_type_diagnostics(
    unary: &dyn Fn(&str, Vec<u8>) -> Vec<u8>,
    type_name: &str,
) -> (pb::Diagnostic, pb::Diagnostic) {
    let list = pb::list_resource::Request {
        type_name: type_name.into(),
        ..Default::default()
    };
    let event =
        pb::list_resource::Event::decode(&unary("ListResource", list.encode_to_vec())[..]).unwrap();
    let read = pb::read_resource::Request {
        type_name: type_name.into(),
        ..Default::default()
    };
    let r = pb::read_resource::Response::decode(&unary("ReadResource", read.encode_to_vec())[..])
        .unwrap();
    (event.diagnostic[0].clone(), r.diagnostics[0].clone())
}

/// Asserts that `binary`, started by a CLI without a client certificate or without
/// protocol 6, exits 1 with no handshake line and says why.
pub fn assert_refuses_to_serve_without_its_certificate_or_protocol(binary: &Path) {
    let run = |envs: &[(&str, &str)]| {
        let mut cmd = Command::new(binary);
        cmd.env(COOKIE.0, COOKIE.1).env_remove("PLUGIN_CLIENT_CERT");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.stdin(Stdio::null()).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, stdout, stderr) = run(&[("PLUGIN_PROTOCOL_VERSIONS", "6")]);
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty(), "no handshake line: {stdout}");
    assert!(stderr.contains("PLUGIN_CLIENT_CERT"), "{stderr}");

    let cert = CliCertificate::generate();
    let (code, stdout, stderr) = run(&[
        ("PLUGIN_PROTOCOL_VERSIONS", "5"),
        ("PLUGIN_CLIENT_CERT", &cert.pem),
    ]);
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty(), "no handshake line: {stdout}");
    assert!(stderr.contains("protocol 6"), "{stderr}");
}
