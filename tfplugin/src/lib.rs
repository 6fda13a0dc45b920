//! Terraform's plugin protocol 6.10, served for a provider written on tf-provider's
//! traits: go-plugin's handshake, AutoMTLS with the client certificate required,
//! go-plugin's side services and every RPC of tfplugin6. It knows nothing of any one
//! provider: the binary's name and version that its messages quote come from
//! [`Plugin::new`].
//!
//! tf-provider's own `serve` stops at protocol 6.5, serves TLS without requiring the
//! client certificate, ignores `StopProvider`, and gives no hook on its sockets: hence
//! this crate. `README.md` shows a provider's `main`.
//!
//! The crate's map, in the order a request flows:
//!
//! - [`serve`] (`serve.rs`): the handshake line (`handshake.rs`), AutoMTLS (`tls.rs`),
//!   accepted connections (`connection.rs`), go-plugin's controller, stdio and broker
//!   (`go_plugin.rs`), and shutdown.
//! - `service/`: the tfplugin6 `Provider` service; `rpcs.rs` routes each RPC to the
//!   module that answers it (provider, resource, data source and list resource RPCs,
//!   and `refused.rs` for what the framework does not offer).
//! - [`Plugin`] (`plugin.rs`): the registry of the provider and its types.
//! - `adapter/`: each registered type behind a type-erased handler, with `codec.rs`
//!   turning msgpack and JSON into its typed states and back.
//! - `schema.rs` and `wire.rs`: tf-provider's schemas and diagnostics as tfplugin6
//!   carries them; `bindings.rs` names the generated protocol types.
//! - What a provider implements beyond tf-provider's traits: [`ResourceExt`] (identity,
//!   write-only attributes, state upgrades) and [`ListResource`]; [`builders`] and
//!   [`diagnostics`] keep schemas and messages short; [`Number`] is msgpack's number.

mod adapter;
mod bindings;
pub mod builders;
mod connection;
pub mod diagnostics;
mod go_plugin;
mod handshake;
mod list;
mod number;
mod plugin;
mod resource;
mod schema;
mod serve;
mod service;
mod tls;
mod wire;

pub use list::{ListResource, Listed};
pub use number::Number;
pub use plugin::Plugin;
pub use resource::{ClientSupport, IdentityAttribute, IdentitySchema, ResourceExt};
pub use serve::serve;
