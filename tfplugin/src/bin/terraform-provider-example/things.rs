//! Data source `example_things` (how many there are) and list resource `example_thing`
//! (`terraform query`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint, AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty, ValueNumber, ValueString};
use tf_provider::{DataSource, Diagnostics};
use tfplugin::builders::{attr, block};
use tfplugin::{ListResource, Listed};

use crate::store::Store;
use crate::thing::{ThingIdentity, ThingState};

/// The state of data source `example_things`.
#[derive(Serialize, Deserialize)]
pub struct ThingsState {
    /// How many things exist.
    pub count: ValueNumber,
}

/// The `example_things` data source.
pub struct ThingsDataSource {
    store: Store,
}

impl ThingsDataSource {
    /// Counts the things in `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

#[async_trait]
impl DataSource for ThingsDataSource {
    type State<'a> = ThingsState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let count = attr(
            AttributeType::Number,
            AttributeConstraint::Computed,
            false,
            "How many things exist.",
        );
        Some(Schema {
            version: 0,
            block: block("The things that exist.", vec![("count", count)]),
        })
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        _config: ThingsState,
        _meta: ValueEmpty,
    ) -> Option<ThingsState> {
        let count = i64::try_from(self.store.all().len()).unwrap_or(i64::MAX);
        Some(ThingsState {
            count: Value::Value(count),
        })
    }
}

/// The `config` block of a `list "example_thing"` block.
#[derive(Deserialize)]
pub struct ThingListConfig<'a> {
    /// Only things whose name starts so; all when null.
    pub name_prefix: ValueString<'a>,
}

/// The `example_thing` list resource.
pub struct ThingList {
    store: Store,
}

impl ThingList {
    /// Lists the things in `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

#[async_trait]
impl ListResource for ThingList {
    type Config<'a> = ThingListConfig<'a>;
    type Identity = ThingIdentity;
    type Object = ThingState<'static>;

    fn schema(&self) -> Schema {
        let prefix = attr(
            AttributeType::String,
            AttributeConstraint::Optional,
            false,
            "Only things whose name starts so.",
        );
        Schema {
            version: 0,
            block: block("Lists things.", vec![("name_prefix", prefix)]),
        }
    }

    async fn validate<'a>(&self, _diags: &mut Diagnostics, _config: ThingListConfig<'a>) {}

    async fn list<'a>(
        &self,
        _diags: &mut Diagnostics,
        config: ThingListConfig<'a>,
        include_object: bool,
        limit: usize,
    ) -> Vec<Listed<ThingIdentity, ThingState<'static>>> {
        let prefix = config.name_prefix.as_ref_option().map(|p| p.to_string());
        (self.store.all().into_iter())
            .filter(|(_, name)| prefix.as_ref().is_none_or(|p| name.starts_with(p.as_str())))
            .take(limit)
            .map(|(id, name)| Listed {
                identity: ThingIdentity { id: id.clone() },
                display_name: name.clone(),
                object: include_object.then(|| ThingState::stored(id, name)),
            })
            .collect()
    }
}
