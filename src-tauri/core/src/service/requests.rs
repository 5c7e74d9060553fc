//! Requests: an employee asks their manager for a dialogue (a kind, and a
//! line on why, sealed in the pair's space). The request waits on the
//! manager's home and overview until a dialogue is planned from it or the
//! manager answers (a short answer, sealed the same way).

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::dialogues::PlanInput;
use super::trusted::RowCheck;
use super::{allow, audit, next_id, write, Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::domain::{access, DialogueKind, PersonRef};
use crate::trust::rows::{self, Fact};
use crate::trust::Roster;
use crate::validate::{self, SHORT_TEXT_MAX};
use crate::{Error, Result};

/// What an employee asks for. The reason may be left out.
#[derive(Debug, Deserialize)]
pub struct RequestInput {
    pub kind: String,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct RequestView {
    pub id: i64,
    pub employee: PersonRef,
    pub manager: PersonRef,
    pub kind: DialogueKind,
    pub reason: Option<String>,
    pub created_at: String,
    /// `open`, `planned` (a dialogue was planned from it) or `answered`.
    pub status: &'static str,
    pub dialogue_id: Option<i64>,
    pub answer: Option<String>,
    pub closed_at: Option<String>,
    /// Its key has not reached this reader yet; the texts are empty.
    pub locked: bool,
    /// Not as the employee (or, for its closure, the manager) signed it.
    pub damaged: bool,
    pub can_answer: bool,
}

fn field(column: &'static str, id: i64, manager: i64, employee: i64) -> FieldRef {
    FieldRef {
        table: "dialogue_request",
        column,
        row: id,
        space: Space::Pair { manager, employee },
    }
}

/// What the employee signs: whom they asked, for what, when, and why.
fn asked<'a>(manager: i64, kind: &'a str, at: &'a str, reason: Option<&'a [u8]>) -> [Fact<'a>; 4] {
    [
        Fact::Int(manager),
        Fact::Text(kind),
        Fact::Text(at),
        Fact::Sealed(reason),
    ]
}

/// What the manager signs when closing it: whose request, the dialogue
/// planned from it or the answer, and when.
fn closed<'a>(
    employee: i64,
    dialogue: Option<i64>,
    at: &'a str,
    answer: Option<&'a [u8]>,
) -> [Fact<'a>; 4] {
    [
        Fact::Int(employee),
        Fact::OptInt(dialogue),
        Fact::Text(at),
        Fact::Sealed(answer),
    ]
}

/// A request as stored, still sealed.
#[derive(Clone)]
struct Row {
    id: i64,
    employee: PersonRef,
    manager: PersonRef,
    kind: DialogueKind,
    reason: Option<Vec<u8>>,
    created_at: String,
    sig: Vec<u8>,
    closed_at: Option<String>,
    closed_by: Option<i64>,
    dialogue_id: Option<i64>,
    answer: Option<Vec<u8>>,
    closed_sig: Option<Vec<u8>>,
}

const COLUMNS: &str = "r.id, e.id, e.name, m.id, m.name, r.kind, r.reason, r.created_at, r.sig,
    r.closed_at, r.closed_by, r.dialogue_id, r.answer, r.closed_sig
    FROM dialogue_request r JOIN person e ON e.id = r.employee_id JOIN person m ON m.id = r.manager_id";

