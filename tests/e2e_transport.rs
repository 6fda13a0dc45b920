//! End to end: the plugin's transport, driven as go-plugin drives it but by a client of
//! the test's own, to check what Terraform cannot show: that only the certificate the
//! CLI handed over opens the plugin, and that every RPC answers.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use magma_protocol::tfplugin6 as pb;
use prost::Message;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

const COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

/// A certificate and key, as the CLI makes for each plugin.
struct Identity {
    der: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    pem: String,
}

fn identity() -> Identity {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    Identity {
        der: cert.der().clone(),
        key: PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
        pem: cert.pem(),
    }
}

/// The plugin, started as the CLI starts it.
struct Plugin {
    child: Child,
    addr: SocketAddr,
    certificate: CertificateDer<'static>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(client_pem: &str) -> Plugin {
    let mut child = Command::new(common::provider_binary())
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
    Plugin {
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
async fn call(
    plugin: &Plugin,
    client: Option<&Identity>,
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

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn schema_call() -> Vec<u8> {
    pb::get_provider_schema::Request {}.encode_to_vec()
}

#[test]
fn only_the_client_certificate_terraform_handed_over_opens_the_plugin() {
    let terraform = identity();
    let intruder = identity();
    let plugin = start(&terraform.pem);
    let rt = runtime();
    let path = "/tfplugin6.Provider/GetProviderSchema";

    let anonymous = rt.block_on(call(&plugin, None, path, schema_call()));
    assert!(
        anonymous.is_err(),
        "a client without a certificate was answered: {:?}",
        anonymous.map(|(_, status)| status)
    );
    let other = rt.block_on(call(&plugin, Some(&intruder), path, schema_call()));
    assert!(
        other.is_err(),
        "a client with another certificate was answered: {:?}",
        other.map(|(_, status)| status)
    );

    let (messages, status) = rt
        .block_on(call(&plugin, Some(&terraform), path, schema_call()))
        .unwrap();
    assert_eq!(status, "0");
    let schema = pb::get_provider_schema::Response::decode(&messages[0][..]).unwrap();
    assert!(schema.resource_schemas.contains_key("devin_secret"));
    assert!(schema.data_source_schemas.contains_key("devin_secrets"));
    let caps = schema.server_capabilities.unwrap();
    assert!(caps.plan_destroy && caps.get_provider_schema_optional);
    assert!(!caps.move_resource_state && !caps.generate_resource_config);
}

#[test]
fn every_rpc_answers_and_the_unsupported_ones_say_so() {
    let terraform = identity();
    let plugin = start(&terraform.pem);
    let rt = runtime();
    let unary = |name: &str, request: Vec<u8>| -> Vec<u8> {
        let path = format!("/tfplugin6.Provider/{name}");
        let (messages, status) = rt
            .block_on(call(&plugin, Some(&terraform), &path, request))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(status, "0", "{name}");
        assert_eq!(messages.len(), 1, "{name}");
        messages.into_iter().next().unwrap()
    };
    let says_unsupported = |name: &str, diags: &[pb::Diagnostic]| {
        assert_eq!(diags.len(), 1, "{name}: {diags:?}");
        assert_eq!(diags[0].severity, pb::diagnostic::Severity::Error as i32);
        assert!(
            diags[0].summary.contains("not supported by this provider"),
            "{name}: {diags:?}"
        );
    };

    let metadata = pb::get_metadata::Response::decode(&unary("GetMetadata", vec![])[..]).unwrap();
    let names: Vec<_> = metadata
        .resources
        .iter()
        .map(|r| r.type_name.as_str())
        .collect();
    assert_eq!(names, ["devin_secret"]);
    assert_eq!(metadata.data_sources.len(), 2);
    let lists: Vec<_> = metadata
        .list_resources
        .iter()
        .map(|r| r.type_name.as_str())
        .collect();
    assert_eq!(lists, ["devin_secret"]);

    // Write-only value, identity and list resource (protocol 6.8-6.10).
    let schema =
        pb::get_provider_schema::Response::decode(&unary("GetProviderSchema", vec![])[..]).unwrap();
    let secret = schema.resource_schemas["devin_secret"]
        .block
        .clone()
        .unwrap();
    let write_only: Vec<_> = (secret.attributes.iter())
        .filter(|a| a.write_only)
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(write_only, ["value_wo"]);
    assert!(schema.list_resource_schemas.contains_key("devin_secret"));
    let identities = pb::get_resource_identity_schemas::Response::decode(
        &unary("GetResourceIdentitySchemas", vec![])[..],
    )
    .unwrap();
    let identity = &identities.identity_schemas["devin_secret"];
    let required: Vec<_> = (identity.identity_attributes.iter())
        .map(|a| (a.name.as_str(), a.required_for_import))
        .collect();
    assert_eq!(required, [("id", true), ("org_id", false)]);
    let upgrade = |version: i64| {
        let request = pb::upgrade_resource_identity::Request {
            type_name: "devin_secret".into(),
            version,
            raw_identity: Some(pb::RawState {
                json: br#"{"id":"sec_1","org_id":null}"#.to_vec(),
                ..Default::default()
            }),
        };
        pb::upgrade_resource_identity::Response::decode(
            &unary("UpgradeResourceIdentity", request.encode_to_vec())[..],
        )
        .unwrap()
    };
    let current = upgrade(0);
    assert!(current.diagnostics.is_empty(), "{:?}", current.diagnostics);
    assert!(current.upgraded_identity.is_some());
    let newer = upgrade(3);
    assert!(newer.upgraded_identity.is_none());
    assert!(
        newer.diagnostics[0].detail.contains("version 3"),
        "{newer:?}"
    );
    // value_wo only where the CLI says it keeps write-only values out of state.
    let validate = |write_only_allowed: Option<bool>| {
        let config = serde_json::json!({
            "id": null, "key": "K", "value": null, "value_wo": "w0-secret-value",
            "value_wo_version": "1", "type": null, "sensitive": null, "note": null,
            "created_at": null, "org_id": null,
        });
        let request = pb::validate_resource_config::Request {
            type_name: "devin_secret".into(),
            config: Some(pb::DynamicValue {
                msgpack: rmp_serde::to_vec_named(&config).unwrap(),
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
    };
    assert!(
        validate(Some(true)).is_empty(),
        "{:?}",
        validate(Some(true))
    );
    for refused in [validate(Some(false)), validate(None)] {
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0].summary.contains("`value_wo`"), "{refused:?}");
        assert!(refused[0].detail.contains("Terraform 1.11"), "{refused:?}");
        assert!(!format!("{refused:?}").contains("w0-secret-value"));
        let path = refused[0].attribute.as_ref().unwrap();
        assert_eq!(
            path.steps[0].selector,
            Some(pb::attribute_path::step::Selector::AttributeName(
                "value_wo".into()
            ))
        );
    }

    let unknown_list = pb::list_resource::Request {
        type_name: "devin_nothing".into(),
        ..Default::default()
    };
    let event =
        pb::list_resource::Event::decode(&unary("ListResource", unknown_list.encode_to_vec())[..])
            .unwrap();
    assert!(event.diagnostic[0]
        .summary
        .contains("no list resource type `devin_nothing`"));

    let unknown = pb::read_resource::Request {
        type_name: "devin_nothing".into(),
        ..Default::default()
    };
    let r =
        pb::read_resource::Response::decode(&unary("ReadResource", unknown.encode_to_vec())[..])
            .unwrap();
    assert!(r.diagnostics[0]
        .summary
        .contains("no resource type `devin_nothing`"));

    macro_rules! unsupported {
        ($($rpc:literal => $module:ident),* $(,)?) => {$(
            let r = pb::$module::Response::decode(&unary($rpc, vec![])[..]).unwrap();
            says_unsupported($rpc, &r.diagnostics);
        )*};
    }
    unsupported!(
        "MoveResourceState" => move_resource_state,
        "GenerateResourceConfig" => generate_resource_config,
        "ValidateEphemeralResourceConfig" => validate_ephemeral_resource_config,
        "OpenEphemeralResource" => open_ephemeral_resource,
        "RenewEphemeralResource" => renew_ephemeral_resource,
        "CloseEphemeralResource" => close_ephemeral_resource,
        "ValidateStateStoreConfig" => validate_state_store,
        "ConfigureStateStore" => configure_state_store,
        "WriteStateBytes" => write_state_bytes,
        "LockState" => lock_state,
        "UnlockState" => unlock_state,
        "GetStates" => get_states,
        "DeleteState" => delete_state,
        "PlanAction" => plan_action,
        "ValidateActionConfig" => validate_action_config,
    );
    let read =
        pb::read_state_bytes::Response::decode(&unary("ReadStateBytes", vec![])[..]).unwrap();
    says_unsupported("ReadStateBytes", &read.diagnostics);
    let invoke = pb::invoke_action::Event::decode(&unary("InvokeAction", vec![])[..]).unwrap();
    let Some(pb::invoke_action::event::Type::Completed(done)) = invoke.r#type else {
        panic!("InvokeAction: {invoke:?}")
    };
    says_unsupported("InvokeAction", &done.diagnostics);
    let call = pb::call_function::Response::decode(&unary("CallFunction", vec![])[..]).unwrap();
    assert!(call.error.unwrap().text.contains("no provider functions"));
    let functions =
        pb::get_functions::Response::decode(&unary("GetFunctions", vec![])[..]).unwrap();
    assert!(functions.functions.is_empty() && functions.diagnostics.is_empty());
    let stop = pb::stop_provider::Response::decode(&unary("StopProvider", vec![])[..]).unwrap();
    assert_eq!(stop.error, "");
}

#[test]
fn shutdown_through_the_controller_ends_the_process() {
    let terraform = identity();
    let mut plugin = start(&terraform.pem);
    let rt = runtime();
    let (_, status) = rt
        .block_on(call(
            &plugin,
            Some(&terraform),
            "/plugin.GRPCController/Shutdown",
            vec![],
        ))
        .unwrap();
    assert_eq!(status, "0");
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(code) = plugin.child.try_wait().unwrap() {
            break code;
        }
        assert!(
            Instant::now() < deadline,
            "the plugin did not exit after Shutdown"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(code.success(), "{code:?}");
}

#[test]
fn the_plugin_refuses_to_serve_without_the_clis_certificate_or_protocol() {
    let run = |envs: &[(&str, &str)]| {
        let mut cmd = Command::new(common::provider_binary());
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

    let cert = identity();
    let (code, stdout, stderr) = run(&[
        ("PLUGIN_PROTOCOL_VERSIONS", "5"),
        ("PLUGIN_CLIENT_CERT", &cert.pem),
    ]);
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty(), "no handshake line: {stdout}");
    assert!(stderr.contains("protocol 6"), "{stderr}");
}
