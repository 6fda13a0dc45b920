//! The bodies the API versions send and answer, and their reading into the
//! version-neutral [`SecretMetadata`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::redact::Sensitive;
use super::timestamps::created_at_text;
use super::types::{LastUpdate, NewSecret, SecretMetadata, SecretType};

/// A create POST's body, in the shape of the version spoken.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum CreateBody<'a> {
    /// v1 sends the [`NewSecret`] as it is.
    V1(&'a NewSecret),
    /// v3's own spelling.
    V3(SecretCreateRequest<'a>),
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

/// The body of `POST /v3/organizations/{org_id}/secrets`: v3 spells the sensitivity
/// `is_sensitive`. The value stays [`Sensitive`], so `Debug` hides it.
#[derive(Debug, Serialize)]
pub struct SecretCreateRequest<'a> {
    /// The secret's type.
    #[serde(rename = "type")]
    pub kind: SecretType,
    /// The secret's name.
    pub key: &'a str,
    /// The value.
    pub value: &'a Sensitive,
    /// Whether Devin hides the value from its UI.
    pub is_sensitive: bool,
    /// The note, sent even when empty, as on v1.
    pub note: &'a str,
}

impl<'a> From<&'a NewSecret> for SecretCreateRequest<'a> {
    fn from(new: &'a NewSecret) -> Self {
        Self {
            kind: new.kind,
            key: &new.key,
            value: &new.value,
            is_sensitive: new.sensitive,
            note: &new.note,
        }
    }
}

/// One secret on v3: the answer to a create or a delete, and an item of a list page.
///
/// Only `secret_id` is required. The rest is read leniently: a field of an unexpected
/// shape must not make a whole list unreadable, and `created_at` is kept as raw JSON
/// because its unit (and, defensively, its type) is not documented.
#[derive(Clone, Debug, Deserialize)]
pub struct SecretResponse {
    /// The secret's id.
    pub secret_id: String,
    /// The secret's name; documented as nullable.
    #[serde(default)]
    pub key: Option<String>,
    /// The note; documented as nullable.
    #[serde(default)]
    pub note: Option<String>,
    /// Whether Devin hides the value.
    #[serde(default)]
    pub is_sensitive: Option<bool>,
    /// `key-value`, `cookie`, `totp`, or a type this client does not know.
    #[serde(default)]
    pub secret_type: Option<String>,
    /// An integer timestamp, in seconds or milliseconds.
    #[serde(default)]
    pub created_at: Option<Value>,
    /// When the secret was last changed, as `created_at`; documented as nullable.
    #[serde(default)]
    pub updated_at: Option<Value>,
    /// Who last changed it; documented as a nullable string, read as any JSON.
    #[serde(default)]
    pub updated_by: Option<Value>,
}

impl From<SecretResponse> for SecretMetadata {
    fn from(r: SecretResponse) -> Self {
        Self {
            id: r.secret_id,
            kind: r.secret_type,
            key: r.key,
            created_at: r.created_at.as_ref().and_then(created_at_text),
            // v3 reports every secret's note, and answers an empty one as null: the
            // provider compares notes, so null must read as the empty note, not "unknown".
            note: Some(r.note.unwrap_or_default()),
            sensitive: r.is_sensitive,
            // v3 reports both for every secret, null included: `Some` says it does.
            updated: Some(LastUpdate {
                at: r.updated_at.as_ref().and_then(created_at_text),
                by: r
                    .updated_by
                    .as_ref()
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }),
        }
    }
}

/// One page of `GET /v3/organizations/{org_id}/secrets`.
#[derive(Clone, Debug, Deserialize)]
pub struct SecretPage {
    /// The secrets on this page.
    pub items: Vec<SecretResponse>,
    /// The cursor to ask for the next page with (`after`).
    #[serde(default)]
    pub end_cursor: Option<String>,
    /// Whether there is a page after this one. Documented as always present; when it is
    /// missing, a cursor is taken to mean there is more (the walk is bounded anyway).
    #[serde(default)]
    pub has_next_page: Option<bool>,
}

