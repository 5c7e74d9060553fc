//! Agenda points: what either side wants to talk about. The employee's
//! points come first, so the dialogue starts from their side.

use ed25519_dalek::SigningKey;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::dialogues::{opt_ref, Head};
use super::vault::Vault;
use super::{allow, audit, next_id, write, Actor, Tillid};
use crate::codec::FieldRef;
use crate::domain::{access, AgendaStatus, PersonRef};
use crate::trust::rows::{self, Fact};
use crate::validate::{self, SHORT_TEXT_MAX};
use crate::{Error, Result};

#[derive(Debug, Serialize)]
pub struct AgendaItemView {
    pub id: i64,
    pub author: PersonRef,
    pub author_side: &'static str,
    pub text: String,
    /// Failed its integrity check: `text` is empty.
    pub damaged: bool,
    pub status: AgendaStatus,
    /// When the dialogue this point was first raised in was scheduled.
    pub carried_from: Option<String>,
    pub mine: bool,
}

fn body_ref(id: i64, head: &Head) -> FieldRef {
    FieldRef {
        table: "agenda_item",
        column: "body",
        row: id,
        space: head.space(),
    }
}

/// What an agenda point's signature covers: the dialogue it was first raised
/// in (it keeps that when it carries over) and its text.
pub(crate) fn signed(origin: i64, body: &[u8]) -> [Fact<'_>; 2] {
    [Fact::Int(origin), Fact::Sealed(Some(body))]
}

/// Writes a new agenda point, sealed in the dialogue's space and signed by
/// its author, inside a write already begun (the space key prepared). The
/// one way a point is made, whether typed or shared from preparation.
pub(crate) fn insert_point(
    tx: &rusqlite::Transaction<'_>,
    vault: &Vault,
    key: &SigningKey,
    author: i64,
    head: &Head,
    text: &str,
    now: &str,
) -> Result<i64> {
    let id = next_id(tx, "agenda_item")?;
    let body = vault.seal(author, &body_ref(id, head), text)?;
    let sig = rows::sign_row(key, "agenda_item", id, author, &signed(head.id, &body));
    tx.execute(
        "INSERT INTO agenda_item (id, dialogue_id, author_id, body, created_at, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, head.id, author, body, now, sig],
    )?;
    Ok(id)
}

impl Tillid {
    pub fn add_agenda_item(&mut self, actor: &Actor, dialogue: i64, text: &str) -> Result<i64> {
        let seat = self.seat(actor, dialogue)?;
        allow(access::may_add_agenda(seat))?;
        let text = validate::required_text("text", text, SHORT_TEXT_MAX)?;
        let head = Head::load(&self.conn, dialogue)?;
        self.prepare_key(actor.id, head.space())?;
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let id = insert_point(&tx, &self.vault, &key, actor.id, &head, &text, &now)?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "add_agenda_item",
            "agenda_item",
            id,
        )?;
        tx.commit()?;
        Ok(id)
    }

    pub fn set_agenda_status(&mut self, actor: &Actor, item: i64, status: &str) -> Result<()> {
        let status = AgendaStatus::parse("status", status)?;
        let (dialogue, _, _) = self.agenda_facts(item)?;
        allow(access::may_set_agenda_status(self.seat(actor, dialogue)?))?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE agenda_item SET status = ?2 WHERE id = ?1",
            params![item, status],
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "set_agenda_status",
            "agenda_item",
            item,
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn remove_agenda_item(&mut self, actor: &Actor, item: i64) -> Result<()> {
        let (dialogue, author, status) = self.agenda_facts(item)?;
        let seat = self.seat(actor, dialogue)?;
        allow(access::may_remove_agenda(
            seat,
            author == actor.id,
            status == AgendaStatus::Open,
        ))?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute("DELETE FROM agenda_item WHERE id = ?1", [item])?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "remove_agenda_item",
            "agenda_item",
            item,
        )?;
        tx.commit()?;
        Ok(())
    }

    fn agenda_facts(&self, item: i64) -> Result<(i64, i64, AgendaStatus)> {
        self.conn
            .query_row(
                "SELECT dialogue_id, author_id, status FROM agenda_item WHERE id = ?1",
                [item],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(Error::NotFound {
                what: "agenda_item",
            })
    }

    pub(super) fn agenda_of(&self, actor: &Actor, head: &Head) -> Result<Vec<AgendaItemView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, p.id, p.name, a.body, a.status, f.scheduled_at,
                    a.author_id = d.manager_id, coalesce(a.carried_from, a.dialogue_id), a.sig
             FROM agenda_item a JOIN dialogue d ON d.id = a.dialogue_id
             JOIN person p ON p.id = a.author_id
             LEFT JOIN dialogue f ON f.id = a.carried_from
             WHERE a.dialogue_id = ?1
             ORDER BY a.author_id = d.manager_id, a.id",
        )?;
        let rows = stmt.query_map([head.id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Vec<u8>>(3)?,
                r.get::<_, AgendaStatus>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, Option<Vec<u8>>>(8)?,
            ))
        })?;
        let check = self.row_check(actor)?;
        rows.map(|row| {
            let (id, author_id, author_name, body, status, carried_from, by_manager, origin, sig) =
                row?;
            let genuine = check.genuine(
                "agenda_item",
                id,
                author_id,
                &signed(origin, &body),
                sig.as_deref(),
            );
            let (text, damaged) = if genuine {
                self.open_or_damaged(actor, &body_ref(id, head), &body)?
            } else {
                (String::new(), true)
            };
            Ok(AgendaItemView {
                id,
                author: opt_ref(Some(author_id), Some(author_name)).ok_or(Error::Integrity)?,
                author_side: if by_manager { "manager" } else { "employee" },
                text,
                damaged,
                status,
                carried_from,
                mine: author_id == actor.id,
            })
        })
        .collect()
    }
}
