//! Deleting a person who has left, at an administrator's explicit request
//! (GDPR art. 17). What goes: their one-to-one dialogues as an employee
//! (whole: they are records about them), their private notes and
//! preparation answers anywhere, their requests for a dialogue, their good
//! cases and named rule reports, their consents, and their keys, so no one
//! can sign in as them again. What stays: other people's records that
//! mention them — group dialogues they took part in, dialogues they led as
//! a manager, and what others wrote there. The administrator sees exactly
//! that, with counts, before anything is deleted; the freed pages are
//! overwritten and the log checkpointed, so nothing deleted stays in the
//! file.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::{write, Actor, Tillid};
use crate::{Error, Result};

/// What deleting one person removes and what it keeps, counted; the ids
/// are exactly the dialogues that go, so applying deletes what was shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDeletion {
    pub person_id: i64,
    pub name: String,
    /// Their one-to-ones as an employee, deleted with everything in them.
    pub dialogues: i64,
    /// Their private notes in dialogues that stay.
    pub private_notes: i64,
    /// Their preparation answers in dialogues that stay.
    pub answers: i64,
    pub requests: i64,
    pub cases: i64,
    pub rule_reports: i64,
    /// Dialogues that stay because they are other people's records too.
    pub kept_dialogues: i64,
    pub dialogue_ids: Vec<i64>,
}

impl Tillid {
    /// What deleting `person_id` would remove, for an administrator to
    /// confirm. Only someone marked as having left can be deleted.
    pub fn person_deletion_preview(&self, actor: &Actor, person_id: i64) -> Result<PersonDeletion> {
        let roster = self.admin_roster(actor)?;
        let entry = roster
            .people
            .get(&person_id)
            .ok_or(Error::NotFound { what: "person" })?;
        if !entry.left {
            return Err(Error::NotLeft {
                name: entry.name.clone(),
            });
        }
        plan(&self.conn, person_id, &entry.name)
    }

    /// Deletes what [`person_deletion_preview`](Self::person_deletion_preview)
    /// showed, if that is still exactly `confirmed`; otherwise nothing, and
    /// `summary_changed` asks the administrator to look again.
    pub fn delete_person(&mut self, actor: &Actor, confirmed: &PersonDeletion) -> Result<()> {
        let now_plan = self.person_deletion_preview(actor, confirmed.person_id)?;
        if now_plan != *confirmed {
            return Err(Error::SummaryChanged);
        }
        let p = now_plan.person_id;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        super::retention::delete_dialogues(&tx, &now_plan.dialogue_ids)?;
        for sql in [
            "DELETE FROM note WHERE author_id = ?1 AND private = 1",
            "DELETE FROM prep_answer WHERE author_id = ?1",
            "DELETE FROM dialogue_request WHERE employee_id = ?1",
            "DELETE FROM good_case WHERE author_id = ?1",
            "DELETE FROM rule_report WHERE author_id = ?1",
            "DELETE FROM handover WHERE employee_id = ?1",
            "DELETE FROM draft WHERE person_id = ?1",
            "DELETE FROM key_claim WHERE person_id = ?1",
            "DELETE FROM space_key WHERE person_id = ?1",
            // Their one-to-one spaces have no dialogues left to open.
            "DELETE FROM space_key WHERE space_id IN (SELECT id FROM space WHERE kind = 'pair' AND b = ?1)",
            "DELETE FROM space WHERE kind = 'pair' AND b = ?1",
            "DELETE FROM person_key WHERE person_id = ?1",
        ] {
            tx.execute(sql, [p])?;
        }
        tx.execute(
            "UPDATE person SET deleted_at = ?2, setup_pending = 0 WHERE id = ?1",
            params![p, now],
        )?;
        // Counts only: what went is gone, and who it was is the entity.
        tx.execute(
            "INSERT INTO audit (at, actor_id, action, entity, entity_id) VALUES (?1, ?2, ?3, 'person', ?4)",
            params![
                now,
                actor.id,
                format!(
                    "delete_person: {} dialogues, {} private notes, {} answers, {} requests, {} cases, {} rule reports",
                    now_plan.dialogues,
                    now_plan.private_notes,
                    now_plan.answers,
                    now_plan.requests,
                    now_plan.cases,
                    now_plan.rule_reports
                ),
                p
            ],
        )?;
        tx.commit()?;
        self.checkpoint()?;
        Ok(())
    }
}

fn plan(conn: &Connection, p: i64, name: &str) -> Result<PersonDeletion> {
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [p], |r| r.get(0))?) };
    let mine = "SELECT id FROM dialogue WHERE employee_id = ?1 AND team_id IS NULL";
    let mut stmt = conn.prepare(&format!("{mine} ORDER BY id"))?;
    let dialogue_ids = stmt
        .query_map([p], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(PersonDeletion {
        person_id: p,
        name: name.to_owned(),
        dialogues: dialogue_ids.len() as i64,
        private_notes: count(&format!(
            "SELECT count(*) FROM note WHERE author_id = ?1 AND private = 1 AND dialogue_id NOT IN ({mine})"
        ))?,
        answers: count(&format!(
            "SELECT count(*) FROM prep_answer WHERE author_id = ?1 AND dialogue_id NOT IN ({mine})"
        ))?,
        requests: count("SELECT count(*) FROM dialogue_request WHERE employee_id = ?1")?,
        cases: count("SELECT count(*) FROM good_case WHERE author_id = ?1")?,
        rule_reports: count("SELECT count(*) FROM rule_report WHERE author_id = ?1")?,
        kept_dialogues: count(&format!(
            "SELECT count(DISTINCT d.id) FROM dialogue d LEFT JOIN participant pa ON pa.dialogue_id = d.id
             WHERE (pa.person_id = ?1 OR d.manager_id = ?1) AND d.id NOT IN ({mine})"
        ))?,
        dialogue_ids,
    })
}
