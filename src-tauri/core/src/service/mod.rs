//! The operations of Tillid, each acting as a signed-in person and checking
//! the rules before it reads or writes. One `Tillid` owns one connection.

pub(crate) mod agenda;
pub(crate) mod agreements;
mod backups;
mod check;
pub(crate) mod dialogues;
mod groups;
pub(crate) mod keys;
mod leaving;
pub(crate) mod notes;
mod people;
pub(crate) mod preparation;
pub(crate) mod retention;
mod search;
mod session;
pub(crate) mod summary;
#[cfg(test)]
mod tamper;
pub(crate) mod templates;
pub(crate) mod trusted;
mod upgrade;
pub(crate) mod vault;
mod views;
// Issue 7: rule reports and good cases, in the workplace space.
mod cases;
mod rules;
// The follow-up cycle: cancelling, "since last time", requests, overview.
mod cancel;
mod overview;
mod requests;
mod since;
// Issue 8: a summary to print or save, and calendar files.
pub mod print;
// Issue 8: data rights (GDPR art. 15 and 20).
pub(crate) mod export;
// Issue 8: a new manager takes over with the employee's consent.
mod handover;
// Issue 8: deleting a person who left, at an administrator's request.
mod deleting;
// Issue 9: what someone was typing when the idle lock came.
mod drafts;

use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::crypto::KdfParams;
use crate::domain::access::Seat;
use crate::domain::{DialogueState, Role};
use crate::store::{Access, OpenOptions};
use crate::validate::format_moment;
use crate::{store, Error, Result};

pub use agenda::AgendaItemView;
pub use agreements::{AgreementInput, AgreementView, UpdateView};
pub use cancel::Cancellation;
pub use cases::{CaseInput, CaseView};
pub use check::{CheckReport, Problem};
pub use deleting::PersonDeletion;
pub use dialogues::{Can, DialogueView, ParticipantView, PlanInput, PlanOptions};
pub use drafts::{Draft, DraftView};
pub use export::{Export, EXPORT_SCHEMA_VERSION};
pub use groups::{GroupInput, GroupView};
pub use handover::HandoverQuestion;
pub use notes::NoteView;
pub use overview::{Overview, OverviewRow, Suggestion};
pub use people::{NewPerson, PersonAdminView};
pub use preparation::{AnswerView, PrepQuestion, PrepSection, Preparation};
pub use requests::{RequestInput, RequestView};
pub use retention::{RetentionPlan, RetentionRule};
pub use rules::{GrusChoice, RuleReportView, RuleReports, TakenTo};
pub use search::SearchHit;
pub use session::{AppStatus, Me, SignInChoice, WorkplaceInfo};
pub use since::SinceItem;
pub use summary::{Change, MyConfirmation};
pub use templates::{TemplateSummary, TemplateView};
pub use views::{
    AgreementBrief, DialogueBrief, HistoryDialogue, Home, Relationship, RelationshipHistory,
};

/// A person who has proved who they are. Only sign-in makes one, so every
/// operation that takes an `Actor` acts for someone who knew a passphrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    id: i64,
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.id
    }
}

pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send>;

pub struct Tillid {
    pub(crate) conn: Connection,
    /// Keys of the people signed in, in memory only.
    pub(crate) vault: vault::Vault,
    /// Cost of deriving a key from a passphrase or code.
    pub(crate) kdf: KdfParams,
    clock: Clock,
    /// Whether the file can be written here; read-only if not.
    access: Access,
    /// Whether `conn` is a file (not memory), so there is a WAL to checkpoint.
    on_disk: bool,
    /// Pages the WAL holds since its last checkpoint, as commits report
    /// them (writable files only; see `store::watch_wal`).
    wal_pages: Option<Arc<AtomicI64>>,
    /// Whether a view's read snapshot is open ([`Tillid::snapshot`]), and
    /// the roster version read in it.
    snapshot: Cell<Snapshot>,
}

/// A view's read snapshot, as [`Tillid::snapshot`] keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Snapshot {
    /// No snapshot of a view's is open: each statement reads the latest.
    None,
    /// Open; the roster version has not been read in it yet.
    Open,
    /// Open, and the latest roster version in it is this one.
    Roster(i64),
}

