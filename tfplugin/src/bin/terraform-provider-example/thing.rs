//! Resource `example_thing`: a name, kept in the store under a generated id, with a
//! write-only `secret_wo` the provider reads at apply and Terraform never stores.

use std::borrow::Cow;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint, AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty, ValueString};
use tf_provider::{AttributePath, Diagnostics, Resource};
use tfplugin::builders::{attr, block};
use tfplugin::{ClientSupport, IdentityAttribute, IdentitySchema, ResourceExt};

use crate::store::Store;

/// The state of one thing; `secret_wo` is null everywhere but in configuration.
#[derive(Clone, Serialize, Deserialize)]
pub struct ThingState<'a> {
    /// Given by the store at create.
    pub id: ValueString<'a>,
    /// Changing it replaces the thing.
    pub name: ValueString<'a>,
    /// Write-only.
    pub secret_wo: ValueString<'a>,
}

impl ThingState<'static> {
    /// The state of stored thing `id` called `name`.
    pub fn stored(id: String, name: String) -> Self {
        Self {
            id: Value::Value(Cow::Owned(id)),
            name: Value::Value(Cow::Owned(name)),
            secret_wo: Value::Null,
        }
    }
}

/// What names a thing for good: its id.
#[derive(Serialize, Deserialize)]
pub struct ThingIdentity {
    /// The thing's id.
    pub id: String,
}

/// The `example_thing` resource type.
pub struct ThingResource {
    store: Store,
}

impl ThingResource {
    /// Things kept in `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    fn read_stored(&self, id: &str) -> Option<(ThingState<'static>, ValueEmpty)> {
        let name = self.store.name(id)?;
        Some((ThingState::stored(id.to_string(), name), Value::Null))
    }
}

/// The schema of `example_thing`, which the list resource's objects share.
pub fn thing_schema() -> Schema {
    use AttributeConstraint::{Computed, Optional, Required};
    Schema {
        version: 0,
        block: block(
            "A named thing.",
            vec![
                (
                    "id",
                    attr(AttributeType::String, Computed, false, "Its id."),
                ),
                (
                    "name",
                    attr(AttributeType::String, Required, false, "Its name."),
                ),
                (
                    "secret_wo",
                    attr(
                        AttributeType::String,
                        Optional,
                        true,
                        "Read at apply, never stored.",
                    ),
                ),
            ],
        ),
    }
}

#[async_trait]
impl Resource for ThingResource {
    type State<'a> = ThingState<'a>;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(thing_schema())
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        state: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: ValueEmpty,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        self.read_stored(state.id.as_ref_option()?)
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        _meta: ValueEmpty,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let planned = ThingState {
            id: Value::Unknown,
            secret_wo: Value::Null,
            ..proposed
        };
        Some((planned, Value::Null))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: Self::State<'a>,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: ValueEmpty,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let replace = if prior.name != proposed.name {
            vec![AttributePath::new("name")]
        } else {
            Vec::new()
        };
        let planned = ThingState {
            secret_wo: Value::Null,
            ..proposed
        };
        Some((planned, Value::Null, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: ValueEmpty,
    ) -> Option<Self::PrivateState<'a>> {
        Some(Value::Null)
    }

    async fn create<'a>(
        &self,
        _diags: &mut Diagnostics,
        planned: Self::State<'a>,
        _config: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: ValueEmpty,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let name = planned.name.as_ref_option()?.to_string();
        let id = self.store.create(&name);
        Some((ThingState::stored(id, name), Value::Null))
    }

    async fn update<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        planned: Self::State<'a>,
        _config: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: ValueEmpty,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        Some((planned, Value::Null))
    }

    async fn destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: ValueEmpty,
    ) -> Option<()> {
        if let Some(id) = prior.id.as_ref_option() {
            self.store.delete(id);
        }
        Some(())
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let found = self.read_stored(&id);
        if found.is_none() {
            diags.root_error_short(format!("No thing has id `{id}`"));
        }
        found
    }
}

impl ResourceExt for ThingResource {
    type Identity = ThingIdentity;

    fn upgrade_state(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        _prior: serde_json::Value,
    ) -> Option<ThingState<'static>> {
        diags.root_error_short(format!("No thing schema has version {version}"));
        None
    }

    fn write_only_attributes(&self) -> &'static [&'static str] {
        &["secret_wo"]
    }

    fn check_client(
        &self,
        diags: &mut Diagnostics,
        config: &ThingState<'_>,
        support: ClientSupport,
    ) {
        if !support.write_only && !matches!(config.secret_wo, Value::Null) {
            diags.error_short(
                "`secret_wo` needs a CLI that keeps write-only values out of state",
                AttributePath::new("secret_wo"),
            );
        }
    }

    fn identity_schema(&self) -> IdentitySchema {
        IdentitySchema {
            version: 0,
            attributes: vec![IdentityAttribute {
                name: "id",
                attr_type: AttributeType::String,
                required_for_import: true,
                description: "The thing's id.",
            }],
        }
    }

    fn identity(&self, state: &ThingState<'_>) -> Option<ThingIdentity> {
        let id = state.id.as_ref_option()?;
        Some(ThingIdentity { id: id.to_string() })
    }

    fn import_id(&self, _diags: &mut Diagnostics, identity: ThingIdentity) -> Option<String> {
        Some(identity.id)
    }
}
