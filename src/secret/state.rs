//! What Terraform stores for a `devin_secret`: its state, identity and private state, and
//! the defaults the API applies to what the configuration leaves out.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use tf_provider::value::{Value, ValueBool, ValueString};

/// The resource schema's version. Bump it with every change to the state's layout, and
/// teach `upgrade_state` (in `upgrade.rs`) the step from the previous one.
pub const SCHEMA_VERSION: i64 = 2;
/// `type` when the configuration leaves it out.
pub const DEFAULT_TYPE: &str = "key-value";
/// `sensitive` when the configuration leaves it out.
pub const DEFAULT_SENSITIVE: bool = true;
/// The attributes Terraform must never store.
pub const WRITE_ONLY: [&str; 1] = ["value_wo"];

/// The state of one `devin_secret`. No `Debug`: it holds the value.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretState<'a> {
    /// Computed: the secret's id.
    pub id: ValueString<'a>,
    /// The secret's name.
    pub key: ValueString<'a>,
    /// The secret's value; null after an import, as the API cannot return it, and when
    /// `value_wo` gives it.
    pub value: ValueString<'a>,
    /// The value, write-only: in configuration, never in a plan or in state.
    pub value_wo: ValueString<'a>,
    /// Bumped by the user to send a new `value_wo`. A number in configuration arrives
    /// as its decimal text.
    pub value_wo_version: ValueString<'a>,
    /// `key-value`, `cookie` or `totp`.
    #[serde(rename = "type")]
    pub kind: ValueString<'a>,
    /// Whether Devin hides the value in its UI.
    pub sensitive: ValueBool,
    /// A free-form note.
    pub note: ValueString<'a>,
    /// Computed: when the secret was created.
    pub created_at: ValueString<'a>,
    /// Computed: the organization that holds it (API v3); null on v1, where the key
    /// implies it.
    pub org_id: ValueString<'a>,
}

/// A secret's identity (Terraform 1.12+): its id, and on API v3 its organization.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretIdentity {
    /// The secret's id.
    pub id: Option<String>,
    /// The organization that holds it; null when created or imported through API v1.
    pub org_id: Option<String>,
}

/// Private state: what Terraform keeps for the provider beside the state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretPrivate {
    /// The secret was imported: its value was never recorded, so the configured one is
    /// taken without a replacement.
    pub imported: bool,
    /// In a plan only: the id of the secret the planned change is for. Terraform passes
    /// it back to the second plan of a replacement's create, which may then have the
    /// key that secret holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacing: Option<String>,
}

/// Nothing (msgpack nil) until an import writes [`SecretPrivate`].
pub type Private = Option<SecretPrivate>;

/// Fills what the API applies when an argument is left out.
pub(crate) fn with_defaults(mut state: SecretState<'_>) -> SecretState<'_> {
    if state.kind.is_null() {
        state.kind = Value::Value(Cow::Borrowed(DEFAULT_TYPE));
    }
    if state.sensitive.is_null() {
        state.sensitive = Value::Value(DEFAULT_SENSITIVE);
    }
    if state.note.is_null() {
        state.note = Value::Value(Cow::Borrowed(""));
    }
    state
}

/// A note as the API stores it: unset is empty.
pub(crate) fn note_of<'a>(note: &ValueString<'a>) -> ValueString<'a> {
    match note {
        Value::Null => Value::Value(Cow::Borrowed("")),
        other => other.clone(),
    }
}

/// An attribute's value from an owned string, null for `None`.
pub(crate) fn owned(s: Option<String>) -> ValueString<'static> {
    s.map(Cow::Owned).into()
}
