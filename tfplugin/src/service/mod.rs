//! The tfplugin6 `Provider` service: every RPC of protocol 6.10 answered, the ones the
//! framework implements through the [`Plugin`], the others with a diagnostic that says
//! so.
//!
//! [`rpcs`] routes each RPC to the module that answers it: [`provider_rpcs`] (metadata,
//! schemas, the provider block, StopProvider), [`resource_rpcs`], [`data_and_list_rpcs`]
//! and [`refused`] (ephemeral resources, state stores, actions, functions, moves).

mod data_and_list_rpcs;
mod provider_rpcs;
mod refused;
mod resource_rpcs;
mod rpcs;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use futures::{FutureExt, Stream};
use tokio_util::sync::CancellationToken;
use tonic::{Response, Status};

use crate::bindings as pb;
use crate::plugin::Plugin;
use crate::resource::ClientSupport;

/// The provider service.
pub struct ProviderService {
    plugin: Arc<Plugin>,
    /// Cancelled by `StopProvider`: in-flight requests and backoff waits end.
    stop: CancellationToken,
    /// Built once: the CLI asks for it once per provider instance it starts.
    schema: pb::get_provider_schema::Response,
}

impl ProviderService {
    /// Serves `plugin`; `StopProvider` cancels `stop`.
    pub fn new(plugin: Arc<Plugin>, stop: CancellationToken) -> Self {
        let schema = provider_rpcs::provider_schema(&plugin);
        Self {
            plugin,
            stop,
            schema,
        }
    }

    /// Runs one RPC's work; a panic in it becomes an error status rather than a dead
    /// connection. The provider's panic hook logs where, never what.
    async fn guarded<T>(
        &self,
        rpc: &'static str,
        work: impl Future<Output = T>,
    ) -> Result<Response<T>, Status> {
        let started = Instant::now();
        let out = AssertUnwindSafe(work).catch_unwind().await;
        log::trace!("{rpc} answered in {:?}", started.elapsed());
        out.map(Response::new).map_err(|_| {
            Status::internal(format!(
                "{} failed while handling {rpc}: this is a bug, please report it with the \
                 provider's log (TF_LOG_PROVIDER=debug)",
                self.plugin.binary.name
            ))
        })
    }
}

/// What the provider can do beyond the basics, as the CLI is told.
fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        // PlanResourceChange is called for destroys, and plans them.
        plan_destroy: true,
        // GetMetadata lists every type, so the CLI may skip the schema when it has it.
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: false,
    }
}

/// What the CLI supports, from a request's capabilities (none sent: nothing).
fn support(caps: Option<&pb::ClientCapabilities>) -> ClientSupport {
    ClientSupport {
        write_only: caps.is_some_and(|c| c.write_only_attributes_allowed),
    }
}

/// The diagnostic for a request about a type this plugin does not serve.
fn unknown_type(plugin: &Plugin, kind: &str, name: &str) -> Vec<pb::Diagnostic> {
    crate::wire::error(
        format!("This provider has no {kind} type `{name}`"),
        format!(
            "{} has no {kind} named `{name}`. Check the type name and the provider version \
             your configuration requires.",
            plugin.binary
        ),
    )
}

/// A server stream of `T`.
type Events<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

fn one_event<T: Send + 'static>(event: T) -> Events<T> {
    Box::pin(futures::stream::iter([Ok(event)]))
}
