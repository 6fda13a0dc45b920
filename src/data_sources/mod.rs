//! Terraform data sources, one file each.

pub mod secret;
pub mod secrets;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use tf_provider::value::ValueString;

use crate::api::SecretMetadata;

/// Every type the list endpoint may report, `dictionary` included.
pub const LISTED_TYPES: [&str; 4] = ["key-value", "cookie", "totp", "dictionary"];

/// One secret's metadata as data sources expose it: never a value.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretSummary<'a> {
    /// The secret's id.
    pub id: ValueString<'a>,
    /// The secret's name.
    pub key: ValueString<'a>,
    /// The secret's type.
    #[serde(rename = "type")]
    pub kind: ValueString<'a>,
    /// When it was created.
    pub created_at: ValueString<'a>,
}

impl From<&SecretMetadata> for SecretSummary<'static> {
    fn from(m: &SecretMetadata) -> Self {
        let v = |s: &Option<String>| s.clone().map(Cow::Owned).into();
        Self {
            id: Some(Cow::Owned(m.id.clone())).into(),
            key: v(&m.key),
            kind: v(&m.kind),
            created_at: v(&m.created_at),
        }
    }
}
