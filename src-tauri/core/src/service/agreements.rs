//! Agreements: the responsibilities each side takes on in a dialogue, and
//! the history of how they went.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::dialogues::Head;
use super::vault::Vault;
use super::{allow, audit, bump_summary, next_id, write, Actor, Tillid};
use crate::codec::FieldRef;
use crate::domain::access::{self, Seat};
use crate::domain::{AgreementState, Owner, OwnerKind, PersonRef};
use crate::validate::{self, SHORT_TEXT_MAX};
use crate::{Error, Result};

/// Only the text is required; no owner means the group (group dialogues).
#[derive(Debug, Deserialize)]
pub struct AgreementInput {
    pub text: String,
    pub owner_person_id: Option<i64>,
    pub follow_up_on: Option<String>,
    pub if_then: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AgreementView {
    pub id: i64,
    pub text: String,
    /// Its text or if-then plan failed its integrity check (shown empty).
    pub damaged: bool,
    pub owner: Owner,
    pub follow_up_on: Option<String>,
    pub if_then: Option<String>,
    pub state: AgreementState,
    pub created_by: PersonRef,
    pub created_at: String,
    pub can_update_state: bool,
    pub can_edit: bool,
    pub history: Vec<UpdateView>,
}

#[derive(Debug, Serialize)]
pub struct UpdateView {
    pub by: PersonRef,
    pub from: AgreementState,
    pub to: AgreementState,
    pub comment: Option<String>,
    /// The comment failed its integrity check (shown empty).
    pub damaged: bool,
    pub at: String,
}

pub(super) fn field(column: &'static str, id: i64, head: &Head) -> FieldRef {
    let table = if column == "comment" {
        "agreement_update"
    } else {
        "agreement"
    };
    FieldRef {
        table,
        column,
        row: id,
        space: head.space(),
    }
}

/// Checked and trimmed agreement fields, ready to store.
struct Clean {
    text: String,
    owner: Option<i64>,
    follow_up_on: Option<String>,
    if_then: Option<String>,
}

struct AgreementFacts {
    dialogue: i64,
    owner: Option<i64>,
    created_by: i64,
    state: AgreementState,
}

impl Tillid {
    pub fn add_agreement(
        &mut self,
        actor: &Actor,
        dialogue: i64,
        input: &AgreementInput,
    ) -> Result<i64> {
        allow(access::may_add_agreement(self.seat(actor, dialogue)?))?;
        let head = Head::load(&self.conn, dialogue)?;
        let clean = self.clean_agreement(&head, input)?;
        self.prepare_key(actor.id, head.space())?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let id = next_id(&tx, "agreement")?;
        let (body, if_then) = seal_agreement(&self.vault, actor.id, id, &head, &clean)?;
        tx.execute(
            "INSERT INTO agreement (id, dialogue_id, owner_person_id, body, if_then, follow_up_on,
                                    created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                id,
                dialogue,
                clean.owner,
                body,
                if_then,
                clean.follow_up_on,
                actor.id,
                now
            ],
        )?;
        bump_summary(&tx, dialogue)?;
        audit(&tx, &now, Some(actor.id), "add_agreement", "agreement", id)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn edit_agreement(
        &mut self,
        actor: &Actor,
        agreement: i64,
        input: &AgreementInput,
    ) -> Result<()> {
        let facts = self.agreement_facts(agreement)?;
        let seat = self.seat(actor, facts.dialogue)?;
        allow(access::may_edit_agreement(
            seat,
            facts.created_by == actor.id,
        ))?;
        let head = Head::load(&self.conn, facts.dialogue)?;
        let clean = self.clean_agreement(&head, input)?;
        self.prepare_key(actor.id, head.space())?;
        let (body, if_then) = seal_agreement(&self.vault, actor.id, agreement, &head, &clean)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE agreement SET owner_person_id = ?2, body = ?3, if_then = ?4, follow_up_on = ?5, updated_at = ?6
             WHERE id = ?1",
            params![agreement, clean.owner, body, if_then, clean.follow_up_on, now],
        )?;
        bump_summary(&tx, facts.dialogue)?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "edit_agreement",
            "agreement",
            agreement,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Moves an agreement to another state, keeping the step and its
    /// comment in the agreement's history.
    pub fn set_agreement_state(
        &mut self,
        actor: &Actor,
        agreement: i64,
        state: &str,
        comment: Option<&str>,
    ) -> Result<()> {
        let to = AgreementState::parse("state", state)?;
        let facts = self.agreement_facts(agreement)?;
        let seat = self.seat(actor, facts.dialogue)?;
        allow(may_update(seat, &facts, actor))?;
        let comment = validate::optional_text("comment", comment, SHORT_TEXT_MAX)?;
        if to == facts.state {
            return Err(Error::WrongState {
                state: facts.state.as_str(),
            });
        }
        let head = Head::load(&self.conn, facts.dialogue)?;
        if comment.is_some() {
            self.prepare_key(actor.id, head.space())?;
        }
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let update_id = next_id(&tx, "agreement_update")?;
        let sealed = comment
            .as_deref()
            .map(|c| {
                self.vault
                    .seal(actor.id, &field("comment", update_id, &head), c)
            })
            .transpose()?;
        tx.execute(
            "INSERT INTO agreement_update (id, agreement_id, by_id, from_state, to_state, comment, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![update_id, agreement, actor.id, facts.state, to, sealed, now],
        )?;
        tx.execute(
            "UPDATE agreement SET state = ?2, updated_at = ?3 WHERE id = ?1",
            params![agreement, to, now],
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "set_agreement_state",
            "agreement",
            agreement,
        )?;
        tx.commit()?;
        Ok(())
    }

