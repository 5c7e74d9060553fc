//! Backups that restore: a copy made while the app runs comes back as the
//! same rows and the same readable content; a file that is not a whole
//! Tillid backup this version can use is refused before anything changes;
//! automatic backups are made once a day and the last few kept.

use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use tillid_core::crypto::KdfParams;
use tillid_core::seed::{seed_demo, SeedSize, DEMO_ADMIN, DEMO_PASSPHRASE};
use tillid_core::store::backup::{self, DataLock, Progress, Stage};
use tillid_core::{paths, Error, Tillid};

fn seeded(dir: &Path, people: usize, dialogues: usize) -> Tillid {
    let mut t = Tillid::open(&paths::db_path(dir))
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    seed_demo(&mut t, SeedSize { people, dialogues }).unwrap();
    t
}

/// Every row of every table, in order: what "the same data" means.
fn rows(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
            .or_else(|_| conn.prepare(&format!("SELECT * FROM \"{table}\"")))
            .unwrap();
        let n = stmt.column_count();
        let found = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(found.map(|r| r.unwrap()));
    }
    out
}

/// What the administrator reads on their home page and in every
/// relationship, decrypted: the content as a person sees it.
fn readable(t: &mut Tillid) -> String {
    let admin = t
        .status()
        .unwrap()
        .people
        .iter()
        .find(|p| p.name == DEMO_ADMIN)
        .unwrap()
        .id;
    let actor = t.sign_in(admin, DEMO_PASSPHRASE).unwrap();
    let home = serde_json::to_string(&t.home(&actor).unwrap()).unwrap();
    let people = serde_json::to_string(&t.status().unwrap().people).unwrap();
    t.lock(&actor);
    format!("{people}\n{home}")
}

fn stages() -> impl FnMut(Stage, Progress) -> bool {
    |_, _| true
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                // The lock a window or a restore takes is part of the folder.
                .filter(|n| n != "tillid.lock")
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_backup_restores_to_the_same_rows_and_the_same_readable_content() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("monday.sqlite3");

    let mut t = seeded(dir.path(), 8, 40);
    let mut progress = Vec::new();
    t.backup_with(&copy, &mut |p| {
        progress.push(p);
        true
    })
    .unwrap();
    assert!(progress
        .last()
        .is_some_and(|p| p.done == p.total && p.total > 0));
    let at_backup = readable(&mut t);
    let rows_at_backup = rows(&copy);

    // Work goes on after the backup: a new person and a new dialogue plan.
    let admin = t
        .status()
        .unwrap()
        .people
        .iter()
        .find(|p| p.name == DEMO_ADMIN)
        .unwrap()
        .id;
    let actor = t.sign_in(admin, DEMO_PASSPHRASE).unwrap();
    t.add_person(&actor, "Bodil Efter Backup", false, None)
        .unwrap();
    t.lock(&actor);
    let after_backup = readable(&mut t);
    assert_ne!(after_backup, at_backup);
    drop(t);

    let restored = backup::restore(dir.path(), &copy, now(), &mut stages()).unwrap();
    assert_eq!(restored.facts.people, 8);

    let db = paths::db_path(dir.path());
    assert_eq!(rows(&db), rows_at_backup, "the same rows as the backup");
    let mut back = Tillid::open(&db).unwrap();
    assert_eq!(readable(&mut back), at_backup, "the same decrypted content");
    assert!(!back
        .status()
        .unwrap()
        .people
        .iter()
        .any(|p| p.name == "Bodil Efter Backup"));
    drop(back);

    // What was there before the restore is kept, whole, and opens.
    let kept = restored.kept.expect("the current data was kept");
    assert!(kept.starts_with(dir.path().join(backup::BACKUP_DIR)));
    let mut before = Tillid::open(&kept).unwrap();
    assert_eq!(readable(&mut before), after_backup);
    assert!(
        !files_in(dir.path()).iter().any(|n| n.contains("restoring")),
        "no staged copy is left: {:?}",
        files_in(dir.path())
    );
}