impl Tillid {
    /// Opens the data file: for writing if possible, else for reading only
    /// (see [`access`](Self::access)). A file Tillid cannot use is refused
    /// untouched with `not_a_database`, `damaged` or `newer_version`.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, &OpenOptions::default())
    }

    /// [`open`](Self::open) with a test's or benchmark's choices.
    #[doc(hidden)]
    pub fn open_with(path: &Path, options: &OpenOptions) -> Result<Self> {
        let (mut conn, access) = store::open(path, options)?;
        let wal_pages = match access {
            Access::ReadWrite => Some(store::watch_wal(&mut conn)?),
            Access::ReadOnly(_) => None,
        };
        let mut tillid = Self::with_connection(conn);
        tillid.access = access;
        tillid.on_disk = true;
        tillid.wal_pages = wal_pages;
        Ok(tillid)
    }

    pub fn open_in_memory() -> Result<Self> {
        Ok(Self::with_connection(store::open_in_memory()?))
    }

    fn with_connection(conn: Connection) -> Self {
        Tillid {
            conn,
            vault: vault::Vault::default(),
            kdf: KdfParams::STANDARD,
            clock: Box::new(Utc::now),
            access: Access::ReadWrite,
            on_disk: false,
            wal_pages: None,
            snapshot: Cell::new(Snapshot::None),
        }
    }

    /// Whether changes can be saved, and if not, why.
    pub fn access(&self) -> Access {
        self.access
    }

    pub fn is_read_only(&self) -> bool {
        self.access != Access::ReadWrite
    }

    /// Moves what the WAL holds into the data file and empties the WAL, so
    /// the file alone is complete (a copy of it, a later reader) and no old
    /// page images linger beside it. Every commit is already durable; this
    /// runs at sign-out and idle lock, where a short wait is unnoticed. If a
    /// reader elsewhere holds the WAL, what can be moved is, and the rest
    /// waits for the next time.
    pub fn checkpoint(&self) -> Result<()> {
        if !self.on_disk || self.is_read_only() {
            return Ok(());
        }
        self.conn
            .busy_timeout(std::time::Duration::from_millis(CHECKPOINT_WAIT_MS))?;
        let done = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            });
        self.conn.busy_timeout(std::time::Duration::from_millis(
            store::BUSY_TIMEOUT_MS.into(),
        ))?;
        done?;
        if let Some(pages) = &self.wal_pages {
            pages.store(0, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Moves the WAL into the data file when it has grown past
    /// `store::WAL_QUIET_PAGES`: for a moment when no one waits for a
    /// command (the shell's idle timer calls it), so no write pays for
    /// the checkpoint. Passive: a reader elsewhere is never waited for.
    /// Whether a checkpoint ran.
    pub fn checkpoint_when_quiet(&self) -> Result<bool> {
        let Some(pages) = &self.wal_pages else {
            return Ok(false);
        };
        if pages.load(Ordering::Relaxed) < store::WAL_QUIET_PAGES {
            return Ok(false);
        }
        let (busy, log, moved): (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        if busy == 0 && moved == log {
            pages.store(0, Ordering::Relaxed);
        }
        Ok(true)
    }

    /// Cheaper key derivation, for tests only: a copied data file is only
    /// as safe as the cost of guessing a passphrase.
    pub fn with_kdf(mut self, params: KdfParams) -> Self {
        self.kdf = params;
        self
    }

    /// A fixed or stepped clock, for tests.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Reading the raw connection is for tests and tools that inspect the
    /// file; every change goes through the operations.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// A consistent copy of the whole database, taken with SQLite's online
    /// backup so it is safe while the app runs. The copy is written beside the
    /// target, fsynced, checked, and only then renamed into place: a
    /// backup that exists is complete. If the disk fills, `disk_full`, and
    /// no partial copy is left behind.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        self.backup_with(target, &mut |_| true)
    }

    /// Like [`backup_to`](Self::backup_to), reporting progress; `keep_going`
    /// returning false cancels and leaves no file.
    pub fn backup_with(
        &self,
        target: &Path,
        keep_going: &mut dyn FnMut(store::backup::Progress) -> bool,
    ) -> Result<()> {
        store::backup::copy_to(&self.conn, target, keep_going)
    }
}

/// How long a checkpoint at sign-out waits for a reader elsewhere.
const CHECKPOINT_WAIT_MS: u64 = 500;

/// Helpers shared by the operation modules.
impl Tillid {
    /// Runs a view's reads in one read transaction: every statement sees
    /// the same snapshot of the file, and SQLite takes and releases its
    /// WAL read lock once instead of once per statement (a sixth of opening
    /// a dialogue went there). In it, the roster version is read once, as
    /// nothing can append to the roster inside the snapshot
    /// ([`Tillid::roster_version`]); the roster itself is still the one the
    /// person verified. Inside a transaction already open (a write, or an
    /// outer view), `read` just runs there. Ends with COMMIT whatever
    /// `read` returned: a view writes nothing, and should one ever write,
    /// that is kept as it would have been without the snapshot.
    pub(crate) fn snapshot<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return read();
        }
        /// Ends the snapshot however `read` ends (a value, an error, a
        /// panic), so the connection is never left inside a transaction.
        struct End<'a>(&'a Tillid);
        impl End<'_> {
            /// COMMIT; should that fail, ROLLBACK, and say why.
            fn close(&self) -> Result<()> {
                self.0.snapshot.set(Snapshot::None);
                if self.0.conn.is_autocommit() {
                    return Ok(());
                }
                self.0.conn.execute_batch("COMMIT").map_err(|e| {
                    let _ = self.0.conn.execute_batch("ROLLBACK");
                    e.into()
                })
            }
        }
        impl Drop for End<'_> {
            fn drop(&mut self) {
                let _ = self.close();
            }
        }
        self.conn.execute_batch("BEGIN DEFERRED")?;
        self.snapshot.set(Snapshot::Open);
        let end = End(self);
        let value = read()?;
        end.close()?;
        Ok(value)
    }

    /// The latest roster version: read once per view snapshot, else asked
    /// each time.
    pub(crate) fn roster_version(&self) -> Result<i64> {
        match self.snapshot.get() {
            Snapshot::Roster(version) => Ok(version),
            Snapshot::Open => {
                let version = crate::trust::roster::latest_version(&self.conn)?;
                self.snapshot.set(Snapshot::Roster(version));
                Ok(version)
            }
            Snapshot::None => crate::trust::roster::latest_version(&self.conn),
        }
    }

    fn stamp(&self) -> String {
        format_moment(self.now())
    }

    /// The actor's seat at a dialogue; `NotFound` for an unknown dialogue.
    /// Until a dialogue is held, its seats follow the verified roster: who
    /// stopped managing someone, or left a group, drops out of it.
    fn seat(&self, actor: &Actor, dialogue: i64) -> Result<Seat> {
        let seat = seat(&self.conn, actor.id, dialogue)?;
        self.settle_seat(actor, dialogue, seat, || {
            Ok(self.conn.query_row(
                "SELECT manager_id, employee_id, team_id FROM dialogue WHERE id = ?1",
                [dialogue],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
    }

    /// The seat the dialogue's participant row gives (`seat`), as the
    /// verified roster and handovers settle it; `parties` gives the
    /// dialogue's manager, employee and group when they are needed.
    fn settle_seat(
        &self,
        actor: &Actor,
        dialogue: i64,
        mut seat: Seat,
        parties: impl FnOnce() -> Result<(i64, Option<i64>, Option<i64>)>,
    ) -> Result<Seat> {
        if seat.state == DialogueState::Planned && seat.role.is_some() {
            if let Ok(roster) = self.roster(actor.id) {
                let (manager, employee, team) = parties()?;
                let still = match (employee, team) {
                    (Some(e), _) => roster.manager_of(e) == Some(manager),
                    (None, Some(t)) => roster
                        .groups
                        .get(&t)
                        .is_some_and(|g| g.leader == manager && g.includes(actor.id)),
                    (None, None) => false,
                };
                if !still {
                    seat.role = None;
                }
            }
        }
        if seat.role.is_none() && self.reads_as_successor(actor.id, dialogue)? {
            seat.role = Some(crate::domain::Role::Successor);
        }
        Ok(seat)
    }

    /// Whether the person has yet to choose a passphrase with a setup code.
    fn setup_pending(&self, person_id: i64) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT setup_pending FROM person WHERE id = ?1",
                [person_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "person" })
    }

    /// Administrators are whom the verified roster says, never a row.
    fn require_admin(&self, actor: &Actor) -> Result<()> {
        self.admin_roster(actor).map(drop)
    }
}

fn seat(conn: &Connection, person: i64, dialogue: i64) -> Result<Seat> {
    let row: Option<(DialogueState, Option<Role>)> = conn
        .query_row(
            "SELECT d.state, p.role FROM dialogue d
             LEFT JOIN participant p ON p.dialogue_id = d.id AND p.person_id = ?2
             WHERE d.id = ?1",
            [dialogue, person],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (state, role) = row.ok_or(Error::NotFound { what: "dialogue" })?;
    Ok(Seat { role, state })
}

fn allow(ok: bool) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Starts a write. A free function so that the transaction borrows only
/// the connection and the vault stays usable while it is open.
fn write(conn: &mut Connection) -> Result<Transaction<'_>> {
    // A write that failed at its very end (its commit and then its
    // rollback refused, say by an I/O error) can leave a transaction open;
    // the next write must not build on what it left.
    if !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK")?;
    }
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// A change to what participants confirm (agreements, shared notes) makes a
/// new summary version; a confirmed dialogue goes back to waiting for
/// confirmation of it.
fn bump_summary(tx: &Transaction<'_>, dialogue: i64) -> Result<()> {
    tx.execute(
        "UPDATE dialogue SET summary_version = summary_version + 1,
                state = CASE state WHEN 'confirmed' THEN 'held' ELSE state END
         WHERE id = ?1",
        [dialogue],
    )?;
    Ok(())
}

/// Records who did what to which row; no content text goes here. Every
/// write calls it, which is also how search indexes learn they are stale.
fn audit(
    tx: &Transaction<'_>,
    at: &str,
    actor: Option<i64>,
    action: &str,
    entity: &str,
    id: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at, actor_id, action, entity, entity_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![at, actor, action, entity, id],
    )?;
    Ok(())
}

