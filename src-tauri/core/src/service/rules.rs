//! Rule reports (MeningsSamlingen): anyone signed in reports a rule, routine
//! or form that gets in the way of good work, with their name or without.
//! Managers and administrators decide what happens to it, and a manager can
//! bring it onto the agenda of a GRUS they lead.
//!
//! An anonymous report stores no author anywhere: no author column, no
//! signature (one would name its signer to anyone trying each public key),
//! no audit line, and only the date it was made, since sign-ins are audited
//! to the second. Its text is sealed in the workplace space, which proves it
//! was written by someone holding the workplace key, not by whom.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::dialogues::Head;
use super::{allow, audit, next_id, write, Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::domain::access::{self, Standing};
use crate::domain::{DialogueKind, PersonRef, RuleStatus};
use crate::trust::rows::{self, Fact};
use crate::trust::Roster;
use crate::validate::{self, SHORT_TEXT_MAX};
use crate::{Error, Result};

#[derive(Debug, Serialize)]
pub struct RuleReportView {
    pub id: i64,
    pub text: String,
    /// Failed its integrity check: `text` is empty.
    pub damaged: bool,
    /// The workplace key has not reached the reader yet: `text` is empty.
    pub locked: bool,
    /// None: reported anonymously.
    pub author: Option<PersonRef>,
    /// The day it was reported (never a time).
    pub reported_on: String,
    pub status: RuleStatus,
    pub reason: Option<String>,
    pub status_by: Option<PersonRef>,
    pub status_at: Option<String>,
    /// False when the status is not as a manager or administrator signed
    /// it (edited outside Tillid): shown, not relied on.
    pub status_genuine: bool,
    /// The GRUS it was taken onto, if any.
    pub taken_to: Option<TakenTo>,
}

#[derive(Debug, Serialize)]
pub struct TakenTo {
    pub dialogue_id: i64,
    pub group: String,
    pub scheduled_at: String,
}

/// A planned GRUS the signed-in manager leads, to take a report onto.
#[derive(Debug, Serialize)]
pub struct GrusChoice {
    pub dialogue_id: i64,
    pub group: String,
    pub scheduled_at: String,
}

#[derive(Debug, Serialize)]
pub struct RuleReports {
    pub reports: Vec<RuleReportView>,
    /// Whether the signed-in person decides on reports.
    pub can_set_status: bool,
    pub grus_choices: Vec<GrusChoice>,
}

/// The text's place. An anonymous report's text is sealed under a column
/// name of its own, so clearing or adding an author outside Tillid makes
/// the text fail to open.
fn body_ref(id: i64, anonymous: bool) -> FieldRef {
    FieldRef {
        table: "rule_report",
        column: if anonymous { "anonymous_body" } else { "body" },
        row: id,
        space: Space::Workplace,
    }
}

fn reason_ref(id: i64) -> FieldRef {
    FieldRef {
        table: "rule_report",
        column: "status_reason",
        row: id,
        space: Space::Workplace,
    }
}

/// What a named report's signature covers.
fn signed_report<'a>(reported_on: &'a str, body: &'a [u8]) -> [Fact<'a>; 2] {
    [Fact::Text(reported_on), Fact::Sealed(Some(body))]
}

/// The status row as signed by whoever set it; the report's text is
/// covered too, so a status cannot be moved to another report.
struct StatusFacts<'a> {
    status: RuleStatus,
    reason: Option<&'a [u8]>,
    at: Option<&'a str>,
    dialogue: Option<i64>,
    agenda_item: Option<i64>,
    body: &'a [u8],
}

impl StatusFacts<'_> {
    fn facts(&self) -> [Fact<'_>; 6] {
        [
            Fact::Text(self.status.as_str()),
            Fact::Sealed(self.reason),
            Fact::OptText(self.at),
            Fact::OptInt(self.dialogue),
            Fact::OptInt(self.agenda_item),
            Fact::Sealed(Some(self.body)),
        ]
    }
}

const STATUS_TABLE: &str = "rule_report_status";

/// Who decides on reports, by the verified roster.
pub(crate) fn standing(roster: &Roster, person: i64) -> Standing {
    Standing {
        admin: roster.is_admin(person),
        manages: roster.people.values().any(|p| p.manager == Some(person)),
        leads_group: roster.groups.values().any(|g| g.leader == person),
    }
}

