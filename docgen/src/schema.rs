//! The serde model of the JSON `terraform providers schema -json` prints. It holds only
//! the fields the pages use, and defaults those an older CLI leaves out (list resources,
//! identities, write-only), so that one model reads the JSON of every Terraform version.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// The document `terraform providers schema -json` prints.
#[derive(Debug, Deserialize)]
pub struct ProvidersSchema {
    /// Provider source address → schemas.
    #[serde(default)]
    pub provider_schemas: BTreeMap<String, ProviderSchema>,
}

/// One provider's schemas.
#[derive(Debug, Deserialize)]
pub struct ProviderSchema {
    /// The provider configuration block.
    pub provider: Option<Schema>,
    /// Resource type name → schema.
    #[serde(default)]
    pub resource_schemas: BTreeMap<String, Schema>,
    /// Data source type name → schema.
    #[serde(default)]
    pub data_source_schemas: BTreeMap<String, Schema>,
    /// List resource type name → schema of its `config` block (Terraform 1.14+).
    #[serde(default)]
    pub list_resource_schemas: BTreeMap<String, Schema>,
    /// Resource type name → identity schema (Terraform 1.12+).
    #[serde(default)]
    pub resource_identity_schemas: BTreeMap<String, IdentitySchema>,
}

/// A resource's identity: the attributes an `import` block's `identity` names.
#[derive(Debug, Default, Deserialize)]
pub struct IdentitySchema {
    /// Attribute name → attribute.
    #[serde(default)]
    pub attributes: BTreeMap<String, IdentityAttribute>,
}

/// One identity attribute.
#[derive(Debug, Default, Deserialize)]
pub struct IdentityAttribute {
    /// The cty type, as JSON.
    #[serde(rename = "type", default)]
    pub ty: Option<Value>,
    /// Description (Markdown or plain text).
    #[serde(default)]
    pub description: Option<String>,
    /// An import must give it.
    #[serde(default)]
    pub required_for_import: bool,
    /// An import may give it.
    #[serde(default)]
    pub optional_for_import: bool,
}

/// A versioned block.
#[derive(Debug, Deserialize)]
pub struct Schema {
    /// The top-level block.
    pub block: Block,
}

/// A block: attributes, nested blocks and a description.
#[derive(Debug, Default, Deserialize)]
pub struct Block {
    /// Attribute name → attribute.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// Nested block name → nested block.
    #[serde(default)]
    pub block_types: BTreeMap<String, BlockType>,
    /// Description (Markdown or plain text).
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the block is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// One attribute.
#[derive(Debug, Default, Deserialize)]
pub struct Attribute {
    /// The cty type, as JSON (absent for nested attributes).
    #[serde(rename = "type", default)]
    pub ty: Option<Value>,
    /// Nested attributes (protocol 6 `nested_type`).
    #[serde(default)]
    pub nested_type: Option<NestedType>,
    /// Description (Markdown or plain text).
    #[serde(default)]
    pub description: Option<String>,
    /// Must be set.
    #[serde(default)]
    pub required: bool,
    /// May be set.
    #[serde(default)]
    pub optional: bool,
    /// Set by the provider.
    #[serde(default)]
    pub computed: bool,
    /// Hidden in plans and output.
    #[serde(default)]
    pub sensitive: bool,
    /// Sent to the provider, never stored in a plan or state (Terraform 1.11+).
    #[serde(default)]
    pub write_only: bool,
    /// Deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// Protocol 6 nested attributes.
#[derive(Debug, Default, Deserialize)]
pub struct NestedType {
    /// Attribute name → attribute.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// `single`, `list`, `set` or `map`.
    #[serde(default)]
    pub nesting_mode: String,
}

/// A nested block.
#[derive(Debug, Deserialize)]
pub struct BlockType {
    /// `single`, `group`, `list`, `set` or `map`.
    #[serde(default)]
    pub nesting_mode: String,
    /// The nested block.
    #[serde(default)]
    pub block: Block,
    /// Minimum number of blocks.
    #[serde(default)]
    pub min_items: u64,
    /// Maximum number of blocks (0: no limit).
    #[serde(default)]
    pub max_items: u64,
}
