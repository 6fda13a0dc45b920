//! API errors as diagnostics a person can act on, and the [`Action`] every message names.
//!
//! Each domain builds its own messages from typed problems (the provider's settings in
//! [`crate::provider`], the secret in [`crate::secret`]); the words for the API's errors
//! live here, as every domain meets them. Diagnostics are built field by field by
//! [`error`] and [`warning`] rather than with `Diagnostic::new`, which appends a Rust
//! backtrace to the detail whenever `RUST_BACKTRACE` is set.

mod action;
mod api_error;
#[cfg(test)]
mod tests;
mod tls;

pub use action::Action;
pub use api_error::{api_error, api_error_on, attribute_for_field};
pub use tfplugin::diagnostics::{error, warning};
