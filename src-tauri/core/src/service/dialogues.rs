//! Planning, holding and reading dialogues.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::cancel::Cancellation;
use super::since::SinceItem;
use super::summary::Confirmed;
use super::trusted::RowCheck;
use super::{
    allow, audit, write, Actor, AgendaItemView, AgreementView, Change, MyConfirmation, NoteView,
    Tillid,
};
use crate::codec::Space;
use crate::domain::{access, DialogueKind, DialogueState, Owner, OwnerKind, PersonRef, Role};
use crate::trust::rows::{self, Fact};
use crate::validate::{self, format_moment};
use crate::{Error, Result};

/// Whom the signed-in person may plan a dialogue with.
#[derive(Debug, Serialize)]
pub struct PlanOptions {
    pub employees: Vec<PersonRef>,
    pub groups: Vec<PersonRef>,
}

/// Only who and when are required; the kind defaults to a follow-up.
#[derive(Debug, Deserialize)]
pub struct PlanInput {
    pub person_id: Option<i64>,
    pub group_id: Option<i64>,
    pub kind: Option<String>,
    pub scheduled_at: String,
}

#[derive(Debug, Serialize)]
pub struct ParticipantView {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub confirmed_version: Option<i64>,
    pub confirmed_at: Option<String>,
}

/// What the signed-in person may do here, so the UI offers only that.
#[derive(Debug, Serialize)]
pub struct Can {
    pub plan_edit: bool,
    pub add_agenda: bool,
    pub add_note: bool,
    pub add_agreement: bool,
    pub mark_held: bool,
    pub confirm: bool,
    pub cancel: bool,
}

#[derive(Debug, Serialize)]
pub struct DialogueView {
    pub id: i64,
    pub kind: DialogueKind,
    pub state: DialogueState,
    pub scheduled_at: String,
    pub held_at: Option<String>,
    pub manager: PersonRef,
    pub employee: Option<PersonRef>,
    pub group: Option<PersonRef>,
    pub my_role: Role,
    pub participants: Vec<ParticipantView>,
    pub agenda: Vec<AgendaItemView>,
    pub notes: Vec<NoteView>,
    pub agreements: Vec<AgreementView>,
    pub summary_version: i64,
    pub my_confirmation: Option<MyConfirmation>,
    pub changes_since_my_confirmation: Option<Vec<Change>>,
    /// Held or confirmed, but not as its manager and participants signed
    /// it (edited outside Tillid): shown, not relied on.
    pub state_damaged: bool,
    /// The summary differs from what I confirmed although its version says
    /// it does not: something was changed or copied back outside Tillid.
    pub summary_tampered: bool,
    pub owner_choices: Vec<Owner>,
    pub can: Can,
    /// Planned, and its time has passed without it being marked held.
    pub not_marked_held: bool,
    /// Who cancelled it, when and why, if it was cancelled.
    pub cancellation: Option<Cancellation>,
    /// Open agreements from earlier dialogues of the same relationship.
    pub since_last_time: Vec<SinceItem>,
}

/// The facts of a dialogue that every operation on it needs.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub id: i64,
    pub kind: DialogueKind,
    pub state: DialogueState,
    pub scheduled_at: String,
    pub held_at: Option<String>,
    pub manager: PersonRef,
    pub employee: Option<PersonRef>,
    pub group: Option<PersonRef>,
    pub summary_version: i64,
    /// The group key era it was planned in (0 for one-to-ones).
    pub era: i64,
}

impl Head {
    /// The columns [`Head::read`] reads, from `dialogue d` joined with
    /// [`Head::JOINS`].
    pub(super) const COLUMNS: &'static str =
        "d.id, d.kind, d.state, d.scheduled_at, d.held_at, d.summary_version,
         m.id, m.name, e.id, e.name, t.id, t.name, d.era";
    pub(super) const JOINS: &'static str = "JOIN person m ON m.id = d.manager_id
         LEFT JOIN person e ON e.id = d.employee_id
         LEFT JOIN team t ON t.id = d.team_id";

