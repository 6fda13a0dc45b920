//! The words for a key that a create cannot have: taken by another create of the plan,
//! by a secret another resource manages or gives up, or by a secret no resource of the
//! plan holds. Every message is an error on `key`, names the secret that has the key,
//! and gives the block that fixes it where there is one.
//!
//! Terraform does not tell a provider the address of the resource it plans: a block's
//! own address is `devin_secret.<name>`, to be replaced by the address Terraform shows
//! above the message, and another resource's address is found by its secret's id with
//! `terraform state list -id=…`.

use tf_provider::Diagnostics;

use super::claims::Clash;
use crate::diagnostics;

/// A create of `key` that cannot have it, as `clash` says.
pub(crate) fn report_clash(diags: &mut Diagnostics, key: &str, clash: &Clash) {
    let (summary, detail) = match clash {
        Clash::PlannedTwice => (
            two_resources(key),
            format!(
                "Another devin_secret of this configuration creates a secret with the key \
                 \"{key}\" as well. Secret names are unique within a Devin organization: one \
                 of the two creates would fail, after the other had succeeded. Give each \
                 resource its own `key`."
            ),
        ),
        Clash::HeldByAnother {
            id, rekeyed: true, ..
        } => (
            two_resources(key),
            format!(
                "Secret {id} has the key \"{key}\", and another devin_secret of this state \
                 manages it ({find}) and replaces it in this plan under another key (or one \
                 not known yet). The old secret keeps \"{key}\" until it is deleted, and \
                 Terraform does not order the two changes, so this create could come first \
                 and fail. Apply the other \
                 resource's change first (`terraform apply -target=<its address>`), then \
                 this one.",
                find = find_address(id),
            ),
        ),
        Clash::HeldByAnother { id, .. } => (
            two_resources(key),
            format!(
                "Secret {id} has the key \"{key}\", and another devin_secret of this state \
                 manages it ({find}). Secret names are unique within a Devin organization, \
                 so this resource cannot create a second secret with the key, and importing \
                 {id} into it would make two resources manage one secret. Give this resource \
                 another `key`.",
                find = find_address(id),
            ),
        ),
        Clash::HeldByDestroyed { id } => (
            format!("The key \"{key}\" belongs to a devin_secret that this plan destroys"),
            format!(
                "Secret {id} has the key \"{key}\". Another devin_secret of this state \
                 manages it, and this plan destroys that resource and creates this one, as \
                 it does for a resource renamed without a `moved` block. Terraform does not \
                 order the two, and secret names are unique within a Devin organization: \
                 the create would fail while the old secret still holds the key. If this \
                 resource is that one renamed, say so, and the secret stays as it is:\n\n\
                 {moved}\n\n{where_moved}\n\nIf it is no rename, remove the old resource in \
                 one apply and add this one in the next.",
                moved = moved_block(),
                where_moved = where_moved(id),
            ),
        ),
        Clash::Exists { id } => (exists(key), exists_advice(id)),
    };
    diagnostics::error(diags, summary, detail, Some("key"));
}

/// A create refused because secret `id`, which this run did not create, has its key: at
/// apply, for a key not known at plan, or a secret created since.
pub(crate) fn report_exists(diags: &mut Diagnostics, key: &str, id: &str) {
    diagnostics::error(diags, exists(key), exists_advice(id), Some("key"));
}

/// A create refused because another create of this run made secret `id` with its key.
pub(crate) fn report_created_in_this_run(diags: &mut Diagnostics, key: &str, id: &str) {
    diagnostics::error(
        diags,
        two_resources(key),
        format!(
            "Another devin_secret of this configuration created secret {id} with the key \
             \"{key}\" earlier in this run. Secret names are unique within a Devin \
             organization: give each resource its own `key`."
        ),
        Some("key"),
    );
}

fn two_resources(key: &str) -> String {
    format!("Two devin_secret resources use the key \"{key}\"")
}

fn exists(key: &str) -> String {
    format!("A secret named \"{key}\" already exists in Devin")
}

fn exists_advice(id: &str) -> String {
    format!(
        "The existing secret has id {id}. Secret names are unique within a Devin \
         organization, so this resource cannot create another, and the provider cannot \
         tell whose secret it is:\n\n\
         - If no resource of this state manages it (an apply interrupted while it created \
         the secret leaves one behind), adopt it: add this block, with `to` set to this \
         resource's address (shown above: Terraform does not tell providers addresses), and \
         plan again:\n\n\
         import {{\n  to = devin_secret.<name>\n  id = \"{id}\"\n}}\n\n\
         - If another devin_secret of this state manages it ({find}): if this resource is \
         that one renamed, add a `moved` block from that address to this one instead; \
         otherwise give this resource another `key`.\n\
         - If it is the old secret of this very resource, being replaced under \
         `lifecycle {{ create_before_destroy = true }}`: that cannot work, as the new secret \
         would need the key while the old one still holds it. Remove \
         `create_before_destroy`; the provider then deletes the old secret and creates the \
         new one right after.",
        find = find_address(id),
    )
}

fn find_address(id: &str) -> String {
    format!("`terraform state list -id={id}` prints its address")
}

fn moved_block() -> &'static str {
    "moved {\n  from = devin_secret.<old name>\n  to   = devin_secret.<name>\n}"
}

fn where_moved(id: &str) -> String {
    format!(
        "`from` is the address of the resource that holds it now (`terraform state list \
         -id={id}` prints it), `to` this resource's address, shown above (Terraform does \
         not tell providers addresses)."
    )
}

#[cfg(test)]
mod tests;
