//! API v3: `/v3/organizations/{org_id}/secrets`, the organization named in every path.
//! The list comes in pages, a create answers the whole secret, an unknown id may be a
//! 403 or a 404, and the sensitivity is spelled `is_sensitive`.

use super::{ApiVersion, DeleteRefusal, Dialect, ListPage};
use crate::api::ids::{encode_segment, OrgId};
use crate::api::types::{NewSecret, SecretId, SecretMetadata};
use crate::api::wire::{CreateBody, SecretCreateRequest, SecretPage, SecretResponse};

/// Items asked for per v3 list page: the most the API serves, so that a walk costs
/// ⌈N/200⌉ requests.
pub const PAGE_SIZE: u32 = 200;

/// A request field's v1 name, so that callers map the fields of a 422 to their own
/// names once for both versions: the fields whose name differs on v3 are renamed.
pub fn v1_field_name(field: &str) -> &str {
    match field {
        "is_sensitive" => "sensitive",
        other => other,
    }
}

/// The v3 endpoints of one organization under one base URL.
#[derive(Clone, Debug)]
pub struct V3 {
    base: String,
    org: OrgId,
    /// `{base}/v3/organizations/{org}`: what `/secrets` hangs from.
    root: String,
}

impl V3 {
    /// v3 under `base`, given without its trailing `/`, in the organization `org_id`,
    /// which must be given; the error is a sentence for a person.
    pub fn new(base: String, org_id: Option<&str>) -> Result<Self, String> {
        let org = OrgId::parse(org_id.unwrap_or(""))?;
        let root = format!("{base}/v3/organizations/{}", org.path_segment());
        Ok(Self { base, org, root })
    }
}

impl Dialect for V3 {
    fn version(&self) -> ApiVersion {
        ApiVersion::V3
    }

    fn org_id(&self) -> Option<&str> {
        Some(self.org.as_str())
    }

    fn base(&self) -> &str {
        &self.base
    }

    fn create_url(&self) -> String {
        format!("{}/secrets", self.root)
    }

    fn secret_url(&self, id: &SecretId) -> String {
        format!("{}/secrets/{}", self.root, id.path_segment())
    }

    /// The cursor is the API's text, query-encoded so that it can hold anything.
    fn list_url(&self, after: Option<&str>) -> String {
        let first = format!("{}?first={PAGE_SIZE}", self.create_url());
        match after {
            Some(cursor) => format!("{first}&after={}", encode_segment(cursor)),
            None => first,
        }
    }

    fn list_expected(&self) -> &'static str {
        "a page of secrets"
    }

    fn read_list(&self, body: &str) -> Option<ListPage> {
        serde_json::from_str::<SecretPage>(body)
            .ok()
            .map(ListPage::Page)
    }

    fn create_body<'a>(&self, new: &'a NewSecret) -> CreateBody<'a> {
        CreateBody::V3(SecretCreateRequest::from(new))
    }

    fn created_expected(&self) -> &'static str {
        "a SecretResponse"
    }

    /// v3 answers the whole secret; a key or type it leaves null is what was sent.
    fn created_from(&self, body: &str, new: &NewSecret) -> Option<SecretMetadata> {
        let response: SecretResponse = serde_json::from_str(body).ok()?;
        let mut created = SecretMetadata::from(response);
        created
            .kind
            .get_or_insert_with(|| new.kind.as_str().to_string());
        created.key.get_or_insert_with(|| new.key.clone());
        Some(created)
    }

    /// v3 answers an unknown id with a 403 (or a 404), either of which may also mean a
    /// key without the permission.
    fn delete_refusal(&self, status: u16) -> DeleteRefusal {
        match status {
            403 | 404 => DeleteRefusal::GoneUnlessListed,
            _ => DeleteRefusal::Refused,
        }
    }
}

#[cfg(test)]
#[path = "v3_tests.rs"]
mod tests;