/// The id the next row of `table` will get. Sealed content is bound to its
/// row id, so the id must be known before the row is written; writes run in
/// `BEGIN IMMEDIATE` transactions, so no one else can take it meanwhile.
fn next_id(tx: &Transaction<'_>, table: &'static str) -> Result<i64> {
    let sql = format!("SELECT coalesce(max(id), 0) + 1 FROM {table}");
    Ok(tx.query_row(&sql, [], |r| r.get(0))?)
}

fn person_name(conn: &Connection, id: i64) -> Result<String> {
    conn.query_row("SELECT name FROM person WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(Error::NotFound { what: "person" })
}

/// A workplace in memory: Anne, its administrator, manages Bo, and has
/// planned a dialogue with him (the actors and the dialogue's id).
#[cfg(test)]
fn planned_pair(pass_a: &str, pass_b: &str) -> (Tillid, Actor, Actor, i64) {
    let mut t = Tillid::open_in_memory()
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let a = t.setup_workplace("Nord", "Anne", pass_a).unwrap();
    let new = t.add_person(&a, "Bo", false, Some(a.id())).unwrap();
    let b = t
        .redeem_setup_code(new.person.id, &new.setup_code, pass_b)
        .unwrap();
    let plan = PlanInput {
        person_id: Some(b.id()),
        group_id: None,
        kind: None,
        scheduled_at: "2026-12-03T09:00:00Z".into(),
    };
    let d = t.plan_dialogue(&a, &plan).unwrap();
    (t, a, b, d)
}

/// Goes round the app's rules, straight to the file's bytes and the keys.
#[cfg(test)]
mod file_in_hand {
    use super::keys::{self, Lock};
    use super::*;
    use crate::codec::{FieldRef, Space};

    #[test]
    fn another_persons_passphrase_opens_nothing_private_of_yours() {
        let pass_a = "anne's long passphrase";
        let pass_b = "bo's long passphrase";
        let (mut t, a, b, d) = planned_pair(pass_a, pass_b);
        let note = t.add_note(&a, d, "Annes private note om Bo", true).unwrap();
        t.add_note(&b, d, "Delt note", false).unwrap();
        t.lock(&a);

        // Bo, with his passphrase and the file, holds every key he can get.
        let blob: Vec<u8> = t
            .conn
            .query_row("SELECT body FROM note WHERE id = ?1", [note], |r| r.get(0))
            .unwrap();
        let mut keys_of_b = vec![t.vault.get(b.id()).unwrap().secrets.content_key.clone()];
        keys_of_b.push(
            t.key_for(
                b.id(),
                Space::Pair {
                    manager: a.id(),
                    employee: b.id(),
                },
            )
            .unwrap(),
        );
        let fields = [
            Space::Private { owner: a.id() },
            Space::Private { owner: b.id() },
            Space::Pair {
                manager: a.id(),
                employee: b.id(),
            },
        ]
        .map(|space| FieldRef {
            table: "note",
            column: "body",
            row: note,
            space,
        });
        for key in &keys_of_b {
            for field in &fields {
                assert!(matches!(
                    vault::open_with(Some(key), field, &blob),
                    Err(Error::Integrity)
                ));
            }
        }
        // Nor does his passphrase unwrap Anne's secrets.
        let wrapped_a = keys::load_wrapped(&t.conn, a.id(), Lock::Passphrase)
            .unwrap()
            .unwrap();
        assert!(matches!(
            keys::unwrap_secrets(&wrapped_a, a.id(), Lock::Passphrase, pass_b),
            Err(Error::Integrity)
        ));
        // Anne's own passphrase does, and opens the note: the test can tell.
        let secrets_a = keys::unwrap_secrets(&wrapped_a, a.id(), Lock::Passphrase, pass_a).unwrap();
        assert_eq!(
            vault::open_with(Some(&secrets_a.secrets.content_key), &fields[0], &blob).unwrap(),
            "Annes private note om Bo"
        );
    }
}

/// A view's read snapshot ([`Tillid::snapshot`]).
#[cfg(test)]
mod snapshot {
    use super::*;

    fn pair() -> (Tillid, Actor, Actor, i64) {
        let pass = "a long enough passphrase";
        planned_pair(pass, pass)
    }

    #[test]
    fn views_end_their_snapshot_whether_they_succeed_or_fail() {
        let (t, a, b, d) = pair();
        t.get_dialogue(&a, d).unwrap();
        t.home(&b).unwrap();
        t.relationship_history(&a, Some(b.id()), None).unwrap();
        t.manager_overview(&a, "name").unwrap();
        assert!(t.conn.is_autocommit());
        assert!(matches!(
            t.get_dialogue(&a, d + 1000),
            Err(Error::NotFound { .. })
        ));
        assert!(t.get_dialogue(&b, d + 1000).is_err());
        assert!(t.conn.is_autocommit());
        assert_eq!(t.snapshot.get(), Snapshot::None);
    }

    #[test]
    fn inside_a_transaction_a_view_leaves_it_to_its_owner() {
        let (t, a, _, d) = pair();
        t.conn.execute_batch("BEGIN").unwrap();
        t.get_dialogue(&a, d).unwrap();
        assert!(!t.conn.is_autocommit(), "the view must not end it");
        assert_eq!(t.snapshot.get(), Snapshot::None);
        t.conn.execute_batch("ROLLBACK").unwrap();
    }

    #[test]
    fn the_roster_version_is_read_once_per_snapshot_and_anew_after_it() {
        let (mut t, a, _, d) = pair();
        let before = t.roster(a.id()).unwrap().version;
        t.snapshot(|| {
            let v = t.roster_version()?;
            assert_eq!(t.snapshot.get(), Snapshot::Roster(v));
            assert_eq!(t.roster_version()?, v);
            Ok(())
        })
        .unwrap();
        // An administrator's change after the view is seen by the next one.
        t.add_person(&a, "Cai", false, Some(a.id())).unwrap();
        let after = t.roster(a.id()).unwrap().version;
        assert!(after > before);
        let view = t.get_dialogue(&a, d).unwrap();
        assert_eq!(view.id, d);
        assert_eq!(t.roster(a.id()).unwrap().version, after);
    }
}
