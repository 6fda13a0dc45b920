//! What Terraform stores for a `devin_secret`: its state, identity and private state, and
//! the defaults the API applies to what the configuration leaves out.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use tf_provider::value::{Value, ValueBool, ValueString};

/// The resource schema's version. Bump it with every change to the state's layout, and
/// teach `upgrade_state` (in `upgrade.rs`) the step from the previous one.
pub const SCHEMA_VERSION: i64 = 3;
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
    /// When Devin last changed the secret, as the list reports it (API v3); null on v1,
    /// which does not report it, and for a secret never changed. Optional only so that
    /// `lifecycle { ignore_changes = [updated_at] }` can keep changes made in Devin: the
    /// configuration never sets it.
    pub updated_at: ValueString<'a>,
    /// Computed: who made that change (API v3), a user's name or id.
    pub updated_by: ValueString<'a>,
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
    /// The secret's last change as Devin reported it when Terraform created or imported
    /// it: a later `updated_at` means it was changed outside Terraform. `None` where the
    /// API reports no such field (v1), and in states of earlier releases until a read
    /// through v3 records one.
    pub baseline: Option<Baseline>,
    /// In a plan only: the id of the secret the planned change is for. Terraform passes
    /// it back to the second plan of a replacement's create, which may then have the
    /// key that secret holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacing: Option<String>,
}

/// What Devin reported of a secret's last change when Terraform recorded it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Baseline {
    /// `updated_at` then: null for a secret never changed.
    pub updated_at: Option<String>,
}

/// Nothing (msgpack nil) until a create through API v3 or an import writes
/// [`SecretPrivate`].
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

/// The planned arguments of an existing secret: each defaulted argument the
/// configuration leaves unset plans its default.
///
/// `type`, `sensitive` and `note` are computed only so that the provider can fill their
/// defaults; for such an attribute Terraform proposes the prior (refreshed) value when
/// the configuration has none. That would keep whatever Devin reports (a sensitivity
/// turned off in Devin, an imported cookie) although the configuration says the default.
pub(crate) fn with_config_defaults<'a>(
    mut proposed: SecretState<'a>,
    config: &SecretState<'a>,
) -> SecretState<'a> {
    proposed.kind = config.kind.clone();
    proposed.sensitive = config.sensitive;
    proposed.note = note_of(&config.note);
    with_defaults(proposed)
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
