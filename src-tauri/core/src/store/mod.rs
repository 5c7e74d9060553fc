//! The SQLite connection: how it is opened, and the schema it must have.

mod migrate;

use std::path::Path;

use rusqlite::Connection;

pub use migrate::{migrate, MIGRATIONS};

use crate::Result;

/// How long a writer waits for another connection's lock before failing.
const BUSY_TIMEOUT_MS: u32 = 5_000;

/// Opens (creating if need be) the database file and brings its schema up
/// to date.
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| crate::Error::Storage(format!("{}: {e}", dir.display())))?;
    }
    let mut conn = Connection::open(path)?;
    configure(&conn, true)?;
    migrate(&mut conn)?;
    // Keeps the query planner's statistics fresh, as SQLite recommends for
    // each new connection; cheap when nothing changed.
    conn.execute_batch("PRAGMA optimize = 0x10002")?;
    Ok(conn)
}

/// A private database in memory, for tests.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn, false)?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &Connection, on_disk: bool) -> Result<()> {
    if on_disk {
        // WAL lets a reader and the writer work side by side; NORMAL is
        // durable across application crashes, which is what a desktop app
        // on a laptop battery needs most.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted content is overwritten, not left in free pages of the file.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into()))?;
    Ok(())
}
