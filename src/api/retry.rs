//! When to try a request again, and how long to wait first.
//!
//! GET and DELETE are idempotent: they are retried on 429, 5xx and connection errors.
//! A POST is retried as is only when the server cannot have acted on it (429, or a
//! connection that never opened); any other failure of a POST is settled by listing
//! (see `client.rs`), because sending it again blindly could create a duplicate.

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

impl RetryPolicy {
    /// How long to wait before retry number `retry` (1 for the first retry): exponential
    /// with "equal jitter", so that many clients throttled together do not come back in
    /// step, yet every wait keeps at least half of its exponential floor. A server's
    /// `Retry-After` wins when it asks for longer.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16))
            .min(self.max_backoff);
        let half = exp / 2;
        let jitter = half.mul_f64(fastrand::f64());
        let backoff = half + jitter;
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
    pub fn allows(&self, retries_done: u32, elapsed: Duration, wait: Duration) -> bool {
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
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(7)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let p = RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            max_elapsed: Duration::from_secs(10),
        };
        for _ in 0..200 {
            let d1 = p.delay(1, None);
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
            let d3 = p.delay(3, None);
            assert!(d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400));
            assert!(p.delay(30, None) <= Duration::from_secs(1));
        }
        let distinct: std::collections::HashSet<_> = (0..50).map(|_| p.delay(4, None)).collect();
        assert!(distinct.len() > 1, "jitter must vary the waits");
    }

    #[test]
    fn retry_after_is_honoured_within_the_cap() {
        let p = RetryPolicy::default();
        assert!(p.delay(1, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
        assert_eq!(p.delay(1, Some(Duration::from_secs(3600))), p.max_backoff);
        assert_eq!(
            p.max_backoff,
            Duration::from_secs(20),
            "README documents 20 s"
        );
    }

    #[test]
    fn a_retry_after_beyond_the_cap_is_told_apart() {
        let p = RetryPolicy::default();
        assert_eq!(p.beyond_cap(None), None);
        assert_eq!(p.beyond_cap(Some(Duration::from_secs(3))), None);
        assert_eq!(p.beyond_cap(Some(Duration::from_secs(20))), None);
        assert_eq!(
            p.beyond_cap(Some(Duration::from_secs(21))),
            Some(Duration::from_secs(21))
        );
        assert_eq!(
            p.delay(1, p.beyond_cap(Some(Duration::from_secs(3600)))),
            p.max_backoff
        );
    }

    #[test]
    fn attempts_and_time_are_bounded() {
        let p = RetryPolicy {
            max_retries: 2,
            max_elapsed: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        assert!(p.allows(0, Duration::ZERO, Duration::from_secs(1)));
        assert!(!p.allows(2, Duration::ZERO, Duration::from_secs(1)));
        assert!(!p.allows(0, Duration::from_secs(4), Duration::from_secs(2)));
    }

    #[test]
    fn retryable_statuses() {
        assert!(is_retryable_status(429));
        assert!(is_retryable_status(503));
        assert!(!is_retryable_status(404));
        assert!(!is_retryable_status(422));
    }
}
