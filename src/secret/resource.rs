//! Resource `devin_secret`: one secret of the organization.
//!
//! The API has no update endpoint and never returns a value, which shapes everything
//! here: any change to an argument replaces the secret, and the value in state is what
//! Terraform sent, not what the API confirmed. `value_wo` keeps the value out of state
//! altogether (a write-only attribute, Terraform 1.11+). Note and sensitive flag are
//! checked against the API where it reports them (v3); v1 lists neither.
//!
//! Schema, then validate, read, plan, create, update, destroy and import, in the order
//! of tf-provider's `Resource`. The rules they apply live beside this file: argument
//! checks in `checks`, plan rules in `plan`, the mapping from API metadata in
//! `metadata`, the import in `import`, and the words of every problem in `problems`.

use std::sync::Arc;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty, ValueString};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::checks::{check_arguments, check_computed_unset, check_key, check_type};
use super::claims::KeyClaims;
use super::collisions::{report_created_in_this_run, report_exists};
use super::edits::{adopt_baseline, created_private, outside_edit, updated_private};
use super::import::import_secret;
use super::key_check::{create_may_take, record_change};
use super::metadata::{apply_metadata, apply_reported};
use super::plan::{
    fill_absent, imported_through_v1, replaced_attributes, same_value_moved_to_wo,
    value_never_recorded,
};
use super::problems::SecretProblem;
use super::schema::secret_schema;
use super::state::{
    owned, with_config_defaults, with_defaults, Private, SecretState, DEFAULT_SENSITIVE,
    DEFAULT_TYPE,
};
use crate::api::client::Deleted;
use crate::api::{ApiError, ApiVersion, Client, NewSecret, SecretId, SecretType, Sensitive};
use crate::diagnostics::{self, Action};
use crate::provider::{ApiHandle, NotReady};

/// The `devin_secret` resource.
pub struct SecretResource {
    api: Arc<ApiHandle>,
    /// What this process's plan does with each secret, and which create takes each key.
    claims: KeyClaims,
}

impl SecretResource {
    /// The resource, reaching the API through `api`.
    pub fn new(api: Arc<ApiHandle>) -> Self {
        Self {
            api,
            claims: KeyClaims::default(),
        }
    }

