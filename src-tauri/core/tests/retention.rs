//! Keeping data no longer than needed: exactly what the administrator was
//! shown is deleted, a dialogue with open agreements is kept, and nothing
//! of what went is left in the file.

mod support;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use support::{contains, contains_bytes, join, PASS};
use tillid_core::crypto::KdfParams;
use tillid_core::service::{AgreementInput, PlanInput, RetentionRule};
use tillid_core::{Actor, Error, Tillid};

struct Office {
    t: Tillid,
    now: Arc<Mutex<DateTime<Utc>>>,
    admin: Actor,
    manager: Actor,
    employee: Actor,
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    let now = Arc::new(Mutex::new(
        Utc.with_ymd_and_hms(2019, 3, 1, 9, 0, 0).unwrap(),
    ));
    let clock = now.clone();
    let mut t = Tillid::open(&path)
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS)
        .with_clock(Box::new(move || *clock.lock().unwrap()));
    let admin = t
        .setup_workplace("Borgerservice", "Inge Admin", PASS)
        .unwrap();
    let manager = join(&mut t, &admin, "Mona Manager", None);
    let employee = join(&mut t, &admin, "Erik Employee", Some(manager.id()));
    Office {
        t,
        now,
        admin,
        manager,
        employee,
        _dir: dir,
        path,
    }
}

impl Office {
    fn at(&self, y: i32, m: u32) {
        *self.now.lock().unwrap() = Utc.with_ymd_and_hms(y, m, 1, 9, 0, 0).unwrap();
    }

    /// A dialogue of `kind` held (and confirmed by both) in month `m` of
    /// year `y`, with a private note of the manager's and an agreement.
    fn held(&mut self, y: i32, m: u32, kind: &str, note: &str, agreement_state: &str) -> i64 {
        self.at(y, m);
        let (manager, employee) = (self.manager.clone(), self.employee.clone());
        let d = self
            .t
            .plan_dialogue(
                &manager,
                &PlanInput {
                    person_id: Some(employee.id()),
                    group_id: None,
                    kind: Some(kind.into()),
                    scheduled_at: format!("{y}-{m:02}-01T10:00:00Z"),
                },
            )
            .unwrap();
        self.t.add_note(&manager, d, note, true).unwrap();
        let a = self
            .t
            .add_agreement(
                &manager,
                d,
                &AgreementInput {
                    text: format!("aftale-{note}"),
                    owner_person_id: Some(employee.id()),
                    follow_up_on: None,
                    if_then: None,
                },
            )
            .unwrap();
        self.t.mark_held(&manager, d).unwrap();
        if agreement_state != "open" {
            self.t
                .set_agreement_state(&manager, a, agreement_state, None)
                .unwrap();
        }
        let version = self.t.get_dialogue(&manager, d).unwrap().summary_version;
        self.t.confirm_summary(&manager, d, version).unwrap();
        self.t.confirm_summary(&employee, d, version).unwrap();
        d
    }

    fn raw(&self) -> Vec<u8> {
        let mut bytes = std::fs::read(&self.path).unwrap();
        let mut wal = self.path.as_os_str().to_os_string();
        wal.push("-wal");
        bytes.extend(std::fs::read(wal).unwrap_or_default());
        bytes
    }
}

