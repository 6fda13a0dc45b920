//! When to try a request again, and how long to wait first.
//!
//! GET and DELETE are idempotent: they are retried on 429, 5xx and connection errors.
//! A POST is retried as is only when the server cannot have acted on it (429, or a
//! connection that never opened); any other failure of a POST is settled by listing
//! (see `reconcile.rs`), because sending it again blindly could create a duplicate.

use std::time::{Duration, SystemTime};

/// Limits on retrying one API call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it, up to `max_backoff`.
    pub base_delay: Duration,
    /// The longest wait between two attempts, `Retry-After` included.
    pub max_backoff: Duration,
    /// The longest time one call may take, waits included.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: DEFAULT_MAX_RETRIES,
            base_delay: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(120),
        }
    }
}

/// Default for the provider's `max_retries`.
pub const DEFAULT_MAX_RETRIES: u32 = 5;

/// True for the statuses a retry can fix.
pub fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// What follows a failed attempt that another could fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// The policy allows no more attempts.
    GiveUp,
}

impl RetryPolicy {
    /// Whether to try again after `retries_done` retries and `elapsed` since the first
    /// attempt, and after how long; `retry_after` is what the server asked for. The
    /// random draw of the jitter is `jitter`, in `[0, 1)`, so that the decision is a
    /// function of its arguments.
    pub fn decide(
        &self,
        retries_done: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Decision {
        let wait = self.delay(retries_done + 1, retry_after, jitter);
        if self.allows(retries_done, elapsed, wait) {
            Decision::Retry(wait)
        } else {
            Decision::GiveUp
        }
    }

    /// How long to wait before retry number `retry` (1 for the first retry): exponential
    /// with "equal jitter", so that many clients throttled together do not come back in
    /// step, yet every wait keeps at least half of its exponential floor. A server's
    /// `Retry-After` wins when it asks for longer.
    fn delay(&self, retry: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16))
            .min(self.max_backoff);
        let half = exp / 2;
        let backoff = half + half.mul_f64(jitter);
        match retry_after {
            Some(asked) => asked.max(backoff).min(self.max_backoff),
            None => backoff,
        }
    }

    /// The wait a server asked for (`Retry-After`) when it is longer than `max_backoff`,
    /// which the provider waits instead. An hour's `Retry-After` would otherwise hold a
    /// `terraform apply` for an hour; the cost of the cap is a retry that may be throttled
    /// again, within `max_retries` and `max_elapsed`. The client logs every capped wait.
    pub fn beyond_cap(&self, retry_after: Option<Duration>) -> Option<Duration> {
        retry_after.filter(|asked| *asked > self.max_backoff)
    }

    /// Whether another attempt fits: retries left, and the wait would end within
    /// `max_elapsed` of the first attempt.
    fn allows(&self, retries_done: u32, elapsed: Duration, wait: Duration) -> bool {
        retries_done < self.max_retries && elapsed + wait < self.max_elapsed
    }
}

/// Reads a `Retry-After` header: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests;
