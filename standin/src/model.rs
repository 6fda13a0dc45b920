//! The stand-in's public types: organizations, stored secrets, counters, recorded
//! requests and faults.

use serde::{Deserialize, Serialize};

/// A secret as the stand-in stores it, value included (tests read it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSecret {
    /// `sec_` + 24 lowercase alphanumerics.
    pub id: String,
    /// The secret's name.
    pub key: String,
    /// The value as sent.
    pub value: String,
    /// `key-value`, `cookie` or `totp`.
    #[serde(rename = "type")]
    pub kind: String,
    /// As sent.
    pub sensitive: bool,
    /// As sent.
    pub note: String,
    /// RFC 3339 UTC with microseconds; `/v3` answers it as an integer (see [`TimestampUnit`]).
    pub created_at: String,
    /// The organization the secret belongs to. The v1 key works in the first configured
    /// organization, so that is where `/v1` creates and what it lists. Empty in state
    /// serialized before organizations existed.
    #[serde(default)]
    pub org_id: String,
    /// When the secret was last changed outside the API (see [`SecretEdit`]), as
    /// `created_at`; `None` until then. `/v3` answers it as `updated_at`, `/v1` not at all.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Who made that change; `/v3` answers it as `updated_by`.
    #[serde(default)]
    pub updated_by: Option<String>,
}

/// A change made to a secret in Devin's UI, behind the API's back: each field given is
/// changed, and the secret's `updated_at` and `updated_by` move.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretEdit {
    /// A new value.
    #[serde(default)]
    pub value: Option<String>,
    /// A new note.
    #[serde(default)]
    pub note: Option<String>,
    /// A new sensitivity.
    #[serde(default)]
    pub is_sensitive: Option<bool>,
    /// Who made the change: the new `updated_by`.
    #[serde(default)]
    pub updated_by: String,
}

/// An organization the stand-in serves under `/v3/organizations/{id}/`, with the one
/// service-user key (`cog_…`) that may act in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    /// The id in the path, e.g. `org-test`.
    pub id: String,
    /// The bearer key that acts in this organization, and in no other.
    pub key: String,
}

/// The unit of `/v3` integer timestamps. Devin's reference does not say which the real
/// API uses, so clients must detect it; tests pick one to check that they do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimestampUnit {
    /// Seconds since the Unix epoch.
    #[default]
    Seconds,
    /// Milliseconds since the Unix epoch.
    Millis,
}

/// `/v1` and `/v3` requests seen together, per method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCounts {
    /// GET requests.
    pub get: u64,
    /// POST requests.
    pub post: u64,
    /// DELETE requests.
    pub delete: u64,
    /// Any other method.
    pub other: u64,
}

/// One `/v1` or `/v3` request as it arrived.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The raw path, not decoded, with the query if any.
    pub path: String,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
    /// The status answered; 0 when the connection was dropped.
    pub status: u16,
}

/// A fault to inject into matching `/v1` and `/v3` requests.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FaultRule {
    /// What to do.
    pub fault: Fault,
    /// Only requests of this method (any when `None`).
    pub method: Option<String>,
    /// Only requests whose path starts with this (any when `None`).
    pub path_prefix: Option<String>,
    /// How often.
    pub budget: Budget,
}

/// What a fault does to a request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer this instead of handling the request.
    Status {
        /// The status code.
        status: u16,
        /// A `Retry-After` header value.
        retry_after: Option<String>,
        /// The body; `{"detail":"Injected fault"}` when `None`.
        body: Option<String>,
    },
    /// Wait, then handle the request normally.
    Delay {
        /// How long.
        ms: u64,
    },
    /// Close the connection without answering; the request has no effect.
    DropBefore,
    /// Apply the request's effect, then close the connection without answering.
    DropAfter,
    /// No effect; answer this status with a body that is not JSON.
    MalformedBefore {
        /// The status code.
        status: u16,
    },
    /// Apply the effect, then answer 200 with a truncated JSON body.
    MalformedAfter,
    /// One of every kind above, picked at random by the rule's generator: 429 with
    /// `Retry-After: 0`, 500, 502, 503, a 50–300 ms delay, both drops, both malformed.
    Mixed,
}

/// How often a rule fires.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Budget {
    /// For the next `count` matching requests.
    Next {
        /// How many.
        count: u32,
    },
    /// For each matching request with this probability, drawn from a generator seeded
    /// with `seed`: the same requests in the same order get the same faults.
    Random {
        /// Between 0 and 1.
        probability: f64,
        /// The generator's seed.
        seed: u64,
    },
    /// For every matching request.
    Always,
}

/// How `GET /v1/secrets` shapes its answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListShape {
    /// A bare array, as documented.
    #[default]
    Bare,
    /// `{"secrets": [...]}`.
    Wrapped,
}
