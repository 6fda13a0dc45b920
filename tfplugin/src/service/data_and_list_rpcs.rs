//! The RPCs about data source and list resource types.

use tf_provider::Diagnostics;

use super::{one_event, unknown_type, Events};
use crate::bindings as pb;
use crate::plugin::Plugin;
use crate::wire::diagnostics;

/// ValidateDataResourceConfig.
pub async fn validate_data_source(
    plugin: &Plugin,
    r: pb::validate_data_resource_config::Request,
) -> pb::validate_data_resource_config::Response {
    let Some(ds) = plugin.data_sources.get(&r.type_name) else {
        return pb::validate_data_resource_config::Response {
            diagnostics: unknown_type(plugin, "data source", &r.type_name),
        };
    };
    let mut diags = Diagnostics::default();
    ds.handler.validate(&mut diags, r.config.as_ref()).await;
    pb::validate_data_resource_config::Response {
        diagnostics: diagnostics(diags),
    }
}

/// ReadDataSource.
pub async fn read_data_source(
    plugin: &Plugin,
    r: pb::read_data_source::Request,
) -> pb::read_data_source::Response {
    let Some(ds) = plugin.data_sources.get(&r.type_name) else {
        return pb::read_data_source::Response {
            diagnostics: unknown_type(plugin, "data source", &r.type_name),
            ..Default::default()
        };
    };
    let mut diags = Diagnostics::default();
    let state = (ds.handler)
        .read(&mut diags, r.config.as_ref(), r.provider_meta.as_ref())
        .await;
    pb::read_data_source::Response {
        state,
        diagnostics: diagnostics(diags),
        deferred: None,
    }
}

/// ValidateListResourceConfig: checks a `list` block's `config`.
pub async fn validate_list(
    plugin: &Plugin,
    r: pb::validate_list_resource_config::Request,
) -> pb::validate_list_resource_config::Response {
    let Some(list) = plugin.list_resources.get(&r.type_name) else {
        return pb::validate_list_resource_config::Response {
            diagnostics: unknown_type(plugin, "list resource", &r.type_name),
        };
    };
    let mut diags = Diagnostics::default();
    list.handler.validate(&mut diags, r.config.as_ref()).await;
    pb::validate_list_resource_config::Response {
        diagnostics: diagnostics(diags),
    }
}

/// ListResource: the objects found, one event each, after the diagnostics.
pub async fn list(
    plugin: &Plugin,
    r: pb::list_resource::Request,
) -> Events<pb::list_resource::Event> {
    let Some(list) = plugin.list_resources.get(&r.type_name) else {
        return one_event(pb::list_resource::Event {
            diagnostic: unknown_type(plugin, "list resource", &r.type_name),
            ..Default::default()
        });
    };
    let mut diags = Diagnostics::default();
    let config = r.config.as_ref();
    let events = (list.handler)
        .list(&mut diags, config, r.include_resource_object, r.limit)
        .await;
    // Diagnostics travel on an event of their own, first: an error ends the stream for
    // the CLI, a warning on an event without identity is skipped.
    let diagnostics = diagnostics(diags);
    let lead = (!diagnostics.is_empty()).then(|| pb::list_resource::Event {
        diagnostic: diagnostics,
        ..Default::default()
    });
    Box::pin(futures::stream::iter(
        lead.into_iter().chain(events).map(Ok),
    ))
}
