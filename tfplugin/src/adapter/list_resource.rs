//! The list resource adapter (`terraform query`).

use async_trait::async_trait;
use tf_provider::Diagnostics;

use super::ServedType;
use crate::bindings as pb;
use crate::list::{ListResource, Listed};

/// A list resource type, with its types erased.
#[async_trait]
pub trait ListResourceHandler: Send + Sync {
    /// Checks a `list` block's `config`.
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>);
    /// The objects that exist, one event each, at most `limit`.
    async fn list(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        include_object: bool,
        limit: i64,
    ) -> Vec<pb::list_resource::Event>;
}

/// A list resource's schema is its `config` block's, but the CLI resolves attribute paths
/// against the whole `list` block: a path into the config goes under `config`.
fn under_config(diags: &mut Diagnostics, from_errors: usize, from_warnings: usize) {
    use tf_provider::AttributePathStep;
    let all = (diags.errors.iter_mut().skip(from_errors))
        .chain(diags.warnings.iter_mut().skip(from_warnings));
    for d in all {
        if !d.attribute.steps.is_empty() {
            d.attribute
                .steps
                .insert(0, AttributePathStep::Attribute("config".into()));
        }
    }
}

#[async_trait]
impl<L: ListResource> ListResourceHandler for ServedType<L> {
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>) {
        let (errors, warnings) = (diags.errors.len(), diags.warnings.len());
        if let Some(config) = self.codec.decode(diags, "list configuration", config) {
            self.implementation.validate(diags, config).await;
        }
        under_config(diags, errors, warnings);
    }

    async fn list(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        include_object: bool,
        limit: i64,
    ) -> Vec<pb::list_resource::Event> {
        let Some(config) = self.codec.decode(diags, "list configuration", config) else {
            return Vec::new();
        };
        let limit = usize::try_from(limit).unwrap_or(0);
        let (errors, warnings) = (diags.errors.len(), diags.warnings.len());
        let listed = (self.implementation)
            .list(diags, config, include_object, limit)
            .await;
        under_config(diags, errors, warnings);
        let mut events = Vec::with_capacity(listed.len());
        for Listed {
            identity,
            display_name,
            object,
        } in listed.into_iter().take(limit)
        {
            let Some(identity) = self.codec.identity_data(diags, Some(identity)) else {
                break;
            };
            let resource_object = match object.filter(|_| include_object) {
                Some(o) => match self.codec.encode(diags, "listed object", &o) {
                    Some(encoded) => Some(encoded),
                    None => break,
                },
                None => None,
            };
            events.push(pb::list_resource::Event {
                identity: Some(identity),
                display_name,
                resource_object,
                diagnostic: Vec::new(),
            });
        }
        events
    }
}
