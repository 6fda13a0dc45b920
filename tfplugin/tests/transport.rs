//! The framework's transport, driven through the example provider's binary by a client
//! of the test's own, to check what Terraform cannot show: that only the certificate the
//! CLI handed over opens the plugin, that every RPC answers, and that the messages name
//! the provider's binary, not the framework.

mod grpc_client;

use std::path::Path;
use std::time::{Duration, Instant};

use grpc_client::{
    assert_refuses_to_serve_without_its_certificate_or_protocol, attribute_of, call, runtime,
    start, unary, unknown_type_diagnostics, upgrade_identity, validate_resource_config,
    CliCertificate, Served,
};
use magma_protocol::tfplugin6 as pb;
use prost::Message;

/// What every message of the example's plugin calls it.
const BINARY: &str = concat!("terraform-provider-example ", env!("CARGO_PKG_VERSION"));

fn example() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_terraform-provider-example"))
}

fn schema_call() -> Vec<u8> {
    pb::get_provider_schema::Request {}.encode_to_vec()
}

#[test]
fn only_the_client_certificate_terraform_handed_over_opens_the_plugin() {
    let terraform = CliCertificate::generate();
    let intruder = CliCertificate::generate();
    let plugin = start(example(), &terraform.pem);
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
    assert!(schema.resource_schemas.contains_key("example_thing"));
    assert!(schema.data_source_schemas.contains_key("example_things"));
    let caps = schema.server_capabilities.unwrap();
    assert!(caps.plan_destroy && caps.get_provider_schema_optional);
    assert!(!caps.move_resource_state && !caps.generate_resource_config);
}

#[test]
fn the_schema_carries_write_only_attributes_identities_and_list_resources() {
    let terraform = CliCertificate::generate();
    let plugin = start(example(), &terraform.pem);
    let rt = runtime();
    let unary = |rpc: &str, request: Vec<u8>| unary(&rt, &plugin, &terraform, rpc, request);

    let served = Served::ask(&unary);
    assert_eq!(served.resources(), ["example_thing"]);
    assert_eq!(served.metadata.data_sources.len(), 1);
    assert_eq!(served.list_resources(), ["example_thing"]);

    assert_eq!(served.write_only("example_thing"), ["secret_wo"]);
    assert!(served
        .schema
        .list_resource_schemas
        .contains_key("example_thing"));
    assert_eq!(served.identity("example_thing"), [("id", true)]);

    let upgrade =
        |version: i64| upgrade_identity(&unary, "example_thing", version, br#"{"id":"thing-1"}"#);
    let current = upgrade(0);
    assert!(current.diagnostics.is_empty(), "{:?}", current.diagnostics);
    assert!(current.upgraded_identity.is_some());
    let newer = upgrade(3);
    assert!(newer.upgraded_identity.is_none());
    assert!(
        newer.diagnostics[0].detail.contains("version 3"),
        "{newer:?}"
    );
    assert!(newer.diagnostics[0].detail.contains(BINARY), "{newer:?}");
}

#[test]
fn write_only_values_are_refused_where_the_cli_would_store_them() {
    let terraform = CliCertificate::generate();
    let plugin = start(example(), &terraform.pem);
    let rt = runtime();
    let unary = |rpc: &str, request: Vec<u8>| unary(&rt, &plugin, &terraform, rpc, request);
    let validate = |write_only_allowed: Option<bool>| {
        let config = serde_json::json!({"id": null, "name": "n", "secret_wo": "w0-secret-value"});
        validate_resource_config(&unary, "example_thing", &config, write_only_allowed)
    };
    assert!(
        validate(Some(true)).is_empty(),
        "{:?}",
        validate(Some(true))
    );
    for refused in [validate(Some(false)), validate(None)] {
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0].summary.contains("`secret_wo`"), "{refused:?}");
        assert!(!format!("{refused:?}").contains("w0-secret-value"));
        assert_eq!(attribute_of(&refused[0]), Some("secret_wo"), "{refused:?}");
    }
}

#[test]
fn unknown_types_and_unsupported_rpcs_say_so_and_name_the_binary() {
    let terraform = CliCertificate::generate();
    let plugin = start(example(), &terraform.pem);
    let rt = runtime();
    let unary = |rpc: &str, request: Vec<u8>| unary(&rt, &plugin, &terraform, rpc, request);
    let says_unsupported = |name: &str, diags: &[pb::Diagnostic]| {
        assert_eq!(diags.len(), 1, "{name}: {diags:?}");
        assert_eq!(diags[0].severity, pb::diagnostic::Severity::Error as i32);
        assert!(
            diags[0].summary.contains("not supported by this provider"),
            "{name}: {diags:?}"
        );
        assert!(diags[0].detail.starts_with(BINARY), "{name}: {diags:?}");
        assert!(!diags[0].detail.contains("Devin"), "{name}: {diags:?}");
    };

    let (listed, read) = unknown_type_diagnostics(&unary, "example_nothing");
    assert!(listed
        .summary
        .contains("no list resource type `example_nothing`"));
    assert!(read.summary.contains("no resource type `example_nothing`"));
    assert!(read.detail.starts_with(BINARY), "{read:?}");

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
    let text = call.error.unwrap().text;
    assert!(text.contains("no provider functions"), "{text}");
    assert!(
        text.starts_with("terraform-provider-example has no function"),
        "{text}"
    );
    let functions =
        pb::get_functions::Response::decode(&unary("GetFunctions", vec![])[..]).unwrap();
    assert!(functions.functions.is_empty() && functions.diagnostics.is_empty());
    let stop = pb::stop_provider::Response::decode(&unary("StopProvider", vec![])[..]).unwrap();
    assert_eq!(stop.error, "");
}

#[test]
fn shutdown_through_the_controller_ends_the_process() {
    let terraform = CliCertificate::generate();
    let mut plugin = start(example(), &terraform.pem);
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
    assert_refuses_to_serve_without_its_certificate_or_protocol(example());
}
