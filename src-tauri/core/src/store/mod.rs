//! The SQLite connection: how it is opened, and the schema it must have.
//!
//! Opening never changes a file it cannot use: a file that is not Tillid's,
//! is damaged or comes from a newer Tillid is refused before anything is
//! written to it. A file or folder that cannot be written is opened for
//! reading only, and says so.

pub mod backup;
mod migrate;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};
use serde::Serialize;

pub use migrate::{migrate, MIGRATIONS};

use crate::{Error, Result};

/// How long a writer waits for another connection's lock before failing.
pub(crate) const BUSY_TIMEOUT_MS: u32 = 5_000;

/// Whether the data can be changed here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "mode", content = "reason")]
pub enum Access {
    ReadWrite,
    /// Opened for reading only; every write fails with `read_only`.
    ReadOnly(ReadOnlyReason),
}

/// Why the data can only be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadOnlyReason {
    /// The folder cannot be written (a read-only share, no permission).
    Folder,
    /// The file cannot be written (write-protected, or held by another program).
    File,
}

/// How each commit reaches the disk.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous = FULL`: the WAL is fsynced at every commit, so an
    /// acknowledged write survives a power cut.
    #[default]
    Full,
    /// `synchronous = NORMAL`: fsync only at checkpoints. Only for the
    /// benchmark that measures what `Full` costs.
    Normal,
}

/// Choices for tests and benchmarks; the app uses the default.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenOptions {
    pub durability: Durability,
    /// Acts as if opening for writing failed for this reason, so the
    /// read-only fallback can be tested by a user who may write anywhere.
    pub force_read_only: Option<ReadOnlyReason>,
}

/// Opens (creating if need be) the database file and brings its schema up
/// to date; falls back to reading only if it cannot be written.
pub fn open(path: &Path, options: &OpenOptions) -> Result<(Connection, Access)> {
    let existed = path.exists();
    if let Some(reason) = options.force_read_only {
        return open_read_only(path, reason);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return Err(match Error::from(e) {
                Error::Storage(_) => Error::ReadOnly,
                other => other,
            });
        }
    }
    match open_read_write(path, options.durability) {
        Ok(conn) => Ok((conn, Access::ReadWrite)),
        // Nothing to read: a new file could not be made.
        Err(Error::ReadOnly) if !existed => Err(Error::ReadOnly),
        Err(Error::ReadOnly) => open_read_only(path, reason_for(path)),
        Err(e) => Err(e),
    }
}

/// A private database in memory, for tests.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn, None)?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn open_read_write(path: &Path, durability: Durability) -> Result<Connection> {
    let mut conn = Connection::open(path).map_err(opening)?;
    // SQLite quietly opens a write-protected file for reading only.
    if conn.is_readonly(rusqlite::MAIN_DB).map_err(opening)? {
        return Err(Error::ReadOnly);
    }
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into()))?;
    // Before anything is written: is this a Tillid file we can use?
    check_file(&conn)?;
    configure(&conn, Some(durability)).map_err(opening)?;
    migrate(&mut conn)?;
    rebuild_named_indexes(&conn)?;
    // Keeps the query planner's statistics fresh, as SQLite recommends for
    // each new connection; cheap when nothing changed.
    conn.execute_batch("PRAGMA optimize = 0x10002")?;
    Ok(conn)
}

/// The page cache, as SQLite's negative `cache_size`: 32 MiB.
const PAGE_CACHE_KIB: i64 = -32 * 1024;

/// Pages the WAL holds before a quiet moment is used to move them into the
/// data file ([`crate::Tillid::checkpoint_when_quiet`]).
pub(crate) const WAL_QUIET_PAGES: i64 = 256;

/// Pages past which a commit moves the WAL into the data file itself, so
/// a program without quiet moments (the CLI, a long import) keeps the WAL
/// bounded: 16,384 pages of 4 KiB, 64 MiB.
pub(crate) const WAL_HARD_LIMIT: i64 = 16_384;

/// Takes checkpoints out of commits. SQLite's own rule checkpoints inside
/// whichever commit takes the WAL past 1,000 pages: that one write then
/// copies and syncs everything the writes before it left (milliseconds,
/// beside a median write of a tenth of one). Here a commit only notes how
/// many pages the WAL holds, and the app moves them at a quiet moment.
/// Durability is the same: every commit is synced to the WAL before it
/// returns (`synchronous = FULL`); a checkpoint only moves pages that are
/// already safe. Replaces `wal_autocheckpoint`.
pub(crate) fn watch_wal(conn: &mut Connection) -> Result<Arc<AtomicI64>> {
    let pages = Arc::new(AtomicI64::new(0));
    let noted = pages.clone();
    conn.wal_hook(Some(
        move |wal: &mut rusqlite::hooks::Wal, frames: std::ffi::c_int| {
            let frames = i64::from(frames);
            // A failed checkpoint (a reader elsewhere) is tried again at
            // the next commit; the commit itself has succeeded.
            let moved = frames >= WAL_HARD_LIMIT && wal.checkpoint().is_ok();
            noted.store(if moved { 0 } else { frames }, Ordering::Relaxed);
            Ok(())
        },
    ))?;
    Ok(pages)
}

/// The indexes queries name (`INDEXED BY`, see `service::views`), as
/// migration 0011 made them. A query that names a missing index, or one
/// it cannot use, refuses to run, so an index dropped or redefined outside
/// Tillid would leave every home unreadable; an index holds nothing of its
/// own, so it is built again instead. (A file opened for reading only
/// cannot be mended: its homes answer a storage error until it is opened
/// where it can be written.)
const NAMED_INDEXES: &[(&str, &str)] = &[
    (
        "dialogue_open",
        "CREATE INDEX dialogue_open
    ON dialogue(id, kind, state, scheduled_at, manager_id, employee_id, team_id, summary_version)
    WHERE state IN ('planned', 'held')",
    ),
    (
        "agreement_open",
        "CREATE INDEX agreement_open ON agreement(dialogue_id) WHERE state = 'open'",
    ),
];

