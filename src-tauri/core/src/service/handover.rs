//! A new manager and the history before them. When the roster gives an
//! employee a new manager, the employee decides, once per earlier manager,
//! whether the new manager may read the dialogues they had with the earlier
//! one and take over the open agreements the earlier manager owned.
//!
//! The decision is a statement the employee signs, so an edit of the file
//! can neither invent a consent nor turn a "no" into a "yes". Sharing wraps
//! the earlier pair's key to the new manager, who then reads what was
//! shared in those dialogues (never the earlier manager's private notes,
//! which are sealed with that manager's own key). The earlier manager keeps
//! read access to what they took part in. Without consent the new manager
//! starts afresh, and the employee's own view keeps everything.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::agreements::Successors;
use super::keys::{space_id, space_key_aad};
use super::trusted::RowCheck;
use super::{allow, audit, next_id, write, Actor, Tillid};
use crate::codec::Space;
use crate::crypto::wrap;
use crate::domain::{access, PersonRef};
use crate::trust::rows::{self, Fact};
use crate::{Error, Result};

/// An earlier manager whose history the employee has yet to decide about.
#[derive(Debug, Serialize)]
pub struct HandoverQuestion {
    pub old_manager: PersonRef,
    pub new_manager: PersonRef,
    /// Dialogues held or planned with the earlier manager.
    pub dialogues: i64,
    /// Open agreements the earlier manager owns in them.
    pub open_agreements: i64,
}

/// What the employee's signature on a decision covers.
fn signed<'a>(old: i64, new: i64, decision: &'a str, at: &'a str) -> [Fact<'a>; 4] {
    [
        Fact::Int(old),
        Fact::Int(new),
        Fact::Text(decision),
        Fact::Text(at),
    ]
}

/// One stored decision, not yet checked.
struct Decision {
    id: i64,
    employee: i64,
    old: i64,
    new: i64,
    share: bool,
    at: String,
    sig: Vec<u8>,
}

impl Decision {
    fn genuine(&self, check: &RowCheck) -> bool {
        let decision = if self.share { "share" } else { "decline" };
        check.genuine(
            "handover",
            self.id,
            self.employee,
            &signed(self.old, self.new, decision, &self.at),
            Some(&self.sig),
        )
    }
}

const DECISION_COLUMNS: &str =
    "id, employee_id, old_manager_id, new_manager_id, decision = 'share', decided_at, sig";

fn read_decision(r: &rusqlite::Row<'_>) -> rusqlite::Result<Decision> {
    Ok(Decision {
        id: r.get(0)?,
        employee: r.get(1)?,
        old: r.get(2)?,
        new: r.get(3)?,
        share: r.get(4)?,
        at: r.get(5)?,
        sig: r.get(6)?,
    })
}

