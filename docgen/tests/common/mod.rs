//! What the page tests share: the schema fixture of a provider without identities or
//! list resources, its example files, and a page looked up by path.

use std::collections::BTreeMap;

use devin_docgen::{Inputs, Page};

pub const FIXTURE: &str = include_str!("../../fixtures/schema.json");

pub fn inputs() -> Inputs {
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

pub fn page<'a>(pages: &'a [Page], path: &str) -> &'a str {
    &pages
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no page {path}"))
        .content
}
