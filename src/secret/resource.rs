//! Resource `devin_secret`: one secret of the organization.
//!
//! The API has no update endpoint and never returns a value, which shapes everything
//! here: any change to an argument replaces the secret, and the value in state is what
//! Terraform sent, not what the API confirmed. `value_wo` keeps the value out of state
//! altogether (a write-only attribute, Terraform 1.11+). Note and sensitive flag are
//! checked against the API where it reports them (v3); v1 lists neither.

use std::borrow::Cow;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{
    AttributeConstraint::{Computed, Optional, OptionalComputed, Required},
    AttributeType, Schema,
};
use tf_provider::value::{Value, ValueBool, ValueEmpty, ValueString};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::api::{ApiError, Client, NewSecret, SecretId, SecretMetadata, SecretType, Sensitive};
use crate::diagnostics;
use crate::provider::{ApiHandle, NotReady};
use tfplugin::builders::{attr, block};
use tfplugin::{ClientSupport, IdentityAttribute, IdentitySchema, ResourceExt};

/// The resource schema's version. Bump it with every change to the state's layout, and
/// teach [`upgrade_state`] the step from the previous one.
pub const SCHEMA_VERSION: i64 = 2;
/// `type` when the configuration leaves it out.
pub const DEFAULT_TYPE: &str = "key-value";
/// `sensitive` when the configuration leaves it out.
pub const DEFAULT_SENSITIVE: bool = true;

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
}

/// Nothing (msgpack nil) until an import writes [`SecretPrivate`].
pub type Private = Option<SecretPrivate>;

/// The attributes Terraform must never store.
pub const WRITE_ONLY: [&str; 1] = ["value_wo"];

/// The attributes whose change replaces the secret, in the order a plan names them.
const REPLACING: [&str; 6] = [
    "key",
    "value",
    "value_wo_version",
    "type",
    "sensitive",
    "note",
];

/// The `devin_secret` resource.
pub struct SecretResource {
    api: Arc<ApiHandle>,
}

impl SecretResource {
    /// The resource, reaching the API through `api`.
    pub fn new(api: Arc<ApiHandle>) -> Self {
        Self { api }
    }
}

/// The resource's schema.
pub fn secret_schema() -> Schema {
    let mut b =
        block(
            "A secret of the Devin organization, available to Devin's sessions. The Devin API has \
         no update endpoint, so changing any argument replaces the secret, except `value_wo` \
         alone, which Terraform cannot compare: bump `value_wo_version` to send a new value. \
         The API never returns a secret's value: Terraform cannot see changes made to a value \
         outside Terraform.",
            vec![
            (
                "id",
                attr(AttributeType::String, Computed, false, "The secret's id, assigned by Devin."),
            ),
            (
                "key",
                attr(
                    AttributeType::String,
                    Required,
                    false,
                    "The secret's name, unique within the organization. Sessions see a \
                     `key-value` secret as an environment variable of this name, with \
                     characters other than letters, digits and `_` turned into `_` (and a \
                     leading `_` when it does not start with a letter). Changing it replaces \
                     the secret.",
                ),
            ),
            (
                "value",
                attr(
                    AttributeType::String,
                    Optional,
                    true,
                    "The secret's value, stored in Terraform's state (marked sensitive). \
                     Prefer `value_wo`, which keeps it out of state; exactly one of the two \
                     is set. The API never returns a value, so changes made outside \
                     Terraform are not detected. Changing it replaces the secret.",
                ),
            ),
            (
                "value_wo",
                attr(
                    AttributeType::String,
                    Optional,
                    true,
                    "The secret's value, write-only: Terraform passes it to the provider, \
                     which sends it when the secret is created, and never stores it in plans \
                     or in state. Give it from an `ephemeral` variable (or an ephemeral \
                     resource): a literal or a plain variable is still written into plan files \
                     with the configuration. Terraform cannot compare a write-only value with \
                     an earlier one, so changing only `value_wo` changes nothing: bump \
                     `value_wo_version` to send a new value (which replaces the secret). Needs \
                     Terraform 1.11 or later; exactly one of `value` and `value_wo` is set.",
                ),
            ),
            (
                "value_wo_version",
                attr(
                    AttributeType::String,
                    Optional,
                    false,
                    "Any number or text, changed to rotate a `value_wo`: a new version \
                     replaces the secret with one holding the current `value_wo`. Only with \
                     `value_wo`.",
                ),
            ),
            (
                "type",
                attr(
                    AttributeType::String,
                    OptionalComputed,
                    false,
                    "The kind of secret: `key-value` (default), `cookie` or `totp`. Changing \
                     it replaces the secret.",
                ),
            ),
            (
                "sensitive",
                attr(
                    AttributeType::Bool,
                    OptionalComputed,
                    false,
                    "Whether Devin hides the value in its interface. Defaults to `true`. \
                     Changing it replaces the secret.",
                ),
            ),
            (
                "note",
                attr(
                    AttributeType::String,
                    OptionalComputed,
                    false,
                    "A note shown next to the secret in Devin. Leaving it unset is the same as \
                     `\"\"`: Devin stores an empty note for both, so switching between the two \
                     changes nothing. Changing it replaces the secret.",
                ),
            ),
            (
                "created_at",
                attr(
                    AttributeType::String,
                    Computed,
                    false,
                    "When the secret was created, as reported by the Devin API (RFC 3339, \
                     UTC). On API v1 the create call answers only the id: the provider reads \
                     it from a list taken after the create (one list shared by the creates \
                     that finish together), so it is known when the apply ends.",
                ),
            ),
            (
                "org_id",
                attr(
                    AttributeType::String,
                    Computed,
                    false,
                    "The Devin organization that holds the secret (API v3, `cog_` keys). \
                     Null for a secret created or imported through API v1, where the API \
                     key implies the organization; it stays null when the provider moves to \
                     a `cog_` credential, as it is part of the resource's identity.",
                ),
            ),
        ],
        );
    b.version = SCHEMA_VERSION;
    Schema {
        version: SCHEMA_VERSION,
        block: b,
    }
}

