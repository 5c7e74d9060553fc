//! Confirmation of a dialogue's summary: its agreements and shared notes.
//! Each confirmation keeps the version and a copy of what was confirmed, so
//! that after a later change a participant sees exactly what changed.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::dialogues::Head;
use super::trusted::RowCheck;
use super::{allow, audit, next_id, write, Actor, AgreementView, NoteView, Tillid};
use crate::codec::FieldRef;
use crate::domain::{access, DialogueState, Owner};
use crate::trust::rows::{self, Fact};
use crate::{Error, Result};

#[derive(Debug, Serialize)]
pub struct MyConfirmation {
    pub version: i64,
    pub at: String,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Change {
    pub what: &'static str,
    pub change: &'static str,
    pub text: String,
}

/// One line of the summary as a participant confirmed it.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Entry {
    what: String,
    id: i64,
    text: String,
    /// Everything else that was agreed (owner, follow-up date, if-then plan),
    /// compared to notice changes.
    detail: String,
}

/// What a confirmation's signature covers: the dialogue, the summary
/// version and the sealed copy of what was confirmed.
pub(crate) fn signed(dialogue: i64, version: i64, snapshot: &[u8]) -> [Fact<'_>; 3] {
    [
        Fact::Int(dialogue),
        Fact::Int(version),
        Fact::Sealed(Some(snapshot)),
    ]
}

/// A confirmation whose signature is its confirmer's.
pub(crate) struct Confirmed {
    pub id: i64,
    pub person: i64,
    pub version: i64,
    pub snapshot: Vec<u8>,
    pub at: String,
}

pub(crate) fn snapshot_ref(id: i64, head: &Head) -> FieldRef {
    FieldRef {
        table: "confirmation",
        column: "snapshot",
        row: id,
        space: head.space(),
    }
}

impl Entry {
    pub(crate) fn agreement(
        id: i64,
        text: &str,
        owner: &Owner,
        follow_up_on: Option<&str>,
        if_then: Option<&str>,
    ) -> Self {
        Entry {
            what: "agreement".into(),
            id,
            text: text.to_owned(),
            detail: format!(
                "{:?}|{}|{}|{}",
                owner.kind,
                owner.id,
                follow_up_on.unwrap_or(""),
                if_then.unwrap_or("")
            ),
        }
    }

    pub(crate) fn note(id: i64, text: &str) -> Self {
        Entry {
            what: "note".into(),
            id,
            text: text.to_owned(),
            detail: String::new(),
        }
    }
}

fn entries(notes: &[NoteView], agreements: &[AgreementView]) -> Vec<Entry> {
    let agreed = agreements.iter().map(|a| {
        Entry::agreement(
            a.id,
            &a.text,
            &a.owner,
            a.follow_up_on.as_deref(),
            a.if_then.as_deref(),
        )
    });
    let shared = notes
        .iter()
        .filter(|n| !n.private)
        .map(|n| Entry::note(n.id, &n.text));
    agreed.chain(shared).collect()
}

/// The stored form of a confirmed summary.
pub(crate) fn snapshot_text(entries: &[Entry]) -> Result<String> {
    serde_json::to_string(entries).map_err(|e| Error::Storage(e.to_string()))
}

fn word(what: &str) -> &'static str {
    if what == "agreement" {
        "agreement"
    } else {
        "note"
    }
}

/// What differs between the summary as confirmed and as it is now.
fn diff(before: &[Entry], now: &[Entry]) -> Vec<Change> {
    let find =
        |list: &[Entry], e: &Entry| list.iter().position(|x| x.what == e.what && x.id == e.id);
    let mut changes = Vec::new();
    for e in now {
        match find(before, e) {
            None => changes.push(Change {
                what: word(&e.what),
                change: "added",
                text: e.text.clone(),
            }),
            Some(i) if before[i] != *e => changes.push(Change {
                what: word(&e.what),
                change: "changed",
                text: e.text.clone(),
            }),
            Some(_) => {}
        }
    }
    for e in before.iter().filter(|e| find(now, e).is_none()) {
        changes.push(Change {
            what: word(&e.what),
            change: "removed",
            text: e.text.clone(),
        });
    }
    changes
}

