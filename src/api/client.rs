//! The HTTP client of the Devin API v1 secrets endpoints: requests, retries, and the
//! reconciliation that keeps a failed POST from creating a duplicate or an orphan.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use futures::FutureExt;
use reqwest::{header, Method, StatusCode};
use tokio_util::sync::CancellationToken;
use url::Url;

use super::cache::{ListCache, Listing};
use super::error::{body_detail, validation_issues, ApiError, Call, LastAnswer, NoAnswer};
use super::redact::{self, Sensitive};
use super::retry::{is_retryable_status, parse_retry_after, RetryPolicy};
use super::types::{Created, NewSecret, SecretId, SecretList, SecretMetadata};

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
}

/// The Devin API client. Cheap to clone; clones share connections and the list cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
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
    /// Builds a client; `cancel` ends every request and wait when Terraform stops.
    pub fn new(config: ClientConfig, cancel: CancellationToken) -> Result<Self, String> {
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
                base: config.base_url.as_str().trim_end_matches('/').to_string(),
                key: config.api_key,
                retry: config.retry,
                cancel,
                cache: ListCache::default(),
            }),
        })
    }

    /// `GET /v1/secrets`, shared with concurrent reads (see `cache.rs`).
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

    /// `POST /v1/secrets`, made safe to retry: a POST that may have reached the server is
    /// never sent again before a list shows that it did not take effect, and a secret it
    /// did create is adopted rather than left behind.
    ///
    /// The answer holds only the id: `created_at` comes from a list taken after it,
    /// shared with the creates that finish meanwhile (`ListCache::started_after`), so
    /// that Terraform knows it at apply and the next plan is empty. When that list
    /// fails, the secret is still returned, without `created_at`.
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

    /// `DELETE /v1/secrets/{secret_id}`. A secret that is already gone counts as deleted:
    /// a 404 says so; a 403 (what a related endpoint answers for an unknown id) does only
    /// once a fresh list confirms the id is not there.
    pub async fn delete_secret(&self, id: &SecretId) -> Result<Deleted, ApiError> {
        let url = format!("{}/v1/secrets/{}", self.inner.base, id.path_segment());
        let answer = self.call_idempotent(Method::DELETE, &url).await;
        let outcome = match answer {
            Ok(a) if a.status.is_success() => Ok(Deleted::Now),
            Ok(a) if a.status == StatusCode::NOT_FOUND => Ok(Deleted::AlreadyGone),
            Ok(a) if a.status == StatusCode::FORBIDDEN => {
                self.inner.cache.touched();
                match self.list_secrets().await {
                    Ok(listing) if !listing.iter().any(|s| s.id == id.as_str()) => {
                        Ok(Deleted::AlreadyGone)
                    }
                    Ok(_) => Err(self.status_error(&a, &[])),
                    Err(e) => Err(e),
                }
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

    async fn fetch_list(&self) -> Result<Listing, ApiError> {
        let url = format!("{}/v1/secrets", self.inner.base);
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            let answer = self.call_idempotent(Method::GET, &url).await?;
            attempts += 1;
            if !answer.status.is_success() {
                return Err(self.status_error(&answer, &[]));
            }
            match serde_json::from_str::<SecretList>(&answer.body) {
                Ok(list) => return Ok(Arc::new(list.into_items())),
                Err(_) => {
                    // A 200 with a broken body is a glitch on the way; GET is safe to repeat.
                    let err = ApiError::UnexpectedBody {
                        status: answer.status.as_u16(),
                        expected: "a JSON list of secrets",
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
                    log::debug!("GET /v1/secrets: body not understood, retrying in {wait:?}");
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
        let url = format!("{}/v1/secrets", self.inner.base);
        let needles = [new.value.expose()];
        let started = Instant::now();
        let mut retries = 0;
        loop {
            let attempt = self.send(Method::POST, &url, Some(new), &needles).await;
            // Only failures the server cannot have acted on are retried blindly; the rest
            // are "ambiguous" and settled by looking at the list.
            let (last, ambiguous, retry_after) = match attempt {
                Err(ApiError::Cancelled) => {
                    return self.settle_interrupted(new, before).await;
                }
                Err(e) => return Err(e),
                Ok(Ok(a)) if a.status.is_success() => {
                    match serde_json::from_str::<Created>(&a.body) {
                        Ok(created) => {
                            return Ok(SecretMetadata {
                                id: created.id,
                                kind: Some(new.kind.as_str().to_string()),
                                key: Some(new.key.clone()),
                                created_at: None,
                            })
                        }
                        Err(_) => {
                            let last = LastAnswer::Status {
                                status: a.status.as_u16(),
                                detail: format!(
                                    "body is not {{\"id\": …}}: {}",
                                    redact::excerpt(&a.body, &self.needles(&needles))
                                ),
                            };
                            (last, true, None)
                        }
                    }
                }
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
                    "POST /v1/secrets: outcome unknown ({}), checking the list",
                    last.brief()
                );
                match self.adopt(new, before).await {
                    Ok(Some(found)) => {
                        log::debug!("POST /v1/secrets: the secret was created; adopting it");
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
            self.back_off(
                Call::Create,
                "POST /v1/secrets",
                retries,
                started,
                retry_after,
                last,
            )
            .await?;
        }
    }

    /// After an interrupted POST: one quick look at the list, so that a secret the
    /// server created anyway ends in Terraform's state instead of behind its back.
    async fn settle_interrupted(
        &self,
        new: &NewSecret,
        before: &[SecretMetadata],
    ) -> Result<SecretMetadata, ApiError> {
        let url = format!("{}/v1/secrets", self.inner.base);
        let look = self
            .inner
            .http
            .get(&url)
            .timeout(Duration::from_millis(800))
            .send();
        if let Ok(Ok(response)) = tokio::time::timeout(Duration::from_millis(900), look).await {
            if let Ok(Ok(list)) =
                tokio::time::timeout(Duration::from_millis(100), response.json::<SecretList>())
                    .await
            {
                if let Some(found) = newly_created(&list.into_items(), new, before) {
                    self.inner.cache.created(found.clone());
                    return Ok(found);
                }
            }
        }
        Err(ApiError::Cancelled)
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
            let what = format!("{method} {}", path_of(url));
            self.back_off(call, &what, retries, started, retry_after, last)
                .await?;
        }
    }

    /// One HTTP exchange. The outer error is only [`ApiError::Cancelled`].
    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&NewSecret>,
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
                log::debug!("{method} {}: interrupted", path_of(url));
                return Err(ApiError::Cancelled);
            }
        };
        let ms = started.elapsed().as_millis();
        Ok(match result {
            Ok(answer) => {
                log::debug!(
                    "{method} {} -> {} in {ms} ms",
                    path_of(url),
                    answer.status.as_u16()
                );
                Ok(answer)
            }
            Err(e) => {
                let message = redact::scrub(&error_chain(&e), &self.needles(needles));
                log::debug!(
                    "{method} {} -> no answer in {ms} ms: {message}",
                    path_of(url)
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

/// The path of a URL, for logs.
fn path_of(url: &str) -> &str {
    url.find("/v1/").map_or(url, |i| &url[i..])
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

    #[test]
    fn paths_for_logs() {
        assert_eq!(
            path_of("http://127.0.0.1:1/v1/secrets/a%2Fb"),
            "/v1/secrets/a%2Fb"
        );
    }
}
