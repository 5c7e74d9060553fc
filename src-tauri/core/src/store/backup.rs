//! Copies of the data file, and putting one back.
//!
//! A copy is made with SQLite's online backup, page by page, so sealed
//! content stays sealed, the app may keep running, and long copies report
//! progress and can be cancelled. Every copy is written under a temporary
//! name and renamed into place only when it is complete and checks out, so
//! a cut at any moment leaves either no copy or a whole one.
//!
//! A restore never touches the current file until the backup has been
//! verified, copied, opened and brought up to this version's schema beside
//! it; the current file is first kept in `backups/`, then the restored one
//! takes its name in one rename.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::{open, partial_path, sync_dir, OpenOptions, MIGRATIONS};
use crate::{paths, Error, Result};

/// The folder, beside the data file, that holds automatic backups and the
/// file as it was before a restore.
pub const BACKUP_DIR: &str = "backups";
/// How many automatic backups are kept when the workplace has not said.
pub const DEFAULT_KEEP: usize = 7;
/// The lock file a running Tillid holds for its data folder.
const LOCK_FILE: &str = "tillid.lock";
/// Pages copied between progress reports: 4 MiB at SQLite's default 4 KiB
/// page, so progress moves a few times a second without slowing the copy.
const PAGES_PER_STEP: i32 = 1024;

/// How far a long copy has come, in pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// What a backup file holds, as far as can be told without a passphrase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BackupFacts {
    pub workplace: String,
    pub people: i64,
    pub dialogues: i64,
    /// The schema version it was written with (this Tillid upgrades older
    /// ones when they are restored).
    pub schema: i64,
}

/// The outcome of a restore.
#[derive(Clone, Debug, Serialize)]
pub struct Restored {
    pub facts: BackupFacts,
    /// Where the data as it was before the restore was kept, if there was any.
    pub kept: Option<PathBuf>,
}

/// Held by whoever works on a data folder as a whole (the running window, a
/// restore), so a restore never replaces a file under an open app.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
    dir: PathBuf,
}

impl DataLock {
    /// Takes the folder's lock, or `InUse` if another process holds it. The
    /// operating system releases it when the process ends, even by kill -9.
    pub fn acquire(dir: &Path) -> Result<DataLock> {
        std::fs::create_dir_all(dir)?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => Ok(DataLock {
                _file: file,
                dir: dir.to_path_buf(),
            }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::InUse),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }

    /// The data folder this lock is for.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Copies the database `source` is connected to into a new file `target`,
/// reporting progress; `keep_going` returning false cancels (`Cancelled`,
/// and no file is left). `target` must not exist.
pub fn copy_to(
    source: &Connection,
    target: &Path,
    keep_going: &mut dyn FnMut(Progress) -> bool,
) -> Result<()> {
    if target.exists() {
        return Err(Error::InvalidInput {
            field: "backup_path",
        });
    }
    // A partial copy left by a cut is overwritten whole by the next one.
    let partial = partial_path(target);
    let result = copy_pages(source, &partial, keep_going)
        .and_then(|()| check_copy(&partial))
        .and_then(|()| {
            std::fs::rename(&partial, target)?;
            sync_dir(target)
        });
    if result.is_err() {
        let _ = remove_database_files(&partial);
    }
    result
}

fn copy_pages(
    source: &Connection,
    partial: &Path,
    keep_going: &mut dyn FnMut(Progress) -> bool,
) -> Result<()> {
    {
        let mut copy = Connection::open(partial)?;
        let backup = Backup::new(source, &mut copy)?;
        loop {
            let step = backup.step(PAGES_PER_STEP)?;
            let p = backup.progress();
            let total = p.pagecount.max(0) as u64;
            let done = total.saturating_sub(p.remaining.max(0) as u64);
            if !keep_going(Progress { done, total }) {
                return Err(Error::Cancelled);
            }
            match step {
                StepResult::Done => break,
                StepResult::More => {}
                // Another connection holds a lock for a moment; the
                // backup restarts where it must by itself.
                StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        drop(backup);
        // The copy takes the source's write-ahead-log mode with its pages; a
        // backup is one self-contained file, so it goes back to a rollback
        // journal (opening it in Tillid turns WAL on again).
        copy.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))?;
    }
    File::open(partial)?.sync_all()?;
    Ok(())
}

/// A copy must read back whole and be of this version's schema.
fn check_copy(path: &Path) -> Result<()> {
    let copy = read_only(path)?;
    let verdict: String = copy.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
    let version: i64 = copy.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if verdict != "ok" || version != MIGRATIONS.len() as i64 {
        return Err(Error::Storage(format!(
            "the copy did not check out: {verdict}, schema {version}"
        )));
    }
    Ok(())
}

fn read_only(path: &Path) -> Result<Connection> {
    Ok(Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?)
}

/// Whether `path` is a whole Tillid data file this version can restore:
/// a SQLite database (not another program's), every page intact, and a
/// schema no newer than this Tillid knows. Reads only.
pub fn verify(path: &Path) -> Result<BackupFacts> {
    let meta = std::fs::metadata(path).map_err(|_| Error::NotFound {
        what: "backup_file",
    })?;
    if !meta.is_file() {
        return Err(Error::NotFound {
            what: "backup_file",
        });
    }
    let conn = read_only(path).map_err(as_file_error)?;
    let schema: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| as_file_error(e.into()))?;
    let known = MIGRATIONS.len() as i64;
    if schema > known {
        return Err(Error::NewerVersion {
            found: schema,
            known,
        });
    }
    if schema == 0 {
        return Err(Error::NotADatabase);
    }
    // Every page, not the quick check: a backup is read once, and a bad
    // one must be found before it replaces anything.
    let verdict: String = conn
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .map_err(|e| as_file_error(e.into()))?;
    if verdict != "ok" {
        return Err(Error::Damaged);
    }
    drop(conn);
    // A database with Tillid's version number but not its tables.
    glance(path).map_err(|_| Error::NotADatabase)
}

