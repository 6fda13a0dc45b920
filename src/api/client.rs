//! The HTTP client of the Devin API secrets endpoints, v1 and v3: requests, retries, v3's
//! list pages, and the reconciliation that keeps a failed POST from creating a duplicate
//! or an orphan. The differences between the versions stay in here (and in
//! `endpoints.rs`, `paging.rs`, `types.rs`): callers see one [`SecretMetadata`], one
//! [`Listing`] and one set of errors whichever version is spoken.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use futures::FutureExt;
use reqwest::{header, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::cache::{ListCache, Listing};
use super::endpoints::Endpoints;
use super::error::{body_detail, validation_issues, ApiError, Call, LastAnswer, NoAnswer};
use super::paging::PageWalk;
use super::redact::{self, Sensitive};
use super::retry::{is_retryable_status, parse_retry_after, RetryPolicy};
use super::types::{
    ApiVersion, Created, NewSecret, SecretCreateRequest, SecretId, SecretList, SecretMetadata,
    SecretPage, SecretResponse,
};

/// The whole budget of the one look at the list after an interrupted POST (every page of
/// it on v3): Terraform is waiting to stop.
const SETTLE_BUDGET: Duration = Duration::from_millis(1000);
/// The longest one request of that look may take.
const SETTLE_REQUEST: Duration = Duration::from_millis(800);

/// Everything a [`Client`] needs, checked by the caller.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Base URL, e.g. `https://api.devin.ai`; a path prefix is kept.
    pub base_url: Url,
    /// The bearer key.
    pub api_key: Sensitive,
    /// The longest one HTTP request may take.
    pub request_timeout: Duration,
    /// How calls are retried.
    pub retry: RetryPolicy,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The API version to speak.
    pub version: ApiVersion,
    /// The organization, which v3 names in every path: required on v3, ignored on v1
    /// (whose key implies the organization).
    pub org_id: Option<String>,
}

/// The Devin API client. Cheap to clone; clones share connections and the list cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    key: Sensitive,
    retry: RetryPolicy,
    cancel: CancellationToken,
    cache: ListCache,
}

/// How a delete ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deleted {
    /// The API deleted it now.
    Now,
    /// It was not there any more (deleted outside Terraform, or by an earlier attempt).
    AlreadyGone,
}

/// One HTTP answer, body read.
struct Answer {
    status: StatusCode,
    retry_after: Option<Duration>,
    body: String,
}

/// How the GETs of a list are made.
#[derive(Clone, Copy, Debug)]
enum Fetch {
    /// Retried as any GET, and ended by the cancellation token.
    Retried,
    /// Once each, with a short timeout and without the cancellation token (which has
    /// fired already): the one look after an interrupted POST.
    Quick,
}

