//! The overviews: a person's home (what is coming, what they owe, what is
//! owed to them) and the history of one relationship.

use std::collections::HashMap;

use chrono::{Days, Local, NaiveDate};
use rusqlite::{params_from_iter, Row, ToSql};
use serde::Serialize;

use super::agreements::{self, Successors};
use super::dialogues::space_of;
use super::trusted::RowCheck;
use super::{allow, Actor, RequestView, Tillid};
use crate::codec::FieldRef;
use crate::domain::{AgreementState, DialogueKind, DialogueState, Owner, OwnerKind, PersonRef};
use crate::{Error, Result};

/// Follow-ups this close are "due soon" on the home view.
pub const DUE_SOON_DAYS: u64 = 14;

#[derive(Debug, Serialize)]
pub struct DialogueBrief {
    pub id: i64,
    pub kind: DialogueKind,
    pub state: DialogueState,
    pub scheduled_at: String,
    /// The other side as the signed-in person sees it: a person or a group.
    pub counterpart: String,
    pub manager: PersonRef,
    pub employee: Option<PersonRef>,
    pub group: Option<PersonRef>,
    pub needs_my_confirmation: bool,
    /// Planned, and its time has passed without it being marked held.
    pub not_marked_held: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgreementBrief {
    pub id: i64,
    pub dialogue_id: i64,
    pub text: String,
    pub owner: Owner,
    pub follow_up_on: Option<String>,
    pub state: AgreementState,
    pub dialogue_scheduled_at: String,
    pub counterpart: String,
    /// Its key has not reached this person yet; `text` is empty.
    pub locked: bool,
    /// It failed its integrity check (damaged or edited outside Tillid);
    /// `text` is empty.
    pub damaged: bool,
}

#[derive(Debug, Serialize)]
pub struct Home {
    pub upcoming: Vec<DialogueBrief>,
    pub to_confirm: Vec<DialogueBrief>,
    pub my_responsibilities: Vec<AgreementBrief>,
    pub owed_to_me: Vec<AgreementBrief>,
    pub overdue: Vec<AgreementBrief>,
    pub due_soon: Vec<AgreementBrief>,
    /// Planned dialogues whose time has passed without being marked held.
    pub not_marked_held: Vec<DialogueBrief>,
    /// Requests for a dialogue from my employees, not yet planned or answered.
    pub requests_to_me: Vec<RequestView>,
    /// My own requests to my manager, newest first.
    pub my_requests: Vec<RequestView>,
    /// Whether I have a manager (by the verified roster) to ask.
    pub can_request: bool,
    /// Earlier managers whose dialogues I have yet to decide about sharing
    /// with my new manager.
    pub handovers: Vec<super::HandoverQuestion>,
    /// For an administrator with a retention setting: how many dialogues
    /// and private notes it would delete today (0 when none).
    pub retention_due: Option<i64>,
}

/// The home's lists of open agreements.
#[derive(Default)]
struct HomeLists {
    mine: Vec<AgreementBrief>,
    owed: Vec<AgreementBrief>,
    overdue: Vec<AgreementBrief>,
    due_soon: Vec<AgreementBrief>,
}

#[derive(Debug, Serialize)]
pub struct Relationship {
    pub person: Option<PersonRef>,
    pub group: Option<PersonRef>,
    pub relation: &'static str,
    pub last_dialogue_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct HistoryDialogue {
    #[serde(flatten)]
    pub dialogue: DialogueBrief,
    pub agreements: Vec<AgreementBrief>,
}

#[derive(Debug, Serialize)]
pub struct RelationshipHistory {
    pub counterpart: PersonRef,
    pub dialogues: Vec<HistoryDialogue>,
}

const DIALOGUE_COLUMNS: &str =
    "d.id, d.kind, d.state, d.scheduled_at, m.id, m.name, e.id, e.name, t.id, t.name,
    d.state = 'held' AND NOT EXISTS (SELECT 1 FROM confirmation c
        WHERE c.dialogue_id = d.id AND c.person_id = ?1 AND c.version = d.summary_version)";
const DIALOGUE_JOINS: &str = "JOIN person m ON m.id = d.manager_id
    LEFT JOIN person e ON e.id = d.employee_id LEFT JOIN team t ON t.id = d.team_id";

fn dialogue_brief(me: i64, now: &str, r: &Row<'_>) -> rusqlite::Result<DialogueBrief> {
    let manager = PersonRef {
        id: r.get(4)?,
        name: r.get(5)?,
    };
    let employee = super::dialogues::opt_ref(r.get(6)?, r.get(7)?);
    let group = super::dialogues::opt_ref(r.get(8)?, r.get(9)?);
    let counterpart = counterpart(me, &manager, employee.as_ref(), group.as_ref());
    let state: DialogueState = r.get(2)?;
    let scheduled_at: String = r.get(3)?;
    Ok(DialogueBrief {
        id: r.get(0)?,
        kind: r.get(1)?,
        not_marked_held: state == DialogueState::Planned && *scheduled_at < *now,
        state,
        scheduled_at,
        counterpart,
        manager,
        employee,
        group,
        needs_my_confirmation: r.get(10)?,
    })
}

fn counterpart(
    me: i64,
    manager: &PersonRef,
    employee: Option<&PersonRef>,
    group: Option<&PersonRef>,
) -> String {
    match (group, employee) {
        (Some(g), _) => g.name.clone(),
        (None, Some(e)) if manager.id == me => e.name.clone(),
        _ => manager.name.clone(),
    }
}

impl Tillid {
    pub fn home(&self, actor: &Actor) -> Result<Home> {
        let today = self.now().with_timezone(&Local).date_naive();
        self.home_on(actor, today)
    }