/// Each bad backup gets its own error, and the data file is byte for byte
/// what it was, with nothing left beside it.
#[test]
fn a_bad_backup_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let t = seeded(dir.path(), 4, 10);
    t.checkpoint().unwrap();
    drop(t);
    let db = paths::db_path(dir.path());
    let current = std::fs::read(&db).unwrap();
    let files_before = files_in(dir.path());

    let other = tempfile::tempdir().unwrap();
    let good = other.path().join("good.sqlite3");
    Tillid::open(&db).unwrap().backup_to(&good).unwrap();
    let good_bytes = std::fs::read(&good).unwrap();
    let write = |name: &str, bytes: &[u8]| -> PathBuf {
        let p = other.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };

    let missing = other.path().join("nowhere.sqlite3");
    let text = write(
        "notes.txt",
        "Referat fra personalemødet\n".repeat(500).as_bytes(),
    );
    let foreign = other.path().join("foreign.sqlite3");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE recipe (name TEXT); INSERT INTO recipe VALUES ('æblekage');")
            .unwrap();
    }
    let truncated = write("truncated.sqlite3", &good_bytes[..good_bytes.len() / 2]);
    let mut garbled = good_bytes.clone();
    let middle = garbled.len() / 2;
    for b in &mut garbled[middle..middle + 4096] {
        *b ^= 0x5a;
    }
    let garbled = write("garbled.sqlite3", &garbled);
    let newer = write("newer.sqlite3", &good_bytes);
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();

    type Expected = fn(&Error) -> bool;
    let cases: [(&Path, Expected); 6] = [
        (&missing, |e| matches!(e, Error::NotFound { .. })),
        (&text, |e| matches!(e, Error::NotADatabase)),
        (&foreign, |e| matches!(e, Error::NotADatabase)),
        (&truncated, |e| {
            matches!(e, Error::Damaged | Error::NotADatabase)
        }),
        (&garbled, |e| {
            matches!(e, Error::Damaged | Error::NotADatabase)
        }),
        (&newer, |e| {
            matches!(e, Error::NewerVersion { found: 999, .. })
        }),
    ];
    for (source, expected) in cases {
        let e = backup::restore(dir.path(), source, now(), &mut stages())
            .expect_err(&format!("{} was restored", source.display()));
        assert!(expected(&e), "{}: {e:?}", source.display());
        assert!(!e.code().is_empty());
        assert_eq!(std::fs::read(&db).unwrap(), current, "{}", source.display());
        assert_eq!(files_in(dir.path()), files_before, "{}", source.display());
    }
    // The good one still restores afterwards.
    backup::restore(dir.path(), &good, now(), &mut stages()).unwrap();
    Tillid::open(&db).unwrap();
}

#[test]
fn a_restore_never_replaces_the_file_under_an_open_window() {
    let dir = tempfile::tempdir().unwrap();
    let t = seeded(dir.path(), 3, 5);
    let other = tempfile::tempdir().unwrap();
    let copy = other.path().join("copy.sqlite3");
    t.backup_to(&copy).unwrap();
    let rows_before = rows(&paths::db_path(dir.path()));

    let window = DataLock::acquire(dir.path()).unwrap();
    let e = backup::restore(dir.path(), &copy, now(), &mut stages()).unwrap_err();
    assert!(matches!(e, Error::InUse), "{e:?}");
    assert_eq!(rows(&paths::db_path(dir.path())), rows_before);
    drop(window);
    drop(t);
    backup::restore(dir.path(), &copy, now(), &mut stages()).unwrap();
}

#[test]
fn cancelling_leaves_no_copy_and_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let t = seeded(dir.path(), 6, 60);
    let other = tempfile::tempdir().unwrap();
    let copy = other.path().join("copy.sqlite3");

    let e = t.backup_with(&copy, &mut |_| false).unwrap_err();
    assert!(matches!(e, Error::Cancelled));
    assert!(
        files_in(other.path()).is_empty(),
        "{:?}",
        files_in(other.path())
    );

    t.backup_to(&copy).unwrap();
    drop(t);
    let db = paths::db_path(dir.path());
    let rows_before = rows(&db);
    for at in [
        Stage::Verifying,
        Stage::Copying,
        Stage::Opening,
        Stage::KeepingCurrent,
    ] {
        let e = backup::restore(dir.path(), &copy, now(), &mut |stage, _| stage != at).unwrap_err();
        assert!(matches!(e, Error::Cancelled), "{at:?}: {e:?}");
        assert_eq!(rows(&db), rows_before, "{at:?}");
        assert!(
            !files_in(dir.path()).iter().any(|n| n.contains("restoring")),
            "{at:?}: {:?}",
            files_in(dir.path())
        );
    }
}

#[test]
fn a_backup_from_an_older_version_is_upgraded_as_it_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    seeded(dir.path(), 3, 5);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v0.2-sealed.sqlite3");
    let restored = backup::restore(dir.path(), &fixture, now(), &mut stages()).unwrap();
    assert!(restored.facts.schema < tillid_core::store::MIGRATIONS.len() as i64);
    let conn = rusqlite::Connection::open(paths::db_path(dir.path())).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, tillid_core::store::MIGRATIONS.len() as i64);
    Tillid::open(&paths::db_path(dir.path())).unwrap();
}

#[test]
fn automatic_backups_are_made_once_a_day_and_the_last_seven_kept() {
    let dir = tempfile::tempdir().unwrap();
    drop(seeded(dir.path(), 3, 5));
    let backups = dir.path().join(backup::BACKUP_DIR);
    let day = |n: i64| now() + Duration::days(n);

    assert!(backup::daily_backup(dir.path(), day(0), 7)
        .unwrap()
        .is_some());
    assert!(
        backup::daily_backup(dir.path(), day(0) + Duration::hours(5), 7)
            .unwrap()
            .is_none(),
        "a second start the same day makes no second backup"
    );
    for n in 1..10 {
        backup::daily_backup(dir.path(), day(n), 7).unwrap();
    }
    let names = files_in(&backups);
    let expected: Vec<String> = (3..10)
        .map(|n| format!("tillid-{}.sqlite3", day(n).format("%Y-%m-%d")))
        .collect();
    assert_eq!(names, expected);
    // Each is a whole backup that restores.
    let newest = backups.join(&expected[6]);
    backup::verify(&newest).unwrap();
}