/// The environment variable name Devin gives a secret key in its sessions.
pub fn env_var_name(key: &str) -> String {
    let mut name: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, '_');
    }
    name
}

/// Checks one configuration (also used by the data sources for `type`).
pub fn validate_type(diags: &mut Diagnostics, kind: &ValueString<'_>, allowed: &[&str]) {
    if let Some(kind) = kind.as_ref_option() {
        if !allowed.contains(&kind.as_ref()) {
            diagnostics::error(
                diags,
                format!("Unsupported secret type \"{kind}\""),
                format!("`type` must be one of: {}.", allowed.join(", ")),
                Some("type"),
            );
        }
    }
}

/// Checks `key`: not blank, and warns when Devin will rename it for the environment.
pub fn validate_key(diags: &mut Diagnostics, key: &ValueString<'_>) {
    let Some(key) = key.as_ref_option() else {
        return;
    };
    if key.trim().is_empty() {
        diagnostics::error(
            diags,
            "`key` cannot be empty".into(),
            "Give the secret a name, such as \"GITHUB_TOKEN\".".into(),
            Some("key"),
        );
        return;
    }
    let env = env_var_name(key);
    if env != key.as_ref() {
        diagnostics::warning(
            diags,
            format!("Devin sessions will see this secret as ${env}"),
            format!(
                "Devin turns secret names into environment variable names: characters other \
                 than letters, digits and `_` become `_`, and a name that does not start with \
                 a letter gets a leading `_`. The key \"{key}\" becomes {env}. Use \"{env}\" \
                 as the key to make the names match."
            ),
            Some("key"),
        );
    }
}

/// Fills what the API applies when an argument is left out.
fn with_defaults(mut state: SecretState<'_>) -> SecretState<'_> {
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

/// A secret imported through API v1, whose note and sensitive flag were never recorded:
/// v1 cannot return them, so import leaves them null. A secret Terraform created always
/// has `sensitive` in state (the plan fills its default), even one created with a null
/// value by an earlier release; v3 reports both.
fn unrecorded_import(state: &SecretState<'_>) -> bool {
    state.value.is_null() && state.sensitive.is_null()
}

/// Whether the value of `prior` was never recorded, because it was imported: the
/// configured value (or `value_wo_version`) is then recorded without a replacement,
/// once.
fn value_unrecorded(prior: &SecretState<'_>, private: &Private) -> bool {
    let imported = private.as_ref().is_some_and(|p| p.imported) || unrecorded_import(prior);
    imported && prior.value.is_null() && prior.value_wo_version.is_null()
}

/// Moving from `value` to `value_wo` with the same value needs no new secret: the plan
/// sees the write-only value, so it can tell.
fn same_value_moved_to_wo(prior: &SecretState<'_>, config: &SecretState<'_>) -> bool {
    matches!(
        (&prior.value, &config.value_wo),
        (Value::Value(old), Value::Value(new)) if old == new
    )
}

/// `key`, and exactly one of `value` and `value_wo`: an expression that evaluates to
/// null (a variable with no value, `-generate-config-out`'s `value = null`) must not
/// become an empty secret. At validate, unknown values are let through; the plan checks
/// again with them known.
fn check_arguments(diags: &mut Diagnostics, config: &SecretState<'_>) -> bool {
    let mut ok = true;
    if config.key.is_null() {
        ok = false;
        diagnostics::error(
            diags,
            "`key` is null".into(),
            "`key` is required, and its expression evaluated to null (for example a variable \
             that has no value). Set it to the secret's name, such as \"GITHUB_TOKEN\". \
             Nothing was sent to Devin."
                .into(),
            Some("key"),
        );
    }
    let set = |v: &ValueString<'_>| matches!(v, Value::Value(_));
    if config.value.is_null() && config.value_wo.is_null() {
        ok = false;
        diagnostics::error(
            diags,
            "`value` is null".into(),
            "A secret needs a value: set `value_wo` (write-only, kept out of Terraform's \
             state; Terraform 1.11 or later) or `value`. The expression given evaluated to \
             null (for example a variable that has no value, or `value = null` in \
             configuration written by `-generate-config-out`). Nothing was sent to Devin."
                .into(),
            Some("value"),
        );
    } else if set(&config.value) && set(&config.value_wo) {
        ok = false;
        diagnostics::error(
            diags,
            "`value` and `value_wo` are both set".into(),
            "Set exactly one of them: `value_wo` keeps the value out of Terraform's plans and \
             state, `value` stores it in state (marked sensitive). Remove the other."
                .into(),
            Some("value_wo"),
        );
    }
    if !config.value_wo_version.is_null() && config.value_wo.is_null() {
        ok = false;
        diagnostics::error(
            diags,
            "`value_wo_version` without `value_wo`".into(),
            "`value_wo_version` says when to send a new `value_wo`; with `value` it means \
             nothing. Set `value_wo` instead of `value`, or remove `value_wo_version`."
                .into(),
            Some("value_wo_version"),
        );
    }
    ok
}

/// Fills the attributes that a state written by an older layout of the schema lacks.
///
/// A state of the current schema version reaches the provider as stored, and Terraform
/// reads an attribute the state does not have as null. Adding an attribute with a
/// default would then plan the replacement of every existing secret (null → default
/// forces it). For a secret Terraform created (its value is known) such an attribute
/// holds what the API applied at creation, its default. An imported secret keeps its
/// nulls: the plan takes those attributes from the configuration.
fn fill_absent(state: SecretState<'_>) -> SecretState<'_> {
    if unrecorded_import(&state) {
        state
    } else {
        with_defaults(state)
    }
}

/// The arguments that differ between the prior state and the plan: each forces a
/// replacement. `keep_value` leaves out `value` and `value_wo_version` (an import, or
/// the same value moved to `value_wo`). After a v1 import, `note` and `sensitive` are
/// unknown to the API (null in state) and are taken from the configuration without one.
/// An unset note and `""` are the same note.
fn replaced_attributes(
    prior: &SecretState<'_>,
    planned: &SecretState<'_>,
    keep_value: bool,
) -> Vec<&'static str> {
    let imported = unrecorded_import(prior);
    let differs = |a: &ValueString<'_>, b: &ValueString<'_>| {
        a.is_unknown() || b.is_unknown() || a.as_deref_option() != b.as_deref_option()
    };
    REPLACING
        .into_iter()
        .filter(|name| match *name {
            "key" => differs(&prior.key, &planned.key),
            "type" => differs(&prior.kind, &planned.kind),
            "value" => !keep_value && differs(&prior.value, &planned.value),
            "value_wo_version" => {
                !keep_value && differs(&prior.value_wo_version, &planned.value_wo_version)
            }
            "note" => !imported && differs(&note_of(&prior.note), &note_of(&planned.note)),
            "sensitive" => {
                !imported
                    && (planned.sensitive.is_unknown()
                        || prior.sensitive.as_ref_option() != planned.sensitive.as_ref_option())
            }
            _ => false,
        })
        .collect()
}

/// A note as the API stores it: unset is empty.
fn note_of<'a>(note: &ValueString<'a>) -> ValueString<'a> {
    match note {
        Value::Null => Value::Value(Cow::Borrowed("")),
        other => other.clone(),
    }
}

