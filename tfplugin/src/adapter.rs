//! The typed adapter between tfplugin6's encoded values and tf-provider's authoring
//! model: a provider, resources and data sources written as tf-provider trait
//! implementations are registered on a [`Plugin`], which decodes what Terraform sends
//! (msgpack, or JSON for stored state) into their typed `State`s and encodes what they
//! return.
//!
//! Decoding errors never quote serde's message: it can contain the offending value,
//! which may be a secret.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::{AttributePath, DataSource, Diagnostics, Provider, Resource};

use super::bindings as pb;
use crate::list::{ListResource, Listed};
use crate::resource::{ClientSupport, IdentitySchema, ResourceExt};

fn error(diags: &mut Diagnostics, summary: String, detail: String) {
    crate::diagnostics::error(diags, summary, detail, None);
}

/// msgpack's nil: what Terraform sends for "no object".
const NIL: [u8; 1] = [0xc0];

/// Whether Terraform sent "no object" (a resource being created or destroyed).
pub fn is_null(v: Option<&pb::DynamicValue>) -> bool {
    match v {
        None => true,
        Some(v) if !v.msgpack.is_empty() => v.msgpack == NIL,
        Some(v) => v.json.is_empty() || v.json == b"null",
    }
}

/// The encoded "no object".
pub fn null() -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: NIL.to_vec(),
        json: Vec::new(),
    }
}

fn undecodable(diags: &mut Diagnostics, what: &str, type_name: &str) {
    error(
        diags,
        format!("Terraform sent a {what} this provider cannot read"),
        format!(
            "The {what} for `{type_name}` does not match the schema of terraform-provider-devin \
             {}. Run `terraform init -upgrade` so the CLI and the provider agree, and report it \
             if it persists. The value is not shown: it may hold a secret.",
            env!("CARGO_PKG_VERSION")
        ),
    );
}

/// Decodes one value; `None` (with an error in `diags`) when it does not fit `T`.
fn decode<'a, T: Deserialize<'a>>(
    diags: &mut Diagnostics,
    what: &str,
    type_name: &str,
    v: Option<&'a pb::DynamicValue>,
) -> Option<T> {
    let decoded = match v {
        Some(v) if !v.msgpack.is_empty() => rmp_serde::from_slice(&v.msgpack).ok(),
        Some(v) if !v.json.is_empty() => serde_json::from_slice(&v.json).ok(),
        _ => rmp_serde::from_slice(&NIL).ok(),
    };
    if decoded.is_none() {
        undecodable(diags, what, type_name);
    }
    decoded
}

/// Decodes private state: bytes this provider wrote earlier, or nothing.
fn decode_private<'a, T: Deserialize<'a>>(
    diags: &mut Diagnostics,
    type_name: &str,
    bytes: &'a [u8],
) -> Option<T> {
    let bytes = if bytes.is_empty() { &NIL[..] } else { bytes };
    let decoded = rmp_serde::from_slice(bytes).ok();
    if decoded.is_none() {
        undecodable(diags, "private state", type_name);
    }
    decoded
}

fn encode_bytes<T: Serialize>(diags: &mut Diagnostics, what: &str, value: &T) -> Option<Vec<u8>> {
    // Named fields: Terraform reads objects as maps, not positional arrays.
    match rmp_serde::to_vec_named(value) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            error(
                diags,
                format!("The provider could not encode the {what}"),
                "This is a bug in terraform-provider-devin; please report it.".to_string(),
            );
            None
        }
    }
}

fn encode<T: Serialize>(
    diags: &mut Diagnostics,
    what: &str,
    value: &T,
) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: encode_bytes(diags, what, value)?,
        json: Vec::new(),
    })
}

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

fn identity_data<I: Serialize>(
    diags: &mut Diagnostics,
    identity: Option<I>,
) -> Option<pb::ResourceIdentityData> {
    let identity = identity?;
    Some(pb::ResourceIdentityData {
        identity_data: Some(encode(diags, "identity", &identity)?),
    })
}

/// A provider, with its types erased.
#[async_trait]
pub trait AnyProvider: Send + Sync {
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
impl<P: Provider> AnyProvider for P {
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>) {
        if let Some(config) = decode(diags, "provider configuration", "provider", config) {
            if Provider::validate(self, diags, config).await.is_none() {
                no_result(diags, "validate the provider configuration");
            }
        }
    }