#[test]
fn exactly_what_was_shown_goes_and_leaves_nothing_in_the_file() {
    let mut o = office();
    let old_done = o.held(2019, 3, "follow_up", "GAMMEL-NOTE-1", "done");
    let old_open = o.held(2019, 6, "follow_up", "GAMMEL-NOTE-2", "open");
    let recent = o.held(2025, 9, "follow_up", "NY-NOTE-3", "done");
    o.at(2026, 12);
    let (admin, manager) = (o.admin.clone(), o.manager.clone());
    let rule = RetentionRule {
        years: Some(5),
        private_notes_after_newer: false,
    };

    let plan = o.t.retention_preview(&admin, &rule).unwrap();
    assert_eq!(
        plan.dialogue_ids,
        vec![old_done],
        "only the old dialogue with nothing open"
    );
    assert_eq!(
        (
            plan.dialogues,
            plan.notes,
            plan.agreements,
            plan.confirmations
        ),
        (1, 1, 1, 2)
    );
    assert_eq!(plan.kept_for_open_agreements, 1);

    let e = o.t.retention_preview(&manager, &rule).unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    // The sealed bytes of what goes: after the run they must be nowhere in
    // the file or its log (secure_delete zeroes freed pages; the log is
    // checkpointed).
    let sealed: Vec<Vec<u8>> = {
        let conn = o.t.connection();
        let mut stmt = conn
            .prepare(
                "SELECT body FROM note WHERE dialogue_id = ?1
                 UNION ALL SELECT body FROM agreement WHERE dialogue_id = ?1",
            )
            .unwrap();
        let rows = stmt.query_map([old_done], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(sealed.len(), 2);
    assert!(sealed
        .iter()
        .all(|b| contains_bytes(&o.raw(), &b[b.len() - 32..])));

    let done = o.t.apply_retention(&admin, &rule, &plan).unwrap();
    assert_eq!(done, plan);
    let e = o.t.get_dialogue(&manager, old_done).unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
    o.t.get_dialogue(&manager, old_open).unwrap();
    o.t.get_dialogue(&manager, recent).unwrap();

    let raw = o.raw();
    assert!(!contains(&raw, "GAMMEL-NOTE-1"));
    for body in &sealed {
        assert!(
            !contains_bytes(&raw, &body[body.len() - 32..]),
            "deleted ciphertext left in the file"
        );
    }
    let conn = o.t.connection();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM note WHERE dialogue_id = ?1",
            [old_done],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    let audit: String = conn
        .query_row(
            "SELECT action FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit, "retention: 1 dialogues, 1 private notes");
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);
}

#[test]
fn private_notes_go_once_a_newer_dialogue_of_the_same_kind_is_confirmed() {
    let mut o = office();
    let first_mus = o.held(2025, 1, "mus", "MUS-NOTE-2025", "done");
    let follow_up = o.held(2025, 6, "follow_up", "OPF-NOTE", "done");
    o.held(2026, 1, "mus", "MUS-NOTE-2026", "done");
    o.at(2026, 12);
    let (admin, manager) = (o.admin.clone(), o.manager.clone());
    let rule = RetentionRule {
        years: None,
        private_notes_after_newer: true,
    };
    let plan = o.t.retention_preview(&admin, &rule).unwrap();
    assert_eq!(plan.private_notes, 1);
    assert!(plan.dialogue_ids.is_empty());
    o.t.apply_retention(&admin, &rule, &plan).unwrap();
    let notes = |d| {
        o.t.get_dialogue(&manager, d)
            .unwrap()
            .notes
            .into_iter()
            .map(|n| n.text)
            .collect::<Vec<_>>()
    };
    assert!(
        notes(first_mus).is_empty(),
        "the older MUS's private note went"
    );
    assert_eq!(notes(follow_up), ["OPF-NOTE"], "no newer follow-up: kept");
}

#[test]
fn a_plan_that_no_longer_matches_deletes_nothing() {
    let mut o = office();
    o.held(2019, 3, "follow_up", "GAMMEL", "done");
    o.at(2026, 12);
    let admin = o.admin.clone();
    let rule = RetentionRule {
        years: Some(5),
        private_notes_after_newer: false,
    };
    let mut plan = o.t.retention_preview(&admin, &rule).unwrap();
    plan.dialogues += 1;
    let e = o.t.apply_retention(&admin, &rule, &plan).unwrap_err();
    assert!(matches!(e, Error::SummaryChanged), "{e:?}");
    assert_eq!(o.t.retention_preview(&admin, &rule).unwrap().dialogues, 1);
    for years in [0, 51] {
        let e =
            o.t.retention_preview(
                &admin,
                &RetentionRule {
                    years: Some(years),
                    private_notes_after_newer: false,
                },
            )
            .unwrap_err();
        assert!(matches!(e, Error::InvalidInput { field: "years" }), "{e:?}");
    }
}

#[test]
fn the_setting_is_the_administrators_signed_fact_and_home_says_what_it_would_delete() {
    let mut o = office();
    o.held(2019, 3, "follow_up", "GAMMEL", "done");
    o.at(2026, 12);
    let (admin, manager) = (o.admin.clone(), o.manager.clone());
    assert_eq!(
        o.t.retention_setting(&admin).unwrap(),
        RetentionRule::default()
    );
    assert_eq!(o.t.home(&admin).unwrap().retention_due, None);
    let rule = RetentionRule {
        years: Some(5),
        private_notes_after_newer: true,
    };
    // Only an administrator decides it, within bounds.
    assert!(matches!(
        o.t.save_retention_setting(&manager, &rule),
        Err(Error::Forbidden)
    ));
    let e =
        o.t.save_retention_setting(
            &admin,
            &RetentionRule {
                years: Some(0),
                private_notes_after_newer: false,
            },
        )
        .unwrap_err();
    assert!(matches!(e, Error::InvalidInput { field: "years" }), "{e:?}");
    o.t.save_retention_setting(&admin, &rule).unwrap();
    assert_eq!(o.t.retention_setting(&admin).unwrap(), rule);
    // Saving deletes nothing; home tells the administrator what it would.
    assert_eq!(o.t.home(&admin).unwrap().retention_due, Some(1));
    assert_eq!(o.t.home(&manager).unwrap().retention_due, None);
    assert_eq!(o.t.retention_preview(&admin, &rule).unwrap().dialogues, 1);

    // The setting lives in the signed roster: a colleague who rewrites the
    // newest head to keep data forever breaks the signature, and the
    // roster no longer verifies for anyone.
    o.t.lock(&admin);
    let conn = o.t.connection();
    let body: Vec<u8> = conn
        .query_row(
            "SELECT body FROM roster_head ORDER BY version DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let text = String::from_utf8(body).unwrap();
    assert!(text.contains("\"retention_years\":5"), "{text}");
    let forged = text.replace("\"retention_years\":5", "\"retention_years\":50");
    conn.execute(
        "UPDATE roster_head SET body = ?1 WHERE version = (SELECT max(version) FROM roster_head)",
        [forged.as_bytes()],
    )
    .unwrap();
    let mut t = support::file_tillid(&o.path);
    match t.sign_in(admin.id(), PASS) {
        Ok(admin) => assert!(t.retention_setting(&admin).is_err()),
        Err(e) => assert_eq!(e.code(), "integrity", "{e:?}"),
    }
}