/// A POST body, in the shape of the version spoken.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum PostBody<'a> {
    V1(&'a NewSecret),
    V3(SecretCreateRequest<'a>),
}

/// A request that got no HTTP answer.
struct TransportFailure {
    message: String,
    /// Whether it was sent: a connection that never opened cannot have reached the server.
    kind: NoAnswer,
}

impl TransportFailure {
    fn into_last(self) -> LastAnswer {
        LastAnswer::Transport {
            kind: self.kind,
            message: self.message,
        }
    }
}

impl Client {
    /// Builds a client; `cancel` ends every request and wait when Terraform stops. The
    /// error is a sentence for a person, and never quotes the key: v3 without an
    /// organization id, an organization id that cannot be a path segment, or a key that
    /// cannot be sent.
    pub fn new(config: ClientConfig, cancel: CancellationToken) -> Result<Self, String> {
        let endpoints = Endpoints::new(&config.base_url, config.version, config.org_id.as_deref())?;
        let mut auth =
            header::HeaderValue::from_str(&format!("Bearer {}", config.api_key.expose())).map_err(
                |_| "the API key holds characters that cannot be sent in a header".to_string(),
            )?;
        auth.set_sensitive(true);
        let mut headers = header::HeaderMap::new();
        headers.insert(header::AUTHORIZATION, auth);
        headers.insert(
            header::ACCEPT,
            header::HeaderValue::from_static("application/json"),
        );
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(config.user_agent.clone())
            .timeout(config.request_timeout)
            // Shorter than the request timeout, so that a connection that never opens is
            // reported as such (`is_connect`), not as a request that may have been applied.
            .connect_timeout((config.request_timeout * 3 / 4).min(Duration::from_secs(10)))
            // A redirect would carry the bearer key somewhere the user did not name.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {}", error_chain(&e)))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                endpoints,
                key: config.api_key,
                retry: config.retry,
                cancel,
                cache: ListCache::default(),
            }),
        })
    }

    /// The API version this client speaks.
    pub fn version(&self) -> ApiVersion {
        self.inner.endpoints.version()
    }

    /// The organization this client acts in, as configured: `None` on v1, whose key
    /// implies it.
    pub fn org_id(&self) -> Option<&str> {
        self.inner.endpoints.org_id()
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

    /// One secret's metadata by id, from the shared list.
    pub async fn find_secret(&self, id: &SecretId) -> Result<Option<SecretMetadata>, ApiError> {
        let listing = self.list_secrets().await?;
        Ok(listing.iter().find(|s| s.id == id.as_str()).cloned())
    }

    /// Creates a secret (`POST /v1/secrets` or `POST /v3/organizations/{org_id}/secrets`),
    /// made safe to retry: a POST that may have reached the server is never sent again
    /// before a list shows that it did not take effect, and a secret it did create is
    /// adopted rather than left behind.
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
        drop(posting);
        let mut created = match posted {
            Ok(created) => created,
            Err(ApiError::Duplicate {
                existing_id: None,
                detail,
            }) => {
                // The key was free in the list taken before; a secret created since (by a
                // concurrent create of this run, or elsewhere) holds it: name it.
                self.inner.cache.touched();
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
                self.inner.cache.touched();
                return Err(e);
            }
        };
        let answered = Instant::now();
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
        let url = self.inner.endpoints.secret(id);
        let answer = self.call_idempotent(Method::DELETE, &url).await;
        let v1 = self.version() == ApiVersion::V1;
        let outcome = match answer {
            Ok(a) if a.status.is_success() => Ok(Deleted::Now),
            Ok(a) if a.status == StatusCode::NOT_FOUND && v1 => Ok(Deleted::AlreadyGone),
            Ok(a) if matches!(a.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) => {
                self.gone_unless_listed(id, &a).await
            }
            Ok(a) => Err(self.status_error(&a, &[])),
            Err(e) => Err(e),
        };
        match &outcome {
            Ok(_) => self.inner.cache.deleted(id.as_str()),
            Err(_) => self.inner.cache.touched(),
        }
        outcome
    }

    /// After a DELETE answered 403 (or 404 on v3): gone when a fresh list no longer shows
    /// the id, else the status's error.
    async fn gone_unless_listed(&self, id: &SecretId, a: &Answer) -> Result<Deleted, ApiError> {
        self.inner.cache.touched();
        let listing = self.list_secrets().await?;
        if listing.iter().any(|s| s.id == id.as_str()) {
            Err(self.status_error(a, &[]))
        } else {
            Ok(Deleted::AlreadyGone)
        }
    }

    /// One whole list, uncached: what the cache calls.
    async fn fetch_list(&self) -> Result<Listing, ApiError> {
        Ok(Arc::new(self.walk_list(Fetch::Retried).await?))
    }

    /// Every secret: v1's one list, or every v3 page, following the cursors (see
    /// `paging.rs`). Each GET is made as `fetch` says.
    async fn walk_list(&self, fetch: Fetch) -> Result<Vec<SecretMetadata>, ApiError> {
        if self.version() == ApiVersion::V1 {
            let url = self.inner.endpoints.secrets();
            let list: SecretList = self.get(fetch, &url, "a JSON list of secrets").await?;
            return Ok(list.into_items());
        }
        let mut walk = PageWalk::default();
        let mut after: Option<String> = None;
        loop {
            let url = self.inner.endpoints.page(after.as_deref());
            let page: SecretPage = self.get(fetch, &url, "a page of secrets").await?;
            match walk.take(page)? {
                Some(cursor) => after = Some(cursor),
                None => {
                    log::debug!("listed the secrets in {} pages", walk.pages());
                    return Ok(walk.finish());
                }
            }
        }
    }

    /// One GET of a list, whose 2xx body must parse as `T` (`expected`, in errors).
    async fn get<T: DeserializeOwned>(
        &self,
        fetch: Fetch,
        url: &str,
        expected: &'static str,
    ) -> Result<T, ApiError> {
        match fetch {
            Fetch::Retried => self.get_json(url, expected).await,
            // What went wrong does not matter: the caller gives up on the first problem.
            Fetch::Quick => self.quick_get(url).await.ok_or(ApiError::Cancelled),
        }
    }

    /// A GET whose 2xx body must parse as `T` (`expected`, in errors).
    async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        expected: &'static str,
    ) -> Result<T, ApiError> {
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            let answer = self.call_idempotent(Method::GET, url).await?;
            attempts += 1;
            if !answer.status.is_success() {
                return Err(self.status_error(&answer, &[]));
            }
            match serde_json::from_str::<T>(&answer.body) {
                Ok(parsed) => return Ok(parsed),
                Err(_) => {
                    // A 200 with a broken body is a glitch on the way; GET is safe to repeat.
                    let err = ApiError::UnexpectedBody {
                        status: answer.status.as_u16(),
                        expected,
                        excerpt: redact::excerpt(&answer.body, &self.needles(&[])),
                    };
                    let wait = self.inner.retry.delay(attempts, None);
                    if !self
                        .inner
                        .retry
                        .allows(attempts - 1, started.elapsed(), wait)
                    {
                        return Err(err);
                    }
                    log::debug!(
                        "GET {}: body not understood, retrying in {wait:?}",
                        self.path_of(url)
                    );
                    self.sleep(wait).await?;
                }
            }
        }
    }

    async fn post_until_settled(
        &self,
        new: &NewSecret,
        before: &[SecretMetadata],
    ) -> Result<SecretMetadata, ApiError> {
        let url = self.inner.endpoints.secrets();
        let what = format!("POST {}", self.path_of(&url));
        let body = match self.version() {
            ApiVersion::V1 => PostBody::V1(new),
            ApiVersion::V3 => PostBody::V3(SecretCreateRequest::from(new)),
        };
        let needles = [new.value.expose()];
        let started = Instant::now();
        let mut retries = 0;
        loop {
            let attempt = self.send(Method::POST, &url, Some(&body), &needles).await;
            // Only failures the server cannot have acted on are retried blindly; the rest
            // are "ambiguous" and settled by looking at the list.
            let (last, ambiguous, retry_after) = match attempt {
                Err(ApiError::Cancelled) => {
                    return self.settle_interrupted(new, before).await;
                }
                Err(e) => return Err(e),
                Ok(Ok(a)) if a.status.is_success() => match self.created_from(&a.body, new) {
                    Some(created) => return Ok(created),
                    None => {
                        let expected = match self.version() {
                            ApiVersion::V1 => "{\"id\": …}",
                            ApiVersion::V3 => "a SecretResponse",
                        };
                        let last = LastAnswer::Status {
                            status: a.status.as_u16(),
                            detail: format!(
                                "body is not {expected}: {}",
                                redact::excerpt(&a.body, &self.needles(&needles))
                            ),
                        };
                        (last, true, None)
                    }
                },
                Ok(Ok(a)) if a.status == StatusCode::TOO_MANY_REQUESTS => {
                    (self.last_answer(&a, &needles), false, a.retry_after)
                }
                Ok(Ok(a)) if is_retryable_status(a.status.as_u16()) => {
                    (self.last_answer(&a, &needles), true, a.retry_after)
                }
                Ok(Ok(a)) if a.status == StatusCode::CONFLICT => {
                    return Err(ApiError::Duplicate {
                        existing_id: None,
                        detail: body_detail(&a.body, &self.needles(&needles)),
                    })
                }
                Ok(Ok(a)) => return Err(self.status_error(&a, &needles)),
                Ok(Err(t)) => {
                    let ambiguous = t.kind.may_have_reached();
                    (t.into_last(), ambiguous, None)
                }
            };
            if ambiguous {
                log::debug!(
                    "{what}: outcome unknown ({}), checking the list",
                    last.brief()
                );
                match self.adopt(new, before).await {
                    Ok(Some(found)) => {
                        log::debug!("{what}: the secret was created; adopting it");
                        return Ok(found);
                    }
                    Ok(None) => {}
                    Err(ApiError::Cancelled) => return self.settle_interrupted(new, before).await,
                    Err(e) => {
                        return Err(ApiError::Unconfirmed {
                            cause: last,
                            reason: format!("listing the secrets failed too ({e})"),
                        })
                    }
                }
            }
            retries += 1;
            self.back_off(Call::Create, &what, retries, started, retry_after, last)
                .await?;
        }
    }

    /// The secret a 2xx POST answer describes, or `None` when the body is not the
    /// version's answer (then the POST is ambiguous, and settled through the list). v1
    /// answers only the id: the rest is what was sent, and `created_at` is unknown. v3
    /// answers the whole secret; a key or type it leaves null is what was sent.
    fn created_from(&self, body: &str, new: &NewSecret) -> Option<SecretMetadata> {
        match self.version() {
            ApiVersion::V1 => {
                let created: Created = serde_json::from_str(body).ok()?;
                Some(SecretMetadata {
                    id: created.id,
                    kind: Some(new.kind.as_str().to_string()),
                    key: Some(new.key.clone()),
                    created_at: None,
                    note: None,
                    sensitive: None,
                })
            }
            ApiVersion::V3 => {
                let response: SecretResponse = serde_json::from_str(body).ok()?;
                let mut created = SecretMetadata::from(response);
                created
                    .kind
                    .get_or_insert_with(|| new.kind.as_str().to_string());
                created.key.get_or_insert_with(|| new.key.clone());
                Some(created)
            }
        }
    }

    /// After an interrupted POST: one quick look at the list (every page of it on v3,
    /// all within [`SETTLE_BUDGET`]), so that a secret the server created anyway ends in
    /// Terraform's state instead of behind its back.
    async fn settle_interrupted(
        &self,
        new: &NewSecret,
        before: &[SecretMetadata],
    ) -> Result<SecretMetadata, ApiError> {
        let look = self.walk_list(Fetch::Quick);
        if let Ok(Ok(listing)) = tokio::time::timeout(SETTLE_BUDGET, look).await {
            if let Some(found) = newly_created(&listing, new, before) {
                self.inner.cache.created(found.clone());
                return Ok(found);
            }
        }
        Err(ApiError::Cancelled)
    }

    /// One GET of [`Fetch::Quick`]: `None` at the first thing that goes wrong.
    async fn quick_get<T: DeserializeOwned>(&self, url: &str) -> Option<T> {
        let response = self
            .inner
            .http
            .get(url)
            .timeout(SETTLE_REQUEST)
            .send()
            .await
            .ok()?;
        if !response.status().is_success() {
            return None;
        }
        response.json::<T>().await.ok()
    }

    /// The secret an ambiguous POST created, if the list shows one.
    async fn adopt(
        &self,
        new: &NewSecret,
        before: &[SecretMetadata],
    ) -> Result<Option<SecretMetadata>, ApiError> {
        self.inner.cache.touched();
        let listing = self.list_secrets().await?;
        Ok(newly_created(&listing, new, before))
    }

    /// Sends until an answer that retrying cannot change, or until the policy gives up.
    async fn call_idempotent(&self, method: Method, url: &str) -> Result<Answer, ApiError> {
        let started = Instant::now();
        let mut retries = 0;
        loop {
            let (last, retry_after) = match self.send(method.clone(), url, None, &[]).await? {
                Ok(a) if !is_retryable_status(a.status.as_u16()) => return Ok(a),
                Ok(a) => (self.last_answer(&a, &[]), a.retry_after),
                Err(t) => (t.into_last(), None),
            };
            retries += 1;
            let call = if method == Method::DELETE {
                Call::Delete
            } else {
                Call::List
            };
            let what = format!("{method} {}", self.path_of(url));
            self.back_off(call, &what, retries, started, retry_after, last)
                .await?;
        }
    }

    /// One HTTP exchange. The outer error is only [`ApiError::Cancelled`].
    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&PostBody<'_>>,
        needles: &[&str],
    ) -> Result<Result<Answer, TransportFailure>, ApiError> {
        let started = Instant::now();
        let mut request = self.inner.http.request(method.clone(), url);
        if let Some(body) = body {
            request = request.json(body);
        }
        let exchange = async {
            let response = request.send().await?;
            let status = response.status();
            let retry_after = response
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()));
            let body = response.text().await?;
            Ok::<_, reqwest::Error>(Answer {
                status,
                retry_after,
                body,
            })
        };
        let result = tokio::select! {
            result = exchange => result,
            _ = self.inner.cancel.cancelled() => {
                log::debug!("{method} {}: interrupted", self.path_of(url));
                return Err(ApiError::Cancelled);
            }
        };
        let ms = started.elapsed().as_millis();
        Ok(match result {
            Ok(answer) => {
                log::debug!(
                    "{method} {} -> {} in {ms} ms",
                    self.path_of(url),
                    answer.status.as_u16()
                );
                Ok(answer)
            }
            Err(e) => {
                let message = redact::scrub(&error_chain(&e), &self.needles(needles));
                log::debug!(
                    "{method} {} -> no answer in {ms} ms: {message}",
                    self.path_of(url)
                );
                Err(TransportFailure {
                    kind: no_answer(&e),
                    message,
                })
            }
        })
    }

    /// Waits before retry number `retries` of `call` (`what`, in logs) that started at
    /// `started`, or gives up with [`ApiError::Exhausted`] when the policy allows no more.
    async fn back_off(
        &self,
        call: Call,
        what: &str,
        retries: u32,
        started: Instant,
        retry_after: Option<Duration>,
        last: LastAnswer,
    ) -> Result<(), ApiError> {
        let policy = &self.inner.retry;
        let wait = policy.delay(retries, retry_after);
        if !policy.allows(retries - 1, started.elapsed(), wait) {
            return Err(ApiError::Exhausted {
                call,
                attempts: retries,
                elapsed: started.elapsed(),
                last,
            });
        }
        if let Some(asked) = policy.beyond_cap(retry_after) {
            log::warn!(
                "{what}: the API asked to wait {} s (Retry-After); the provider waits at most \
                 {} s, so it retries in {} s",
                asked.as_secs(),
                policy.max_backoff.as_secs(),
                wait.as_secs()
            );
        }
        log::debug!(
            "{what}: {}; retry {retries} of {} in {wait:?}",
            last.brief(),
            policy.max_retries
        );
        self.sleep(wait).await
    }

    async fn sleep(&self, wait: Duration) -> Result<(), ApiError> {
        tokio::select! {
            _ = tokio::time::sleep(wait) => Ok(()),
            _ = self.inner.cancel.cancelled() => Err(ApiError::Cancelled),
        }
    }

    fn last_answer(&self, a: &Answer, needles: &[&str]) -> LastAnswer {
        LastAnswer::Status {
            status: a.status.as_u16(),
            detail: body_detail(&a.body, &self.needles(needles)),
        }
    }

    /// The error for an answer that retrying cannot change.
    fn status_error(&self, a: &Answer, needles: &[&str]) -> ApiError {
        let needles = self.needles(needles);
        let detail = body_detail(&a.body, &needles);
        match a.status.as_u16() {
            401 => ApiError::Unauthenticated { detail },
            403 => ApiError::Forbidden { detail },
            404 => ApiError::NotFound { detail },
            409 => ApiError::Duplicate {
                existing_id: None,
                detail,
            },
            422 => match validation_issues(&a.body, &needles) {
                Some(items) => ApiError::Validation(items),
                None => ApiError::Status {
                    status: 422,
                    detail,
                },
            },
            // Retryable statuses never get here: `call_idempotent` and `post_until_settled`
            // retry them, and give up with `ApiError::Exhausted`.
            status => ApiError::Status { status, detail },
        }
    }

    /// The part of `url` a log line or an error text names (see `Endpoints::path_of`).
    fn path_of<'a>(&self, url: &'a str) -> &'a str {
        self.inner.endpoints.path_of(url)
    }

    /// What is scrubbed from every text taken from an answer: the key, and `extra`.
    fn needles<'a>(&'a self, extra: &[&'a str]) -> Vec<&'a str> {
        let mut all = vec![self.inner.key.expose()];
        all.extend_from_slice(extra);
        all
    }
}

