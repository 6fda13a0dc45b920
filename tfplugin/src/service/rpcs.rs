//! The tfplugin6 `Provider` service's routing table: each RPC, guarded against panics,
//! handed to the module that answers it.

use tonic::{Request, Response, Status, Streaming};

use super::{data_and_list_rpcs, provider_rpcs, refused, resource_rpcs, Events, ProviderService};
use crate::bindings as pb;

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        self.guarded("GetMetadata", async {
            provider_rpcs::metadata(&self.plugin)
        })
        .await
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        self.guarded("GetProviderSchema", async { self.schema.clone() })
            .await
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let work = provider_rpcs::validate_provider_config(&self.plugin, request.into_inner());
        self.guarded("ValidateProviderConfig", work).await
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let work = resource_rpcs::validate(&self.plugin, request.into_inner());
        self.guarded("ValidateResourceConfig", work).await
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let work = data_and_list_rpcs::validate_data_source(&self.plugin, request.into_inner());
        self.guarded("ValidateDataResourceConfig", work).await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let work = resource_rpcs::upgrade_state(&self.plugin, request.into_inner());
        self.guarded("UpgradeResourceState", work).await
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        self.guarded("GetResourceIdentitySchemas", async {
            provider_rpcs::identity_schemas(&self.plugin)
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let request = request.into_inner();
        self.guarded("UpgradeResourceIdentity", async {
            resource_rpcs::upgrade_identity(&self.plugin, request)
        })
        .await
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let work = provider_rpcs::configure_provider(&self.plugin, request.into_inner());
        self.guarded("ConfigureProvider", work).await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let work = resource_rpcs::read(&self.plugin, request.into_inner());
        self.guarded("ReadResource", work).await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let work = resource_rpcs::plan(&self.plugin, request.into_inner());
        self.guarded("PlanResourceChange", work).await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let work = resource_rpcs::apply(&self.plugin, request.into_inner());
        self.guarded("ApplyResourceChange", work).await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let work = resource_rpcs::import(&self.plugin, request.into_inner());
        self.guarded("ImportResourceState", work).await
    }

    async fn move_resource_state(
        &self,
        _: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        self.guarded("MoveResourceState", async {
            refused::move_resource_state(&self.plugin.binary)
        })
        .await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let work = data_and_list_rpcs::read_data_source(&self.plugin, request.into_inner());
        self.guarded("ReadDataSource", work).await
    }

    async fn generate_resource_config(
        &self,
        _: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        self.guarded("GenerateResourceConfig", async {
            refused::generate_resource_config(&self.plugin.binary)
        })
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        _: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        self.guarded("ValidateEphemeralResourceConfig", async {
            refused::validate_ephemeral_resource_config(&self.plugin.binary)
        })
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        _: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        self.guarded("OpenEphemeralResource", async {
            refused::open_ephemeral_resource(&self.plugin.binary)
        })
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        _: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        self.guarded("RenewEphemeralResource", async {
            refused::renew_ephemeral_resource(&self.plugin.binary)
        })
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        _: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        self.guarded("CloseEphemeralResource", async {
            refused::close_ephemeral_resource(&self.plugin.binary)
        })
        .await
    }

    type ListResourceStream = Events<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        let work = data_and_list_rpcs::list(&self.plugin, request.into_inner());
        self.guarded("ListResource", work).await
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let work = data_and_list_rpcs::validate_list(&self.plugin, request.into_inner());
        self.guarded("ValidateListResourceConfig", work).await
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        self.guarded("GetFunctions", async { refused::get_functions() })
            .await
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let name = request.into_inner().name;
        self.guarded("CallFunction", async {
            refused::call_function(&self.plugin.binary, &name)
        })
        .await
    }

    async fn validate_state_store_config(
        &self,
        _: Request<pb::validate_state_store::Request>,
    ) -> Result<Response<pb::validate_state_store::Response>, Status> {
        self.guarded("ValidateStateStoreConfig", async {
            refused::validate_state_store(&self.plugin.binary)
        })
        .await
    }

    async fn configure_state_store(
        &self,
        _: Request<pb::configure_state_store::Request>,
    ) -> Result<Response<pb::configure_state_store::Response>, Status> {
        self.guarded("ConfigureStateStore", async {
            refused::configure_state_store(&self.plugin.binary)
        })
        .await
    }

    type ReadStateBytesStream = Events<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        _: Request<pb::read_state_bytes::Request>,
    ) -> Result<Response<Self::ReadStateBytesStream>, Status> {
        self.guarded("ReadStateBytes", async {
            refused::read_state_bytes(&self.plugin.binary)
        })
        .await
    }

    async fn write_state_bytes(
        &self,
        _: Request<Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Result<Response<pb::write_state_bytes::Response>, Status> {
        self.guarded("WriteStateBytes", async {
            refused::write_state_bytes(&self.plugin.binary)
        })
        .await
    }

    async fn lock_state(
        &self,
        _: Request<pb::lock_state::Request>,
    ) -> Result<Response<pb::lock_state::Response>, Status> {
        self.guarded("LockState", async {
            refused::lock_state(&self.plugin.binary)
        })
        .await
    }

    async fn unlock_state(
        &self,
        _: Request<pb::unlock_state::Request>,
    ) -> Result<Response<pb::unlock_state::Response>, Status> {
        self.guarded("UnlockState", async {
            refused::unlock_state(&self.plugin.binary)
        })
        .await
    }

    async fn get_states(
        &self,
        _: Request<pb::get_states::Request>,
    ) -> Result<Response<pb::get_states::Response>, Status> {
        self.guarded("GetStates", async {
            refused::get_states(&self.plugin.binary)
        })
        .await
    }

    async fn delete_state(
        &self,
        _: Request<pb::delete_state::Request>,
    ) -> Result<Response<pb::delete_state::Response>, Status> {
        self.guarded("DeleteState", async {
            refused::delete_state(&self.plugin.binary)
        })
        .await
    }

    async fn plan_action(
        &self,
        _: Request<pb::plan_action::Request>,
    ) -> Result<Response<pb::plan_action::Response>, Status> {
        self.guarded("PlanAction", async {
            refused::plan_action(&self.plugin.binary)
        })
        .await
    }

    type InvokeActionStream = Events<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        _: Request<pb::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        self.guarded("InvokeAction", async {
            refused::invoke_action(&self.plugin.binary)
        })
        .await
    }

    async fn validate_action_config(
        &self,
        _: Request<pb::validate_action_config::Request>,
    ) -> Result<Response<pb::validate_action_config::Response>, Status> {
        self.guarded("ValidateActionConfig", async {
            refused::validate_action_config(&self.plugin.binary)
        })
        .await
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        self.guarded("StopProvider", async {
            log::info!("Terraform asked the provider to stop: abandoning in-flight requests");
            self.stop.cancel();
            pb::stop_provider::Response::default()
        })
        .await
    }
}
