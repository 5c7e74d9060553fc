//! Good examples (cases, "gode eksempler"): anyone writes one up, from a
//! dialogue they took part in or on its own, private to themselves or
//! shared with the workplace. Shared cases are listed and searchable by
//! everyone; only the author edits, shares or unshares theirs.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{allow, audit, next_id, write, Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::domain::{access, PersonRef};
use crate::search::SearchIndex;
use crate::trust::rows::{self, Fact};
use crate::validate::{self, NAME_MAX, NOTE_MAX, SEARCH_MAX};
use crate::{Error, Result};

#[derive(Debug, Deserialize)]
pub struct CaseInput {
    pub title: String,
    pub text: String,
    pub shared: bool,
    pub dialogue_id: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct CaseView {
    pub id: i64,
    pub title: String,
    pub text: String,
    /// Failed its integrity check: `title` and `text` are empty.
    pub damaged: bool,
    /// The workplace key has not reached the reader yet: empty too.
    pub locked: bool,
    pub author: PersonRef,
    pub mine: bool,
    pub shared: bool,
    /// The dialogue it was written from, shown to its author only.
    pub dialogue_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

fn space(author: i64, shared: bool) -> Space {
    if shared {
        Space::Workplace
    } else {
        Space::Private { owner: author }
    }
}

fn field(column: &'static str, id: i64, author: i64, shared: bool) -> FieldRef {
    FieldRef {
        table: "good_case",
        column,
        row: id,
        space: space(author, shared),
    }
}

/// What a case's signature covers, besides its id and author.
fn signed<'a>(
    shared: bool,
    dialogue: Option<i64>,
    title: &'a [u8],
    body: &'a [u8],
) -> [Fact<'a>; 4] {
    [
        Fact::Int(i64::from(shared)),
        Fact::OptInt(dialogue),
        Fact::Sealed(Some(title)),
        Fact::Sealed(Some(body)),
    ]
}

struct Valid {
    title: String,
    text: String,
}

fn valid(input: &CaseInput) -> Result<Valid> {
    Ok(Valid {
        title: validate::required_text("title", &input.title, NAME_MAX)?,
        text: validate::required_text("text", &input.text, NOTE_MAX)?,
    })
}

impl Tillid {
    pub fn add_case(&mut self, actor: &Actor, input: &CaseInput) -> Result<i64> {
        let valid = valid(input)?;
        if let Some(d) = input.dialogue_id {
            allow(access::may_link_case(self.seat(actor, d)?))?;
        }
        let space = space(actor.id, input.shared);
        self.prepare_key(actor.id, space)?;
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let id = next_id(&tx, "good_case")?;
        let title = self.vault.seal(
            actor.id,
            &field("title", id, actor.id, input.shared),
            &valid.title,
        )?;
        let body = self.vault.seal(
            actor.id,
            &field("body", id, actor.id, input.shared),
            &valid.text,
        )?;
        let sig = rows::sign_row(
            &key,
            "good_case",
            id,
            actor.id,
            &signed(input.shared, input.dialogue_id, &title, &body),
        );
        tx.execute(
            "INSERT INTO good_case (id, author_id, dialogue_id, shared, title, body, created_at, updated_at, sig)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            params![id, actor.id, input.dialogue_id, input.shared, title, body, now, sig],
        )?;
        audit(&tx, &now, Some(actor.id), "add_case", "good_case", id)?;
        tx.commit()?;
        Ok(id)
    }

    /// The author rewrites their case; changing `shared` re-seals it into
    /// the workplace space or back into their own.
    pub fn update_case(&mut self, actor: &Actor, case: i64, input: &CaseInput) -> Result<()> {
        let valid = valid(input)?;
        let (author, dialogue) = self.case_facts(case)?;
        allow(access::may_change_case(author == actor.id))?;
        if input.dialogue_id != dialogue {
            if let Some(d) = input.dialogue_id {
                allow(access::may_link_case(self.seat(actor, d)?))?;
            }
        }
        self.write_case(
            actor,
            case,
            &valid,
            input.shared,
            input.dialogue_id,
            "update_case",
        )
    }

    /// Shares a case with the workplace, or takes it back to oneself.
    pub fn set_case_shared(&mut self, actor: &Actor, case: i64, shared: bool) -> Result<()> {
        let (author, dialogue) = self.case_facts(case)?;
        allow(access::may_change_case(author == actor.id))?;
        let view = self.case_view(actor, case)?.ok_or(Error::Forbidden)?;
        if view.damaged || view.locked {
            return Err(Error::Integrity);
        }
        let valid = Valid {
            title: view.title,
            text: view.text,
        };
        let action = if shared { "share_case" } else { "unshare_case" };
        self.write_case(actor, case, &valid, shared, dialogue, action)
    }