/// The secret in `listing` with `new`'s key that was not in `before`: the one our POST
/// created. When several match, the newest is ours by the list's creation order.
fn newly_created(
    listing: &[SecretMetadata],
    new: &NewSecret,
    before: &[SecretMetadata],
) -> Option<SecretMetadata> {
    listing
        .iter()
        .rev()
        .find(|s| s.key.as_deref() == Some(&new.key) && !before.iter().any(|b| b.id == s.id))
        .cloned()
}

/// Why reqwest got no answer. A connect error (refused, no route, DNS, TLS, connect
/// timeout) means the request never left; a timeout or a broken connection after the
/// connection opened means the server may have received it, and acted on it.
fn no_answer(e: &reqwest::Error) -> NoAnswer {
    if e.is_connect() || e.is_builder() {
        NoAnswer::NotConnected
    } else if e.is_timeout() {
        NoAnswer::TimedOut
    } else {
        NoAnswer::Broken
    }
}

/// An error and its sources on one line: reqwest's own message hides the cause
/// ("error sending request") that a person needs ("connection refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s = s.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        source = std::error::Error::source(source.unwrap());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::SecretType;

    fn meta(id: &str, key: &str) -> SecretMetadata {
        SecretMetadata {
            id: id.into(),
            kind: Some("key-value".into()),
            key: Some(key.into()),
            created_at: None,
            note: None,
            sensitive: None,
        }
    }

    #[test]
    fn adoption_takes_only_a_new_id_with_our_key() {
        let new = NewSecret {
            kind: SecretType::KeyValue,
            key: "K".into(),
            value: Sensitive::new("v"),
            sensitive: true,
            note: String::new(),
        };
        let before = vec![meta("old", "OTHER")];
        assert_eq!(newly_created(&before, &new, &before), None);
        let after = vec![meta("old", "OTHER"), meta("x", "K")];
        assert_eq!(newly_created(&after, &new, &before).unwrap().id, "x");
        let before_with_k = vec![meta("x", "K")];
        assert_eq!(newly_created(&after, &new, &before_with_k), None);
    }

    fn config(version: ApiVersion, org_id: Option<&str>) -> ClientConfig {
        ClientConfig {
            base_url: Url::parse("http://127.0.0.1:1").unwrap(),
            api_key: Sensitive::new("cog_secret_key_123"),
            request_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            user_agent: "test".into(),
            version,
            org_id: org_id.map(Into::into),
        }
    }

    #[test]
    fn v3_needs_an_org_id() {
        for org in [None, Some(""), Some(" \t")] {
            let err = Client::new(config(ApiVersion::V3, org), CancellationToken::new())
                .err()
                .expect("refused");
            assert!(err.contains("organization id"), "{err}");
            assert!(!err.contains("cog_secret_key_123"));
        }
        let v3 = Client::new(
            config(ApiVersion::V3, Some("org-1")),
            CancellationToken::new(),
        )
        .unwrap();
        assert_eq!((v3.version(), v3.org_id()), (ApiVersion::V3, Some("org-1")));
        let v1 = Client::new(
            config(ApiVersion::V1, Some("org-1")),
            CancellationToken::new(),
        )
        .unwrap();
        assert_eq!((v1.version(), v1.org_id()), (ApiVersion::V1, None));
    }

    #[test]
    fn a_v3_post_answer_is_the_whole_secret() {
        let client = Client::new(
            config(ApiVersion::V3, Some("org-1")),
            CancellationToken::new(),
        )
        .unwrap();
        let new = NewSecret {
            kind: SecretType::Totp,
            key: "K".into(),
            value: Sensitive::new("v"),
            sensitive: false,
            note: "n".into(),
        };
        let created = client
            .created_from(
                r#"{"secret_id":"secret-1","key":"K","note":"n","is_sensitive":false,
                    "secret_type":"totp","access_type":"org","created_by":"u",
                    "created_at":1767225600,"updated_at":null,"updated_by":null}"#,
                &new,
            )
            .unwrap();
        assert_eq!(created.created_at.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(
            (created.note.as_deref(), created.sensitive),
            (Some("n"), Some(false))
        );
        let sparse = client
            .created_from(r#"{"secret_id":"secret-2"}"#, &new)
            .unwrap();
        assert_eq!(
            (sparse.key.as_deref(), sparse.kind.as_deref()),
            (Some("K"), Some("totp"))
        );
        // v1's answer is not v3's: ambiguous, settled through the list.
        assert!(client.created_from(r#"{"id":"x"}"#, &new).is_none());
        assert!(client.created_from("", &new).is_none());
    }

    #[test]
    fn post_bodies_per_version() {
        let new = NewSecret {
            kind: SecretType::KeyValue,
            key: "K".into(),
            value: Sensitive::new("hunter2-value"),
            sensitive: true,
            note: String::new(),
        };
        let v1 = serde_json::to_value(PostBody::V1(&new)).unwrap();
        assert_eq!(v1["sensitive"], true);
        let v3 = serde_json::to_value(PostBody::V3((&new).into())).unwrap();
        assert_eq!(
            v3,
            serde_json::json!({"type":"key-value","key":"K","value":"hunter2-value",
                "is_sensitive":true,"note":""})
        );
        assert!(!format!("{:?}", PostBody::V3((&new).into())).contains("hunter2"));
    }
}

/// A real client against the local stand-in of the API, on both versions.
#[cfg(test)]
mod standin_tests {
    use super::*;
    use crate::api::types::SecretType;
    use devin_api_standin::{
        Budget, Config, Fault, FaultRule, StandIn, TimestampUnit, DEFAULT_ORG, DEFAULT_ORG_KEY,
    };

    const BOTH: [ApiVersion; 2] = [ApiVersion::V1, ApiVersion::V3];

    fn client(standin: &StandIn, version: ApiVersion) -> Client {
        let (key, org_id) = match version {
            ApiVersion::V1 => (Config::default().api_key, None),
            ApiVersion::V3 => (DEFAULT_ORG_KEY.to_string(), Some(DEFAULT_ORG.to_string())),
        };
        let config = ClientConfig {
            base_url: Url::parse(&standin.url()).unwrap(),
            api_key: Sensitive::new(key),
            request_timeout: Duration::from_secs(5),
            retry: RetryPolicy {
                max_retries: 3,
                base_delay: Duration::from_millis(10),
                max_backoff: Duration::from_millis(100),
                max_elapsed: Duration::from_secs(10),
            },
            user_agent: "api-tests".into(),
            version,
            org_id,
        };
        Client::new(config, CancellationToken::new()).unwrap()
    }

    fn new_secret(key: &str) -> NewSecret {
        NewSecret {
            kind: SecretType::KeyValue,
            key: key.into(),
            value: Sensitive::new("hunter2-value"),
            sensitive: false,
            note: "a note".into(),
        }
    }

    #[tokio::test]
    async fn create_list_delete_round_trip() {
        for version in BOTH {
            let standin = StandIn::start(Config::default()).unwrap();
            let client = client(&standin, version);
            let created = client
                .create_secret(&new_secret("API_TOKEN"))
                .await
                .unwrap();
            assert!(created.created_at.is_some(), "{version:?}: {created:?}");
            assert!(client.created_here(&created.id));
            let id = SecretId::parse(&created.id).unwrap();
            let found = client.find_secret(&id).await.unwrap().unwrap();
            assert_eq!(found.key.as_deref(), Some("API_TOKEN"));
            assert_eq!(found.kind.as_deref(), Some("key-value"));
            assert_eq!(found.created_at, created.created_at, "{version:?}");
            match version {
                ApiVersion::V1 => assert_eq!((found.note, found.sensitive), (None, None)),
                ApiVersion::V3 => assert_eq!(
                    (found.note.as_deref(), found.sensitive),
                    (Some("a note"), Some(false))
                ),
            }
            let stored = standin.secrets();
            assert_eq!((stored.len(), stored[0].sensitive), (1, false));
            assert_eq!(client.delete_secret(&id).await.unwrap(), Deleted::Now);
            assert!(standin.secrets().is_empty());
            assert_eq!(client.find_secret(&id).await.unwrap(), None);
        }
    }

    #[tokio::test]
    async fn v3_creates_need_no_list_after_the_post() {
        let standin = StandIn::start(Config::default()).unwrap();
        let client = client(&standin, ApiVersion::V3);
        client.list_secrets().await.unwrap();
        standin.reset_counts();
        client.create_secret(&new_secret("K")).await.unwrap();
        let counts = standin.request_counts();
        assert_eq!((counts.get, counts.post), (0, 1));
        let posted = standin
            .requests()
            .into_iter()
            .find(|r| r.method == "POST")
            .unwrap();
        assert_eq!(posted.path, "/v3/organizations/org-test/secrets");
        let body: serde_json::Value = serde_json::from_str(&posted.body).unwrap();
        assert_eq!(body["is_sensitive"], false);
        assert_eq!(body["note"], "a note");
    }

    #[tokio::test]
    async fn v3_millisecond_timestamps_are_detected() {
        let standin = StandIn::start(Config {
            v3_timestamps: TimestampUnit::Millis,
            ..Config::default()
        })
        .unwrap();
        let client = client(&standin, ApiVersion::V3);
        let created = client.create_secret(&new_secret("K")).await.unwrap();
        let at = created.created_at.unwrap();
        // `YYYY-MM-DDTHH:MM:SS.mmmZ`, in this century.
        assert_eq!(at.len(), 24, "{at}");
        assert!(at.starts_with("20") && at.ends_with('Z') && at.as_bytes()[19] == b'.');
    }

    #[tokio::test]
    async fn a_long_v3_list_is_walked_in_pages_of_200_once() {
        let standin = StandIn::start(Config::default()).unwrap();
        for n in 0..450 {
            standin.insert_secret(&format!("K{n}"), "key-value", "v");
        }
        let client = client(&standin, ApiVersion::V3);
        let reads = (0..20).map(|_| client.list_secrets());
        for listing in futures::future::join_all(reads).await {
            let listing = listing.unwrap();
            assert_eq!(listing.len(), 450);
            assert_eq!(listing[449].key.as_deref(), Some("K449"));
        }
        let gets: Vec<_> = standin
            .requests()
            .into_iter()
            .filter(|r| r.method == "GET")
            .map(|r| r.path)
            .collect();
        assert_eq!(gets.len(), 3, "{gets:?}");
        assert_eq!(gets[0], "/v3/organizations/org-test/secrets?first=200");
        assert!(gets[1..].iter().all(|p| p.contains("first=200&after=")));
    }

    #[tokio::test]
    async fn a_post_answer_lost_after_it_was_applied_is_adopted() {
        for version in BOTH {
            let standin = StandIn::start(Config::default()).unwrap();
            let client = client(&standin, version);
            standin.push_fault(FaultRule {
                fault: Fault::DropAfter,
                method: Some("POST".into()),
                path_prefix: None,
                budget: Budget::Next { count: 1 },
            });
            let created = client.create_secret(&new_secret("K")).await.unwrap();
            let stored = standin.secrets();
            assert_eq!(stored.len(), 1, "{version:?}: no duplicate");
            assert_eq!(created.id, stored[0].id);
            assert!(client.created_here(&created.id));
            assert!(created.created_at.is_some(), "{version:?}");
            assert_eq!(
                standin.request_counts().post,
                1,
                "{version:?}: not sent again"
            );
        }
    }

    #[tokio::test]
    async fn a_v3_post_answer_that_is_not_a_secret_is_settled_by_the_list() {
        let standin = StandIn::start(Config::default()).unwrap();
        let client = client(&standin, ApiVersion::V3);
        standin.push_fault(FaultRule {
            fault: Fault::MalformedAfter,
            method: Some("POST".into()),
            path_prefix: None,
            budget: Budget::Next { count: 1 },
        });
        let created = client.create_secret(&new_secret("K")).await.unwrap();
        assert_eq!(standin.secrets().len(), 1);
        assert_eq!(created.id, standin.secrets()[0].id);
    }

    #[tokio::test]
    async fn a_duplicate_key_names_the_holder_on_both_versions() {
        for version in BOTH {
            let standin = StandIn::start(Config::default()).unwrap();
            let client = client(&standin, version);
            // Listed first, then created behind the client's back: the POST meets a 409.
            client.list_secrets().await.unwrap();
            let holder = standin.insert_secret("K", "key-value", "v");
            let err = client.create_secret(&new_secret("K")).await.unwrap_err();
            assert_eq!(
                err,
                ApiError::Duplicate {
                    existing_id: Some(holder),
                    detail: "A secret with key 'K' already exists".into()
                },
                "{version:?}"
            );
        }
    }

    #[tokio::test]
    async fn deleting_an_unknown_id_on_v3_is_already_gone() {
        for status in [403, 404] {
            let standin = StandIn::start(Config {
                v3_unknown_delete_status: status,
                ..Config::default()
            })
            .unwrap();
            let client = client(&standin, ApiVersion::V3);
            let id = SecretId::parse("secret-nope").unwrap();
            assert_eq!(
                client.delete_secret(&id).await.unwrap(),
                Deleted::AlreadyGone,
                "{status}"
            );
        }
    }

    #[tokio::test]
    async fn a_v3_refusal_to_delete_a_listed_secret_is_an_error() {
        for status in [403, 404] {
            let standin = StandIn::start(Config::default()).unwrap();
            let id = standin.insert_secret("K", "key-value", "v");
            let client = client(&standin, ApiVersion::V3);
            standin.push_fault(FaultRule {
                fault: Fault::Status {
                    status,
                    retry_after: None,
                    body: None,
                },
                method: Some("DELETE".into()),
                path_prefix: None,
                budget: Budget::Next { count: 1 },
            });
            let err = client
                .delete_secret(&SecretId::parse(&id).unwrap())
                .await
                .unwrap_err();
            let expected = match status {
                403 => ApiError::Forbidden {
                    detail: "Injected fault".into(),
                },
                _ => ApiError::NotFound {
                    detail: "Injected fault".into(),
                },
            };
            assert_eq!(err, expected);
            assert_eq!(standin.secrets().len(), 1);
        }
    }

    #[tokio::test]
    async fn errors_name_the_v3_path_and_hide_the_value_and_key() {
        let standin = StandIn::start(Config::default()).unwrap();
        let client = client(&standin, ApiVersion::V3);
        standin.push_fault(FaultRule {
            fault: Fault::Status {
                status: 503,
                retry_after: Some("0".into()),
                body: Some(format!(
                    r#"{{"detail":"echo hunter2-value {DEFAULT_ORG_KEY}"}}"#
                )),
            },
            method: Some("GET".into()),
            path_prefix: None,
            budget: Budget::Always,
        });
        let err = client.list_secrets().await.unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(
            matches!(
                err,
                ApiError::Exhausted {
                    call: Call::List,
                    ..
                }
            ),
            "{text}"
        );
        assert!(!text.contains(DEFAULT_ORG_KEY), "{text}");
        standin.clear_faults();
        standin.push_fault(FaultRule {
            fault: Fault::Status {
                status: 422,
                retry_after: None,
                body: Some(
                    r#"{"detail":[{"type":"x","loc":["body","is_sensitive"],"msg":"bad hunter2-value","input":"hunter2-value"}]}"#
                        .into(),
                ),
            },
            method: Some("POST".into()),
            path_prefix: None,
            budget: Budget::Always,
        });
        let err = client.create_secret(&new_secret("K")).await.unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("hunter2"), "{text}");
        match err {
            ApiError::Validation(issues) => assert_eq!(issues[0].field(), Some("sensitive")),
            other => panic!("{other:?}"),
        }
    }
}
