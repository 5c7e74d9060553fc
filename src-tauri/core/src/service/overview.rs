//! The manager's overview: each employee and each group they lead (by the
//! verified roster), with the last dialogue held, the next one planned,
//! months since the last MUS, open agreements on each side, overdue
//! follow-ups and open requests. Plain facts and lists: no scores, no
//! ranking. One suggestion per row says which dialogue could come next.

use std::collections::HashMap;

use chrono::{Datelike, Local, Months, NaiveDate};
use serde::Serialize;

use super::{allow, Actor, AgreementBrief, RequestView, Tillid};
use crate::domain::{access, DialogueKind, DialogueState, OwnerKind, PersonRef};
use crate::Result;

/// A MUS is a yearly right: after this many months, suggest the next.
pub const MUS_EVERY_MONTHS: u32 = 12;
/// A follow-up about six months after a MUS or GRUS.
pub const FOLLOW_UP_AFTER_MONTHS: u32 = 6;

#[derive(Debug, Serialize)]
pub struct Overview {
    /// `name` (alphabetical) or `longest` (longest since a dialogue held).
    pub order: &'static str,
    pub rows: Vec<OverviewRow>,
    pub requests: Vec<RequestView>,
}

/// One dialogue, as a line in the overview.
#[derive(Clone, Debug, Serialize)]
pub struct DialogueMark {
    pub id: i64,
    pub kind: DialogueKind,
    pub scheduled_at: String,
}

#[derive(Debug, Serialize)]
pub struct Suggestion {
    pub kind: DialogueKind,
    /// The date it would be due (YYYY-MM-DD), if later than today.
    pub on: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OverviewRow {
    pub person: Option<PersonRef>,
    pub group: Option<PersonRef>,
    /// The last dialogue held (marked held or confirmed), not planned.
    pub last_held: Option<DialogueMark>,
    pub next_planned: Option<DialogueMark>,
    /// Planned dialogues whose time has passed without being marked held.
    pub not_marked_held: Vec<DialogueMark>,
    /// The last MUS (GRUS for a group) held, and whole months since.
    pub last_yearly: Option<DialogueMark>,
    pub months_since_yearly: Option<u32>,
    /// Open agreements of the employee (or the group and its members).
    pub open_theirs: Vec<AgreementBrief>,
    /// Open agreements the manager took on in this relationship.
    pub open_mine: Vec<AgreementBrief>,
    /// Open agreements (either side) whose follow-up date has passed.
    pub overdue: Vec<AgreementBrief>,
    pub open_requests: usize,
    pub suggestion: Suggestion,
}

/// Which relationship a dialogue or agreement belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    Person(i64),
    Group(i64),
}

#[derive(Default)]
struct Facts {
    last_held: Option<DialogueMark>,
    next_planned: Option<DialogueMark>,
    not_marked_held: Vec<DialogueMark>,
    last_yearly: Option<DialogueMark>,
    open_theirs: Vec<AgreementBrief>,
    open_mine: Vec<AgreementBrief>,
    overdue: Vec<AgreementBrief>,
}

impl Tillid {
    pub fn manager_overview(&self, actor: &Actor, order: &str) -> Result<Overview> {
        let today = self.now().with_timezone(&Local).date_naive();
        self.manager_overview_on(actor, order, today)
    }

    /// The overview as it looks on `today` (the manager's local date).
    pub fn manager_overview_on(
        &self,
        actor: &Actor,
        order: &str,
        today: NaiveDate,
    ) -> Result<Overview> {
        self.snapshot(|| self.overview_in(actor, order, today))
    }

    fn overview_in(&self, actor: &Actor, order: &str, today: NaiveDate) -> Result<Overview> {
        let me = actor.id;
        let order = match order {
            "" | "name" => "name",
            "longest" => "longest",
            _ => {
                return Err(crate::Error::InvalidInput { field: "order" });
            }
        };
        let roster = self.roster(me)?;
        let mut people: Vec<PersonRef> = roster
            .people
            .values()
            .filter(|p| p.manager == Some(me) && !p.left)
            .map(|p| PersonRef {
                id: p.id,
                name: p.name.clone(),
            })
            .collect();
        let mut groups: Vec<PersonRef> = roster
            .groups
            .values()
            .filter(|g| g.leader == me)
            .map(|g| PersonRef {
                id: g.id,
                name: g.name.clone(),
            })
            .collect();
        allow(access::may_see_overview(
            !people.is_empty() || !groups.is_empty(),
        ))?;
        people.sort_by_key(|p| (p.name.to_lowercase(), p.id));
        groups.sort_by_key(|g| (g.name.to_lowercase(), g.id));

        let now = self.stamp();
        let today_text = today.format("%Y-%m-%d").to_string();
        let mut facts: HashMap<Who, Facts> = HashMap::new();
        let mut relationship: HashMap<i64, Who> = HashMap::new();

        // Every dialogue this manager holds, oldest first.
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, state, scheduled_at, employee_id, team_id FROM dialogue
             WHERE manager_id = ?1 ORDER BY scheduled_at, id",
        )?;
        let rows = stmt.query_map([me], |r| {
            Ok((
                DialogueMark {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    scheduled_at: r.get(3)?,
                },
                r.get::<_, DialogueState>(2)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<i64>>(5)?,
            ))
        })?;
        for row in rows {
            let (mark, state, employee, team) = row?;
            let who = match (employee, team) {
                (_, Some(t)) => Who::Group(t),
                (Some(e), None) => Who::Person(e),
                _ => continue,
            };
            relationship.insert(mark.id, who);
            let f = facts.entry(who).or_default();
            let yearly = match who {
                Who::Person(_) => DialogueKind::Mus,
                Who::Group(_) => DialogueKind::Grus,
            };
            match state {
                DialogueState::Held | DialogueState::Confirmed => {
                    if mark.kind == yearly {
                        f.last_yearly = Some(mark.clone());
                    }
                    f.last_held = Some(mark);
                }
                DialogueState::Planned if mark.scheduled_at < now => f.not_marked_held.push(mark),
                DialogueState::Planned => {
                    if f.next_planned.is_none() {
                        f.next_planned = Some(mark);
                    }
                }
                DialogueState::Cancelled => {}
            }
        }
        drop(stmt);

