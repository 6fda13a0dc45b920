//! The [`Plugin`] registry: a provider and the resource, data source and list resource
//! types it serves, each under its full type name.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use tf_provider::schema::Schema;
use tf_provider::{DataSource, Diagnostics, Provider, Resource};

use crate::adapter::{
    DataSourceHandler, ListResourceHandler, ProviderHandler, ResourceHandler, ServedType,
};
use crate::list::ListResource;
use crate::resource::ResourceExt;

/// The plugin binary as messages name it: `terraform-provider-<name>` at a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginBinary {
    /// `terraform-provider-<name>`.
    pub name: String,
    /// The provider's version, as `--version` prints it.
    pub version: String,
}

impl fmt::Display for PluginBinary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// One served type: its schema and the handler that answers its RPCs.
pub(crate) struct TypeEntry<H: ?Sized> {
    pub schema: Schema,
    pub handler: Box<H>,
}

/// A provider with its resources, data sources and list resources: what the plugin
/// serves.
pub struct Plugin {
    /// The provider's name, the prefix of every type name (`example` in
    /// `example_thing`).
    pub(crate) name: &'static str,
    pub(crate) binary: Arc<PluginBinary>,
    pub(crate) schema: Schema,
    pub(crate) meta_schema: Schema,
    pub(crate) provider: Box<dyn ProviderHandler>,
    /// Resource types by full name.
    pub(crate) resources: BTreeMap<String, TypeEntry<dyn ResourceHandler>>,
    /// Data source types by full name.
    pub(crate) data_sources: BTreeMap<String, TypeEntry<dyn DataSourceHandler>>,
    /// List resource types by full name, each named after the resource type it lists.
    pub(crate) list_resources: BTreeMap<String, TypeEntry<dyn ListResourceHandler>>,
    /// Errors found while building the schemas, reported with the schema.
    pub(crate) schema_diags: Diagnostics,
}

impl Plugin {
    /// A plugin serving `provider` under `name`, as binary `terraform-provider-<name>`
    /// at `version`: every message the plugin writes names the binary so.
    pub fn new<P: Provider>(name: &'static str, version: &str, provider: P) -> Self {
        let binary = Arc::new(PluginBinary {
            name: format!("terraform-provider-{name}"),
            version: version.to_string(),
        });
        let mut schema_diags = Diagnostics::default();
        let schema = provider
            .schema(&mut schema_diags)
            .unwrap_or_else(empty_schema);
        let meta_schema = provider
            .meta_schema(&mut schema_diags)
            .unwrap_or_else(empty_schema);
        let provider = ServedType::new(provider, "provider".to_string(), 0, binary.clone());
        Self {
            name,
            binary,
            schema,
            meta_schema,
            provider: Box::new(provider),
            resources: BTreeMap::new(),
            data_sources: BTreeMap::new(),
            list_resources: BTreeMap::new(),
            schema_diags,
        }
    }

    /// Adds resource type `<name>_<suffix>`.
    pub fn resource<R: Resource + ResourceExt + 'static>(mut self, suffix: &str, r: R) -> Self {
        let type_name = format!("{}_{suffix}", self.name);
        if let Some(schema) = Resource::schema(&r, &mut self.schema_diags) {
            let served = self.serve_as(r, &type_name, &schema);
            let handler: Box<dyn ResourceHandler> = Box::new(served);
            self.resources
                .insert(type_name, TypeEntry { schema, handler });
        }
        self
    }

    /// Adds list resource type `<name>_<suffix>`, which lists resource type
    /// `<name>_<suffix>` (registered first: Terraform needs its identity).
    pub fn list_resource<L: ListResource>(mut self, suffix: &str, l: L) -> Self {
        let type_name = format!("{}_{suffix}", self.name);
        let schema = l.schema();
        let served = self.serve_as(l, &type_name, &schema);
        let handler: Box<dyn ListResourceHandler> = Box::new(served);
        self.list_resources
            .insert(type_name, TypeEntry { schema, handler });
        self
    }

    /// Adds data source type `<name>_<suffix>`.
    pub fn data_source<D: DataSource + 'static>(mut self, suffix: &str, d: D) -> Self {
        let type_name = format!("{}_{suffix}", self.name);
        if let Some(schema) = DataSource::schema(&d, &mut self.schema_diags) {
            let served = self.serve_as(d, &type_name, &schema);
            let handler: Box<dyn DataSourceHandler> = Box::new(served);
            self.data_sources
                .insert(type_name, TypeEntry { schema, handler });
        }
        self
    }

    fn serve_as<T>(&self, implementation: T, type_name: &str, schema: &Schema) -> ServedType<T> {
        ServedType::new(
            implementation,
            type_name.to_string(),
            schema.version,
            self.binary.clone(),
        )
    }
}

fn empty_schema() -> Schema {
    Schema {
        version: 0,
        block: Default::default(),
    }
}