impl Row {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok(Row {
            id: r.get(0)?,
            employee: PersonRef {
                id: r.get(1)?,
                name: r.get(2)?,
            },
            manager: PersonRef {
                id: r.get(3)?,
                name: r.get(4)?,
            },
            kind: r.get(5)?,
            reason: r.get(6)?,
            created_at: r.get(7)?,
            sig: r.get(8)?,
            closed_at: r.get(9)?,
            closed_by: r.get(10)?,
            dialogue_id: r.get(11)?,
            answer: r.get(12)?,
            closed_sig: r.get(13)?,
        })
    }

    fn asked_genuine(&self, check: &RowCheck) -> bool {
        check.genuine(
            "dialogue_request",
            self.id,
            self.employee.id,
            &asked(
                self.manager.id,
                self.kind.as_str(),
                &self.created_at,
                self.reason.as_deref(),
            ),
            Some(&self.sig),
        )
    }

    /// Closed, as the manager asked signed it; a forged closure is none.
    fn closed_genuine(&self, check: &RowCheck) -> bool {
        match (&self.closed_at, self.closed_by) {
            (Some(at), Some(by)) if by == self.manager.id => check.genuine(
                "dialogue_request_close",
                self.id,
                by,
                &closed(
                    self.employee.id,
                    self.dialogue_id,
                    at,
                    self.answer.as_deref(),
                ),
                self.closed_sig.as_deref(),
            ),
            _ => false,
        }
    }
}

