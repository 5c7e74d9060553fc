//! What happens when the machine lets Tillid down: a power cut (every
//! commit synced), a full disk, data that can only be read, and a data file
//! that is not Tillid's, is damaged or comes from a newer version. In each
//! case what was saved before stays saved, and a file Tillid cannot use is
//! left exactly as it was.

mod support;

use std::path::{Path, PathBuf};

use support::{fixed_clock, join, PASS};
use tillid_core::crypto::KdfParams;
use tillid_core::service::{AgreementInput, PlanInput};
use tillid_core::store::{Access, Durability, OpenOptions, ReadOnlyReason};
use tillid_core::{Actor, Error, Tillid};

struct Saved {
    manager: Actor,
    employee: i64,
    dialogue: i64,
    agreement: i64,
}

fn open(path: &Path, options: &OpenOptions) -> Tillid {
    Tillid::open_with(path, options)
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS)
        .with_clock(fixed_clock())
}

/// A workplace in a data file, with one dialogue and one agreement in it.
fn saved_workplace(path: &Path) -> (Tillid, Saved) {
    let mut t = open(path, &OpenOptions::default());
    let admin = t.setup_workplace("Nord", "Inge Admin", PASS).unwrap();
    let manager = join(&mut t, &admin, "Mona Manager", None);
    let employee = join(&mut t, &admin, "Erik Employee", Some(manager.id()));
    let dialogue = t
        .plan_dialogue(
            &manager,
            &PlanInput {
                person_id: Some(employee.id()),
                group_id: None,
                kind: None,
                scheduled_at: "2026-12-03T09:00:00Z".into(),
            },
        )
        .unwrap();
    let agreement = t
        .add_agreement(
            &manager,
            dialogue,
            &agreement(employee.id(), "Saved before the fault"),
        )
        .unwrap();
    (
        t,
        Saved {
            manager,
            employee: employee.id(),
            dialogue,
            agreement,
        },
    )
}

fn agreement(owner: i64, text: &str) -> AgreementInput {
    AgreementInput {
        text: text.into(),
        owner_person_id: Some(owner),
        follow_up_on: None,
        if_then: None,
    }
}

fn data_file(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("tillid.sqlite3")
}

fn pragma(t: &Tillid, name: &str) -> i64 {
    t.connection()
        .pragma_query_value(None, name, |r| r.get(0))
        .unwrap()
}

fn set_page_limit(t: &Tillid, pages: i64) {
    // max_page_count never goes below the pages in use: this says "no
    // room for one more page", as a full disk does.
    t.connection()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
}

/// What a reader sees of the saved agreement.
fn assert_saved_is_intact(t: &mut Tillid, saved: &Saved) {
    let view = t.get_dialogue(&saved.manager, saved.dialogue).unwrap();
    assert_eq!(view.agreements.len(), 1, "only what was saved before");
    assert_eq!(view.agreements[0].id, saved.agreement);
    assert_eq!(view.agreements[0].text, "Saved before the fault");
    t.home(&saved.manager).unwrap();
    let verdict: String = t
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
}

// ---- power cut: every commit synced ----------------------------------------

#[test]
fn every_connection_the_app_opens_syncs_each_commit() {
    let dir = tempfile::tempdir().unwrap();
    let t = Tillid::open(&data_file(&dir)).unwrap();
    assert_eq!(pragma(&t, "synchronous"), 2, "synchronous = FULL");
    assert_eq!(pragma(&t, "temp_store"), 2, "temp_store = MEMORY");
    let mode: String = t
        .connection()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(t);
    // Reopening an existing file configures it the same way.
    let t = Tillid::open(&data_file(&dir)).unwrap();
    assert_eq!(pragma(&t, "synchronous"), 2);
    // The benchmark's switch is what it says, so the comparison is real.
    drop(t);
    let normal = OpenOptions {
        durability: Durability::Normal,
        ..Default::default()
    };
    let t = Tillid::open_with(&data_file(&dir), &normal).unwrap();
    assert_eq!(pragma(&t, "synchronous"), 1);
}

