//! The secret domain: resource `devin_secret`, data sources `devin_secret` and
//! `devin_secrets`, and list resource `devin_secret`.
//!
//! - [`state`]: what Terraform stores (state, identity, private state) and the defaults;
//!   [`schema`]: the resource's schema and identity schema.
//! - `checks`: argument checks; `plan`: which changes replace a secret; `edits`: changes
//!   made in Devin, outside Terraform; `metadata`: from what the API reports to state;
//!   `upgrade`: states of older schema versions.
//! - `claims`: what a plan does with each secret and which create takes each key;
//!   `key_check`: the plan's check of a create's key against the organization's secrets
//!   and the other creates; `collisions`: the words of a key a create cannot have.
//! - [`resource`]: the resource's CRUD; `resource_ext`: its identity, upgrades and
//!   write-only attribute; `import`: its import.
//! - `lookup`: the one list-and-find that the import, the data sources and the list
//!   resource share; [`filters`]: what the data sources and the list resource expose and
//!   filter by.
//! - [`data_secret`], [`data_secrets`], [`list`]: the data sources and the list resource.
//! - `problems`: the words of every message about a secret.

mod checks;
mod claims;
mod collisions;
pub mod data_secret;
pub mod data_secrets;
mod edits;
pub mod filters;
mod import;
mod key_check;
pub mod list;
mod lookup;
mod metadata;
mod plan;
mod problems;
pub mod resource;
mod resource_ext;
pub mod schema;
pub mod state;
#[cfg(test)]
mod test_support;
mod upgrade;

pub use checks::env_var_name;
pub use data_secret::SecretDataSource;
pub use data_secrets::SecretsDataSource;
pub use list::SecretList;
pub use resource::SecretResource;
pub use state::{
    Baseline, Private, SecretIdentity, SecretPrivate, SecretState, DEFAULT_SENSITIVE, DEFAULT_TYPE,
    SCHEMA_VERSION, WRITE_ONLY,
};
