//! Assembly of each page: the provider's `index.md` and one page per resource, data source
//! and list resource, each from its template or the default layout.

use std::collections::BTreeMap;

use crate::examples::Examples;
use crate::markdown::{front_matter, push_paragraph};
use crate::schema::{Block, IdentitySchema, ProvidersSchema, Schema};
use crate::schema_markdown::{identity_schema_markdown, schema_markdown};
use crate::template::{expand, Placeholders};

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path relative to the output directory, with `/` separators.
    pub path: String,
    /// The Markdown.
    pub content: String,
}

/// Example files and templates, each keyed by its path relative to its directory, with
/// `/` separators.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Files of the `examples/` directory.
    pub examples: BTreeMap<String, String>,
    /// Files of the `templates/` directory.
    pub templates: BTreeMap<String, String>,
}

/// Renders every page for the one provider in `schema_json`.
pub fn render(schema_json: &str, inputs: &Inputs) -> Result<Vec<Page>, String> {
    let doc: ProvidersSchema = serde_json::from_str(schema_json)
        .map_err(|e| format!("cannot parse the provider schema JSON: {e}"))?;
    let (address, provider) = match doc.provider_schemas.len() {
        1 => doc.provider_schemas.iter().next().expect("one provider"),
        0 => return Err("the schema JSON holds no provider schema".into()),
        _ => {
            let names: Vec<&str> = doc.provider_schemas.keys().map(String::as_str).collect();
            return Err(format!(
                "the schema JSON holds several providers ({}); run it in a configuration that requires only this one",
                names.join(", ")
            ));
        }
    };
    let name = address.rsplit('/').next().unwrap_or(address).to_string();
    let builder = PageBuilder {
        name,
        examples: Examples(&inputs.examples),
        templates: &inputs.templates,
    };
    let mut pages = Vec::new();
    let empty = Schema {
        block: Block::default(),
    };
    pages.push(builder.provider_page(provider.provider.as_ref().unwrap_or(&empty))?);
    for (type_name, schema) in &provider.resource_schemas {
        let identity = provider.resource_identity_schemas.get(type_name);
        pages.push(builder.type_page(Kind::Resource, type_name, schema, identity)?);
    }
    for (type_name, schema) in &provider.data_source_schemas {
        pages.push(builder.type_page(Kind::DataSource, type_name, schema, None)?);
    }
    for (type_name, schema) in &provider.list_resource_schemas {
        pages.push(builder.type_page(Kind::ListResource, type_name, schema, None)?);
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(pages)
}

/// The kinds of type that get a page of their own.
#[derive(Clone, Copy)]
enum Kind {
    Resource,
    DataSource,
    ListResource,
}

impl Kind {
    /// How titles and headings name the kind.
    fn label(self) -> &'static str {
        match self {
            Kind::Resource => "Resource",
            Kind::DataSource => "Data Source",
            Kind::ListResource => "List Resource",
        }
    }

    /// The directory of its pages, of its examples and of its templates.
    fn dir(self) -> &'static str {
        match self {
            Kind::Resource => "resources",
            Kind::DataSource => "data-sources",
            Kind::ListResource => "list-resources",
        }
    }

    /// The example `## Example Usage` shows, in the type's examples directory.
    fn example_file(self) -> &'static str {
        match self {
            Kind::Resource => "resource.tf",
            Kind::DataSource => "data-source.tf",
            Kind::ListResource => "list-resource.tfquery.hcl",
        }
    }
}

/// Builds the pages of one provider.
struct PageBuilder<'a> {
    /// The provider's local name, e.g. `devin`.
    name: String,
    examples: Examples<'a>,
    templates: &'a BTreeMap<String, String>,
}

impl PageBuilder<'_> {
    /// The provider's name as a title shows it, e.g. `Devin`.
    fn display_name(&self) -> String {
        let mut chars = self.name.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }

    fn provider_page(&self, schema: &Schema) -> Result<Page, String> {
        let description = description_of(&schema.block);
        let front = front_matter(
            &format!("Provider: {}", self.display_name()),
            None,
            &description,
        );
        let schema_md = schema_markdown(&schema.block);
        let template_path = "index.md.tmpl";
        let body = match self.templates.get(template_path) {
            Some(template) => expand(
                template_path,
                template,
                &Placeholders {
                    name: &self.name,
                    description: &description,
                    schema_md: &schema_md,
                    identity_md: None,
                },
                self.examples,
            )?,
            None => {
                let mut body = format!("# {} Provider\n\n", self.display_name());
                push_paragraph(&mut body, &description);
                body.push_str(&self.examples.usage_section("provider/provider.tf"));
                body.push_str(&schema_md);
                body
            }
        };
        Ok(page("index.md", front, &body))
    }

    fn type_page(
        &self,
        kind: Kind,
        type_name: &str,
        schema: &Schema,
        identity: Option<&IdentitySchema>,
    ) -> Result<Page, String> {
        let short = type_name
            .strip_prefix(&format!("{}_", self.name))
            .unwrap_or(type_name);
        let path = format!("{}/{short}.md", kind.dir());
        let template_path = format!("{path}.tmpl");
        let description = description_of(&schema.block);
        let front = front_matter(
            &format!(
                "{type_name} {} - terraform-provider-{}",
                kind.label(),
                self.name
            ),
            Some(""),
            &description,
        );
        let schema_md = schema_markdown(&schema.block);
        let identity_md = identity.map(identity_schema_markdown);
        let body = match self.templates.get(&template_path) {
            Some(template) => expand(
                &template_path,
                template,
                &Placeholders {
                    name: type_name,
                    description: &description,
                    schema_md: &schema_md,
                    identity_md: identity_md.as_deref(),
                },
                self.examples,
            )?,
            None => {
                let examples_dir = format!("{}/{type_name}", kind.dir());
                let mut body = format!("# {type_name} ({})\n\n", kind.label());
                push_paragraph(&mut body, &description);
                body.push_str(
                    &self
                        .examples
                        .usage_section(&format!("{examples_dir}/{}", kind.example_file())),
                );
                body.push_str(&schema_md);
                if let Kind::Resource = kind {
                    body.push_str(
                        &self
                            .examples
                            .import_section(&examples_dir, identity_md.as_deref()),
                    );
                }
                body
            }
        };
        Ok(page(&path, front, &body))
    }
}

fn description_of(block: &Block) -> String {
    block
        .description
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// A page whose text ends in exactly one newline.
fn page(path: &str, front: String, body: &str) -> Page {
    let mut content = front;
    content.push('\n');
    content.push_str(body.trim());
    content.push('\n');
    Page {
        path: path.to_string(),
        content,
    }
}
