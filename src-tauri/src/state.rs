//! The open workplace and who is signed in to it. The UI never says who it
//! is: every command acts as the person signed in here.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use tillid_core::{Actor, Error, Tillid};

use crate::error::ApiResult;

pub struct AppState {
    inner: Mutex<Session>,
}

struct Session {
    tillid: Tillid,
    actor: Option<Actor>,
}

impl AppState {
    pub fn open(data_dir: &Path) -> tillid_core::Result<Self> {
        let tillid = Tillid::open(&tillid_core::paths::db_path(data_dir))?;
        Ok(Self::new(tillid))
    }

    pub fn new(tillid: Tillid) -> Self {
        AppState {
            inner: Mutex::new(Session {
                tillid,
                actor: None,
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

    /// Runs `f` as the signed-in person.
    pub fn signed_in<T>(
        &self,
        f: impl FnOnce(&mut Tillid, &Actor) -> tillid_core::Result<T>,
    ) -> ApiResult<T> {
        let mut session = self.lock();
        let Session { tillid, actor } = &mut *session;
        let actor = actor.as_ref().ok_or(Error::NotSignedIn)?;
        Ok(f(tillid, actor)?)
    }

    /// Runs a sign-in and, if it succeeds, makes its person the one at the
    /// keyboard; a failed one changes nothing.
    pub fn sign_in_with<T>(
        &self,
        f: impl FnOnce(&mut Tillid) -> tillid_core::Result<Actor>,
        then: impl FnOnce(&mut Tillid, &Actor) -> tillid_core::Result<T>,
    ) -> ApiResult<T> {
        let mut session = self.lock();
        let actor = f(&mut session.tillid)?;
        let out = then(&mut session.tillid, &actor)?;
        session.actor = Some(actor);
        Ok(out)
    }

    pub fn sign_out(&self) {
        self.lock().actor = None;
    }

    pub fn current(&self) -> Option<Actor> {
        self.lock().actor.clone()
    }
}
