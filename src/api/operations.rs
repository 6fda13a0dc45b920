//! The client's public operations: list, find, create and delete, and what they tell of
//! the client. Sending, reading the list and settling a POST have files of their own.

use std::time::Instant;

use futures::FutureExt;
use reqwest::Method;

use super::cache::Listing;
use super::client::{Client, Deleted};
use super::error::ApiError;
use super::status::status_error;
use super::transport::HttpAnswer;
use super::types::{ApiVersion, NewSecret, SecretId, SecretMetadata};
use super::version::DeleteRefusal;

impl Client {
    /// The API version this client speaks.
    pub fn version(&self) -> ApiVersion {
        self.inner.dialect.version()
    }

    /// The organization this client acts in, as configured: `None` on v1, whose key
    /// implies it.
    pub fn org_id(&self) -> Option<&str> {
        self.inner.dialect.org_id()
    }

    /// Every secret of the organization (`GET /v1/secrets`, or every page of
    /// `GET /v3/organizations/{org_id}/secrets`), shared with concurrent reads (see
    /// `cache.rs`).
    pub async fn list_secrets(&self) -> Result<Listing, ApiError> {
        let this = self.clone();
        self.inner
            .cache
            .for_read(move || async move { this.fetch_list().await }.boxed())
            .await
    }

    /// Every secret as this process last saw them, its own creates and deletes included:
    /// the last list (the one taken at configure, at the latest) serves it without a
    /// request; a list is made only when there is none.
    pub async fn known_secrets(&self) -> Result<Listing, ApiError> {
        let this = self.clone();
        self.inner
            .cache
            .before_write(move || async move { this.fetch_list().await }.boxed())
            .await
    }

    /// One secret's metadata by id, from the shared list.
    pub async fn find_secret(&self, id: &SecretId) -> Result<Option<SecretMetadata>, ApiError> {
        let listing = self.list_secrets().await?;
        Ok(listing.iter().find(|s| s.id == id.as_str()).cloned())
    }

    /// Creates a secret (`POST /v1/secrets` or `POST /v3/organizations/{org_id}/secrets`),
    /// made safe to retry: a POST that may have reached the server is never sent again
    /// before a list shows that it did not take effect, and a secret it did create is
    /// adopted rather than left behind (see `reconcile.rs`).
    ///
    /// v3 answers the whole secret, `created_at` included. v1 answers only the id: its
    /// `created_at` comes from a list taken after it, shared with the creates that finish
    /// meanwhile (`ListCache::started_after`), so that Terraform knows it at apply and the
    /// next plan is empty. When that list fails, the secret is still returned, without
    /// `created_at`.
    pub async fn create_secret(&self, new: &NewSecret) -> Result<SecretMetadata, ApiError> {
        let this = self.clone();
        let before = self
            .inner
            .cache
            .before_write(move || async move { this.fetch_list().await }.boxed())
            .await?;
        if let Some(existing) = before.iter().find(|s| s.key.as_deref() == Some(&new.key)) {
            return Err(ApiError::Duplicate {
                existing_id: Some(existing.id.clone()),
                detail: String::new(),
            });
        }
        let posting = self.inner.cache.posting();
        let posted = self.post_until_settled(new, &before).await;
        // Taken before the POST counts as answered: a list for creates starts only when
        // none is under way, so it then always starts after this moment.
        let answered = Instant::now();
        drop(posting);
        let mut created = match posted {
            Ok(created) => created,
            Err(ApiError::Duplicate {
                existing_id: None,
                detail,
            }) => {
                // The key was free in the list taken before; a secret created since (by a
                // concurrent create of this run, or elsewhere) holds it: name it.
                self.inner.cache.may_have_changed();
                let existing_id = self.list_secrets().await.ok().and_then(|listing| {
                    let holder = listing.iter().find(|s| s.key.as_deref() == Some(&new.key));
                    holder.map(|s| s.id.clone())
                });
                return Err(ApiError::Duplicate {
                    existing_id,
                    detail,
                });
            }
            Err(e) => {
                self.inner.cache.may_have_changed();
                return Err(e);
            }
        };
        self.inner.cache.created(created.clone());
        if created.created_at.is_none() {
            let this = self.clone();
            let after = self
                .inner
                .cache
                .started_after(answered, move || {
                    async move { this.fetch_list().await }.boxed()
                })
                .await;
            match after {
                Ok(listing) => {
                    created.created_at = listing
                        .iter()
                        .find(|s| s.id == created.id)
                        .and_then(|s| s.created_at.clone());
                }
                Err(e) => log::warn!(
                    "created secret {}, but could not list it for its created_at: {e}",
                    created.id
                ),
            }
        }
        Ok(created)
    }

    /// Whether this provider process created the secret `id` (in this run).
    pub fn created_here(&self, id: &str) -> bool {
        self.inner.cache.created_here(id)
    }

    /// Deletes a secret (`DELETE /v1/secrets/{secret_id}` or
    /// `DELETE /v3/organizations/{org_id}/secrets/{secret_id}`). A secret that is already
    /// gone counts as deleted: on v1 a 404 says so; a 403 (what v3 answers for an unknown
    /// id), and on v3 a 404 too, does only once a fresh list confirms the id is not there,
    /// since on v3 either may also mean a key without the right permission.
    pub async fn delete_secret(&self, id: &SecretId) -> Result<Deleted, ApiError> {
        let url = self.inner.dialect.secret_url(id);
        let outcome = match self.call_idempotent(Method::DELETE, &url).await {
            Ok(a) if a.status.is_success() => Ok(Deleted::Now),
            Ok(a) => match self.inner.dialect.delete_refusal(a.status.as_u16()) {
                DeleteRefusal::AlreadyGone => Ok(Deleted::AlreadyGone),
                DeleteRefusal::GoneUnlessListed => self.gone_unless_listed(id, &a).await,
                DeleteRefusal::Refused => Err(status_error(&a, &self.hidden(&[]))),
            },
            Err(e) => Err(e),
        };
        match &outcome {
            Ok(_) => self.inner.cache.deleted(id.as_str()),
            Err(_) => self.inner.cache.may_have_changed(),
        }
        outcome
    }

    /// After a DELETE answered 403 (or 404 on v3): gone when a fresh list no longer shows
    /// the id, else the status's error.
    async fn gone_unless_listed(&self, id: &SecretId, a: &HttpAnswer) -> Result<Deleted, ApiError> {
        self.inner.cache.may_have_changed();
        let listing = self.list_secrets().await?;
        if listing.iter().any(|s| s.id == id.as_str()) {
            Err(status_error(a, &self.hidden(&[])))
        } else {
            Ok(Deleted::AlreadyGone)
        }
    }
}
