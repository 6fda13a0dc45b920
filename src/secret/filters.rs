//! What the data sources and the list resource share: the metadata they expose, and
//! their filters.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use tf_provider::schema::{Attribute, AttributeConstraint::Optional, AttributeType};
use tf_provider::value::{Value, ValueBool, ValueString};

use crate::api::SecretMetadata;
use tfplugin::builders::attr;

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
    /// Its note: null where the API does not report it (v1).
    pub note: ValueString<'a>,
    /// Whether Devin hides its value: null where the API does not report it (v1).
    pub sensitive: ValueBool,
    /// The organization it belongs to: null on v1, whose key implies it.
    pub org_id: ValueString<'a>,
    /// When it was last changed: null on v1, and where v3 reports no change.
    pub updated_at: ValueString<'a>,
    /// Who last changed it: null on v1, and where v3 reports no change.
    pub updated_by: ValueString<'a>,
}

impl SecretSummary<'static> {
    /// The summary of a listed secret of organization `org` (`None` on v1).
    pub fn of(m: &SecretMetadata, org: Option<&str>) -> Self {
        let v = |s: Option<&str>| s.map(|s| Cow::Owned(s.to_string())).into();
        Self {
            id: Some(Cow::Owned(m.id.clone())).into(),
            key: v(m.key.as_deref()),
            kind: v(m.kind.as_deref()),
            created_at: v(m.created_at.as_deref()),
            note: v(m.note.as_deref()),
            sensitive: m.sensitive.map_or(Value::Null, Value::Value),
            org_id: v(org),
            updated_at: v(m.updated.as_ref().and_then(|u| u.at.as_deref())),
            updated_by: v(m.updated.as_ref().and_then(|u| u.by.as_deref())),
        }
    }
}

/// The attributes each summary has beside `id` and `key`, with their descriptions.
pub fn summary_attributes() -> [(&'static str, AttributeType, &'static str); 7] {
    [
        ("type", AttributeType::String, "The secret's type."),
        (
            "created_at",
            AttributeType::String,
            "When the secret was created, as reported by the Devin API.",
        ),
        (
            "note",
            AttributeType::String,
            "The secret's note. Null on API v1, which does not report it.",
        ),
        (
            "sensitive",
            AttributeType::Bool,
            "Whether Devin hides the secret's value. Null on API v1, which does not report \
             it.",
        ),
        (
            "org_id",
            AttributeType::String,
            "The Devin organization the secret belongs to. Null on API v1, whose key implies \
             it.",
        ),
        (
            "updated_at",
            AttributeType::String,
            "When the secret was last changed, as reported by the Devin API. Null on API v1, \
             which does not report it, and for a secret never changed.",
        ),
        (
            "updated_by",
            AttributeType::String,
            "Who last changed the secret, as reported by the Devin API. Null on API v1, which \
             does not report it, and for a secret never changed.",
        ),
    ]
}

/// The filter arguments the `devin_secrets` data source and the `devin_secret` list
/// resource share; [`matches_filters`] applies them.
pub fn filter_attributes() -> [(&'static str, Attribute); 2] {
    [
        (
            "type",
            attr(
                AttributeType::String,
                Optional,
                false,
                "Only list secrets of this type: `key-value`, `cookie`, `totp` or \
                 `dictionary` (`dictionary` secrets are listed, not managed).",
            ),
        ),
        (
            "key_prefix",
            attr(
                AttributeType::String,
                Optional,
                false,
                "Only list secrets whose key starts with this prefix (case-sensitive).",
            ),
        ),
    ]
}

/// Whether a listed secret passes the filters the `devin_secrets` data source and the
/// `devin_secret` list resource share: its type, and the start of its key.
pub fn matches_filters(s: &SecretMetadata, kind: Option<&str>, prefix: Option<&str>) -> bool {
    kind.is_none_or(|k| s.kind.as_deref() == Some(k))
        && prefix.is_none_or(|p| s.key.as_deref().is_some_and(|key| key.starts_with(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(id: &str, kind: Option<&str>, key: Option<&str>) -> SecretMetadata {
        SecretMetadata {
            id: id.into(),
            kind: kind.map(Into::into),
            key: key.map(Into::into),
            created_at: None,
            note: None,
            sensitive: None,
            updated: None,
        }
    }

    #[test]
    fn filters_by_type_and_prefix() {
        let s = meta("a", Some("totp"), Some("CI_TOKEN"));
        assert!(matches_filters(&s, None, None));
        assert!(matches_filters(&s, Some("totp"), Some("CI_")));
        assert!(!matches_filters(&s, Some("cookie"), None));
        assert!(!matches_filters(&s, None, Some("ci_")));
        let keyless = meta("b", None, None);
        assert!(!matches_filters(&keyless, None, Some("")));
        assert!(matches_filters(&keyless, None, None));
    }
}
