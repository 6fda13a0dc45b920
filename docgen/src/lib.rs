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

use std::collections::{BTreeMap, VecDeque};

use serde::Deserialize;
use serde_json::Value;

/// The document `terraform providers schema -json` prints.
#[derive(Debug, Deserialize)]
pub struct ProvidersSchema {
    /// Provider source address → schemas.
    #[serde(default)]
    pub provider_schemas: BTreeMap<String, ProviderSchema>,
}

/// One provider's schemas.
#[derive(Debug, Deserialize)]
pub struct ProviderSchema {
    /// The provider configuration block.
    pub provider: Option<Schema>,
    /// Resource type name → schema.
    #[serde(default)]
    pub resource_schemas: BTreeMap<String, Schema>,
    /// Data source type name → schema.
    #[serde(default)]
    pub data_source_schemas: BTreeMap<String, Schema>,
    /// List resource type name → schema of its `config` block (Terraform 1.14+).
    #[serde(default)]
    pub list_resource_schemas: BTreeMap<String, Schema>,
    /// Resource type name → identity schema (Terraform 1.12+).
    #[serde(default)]
    pub resource_identity_schemas: BTreeMap<String, IdentitySchema>,
}

/// A resource's identity: the attributes an `import` block's `identity` names.
#[derive(Debug, Default, Deserialize)]
pub struct IdentitySchema {
    /// Attribute name → attribute.
    #[serde(default)]
    pub attributes: BTreeMap<String, IdentityAttribute>,
}

/// One identity attribute.
#[derive(Debug, Default, Deserialize)]
pub struct IdentityAttribute {
    /// The cty type, as JSON.
    #[serde(rename = "type", default)]
    pub ty: Option<Value>,
    /// Description (Markdown or plain text).
    #[serde(default)]
    pub description: Option<String>,
    /// An import must give it.
    #[serde(default)]
    pub required_for_import: bool,
    /// An import may give it.
    #[serde(default)]
    pub optional_for_import: bool,
}

/// A versioned block.
#[derive(Debug, Deserialize)]
pub struct Schema {
    /// The top-level block.
    pub block: Block,
}

/// A block: attributes, nested blocks and a description.
#[derive(Debug, Default, Deserialize)]
pub struct Block {
    /// Attribute name → attribute.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// Nested block name → nested block.
    #[serde(default)]
    pub block_types: BTreeMap<String, BlockType>,
    /// Description (Markdown or plain text).
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the block is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// One attribute.
#[derive(Debug, Default, Deserialize)]
pub struct Attribute {
    /// The cty type, as JSON (absent for nested attributes).
    #[serde(rename = "type", default)]
    pub ty: Option<Value>,
    /// Nested attributes (protocol 6 `nested_type`).
    #[serde(default)]
    pub nested_type: Option<NestedType>,
    /// Description (Markdown or plain text).
    #[serde(default)]
    pub description: Option<String>,
    /// Must be set.
    #[serde(default)]
    pub required: bool,
    /// May be set.
    #[serde(default)]
    pub optional: bool,
    /// Set by the provider.
    #[serde(default)]
    pub computed: bool,
    /// Hidden in plans and output.
    #[serde(default)]
    pub sensitive: bool,
    /// Sent to the provider, never stored in a plan or state (Terraform 1.11+).
    #[serde(default)]
    pub write_only: bool,
    /// Deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// Protocol 6 nested attributes.
#[derive(Debug, Default, Deserialize)]
pub struct NestedType {
    /// Attribute name → attribute.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// `single`, `list`, `set` or `map`.
    #[serde(default)]
    pub nesting_mode: String,
}

/// A nested block.
#[derive(Debug, Deserialize)]
pub struct BlockType {
    /// `single`, `group`, `list`, `set` or `map`.
    #[serde(default)]
    pub nesting_mode: String,
    /// The nested block.
    #[serde(default)]
    pub block: Block,
    /// Minimum number of blocks.
    #[serde(default)]
    pub min_items: u64,
    /// Maximum number of blocks (0: no limit).
    #[serde(default)]
    pub max_items: u64,
}

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
    let ctx = Context { name, inputs };
    let mut pages = Vec::new();
    let empty = Schema {
        block: Block::default(),
    };
    pages.push(ctx.provider_page(provider.provider.as_ref().unwrap_or(&empty))?);
    for (type_name, schema) in &provider.resource_schemas {
        let identity = provider.resource_identity_schemas.get(type_name);
        pages.push(ctx.type_page(Kind::Resource, type_name, schema, identity)?);
    }
    for (type_name, schema) in &provider.data_source_schemas {
        pages.push(ctx.type_page(Kind::DataSource, type_name, schema, None)?);
    }
    for (type_name, schema) in &provider.list_resource_schemas {
        pages.push(ctx.type_page(Kind::ListResource, type_name, schema, None)?);
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(pages)
}

#[derive(Clone, Copy)]
enum Kind {
    Resource,
    DataSource,
    ListResource,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Resource => "Resource",
            Kind::DataSource => "Data Source",
            Kind::ListResource => "List Resource",
        }
    }
    fn dir(self) -> &'static str {
        match self {
            Kind::Resource => "resources",
            Kind::DataSource => "data-sources",
            Kind::ListResource => "list-resources",
        }
    }
    fn example_file(self) -> &'static str {
        match self {
            Kind::Resource => "resource.tf",
            Kind::DataSource => "data-source.tf",
            Kind::ListResource => "list-resource.tfquery.hcl",
        }
    }
}