impl Tillid {
    /// An employee asks their manager (by the verified roster) for a
    /// dialogue of a kind, with an optional line on why.
    pub fn request_dialogue(&mut self, actor: &Actor, input: &RequestInput) -> Result<i64> {
        let roster = self.roster(actor.id)?;
        let manager = roster.manager_of(actor.id);
        allow(access::may_request_dialogue(manager.is_some()))?;
        let manager = manager.ok_or(Error::Forbidden)?;
        let kind = DialogueKind::parse("kind", &input.kind)?;
        let reason = validate::optional_text("reason", input.reason.as_deref(), SHORT_TEXT_MAX)?;
        let space = Space::Pair {
            manager,
            employee: actor.id,
        };
        if reason.is_some() {
            self.prepare_key(actor.id, space)?;
        }
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let id = next_id(&tx, "dialogue_request")?;
        let sealed = reason
            .as_deref()
            .map(|r| {
                self.vault
                    .seal(actor.id, &field("reason", id, manager, actor.id), r)
            })
            .transpose()?;
        let sig = rows::sign_row(
            &key,
            "dialogue_request",
            id,
            actor.id,
            &asked(manager, kind.as_str(), &now, sealed.as_deref()),
        );
        tx.execute(
            "INSERT INTO dialogue_request (id, employee_id, manager_id, kind, reason, created_at, sig)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, actor.id, manager, kind, sealed, now, sig],
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "request_dialogue",
            "dialogue_request",
            id,
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The manager answers a request with a short text instead of a
    /// dialogue (yet): it leaves their lists and the employee reads why.
    pub fn answer_request(&mut self, actor: &Actor, request: i64, answer: &str) -> Result<()> {
        let row = self.answerable(actor, request)?;
        let answer = validate::required_text("answer", answer, SHORT_TEXT_MAX)?;
        self.prepare_key(
            actor.id,
            Space::Pair {
                manager: actor.id,
                employee: row.employee.id,
            },
        )?;
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let sealed = self.vault.seal(
            actor.id,
            &field("answer", request, actor.id, row.employee.id),
            &answer,
        )?;
        let sig = rows::sign_row(
            &key,
            "dialogue_request_close",
            request,
            actor.id,
            &closed(row.employee.id, None, &now, Some(&sealed)),
        );
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE dialogue_request SET closed_at = ?2, closed_by = ?3, dialogue_id = NULL,
                    answer = ?4, closed_sig = ?5
             WHERE id = ?1",
            params![request, now, actor.id, sealed, sig],
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "answer_request",
            "dialogue_request",
            request,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The manager plans a dialogue from a request: with the employee who
    /// asked, of the kind chosen (the asked kind if none), and the request
    /// is closed by it in the same write.
    pub fn plan_requested_dialogue(
        &mut self,
        actor: &Actor,
        request: i64,
        kind: Option<&str>,
        scheduled_at: &str,
    ) -> Result<i64> {
        let row = self.answerable(actor, request)?;
        let key = self.signing_key(actor.id)?;
        let input = PlanInput {
            person_id: Some(row.employee.id),
            group_id: None,
            kind: Some(
                kind.filter(|k| !k.is_empty())
                    .unwrap_or(row.kind.as_str())
                    .to_owned(),
            ),
            scheduled_at: scheduled_at.to_owned(),
        };
        let employee = row.employee.id;
        self.plan_dialogue_then(
            actor,
            &input,
            None,
            |tx: &Transaction<'_>, dialogue, now| {
                let sig = rows::sign_row(
                    &key,
                    "dialogue_request_close",
                    request,
                    actor.id,
                    &closed(employee, Some(dialogue), now, None),
                );
                tx.execute(
                    "UPDATE dialogue_request SET closed_at = ?2, closed_by = ?3, dialogue_id = ?4,
                        answer = NULL, closed_sig = ?5
                 WHERE id = ?1",
                    params![request, now, actor.id, dialogue, sig],
                )?;
                audit(
                    tx,
                    now,
                    Some(actor.id),
                    "plan_from_request",
                    "dialogue_request",
                    request,
                )
            },
        )
    }

    /// The request, if the actor is the manager asked, still by the
    /// verified roster, and it is open.
    fn answerable(&self, actor: &Actor, request: i64) -> Result<Row> {
        let row = self.request_row(request)?;
        let roster = self.roster(actor.id)?;
        let check = self.row_check(actor)?;
        allow(access::may_answer_request(
            asked_manager(&roster, actor.id, &row),
            !row.closed_genuine(&check),
        ))?;
        Ok(row)
    }

    fn request_row(&self, request: i64) -> Result<Row> {
        let sql = format!("SELECT {COLUMNS} WHERE r.id = ?1");
        self.conn
            .query_row(&sql, [request], Row::read)
            .optional()?
            .ok_or(Error::NotFound {
                what: "dialogue_request",
            })
    }

    /// Open requests to the actor from their employees (by the verified
    /// roster), oldest first.
    pub fn open_requests_to_me(&self, actor: &Actor) -> Result<Vec<RequestView>> {
        let Ok(roster) = self.roster(actor.id) else {
            return Ok(Vec::new());
        };
        let sql = format!("SELECT {COLUMNS} WHERE r.manager_id = ?1 ORDER BY r.created_at, r.id");
        let rows = self.request_rows(&sql, actor.id)?;
        let check = self.row_check(actor)?;
        let mut out = Vec::new();
        for row in rows {
            let readable = access::may_read_request(false, asked_manager(&roster, actor.id, &row));
            if !readable || row.closed_genuine(&check) {
                continue;
            }
            out.push(self.request_view(actor, &check, row, true)?);
        }
        Ok(out)
    }

    /// The actor's own requests, newest first, with how each was closed.
    pub fn my_requests(&self, actor: &Actor) -> Result<Vec<RequestView>> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE r.employee_id = ?1 ORDER BY r.created_at DESC, r.id DESC LIMIT 20"
        );
        let rows = self.request_rows(&sql, actor.id)?;
        let check = self.row_check(actor)?;
        rows.into_iter()
            .map(|row| self.request_view(actor, &check, row, false))
            .collect()
    }

