//! "Since last time": every agreement still open from earlier dialogues of
//! the same relationship (the same manager and employee, or the same
//! group), with what changed on each since. A dialogue postponed, cancelled
//! or with another one in between loses nothing that is still open.

use serde::Serialize;

use super::dialogues::Head;
use super::{Actor, AgreementView, Tillid};
use crate::domain::{access, AgreementState, DialogueKind, DialogueState};
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

impl Tillid {
    /// The open agreements of earlier dialogues in `head`'s relationship
    /// that the reader took part in and holds the key to, oldest first.
    pub(super) fn since_last_time(&self, actor: &Actor, head: &Head) -> Result<Vec<SinceItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id FROM dialogue d
             WHERE d.id <> ?1 AND d.manager_id = ?2 AND d.employee_id IS ?3 AND d.team_id IS ?4
               AND (d.scheduled_at < ?5 OR (d.scheduled_at = ?5 AND d.id < ?1))
               AND EXISTS (SELECT 1 FROM agreement a WHERE a.dialogue_id = d.id AND a.state = 'open')
             ORDER BY d.scheduled_at, d.id",
        )?;
        let earlier = stmt
            .query_map(
                rusqlite::params![
                    head.id,
                    head.manager.id,
                    head.employee.as_ref().map(|e| e.id),
                    head.group.as_ref().map(|g| g.id),
                    head.scheduled_at
                ],
                |r| r.get::<_, i64>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut items = Vec::new();
        for id in earlier {
            // Only what the reader may read: dialogues they took part in.
            let seat = self.seat(actor, id)?;
            if !access::may_view(seat) {
                continue;
            }
            let earlier = Head::load(&self.conn, id)?;
            let agreements = match self.agreements_in(actor, seat, &earlier, true) {
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
