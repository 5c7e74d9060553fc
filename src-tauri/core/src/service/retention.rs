//! Keeping data no longer than needed. An administrator chooses what may go
//! (dialogues held more than N years ago; private notes once a newer
//! dialogue of the same kind in the same relationship is confirmed), sees
//! exactly what that is, with counts, and only then deletes it. The audit
//! trail records that it happened and how much, never what.
//!
//! A dialogue that still has open agreements is kept, whatever its age:
//! those agreements are alive in every later "since last time".

use chrono::Months;
use rusqlite::{params, params_from_iter, Connection, Transaction};
use serde::{Deserialize, Serialize};

use super::{audit, write, Actor, Tillid};
use crate::trust::roster::{self, WorkplaceSettings};
use crate::validate::format_moment;
use crate::{Error, Result};

/// The longest retention an administrator may choose, in years.
pub const MAX_YEARS: u32 = 50;

/// What may go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRule {
    /// Dialogues held (or planned, if never held) more than this many years
    /// ago; `None`: keep them.
    pub years: Option<u32>,
    /// Private notes of a dialogue once a newer dialogue of the same kind,
    /// with the same person or group, has been confirmed.
    pub private_notes_after_newer: bool,
}

/// What a rule would delete, counted; `dialogue_ids` and `note_ids` are
/// exactly the rows, so applying deletes what was shown and nothing else.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPlan {
    pub dialogues: i64,
    pub agenda_items: i64,
    pub notes: i64,
    pub agreements: i64,
    pub confirmations: i64,
    /// Private notes in dialogues that stay.
    pub private_notes: i64,
    /// Old enough, but kept for their open agreements.
    pub kept_for_open_agreements: i64,
    pub dialogue_ids: Vec<i64>,
    pub note_ids: Vec<i64>,
}

impl Tillid {
    /// The workplace's retention setting, as the verified roster carries
    /// it: what the administrators decided, and nothing an edit of the
    /// file could change.
    pub fn retention_setting(&self, actor: &Actor) -> Result<RetentionRule> {
        let roster = self.admin_roster(actor)?;
        Ok(RetentionRule {
            years: roster.settings.retention_years,
            private_notes_after_newer: roster.settings.private_notes_after_newer,
        })
    }

    /// Saves the retention setting as a signed fact: a new roster head,
    /// signed by the administrator. Nothing is deleted by saving it;
    /// deleting is [`apply_retention`](Self::apply_retention), after a
    /// preview.
    pub fn save_retention_setting(&mut self, actor: &Actor, rule: &RetentionRule) -> Result<()> {
        let roster = self.admin_roster(actor)?;
        check_years(rule)?;
        let settings = WorkplaceSettings {
            retention_years: rule.years,
            private_notes_after_newer: rule.private_notes_after_newer,
        };
        if settings == roster.settings {
            return Ok(());
        }
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        roster::append_head_with(&tx, actor.id, &key, &now, Some(settings))?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "retention_setting",
            "workplace",
            1,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// How many dialogues and private notes the saved setting would delete
    /// today; `None` when nothing is set, or for someone not an
    /// administrator.
    pub(crate) fn retention_due(&self, actor: &Actor) -> Result<Option<i64>> {
        let Ok(rule) = self.retention_setting(actor) else {
            return Ok(None);
        };
        if rule == RetentionRule::default() {
            return Ok(None);
        }
        let plan = plan(&self.conn, &rule, &self.cutoff(&rule)?)?;
        Ok(Some(plan.dialogues + plan.private_notes))
    }

    /// What `rule` would delete today, for an administrator to confirm.
    pub fn retention_preview(&self, actor: &Actor, rule: &RetentionRule) -> Result<RetentionPlan> {
        self.admin_roster(actor)?;
        check_years(rule)?;
        plan(&self.conn, rule, &self.cutoff(rule)?)
    }

    /// Deletes what `rule` selects, if that is still exactly `confirmed`
    /// (the preview the administrator saw); otherwise nothing, and
    /// `summary_changed` asks them to look again. The freed pages are
    /// overwritten (`secure_delete`) and the log is checkpointed, so no
    /// deleted content stays in the file.
    pub fn apply_retention(
        &mut self,
        actor: &Actor,
        rule: &RetentionRule,
        confirmed: &RetentionPlan,
    ) -> Result<RetentionPlan> {
        let now_plan = self.retention_preview(actor, rule)?;
        if now_plan != *confirmed {
            return Err(Error::SummaryChanged);
        }
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        delete_dialogues(&tx, &now_plan.dialogue_ids)?;
        for chunk in now_plan.note_ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            tx.execute(
                &format!("DELETE FROM note WHERE id IN ({marks})"),
                params_from_iter(chunk),
            )?;
        }
        // One line for the whole run, with counts: the audit helper names
        // one row, and the rows are gone.
        tx.execute(
            "INSERT INTO audit (at, actor_id, action, entity, entity_id) VALUES (?1, ?2, ?3, 'workplace', NULL)",
            params![
                now,
                actor.id,
                format!(
                    "retention: {} dialogues, {} private notes",
                    now_plan.dialogues,
                    now_plan.notes + now_plan.private_notes
                )
            ],
        )?;
        tx.commit()?;
        self.checkpoint()?;
        Ok(now_plan)
    }

