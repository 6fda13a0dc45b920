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
        let d1 = p.delay(1, None, fastrand::f64());
        assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
        let d3 = p.delay(3, None, fastrand::f64());
        assert!(d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400));
        assert!(p.delay(30, None, fastrand::f64()) <= Duration::from_secs(1));
    }
    let distinct: std::collections::HashSet<_> =
        (0..50).map(|_| p.delay(4, None, fastrand::f64())).collect();
    assert!(distinct.len() > 1, "jitter must vary the waits");
}

#[test]
fn retry_after_is_honoured_within_the_cap() {
    let p = RetryPolicy::default();
    assert!(p.delay(1, Some(Duration::from_secs(3)), fastrand::f64()) >= Duration::from_secs(3));
    assert_eq!(
        p.delay(1, Some(Duration::from_secs(3600)), fastrand::f64()),
        p.max_backoff
    );
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
        p.delay(
            1,
            p.beyond_cap(Some(Duration::from_secs(3600))),
            fastrand::f64()
        ),
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

#[test]
fn decide_retries_within_the_policy_and_then_gives_up() {
    let p = RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(100),
        max_backoff: Duration::from_secs(1),
        max_elapsed: Duration::from_secs(5),
    };
    // The least jitter keeps half the exponential floor, the most all of it.
    assert_eq!(
        p.decide(0, Duration::ZERO, None, 0.0),
        Decision::Retry(Duration::from_millis(50))
    );
    assert_eq!(
        p.decide(1, Duration::ZERO, None, 0.0),
        Decision::Retry(Duration::from_millis(100))
    );
    assert_eq!(
        p.decide(1, Duration::ZERO, None, 1.0),
        Decision::Retry(Duration::from_millis(200))
    );
    assert_eq!(p.decide(2, Duration::ZERO, None, 0.0), Decision::GiveUp);
    // A wait that would end past `max_elapsed` is not started.
    assert_eq!(
        p.decide(0, Duration::from_millis(4_960), None, 0.0),
        Decision::GiveUp
    );
    // `Retry-After` is honoured up to `max_backoff`.
    assert_eq!(
        p.decide(0, Duration::ZERO, Some(Duration::from_millis(700)), 0.0),
        Decision::Retry(Duration::from_millis(700))
    );
    assert_eq!(
        p.decide(0, Duration::ZERO, Some(Duration::from_secs(60)), 0.0),
        Decision::Retry(Duration::from_secs(1))
    );
}
