//! Resource `devin_secret`: one secret of the organization.
//!
//! The API has no update endpoint and never returns a value, which shapes everything
//! here: any change to an argument replaces the secret, and the value, note and
//! sensitive flag in state are what Terraform sent, not what the API confirmed.

use std::borrow::Cow;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{
    AttributeConstraint::{Computed, OptionalComputed, Required},
    AttributeType, Schema,
};
use tf_provider::value::{Value, ValueBool, ValueEmpty, ValueString};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::api::{ApiError, NewSecret, SecretId, SecretMetadata, SecretType, Sensitive};
use crate::diagnostics;
use crate::provider::{ApiHandle, NotReady};
use crate::resources::StateUpgrade;
use crate::schema_util::{attr, block};

/// The resource schema's version. Bump it with every change to the state's layout, and
/// teach [`upgrade_state`] the step from the previous one.
pub const SCHEMA_VERSION: i64 = 1;
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
    /// The secret's value; null after an import, as the API cannot return it.
    pub value: ValueString<'a>,
    /// `key-value`, `cookie` or `totp`.
    #[serde(rename = "type")]
    pub kind: ValueString<'a>,
    /// Whether Devin hides the value in its UI.
    pub sensitive: ValueBool,
    /// A free-form note.
    pub note: ValueString<'a>,
    /// Computed: when the secret was created, from the list endpoint.
    pub created_at: ValueString<'a>,
}

/// The attributes whose change replaces the secret, in the order a plan names them.
const REPLACING: [&str; 5] = ["key", "value", "type", "sensitive", "note"];

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
         no update endpoint, so changing any argument replaces the secret. The API never \
         returns a secret's value: Terraform cannot see changes made to a value outside \
         Terraform.",
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
                    Required,
                    true,
                    "The secret's value. Write-only in the API: it is sent when the secret is \
                     created and can never be read back, so changes made outside Terraform are \
                     not detected. Changing it replaces the secret.",
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
                    "When the secret was created, as reported by the Devin API's list. The \
                     create call answers only the id: the provider reads it from a list taken \
                     after the create (one list shared by the creates that finish together), \
                     so it is known when the apply ends.",
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

/// An imported secret whose value, note and sensitive flag were never recorded: the API
/// cannot return them, so import leaves them null. A secret Terraform created always has
/// `sensitive` in state (the plan fills its default), even one created with a null value
/// by an earlier release.
fn unrecorded_import(state: &SecretState<'_>) -> bool {
    state.value.is_null() && state.sensitive.is_null()
}