fn owned(s: Option<String>) -> ValueString<'static> {
    s.map(Cow::Owned).into()
}

/// Fills the computed attributes from the API's metadata.
fn apply_metadata<'a>(mut state: SecretState<'a>, meta: &SecretMetadata) -> SecretState<'a> {
    state.id = owned(Some(meta.id.clone()));
    if let Some(key) = &meta.key {
        state.key = owned(Some(key.clone()));
    }
    if let Some(kind) = &meta.kind {
        state.kind = owned(Some(kind.clone()));
    }
    // The same moment printed at another precision (v1 prints the API's text, v3 formats
    // an integer timestamp) is not a change: a switch of API version must not ripple
    // into whatever uses `created_at`.
    let same = match (
        state.created_at.as_deref_option(),
        meta.created_at.as_deref(),
    ) {
        (Some(recorded), Some(reported)) => same_moment(recorded, reported),
        _ => false,
    };
    if !same {
        state.created_at = owned(meta.created_at.clone());
    }
    state
}

/// Whether two RFC 3339 UTC times are one moment, the coarser one truncated:
/// `…:12.325649Z` is `…:12Z` at second precision and `…:12.325Z` at millisecond
/// precision.
fn same_moment(a: &str, b: &str) -> bool {
    let (Some(a), Some(b)) = (a.strip_suffix('Z'), b.strip_suffix('Z')) else {
        return a == b;
    };
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    match long.strip_prefix(short) {
        Some("") => true,
        // `short` ends at the seconds: the rest must be a fraction.
        Some(rest) if !short.contains('.') => {
            rest.starts_with('.') && rest[1..].bytes().all(|c| c.is_ascii_digit())
        }
        Some(rest) => rest.bytes().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

/// Takes the note and sensitive flag the API reports (v3), so that a change made
/// outside Terraform shows in the plan. v1 reports neither: state keeps what was sent.
fn apply_reported<'a>(mut state: SecretState<'a>, meta: &SecretMetadata) -> SecretState<'a> {
    if let Some(sensitive) = meta.sensitive {
        state.sensitive = Value::Value(sensitive);
    }
    if let Some(note) = &meta.note {
        if note_of(&state.note).as_deref_option() != Some(note.as_str()) {
            state.note = owned(Some(note.clone()));
        }
    }
    state
}

/// The state an import records: what the API reports, the value never.
pub fn imported_state(meta: &SecretMetadata, org_id: Option<&str>) -> SecretState<'static> {
    let mut state = apply_reported(apply_metadata(SecretState::default(), meta), meta);
    state.org_id = owned(org_id.map(str::to_string));
    state
}

