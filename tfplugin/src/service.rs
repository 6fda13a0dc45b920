//! The tfplugin6 `Provider` service: every RPC of protocol 6.10 answered, the ones this
//! provider implements through the [`Plugin`], the others with a diagnostic that says so.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use futures::{FutureExt, Stream};
use tf_provider::Diagnostics;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::adapter::{attribute_path, diagnostics, Plugin};
use super::bindings as pb;
use crate::resource::ClientSupport;

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

/// The provider service.
pub struct ProviderService {
    plugin: Arc<Plugin>,
    /// Cancelled by `StopProvider`: in-flight API requests and backoff waits end.
    stop: CancellationToken,
    /// Built once: the CLI asks for it once per provider instance it starts.
    schema: pb::get_provider_schema::Response,
}

impl ProviderService {
    /// Serves `plugin`; `StopProvider` cancels `stop`.
    pub fn new(plugin: Arc<Plugin>, stop: CancellationToken) -> Self {
        let schema = pb::get_provider_schema::Response {
            provider: Some(super::schema::schema(&plugin.schema)),
            provider_meta: Some(super::schema::schema(&plugin.meta_schema)),
            resource_schemas: plugin
                .resources
                .iter()
                .map(|(n, r)| {
                    (
                        n.clone(),
                        super::schema::with_write_only(&r.schema, r.imp.write_only_attributes()),
                    )
                })
                .collect(),
            list_resource_schemas: plugin
                .list_resources
                .iter()
                .map(|(n, l)| (n.clone(), super::schema::schema(&l.schema)))
                .collect(),
            data_source_schemas: plugin
                .data_sources
                .iter()
                .map(|(n, d)| (n.clone(), super::schema::schema(&d.schema)))
                .collect(),
            diagnostics: diagnostics(plugin.init_diags.clone()),
            server_capabilities: Some(capabilities()),
            ..Default::default()
        };
        Self {
            plugin,
            stop,
            schema,
        }
    }
}

/// Runs one RPC's work; a panic in it becomes an error status rather than a dead
/// connection. The panic hook (main.rs) logs where, never what.
async fn guarded<T>(
    rpc: &'static str,
    work: impl Future<Output = T>,
) -> Result<Response<T>, Status> {
    let started = Instant::now();
    let out = AssertUnwindSafe(work).catch_unwind().await;
    log::trace!("{rpc} answered in {:?}", started.elapsed());
    out.map(Response::new).map_err(|_| {
        Status::internal(format!(
            "terraform-provider-devin failed while handling {rpc}: this is a bug, please \
             report it with the provider's log (TF_LOG_PROVIDER=debug)"
        ))
    })
}

/// The diagnostic for an RPC this provider does not implement.
fn not_supported(rpc: &str, what: &str) -> Vec<pb::Diagnostic> {
    vec![pb::Diagnostic {
        severity: pb::diagnostic::Severity::Error as i32,
        summary: format!("{rpc} is not supported by this provider"),
        detail: format!(
            "terraform-provider-devin {} offers no {what}. It manages Devin secrets through \
             resources and data sources only.",
            env!("CARGO_PKG_VERSION")
        ),
        attribute: None,
    }]
}

fn unknown_type(kind: &str, name: &str) -> Vec<pb::Diagnostic> {
    vec![pb::Diagnostic {
        severity: pb::diagnostic::Severity::Error as i32,
        summary: format!("This provider has no {kind} type `{name}`"),
        detail: format!(
            "terraform-provider-devin {} has no {kind} named `{name}`. Check the type name \
             and the provider version your configuration requires.",
            env!("CARGO_PKG_VERSION")
        ),
        attribute: None,
    }]
}

type Events<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