// The home names two indexes (`INDEXED BY`); dropping or redefining one
// outside Tillid must not leave every home unreadable. Each is built again,
// exactly as the migration made it, and the home shows what it showed
// before.
#[test]
fn an_index_dropped_or_changed_outside_tillid_is_built_again_at_the_next_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let (mut t, saved) = saved_workplace(&path);
    let schema = |conn: &rusqlite::Connection| -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    let before = schema(t.connection());
    let employee = t.sign_in(saved.employee, PASS).unwrap();
    let home = t.home(&employee).unwrap();
    let shown = (home.upcoming.len(), home.my_responsibilities.len());
    assert_eq!(
        shown,
        (1, 1),
        "the saved dialogue and agreement are on the home"
    );
    drop(t);

    let edit = rusqlite::Connection::open(&path).unwrap();
    edit.execute_batch(
        "DROP INDEX dialogue_open; DROP INDEX agreement_open;
         CREATE INDEX agreement_open ON agreement(dialogue_id) WHERE state = 'done';",
    )
    .unwrap();
    drop(edit);

    let mut t = open(&path, &OpenOptions::default());
    assert_eq!(schema(t.connection()), before);
    let employee = t.sign_in(saved.employee, PASS).unwrap();
    let home = t.home(&employee).unwrap();
    assert_eq!((home.upcoming.len(), home.my_responsibilities.len()), shown);
}

#[test]
fn a_checkpoint_moves_the_wal_into_the_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let (t, _) = saved_workplace(&path);
    let wal = dir.path().join("tillid.sqlite3-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    t.checkpoint().unwrap();
    assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0, "WAL emptied");
    // The data file alone now holds everything: a copy of it opens whole.
    let copy = dir.path().join("copy.sqlite3");
    std::fs::copy(&path, &copy).unwrap();
    let c = Tillid::open(&copy).unwrap();
    assert_eq!(c.status().unwrap().people.len(), 3);
    drop(c);
}

// ---- disk full -------------------------------------------------------------

/// Writes with `op` until the disk is full; returns how many were saved.
/// Anything but `disk_full` fails the test.
fn write_until_full(mut op: impl FnMut(usize) -> tillid_core::Result<()>) -> usize {
    for i in 0..2_000 {
        match op(i) {
            Ok(()) => {}
            Err(Error::DiskFull) => return i,
            Err(e) => panic!("expected disk_full, got {e:?}"),
        }
    }
    panic!("the disk never filled: the page limit does not bite");
}

#[test]
fn a_full_disk_at_an_agreement_write_loses_nothing_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut t, saved) = saved_workplace(&data_file(&dir));
    set_page_limit(&t, pragma(&t, "page_count"));
    let text = |i: usize| format!("Aftale {i}: {}", "ikke plads ".repeat(150));
    let fitted = write_until_full(|i| {
        t.add_agreement(
            &saved.manager,
            saved.dialogue,
            &agreement(saved.employee, &text(i)),
        )
        .map(drop)
    });
    assert_eq!(Error::DiskFull.code(), "disk_full");
    // Reading goes on, and what was saved is all there: the first
    // agreement and every one acknowledged before the disk filled.
    let view = t.get_dialogue(&saved.manager, saved.dialogue).unwrap();
    assert_eq!(view.agreements.len(), 1 + fitted);
    assert_eq!(view.agreements[0].text, "Saved before the fault");
    for (i, a) in view.agreements[1..].iter().enumerate() {
        assert_eq!(a.text, text(i).trim());
    }
    t.home(&saved.manager).unwrap();
    let verdict: String = t
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
    // Room again: the refused write succeeds.
    set_page_limit(&t, 1 << 30);
    t.add_agreement(
        &saved.manager,
        saved.dialogue,
        &agreement(saved.employee, &text(fitted)),
    )
    .unwrap();
    let view = t.get_dialogue(&saved.manager, saved.dialogue).unwrap();
    assert_eq!(view.agreements.len(), 2 + fitted);
}

