//! Reading the whole list: v1's one answer, or every v3 page (see `paging.rs`), each GET
//! retried as any GET, or made once and quickly after an interrupted POST.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;

use super::cache::Listing;
use super::client::Client;
use super::error::ApiError;
use super::paging::PageWalk;
use super::redact;
use super::retry::Decision;
use super::status::status_error;
use super::types::SecretMetadata;
use super::version::ListPage;

/// How the GETs of a list are made.
#[derive(Clone, Copy, Debug)]
pub(super) enum Fetch {
    /// Retried as any GET, and ended by the cancellation token.
    Retried,
    /// Once each, with this short timeout and without the cancellation token (which has
    /// fired already): the one look after an interrupted POST.
    Quick(Duration),
}

impl Client {
    /// One whole list, uncached: what the cache calls.
    pub(super) async fn fetch_list(&self) -> Result<Listing, ApiError> {
        Ok(Arc::new(self.walk_list(Fetch::Retried).await?))
    }

    /// Every secret, following v3's cursors to the end. Each GET is made as `fetch` says.
    pub(super) async fn walk_list(&self, fetch: Fetch) -> Result<Vec<SecretMetadata>, ApiError> {
        let mut walk = PageWalk::default();
        let mut after: Option<String> = None;
        loop {
            let url = self.inner.dialect.list_url(after.as_deref());
            match self.get_list(fetch, &url).await? {
                ListPage::Whole(items) => return Ok(items),
                ListPage::Page(page) => match walk.take(page)? {
                    Some(cursor) => after = Some(cursor),
                    None => {
                        log::debug!("listed the secrets in {} pages", walk.pages());
                        return Ok(walk.finish());
                    }
                },
            }
        }
    }

    /// One GET of the list, made as `fetch` says.
    async fn get_list(&self, fetch: Fetch, url: &str) -> Result<ListPage, ApiError> {
        match fetch {
            Fetch::Retried => self.get_list_retried(url).await,
            // What went wrong does not matter: the caller gives up on the first problem.
            Fetch::Quick(timeout) => self
                .quick_get(url, timeout)
                .await
                .and_then(|body| self.inner.dialect.read_list(&body))
                .ok_or(ApiError::Cancelled),
        }
    }

    /// A GET of the list whose 2xx body must read as the version's list.
    async fn get_list_retried(&self, url: &str) -> Result<ListPage, ApiError> {
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            let answer = self.call_idempotent(Method::GET, url).await?;
            attempts += 1;
            if !answer.status.is_success() {
                return Err(status_error(&answer, &self.hidden(&[])));
            }
            if let Some(page) = self.inner.dialect.read_list(&answer.body) {
                return Ok(page);
            }
            // A 200 with a broken body is a glitch on the way; GET is safe to repeat.
            let err = ApiError::UnexpectedBody {
                status: answer.status.as_u16(),
                expected: self.inner.dialect.list_expected(),
                excerpt: redact::excerpt(&answer.body, &self.hidden(&[])),
            };
            let elapsed = started.elapsed();
            match self
                .inner
                .retry
                .decide(attempts - 1, elapsed, None, fastrand::f64())
            {
                Decision::GiveUp => return Err(err),
                Decision::Retry(wait) => {
                    log::debug!(
                        "GET {}: body not understood, retrying in {wait:?}",
                        self.path_of(url)
                    );
                    self.sleep(wait).await?;
                }
            }
        }
    }
}