/// The identity of a listed or imported secret.
pub fn identity_of(meta: &SecretMetadata, org_id: Option<&str>) -> SecretIdentity {
    SecretIdentity {
        id: Some(meta.id.clone()),
        org_id: org_id.map(str::to_string),
    }
}

fn id_of(diags: &mut Diagnostics, state: &SecretState<'_>) -> Option<SecretId> {
    let id = state.id.as_deref_option().unwrap_or_default();
    match SecretId::parse(id) {
        Ok(id) => Some(id),
        Err(e) => {
            diagnostics::error(
                diags,
                format!("Invalid secret id {id:?} in state"),
                format!("{e}. Remove the resource from state with `terraform state rm` and import the secret by its id."),
                Some("id"),
            );
            None
        }
    }
}

/// A state recorded in another organization than the provider's cannot be read or
/// deleted through it.
fn check_org(diags: &mut Diagnostics, state: &SecretState<'_>, client: &Client) -> bool {
    match (state.org_id.as_deref_option(), client.org_id()) {
        (Some(recorded), Some(configured)) if recorded != configured => {
            diagnostics::error(
                diags,
                format!("This secret belongs to organization {recorded}"),
                format!(
                    "The secret was created in Devin organization {recorded}, but this \
                     `devin` provider is configured for {configured} (`org_id`). Give the \
                     resource a provider configured for {recorded} (a provider alias with \
                     `org_id = \"{recorded}\"`, and `provider = devin.<alias>` on the \
                     resource), or remove it from state with `terraform state rm`."
                ),
                Some("org_id"),
            );
            false
        }
        _ => true,
    }
}

/// The value to send: `value`, or the write-only `value_wo` from configuration.
fn value_to_send<'a>(
    planned: &'a SecretState<'_>,
    config: &'a SecretState<'_>,
) -> (&'a str, &'static str) {
    match (
        planned.value.as_deref_option(),
        config.value_wo.as_deref_option(),
    ) {
        (Some(v), _) => (v, "value"),
        (None, Some(v)) => (v, "value_wo"),
        (None, None) => ("", "value"),
    }
}

