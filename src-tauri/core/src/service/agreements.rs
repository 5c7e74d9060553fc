//! Agreements: the responsibilities each side takes on in a dialogue, and
//! the history of how they went.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::dialogues::Head;
use super::trusted::RowCheck;
use super::vault::Vault;
use super::{allow, audit, bump_summary, next_id, write, Actor, Tillid};
use crate::codec::FieldRef;
use crate::domain::access::{self, Seat};
use crate::domain::{AgreementState, Owner, OwnerKind, PersonRef, Role};
use crate::trust::rows::{self, Fact};
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

/// What an agreement's signature covers: its dialogue, who first recorded
/// it, its owner and follow-up date, and its sealed text and plan. Signed
/// by whoever last recorded the wording (its creator or the manager).
pub(crate) fn signed<'a>(
    dialogue: i64,
    created_by: i64,
    owner: Option<i64>,
    follow_up_on: Option<&'a str>,
    body: &'a [u8],
    if_then: Option<&'a [u8]>,
) -> [Fact<'a>; 6] {
    [
        Fact::Int(dialogue),
        Fact::Int(created_by),
        Fact::OptInt(owner),
        Fact::OptText(follow_up_on),
        Fact::Sealed(Some(body)),
        Fact::Sealed(if_then),
    ]
}