#[test]
fn a_full_disk_at_an_agreement_update_loses_nothing_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut t, saved) = saved_workplace(&data_file(&dir));
    set_page_limit(&t, pragma(&t, "page_count"));
    let comment = |i: usize| format!("Opfølgning {i}: {}", "klaret ".repeat(250));
    let fitted = write_until_full(|i| {
        let to = if i % 2 == 0 { "done" } else { "open" };
        t.set_agreement_state(&saved.manager, saved.agreement, to, Some(&comment(i)))
    });
    let view = t.get_dialogue(&saved.manager, saved.dialogue).unwrap();
    let a = &view.agreements[0];
    assert_eq!(a.text, "Saved before the fault");
    assert_eq!(
        a.history.len(),
        fitted,
        "every acknowledged update, no more"
    );
    let expected = if fitted % 2 == 1 { "done" } else { "open" };
    assert_eq!(serde_json::to_value(a.state).unwrap(), expected);
    assert_saved_is_intact_but_for_history(&mut t, &saved);
}

fn assert_saved_is_intact_but_for_history(t: &mut Tillid, saved: &Saved) {
    t.home(&saved.manager).unwrap();
    let verdict: String = t
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
}

/// The disk the backup goes to is full: /dev/full answers every write with
/// ENOSPC, as a full disk does. (`max_page_count` cannot reach the file
/// `VACUUM INTO` writes, so the fault is put where the copy is written.)
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_at_a_backup_leaves_no_half_copy_and_the_data_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (mut t, saved) = saved_workplace(&data_file(&dir));
    let target = dir.path().join("backup.sqlite3");
    let partial = tillid_core::store::partial_path(&target);
    std::os::unix::fs::symlink("/dev/full", &partial).unwrap();
    let refused = t.backup_to(&target);
    assert!(
        matches!(refused, Err(Error::DiskFull)),
        "expected disk_full, got {refused:?}"
    );
    assert!(!target.exists(), "no backup that is not whole");
    assert!(
        std::fs::symlink_metadata(&partial).is_err(),
        "nothing half-written left"
    );
    assert_saved_is_intact(&mut t, &saved);
    // Room again: the backup is made, and holds what was saved.
    t.backup_to(&target).unwrap();
    let mut copy = Tillid::open(&target).unwrap();
    let m = copy.sign_in(saved.manager.id(), PASS).unwrap();
    assert_eq!(
        copy.get_dialogue(&m, saved.dialogue).unwrap().agreements[0].text,
        "Saved before the fault"
    );
}

// ---- read-only -------------------------------------------------------------

fn read_only_case(reason: ReadOnlyReason) {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let saved = {
        let (_t, saved) = saved_workplace(&path);
        saved
    };
    let before = std::fs::read(&path).unwrap();
    let forced = OpenOptions {
        force_read_only: Some(reason),
        ..Default::default()
    };
    let mut t = open(&path, &forced);
    assert_eq!(t.access(), Access::ReadOnly(reason));
    assert!(t.is_read_only());
    // Reading works: signing in (nothing counted or re-wrapped), the
    // dialogue, the home page.
    let m = t.sign_in(saved.manager.id(), PASS).unwrap();
    assert_eq!(m, saved.manager);
    assert!(matches!(
        t.sign_in(saved.manager.id(), "not the passphrase"),
        Err(Error::WrongPassphrase)
    ));
    assert_saved_is_intact(&mut t, &saved);
    // Every write says read_only.
    let refusals = [
        t.add_agreement(&m, saved.dialogue, &agreement(saved.employee, "Not saved"))
            .map(drop),
        t.set_agreement_state(&m, saved.agreement, "done", None),
        t.add_note(&m, saved.dialogue, "Not saved", false).map(drop),
        t.set_locale(&m, "en").map(drop),
        t.setup_workplace("Syd", "Someone", PASS).map(drop),
    ];
    for (i, r) in refusals.into_iter().enumerate() {
        match r {
            Err(Error::ReadOnly) => {}
            // Setup is refused earlier, for an existing workplace.
            Err(Error::AlreadySetUp) if i == 4 => {}
            other => panic!("write {i}: expected read_only, got {other:?}"),
        }
    }
    assert_eq!(Error::ReadOnly.code(), "read_only");
    // A backup only reads, so it still works from read-only data.
    let target = dir.path().join("backup.sqlite3");
    t.backup_to(&target).unwrap();
    t.checkpoint().unwrap();
    drop(t);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "not one byte changed"
    );
}

