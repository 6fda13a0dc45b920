//! Data source `devin_secrets`: the organization's secrets, optionally filtered.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint::Computed, AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty, ValueList, ValueString};
use tf_provider::{DataSource, Diagnostics};

use super::checks::check_type;
use super::filters::{
    filter_attributes, matches_filters, summary_attributes, SecretSummary, LISTED_TYPES,
};
use super::lookup::client_and_listing;
use crate::diagnostics::Action;
use crate::provider::ApiHandle;
use tfplugin::builders::{attr, block};

/// The data source's arguments and result.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretsState<'a> {
    /// Only secrets of this type.
    #[serde(rename = "type")]
    pub kind: ValueString<'a>,
    /// Only secrets whose key starts with this.
    pub key_prefix: ValueString<'a>,
    /// The matching secrets.
    pub secrets: ValueList<SecretSummary<'a>>,
}

/// The `devin_secrets` data source.
pub struct SecretsDataSource {
    api: Arc<ApiHandle>,
}

impl SecretsDataSource {
    /// The data source, reaching the API through `api`.
    pub fn new(api: Arc<ApiHandle>) -> Self {
        Self { api }
    }
}

/// The object type of one listed secret.
pub fn summary_type() -> AttributeType {
    let named = summary_attributes()
        .into_iter()
        .map(|(name, kind, _)| (name.to_string(), kind));
    AttributeType::Object(
        ["id", "key"]
            .map(|n| (n.to_string(), AttributeType::String))
            .into_iter()
            .chain(named)
            .collect::<HashMap<_, _>>(),
    )
}

#[async_trait]
impl DataSource for SecretsDataSource {
    type State<'a> = SecretsState<'a>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema {
            version: 0,
            block: block(
                "Lists the secrets of the Devin organization: their ids, keys, types, \
                 creation times and, on API v3, notes and sensitive flags. Values are never \
                 returned by the Devin API.",
                filter_attributes()
                    .into_iter()
                    .chain([(
                        "secrets",
                        attr(
                            AttributeType::List(Box::new(summary_type())),
                            Computed,
                            false,
                            "The matching secrets, in the API's order, each with `id`, `key`, \
                             `type`, `created_at`, `note`, `sensitive`, `org_id`, `updated_at` \
                             and `updated_by` (the last five null on API v1, which does not \
                             report them).",
                        ),
                    )])
                    .collect(),
            ),
        })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        check_type(diags, &config.kind, &LISTED_TYPES);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        mut config: Self::State<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<Self::State<'a>> {
        let (client, listing) = client_and_listing(&self.api, diags, &Action::ListSecrets).await?;
        let org = client.org_id();
        let kind = config.kind.as_deref_option();
        let prefix = config.key_prefix.as_deref_option();
        let items: Vec<SecretSummary<'a>> = listing
            .iter()
            .filter(|m| matches_filters(m, kind, prefix))
            .map(|m| SecretSummary::of(m, org))
            .collect();
        config.secrets = Value::Value(items);
        Some(config)
    }
}
