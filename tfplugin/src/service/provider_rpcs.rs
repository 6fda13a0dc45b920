//! The RPCs about the plugin as a whole: metadata, schemas, the provider block.

use tf_provider::Diagnostics;

use super::capabilities;
use crate::bindings as pb;
use crate::plugin::Plugin;
use crate::schema;
use crate::wire::diagnostics;

/// The full schema, as GetProviderSchema answers it.
pub fn provider_schema(plugin: &Plugin) -> pb::get_provider_schema::Response {
    pb::get_provider_schema::Response {
        provider: Some(schema::schema(&plugin.schema)),
        provider_meta: Some(schema::schema(&plugin.meta_schema)),
        resource_schemas: (plugin.resources.iter())
            .map(|(n, r)| {
                let write_only = r.handler.write_only_attributes();
                (n.clone(), schema::with_write_only(&r.schema, write_only))
            })
            .collect(),
        list_resource_schemas: (plugin.list_resources.iter())
            .map(|(n, l)| (n.clone(), schema::schema(&l.schema)))
            .collect(),
        data_source_schemas: (plugin.data_sources.iter())
            .map(|(n, d)| (n.clone(), schema::schema(&d.schema)))
            .collect(),
        diagnostics: diagnostics(plugin.schema_diags.clone()),
        server_capabilities: Some(capabilities()),
        ..Default::default()
    }
}

/// Every type served, by name.
pub fn metadata(plugin: &Plugin) -> pb::get_metadata::Response {
    use pb::get_metadata::{DataSourceMetadata, ListResourceMetadata, ResourceMetadata};
    pb::get_metadata::Response {
        server_capabilities: Some(capabilities()),
        diagnostics: diagnostics(plugin.schema_diags.clone()),
        resources: (plugin.resources.keys())
            .map(|n| ResourceMetadata {
                type_name: n.clone(),
            })
            .collect(),
        data_sources: (plugin.data_sources.keys())
            .map(|n| DataSourceMetadata {
                type_name: n.clone(),
            })
            .collect(),
        list_resources: (plugin.list_resources.keys())
            .map(|n| ListResourceMetadata {
                type_name: n.clone(),
            })
            .collect(),
        ..Default::default()
    }
}

/// Every resource type's identity schema.
pub fn identity_schemas(plugin: &Plugin) -> pb::get_resource_identity_schemas::Response {
    pb::get_resource_identity_schemas::Response {
        identity_schemas: (plugin.resources.iter())
            .map(|(n, r)| (n.clone(), schema::identity(&r.handler.identity_schema())))
            .collect(),
        diagnostics: Vec::new(),
    }
}

/// ValidateProviderConfig: checks the provider block.
pub async fn validate_provider_config(
    plugin: &Plugin,
    r: pb::validate_provider_config::Request,
) -> pb::validate_provider_config::Response {
    let mut diags = Diagnostics::default();
    plugin
        .provider
        .validate(&mut diags, r.config.as_ref())
        .await;
    pb::validate_provider_config::Response {
        diagnostics: diagnostics(diags),
    }
}

/// ConfigureProvider: configures the provider with its block.
pub async fn configure_provider(
    plugin: &Plugin,
    r: pb::configure_provider::Request,
) -> pb::configure_provider::Response {
    let mut diags = Diagnostics::default();
    (plugin.provider)
        .configure(&mut diags, r.terraform_version, r.config.as_ref())
        .await;
    pb::configure_provider::Response {
        diagnostics: diagnostics(diags),
    }
}
