//! Sending: one HTTP exchange, ended by Terraform's stop, and the retry loop of the
//! calls that are safe to repeat (GET, DELETE). Whether to wait and try again is
//! [`RetryPolicy::decide`](super::retry::RetryPolicy::decide)'s; this file only sends,
//! waits and logs.

use std::time::{Duration, Instant, SystemTime};

use reqwest::{header, Method, StatusCode};

use super::certificate::tls_problem;
use super::client::Client;
use super::error::{ApiError, Call, LastAnswer, NoAnswer};
use super::redact;
use super::retry::{is_retryable_status, parse_retry_after, Decision};
use super::status::last_answer;
use super::wire::CreateBody;

/// One HTTP answer, body read.
pub(super) struct HttpAnswer {
    pub(super) status: StatusCode,
    pub(super) retry_after: Option<Duration>,
    pub(super) body: String,
}

/// A request that got no HTTP answer.
pub(super) struct TransportFailure {
    pub(super) message: String,
    /// Whether it was sent: a connection that never opened cannot have reached the server.
    pub(super) kind: NoAnswer,
}

impl TransportFailure {
    /// The failure as the last answer of a call that may give up.
    pub(super) fn into_last(self) -> LastAnswer {
        LastAnswer::Transport {
            kind: self.kind,
            message: self.message,
        }
    }
}

/// What one exchange came to: an answer, or none. The outer error is
/// [`ApiError::Cancelled`], or [`ApiError::Tls`]: a failure that no retry would change.
pub(super) type Exchange = Result<Result<HttpAnswer, TransportFailure>, ApiError>;

impl Client {
    /// Sends until an answer that retrying cannot change, or until the policy gives up.
    pub(super) async fn call_idempotent(
        &self,
        method: Method,
        url: &str,
    ) -> Result<HttpAnswer, ApiError> {
        let started = Instant::now();
        let mut retries_done = 0;
        loop {
            let (last, retry_after) = match self.send(method.clone(), url, None, &[]).await? {
                Ok(a) if !is_retryable_status(a.status.as_u16()) => return Ok(a),
                Ok(a) => (last_answer(&a, &self.hidden(&[])), a.retry_after),
                Err(t) => (t.into_last(), None),
            };
            let call = if method == Method::DELETE {
                Call::Delete
            } else {
                Call::List
            };
            let what = format!("{method} {}", self.path_of(url));
            self.back_off(call, &what, retries_done, started, retry_after, last)
                .await?;
            retries_done += 1;
        }
    }

    /// One HTTP exchange; `hidden` (beside the key) is scrubbed from what it reports.
    pub(super) async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&CreateBody<'_>>,
        hidden: &[&str],
    ) -> Exchange {
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
            Ok::<_, reqwest::Error>(HttpAnswer {
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
                let message = redact::scrub(&error_chain(&e), &self.hidden(hidden));
                log::debug!(
                    "{method} {} -> no answer in {ms} ms: {message}",
                    self.path_of(url)
                );
                if let Some(problem) = tls_problem(&e) {
                    return Err(ApiError::Tls {
                        host: e
                            .url()
                            .and_then(|u| u.host_str())
                            .unwrap_or("the API's host")
                            .to_string(),
                        problem,
                        trusted: self.inner.trusted.clone(),
                        proxy: proxy_variable(),
                    });
                }
                Err(TransportFailure {
                    kind: no_answer(&e),
                    message,
                })
            }
        })
    }

    /// One GET with a short `timeout`, not retried and deaf to the cancellation token
    /// (which has fired already): its 2xx body, or `None` at the first thing that goes
    /// wrong.
    pub(super) async fn quick_get(&self, url: &str, timeout: Duration) -> Option<String> {
        let response = self
            .inner
            .http
            .get(url)
            .timeout(timeout)
            .send()
            .await
            .ok()?;
        if !response.status().is_success() {
            return None;
        }
        response.text().await.ok()
    }

    /// Waits before the retry that follows `retries_done` of `call` (`what`, in logs)
    /// that started at `started`, or gives up with [`ApiError::Exhausted`] when the
    /// policy allows no more.
    pub(super) async fn back_off(
        &self,
        call: Call,
        what: &str,
        retries_done: u32,
        started: Instant,
        retry_after: Option<Duration>,
        last: LastAnswer,
    ) -> Result<(), ApiError> {
        let policy = &self.inner.retry;
        let retry = retries_done + 1;
        let wait = match policy.decide(
            retries_done,
            started.elapsed(),
            retry_after,
            fastrand::f64(),
        ) {
            Decision::Retry(wait) => wait,
            Decision::GiveUp => {
                return Err(ApiError::Exhausted {
                    call,
                    attempts: retry,
                    elapsed: started.elapsed(),
                    last,
                })
            }
        };
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
            "{what}: {}; retry {retry} of {} in {wait:?}",
            last.brief(),
            policy.max_retries
        );
        self.sleep(wait).await
    }

    /// Waits `wait`, unless Terraform stops first.
    pub(super) async fn sleep(&self, wait: Duration) -> Result<(), ApiError> {
        tokio::select! {
            _ = tokio::time::sleep(wait) => Ok(()),
            _ = self.inner.cancel.cancelled() => Err(ApiError::Cancelled),
        }
    }

    /// The part of `url` a log line or an error text names (see `Dialect::path_of`).
    pub(super) fn path_of<'a>(&self, url: &'a str) -> &'a str {
        self.inner.dialect.path_of(url)
    }

    /// What is scrubbed from every text taken from an answer: the key, and `extra`.
    pub(super) fn hidden<'a>(&'a self, extra: &[&'a str]) -> Vec<&'a str> {
        let mut all = vec![self.inner.key.expose()];
        all.extend_from_slice(extra);
        all
    }
}

/// Why reqwest got no answer (a TLS failure, which `send` reports as [`ApiError::Tls`],
/// aside). A connect error (refused, no route, DNS, connect timeout) means the request
/// never left; a timeout or a broken connection after the connection opened means the
/// server may have received it, and acted on it.
fn no_answer(e: &reqwest::Error) -> NoAnswer {
    if e.is_connect() || e.is_builder() {
        NoAnswer::NotConnected
    } else if e.is_timeout() {
        NoAnswer::TimedOut
    } else {
        NoAnswer::Broken
    }
}

/// The variable that sets the proxy for HTTPS URLs, as reqwest reads them, when one is set.
fn proxy_variable() -> Option<&'static str> {
    ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
        .into_iter()
        .find(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// An error and its sources on one line: reqwest's own message hides the cause
/// ("error sending request") that a person needs ("connection refused").
pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let said = cause.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = cause.source();
    }
    text
}