    async fn configure(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: Option<&pb::DynamicValue>,
    ) {
        if let Some(config) = decode(diags, "provider configuration", "provider", config) {
            if Provider::configure(self, diags, terraform_version, config)
                .await
                .is_none()
            {
                no_result(diags, "configure the provider");
            }
        }
    }
}

/// A resource type, with its types erased. Every method reports into `diags` and
/// returns `None` on error.
#[async_trait]
pub trait AnyResource: Send + Sync {
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

/// A resource or data source, with the name and schema version it is served under.
pub struct Typed<T> {
    inner: T,
    name: String,
    version: i64,
}

fn no_result(diags: &mut Diagnostics, action: &str) {
    if diags.errors.is_empty() {
        error(
            diags,
            format!("Internal error: could not {action}"),
            "terraform-provider-devin returned no result and gave no reason. This is a bug; \
             please report it."
                .to_string(),
        );
    }
}

impl<R: Resource + ResourceExt> Typed<R> {
    fn object(
        &self,
        diags: &mut Diagnostics,
        what: &str,
        state: &R::State<'_>,
        private: &R::PrivateState<'_>,
    ) -> Option<Object> {
        let identity = self.inner.identity(state);
        Some(Object {
            state: encode(diags, what, state)?,
            private: encode_bytes(diags, "private state", private)?,
            identity: identity_data(diags, identity),
        })
    }
}

#[async_trait]
impl<R> AnyResource for Typed<R>
where
    R: Resource + ResourceExt,
{
    async fn validate(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        support: ClientSupport,
    ) {
        if let Some(config) = decode(diags, "configuration", &self.name, config) {
            self.inner.check_client(diags, &config, support);
            if Resource::validate(&self.inner, diags, config)
                .await
                .is_none()
            {
                no_result(diags, "validate the configuration");
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
        let n = &self.name;
        let state = decode(diags, "state", n, state)?;
        let private = decode_private(diags, n, private)?;
        let meta = decode(diags, "provider_meta", n, meta)?;
        let Some((state, private)) = self.inner.read(diags, state, private, meta).await else {
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
        let n = &self.name;
        let meta = decode(diags, "provider_meta", n, meta)?;
        let planned = if is_null(proposed) {
            let prior = decode(diags, "prior state", n, prior)?;
            let private = decode_private(diags, n, prior_private)?;
            let private = self.inner.plan_destroy(diags, prior, private, meta).await;
            private.map(|p| (None, p, Vec::new()))
        } else {
            let config: R::State<'_> = decode(diags, "configuration", n, config)?;
            self.inner.check_client(diags, &config, support);
            if !diags.errors.is_empty() {
                return None;
            }
            let proposed = decode(diags, "proposed state", n, proposed)?;
            if is_null(prior) {
                let planned = self.inner.plan_create(diags, proposed, config, meta).await;
                planned.map(|(s, p)| (Some(s), p, Vec::new()))
            } else {
                let prior = decode(diags, "prior state", n, prior)?;
                let private = decode_private(diags, n, prior_private)?;
                let planned = self
                    .inner
                    .plan_update(diags, prior, proposed, config, private, meta)
                    .await;
                planned.map(|(s, p, r)| (Some(s), p, r))
            }
        };
        let Some((state, private, requires_replace)) = planned else {
            no_result(diags, "plan the change");
            return None;
        };
        let identity = state.as_ref().and_then(|s| self.inner.identity(s));
        Some(Planned {
            state: match state {
                Some(s) => encode(diags, "planned state", &s)?,
                None => null(),
            },
            private: encode_bytes(diags, "private state", &private)?,
            requires_replace,
            identity: identity_data(diags, identity),
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
        let n = &self.name;
        let meta = decode(diags, "provider_meta", n, meta)?;
        let private = decode_private(diags, n, planned_private)?;
        if is_null(planned) {
            let prior = decode(diags, "prior state", n, prior)?;
            self.inner.destroy(diags, prior, private, meta).await?;
            return Some(Object::gone());
        }
        let planned = decode(diags, "planned state", n, planned)?;
        let config = decode(diags, "configuration", n, config)?;
        let (state, private) = if is_null(prior) {
            self.inner
                .create(diags, planned, config, private, meta)
                .await?
        } else {
            let prior = decode(diags, "prior state", n, prior)?;
            self.inner
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
                let identity = decode(diags, "identity", &self.name, Some(data))?;
                self.inner.import_id(diags, identity)?
            }
            _ => id,
        };
        let (state, private) = self.inner.import(diags, id).await?;
        self.object(diags, "imported state", &state, &private)
    }

    async fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        json: &[u8],
    ) -> Option<pb::DynamicValue> {
        if version == self.version {
            let stored = pb::DynamicValue {
                msgpack: Vec::new(),
                json: json.to_vec(),
            };
            let state: R::State<'_> = decode(diags, "stored state", &self.name, Some(&stored))?;
            return encode(diags, "upgraded state", &state);
        }
        let Ok(json) = serde_json::from_slice(json) else {
            undecodable(diags, "stored state", &self.name);
            return None;
        };
        let state = self.inner.upgrade_state(diags, version, json)?;
        encode(diags, "upgraded state", &state)
    }

    fn write_only_attributes(&self) -> &'static [&'static str] {
        self.inner.write_only_attributes()
    }

    fn identity_schema(&self) -> IdentitySchema {
        self.inner.identity_schema()
    }

    fn upgrade_identity(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        json: &[u8],
    ) -> Option<pb::ResourceIdentityData> {
        let current = self.inner.identity_schema().version;
        if version != current {
            error(
                diags,
                format!("Cannot read the stored identity of a `{}`", self.name),
                format!(
                    "The identity was recorded at version {version}; terraform-provider-devin \
                     {} knows version {current} only. Use the provider version that wrote \
                     this state, or a newer one.",
                    env!("CARGO_PKG_VERSION")
                ),
            );
            return None;
        }
        let stored = pb::DynamicValue {
            msgpack: Vec::new(),
            json: json.to_vec(),
        };
        let identity: R::Identity = decode(diags, "stored identity", &self.name, Some(&stored))?;
        identity_data(diags, Some(identity))
    }
}

/// A data source type, with its types erased.
#[async_trait]
pub trait AnyDataSource: Send + Sync {
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
impl<D: DataSource> AnyDataSource for Typed<D> {
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>) {
        if let Some(config) = decode(diags, "configuration", &self.name, config) {
            if DataSource::validate(&self.inner, diags, config)
                .await
                .is_none()
            {
                no_result(diags, "validate the configuration");
            }
        }
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        meta: Option<&pb::DynamicValue>,
    ) -> Option<pb::DynamicValue> {
        let config = decode(diags, "configuration", &self.name, config)?;
        let meta = decode(diags, "provider_meta", &self.name, meta)?;
        let Some(state) = DataSource::read(&self.inner, diags, config, meta).await else {
            no_result(diags, "read the data source");
            return None;
        };
        encode(diags, "data source state", &state)
    }
}

/// A list resource type (`terraform query`), with its types erased.
#[async_trait]
pub trait AnyListResource: Send + Sync {
    /// Checks a `list` block's `config`.
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>);
    /// The objects that exist, one event each, at most `limit`.
    async fn list(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        include_object: bool,
        limit: i64,
    ) -> Vec<pb::list_resource::Event>;
}

/// A list resource's schema is its `config` block's, but the CLI resolves attribute paths
/// against the whole `list` block: a path into the config goes under `config`.
fn under_config(diags: &mut Diagnostics, from_errors: usize, from_warnings: usize) {
    use tf_provider::AttributePathStep;
    let all = (diags.errors.iter_mut().skip(from_errors))
        .chain(diags.warnings.iter_mut().skip(from_warnings));
    for d in all {
        if !d.attribute.steps.is_empty() {
            d.attribute
                .steps
                .insert(0, AttributePathStep::Attribute("config".into()));
        }
    }
}

#[async_trait]
impl<L: ListResource> AnyListResource for Typed<L> {
    async fn validate(&self, diags: &mut Diagnostics, config: Option<&pb::DynamicValue>) {
        let (errors, warnings) = (diags.errors.len(), diags.warnings.len());
        if let Some(config) = decode(diags, "list configuration", &self.name, config) {
            self.inner.validate(diags, config).await;
        }
        under_config(diags, errors, warnings);
    }

    async fn list(
        &self,
        diags: &mut Diagnostics,
        config: Option<&pb::DynamicValue>,
        include_object: bool,
        limit: i64,
    ) -> Vec<pb::list_resource::Event> {
        let Some(config) = decode(diags, "list configuration", &self.name, config) else {
            return Vec::new();
        };
        let limit = usize::try_from(limit).unwrap_or(0);
        let (errors, warnings) = (diags.errors.len(), diags.warnings.len());
        let listed = self.inner.list(diags, config, include_object, limit).await;
        under_config(diags, errors, warnings);
        let mut events = Vec::with_capacity(listed.len());
        for Listed {
            identity,
            display_name,
            object,
        } in listed.into_iter().take(limit)
        {
            let Some(identity) = identity_data(diags, Some(identity)) else {
                break;
            };
            let resource_object = match object.filter(|_| include_object) {
                Some(o) => match encode(diags, "listed object", &o) {
                    Some(encoded) => Some(encoded),
                    None => break,
                },
                None => None,
            };
            events.push(pb::list_resource::Event {
                identity: Some(identity),
                display_name,
                resource_object,
                diagnostic: Vec::new(),
            });
        }
        events
    }
}

/// A registered resource or data source type.
pub struct Registered<T: ?Sized> {
    /// Its schema.
    pub schema: Schema,
    /// The implementation.
    pub imp: Box<T>,
}

/// A provider with its resources and data sources: what the plugin serves.
pub struct Plugin {
    /// The provider's name, the prefix of every type name (`devin`).
    pub name: &'static str,
    /// The provider block's schema.
    pub schema: Schema,
    /// The `provider_meta` block's schema.
    pub meta_schema: Schema,
    /// The provider.
    pub provider: Box<dyn AnyProvider>,
    /// Resource types by full name (`devin_secret`).
    pub resources: BTreeMap<String, Registered<dyn AnyResource>>,
    /// Data source types by full name.
    pub data_sources: BTreeMap<String, Registered<dyn AnyDataSource>>,
    /// List resource types by full name, each named after the resource type it lists.
    pub list_resources: BTreeMap<String, Registered<dyn AnyListResource>>,
    /// Errors found while building the schemas, reported with the schema.
    pub init_diags: Diagnostics,
}

impl Plugin {
    /// A plugin serving `provider` under `name`.
    pub fn new<P: Provider>(name: &'static str, provider: P) -> Self {
        let mut init_diags = Diagnostics::default();
        let schema = provider
            .schema(&mut init_diags)
            .unwrap_or_else(empty_schema);
        let meta_schema = provider
            .meta_schema(&mut init_diags)
            .unwrap_or_else(empty_schema);
        Self {
            name,
            schema,
            meta_schema,
            provider: Box::new(provider),
            resources: BTreeMap::new(),
            data_sources: BTreeMap::new(),
            list_resources: BTreeMap::new(),
            init_diags,
        }
    }

    /// Adds resource type `<name>_<suffix>`.
    pub fn resource<R: Resource + ResourceExt + 'static>(mut self, suffix: &str, r: R) -> Self {
        let name = format!("{}_{suffix}", self.name);
        if let Some(schema) = Resource::schema(&r, &mut self.init_diags) {
            let typed = Typed {
                inner: r,
                name: name.clone(),
                version: schema.version,
            };
            let imp: Box<dyn AnyResource> = Box::new(typed);
            self.resources.insert(name, Registered { schema, imp });
        }
        self
    }

    /// Adds list resource type `<name>_<suffix>`, which lists resource type
    /// `<name>_<suffix>` (registered first: Terraform needs its identity).
    pub fn list_resource<L: ListResource>(mut self, suffix: &str, l: L) -> Self {
        let name = format!("{}_{suffix}", self.name);
        let schema = l.schema();
        let typed = Typed {
            inner: l,
            name: name.clone(),
            version: schema.version,
        };
        let imp: Box<dyn AnyListResource> = Box::new(typed);
        self.list_resources.insert(name, Registered { schema, imp });
        self
    }

    /// Adds data source type `<name>_<suffix>`.
    pub fn data_source<D: DataSource + 'static>(mut self, suffix: &str, d: D) -> Self {
        let name = format!("{}_{suffix}", self.name);
        if let Some(schema) = DataSource::schema(&d, &mut self.init_diags) {
            let typed = Typed {
                inner: d,
                name: name.clone(),
                version: schema.version,
            };
            let imp: Box<dyn AnyDataSource> = Box::new(typed);
            self.data_sources.insert(name, Registered { schema, imp });
        }
        self
    }
}

