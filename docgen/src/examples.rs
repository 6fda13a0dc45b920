//! The sections of a page's default layout that come from `examples/`: `## Example Usage`
//! and a resource's `## Import`.

use std::collections::BTreeMap;

use crate::markdown::fenced;

/// The files of the `examples/` directory, keyed by their path relative to it.
#[derive(Clone, Copy)]
pub(crate) struct Examples<'a>(pub(crate) &'a BTreeMap<String, String>);

impl Examples<'_> {
    /// The example at `rel` as a fenced code block, or `None` when there is no such file.
    pub(crate) fn block(self, rel: &str) -> Option<String> {
        self.0.get(rel).map(|text| fenced(rel, text))
    }

    /// `## Example Usage` showing the example at `rel`, or nothing when there is no such file.
    pub(crate) fn usage_section(self, rel: &str) -> String {
        match self.block(rel) {
            Some(example) => format!("## Example Usage\n\n{example}\n"),
            None => String::new(),
        }
    }

    /// `## Import` from `import-by-identity.tf` (with the identity schema, when the schema
    /// has one), `import-by-string-id.tf` and `import.sh` under `dir`, when any exists; in
    /// that order, as tfplugindocs writes it.
    pub(crate) fn import_section(self, dir: &str, identity_md: Option<&str>) -> String {
        let shell = self.block(&format!("{dir}/import.sh"));
        let block = self.block(&format!("{dir}/import-by-string-id.tf"));
        let by_identity = self.block(&format!("{dir}/import-by-identity.tf"));
        if shell.is_none() && block.is_none() && by_identity.is_none() {
            return String::new();
        }
        let mut out = String::from("\n## Import\n\n");
        if let Some(by_identity) = by_identity {
            out.push_str(
                "In Terraform v1.12.0 and later, use an `import` block with `identity`:\n\n",
            );
            out.push_str(&by_identity);
            out.push('\n');
            if let Some(identity_md) = identity_md {
                out.push_str(identity_md);
                out.push('\n');
            }
        }
        if let Some(block) = block {
            out.push_str(
                "In Terraform v1.5.0 and later, and in OpenTofu, use an `import` block:\n\n",
            );
            out.push_str(&block);
            out.push('\n');
        }
        if let Some(shell) = shell {
            out.push_str("The `import` command works too:\n\n");
            out.push_str(&shell);
        }
        out
    }
}
