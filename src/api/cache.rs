//! One list of the organization's secrets, shared by every read in this provider process.
//!
//! There is no get-one endpoint, so a naive refresh of N secrets costs N list calls of N
//! items each. Here concurrent reads share one in-flight list (v1's one `GET /v1/secrets`,
//! or v3's whole walk of `GET /v3/organizations/{org_id}/secrets` pages, which counts as
//! one list), and its answer serves later reads until this process writes (create or
//! delete) or the answer gets old.
//! A list that started before a write finished is never handed to a read that started
//! after it, so a read never misses this provider's own writes.
//!
//! Creates need a different view: the set of secrets that existed before their POST, to
//! tell an adopted secret from an old one and to refuse a duplicate key. For them the last
//! answer stays usable after writes, patched with this process's own creates and deletes.
//!
//! After its POST a v1 create needs one more view, a list taken after the POST answered,
//! for the `created_at` the POST does not return (v3's POST returns it). Creates that
//! finish close together share it: a request under way is joined when it started after
//! the create finished, and waited out otherwise, the next request serving every create
//! that waited. A new request starts only when no POST is under way, so creates whose POSTs
//! overlap always share one list, whatever the timing: the lists for creates are at most
//! the times the POSTs under way fall to none. It also waits (briefly) for the creates
//! Terraform is starting, so that one list serves a whole wave of its parallel creates.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::{BoxFuture, FutureExt, Shared};

use super::error::ApiError;
use super::types::SecretMetadata;

/// One whole list of the organization's secrets: one v1 answer, or every v3 page.
pub type Listing = Arc<Vec<SecretMetadata>>;

type InFlight = Shared<BoxFuture<'static, Result<Listing, ApiError>>>;

/// How long a list answer may serve reads before the next read lists again.
pub(super) const MAX_AGE: Duration = Duration::from_secs(30);
/// The longest a create waits for the rest of its wave before a list for creates starts.
const GATHER: Duration = Duration::from_millis(50);

#[derive(Default)]
struct State {
    /// Bumped when a write finishes; a list answer is good for reads of its generation.
    generation: u64,
    /// The last answer, its generation and when its request started.
    last: Option<(Listing, u64, Instant)>,
    /// The request under way, with the generation and the moment it started in.
    in_flight: Option<(InFlight, u64, Instant)>,
    /// The secrets this process created.
    created_here: HashSet<String>,
    /// POSTs under way.
    posting: usize,
    /// Creates waiting for a list taken after them.
    waiting: usize,
    /// The most creates seen under way at once (POSTing or waiting).
    peak: usize,
}

/// The shared list; see the module documentation.
#[derive(Default)]
pub struct ListCache {
    state: Mutex<State>,
    /// Woken when the last POST under way answers.
    quiet: tokio::sync::Notify,
}

/// Counts a create as waiting for its list while it lives.
struct Waiting<'a>(&'a ListCache);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.lock().waiting -= 1;
    }
}

/// Counts a POST as under way while it lives.
pub struct Posting<'a>(&'a ListCache);

impl Drop for Posting<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.posting -= 1;
        if state.posting == 0 {
            self.0.quiet.notify_waiters();
        }
    }
}

impl ListCache {
    /// A list that reflects every write this process finished before the call: the
    /// cached answer when still good, else the request under way when it started after
    /// the last write, else a new request made by `fetch`.
    pub async fn for_read<F>(&self, fetch: F) -> Result<Listing, ApiError>
    where
        F: FnOnce() -> BoxFuture<'static, Result<Listing, ApiError>>,
    {
        let (future, generation, started) = {
            let mut state = self.lock();
            let generation = state.generation;
            if let Some((listing, gen, at)) = &state.last {
                if *gen == generation && at.elapsed() < MAX_AGE {
                    return Ok(listing.clone());
                }
            }
            match &state.in_flight {
                Some((future, gen, at)) if *gen == generation => (future.clone(), *gen, *at),
                _ => start(&mut state, fetch),
            }
        };
        let result = future.await;
        self.finish(generation, started, &result);
        result
    }

    /// A list whose request started after `since`, the moment a create's POST answered:
    /// it shows that secret. See the module documentation for how creates share it.
    pub async fn started_after<F>(&self, since: Instant, fetch: F) -> Result<Listing, ApiError>
    where
        F: FnOnce() -> BoxFuture<'static, Result<Listing, ApiError>>,
    {
        let mut fetch = Some(fetch);
        loop {
            let joined = {
                let state = self.lock();
                if let Some((listing, _, at)) = &state.last {
                    if *at >= since {
                        return Ok(listing.clone());
                    }
                }
                state.in_flight.clone()
            };
            if let Some((future, generation, started)) = joined {
                // Joined when it started after `since`; else waited out.
                let result = future.await;
                self.finish(generation, started, &result);
                if started >= since {
                    return result;
                }
                continue;
            }
            self.gather().await;
            let (future, generation, started) = {
                let mut state = self.lock();
                let started_meanwhile = state.in_flight.is_some()
                    || matches!(&state.last, Some((_, _, at)) if *at >= since);
                match fetch.take() {
                    Some(f) if !started_meanwhile => start(&mut state, f),
                    f => {
                        fetch = f;
                        continue;
                    }
                }
            };
            let result = future.await;
            self.finish(generation, started, &result);
            return result;
        }
    }

