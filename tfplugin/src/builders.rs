//! Small builders for tf-provider schemas, so each schema reads as a table.

use std::collections::HashMap;

use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Block, Description};

/// One attribute: type, constraint, sensitivity and its Markdown description (the one
/// text the docs are generated from).
pub fn attr(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    sensitive: bool,
    description: &str,
) -> Attribute {
    Attribute {
        attr_type,
        description: Description::markdown(description),
        constraint,
        sensitive,
        deprecated: false,
    }
}

/// A block of attributes with a Markdown description.
pub fn block(description: &str, attributes: Vec<(&str, Attribute)>) -> Block {
    Block {
        version: 0,
        attributes: attributes
            .into_iter()
            .map(|(name, a)| (name.to_string(), a))
            .collect::<HashMap<_, _>>(),
        blocks: HashMap::new(),
        description: Description::markdown(description),
        deprecated: false,
    }
}
