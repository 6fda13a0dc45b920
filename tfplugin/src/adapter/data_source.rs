//! The data source adapter.

use async_trait::async_trait;
use tf_provider::{DataSource, Diagnostics};

use super::ServedType;
use crate::bindings as pb;

/// A data source type, with its types erased.
#[async_trait]
pub trait DataSourceHandler: Send + Sync {
    /// Checks a configuration.
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>);
    /// Reads the data.
    async fn read(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        meta: Option<&pb::DynamicValue>,
    ) -> Option<pb::DynamicValue>;
}

#[async_trait]
impl<D: DataSource> DataSourceHandler for ServedType<D> {
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>) {
        if let Some(config) = self.codec.decode(diags, "configuration", config) {
            if DataSource::validate(&self.implementation, diags, config)
                .await
                .is_none()
            {
                self.no_result(diags, "validate the configuration");
            }
        }
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        meta: Option<&pb::DynamicValue>,
    ) -> Option<pb::DynamicValue> {
        let config = self.codec.decode(diags, "configuration", config)?;
        let meta = self.codec.decode(diags, "provider_meta", meta)?;
        let Some(state) = DataSource::read(&self.implementation, diags, config, meta).await else {
            self.no_result(diags, "read the data source");
            return None;
        };
        self.codec.encode(diags, "data source state", &state)
    }
}
