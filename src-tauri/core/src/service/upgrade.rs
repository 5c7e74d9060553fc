//! Content written before encryption came in is plain text. At each unlock,
//! what the person may read and is still plain is sealed in place: their
//! own private notes, and the shared content of their dialogues. Rows are
//! updated, never removed.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use rusqlite::params;

use super::dialogues::Head;
use super::{write, Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::{Error, Result};

/// Each sealed column, and how to find its plain rows in the actor's
/// dialogues: the query yields (row id, dialogue id, author, value).
const PLAIN: &[(&str, &str, &str)] = &[
    (
        "note",
        "body",
        "SELECT n.id, n.dialogue_id, n.author_id, n.body, n.private FROM note n
         JOIN participant p ON p.dialogue_id = n.dialogue_id AND p.person_id = ?1
         WHERE substr(n.body, 1, 1) = x'00' AND (n.private = 0 OR n.author_id = ?1)",
    ),
    (
        "agenda_item",
        "body",
        "SELECT a.id, a.dialogue_id, a.author_id, a.body, 0 FROM agenda_item a
         JOIN participant p ON p.dialogue_id = a.dialogue_id AND p.person_id = ?1
         WHERE substr(a.body, 1, 1) = x'00'",
    ),
    (
        "agreement",
        "body",
        "SELECT a.id, a.dialogue_id, a.created_by, a.body, 0 FROM agreement a
         JOIN participant p ON p.dialogue_id = a.dialogue_id AND p.person_id = ?1
         WHERE substr(a.body, 1, 1) = x'00'",
    ),
    (
        "agreement",
        "if_then",
        "SELECT a.id, a.dialogue_id, a.created_by, a.if_then, 0 FROM agreement a
         JOIN participant p ON p.dialogue_id = a.dialogue_id AND p.person_id = ?1
         WHERE a.if_then IS NOT NULL AND substr(a.if_then, 1, 1) = x'00'",
    ),
    (
        "agreement_update",
        "comment",
        "SELECT u.id, a.dialogue_id, u.by_id, u.comment, 0 FROM agreement_update u
         JOIN agreement a ON a.id = u.agreement_id
         JOIN participant p ON p.dialogue_id = a.dialogue_id AND p.person_id = ?1
         WHERE u.comment IS NOT NULL AND substr(u.comment, 1, 1) = x'00'",
    ),
    (
        "confirmation",
        "snapshot",
        "SELECT c.id, c.dialogue_id, c.person_id, c.snapshot, 0 FROM confirmation c
         JOIN participant p ON p.dialogue_id = c.dialogue_id AND p.person_id = ?1
         WHERE substr(c.snapshot, 1, 1) = x'00'",
    ),
];

struct PlainRow {
    table: &'static str,
    column: &'static str,
    id: i64,
    dialogue: i64,
    value: Vec<u8>,
    private_author: Option<i64>,
}

impl Tillid {
    /// Seals what `actor` can read that is still plain. Returns how many
    /// values were sealed.
    pub(crate) fn encrypt_plain_content(&mut self, actor: &Actor) -> Result<usize> {
        let mut rows = Vec::new();
        for &(table, column, sql) in PLAIN {
            let mut stmt = self.conn.prepare(sql)?;
            let found = stmt.query_map([actor.id], |r| {
                let private: bool = r.get(4)?;
                let author: i64 = r.get(2)?;
                Ok(PlainRow {
                    table,
                    column,
                    id: r.get(0)?,
                    dialogue: r.get(1)?,
                    value: r.get(3)?,
                    private_author: private.then_some(author),
                })
            })?;
            for row in found {
                rows.push(row?);
            }
        }
        if rows.is_empty() {
            return Ok(0);
        }

        let mut heads: HashMap<i64, Head> = HashMap::new();
        let mut sealed = Vec::with_capacity(rows.len());
        for row in rows {
            let space = match row.private_author {
                Some(owner) => Space::Private { owner },
                None => {
                    let head = match heads.entry(row.dialogue) {
                        Entry::Occupied(e) => e.into_mut(),
                        Entry::Vacant(e) => e.insert(Head::load(&self.conn, row.dialogue)?),
                    };
                    head.space()
                }
            };
            match self.prepare_key(actor.id, space) {
                Ok(()) => {}
                // Another member made this space's key and has not shared
                // it yet; they seal these rows, or this person does later.
                Err(Error::KeyPending { .. }) => continue,
                Err(e) => return Err(e),
            }
            let field = FieldRef {
                table: row.table,
                column: row.column,
                row: row.id,
                space,
            };
            // A plain value that is not text is damage to that row alone:
            // it stays as it is (and shows as damaged), the rest is sealed.
            let Ok(text) = super::vault::open_with(None, &field, &row.value) else {
                continue;
            };
            sealed.push((row, self.vault.seal(actor.id, &field, &text)?));
        }

        let tx = write(&mut self.conn)?;
        for (row, value) in &sealed {
            // Guarded by the old value, so nothing written meanwhile is lost.
            let sql = format!(
                "UPDATE {} SET {} = ?2 WHERE id = ?1 AND {} = ?3",
                row.table, row.column, row.column
            );
            tx.execute(&sql, params![row.id, value, row.value])?;
        }
        tx.commit()?;
        // Move the sealed pages into the main file and empty the log, so the
        // plain text is gone from disk now rather than at some later
        // checkpoint (secure_delete zeroes the freed space).
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(sealed.len())
    }
}