impl Tillid {
    /// The earlier managers the signed-in employee has dialogues with and
    /// has not yet decided about for their present manager. Empty while the
    /// present manager has no keys yet (nothing could be shared with them).
    pub fn pending_handovers(&self, actor: &Actor) -> Result<Vec<HandoverQuestion>> {
        let me = actor.id;
        let Ok(roster) = self.roster(me) else {
            return Ok(Vec::new());
        };
        let Some(new) = roster.manager_of(me) else {
            return Ok(Vec::new());
        };
        let Some(new_entry) = roster.people.get(&new) else {
            return Ok(Vec::new());
        };
        if roster.keys_of(new).is_none() {
            return Ok(Vec::new());
        }
        // Most people never had another manager: one short look, and done.
        let any: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM dialogue d
                 WHERE d.employee_id = ?1 AND d.team_id IS NULL AND d.manager_id NOT IN (?1, ?2)
                   AND d.state <> 'cancelled')",
            )?
            .query_row([me, new], |r| r.get(0))?;
        if !any {
            return Ok(Vec::new());
        }
        let check = self.row_check(actor)?;
        let decided: Vec<i64> = self
            .decisions("employee_id = ?1 AND new_manager_id = ?2", [me, new])?
            .into_iter()
            .filter(|d| d.genuine(&check))
            .map(|d| d.old)
            .collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.manager_id, m.name, count(*),
                    (SELECT count(*) FROM agreement a JOIN dialogue x ON x.id = a.dialogue_id
                     WHERE x.manager_id = d.manager_id AND x.employee_id = ?1 AND x.team_id IS NULL
                       AND a.state = 'open' AND a.owner_person_id = d.manager_id)
             FROM dialogue d JOIN person m ON m.id = d.manager_id
             WHERE d.employee_id = ?1 AND d.team_id IS NULL AND d.manager_id NOT IN (?1, ?2)
               AND d.state <> 'cancelled'
             GROUP BY d.manager_id ORDER BY m.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([me, new], |r| {
            Ok(HandoverQuestion {
                old_manager: PersonRef {
                    id: r.get(0)?,
                    name: r.get(1)?,
                },
                new_manager: PersonRef {
                    id: new,
                    name: new_entry.name.clone(),
                },
                dialogues: r.get(2)?,
                open_agreements: r.get(3)?,
            })
        })?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|q| !decided.contains(&q.old_manager.id))
            .collect())
    }

    /// Records the employee's decision about the dialogues with
    /// `old_manager`, for the manager the verified roster gives them now.
    /// Sharing wraps that pair's key to the new manager in the same
    /// transaction as the signed decision.
    pub fn decide_handover(&mut self, actor: &Actor, old_manager: i64, share: bool) -> Result<()> {
        let me = actor.id;
        let asked = self
            .pending_handovers(actor)?
            .into_iter()
            .find(|q| q.old_manager.id == old_manager);
        allow(access::may_decide_handover(asked.is_some()))?;
        let Some(asked) = asked else {
            return Err(Error::Forbidden);
        };
        let new = asked.new_manager.id;
        let space = Space::Pair {
            manager: old_manager,
            employee: me,
        };
        let wrapped = if share {
            // The employee can only share a key they hold.
            let key = self.key_for(me, space)?;
            let roster = self.roster(me)?;
            let keys = roster.keys_of(new).ok_or(Error::Forbidden)?;
            let row = space_id(&self.conn, space)?.ok_or(Error::Integrity)?;
            Some((
                row,
                wrap::wrap_to_public(&keys.x25519, &space_key_aad(space, new), &key)?,
            ))
        } else {
            None
        };
        let decision = if share { "share" } else { "decline" };
        let signing = self.signing_key(me)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        // A row in the way that did not verify (edited outside Tillid)
        // gives way to the employee's real decision.
        tx.execute(
            "DELETE FROM handover WHERE employee_id = ?1 AND old_manager_id = ?2 AND new_manager_id = ?3",
            params![me, old_manager, new],
        )?;
        let id = next_id(&tx, "handover")?;
        let sig = rows::sign_row(
            &signing,
            "handover",
            id,
            me,
            &signed(old_manager, new, decision, &now),
        );
        tx.execute(
            "INSERT INTO handover (id, employee_id, old_manager_id, new_manager_id, decision, decided_at, sig)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, me, old_manager, new, decision, now, sig],
        )?;
        if let Some((row, wrapped)) = wrapped {
            tx.execute(
                "INSERT OR REPLACE INTO space_key (space_id, person_id, wrapped) VALUES (?1, ?2, ?3)",
                params![row, new, wrapped],
            )?;
        }
        let action = if share {
            "handover_share"
        } else {
            "handover_decline"
        };
        audit(&tx, &now, Some(me), action, "handover", id)?;
        tx.commit()?;
        Ok(())
    }

    /// The manager who took over the dialogues between `manager` and
    /// `employee` with the employee's genuine consent, as `check`'s reader
    /// trusts the roster: the newest such consent wins.
    pub(crate) fn successor(
        &self,
        check: &RowCheck,
        manager: i64,
        employee: i64,
    ) -> Result<Option<PersonRef>> {
        let mut found = self
            .decisions(
                "employee_id = ?1 AND old_manager_id = ?2 AND decision = 'share'",
                [employee, manager],
            )?
            .into_iter()
            .filter(|d| d.genuine(check))
            .collect::<Vec<_>>();
        found.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
        let Some(last) = found.pop() else {
            return Ok(None);
        };
        let name = super::person_name(&self.conn, last.new)?;
        Ok(Some(PersonRef { id: last.new, name }))
    }

    /// The earlier pairs (manager, employee) whose dialogues were shared
    /// with `me` by a genuine consent that still stands (no newer consent
    /// moved them on to someone else).
    pub(crate) fn handed_to(&self, check: &RowCheck, me: i64) -> Result<Vec<(i64, i64)>> {
        let mine = self.decisions("new_manager_id = ?1 AND decision = 'share'", [me])?;
        let mut out = Vec::new();
        for d in mine.into_iter().filter(|d| d.genuine(check)) {
            if self
                .successor(check, d.old, d.employee)?
                .is_some_and(|s| s.id == me)
                && !out.contains(&(d.old, d.employee))
            {
                out.push((d.old, d.employee));
            }
        }
        Ok(out)
    }

    /// Whether `me` reads dialogue `dialogue` as the successor of its
    /// manager.
    pub(crate) fn reads_as_successor(&self, me: i64, dialogue: i64) -> Result<bool> {
        let pair: Option<(i64, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT manager_id, employee_id FROM dialogue WHERE id = ?1 AND team_id IS NULL",
                [dialogue],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((manager, Some(employee))) = pair else {
            return Ok(false);
        };
        if manager == me || employee == me {
            return Ok(false);
        }
        let check = self.row_check(&Actor { id: me })?;
        Ok(self
            .successor(&check, manager, employee)?
            .is_some_and(|s| s.id == me))
    }

    fn decisions<const N: usize>(&self, condition: &str, args: [i64; N]) -> Result<Vec<Decision>> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM handover WHERE {condition}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), read_decision)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tillid {
    /// Who answers for an agreement now, if not its recorded owner: an open
    /// agreement the earlier manager of a pair owned passes to the manager
    /// who took the pair's dialogues over with the employee's consent.
    /// `successors` remembers each pair's answer for the rest of a view.
    pub(super) fn taken_over_by(
        &self,
        check: &RowCheck,
        successors: &mut Successors,
        manager: i64,
        employee: Option<i64>,
        owner: Option<i64>,
        open: bool,
    ) -> Result<Option<PersonRef>> {
        match employee {
            Some(employee) if open && owner == Some(manager) => {
                successors.of(self, check, manager, employee)
            }
            _ => Ok(None),
        }
    }
}

impl Tillid {
    /// The genuine decisions `employee` made, as `actor` trusts the roster:
    /// what an export holds about them.
    pub(crate) fn handover_decisions(
        &self,
        actor: &Actor,
        employee: i64,
    ) -> Result<Vec<super::export::ExportHandover>> {
        let check = self.row_check(actor)?;
        let mut out = Vec::new();
        for d in self.decisions("employee_id = ?1 ORDER BY decided_at, id", [employee])? {
            if !d.genuine(&check) {
                continue;
            }
            out.push(super::export::ExportHandover {
                old_manager: PersonRef {
                    id: d.old,
                    name: super::person_name(&self.conn, d.old)?,
                },
                new_manager: PersonRef {
                    id: d.new,
                    name: super::person_name(&self.conn, d.new)?,
                },
                decision: if d.share { "share" } else { "decline" },
                decided_at: d.at,
            });
        }
        Ok(out)
    }
}
