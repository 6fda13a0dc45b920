//! What the client takes and gives, whichever version is spoken: the secret types, a
//! secret's metadata and a secret to create. The identifiers, the wire bodies and the
//! API versions have files of their own, re-exported here.

use serde::{Deserialize, Serialize};

use super::redact::Sensitive;

pub use super::ids::{encode_segment, InvalidSecretId, OrgId, SecretId};
pub use super::version::ApiVersion;

/// The kinds of secret that the API's create endpoint accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecretType {
    /// A named value, exposed to sessions as an environment variable.
    #[serde(rename = "key-value")]
    KeyValue,
    /// A browser cookie.
    #[serde(rename = "cookie")]
    Cookie,
    /// A TOTP seed from which Devin derives one-time codes.
    #[serde(rename = "totp")]
    Totp,
}

impl SecretType {
    /// Every type a secret can be created with, as the API spells them.
    pub const ALL: [&'static str; 3] = ["key-value", "cookie", "totp"];

    /// Parses the API's spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "key-value" => Some(Self::KeyValue),
            "cookie" => Some(Self::Cookie),
            "totp" => Some(Self::Totp),
            _ => None,
        }
    }

    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::KeyValue => "key-value",
            Self::Cookie => "cookie",
            Self::Totp => "totp",
        }
    }
}

/// One secret as the list shows it, whichever version was spoken: metadata only, never
/// the value. It deserializes from an item of `GET /v1/secrets`; v3's items are read as
/// [`SecretResponse`](super::wire::SecretResponse) and converted.
///
/// `type` stays a string: the list documents a fourth type (`dictionary`) that cannot be
/// created, and an unknown type must not make the whole list unreadable.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct SecretMetadata {
    /// The secret's id.
    pub id: String,
    /// `key-value`, `cookie`, `totp`, `dictionary`, or a type this client does not know.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The secret's name; documented as nullable.
    #[serde(default)]
    pub key: Option<String>,
    /// Creation time, RFC 3339 in UTC: as v1 prints it, or formatted from v3's integer
    /// timestamp (see [`timestamp_text`](super::timestamps::timestamp_text)); documented
    /// as nullable on v1.
    #[serde(default)]
    pub created_at: Option<String>,
    /// The secret's note: `None` on v1, whose list does not show it (so drift in it cannot
    /// be seen there); on v3 as the API answers it, `null` included.
    #[serde(skip_deserializing, default)]
    pub note: Option<String>,
    /// Whether Devin hides the value: `None` on v1, whose list does not show it; v3's
    /// `is_sensitive`.
    #[serde(skip_deserializing, default)]
    pub sensitive: Option<bool>,
    /// The secret's last change (v3's `updated_at` and `updated_by`): `None` on v1, which
    /// reports no such field, so edits made in Devin cannot be seen there.
    #[serde(skip_deserializing, default)]
    pub updated: Option<LastUpdate>,
}

/// When and by whom a secret was last changed, as v3 reports it: both are documented as
/// nullable (a secret never changed since its creation, presumably).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct LastUpdate {
    /// `updated_at`, RFC 3339 UTC text as [`created_at`](SecretMetadata::created_at).
    pub at: Option<String>,
    /// `updated_by`: who made the change, a user's name or id (never a secret).
    pub by: Option<String>,
}

#[cfg(test)]
impl SecretMetadata {
    /// A listed `key-value` secret, as API v1 reports it: the unit tests' fixture.
    pub(crate) fn listed(id: &str, key: &str) -> Self {
        SecretMetadata {
            id: id.into(),
            kind: Some("key-value".into()),
            key: Some(key.into()),
            created_at: None,
            note: None,
            sensitive: None,
            updated: None,
        }
    }
}

/// A secret to create, and the body of `POST /v1/secrets`; v3's body is built from it
/// ([`SecretCreateRequest`](super::wire::SecretCreateRequest)). Every field is always
/// sent: v1's reference marks `note` both required and optional, so an unset note goes
/// as `""`.
#[derive(Clone, Debug, Serialize)]
pub struct NewSecret {
    /// The secret's type.
    #[serde(rename = "type")]
    pub kind: SecretType,
    /// The secret's name.
    pub key: String,
    /// The value, sent once and never read back.
    pub value: Sensitive,
    /// Whether Devin hides the value from its UI.
    pub sensitive: bool,
    /// A free-form note.
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_secret_sends_every_field() {
        let body = serde_json::to_value(NewSecret {
            kind: SecretType::Totp,
            key: "K".into(),
            value: Sensitive::new("v"),
            sensitive: true,
            note: String::new(),
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"type":"totp","key":"K","value":"v","sensitive":true,"note":""})
        );
    }

    #[test]
    fn new_secret_debug_hides_the_value() {
        let s = NewSecret {
            kind: SecretType::KeyValue,
            key: "K".into(),
            value: Sensitive::new("hunter2-value"),
            sensitive: true,
            note: String::new(),
        };
        assert!(!format!("{s:?}").contains("hunter2-value"));
    }
}
