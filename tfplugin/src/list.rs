//! List resources: what `terraform query` (Terraform 1.14+) asks a
//! provider to enumerate, so a team can adopt the objects it already has.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::Diagnostics;

/// One object a list found.
pub struct Listed<I, O> {
    /// Its identity, which an `import` block adopts it by.
    pub identity: I,
    /// What a person recognises it by.
    pub display_name: String,
    /// Its state as an import would record it, when the query asked for objects.
    pub object: Option<O>,
}

/// A list resource type. tf-provider predates them (protocol 6.10), so the trait is ours.
#[async_trait]
pub trait ListResource: Send + Sync + 'static {
    /// The `config` block of a `list` block.
    type Config<'a>: Deserialize<'a> + Send;
    /// The listed resource type's identity.
    type Identity: Serialize + Send;
    /// The listed resource type's state.
    type Object: Serialize + Send;

    /// The schema of the `config` block.
    fn schema(&self) -> Schema;

    /// Checks a `config` block.
    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>);

    /// The objects that match `config`, at most `limit`; with their state when
    /// `include_object`.
    async fn list<'a>(
        &self,
        diags: &mut Diagnostics,
        config: Self::Config<'a>,
        include_object: bool,
        limit: usize,
    ) -> Vec<Listed<Self::Identity, Self::Object>>;
}
