//! A data file written by the previous, plain-text version (fixture made by
//! commit 997d441 with `tillid seed --people 8 --dialogues 24`) is
//! encrypted in place as its people unlock, with no row lost and no text
//! changed, and none of its plain text left on disk once all have.

use std::collections::BTreeMap;

use tillid_core::seed::DEMO_PASSPHRASE;
use tillid_core::{Error, Tillid};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/v0.1-plain.sqlite3"
);

const TABLES: &[&str] = &[
    "person",
    "team",
    "team_member",
    "dialogue",
    "participant",
    "agenda_item",
    "note",
    "agreement",
    "agreement_update",
    "confirmation",
];

/// Every plain value of the content columns, keyed by table, column and row.
fn plain_values(conn: &rusqlite::Connection) -> BTreeMap<(String, String, i64), String> {
    let mut out = BTreeMap::new();
    for (table, column) in [
        ("agenda_item", "body"),
        ("note", "body"),
        ("agreement", "body"),
        ("agreement", "if_then"),
        ("agreement_update", "comment"),
        ("confirmation", "snapshot"),
    ] {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"
            ))
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
            .unwrap();
        for row in rows {
            let (id, value) = row.unwrap();
            if value.first() == Some(&0) {
                let text = String::from_utf8(value[1..].to_vec()).unwrap();
                out.insert((table.to_string(), column.to_string(), id), text);
            }
        }
    }
    out
}

fn counts(conn: &rusqlite::Connection) -> Vec<i64> {
    TABLES
        .iter()
        .map(|t| {
            conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap()
        })
        .collect()
}

#[test]
fn the_previous_version_upgrades_in_place_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    std::fs::copy(FIXTURE, &path).unwrap();
    let (before, before_counts) = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        (plain_values(&conn), counts(&conn))
    };
    assert!(before.len() > 100, "the fixture holds plain content");

    let mut t = Tillid::open(&path)
        .unwrap()
        .with_kdf(tillid_core::crypto::KdfParams::FAST_FOR_TESTS);
    assert_eq!(
        counts(t.connection()),
        before_counts,
        "migrating kept every row"
    );
    let people: Vec<i64> = t.status().unwrap().people.iter().map(|p| p.id).collect();

    // Everyone signs in with the passphrase they always had; the first
    // round makes keys and seals content, the second shares the keys of
    // spaces whose other members had none yet.
    for _round in 0..2 {
        for &id in &people {
            let actor = t.sign_in(id, DEMO_PASSPHRASE).unwrap();
            t.lock(&actor);
        }
    }
    assert!(matches!(
        t.sign_in(people[0], "wrong passphrase"),
        Err(Error::WrongPassphrase)
    ));
    assert_eq!(counts(t.connection()), before_counts, "no row lost");
    assert!(
        plain_values(t.connection()).is_empty(),
        "everything is sealed"
    );

    // Every participant reads exactly what was there before.
    let pairs: Vec<(i64, i64)> = {
        let mut stmt = t
            .connection()
            .prepare("SELECT dialogue_id, person_id FROM participant ORDER BY 1, 2")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    let mut seen = 0;
    for (dialogue, person) in pairs {
        let actor = t.sign_in(person, DEMO_PASSPHRASE).unwrap();
        let view = t.get_dialogue(&actor, dialogue).unwrap();
        for item in &view.agenda {
            assert_eq!(
                before[&("agenda_item".into(), "body".into(), item.id)],
                item.text
            );
            seen += 1;
        }
        for note in &view.notes {
            assert_eq!(before[&("note".into(), "body".into(), note.id)], note.text);
            seen += 1;
        }
        for a in &view.agreements {
            assert_eq!(before[&("agreement".into(), "body".into(), a.id)], a.text);
            assert_eq!(
                before.get(&("agreement".into(), "if_then".into(), a.id)),
                a.if_then.as_ref()
            );
            seen += 1;
        }
        assert!(view
            .changes_since_my_confirmation
            .as_ref()
            .is_none_or(|c| c.is_empty()));
        t.lock(&actor);
    }
    assert!(seen > 100);

    // And none of the old plain text is left anywhere in the data folder.
    drop(t);
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    for text in [
        "Husk at spørge ind til efteruddannelse",
        "Vi talte om trivsel",
        "Klaret, tak for hjælpen",
    ] {
        assert!(
            !bytes.windows(text.len()).any(|w| w == text.as_bytes()),
            "{text:?} is still on disk"
        );
    }
}