#[test]
fn a_folder_that_cannot_be_written_opens_for_reading() {
    read_only_case(ReadOnlyReason::Folder);
}

#[test]
fn a_file_that_cannot_be_written_opens_for_reading() {
    read_only_case(ReadOnlyReason::File);
}

#[test]
fn a_read_only_folder_without_a_data_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let forced = OpenOptions {
        force_read_only: Some(ReadOnlyReason::Folder),
        ..Default::default()
    };
    assert!(matches!(
        Tillid::open_with(&data_file(&dir), &forced),
        Err(Error::ReadOnly)
    ));
    assert!(!data_file(&dir).exists());
}

// ---- a file Tillid cannot use ----------------------------------------------

/// Opening `bytes` as the data file fails with `expected`, and leaves the
/// file byte for byte as it was.
fn refused_untouched(bytes: &[u8], expected: fn(&Error) -> bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    std::fs::write(&path, bytes).unwrap();
    let result = Tillid::open(&path);
    match &result {
        Err(e) if expected(e) => {}
        Err(e) => panic!("wrong error: {e:?}"),
        Ok(_) => panic!("opened a file it cannot use"),
    }
    drop(result);
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file was changed");
}

/// The bytes of a real, closed Tillid data file with some content.
fn tillid_file_bytes() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    {
        let (mut t, saved) = saved_workplace(&path);
        for i in 0..40 {
            t.add_agreement(
                &saved.manager,
                saved.dialogue,
                &agreement(
                    saved.employee,
                    &format!("Aftale {i} {}", "fyld ".repeat(100)),
                ),
            )
            .unwrap();
        }
    }
    std::fs::read(&path).unwrap()
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let text = b"Dear diary, this is not a database at all. ".repeat(200);
    refused_untouched(&text, |e| matches!(e, Error::NotADatabase));
    assert_eq!(Error::NotADatabase.code(), "not_a_database");
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch(
            "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread');",
        )
        .unwrap();
    }
    refused_untouched(&std::fs::read(&other).unwrap(), |e| {
        matches!(e, Error::NotADatabase)
    });
}

#[test]
fn a_truncated_data_file_is_refused_untouched() {
    let whole = tillid_file_bytes();
    let page = 4096;
    assert!(whole.len() > 8 * page, "file too small to cut");
    let cut = &whole[..(whole.len() / 2 / page) * page];
    refused_untouched(cut, |e| matches!(e, Error::Damaged));
    assert_eq!(Error::Damaged.code(), "damaged");
}

#[test]
fn a_data_file_with_overwritten_pages_is_refused_untouched() {
    let mut bytes = tillid_file_bytes();
    let page = 4096;
    let middle = (bytes.len() / page / 2) * page;
    for (i, b) in bytes[middle..middle + 2 * page].iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    refused_untouched(&bytes, |e| matches!(e, Error::Damaged));
}

/// Damage in a page that opening would never read (the last agreements)
/// is found before anything is written.
#[test]
fn damage_deep_in_the_file_is_found_before_anything_is_written() {
    let mut bytes = tillid_file_bytes();
    let page = 4096;
    let last = bytes.len() - page;
    for b in &mut bytes[last + 8..last + 64] {
        *b = 0xEE;
    }
    refused_untouched(&bytes, |e| matches!(e, Error::Damaged));
}

#[test]
fn a_data_file_from_a_newer_tillid_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    drop(saved_workplace(&path));
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        // As a newer Tillid might: a rollback journal, not WAL. Opening
        // must not turn it back into WAL (a write to the header).
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    refused_untouched(
        &bytes,
        |e| matches!(e, Error::NewerVersion { found: 99, known } if *known == tillid_core::store::MIGRATIONS.len() as i64),
    );
    let e = Error::NewerVersion {
        found: 99,
        known: 2,
    };
    assert_eq!(e.code(), "newer_version");
    assert_eq!(e.params()["found"], 99);
}
