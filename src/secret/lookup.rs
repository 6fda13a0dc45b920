//! The one lookup of secrets: the list of the organization's secrets, fetched with its
//! errors reported, and the secrets in it that an id or a key names.

use std::fmt;

use tf_provider::Diagnostics;

use crate::api::cache::Listing;
use crate::api::{Client, SecretMetadata};
use crate::diagnostics::{self, Action};
use crate::provider::ApiHandle;

/// How a secret is named: by its id or by its key.
pub(crate) enum Lookup<'s> {
    /// By the secret's id.
    Id(&'s str),
    /// By the secret's name.
    Key(&'s str),
}

impl Lookup<'_> {
    /// The attribute that names the secret.
    pub(crate) fn attribute(&self) -> &'static str {
        match self {
            Self::Id(_) => "id",
            Self::Key(_) => "key",
        }
    }

    /// What the lookup reads, named as an action: `read the secret with key "K"`.
    pub(crate) fn action(&self) -> Action {
        let value = match self {
            Self::Id(value) | Self::Key(value) => value.to_string(),
        };
        Action::ReadSecretBy {
            attribute: self.attribute(),
            value,
        }
    }

    fn matches(&self, secret: &SecretMetadata) -> bool {
        match self {
            Self::Id(id) => secret.id == *id,
            Self::Key(key) => secret.key.as_deref() == Some(*key),
        }
    }
}

/// `id "sec_1"`, `key "K"`.
impl fmt::Display for Lookup<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(value) | Self::Key(value) => write!(f, "{} {value:?}", self.attribute()),
        }
    }
}

/// The secrets a lookup found. Keys need not be unique in the API.
pub(crate) enum Found<'l> {
    /// No secret has the id or key.
    None,
    /// Exactly one.
    One(&'l SecretMetadata),
    /// Several, in the list's order.
    Several(Vec<&'l SecretMetadata>),
}

/// The secrets of `listing` that `lookup` names.
pub(crate) fn find<'l>(listing: &'l [SecretMetadata], lookup: &Lookup<'_>) -> Found<'l> {
    let mut matching: Vec<&SecretMetadata> = listing.iter().filter(|s| lookup.matches(s)).collect();
    match matching.len() {
        0 => Found::None,
        1 => Found::One(matching.remove(0)),
        _ => Found::Several(matching),
    }
}

/// The client and the organization's secrets, or `None` with the reason reported as a
/// failure to `action`.
pub(crate) async fn client_and_listing(
    api: &ApiHandle,
    diags: &mut Diagnostics,
    action: &Action,
) -> Option<(Client, Listing)> {
    let client = api.client_or_diag(diags, action)?;
    let listing = listing(&client, diags, action).await?;
    Some((client, listing))
}

/// The organization's secrets, or `None` with the API's error reported as a failure to
/// `action`.
pub(crate) async fn listing(
    client: &Client,
    diags: &mut Diagnostics,
    action: &Action,
) -> Option<Listing> {
    match client.list_secrets().await {
        Ok(listing) => Some(listing),
        Err(e) => {
            diagnostics::api_error(diags, action, &e);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::test_support::meta;

    fn count(found: Found<'_>) -> usize {
        match found {
            Found::None => 0,
            Found::One(_) => 1,
            Found::Several(all) => all.len(),
        }
    }

    #[test]
    fn selects_by_id_or_key() {
        let listing = [meta("a", "K"), meta("b", "K"), meta("c", "L")];
        assert_eq!(count(find(&listing, &Lookup::Id("c"))), 1);
        assert_eq!(count(find(&listing, &Lookup::Key("K"))), 2);
        assert_eq!(count(find(&listing, &Lookup::Key("M"))), 0);
    }

    #[test]
    fn a_lookup_names_its_attribute_and_value() {
        assert_eq!(Lookup::Key("K").to_string(), "key \"K\"");
        assert_eq!(
            Lookup::Id("sec_1").action().to_string(),
            "read the secret with id \"sec_1\""
        );
    }
}
