//! A thing's whole life through the example provider's plugin, one RPC at a time as the
//! CLI sends them: configure, validate, plan and apply a create, read, import by
//! identity, upgrade a stored state, count with the data source, list, and destroy.

mod grpc_client;

use std::path::Path;

use grpc_client::{runtime, start, unary, CliCertificate};
use magma_protocol::tfplugin6 as pb;
use prost::Message;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tf_provider::value::Value;

fn example() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_terraform-provider-example"))
}

fn msgpack(v: serde_json::Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: rmp_serde::to_vec_named(&v).unwrap(),
        json: Vec::new(),
    })
}

/// The state of an `example_thing`, with Terraform's unknown and null.
#[derive(Debug, Deserialize)]
struct Thing {
    id: Value<String>,
    name: Value<String>,
    secret_wo: Value<String>,
}

/// The state of data source `example_things`.
#[derive(Deserialize)]
struct Things {
    count: Value<i64>,
}

fn decoded<T: DeserializeOwned>(v: &Option<pb::DynamicValue>) -> T {
    rmp_serde::from_slice(&v.as_ref().unwrap().msgpack).unwrap()
}

fn thing(v: &Option<pb::DynamicValue>) -> Thing {
    decoded(v)
}

fn known(s: &str) -> Value<String> {
    Value::Value(s.to_string())
}