#[async_trait]
impl Resource for SecretResource {
    type State<'a> = SecretState<'a>;
    type PrivateState<'a> = Private;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(secret_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        for (name, value) in [
            ("id", &config.id),
            ("created_at", &config.created_at),
            ("org_id", &config.org_id),
        ] {
            if !value.is_null() {
                diagnostics::error(
                    diags,
                    format!("`{name}` cannot be set"),
                    format!(
                        "`{name}` is computed by the Devin API. Remove it from the \
                         configuration; to manage an existing secret, import it by id."
                    ),
                    Some(name),
                );
            }
        }
        check_arguments(diags, &config);
        validate_key(diags, &config.key);
        validate_type(diags, &config.kind, &SecretType::ALL);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let state = fill_absent(state);
        let client = match self.api.client() {
            Ok(client) => client,
            Err(NotReady::Pending | NotReady::Unconfigured) => {
                // Refreshing must not fail a plan whose provider settings come from
                // resources not yet applied: keep what state says until then.
                diagnostics::warning(
                    diags,
                    "Secret not refreshed: the provider configuration is not known yet".into(),
                    "The `devin` provider block uses values Terraform learns only during apply, \
                     so the secret was not checked against the Devin API."
                        .into(),
                    None,
                );
                return Some((state, private_state));
            }
        };
        let Some(id) = id_of(diags, &state) else {
            return Some((state, private_state));
        };
        if !check_org(diags, &state, &client) {
            return Some((state, private_state));
        }
        match client.find_secret(&id).await {
            // `org_id` stays as recorded, also when a team moves from an `apk_` key to a
            // `cog_` credential: it is part of the identity, which is meant to be
            // immutable (Go providers refuse such a read as "Unexpected Identity
            // Change"). A null one means the provider's own organization.
            Ok(Some(meta)) => Some((
                apply_reported(apply_metadata(state, &meta), &meta),
                private_state,
            )),
            Ok(None) => {
                log::debug!("secret {id} is no longer listed; dropping it from state");
                None
            }
            Err(e) => {
                diagnostics::api_error(diags, &format!("read secret {id}"), None, &e);
                Some((state, private_state))
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        // Validation runs before variables are known: a null shows only now.
        if !check_arguments(diags, &config_state) {
            return None;
        }
        let mut planned = with_defaults(proposed_state);
        planned.value_wo = Value::Null;
        planned.id = Value::Unknown;
        planned.created_at = Value::Unknown;
        planned.org_id = self.planned_org();
        Some((planned, None))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        if !check_arguments(diags, &config_state) {
            return None;
        }
        // A plan made with -refresh=false gets the stored state without a read.
        let prior_state = fill_absent(prior_state);
        let mut proposed_state = proposed_state;
        // `note` is computed only so that unset and "" compare equal; Terraform proposes
        // the prior note when the configuration has none, but removing a note must clear
        // it.
        proposed_state.note = note_of(&config_state.note);
        let mut planned = with_defaults(proposed_state);
        planned.value_wo = Value::Null;
        let recorded_only = value_unrecorded(&prior_state, &prior_private_state);
        let moved = same_value_moved_to_wo(&prior_state, &config_state);
        let replaced = replaced_attributes(&prior_state, &planned, recorded_only || moved);
        if replaced.is_empty() {
            planned.id = prior_state.id.clone();
            planned.created_at = prior_state.created_at.clone();
            planned.org_id = prior_state.org_id.clone();
            let records_value = !(planned.value.is_null() && planned.value_wo_version.is_null());
            if (recorded_only && records_value) || unrecorded_import(&prior_state) {
                diagnostics::warning(
                    diags,
                    "The value will be recorded, not checked".into(),
                    "This secret was imported. The Devin API never returns a secret's value \
                     (nor, on API v1, its note and sensitive flag), so Terraform records the \
                     configured ones without changing the secret and without being able to \
                     confirm that they match it. To make sure the secret holds the configured \
                     value, replace it: `terraform apply -replace=<resource address>`."
                        .into(),
                    None,
                );
            }
        } else {
            planned.id = Value::Unknown;
            planned.created_at = Value::Unknown;
            planned.org_id = self.planned_org();
        }
        let paths = replaced.into_iter().map(AttributePath::new).collect();
        Some((planned, prior_private_state, paths))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let key = planned_state
            .key
            .as_deref_option()
            .unwrap_or_default()
            .to_string();
        let action = format!("create secret \"{key}\"");
        let client = self.api.client_or_diag(diags, &action)?;
        let kind_text = planned_state.kind.as_deref_option().unwrap_or(DEFAULT_TYPE);
        let Some(kind) = SecretType::parse(kind_text) else {
            validate_type(diags, &planned_state.kind, &SecretType::ALL);
            return None;
        };
        let (value, value_attribute) = value_to_send(&planned_state, &config_state);
        let new = NewSecret {
            kind,
            key: key.clone(),
            value: Sensitive::new(value),
            sensitive: planned_state.sensitive.unwrap_or(DEFAULT_SENSITIVE),
            note: planned_state
                .note
                .as_deref_option()
                .unwrap_or_default()
                .to_string(),
        };
        match client.create_secret(&new).await {
            Ok(meta) => {
                log::debug!("created secret {}", meta.id);
                let mut state = apply_metadata(planned_state, &meta);
                state.org_id = owned(client.org_id().map(str::to_string));
                Some((state, None))
            }
            Err(ApiError::Duplicate {
                existing_id: Some(existing),
                ..
            }) if client.created_here(&existing) => {
                diagnostics::duplicate_key_in_config(diags, &key, &existing);
                None
            }
            Err(e) => {
                diagnostics::api_error_on(diags, &action, Some(&key), &e, value_attribute);
                None
            }
        }
    }

    async fn update<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        // Only imported secrets and states of an older layout are updated in place, and
        // only in Terraform's state: every change the API would have to make is planned
        // as a replacement. What is recorded now is no longer "never recorded".
        Some((planned_state, None))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let id = id_of(diags, &prior_state)?;
        let action = format!("delete secret {id}");
        let client = self.api.client_or_diag(diags, &action)?;
        if !check_org(diags, &prior_state, &client) {
            return None;
        }
        match client.delete_secret(&id).await {
            Ok(outcome) => {
                log::debug!("delete secret {id}: {outcome:?}");
                Some(())
            }
            Err(e) => {
                diagnostics::api_error(
                    diags,
                    &diagnostics::secret_action("delete", prior_state.key.as_deref_option(), &id),
                    prior_state.key.as_deref_option(),
                    &e,
                );
                None
            }
        }
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let action = format!("import secret {id:?}");
        let client = self.api.client_or_diag(diags, &action)?;
        let id = import_target(diags, &id, client.org_id())?;
        let listing = match client.list_secrets().await {
            Ok(listing) => listing,
            Err(e) => {
                diagnostics::api_error(diags, &action, None, &e);
                return None;
            }
        };
        let org = client.org_id();
        let imported = |meta: &SecretMetadata| {
            Some((
                imported_state(meta, org),
                Some(SecretPrivate { imported: true }),
            ))
        };
        if let Some(meta) = listing.iter().find(|s| s.id == id) {
            return imported(meta);
        }
        // Users often know a secret by its key: accept one that names exactly one secret.
        let by_key: Vec<&SecretMetadata> = listing
            .iter()
            .filter(|s| s.key.as_deref() == Some(id.as_str()))
            .collect();
        match by_key.as_slice() {
            [one] => {
                diagnostics::warning(
                    diags,
                    format!("Imported secret {} by its key {id:?}", one.id),
                    format!(
                        "{id:?} is not a secret id but the key of exactly one secret, whose id \
                         is {}. That secret was imported. Ids are stable where keys are not: \
                         prefer `{}` in `import` blocks and scripts.",
                        one.id, one.id
                    ),
                    None,
                );
                imported(one)
            }
            [] => {
                let hint = match SecretId::parse(&id) {
                    Ok(_) => String::new(),
                    Err(e) => format!(" ({e})"),
                };
                let place = match org {
                    Some(org) => format!("Devin organization {org}"),
                    None => "Devin organization".to_string(),
                };
                diagnostics::error(
                    diags,
                    format!("Cannot import {id:?}: no secret has this id or key"),
                    format!(
                        "The {place} has no secret whose id or key is {id:?}{hint}. The \
                         `devin_secrets` data source lists the ids and keys of existing \
                         secrets."
                    ),
                    None,
                );
                None
            }
            several => {
                let ids: Vec<&str> = several.iter().map(|s| s.id.as_str()).collect();
                diagnostics::error(
                    diags,
                    format!(
                        "Cannot import {id:?}: {} secrets have this key",
                        several.len()
                    ),
                    format!("Import one of them by its id: {}.", ids.join(", ")),
                    None,
                );
                None
            }
        }
    }
}