/// A file that fails to read as a database: not one, or a damaged one.
fn as_file_error(e: Error) -> Error {
    match e {
        Error::Storage(_) => Error::NotADatabase,
        other => other,
    }
}

/// Stages of a restore, for a progress line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Verifying,
    Copying,
    Opening,
    KeepingCurrent,
    Switching,
}

/// Replaces the data file in `dir` with the backup at `source`.
///
/// The order keeps one whole data file at the data file's name at every
/// moment: verify the backup; copy it beside the data file and open it
/// there (which upgrades an older schema); write the current data, with
/// anything still in its write-ahead log, to `backups/`; then one rename.
/// Any error before the rename leaves the current data as it was.
pub fn restore(
    dir: &Path,
    source: &Path,
    now: DateTime<Utc>,
    report: &mut dyn FnMut(Stage, Progress) -> bool,
) -> Result<Restored> {
    let lock = DataLock::acquire(dir)?;
    restore_locked(&lock, source, now, report)
}

/// [`restore`] by whoever already holds the folder's lock (the window,
/// which has closed its own connection to the data file first).
pub fn restore_locked(
    lock: &DataLock,
    source: &Path,
    now: DateTime<Utc>,
    report: &mut dyn FnMut(Stage, Progress) -> bool,
) -> Result<Restored> {
    let dir = lock.dir();
    let none = Progress { done: 0, total: 0 };
    if !report(Stage::Verifying, none) {
        return Err(Error::Cancelled);
    }
    let facts = verify(source)?;
    let db = paths::db_path(dir);
    let staged = dir.join(format!("{}.restoring", paths::DB_FILE));
    remove_database_files(&staged)?;
    let outcome = stage(source, &staged, report).and_then(|()| {
        if !report(Stage::KeepingCurrent, none) {
            return Err(Error::Cancelled);
        }
        keep_current(dir, &db, now)
    });
    let kept = match outcome {
        Ok(kept) => kept,
        Err(e) => {
            let _ = remove_database_files(&staged);
            return Err(e);
        }
    };
    report(Stage::Switching, none);
    // The current file was checkpointed and closed: its log files are
    // empty or gone. A stale log must not be replayed onto another file.
    remove_if_present(&sidecar(&db, "-wal"))?;
    remove_if_present(&sidecar(&db, "-shm"))?;
    std::fs::rename(&staged, &db)?;
    sync_dir(&db)?;
    Ok(Restored { facts, kept })
}

fn stage(
    source: &Path,
    staged: &Path,
    report: &mut dyn FnMut(Stage, Progress) -> bool,
) -> Result<()> {
    let from = read_only(source)?;
    copy_pages(&from, staged, &mut |p| report(Stage::Copying, p))?;
    drop(from);
    if !report(Stage::Opening, Progress { done: 0, total: 0 }) {
        return Err(Error::Cancelled);
    }
    // Opens as the app would: checks the file, brings an older schema up to
    // date. Closing the last connection checkpoints and removes its log.
    let (conn, _) = open(staged, &OpenOptions::default())?;
    conn.close().map_err(|(_, e)| Error::from(e))?;
    File::open(staged)?.sync_all()?;
    Ok(())
}

/// Writes the current data file (if any) to `backups/` and checkpoints it,
/// so nothing acknowledged is only in its log when it is replaced.
fn keep_current(dir: &Path, db: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
    if !db.exists() {
        return Ok(None);
    }
    let backups = dir.join(BACKUP_DIR);
    std::fs::create_dir_all(&backups)?;
    let stamp = now.format("%Y-%m-%d-%H%M%S");
    // Two restores within a second keep two copies, never one over another.
    let target = (1..)
        .map(|n| match n {
            1 => backups.join(format!("before-restore-{stamp}.sqlite3")),
            n => backups.join(format!("before-restore-{stamp}-{n}.sqlite3")),
        })
        .find(|p| !p.exists() && !partial_path(p).exists())
        .unwrap_or_else(|| backups.join("before-restore.sqlite3"));
    let current = Connection::open(db)?;
    copy_to(&current, &target, &mut |_| true)?;
    current.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    current.close().map_err(|(_, e)| Error::from(e))?;
    Ok(Some(target))
}