fn one_event<T: Send + 'static>(event: T) -> Events<T> {
    Box::pin(futures::stream::iter([Ok(event)]))
}

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        use pb::get_metadata::{DataSourceMetadata, ListResourceMetadata, ResourceMetadata};
        guarded("GetMetadata", async {
            pb::get_metadata::Response {
                server_capabilities: Some(capabilities()),
                diagnostics: diagnostics(self.plugin.init_diags.clone()),
                resources: (self.plugin.resources.keys())
                    .map(|n| ResourceMetadata {
                        type_name: n.clone(),
                    })
                    .collect(),
                data_sources: (self.plugin.data_sources.keys())
                    .map(|n| DataSourceMetadata {
                        type_name: n.clone(),
                    })
                    .collect(),
                list_resources: (self.plugin.list_resources.keys())
                    .map(|n| ListResourceMetadata {
                        type_name: n.clone(),
                    })
                    .collect(),
                ..Default::default()
            }
        })
        .await
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        guarded("GetProviderSchema", async { self.schema.clone() }).await
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let r = request.into_inner();
        guarded("ValidateProviderConfig", async {
            let mut diags = Diagnostics::default();
            self.plugin
                .provider
                .validate(&mut diags, r.config.as_ref())
                .await;
            pb::validate_provider_config::Response {
                diagnostics: diagnostics(diags),
            }
        })
        .await
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let r = request.into_inner();
        guarded("ValidateResourceConfig", async {
            let Some(res) = self.plugin.resources.get(&r.type_name) else {
                return pb::validate_resource_config::Response {
                    diagnostics: unknown_type("resource", &r.type_name),
                };
            };
            let mut diags = Diagnostics::default();
            res.imp
                .validate(
                    &mut diags,
                    r.config.as_ref(),
                    support(r.client_capabilities.as_ref()),
                )
                .await;
            pb::validate_resource_config::Response {
                diagnostics: diagnostics(diags),
            }
        })
        .await
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let r = request.into_inner();
        guarded("ValidateDataResourceConfig", async {
            let Some(ds) = self.plugin.data_sources.get(&r.type_name) else {
                return pb::validate_data_resource_config::Response {
                    diagnostics: unknown_type("data source", &r.type_name),
                };
            };
            let mut diags = Diagnostics::default();
            ds.imp.validate(&mut diags, r.config.as_ref()).await;
            pb::validate_data_resource_config::Response {
                diagnostics: diagnostics(diags),
            }
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let r = request.into_inner();
        guarded("UpgradeResourceState", async {
            let Some(res) = self.plugin.resources.get(&r.type_name) else {
                return pb::upgrade_resource_state::Response {
                    diagnostics: unknown_type("resource", &r.type_name),
                    ..Default::default()
                };
            };
            let mut diags = Diagnostics::default();
            let json = r.raw_state.map(|s| s.json).unwrap_or_default();
            let upgraded_state = if json.is_empty() {
                crate::diagnostics::error(
                    &mut diags,
                    "Cannot read this state: it predates Terraform 0.12".into(),
                    "The state stores this resource in the flatmap format of Terraform 0.11 and \
                     earlier, which this provider never wrote. Remove it from state \
                     (`terraform state rm`) and import it again."
                        .into(),
                    None,
                );
                None
            } else {
                res.imp.upgrade(&mut diags, r.version, &json).await
            };
            pb::upgrade_resource_state::Response {
                upgraded_state,
                diagnostics: diagnostics(diags),
            }
        })
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        guarded("GetResourceIdentitySchemas", async {
            pb::get_resource_identity_schemas::Response {
                identity_schemas: (self.plugin.resources.iter())
                    .map(|(n, r)| (n.clone(), super::schema::identity(&r.imp.identity_schema())))
                    .collect(),
                diagnostics: Vec::new(),
            }
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let r = request.into_inner();
        guarded("UpgradeResourceIdentity", async {
            let Some(res) = self.plugin.resources.get(&r.type_name) else {
                return pb::upgrade_resource_identity::Response {
                    diagnostics: unknown_type("resource", &r.type_name),
                    ..Default::default()
                };
            };
            let mut diags = Diagnostics::default();
            let json = r.raw_identity.map(|s| s.json).unwrap_or_default();
            let upgraded_identity = res.imp.upgrade_identity(&mut diags, r.version, &json);
            pb::upgrade_resource_identity::Response {
                upgraded_identity,
                diagnostics: diagnostics(diags),
            }
        })
        .await
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let r = request.into_inner();
        guarded("ConfigureProvider", async {
            let mut diags = Diagnostics::default();
            self.plugin
                .provider
                .configure(&mut diags, r.terraform_version, r.config.as_ref())
                .await;
            pb::configure_provider::Response {
                diagnostics: diagnostics(diags),
            }
        })
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let r = request.into_inner();
        guarded("ReadResource", async {
            let Some(res) = self.plugin.resources.get(&r.type_name) else {
                return pb::read_resource::Response {
                    diagnostics: unknown_type("resource", &r.type_name),
                    ..Default::default()
                };
            };
            let mut diags = Diagnostics::default();
            let read = res
                .imp
                .read(
                    &mut diags,
                    r.current_state.as_ref(),
                    &r.private,
                    r.provider_meta.as_ref(),
                )
                .await;
            let (new_state, private, new_identity) = match read {
                Some(o) => (Some(o.state), o.private, o.identity),
                // Absent, not null: Terraform keeps the prior state when a read fails.
                None => (None, r.private, r.current_identity),
            };
            pb::read_resource::Response {
                new_state,
                private,
                diagnostics: diagnostics(diags),
                new_identity,
                ..Default::default()
            }
        })
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let r = request.into_inner();
        guarded("PlanResourceChange", async {
            let Some(res) = self.plugin.resources.get(&r.type_name) else {
                return pb::plan_resource_change::Response {
                    diagnostics: unknown_type("resource", &r.type_name),
                    ..Default::default()
                };
            };
            let mut diags = Diagnostics::default();
            let planned = res
                .imp
                .plan(
                    &mut diags,
                    r.prior_state.as_ref(),
                    r.proposed_new_state.as_ref(),
                    r.config.as_ref(),
                    &r.prior_private,
                    r.provider_meta.as_ref(),
                    support(r.client_capabilities.as_ref()),
                )
                .await;
            let mut response = pb::plan_resource_change::Response {
                diagnostics: diagnostics(diags),
                ..Default::default()
            };
            if let Some(p) = planned {
                response.planned_state = Some(p.state);
                response.planned_private = p.private;
                response.requires_replace = p.requires_replace.iter().map(attribute_path).collect();
                response.planned_identity = p.identity;
            }
            response
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let r = request.into_inner();
        guarded("ApplyResourceChange", async {
            let Some(res) = self.plugin.resources.get(&r.type_name) else {
                return pb::apply_resource_change::Response {
                    diagnostics: unknown_type("resource", &r.type_name),
                    ..Default::default()
                };
            };
            let mut diags = Diagnostics::default();
            let applied = res
                .imp
                .apply(
                    &mut diags,
                    r.prior_state.as_ref(),
                    r.planned_state.as_ref(),
                    r.config.as_ref(),
                    &r.planned_private,
                    r.provider_meta.as_ref(),
                )
                .await;
            // On failure the new state is absent, not null: Terraform then keeps the
            // prior object in state (a null would tell it the object is gone).
            let (new_state, private, new_identity) = match applied {
                Some(o) => (Some(o.state), o.private, o.identity),
                None => (None, Vec::new(), None),
            };
            pb::apply_resource_change::Response {
                new_state,
                private,
                diagnostics: diagnostics(diags),
                new_identity,
                ..Default::default()
            }
        })
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let r = request.into_inner();
        guarded("ImportResourceState", async {
            let Some(res) = self.plugin.resources.get(&r.type_name) else {
                return pb::import_resource_state::Response {
                    diagnostics: unknown_type("resource", &r.type_name),
                    ..Default::default()
                };
            };
            let mut diags = Diagnostics::default();
            let imported = res.imp.import(&mut diags, r.id, r.identity.as_ref()).await;
            pb::import_resource_state::Response {
                imported_resources: imported
                    .map(|o| pb::import_resource_state::ImportedResource {
                        type_name: r.type_name.clone(),
                        state: Some(o.state),
                        private: o.private,
                        identity: o.identity,
                    })
                    .into_iter()
                    .collect(),
                diagnostics: diagnostics(diags),
                deferred: None,
            }
        })
        .await
    }

    async fn move_resource_state(
        &self,
        _: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        guarded("MoveResourceState", async {
            pb::move_resource_state::Response {
                diagnostics: not_supported(
                    "MoveResourceState",
                    "moves from other resource types (`moved` blocks across types)",
                ),
                ..Default::default()
            }
        })
        .await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let r = request.into_inner();
        guarded("ReadDataSource", async {
            let Some(ds) = self.plugin.data_sources.get(&r.type_name) else {
                return pb::read_data_source::Response {
                    diagnostics: unknown_type("data source", &r.type_name),
                    ..Default::default()
                };
            };
            let mut diags = Diagnostics::default();
            let state = ds
                .imp
                .read(&mut diags, r.config.as_ref(), r.provider_meta.as_ref())
                .await;
            pb::read_data_source::Response {
                state,
                diagnostics: diagnostics(diags),
                deferred: None,
            }
        })
        .await
    }

    async fn generate_resource_config(
        &self,
        _: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        guarded("GenerateResourceConfig", async {
            pb::generate_resource_config::Response {
                diagnostics: not_supported(
                    "GenerateResourceConfig",
                    "provider-generated configuration (Terraform writes it from the schema)",
                ),
                ..Default::default()
            }
        })
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        _: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        guarded("ValidateEphemeralResourceConfig", async {
            pb::validate_ephemeral_resource_config::Response {
                diagnostics: not_supported(
                    "ValidateEphemeralResourceConfig",
                    "ephemeral resources",
                ),
            }
        })
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        _: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        guarded("OpenEphemeralResource", async {
            pb::open_ephemeral_resource::Response {
                diagnostics: not_supported("OpenEphemeralResource", "ephemeral resources"),
                ..Default::default()
            }
        })
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        _: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        guarded("RenewEphemeralResource", async {
            pb::renew_ephemeral_resource::Response {
                diagnostics: not_supported("RenewEphemeralResource", "ephemeral resources"),
                ..Default::default()
            }
        })
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        _: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        guarded("CloseEphemeralResource", async {
            pb::close_ephemeral_resource::Response {
                diagnostics: not_supported("CloseEphemeralResource", "ephemeral resources"),
            }
        })
        .await
    }

    type ListResourceStream = Events<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        let r = request.into_inner();
        guarded("ListResource", async {
            let Some(list) = self.plugin.list_resources.get(&r.type_name) else {
                return one_event(pb::list_resource::Event {
                    diagnostic: unknown_type("list resource", &r.type_name),
                    ..Default::default()
                });
            };
            let mut diags = Diagnostics::default();
            let events = list
                .imp
                .list(
                    &mut diags,
                    r.config.as_ref(),
                    r.include_resource_object,
                    r.limit,
                )
                .await;
            // Diagnostics travel on an event of their own, first: an error ends the
            // stream for the CLI, a warning on an event without identity is skipped.
            let diagnostics = diagnostics(diags);
            let lead = (!diagnostics.is_empty()).then(|| pb::list_resource::Event {
                diagnostic: diagnostics,
                ..Default::default()
            });
            let events: Events<pb::list_resource::Event> = Box::pin(futures::stream::iter(
                lead.into_iter().chain(events).map(Ok),
            ));
            events
        })
        .await
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let r = request.into_inner();
        guarded("ValidateListResourceConfig", async {
            let Some(list) = self.plugin.list_resources.get(&r.type_name) else {
                return pb::validate_list_resource_config::Response {
                    diagnostics: unknown_type("list resource", &r.type_name),
                };
            };
            let mut diags = Diagnostics::default();
            list.imp.validate(&mut diags, r.config.as_ref()).await;
            pb::validate_list_resource_config::Response {
                diagnostics: diagnostics(diags),
            }
        })
        .await
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        guarded("GetFunctions", async {
            pb::get_functions::Response::default()
        })
        .await
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let name = request.into_inner().name;
        guarded("CallFunction", async {
            pb::call_function::Response {
                result: None,
                error: Some(pb::FunctionError {
                    text: format!(
                        "terraform-provider-devin has no function `{name}`: it offers no \
                         provider functions"
                    ),
                    function_argument: None,
                }),
            }
        })
        .await
    }

    async fn validate_state_store_config(
        &self,
        _: Request<pb::validate_state_store::Request>,
    ) -> Result<Response<pb::validate_state_store::Response>, Status> {
        guarded("ValidateStateStoreConfig", async {
            pb::validate_state_store::Response {
                diagnostics: not_supported("ValidateStateStoreConfig", "state stores"),
            }
        })
        .await
    }

    async fn configure_state_store(
        &self,
        _: Request<pb::configure_state_store::Request>,
    ) -> Result<Response<pb::configure_state_store::Response>, Status> {
        guarded("ConfigureStateStore", async {
            pb::configure_state_store::Response {
                diagnostics: not_supported("ConfigureStateStore", "state stores"),
                capabilities: None,
            }
        })
        .await
    }

    type ReadStateBytesStream = Events<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        _: Request<pb::read_state_bytes::Request>,
    ) -> Result<Response<Self::ReadStateBytesStream>, Status> {
        guarded("ReadStateBytes", async {
            one_event(pb::read_state_bytes::Response {
                diagnostics: not_supported("ReadStateBytes", "state stores"),
                ..Default::default()
            })
        })
        .await
    }

    async fn write_state_bytes(
        &self,
        _: Request<Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Result<Response<pb::write_state_bytes::Response>, Status> {
        guarded("WriteStateBytes", async {
            pb::write_state_bytes::Response {
                diagnostics: not_supported("WriteStateBytes", "state stores"),
            }
        })
        .await
    }

    async fn lock_state(
        &self,
        _: Request<pb::lock_state::Request>,
    ) -> Result<Response<pb::lock_state::Response>, Status> {
        guarded("LockState", async {
            pb::lock_state::Response {
                diagnostics: not_supported("LockState", "state stores"),
                ..Default::default()
            }
        })
        .await
    }

    async fn unlock_state(
        &self,
        _: Request<pb::unlock_state::Request>,
    ) -> Result<Response<pb::unlock_state::Response>, Status> {
        guarded("UnlockState", async {
            pb::unlock_state::Response {
                diagnostics: not_supported("UnlockState", "state stores"),
            }
        })
        .await
    }

    async fn get_states(
        &self,
        _: Request<pb::get_states::Request>,
    ) -> Result<Response<pb::get_states::Response>, Status> {
        guarded("GetStates", async {
            pb::get_states::Response {
                diagnostics: not_supported("GetStates", "state stores"),
                ..Default::default()
            }
        })
        .await
    }

    async fn delete_state(
        &self,
        _: Request<pb::delete_state::Request>,
    ) -> Result<Response<pb::delete_state::Response>, Status> {
        guarded("DeleteState", async {
            pb::delete_state::Response {
                diagnostics: not_supported("DeleteState", "state stores"),
            }
        })
        .await
    }

    async fn plan_action(
        &self,
        _: Request<pb::plan_action::Request>,
    ) -> Result<Response<pb::plan_action::Response>, Status> {
        guarded("PlanAction", async {
            pb::plan_action::Response {
                diagnostics: not_supported("PlanAction", "actions"),
                deferred: None,
            }
        })
        .await
    }

    type InvokeActionStream = Events<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        _: Request<pb::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        use pb::invoke_action::event::{Completed, Type};
        guarded("InvokeAction", async {
            one_event(pb::invoke_action::Event {
                r#type: Some(Type::Completed(Completed {
                    diagnostics: not_supported("InvokeAction", "actions"),
                })),
            })
        })
        .await
    }

    async fn validate_action_config(
        &self,
        _: Request<pb::validate_action_config::Request>,
    ) -> Result<Response<pb::validate_action_config::Response>, Status> {
        guarded("ValidateActionConfig", async {
            pb::validate_action_config::Response {
                diagnostics: not_supported("ValidateActionConfig", "actions"),
            }
        })
        .await
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        guarded("StopProvider", async {
            log::info!(
                "Terraform asked the provider to stop: abandoning in-flight Devin API requests"
            );
            self.stop.cancel();
            pb::stop_provider::Response::default()
        })
        .await
    }
}
