//! The Devin provider for Terraform and OpenTofu: the secrets of a Devin organization as
//! resource `devin_secret`, data sources `devin_secret` and `devin_secrets`, and list
//! resource `devin_secret` for `terraform query`.
//!
//! The crate's map, in the order data flows (HCL → CLI → plugin → resource → API):
//!
//! - [`plugin`] registers the provider and the secret's types on a [`tfplugin::Plugin`];
//!   `main.rs` serves it. The plugin protocol itself (gRPC, msgpack, TLS) lives in the
//!   `tfplugin` crate, which knows nothing of Devin.
//! - [`provider`]: the `provider "devin"` block: its schema, how its settings resolve
//!   (arguments, environment, defaults, the API version a key implies), the words of its
//!   problems, and the [`provider::ApiHandle`] that resources share once Terraform
//!   configures it.
//! - [`secret`]: the secret domain: state types and defaults, schema, argument checks,
//!   plan rules, the mapping from API metadata, the resource's CRUD, import and upgrades,
//!   one lookup shared by the import, the data sources and the list resource, and the
//!   words of every message about a secret.
//! - [`api`]: the Devin API client (v1 and v3), which knows nothing of Terraform:
//!   operations, sending and its retry decision, POST reconciliation, one file per
//!   version, the shared list, typed errors, redaction.
//! - [`diagnostics`]: the one [`diagnostics::Action`] type naming what failed, and API
//!   errors as diagnostics a person can act on.
//! - [`logging`]: hclog JSON lines on stderr, with the API key scrubbed.

pub mod api;
pub mod diagnostics;
pub mod logging;
pub mod provider;
pub mod secret;

use tokio_util::sync::CancellationToken;

/// The provider's name: the prefix of every type name (`devin_secret`).
pub const NAME: &str = "devin";

/// The plugin with every type this provider serves. `cancel` ends in-flight API requests
/// and backoff waits: the CLI's StopProvider and an interrupt cancel it.
pub fn plugin(cancel: CancellationToken) -> tfplugin::Plugin {
    let provider = provider::DevinProvider::new(cancel);
    let api = provider.api();
    tfplugin::Plugin::new(NAME, env!("CARGO_PKG_VERSION"), provider)
        .resource("secret", secret::SecretResource::new(api.clone()))
        .data_source("secret", secret::SecretDataSource::new(api.clone()))
        .data_source("secrets", secret::SecretsDataSource::new(api.clone()))
        .list_resource("secret", secret::SecretList::new(api))
}