/// Makes today's automatic backup in `backups/` unless one exists, and
/// keeps only the newest `keep`. Returns the new backup's path, if one was
/// made. Runs beside the app: the online backup reads a consistent state.
pub fn daily_backup(dir: &Path, now: DateTime<Utc>, keep: usize) -> Result<Option<PathBuf>> {
    let db = paths::db_path(dir);
    if !db.exists() {
        return Ok(None);
    }
    let backups = dir.join(BACKUP_DIR);
    std::fs::create_dir_all(&backups)?;
    let target = backups.join(format!("tillid-{}.sqlite3", now.format("%Y-%m-%d")));
    let made = if target.exists() {
        None
    } else {
        let source = read_only(&db)?;
        copy_to(&source, &target, &mut |_| true)?;
        Some(target)
    };
    prune(&backups, keep.max(1))?;
    Ok(made)
}

/// A backup someone asked for, in `backups/`, named by its moment; never
/// pruned with the automatic ones.
pub fn manual_backup(
    source: &Connection,
    dir: &Path,
    now: DateTime<Utc>,
    keep_going: &mut dyn FnMut(Progress) -> bool,
) -> Result<PathBuf> {
    let backups = dir.join(BACKUP_DIR);
    std::fs::create_dir_all(&backups)?;
    let stamp = now.format("%Y-%m-%d-%H%M%S");
    let target = (1..)
        .map(|n| match n {
            1 => backups.join(format!("manual-{stamp}.sqlite3")),
            n => backups.join(format!("manual-{stamp}-{n}.sqlite3")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| backups.join("manual.sqlite3"));
    copy_to(source, &target, keep_going)?;
    Ok(target)
}

/// Which of Tillid's backups a file in `backups/` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    Automatic,
    Manual,
    BeforeRestore,
}

/// A backup in the data folder's `backups/`, as a restore screen lists it.
#[derive(Clone, Debug, Serialize)]
pub struct BackupEntry {
    /// The file name; a restore from the window names one of these.
    pub name: String,
    pub kind: BackupKind,
    pub bytes: u64,
    /// When the file was written (RFC 3339, UTC).
    pub made_at: String,
    /// What it holds, if it reads as a Tillid file at a glance (the full
    /// check runs when it is restored).
    pub facts: Option<BackupFacts>,
}

/// The backups in `dir`'s `backups/`, newest first.
pub fn list(dir: &Path) -> Result<Vec<BackupEntry>> {
    let backups = dir.join(BACKUP_DIR);
    let Ok(entries) = std::fs::read_dir(&backups) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = if name.starts_with("tillid-") {
            BackupKind::Automatic
        } else if name.starts_with("manual-") {
            BackupKind::Manual
        } else if name.starts_with("before-restore-") {
            BackupKind::BeforeRestore
        } else {
            continue;
        };
        if !name.ends_with(".sqlite3") {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let made_at = meta
            .modified()
            .map(|t| DateTime::<Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default();
        out.push(BackupEntry {
            facts: glance(&entry.path()).ok(),
            name,
            kind,
            bytes: meta.len(),
            made_at,
        });
    }
    out.sort_by(|a, b| b.made_at.cmp(&a.made_at).then(b.name.cmp(&a.name)));
    Ok(out)
}

/// The facts of a backup without reading every page.
fn glance(path: &Path) -> Result<BackupFacts> {
    let conn = read_only(path)?;
    let schema: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    conn.query_row(
        "SELECT (SELECT name FROM workplace WHERE id = 1),
                (SELECT count(*) FROM person),
                (SELECT count(*) FROM dialogue)",
        [],
        |r| {
            Ok(BackupFacts {
                workplace: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                people: r.get(1)?,
                dialogues: r.get(2)?,
                schema,
            })
        },
    )
    .map_err(Error::from)
}

/// The path of the backup called `name` in `dir`'s `backups/`; only a plain
/// file name listed there is accepted, never a path elsewhere.
pub fn named(dir: &Path, name: &str) -> Result<PathBuf> {
    let listed = list(dir)?.into_iter().any(|b| b.name == name);
    if !listed || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(Error::NotFound {
            what: "backup_file",
        });
    }
    Ok(dir.join(BACKUP_DIR).join(name))
}

/// Deletes the oldest automatic backups beyond `keep`; their names sort by
/// date. A copy kept before a restore is not automatic and stays until
/// someone deletes it.
fn prune(backups: &Path, keep: usize) -> Result<()> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(backups)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("tillid-") && n.ends_with(".sqlite3"))
        })
        .collect();
    names.sort();
    let excess = names.len().saturating_sub(keep);
    for old in &names[..excess] {
        std::fs::remove_file(old)?;
    }
    Ok(())
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

fn remove_database_files(path: &Path) -> Result<()> {
    remove_if_present(path)?;
    remove_if_present(&sidecar(path, "-journal"))?;
    remove_if_present(&sidecar(path, "-wal"))?;
    remove_if_present(&sidecar(path, "-shm"))
}
