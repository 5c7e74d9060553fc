//! "Since last time": every agreement still open from earlier dialogues of
//! the same relationship (the same manager and employee, or the same
//! group), with what changed on each since. A dialogue postponed, cancelled
//! or with another one in between loses nothing that is still open.

use serde::Serialize;

use std::collections::HashMap;

use super::agreements::{AgreementRow, Successors, UpdateRow};
use super::dialogues::Head;
use super::trusted::RowCheck;
use super::{Actor, AgreementView, Tillid};
use crate::domain::access::{self, Seat};
use crate::domain::{AgreementState, DialogueKind, DialogueState, Role};
use crate::{Error, Result};

/// One open agreement from an earlier dialogue, with where it was made.
#[derive(Debug, Serialize)]
pub struct SinceItem {
    pub dialogue_id: i64,
    pub dialogue_kind: DialogueKind,
    pub dialogue_state: DialogueState,
    pub dialogue_scheduled_at: String,
    #[serde(flatten)]
    pub agreement: AgreementView,
}

/// What "since last time" still needs after the dialogue's own agreements
/// were read together with the earlier ones: the earlier rows, their
/// updates, and what was already checked.
pub(super) struct Earlier {
    rows: HashMap<i64, Vec<AgreementRow>>,
    updates: HashMap<i64, Vec<UpdateRow>>,
    check: RowCheck,
    successors: Successors,
}

/// The earlier dialogues of `head`'s relationship, over `dialogue d`
/// (parameters ?1 to ?5 as [`Tillid::agreements_with_earlier`] binds them).
const EARLIER: &str = "d.id <> ?1 AND d.manager_id = ?2 AND d.employee_id IS ?3 AND d.team_id IS ?4
       AND (d.scheduled_at < ?5 OR (d.scheduled_at = ?5 AND d.id < ?1))";

impl Tillid {
    /// The dialogue's own agreements, and the open agreements of the
    /// earlier dialogues of its relationship with their updates, read
    /// together: two queries, however many dialogues and agreements.
    pub(super) fn agreements_with_earlier(
        &self,
        actor: &Actor,
        seat: Seat,
        head: &Head,
    ) -> Result<(Vec<AgreementView>, Earlier)> {
        let condition = format!("(d.id = ?1 OR ({EARLIER} AND a.state = 'open'))");
        let employee = head.employee.as_ref().map(|e| e.id);
        let group = head.group.as_ref().map(|g| g.id);
        let args = rusqlite::params![head.id, head.manager.id, employee, group, head.scheduled_at];
        let joins = "JOIN dialogue d ON d.id = a.dialogue_id";
        let mut rows: HashMap<i64, Vec<AgreementRow>> = HashMap::new();
        for row in self.agreement_rows(&condition, args, joins)? {
            rows.entry(row.dialogue).or_default().push(row);
        }
        let mut updates = self.update_rows(&condition, args, joins)?;
        let check = self.row_check(actor)?;
        let mut successors = Successors::default();
        let own = rows.remove(&head.id).unwrap_or_default();
        let own = self.agreement_views(
            actor,
            seat,
            head,
            own,
            &mut updates,
            &check,
            &mut successors,
        )?;
        Ok((
            own,
            Earlier {
                rows,
                updates,
                check,
                successors,
            },
        ))
    }

    /// The open agreements of earlier dialogues in `head`'s relationship
    /// that the reader took part in and holds the key to, oldest first,
    /// from what [`agreements_with_earlier`](Self::agreements_with_earlier)
    /// read; one more query for those dialogues, if there are any.
    pub(super) fn since_last_time(
        &self,
        actor: &Actor,
        head: &Head,
        earlier: Earlier,
    ) -> Result<Vec<SinceItem>> {
        let Earlier {
            mut rows,
            mut updates,
            check,
            mut successors,
        } = earlier;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        // The earlier dialogues with an open agreement, with the reader's
        // participant row in each.
        let sql = format!(
            "SELECT {}, p.role FROM dialogue d {}
             LEFT JOIN participant p ON p.dialogue_id = d.id AND p.person_id = ?6
             WHERE {EARLIER}
               AND EXISTS (SELECT 1 FROM agreement a WHERE a.dialogue_id = d.id AND a.state = 'open')
             ORDER BY d.scheduled_at, d.id",
            Head::COLUMNS,
            Head::JOINS,
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let dialogues = stmt
            .query_map(
                rusqlite::params![
                    head.id,
                    head.manager.id,
                    head.employee.as_ref().map(|e| e.id),
                    head.group.as_ref().map(|g| g.id),
                    head.scheduled_at,
                    actor.id
                ],
                |r| Ok((Head::read(r, 0)?, r.get::<_, Option<Role>>(13)?)),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        let mut items = Vec::new();
        for (earlier, role) in dialogues {
            // Only what the reader may read: dialogues they took part in.
            let seat = self.settle_seat(
                actor,
                earlier.id,
                Seat {
                    role,
                    state: earlier.state,
                },
                || {
                    Ok((
                        earlier.manager.id,
                        earlier.employee.as_ref().map(|e| e.id),
                        earlier.group.as_ref().map(|g| g.id),
                    ))
                },
            )?;
            if !access::may_view(seat) {
                continue;
            }
            let list = rows.remove(&earlier.id).unwrap_or_default();
            let agreements = match self.agreement_views(
                actor,
                seat,
                &earlier,
                list,
                &mut updates,
                &check,
                &mut successors,
            ) {
                Ok(list) => list,
                // A group era whose key has not reached them yet.
                Err(Error::KeyPending { .. }) | Err(Error::Forbidden) => continue,
                Err(e) => return Err(e),
            };
            items.extend(
                agreements
                    .into_iter()
                    .filter(|a| a.state == AgreementState::Open)
                    .map(|agreement| SinceItem {
                        dialogue_id: earlier.id,
                        dialogue_kind: earlier.kind,
                        dialogue_state: earlier.state,
                        dialogue_scheduled_at: earlier.scheduled_at.clone(),
                        agreement,
                    }),
            );
        }
        Ok(items)
    }
}
