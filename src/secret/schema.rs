//! The `devin_secret` resource's schema, whose descriptions are also its documentation.

use tf_provider::schema::{
    AttributeConstraint::{Computed, Optional, OptionalComputed, Required},
    AttributeType, Schema,
};
use tfplugin::builders::{attr, block};
use tfplugin::{IdentityAttribute, IdentitySchema};

use super::state::SCHEMA_VERSION;

/// The resource's schema.
pub fn secret_schema() -> Schema {
    let mut b =
        block(
            "A secret of the Devin organization, available to Devin's sessions. The Devin API has \
         no update endpoint, so changing any argument replaces the secret, except `value_wo` \
         alone, which Terraform cannot compare: bump `value_wo_version` to send a new value. \
         The API never returns a secret's value; on API v3 Terraform sees that a secret was \
         changed outside Terraform from its `updated_at`, on v1 it cannot.",
            vec![
            (
                "id",
                attr(AttributeType::String, Computed, false, "The secret's id, assigned by Devin."),
            ),
            (
                "key",
                attr(
                    AttributeType::String,
                    Required,
                    false,
                    "The secret's name, unique within the organization. Sessions see a \
                     `key-value` secret as an environment variable of this name, with \
                     characters other than letters, digits and `_` turned into `_` (and a \
                     leading `_` when it does not start with a letter). Changing it replaces \
                     the secret.",
                ),
            ),
            (
                "value",
                attr(
                    AttributeType::String,
                    Optional,
                    true,
                    "The secret's value, stored in Terraform's state (marked sensitive). \
                     Prefer `value_wo`, which keeps it out of state; exactly one of the two \
                     is set. The API never returns a value: a change made in Devin shows \
                     only through `updated_at` (API v3). Changing it replaces the secret.",
                ),
            ),
            (
                "value_wo",
                attr(
                    AttributeType::String,
                    Optional,
                    true,
                    "The secret's value, write-only: Terraform passes it to the provider, \
                     which sends it when the secret is created, and never stores it in plans \
                     or in state. Give it from an `ephemeral` variable (or an ephemeral \
                     resource): a literal or a plain variable is still written into plan files \
                     with the configuration. Terraform cannot compare a write-only value with \
                     an earlier one, so changing only `value_wo` changes nothing: bump \
                     `value_wo_version` to send a new value (which replaces the secret). Needs \
                     Terraform 1.11 or later; exactly one of `value` and `value_wo` is set.",
                ),
            ),
            (
                "value_wo_version",
                attr(
                    AttributeType::String,
                    Optional,
                    false,
                    "Any number or text, changed to rotate a `value_wo`: a new version \
                     replaces the secret with one holding the current `value_wo`. Only with \
                     `value_wo`.",
                ),
            ),
            (
                "type",
                attr(
                    AttributeType::String,
                    OptionalComputed,
                    false,
                    "The kind of secret: `key-value` (default), `cookie` or `totp`. Left \
                     unset it is `key-value`, whatever the secret in Devin is (an imported \
                     `cookie`, say): write the type to keep another. Changing it replaces the \
                     secret.",
                ),
            ),
            (
                "sensitive",
                attr(
                    AttributeType::Bool,
                    OptionalComputed,
                    false,
                    "Whether Devin hides the value in its interface. Defaults to `true`, \
                     also when left unset: on API v3, which reports the flag, one turned off \
                     in Devin (or an imported secret that is not sensitive) plans a \
                     replacement that restores it; v1 does not report it. Changing it \
                     replaces the secret.",
                ),
            ),
            (
                "note",
                attr(
                    AttributeType::String,
                    OptionalComputed,
                    false,
                    "A note shown next to the secret in Devin. Leaving it unset is the same as \
                     `\"\"`: Devin stores an empty note for both, so switching between the two \
                     changes nothing. Changing it replaces the secret.",
                ),
            ),
            (
                "created_at",
                attr(
                    AttributeType::String,
                    Computed,
                    false,
                    "When the secret was created, as reported by the Devin API (RFC 3339, \
                     UTC). On API v1 the create call answers only the id: the provider reads \
                     it from a list taken after the create (one list shared by the creates \
                     that finish together), so it is known when the apply ends.",
                ),
            ),
            (
                "org_id",
                attr(
                    AttributeType::String,
                    Computed,
                    false,
                    "The Devin organization that holds the secret (API v3, `cog_` keys). \
                     Null for a secret created or imported through API v1, where the API \
                     key implies the organization; it stays null when the provider moves to \
                     a `cog_` credential, as it is part of the resource's identity.",
                ),
            ),
            (
                "updated_at",
                attr(
                    AttributeType::String,
                    OptionalComputed,
                    false,
                    "When the secret was last changed in Devin, as the Devin API v3 reports it \
                     (RFC 3339, UTC); null for a secret never changed. Devin changes it when \
                     someone edits the secret outside Terraform (its value, note or \
                     sensitivity): the plan then shows it and replaces the secret to send \
                     the configured value again, with a warning that says who changed it \
                     and when. To keep such changes instead, name it in `lifecycle { \
                     ignore_changes = [updated_at] }` (with `note` and `sensitive` to keep \
                     those too). Never set it in configuration. API v1 does not report it: \
                     there it is null, and changes made in Devin go unseen.",
                ),
            ),
            (
                "updated_by",
                attr(
                    AttributeType::String,
                    Computed,
                    false,
                    "Who last changed the secret in Devin, as the Devin API v3 reports it (a \
                     user's name or id); null on API v1 and for a secret never changed.",
                ),
            ),
        ],
        );
    b.version = SCHEMA_VERSION;
    Schema {
        version: SCHEMA_VERSION,
        block: b,
    }
}

/// The identity's schema: the id, and the organization on API v3.
pub fn identity_schema() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attributes: vec![
            IdentityAttribute {
                name: "id",
                attr_type: AttributeType::String,
                required_for_import: true,
                description: "The secret's id.",
            },
            IdentityAttribute {
                name: "org_id",
                attr_type: AttributeType::String,
                required_for_import: false,
                description: "The Devin organization that holds the secret (API v3). \
                              Defaults to the provider's `org_id`; null for a secret \
                              created or imported through API v1.",
            },
        ],
    }
}