struct Context<'a> {
    /// The provider's local name, e.g. `devin`.
    name: String,
    inputs: &'a Inputs,
}

impl Context<'_> {
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
        let body = match self.inputs.templates.get("index.md.tmpl") {
            Some(template) => self.fill(
                "index.md.tmpl",
                template,
                &self.name,
                &description,
                &schema_md,
                None,
            )?,
            None => {
                let mut body = format!("# {} Provider\n\n", self.display_name());
                push_paragraph(&mut body, &description);
                if let Some(example) = self.example_block("provider/provider.tf") {
                    body.push_str("## Example Usage\n\n");
                    body.push_str(&example);
                    body.push('\n');
                }
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
        let body = match self.inputs.templates.get(&template_path) {
            Some(template) => self.fill(
                &template_path,
                template,
                type_name,
                &description,
                &schema_md,
                identity_md.as_deref(),
            )?,
            None => {
                let dir = format!("{}/{type_name}", kind.dir());
                let mut body = format!("# {type_name} ({})\n\n", kind.label());
                push_paragraph(&mut body, &description);
                if let Some(example) = self.example_block(&format!("{dir}/{}", kind.example_file()))
                {
                    body.push_str("## Example Usage\n\n");
                    body.push_str(&example);
                    body.push('\n');
                }
                body.push_str(&schema_md);
                if let Kind::Resource = kind {
                    body.push_str(&self.import_section(&dir, identity_md.as_deref()));
                }
                body
            }
        };
        Ok(page(&path, front, &body))
    }

    /// `## Import` from `import-by-identity.tf` (with the identity schema, when the schema
    /// has one), `import-by-string-id.tf` and `import.sh`, when any exists; in that order, as
    /// tfplugindocs writes it.
    fn import_section(&self, dir: &str, identity_md: Option<&str>) -> String {
        let shell = self.example_block(&format!("{dir}/import.sh"));
        let block = self.example_block(&format!("{dir}/import-by-string-id.tf"));
        let by_identity = self.example_block(&format!("{dir}/import-by-identity.tf"));
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

    /// The example at `rel` as a fenced code block, or `None` when there is no such file.
    fn example_block(&self, rel: &str) -> Option<String> {
        self.inputs.examples.get(rel).map(|text| fenced(rel, text))
    }

    /// Expands a template's placeholders.
    fn fill(
        &self,
        template_name: &str,
        template: &str,
        name: &str,
        description: &str,
        schema_md: &str,
        identity_md: Option<&str>,
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
                ".Name" => out.push_str(name),
                ".Description" => out.push_str(description.trim()),
                ".SchemaMarkdown" => out.push_str(schema_md.trim_end()),
                ".IdentitySchemaMarkdown" => out.push_str(
                    identity_md
                        .ok_or_else(|| {
                            format!(
                                "{template_name}: `{{{{ .IdentitySchemaMarkdown }}}}`, but the schema JSON has no identity schema for {name} (it needs a resource with an identity, and `terraform providers schema -json` of Terraform 1.12 or later)"
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
                    let block = self.example_block(path).ok_or_else(|| {
                        format!(
                            "{template_name}: no example file `{path}` in the examples directory"
                        )
                    })?;
                    out.push_str(block.trim_end());
                }
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
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

fn push_paragraph(out: &mut String, text: &str) {
    if !text.is_empty() {
        out.push_str(text);
        out.push_str("\n\n");
    }
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

/// YAML front matter in the shape the Registry expects.
fn front_matter(title: &str, subcategory: Option<&str>, description: &str) -> String {
    let mut out = String::from(
        "---\n# generated by devin-docgen from the provider schema: do not edit, run `make docs`\n",
    );
    out.push_str(&format!("page_title: {}\n", yaml_quote(title)));
    if let Some(sub) = subcategory {
        out.push_str(&format!("subcategory: {}\n", yaml_quote(sub)));
    }
    if description.is_empty() {
        out.push_str("description: \"\"\n");
    } else {
        out.push_str("description: |-\n");
        for line in description.lines() {
            if line.trim().is_empty() {
                out.push('\n');
            } else {
                out.push_str("  ");
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
    }
    out.push_str("---\n");
    out
}

fn yaml_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `text` as a fenced code block, its language from `path`'s extension.
fn fenced(path: &str, text: &str) -> String {
    let lang = match path.rsplit('.').next() {
        // Query files are Terraform configuration too (tfplugindocs' `tffile`).
        Some("tf") => "terraform",
        _ if path.ends_with(".tfquery.hcl") => "terraform",
        Some("sh") => "shell",
        Some("json") => "json",
        _ => "",
    };
    format!("```{lang}\n{}\n```\n", text.trim_end())
}

/// The groups attributes are listed under, in order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Group {
    Required,
    Optional,
    ReadOnly,
}

impl Group {
    fn title(self) -> &'static str {
        match self {
            Group::Required => "Required",
            Group::Optional => "Optional",
            Group::ReadOnly => "Read-Only",
        }
    }
    fn of(a: &Attribute) -> Group {
        if a.required {
            Group::Required
        } else if a.optional {
            Group::Optional
        } else {
            Group::ReadOnly
        }
    }
}

/// What a nested section lists.
enum Nested<'a> {
    /// Protocol 6 nested attributes: children carry their own flags.
    Attributes(&'a BTreeMap<String, Attribute>),
    /// A nested block.
    Block(&'a Block),
    /// The attributes of an object type: children take the parent's group.
    Object(&'a serde_json::Map<String, Value>, Group),
}

struct Section<'a> {
    anchor: String,
    path: String,
    nested: Nested<'a>,
}

/// One list item, and the nested section it points to, if any.
struct Item<'a> {
    name: String,
    group: Group,
    line: String,
    nested: Option<Section<'a>>,
}

/// The `## Schema` section of a block, with its nested sections.
pub fn schema_markdown(block: &Block) -> String {
    let mut out = String::from("<!-- schema generated by devin-docgen -->\n## Schema\n");
    let mut queue: VecDeque<Section> = VecDeque::new();
    let items = block_items(block, "", "");
    let mut any = false;
    for group in [Group::Required, Group::Optional, Group::ReadOnly] {
        let lines: Vec<&Item> = items.iter().filter(|i| i.group == group).collect();
        if lines.is_empty() {
            continue;
        }
        any = true;
        out.push_str(&format!("\n### {}\n\n", group.title()));
        for item in lines {
            out.push_str(&item.line);
            out.push('\n');
        }
    }
    if !any {
        out.push_str("\nThis has no arguments or attributes.\n");
    }
    queue.extend(sorted(items).into_iter().filter_map(|i| i.nested));
    while let Some(section) = queue.pop_front() {
        out.push_str(&format!(
            "\n<a id=\"{}\"></a>\n### Nested Schema for `{}`\n",
            section.anchor, section.path
        ));
        let children = match section.nested {
            Nested::Attributes(attrs) => attribute_items(attrs, &section.anchor, &section.path),
            Nested::Block(b) => block_items(b, &section.anchor, &section.path),
            Nested::Object(fields, group) => {
                object_items(fields, group, &section.anchor, &section.path)
            }
        };
        for group in [Group::Required, Group::Optional, Group::ReadOnly] {
            let lines: Vec<&Item> = children.iter().filter(|i| i.group == group).collect();
            if lines.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{}:\n\n", group.title()));
            for item in lines {
                out.push_str(&item.line);
                out.push('\n');
            }
        }
        queue.extend(sorted(children).into_iter().filter_map(|i| i.nested));
    }
    out
}

/// Where a write-only attribute's mark links to, as in tfplugindocs.
const WRITE_ONLY_DOCS: &str =
    "https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments";

/// The `### Identity Schema` section of a resource (tfplugindocs' layout): the attributes
/// an import must give, then those it may.
pub fn identity_schema_markdown(identity: &IdentitySchema) -> String {
    let mut out = String::from("<!-- schema generated by devin-docgen -->\n### Identity Schema\n");
    let groups = [("Required", true), ("Optional", false)];
    for (title, required) in groups {
        let names: Vec<&String> = identity
            .attributes
            .iter()
            .filter(|(_, a)| a.required_for_import == required)
            .map(|(name, _)| name)
            .collect();
        if names.is_empty() {
            continue;
        }
        out.push_str(&format!("\n#### {title}\n\n"));
        for name in names {
            let a = &identity.attributes[name];
            let ty =
                a.ty.as_ref()
                    .map(type_name)
                    .unwrap_or_else(|| "Dynamic".into());
            out.push_str(&item_line(name, &ty, a.description.as_deref(), None));
            out.push('\n');
        }
    }
    out
}

/// Items in list order: by group, then by name.
fn sorted(mut items: Vec<Item<'_>>) -> Vec<Item<'_>> {
    items.sort_by(|a, b| (a.group, &a.name).cmp(&(b.group, &b.name)));
    items
}

fn child_path(parent_path: &str, name: &str) -> String {
    if parent_path.is_empty() {
        name.to_string()
    } else {
        format!("{parent_path}.{name}")
    }
}

fn child_anchor(kind: &str, parent_anchor: &str, name: &str) -> String {
    if parent_anchor.is_empty() {
        format!("{kind}--{name}")
    } else {
        format!("{parent_anchor}--{name}")
    }
}

fn block_items<'a>(block: &'a Block, anchor: &str, path: &str) -> Vec<Item<'a>> {
    let mut items = attribute_items(&block.attributes, anchor, path);
    for (name, bt) in &block.block_types {
        let group = if bt.min_items > 0 {
            Group::Required
        } else {
            Group::Optional
        };
        let mut ty = match bt.nesting_mode.as_str() {
            "list" => "Block List".to_string(),
            "set" => "Block Set".to_string(),
            "map" => "Block Map".to_string(),
            _ => "Block".to_string(),
        };
        if bt.max_items > 0 && matches!(bt.nesting_mode.as_str(), "list" | "set") {
            ty.push_str(&format!(", Max: {}", bt.max_items));
        }
        if bt.block.deprecated {
            ty.push_str(", Deprecated");
        }
        let section = Section {
            anchor: child_anchor("nestedblock", anchor, name),
            path: child_path(path, name),
            nested: Nested::Block(&bt.block),
        };
        items.push(Item {
            name: name.clone(),
            group,
            line: item_line(
                name,
                &ty,
                bt.block.description.as_deref(),
                Some(&section.anchor),
            ),
            nested: Some(section),
        });
    }
    sorted(items)
}

fn attribute_items<'a>(
    attrs: &'a BTreeMap<String, Attribute>,
    anchor: &str,
    path: &str,
) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    for (name, a) in attrs {
        let group = Group::of(a);
        let (mut ty, nested) = if let Some(nt) = &a.nested_type {
            let ty = match nt.nesting_mode.as_str() {
                "list" => "Attributes List",
                "set" => "Attributes Set",
                "map" => "Attributes Map",
                _ => "Attributes",
            };
            let section = Section {
                anchor: child_anchor("nestedatt", anchor, name),
                path: child_path(path, name),
                nested: Nested::Attributes(&nt.attributes),
            };
            (ty.to_string(), Some(section))
        } else {
            let ty = a.ty.as_ref();
            let nested = ty.and_then(object_fields).map(|fields| Section {
                anchor: child_anchor("nestedobjatt", anchor, name),
                path: child_path(path, name),
                nested: Nested::Object(fields, group),
            });
            (
                ty.map(type_name).unwrap_or_else(|| "Dynamic".into()),
                nested,
            )
        };
        if a.sensitive {
            ty.push_str(", Sensitive");
        }
        if a.deprecated {
            ty.push_str(", Deprecated");
        }
        if a.write_only {
            ty.push_str(&format!(", [Write-only]({WRITE_ONLY_DOCS})"));
        }
        let anchor_ref = nested.as_ref().map(|s| s.anchor.as_str());
        items.push(Item {
            name: name.clone(),
            group,
            line: item_line(name, &ty, a.description.as_deref(), anchor_ref),
            nested,
        });
    }
    sorted(items)
}

fn object_items<'a>(
    fields: &'a serde_json::Map<String, Value>,
    group: Group,
    anchor: &str,
    path: &str,
) -> Vec<Item<'a>> {
    let mut names: Vec<&String> = fields.keys().collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let ty = &fields[name];
            let nested = object_fields(ty).map(|f| Section {
                anchor: child_anchor("nestedobjatt", anchor, name),
                path: child_path(path, name),
                nested: Nested::Object(f, group),
            });
            let anchor_ref = nested.as_ref().map(|s| s.anchor.as_str());
            Item {
                name: name.clone(),
                group,
                line: item_line(name, &type_name(ty), None, anchor_ref),
                nested,
            }
        })
        .collect()
}