        // Every open agreement in the dialogues the manager holds.
        for a in self.open_agreements(me, "me.role = 'manager'", &[])? {
            let Some(&who) = relationship.get(&a.dialogue_id) else {
                continue;
            };
            let f = facts.entry(who).or_default();
            if a.follow_up_on.as_deref().is_some_and(|d| *d < *today_text) {
                f.overdue.push(clone_brief(&a));
            }
            if a.owner.kind == OwnerKind::Person && a.owner.id == me {
                f.open_mine.push(a);
            } else {
                f.open_theirs.push(a);
            }
        }

        let requests = self.open_requests_to_me(actor)?;
        let mut asked: HashMap<i64, usize> = HashMap::new();
        for r in &requests {
            *asked.entry(r.employee.id).or_default() += 1;
        }

        let mut rows: Vec<OverviewRow> = Vec::with_capacity(people.len() + groups.len());
        for p in people {
            let f = facts.remove(&Who::Person(p.id)).unwrap_or_default();
            let open_requests = asked.get(&p.id).copied().unwrap_or(0);
            rows.push(row(
                Some(p),
                None,
                f,
                open_requests,
                today,
                DialogueKind::Mus,
            ));
        }
        for g in groups {
            let f = facts.remove(&Who::Group(g.id)).unwrap_or_default();
            rows.push(row(None, Some(g), f, 0, today, DialogueKind::Grus));
        }
        if order == "longest" {
            // Never held first, then the longest ago; names break ties.
            rows.sort_by(|a, b| {
                let at = |r: &OverviewRow| r.last_held.as_ref().map(|m| m.scheduled_at.clone());
                at(a).cmp(&at(b))
            });
        }
        Ok(Overview {
            order,
            rows,
            requests,
        })
    }
}

fn row(
    person: Option<PersonRef>,
    group: Option<PersonRef>,
    f: Facts,
    open_requests: usize,
    today: NaiveDate,
    yearly: DialogueKind,
) -> OverviewRow {
    let yearly_on = f.last_yearly.as_ref().and_then(|m| day_of(&m.scheduled_at));
    let months_since_yearly = yearly_on.map(|d| months_between(d, today));
    let suggestion = match yearly_on {
        Some(d) if months_between(d, today) < MUS_EVERY_MONTHS => Suggestion {
            kind: DialogueKind::FollowUp,
            on: d
                .checked_add_months(Months::new(FOLLOW_UP_AFTER_MONTHS))
                .filter(|due| *due > today)
                .map(|due| due.format("%Y-%m-%d").to_string()),
        },
        _ => Suggestion {
            kind: yearly,
            on: None,
        },
    };
    OverviewRow {
        person,
        group,
        last_held: f.last_held,
        next_planned: f.next_planned,
        not_marked_held: f.not_marked_held,
        last_yearly: f.last_yearly,
        months_since_yearly,
        open_theirs: f.open_theirs,
        open_mine: f.open_mine,
        overdue: f.overdue,
        open_requests,
        suggestion,
    }
}

/// The date part of a stored moment (UTC), as a date.
fn day_of(moment: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(moment.get(..10)?, "%Y-%m-%d").ok()
}

/// Whole months from `from` to `to` (0 if `to` is earlier).
pub(crate) fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let months = (to.year() - from.year()) * 12 + to.month() as i32
        - from.month() as i32
        - i32::from(to.day() < from.day());
    u32::try_from(months).unwrap_or(0)
}

fn clone_brief(a: &AgreementBrief) -> AgreementBrief {
    AgreementBrief {
        id: a.id,
        dialogue_id: a.dialogue_id,
        text: a.text.clone(),
        owner: a.owner.clone(),
        follow_up_on: a.follow_up_on.clone(),
        state: a.state,
        dialogue_scheduled_at: a.dialogue_scheduled_at.clone(),
        counterpart: a.counterpart.clone(),
        locked: a.locked,
        damaged: a.damaged,
    }
}