impl Tillid {
    /// Confirms the summary at `version`, the one the participant saw. When
    /// everyone has confirmed the current version the dialogue is confirmed.
    pub fn confirm_summary(&mut self, actor: &Actor, dialogue: i64, version: i64) -> Result<()> {
        let seat = self.seat(actor, dialogue)?;
        allow(seat.takes_part())?;
        if !access::may_confirm(seat) {
            return Err(Error::WrongState {
                state: seat.state.as_str(),
            });
        }
        let head = Head::load(&self.conn, dialogue)?;
        if version != head.summary_version {
            return Err(Error::SummaryChanged);
        }
        let notes = self.notes_of(actor, &head)?;
        let agreements = self.agreements_of(actor, seat, &head)?;
        // No one confirms a summary with a damaged line in it.
        if notes.iter().any(|n| n.damaged) || agreements.iter().any(|a| a.damaged) {
            return Err(Error::Integrity);
        }
        let snapshot = snapshot_text(&entries(&notes, &agreements))?;
        self.prepare_key(actor.id, head.space())?;
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let id = next_id(&tx, "confirmation")?;
        let sealed = self
            .vault
            .seal(actor.id, &snapshot_ref(id, &head), &snapshot)?;
        let sig = rows::sign_row(
            &key,
            "confirmation",
            id,
            actor.id,
            &signed(dialogue, version, &sealed),
        );
        tx.execute(
            "INSERT INTO confirmation (id, dialogue_id, person_id, version, snapshot, at, sig)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, dialogue, actor.id, version, sealed, now, sig],
        )?;
        let waiting: i64 = tx.query_row(
            "SELECT count(*) FROM participant p WHERE p.dialogue_id = ?1 AND NOT EXISTS (
                 SELECT 1 FROM confirmation c
                 WHERE c.dialogue_id = ?1 AND c.person_id = p.person_id AND c.version = ?2)",
            params![dialogue, version],
            |r| r.get(0),
        )?;
        if waiting == 0 {
            tx.execute(
                "UPDATE dialogue SET state = ?2 WHERE id = ?1 AND summary_version = ?3",
                params![dialogue, DialogueState::Confirmed, version],
            )?;
        }
        audit(
            &tx,
            &now,
            Some(actor.id),
            "confirm_summary",
            "dialogue",
            dialogue,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The dialogue's confirmations whose signatures are their confirmers';
    /// a forged "Erik confirmed" is not among them.
    pub(super) fn genuine_confirmations(
        &self,
        head: &Head,
        check: &RowCheck,
    ) -> Result<Vec<Confirmed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, person_id, version, snapshot, at, sig FROM confirmation
             WHERE dialogue_id = ?1 ORDER BY version, id",
        )?;
        let rows = stmt
            .query_map([head.id], |r| {
                Ok((
                    Confirmed {
                        id: r.get(0)?,
                        person: r.get(1)?,
                        version: r.get(2)?,
                        snapshot: r.get(3)?,
                        at: r.get(4)?,
                    },
                    r.get::<_, Option<Vec<u8>>>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|(c, sig)| {
                check.genuine(
                    "confirmation",
                    c.id,
                    c.person,
                    &signed(head.id, c.version, &c.snapshot),
                    sig.as_deref(),
                )
            })
            .map(|(c, _)| c)
            .collect())
    }

    /// The actor's latest genuine confirmation; if the summary changed
    /// since, what changed; and whether the summary differs from what they
    /// confirmed although its version says it does not (a value copied back
    /// from an older file, or edited outside Tillid).
    pub(super) fn my_confirmation(
        &self,
        actor: &Actor,
        head: &Head,
        confirmed: &[Confirmed],
        notes: &[NoteView],
        agreements: &[AgreementView],
    ) -> Result<(Option<MyConfirmation>, Option<Vec<Change>>, bool)> {
        let Some(mine) = confirmed
            .iter()
            .filter(|c| c.person == actor.id)
            .max_by_key(|c| (c.version, c.id))
        else {
            return Ok((None, None, false));
        };
        // A damaged copy of what was confirmed shows no changes rather than
        // failing the dialogue; `tillid check` lists it.
        let (text, damaged) =
            self.open_or_damaged(actor, &snapshot_ref(mine.id, head), &mine.snapshot)?;
        let before = match serde_json::from_str::<Vec<Entry>>(&text) {
            Ok(before) if !damaged => Some(before),
            _ => None,
        };
        let now = entries(notes, agreements);
        let (changes, tampered) = match before {
            Some(before) if mine.version != head.summary_version => {
                (Some(diff(&before, &now)), false)
            }
            Some(before) => {
                let changed = diff(&before, &now);
                let tampered = !changed.is_empty();
                (tampered.then_some(changed), tampered)
            }
            None => (None, false),
        };
        Ok((
            Some(MyConfirmation {
                version: mine.version,
                at: mine.at.clone(),
            }),
            changes,
            tampered,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(what: &str, id: i64, text: &str, detail: &str) -> Entry {
        Entry {
            what: what.into(),
            id,
            text: text.into(),
            detail: detail.into(),
        }
    }

    #[test]
    fn diff_names_added_changed_and_removed_lines() {
        let before = vec![
            e("agreement", 1, "Kursus", "a"),
            e("agreement", 2, "Mentor", "a"),
            e("note", 1, "Godt møde", ""),
        ];
        let now = vec![
            e("agreement", 1, "Kursus i foråret", "a"),
            e("agreement", 2, "Mentor", "b"),
            e("agreement", 3, "Ny", "a"),
        ];
        let d = diff(&before, &now);
        let summary: Vec<_> = d
            .iter()
            .map(|c| (c.what, c.change, c.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("agreement", "changed", "Kursus i foråret"),
                ("agreement", "changed", "Mentor"),
                ("agreement", "added", "Ny"),
                ("note", "removed", "Godt møde"),
            ]
        );
        assert!(diff(&now, &now).is_empty());
    }
}
