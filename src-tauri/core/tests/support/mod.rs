//! A small workplace to test against: an administrator, two managers, two
//! employees of the first manager, and a group the first manager leads.

#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use tillid_core::crypto::KdfParams;
use tillid_core::service::{AgreementInput, GroupInput, PlanInput};
use tillid_core::{Actor, Tillid};

pub const PASS: &str = "correct horse battery";

pub struct Workplace {
    pub t: Tillid,
    /// Administrator, takes part in no dialogue.
    pub admin: Actor,
    /// Manages `employee` and `outsider`; leads `group`.
    pub manager: Actor,
    pub employee: Actor,
    /// Another employee of the same manager, not in the dialogue.
    pub outsider: Actor,
    /// A manager of no one here.
    pub other_manager: Actor,
    pub group: i64,
}

/// A fixed "now" so dates in tests do not drift: 1 December 2026, 09:00 UTC.
pub fn fixed_clock() -> Box<dyn Fn() -> chrono::DateTime<Utc> + Send> {
    Box::new(|| {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .single()
            .unwrap_or_default()
    })
}

pub fn workplace() -> Workplace {
    workplace_in(
        Tillid::open_in_memory()
            .unwrap()
            .with_kdf(KdfParams::FAST_FOR_TESTS)
            .with_clock(fixed_clock()),
    )
}

/// The same workplace in a given (empty) Tillid, e.g. one on a file whose
/// raw bytes a test reads.
pub fn workplace_in(mut t: Tillid) -> Workplace {
    let admin = t
        .setup_workplace("Borgerservice", "Inge Admin", PASS)
        .unwrap();
    let manager = join(&mut t, &admin, "Mona Manager", None);
    let employee = join(&mut t, &admin, "Erik Employee", Some(manager.id()));
    let outsider = join(&mut t, &admin, "Olga Outsider", Some(manager.id()));
    let other_manager = join(&mut t, &admin, "Otto Other", None);
    let group = t
        .save_group(
            &admin,
            &GroupInput {
                group_id: None,
                name: "Team Nord".into(),
                leader_id: manager.id(),
                member_ids: vec![employee.id(), outsider.id()],
            },
        )
        .unwrap();
    Workplace {
        t,
        admin,
        manager,
        employee,
        outsider,
        other_manager,
        group,
    }
}

/// Adds a person the way the app does: the administrator adds them, they
/// redeem the setup code with a passphrase of their own.
pub fn join(t: &mut Tillid, admin: &Actor, name: &str, manager: Option<i64>) -> Actor {
    let new = t.add_person(admin, name, false, manager).unwrap();
    t.redeem_setup_code(new.person.id, &new.setup_code, PASS)
        .unwrap()
}

impl Workplace {
    /// A one-to-one between the manager and the employee.
    pub fn dialogue(&mut self) -> i64 {
        self.dialogue_at("2026-12-03T09:00:00Z")
    }

    pub fn dialogue_at(&mut self, at: &str) -> i64 {
        self.t
            .plan_dialogue(
                &self.manager,
                &PlanInput {
                    person_id: Some(self.employee.id()),
                    group_id: None,
                    kind: None,
                    scheduled_at: at.into(),
                },
            )
            .unwrap()
    }

    pub fn group_dialogue(&mut self) -> i64 {
        self.t
            .plan_dialogue(
                &self.manager,
                &PlanInput {
                    person_id: None,
                    group_id: Some(self.group),
                    kind: Some("grus".into()),
                    scheduled_at: "2026-12-04T13:00:00Z".into(),
                },
            )
            .unwrap()
    }

    pub fn agreement(&mut self, by: &Actor, dialogue: i64, owner: Option<i64>, text: &str) -> i64 {
        self.t
            .add_agreement(
                by,
                dialogue,
                &AgreementInput {
                    text: text.into(),
                    owner_person_id: owner,
                    follow_up_on: None,
                    if_then: None,
                },
            )
            .unwrap()
    }

    pub fn count(&self, table: &str) -> i64 {
        self.t
            .connection()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// Every row of every table but the audit trail, to prove a refused
    /// operation changed nothing.
    pub fn fingerprint(&self) -> Vec<String> {
        let conn = self.t.connection();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit') ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut out = Vec::new();
        for table in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let cells: Vec<String> = (0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect();
                    Ok(format!("{table}: {}", cells.join(" | ")))
                })
                .unwrap();
            out.extend(rows.map(|r| r.unwrap()));
        }
        out
    }
}

/// A workplace in a file, for tests that read the raw bytes.
pub fn file_tillid(path: &std::path::Path) -> Tillid {
    Tillid::open(path)
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS)
}

/// Every byte of every file in `dir`: the data file, its log and anything
/// else SQLite left there.
pub fn all_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            out.extend(std::fs::read(&path).unwrap());
        }
    }
    out
}

/// Whether `needle` occurs in the bytes: a marker that must never be
/// written in clear.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    contains_bytes(haystack, needle.as_bytes())
}

pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