    fn cutoff(&self, rule: &RetentionRule) -> Result<String> {
        let Some(years) = rule.years else {
            return Ok(String::new());
        };
        let at = self
            .now()
            .checked_sub_months(Months::new(years * 12))
            .ok_or(Error::InvalidInput { field: "years" })?;
        Ok(format_moment(at))
    }
}

/// Deletes these dialogues with everything in them (participants, agenda,
/// notes, agreements and their history, confirmations, preparation go by
/// cascade). Rows elsewhere that only point at a dialogue keep their own
/// content and lose the pointer.
pub(super) fn delete_dialogues(tx: &Transaction<'_>, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        for sql in [
            "UPDATE agenda_item SET carried_from = NULL WHERE carried_from IN",
            "UPDATE dialogue_request SET dialogue_id = NULL WHERE dialogue_id IN",
            "DELETE FROM dialogue WHERE id IN",
        ] {
            tx.execute(&format!("{sql} ({marks})"), params_from_iter(chunk))?;
        }
    }
    Ok(())
}

fn check_years(rule: &RetentionRule) -> Result<()> {
    if rule.years.is_some_and(|y| y == 0 || y > MAX_YEARS) {
        return Err(Error::InvalidInput { field: "years" });
    }
    Ok(())
}

fn plan(conn: &Connection, rule: &RetentionRule, cutoff: &str) -> Result<RetentionPlan> {
    let mut out = RetentionPlan::default();
    if rule.years.is_some() {
        let old = "SELECT d.id FROM dialogue d WHERE coalesce(d.held_at, d.scheduled_at) < ?1";
        let open =
            "EXISTS (SELECT 1 FROM agreement a WHERE a.dialogue_id = d.id AND a.state = 'open')";
        out.dialogue_ids = ids(conn, &format!("{old} AND NOT {open} ORDER BY d.id"), cutoff)?;
        out.kept_for_open_agreements =
            ids(conn, &format!("{old} AND {open}"), cutoff)?.len() as i64;
        let count = |sql: &str| -> Result<i64> {
            Ok(
                conn.query_row(&format!("{sql} IN ({old} AND NOT {open})"), [cutoff], |r| {
                    r.get(0)
                })?,
            )
        };
        out.dialogues = out.dialogue_ids.len() as i64;
        out.agenda_items = count("SELECT count(*) FROM agenda_item WHERE dialogue_id")?;
        out.notes = count("SELECT count(*) FROM note WHERE dialogue_id")?;
        out.agreements = count("SELECT count(*) FROM agreement WHERE dialogue_id")?;
        out.confirmations = count("SELECT count(*) FROM confirmation WHERE dialogue_id")?;
    }
    if rule.private_notes_after_newer {
        // A newer confirmed dialogue of the same kind, with the same
        // manager and employee, or the same group.
        let newer = "EXISTS (SELECT 1 FROM dialogue later WHERE later.kind = d.kind
                        AND later.state = 'confirmed' AND later.scheduled_at > d.scheduled_at
                        AND later.employee_id IS d.employee_id AND later.team_id IS d.team_id
                        AND (later.team_id IS NOT NULL OR later.manager_id = d.manager_id))";
        let going: std::collections::HashSet<i64> = out.dialogue_ids.iter().copied().collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT n.id, n.dialogue_id FROM note n JOIN dialogue d ON d.id = n.dialogue_id
             WHERE n.private = 1 AND {newer} ORDER BY n.id"
        ))?;
        // Those going with their dialogue are counted there.
        let notes: Vec<i64> = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|(_, dialogue)| !going.contains(dialogue))
            .map(|(id, _)| id)
            .collect();
        out.private_notes = notes.len() as i64;
        out.note_ids = notes;
    }
    Ok(out)
}

fn ids(conn: &Connection, sql: &str, cutoff: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([cutoff], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
}