/// `key` and `value` are required; an expression that evaluates to null (a variable with
/// no value, `-generate-config-out`'s `value = null`) must not become an empty secret.
fn require_set(diags: &mut Diagnostics, config: &SecretState<'_>) -> bool {
    let mut ok = true;
    for (name, value, what) in [
        (
            "key",
            &config.key,
            "the secret's name, such as \"GITHUB_TOKEN\"",
        ),
        ("value", &config.value, "the secret's value"),
    ] {
        if value.is_null() {
            ok = false;
            diagnostics::error(
                diags,
                format!("`{name}` is null"),
                format!(
                    "`{name}` is required, and its expression evaluated to null (for example a \
                     variable that has no value, or `{name} = null` in configuration written \
                     by `-generate-config-out`). Set it to {what}. Nothing was sent to Devin."
                ),
                Some(name),
            );
        }
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
/// replacement. After an import, `value`, `note` and `sensitive` are unknown to the API
/// (null in state) and are taken from the configuration without one. An unset note and
/// `""` are the same note.
fn replaced_attributes(prior: &SecretState<'_>, planned: &SecretState<'_>) -> Vec<&'static str> {
    let imported = unrecorded_import(prior);
    let differs = |a: &ValueString<'_>, b: &ValueString<'_>| {
        a.is_unknown() || b.is_unknown() || a.as_deref_option() != b.as_deref_option()
    };
    REPLACING
        .into_iter()
        .filter(|name| match *name {
            "key" => differs(&prior.key, &planned.key),
            "type" => differs(&prior.kind, &planned.kind),
            "value" => !imported && differs(&prior.value, &planned.value),
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
    state.created_at = owned(meta.created_at.clone());
    state
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

#[async_trait]
impl Resource for SecretResource {
    type State<'a> = SecretState<'a>;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(secret_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        for (name, value) in [("id", &config.id), ("created_at", &config.created_at)] {
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
        require_set(diags, &config);
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
        match client.find_secret(&id).await {
            Ok(Some(meta)) => Some((apply_metadata(state, &meta), private_state)),
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
        if !require_set(diags, &config_state) {
            return None;
        }
        let mut planned = with_defaults(proposed_state);
        planned.id = Value::Unknown;
        planned.created_at = Value::Unknown;
        Some((planned, Value::Null))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _prior_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        if !require_set(diags, &config_state) {
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
        let replaced = replaced_attributes(&prior_state, &planned);
        if replaced.is_empty() {
            planned.id = prior_state.id.clone();
            planned.created_at = prior_state.created_at.clone();
            if unrecorded_import(&prior_state) {
                diagnostics::warning(
                    diags,
                    "Value, note and sensitive will be recorded, not checked".into(),
                    "This secret was imported. The Devin API never returns a secret's value, \
                     note or sensitive flag, so Terraform will store the configured ones in \
                     its state without changing the secret and without being able to confirm \
                     that they match it. To make sure the secret holds the configured value, \
                     replace it: `terraform apply -replace=<resource address>`."
                        .into(),
                    None,
                );
            }
        } else {
            planned.id = Value::Unknown;
            planned.created_at = Value::Unknown;
        }
        let paths = replaced.into_iter().map(AttributePath::new).collect();
        Some((planned, Value::Null, paths))
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
        _config_state: Self::State<'a>,
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
        let new = NewSecret {
            kind,
            key: key.clone(),
            value: Sensitive::new(planned_state.value.as_deref_option().unwrap_or_default()),
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
                Some((apply_metadata(planned_state, &meta), Value::Null))
            }
            Err(ApiError::Duplicate {
                existing_id: Some(existing),
                ..
            }) if client.created_here(&existing) => {
                diagnostics::duplicate_key_in_config(diags, &key, &existing);
                None
            }
            Err(e) => {
                diagnostics::api_error(diags, &action, Some(&key), &e);
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
        // as a replacement.
        Some((planned_state, Value::Null))
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
        let listing = match client.list_secrets().await {
            Ok(listing) => listing,
            Err(e) => {
                diagnostics::api_error(diags, &action, None, &e);
                return None;
            }
        };
        let imported = |meta: &SecretMetadata| {
            Some((apply_metadata(SecretState::default(), meta), Value::Null))
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
                diagnostics::error(
                    diags,
                    format!("Cannot import {id:?}: no secret has this id or key"),
                    format!(
                        "The Devin organization has no secret whose id or key is {id:?}{hint}. \
                         The `devin_secrets` data source lists the ids and keys of existing \
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

impl StateUpgrade for SecretResource {
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
}

/// Brings a state of an older schema version up to [`SCHEMA_VERSION`], so that a schema
/// change never forces replacing users' secrets.
///
/// Every layout so far only added attributes, so [`fill_absent`] is the whole migration;
/// a rename or retype adds its step here.
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
        assert!(replaced_attributes(&prior, &prior).is_empty());
        let mut planned = prior.clone();
        planned.value = owned(Some("v2".into()));
        assert_eq!(replaced_attributes(&prior, &planned), ["value"]);
        planned.key = owned(Some("K2".into()));
        planned.note = owned(Some("n".into()));
        assert_eq!(
            replaced_attributes(&prior, &planned),
            ["key", "value", "note"]
        );
        let mut unknown = prior.clone();
        unknown.value = Value::Unknown;
        unknown.sensitive = Value::Unknown;
        assert_eq!(
            replaced_attributes(&prior, &unknown),
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
        assert!(replaced_attributes(&prior, &planned).is_empty());
        planned.kind = owned(Some("totp".into()));
        assert_eq!(replaced_attributes(&prior, &planned), ["type"]);
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
        assert!(upgrade_state(2, serde_json::json!({})).is_err());
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
        assert!(replaced_attributes(&filled, &with_defaults(state("K", Some("v")))).is_empty());

        let mut imported = state("K", None);
        imported.sensitive = Value::Null;
        assert!(fill_absent(imported).sensitive.is_null());
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
