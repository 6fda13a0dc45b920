//! Diagnostics built field by field: `Diagnostic::new` appends a Rust backtrace to the
//! detail whenever `RUST_BACKTRACE` is set, which users would then see in every message.

use tf_provider::{AttributePath, Diagnostic, Diagnostics};

/// Adds an error on the top-level `attribute` (the root when `None`).
pub fn error(diags: &mut Diagnostics, summary: String, detail: String, attribute: Option<&str>) {
    diags.add_error(Diagnostic {
        summary: summary.into(),
        detail: detail.into(),
        attribute: path(attribute),
    });
}

/// Adds a warning on the top-level `attribute` (the root when `None`).
pub fn warning(diags: &mut Diagnostics, summary: String, detail: String, attribute: Option<&str>) {
    diags.add_warning(Diagnostic {
        summary: summary.into(),
        detail: detail.into(),
        attribute: path(attribute),
    });
}

fn path(attribute: Option<&str>) -> AttributePath {
    attribute.map_or_else(AttributePath::root, |a| AttributePath::new(a.to_string()))
}
