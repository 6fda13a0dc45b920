//! The stand-in's memory: secrets, counters, recorded requests, fault rules.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crate::model::{
    Budget, Fault, FaultRule, ListShape, Org, RecordedRequest, RequestCounts, SecretEdit,
    StoredSecret, TimestampUnit,
};
use crate::{Config, DEFAULT_ORG};

/// A rule and the generator that draws its random decisions.
pub struct ActiveRule {
    pub rule: FaultRule,
    rng: fastrand::Rng,
}

/// Everything the server keeps, behind one lock.
pub struct Inner {
    pub api_key: String,
    pub latency: Duration,
    pub unknown_delete_status: u16,
    pub list_shape: ListShape,
    pub orgs: Vec<Org>,
    pub v3_unknown_delete_status: u16,
    pub v3_timestamps: TimestampUnit,
    pub finish_abandoned: bool,
    /// Every organization's secrets, in creation order (`/v3` pages walk this order).
    pub secrets: Vec<StoredSecret>,
    pub counts: RequestCounts,
    pub requests: Vec<RecordedRequest>,
    pub rules: Vec<ActiveRule>,
}

/// The shared state.
pub struct State(Mutex<Inner>);

impl State {
    pub fn new(inner: Inner) -> Self {
        Self(Mutex::new(inner))
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    pub fn new(config: Config) -> Self {
        Self {
            api_key: config.api_key,
            latency: config.latency,
            unknown_delete_status: config.unknown_delete_status,
            list_shape: config.list_shape,
            orgs: config.orgs,
            v3_unknown_delete_status: config.v3_unknown_delete_status,
            v3_timestamps: config.v3_timestamps,
            finish_abandoned: config.finish_abandoned,
            secrets: Vec::new(),
            counts: RequestCounts::default(),
            requests: Vec::new(),
            rules: Vec::new(),
        }
    }

    /// The organization the v1 key works in: the first one configured. A stand-in started
    /// with no organizations still needs one for `/v1`, so it falls back to the default id.
    pub fn default_org(&self) -> &str {
        self.orgs.first().map_or(DEFAULT_ORG, |o| o.id.as_str())
    }

    pub fn push_rule(&mut self, rule: FaultRule) {
        let seed = match rule.budget {
            Budget::Random { seed, .. } => seed,
            _ => 0,
        };
        self.rules.push(ActiveRule {
            rule,
            rng: fastrand::Rng::with_seed(seed),
        });
    }

    /// The fault for this request, if a rule fires; spends the rule's budget.
    pub fn take_fault(&mut self, method: &str, path: &str) -> Option<Fault> {
        for active in &mut self.rules {
            let rule = &mut active.rule;
            if rule
                .method
                .as_deref()
                .is_some_and(|m| !m.eq_ignore_ascii_case(method))
            {
                continue;
            }
            if rule
                .path_prefix
                .as_deref()
                .is_some_and(|p| !path.starts_with(p))
            {
                continue;
            }
            let fires = match &mut rule.budget {
                Budget::Next { count } if *count > 0 => {
                    *count -= 1;
                    true
                }
                Budget::Next { .. } => false,
                Budget::Random { probability, .. } => active.rng.f64() < *probability,
                Budget::Always => true,
            };
            if fires {
                return Some(match &rule.fault {
                    Fault::Mixed => mixed(&mut active.rng),
                    other => other.clone(),
                });
            }
        }
        None
    }
}

fn mixed(rng: &mut fastrand::Rng) -> Fault {
    let status = |status: u16, retry_after: Option<&str>| Fault::Status {
        status,
        retry_after: retry_after.map(Into::into),
        body: None,
    };
    match rng.u8(0..9) {
        0 => status(429, Some("0")),
        1 => status(500, None),
        2 => status(502, None),
        3 => status(503, None),
        4 => Fault::Delay {
            ms: rng.u64(50..=300),
        },
        5 => Fault::DropBefore,
        6 => Fault::DropAfter,
        7 => Fault::MalformedBefore { status: 502 },
        _ => Fault::MalformedAfter,
    }
}

/// A new secret id.
pub fn new_id() -> String {
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let tail: String = (0..24)
        .map(|_| alphabet[fastrand::usize(..alphabet.len())] as char)
        .collect();
    format!("sec_{tail}")
}

/// A secret as someone outside the API would create it: sensitive, no note, created now.
pub fn stored(org_id: &str, key: &str, kind: &str, value: &str) -> StoredSecret {
    StoredSecret {
        id: new_id(),
        key: key.into(),
        value: value.into(),
        kind: kind.into(),
        sensitive: true,
        note: String::new(),
        created_at: now(),
        org_id: org_id.into(),
        updated_at: None,
        updated_by: None,
    }
}

/// Applies an edit made in Devin's UI. `updated_at` moves to now, and at least one second
/// past the secret's previous change (or creation), so that it moves in either unit of
/// `/v3` timestamps.
pub fn apply_edit(secret: &mut StoredSecret, edit: &SecretEdit) {
    if let Some(value) = &edit.value {
        secret.value = value.clone();
    }
    if let Some(note) = &edit.note {
        secret.note = note.clone();
    }
    if let Some(sensitive) = edit.is_sensitive {
        secret.sensitive = sensitive;
    }
    let previous = secret.updated_at.as_deref().unwrap_or(&secret.created_at);
    let now = time::OffsetDateTime::now_utc();
    let at = match crate::v3::parse_stored_time(previous) {
        Some(p) if now < p + time::Duration::seconds(1) => p + time::Duration::seconds(1),
        _ => now,
    };
    secret.updated_at = Some(time_text(at));
    secret.updated_by = Some(edit.updated_by.clone());
}

/// Now, as the API prints times.
pub fn now() -> String {
    time_text(time::OffsetDateTime::now_utc())
}

/// A time as the API prints it: RFC 3339 UTC with microseconds.
fn time_text(t: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner() -> Inner {
        Inner::new(Config::default())
    }

    fn rule(fault: Fault, method: Option<&str>, budget: Budget) -> FaultRule {
        FaultRule {
            fault,
            method: method.map(Into::into),
            path_prefix: Some("/v1/secrets".into()),
            budget,
        }
    }

    #[test]
    fn next_spends_its_budget_and_matches_method_and_path() {
        let mut s = inner();
        s.push_rule(rule(
            Fault::DropBefore,
            Some("DELETE"),
            Budget::Next { count: 2 },
        ));
        assert_eq!(s.take_fault("GET", "/v1/secrets"), None);
        assert_eq!(s.take_fault("DELETE", "/v2/x"), None);
        assert_eq!(
            s.take_fault("delete", "/v1/secrets/a"),
            Some(Fault::DropBefore)
        );
        assert_eq!(
            s.take_fault("DELETE", "/v1/secrets/a"),
            Some(Fault::DropBefore)
        );
        assert_eq!(s.take_fault("DELETE", "/v1/secrets/a"), None);
    }

    #[test]
    fn random_faults_repeat_with_the_seed_and_mix_every_kind() {
        let draw = |seed| {
            let mut s = inner();
            s.push_rule(rule(
                Fault::Mixed,
                None,
                Budget::Random {
                    probability: 0.3,
                    seed,
                },
            ));
            (0..2000)
                .map(|_| s.take_fault("GET", "/v1/secrets"))
                .collect::<Vec<_>>()
        };
        let a = draw(7);
        assert_eq!(a, draw(7));
        assert_ne!(a, draw(8));
        let fired = a.iter().flatten().count();
        assert!(
            (500..700).contains(&fired),
            "about 30% of 2000, got {fired}"
        );
        let kinds: std::collections::HashSet<_> =
            a.iter().flatten().map(std::mem::discriminant).collect();
        assert_eq!(kinds.len(), 6, "status, delay, both drops, both malformed");
    }
}
