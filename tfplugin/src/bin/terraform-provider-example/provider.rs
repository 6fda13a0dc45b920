//! The `provider "example"` block.

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{Diagnostics, Provider};
use tfplugin::builders::block;

/// The `provider "example"` block, which takes no settings.
pub struct ExampleProvider;

#[async_trait]
impl Provider for ExampleProvider {
    type Config<'a> = ValueEmpty;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema {
            version: 0,
            block: block("The example provider takes no settings.", Vec::new()),
        })
    }
}