fn rebuild_named_indexes(conn: &Connection) -> Result<()> {
    for (name, sql) in NAMED_INDEXES {
        let found: Option<Option<String>> = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if matches!(&found, Some(Some(text)) if text == sql) {
            continue;
        }
        tracing::warn!(
            index = name,
            "an index was missing or changed in the data file; built again"
        );
        let tx = conn.unchecked_transaction()?;
        if found.is_some() {
            tx.execute_batch(&format!("DROP INDEX {name}"))?;
        }
        tx.execute_batch(sql)?;
        tx.commit()?;
    }
    Ok(())
}

/// Opens for reading only. A WAL file in a folder that cannot be written
/// opens only if its `-shm` index exists or can be made; failing that, it
/// is read as immutable (the WAL was checkpointed and removed at the last
/// close; a WAL left by a crash without its index would not be seen).
fn open_read_only(path: &Path, reason: ReadOnlyReason) -> Result<(Connection, Access)> {
    if !path.exists() {
        return Err(Error::ReadOnly);
    }
    let plain = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let attempt = |conn: Connection| -> Result<Connection> {
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into()))?;
        check_file(&conn)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < MIGRATIONS.len() as i64 {
            // Needs an upgrade that cannot be written.
            return Err(Error::ReadOnly);
        }
        configure(&conn, None).map_err(opening)?;
        Ok(conn)
    };
    let first = Connection::open_with_flags(path, plain)
        .map_err(opening)
        .and_then(attempt);
    let conn = match first {
        Ok(conn) => conn,
        // Only where the folder refuses the `-shm` index: read the file as
        // it stands. Never past another program's lock on the file.
        Err(Error::ReadOnly) if reason == ReadOnlyReason::Folder => {
            let uri = immutable_uri(path);
            let conn = Connection::open_with_flags(&uri, plain | OpenFlags::SQLITE_OPEN_URI)
                .map_err(opening)?;
            attempt(conn)?
        }
        Err(e) => return Err(e),
    };
    Ok((conn, Access::ReadOnly(reason)))
}

/// Refuses, without writing, a file Tillid cannot use: not a database,
/// another program's database, a newer schema, or damaged pages.
fn check_file(conn: &Connection) -> Result<()> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(opening)?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(Error::NewerVersion {
            found: version,
            known,
        });
    }
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(opening)?;
    if version == 0 && objects > 0 {
        // A database, but another program's: Tillid's first migration
        // sets the version in the same transaction as its tables.
        return Err(Error::NotADatabase);
    }
    if objects > 0 {
        // Reads every page once; a truncated or overwritten file is caught
        // here, before a write could build on it.
        let verdict: String = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(opening)?;
        if verdict != "ok" {
            return Err(Error::Damaged);
        }
    }
    Ok(())
}

/// `durability` is `None` for connections that never write to a file
/// (in memory, or read-only).
fn configure(conn: &Connection, durability: Option<Durability>) -> rusqlite::Result<()> {
    if let Some(durability) = durability {
        // WAL lets a reader and the writer work side by side.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: each commit is fsynced before it is acknowledged, so what
        // the person saw saved is still there after a power cut. NORMAL
        // would only sync at checkpoints.
        let level = match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", level)?;
        // On macOS plain fsync leaves data in the drive's cache; these ask
        // for F_FULLFSYNC. No effect elsewhere.
        conn.pragma_update(None, "fullfsync", "ON")?;
        conn.pragma_update(None, "checkpoint_fullfsync", "ON")?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Room for the pages a person's views keep coming back to. With
    // SQLite's 2 MiB, a team lead's home on a workplace of 50,000
    // dialogues re-read its rows from the operating system on every
    // visit, and grew 1.8× for ten times the data, raw SQL alike; with
    // 32 MiB it grows 1.1×. Pages are taken only as they are read (the
    // start-up `quick_check` runs before this, with the default).
    conn.pragma_update(None, "cache_size", PAGE_CACHE_KIB)?;
    // Deleted content is overwritten, not left in free pages of the file.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // Sorts and temporary indexes stay in memory, never in a temp file.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // The query planner's stability guarantee: a statement is planned
    // once, from the statistics alone, not again each time it runs with
    // new values. Without it, STAT4 statistics (the file is `ANALYZE`d)
    // make SQLite re-plan every statement that takes a person as a
    // parameter on every run: a third of an employee's home went there.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into()))?;
    Ok(())
}

/// Errors while opening that mean "cannot write here" rather than
/// "something is wrong with the file".
fn opening(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(
            ErrorCode::ReadOnly
            | ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::DatabaseBusy
            | ErrorCode::DatabaseLocked,
        ) => Error::ReadOnly,
        _ => Error::from(e),
    }
}

/// Whether the folder or only the file refuses writes: try to make (and
/// remove) a file next to it.
fn reason_for(path: &Path) -> ReadOnlyReason {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    };
    let probe = dir.join(format!(".tillid-write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            ReadOnlyReason::File
        }
        Err(_) => ReadOnlyReason::Folder,
    }
}

/// `file:` URI for `path` with `immutable=1`, percent-encoding what a URI
/// would misread.
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file:");
    if !text.starts_with('/') {
        // Windows drive paths: file:///C:/…
        out.push_str("///");
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push_str("?immutable=1");
    out
}

/// Where a backup is written before it is complete and renamed into place.
#[doc(hidden)]
pub fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    target.with_file_name(name)
}

/// Makes a finished file's directory entry durable (a rename or a new file).
pub(crate) fn sync_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