    fn clean_agreement(&self, head: &Head, input: &AgreementInput) -> Result<Clean> {
        let text = validate::required_text("text", &input.text, SHORT_TEXT_MAX)?;
        let if_then = validate::optional_text("if_then", input.if_then.as_deref(), SHORT_TEXT_MAX)?;
        let follow_up_on = validate::optional_date("follow_up_on", input.follow_up_on.as_deref())?
            .map(|d| d.format("%Y-%m-%d").to_string());
        match input.owner_person_id {
            Some(owner) => {
                let takes_part: bool = self.conn.query_row(
                    "SELECT count(*) > 0 FROM participant WHERE dialogue_id = ?1 AND person_id = ?2",
                    [head.id, owner],
                    |r| r.get(0),
                )?;
                if !takes_part {
                    return Err(Error::InvalidOwner);
                }
            }
            None if head.group.is_none() => return Err(Error::InvalidOwner),
            None => {}
        }
        Ok(Clean {
            text,
            owner: input.owner_person_id,
            follow_up_on,
            if_then,
        })
    }

    fn agreement_facts(&self, agreement: i64) -> Result<AgreementFacts> {
        self.conn
            .query_row(
                "SELECT dialogue_id, owner_person_id, created_by, state FROM agreement WHERE id = ?1",
                [agreement],
                |r| {
                    Ok(AgreementFacts {
                        dialogue: r.get(0)?,
                        owner: r.get(1)?,
                        created_by: r.get(2)?,
                        state: r.get(3)?,
                    })
                },
            )
            .optional()?
            .ok_or(Error::NotFound { what: "agreement" })
    }

    pub(super) fn agreements_of(
        &self,
        actor: &Actor,
        seat: Seat,
        head: &Head,
    ) -> Result<Vec<AgreementView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.owner_person_id, o.name, a.body, a.if_then, a.follow_up_on, a.state,
                    c.id, c.name, a.created_at, a.created_by
             FROM agreement a LEFT JOIN person o ON o.id = a.owner_person_id
             JOIN person c ON c.id = a.created_by
             WHERE a.dialogue_id = ?1 ORDER BY a.id",
        )?;
        let rows = stmt
            .query_map([head.id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                    r.get::<_, Option<Vec<u8>>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, AgreementState>(6)?,
                    PersonRef {
                        id: r.get(7)?,
                        name: r.get(8)?,
                    },
                    r.get::<_, String>(9)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(
                |(
                    id,
                    owner_id,
                    owner_name,
                    body,
                    if_then,
                    follow_up_on,
                    state,
                    created_by,
                    created_at,
                )| {
                    let facts = AgreementFacts {
                        dialogue: head.id,
                        owner: owner_id,
                        created_by: created_by.id,
                        state,
                    };
                    let (text, body_damaged) =
                        self.open_or_damaged(actor, &field("body", id, head), &body)?;
                    let if_then = if_then
                        .map(|b| self.open_or_damaged(actor, &field("if_then", id, head), &b))
                        .transpose()?;
                    let if_then_damaged = if_then.as_ref().is_some_and(|(_, d)| *d);
                    Ok(AgreementView {
                        id,
                        text,
                        damaged: body_damaged || if_then_damaged,
                        owner: owner_of(head, owner_id, owner_name)?,
                        follow_up_on,
                        if_then: if_then.map(|(t, _)| t),
                        state,
                        can_update_state: may_update(seat, &facts, actor),
                        can_edit: access::may_edit_agreement(seat, created_by.id == actor.id),
                        created_by,
                        created_at,
                        history: self.history_of(actor, id, head)?,
                    })
                },
            )
            .collect()
    }

    fn history_of(&self, actor: &Actor, agreement: i64, head: &Head) -> Result<Vec<UpdateView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT u.id, p.id, p.name, u.from_state, u.to_state, u.comment, u.at
             FROM agreement_update u JOIN person p ON p.id = u.by_id
             WHERE u.agreement_id = ?1 ORDER BY u.id",
        )?;
        let rows = stmt
            .query_map([agreement], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    PersonRef {
                        id: r.get(1)?,
                        name: r.get(2)?,
                    },
                    r.get::<_, AgreementState>(3)?,
                    r.get::<_, AgreementState>(4)?,
                    r.get::<_, Option<Vec<u8>>>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, by, from, to, comment, at)| {
                let comment = comment
                    .map(|c| self.open_or_damaged(actor, &field("comment", id, head), &c))
                    .transpose()?;
                Ok(UpdateView {
                    by,
                    from,
                    to,
                    damaged: comment.as_ref().is_some_and(|(_, d)| *d),
                    comment: comment.map(|(c, _)| c),
                    at,
                })
            })
            .collect()
    }
}

fn may_update(seat: Seat, facts: &AgreementFacts, actor: &Actor) -> bool {
    access::may_update_agreement(seat, facts.owner == Some(actor.id), facts.owner.is_none())
}

fn seal_agreement(
    vault: &Vault,
    person: i64,
    id: i64,
    head: &Head,
    clean: &Clean,
) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
    let body = vault.seal(person, &field("body", id, head), &clean.text)?;
    let if_then = clean
        .if_then
        .as_deref()
        .map(|t| vault.seal(person, &field("if_then", id, head), t))
        .transpose()?;
    Ok((body, if_then))
}

/// The owner as the UI shows it; a group-owned agreement names the group.
pub(super) fn owner_of(head: &Head, id: Option<i64>, name: Option<String>) -> Result<Owner> {
    match (id, name, &head.group) {
        (Some(id), Some(name), _) => Ok(Owner {
            kind: OwnerKind::Person,
            id,
            name,
        }),
        (None, _, Some(g)) => Ok(Owner {
            kind: OwnerKind::Group,
            id: g.id,
            name: g.name.clone(),
        }),
        _ => Err(Error::Integrity),
    }
}
