//! What `tfplugin` asks of `devin_secret` beyond tf-provider's `Resource`: its identity,
//! the upgrade of stored states, its write-only attribute, and the plan of a create that
//! sees the prior private state (which names the secret a replacement replaces).

use async_trait::async_trait;
use tf_provider::value::ValueEmpty;
use tf_provider::Diagnostics;
use tfplugin::{ClientSupport, IdentitySchema, ResourceExt};

use super::problems::SecretProblem;
use super::resource::SecretResource;
use super::schema::identity_schema;
use super::state::{Private, SecretIdentity, SecretState, WRITE_ONLY};
use super::upgrade::upgrade_state;

#[async_trait]
impl ResourceExt for SecretResource {
    type Identity = SecretIdentity;

    fn upgrade_state(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        prior: serde_json::Value,
    ) -> Option<SecretState<'static>> {
        upgrade_state(version, prior)
            .map_err(|problem| problem.report(diags))
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
            SecretProblem::WriteOnlyUnsupported.report(diags);
        }
    }

    fn identity_schema(&self) -> IdentitySchema {
        identity_schema()
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
                SecretProblem::IdentityWithoutId.report(diags);
                None
            }
        }
    }

    async fn plan_create_with_private<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: SecretState<'a>,
        config_state: SecretState<'a>,
        prior_private_state: Private,
        _provider_meta_state: ValueEmpty,
    ) -> Option<(SecretState<'a>, Private)> {
        let own = prior_private_state.and_then(|p| p.replacing);
        self.plan_new(diags, proposed_state, config_state, own.as_deref())
            .await
    }
}
