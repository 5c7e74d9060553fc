//! The open workplace and who is signed in to it. The UI never says who it
//! is: every command acts as the person signed in here. Keys stay in memory
//! only while someone is signed in and active; idleness locks.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use serde_json::json;
use tillid_core::store::backup::{self, BackupEntry, DataLock, Progress, Restored, Stage};
use tillid_core::store::ReadOnlyReason;
use tillid_core::{Actor, Error, Tillid};

use crate::error::{ApiError, ApiResult};

/// The data file that was opened, or why it could not be: the window opens
/// either way, and says what is wrong rather than failing before it shows.
pub struct AppState {
    data_file: PathBuf,
    /// Filled once, by the thread that opens the data file while the window
    /// is being made (at once when there is nothing to open). Everything
    /// that reads it waits until it is filled, so no command touches a file
    /// whose checks have not finished.
    inner: Arc<OnceLock<Opened>>,
    /// Held while the window has the folder open, so a restore from the
    /// command line cannot replace the file under it.
    folder_lock: Option<DataLock>,
}

/// The session on the opened file, or why the file could not be opened.
type Opened = Result<Mutex<Session>, ApiError>;

/// How long without a command before the WAL may be checkpointed.
const QUIET: Duration = Duration::from_secs(1);

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
            tracing::info!(person = actor.id(), "signed out");
            // The person is gone from the keyboard: a good moment to move
            // the WAL into the data file. Commits are durable without it,
            // so a failure is only worth a line in the log.
            if let Err(e) = self.tillid.checkpoint() {
                tracing::warn!(code = e.code(), "checkpoint at lock failed: {e}");
                eprintln!("tillid: checkpoint at lock failed: {e}");
            }
        }
    }

    /// Locks if the person at the keyboard has been idle too long.
    fn lock_if_idle(&mut self) -> bool {
        let limit = self.idle_limit();
        if self.actor.is_some() && self.last_activity.elapsed() >= limit {
            tracing::info!(after_seconds = limit.as_secs(), "idle: locking");
            self.lock();
            self.locked_after = Some(limit);
            return true;
        }
        false
    }
}

impl AppState {
    /// Opens the workplace in `data_dir`; a file that cannot be used gives
    /// a state whose every command returns why (with the file's path).
    ///
    /// The folder is locked before this returns (a second window on the
    /// same folder is refused at once), but the file itself is opened on a
    /// thread of its own: migrations and the integrity check run while the
    /// window is being made, and every command waits for them to finish.
    pub fn open(data_dir: &Path, idle_override: Option<Duration>) -> Self {
        Self::open_with(data_dir, idle_override, Tillid::open)
    }

