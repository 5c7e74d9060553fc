//! Notes written in a dialogue: shared with everyone in it, or private to
//! their author alone. Shared notes are part of the summary people confirm.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::dialogues::Head;
use super::{allow, audit, bump_summary, next_id, write, Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::domain::{access, PersonRef};
use crate::trust::rows::{self, Fact};
use crate::validate::{self, NOTE_MAX};
use crate::{Error, Result};

#[derive(Debug, Serialize)]
pub struct NoteView {
    pub id: i64,
    pub author: PersonRef,
    pub private: bool,
    pub text: String,
    /// Failed its integrity check: `text` is empty.
    pub damaged: bool,
    pub created_at: String,
    pub updated_at: String,
    pub mine: bool,
}

fn body_ref(id: i64, author: i64, private: bool, head: &Head) -> FieldRef {
    FieldRef {
        table: "note",
        column: "body",
        row: id,
        space: if private {
            Space::Private { owner: author }
        } else {
            head.space()
        },
    }
}

struct NoteFacts {
    dialogue: i64,
    author: i64,
    private: bool,
    body: Vec<u8>,
    sig: Option<Vec<u8>>,
}

/// What a note's signature covers, besides its id and author.
pub(crate) fn signed(dialogue: i64, private: bool, body: &[u8]) -> [Fact<'_>; 3] {
    [
        Fact::Int(dialogue),
        Fact::Int(i64::from(private)),
        Fact::Sealed(Some(body)),
    ]
}

impl Tillid {
    pub fn add_note(
        &mut self,
        actor: &Actor,
        dialogue: i64,
        text: &str,
        private: bool,
    ) -> Result<i64> {
        allow(access::may_add_note(self.seat(actor, dialogue)?))?;
        let text = validate::required_text("text", text, NOTE_MAX)?;
        let head = Head::load(&self.conn, dialogue)?;
        let field_space = body_ref(0, actor.id, private, &head).space;
        self.prepare_key(actor.id, field_space)?;
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let id = next_id(&tx, "note")?;
        let body = self
            .vault
            .seal(actor.id, &body_ref(id, actor.id, private, &head), &text)?;
        let sig = rows::sign_row(
            &key,
            "note",
            id,
            actor.id,
            &signed(dialogue, private, &body),
        );
        tx.execute(
            "INSERT INTO note (id, dialogue_id, author_id, private, body, created_at, updated_at, sig)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
            params![id, dialogue, actor.id, private, body, now, sig],
        )?;
        if !private {
            bump_summary(&tx, dialogue)?;
        }
        audit(&tx, &now, Some(actor.id), "add_note", "note", id)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn update_note(&mut self, actor: &Actor, note: i64, text: &str) -> Result<()> {
        let facts = self.note_facts(note)?;
        allow(access::may_change_note(
            self.seat(actor, facts.dialogue)?,
            facts.author == actor.id,
        ))?;
        let text = validate::required_text("text", text, NOTE_MAX)?;
        let head = Head::load(&self.conn, facts.dialogue)?;
        self.require_genuine_note(actor, note, &facts)?;
        let field = body_ref(note, facts.author, facts.private, &head);
        self.prepare_key(actor.id, field.space)?;
        let body = self.vault.seal(actor.id, &field, &text)?;
        let sig = rows::sign_row(
            &self.signing_key(actor.id)?,
            "note",
            note,
            actor.id,
            &signed(facts.dialogue, facts.private, &body),
        );
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE note SET body = ?2, updated_at = ?3, sig = ?4 WHERE id = ?1",
            params![note, body, now, sig],
        )?;
        if !facts.private {
            bump_summary(&tx, facts.dialogue)?;
        }
        audit(&tx, &now, Some(actor.id), "update_note", "note", note)?;
        tx.commit()?;
        Ok(())
    }

    pub fn delete_note(&mut self, actor: &Actor, note: i64) -> Result<()> {
        let facts = self.note_facts(note)?;
        allow(access::may_change_note(
            self.seat(actor, facts.dialogue)?,
            facts.author == actor.id,
        ))?;
        self.require_genuine_note(actor, note, &facts)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute("DELETE FROM note WHERE id = ?1", [note])?;
        if !facts.private {
            bump_summary(&tx, facts.dialogue)?;
        }
        audit(&tx, &now, Some(actor.id), "delete_note", "note", note)?;
        tx.commit()?;
        Ok(())
    }

    /// A note whose author was edited in the file is no one's to change.
    fn require_genuine_note(&self, actor: &Actor, note: i64, facts: &NoteFacts) -> Result<()> {
        let genuine = self.row_check(actor)?.genuine(
            "note",
            note,
            facts.author,
            &signed(facts.dialogue, facts.private, &facts.body),
            facts.sig.as_deref(),
        );
        if genuine {
            Ok(())
        } else {
            Err(Error::Integrity)
        }
    }

    fn note_facts(&self, note: i64) -> Result<NoteFacts> {
        self.conn
            .query_row(
                "SELECT dialogue_id, author_id, private, body, sig FROM note WHERE id = ?1",
                [note],
                |r| {
                    Ok(NoteFacts {
                        dialogue: r.get(0)?,
                        author: r.get(1)?,
                        private: r.get(2)?,
                        body: r.get(3)?,
                        sig: r.get(4)?,
                    })
                },
            )
            .optional()?
            .ok_or(Error::NotFound { what: "note" })
    }

    /// The notes the actor may read: shared ones and their own private ones.
    /// Others' private notes are filtered out in the query, before any
    /// attempt to open them.
    pub(super) fn notes_of(&self, actor: &Actor, head: &Head) -> Result<Vec<NoteView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.id, p.id, p.name, n.private, n.body, n.created_at, n.updated_at, n.sig
             FROM note n JOIN person p ON p.id = n.author_id
             WHERE n.dialogue_id = ?1 AND (n.private = 0 OR n.author_id = ?2)
             ORDER BY n.id",
        )?;
        let rows = stmt.query_map([head.id, actor.id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                PersonRef {
                    id: r.get(1)?,
                    name: r.get(2)?,
                },
                r.get::<_, bool>(3)?,
                r.get::<_, Vec<u8>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<Vec<u8>>>(7)?,
            ))
        })?;
        let check = self.row_check(actor)?;
        rows.map(|row| {
            let (id, author, private, body, created_at, updated_at, sig) = row?;
            let genuine = check.genuine(
                "note",
                id,
                author.id,
                &signed(head.id, private, &body),
                sig.as_deref(),
            );
            let (text, damaged) = if genuine {
                self.open_or_damaged(actor, &body_ref(id, author.id, private, head), &body)?
            } else {
                (String::new(), true)
            };
            Ok(NoteView {
                id,
                text,
                damaged,
                mine: author.id == actor.id,
                author,
                private,
                created_at,
                updated_at,
            })
        })
        .collect()
    }
}