/// The object type's fields, looking through lists, sets and maps.
fn object_fields(ty: &Value) -> Option<&serde_json::Map<String, Value>> {
    let parts = ty.as_array()?;
    match parts.first()?.as_str()? {
        "object" => parts.get(1)?.as_object(),
        "list" | "set" | "map" => object_fields(parts.get(1)?),
        _ => None,
    }
}

/// tfplugindocs' name of a cty type: `String`, `List of Object`, …
pub fn type_name(ty: &Value) -> String {
    if let Some(s) = ty.as_str() {
        return match s {
            "string" => "String",
            "number" => "Number",
            "bool" => "Boolean",
            "dynamic" => "Dynamic",
            other => other,
        }
        .to_string();
    }
    let Some(parts) = ty.as_array() else {
        return "Dynamic".into();
    };
    let element = || {
        parts
            .get(1)
            .map(type_name)
            .unwrap_or_else(|| "Dynamic".into())
    };
    match parts.first().and_then(Value::as_str) {
        Some("list") => format!("List of {}", element()),
        Some("set") => format!("Set of {}", element()),
        Some("map") => format!("Map of {}", element()),
        Some("object") => "Object".into(),
        Some("tuple") => "Tuple".into(),
        _ => "Dynamic".into(),
    }
}

fn item_line(
    name: &str,
    ty: &str,
    description: Option<&str>,
    nested_anchor: Option<&str>,
) -> String {
    let mut line = format!("- `{name}` ({ty})");
    let description = description.unwrap_or("").trim();
    if !description.is_empty() {
        line.push(' ');
        // Continuation lines stay inside the list item.
        let mut first = true;
        for l in description.lines() {
            if !first {
                line.push('\n');
                if !l.trim().is_empty() {
                    line.push_str("  ");
                }
            }
            line.push_str(l.trim_end());
            first = false;
        }
    }
    if let Some(anchor) = nested_anchor {
        line.push_str(&format!(" (see [below for nested schema](#{anchor}))"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../fixtures/schema.json");

    fn inputs() -> Inputs {
        let mut examples = BTreeMap::new();
        examples.insert(
            "provider/provider.tf".to_string(),
            "provider \"demo\" {}\n".to_string(),
        );
        examples.insert(
            "resources/demo_thing/resource.tf".to_string(),
            "resource \"demo_thing\" \"x\" {\n  name = \"x\"\n}\n".to_string(),
        );
        examples.insert(
            "resources/demo_thing/import.sh".to_string(),
            "terraform import demo_thing.x abc\n".to_string(),
        );
        examples.insert(
            "resources/demo_thing/import-by-string-id.tf".to_string(),
            "import {\n  to = demo_thing.x\n  id = \"abc\"\n}\n".to_string(),
        );
        examples.insert(
            "data-sources/demo_things/data-source.tf".to_string(),
            "data \"demo_things\" \"all\" {}\n".to_string(),
        );
        Inputs {
            examples,
            templates: BTreeMap::new(),
        }
    }

    fn page<'a>(pages: &'a [Page], path: &str) -> &'a str {
        &pages
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("no page {path}"))
            .content
    }

    #[test]
    fn writes_one_page_per_provider_resource_and_data_source_sorted() {
        let pages = render(FIXTURE, &inputs()).unwrap();
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["data-sources/things.md", "index.md", "resources/thing.md"]
        );
    }

    #[test]
    fn resource_page_matches_tfplugindocs_layout() {
        let pages = render(FIXTURE, &inputs()).unwrap();
        let expected = r#"---
# generated by devin-docgen from the provider schema: do not edit, run `make docs`
page_title: "demo_thing Resource - terraform-provider-demo"
subcategory: ""
description: |-
  A thing.
  Second line.
---

# demo_thing (Resource)

A thing.
Second line.

## Example Usage

```terraform
resource "demo_thing" "x" {
  name = "x"
}
```

<!-- schema generated by devin-docgen -->
## Schema

### Required

- `name` (String) The name.
- `secret` (String, Sensitive) The secret.

### Optional

- `kind` (String) The kind. Defaults to `a`.
- `settings` (Block List, Max: 1) Settings. (see [below for nested schema](#nestedblock--settings))
- `tags` (Map of String) Tags.

### Read-Only

- `id` (String) The id.

<a id="nestedblock--settings"></a>
### Nested Schema for `settings`

Optional:

- `level` (Number) The level.

## Import

In Terraform v1.5.0 and later, and in OpenTofu, use an `import` block:

```terraform
import {
  to = demo_thing.x
  id = "abc"
}
```

The `import` command works too:

```shell
terraform import demo_thing.x abc
```
"#;
        assert_eq!(page(&pages, "resources/thing.md"), expected);
    }

    #[test]
    fn list_of_object_attributes_get_a_nested_section() {
        let pages = render(FIXTURE, &inputs()).unwrap();
        let text = page(&pages, "data-sources/things.md");
        assert!(
            text.contains("page_title: \"demo_things Data Source - terraform-provider-demo\"\n")
        );
        assert!(text.contains("# demo_things (Data Source)\n"));
        assert!(text.contains(
            "### Read-Only\n\n- `things` (List of Object) The things. (see [below for nested schema](#nestedobjatt--things))\n"
        ));
        assert!(text.contains(
            "<a id=\"nestedobjatt--things\"></a>\n### Nested Schema for `things`\n\nRead-Only:\n\n- `id` (String)\n- `meta` (Object) (see [below for nested schema](#nestedobjatt--things--meta))\n- `name` (String)\n"
        ));
        assert!(text
            .contains("### Nested Schema for `things.meta`\n\nRead-Only:\n\n- `size` (Number)\n"));
        assert!(text.ends_with("- `size` (Number)\n"), "{text}");
        assert!(!text.contains("## Import"));
    }

    #[test]
    fn nested_attributes_keep_their_own_groups() {
        let pages = render(FIXTURE, &inputs()).unwrap();
        let text = page(&pages, "data-sources/things.md");
        assert!(text.contains(
            "- `filter` (Attributes) A filter. (see [below for nested schema](#nestedatt--filter))\n"
        ));
        assert!(text.contains(
            "### Nested Schema for `filter`\n\nRequired:\n\n- `field` (String) Field.\n\nOptional:\n\n- `value` (String) Value.\n"
        ));
    }

    #[test]
    fn provider_page_default_layout() {
        let pages = render(FIXTURE, &inputs()).unwrap();
        let text = page(&pages, "index.md");
        assert!(text.starts_with(
            "---\n# generated by devin-docgen from the provider schema: do not edit, run `make docs`\npage_title: \"Provider: Demo\"\ndescription: |-\n  The demo provider.\n---\n\n# Demo Provider\n\nThe demo provider.\n\n## Example Usage\n\n```terraform\nprovider \"demo\" {}\n```\n\n"
        ));
        assert!(text.contains("### Optional\n\n- `token` (String, Sensitive) A token.\n"));
        assert!(!text.contains("subcategory"));
    }

    #[test]
    fn templates_replace_the_body_and_expand_placeholders() {
        let mut inputs = inputs();
        inputs.templates.insert(
            "index.md.tmpl".into(),
            "# {{ .Name }}\n\n{{ .Description }}\n\nIntro.\n\n{{ example \"provider/provider.tf\" }}\n\n{{ .SchemaMarkdown }}\n".into(),
        );
        let pages = render(FIXTURE, &inputs).unwrap();
        let text = page(&pages, "index.md");
        let body = text.split("---\n").nth(2).unwrap();
        assert!(body.starts_with(
            "\n# demo\n\nThe demo provider.\n\nIntro.\n\n```terraform\nprovider \"demo\" {}\n```\n\n<!-- schema generated by devin-docgen -->\n## Schema\n"
        ), "{body}");
        assert!(text.ends_with("- `token` (String, Sensitive) A token.\n"));
    }

    #[test]
    fn template_errors_are_reported() {
        let mut bad = inputs();
        bad.templates
            .insert("index.md.tmpl".into(), "{{ .Nope }}".into());
        assert!(render(FIXTURE, &bad)
            .unwrap_err()
            .contains("unknown placeholder `{{ .Nope }}`"));
        let mut missing = inputs();
        missing
            .templates
            .insert("index.md.tmpl".into(), "{{ example \"nope.tf\" }}".into());
        assert!(render(FIXTURE, &missing)
            .unwrap_err()
            .contains("no example file `nope.tf`"));
        let mut open = inputs();
        open.templates
            .insert("index.md.tmpl".into(), "{{ .Name".into());
        assert!(render(FIXTURE, &open)
            .unwrap_err()
            .contains("without a closing"));
    }

    #[test]
    fn output_is_deterministic_and_ends_in_one_newline() {
        let a = render(FIXTURE, &inputs()).unwrap();
        let b = render(FIXTURE, &inputs()).unwrap();
        assert_eq!(a, b);
        for p in &a {
            assert!(
                p.content.ends_with('\n') && !p.content.ends_with("\n\n"),
                "{}",
                p.path
            );
        }
    }

    #[test]
    fn pages_without_examples_skip_example_usage() {
        let pages = render(FIXTURE, &Inputs::default()).unwrap();
        let text = page(&pages, "resources/thing.md");
        assert!(!text.contains("## Example Usage"));
        assert!(!text.contains("## Import"));
    }

    #[test]
    fn rejects_zero_or_several_providers() {
        assert!(render(r#"{"format_version":"1.0"}"#, &Inputs::default())
            .unwrap_err()
            .contains("no provider schema"));
        let two = r#"{"provider_schemas":{"a/b/c":{},"a/b/d":{}}}"#;
        assert!(render(two, &Inputs::default())
            .unwrap_err()
            .contains("several providers"));
        assert!(render("not json", &Inputs::default())
            .unwrap_err()
            .contains("cannot parse"));
    }

    /// The shape `terraform providers schema -json` prints from Terraform 1.14 on: list
    /// resources, identities and write-only attributes.
    const QUERY_FIXTURE: &str = include_str!("../fixtures/schema-identity-list.json");

    fn query_inputs() -> Inputs {
        let mut examples = BTreeMap::new();
        examples.insert(
            "resources/demo_thing/import-by-identity.tf".to_string(),
            "import {\n  to       = demo_thing.x\n  identity = { id = \"abc\" }\n}\n".to_string(),
        );
        examples.insert(
            "resources/demo_thing/import-by-string-id.tf".to_string(),
            "import {\n  to = demo_thing.x\n  id = \"abc\"\n}\n".to_string(),
        );
        examples.insert(
            "list-resources/demo_thing/list-resource.tfquery.hcl".to_string(),
            "list \"demo_thing\" \"all\" {\n  provider = demo\n}\n".to_string(),
        );
        Inputs {
            examples,
            templates: BTreeMap::new(),
        }
    }

    #[test]
    fn list_resources_get_pages_in_list_resources() {
        let pages = render(QUERY_FIXTURE, &query_inputs()).unwrap();
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["index.md", "list-resources/thing.md", "resources/thing.md"]
        );
    }

    #[test]
    fn list_resource_page_matches_tfplugindocs_layout() {
        let pages = render(QUERY_FIXTURE, &query_inputs()).unwrap();
        let expected = r#"---
# generated by devin-docgen from the provider schema: do not edit, run `make docs`
page_title: "demo_thing List Resource - terraform-provider-demo"
subcategory: ""
description: |-
  Lists things for `terraform query`.
---

# demo_thing (List Resource)

Lists things for `terraform query`.

## Example Usage

```terraform
list "demo_thing" "all" {
  provider = demo
}
```

<!-- schema generated by devin-docgen -->
## Schema

### Optional

- `prefix` (String) Only things whose name starts with this.
"#;
        assert_eq!(page(&pages, "list-resources/thing.md"), expected);
    }

    #[test]
    fn write_only_attributes_are_marked_as_tfplugindocs_does() {
        let pages = render(QUERY_FIXTURE, &query_inputs()).unwrap();
        let text = page(&pages, "resources/thing.md");
        assert!(text.contains(
            "### Optional\n\n- `password` (String, Sensitive) The password, kept in state.\n- `password_wo` (String, Sensitive, [Write-only](https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments)) The password, never stored.\n- `password_wo_version` (String) Bump to send a new `password_wo`.\n"
        ), "{text}");
    }

    #[test]
    fn import_by_identity_comes_first_with_the_identity_schema() {
        let pages = render(QUERY_FIXTURE, &query_inputs()).unwrap();
        let text = page(&pages, "resources/thing.md");
        let import = &text[text.find("## Import").expect("an import section")..];
        assert_eq!(
            import,
            r#"## Import

In Terraform v1.12.0 and later, use an `import` block with `identity`:

```terraform
import {
  to       = demo_thing.x
  identity = { id = "abc" }
}
```

<!-- schema generated by devin-docgen -->
### Identity Schema

#### Required

- `id` (String) The id.

#### Optional

- `region` (String) The region. Defaults to the provider's.

In Terraform v1.5.0 and later, and in OpenTofu, use an `import` block:

```terraform
import {
  to = demo_thing.x
  id = "abc"
}
```
"#
        );
    }

    #[test]
    fn templates_can_place_the_identity_schema() {
        let mut with = query_inputs();
        with.templates.insert(
            "resources/thing.md.tmpl".into(),
            "# {{ .Name }}\n\n## Import by identity\n\n{{ example \"resources/demo_thing/import-by-identity.tf\" }}\n\n{{ .IdentitySchemaMarkdown }}\n".into(),
        );
        with.templates.insert(
            "list-resources/thing.md.tmpl".into(),
            "# {{ .Name }} (List Resource)\n\n{{ example \"list-resources/demo_thing/list-resource.tfquery.hcl\" }}\n\n{{ .SchemaMarkdown }}\n".into(),
        );
        let pages = render(QUERY_FIXTURE, &with).unwrap();
        let text = page(&pages, "resources/thing.md");
        assert!(text.ends_with(
            "```\n\n<!-- schema generated by devin-docgen -->\n### Identity Schema\n\n#### Required\n\n- `id` (String) The id.\n\n#### Optional\n\n- `region` (String) The region. Defaults to the provider's.\n"
        ), "{text}");
        let list = page(&pages, "list-resources/thing.md");
        assert!(list.contains("# demo_thing (List Resource)\n\n```terraform\nlist \"demo_thing\""));

        // A type without an identity (or a schema from a CLI older than 1.12) is an error,
        // not a page that silently lost its section.
        let mut without = inputs();
        without.templates.insert(
            "resources/thing.md.tmpl".into(),
            "{{ .IdentitySchemaMarkdown }}".into(),
        );
        let err = render(FIXTURE, &without).unwrap_err();
        assert!(
            err.contains("no identity schema for demo_thing") && err.contains("1.12"),
            "{err}"
        );
    }

    #[test]
    fn a_schema_without_identities_or_list_resources_renders_as_before() {
        let pages = render(FIXTURE, &inputs()).unwrap();
        assert!(pages.iter().all(|p| !p.path.starts_with("list-resources/")));
        let text = page(&pages, "resources/thing.md");
        assert!(!text.contains("Identity Schema") && !text.contains("Write-only"));
    }

    #[test]
    fn query_files_are_terraform_code_blocks() {
        assert_eq!(
            fenced("list-resources/x/list-resource.tfquery.hcl", "list {}\n"),
            "```terraform\nlist {}\n```\n"
        );
        assert_eq!(fenced("x.sh", "a\n"), "```shell\na\n```\n");
    }

    #[test]
    fn type_names() {
        let t = |s: &str| type_name(&serde_json::from_str(s).unwrap());
        assert_eq!(t(r#""bool""#), "Boolean");
        assert_eq!(t(r#"["set",["list","number"]]"#), "Set of List of Number");
        assert_eq!(t(r#"["map",["object",{}]]"#), "Map of Object");
        assert_eq!(t(r#""dynamic""#), "Dynamic");
    }
}