/// What a step in an agreement's history covers: which agreement, from and
/// to which state, when, and the sealed comment.
pub(crate) fn signed_update<'a>(
    agreement: i64,
    from: &'a str,
    to: &'a str,
    at: &'a str,
    comment: Option<&'a [u8]>,
) -> [Fact<'a>; 5] {
    [
        Fact::Int(agreement),
        Fact::Text(from),
        Fact::Text(to),
        Fact::Text(at),
        Fact::Sealed(comment),
    ]
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
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let id = next_id(&tx, "agreement")?;
        let (body, if_then) = seal_agreement(&self.vault, actor.id, id, &head, &clean)?;
        let sig = rows::sign_row(
            &key,
            "agreement",
            id,
            actor.id,
            &signed(
                dialogue,
                actor.id,
                clean.owner,
                clean.follow_up_on.as_deref(),
                &body,
                if_then.as_deref(),
            ),
        );
        tx.execute(
            "INSERT INTO agreement (id, dialogue_id, owner_person_id, body, if_then, follow_up_on,
                                    created_by, created_at, updated_at, sig, signer_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?7)",
            params![
                id,
                dialogue,
                clean.owner,
                body,
                if_then,
                clean.follow_up_on,
                actor.id,
                now,
                sig
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
        let sig = rows::sign_row(
            &self.signing_key(actor.id)?,
            "agreement",
            agreement,
            actor.id,
            &signed(
                facts.dialogue,
                facts.created_by,
                clean.owner,
                clean.follow_up_on.as_deref(),
                &body,
                if_then.as_deref(),
            ),
        );
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE agreement SET owner_person_id = ?2, body = ?3, if_then = ?4, follow_up_on = ?5, updated_at = ?6,
                                  sig = ?7, signer_id = ?8
             WHERE id = ?1",
            params![agreement, clean.owner, body, if_then, clean.follow_up_on, now, sig, actor.id],
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

    /// Moves an agreement to another state, or comments on how it goes
    /// (the same state and a comment), keeping the step and its comment in
    /// the agreement's history.
    pub fn set_agreement_state(
        &mut self,
        actor: &Actor,
        agreement: i64,
        state: &str,
        comment: Option<&str>,
    ) -> Result<()> {
        let to = AgreementState::parse("state", state)?;
        let mut facts = self.agreement_facts(agreement)?;
        let seat = self.seat(actor, facts.dialogue)?;
        if seat.role == Some(Role::Successor) {
            let head = Head::load(&self.conn, facts.dialogue)?;
            facts.owner = self
                .taken_over_by(
                    &self.row_check(actor)?,
                    &mut Successors::default(),
                    head.manager.id,
                    head.employee.as_ref().map(|e| e.id),
                    facts.owner,
                    facts.state == AgreementState::Open,
                )?
                .map(|s| s.id);
        }
        allow(may_update(seat, &facts, actor))?;
        let comment = validate::optional_text("comment", comment, SHORT_TEXT_MAX)?;
        // The same state with a comment is a comment alone: how it goes,
        // with no change of state. Without a comment there is nothing to record.
        if to == facts.state && comment.is_none() {
            return Err(Error::WrongState {
                state: facts.state.as_str(),
            });
        }
        let head = Head::load(&self.conn, facts.dialogue)?;
        if comment.is_some() {
            self.prepare_key(actor.id, head.space())?;
        }
        let key = self.signing_key(actor.id)?;
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
        let sig = rows::sign_row(
            &key,
            "agreement_update",
            update_id,
            actor.id,
            &signed_update(
                agreement,
                facts.state.as_str(),
                to.as_str(),
                &now,
                sealed.as_deref(),
            ),
        );
        tx.execute(
            "INSERT INTO agreement_update (id, agreement_id, by_id, from_state, to_state, comment, at, sig)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![update_id, agreement, actor.id, facts.state, to, sealed, now, sig],
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
        self.agreements_in(actor, seat, head, false)
    }

    /// The agreements of a dialogue; with `open_only`, those whose state is
    /// open (as "since last time" lists them), so the rest are neither
    /// checked nor opened.
    pub(super) fn agreements_in(
        &self,
        actor: &Actor,
        seat: Seat,
        head: &Head,
        open_only: bool,
    ) -> Result<Vec<AgreementView>> {
        let condition = "a.dialogue_id = ?1 AND (?2 = 0 OR a.state = 'open')";
        let args = rusqlite::params![head.id, open_only];
        let rows = self.agreement_rows(condition, args, "")?;
        let mut updates = self.update_rows(condition, args, "")?;
        let check = self.row_check(actor)?;
        self.agreement_views(
            actor,
            seat,
            head,
            rows,
            &mut updates,
            &check,
            &mut Successors::default(),
        )
    }

    /// The agreements that meet `condition` (over `agreement a`, and
    /// `dialogue d` when `joins` joins it), by dialogue and then id.
    pub(super) fn agreement_rows(
        &self,
        condition: &str,
        args: &[&dyn rusqlite::ToSql],
        joins: &str,
    ) -> Result<Vec<AgreementRow>> {
        let sql = format!(
            "SELECT a.dialogue_id, a.id, a.owner_person_id, o.name, a.body, a.if_then,
                    a.follow_up_on, a.state, c.id, c.name, a.created_at,
                    coalesce(a.signer_id, a.created_by), a.sig
             FROM agreement a {joins} LEFT JOIN person o ON o.id = a.owner_person_id
             JOIN person c ON c.id = a.created_by
             WHERE {condition} ORDER BY a.dialogue_id, a.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok(AgreementRow {
                dialogue: r.get(0)?,
                id: r.get(1)?,
                owner_id: r.get(2)?,
                owner_name: r.get(3)?,
                body: r.get(4)?,
                if_then: r.get(5)?,
                follow_up_on: r.get(6)?,
                state: r.get(7)?,
                created_by: PersonRef {
                    id: r.get(8)?,
                    name: r.get(9)?,
                },
                created_at: r.get(10)?,
                signer: r.get(11)?,
                sig: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The updates of the agreements that meet `condition` (as in
    /// [`agreement_rows`](Self::agreement_rows)), by agreement, oldest
    /// first: one query however many agreements there are.
    pub(super) fn update_rows(
        &self,
        condition: &str,
        args: &[&dyn rusqlite::ToSql],
        joins: &str,
    ) -> Result<HashMap<i64, Vec<UpdateRow>>> {
        let sql = format!(
            "SELECT u.agreement_id, u.id, p.id, p.name, u.from_state, u.to_state, u.comment, u.at, u.sig
             FROM agreement a {joins} JOIN agreement_update u ON u.agreement_id = a.id
             JOIN person p ON p.id = u.by_id
             WHERE {condition} ORDER BY u.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                UpdateRow {
                    id: r.get(1)?,
                    by: PersonRef {
                        id: r.get(2)?,
                        name: r.get(3)?,
                    },
                    from: r.get(4)?,
                    to: r.get(5)?,
                    comment: r.get(6)?,
                    at: r.get(7)?,
                    sig: r.get(8)?,
                },
            ))
        })?;
        let mut out: HashMap<i64, Vec<UpdateRow>> = HashMap::new();
        for row in rows {
            let (agreement, update) = row?;
            out.entry(agreement).or_default().push(update);
        }
        Ok(out)
    }

    /// The agreements of one dialogue (`head`), from their rows and their
    /// updates (taken from `updates`), checked and opened.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn agreement_views(
        &self,
        actor: &Actor,
        seat: Seat,
        head: &Head,
        rows: Vec<AgreementRow>,
        updates: &mut HashMap<i64, Vec<UpdateRow>>,
        check: &RowCheck,
        successors: &mut Successors,
    ) -> Result<Vec<AgreementView>> {
        rows.into_iter()
            .map(|row| {
                let AgreementRow {
                    dialogue: _,
                    id,
                    owner_id,
                    owner_name,
                    body,
                    if_then,
                    follow_up_on,
                    state,
                    created_by,
                    created_at,
                    signer,
                    sig,
                } = row;
                // Its wording is the creator's or the manager's, as signed.
                let genuine = (signer == created_by.id || signer == head.manager.id)
                    && check.genuine(
                        "agreement",
                        id,
                        signer,
                        &signed(
                            head.id,
                            created_by.id,
                            owner_id,
                            follow_up_on.as_deref(),
                            &body,
                            if_then.as_deref(),
                        ),
                        sig.as_deref(),
                    );
                let (history, history_state) = self.history_of(
                    actor,
                    id,
                    head,
                    check,
                    updates.remove(&id).unwrap_or_default(),
                )?;
                // An agreement a new manager took over is theirs now.
                let taken = self.taken_over_by(
                    check,
                    successors,
                    head.manager.id,
                    head.employee.as_ref().map(|e| e.id),
                    owner_id,
                    state == AgreementState::Open,
                )?;
                let (owner_id, owner_name) = match taken {
                    Some(successor) => (Some(successor.id), Some(successor.name)),
                    None => (owner_id, owner_name),
                };
                let facts = AgreementFacts {
                    dialogue: head.id,
                    owner: owner_id,
                    created_by: created_by.id,
                    state,
                };
                let (text, body_damaged) = if genuine {
                    self.open_or_damaged(actor, &field("body", id, head), &body)?
                } else {
                    (String::new(), true)
                };
                let if_then = match if_then {
                    Some(b) if genuine => {
                        Some(self.open_or_damaged(actor, &field("if_then", id, head), &b)?)
                    }
                    Some(_) => Some((String::new(), true)),
                    None => None,
                };
                let if_then_damaged = if_then.as_ref().is_some_and(|(_, d)| *d);
                // Its state is where its signed history left it.
                let state_damaged = history_state != state;
                Ok(AgreementView {
                    id,
                    text,
                    damaged: body_damaged || if_then_damaged || state_damaged,
                    owner: owner_of(head, owner_id, owner_name)?,
                    follow_up_on,
                    if_then: if_then.map(|(t, _)| t),
                    state,
                    can_update_state: may_update(seat, &facts, actor),
                    can_edit: access::may_edit_agreement(seat, created_by.id == actor.id),
                    created_by,
                    created_at,
                    history,
                })
            })
            .collect()
    }

    /// The agreement's history from its update rows, and the state its
    /// genuine steps lead to.
    fn history_of(
        &self,
        actor: &Actor,
        agreement: i64,
        head: &Head,
        check: &RowCheck,
        rows: Vec<UpdateRow>,
    ) -> Result<(Vec<UpdateView>, AgreementState)> {
        let mut state = AgreementState::Open;
        let history = rows
            .into_iter()
            .map(
                |UpdateRow {
                     id,
                     by,
                     from,
                     to,
                     comment,
                     at,
                     sig,
                 }| {
                    let genuine = check.genuine(
                        "agreement_update",
                        id,
                        by.id,
                        &signed_update(
                            agreement,
                            from.as_str(),
                            to.as_str(),
                            &at,
                            comment.as_deref(),
                        ),
                        sig.as_deref(),
                    );
                    if genuine {
                        state = to;
                    }
                    let comment = match comment {
                        Some(c) if genuine => {
                            Some(self.open_or_damaged(actor, &field("comment", id, head), &c)?)
                        }
                        Some(_) => Some((String::new(), true)),
                        None => None,
                    };
                    Ok(UpdateView {
                        by,
                        from,
                        to,
                        damaged: !genuine || comment.as_ref().is_some_and(|(_, d)| *d),
                        comment: comment.map(|(c, _)| c),
                        at,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()?;
        Ok((history, state))
    }
}

/// An agreement as its row stores it.
pub(super) struct AgreementRow {
    pub dialogue: i64,
    id: i64,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    body: Vec<u8>,
    if_then: Option<Vec<u8>>,
    follow_up_on: Option<String>,
    state: AgreementState,
    created_by: PersonRef,
    created_at: String,
    signer: i64,
    sig: Option<Vec<u8>>,
}

/// An update of an agreement as its row stores it.
pub(super) struct UpdateRow {
    id: i64,
    by: PersonRef,
    from: AgreementState,
    to: AgreementState,
    comment: Option<Vec<u8>>,
    at: String,
    sig: Option<Vec<u8>>,
}

/// Who took each pair's agreements over, as far as one view has asked: the
/// answer is the same for every agreement of a pair.
#[derive(Default)]
pub(super) struct Successors(HashMap<(i64, i64), Option<PersonRef>>);

impl Successors {
    /// Who took over what `manager` owned in their pair with `employee`
    /// ([`Tillid::successor`]), asked of the data once per pair.
    pub(super) fn of(
        &mut self,
        t: &Tillid,
        check: &RowCheck,
        manager: i64,
        employee: i64,
    ) -> Result<Option<PersonRef>> {
        if let Some(known) = self.0.get(&(manager, employee)) {
            return Ok(known.clone());
        }
        let found = t.successor(check, manager, employee)?;
        self.0.insert((manager, employee), found.clone());
        Ok(found)
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
