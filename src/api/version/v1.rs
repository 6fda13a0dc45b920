//! API v1: `/v1/secrets`, the organization implied by the key. The list is one bare
//! array, a create answers only the new id, and an unknown id is a 404.

use super::{ApiVersion, DeleteRefusal, Dialect, ListPage};
use crate::api::types::{NewSecret, SecretId, SecretMetadata};
use crate::api::wire::{CreateBody, Created, SecretList};

/// The v1 endpoints under one base URL.
#[derive(Clone, Debug)]
pub struct V1 {
    base: String,
    /// `{base}/v1`: what `/secrets` hangs from.
    root: String,
}

impl V1 {
    /// v1 under `base`, given without its trailing `/`.
    pub fn new(base: String) -> Self {
        let root = format!("{base}/v1");
        Self { base, root }
    }
}

impl Dialect for V1 {
    fn version(&self) -> ApiVersion {
        ApiVersion::V1
    }

    fn org_id(&self) -> Option<&str> {
        None
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

    /// The one list: v1 has no pages, so there is never a cursor.
    fn list_url(&self, _after: Option<&str>) -> String {
        self.create_url()
    }

    fn list_expected(&self) -> &'static str {
        "a JSON list of secrets"
    }

    fn read_list(&self, body: &str) -> Option<ListPage> {
        let list: SecretList = serde_json::from_str(body).ok()?;
        Some(ListPage::Whole(list.into_items()))
    }

    fn create_body<'a>(&self, new: &'a NewSecret) -> CreateBody<'a> {
        CreateBody::V1(new)
    }

    fn created_expected(&self) -> &'static str {
        "{\"id\": …}"
    }

    /// v1 answers only the id: the rest is what was sent, and `created_at` is unknown.
    fn created_from(&self, body: &str, new: &NewSecret) -> Option<SecretMetadata> {
        let created: Created = serde_json::from_str(body).ok()?;
        Some(SecretMetadata {
            id: created.id,
            kind: Some(new.kind.as_str().to_string()),
            key: Some(new.key.clone()),
            created_at: None,
            note: None,
            sensitive: None,
            updated: None,
        })
    }

    /// A 404 says the secret is gone; a 403 may also mean a key without the permission.
    fn delete_refusal(&self, status: u16) -> DeleteRefusal {
        match status {
            404 => DeleteRefusal::AlreadyGone,
            403 => DeleteRefusal::GoneUnlessListed,
            _ => DeleteRefusal::Refused,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::redact::Sensitive;
    use crate::api::types::SecretType;

    fn v1(base: &str) -> V1 {
        V1::new(base.trim_end_matches('/').to_string())
    }

    #[test]
    fn v1_paths() {
        let e = v1("http://127.0.0.1:1/");
        assert_eq!(e.org_id(), None);
        assert_eq!(e.create_url(), "http://127.0.0.1:1/v1/secrets");
        assert_eq!(e.list_url(None), "http://127.0.0.1:1/v1/secrets");
        let id = SecretId::parse("a/b").unwrap();
        assert_eq!(e.secret_url(&id), "http://127.0.0.1:1/v1/secrets/a%2Fb");
        assert_eq!(e.path_of(&e.secret_url(&id)), "/v1/secrets/a%2Fb");
    }

    #[test]
    fn v1_post_body_spells_sensitive() {
        let new = NewSecret {
            kind: SecretType::KeyValue,
            key: "K".into(),
            value: Sensitive::new("hunter2-value"),
            sensitive: true,
            note: String::new(),
        };
        let body = serde_json::to_value(v1("http://h").create_body(&new)).unwrap();
        assert_eq!(body["sensitive"], true);
    }

    #[test]
    fn deletes_refused_per_status() {
        let e = v1("http://h");
        assert_eq!(e.delete_refusal(404), DeleteRefusal::AlreadyGone);
        assert_eq!(e.delete_refusal(403), DeleteRefusal::GoneUnlessListed);
    }
}
