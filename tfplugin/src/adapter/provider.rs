//! The provider block's adapter.

use async_trait::async_trait;
use tf_provider::{Diagnostics, Provider};

use super::ServedType;
use crate::bindings as pb;

/// A provider, with its types erased.
#[async_trait]
pub trait ProviderHandler: Send + Sync {
    /// `validate` on the provider block.
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>);
    /// `configure` with the provider block.
    async fn configure(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: Option<&pb::DynamicValue>,
    );
}

#[async_trait]
impl<P: Provider> ProviderHandler for ServedType<P> {
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>) {
        if let Some(config) = self.codec.decode(diags, "provider configuration", config) {
            if Provider::validate(&self.implementation, diags, config)
                .await
                .is_none()
            {
                self.no_result(diags, "validate the provider configuration");
            }
        }
    }

    async fn configure(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: Option<&pb::DynamicValue>,
    ) {
        if let Some(config) = self.codec.decode(diags, "provider configuration", config) {
            if Provider::configure(&self.implementation, diags, terraform_version, config)
                .await
                .is_none()
            {
                self.no_result(diags, "configure the provider");
            }
        }
    }
}
