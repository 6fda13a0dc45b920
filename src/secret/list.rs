//! List resource `devin_secret`: the organization's secrets for `terraform query`, each
//! with the identity an `import` block adopts it by.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::ValueString;
use tf_provider::Diagnostics;

use super::checks::check_type;
use super::filters::{filter_attributes, matches_filters, LISTED_TYPES};
use super::lookup::client_and_listing;
use super::metadata::{identity_of, imported_state};
use super::state::{SecretIdentity, SecretState};
use crate::diagnostics::Action;
use crate::provider::ApiHandle;
use tfplugin::builders::block;
use tfplugin::{ListResource, Listed};

/// A `list "devin_secret"` block's `config`: the filters of the `devin_secrets` data
/// source.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretListConfig<'a> {
    /// Only secrets of this type.
    #[serde(rename = "type")]
    pub kind: ValueString<'a>,
    /// Only secrets whose key starts with this.
    pub key_prefix: ValueString<'a>,
}

/// The `devin_secret` list resource.
pub struct SecretList {
    api: Arc<ApiHandle>,
}

impl SecretList {
    /// The list resource, reaching the API through `api`.
    pub fn new(api: Arc<ApiHandle>) -> Self {
        Self { api }
    }
}

/// The `config` block's schema.
pub fn list_schema() -> Schema {
    Schema {
        version: 0,
        block: block(
            "Lists the secrets of the Devin organization for `terraform query` (Terraform \
             1.14 and later), each with its identity and its key as display name. \
             `terraform query -generate-config-out=FILE` writes an `import` block and a \
             `devin_secret` resource for each; fill in the value (`value_wo` preferred) and \
             apply to adopt them.",
            filter_attributes().into(),
        ),
    }
}

#[async_trait]
impl ListResource for SecretList {
    type Config<'a> = SecretListConfig<'a>;
    type Identity = SecretIdentity;
    type Object = SecretState<'static>;

    fn schema(&self) -> Schema {
        list_schema()
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) {
        check_type(diags, &config.kind, &LISTED_TYPES);
    }

    async fn list<'a>(
        &self,
        diags: &mut Diagnostics,
        config: Self::Config<'a>,
        include_object: bool,
        limit: usize,
    ) -> Vec<Listed<SecretIdentity, SecretState<'static>>> {
        // The list the provider took when it was configured: one request per query.
        let Some((client, listing)) =
            client_and_listing(&self.api, diags, &Action::ListSecrets).await
        else {
            return Vec::new();
        };
        let kind = config.kind.as_deref_option();
        let prefix = config.key_prefix.as_deref_option();
        let org = client.org_id();
        listing
            .iter()
            .filter(|m| matches_filters(m, kind, prefix))
            .take(limit)
            .map(|m| Listed {
                identity: identity_of(m, org),
                // A secret without a key (the API allows it) is shown by its id.
                display_name: m.key.clone().unwrap_or_else(|| m.id.clone()),
                object: include_object.then(|| imported_state(m, org)),
            })
            .collect()
    }
}