    /// The count of writes this process finished: a list asked for at one generation
    /// shows every write of that generation.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Takes in a whole list that a request made outside the cache read: the request
    /// asked at `generation`, and started at `started`.
    pub fn seed(&self, listing: Listing, generation: u64, started: Instant) {
        let mut state = self.lock();
        let newer = matches!(&state.last, Some((_, _, at)) if *at >= started);
        if !newer {
            state.last = Some((listing, generation, started));
        }
    }

    /// Marks a POST as under way until the guard drops.
    pub fn posting(&self) -> Posting<'_> {
        let mut state = self.lock();
        state.posting += 1;
        state.peak = state.peak.max(state.posting + state.waiting);
        drop(state);
        Posting(self)
    }

    /// Before a list for creates: waits until no POST is under way, however long that
    /// takes, so that creates whose POSTs overlap always share one list; then, briefly
    /// (at most [`GATHER`]), until every create this process has seen running at once
    /// (Terraform's parallelism, as observed) is waiting too, so one list serves the whole
    /// wave. The first wait is bounded: each POST by the request timeout, and no create
    /// can start a POST for long, as Terraform starts creates only in the slots that
    /// waiting creates do not hold.
    async fn gather(&self) {
        self.lock().waiting += 1;
        // Counted out however this ends, a dropped request included.
        let _waiting = Waiting(self);
        let mut window: Option<tokio::time::Instant> = None;
        let mut window_over = false;
        loop {
            let quiet = self.quiet.notified();
            let (posting, complete) = {
                let state = self.lock();
                (state.posting, state.waiting >= state.peak)
            };
            if posting > 0 {
                quiet.await;
                continue;
            }
            if complete {
                // The wave is complete: wake the others waiting for it.
                self.quiet.notify_waiters();
                break;
            }
            if window_over {
                break;
            }
            let deadline = *window.get_or_insert_with(|| tokio::time::Instant::now() + GATHER);
            window_over = tokio::time::timeout_at(deadline, quiet).await.is_err();
        }
    }

    /// Bookkeeping once a request ended; whoever sees it end first does it, so no waiter
    /// depends on the task that started it.
    fn finish(&self, generation: u64, started: Instant, result: &Result<Listing, ApiError>) {
        let mut state = self.lock();
        if matches!(&state.in_flight, Some((_, _, at)) if *at == started) {
            state.in_flight = None;
        }
        if let Ok(listing) = result {
            // A newer answer may have landed while this one was under way.
            let newer = matches!(&state.last, Some((_, _, at)) if *at >= started);
            if !newer {
                state.last = Some((listing.clone(), generation, started));
            }
        }
    }

    /// The secrets as they were before this process's next write: the last answer
    /// patched with this process's own writes, or a fresh list when there is none.
    pub async fn before_write<F>(&self, fetch: F) -> Result<Listing, ApiError>
    where
        F: FnOnce() -> BoxFuture<'static, Result<Listing, ApiError>>,
    {
        if let Some((listing, _, _)) = &self.lock().last {
            return Ok(listing.clone());
        }
        self.for_read(fetch).await
    }

    /// Records a secret this process created: later reads list again, and later creates
    /// see it.
    pub fn created(&self, secret: SecretMetadata) {
        self.lock().created_here.insert(secret.id.clone());
        self.write(|items| {
            items.retain(|s| s.id != secret.id);
            items.push(secret);
        });
    }

    /// Whether this process created the secret `id`.
    pub fn created_here(&self, id: &str) -> bool {
        self.lock().created_here.contains(id)
    }

    /// Records a secret this process deleted (or found gone).
    pub fn deleted(&self, id: &str) {
        self.write(|items| items.retain(|s| s.id != id));
    }

    /// Records a write whose outcome is unknown: later reads list again.
    pub fn may_have_changed(&self) {
        self.write(|_| {});
    }

    fn write(&self, patch: impl FnOnce(&mut Vec<SecretMetadata>)) {
        let mut state = self.lock();
        state.generation += 1;
        if let Some((listing, _, _)) = &mut state.last {
            patch(Arc::make_mut(listing));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent at every await point, so a poisoned lock is usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Starts a request made by `fetch`, recording it as the one under way.
fn start<F>(state: &mut State, fetch: F) -> (InFlight, u64, Instant)
where
    F: FnOnce() -> BoxFuture<'static, Result<Listing, ApiError>>,
{
    let future = fetch().shared();
    let started = Instant::now();
    state.in_flight = Some((future.clone(), state.generation, started));
    (future, state.generation, started)
}

#[cfg(test)]
mod tests;
