//! tf-provider's schema types, as tfplugin6 describes them to the CLI.

use std::collections::HashMap;

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
    StringKind,
};

use super::bindings as pb;
use crate::resource::IdentitySchema;

/// One schema, ready to send.
pub fn schema(s: &Schema) -> pb::Schema {
    with_write_only(s, &[])
}

/// A resource schema whose top-level attributes named in `write_only` are write-only.
pub fn with_write_only(s: &Schema, write_only: &[&str]) -> pb::Schema {
    let mut b = block(&s.block);
    for a in &mut b.attributes {
        a.write_only = write_only.contains(&a.name.as_str());
    }
    pb::Schema {
        version: s.version,
        block: Some(b),
    }
}

/// A resource type's identity schema.
pub fn identity(s: &IdentitySchema) -> pb::ResourceIdentitySchema {
    pb::ResourceIdentitySchema {
        version: s.version,
        identity_attributes: s
            .attributes
            .iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.to_string(),
                r#type: serde_json::to_vec(&a.attr_type).unwrap_or_default(),
                required_for_import: a.required_for_import,
                optional_for_import: !a.required_for_import,
                description: a.description.to_string(),
            })
            .collect(),
    }
}

fn kind(d: &Description) -> i32 {
    match d.kind {
        StringKind::Plain => pb::StringKind::Plain as i32,
        StringKind::Markdown => pb::StringKind::Markdown as i32,
    }
}

/// Sorted by name, so the schema a CLI caches is the same bytes on every start.
fn sorted<T>(map: &HashMap<String, T>) -> Vec<(&String, &T)> {
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

fn block(b: &Block) -> pb::schema::Block {
    pb::schema::Block {
        version: b.version,
        attributes: attributes(&b.attributes),
        block_types: sorted(&b.blocks)
            .into_iter()
            .map(|(name, nested)| nested_block(name, nested))
            .collect(),
        description: b.description.content.to_string(),
        description_kind: kind(&b.description),
        deprecated: b.deprecated,
        deprecation_message: String::new(),
    }
}

fn nested_block(name: &str, nested: &NestedBlock) -> pb::schema::NestedBlock {
    use pb::schema::nested_block::NestingMode as M;
    let (mode, b, min, max) = match nested {
        NestedBlock::Single(b) => (M::Single, b, 1, 1),
        NestedBlock::List(b) => (M::List, b, 0, 0),
        NestedBlock::Set(b) => (M::Set, b, 0, 0),
        NestedBlock::Map(b) => (M::Map, b, 0, 0),
        NestedBlock::Group(b) => (M::Group, b, 0, 0),
        // tf-provider's "at most one" block is a list of at most one.
        NestedBlock::Optional(b) => (M::List, b, 0, 1),
    };
    pb::schema::NestedBlock {
        type_name: name.to_string(),
        block: Some(block(b)),
        nesting: mode as i32,
        min_items: min,
        max_items: max,
    }
}

fn attributes(attrs: &HashMap<String, Attribute>) -> Vec<pb::schema::Attribute> {
    sorted(attrs)
        .into_iter()
        .map(|(name, a)| attribute(name, a))
        .collect()
}

fn attribute(name: &str, a: &Attribute) -> pb::schema::Attribute {
    use pb::schema::object::NestingMode as M;
    let nested = match &a.attr_type {
        AttributeType::AttributeSingle(n) => Some((M::Single, n)),
        AttributeType::AttributeList(n) => Some((M::List, n)),
        AttributeType::AttributeSet(n) => Some((M::Set, n)),
        AttributeType::AttributeMap(n) => Some((M::Map, n)),
        _ => None,
    };
    // An attribute has either a type or a nested type, never both.
    let (r#type, nested_type) = match nested {
        Some((mode, n)) => (
            Vec::new(),
            Some(pb::schema::Object {
                attributes: attributes(n),
                nesting: mode as i32,
                ..Default::default()
            }),
        ),
        None => (serde_json::to_vec(&a.attr_type).unwrap_or_default(), None),
    };
    use AttributeConstraint::*;
    pb::schema::Attribute {
        name: name.to_string(),
        r#type,
        nested_type,
        description: a.description.content.to_string(),
        required: a.constraint == Required,
        optional: matches!(a.constraint, Optional | OptionalComputed),
        computed: matches!(a.constraint, Computed | OptionalComputed),
        sensitive: a.sensitive,
        description_kind: kind(&a.description),
        deprecated: a.deprecated,
        write_only: false,
        deprecation_message: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::builders::{attr, block};
    use tf_provider::schema::AttributeConstraint::{Computed, Optional};

    fn fixture() -> Schema {
        let string = |c, sensitive| attr(AttributeType::String, c, sensitive, "");
        let listed = AttributeType::List(Box::new(AttributeType::Object(
            [("key".to_string(), AttributeType::String)].into(),
        )));
        Schema {
            version: 2,
            block: block(
                "A fixture.",
                vec![
                    ("value", string(Optional, true)),
                    ("id", string(Computed, false)),
                    ("secrets", attr(listed, Computed, false, "")),
                ],
            ),
        }
    }

    #[test]
    fn attributes_carry_their_constraints_and_cty_types() {
        let s = fixture();
        let pb = schema(&s);
        assert_eq!(pb.version, s.version);
        let b = pb.block.unwrap();
        let names: Vec<_> = b.attributes.iter().map(|a| a.name.as_str()).collect();
        let mut sorted_names = names.clone();
        sorted_names.sort();
        assert_eq!(names, sorted_names);
        let value = b.attributes.iter().find(|a| a.name == "value").unwrap();
        assert!(value.sensitive && value.optional && !value.computed && !value.write_only);
        assert_eq!(value.r#type, br#""string""#);
        let id = b.attributes.iter().find(|a| a.name == "id").unwrap();
        assert!(id.computed && !id.optional && !id.required);
    }

    #[test]
    fn list_of_objects_is_a_cty_type() {
        let b = schema(&fixture()).block.unwrap();
        let secrets = b.attributes.iter().find(|a| a.name == "secrets").unwrap();
        let ty: serde_json::Value = serde_json::from_slice(&secrets.r#type).unwrap();
        assert_eq!(ty[0], "list");
        assert_eq!(ty[1][0], "object");
    }
}
