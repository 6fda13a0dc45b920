//! The resource adapter: validate, read, plan, apply, import and the upgrades of stored
//! states and identities.

use async_trait::async_trait;
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::codec::{is_null, null};
use super::ServedType;
use crate::bindings as pb;
use crate::resource::{ClientSupport, IdentitySchema, ResourceExt};

/// A planned change.
pub struct Planned {
    /// The planned state; "no object" for a destroy.
    pub state: pb::DynamicValue,
    /// The planned private state.
    pub private: Vec<u8>,
    /// Attributes whose change replaces the object.
    pub requires_replace: Vec<AttributePath>,
    /// The object's identity once applied, when the plan knows it already.
    pub identity: Option<pb::ResourceIdentityData>,
}

/// An object as a resource returns it from a read, an apply or an import.
pub struct Object {
    /// Its state.
    pub state: pb::DynamicValue,
    /// Its private state.
    pub private: Vec<u8>,
    /// Its identity; `None` for "no object".
    pub identity: Option<pb::ResourceIdentityData>,
}

impl Object {
    /// "No object": what a read of a deleted object and a destroy return.
    fn gone() -> Self {
        Object {
            state: null(),
            private: Vec::new(),
            identity: None,
        }
    }
}

/// A resource type, with its types erased. Every method reports into `diags` and
/// returns `None` on error.
#[async_trait]
pub trait ResourceHandler: Send + Sync {
    /// Checks a configuration, knowing what the CLI supports.
    async fn validate(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        support: ClientSupport,
    );
    /// Refreshes a state; the new state is "no object" when it is gone.
    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: Option<&pb::DynamicValue>,
        private: &[u8],
        meta: Option<&pb::DynamicValue>,
    ) -> Option<Object>;
    /// Plans a create, an update or a destroy, as the null-ness of prior and proposed
    /// states says.
    #[allow(clippy::too_many_arguments)]
    async fn plan(
        &self,
        diags: &mut Diagnostics,
        prior: Option<&pb::DynamicValue>,
        proposed: Option<&pb::DynamicValue>,
        config: Option<&pb::DynamicValue>,
        prior_private: &[u8],
        meta: Option<&pb::DynamicValue>,
        support: ClientSupport,
    ) -> Option<Planned>;
    /// Applies a planned create, update or destroy.
    async fn apply(
        &self,
        diags: &mut Diagnostics,
        prior: Option<&pb::DynamicValue>,
        planned: Option<&pb::DynamicValue>,
        config: Option<&pb::DynamicValue>,
        planned_private: &[u8],
        meta: Option<&pb::DynamicValue>,
    ) -> Option<Object>;
    /// Reads an existing object by the id a user gave, or by its identity.
    async fn import(
        &self,
        diags: &mut Diagnostics,
        id: String,
        identity: Option<&pb::ResourceIdentityData>,
    ) -> Option<Object>;
    /// Brings a stored state (JSON, recorded at schema `version`) to the current schema.
    async fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        json: &[u8],
    ) -> Option<pb::DynamicValue>;
    /// The attributes Terraform must never store.
    fn write_only_attributes(&self) -> &'static [&'static str];
    /// The identity's schema.
    fn identity_schema(&self) -> IdentitySchema;
    /// Brings a stored identity (JSON, recorded at identity `version`) to the current one.
    fn upgrade_identity(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        json: &[u8],
    ) -> Option<pb::ResourceIdentityData>;
}

impl<R: Resource + ResourceExt> ServedType<R> {
    fn object(
        &self,
        diags: &mut Diagnostics,
        what: &str,
        state: &R::State<'_>,
        private: &R::PrivateState<'_>,
    ) -> Option<Object> {
        let identity = self.implementation.identity(state);
        Some(Object {
            state: self.codec.encode(diags, what, state)?,
            private: self.codec.encode_bytes(diags, "private state", private)?,
            identity: self.codec.identity_data(diags, identity),
        })
    }
}

