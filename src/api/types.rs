//! The wire types of the Devin API v1 secrets endpoints, and the identifiers built from them.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use super::redact::Sensitive;

/// The kinds of secret that `POST /v1/secrets` accepts.
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

/// One item of `GET /v1/secrets`: metadata only, never the value.
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
    /// Creation time as the API prints it; documented as nullable.
    #[serde(default)]
    pub created_at: Option<String>,
}

/// The body of `POST /v1/secrets`. Every field is always sent: the reference marks `note`
/// both required and optional, so an unset note goes as `""`.
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

/// The answer to `POST /v1/secrets`.
#[derive(Debug, Deserialize)]
pub struct Created {
    /// The new secret's id.
    pub id: String,
}

/// `GET /v1/secrets` answers a bare array per the reference; some clients see it wrapped.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum SecretList {
    /// `[...]`, as documented.
    Bare(Vec<SecretMetadata>),
    /// `{"secrets": [...]}`, as some third-party clients expect.
    Wrapped {
        /// The items.
        secrets: Vec<SecretMetadata>,
    },
}

impl SecretList {
    /// The items, whichever shape they came in.
    pub fn into_items(self) -> Vec<SecretMetadata> {
        match self {
            Self::Bare(items) | Self::Wrapped { secrets: items } => items,
        }
    }
}

/// Characters sent as they are in the id's path segment: RFC 3986's unreserved set.
/// Everything else, `/`, `?`, `#` and `%` included, is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A secret id that is safe to put in a URL: whatever it holds, it is sent as exactly one
/// percent-encoded path segment, so an id from state or import can never reach another
/// endpoint.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SecretId(String);

/// Why a string cannot be a secret id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidSecretId {
    /// Empty or only white space.
    Empty,
    /// `.` or `..`, which URL normalisation would turn into another path.
    DotSegment,
    /// Holds control characters, which no API id has.
    ControlCharacters,
    /// Longer than any id the API hands out.
    TooLong,
}

impl fmt::Display for InvalidSecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "a secret id cannot be empty",
            Self::DotSegment => "a secret id cannot be \".\" or \"..\"",
            Self::ControlCharacters => "a secret id cannot contain control characters",
            Self::TooLong => "a secret id is at most 256 characters long",
        })
    }
}

impl SecretId {
    /// Checks `id` and wraps it.
    pub fn parse(id: &str) -> Result<Self, InvalidSecretId> {
        if id.trim().is_empty() {
            Err(InvalidSecretId::Empty)
        } else if id == "." || id == ".." {
            Err(InvalidSecretId::DotSegment)
        } else if id.chars().any(char::is_control) {
            Err(InvalidSecretId::ControlCharacters)
        } else if id.len() > 256 {
            Err(InvalidSecretId::TooLong)
        } else {
            Ok(Self(id.to_string()))
        }
    }

    /// The id as the API knows it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as one percent-encoded path segment.
    pub fn path_segment(&self) -> String {
        utf8_percent_encode(&self.0, SEGMENT).to_string()
    }
}

impl fmt::Display for SecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretId({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_one_path_segment() {
        for (id, segment) in [
            ("sec_abc123", "sec_abc123"),
            ("../x", "..%2Fx"),
            ("a/b", "a%2Fb"),
            ("?", "%3F"),
            ("#", "%23"),
            ("%2F", "%252F"),
            ("a b", "a%20b"),
            ("é", "%C3%A9"),
            ("..x", "..x"),
        ] {
            let got = SecretId::parse(id).unwrap().path_segment();
            assert_eq!(got, segment, "id {id:?}");
            assert!(!got.contains('/') && !got.contains('?') && !got.contains('#'));
        }
    }

    #[test]
    fn ids_that_cannot_be_a_segment_are_refused() {
        assert_eq!(SecretId::parse(""), Err(InvalidSecretId::Empty));
        assert_eq!(SecretId::parse("  "), Err(InvalidSecretId::Empty));
        assert_eq!(SecretId::parse("."), Err(InvalidSecretId::DotSegment));
        assert_eq!(SecretId::parse(".."), Err(InvalidSecretId::DotSegment));
        assert_eq!(
            SecretId::parse("a\nb"),
            Err(InvalidSecretId::ControlCharacters)
        );
        assert_eq!(
            SecretId::parse(&"x".repeat(300)),
            Err(InvalidSecretId::TooLong)
        );
    }

    #[test]
    fn list_accepts_both_shapes_and_unknown_types() {
        let bare: SecretList = serde_json::from_str(
            r#"[{"id":"a","type":"dictionary","key":null,"created_at":null},{"id":"b","type":"new-kind","key":"K"}]"#,
        )
        .unwrap();
        let items = bare.into_items();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].kind.as_deref(), Some("dictionary"));
        assert_eq!(items[1].created_at, None);
        let wrapped: SecretList =
            serde_json::from_str(r#"{"secrets":[{"id":"a","type":"totp","key":"T","created_at":"2026-01-01T00:00:00Z"}]}"#)
                .unwrap();
        assert_eq!(wrapped.into_items()[0].key.as_deref(), Some("T"));
    }

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