    /// As [`AppState::open`], with `opener` opening the file in place of
    /// `Tillid::open` (tests hold the opening back with it, or make it fail).
    pub fn open_with(
        data_dir: &Path,
        idle_override: Option<Duration>,
        opener: impl FnOnce(&Path) -> tillid_core::Result<Tillid> + Send + 'static,
    ) -> Self {
        let data_file = tillid_core::paths::db_path(data_dir);
        // Only a holder elsewhere stops the window; a folder where no lock
        // file can be made is opened for reading, as before.
        let folder_lock = match DataLock::acquire(data_dir) {
            Ok(lock) => Some(lock),
            Err(Error::InUse) => {
                let state = Self::unopenable(data_file, Error::InUse);
                crate::startup_mark("data file open");
                report(&state.data_file, state.opened());
                return state;
            }
            Err(_) => None,
        };
        crate::startup_mark("data folder locked");
        let inner = Arc::new(OnceLock::new());
        // Fills the cell even if the opening panics or its thread cannot
        // start: a command then gets an error, never an endless wait.
        let fill = FillOnDrop {
            cell: Arc::clone(&inner),
            file: data_file.clone(),
        };
        let opening = move || {
            let file = &fill.file;
            let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| opener(file)));
            let opened = match opened {
                Ok(Ok(tillid)) => Ok(session(tillid, idle_override)),
                Ok(Err(e)) => Err(with_path(ApiError::from(e), file)),
                Err(_) => Err(panicked(file)),
            };
            // Marked before the waiting commands are let go, so the trace
            // shows the opening ending before the first answer.
            crate::startup_mark("data file open");
            let _ = fill.cell.set(opened);
            report(file, fill.cell.wait());
        };
        if let Err(e) = std::thread::Builder::new()
            .name("open data file".into())
            .spawn(opening)
        {
            // The closure, and with it `fill`, is dropped: the cell says
            // something went wrong.
            tracing::warn!("could not start opening the data file: {e}");
        }
        AppState {
            data_file,
            inner,
            // Kept when the file cannot be opened too: a backup can then be
            // restored from the window.
            folder_lock,
        }
    }

    pub fn new(tillid: Tillid, idle_override: Option<Duration>) -> Self {
        AppState {
            data_file: PathBuf::new(),
            inner: Arc::new(OnceLock::from(Ok(session(tillid, idle_override)))),
            folder_lock: None,
        }
    }

    /// The data file `path` could not be opened because of `error`.
    pub fn unopenable(path: PathBuf, error: Error) -> Self {
        let api = with_path(ApiError::from(error), &path);
        AppState {
            data_file: path,
            inner: Arc::new(OnceLock::from(Err(api))),
            folder_lock: None,
        }
    }

    /// Names the data file (shown on the read-only banner).
    pub fn at(mut self, data_file: PathBuf) -> Self {
        self.data_file = data_file;
        self
    }

    pub fn data_file(&self) -> &Path {
        &self.data_file
    }

    /// The opened file, once the opening has finished (waits until then).
    fn opened(&self) -> &Opened {
        self.inner.wait()
    }

    /// Why the data file could not be opened, if it could not (waits until
    /// the opening has finished).
    pub fn open_error(&self) -> Option<&ApiError> {
        self.opened().as_ref().err()
    }

    /// Why the data can only be read, if it can only be read (waits until
    /// the opening has finished).
    pub fn read_only(&self) -> Option<ReadOnlyReason> {
        self.opened().as_ref().ok().and_then(read_only)
    }

    fn lock(&self) -> ApiResult<MutexGuard<'_, Session>> {
        let inner = self.opened().as_ref().map_err(Clone::clone)?;
        Ok(lock_session(inner))
    }

    /// Runs `f` with no one required at the keyboard.
    pub fn anyone<T>(&self, f: impl FnOnce(&mut Tillid) -> tillid_core::Result<T>) -> ApiResult<T> {
        let mut session = self.lock()?;
        guarded(|| Ok(f(&mut session.tillid)?))
    }

    /// Runs `f` as the signed-in person, unless idleness has locked them out.
    pub fn signed_in<T>(
        &self,
        f: impl FnOnce(&mut Tillid, &Actor) -> tillid_core::Result<T>,
    ) -> ApiResult<T> {
        let mut session = self.lock()?;
        session.lock_if_idle();
        if let Some(after) = session.locked_after.take() {
            let minutes = ((after.as_secs() as i64 + 59) / 60).max(1);
            return Err(Error::Locked { minutes }.into());
        }
        session.last_activity = Instant::now();
        let Session { tillid, actor, .. } = &mut *session;
        let actor = actor.as_ref().ok_or(Error::NotSignedIn)?;
        guarded(|| Ok(f(tillid, actor)?))
    }

    /// Runs a sign-in and, if it succeeds, makes its person the one at the
    /// keyboard (locking whoever was before); a failed one changes nothing.
    pub fn sign_in_with<T>(
        &self,
        f: impl FnOnce(&mut Tillid) -> tillid_core::Result<Actor>,
        then: impl FnOnce(&mut Tillid, &Actor) -> tillid_core::Result<T>,
    ) -> ApiResult<T> {
        let mut session = self.lock()?;
        let actor = guarded(|| Ok(f(&mut session.tillid)?))?;
        if session.actor.as_ref().is_some_and(|a| a != &actor) {
            session.lock();
        }
        tracing::info!(person = actor.id(), "signed in");
        let out = guarded(|| Ok(then(&mut session.tillid, &actor)?));
        session.actor = Some(actor);
        session.last_activity = Instant::now();
        session.locked_after = None;
        out
    }

    /// Signs out and drops the keys from memory.
    pub fn sign_out(&self) {
        if let Ok(mut session) = self.lock() {
            session.lock();
            session.locked_after = None;
        }
    }

    /// Called on a timer: locks an idle session even if no command comes,
    /// and uses a quiet moment to move the WAL into the data file, so that
    /// no command pays for it (see `Tillid::checkpoint_when_quiet`).
    pub fn lock_if_idle(&self) -> bool {
        self.lock().is_ok_and(|mut s| {
            let locked = s.lock_if_idle();
            if s.last_activity.elapsed() >= QUIET {
                if let Err(e) = s.tillid.checkpoint_when_quiet() {
                    eprintln!("tillid: checkpoint at a quiet moment failed: {e}");
                }
            }
            locked
        })
    }

    pub fn current(&self) -> Option<Actor> {
        self.lock().ok()?.actor.clone()
    }

    /// The backups in the data folder: for an administrator, or for anyone
    /// when the data file could not be opened (no one can sign in then, and
    /// a restore is the way back).
    pub fn list_backups(&self) -> ApiResult<Vec<BackupEntry>> {
        let dir = self.folder()?;
        if self.open_error().is_some() {
            return Ok(backup::list(dir)?);
        }
        self.signed_in(|t, a| t.list_backups(a, dir))
    }

    /// Writes a backup to `backups/` as the signed-in administrator.
    pub fn back_up_now(&self, report: &mut dyn FnMut(Progress) -> bool) -> ApiResult<PathBuf> {
        let dir = self.folder()?;
        let made = self.signed_in(|t, a| t.back_up_now(a, dir, report));
        if let Ok(path) = &made {
            tracing::info!(file = %path.display(), "backup made");
        }
        made
    }

    /// Replaces the data with the backup called `name` in `backups/`, as an
    /// administrator (or anyone when the file could not be opened). The
    /// backup is verified before the open file is closed; afterwards the
    /// data file is opened again (the restored one, or the old one if the
    /// restore failed) and no one is signed in. Returns whether the window
    /// must start again to open it (it had no data file open).
    pub fn restore_backup(
        &self,
        name: &str,
        report: &mut dyn FnMut(Stage, Progress) -> bool,
    ) -> ApiResult<(Restored, bool)> {
        let lock = self.folder_lock.as_ref().ok_or(Error::ReadOnly)?;
        let source = backup::named(lock.dir(), name)?;
        let now = chrono::Utc::now();
        tracing::info!(backup = %source.display(), "restore asked for");
        if self.open_error().is_some() {
            let restored = backup::restore_locked(lock, &source, now, report)?;
            tracing::info!(kept = ?restored.kept, "restored (the window starts again)");
            return Ok((restored, true));
        }
        let mut session = self.lock()?;
        {
            let actor = session.actor.as_ref().ok_or(Error::NotSignedIn)?;
            session.tillid.may_restore(actor)?;
        }
        backup::verify(&source)?;
        session.lock();
        // The connection to the data file closes before the file is
        // replaced; an empty in-memory workplace stands in meanwhile.
        let closed = std::mem::replace(&mut session.tillid, Tillid::open_in_memory()?);
        drop(closed);
        let outcome = backup::restore_locked(lock, &source, now, report);
        session.tillid = Tillid::open(&self.data_file)?;
        session.actor = None;
        session.locked_after = None;
        let restored = outcome?;
        tracing::info!(kept = ?restored.kept, "restored");
        Ok((restored, false))
    }

    fn folder(&self) -> ApiResult<&Path> {
        match &self.folder_lock {
            Some(lock) => Ok(lock.dir()),
            None => Err(Error::ReadOnly.into()),
        }
    }

    pub fn idle_lock_seconds(&self) -> i64 {
        self.lock()
            .map(|s| s.idle_limit().as_secs() as i64)
            .unwrap_or(300)
    }
}

