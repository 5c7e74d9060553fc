//! `tillid check`: is the file whole, does the roster verify, and does
//! everything a given person may read open as genuine? Lists each problem
//! with the item it is in, so support can find it.

use serde::Serialize;

use super::{Actor, Tillid};
use crate::trust::roster;
use crate::{Error, Result};

#[derive(Debug, Default, Serialize)]
pub struct CheckReport {
    /// SQLite's own `PRAGMA integrity_check` said "ok".
    pub file_ok: bool,
    /// What SQLite said when it was not ok.
    pub file_messages: Vec<String>,
    /// The roster verified (from the person's pins, or from its first head).
    pub roster_ok: bool,
    pub roster_version: i64,
    /// Items that failed: (what, id, why).
    pub problems: Vec<Problem>,
    /// Dialogues read as the person.
    pub dialogues_checked: usize,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub what: &'static str,
    pub id: i64,
    pub why: &'static str,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.file_ok && self.roster_ok && self.problems.is_empty()
    }
}

impl Tillid {
    /// Checks the file, and with `actor` everything they may read.
    pub fn check(&self, actor: Option<&Actor>) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        report.file_ok = lines == ["ok"];
        if !report.file_ok {
            report.file_messages = lines;
        }
        let roster = match actor {
            Some(a) => self.roster(a.id).map(|r| (*r).clone()),
            None if roster::exists(&self.conn)? => roster::verify(&self.conn, None),
            None => Err(Error::Integrity),
        };
        if let Ok(r) = &roster {
            report.roster_ok = true;
            report.roster_version = r.version;
        }
        let Some(actor) = actor else {
            return Ok(report);
        };
        for w in self.trust_warnings(actor)? {
            report.problems.push(Problem {
                what: "person",
                id: w.person_id.unwrap_or(0),
                why: w.kind,
            });
        }
        let dialogues: Vec<i64> = {
            let mut stmt = self.conn.prepare(
                "SELECT dialogue_id FROM participant WHERE person_id = ?1 ORDER BY dialogue_id",
            )?;
            let rows = stmt.query_map([actor.id], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for d in dialogues {
            let view = match self.get_dialogue(actor, d) {
                Ok(v) => v,
                // Not theirs to read (yet): not a fault of the file.
                Err(Error::KeyPending { .. }) | Err(Error::Forbidden) => continue,
                Err(Error::Integrity) => {
                    report.problems.push(Problem {
                        what: "dialogue",
                        id: d,
                        why: "damaged",
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
            report.dialogues_checked += 1;
            let damaged = |what, id, bad: bool| {
                bad.then_some(Problem {
                    what,
                    id,
                    why: "damaged",
                })
            };
            report.problems.extend(
                view.agenda
                    .iter()
                    .filter_map(|i| damaged("agenda_item", i.id, i.damaged))
                    .chain(
                        view.notes
                            .iter()
                            .filter_map(|n| damaged("note", n.id, n.damaged)),
                    )
                    .chain(
                        view.agreements
                            .iter()
                            .filter_map(|a| damaged("agreement", a.id, a.damaged)),
                    ),
            );
        }
        // Issue 7: the workplace's rule reports and the good examples the
        // person may read.
        for r in self.rule_reports(actor)?.reports {
            if r.damaged {
                report.problems.push(Problem {
                    what: "rule_report",
                    id: r.id,
                    why: "damaged",
                });
            }
            if !r.status_genuine {
                report.problems.push(Problem {
                    what: "rule_report",
                    id: r.id,
                    why: "status_not_genuine",
                });
            }
        }
        for c in self.cases(actor)? {
            if c.damaged {
                report.problems.push(Problem {
                    what: "case",
                    id: c.id,
                    why: "damaged",
                });
            }
        }
        Ok(report)
    }
}
