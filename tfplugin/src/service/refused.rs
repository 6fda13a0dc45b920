//! The answers to the RPCs the framework does not implement: moves across resource
//! types, generated configuration, ephemeral resources, state stores, actions and
//! provider functions. Each says so in a diagnostic rather than failing the call.

use super::{one_event, Events};
use crate::bindings as pb;
use crate::plugin::PluginBinary;

/// The diagnostic for an RPC this plugin does not implement.
fn not_supported(binary: &PluginBinary, rpc: &str, what: &str) -> Vec<pb::Diagnostic> {
    crate::wire::error(
        format!("{rpc} is not supported by this provider"),
        format!("{binary} offers no {what}."),
    )
}

const EPHEMERAL: &str = "ephemeral resources";
const STATE_STORES: &str = "state stores";
const ACTIONS: &str = "actions";

/// MoveResourceState's refusal.
pub fn move_resource_state(binary: &PluginBinary) -> pb::move_resource_state::Response {
    pb::move_resource_state::Response {
        diagnostics: not_supported(
            binary,
            "MoveResourceState",
            "moves from other resource types (`moved` blocks across types)",
        ),
        ..Default::default()
    }
}

/// GenerateResourceConfig's refusal.
pub fn generate_resource_config(binary: &PluginBinary) -> pb::generate_resource_config::Response {
    pb::generate_resource_config::Response {
        diagnostics: not_supported(
            binary,
            "GenerateResourceConfig",
            "provider-generated configuration (Terraform writes it from the schema)",
        ),
        ..Default::default()
    }
}

/// ValidateEphemeralResourceConfig's refusal.
pub fn validate_ephemeral_resource_config(
    binary: &PluginBinary,
) -> pb::validate_ephemeral_resource_config::Response {
    pb::validate_ephemeral_resource_config::Response {
        diagnostics: not_supported(binary, "ValidateEphemeralResourceConfig", EPHEMERAL),
    }
}

/// OpenEphemeralResource's refusal.
pub fn open_ephemeral_resource(binary: &PluginBinary) -> pb::open_ephemeral_resource::Response {
    pb::open_ephemeral_resource::Response {
        diagnostics: not_supported(binary, "OpenEphemeralResource", EPHEMERAL),
        ..Default::default()
    }
}

/// RenewEphemeralResource's refusal.
pub fn renew_ephemeral_resource(binary: &PluginBinary) -> pb::renew_ephemeral_resource::Response {
    pb::renew_ephemeral_resource::Response {
        diagnostics: not_supported(binary, "RenewEphemeralResource", EPHEMERAL),
        ..Default::default()
    }
}

/// CloseEphemeralResource's refusal.
pub fn close_ephemeral_resource(binary: &PluginBinary) -> pb::close_ephemeral_resource::Response {
    pb::close_ephemeral_resource::Response {
        diagnostics: not_supported(binary, "CloseEphemeralResource", EPHEMERAL),
    }
}

/// ValidateStateStoreConfig's refusal.
pub fn validate_state_store(binary: &PluginBinary) -> pb::validate_state_store::Response {
    pb::validate_state_store::Response {
        diagnostics: not_supported(binary, "ValidateStateStoreConfig", STATE_STORES),
    }
}

/// ConfigureStateStore's refusal.
pub fn configure_state_store(binary: &PluginBinary) -> pb::configure_state_store::Response {
    pb::configure_state_store::Response {
        diagnostics: not_supported(binary, "ConfigureStateStore", STATE_STORES),
        capabilities: None,
    }
}

/// ReadStateBytes's refusal.
pub fn read_state_bytes(binary: &PluginBinary) -> Events<pb::read_state_bytes::Response> {
    one_event(pb::read_state_bytes::Response {
        diagnostics: not_supported(binary, "ReadStateBytes", STATE_STORES),
        ..Default::default()
    })
}

/// WriteStateBytes's refusal.
pub fn write_state_bytes(binary: &PluginBinary) -> pb::write_state_bytes::Response {
    pb::write_state_bytes::Response {
        diagnostics: not_supported(binary, "WriteStateBytes", STATE_STORES),
    }
}

/// LockState's refusal.
pub fn lock_state(binary: &PluginBinary) -> pb::lock_state::Response {
    pb::lock_state::Response {
        diagnostics: not_supported(binary, "LockState", STATE_STORES),
        ..Default::default()
    }
}

/// UnlockState's refusal.
pub fn unlock_state(binary: &PluginBinary) -> pb::unlock_state::Response {
    pb::unlock_state::Response {
        diagnostics: not_supported(binary, "UnlockState", STATE_STORES),
    }
}

/// GetStates's refusal.
pub fn get_states(binary: &PluginBinary) -> pb::get_states::Response {
    pb::get_states::Response {
        diagnostics: not_supported(binary, "GetStates", STATE_STORES),
        ..Default::default()
    }
}

/// DeleteState's refusal.
pub fn delete_state(binary: &PluginBinary) -> pb::delete_state::Response {
    pb::delete_state::Response {
        diagnostics: not_supported(binary, "DeleteState", STATE_STORES),
    }
}

/// PlanAction's refusal.
pub fn plan_action(binary: &PluginBinary) -> pb::plan_action::Response {
    pb::plan_action::Response {
        diagnostics: not_supported(binary, "PlanAction", ACTIONS),
        deferred: None,
    }
}

/// InvokeAction's refusal.
pub fn invoke_action(binary: &PluginBinary) -> Events<pb::invoke_action::Event> {
    use pb::invoke_action::event::{Completed, Type};
    one_event(pb::invoke_action::Event {
        r#type: Some(Type::Completed(Completed {
            diagnostics: not_supported(binary, "InvokeAction", ACTIONS),
        })),
    })
}

/// ValidateActionConfig's refusal.
pub fn validate_action_config(binary: &PluginBinary) -> pb::validate_action_config::Response {
    pb::validate_action_config::Response {
        diagnostics: not_supported(binary, "ValidateActionConfig", ACTIONS),
    }
}

/// There are no functions: the list is empty.
pub fn get_functions() -> pb::get_functions::Response {
    pb::get_functions::Response::default()
}

/// There are no functions to call.
pub fn call_function(binary: &PluginBinary, name: &str) -> pb::call_function::Response {
    pb::call_function::Response {
        result: None,
        error: Some(pb::FunctionError {
            text: format!(
                "{} has no function `{name}`: it offers no provider functions",
                binary.name
            ),
            function_argument: None,
        }),
    }
}
