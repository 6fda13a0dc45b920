//! Reading the whole list: v1's one answer, or every v3 page (see `paging.rs`), each GET
//! retried as any GET, or made once and quickly after an interrupted POST.
//!
//! Configure's check of the key and the API is the list's first GET: v1's whole answer,
//! or a v3 first page that is also the last, seeds the shared list; a longer v3 list
//! keeps its first page as the head of the next walk, so a run that reads nothing pays
//! one small request, and a run that reads pays no GET twice.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;

use super::cache::{Listing, MAX_AGE};
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

/// The first page of a v3 walk that goes on, taken at configure.
pub(super) struct Head {
    walk: PageWalk,
    cursor: String,
    /// The list cache's generation when the page was asked for.
    generation: u64,
    started: Instant,
}

impl Client {
    /// Checks the key and the API with the list's first GET, retried as any GET, and
    /// keeps what it read for the reads that follow. Returns how many secrets it saw (on
    /// a v3 list of several pages, those of the first page).
    pub async fn check_access(&self) -> Result<usize, ApiError> {
        let generation = self.inner.cache.generation();
        let started = Instant::now();
        let url = self.inner.dialect.list_url(None);
        let mut walk = PageWalk::default();
        match self.get_list(Fetch::Retried, &url).await? {
            ListPage::Whole(items) => {
                let seen = items.len();
                self.inner.cache.seed(Arc::new(items), generation, started);
                Ok(seen)
            }
            ListPage::Page(page) => match walk.take(page)? {
                None => {
                    let seen = walk.secrets_taken();
                    let items = Arc::new(walk.finish());
                    self.inner.cache.seed(items, generation, started);
                    Ok(seen)
                }
                Some(cursor) => {
                    let seen = walk.secrets_taken();
                    *self.head() = Some(Head {
                        walk,
                        cursor,
                        generation,
                        started,
                    });
                    Ok(seen)
                }
            },
        }
    }

    /// One whole list, uncached: what the cache calls. It goes on from configure's first
    /// page when nothing was written since and the page is young enough.
    pub(super) async fn fetch_list(&self) -> Result<Listing, ApiError> {
        let head = self.head().take().filter(|h| {
            h.generation == self.inner.cache.generation() && h.started.elapsed() < MAX_AGE
        });
        let start = head.map(|h| (h.walk, h.cursor));
        Ok(Arc::new(self.walk_from(Fetch::Retried, start).await?))
    }

    /// Every secret, following v3's cursors to the end. Each GET is made as `fetch` says.
    pub(super) async fn walk_list(&self, fetch: Fetch) -> Result<Vec<SecretMetadata>, ApiError> {
        self.walk_from(fetch, None).await
    }

    /// A walk from the start, or from a walk begun and the cursor it stopped at.
    async fn walk_from(
        &self,
        fetch: Fetch,
        start: Option<(PageWalk, String)>,
    ) -> Result<Vec<SecretMetadata>, ApiError> {
        let (mut walk, mut after) = match start {
            Some((walk, cursor)) => (walk, Some(cursor)),
            None => (PageWalk::default(), None),
        };
        loop {
            let url = self.inner.dialect.list_url(after.as_deref());
            match self.get_list(fetch, &url).await? {
                ListPage::Whole(items) => return Ok(items),
                ListPage::Page(page) => match walk.take(page)? {
                    Some(cursor) => after = Some(cursor),
                    None => {
                        let pages = walk.pages();
                        log::debug!(
                            "listed {} secrets on {pages} page{}",
                            walk.secrets_taken(),
                            if pages == 1 { "" } else { "s" }
                        );
                        return Ok(walk.finish());
                    }
                },
            }
        }
    }

    fn head(&self) -> std::sync::MutexGuard<'_, Option<Head>> {
        // Taken or put whole, so a poisoned lock is usable.
        self.inner.head.lock().unwrap_or_else(|e| e.into_inner())
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
