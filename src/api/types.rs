//! The wire types of the Devin API secrets endpoints (v1 and v3), the identifiers built
//! from them, and the conversion of v3's answers into the version-neutral
//! [`SecretMetadata`].

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use super::redact::Sensitive;

/// The version of the Devin API a [`Client`](super::Client) speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    /// `/v1/secrets`: legacy `apk_…` keys, the organization implied by the key.
    V1,
    /// `/v3/organizations/{org_id}/secrets`: `cog_…` service-user keys, the organization
    /// named in every path.
    V3,
}

impl ApiVersion {
    /// The version as it appears in the API's paths: `v1` or `v3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V3 => "v3",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
/// [`SecretResponse`] and converted.
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
    /// timestamp (see [`timestamp_text`]); documented as nullable on v1.
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
}

/// A secret to create, and the body of `POST /v1/secrets`; v3's body is built from it
/// ([`SecretCreateRequest`]). Every field is always sent: v1's reference marks `note` both
/// required and optional, so an unset note goes as `""`.
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

/// Integer timestamps at or above this are milliseconds, below it seconds: 10^11 seconds
/// is in the year 5138, 10^11 milliseconds in March 1973, before any Devin secret.
pub const MILLIS_FROM: i64 = 100_000_000_000;

/// v3's `created_at` as RFC 3339 UTC text. An integer goes through [`timestamp_text`];
/// an integral float (some encoders write `1.7e9`) likewise; a string is kept as the API
/// printed it, as on v1. Anything else is `None`: the list must stay readable.
pub fn created_at_text(raw: &Value) -> Option<String> {
    match raw {
        Value::Number(n) => match n.as_i64() {
            Some(i) => timestamp_text(i),
            None => n
                .as_f64()
                .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e18)
                .and_then(|f| timestamp_text(f as i64)),
        },
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// An integer Unix timestamp of undocumented unit as RFC 3339 UTC text: at or above
/// [`MILLIS_FROM`] it is milliseconds, printed `YYYY-MM-DDTHH:MM:SS.mmmZ`; below, seconds,
/// printed `YYYY-MM-DDTHH:MM:SSZ`. Negative timestamps and those past the year 9999 are
/// `None`: no secret was created then, and a made-up date is worse than none.
pub fn timestamp_text(timestamp: i64) -> Option<String> {
    if timestamp < 0 {
        return None;
    }
    if timestamp >= MILLIS_FROM {
        let at = OffsetDateTime::from_unix_timestamp(timestamp / 1000).ok()?;
        Some(format!("{}.{:03}Z", date_time_text(at), timestamp % 1000))
    } else {
        let at = OffsetDateTime::from_unix_timestamp(timestamp).ok()?;
        Some(format!("{}Z", date_time_text(at)))
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of a UTC time. Written by hand: the `time` crate's formatting
/// needs a feature this crate does not enable, and the shape is fixed.
fn date_time_text(at: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Characters sent as they are in a path segment or a query value: RFC 3986's
/// unreserved set. Everything else, `/`, `?`, `#`, `&`, `=` and `%` included, is
/// percent-encoded.
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

/// What keeps `id` from being one path segment, if anything. Shared by secret and
/// organization ids.
fn segment_problem(id: &str) -> Option<InvalidSecretId> {
    if id.trim().is_empty() {
        Some(InvalidSecretId::Empty)
    } else if id == "." || id == ".." {
        Some(InvalidSecretId::DotSegment)
    } else if id.chars().any(char::is_control) {
        Some(InvalidSecretId::ControlCharacters)
    } else if id.len() > 256 {
        Some(InvalidSecretId::TooLong)
    } else {
        None
    }
}

/// `text` as one percent-encoded path segment, or one query value.
pub fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

impl SecretId {
    /// Checks `id` and wraps it.
    pub fn parse(id: &str) -> Result<Self, InvalidSecretId> {
        match segment_problem(id) {
            Some(problem) => Err(problem),
            None => Ok(Self(id.to_string())),
        }
    }

    /// The id as the API knows it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as one percent-encoded path segment.
    pub fn path_segment(&self) -> String {
        encode_segment(&self.0)
    }
}

/// A v3 organization id, checked like a [`SecretId`]: it is sent as exactly one
/// percent-encoded path segment, so an id like `../x` can never reach another endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgId(String);

impl OrgId {
    /// Checks `id` and wraps it; the error is a sentence for a person.
    pub fn parse(id: &str) -> Result<Self, String> {
        match segment_problem(id) {
            None => Ok(Self(id.to_string())),
            Some(InvalidSecretId::Empty) => {
                Err("the Devin API v3 needs an organization id, and none was given".into())
            }
            Some(problem) => Err(format!("the organization id {}", Self::describe(problem))),
        }
    }

    /// What makes `id` unusable as an organization id, said of it ("is empty"), or
    /// `None` when it is usable.
    pub fn problem(id: &str) -> Option<&'static str> {
        segment_problem(id).map(Self::describe)
    }

    fn describe(problem: InvalidSecretId) -> &'static str {
        match problem {
            InvalidSecretId::Empty => "is empty",
            InvalidSecretId::DotSegment => "cannot be \".\" or \"..\"",
            InvalidSecretId::ControlCharacters => "cannot contain control characters",
            InvalidSecretId::TooLong => "is longer than 256 characters",
        }
    }

    /// The id as the API knows it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as one percent-encoded path segment.
    pub fn path_segment(&self) -> String {
        encode_segment(&self.0)
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
    fn versions_as_the_paths_spell_them() {
        assert_eq!(ApiVersion::V1.as_str(), "v1");
        assert_eq!(ApiVersion::V3.as_str(), "v3");
        assert_eq!(ApiVersion::V3.to_string(), "v3");
    }

    #[test]
    fn timestamps_in_seconds() {
        assert_eq!(
            timestamp_text(1_767_225_600).as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        assert_eq!(
            timestamp_text(1_772_409_845).as_deref(),
            Some("2026-03-02T00:04:05Z")
        );
        assert_eq!(timestamp_text(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        // The largest seconds value: still seconds, in the year 5138.
        assert_eq!(
            timestamp_text(MILLIS_FROM - 1).as_deref(),
            Some("5138-11-16T09:46:39Z")
        );
    }

    #[test]
    fn timestamps_in_milliseconds() {
        assert_eq!(
            timestamp_text(1_767_225_600_000).as_deref(),
            Some("2026-01-01T00:00:00.000Z")
        );
        assert_eq!(
            timestamp_text(1_772_409_845_007).as_deref(),
            Some("2026-03-02T00:04:05.007Z")
        );
        assert_eq!(
            timestamp_text(MILLIS_FROM).as_deref(),
            Some("1973-03-03T09:46:40.000Z")
        );
    }

    #[test]
    fn absurd_timestamps_are_none() {
        assert_eq!(timestamp_text(-1), None);
        assert_eq!(timestamp_text(i64::MIN), None);
        assert_eq!(timestamp_text(i64::MAX), None, "past the year 9999");
        assert_eq!(timestamp_text(253_402_300_800_000), None, "year 10000");
        assert!(timestamp_text(253_402_300_799_999).is_some());
    }

    #[test]
    fn created_at_of_other_shapes() {
        use serde_json::json;
        assert_eq!(
            created_at_text(&json!(1_767_225_600.0)).as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        assert_eq!(created_at_text(&json!(1.5)), None);
        assert_eq!(created_at_text(&json!(u64::MAX)), None);
        assert_eq!(created_at_text(&json!(-5)), None);
        assert_eq!(
            created_at_text(&json!("2026-01-01T00:00:00Z")).as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        assert_eq!(created_at_text(&json!("")), None);
        assert_eq!(created_at_text(&json!(null)), None);
        assert_eq!(created_at_text(&json!({"s": 1})), None);
    }

    #[test]
    fn v3_pages_convert_to_metadata() {
        let page: SecretPage = serde_json::from_str(
            r#"{"items":[
                {"secret_id":"secret-1","key":"K","note":"n","is_sensitive":false,
                 "secret_type":"key-value","access_type":"org","created_by":"u",
                 "created_at":1767225600,"updated_at":null,"updated_by":null},
                {"secret_id":"secret-2","key":null,"note":null,"is_sensitive":true,
                 "secret_type":"passkey","created_at":1767225600123},
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
            r#"[{"id":"a","type":"totp","key":"T","note":"x","sensitive":true}]"#,
        )
        .unwrap();
        let item = &list.into_items()[0];
        assert_eq!((item.note.as_deref(), item.sensitive), (None, None));
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

    #[test]
    fn org_ids_are_one_path_segment() {
        for (id, segment) in [
            ("org-abc123", "org-abc123"),
            ("../x", "..%2Fx"),
            ("a/b", "a%2Fb"),
            ("o?x=1#f", "o%3Fx%3D1%23f"),
            ("%2F", "%252F"),
        ] {
            let got = OrgId::parse(id).unwrap().path_segment();
            assert_eq!(got, segment, "org id {id:?}");
        }
        for bad in ["", " ", ".", "..", "a\nb"] {
            let err = OrgId::parse(bad).unwrap_err();
            assert!(err.contains("organization id"), "{bad:?}: {err}");
        }
        assert_eq!(encode_segment("a b&c=d"), "a%20b%26c%3Dd");
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
