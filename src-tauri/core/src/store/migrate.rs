//! Numbered migrations, each applied in one `BEGIN IMMEDIATE` transaction
//! together with `PRAGMA user_version`, so a crash leaves either the old
//! schema or the new one. Released migrations are never edited.

use rusqlite::{Connection, TransactionBehavior};

use crate::{Error, Result};

pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_keys.sql"),
    include_str!("migrations/0003_trust.sql"),
    include_str!("migrations/0004_cycle.sql"),
    include_str!("migrations/0005_templates.sql"),
    include_str!("migrations/0006_requests.sql"),
    include_str!("migrations/0007_workplace.sql"),
    include_str!("migrations/0008_left.sql"),
    include_str!("migrations/0009_handover.sql"),
    include_str!("migrations/0010_overview.sql"),
    include_str!("migrations/0011_open_work.sql"),
];

pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if current > known {
        return Err(Error::NewerVersion {
            found: current,
            known,
        });
    }
    if current == known {
        return Ok(());
    }
    // A migration that rebuilds a table drops the old one; with foreign
    // keys on, that drop would first delete (and cascade to) every row that
    // points at it. They are off while migrating, checked before each
    // commit, and back on afterwards whatever happened.
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    tracing::info!(from = current, to = known, "migrating the data file");
    let outcome = apply(conn, current as usize);
    match &outcome {
        Ok(()) => tracing::info!(schema = known, "migrated"),
        Err(e) => tracing::error!(code = e.code(), "migration failed: {e}"),
    }
    if enforced {
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    outcome
}

fn apply(conn: &mut Connection, from: usize) -> Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A file may already hold a dangling reference (edited outside
        // Tillid); a migration must only never add one.
        let before = dangling(&tx)?;
        tx.execute_batch(sql)?;
        if dangling(&tx)? > before {
            return Err(Error::Damaged);
        }
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn dangling(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_changes_nothing_and_sets_the_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO workplace (id, name, created_at) VALUES (1, 'x', 'now')",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        let n: i64 = conn
            .query_row("SELECT count(*) FROM workplace", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_newer_schema_is_refused_not_damaged() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(Error::NewerVersion { found: 99, .. })
        ));
    }
}