#[test]
fn a_thing_is_created_read_imported_counted_listed_and_destroyed() {
    let terraform = CliCertificate::generate();
    let plugin = start(example(), &terraform.pem);
    let rt = runtime();
    let unary = |rpc: &str, request: Vec<u8>| unary(&rt, &plugin, &terraform, rpc, request);
    let empty = || msgpack(serde_json::json!({}));

    let validated = pb::validate_provider_config::Response::decode(
        &unary(
            "ValidateProviderConfig",
            pb::validate_provider_config::Request { config: empty() }.encode_to_vec(),
        )[..],
    )
    .unwrap();
    assert!(validated.diagnostics.is_empty(), "{validated:?}");
    let configure = pb::configure_provider::Request {
        terraform_version: "1.15.5".into(),
        config: empty(),
        ..Default::default()
    };
    let configured = pb::configure_provider::Response::decode(
        &unary("ConfigureProvider", configure.encode_to_vec())[..],
    )
    .unwrap();
    assert!(configured.diagnostics.is_empty(), "{configured:?}");

    let config = serde_json::json!({"id": null, "name": "first", "secret_wo": "w0-secret"});
    let plan = pb::plan_resource_change::Request {
        type_name: "example_thing".into(),
        prior_state: None,
        proposed_new_state: msgpack(config.clone()),
        config: msgpack(config.clone()),
        client_capabilities: Some(pb::ClientCapabilities {
            write_only_attributes_allowed: true,
            ..Default::default()
        }),
        ..Default::default()
    };
    let planned = pb::plan_resource_change::Response::decode(
        &unary("PlanResourceChange", plan.encode_to_vec())[..],
    )
    .unwrap();
    assert!(planned.diagnostics.is_empty(), "{planned:?}");
    let planned_thing = thing(&planned.planned_state);
    assert_eq!(planned_thing.id, Value::Unknown, "{planned_thing:?}");
    assert_eq!(planned_thing.secret_wo, Value::Null, "{planned_thing:?}");

    let apply = pb::apply_resource_change::Request {
        type_name: "example_thing".into(),
        prior_state: None,
        planned_state: planned.planned_state.clone(),
        config: msgpack(config),
        planned_private: planned.planned_private.clone(),
        ..Default::default()
    };
    let applied = pb::apply_resource_change::Response::decode(
        &unary("ApplyResourceChange", apply.encode_to_vec())[..],
    )
    .unwrap();
    assert!(applied.diagnostics.is_empty(), "{applied:?}");
    let state = thing(&applied.new_state);
    assert_eq!(state.id, known("thing-1"));
    assert_eq!(state.secret_wo, Value::Null);
    assert!(applied.new_identity.is_some());

    let read = pb::read_resource::Request {
        type_name: "example_thing".into(),
        current_state: applied.new_state.clone(),
        ..Default::default()
    };
    let refreshed =
        pb::read_resource::Response::decode(&unary("ReadResource", read.encode_to_vec())[..])
            .unwrap();
    assert_eq!(thing(&refreshed.new_state).name, known("first"));

    let import = pb::import_resource_state::Request {
        type_name: "example_thing".into(),
        id: String::new(),
        identity: applied.new_identity.clone(),
        ..Default::default()
    };
    let imported = pb::import_resource_state::Response::decode(
        &unary("ImportResourceState", import.encode_to_vec())[..],
    )
    .unwrap();
    let imported_thing = thing(&imported.imported_resources[0].state);
    assert_eq!(imported_thing.id, known("thing-1"));

    let upgrade = pb::upgrade_resource_state::Request {
        type_name: "example_thing".into(),
        version: 0,
        raw_state: Some(pb::RawState {
            json: br#"{"id":"thing-1","name":"first","secret_wo":null}"#.to_vec(),
            ..Default::default()
        }),
    };
    let upgraded = pb::upgrade_resource_state::Response::decode(
        &unary("UpgradeResourceState", upgrade.encode_to_vec())[..],
    )
    .unwrap();
    assert_eq!(thing(&upgraded.upgraded_state).name, known("first"));

    let count_config = msgpack(serde_json::json!({"count": null}));
    let validate_count = pb::validate_data_resource_config::Request {
        type_name: "example_things".into(),
        config: count_config.clone(),
    };
    let valid = pb::validate_data_resource_config::Response::decode(
        &unary("ValidateDataResourceConfig", validate_count.encode_to_vec())[..],
    )
    .unwrap();
    assert!(valid.diagnostics.is_empty(), "{valid:?}");
    let count = pb::read_data_source::Request {
        type_name: "example_things".into(),
        config: count_config,
        ..Default::default()
    };
    let counted =
        pb::read_data_source::Response::decode(&unary("ReadDataSource", count.encode_to_vec())[..])
            .unwrap();
    assert_eq!(decoded::<Things>(&counted.state).count, Value::Value(1));

    let list_config = msgpack(serde_json::json!({"name_prefix": "fi"}));
    let validate_list = pb::validate_list_resource_config::Request {
        type_name: "example_thing".into(),
        config: list_config.clone(),
        ..Default::default()
    };
    let valid = pb::validate_list_resource_config::Response::decode(
        &unary("ValidateListResourceConfig", validate_list.encode_to_vec())[..],
    )
    .unwrap();
    assert!(valid.diagnostics.is_empty(), "{valid:?}");
    let list = pb::list_resource::Request {
        type_name: "example_thing".into(),
        config: list_config,
        include_resource_object: true,
        limit: 10,
    };
    let event =
        pb::list_resource::Event::decode(&unary("ListResource", list.encode_to_vec())[..]).unwrap();
    assert_eq!(event.display_name, "first");
    assert_eq!(thing(&event.resource_object).id, known("thing-1"));

    let destroy = pb::apply_resource_change::Request {
        type_name: "example_thing".into(),
        prior_state: applied.new_state,
        planned_state: msgpack(serde_json::Value::Null),
        config: msgpack(serde_json::Value::Null),
        ..Default::default()
    };
    let destroyed = pb::apply_resource_change::Response::decode(
        &unary("ApplyResourceChange", destroy.encode_to_vec())[..],
    )
    .unwrap();
    assert!(destroyed.diagnostics.is_empty(), "{destroyed:?}");
    let gone =
        pb::read_resource::Response::decode(&unary("ReadResource", read.encode_to_vec())[..])
            .unwrap();
    let gone: Option<Thing> = decoded(&gone.new_state);
    assert!(gone.is_none(), "{gone:?}");
}