fn empty_schema() -> Schema {
    Schema {
        version: 0,
        block: Default::default(),
    }
}

/// tf-provider's diagnostics, as tfplugin6 carries them: errors first.
pub fn diagnostics(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    use pb::diagnostic::Severity;
    let one = |d: tf_provider::Diagnostic, severity: Severity| pb::Diagnostic {
        severity: severity as i32,
        summary: d.summary.into_owned(),
        detail: d.detail.into_owned(),
        attribute: (!d.attribute.steps.is_empty()).then(|| attribute_path(&d.attribute)),
    };
    let errors = diags.errors.into_iter().map(|d| one(d, Severity::Error));
    let warnings = diags
        .warnings
        .into_iter()
        .map(|d| one(d, Severity::Warning));
    errors.chain(warnings).collect()
}

/// An attribute path, as tfplugin6 carries it.
pub fn attribute_path(path: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    use tf_provider::AttributePathStep as S;
    pb::AttributePath {
        steps: path
            .steps
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    S::Attribute(a) => Selector::AttributeName(a.to_string()),
                    S::Key(k) => Selector::ElementKeyString(k.to_string()),
                    S::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tf_provider::value::{Value, ValueBool, ValueString};

    /// A state of the shape providers write: strings, a bool, a null.
    #[derive(Serialize, Deserialize)]
    struct SecretState<'a> {
        id: ValueString<'a>,
        key: ValueString<'a>,
        value: ValueString<'a>,
        #[serde(rename = "type")]
        kind: ValueString<'a>,
        sensitive: ValueBool,
        note: ValueString<'a>,
        created_at: ValueString<'a>,
    }

    fn msgpack(v: &serde_json::Value) -> pb::DynamicValue {
        pb::DynamicValue {
            msgpack: rmp_serde::to_vec_named(v).unwrap(),
            json: Vec::new(),
        }
    }

    #[test]
    fn nulls() {
        assert!(is_null(None));
        assert!(is_null(Some(&null())));
        assert!(is_null(Some(&pb::DynamicValue::default())));
        assert!(is_null(Some(&pb::DynamicValue {
            msgpack: vec![],
            json: b"null".to_vec()
        })));
        assert!(!is_null(Some(&msgpack(&serde_json::json!({})))));
    }

    #[test]
    fn decoding_errors_never_quote_the_input() {
        let mut diags = Diagnostics::default();
        // `sensitive` must be a bool: serde's own message would quote the string.
        let v = msgpack(&serde_json::json!({"key": "K", "sensitive": "hunter2-secret"}));
        let s: Option<SecretState> = decode(&mut diags, "state", "example_secret", Some(&v));
        assert!(s.is_none());
        let text = format!("{diags:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("example_secret"), "{text}");
    }

    #[test]
    fn states_round_trip_through_msgpack_and_json() {
        let mut diags = Diagnostics::default();
        let json = pb::DynamicValue {
            msgpack: vec![],
            json: br#"{"id":"sec_1","key":"K","value":"v","type":"key-value","sensitive":true,"note":null,"created_at":null}"#.to_vec(),
        };
        let s: SecretState = decode(&mut diags, "state", "t", Some(&json)).unwrap();
        assert!(matches!(s.note, Value::Null));
        let bytes = encode(&mut diags, "state", &s).unwrap();
        let back: SecretState = decode(&mut diags, "state", "t", Some(&bytes)).unwrap();
        assert!(matches!(back.key, Value::Value(ref k) if k == "K"));
        assert!(diags.errors.is_empty());
    }

    #[test]
    fn paths_and_severities() {
        let mut d = Diagnostics::default();
        d.root_warning("w", "");
        d.error(
            "e",
            "detail",
            AttributePath::new("secrets").index(2).attribute("key"),
        );
        let pb = diagnostics(d);
        assert_eq!(pb[0].summary, "e");
        assert_eq!(pb[0].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(pb[0].attribute.as_ref().unwrap().steps.len(), 3);
        assert_eq!(pb[1].severity, pb::diagnostic::Severity::Warning as i32);
        assert!(pb[1].attribute.is_none());
    }
}