    /// The home's two lists, [`open_requests_to_me`](Self::open_requests_to_me)
    /// and [`my_requests`](Self::my_requests), from one query: the same
    /// rows, checks and order, for one planning of the statement instead
    /// of two.
    pub(crate) fn home_requests(
        &self,
        actor: &Actor,
    ) -> Result<(Vec<RequestView>, Vec<RequestView>)> {
        let me = actor.id;
        // Only someone the verified roster makes a manager can read a
        // request made to them: for anyone else, their own requests alone.
        let Some(roster) = self
            .roster(me)
            .ok()
            .filter(|r| r.people.values().any(|p| p.manager == Some(me)))
        else {
            return Ok((Vec::new(), self.my_requests(actor)?));
        };
        let sql = format!(
            "SELECT {COLUMNS} WHERE r.manager_id = ?1 OR r.employee_id = ?1 ORDER BY r.created_at, r.id"
        );
        let rows = self.request_rows(&sql, me)?;
        let check = self.row_check(actor)?;
        let mut to_me = Vec::new();
        let mut mine = Vec::new();
        for row in rows {
            if row.manager.id != me {
                if row.employee.id == me {
                    mine.push(row);
                }
                continue;
            }
            if row.employee.id == me {
                mine.push(row.clone());
            }
            let readable = access::may_read_request(false, asked_manager(&roster, me, &row));
            if !readable || row.closed_genuine(&check) {
                continue;
            }
            to_me.push(self.request_view(actor, &check, row, true)?);
        }
        // Newest first, the latest 20.
        let mine = mine
            .into_iter()
            .rev()
            .take(20)
            .map(|row| self.request_view(actor, &check, row, false))
            .collect::<Result<_>>()?;
        Ok((to_me, mine))
    }

    /// Every request `employee` made, as the actor may read them: all of
    /// their own, or those asked of the actor while the verified roster
    /// still makes the actor their manager. Oldest first (data export).
    pub(crate) fn requests_of(&self, actor: &Actor, employee: i64) -> Result<Vec<RequestView>> {
        let sql = format!("SELECT {COLUMNS} WHERE r.employee_id = ?1 ORDER BY r.created_at, r.id");
        let rows = self.request_rows(&sql, employee)?;
        let roster = self.roster(actor.id).ok();
        let check = self.row_check(actor)?;
        let mut out = Vec::new();
        for row in rows {
            let asker = row.employee.id == actor.id;
            let manager = roster
                .as_ref()
                .is_some_and(|r| asked_manager(r, actor.id, &row));
            if access::may_read_request(asker, manager) {
                out.push(self.request_view(actor, &check, row, false)?);
            }
        }
        Ok(out)
    }

    fn request_rows(&self, sql: &str, person: i64) -> Result<Vec<Row>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([person], Row::read)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn request_view(
        &self,
        actor: &Actor,
        check: &RowCheck,
        row: Row,
        answerable: bool,
    ) -> Result<RequestView> {
        let genuine = row.asked_genuine(check);
        let closed = row.closed_genuine(check);
        let mut locked = false;
        let mut damaged = !genuine || (row.closed_at.is_some() && !closed);
        let mut open = |column: &'static str, sealed: Option<&[u8]>, trusted: bool| {
            let sealed = sealed?;
            if !trusted {
                damaged = true;
                return Some(String::new());
            }
            let f = field(column, row.id, row.manager.id, row.employee.id);
            match self.open_as(actor, &f, sealed) {
                Ok(text) => Some(text),
                Err(Error::KeyPending { .. }) => {
                    locked = true;
                    Some(String::new())
                }
                Err(_) => {
                    damaged = true;
                    Some(String::new())
                }
            }
        };
        let reason = open("reason", row.reason.as_deref(), genuine);
        let answer = if closed {
            open("answer", row.answer.as_deref(), true)
        } else {
            None
        };
        let status = match (closed, row.dialogue_id) {
            (false, _) => "open",
            (true, Some(_)) => "planned",
            (true, None) => "answered",
        };
        Ok(RequestView {
            id: row.id,
            employee: row.employee,
            manager: row.manager,
            kind: row.kind,
            reason,
            created_at: row.created_at,
            status,
            dialogue_id: if closed { row.dialogue_id } else { None },
            answer,
            closed_at: if closed { row.closed_at } else { None },
            locked,
            damaged,
            can_answer: answerable && !closed,
        })
    }
}

/// Whether `me` is the manager the request was sent to, and the verified
/// roster still says they manage its employee.
fn asked_manager(roster: &Roster, me: i64, row: &Row) -> bool {
    row.manager.id == me && roster.manager_of(row.employee.id) == Some(me)
}
