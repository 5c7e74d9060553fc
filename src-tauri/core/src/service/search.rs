//! Searching what the signed-in person may read. The index is built in
//! memory on the first search after unlock, rebuilt after any write, and
//! dropped with the keys at lock.

use std::collections::hash_map::Entry;

use rusqlite::params;
use serde::Serialize;

use super::dialogues::{space_of, Head};
use super::{Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::search::SearchIndex;
use crate::validate;
use crate::{Error, Result};

/// At most this many results, best first.
pub const SEARCH_LIMIT: usize = 50;

#[derive(Debug, Serialize)]
pub struct SearchHit {
    pub kind: String,
    pub dialogue_id: i64,
    pub scheduled_at: String,
    pub counterpart: String,
    pub text: String,
}

/// What gets indexed: kind, table, column, and the query for the person's
/// readable rows (row id, dialogue, value, private note's author or NULL).
const SOURCES: &[(&str, &str, &str, &str)] = &[
    (
        "agenda",
        "agenda_item",
        "body",
        "SELECT a.id, a.dialogue_id, a.body, NULL FROM agenda_item a
         JOIN participant p ON p.dialogue_id = a.dialogue_id AND p.person_id = ?1",
    ),
    (
        "note",
        "note",
        "body",
        "SELECT n.id, n.dialogue_id, n.body, NULL FROM note n
         JOIN participant p ON p.dialogue_id = n.dialogue_id AND p.person_id = ?1 WHERE n.private = 0",
    ),
    (
        "private_note",
        "note",
        "body",
        "SELECT n.id, n.dialogue_id, n.body, n.author_id FROM note n
         JOIN participant p ON p.dialogue_id = n.dialogue_id AND p.person_id = ?1
         WHERE n.private = 1 AND n.author_id = ?1",
    ),
    (
        "agreement",
        "agreement",
        "body",
        "SELECT a.id, a.dialogue_id, a.body, NULL FROM agreement a
         JOIN participant p ON p.dialogue_id = a.dialogue_id AND p.person_id = ?1",
    ),
    (
        "agreement",
        "agreement",
        "if_then",
        "SELECT a.id, a.dialogue_id, a.if_then, NULL FROM agreement a
         JOIN participant p ON p.dialogue_id = a.dialogue_id AND p.person_id = ?1 WHERE a.if_then IS NOT NULL",
    ),
    (
        "comment",
        "agreement_update",
        "comment",
        "SELECT u.id, a.dialogue_id, u.comment, NULL FROM agreement_update u
         JOIN agreement a ON a.id = u.agreement_id
         JOIN participant p ON p.dialogue_id = a.dialogue_id AND p.person_id = ?1 WHERE u.comment IS NOT NULL",
    ),
];

impl Tillid {
    pub fn search(&self, actor: &Actor, query: &str) -> Result<Vec<SearchHit>> {
        // Bounded before any work: the index is built and queried below.
        if query.chars().count() > validate::SEARCH_MAX {
            return Err(Error::TextTooLong {
                field: "query",
                max: validate::SEARCH_MAX,
            });
        }
        let generation: i64 =
            self.conn
                .query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?;
        let unlocked = self.vault.get(actor.id)?;
        let fresh =
            matches!(&*unlocked.search.borrow(), Some(index) if index.built_at == generation);
        if !fresh {
            let index = self.build_index(actor, generation)?;
            unlocked.search.replace(Some(index));
        }
        let hits = match &*unlocked.search.borrow() {
            Some(index) => index.query(query, SEARCH_LIMIT)?,
            None => Vec::new(),
        };
        let mut heads = std::collections::HashMap::new();
        hits.into_iter()
            .map(|hit| {
                let head = match heads.entry(hit.dialogue_id) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => e.insert(Head::load(&self.conn, hit.dialogue_id)?),
                };
                let counterpart = match (&head.group, &head.employee) {
                    (Some(g), _) => g.name.clone(),
                    (None, Some(e)) if head.manager.id == actor.id => e.name.clone(),
                    _ => head.manager.name.clone(),
                };
                Ok(SearchHit {
                    kind: hit.kind,
                    dialogue_id: hit.dialogue_id,
                    scheduled_at: head.scheduled_at.clone(),
                    counterpart,
                    text: hit.text,
                })
            })
            .collect()
    }

    fn build_index(&self, actor: &Actor, generation: i64) -> Result<SearchIndex> {
        let index = SearchIndex::new(generation)?;
        let mut spaces = std::collections::HashMap::new();
        for &(kind, table, column, sql) in SOURCES {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map(params![actor.id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })?;
            for row in rows {
                let (id, dialogue, value, private_author) = row?;
                let space = match private_author {
                    Some(owner) => Space::Private { owner },
                    None => match spaces.get(&dialogue) {
                        Some(space) => *space,
                        None => {
                            let (m, e, t, era): (i64, Option<i64>, Option<i64>, i64) = self.conn.query_row(
                                "SELECT manager_id, employee_id, team_id, era FROM dialogue WHERE id = ?1",
                                [dialogue],
                                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                            )?;
                            let space = space_of(m, e, t, era);
                            spaces.insert(dialogue, space);
                            space
                        }
                    },
                };
                let field = FieldRef {
                    table,
                    column,
                    row: id,
                    space,
                };
                match self.open_as(actor, &field, &value) {
                    Ok(text) => index.add(kind, dialogue, &text)?,
                    // Not readable (yet) by this person: not searchable either.
                    Err(Error::KeyPending { .. }) | Err(Error::Integrity) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(index)
    }
}
