//! The typed adapters between tfplugin6's encoded values and tf-provider's authoring
//! model: each type registered on a [`Plugin`](crate::Plugin) is wrapped in a
//! [`ServedType`], which decodes what Terraform sends into the type's `State`s, calls
//! the implementation and encodes what it returns. The handler traits erase the types,
//! so the service holds every type of a kind in one map.

mod codec;
mod data_source;
mod list_resource;
mod provider;
mod resource;

use std::sync::Arc;

use tf_provider::Diagnostics;

use crate::plugin::PluginBinary;
use codec::ValueCodec;
pub use data_source::DataSourceHandler;
pub use list_resource::ListResourceHandler;
pub use provider::ProviderHandler;
pub use resource::ResourceHandler;

/// A provider, resource, data source or list resource implementation, with the name
/// and schema version it is served under.
pub struct ServedType<T> {
    implementation: T,
    schema_version: i64,
    codec: ValueCodec,
}

impl<T> ServedType<T> {
    /// Serves `implementation` as `type_name` at `schema_version`, in a plugin that
    /// messages call `binary`.
    pub fn new(
        implementation: T,
        type_name: String,
        schema_version: i64,
        binary: Arc<PluginBinary>,
    ) -> Self {
        Self {
            implementation,
            schema_version,
            codec: ValueCodec { type_name, binary },
        }
    }

    /// Reports an implementation that returned nothing and no error either.
    fn no_result(&self, diags: &mut Diagnostics, action: &str) {
        if diags.errors.is_empty() {
            crate::diagnostics::error(
                diags,
                format!("Internal error: could not {action}"),
                format!(
                    "{} returned no result and gave no reason. This is a bug; please report it.",
                    self.codec.binary.name
                ),
                None,
            );
        }
    }
}
