//! The handle resources reach the API through. Terraform builds resources before it
//! configures the provider, so they share this handle, which configure fills in.

use std::sync::RwLock;

use tf_provider::Diagnostics;
use tokio_util::sync::CancellationToken;

use super::problems::{self, Unreachable};
use crate::api::Client;
use crate::diagnostics::Action;

/// What resources use to reach the API: empty until Terraform configures the provider.
#[derive(Default)]
pub struct ApiHandle {
    state: RwLock<Connection>,
    cancel: CancellationToken,
}

/// What configure left in the handle.
#[derive(Default)]
pub(super) enum Connection {
    #[default]
    Unconfigured,
    /// The configuration depends on values known only at apply time.
    Pending,
    Ready(Client),
    /// Configure reported why the API cannot be used (a wrong key, an outage): resources
    /// must not each report it again.
    Failed,
}

/// Why a resource cannot reach the API yet.
pub enum NotReady {
    /// Configure has not run (the command needs no provider configuration).
    Unconfigured,
    /// The configuration holds values that are unknown until apply.
    Pending,
}

impl ApiHandle {
    /// A handle whose requests end when `cancel` is cancelled.
    pub fn new(cancel: CancellationToken) -> Self {
        Self {
            state: RwLock::default(),
            cancel,
        }
    }

    /// The client, once configured.
    pub fn client(&self) -> Result<Client, NotReady> {
        match &*self.state.read().unwrap_or_else(|e| e.into_inner()) {
            Connection::Ready(client) => Ok(client.clone()),
            Connection::Pending => Err(NotReady::Pending),
            // Terraform stops at configure's error and calls no resource after it; were
            // one called anyway, it has no client, as when configure never ran.
            Connection::Unconfigured | Connection::Failed => Err(NotReady::Unconfigured),
        }
    }

    fn failed(&self) -> bool {
        matches!(
            *self.state.read().unwrap_or_else(|e| e.into_inner()),
            Connection::Failed
        )
    }

    /// Like [`ApiHandle::client`], reporting why not in `diags`.
    pub fn client_or_diag(&self, diags: &mut Diagnostics, action: &Action) -> Option<Client> {
        let why = match self.client() {
            Ok(client) => return Some(client),
            Err(NotReady::Pending) => Unreachable::Pending,
            // Configure's error already says why, once for every resource.
            Err(NotReady::Unconfigured) if self.failed() => Unreachable::ConfigureFailed,
            Err(NotReady::Unconfigured) => Unreachable::Unconfigured,
        };
        problems::report_unreachable(diags, action, why);
        None
    }

    /// What requests watch to end early.
    pub(super) fn cancel(&self) -> CancellationToken {
        self.cancel.clone()
    }

    pub(super) fn set(&self, connection: Connection) {
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = connection;
    }
}
