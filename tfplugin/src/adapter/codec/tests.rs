use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tf_provider::value::{Value, ValueBool, ValueString};
use tf_provider::Diagnostics;

use super::{is_null, null, ValueCodec};
use crate::bindings as pb;
use crate::plugin::PluginBinary;

/// A state of the shape providers write: strings, a bool, a null.
#[derive(Serialize, Deserialize)]
struct SecretState<'a> {
    id: ValueString<'a>,
    key: ValueString<'a>,
    value: ValueString<'a>,
    #[serde(rename = "type")]
    kind: ValueString<'a>,
    sensitive: ValueBool,
    note: ValueString<'a>,
    created_at: ValueString<'a>,
}

fn codec(type_name: &str) -> ValueCodec {
    ValueCodec {
        type_name: type_name.to_string(),
        binary: Arc::new(PluginBinary {
            name: "terraform-provider-example".to_string(),
            version: "1.2.3".to_string(),
        }),
    }
}

fn msgpack(v: &serde_json::Value) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: rmp_serde::to_vec_named(v).unwrap(),
        json: Vec::new(),
    }
}

#[test]
fn nulls() {
    assert!(is_null(None));
    assert!(is_null(Some(&null())));
    assert!(is_null(Some(&pb::DynamicValue::default())));
    assert!(is_null(Some(&pb::DynamicValue {
        msgpack: vec![],
        json: b"null".to_vec()
    })));
    assert!(!is_null(Some(&msgpack(&serde_json::json!({})))));
}

#[test]
fn decoding_errors_never_quote_the_input() {
    let mut diags = Diagnostics::default();
    // `sensitive` must be a bool: serde's own message would quote the string.
    let v = msgpack(&serde_json::json!({"key": "K", "sensitive": "hunter2-secret"}));
    let s: Option<SecretState> = codec("example_secret").decode(&mut diags, "state", Some(&v));
    assert!(s.is_none());
    let text = format!("{diags:?}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("example_secret"), "{text}");
    assert!(text.contains("terraform-provider-example 1.2.3"), "{text}");
}

#[test]
fn states_round_trip_through_msgpack_and_json() {
    let mut diags = Diagnostics::default();
    let codec = codec("t");
    let json = pb::DynamicValue {
        msgpack: vec![],
        json: br#"{"id":"sec_1","key":"K","value":"v","type":"key-value","sensitive":true,"note":null,"created_at":null}"#.to_vec(),
    };
    let s: SecretState = codec.decode(&mut diags, "state", Some(&json)).unwrap();
    assert!(matches!(s.note, Value::Null));
    let bytes = codec.encode(&mut diags, "state", &s).unwrap();
    let back: SecretState = codec.decode(&mut diags, "state", Some(&bytes)).unwrap();
    assert!(matches!(back.key, Value::Value(ref k) if k == "K"));
    assert!(diags.errors.is_empty());
}