#[async_trait]
impl<R> ResourceHandler for ServedType<R>
where
    R: Resource + ResourceExt,
{
    async fn validate(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        support: ClientSupport,
    ) {
        if let Some(config) = self.codec.decode(diags, "configuration", config) {
            self.implementation.check_client(diags, &config, support);
            if Resource::validate(&self.implementation, diags, config)
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
        state: Option<&pb::DynamicValue>,
        private: &[u8],
        meta: Option<&pb::DynamicValue>,
    ) -> Option<Object> {
        let state = self.codec.decode(diags, "state", state)?;
        let private = self.codec.decode_private(diags, private)?;
        let meta = self.codec.decode(diags, "provider_meta", meta)?;
        let read = self.implementation.read(diags, state, private, meta).await;
        let Some((state, private)) = read else {
            // No object and no error: it is gone, and Terraform drops it from state.
            return diags.errors.is_empty().then(Object::gone);
        };
        self.object(diags, "state", &state, &private)
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        prior: Option<&pb::DynamicValue>,
        proposed: Option<&pb::DynamicValue>,
        config: Option<&pb::DynamicValue>,
        prior_private: &[u8],
        meta: Option<&pb::DynamicValue>,
        support: ClientSupport,
    ) -> Option<Planned> {
        let resource = &self.implementation;
        let meta = self.codec.decode(diags, "provider_meta", meta)?;
        let planned = if is_null(proposed) {
            let prior = self.codec.decode(diags, "prior state", prior)?;
            let private = self.codec.decode_private(diags, prior_private)?;
            let private = resource.plan_destroy(diags, prior, private, meta).await;
            private.map(|p| (None, p, Vec::new()))
        } else {
            let config: R::State<'_> = self.codec.decode(diags, "configuration", config)?;
            resource.check_client(diags, &config, support);
            if !diags.errors.is_empty() {
                return None;
            }
            let proposed = self.codec.decode(diags, "proposed state", proposed)?;
            if is_null(prior) {
                let private = self.codec.decode_private(diags, prior_private)?;
                let planned = resource
                    .plan_create_with_private(diags, proposed, config, private, meta)
                    .await;
                planned.map(|(s, p)| (Some(s), p, Vec::new()))
            } else {
                let prior = self.codec.decode(diags, "prior state", prior)?;
                let private = self.codec.decode_private(diags, prior_private)?;
                let planned = resource
                    .plan_update(diags, prior, proposed, config, private, meta)
                    .await;
                planned.map(|(s, p, r)| (Some(s), p, r))
            }
        };
        let Some((state, private, requires_replace)) = planned else {
            self.no_result(diags, "plan the change");
            return None;
        };
        let identity = state.as_ref().and_then(|s| resource.identity(s));
        Some(Planned {
            state: match state {
                Some(s) => self.codec.encode(diags, "planned state", &s)?,
                None => null(),
            },
            private: self.codec.encode_bytes(diags, "private state", &private)?,
            requires_replace,
            identity: self.codec.identity_data(diags, identity),
        })
    }

    async fn apply(
        &self,
        diags: &mut Diagnostics,
        prior: Option<&pb::DynamicValue>,
        planned: Option<&pb::DynamicValue>,
        config: Option<&pb::DynamicValue>,
        planned_private: &[u8],
        meta: Option<&pb::DynamicValue>,
    ) -> Option<Object> {
        let resource = &self.implementation;
        let meta = self.codec.decode(diags, "provider_meta", meta)?;
        let private = self.codec.decode_private(diags, planned_private)?;
        if is_null(planned) {
            let prior = self.codec.decode(diags, "prior state", prior)?;
            resource.destroy(diags, prior, private, meta).await?;
            return Some(Object::gone());
        }
        let planned = self.codec.decode(diags, "planned state", planned)?;
        let config = self.codec.decode(diags, "configuration", config)?;
        let (state, private) = if is_null(prior) {
            resource
                .create(diags, planned, config, private, meta)
                .await?
        } else {
            let prior = self.codec.decode(diags, "prior state", prior)?;
            resource
                .update(diags, prior, planned, config, private, meta)
                .await?
        };
        self.object(diags, "new state", &state, &private)
    }

    async fn import(
        &self,
        diags: &mut Diagnostics,
        id: String,
        identity: Option<&pb::ResourceIdentityData>,
    ) -> Option<Object> {
        let id = match identity.and_then(|i| i.identity_data.as_ref()) {
            Some(data) if id.is_empty() => {
                let identity = self.codec.decode(diags, "identity", Some(data))?;
                self.implementation.import_id(diags, identity)?
            }
            _ => id,
        };
        let (state, private) = self.implementation.import(diags, id).await?;
        self.object(diags, "imported state", &state, &private)
    }

    async fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        json: &[u8],
    ) -> Option<pb::DynamicValue> {
        if version == self.schema_version {
            let stored = pb::DynamicValue {
                msgpack: Vec::new(),
                json: json.to_vec(),
            };
            let state: R::State<'_> = self.codec.decode(diags, "stored state", Some(&stored))?;
            return self.codec.encode(diags, "upgraded state", &state);
        }
        let Ok(json) = serde_json::from_slice(json) else {
            self.codec.undecodable(diags, "stored state");
            return None;
        };
        let state = self.implementation.upgrade_state(diags, version, json)?;
        self.codec.encode(diags, "upgraded state", &state)
    }

    fn write_only_attributes(&self) -> &'static [&'static str] {
        self.implementation.write_only_attributes()
    }

    fn identity_schema(&self) -> IdentitySchema {
        self.implementation.identity_schema()
    }

    fn upgrade_identity(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        json: &[u8],
    ) -> Option<pb::ResourceIdentityData> {
        let current = self.implementation.identity_schema().version;
        if version != current {
            crate::diagnostics::error(
                diags,
                format!(
                    "Cannot read the stored identity of a `{}`",
                    self.codec.type_name
                ),
                format!(
                    "The identity was recorded at version {version}; {} knows version \
                     {current} only. Use the provider version that wrote this state, or a \
                     newer one.",
                    self.codec.binary
                ),
                None,
            );
            return None;
        }
        let stored = pb::DynamicValue {
            msgpack: Vec::new(),
            json: json.to_vec(),
        };
        let identity: R::Identity = self.codec.decode(diags, "stored identity", Some(&stored))?;
        self.codec.identity_data(diags, Some(identity))
    }
}