    /// The home view as it looks on `today` (the person's local date).
    pub fn home_on(&self, actor: &Actor, today: NaiveDate) -> Result<Home> {
        self.snapshot(|| self.home_in(actor, today))
    }

    fn home_in(&self, actor: &Actor, today: NaiveDate) -> Result<Home> {
        let me = actor.id;
        let (planned, mut to_confirm): (Vec<_>, Vec<_>) = self
            .home_dialogues(me)?
            .into_iter()
            .partition(|d| d.state == DialogueState::Planned);
        // Newest first, and by id within one time, as before (a stable sort).
        to_confirm.sort_by(|a, b| b.scheduled_at.cmp(&a.scheduled_at));
        let (not_marked_held, upcoming) = planned.into_iter().partition(|d| d.not_marked_held);
        let soon = today
            .checked_add_days(Days::new(DUE_SOON_DAYS))
            .ok_or(Error::InvalidDate { field: "today" })?;
        let (today, soon) = (
            today.format("%Y-%m-%d").to_string(),
            soon.format("%Y-%m-%d").to_string(),
        );
        // What a new manager took over is theirs now: it leaves the earlier
        // manager's lists and joins the new manager's.
        let given_away = self.given_away(actor)?;
        let mut lists = self.home_agreements(me, &today, &soon)?;
        for list in [
            &mut lists.mine,
            &mut lists.owed,
            &mut lists.overdue,
            &mut lists.due_soon,
        ] {
            list.retain(|a| !given_away.contains(&a.id));
        }
        for a in self.taken_over_agreements(actor)? {
            let follow = a.follow_up_on.as_deref();
            if follow.is_some_and(|f| f < today.as_str()) {
                lists.overdue.push(a.clone());
            }
            if follow.is_some_and(|f| today.as_str() <= f && f <= soon.as_str()) {
                lists.due_soon.push(a.clone());
            }
            lists.mine.push(a);
        }
        let (requests_to_me, my_requests) = self.home_requests(actor)?;
        Ok(Home {
            upcoming,
            to_confirm,
            my_responsibilities: lists.mine,
            owed_to_me: lists.owed,
            overdue: lists.overdue,
            due_soon: lists.due_soon,
            handovers: self.pending_handovers(actor)?,
            retention_due: self.retention_due(actor)?,
            not_marked_held,
            requests_to_me,
            my_requests,
            can_request: self.roster(me).is_ok_and(|r| r.manager_of(me).is_some()),
        })
    }

