//! Data source `devin_secret`: one secret's metadata, found by id or by key.

use std::borrow::Cow;
use std::sync::Arc;

use async_trait::async_trait;
use tf_provider::schema::{
    AttributeConstraint::{Computed, OptionalComputed},
    AttributeType, Schema,
};
use tf_provider::value::ValueEmpty;
use tf_provider::{DataSource, Diagnostics};

use super::filters::{summary_attributes, SecretSummary};
use super::lookup::{client_and_listing, find, Found, Lookup};
use super::problems::SecretProblem;
use crate::provider::ApiHandle;
use tfplugin::builders::{attr, block};

/// The `devin_secret` data source.
pub struct SecretDataSource {
    api: Arc<ApiHandle>,
}

impl SecretDataSource {
    /// The data source, reaching the API through `api`.
    pub fn new(api: Arc<ApiHandle>) -> Self {
        Self { api }
    }
}

#[async_trait]
impl DataSource for SecretDataSource {
    type State<'a> = SecretSummary<'a>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema {
            version: 0,
            block: block(
                "Reads one secret's metadata, found by `id` or by `key` (exactly one of them). \
                 The value is never returned by the Devin API.",
                [
                    (
                        "id",
                        attr(
                            AttributeType::String,
                            OptionalComputed,
                            false,
                            "The secret's id. Set exactly one of `id` and `key`.",
                        ),
                    ),
                    (
                        "key",
                        attr(
                            AttributeType::String,
                            OptionalComputed,
                            false,
                            "The secret's name. Set exactly one of `id` and `key`.",
                        ),
                    ),
                ]
                .into_iter()
                .chain(
                    summary_attributes()
                        .into_iter()
                        .map(|(name, kind, about)| (name, attr(kind, Computed, false, about))),
                )
                .collect(),
            ),
        })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        // A value unknown here (a variable, another resource's attribute) may still turn
        // out null or set: only known values are checked now, the rest at read.
        if !config.id.is_unknown() && !config.key.is_unknown() {
            one_of_id_and_key(diags, &config);
        }
        for (attribute, set) in [
            ("type", !config.kind.is_null()),
            ("created_at", !config.created_at.is_null()),
            ("note", !config.note.is_null()),
            ("sensitive", !config.sensitive.is_null()),
            ("org_id", !config.org_id.is_null()),
            ("updated_at", !config.updated_at.is_null()),
            ("updated_by", !config.updated_by.is_null()),
        ] {
            if set {
                SecretProblem::ReadAttributeSet { attribute }.report(diags);
            }
        }
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: Self::State<'a>,
        _provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<Self::State<'a>> {
        let lookup = match (config.id.as_deref_option(), config.key.as_deref_option()) {
            (Some(id), None) => Lookup::Id(id),
            (None, Some(key)) => Lookup::Key(key),
            _ => {
                one_of_id_and_key(diags, &config);
                return None;
            }
        };
        let (client, listing) = client_and_listing(&self.api, diags, &lookup.action()).await?;
        match find(&listing, &lookup) {
            Found::One(one) => {
                let mut found = SecretSummary::of(one, client.org_id());
                // Keep the configured spelling: Terraform requires it unchanged.
                if let Lookup::Key(key) = lookup {
                    found.key = Some(Cow::Owned(key.to_string())).into();
                }
                Some(found)
            }
            Found::None => {
                SecretProblem::NoSecretFound { lookup: &lookup }.report(diags);
                None
            }
            Found::Several(all) => {
                SecretProblem::SeveralSecretsFound {
                    lookup: &lookup,
                    ids: all.iter().map(|s| s.id.as_str()).collect(),
                }
                .report(diags);
                None
            }
        }
    }
}

/// The error for a configuration that does not set exactly one of `id` and `key`.
fn one_of_id_and_key(diags: &mut Diagnostics, config: &SecretSummary<'_>) {
    let problem = match (config.id.is_null(), config.key.is_null()) {
        (false, false) => SecretProblem::BothIdAndKey,
        (true, true) => SecretProblem::NeitherIdNorKey,
        _ => return,
    };
    problem.report(diags);
}
