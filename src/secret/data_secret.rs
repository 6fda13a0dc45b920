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

use super::filters::SecretSummary;
use crate::api::SecretMetadata;
use crate::diagnostics;
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

/// How the configuration names the secret.
enum Lookup<'s> {
    Id(&'s str),
    Key(&'s str),
}

/// The secrets that `lookup` selects.
fn select<'l>(listing: &'l [SecretMetadata], lookup: &Lookup<'_>) -> Vec<&'l SecretMetadata> {
    listing
        .iter()
        .filter(|s| match lookup {
            Lookup::Id(id) => s.id == *id,
            Lookup::Key(key) => s.key.as_deref() == Some(*key),
        })
        .collect()
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
                vec![
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
                    (
                        "type",
                        attr(AttributeType::String, Computed, false, "The secret's type."),
                    ),
                    (
                        "created_at",
                        attr(
                            AttributeType::String,
                            Computed,
                            false,
                            "When the secret was created, as reported by the Devin API.",
                        ),
                    ),
                ],
            ),
        })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        // A value unknown here (a variable, another resource's attribute) may still turn
        // out null or set: only known values are checked now, the rest at read.
        if !config.id.is_unknown() && !config.key.is_unknown() {
            one_of_id_and_key(diags, &config);
        }
        for (name, value) in [("type", &config.kind), ("created_at", &config.created_at)] {
            if !value.is_null() {
                diagnostics::error(
                    diags,
                    format!("`{name}` cannot be set"),
                    format!(
                        "`{name}` is read from the Devin API; remove it from the configuration."
                    ),
                    Some(name),
                );
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
        let (lookup, what, attribute) =
            match (config.id.as_deref_option(), config.key.as_deref_option()) {
                (Some(id), None) => (Lookup::Id(id), format!("id {id:?}"), "id"),
                (None, Some(key)) => (Lookup::Key(key), format!("key {key:?}"), "key"),
                _ => {
                    one_of_id_and_key(diags, &config);
                    return None;
                }
            };
        let client = self
            .api
            .client_or_diag(diags, &format!("read the secret with {what}"))?;
        let listing = match client.list_secrets().await {
            Ok(listing) => listing,
            Err(e) => {
                diagnostics::api_error(diags, &format!("read the secret with {what}"), None, &e);
                return None;
            }
        };
        match select(&listing, &lookup).as_slice() {
            [one] => {
                let mut found = SecretSummary::from(*one);
                // Keep the configured spelling: Terraform requires it unchanged.
                if let Lookup::Key(key) = lookup {
                    found.key = Some(Cow::Owned(key.to_string())).into();
                }
                Some(found)
            }
            [] => {
                diagnostics::error(
                    diags,
                    format!("No Devin secret has {what}"),
                    "The `devin_secrets` data source lists the organization's secrets.".into(),
                    Some(attribute),
                );
                None
            }
            several => {
                let ids: Vec<&str> = several.iter().map(|s| s.id.as_str()).collect();
                diagnostics::error(
                    diags,
                    format!("{} Devin secrets have {what}", several.len()),
                    format!(
                        "Their ids are {}. Look the secret up by `id` instead.",
                        ids.join(", ")
                    ),
                    Some(attribute),
                );
                None
            }
        }
    }
}

/// The error for a configuration that does not set exactly one of `id` and `key`.
fn one_of_id_and_key(diags: &mut Diagnostics, config: &SecretSummary<'_>) {
    let problem = match (config.id.is_null(), config.key.is_null()) {
        (false, false) => "both `id` and `key` are set",
        (true, true) => "neither `id` nor `key` is set (or both are null)",
        _ => return,
    };
    diagnostics::error(
        diags,
        format!("Set exactly one of `id` and `key`: {problem}"),
        "The data source finds one secret either by its id or by its key. A variable that \
         is null counts as not set."
            .into(),
        None,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(id: &str, key: &str) -> SecretMetadata {
        SecretMetadata {
            id: id.into(),
            kind: Some("key-value".into()),
            key: Some(key.into()),
            created_at: None,
            note: None,
            sensitive: None,
        }
    }

    #[test]
    fn selects_by_id_or_key() {
        let listing = [meta("a", "K"), meta("b", "K"), meta("c", "L")];
        assert_eq!(select(&listing, &Lookup::Id("c")).len(), 1);
        assert_eq!(select(&listing, &Lookup::Key("K")).len(), 2);
        assert!(select(&listing, &Lookup::Key("M")).is_empty());
    }
}
