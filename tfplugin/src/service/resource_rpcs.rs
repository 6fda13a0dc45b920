//! The RPCs about resource types: validate, read, plan, apply, import and upgrades.

use tf_provider::Diagnostics;

use super::{support, unknown_type};
use crate::adapter::ResourceHandler;
use crate::bindings as pb;
use crate::plugin::{Plugin, TypeEntry};
use crate::wire::{attribute_path, diagnostics};

/// The resource type a request names, or the diagnostics that say there is none.
fn resource<'p>(
    plugin: &'p Plugin,
    type_name: &str,
) -> Result<&'p TypeEntry<dyn ResourceHandler>, Vec<pb::Diagnostic>> {
    (plugin.resources.get(type_name)).ok_or_else(|| unknown_type(plugin, "resource", type_name))
}

/// ValidateResourceConfig.
pub async fn validate(
    plugin: &Plugin,
    r: pb::validate_resource_config::Request,
) -> pb::validate_resource_config::Response {
    let res = match resource(plugin, &r.type_name) {
        Ok(res) => res,
        Err(diagnostics) => return pb::validate_resource_config::Response { diagnostics },
    };
    let mut diags = Diagnostics::default();
    let support = support(r.client_capabilities.as_ref());
    (res.handler)
        .validate(&mut diags, r.config.as_ref(), support)
        .await;
    pb::validate_resource_config::Response {
        diagnostics: diagnostics(diags),
    }
}

/// UpgradeResourceState: a stored state brought to the current schema.
pub async fn upgrade_state(
    plugin: &Plugin,
    r: pb::upgrade_resource_state::Request,
) -> pb::upgrade_resource_state::Response {
    let res = match resource(plugin, &r.type_name) {
        Ok(res) => res,
        Err(diagnostics) => {
            return pb::upgrade_resource_state::Response {
                diagnostics,
                ..Default::default()
            }
        }
    };
    let mut diags = Diagnostics::default();
    let json = r.raw_state.map(|s| s.json).unwrap_or_default();
    let upgraded_state = if json.is_empty() {
        crate::diagnostics::error(
            &mut diags,
            "Cannot read this state: it predates Terraform 0.12".into(),
            "The state stores this resource in the flatmap format of Terraform 0.11 and \
             earlier, which this provider never wrote. Remove it from state \
             (`terraform state rm`) and import it again."
                .into(),
            None,
        );
        None
    } else {
        res.handler.upgrade(&mut diags, r.version, &json).await
    };
    pb::upgrade_resource_state::Response {
        upgraded_state,
        diagnostics: diagnostics(diags),
    }
}

/// UpgradeResourceIdentity: a stored identity brought to the current version.
pub fn upgrade_identity(
    plugin: &Plugin,
    r: pb::upgrade_resource_identity::Request,
) -> pb::upgrade_resource_identity::Response {
    let res = match resource(plugin, &r.type_name) {
        Ok(res) => res,
        Err(diagnostics) => {
            return pb::upgrade_resource_identity::Response {
                diagnostics,
                ..Default::default()
            }
        }
    };
    let mut diags = Diagnostics::default();
    let json = r.raw_identity.map(|s| s.json).unwrap_or_default();
    let upgraded_identity = res.handler.upgrade_identity(&mut diags, r.version, &json);
    pb::upgrade_resource_identity::Response {
        upgraded_identity,
        diagnostics: diagnostics(diags),
    }
}

/// ReadResource: refreshes an object.
pub async fn read(plugin: &Plugin, r: pb::read_resource::Request) -> pb::read_resource::Response {
    let res = match resource(plugin, &r.type_name) {
        Ok(res) => res,
        Err(diagnostics) => {
            return pb::read_resource::Response {
                diagnostics,
                ..Default::default()
            }
        }
    };
    let mut diags = Diagnostics::default();
    let state = r.current_state.as_ref();
    let meta = r.provider_meta.as_ref();
    let read = res.handler.read(&mut diags, state, &r.private, meta).await;
    let (new_state, private, new_identity) = match read {
        Some(o) => (Some(o.state), o.private, o.identity),
        // Absent, not null: Terraform keeps the prior state when a read fails.
        None => (None, r.private, r.current_identity),
    };
    pb::read_resource::Response {
        new_state,
        private,
        diagnostics: diagnostics(diags),
        new_identity,
        ..Default::default()
    }
}

/// PlanResourceChange: plans a create, update or destroy.
pub async fn plan(
    plugin: &Plugin,
    r: pb::plan_resource_change::Request,
) -> pb::plan_resource_change::Response {
    let res = match resource(plugin, &r.type_name) {
        Ok(res) => res,
        Err(diagnostics) => {
            return pb::plan_resource_change::Response {
                diagnostics,
                ..Default::default()
            }
        }
    };
    let mut diags = Diagnostics::default();
    let planned = (res.handler)
        .plan(
            &mut diags,
            r.prior_state.as_ref(),
            r.proposed_new_state.as_ref(),
            r.config.as_ref(),
            &r.prior_private,
            r.provider_meta.as_ref(),
            support(r.client_capabilities.as_ref()),
        )
        .await;
    let mut response = pb::plan_resource_change::Response {
        diagnostics: diagnostics(diags),
        ..Default::default()
    };
    if let Some(p) = planned {
        response.planned_state = Some(p.state);
        response.planned_private = p.private;
        response.requires_replace = p.requires_replace.iter().map(attribute_path).collect();
        response.planned_identity = p.identity;
    }
    response
}

/// ApplyResourceChange: applies a plan.
pub async fn apply(
    plugin: &Plugin,
    r: pb::apply_resource_change::Request,
) -> pb::apply_resource_change::Response {
    let res = match resource(plugin, &r.type_name) {
        Ok(res) => res,
        Err(diagnostics) => {
            return pb::apply_resource_change::Response {
                diagnostics,
                ..Default::default()
            }
        }
    };
    let mut diags = Diagnostics::default();
    let applied = (res.handler)
        .apply(
            &mut diags,
            r.prior_state.as_ref(),
            r.planned_state.as_ref(),
            r.config.as_ref(),
            &r.planned_private,
            r.provider_meta.as_ref(),
        )
        .await;
    // On failure the new state is absent, not null: Terraform then keeps the prior
    // object in state (a null would tell it the object is gone).
    let (new_state, private, new_identity) = match applied {
        Some(o) => (Some(o.state), o.private, o.identity),
        None => (None, Vec::new(), None),
    };
    pb::apply_resource_change::Response {
        new_state,
        private,
        diagnostics: diagnostics(diags),
        new_identity,
        ..Default::default()
    }
}

/// ImportResourceState: reads an existing object by id or identity.
pub async fn import(
    plugin: &Plugin,
    r: pb::import_resource_state::Request,
) -> pb::import_resource_state::Response {
    let res = match resource(plugin, &r.type_name) {
        Ok(res) => res,
        Err(diagnostics) => {
            return pb::import_resource_state::Response {
                diagnostics,
                ..Default::default()
            }
        }
    };
    let mut diags = Diagnostics::default();
    let identity = r.identity.as_ref();
    let imported = res.handler.import(&mut diags, r.id, identity).await;
    pb::import_resource_state::Response {
        imported_resources: imported
            .map(|o| pb::import_resource_state::ImportedResource {
                type_name: r.type_name.clone(),
                state: Some(o.state),
                private: o.private,
                identity: o.identity,
            })
            .into_iter()
            .collect(),
        diagnostics: diagnostics(diags),
        deferred: None,
    }
}