    fn write_case(
        &mut self,
        actor: &Actor,
        case: i64,
        valid: &Valid,
        shared: bool,
        dialogue: Option<i64>,
        action: &str,
    ) -> Result<()> {
        self.prepare_key(actor.id, space(actor.id, shared))?;
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let title = self.vault.seal(
            actor.id,
            &field("title", case, actor.id, shared),
            &valid.title,
        )?;
        let body = self.vault.seal(
            actor.id,
            &field("body", case, actor.id, shared),
            &valid.text,
        )?;
        let sig = rows::sign_row(
            &key,
            "good_case",
            case,
            actor.id,
            &signed(shared, dialogue, &title, &body),
        );
        tx.execute(
            "UPDATE good_case SET shared = ?2, dialogue_id = ?3, title = ?4, body = ?5, updated_at = ?6, sig = ?7
             WHERE id = ?1",
            params![case, shared, dialogue, title, body, now, sig],
        )?;
        audit(&tx, &now, Some(actor.id), action, "good_case", case)?;
        tx.commit()?;
        Ok(())
    }

    fn case_facts(&self, case: i64) -> Result<(i64, Option<i64>)> {
        self.conn
            .query_row(
                "SELECT author_id, dialogue_id FROM good_case WHERE id = ?1",
                [case],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "case" })
    }

    /// The actor's own cases and those shared with the workplace, newest
    /// first.
    pub fn cases(&self, actor: &Actor) -> Result<Vec<CaseView>> {
        let ids: Vec<i64> = {
            let mut stmt = self.conn.prepare(
                "SELECT id FROM good_case WHERE shared = 1 OR author_id = ?1
                 ORDER BY updated_at DESC, id DESC",
            )?;
            let rows = stmt.query_map([actor.id], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(view) = self.case_view(actor, id)? {
                out.push(view);
            }
        }
        Ok(out)
    }

    /// One case as the actor may read it; None if they may not.
    fn case_view(&self, actor: &Actor, case: i64) -> Result<Option<CaseView>> {
        type Row = (
            i64,
            String,
            Option<i64>,
            bool,
            Vec<u8>,
            Vec<u8>,
            String,
            String,
            Option<Vec<u8>>,
        );
        let row: Row = self
            .conn
            .query_row(
                "SELECT c.author_id, p.name, c.dialogue_id, c.shared, c.title, c.body, c.created_at,
                        c.updated_at, c.sig
                 FROM good_case c JOIN person p ON p.id = c.author_id WHERE c.id = ?1",
                [case],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ))
                },
            )
            .optional()?
            .ok_or(Error::NotFound { what: "case" })?;
        let (author, name, dialogue, shared, title, body, created_at, updated_at, sig) = row;
        let mine = author == actor.id;
        if !access::may_read_case(mine, shared) {
            return Ok(None);
        }
        let genuine = self.row_check(actor)?.genuine(
            "good_case",
            case,
            author,
            &signed(shared, dialogue, &title, &body),
            sig.as_deref(),
        );
        let (title, text, damaged, locked) = if genuine {
            let t = self.open_listed(actor, &field("title", case, author, shared), &title)?;
            let b = self.open_listed(actor, &field("body", case, author, shared), &body)?;
            if t.1 || b.1 || t.2 || b.2 {
                (String::new(), String::new(), t.1 || b.1, t.2 || b.2)
            } else {
                (t.0, b.0, false, false)
            }
        } else {
            (String::new(), String::new(), true, false)
        };
        Ok(Some(CaseView {
            id: case,
            title,
            text,
            damaged,
            author: PersonRef { id: author, name },
            locked,
            mine,
            shared,
            dialogue_id: if mine { dialogue } else { None },
            created_at,
            updated_at,
        }))
    }

    /// Cases the actor may read holding every word of `query` (each also
    /// as a prefix), best first; searched in memory, never on disk.
    pub fn search_cases(&self, actor: &Actor, query: &str) -> Result<Vec<CaseView>> {
        if query.chars().count() > SEARCH_MAX {
            return Err(Error::TextTooLong {
                field: "query",
                max: SEARCH_MAX,
            });
        }
        let cases = self.cases(actor)?;
        let index = SearchIndex::new(0)?;
        for (n, case) in cases.iter().enumerate() {
            if !case.damaged && !case.locked {
                index.add("case", n as i64, &format!("{}\n{}", case.title, case.text))?;
            }
        }
        let hits = index.query(query, super::search::SEARCH_LIMIT)?;
        let mut cases: Vec<Option<CaseView>> = cases.into_iter().map(Some).collect();
        Ok(hits
            .into_iter()
            .filter_map(|h| cases.get_mut(usize::try_from(h.dialogue_id).ok()?)?.take())
            .collect())
    }
}
