//! Which planned create takes which key, as one provider process sees a plan.
//!
//! Secret names are unique within an organization, so a plan that creates a key another
//! secret holds, or two creates of one key, fails at apply, half applied. Terraform plans
//! every resource of a configuration in one provider process: here it remembers what the
//! plan does with each secret the state holds (its *fate*: refreshed, kept, replaced,
//! destroyed) and which create claims each key, so that the plan itself refuses such a
//! create (`claim_create`), with the reason (a [`Clash`]).
//!
//! Terraform gives a provider no resource addresses and plans resources in parallel, in
//! no set order: a create may be planned before the resource that holds its key has been
//! refreshed or planned. A create whose key is held by a secret of undecided fate waits
//! for it, at most [`FATE_WAIT`]; then the clash says what the provider could not tell.
//!
//! Two plans of one resource must not clash with themselves: a replacement is planned
//! twice (the change, then the create with a null prior state), which is why the
//! replacement claims its key first and its create takes that claim; the apply re-plans
//! every create in a new process, whose own deletes have left the listing by then.

use std::collections::HashMap;
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

/// Who will create a key.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Claim {
    /// A resource that has no secret yet.
    New,
    /// The replacement of secret `id`; `planned` once its create has been planned.
    Replacement { id: String, planned: bool },
}

/// Why a planned create cannot have its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Clash {
    /// Another create of this plan takes the key.
    PlannedTwice,
    /// Secret `id` has the key and another resource of the state keeps it. `rekeyed`:
    /// that resource changes its key in this plan, but its secret holds this one until
    /// it is replaced. `undecided`: that resource was refreshed and not yet planned (it
    /// may be renamed and destroyed, or kept).
    HeldByAnother {
        id: String,
        rekeyed: bool,
        undecided: bool,
    },
    /// Secret `id` has the key, and the resource of the state that holds it is planned
    /// to be destroyed: most likely this resource, renamed without a `moved` block.
    HeldByDestroyed { id: String },
    /// Secret `id` has the key, and no resource of this plan has said it holds it.
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
    /// Each secret the state holds, by id, that this process has seen planned or read.
    fates: HashMap<String, Fate>,
    /// Each key planned creates take.
    claims: HashMap<String, Claim>,
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
        self.lock().fates.entry(id.to_string()).or_insert(Fate::Held);
        self.changed.notify_waiters();
    }

    /// Secret `id` is planned to stay.
    pub(crate) fn kept(&self, id: &str) {
        self.set_fate(id, Fate::Kept);
    }

    /// Secret `id` is planned to be destroyed.
    pub(crate) fn destroyed(&self, id: &str) {
        self.set_fate(id, Fate::Destroyed);
    }

    /// Secret `id` is planned to be replaced by one with `key` (`None`: not known yet),
    /// whose create is planned next: it claims the key. Another create of this plan
    /// that claimed it already is a clash.
    pub(crate) fn replaced(&self, id: &str, key: Option<&str>) -> Result<(), Clash> {
        let mut registry = self.lock();
        registry
            .fates
            .insert(id.to_string(), Fate::Replaced(key.map(str::to_string)));
        let outcome = match key {
            None => Ok(()),
            Some(key) => match registry.claims.get(key) {
                Some(Claim::Replacement { id: other, .. }) if other != id => {
                    Err(Clash::PlannedTwice)
                }
                Some(Claim::New) => Err(Clash::PlannedTwice),
                _ => {
                    let claim = Claim::Replacement {
                        id: id.to_string(),
                        planned: false,
                    };
                    registry.claims.insert(key.to_string(), claim);
                    Ok(())
                }
            },
        };
        drop(registry);
        self.changed.notify_waiters();
        outcome
    }

    /// A create of `key`, which the secrets `holders` (ids) have now: claims the key, or
    /// says why it cannot be had. Waits at most [`FATE_WAIT`] for the plan of a holder
    /// whose fate is not known yet.
    pub(crate) async fn claim_create(&self, key: &str, holders: &[String]) -> Result<(), Clash> {
        let deadline = tokio::time::Instant::now() + FATE_WAIT;
        let mut waited_out = false;
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            // Registered before deciding, so that no fate recorded meanwhile is missed.
            changed.as_mut().enable();
            match self.lock().decide(key, holders, waited_out) {
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
    fn decide(&mut self, key: &str, holders: &[String], final_look: bool) -> Decision {
        // The create of a replacement that claimed the key takes that claim; its old
        // secret, which holds the key until it is deleted, is no clash.
        let replacing = match self.claims.get(key) {
            None => None,
            Some(Claim::Replacement { id, planned: false }) => Some(id.clone()),
            Some(_) => return Decision::Clash(Clash::PlannedTwice),
        };
        let holder = holders.iter().find(|h| Some(*h) != replacing.as_ref());
        if let Some(id) = holder {
            let id = id.clone();
            let clash = match self.fates.get(&id) {
                Some(Fate::Destroyed) => Clash::HeldByDestroyed { id },
                Some(Fate::Kept) => Clash::HeldByAnother {
                    id,
                    rekeyed: false,
                    undecided: false,
                },
                // Its replacement claimed this key, and another create has it.
                Some(Fate::Replaced(Some(new_key))) if new_key == key => Clash::PlannedTwice,
                Some(Fate::Replaced(_)) => Clash::HeldByAnother {
                    id,
                    rekeyed: true,
                    undecided: false,
                },
                Some(Fate::Held) if final_look => Clash::HeldByAnother {
                    id,
                    rekeyed: false,
                    undecided: true,
                },
                None if final_look => Clash::Exists { id },
                Some(Fate::Held) | None => return Decision::Wait,
            };
            return Decision::Clash(clash);
        }
        let claim = match replacing {
            Some(id) => Claim::Replacement { id, planned: true },
            None => Claim::New,
        };
        self.claims.insert(key.to_string(), claim);
        Decision::Claimed
    }
}

#[cfg(test)]
mod tests;
