//! Which planned create takes which key, as one provider process sees a plan.
//!
//! Secret names are unique within an organization, so a plan that creates a key another
//! secret holds, or two creates of one key, fails at apply, half applied. Terraform plans
//! every resource of a configuration in one provider process: here it remembers what the
//! plan does with each secret the state holds (its *fate*: refreshed, kept, replaced,
//! destroyed) and which keys planned creates take, so that the plan itself refuses such a
//! create (`claim_create`), with the reason (a [`Clash`]).
//!
//! Terraform gives a provider no resource addresses and plans resources in parallel, in
//! no set order: a create may be planned before the resource that holds its key has been
//! refreshed or planned. A create whose key is held by a secret of undecided fate waits
//! for it, at most [`FATE_WAIT`].
//!
//! One resource planned twice must not clash with itself. The create of a replacement
//! (asked for by the provider, or by `-replace`) is planned a second time with a null
//! prior state and the private state the first plan returned, which names the secret
//! being replaced: that create passes it as `own`. A tainted resource is planned as a
//! create with nothing of the kind: its secret, refreshed and then never planned within
//! the wait, is taken for its own. The apply plans each create again in a new process,
//! whose own deletes have left the listing by then.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

/// The longest a planned create waits for the resource that holds its key to be planned.
pub(crate) const FATE_WAIT: Duration = Duration::from_secs(2);

/// What the plan does with a secret the state holds.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Fate {
    /// Refreshed: a resource of the state holds it; its plan is still to come.
    Held,
    /// Planned without a replacement: it stays, with its key.
    Kept,
    /// Planned to be replaced by a secret with this key (`None` while the key is unknown).
    Replaced(Option<String>),
    /// Planned to be destroyed.
    Destroyed,
}

/// Why a planned create cannot have its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Clash {
    /// Another create of this plan takes the key.
    PlannedTwice,
    /// Secret `id` has the key and another resource of the state keeps it. `rekeyed`:
    /// that resource is replaced under another (or a not yet known) key in this plan,
    /// but its secret holds this one until it is deleted.
    HeldByAnother { id: String, rekeyed: bool },
    /// Secret `id` has the key, and the resource of the state that holds it is planned
    /// to be destroyed: most likely this resource, renamed without a `moved` block.
    HeldByDestroyed { id: String },
    /// Secret `id` has the key, and no resource of this plan said it holds it.
    Exists { id: String },
}

/// See the module documentation.
#[derive(Default)]
pub(crate) struct KeyClaims {
    state: Mutex<Registry>,
    /// Woken whenever a fate is recorded.
    changed: Notify,
}

#[derive(Default)]
struct Registry {
    /// Each secret the state holds, by id, that this process has seen refreshed or planned.
    fates: HashMap<String, Fate>,
    /// The keys planned creates take.
    claimed: HashSet<String>,
}

/// What `decide` found.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    Claimed,
    Clash(Clash),
    /// A holder's fate is not known yet.
    Wait,
}

impl KeyClaims {
    /// The state holds secret `id`: it was refreshed.
    pub(crate) fn held(&self, id: &str) {
        self.lock()
            .fates
            .entry(id.to_string())
            .or_insert(Fate::Held);
        self.changed.notify_waiters();
    }

    /// Secret `id` is planned to stay.
    pub(crate) fn kept(&self, id: &str) {
        self.set_fate(id, Fate::Kept);
    }

    /// Secret `id` is planned to be replaced by one with `key` (`None`: not known yet).
    pub(crate) fn replaced(&self, id: &str, key: Option<&str>) {
        self.set_fate(id, Fate::Replaced(key.map(str::to_string)));
    }

    /// Secret `id` is planned to be destroyed.
    pub(crate) fn destroyed(&self, id: &str) {
        self.set_fate(id, Fate::Destroyed);
    }

    /// A create of `key`, which the secrets `holders` (ids) have now; `own` is the secret
    /// this create replaces, if it is the second plan of a replacement. Claims the key, or
    /// says why it cannot be had. Waits at most [`FATE_WAIT`] for the plan of a holder
    /// whose fate is not known yet.
    pub(crate) async fn claim_create(
        &self,
        key: &str,
        own: Option<&str>,
        holders: &[String],
    ) -> Result<(), Clash> {
        let deadline = tokio::time::Instant::now() + FATE_WAIT;
        let mut waited_out = false;
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            // Registered before deciding, so that no fate recorded meanwhile is missed.
            changed.as_mut().enable();
            match self.lock().decide(key, own, holders, waited_out) {
                Decision::Claimed => return Ok(()),
                Decision::Clash(clash) => return Err(clash),
                Decision::Wait => {}
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                waited_out = true;
            }
        }
    }

    fn set_fate(&self, id: &str, fate: Fate) {
        self.lock().fates.insert(id.to_string(), fate);
        self.changed.notify_waiters();
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        // Every change is one insert: a poisoned lock holds a consistent registry.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Registry {
    /// Claims `key` for a create, or says why not; `final_look` once the wait is over.
    fn decide(
        &mut self,
        key: &str,
        own: Option<&str>,
        holders: &[String],
        final_look: bool,
    ) -> Decision {
        if self.claimed.contains(key) {
            return Decision::Clash(Clash::PlannedTwice);
        }
        let mut wait = false;
        for id in holders.iter().filter(|h| Some(h.as_str()) != own) {
            let clash = match self.fates.get(id) {
                Some(Fate::Destroyed) => Clash::HeldByDestroyed { id: id.clone() },
                Some(Fate::Kept) => Clash::HeldByAnother {
                    id: id.clone(),
                    rekeyed: false,
                },
                // Its replacement creates this very key.
                Some(Fate::Replaced(Some(new_key))) if new_key == key => Clash::PlannedTwice,
                Some(Fate::Replaced(_)) => Clash::HeldByAnother {
                    id: id.clone(),
                    rekeyed: true,
                },
                Some(Fate::Held) | None if !final_look => {
                    wait = true;
                    continue;
                }
                // Refreshed, then not planned: the secret of this very resource, tainted,
                // which Terraform plans as a create.
                Some(Fate::Held) => continue,
                None => Clash::Exists { id: id.clone() },
            };
            return Decision::Clash(clash);
        }
        if wait {
            return Decision::Wait;
        }
        self.claimed.insert(key.to_string());
        Decision::Claimed
    }
}

#[cfg(test)]
mod tests;
