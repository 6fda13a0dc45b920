//! The reconciliation that keeps a failed POST from creating a duplicate or an orphan, as
//! a state machine: a POST that may have reached the server is never sent again before a
//! list shows that it did not take effect, and a secret it did create is adopted.
//!
//! Only failures the server cannot have acted on (429, a connection that never opened)
//! are retried blindly; the rest are ambiguous, and settled by looking at the list. The
//! transitions ([`PostState::after_send`], [`PostState::after_check`]) are pure; the
//! driver ([`Client::post_until_settled`]) does what each state asks.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};

use super::client::Client;
use super::error::{body_detail, ApiError, Call, LastAnswer};
use super::listing::Fetch;
use super::redact;
use super::retry::is_retryable_status;
use super::status::{last_answer, status_error};
use super::transport::Exchange;
use super::types::{NewSecret, SecretMetadata};
use super::version::Dialect;

/// The whole budget of the one look at the list after an interrupted POST (every page of
/// it on v3): Terraform is waiting to stop.
const SETTLE_BUDGET: Duration = Duration::from_millis(1000);
/// The longest one request of that look may take.
const SETTLE_REQUEST: Duration = Duration::from_millis(800);

/// Where a create stands.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum PostState {
    /// The POST is to be sent (again).
    Send,
    /// The POST may have been applied: the list tells whether it was.
    CheckList {
        /// What the POST got.
        last: LastAnswer,
        /// The wait the server asked for, should the POST be sent again.
        retry_after: Option<Duration>,
    },
    /// The POST was not applied: wait, then send it again.
    BackOff {
        /// What the last attempt got.
        last: LastAnswer,
        /// The wait the server asked for.
        retry_after: Option<Duration>,
    },
    /// Terraform stopped during the POST or the check: one quick look at the list.
    Interrupted,
    /// The secret exists: created, or adopted from the list.
    Created(SecretMetadata),
    /// The create failed.
    Failed(ApiError),
}

impl PostState {
    /// What follows an attempt of the POST. `hidden` is scrubbed from any text taken
    /// from the answer.
    pub(super) fn after_send(
        exchange: Exchange,
        dialect: &dyn Dialect,
        new: &NewSecret,
        hidden: &[&str],
    ) -> Self {
        let answer = match exchange {
            Err(ApiError::Cancelled) => return Self::Interrupted,
            Err(e) => return Self::Failed(e),
            Ok(Err(failure)) if failure.kind.may_have_reached() => {
                return Self::CheckList {
                    last: failure.into_last(),
                    retry_after: None,
                }
            }
            Ok(Err(failure)) => {
                return Self::BackOff {
                    last: failure.into_last(),
                    retry_after: None,
                }
            }
            Ok(Ok(answer)) => answer,
        };
        if answer.status.is_success() {
            return match dialect.created_from(&answer.body, new) {
                Some(created) => Self::Created(created),
                None => Self::CheckList {
                    last: LastAnswer::Status {
                        status: answer.status.as_u16(),
                        detail: format!(
                            "body is not {}: {}",
                            dialect.created_expected(),
                            redact::excerpt(&answer.body, hidden)
                        ),
                    },
                    retry_after: None,
                },
            };
        }
        match answer.status {
            StatusCode::TOO_MANY_REQUESTS => Self::BackOff {
                last: last_answer(&answer, hidden),
                retry_after: answer.retry_after,
            },
            status if is_retryable_status(status.as_u16()) => Self::CheckList {
                last: last_answer(&answer, hidden),
                retry_after: answer.retry_after,
            },
            StatusCode::CONFLICT => Self::Failed(ApiError::Duplicate {
                existing_id: None,
                detail: body_detail(&answer.body, hidden),
            }),
            _ => Self::Failed(status_error(&answer, hidden)),
        }
    }

    /// What follows a look at the list for the secret an ambiguous POST (which got
    /// `last`) may have created: `found`, what the look found.
    pub(super) fn after_check(
        last: LastAnswer,
        retry_after: Option<Duration>,
        found: Result<Option<SecretMetadata>, ApiError>,
    ) -> Self {
        match found {
            Ok(Some(secret)) => Self::Created(secret),
            Ok(None) => Self::BackOff { last, retry_after },
            Err(ApiError::Cancelled) => Self::Interrupted,
            Err(e) => Self::Failed(ApiError::Unconfirmed {
                cause: last,
                reason: format!("listing the secrets failed too ({e})"),
            }),
        }
    }
}

impl Client {
    /// POSTs `new` until the create is settled; `before` is the list taken before it.
    pub(super) async fn post_until_settled(
        &self,
        new: &NewSecret,
        before: &[SecretMetadata],
    ) -> Result<SecretMetadata, ApiError> {
        let dialect = self.inner.dialect.as_ref();
        let url = dialect.create_url();
        let what = format!("POST {}", self.path_of(&url));
        let body = dialect.create_body(new);
        let value = [new.value.expose()];
        let started = Instant::now();
        let mut retries_done = 0;
        let mut state = PostState::Send;
        loop {
            state = match state {
                PostState::Send => {
                    let exchange = self.send(Method::POST, &url, Some(&body), &value).await;
                    PostState::after_send(exchange, dialect, new, &self.hidden(&value))
                }
                PostState::CheckList { last, retry_after } => {
                    log::debug!(
                        "{what}: outcome unknown ({}), checking the list",
                        last.brief()
                    );
                    let found = self.adopt(new, before).await;
                    if let Ok(Some(_)) = found {
                        log::debug!("{what}: the secret was created; adopting it");
                    }
                    PostState::after_check(last, retry_after, found)
                }
                PostState::BackOff { last, retry_after } => {
                    self.back_off(
                        Call::Create,
                        &what,
                        retries_done,
                        started,
                        retry_after,
                        last,
                    )
                    .await?;
                    retries_done += 1;
                    PostState::Send
                }
                PostState::Interrupted => return self.settle_interrupted(new, before).await,
                PostState::Created(created) => return Ok(created),
                PostState::Failed(e) => return Err(e),
            };
        }
    }

    /// The secret an ambiguous POST created, if the list shows one.
    async fn adopt(
        &self,
        new: &NewSecret,
        before: &[SecretMetadata],
    ) -> Result<Option<SecretMetadata>, ApiError> {
        self.inner.cache.may_have_changed();
        let listing = self.list_secrets().await?;
        Ok(newly_created(&listing, new, before))
    }

    /// After an interrupted POST: one quick look at the list (every page of it on v3,
    /// all within [`SETTLE_BUDGET`]), so that a secret the server created anyway ends in
    /// Terraform's state instead of behind its back. When the look finds none, the create
    /// is [`ApiError::Abandoned`]: the server may still be working on the POST.
    async fn settle_interrupted(
        &self,
        new: &NewSecret,
        before: &[SecretMetadata],
    ) -> Result<SecretMetadata, ApiError> {
        let look = self.walk_list(Fetch::Quick(SETTLE_REQUEST));
        if let Ok(Ok(listing)) = tokio::time::timeout(SETTLE_BUDGET, look).await {
            if let Some(found) = newly_created(&listing, new, before) {
                self.inner.cache.created(found.clone());
                return Ok(found);
            }
        }
        Err(ApiError::Abandoned)
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

#[cfg(test)]
mod tests;
