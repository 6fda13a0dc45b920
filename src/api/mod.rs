//! The Devin API v1 client. It knows nothing of Terraform: resources call it, and turn
//! its typed errors into diagnostics through `crate::diagnostics`.

pub mod cache;
pub mod client;
pub mod error;
pub mod redact;
pub mod retry;
pub mod types;

pub use client::{Client, ClientConfig};
pub use error::{ApiError, Call, LastAnswer, NoAnswer, ValidationIssue};
pub use redact::Sensitive;
pub use retry::RetryPolicy;
pub use types::{NewSecret, SecretId, SecretMetadata, SecretType};
