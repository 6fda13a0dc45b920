//! Renders Terraform Registry documentation (the layout HashiCorp's `tfplugindocs` writes)
//! from the JSON that `terraform providers schema -json` prints, plus the example files of
//! an `examples/` directory and optional page templates.
//!
//! Pages, relative to the output directory:
//!
//! | page | example files (relative to `examples/`) | template (relative to `templates/`) |
//! |---|---|---|
//! | `index.md` | `provider/provider.tf` | `index.md.tmpl` |
//! | `resources/<short>.md` | `resources/<type>/resource.tf`, `import.sh`, `import-by-string-id.tf`, `import-by-identity.tf` | `resources/<short>.md.tmpl` |
//! | `data-sources/<short>.md` | `data-sources/<type>/data-source.tf` | `data-sources/<short>.md.tmpl` |
//! | `list-resources/<short>.md` | `list-resources/<type>/list-resource.tfquery.hcl` | `list-resources/<short>.md.tmpl` |
//!
//! `<short>` is the type name without the provider's prefix (`devin_secret` → `secret`).
//! List resources (`list_resource_schemas`, what `terraform query` lists) and resource
//! identities (`resource_identity_schemas`) appear in the JSON of Terraform 1.14 and later
//! (identities from 1.12); with an older CLI they are absent and get no pages or sections.
//!
//! Front matter and schema sections always come from the schema. A template, when present,
//! replaces the page body below the front matter; it may use these placeholders:
//!
//! - `{{ .Name }}`: the resource, data source or list resource type name, or the
//!   provider's name;
//! - `{{ .Description }}`: the schema's description;
//! - `{{ .SchemaMarkdown }}`: the generated `## Schema` section;
//! - `{{ .IdentitySchemaMarkdown }}`: a resource's `### Identity Schema` section (an error
//!   on a page whose type has no identity schema, e.g. from a CLI older than 1.12);
//! - `{{ example "PATH" }}`: the file at `examples/PATH` as a fenced code block
//!   (`terraform` for `.tf` and `.tfquery.hcl`, `shell` for `.sh`).
//!
//! Anything else between `{{` and `}}` is an error. Output is sorted and deterministic.
//! As in tfplugindocs, a write-only attribute is marked `Write-only` beside its type.
//!
//! Modules, by job (everything public is re-exported here):
//!
//! - `schema`: the serde model of the schema JSON;
//! - `pages`: [`render`], the assembly of each page, from its template or the default layout;
//! - `template`: the template engine, which fills in the placeholders above;
//! - `examples`: the `## Example Usage` and `## Import` sections built from `examples/`;
//! - `schema_markdown`: the `## Schema` and `### Identity Schema` sections;
//! - `markdown`: front matter, fenced code blocks and attribute list items;
//! - `cty`: the names of cty types.

mod cty;
mod examples;
mod markdown;
mod pages;
mod schema;
mod schema_markdown;
mod template;

pub use cty::type_name;
pub use pages::{render, Inputs, Page};
pub use schema::{
    Attribute, Block, BlockType, IdentityAttribute, IdentitySchema, NestedType, ProviderSchema,
    ProvidersSchema, Schema,
};
pub use schema_markdown::{identity_schema_markdown, schema_markdown};
