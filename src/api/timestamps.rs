//! v3's integer `created_at`, of undocumented unit, as the RFC 3339 text v1 prints.

use serde_json::Value;
use time::OffsetDateTime;

/// Integer timestamps at or above this are milliseconds, below it seconds: 10^11 seconds
/// is in the year 5138, 10^11 milliseconds in March 1973, before any Devin secret.
pub const MILLIS_FROM: i64 = 100_000_000_000;

/// v3's `created_at` as RFC 3339 UTC text. An integer goes through [`timestamp_text`];
/// an integral float (some encoders write `1.7e9`) likewise; a string is kept as the API
/// printed it, as on v1. Anything else is `None`: the list must stay readable.
pub fn created_at_text(raw: &Value) -> Option<String> {
    match raw {
        Value::Number(n) => match n.as_i64() {
            Some(i) => timestamp_text(i),
            None => n
                .as_f64()
                .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e18)
                .and_then(|f| timestamp_text(f as i64)),
        },
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// An integer Unix timestamp of undocumented unit as RFC 3339 UTC text: at or above
/// [`MILLIS_FROM`] it is milliseconds, printed `YYYY-MM-DDTHH:MM:SS.mmmZ`; below, seconds,
/// printed `YYYY-MM-DDTHH:MM:SSZ`. Negative timestamps and those past the year 9999 are
/// `None`: no secret was created then, and a made-up date is worse than none.
pub fn timestamp_text(timestamp: i64) -> Option<String> {
    if timestamp < 0 {
        return None;
    }
    if timestamp >= MILLIS_FROM {
        let at = OffsetDateTime::from_unix_timestamp(timestamp / 1000).ok()?;
        Some(format!("{}.{:03}Z", date_time_text(at), timestamp % 1000))
    } else {
        let at = OffsetDateTime::from_unix_timestamp(timestamp).ok()?;
        Some(format!("{}Z", date_time_text(at)))
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of a UTC time. Written by hand: the `time` crate's formatting
/// needs a feature this crate does not enable, and the shape is fixed.
fn date_time_text(at: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_seconds() {
        assert_eq!(
            timestamp_text(1_767_225_600).as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        assert_eq!(
            timestamp_text(1_772_409_845).as_deref(),
            Some("2026-03-02T00:04:05Z")
        );
        assert_eq!(timestamp_text(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        // The largest seconds value: still seconds, in the year 5138.
        assert_eq!(
            timestamp_text(MILLIS_FROM - 1).as_deref(),
            Some("5138-11-16T09:46:39Z")
        );
    }

    #[test]
    fn timestamps_in_milliseconds() {
        assert_eq!(
            timestamp_text(1_767_225_600_000).as_deref(),
            Some("2026-01-01T00:00:00.000Z")
        );
        assert_eq!(
            timestamp_text(1_772_409_845_007).as_deref(),
            Some("2026-03-02T00:04:05.007Z")
        );
        assert_eq!(
            timestamp_text(MILLIS_FROM).as_deref(),
            Some("1973-03-03T09:46:40.000Z")
        );
    }

    #[test]
    fn absurd_timestamps_are_none() {
        assert_eq!(timestamp_text(-1), None);
        assert_eq!(timestamp_text(i64::MIN), None);
        assert_eq!(timestamp_text(i64::MAX), None, "past the year 9999");
        assert_eq!(timestamp_text(253_402_300_800_000), None, "year 10000");
        assert!(timestamp_text(253_402_300_799_999).is_some());
    }

    #[test]
    fn created_at_of_other_shapes() {
        use serde_json::json;
        assert_eq!(
            created_at_text(&json!(1_767_225_600.0)).as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        assert_eq!(created_at_text(&json!(1.5)), None);
        assert_eq!(created_at_text(&json!(u64::MAX)), None);
        assert_eq!(created_at_text(&json!(-5)), None);
        assert_eq!(
            created_at_text(&json!("2026-01-01T00:00:00Z")).as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        assert_eq!(created_at_text(&json!("")), None);
        assert_eq!(created_at_text(&json!(null)), None);
        assert_eq!(created_at_text(&json!({"s": 1})), None);
    }
}