/// A data file written by the version with encryption at rest but before
/// signed facts (fixture made by commit 4c19683 through its own operations:
/// four people, a pending fifth, a confirmed MUS, a group dialogue and a
/// recovery code) upgrades too: every row kept, every text as it was, the
/// roster founded by whoever signs in first and completed by the rest.
#[test]
fn the_sealed_version_before_signatures_upgrades_without_loss() {
    const SEALED: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/v0.2-sealed.sqlite3"
    );
    const PASS: &str = "correct horse battery";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    std::fs::copy(SEALED, &path).unwrap();
    let before_counts = counts(&rusqlite::Connection::open(&path).unwrap());
    let mut t = Tillid::open(&path)
        .unwrap()
        .with_kdf(tillid_core::crypto::KdfParams::FAST_FOR_TESTS);
    let id = |name: &str| {
        t.status()
            .unwrap()
            .people
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .id
    };
    let (inge, mona, erik, olga, pia) = (
        id("Inge Admin"),
        id("Mona Manager"),
        id("Erik Employee"),
        id("Olga Outsider"),
        id("Pia Pending"),
    );
    // An employee signs in first and founds the roster from the rows.
    let e = t.sign_in(erik, PASS).unwrap();
    let d = t
        .relationship_history(&e, Some(mona), None)
        .unwrap()
        .dialogues[0]
        .dialogue
        .id;
    let view = t.get_dialogue(&e, d).unwrap();
    let texts: Vec<&str> = view.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["v02 note Eriks private note", "v02 note delt note"]);
    assert_eq!(view.agenda[0].text, "v02 agenda Eriks punkt");
    assert_eq!(view.agreements[0].text, "v02 agreement kursus");
    assert_eq!(
        view.agreements[0].if_then.as_deref(),
        Some("v02 ifthen hvis travlt")
    );
    assert_eq!(
        view.agreements[0].history[0].comment.as_deref(),
        Some("v02 comment færdig")
    );
    assert!(view.changes_since_my_confirmation.is_none());
    assert!(t.trust_warnings(&e).unwrap().is_empty());
    t.lock(&e);
    for person in [mona, olga, inge] {
        let a = t.sign_in(person, PASS).unwrap();
        assert!(t.trust_warnings(&a).unwrap().is_empty(), "{person}");
        t.lock(&a);
    }
    // The administrator's rights now come from the roster, and the people
    // who signed in have their signing keys in it.
    let a = t.sign_in(inge, PASS).unwrap();
    assert_eq!(t.list_people(&a).unwrap().len(), 5);
    t.lock(&a);
    let m = t.sign_in(mona, PASS).unwrap();
    let view = t.get_dialogue(&m, d).unwrap();
    assert!(view
        .notes
        .iter()
        .any(|n| n.text == "v02 note Monas private note"));
    let group = t.plan_options(&m).unwrap().groups[0].id;
    let history = t.relationship_history(&m, None, Some(group)).unwrap();
    let g = t
        .get_dialogue(&m, history.dialogues[0].dialogue.id)
        .unwrap();
    assert_eq!(g.notes[0].text, "v02 note gruppens note");
    assert_eq!(g.agreements[0].text, "v02 agreement gruppeaftale");
    t.lock(&m);
    // The pending colleague redeems the code they were given, and the
    // recovery code printed before the upgrade still works.
    let p = t
        .redeem_setup_code(pia, "GZJCE-CG6GF", "pias egen adgangskode")
        .unwrap();
    assert_eq!(t.plan_options(&p).unwrap().employees.len(), 0);
    t.lock(&p);
    let e = t
        .recover_with_code(erik, "5UK23-222SK-EE5GU-MGCUY", "eriks nye kode")
        .unwrap();
    assert_eq!(t.get_dialogue(&e, d).unwrap().notes.len(), 2);
    t.lock(&e);
    assert_eq!(counts(t.connection()), before_counts, "no row lost");
}