impl SecretPage {
    /// Whether the API says a page follows this one.
    pub fn has_next(&self) -> bool {
        self.has_next_page
            .unwrap_or_else(|| self.end_cursor.as_deref().is_some_and(|c| !c.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn v3_pages_convert_to_metadata() {
        let page: SecretPage = serde_json::from_str(
            r#"{"items":[
                {"secret_id":"secret-1","key":"K","note":"n","is_sensitive":false,
                 "secret_type":"key-value","access_type":"org","created_by":"u",
                 "created_at":1767225600,"updated_at":null,"updated_by":null},
                {"secret_id":"secret-2","key":null,"note":null,"is_sensitive":true,
                 "secret_type":"passkey","created_at":1767225600123,
                 "updated_at":1767225700123,"updated_by":"user-42"},
                {"secret_id":"secret-3"}
            ],"end_cursor":"c1","has_next_page":true,"total":3}"#,
        )
        .unwrap();
        assert!(page.has_next());
        assert_eq!(page.end_cursor.as_deref(), Some("c1"));
        let items: Vec<SecretMetadata> = page.items.into_iter().map(Into::into).collect();
        assert_eq!(
            items[0],
            SecretMetadata {
                id: "secret-1".into(),
                kind: Some("key-value".into()),
                key: Some("K".into()),
                created_at: Some("2026-01-01T00:00:00Z".into()),
                note: Some("n".into()),
                sensitive: Some(false),
                updated: Some(LastUpdate::default()),
            }
        );
        assert_eq!(
            items[1].kind.as_deref(),
            Some("passkey"),
            "unknown types kept"
        );
        assert_eq!(items[1].key, None);
        assert_eq!(
            items[1].note.as_deref(),
            Some(""),
            "a null note is the empty note"
        );
        assert_eq!(items[1].sensitive, Some(true));
        assert_eq!(
            items[1].updated,
            Some(LastUpdate {
                at: Some("2026-01-01T00:01:40.123Z".into()),
                by: Some("user-42".into()),
            })
        );
        assert_eq!(
            items[1].created_at.as_deref(),
            Some("2026-01-01T00:00:00.123Z")
        );
        assert_eq!(
            items[2],
            SecretMetadata {
                id: "secret-3".into(),
                kind: None,
                key: None,
                created_at: None,
                note: Some(String::new()),
                sensitive: None,
                updated: Some(LastUpdate::default()),
            }
        );
    }

    #[test]
    fn v3_page_ends() {
        let last: SecretPage = serde_json::from_str(
            r#"{"items":[],"end_cursor":null,"has_next_page":false,"total":null}"#,
        )
        .unwrap();
        assert!(!last.has_next());
        let no_flag: SecretPage = serde_json::from_str(r#"{"items":[],"end_cursor":"c"}"#).unwrap();
        assert!(no_flag.has_next());
        let neither: SecretPage = serde_json::from_str(r#"{"items":[]}"#).unwrap();
        assert!(!neither.has_next());
        assert!(serde_json::from_str::<SecretPage>(r#"[{"id":"a"}]"#).is_err());
        assert!(serde_json::from_str::<SecretPage>(r#"{"items":[{"id":"a"}]}"#).is_err());
    }

    #[test]
    fn v1_items_have_no_note_or_sensitivity() {
        let list: SecretList = serde_json::from_str(
            r#"[{"id":"a","type":"totp","key":"T","note":"x","sensitive":true,"updated":{"at":"x"}}]"#,
        )
        .unwrap();
        let item = &list.into_items()[0];
        assert_eq!((item.note.as_deref(), item.sensitive), (None, None));
        assert_eq!(item.updated, None, "v1 reports no last change");
    }

    #[test]
    fn v3_create_body_spells_is_sensitive() {
        let new = NewSecret {
            kind: SecretType::Cookie,
            key: "K".into(),
            value: Sensitive::new("hunter2-value"),
            sensitive: false,
            note: String::new(),
        };
        let body = SecretCreateRequest::from(&new);
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"type":"cookie","key":"K","value":"hunter2-value","is_sensitive":false,"note":""})
        );
        assert!(!format!("{body:?}").contains("hunter2-value"));
    }
}
