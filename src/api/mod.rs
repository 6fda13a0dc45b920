//! The Devin API client, speaking v1 (`/v1/secrets`) or v3
//! (`/v3/organizations/{org_id}/secrets`). It knows nothing of Terraform: resources call
//! it, and turn its typed errors into diagnostics through `crate::diagnostics`. The
//! differences between the versions live here, not in the resources: both give the same
//! [`SecretMetadata`], the same listing (v3's pages walked into one) and the same errors.

pub mod cache;
pub mod client;
pub mod endpoints;
pub mod error;
pub mod paging;
pub mod redact;
pub mod retry;
pub mod types;

pub use client::{Client, ClientConfig};
pub use error::{ApiError, Call, LastAnswer, NoAnswer, ValidationIssue};
pub use redact::Sensitive;
pub use retry::RetryPolicy;
pub use types::{ApiVersion, NewSecret, SecretId, SecretMetadata, SecretType};
