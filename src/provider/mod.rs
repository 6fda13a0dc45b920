//! The `devin` provider: its block's schema, how its settings resolve, the words of its
//! problems, and the API handle it shares with the resources.
//!
//! - [`schema`]: the block and the struct it decodes into;
//! - [`settings`]: arguments, environment and defaults settled into [`Settings`];
//! - [`checks`]: one check per argument;
//! - [`problems`]: every message the settings and configure give;
//! - [`handle`]: the [`ApiHandle`] that configure fills in.

pub mod checks;
pub mod handle;
pub mod problems;
pub mod schema;
pub mod settings;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{Diagnostics, Provider};
use tokio_util::sync::CancellationToken;

pub use handle::{ApiHandle, NotReady};
pub use schema::{provider_schema, ProviderConfig};
pub use settings::{resolve, Origin, Resolved, Settings};

use crate::api::{Client, ClientConfig, RetryPolicy};
use handle::Connection;

/// The `devin` provider.
pub struct DevinProvider {
    api: Arc<ApiHandle>,
}

impl DevinProvider {
    /// A provider whose API requests end when `cancel` is cancelled.
    pub fn new(cancel: CancellationToken) -> Self {
        Self {
            api: Arc::new(ApiHandle::new(cancel)),
        }
    }

    /// The handle its resources and data sources reach the API through.
    pub fn api(&self) -> Arc<ApiHandle> {
        self.api.clone()
    }
}

#[async_trait]
impl Provider for DevinProvider {
    type Config<'a> = ProviderConfig<'a>;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(provider_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        problems::report(diags, checks::check_config(&config));
        Some(())
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: Self::Config<'a>,
    ) -> Option<()> {
        let settings = match resolve(&config, |name| std::env::var(name).ok()) {
            Resolved::Unknown => {
                log::debug!("provider configuration is unknown until apply");
                self.api.set(Connection::Pending);
                return Some(());
            }
            Resolved::Invalid(found) => {
                problems::report(diags, found);
                return Some(());
            }
            Resolved::Ready(settings) => settings,
        };
        crate::logging::redact(settings.api_key.expose());
        log::debug!(
            "configured for {} API {}{} (key from {}, timeout {:?}, max_retries {})",
            settings.url,
            settings.version,
            settings
                .org_id
                .as_deref()
                .map_or_else(String::new, |org| format!(", organization {org}")),
            settings.key_origin.name(),
            settings.request_timeout,
            settings.max_retries
        );
        let key_origin = settings.key_origin;
        let client_config = ClientConfig {
            base_url: settings.url,
            api_key: settings.api_key,
            request_timeout: settings.request_timeout,
            retry: RetryPolicy {
                max_retries: settings.max_retries,
                ..RetryPolicy::default()
            },
            user_agent: user_agent(&terraform_version),
            version: settings.version,
            org_id: settings.org_id,
        };
        let client = match Client::new(client_config, self.api.cancel()) {
            Ok(client) => client,
            Err(reason) => {
                problems::report_client_setup(diags, reason);
                return Some(());
            }
        };
        // One error at configure for a wrong key or an unreachable API: the list's first
        // GET, which the reads that follow go on from (see api/listing.rs).
        match client.check_access().await {
            Ok(seen) => {
                log::debug!("the API answered the first list request with {seen} secrets");
                self.api.set(Connection::Ready(client));
            }
            Err(e) => {
                self.api.set(Connection::Failed);
                problems::report_check(diags, &e, key_origin);
            }
        }
        Some(())
    }
}

/// `terraform-provider-devin/<version> Terraform/<version>`.
pub fn user_agent(terraform_version: &str) -> String {
    let tf = if terraform_version.is_empty() {
        "unknown"
    } else {
        terraform_version
    };
    format!(
        "terraform-provider-devin/{} Terraform/{tf}",
        env!("CARGO_PKG_VERSION")
    )
}
