//! Cancelling a dialogue: it stays in the history as cancelled, with who
//! cancelled it, when, and an optional reason sealed in its space.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::dialogues::Head;
use super::trusted::RowCheck;
use super::{allow, audit, write, Actor, Tillid};
use crate::codec::FieldRef;
use crate::domain::{access, DialogueState, PersonRef};
use crate::trust::rows::{self, Fact};
use crate::validate::{self, SHORT_TEXT_MAX};
use crate::Result;

/// How a cancelled dialogue was cancelled, as its reader sees it.
#[derive(Debug, Serialize)]
pub struct Cancellation {
    pub by: PersonRef,
    pub at: String,
    pub reason: Option<String>,
    /// Not as the dialogue's manager signed it, or the reason failed its
    /// integrity check (shown empty).
    pub damaged: bool,
}

fn reason_field(head: &Head) -> FieldRef {
    FieldRef {
        table: "dialogue",
        column: "cancel_reason",
        row: head.id,
        space: head.space(),
    }
}

/// What the manager signs when cancelling: the dialogue's relationship and
/// era, when, and the sealed reason.
fn cancel_facts<'a>(head: &Head, at: &'a str, reason: Option<&'a [u8]>) -> [Fact<'a>; 6] {
    [
        Fact::Int(head.manager.id),
        Fact::OptInt(head.employee.as_ref().map(|e| e.id)),
        Fact::OptInt(head.group.as_ref().map(|g| g.id)),
        Fact::Int(head.era),
        Fact::Text(at),
        Fact::Sealed(reason),
    ]
}

impl Tillid {
    /// The manager cancels a planned dialogue, with an optional reason.
    /// Open agenda points carry over to the next dialogue planned, and its
    /// open agreements appear there under "since last time".
    pub fn cancel_dialogue(
        &mut self,
        actor: &Actor,
        dialogue: i64,
        reason: Option<&str>,
    ) -> Result<()> {
        allow(access::may_cancel(self.seat(actor, dialogue)?))?;
        let reason = validate::optional_text("reason", reason, SHORT_TEXT_MAX)?;
        let head = Head::load(&self.conn, dialogue)?;
        if reason.is_some() {
            self.prepare_key(actor.id, head.space())?;
        }
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let sealed = reason
            .as_deref()
            .map(|r| self.vault.seal(actor.id, &reason_field(&head), r))
            .transpose()?;
        let sig = rows::sign_row(
            &key,
            "dialogue_cancel",
            dialogue,
            actor.id,
            &cancel_facts(&head, &now, sealed.as_deref()),
        );
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE dialogue SET state = 'cancelled', cancelled_at = ?2, cancelled_by = ?3,
                    cancel_reason = ?4, cancel_sig = ?5
             WHERE id = ?1 AND state = 'planned'",
            params![dialogue, now, actor.id, sealed, sig],
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "cancel_dialogue",
            "dialogue",
            dialogue,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Who cancelled the dialogue, when and why; `None` unless cancelled.
    pub(super) fn cancellation(
        &self,
        actor: &Actor,
        head: &Head,
        check: &RowCheck,
    ) -> Result<Option<Cancellation>> {
        if head.state != DialogueState::Cancelled {
            return Ok(None);
        }
        type Row = (
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<Vec<u8>>,
            Option<Vec<u8>>,
        );
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT d.cancelled_at, p.id, p.name, d.cancel_reason, d.cancel_sig
                 FROM dialogue d LEFT JOIN person p ON p.id = d.cancelled_by WHERE d.id = ?1",
                [head.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((at, by_id, by_name, reason, sig)) = row else {
            return Ok(None);
        };
        let at = at.unwrap_or_default();
        let by = super::dialogues::opt_ref(by_id, by_name).unwrap_or(PersonRef {
            id: 0,
            name: String::new(),
        });
        // Only the dialogue's manager cancels, and says so with a signature.
        let genuine = by.id == head.manager.id
            && check.genuine(
                "dialogue_cancel",
                head.id,
                by.id,
                &cancel_facts(head, &at, reason.as_deref()),
                sig.as_deref(),
            );
        let (reason, reason_damaged) = match reason {
            Some(sealed) if genuine => {
                let (text, damaged) = self.open_or_damaged(actor, &reason_field(head), &sealed)?;
                (Some(text), damaged)
            }
            Some(_) => (Some(String::new()), true),
            None => (None, false),
        };
        Ok(Some(Cancellation {
            by,
            at,
            reason,
            damaged: !genuine || reason_damaged,
        }))
    }
}
