//! Terraform resources, one file each.

use tf_provider::{Diagnostics, Resource};

pub mod secret;

/// What a resource adds to tf-provider's [`Resource`]: bringing a stored state from an
/// older schema version to the current one. (tf-provider's own `Resource::upgrade`
/// cannot be overridden outside the crate.)
pub trait StateUpgrade: Resource {
    /// `prior` is the state as Terraform stored it (JSON), recorded at schema `version`,
    /// which differs from the current one. `None` with an error in `diags` when it cannot
    /// be brought up; the error must never quote the state, which may hold a value.
    fn upgrade_state(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        prior: serde_json::Value,
    ) -> Option<Self::State<'static>>;
}
