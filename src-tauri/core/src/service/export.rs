//! Data rights (GDPR art. 15 and 20): everything held about a person, as
//! they may read it, gathered for an export file (`crate::export` packs
//! it). Nothing here reads more than the reading person already sees: every
//! record comes through the same views and rules as on screen.
//!
//! Two exports:
//! - **own** ("everything held about me"): the signed-in person's record,
//!   every dialogue they take part in (one-to-one and group), with the
//!   agenda, the shared notes, their own private notes, the agreements with
//!   their history, everyone's confirmations, their own preparation answers;
//!   their requests, their named rule reports and their own good cases.
//! - **about an employee** (answering an access request): their manager, by
//!   the verified roster, exports the employee's record, the dialogues the
//!   two of them take part in, with the shared content and the manager's
//!   own private notes and preparation answers in their one-to-one
//!   dialogues; the employee's requests to this manager, their named rule
//!   reports and their shared cases.
//!
//! Group dialogues: the group's shared content (agenda, shared notes,
//! agreements, confirmations, who took part) belongs to every member who
//! took part, so it is in each member's export. Private notes and
//! preparation answers in a group dialogue are only ever the exporting
//! person's own; a manager's private notes from a group dialogue are left
//! out of an export about one member, because they may be about the others.
//! Never included: anyone else's private notes or preparation answers,
//! dialogues the person is not part of, anonymous rule reports, and other
//! people's private cases.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::{allow, person_name, Actor, NoteView, Tillid};
use crate::domain::{
    access, AgendaStatus, AgreementState, DialogueKind, DialogueState, Owner, PersonRef, Role,
    RuleStatus,
};
use crate::store::backup::Progress;
use crate::templates::Text;
use crate::{Error, Result};

/// The version of the export's data (`docs/export-schema.json`). Raised
/// whenever a field is added, renamed or changes meaning.
pub const EXPORT_SCHEMA_VERSION: i64 = 2;

#[derive(Debug, Serialize)]
pub struct Export {
    pub schema_version: i64,
    /// `own` or `about_employee`.
    pub export: &'static str,
    pub exported_at: String,
    pub exported_by: PersonRef,
    pub workplace: String,
    /// The language the readable copy is written in (`da` or `en`).
    pub locale: String,
    pub person: ExportPerson,
    pub dialogues: Vec<ExportDialogue>,
    pub requests: Vec<ExportRequest>,
    pub rule_reports: Vec<ExportRuleReport>,
    pub cases: Vec<ExportCase>,
    /// The person's own decisions, as an employee, about sharing earlier
    /// dialogues with a new manager (schema 2).
    pub handovers: Vec<ExportHandover>,
}