    pub fn load(conn: &Connection, id: i64) -> Result<Head> {
        let sql = format!(
            "SELECT {} FROM dialogue d {} WHERE d.id = ?1",
            Head::COLUMNS,
            Head::JOINS
        );
        conn.prepare_cached(&sql)?
            .query_row([id], |r| Head::read(r, 0))
            .optional()?
            .ok_or(Error::NotFound { what: "dialogue" })
    }

    /// A head from [`Head::COLUMNS`], starting at column `at`.
    pub(super) fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Head> {
        Ok(Head {
            id: r.get(at)?,
            kind: r.get(at + 1)?,
            state: r.get(at + 2)?,
            scheduled_at: r.get(at + 3)?,
            held_at: r.get(at + 4)?,
            summary_version: r.get(at + 5)?,
            manager: PersonRef {
                id: r.get(at + 6)?,
                name: r.get(at + 7)?,
            },
            employee: opt_ref(r.get(at + 8)?, r.get(at + 9)?),
            group: opt_ref(r.get(at + 10)?, r.get(at + 11)?),
            era: r.get(at + 12)?,
        })
    }

    /// The space shared content of this dialogue belongs to.
    pub fn space(&self) -> Space {
        space_of(
            self.manager.id,
            self.employee.as_ref().map(|e| e.id),
            self.group.as_ref().map(|g| g.id),
            self.era,
        )
    }
}

/// The space of a dialogue's shared content, from its row.
pub(crate) fn space_of(manager: i64, employee: Option<i64>, team: Option<i64>, era: i64) -> Space {
    match (employee, team) {
        (_, Some(team)) => Space::Group { team, era },
        (Some(employee), None) => Space::Pair { manager, employee },
        // The schema forbids this; a dialogue with no one else is the
        // manager's own.
        (None, None) => Space::Private { owner: manager },
    }
}

pub(super) fn opt_ref(id: Option<i64>, name: Option<String>) -> Option<PersonRef> {
    Some(PersonRef {
        id: id?,
        name: name?,
    })
}

impl Tillid {
    /// Whom the verified roster lets the actor plan with.
    pub fn plan_options(&self, actor: &Actor) -> Result<PlanOptions> {
        let roster = self.roster(actor.id)?;
        let sorted = |mut refs: Vec<PersonRef>| {
            refs.sort_by_key(|r| r.name.to_lowercase());
            refs
        };
        Ok(PlanOptions {
            employees: sorted(
                roster
                    .people
                    .values()
                    .filter(|p| p.manager == Some(actor.id) && !p.left)
                    .map(|p| PersonRef {
                        id: p.id,
                        name: p.name.clone(),
                    })
                    .collect(),
            ),
            groups: sorted(
                roster
                    .groups
                    .values()
                    .filter(|g| g.leader == actor.id)
                    .map(|g| PersonRef {
                        id: g.id,
                        name: g.name.clone(),
                    })
                    .collect(),
            ),
        })
    }

    /// A manager plans a dialogue with one of their employees or with a
    /// group they lead. Open agenda points from earlier dialogues in the
    /// same relationship carry over to it.
    pub fn plan_dialogue(&mut self, actor: &Actor, input: &PlanInput) -> Result<i64> {
        self.plan_dialogue_with(actor, input, None)
    }

    /// [`plan_dialogue`](Self::plan_dialogue) with a chosen template of the
    /// kind (`None`: the kind's built-in). The dialogue keeps a signed copy
    /// of it, so later edits of the template never change this dialogue.
    pub fn plan_dialogue_with(
        &mut self,
        actor: &Actor,
        input: &PlanInput,
        template: Option<&str>,
    ) -> Result<i64> {
        self.plan_dialogue_then(actor, input, template, |_, _, _| Ok(()))
    }

