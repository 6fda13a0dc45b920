//! What a resource implements beyond tf-provider's [`Resource`]: the protocol features
//! that crate predates.

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tf_provider::schema::AttributeType;
use tf_provider::{Diagnostics, Resource};

/// What the CLI said it can handle, from a request's client capabilities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientSupport {
    /// Write-only attributes (Terraform 1.11+). OpenTofu 1.6 sends no capabilities at
    /// all, which reads as `false`.
    pub write_only: bool,
}

/// One attribute of a resource identity.
pub struct IdentityAttribute {
    /// Its name.
    pub name: &'static str,
    /// Its type.
    pub attr_type: AttributeType,
    /// Whether an `import` block's `identity` must give it; otherwise the provider can
    /// fill it in.
    pub required_for_import: bool,
    /// Markdown.
    pub description: &'static str,
}

/// A resource type's identity (Terraform 1.12+): the values that name one object for
/// good, stored beside its state and accepted by `import { identity = { … } }`.
pub struct IdentitySchema {
    /// Bumped with every change of the attributes.
    pub version: i64,
    /// The attributes.
    pub attributes: Vec<IdentityAttribute>,
}

/// What a resource adds to tf-provider's [`Resource`] for the protocol features that
/// crate predates (it stops at protocol 6.5): state upgrades it cannot be asked for
/// from outside, write-only attributes (6.8) and identity (6.9), and the prior private
/// state of a create's plan.
#[async_trait]
pub trait ResourceExt: Resource {
    /// The identity's data, encoded as an object of [`ResourceExt::identity_schema`]'s
    /// attributes.
    type Identity: Serialize + DeserializeOwned + Send + Sync;

    /// `prior` is the state as Terraform stored it (JSON), recorded at schema `version`,
    /// which differs from the current one. `None` with an error in `diags` when it cannot
    /// be brought up; the error must never quote the state, which may hold a value.
    fn upgrade_state(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        prior: serde_json::Value,
    ) -> Option<Self::State<'static>>;

    /// The attributes Terraform must never store (in plans or state): the provider
    /// sees them in configuration only.
    fn write_only_attributes(&self) -> &'static [&'static str];

    /// Refuses, in `diags`, a configuration that needs what the CLI cannot do. Called at
    /// validate and at plan.
    fn check_client(
        &self,
        diags: &mut Diagnostics,
        config: &Self::State<'_>,
        support: ClientSupport,
    );

    /// The identity's attributes.
    fn identity_schema(&self) -> IdentitySchema;

    /// The identity of the object a state describes; `None` while it has no id.
    fn identity(&self, state: &Self::State<'_>) -> Option<Self::Identity>;

    /// The import id an identity stands for, as `terraform import` would take it;
    /// `None` with an error in `diags` when it names nothing this provider can import.
    fn import_id(&self, diags: &mut Diagnostics, identity: Self::Identity) -> Option<String>;

    /// The plan of a create (a null prior state), with the prior private state that
    /// [`Resource::plan_create`] does not get: empty for a new object, but when Terraform
    /// replaces an object it plans the create a second time and passes the private state
    /// the change's plan returned, by which a resource can tell that create from a new
    /// one. By default, [`Resource::plan_create`].
    async fn plan_create_with_private<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _prior_private_state: Self::PrivateState<'a>,
        provider_meta_state: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        self.plan_create(diags, proposed_state, config_state, provider_meta_state)
            .await
    }
}