impl SecretResource {
    /// The organization a new secret will be created in, when the provider knows it.
    fn planned_org(&self) -> ValueString<'static> {
        match self.api.client() {
            Ok(client) => owned(client.org_id().map(str::to_string)),
            Err(_) => Value::Unknown,
        }
    }
}

/// The secret id (or key) an import id names: `secret_id`, or `org_id/secret_id` for
/// the provider's own organization on API v3.
fn import_target(diags: &mut Diagnostics, id: &str, org: Option<&str>) -> Option<String> {
    let Some((named_org, secret)) = id.split_once('/') else {
        return Some(id.to_string());
    };
    let problem = match org {
        Some(org) if org == named_org => return Some(secret.to_string()),
        Some(org) => format!(
            "{id:?} names organization {named_org:?}, but this `devin` provider is configured \
             for {org:?}. Import through a provider configured for {named_org:?}: a provider \
             alias with `org_id = \"{named_org}\"`, named in the `import` block's `provider` \
             argument (or `-provider` of `terraform import`), with the resource's `provider` \
             set to the same alias."
        ),
        None => format!(
            "{id:?} has the form `org_id/secret_id`, which names an organization of the \
             Devin API v3; this provider speaks v1 (an `apk_` key), where the key implies \
             the organization. Import by the secret id alone."
        ),
    };
    diagnostics::error(diags, format!("Cannot import {id:?}"), problem, None);
    None
}

impl ResourceExt for SecretResource {
    type Identity = SecretIdentity;

    fn upgrade_state(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        prior: serde_json::Value,
    ) -> Option<SecretState<'static>> {
        upgrade_state(version, prior)
            .map_err(|why| {
                diagnostics::error(
                    diags,
                    "Cannot upgrade the stored state of a devin_secret".into(),
                    why,
                    None,
                )
            })
            .ok()
    }

    fn write_only_attributes(&self) -> &'static [&'static str] {
        &WRITE_ONLY
    }

    fn check_client(
        &self,
        diags: &mut Diagnostics,
        config: &SecretState<'_>,
        support: ClientSupport,
    ) {
        if !support.write_only && !config.value_wo.is_null() {
            diagnostics::error(
                diags,
                "`value_wo` needs a CLI that supports write-only attributes".into(),
                "`value_wo` is a write-only attribute: Terraform 1.11 and later send it to \
                 the provider without storing it. This CLI does not support write-only \
                 attributes (OpenTofu 1.6 and Terraform before 1.11 do not), and would store \
                 the value in its plan and state. Use Terraform 1.11 or later, or set `value` \
                 instead of `value_wo` (the value is then stored in state, marked \
                 sensitive). Nothing was sent to Devin."
                    .into(),
                Some("value_wo"),
            );
        }
    }

    fn identity_schema(&self) -> IdentitySchema {
        IdentitySchema {
            version: 0,
            attributes: vec![
                IdentityAttribute {
                    name: "id",
                    attr_type: AttributeType::String,
                    required_for_import: true,
                    description: "The secret's id.",
                },
                IdentityAttribute {
                    name: "org_id",
                    attr_type: AttributeType::String,
                    required_for_import: false,
                    description: "The Devin organization that holds the secret (API v3). \
                                  Defaults to the provider's `org_id`; null for a secret \
                                  created or imported through API v1.",
                },
            ],
        }
    }

    fn identity(&self, state: &SecretState<'_>) -> Option<SecretIdentity> {
        Some(SecretIdentity {
            id: Some(state.id.as_deref_option()?.to_string()),
            org_id: state.org_id.as_deref_option().map(str::to_string),
        })
    }

    fn import_id(&self, diags: &mut Diagnostics, identity: SecretIdentity) -> Option<String> {
        match identity {
            SecretIdentity {
                id: Some(id),
                org_id: Some(org),
            } => Some(format!("{org}/{id}")),
            SecretIdentity {
                id: Some(id),
                org_id: None,
            } => Some(id),
            SecretIdentity { id: None, .. } => {
                diagnostics::error(
                    diags,
                    "The import identity has no `id`".into(),
                    "Give the secret's id: `identity = { id = \"…\" }`. The \
                     `devin_secrets` data source and `terraform query` list them."
                        .into(),
                    None,
                );
                None
            }
        }
    }
}

