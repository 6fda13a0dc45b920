//! The Devin plugin's own schema as the CLI receives it over the wire: its type names,
//! the write-only `value_wo`, the secret's identity and list resource, and the refusals
//! that name Devin's attributes. The transport itself (mTLS, every RPC, shutdown) is
//! tested in the framework's crate (`tfplugin/tests/transport.rs`).

mod common;

// The framework's test client, shared by path so both crates drive a plugin alike.
#[path = "../tfplugin/tests/grpc_client/mod.rs"]
mod grpc_client;

use grpc_client::{
    assert_refuses_to_serve_without_its_certificate_or_protocol, attribute_of, call, runtime,
    start, unary, unknown_type_diagnostics, upgrade_identity, validate_resource_config,
    CliCertificate, Served,
};
use magma_protocol::tfplugin6 as pb;
use prost::Message;

#[test]
fn only_the_client_certificate_terraform_handed_over_opens_the_devin_plugin() {
    let terraform = CliCertificate::generate();
    let intruder = CliCertificate::generate();
    let plugin = start(&common::provider_binary(), &terraform.pem);
    let rt = runtime();
    let path = "/tfplugin6.Provider/GetProviderSchema";
    let schema_call = || pb::get_provider_schema::Request {}.encode_to_vec();

    let anonymous = rt.block_on(call(&plugin, None, path, schema_call()));
    assert!(
        anonymous.is_err(),
        "a client without a certificate was answered"
    );
    let other = rt.block_on(call(&plugin, Some(&intruder), path, schema_call()));
    assert!(
        other.is_err(),
        "a client with another certificate was answered"
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
fn the_devin_schema_has_its_types_write_only_value_identity_and_list() {
    let terraform = CliCertificate::generate();
    let plugin = start(&common::provider_binary(), &terraform.pem);
    let rt = runtime();
    let unary = |rpc: &str, request: Vec<u8>| unary(&rt, &plugin, &terraform, rpc, request);

    let served = Served::ask(&unary);
    assert_eq!(served.resources(), ["devin_secret"]);
    assert_eq!(served.metadata.data_sources.len(), 2);
    assert_eq!(served.list_resources(), ["devin_secret"]);

    // Write-only value, identity and list resource (protocol 6.8-6.10).
    assert_eq!(served.write_only("devin_secret"), ["value_wo"]);
    assert!(served
        .schema
        .list_resource_schemas
        .contains_key("devin_secret"));
    assert_eq!(
        served.identity("devin_secret"),
        [("id", true), ("org_id", false)]
    );
    let upgrade = |version: i64| {
        upgrade_identity(
            &unary,
            "devin_secret",
            version,
            br#"{"id":"sec_1","org_id":null}"#,
        )
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
        validate_resource_config(&unary, "devin_secret", &config, write_only_allowed)
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
        assert_eq!(attribute_of(&refused[0]), Some("value_wo"), "{refused:?}");
    }

    let (listed, read) = unknown_type_diagnostics(&unary, "devin_nothing");
    assert!(listed
        .summary
        .contains("no list resource type `devin_nothing`"));
    assert!(read.summary.contains("no resource type `devin_nothing`"));
}

#[test]
fn the_devin_plugin_refuses_to_serve_without_the_clis_certificate_or_protocol() {
    assert_refuses_to_serve_without_its_certificate_or_protocol(&common::provider_binary());
}