fn session(tillid: Tillid, idle_override: Option<Duration>) -> Mutex<Session> {
    Mutex::new(Session {
        tillid,
        actor: None,
        last_activity: Instant::now(),
        idle_override,
        locked_after: None,
    })
}

fn lock_session(session: &Mutex<Session>) -> MutexGuard<'_, Session> {
    // A panic mid-command rolled its transaction back; the state is still
    // sound, so carry on rather than fail every later command.
    session
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read_only(session: &Mutex<Session>) -> Option<ReadOnlyReason> {
    match lock_session(session).tillid.access() {
        tillid_core::store::Access::ReadOnly(reason) => Some(reason),
        tillid_core::store::Access::ReadWrite => None,
    }
}

/// Adds the data file's path to an error about opening it.
fn with_path(mut api: ApiError, path: &Path) -> ApiError {
    let file = path.display().to_string();
    match api.params.as_object_mut() {
        Some(params) => {
            params.insert("path".into(), json!(file));
        }
        None => api.params = json!({ "path": file }),
    }
    api
}

/// Opening the file panicked (a bug in Tillid): the panic hook has written
/// where to the log; the window says something went wrong, and where.
fn panicked(path: &Path) -> ApiError {
    with_path(ApiError::internal(crate::support_log::current_dir()), path)
}

/// Fills the opening's cell with an `internal` error when dropped before
/// the opening filled it (a panic outside the opener, a thread that could
/// not start).
struct FillOnDrop {
    cell: Arc<OnceLock<Opened>>,
    file: PathBuf,
}

impl Drop for FillOnDrop {
    fn drop(&mut self) {
        if self.cell.get().is_none() {
            let _ = self.cell.set(Err(panicked(&self.file)));
        }
    }
}

/// Says on standard error and in the log when the file cannot be opened
/// or can only be read.
fn report(file: &Path, opened: &Opened) {
    match opened {
        Err(e) => {
            tracing::warn!(code = e.code, "the data file could not be opened");
            eprintln!("tillid: cannot open {}: {}", file.display(), e.message);
        }
        Ok(session) => {
            if let Some(reason) = read_only(session) {
                tracing::warn!(?reason, "the data file is open for reading only");
                eprintln!(
                    "tillid: {} opened for reading only ({reason:?})",
                    file.display()
                );
            }
        }
    }
}

/// Runs `f`, turning a panic in it into an `internal` error: the panic hook
/// has already written the message and location to the log, and the window
/// says something went wrong instead of waiting for an answer that never
/// comes. A transaction the panic interrupted was rolled back as it unwound.
pub fn guarded<T>(f: impl FnOnce() -> ApiResult<T>) -> ApiResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(ApiError::internal(crate::support_log::current_dir())))
}
