//! Values as tfplugin6 carries them (msgpack, or JSON for stored state) to and from the
//! typed `State`s of tf-provider's traits.
//!
//! Decoding errors never quote serde's message: it can contain the offending value,
//! which may be a secret.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tf_provider::Diagnostics;

use crate::bindings as pb;
use crate::plugin::PluginBinary;

/// msgpack's nil: what Terraform sends for "no object".
const NIL: [u8; 1] = [0xc0];

/// Whether Terraform sent "no object" (a resource being created or destroyed).
pub fn is_null(v: Option<&pb::DynamicValue>) -> bool {
    match v {
        None => true,
        Some(v) if !v.msgpack.is_empty() => v.msgpack == NIL,
        Some(v) => v.json.is_empty() || v.json == b"null",
    }
}

/// The encoded "no object".
pub fn null() -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: NIL.to_vec(),
        json: Vec::new(),
    }
}

/// Decodes and encodes the values of one served type, and says so when they do not fit.
pub struct ValueCodec {
    /// The full type name, as messages name it (`example_thing`, or `provider`).
    pub type_name: String,
    /// The binary, as messages name it.
    pub binary: Arc<PluginBinary>,
}

impl ValueCodec {
    /// Reports a `what` (state, configuration …) that does not fit the schema.
    pub fn undecodable(&self, diags: &mut Diagnostics, what: &str) {
        crate::diagnostics::error(
            diags,
            format!("Terraform sent a {what} this provider cannot read"),
            format!(
                "The {what} for `{}` does not match the schema of {}. Run `terraform init \
                 -upgrade` so the CLI and the provider agree, and report it if it persists. \
                 The value is not shown: it may hold a secret.",
                self.type_name, self.binary
            ),
            None,
        );
    }

    /// Decodes one value; `None` (with an error in `diags`) when it does not fit `T`.
    pub fn decode<'a, T: Deserialize<'a>>(
        &self,
        diags: &mut Diagnostics,
        what: &str,
        v: Option<&'a pb::DynamicValue>,
    ) -> Option<T> {
        let decoded = match v {
            Some(v) if !v.msgpack.is_empty() => rmp_serde::from_slice(&v.msgpack).ok(),
            Some(v) if !v.json.is_empty() => serde_json::from_slice(&v.json).ok(),
            _ => rmp_serde::from_slice(&NIL).ok(),
        };
        if decoded.is_none() {
            self.undecodable(diags, what);
        }
        decoded
    }

    /// Decodes private state: bytes this provider wrote earlier, or nothing.
    pub fn decode_private<'a, T: Deserialize<'a>>(
        &self,
        diags: &mut Diagnostics,
        bytes: &'a [u8],
    ) -> Option<T> {
        let bytes = if bytes.is_empty() { &NIL[..] } else { bytes };
        let decoded = rmp_serde::from_slice(bytes).ok();
        if decoded.is_none() {
            self.undecodable(diags, "private state");
        }
        decoded
    }

    /// Encodes one value as msgpack bytes; `None` (with an error) when it cannot be.
    pub fn encode_bytes<T: Serialize>(
        &self,
        diags: &mut Diagnostics,
        what: &str,
        value: &T,
    ) -> Option<Vec<u8>> {
        // Named fields: Terraform reads objects as maps, not positional arrays.
        match rmp_serde::to_vec_named(value) {
            Ok(bytes) => Some(bytes),
            Err(_) => {
                crate::diagnostics::error(
                    diags,
                    format!("The provider could not encode the {what}"),
                    format!("This is a bug in {}; please report it.", self.binary.name),
                    None,
                );
                None
            }
        }
    }

    /// Encodes one value.
    pub fn encode<T: Serialize>(
        &self,
        diags: &mut Diagnostics,
        what: &str,
        value: &T,
    ) -> Option<pb::DynamicValue> {
        Some(pb::DynamicValue {
            msgpack: self.encode_bytes(diags, what, value)?,
            json: Vec::new(),
        })
    }

    /// Encodes an identity; `None` when there is none or it cannot be encoded.
    pub fn identity_data<I: Serialize>(
        &self,
        diags: &mut Diagnostics,
        identity: Option<I>,
    ) -> Option<pb::ResourceIdentityData> {
        let identity = identity?;
        Some(pb::ResourceIdentityData {
            identity_data: Some(self.encode(diags, "identity", &identity)?),
        })
    }
}

#[cfg(test)]
mod tests;