    /// Open agreements I owned as the manager of a pair whose dialogues
    /// the employee has since shared with a new manager: theirs now.
    fn given_away(&self, actor: &Actor) -> Result<std::collections::HashSet<i64>> {
        // Most managers never handed a pair over: one look, and done.
        let any: bool = self
            .conn
            .prepare_cached(EVER_HANDED_OVER)?
            .query_row([actor.id], |r| r.get(0))?;
        if !any {
            return Ok(Default::default());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, d.employee_id FROM dialogue d JOIN agreement a ON a.dialogue_id = d.id
             WHERE d.manager_id = ?1 AND d.team_id IS NULL AND a.owner_person_id = ?1 AND a.state = 'open'
               AND EXISTS (SELECT 1 FROM handover h WHERE h.employee_id = d.employee_id
                           AND h.old_manager_id = ?1 AND h.decision = 'share')",
        )?;
        let rows = stmt
            .query_map([actor.id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if rows.is_empty() {
            return Ok(Default::default());
        }
        let check = self.row_check(actor)?;
        let mut successors = HashMap::new();
        let mut out = std::collections::HashSet::new();
        for (id, employee) in rows {
            let has = match successors.get(&employee) {
                Some(has) => *has,
                None => {
                    let has = self.successor(&check, actor.id, employee)?.is_some();
                    successors.insert(employee, has);
                    has
                }
            };
            if has {
                out.insert(id);
            }
        }
        Ok(out)
    }

    /// Open agreements an earlier manager owned in dialogues whose pair
    /// was handed over to me with the employee's consent.
    fn taken_over_agreements(&self, actor: &Actor) -> Result<Vec<AgreementBrief>> {
        let check = self.row_check(actor)?;
        let mut out = Vec::new();
        let mut successors = Successors::default();
        for (old, employee) in self.handed_to(&check, actor.id)? {
            let sql = format!(
                "SELECT {AGREEMENT_COLUMNS} FROM dialogue d JOIN agreement a ON a.dialogue_id = d.id {AGREEMENT_JOINS}
                 WHERE d.manager_id = ?1 AND d.employee_id = ?2 AND d.team_id IS NULL
                   AND a.state = 'open' AND a.owner_person_id = ?1
                 ORDER BY coalesce(a.follow_up_on, '9999-12-31'), d.scheduled_at, a.id"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt
                .query_map([old, employee], AgreementRow::read)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for row in rows {
                out.push(self.agreement_brief(actor.id, &check, &mut successors, row)?);
            }
        }
        Ok(out)
    }

    /// The person's planned dialogues and the held ones they have yet to
    /// confirm, in one query.
    fn home_dialogues(&self, me: i64) -> Result<Vec<DialogueBrief>> {
        let sql = home_dialogues_sql();
        let now = self.stamp();
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([me], |r| dialogue_brief(me, &now, r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Open agreements in the person's dialogues that meet `condition`,
    /// whose parameters after the person (?1) are `extra`.
    pub(super) fn open_agreements(
        &self,
        me: i64,
        condition: &str,
        extra: &[&dyn ToSql],
    ) -> Result<Vec<AgreementBrief>> {
        let sql = format!(
            "SELECT {AGREEMENT_COLUMNS} {OPEN_AGREEMENTS_OF_ME} {AGREEMENT_JOINS}
             WHERE me.person_id = ?1 AND a.state = 'open' AND {condition}
             ORDER BY coalesce(a.follow_up_on, '9999-12-31'), d.scheduled_at, a.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(
                params_from_iter(std::iter::once(&me as &dyn ToSql).chain(extra.iter().copied())),
                AgreementRow::read,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let check = self.row_check(&Actor { id: me })?;
        let mut successors = Successors::default();
        rows.into_iter()
            .map(|row| self.agreement_brief(me, &check, &mut successors, row))
            .collect()
    }

    /// The home's four lists of open agreements from one query: each
    /// agreement is read, checked and opened once, however many lists it
    /// is on.
    /// - mine: mine, and my group's when I am one of its members;
    /// - owed to me: the other side's: as employee or member, the
    ///   manager's; as the leader of a group, the group's and its members'
    ///   (a manager's employees' commitments live in the overview);
    /// - overdue: follow-up before today; due soon: from today to `soon`.
    fn home_agreements(&self, me: i64, today: &str, soon: &str) -> Result<HomeLists> {
        let sql = home_agreements_sql();
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([me], |r| {
                Ok((
                    AgreementRow::read(r)?,
                    r.get::<_, bool>(19)?,
                    r.get::<_, bool>(20)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let check = self.row_check(&Actor { id: me })?;
        let mut successors = Successors::default();
        let mut lists = HomeLists::default();
        for (row, as_manager, as_member) in rows {
            let owner = row.owner_id;
            let follow = row.follow_up_on.clone();
            let mine = owner == Some(me) || (owner.is_none() && as_member);
            let owed = owner != Some(me)
                && ((!as_manager && owner.is_some() && owner == Some(row.manager.id))
                    || (as_manager && row.group.is_some()));
            // Overdue and due-soon follow the same owners as the two
            // ledgers: a manager's employees' commitments are in the
            // overview, not here.
            let overdue = (mine || owed) && follow.as_deref().is_some_and(|f| f < today);
            let due_soon =
                (mine || owed) && follow.as_deref().is_some_and(|f| today <= f && f <= soon);
            if !(mine || owed || overdue || due_soon) {
                continue;
            }
            let brief = self.agreement_brief(me, &check, &mut successors, row)?;
            for (on, list) in [
                (mine, &mut lists.mine),
                (owed, &mut lists.owed),
                (overdue, &mut lists.overdue),
                (due_soon, &mut lists.due_soon),
            ] {
                if on {
                    list.push(brief.clone());
                }
            }
        }
        Ok(lists)
    }

    /// The people and groups the signed-in person holds dialogues with.
    pub fn relationships(&self, actor: &Actor) -> Result<Vec<Relationship>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT 'my_manager', m.id, m.name, NULL, NULL,
                    (SELECT max(d.scheduled_at) FROM dialogue d WHERE d.manager_id = m.id AND d.employee_id = p.id)
             FROM person p JOIN person m ON m.id = p.manager_id WHERE p.id = ?1
             UNION ALL
             SELECT 'my_employee', e.id, e.name, NULL, NULL,
                    (SELECT max(d.scheduled_at) FROM dialogue d WHERE d.manager_id = ?1 AND d.employee_id = e.id)
             FROM person e WHERE e.manager_id = ?1
             UNION ALL
             SELECT 'my_group', NULL, NULL, t.id, t.name,
                    (SELECT max(d.scheduled_at) FROM dialogue d WHERE d.team_id = t.id)
             FROM team t WHERE t.leader_id = ?1
             UNION ALL
             SELECT 'group_member', NULL, NULL, t.id, t.name,
                    (SELECT max(d.scheduled_at) FROM dialogue d JOIN participant pa ON pa.dialogue_id = d.id
                     WHERE d.team_id = t.id AND pa.person_id = ?1)
             FROM team t JOIN team_member tm ON tm.team_id = t.id WHERE tm.person_id = ?1",
        )?;
        let rows = stmt.query_map([actor.id], |r| {
            let relation: String = r.get(0)?;
            Ok(Relationship {
                relation: match relation.as_str() {
                    "my_manager" => "my_manager",
                    "my_employee" => "my_employee",
                    "my_group" => "my_group",
                    _ => "group_member",
                },
                person: super::dialogues::opt_ref(r.get(1)?, r.get(2)?),
                group: super::dialogues::opt_ref(r.get(3)?, r.get(4)?),
                last_dialogue_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// All dialogues and agreements between the signed-in person and one
    /// other person or group, newest first.
    pub fn relationship_history(
        &self,
        actor: &Actor,
        person: Option<i64>,
        group: Option<i64>,
    ) -> Result<RelationshipHistory> {
        self.snapshot(|| self.history_in(actor, person, group))
    }

    fn history_in(
        &self,
        actor: &Actor,
        person: Option<i64>,
        group: Option<i64>,
    ) -> Result<RelationshipHistory> {
        let me = actor.id;
        let (counterpart, condition, other) = match (person, group) {
            (Some(p), None) => {
                let name = super::person_name(&self.conn, p)?;
                let related: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM person WHERE (id = ?1 AND manager_id = ?2) OR (id = ?2 AND manager_id = ?1))",
                    [me, p],
                    |r| r.get(0),
                )?;
                (
                    PersonRef { id: p, name },
                    // Both ways round: either may have been the manager.
                    "d.team_id IS NULL AND d.manager_id IN (?1, ?2) AND d.employee_id IN (?1, ?2) AND ?1 <> ?2",
                    (p, related),
                )
            }
            (None, Some(g)) => {
                let row: Option<(String, bool)> = rusqlite::OptionalExtension::optional(self.conn.query_row(
                    "SELECT name, leader_id = ?2 OR EXISTS (SELECT 1 FROM team_member WHERE team_id = ?1 AND person_id = ?2)
                     FROM team WHERE id = ?1",
                    [g, me],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                ))?;
                let (name, related) = row.ok_or(Error::NotFound { what: "group" })?;
                (
                    PersonRef { id: g, name },
                    "d.team_id = ?2 AND EXISTS (SELECT 1 FROM participant x WHERE x.dialogue_id = d.id AND x.person_id = ?1)",
                    (g, related),
                )
            }
            _ => return Err(Error::InvalidInput { field: "person_id" }),
        };
        let (other, related) = other;
        let check = self.row_check(actor)?;
        // The pair's own dialogues, and for a new manager those with the
        // employee's earlier managers that the employee chose to share.
        let mut scopes = vec![(condition, me, other)];
        if person.is_some() {
            for (old, employee) in self.handed_to(&check, me)? {
                if employee == other {
                    scopes.push((
                        "d.team_id IS NULL AND d.manager_id = ?1 AND d.employee_id = ?2",
                        old,
                        employee,
                    ));
                }
            }
        }
        let now = self.stamp();
        let mut dialogues = Vec::new();
        let mut rows = Vec::new();
        for (condition, a, b) in scopes {
            let sql = format!(
                "SELECT {DIALOGUE_COLUMNS} FROM dialogue d {DIALOGUE_JOINS} WHERE {condition}"
            );
            // ?1 in the columns is the reader; in a shared scope it is the
            // earlier manager, whose confirmation state is not the reader's.
            let mut stmt = self.conn.prepare_cached(&sql)?;
            dialogues.extend(
                stmt.query_map([a, b], |r| dialogue_brief(me, &now, r))?
                    .collect::<rusqlite::Result<Vec<_>>>()?
                    .into_iter()
                    .map(|mut d| {
                        if a != me {
                            d.needs_my_confirmation = false;
                        }
                        d
                    }),
            );
            let sql = format!(
                "SELECT {AGREEMENT_COLUMNS} FROM dialogue d JOIN agreement a ON a.dialogue_id = d.id {AGREEMENT_JOINS}
                 WHERE {condition} ORDER BY a.id"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            rows.extend(
                stmt.query_map([a, b], AgreementRow::read)?
                    .collect::<rusqlite::Result<Vec<_>>>()?,
            );
        }
        dialogues.sort_by(|x, y| y.scheduled_at.cmp(&x.scheduled_at).then(y.id.cmp(&x.id)));
        // Someone you never had a dialogue with, and who is neither your
        // manager, your employee nor your group, is none of your business.
        allow(related || !dialogues.is_empty())?;

        let mut by_dialogue: HashMap<i64, Vec<AgreementBrief>> = HashMap::new();
        let mut successors = Successors::default();
        for row in rows {
            let brief = self.agreement_brief(me, &check, &mut successors, row)?;
            by_dialogue
                .entry(brief.dialogue_id)
                .or_default()
                .push(brief);
        }
        let dialogues = dialogues
            .into_iter()
            .map(|dialogue| HistoryDialogue {
                agreements: by_dialogue.remove(&dialogue.id).unwrap_or_default(),
                dialogue,
            })
            .collect();
        Ok(RelationshipHistory {
            counterpart,
            dialogues,
        })
    }

    fn agreement_brief(
        &self,
        me: i64,
        check: &RowCheck,
        successors: &mut Successors,
        row: AgreementRow,
    ) -> Result<AgreementBrief> {
        let space = space_of(
            row.manager.id,
            row.employee.as_ref().map(|e| e.id),
            row.group.as_ref().map(|g| g.id),
            row.era,
        );
        let field = FieldRef {
            table: "agreement",
            column: "body",
            row: row.id,
            space,
        };
        // Listed even while its key has not reached this person yet, so no
        // responsibility silently drops off the home view.
        // Its wording is the creator's or the manager's, as signed.
        let genuine = (row.signer == row.created_by || row.signer == row.manager.id)
            && check.genuine(
                "agreement",
                row.id,
                row.signer,
                &agreements::signed(
                    row.dialogue_id,
                    row.created_by,
                    row.owner_id,
                    row.follow_up_on.as_deref(),
                    &row.body,
                    row.if_then.as_deref(),
                ),
                row.sig.as_deref(),
            );
        let opened = if genuine {
            self.open_as(&Actor { id: me }, &field, &row.body)
        } else {
            Err(Error::Integrity)
        };
        let (text, locked, damaged) = match opened {
            Ok(text) => (text, false, false),
            Err(Error::KeyPending { .. }) => (String::new(), true, false),
            // One damaged or forged item shows as such; the rest still works.
            Err(Error::Integrity) => (String::new(), false, true),
            Err(e) => return Err(e),
        };
        let taken = self.taken_over_by(
            check,
            successors,
            row.manager.id,
            row.employee.as_ref().map(|e| e.id),
            row.owner_id,
            row.state == AgreementState::Open,
        )?;
        let (owner_id, owner_name) = match taken {
            Some(successor) => (Some(successor.id), Some(successor.name)),
            None => (row.owner_id, row.owner_name),
        };
        let owner = match (owner_id, owner_name, &row.group) {
            (Some(id), Some(name), _) => Owner {
                kind: OwnerKind::Person,
                id,
                name,
            },
            (None, _, Some(g)) => Owner {
                kind: OwnerKind::Group,
                id: g.id,
                name: g.name.clone(),
            },
            _ => return Err(Error::Integrity),
        };
        Ok(AgreementBrief {
            id: row.id,
            dialogue_id: row.dialogue_id,
            text,
            owner,
            follow_up_on: row.follow_up_on,
            state: row.state,
            dialogue_scheduled_at: row.scheduled_at,
            counterpart: counterpart(me, &row.manager, row.employee.as_ref(), row.group.as_ref()),
            locked,
            damaged,
        })
    }
}

const AGREEMENT_COLUMNS: &str =
    "a.id, a.dialogue_id, a.body, a.owner_person_id, o.name, a.follow_up_on, a.state,
    d.scheduled_at, m.id, m.name, e.id, e.name, t.id, t.name, d.era,
    a.if_then, a.created_by, coalesce(a.signer_id, a.created_by), a.sig";
/// Whether the person, as a pair's earlier manager, ever shared it on.
const EVER_HANDED_OVER: &str =
    "SELECT EXISTS (SELECT 1 FROM handover WHERE old_manager_id = ?1 AND decision = 'share')";

/// Each of the person's dialogues is looked up in the open dialogues' own
/// index (0011), not in the whole workplace's history, the person's own
/// list as the outer loop. Named (`INDEXED BY`) and held in that order
/// (`CROSS JOIN`): SQLite picks the index by itself only once its
/// statistics show how few dialogues are open, and on a file without them
/// it looked each dialogue up in the whole table. The IN term is the
/// index's own condition, without which it cannot be used.
fn home_dialogues_sql() -> String {
    format!(
        "SELECT {DIALOGUE_COLUMNS} FROM participant p
         CROSS JOIN dialogue d INDEXED BY dialogue_open ON d.id = p.dialogue_id {DIALOGUE_JOINS}
         WHERE p.person_id = ?1 AND d.state IN ('planned', 'held')
           AND (d.state = 'planned' OR (d.state = 'held' AND NOT EXISTS (SELECT 1 FROM confirmation c
               WHERE c.dialogue_id = d.id AND c.person_id = ?1 AND c.version = d.summary_version)))
         ORDER BY d.scheduled_at, d.id"
    )
}

fn home_agreements_sql() -> String {
    format!(
        "SELECT {AGREEMENT_COLUMNS}, me.role = 'manager', me.role = 'member'
         {OPEN_AGREEMENTS_OF_ME} {AGREEMENT_JOINS}
         WHERE me.person_id = ?1 AND a.state = 'open'
         ORDER BY coalesce(a.follow_up_on, '9999-12-31'), d.scheduled_at, a.id"
    )
}

/// A person's dialogues' open agreements, found through the index of open
/// ones (0011): agreements first, then their dialogues, so a dialogue with
/// nothing open is never read. `CROSS JOIN` holds SQLite to that order:
/// left to itself, even with fresh statistics, it looked up every dialogue
/// first (`EXPLAIN QUERY PLAN` on a seeded workplace). Every query that
/// uses it has `a.state = 'open'`, the index's own condition, without
/// which `INDEXED BY` refuses to prepare (a test would fail, not a person).
const OPEN_AGREEMENTS_OF_ME: &str = "FROM participant me
    CROSS JOIN agreement a INDEXED BY agreement_open ON a.dialogue_id = me.dialogue_id
    CROSS JOIN dialogue d ON d.id = a.dialogue_id";
const AGREEMENT_JOINS: &str =
    "LEFT JOIN person o ON o.id = a.owner_person_id JOIN person m ON m.id = d.manager_id
    LEFT JOIN person e ON e.id = d.employee_id LEFT JOIN team t ON t.id = d.team_id";

/// One row of [`AGREEMENT_COLUMNS`], still sealed.
struct AgreementRow {
    id: i64,
    dialogue_id: i64,
    body: Vec<u8>,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    follow_up_on: Option<String>,
    state: AgreementState,
    scheduled_at: String,
    manager: PersonRef,
    employee: Option<PersonRef>,
    group: Option<PersonRef>,
    era: i64,
    if_then: Option<Vec<u8>>,
    created_by: i64,
    signer: i64,
    sig: Option<Vec<u8>>,
}

impl AgreementRow {
    fn read(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(AgreementRow {
            id: r.get(0)?,
            dialogue_id: r.get(1)?,
            body: r.get(2)?,
            owner_id: r.get(3)?,
            owner_name: r.get(4)?,
            follow_up_on: r.get(5)?,
            state: r.get(6)?,
            scheduled_at: r.get(7)?,
            manager: PersonRef {
                id: r.get(8)?,
                name: r.get(9)?,
            },
            employee: super::dialogues::opt_ref(r.get(10)?, r.get(11)?),
            group: super::dialogues::opt_ref(r.get(12)?, r.get(13)?),
            era: r.get(14)?,
            if_then: r.get(15)?,
            created_by: r.get(16)?,
            signer: r.get(17)?,
            sig: r.get(18)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::{home_agreements_sql, home_dialogues_sql, EVER_HANDED_OVER};

    /// The plan's steps, one per line, in the order SQLite runs them.
    fn plan(sql: &str) -> Vec<String> {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::migrate(&mut conn).unwrap();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([1], |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    fn step(plan: &[String], table: &str) -> usize {
        plan.iter()
            .position(|s| s.starts_with(&format!("SEARCH {table} ")))
            .unwrap_or_else(|| panic!("no step for {table} in {plan:#?}"))
    }

    // The home grows with a person's open work, not with the workplace's
    // history: settled dialogues and agreements are never read. A change
    // of query or index that brings the history back fails here, not only
    // in a benchmark nobody runs.
    #[test]
    fn the_home_reads_only_open_dialogues() {
        let plan = plan(&home_dialogues_sql());
        let d = &plan[step(&plan, "d")];
        assert!(d.contains("COVERING INDEX dialogue_open"), "{plan:#?}");
        let p = &plan[step(&plan, "p")];
        assert!(p.contains("COVERING INDEX participant_person"), "{plan:#?}");
    }

    #[test]
    fn the_home_reads_only_open_agreements_and_their_dialogues() {
        let plan = plan(&home_agreements_sql());
        assert!(
            plan[step(&plan, "me")].contains("COVERING INDEX participant_person"),
            "{plan:#?}"
        );
        let a = step(&plan, "a");
        assert!(plan[a].contains("INDEX agreement_open"), "{plan:#?}");
        assert!(
            a < step(&plan, "d"),
            "agreements before dialogues: {plan:#?}"
        );
    }

    #[test]
    fn a_managers_home_asks_about_handovers_by_their_own_entries() {
        let plan = plan(EVER_HANDED_OVER);
        let h = &plan[step(&plan, "handover")];
        assert!(h.contains("INDEX handover_old_manager"), "{plan:#?}");
    }
}
