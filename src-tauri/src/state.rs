//! The open workplace and who is signed in to it. The UI never says who it
//! is: every command acts as the person signed in here. Keys stay in memory
//! only while someone is signed in and active; idleness locks.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tillid_core::{Actor, Error, Tillid};

use crate::error::ApiResult;

pub struct AppState {
    inner: Mutex<Session>,
}

struct Session {
    tillid: Tillid,
    actor: Option<Actor>,
    last_activity: Instant,
    /// Replaces the workplace's idle-lock setting (tests, kiosks).
    idle_override: Option<Duration>,
    /// Set when idleness locked; the next command says so once.
    locked_after: Option<Duration>,
}

impl Session {
    fn idle_limit(&self) -> Duration {
        self.idle_override.unwrap_or_else(|| {
            Duration::from_secs(self.tillid.idle_lock_seconds().unwrap_or(300).max(1) as u64)
        })
    }

    fn lock(&mut self) {
        if let Some(actor) = self.actor.take() {
            self.tillid.lock(&actor);
        }
    }

    /// Locks if the person at the keyboard has been idle too long.
    fn lock_if_idle(&mut self) -> bool {
        let limit = self.idle_limit();
        if self.actor.is_some() && self.last_activity.elapsed() >= limit {
            self.lock();
            self.locked_after = Some(limit);
            return true;
        }
        false
    }
}

impl AppState {
    pub fn open(data_dir: &Path, idle_override: Option<Duration>) -> tillid_core::Result<Self> {
        let tillid = Tillid::open(&tillid_core::paths::db_path(data_dir))?;
        Ok(Self::new(tillid, idle_override))
    }

    pub fn new(tillid: Tillid, idle_override: Option<Duration>) -> Self {
        AppState {
            inner: Mutex::new(Session {
                tillid,
                actor: None,
                last_activity: Instant::now(),
                idle_override,
                locked_after: None,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Session> {
        // A panic mid-command rolled its transaction back; the state is
        // still sound, so carry on rather than fail every later command.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` with no one required at the keyboard.
    pub fn anyone<T>(&self, f: impl FnOnce(&mut Tillid) -> tillid_core::Result<T>) -> ApiResult<T> {
        Ok(f(&mut self.lock().tillid)?)
    }

    /// Runs `f` as the signed-in person, unless idleness has locked them out.
    pub fn signed_in<T>(
        &self,
        f: impl FnOnce(&mut Tillid, &Actor) -> tillid_core::Result<T>,
    ) -> ApiResult<T> {
        let mut session = self.lock();
        session.lock_if_idle();
        if let Some(after) = session.locked_after.take() {
            let minutes = ((after.as_secs() as i64 + 59) / 60).max(1);
            return Err(Error::Locked { minutes }.into());
        }
        session.last_activity = Instant::now();
        let Session { tillid, actor, .. } = &mut *session;
        let actor = actor.as_ref().ok_or(Error::NotSignedIn)?;
        Ok(f(tillid, actor)?)
    }

    /// Runs a sign-in and, if it succeeds, makes its person the one at the
    /// keyboard (locking whoever was before); a failed one changes nothing.
    pub fn sign_in_with<T>(
        &self,
        f: impl FnOnce(&mut Tillid) -> tillid_core::Result<Actor>,
        then: impl FnOnce(&mut Tillid, &Actor) -> tillid_core::Result<T>,
    ) -> ApiResult<T> {
        let mut session = self.lock();
        let actor = f(&mut session.tillid)?;
        if session.actor.as_ref().is_some_and(|a| a != &actor) {
            session.lock();
        }
        let out = then(&mut session.tillid, &actor);
        session.actor = Some(actor);
        session.last_activity = Instant::now();
        session.locked_after = None;
        Ok(out?)
    }

    /// Signs out and drops the keys from memory.
    pub fn sign_out(&self) {
        let mut session = self.lock();
        session.lock();
        session.locked_after = None;
    }

    /// Called on a timer: locks an idle session even if no command comes.
    pub fn lock_if_idle(&self) -> bool {
        self.lock().lock_if_idle()
    }

    pub fn current(&self) -> Option<Actor> {
        self.lock().actor.clone()
    }

    pub fn idle_lock_seconds(&self) -> i64 {
        self.lock().idle_limit().as_secs() as i64
    }
}
