//! A dialogue's summary to print or save, and calendar entries: both built
//! from what the reader may already see (`get_dialogue`, `home`), never
//! from rows read on trust. Private notes and preparation answers are
//! never part of either; calendar entries carry no sealed text at all.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Actor, Tillid};
use crate::documents::calendar::{Entry, When};
use crate::documents::Lang;
use crate::domain::{AgreementState, DialogueKind, DialogueState, OwnerKind, Role};
use crate::{Error, Result};

/// What a summary holds: the development plan alone (the agreements), or
/// the whole summary with the shared notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Agreements,
    Whole,
}

impl Scope {
    /// A MUS files its development plan only (Danish practice); the other
    /// kinds their whole summary.
    pub fn default_for(kind: DialogueKind) -> Scope {
        match kind {
            DialogueKind::Mus => Scope::Agreements,
            _ => Scope::Whole,
        }
    }

    pub fn parse(text: &str) -> Result<Scope> {
        match text {
            "agreements" => Ok(Scope::Agreements),
            "whole" => Ok(Scope::Whole),
            _ => Err(Error::InvalidInput { field: "scope" }),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SummaryParticipant {
    pub name: String,
    pub role: Role,
    pub confirmed_version: Option<i64>,
    pub confirmed_at: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SummaryAgreement {
    pub text: String,
    pub damaged: bool,
    pub owner: String,
    pub owner_kind: OwnerKind,
    pub follow_up_on: Option<String>,
    pub if_then: Option<String>,
    pub state: AgreementState,
}

#[derive(Clone, Debug, Serialize)]
pub struct SummaryNote {
    pub author: String,
    pub text: String,
    pub damaged: bool,
    pub created_at: String,
}

/// A held or confirmed dialogue's summary as the reader may see it.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryDoc {
    pub dialogue_id: i64,
    pub workplace: String,
    pub kind: DialogueKind,
    pub state: DialogueState,
    pub scope: Scope,
    /// The other side as the reader sees it: a person or a group.
    pub counterpart: String,
    pub scheduled_at: String,
    pub held_at: Option<String>,
    pub group: Option<String>,
    pub summary_version: i64,
    pub state_damaged: bool,
    pub participants: Vec<SummaryParticipant>,
    pub agreements: Vec<SummaryAgreement>,
    /// Shared notes only, and only for the whole summary.
    pub notes: Vec<SummaryNote>,
}

/// How long a calendar entry for each kind lasts, in minutes: a MUS or
/// GRUS takes 1½–2 hours (DOMAIN.md), the others about an hour.
fn minutes_of(kind: DialogueKind) -> i64 {
    match kind {
        DialogueKind::Mus | DialogueKind::Grus => 90,
        _ => 60,
    }
}

fn moment(field: &'static str, text: &str) -> Result<DateTime<Utc>> {
    text.parse::<DateTime<Utc>>()
        .map_err(|_| Error::InvalidDate { field })
}

fn day(field: &'static str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| Error::InvalidDate { field })
}

impl Tillid {
    /// The summary of a held or confirmed dialogue, as `actor` may see it.
    pub fn dialogue_summary(
        &self,
        actor: &Actor,
        dialogue: i64,
        scope: Option<Scope>,
    ) -> Result<SummaryDoc> {
        let view = self.get_dialogue(actor, dialogue)?;
        if !matches!(view.state, DialogueState::Held | DialogueState::Confirmed) {
            return Err(Error::WrongState {
                state: view.state.as_str(),
            });
        }
        let scope = scope.unwrap_or(Scope::default_for(view.kind));
        let counterpart = match (&view.group, &view.employee, view.my_role) {
            (Some(g), _, _) => g.name.clone(),
            (None, Some(e), Role::Manager | Role::Successor) => e.name.clone(),
            _ => view.manager.name.clone(),
        };
        let notes = match scope {
            Scope::Agreements => Vec::new(),
            Scope::Whole => view
                .notes
                .iter()
                .filter(|n| !n.private)
                .map(|n| SummaryNote {
                    author: n.author.name.clone(),
                    text: n.text.clone(),
                    damaged: n.damaged,
                    created_at: n.created_at.clone(),
                })
                .collect(),
        };
        Ok(SummaryDoc {
            dialogue_id: view.id,
            workplace: self.workplace_name()?,
            kind: view.kind,
            state: view.state,
            scope,
            counterpart,
            scheduled_at: view.scheduled_at,
            held_at: view.held_at,
            group: view.group.map(|g| g.name),
            summary_version: view.summary_version,
            state_damaged: view.state_damaged,
            participants: view
                .participants
                .into_iter()
                .map(|p| SummaryParticipant {
                    name: p.name,
                    role: p.role,
                    confirmed_version: p.confirmed_version,
                    confirmed_at: p.confirmed_at,
                })
                .collect(),
            agreements: view
                .agreements
                .into_iter()
                .map(|a| SummaryAgreement {
                    text: a.text,
                    damaged: a.damaged,
                    owner: a.owner.name,
                    owner_kind: a.owner.kind,
                    follow_up_on: a.follow_up_on,
                    if_then: a.if_then,
                    state: a.state,
                })
                .collect(),
            notes,
        })
    }

    /// The summary as one standalone HTML document, in `lang`.
    pub fn summary_html(
        &self,
        actor: &Actor,
        dialogue: i64,
        scope: Option<Scope>,
        lang: Lang,
    ) -> Result<String> {
        let doc = self.dialogue_summary(actor, dialogue, scope)?;
        crate::documents::html::summary(&doc, lang, self.now())
    }

    /// A calendar file for one dialogue: the dialogue itself while it is
    /// planned, and the follow-up dates of its open agreements.
    /// `wrong_state` when there is nothing to put in a calendar.
    pub fn dialogue_calendar(&self, actor: &Actor, dialogue: i64, lang: Lang) -> Result<String> {
        let view = self.get_dialogue(actor, dialogue)?;
        let with = match (&view.group, &view.employee, view.my_role) {
            (Some(g), _, _) => g.name.clone(),
            (None, Some(e), Role::Manager | Role::Successor) => e.name.clone(),
            _ => view.manager.name.clone(),
        };
        let mut entries = Vec::new();
        if view.state == DialogueState::Planned {
            entries.push(Entry {
                uid: self.calendar_uid("dialogue", view.id)?,
                title: lang.meeting_title(view.kind, &with),
                when: When::At {
                    start: moment("scheduled_at", &view.scheduled_at)?,
                    minutes: minutes_of(view.kind),
                },
            });
        }
        for a in &view.agreements {
            if let (AgreementState::Open, Some(on)) = (a.state, &a.follow_up_on) {
                entries.push(Entry {
                    uid: self.calendar_uid("agreement", a.id)?,
                    title: lang.follow_up_title(view.kind, &with),
                    when: When::Day(day("follow_up_on", on)?),
                });
            }
        }
        if entries.is_empty() {
            return Err(Error::WrongState {
                state: view.state.as_str(),
            });
        }
        crate::documents::calendar::write(&entries, self.now())
    }

    /// A calendar file of all my upcoming dialogues and the follow-up dates
    /// (today or later) of the open agreements I carry, am owed, or — as a
    /// manager — my employees and groups carry.
    pub fn upcoming_calendar(&self, actor: &Actor, lang: Lang) -> Result<String> {
        let home = self.home(actor)?;
        let mut entries = Vec::new();
        for d in &home.upcoming {
            entries.push(Entry {
                uid: self.calendar_uid("dialogue", d.id)?,
                title: lang.meeting_title(d.kind, &d.counterpart),
                when: When::At {
                    start: moment("scheduled_at", &d.scheduled_at)?,
                    minutes: minutes_of(d.kind),
                },
            });
        }
        let mut agreements: Vec<_> = home
            .my_responsibilities
            .into_iter()
            .chain(home.owed_to_me)
            .chain(home.due_soon)
            .collect();
        match self.manager_overview(actor, "name") {
            Ok(overview) => {
                for row in overview.rows {
                    agreements.extend(row.open_theirs);
                    agreements.extend(row.open_mine);
                }
            }
            Err(Error::Forbidden) => {}
            Err(e) => return Err(e),
        }
        let today = self.now().date_naive();
        let mut seen = BTreeSet::new();
        for a in agreements {
            let Some(on) = &a.follow_up_on else { continue };
            let on = day("follow_up_on", on)?;
            if a.state != AgreementState::Open || on < today || !seen.insert(a.id) {
                continue;
            }
            let kind: DialogueKind = self.conn.query_row(
                "SELECT kind FROM dialogue WHERE id = ?1",
                [a.dialogue_id],
                |r| r.get(0),
            )?;
            entries.push(Entry {
                uid: self.calendar_uid("agreement", a.id)?,
                title: lang.follow_up_title(kind, &a.counterpart),
                when: When::Day(on),
            });
        }
        crate::documents::calendar::write(&entries, self.now())
    }

    fn workplace_name(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT name FROM workplace WHERE id = 1", [], |r| r.get(0))?)
    }

    /// A UID that stays the same on every export of the same row from the
    /// same workplace (so a calendar updates the entry instead of adding
    /// another) and differs between workplaces: the row's table and id,
    /// and a digest of when and under which name the workplace was made.
    fn calendar_uid(&self, what: &str, id: i64) -> Result<String> {
        let (name, created): (String, String) = self.conn.query_row(
            "SELECT name, created_at FROM workplace WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let digest = Sha256::digest(format!("tillid-workplace\n{created}\n{name}").as_bytes());
        Ok(format!("{what}-{id}-{}@tillid", hex::encode(&digest[..8])))
    }
}