impl Tillid {
    /// Reports a rule that gets in the way. Anonymous: see the module's
    /// account of what is (not) stored.
    pub fn report_rule(&mut self, actor: &Actor, text: &str, anonymous: bool) -> Result<i64> {
        allow(access::may_report_rule(self.vault.get(actor.id).is_ok()))?;
        let text = validate::required_text("text", text, SHORT_TEXT_MAX)?;
        if anonymous {
            // Never creates the space (that would write a dated row): every
            // sign-in opens it, so it exists, and the reporter holds its key
            // or waits for it like any other.
            self.key_for(actor.id, Space::Workplace)?;
        } else {
            self.prepare_key(actor.id, Space::Workplace)?;
        }
        let key = (!anonymous)
            .then(|| self.signing_key(actor.id))
            .transpose()?;
        let reported_on = self.now().date_naive().to_string();
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let id = next_id(&tx, "rule_report")?;
        let body = self.vault.seal(actor.id, &body_ref(id, anonymous), &text)?;
        let author = (!anonymous).then_some(actor.id);
        let sig = key.map(|k| {
            rows::sign_row(
                &k,
                "rule_report",
                id,
                actor.id,
                &signed_report(&reported_on, &body),
            )
        });
        tx.execute(
            "INSERT INTO rule_report (id, author_id, body, reported_on, sig) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, author, body, reported_on, sig],
        )?;
        if !anonymous {
            audit(&tx, &now, Some(actor.id), "report_rule", "rule_report", id)?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// The workplace's list of reports, newest first, with what the
    /// signed-in person may do with them.
    pub fn rule_reports(&self, actor: &Actor) -> Result<RuleReports> {
        let roster = self.roster(actor.id).ok();
        let who = roster.as_ref().map(|r| standing(r, actor.id));
        let can_set_status = who.is_some_and(access::may_set_rule_status);
        let check = self.row_check(actor)?;
        type Row = (
            i64,
            Option<i64>,
            Option<String>,
            Vec<u8>,
            String,
            Option<Vec<u8>>,
            RuleStatus,
            Option<Vec<u8>>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<i64>,
            Option<Vec<u8>>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = {
            let mut stmt = self.conn.prepare(
                "SELECT r.id, r.author_id, a.name, r.body, r.reported_on, r.sig, r.status,
                        r.status_reason, r.status_by, s.name, r.status_at, r.dialogue_id,
                        r.agenda_item_id, r.status_sig, t.name, d.scheduled_at
                 FROM rule_report r
                 LEFT JOIN person a ON a.id = r.author_id
                 LEFT JOIN person s ON s.id = r.status_by
                 LEFT JOIN dialogue d ON d.id = r.dialogue_id
                 LEFT JOIN team t ON t.id = d.team_id
                 ORDER BY r.reported_on DESC, r.id DESC",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                    r.get(14)?,
                    r.get(15)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut reports = Vec::with_capacity(rows.len());
        for row in rows {
            let (
                id,
                author_id,
                author_name,
                body,
                reported_on,
                sig,
                status,
                reason,
                status_by,
                status_by_name,
                status_at,
                dialogue,
                agenda_item,
                status_sig,
                group,
                scheduled_at,
            ) = row;
            let genuine = match author_id {
                None => true,
                Some(author) => check.genuine(
                    "rule_report",
                    id,
                    author,
                    &signed_report(&reported_on, &body),
                    sig.as_deref(),
                ),
            };
            let (text, damaged, locked) = if genuine {
                self.open_listed(actor, &body_ref(id, author_id.is_none()), &body)?
            } else {
                (String::new(), true, false)
            };
            let facts = StatusFacts {
                status,
                reason: reason.as_deref(),
                at: status_at.as_deref(),
                dialogue,
                agenda_item,
                body: &body,
            };
            let status_genuine = match status_by {
                None => {
                    status == RuleStatus::New
                        && reason.is_none()
                        && dialogue.is_none()
                        && status_sig.is_none()
                }
                Some(by) => {
                    roster
                        .as_ref()
                        .is_some_and(|r| access::may_set_rule_status(standing(r, by)))
                        && check.genuine(
                            STATUS_TABLE,
                            id,
                            by,
                            &facts.facts(),
                            status_sig.as_deref(),
                        )
                }
            };
            let reason = match (&reason, status_genuine) {
                (Some(sealed), true) => Some(self.open_listed(actor, &reason_ref(id), sealed)?.0),
                _ => None,
            };
            reports.push(RuleReportView {
                id,
                text,
                damaged,
                locked,
                author: author_id
                    .zip(author_name)
                    .map(|(id, name)| PersonRef { id, name }),
                reported_on,
                status,
                reason,
                status_by: status_by
                    .zip(status_by_name)
                    .map(|(id, name)| PersonRef { id, name }),
                status_at,
                status_genuine,
                taken_to: match (dialogue, group, scheduled_at) {
                    (Some(dialogue_id), Some(group), Some(scheduled_at)) => Some(TakenTo {
                        dialogue_id,
                        group,
                        scheduled_at,
                    }),
                    _ => None,
                },
            });
        }
        Ok(RuleReports {
            reports,
            can_set_status,
            grus_choices: self.grus_choices(actor)?,
        })
    }

    /// A value on a list: its text, whether it is damaged, and whether its
    /// key has yet to reach the reader (neither fails the whole list).
    pub(crate) fn open_listed(
        &self,
        actor: &Actor,
        field: &FieldRef,
        sealed: &[u8],
    ) -> Result<(String, bool, bool)> {
        match self.open_as(actor, field, sealed) {
            Ok(text) => Ok((text, false, false)),
            Err(Error::Integrity) => Ok((String::new(), true, false)),
            Err(Error::KeyPending { .. }) => Ok((String::new(), false, true)),
            Err(e) => Err(e),
        }
    }

    /// Planned GRUS dialogues of groups the actor leads, by the roster.
    fn grus_choices(&self, actor: &Actor) -> Result<Vec<GrusChoice>> {
        let Ok(roster) = self.roster(actor.id) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.team_id, t.name, d.scheduled_at FROM dialogue d JOIN team t ON t.id = d.team_id
             WHERE d.kind = 'grus' AND d.state = 'planned' AND d.manager_id = ?1
             ORDER BY d.scheduled_at, d.id",
        )?;
        let rows = stmt.query_map([actor.id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (dialogue_id, team, group, scheduled_at) = row?;
            if roster
                .groups
                .get(&team)
                .is_some_and(|g| g.leader == actor.id)
            {
                out.push(GrusChoice {
                    dialogue_id,
                    group,
                    scheduled_at,
                });
            }
        }
        Ok(out)
    }

    /// A manager or administrator sets where a report stands; "kept" needs
    /// the reason.
    pub fn set_rule_status(
        &mut self,
        actor: &Actor,
        report: i64,
        status: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        let roster = self.roster(actor.id)?;
        allow(access::may_set_rule_status(standing(&roster, actor.id)))?;
        let status = RuleStatus::parse("status", status)?;
        let reason = validate::optional_text("reason", reason, SHORT_TEXT_MAX)?;
        if status == RuleStatus::Kept && reason.is_none() {
            return Err(Error::EmptyText { field: "reason" });
        }
        let (dialogue, agenda_item) = self.report_link(report)?;
        self.write_status(
            actor,
            report,
            status,
            reason.as_deref(),
            dialogue,
            agenda_item,
        )
    }

    /// Brings a report onto the agenda of a planned GRUS the manager leads:
    /// its text becomes an agenda point in the group's space (through the
    /// agenda's own operation), and the report is marked taken up.
    pub fn take_rule_to_grus(&mut self, actor: &Actor, report: i64, dialogue: i64) -> Result<i64> {
        let roster = self.roster(actor.id)?;
        let seat = self.seat(actor, dialogue)?;
        let head = Head::load(&self.conn, dialogue)?;
        allow(access::may_take_to_grus(
            standing(&roster, actor.id),
            seat,
            head.kind == DialogueKind::Grus && head.group.is_some(),
        ))?;
        let text = self.report_text(actor, report)?;
        let item = self.add_agenda_item(actor, dialogue, &text)?;
        self.write_status(
            actor,
            report,
            RuleStatus::TakenUp,
            None,
            Some(dialogue),
            Some(item),
        )?;
        Ok(item)
    }

    fn report_link(&self, report: i64) -> Result<(Option<i64>, Option<i64>)> {
        self.conn
            .query_row(
                "SELECT dialogue_id, agenda_item_id FROM rule_report WHERE id = ?1",
                [report],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(Error::NotFound {
                what: "rule_report",
            })
    }

    /// The report's text as the actor reads it; a report that fails its
    /// check is not carried anywhere.
    fn report_text(&self, actor: &Actor, report: i64) -> Result<String> {
        let (author, body, reported_on, sig): (Option<i64>, Vec<u8>, String, Option<Vec<u8>>) =
            self.conn
                .query_row(
                    "SELECT author_id, body, reported_on, sig FROM rule_report WHERE id = ?1",
                    [report],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?
                .ok_or(Error::NotFound {
                    what: "rule_report",
                })?;
        if let Some(author) = author {
            let check = self.row_check(actor)?;
            if !check.genuine(
                "rule_report",
                report,
                author,
                &signed_report(&reported_on, &body),
                sig.as_deref(),
            ) {
                return Err(Error::Integrity);
            }
        }
        self.open_as(actor, &body_ref(report, author.is_none()), &body)
    }

    fn write_status(
        &mut self,
        actor: &Actor,
        report: i64,
        status: RuleStatus,
        reason: Option<&str>,
        dialogue: Option<i64>,
        agenda_item: Option<i64>,
    ) -> Result<()> {
        self.prepare_key(actor.id, Space::Workplace)?;
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let body: Vec<u8> = tx
            .query_row(
                "SELECT body FROM rule_report WHERE id = ?1",
                [report],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound {
                what: "rule_report",
            })?;
        let sealed = reason
            .map(|r| self.vault.seal(actor.id, &reason_ref(report), r))
            .transpose()?;
        let facts = StatusFacts {
            status,
            reason: sealed.as_deref(),
            at: Some(&now),
            dialogue,
            agenda_item,
            body: &body,
        };
        let sig = rows::sign_row(&key, STATUS_TABLE, report, actor.id, &facts.facts());
        tx.execute(
            "UPDATE rule_report SET status = ?2, status_reason = ?3, status_by = ?4, status_at = ?5,
                    dialogue_id = ?6, agenda_item_id = ?7, status_sig = ?8
             WHERE id = ?1",
            params![report, status, sealed, actor.id, now, dialogue, agenda_item, sig],
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "set_rule_status",
            "rule_report",
            report,
        )?;
        tx.commit()?;
        Ok(())
    }
}