/// Brings a state of an older schema version up to [`SCHEMA_VERSION`], so that a schema
/// change never forces replacing users' secrets.
///
/// Every layout so far only added attributes (1: `type`, `sensitive`, `note`,
/// `created_at`; 2: `value_wo`, `value_wo_version`, `org_id`), so [`fill_absent`] is the
/// whole migration; a rename or retype adds its step here.
pub fn upgrade_state(
    version: i64,
    json: serde_json::Value,
) -> Result<SecretState<'static>, String> {
    if version > SCHEMA_VERSION {
        return Err(format!(
            "The state was written by a newer version of the provider (schema version \
             {version}; this one knows up to {SCHEMA_VERSION}). Upgrade the provider."
        ));
    }
    // serde would also read a struct from an array, by position.
    if !json.is_object() {
        return Err("The prior state is not an object.".into());
    }
    // serde's message would quote the offending input, which may be the value.
    let state: SecretState<'static> = serde_json::from_value(json).map_err(|_| {
        format!("The prior state does not have the layout of schema version {version}.")
    })?;
    Ok(fill_absent(state))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(key: &str, value: Option<&str>) -> SecretState<'static> {
        SecretState {
            id: owned(Some("sec_1".into())),
            key: owned(Some(key.into())),
            value: owned(value.map(Into::into)),
            kind: owned(Some("key-value".into())),
            sensitive: Value::Value(true),
            note: Value::Null,
            created_at: owned(Some("2026-01-01T00:00:00Z".into())),
            ..Default::default()
        }
    }

    #[test]
    fn env_var_names_follow_devin() {
        assert_eq!(env_var_name("GITHUB_TOKEN"), "GITHUB_TOKEN");
        assert_eq!(env_var_name("my-key.v2"), "my_key_v2");
        assert_eq!(env_var_name("1PASSWORD"), "_1PASSWORD");
        assert_eq!(env_var_name("_x"), "__x");
        assert_eq!(env_var_name("clé"), "cl_");
    }

    #[test]
    fn every_changed_argument_forces_replacement() {
        let prior = state("K", Some("v1"));
        assert!(replaced_attributes(&prior, &prior, false).is_empty());
        let mut planned = prior.clone();
        planned.value = owned(Some("v2".into()));
        assert_eq!(replaced_attributes(&prior, &planned, false), ["value"]);
        planned.key = owned(Some("K2".into()));
        planned.note = owned(Some("n".into()));
        assert_eq!(
            replaced_attributes(&prior, &planned, false),
            ["key", "value", "note"]
        );
        let mut unknown = prior.clone();
        unknown.value = Value::Unknown;
        unknown.sensitive = Value::Unknown;
        assert_eq!(
            replaced_attributes(&prior, &unknown, false),
            ["value", "sensitive"]
        );
    }

    #[test]
    fn imported_secrets_take_value_note_sensitive_from_config() {
        let mut prior = state("K", None);
        prior.sensitive = Value::Null;
        let mut planned = state("K", Some("v"));
        planned.note = owned(Some("n".into()));
        planned.sensitive = Value::Value(false);
        let keep = value_unrecorded(&prior, &None);
        assert!(keep);
        assert!(replaced_attributes(&prior, &planned, keep).is_empty());
        planned.kind = owned(Some("totp".into()));
        assert_eq!(replaced_attributes(&prior, &planned, keep), ["type"]);
    }

    #[test]
    fn upgrade_from_version_0_fills_defaults() {
        let v0 = serde_json::json!({"id": "sec_1", "key": "K", "value": "v"});
        let s = upgrade_state(0, v0).unwrap();
        assert_eq!(s.kind.as_deref_option(), Some("key-value"));
        assert_eq!(s.sensitive, Value::Value(true));
        // The note Devin stored for an unset one.
        assert_eq!(s.note.as_deref_option(), Some(""));
        assert!(s.created_at.is_null());
        assert_eq!(s.value.as_deref_option(), Some("v"));
        assert!(upgrade_state(3, serde_json::json!({})).is_err());
        assert!(upgrade_state(0, serde_json::json!([])).is_err());
    }

    #[test]
    fn absent_attributes_of_created_secrets_take_their_defaults() {
        let mut stored = state("K", Some("v"));
        stored.kind = Value::Null;
        stored.sensitive = Value::Null;
        let filled = fill_absent(stored);
        assert_eq!(filled.kind.as_deref_option(), Some(DEFAULT_TYPE));
        assert_eq!(filled.sensitive, Value::Value(DEFAULT_SENSITIVE));
        assert!(
            replaced_attributes(&filled, &with_defaults(state("K", Some("v"))), false).is_empty()
        );

        let mut imported = state("K", None);
        imported.sensitive = Value::Null;
        assert!(fill_absent(imported).sensitive.is_null());
    }

    #[test]
    fn an_import_records_its_first_value_or_version_once() {
        let mut prior = state("K", None);
        prior.sensitive = Value::Value(true);
        let marked = Some(SecretPrivate { imported: true });
        // v3 import: note and sensitive known, the value never.
        assert!(value_unrecorded(&prior, &marked));
        assert!(!value_unrecorded(&prior, &None));
        let mut versioned = prior.clone();
        versioned.value_wo_version = owned(Some("1".into()));
        assert!(!value_unrecorded(&versioned, &marked));
        let mut planned = versioned.clone();
        planned.value_wo_version = owned(Some("2".into()));
        assert_eq!(
            replaced_attributes(&versioned, &planned, false),
            ["value_wo_version"]
        );
    }

    #[test]
    fn the_same_value_moved_to_value_wo_keeps_the_secret() {
        let prior = state("K", Some("v1"));
        let mut config = state("K", None);
        config.value_wo = owned(Some("v1".into()));
        assert!(same_value_moved_to_wo(&prior, &config));
        config.value_wo = owned(Some("v2".into()));
        assert!(!same_value_moved_to_wo(&prior, &config));
        config.value_wo = Value::Unknown;
        assert!(!same_value_moved_to_wo(&prior, &config));
    }

    #[test]
    fn exactly_one_of_value_and_value_wo() {
        let check = |value: ValueString<'static>,
                     wo: ValueString<'static>,
                     version: ValueString<'static>| {
            let mut config = state("K", None);
            config.value = value;
            config.value_wo = wo;
            config.value_wo_version = version;
            let mut diags = Diagnostics::default();
            let ok = check_arguments(&mut diags, &config);
            let on: Vec<String> = diags
                .errors
                .iter()
                .map(|d| format!("{:?}", d.attribute))
                .collect();
            (ok, on.join(" "))
        };
        let v = |s: &str| owned(Some(s.to_string()));
        assert!(check(v("a"), Value::Null, Value::Null).0);
        assert!(check(Value::Null, v("a"), v("1")).0);
        // Unknown at validate: let through, the plan checks again.
        assert!(check(Value::Unknown, Value::Unknown, Value::Null).0);
        let (ok, on) = check(v("a"), v("b"), Value::Null);
        assert!(!ok && on.contains("value_wo"), "{on}");
        let (ok, on) = check(Value::Null, Value::Null, Value::Null);
        assert!(!ok && on.contains("\"value\""), "{on}");
        let (ok, on) = check(v("a"), Value::Null, v("1"));
        assert!(!ok && on.contains("value_wo_version"), "{on}");
    }

    #[test]
    fn import_ids_name_the_providers_organization_or_fail() {
        let mut diags = Diagnostics::default();
        assert_eq!(
            import_target(&mut diags, "sec_1", Some("org-a")).as_deref(),
            Some("sec_1")
        );
        assert_eq!(
            import_target(&mut diags, "org-a/sec_1", Some("org-a")).as_deref(),
            Some("sec_1")
        );
        assert!(diags.errors.is_empty());
        assert!(import_target(&mut diags, "org-b/sec_1", Some("org-a")).is_none());
        assert!(format!("{:?}", diags.errors).contains("alias"));
        let mut diags = Diagnostics::default();
        assert!(import_target(&mut diags, "org-b/sec_1", None).is_none());
        assert!(format!("{:?}", diags.errors).contains("v1"));
    }

    #[test]
    fn v3_reports_note_and_sensitive_v1_does_not() {
        let meta = SecretMetadata {
            id: "sec_1".into(),
            kind: Some("key-value".into()),
            key: Some("K".into()),
            created_at: None,
            note: Some("changed".into()),
            sensitive: Some(false),
        };
        let state = apply_reported(state("K", Some("v")), &meta);
        assert_eq!(state.note.as_deref_option(), Some("changed"));
        assert_eq!(state.sensitive, Value::Value(false));
        // A null note on v3 and "" in state are the same note: no drift.
        let mut empty = state.clone();
        empty.note = owned(Some(String::new()));
        let v1 = SecretMetadata {
            note: None,
            sensitive: None,
            ..meta
        };
        let kept = apply_reported(empty, &v1);
        assert_eq!(kept.note.as_deref_option(), Some(""));
        assert_eq!(kept.sensitive, Value::Value(false));
    }

    #[test]
    fn one_moment_at_two_precisions_is_no_change() {
        assert!(same_moment(
            "2026-11-23T17:08:12.325649Z",
            "2026-11-23T17:08:12Z"
        ));
        assert!(same_moment(
            "2026-11-23T17:08:12Z",
            "2026-11-23T17:08:12.325649Z"
        ));
        assert!(same_moment(
            "2026-11-23T17:08:12.325649Z",
            "2026-11-23T17:08:12.325Z"
        ));
        assert!(same_moment("2026-11-23T17:08:12Z", "2026-11-23T17:08:12Z"));
        assert!(!same_moment(
            "2026-11-23T17:08:12.325649Z",
            "2026-11-23T17:08:12.326Z"
        ));
        assert!(!same_moment("2026-11-23T17:08:13Z", "2026-11-23T17:08:12Z"));
        assert!(!same_moment(
            "2026-11-23T17:08:12+00:00",
            "2026-11-23T17:08:12Z"
        ));
        assert!(!same_moment("2026-11-23T17:08:12Z", "2026-11-23T17:08:1Z"));
        let mut state = state("K", Some("v"));
        state.created_at = owned(Some("2026-11-23T17:08:12.325649Z".into()));
        let meta = SecretMetadata {
            id: "sec_1".into(),
            kind: None,
            key: None,
            created_at: Some("2026-11-23T17:08:12Z".into()),
            note: None,
            sensitive: None,
        };
        let kept = apply_metadata(state, &meta);
        assert_eq!(
            kept.created_at.as_deref_option(),
            Some("2026-11-23T17:08:12.325649Z")
        );
    }

    #[test]
    fn upgrade_errors_never_quote_the_state() {
        let bad = serde_json::json!({"id": "sec_1", "key": "K", "value": 424242});
        let err = upgrade_state(1, bad).err().unwrap();
        assert!(!err.contains("424242"), "{err}");
    }

    #[test]
    fn upgrade_keeps_a_current_state_as_is() {
        let v1 = serde_json::json!({"id":"a","key":"K","value":"v","type":"totp","sensitive":false,"note":"n","created_at":"t"});
        let s = upgrade_state(1, v1).unwrap();
        assert_eq!(s.kind.as_deref_option(), Some("totp"));
        assert_eq!(s.sensitive, Value::Value(false));
        assert_eq!(s.note.as_deref_option(), Some("n"));
    }
}
