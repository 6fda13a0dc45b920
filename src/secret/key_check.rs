//! The plan's check of the keys creates take: what the resource tells the claims of each
//! plan (`claims.rs`), and the check of a planned create against the organization's
//! secrets as this process knows them (the list taken at configure, with its own writes)
//! and against the other creates of the plan. A key not known at plan (from a resource
//! not yet applied) is checked when the apply plans the create again, with the key known;
//! the create itself still refuses a key taken meanwhile.

use tf_provider::value::ValueString;
use tf_provider::Diagnostics;

use super::claims::KeyClaims;
use super::collisions::report_clash;
use crate::api::Client;

/// Whether a planned create may take `key`, with why not in `diags`; `own` is the secret
/// the create replaces, when it is the second plan of a replacement. Without a client
/// (the provider's settings are not known yet) or a known key there is nothing to check
/// now; nor when the secrets cannot be listed, which the create reports.
pub(crate) async fn create_may_take(
    claims: &KeyClaims,
    client: Option<Client>,
    diags: &mut Diagnostics,
    key: &ValueString<'_>,
    own: Option<&str>,
) -> bool {
    let (Some(client), Some(key)) = (client, key.as_deref_option()) else {
        return true;
    };
    // The ids alone: the listing itself is not held while waiting, so that a write of
    // this process can patch it in place.
    let holders: Vec<String> = match client.known_secrets().await {
        Ok(listing) => listing
            .iter()
            .filter(|s| s.key.as_deref() == Some(key))
            .map(|s| s.id.clone())
            .collect(),
        Err(e) => {
            log::debug!("cannot check the planned key against the secrets: {e}");
            return true;
        }
    };
    match claims.claim_create(key, own, &holders).await {
        Ok(()) => true,
        Err(clash) => {
            report_clash(diags, key, &clash);
            false
        }
    }
}

/// Records what a planned change does with the secret `prior_id`: kept, or replaced by
/// one with `planned_key`.
pub(crate) fn record_change(
    claims: &KeyClaims,
    prior_id: &ValueString<'_>,
    planned_key: &ValueString<'_>,
    replaced: bool,
) {
    let Some(id) = prior_id.as_deref_option() else {
        return;
    };
    if replaced {
        claims.replaced(id, planned_key.as_deref_option());
    } else {
        claims.kept(id);
    }
}
