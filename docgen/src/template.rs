//! The page template engine: a template replaces a page's body below the front matter, and
//! its `{{ … }}` placeholders (listed in the crate documentation) are filled in here.

use crate::examples::Examples;

/// What a template's placeholders stand for on one page.
pub(crate) struct Placeholders<'a> {
    /// `{{ .Name }}`: the type name, or the provider's name.
    pub(crate) name: &'a str,
    /// `{{ .Description }}`.
    pub(crate) description: &'a str,
    /// `{{ .SchemaMarkdown }}`: the `## Schema` section.
    pub(crate) schema_md: &'a str,
    /// `{{ .IdentitySchemaMarkdown }}`: `None` when the type has no identity schema.
    pub(crate) identity_md: Option<&'a str>,
}

/// Expands the placeholders of `template`, the file `template_name` (named in errors);
/// `{{ example "PATH" }}` reads from `examples`.
pub(crate) fn expand(
    template_name: &str,
    template: &str,
    values: &Placeholders<'_>,
    examples: Examples<'_>,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("{template_name}: `{{{{` without a closing `}}}}`"))?;
        let directive = after[..end].trim();
        match directive {
            ".Name" => out.push_str(values.name),
            ".Description" => out.push_str(values.description.trim()),
            ".SchemaMarkdown" => out.push_str(values.schema_md.trim_end()),
            ".IdentitySchemaMarkdown" => out.push_str(
                values
                    .identity_md
                    .ok_or_else(|| {
                        format!(
                            "{template_name}: `{{{{ .IdentitySchemaMarkdown }}}}`, but the schema JSON has no identity schema for {} (it needs a resource with an identity, and `terraform providers schema -json` of Terraform 1.12 or later)",
                            values.name
                        )
                    })?
                    .trim_end(),
            ),
            _ => {
                let path = directive
                    .strip_prefix("example")
                    .map(str::trim)
                    .and_then(|p| p.strip_prefix('"'))
                    .and_then(|p| p.strip_suffix('"'))
                    .ok_or_else(|| {
                        format!("{template_name}: unknown placeholder `{{{{ {directive} }}}}`")
                    })?;
                let block = examples.block(path).ok_or_else(|| {
                    format!("{template_name}: no example file `{path}` in the examples directory")
                })?;
                out.push_str(block.trim_end());
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}
