//! The Devin API client, speaking v1 (`/v1/secrets`) or v3
//! (`/v3/organizations/{org_id}/secrets`). It knows nothing of Terraform: resources call
//! it, and turn its typed errors into diagnostics through `crate::diagnostics`. The
//! differences between the versions live here, not in the resources: both give the same
//! [`SecretMetadata`], the same listing (v3's pages walked into one) and the same errors.
//!
//! The folder:
//! - `client.rs`: [`Client`], its [`ClientConfig`], and how it is built;
//! - `operations.rs`: what callers do with it: list, find, create, delete;
//! - `version/`: [`ApiVersion`] and its [`Dialect`](version::Dialect), the one place
//!   where v1 (`v1.rs`) and v3 (`v3.rs`) differ: paths, bodies, how answers are read;
//! - `transport.rs`: one HTTP exchange, and the retry loop of GET and DELETE;
//! - `trust.rs`: the certificate authorities trusted; `certificate.rs`: what a failed TLS
//!   handshake was; `resolve.rs`: host names looked up without the C library (Linux);
//! - `retry.rs`: the [`RetryPolicy`], and its decision whether to try again;
//! - `reconcile.rs`: the state machine that settles a POST whose outcome is unknown;
//! - `listing.rs` and `paging.rs`: reading the whole list, v3's pages followed to the end;
//! - `cache.rs`: the one list shared by the reads and writes of this process;
//! - `status.rs` and `error.rs`: what an answer means, as an [`ApiError`];
//! - `types.rs`, `ids.rs`, `wire.rs`, `timestamps.rs`: the values callers pass and get,
//!   the ids put in URLs, the bodies on the wire, and v3's timestamps as text;
//! - `redact.rs`: [`Sensitive`], and the scrubbing of keys and values from any text shown.

pub mod cache;
pub mod certificate;
pub mod client;
pub mod error;
pub mod ids;
mod listing;
mod operations;
pub mod paging;
mod reconcile;
pub mod redact;
#[cfg(target_os = "linux")]
mod resolve;
pub mod retry;
mod status;
pub mod timestamps;
mod transport;
mod trust;
pub mod types;
pub mod version;
pub mod wire;

pub use certificate::TlsProblem;
pub use client::{Client, ClientConfig};
pub use error::{ApiError, Call, LastAnswer, NoAnswer, ValidationIssue};
pub use redact::Sensitive;
pub use retry::RetryPolicy;
pub use types::{ApiVersion, LastUpdate, NewSecret, SecretId, SecretMetadata, SecretType};