#[derive(Debug, Serialize)]
pub struct ExportPerson {
    pub id: i64,
    pub name: String,
    /// By the verified roster.
    pub manager: Option<PersonRef>,
    pub groups: Vec<PersonRef>,
    pub is_admin: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportDialogue {
    pub id: i64,
    pub kind: DialogueKind,
    pub state: DialogueState,
    pub scheduled_at: String,
    pub held_at: Option<String>,
    pub manager: PersonRef,
    pub employee: Option<PersonRef>,
    pub group: Option<PersonRef>,
    pub summary_version: i64,
    pub participants: Vec<ExportParticipant>,
    pub cancellation: Option<ExportCancellation>,
    pub agenda: Vec<ExportAgendaPoint>,
    pub shared_notes: Vec<ExportNote>,
    /// Own export: the person's own. About an employee: the manager's.
    pub private_notes: Vec<ExportNote>,
    pub agreements: Vec<ExportAgreement>,
    /// Own export: the person's own. About an employee: the manager's.
    pub preparation_answers: Vec<ExportAnswer>,
}

#[derive(Debug, Serialize)]
pub struct ExportParticipant {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub confirmed_version: Option<i64>,
    pub confirmed_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ExportCancellation {
    pub by: PersonRef,
    pub at: String,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ExportAgendaPoint {
    pub id: i64,
    pub author: PersonRef,
    pub text: String,
    pub status: AgendaStatus,
    pub damaged: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportNote {
    pub id: i64,
    pub author: PersonRef,
    pub text: String,
    pub created_at: String,
    pub updated_at: String,
    pub damaged: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportAgreement {
    pub id: i64,
    pub text: String,
    pub owner: Owner,
    pub follow_up_on: Option<String>,
    pub if_then: Option<String>,
    pub state: AgreementState,
    pub created_by: PersonRef,
    pub created_at: String,
    pub damaged: bool,
    pub history: Vec<ExportUpdate>,
}

#[derive(Debug, Serialize)]
pub struct ExportUpdate {
    pub by: PersonRef,
    pub from: AgreementState,
    pub to: AgreementState,
    pub comment: Option<String>,
    pub at: String,
    pub damaged: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportAnswer {
    pub id: i64,
    pub question: Text,
    pub text: String,
    pub shared: bool,
    pub updated_at: String,
    pub damaged: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportRequest {
    pub id: i64,
    pub manager: PersonRef,
    pub kind: DialogueKind,
    pub reason: Option<String>,
    pub created_at: String,
    pub status: &'static str,
    pub dialogue_id: Option<i64>,
    pub answer: Option<String>,
    pub closed_at: Option<String>,
    pub locked: bool,
    pub damaged: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportRuleReport {
    pub id: i64,
    pub text: String,
    pub reported_on: String,
    pub status: RuleStatus,
    pub reason: Option<String>,
    pub locked: bool,
    pub damaged: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportCase {
    pub id: i64,
    pub title: String,
    pub text: String,
    pub shared: bool,
    pub created_at: String,
    pub updated_at: String,
    pub locked: bool,
    pub damaged: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportHandover {
    pub old_manager: PersonRef,
    pub new_manager: PersonRef,
    /// `share` or `decline`.
    pub decision: &'static str,
    pub decided_at: String,
}

fn note(n: NoteView) -> ExportNote {
    ExportNote {
        id: n.id,
        author: n.author,
        text: n.text,
        created_at: n.created_at,
        updated_at: n.updated_at,
        damaged: n.damaged,
    }
}

impl Tillid {
    /// Everything held about the signed-in person (`about` None or their
    /// own id), or, for their manager by the verified roster, about one
    /// employee. `keep_going` hears the progress (one step a dialogue) and
    /// cancels with `Cancelled` when it answers false.
    pub fn export_data(
        &self,
        actor: &Actor,
        about: Option<i64>,
        keep_going: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<Export> {
        let roster = self.roster(actor.id).ok();
        let subject = match about {
            None => actor.id,
            Some(id) if id == actor.id => actor.id,
            Some(id) => {
                let manages = roster
                    .as_ref()
                    .is_some_and(|r| r.manager_of(id) == Some(actor.id));
                allow(access::may_export_about(manages))?;
                id
            }
        };
        let own = subject == actor.id;
        allow(!own || access::may_export_own(true))?;

        let name = person_name(&self.conn, subject)?;
        let manager = match roster.as_ref().and_then(|r| r.manager_of(subject)) {
            Some(m) => Some(PersonRef {
                id: m,
                name: person_name(&self.conn, m)?,
            }),
            None => None,
        };
        let mut groups: Vec<PersonRef> = roster
            .as_ref()
            .map(|r| {
                r.groups
                    .values()
                    .filter(|g| g.includes(subject))
                    .map(|g| PersonRef {
                        id: g.id,
                        name: g.name.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        groups.sort_by_key(|g| g.id);
        let person = ExportPerson {
            id: subject,
            name,
            manager,
            groups,
            is_admin: roster.as_ref().is_some_and(|r| r.is_admin(subject)),
        };

        let ids = self.export_dialogue_ids(actor.id, subject, own)?;
        let total = ids.len() as u64 + 1;
        let mut dialogues = Vec::with_capacity(ids.len());
        for (i, id) in ids.into_iter().enumerate() {
            if !keep_going(Progress {
                done: i as u64,
                total,
            }) {
                return Err(Error::Cancelled);
            }
            match self.export_dialogue(actor, id) {
                Ok(d) => dialogues.push(d),
                // A planned dialogue whose seat the roster took away.
                Err(Error::Forbidden) => {}
                Err(e) => return Err(e),
            }
        }

        let requests = self
            .requests_of(actor, subject)?
            .into_iter()
            .filter(|r| own || r.manager.id == actor.id)
            .map(|r| ExportRequest {
                id: r.id,
                manager: r.manager,
                kind: r.kind,
                reason: r.reason,
                created_at: r.created_at,
                status: r.status,
                dialogue_id: r.dialogue_id,
                answer: r.answer,
                closed_at: r.closed_at,
                locked: r.locked,
                damaged: r.damaged,
            })
            .collect();
        let rule_reports = self
            .rule_reports(actor)?
            .reports
            .into_iter()
            .filter(|r| r.author.as_ref().is_some_and(|a| a.id == subject))
            .map(|r| ExportRuleReport {
                id: r.id,
                text: r.text,
                reported_on: r.reported_on,
                status: r.status,
                reason: r.reason,
                locked: r.locked,
                damaged: r.damaged,
            })
            .collect();
        let cases = self
            .cases(actor)?
            .into_iter()
            .filter(|c| c.author.id == subject)
            .map(|c| ExportCase {
                id: c.id,
                title: c.title,
                text: c.text,
                shared: c.shared,
                created_at: c.created_at,
                updated_at: c.updated_at,
                locked: c.locked,
                damaged: c.damaged,
            })
            .collect();
        if !keep_going(Progress { done: total, total }) {
            return Err(Error::Cancelled);
        }
        let workplace: String = self
            .conn
            .query_row("SELECT name FROM workplace WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        let locale: Option<String> = self
            .conn
            .query_row("SELECT locale FROM person WHERE id = ?1", [actor.id], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        let exporter = PersonRef {
            id: actor.id,
            name: person_name(&self.conn, actor.id)?,
        };
        if !own {
            // Keep the manager's private writing to the one-to-ones.
            for d in dialogues.iter_mut().filter(|d| d.group.is_some()) {
                d.private_notes.clear();
                d.preparation_answers.clear();
            }
        }
        Ok(Export {
            schema_version: EXPORT_SCHEMA_VERSION,
            export: if own { "own" } else { "about_employee" },
            exported_at: self.stamp(),
            exported_by: exporter,
            workplace,
            locale: match locale.as_deref() {
                Some("en") => "en".into(),
                _ => "da".into(),
            },
            person,
            dialogues,
            requests,
            rule_reports,
            cases,
            handovers: self.handover_decisions(actor, subject)?,
        })
    }

    /// The dialogues of the export: all the person takes part in (own), or
    /// those the employee takes part in that the actor manages.
    fn export_dialogue_ids(&self, actor: i64, subject: i64, own: bool) -> Result<Vec<i64>> {
        let sql = if own {
            "SELECT d.id FROM dialogue d
             JOIN participant p ON p.dialogue_id = d.id AND p.person_id = ?1
             ORDER BY d.scheduled_at, d.id"
        } else {
            "SELECT d.id FROM dialogue d
             JOIN participant p ON p.dialogue_id = d.id AND p.person_id = ?1
             JOIN participant m ON m.dialogue_id = d.id AND m.person_id = ?2
                               AND m.role = 'manager'
             WHERE d.manager_id = ?2
             ORDER BY d.scheduled_at, d.id"
        };
        let mut stmt = self.conn.prepare(sql)?;
        let ids = if own {
            stmt.query_map([subject], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        } else {
            stmt.query_map([subject, actor], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        Ok(ids)
    }

    /// One dialogue as the actor reads it on screen, with their own
    /// preparation answers.
    fn export_dialogue(&self, actor: &Actor, id: i64) -> Result<ExportDialogue> {
        let view = self.get_dialogue(actor, id)?;
        let (private, shared): (Vec<NoteView>, Vec<NoteView>) =
            view.notes.into_iter().partition(|n| n.private);
        let private_notes = private
            .into_iter()
            .filter(|n| n.author.id == actor.id)
            .map(note)
            .collect();
        let preparation_answers = match self.get_preparation(actor, id)? {
            None => Vec::new(),
            Some(prep) => prep
                .sections
                .into_iter()
                .flat_map(|s| s.questions)
                .filter_map(|q| {
                    let text = q.text;
                    q.answer.map(|a| ExportAnswer {
                        id: a.id,
                        question: text,
                        text: a.text,
                        shared: a.shared,
                        updated_at: a.updated_at,
                        damaged: a.damaged,
                    })
                })
                .collect(),
        };
        Ok(ExportDialogue {
            id: view.id,
            kind: view.kind,
            state: view.state,
            scheduled_at: view.scheduled_at,
            held_at: view.held_at,
            manager: view.manager,
            employee: view.employee,
            group: view.group,
            summary_version: view.summary_version,
            participants: view
                .participants
                .into_iter()
                .map(|p| ExportParticipant {
                    id: p.id,
                    name: p.name,
                    role: p.role,
                    confirmed_version: p.confirmed_version,
                    confirmed_at: p.confirmed_at,
                })
                .collect(),
            cancellation: view.cancellation.map(|c| ExportCancellation {
                by: c.by,
                at: c.at,
                reason: c.reason,
            }),
            agenda: view
                .agenda
                .into_iter()
                .map(|a| ExportAgendaPoint {
                    id: a.id,
                    author: a.author,
                    text: a.text,
                    status: a.status,
                    damaged: a.damaged,
                })
                .collect(),
            shared_notes: shared.into_iter().map(note).collect(),
            private_notes,
            agreements: view
                .agreements
                .into_iter()
                .map(|a| ExportAgreement {
                    id: a.id,
                    text: a.text,
                    owner: a.owner,
                    follow_up_on: a.follow_up_on,
                    if_then: a.if_then,
                    state: a.state,
                    created_by: a.created_by,
                    created_at: a.created_at,
                    damaged: a.damaged,
                    history: a
                        .history
                        .into_iter()
                        .map(|u| ExportUpdate {
                            by: u.by,
                            from: u.from,
                            to: u.to,
                            comment: u.comment,
                            at: u.at,
                            damaged: u.damaged,
                        })
                        .collect(),
                })
                .collect(),
            preparation_answers,
        })
    }
}