    /// [`plan_dialogue_with`](Self::plan_dialogue_with), with `then` run in
    /// the same write transaction once the dialogue has its id (and `now`).
    pub(super) fn plan_dialogue_then(
        &mut self,
        actor: &Actor,
        input: &PlanInput,
        template: Option<&str>,
        then: impl FnOnce(&rusqlite::Transaction<'_>, i64, &str) -> Result<()>,
    ) -> Result<i64> {
        let kind = match input.kind.as_deref() {
            None | Some("") => DialogueKind::FollowUp,
            Some(k) => DialogueKind::parse("kind", k)?,
        };
        if !access::kind_fits(kind, input.group_id.is_some()) {
            return Err(if kind == DialogueKind::Grus {
                Error::KindNeedsGroup
            } else {
                Error::KindNeedsOnePerson {
                    kind: kind.as_str(),
                }
            });
        }
        let at = format_moment(validate::moment("scheduled_at", &input.scheduled_at)?);
        // Who manages whom and who is in a group: from the verified roster.
        let roster = self.roster(actor.id)?;
        let mut people: Vec<(i64, Role)> = vec![(actor.id, Role::Manager)];
        let (employee, team, era) = match (input.person_id, input.group_id) {
            (Some(p), None) => {
                let entry = roster
                    .people
                    .get(&p)
                    .ok_or(Error::NotFound { what: "person" })?;
                allow(entry.manager == Some(actor.id))?;
                if entry.left {
                    return Err(Error::HasLeft {
                        name: entry.name.clone(),
                    });
                }
                people.push((p, Role::Employee));
                (Some(p), None, 0)
            }
            (None, Some(g)) => {
                let group = roster
                    .groups
                    .get(&g)
                    .ok_or(Error::NotFound { what: "group" })?;
                allow(group.leader == actor.id)?;
                for &m in group.members.iter().filter(|&&m| m != actor.id) {
                    people.push((m, Role::Member));
                }
                (None, Some(g), group.era)
            }
            _ => return Err(Error::InvalidInput { field: "person_id" }),
        };
        let resolved = self.resolve_template(actor, kind, template)?;
        let sign_key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute(
            "INSERT INTO dialogue (kind, manager_id, employee_id, team_id, scheduled_at, created_at, era)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![kind, actor.id, employee, team, at, now, era],
        )?;
        let id = tx.last_insert_rowid();
        super::templates::keep_copy(&tx, &sign_key, actor.id, id, &resolved)?;
        for (person, role) in people {
            tx.execute(
                "INSERT INTO participant (dialogue_id, person_id, role) VALUES (?1, ?2, ?3)",
                params![id, person, role],
            )?;
        }
        // Points still open after an earlier dialogue of the same pair or
        // group move here; `carried_from` keeps where they were first raised.
        tx.execute(
            "UPDATE agenda_item SET carried_from = coalesce(carried_from, dialogue_id), dialogue_id = ?1
             WHERE status = 'open' AND dialogue_id IN (
                 SELECT d.id FROM dialogue d
                 WHERE d.id <> ?1 AND d.state <> 'planned' AND d.manager_id = ?2
                   AND d.employee_id IS ?3 AND d.team_id IS ?4 AND d.era = ?5)",
            params![id, actor.id, employee, team, era],
        )?;
        audit(&tx, &now, Some(actor.id), "plan_dialogue", "dialogue", id)?;
        then(&tx, id, &now)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn reschedule_dialogue(
        &mut self,
        actor: &Actor,
        dialogue: i64,
        scheduled_at: &str,
    ) -> Result<()> {
        allow(access::may_reschedule(self.seat(actor, dialogue)?))?;
        let at = format_moment(validate::moment("scheduled_at", scheduled_at)?);
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE dialogue SET scheduled_at = ?2 WHERE id = ?1",
            params![dialogue, at],
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "reschedule_dialogue",
            "dialogue",
            dialogue,
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn mark_held(&mut self, actor: &Actor, dialogue: i64) -> Result<()> {
        let seat = self.seat(actor, dialogue)?;
        allow(seat.is_manager())?;
        if seat.state != DialogueState::Planned {
            return Err(Error::WrongState {
                state: seat.state.as_str(),
            });
        }
        let head = Head::load(&self.conn, dialogue)?;
        let now = self.stamp();
        let people = participant_roles(&self.conn, dialogue)?;
        let sig = rows::sign_row(
            &self.signing_key(actor.id)?,
            "dialogue",
            dialogue,
            actor.id,
            &held_facts(&head, &now, &people),
        );
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE dialogue SET state = 'held', held_at = ?2, held_sig = ?3 WHERE id = ?1",
            params![dialogue, now, sig],
        )?;
        audit(&tx, &now, Some(actor.id), "mark_held", "dialogue", dialogue)?;
        tx.commit()?;
        Ok(())
    }

    pub fn get_dialogue(&self, actor: &Actor, dialogue: i64) -> Result<DialogueView> {
        self.snapshot(|| self.dialogue_view(actor, dialogue))
    }

    fn dialogue_view(&self, actor: &Actor, dialogue: i64) -> Result<DialogueView> {
        // The head, the reader's participant row and the manager's
        // signature over who was there, in one query.
        let sql = format!(
            "SELECT {}, p.role, d.held_sig FROM dialogue d {}
             LEFT JOIN participant p ON p.dialogue_id = d.id AND p.person_id = ?2
             WHERE d.id = ?1",
            Head::COLUMNS,
            Head::JOINS
        );
        let (head, role, held_sig) = self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params![dialogue, actor.id], |r| {
                Ok((
                    Head::read(r, 0)?,
                    r.get::<_, Option<Role>>(13)?,
                    r.get::<_, Option<Vec<u8>>>(14)?,
                ))
            })
            .optional()?
            .ok_or(Error::NotFound { what: "dialogue" })?;
        let seat = self.settle_seat(
            actor,
            dialogue,
            access::Seat {
                role,
                state: head.state,
            },
            || {
                Ok((
                    head.manager.id,
                    head.employee.as_ref().map(|e| e.id),
                    head.group.as_ref().map(|g| g.id),
                ))
            },
        )?;
        allow(access::may_view(seat))?;
        let my_role = seat.role.ok_or(Error::Forbidden)?;
        let check = self.row_check(actor)?;
        let confirmed = self.genuine_confirmations(&head, &check)?;
        let participants = self.participants(&head, &confirmed)?;
        let agenda = self.agenda_of(actor, &head)?;
        let notes = self.notes_of(actor, &head)?;
        let (agreements, earlier) = self.agreements_with_earlier(actor, seat, &head)?;
        let (my_confirmation, changes, summary_tampered) =
            self.my_confirmation(actor, &head, &confirmed, &notes, &agreements)?;
        let owner_choices = owner_choices(&head, &participants);
        let cancellation = self.cancellation(actor, &head, &check)?;
        let state_damaged = match &cancellation {
            Some(c) => c.damaged,
            None => state_damaged(&head, held_sig.as_deref(), &check, &participants),
        };
        let since_last_time = self.since_last_time(actor, &head, earlier)?;
        let can = Can {
            plan_edit: access::may_reschedule(seat),
            add_agenda: access::may_add_agenda(seat),
            add_note: access::may_add_note(seat),
            add_agreement: access::may_add_agreement(seat),
            mark_held: access::may_mark_held(seat),
            confirm: access::may_confirm(seat)
                && !state_damaged
                && my_confirmation.as_ref().map(|c| c.version) != Some(head.summary_version),
            cancel: access::may_cancel(seat),
        };
        let not_marked_held =
            head.state == DialogueState::Planned && head.scheduled_at < self.stamp();
        Ok(DialogueView {
            id: head.id,
            kind: head.kind,
            state: head.state,
            scheduled_at: head.scheduled_at.clone(),
            held_at: head.held_at.clone(),
            manager: head.manager.clone(),
            employee: head.employee.clone(),
            group: head.group.clone(),
            my_role,
            participants,
            agenda,
            notes,
            agreements,
            summary_version: head.summary_version,
            my_confirmation,
            changes_since_my_confirmation: changes,
            state_damaged,
            summary_tampered,
            owner_choices,
            can,
            not_marked_held,
            cancellation,
            since_last_time,
        })
    }

    /// Who took part, with the latest summary version each confirmed, as
    /// their own signatures say.
    fn participants(&self, head: &Head, confirmed: &[Confirmed]) -> Result<Vec<ParticipantView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.name, pa.role
             FROM participant pa JOIN person p ON p.id = pa.person_id
             WHERE pa.dialogue_id = ?1
             ORDER BY CASE pa.role WHEN 'employee' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, p.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([head.id], |r| {
            let id: i64 = r.get(0)?;
            let latest = confirmed
                .iter()
                .filter(|c| c.person == id)
                .max_by_key(|c| (c.version, c.id));
            Ok(ParticipantView {
                id,
                name: r.get(1)?,
                role: r.get(2)?,
                confirmed_version: latest.map(|c| c.version),
                confirmed_at: latest.map(|c| c.at.clone()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Held needs the manager's signature (`sig`) over who was in the room;
/// confirmed also needs everyone's signed confirmation of this version.
fn state_damaged(
    head: &Head,
    sig: Option<&[u8]>,
    check: &RowCheck,
    participants: &[ParticipantView],
) -> bool {
    if head.state == DialogueState::Planned {
        return false;
    }
    let held_at = head.held_at.clone().unwrap_or_default();
    // Who sits in it, as `participant_roles` gives it.
    let mut people: Vec<(i64, &str)> = participants
        .iter()
        .map(|p| (p.id, p.role.as_str()))
        .collect();
    people.sort_unstable();
    let people = people
        .iter()
        .map(|(id, role)| format!("{id}:{role}"))
        .collect::<Vec<_>>()
        .join(",");
    let held = check.genuine(
        "dialogue",
        head.id,
        head.manager.id,
        &held_facts(head, &held_at, &people),
        sig,
    );
    let confirmed = head.state != DialogueState::Confirmed
        || participants
            .iter()
            .all(|p| p.confirmed_version == Some(head.summary_version));
    !(held && confirmed)
}

/// Who sits in a dialogue, as one text: `id:role` sorted by id.
fn participant_roles(conn: &Connection, dialogue: i64) -> Result<String> {
    let mut stmt = conn.prepare_cached(
        "SELECT person_id, role FROM participant WHERE dialogue_id = ?1 ORDER BY person_id",
    )?;
    let rows = stmt.query_map([dialogue], |r| {
        Ok(format!(
            "{}:{}",
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join(","))
}

/// What the manager signs when marking a dialogue held.
fn held_facts<'a>(head: &Head, held_at: &'a str, people: &'a str) -> [Fact<'a>; 6] {
    held_statement(
        head.manager.id,
        head.employee.as_ref().map(|e| e.id),
        head.group.as_ref().map(|g| g.id),
        head.era,
        held_at,
        people,
    )
}

pub(crate) fn held_statement<'a>(
    manager: i64,
    employee: Option<i64>,
    team: Option<i64>,
    era: i64,
    held_at: &'a str,
    people: &'a str,
) -> [Fact<'a>; 6] {
    [
        Fact::Int(manager),
        Fact::OptInt(employee),
        Fact::OptInt(team),
        Fact::Int(era),
        Fact::Text(held_at),
        Fact::Text(people),
    ]
}

/// Who may own a new agreement: any participant, and in a group dialogue
/// the group itself.
fn owner_choices(head: &Head, participants: &[ParticipantView]) -> Vec<Owner> {
    let mut owners: Vec<Owner> = participants
        .iter()
        .map(|p| Owner {
            kind: OwnerKind::Person,
            id: p.id,
            name: p.name.clone(),
        })
        .collect();
    if let Some(g) = &head.group {
        owners.insert(
            0,
            Owner {
                kind: OwnerKind::Group,
                id: g.id,
                name: g.name.clone(),
            },
        );
    }
    owners
}