    /// The plan of a create; `own` is the secret it replaces, for the second plan of a
    /// replacement (see `claims.rs`).
    pub(super) async fn plan_new<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: SecretState<'a>,
        config_state: SecretState<'a>,
        own: Option<&str>,
    ) -> Option<(SecretState<'a>, Private)> {
        // Validation runs before variables are known: a null shows only now.
        if !check_arguments(diags, &config_state) {
            return None;
        }
        let mut planned = with_defaults(proposed_state);
        planned.value_wo = Value::Null;
        planned.id = Value::Unknown;
        planned.created_at = Value::Unknown;
        planned.org_id = self.planned_org();
        self.planned_last_update(&mut planned);
        let client = self.api.client().ok();
        if !create_may_take(&self.claims, client, diags, &planned.key, own).await {
            return None;
        }
        Some((planned, None))
    }

    /// The organization a new secret will be created in, when the provider knows it.
    fn planned_org(&self) -> ValueString<'static> {
        match self.api.client() {
            Ok(client) => owned(client.org_id().map(str::to_string)),
            Err(_) => Value::Unknown,
        }
    }

    /// A new secret's `updated_at` and `updated_by`: null on v1, which reports neither,
    /// else known after apply.
    fn planned_last_update(&self, planned: &mut SecretState<'_>) {
        let v1 = matches!(self.api.client(), Ok(c) if c.version() == ApiVersion::V1);
        let value = if v1 { Value::Null } else { Value::Unknown };
        planned.updated_at = value.clone();
        planned.updated_by = value;
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
        check_computed_unset(diags, &config);
        check_arguments(diags, &config);
        check_key(diags, &config.key);
        check_type(diags, &config.kind, &SecretType::ALL);
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
                SecretProblem::NotRefreshed.report(diags);
                return Some((state, private_state));
            }
        };
        let Some(id) = id_of(diags, &state) else {
            return Some((state, private_state));
        };
        self.claims.held(id.as_str());
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
                adopt_baseline(private_state, &meta),
            )),
            Ok(None) => {
                log::debug!("secret {id} is no longer listed; dropping it from state");
                None
            }
            Err(e) => {
                let action = Action::ReadSecret { id: id.to_string() };
                diagnostics::api_error(diags, &action, &e);
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
        self.plan_new(diags, proposed_state, config_state, None)
            .await
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
        let mut planned = with_config_defaults(proposed_state, &config_state);
        planned.value_wo = Value::Null;
        let prior_value_unrecorded = value_never_recorded(&prior_state, &prior_private_state);
        let moved_to_wo = same_value_moved_to_wo(&prior_state, &config_state);
        let mut replaced = replaced_attributes(
            &prior_state,
            &planned,
            prior_value_unrecorded || moved_to_wo,
        );
        // `ignore_changes = [updated_at]` sends the refreshed `updated_at` in the
        // configuration (which validate keeps from setting it otherwise): changes made
        // in Devin are then kept.
        let keeps_edits = !config_state.updated_at.is_null();
        if let Some(edit) = outside_edit(&prior_state, &prior_private_state) {
            if !keeps_edits {
                SecretProblem::ChangedInDevin {
                    key: prior_state.key.as_deref_option().unwrap_or_default(),
                    edit,
                }
                .report(diags);
                replaced.push("updated_at");
            }
        }
        if replaced.is_empty() {
            planned.id = prior_state.id.clone();
            planned.created_at = prior_state.created_at.clone();
            planned.org_id = prior_state.org_id.clone();
            let records_value = !(planned.value.is_null() && planned.value_wo_version.is_null());
            if (prior_value_unrecorded && records_value) || imported_through_v1(&prior_state) {
                SecretProblem::RecordedNotChecked.report(diags);
            }
        } else {
            planned.id = Value::Unknown;
            planned.created_at = Value::Unknown;
            planned.org_id = self.planned_org();
            // A value in the configuration (from `ignore_changes`) is what the plan must
            // hold; Terraform plans the new secret from the configuration as written.
            if !keeps_edits {
                planned.updated_at = Value::Unknown;
            }
            planned.updated_by = Value::Unknown;
        }
        record_change(
            &self.claims,
            &prior_state.id,
            &planned.key,
            !replaced.is_empty(),
        );
        // Named for the second plan of the create, should this change be a replacement
        // (asked for here, or by `-replace`).
        let mut private = prior_private_state.unwrap_or_default();
        private.replacing = prior_state.id.as_deref_option().map(str::to_string);
        let paths = replaced.into_iter().map(AttributePath::new).collect();
        Some((planned, Some(private), paths))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        if let Some(id) = prior_state.id.as_deref_option() {
            self.claims.destroyed(id);
        }
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
        let action = Action::CreateSecret { key: key.clone() };
        let client = self.api.client_or_diag(diags, &action)?;
        let kind_text = planned_state.kind.as_deref_option().unwrap_or(DEFAULT_TYPE);
        let Some(kind) = SecretType::parse(kind_text) else {
            check_type(diags, &planned_state.kind, &SecretType::ALL);
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
                Some((state, created_private(&meta)))
            }
            Err(ApiError::Duplicate {
                existing_id: Some(existing),
                ..
            }) => {
                if client.created_here(&existing) {
                    report_created_in_this_run(diags, &key, &existing);
                } else {
                    report_exists(diags, &key, &existing);
                }
                None
            }
            Err(e) => {
                diagnostics::api_error_on(diags, &action, &e, value_attribute);
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
        planned_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        // Only imported secrets and states of an older layout are updated in place, and
        // only in Terraform's state: every change the API would have to make is planned
        // as a replacement. What is recorded now is no longer "never recorded".
        Some((planned_state, updated_private(planned_private_state)))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let id = id_of(diags, &prior_state)?;
        let client = self
            .api
            .client_or_diag(diags, &Action::DeleteSecretById { id: id.to_string() })?;
        if !check_org(diags, &prior_state, &client) {
            return None;
        }
        match client.delete_secret(&id).await {
            Ok(outcome) => {
                match outcome {
                    Deleted::Now => log::debug!("deleted secret {id}"),
                    Deleted::AlreadyGone => {
                        log::debug!("secret {id} was already gone; nothing to delete")
                    }
                }
                Some(())
            }
            Err(e) => {
                let action = Action::DeleteSecret {
                    key: prior_state.key.as_deref_option().map(str::to_string),
                    id: id.to_string(),
                };
                diagnostics::api_error(diags, &action, &e);
                None
            }
        }
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        import_secret(&self.api, diags, &id).await
    }
}

/// The id that state records, or `None` with why it is not one reported.
fn id_of(diags: &mut Diagnostics, state: &SecretState<'_>) -> Option<SecretId> {
    let id = state.id.as_deref_option().unwrap_or_default();
    match SecretId::parse(id) {
        Ok(id) => Some(id),
        Err(e) => {
            SecretProblem::InvalidIdInState {
                id,
                reason: e.to_string(),
            }
            .report(diags);
            None
        }
    }
}

/// A state recorded in another organization than the provider's cannot be read or
/// deleted through it.
fn check_org(diags: &mut Diagnostics, state: &SecretState<'_>, client: &Client) -> bool {
    match (state.org_id.as_deref_option(), client.org_id()) {
        (Some(recorded), Some(configured)) if recorded != configured => {
            SecretProblem::OtherOrganization {
                recorded,
                configured,
            }
            .report(diags);
            false
        }
        _ => true,
    }
}

/// The value to send, and the attribute it came from: `value`, or the write-only
/// `value_wo` from configuration.
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
