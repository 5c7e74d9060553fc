//! What stays private on a shared laptop: content in the data file is
//! unreadable without a reader's passphrase, tampering is caught, keys
//! reach the right people, and the previous plain-text version upgrades
//! without losing a row.

mod support;

use support::{all_bytes, contains, file_tillid, workplace, PASS};

use tillid_core::service::AgreementInput;
use tillid_core::{Error, Tillid};

#[test]
fn wrong_passphrases_wait_longer_and_the_wait_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    let admin = {
        let mut t = file_tillid(&path);
        let admin = t.setup_workplace("Nord", "Inge Admin", PASS).unwrap().id();
        for _ in 0..2 {
            assert!(matches!(
                t.sign_in(admin, "not the passphrase"),
                Err(Error::WrongPassphrase)
            ));
        }
        assert!(matches!(
            t.sign_in(admin, "not the passphrase"),
            Err(Error::WrongPassphraseWait { wait_seconds: 5 })
        ));
        admin
    };
    // A new process on the same file still makes them wait, even with the
    // right passphrase.
    let mut t = file_tillid(&path);
    match t.sign_in(admin, PASS) {
        Err(Error::TryLater { seconds }) => assert!((1..=5).contains(&seconds)),
        other => panic!("expected a wait, got {other:?}"),
    }
    let err = Error::TryLater { seconds: 4 };
    assert_eq!(err.code(), "try_later");
    assert_eq!(err.params(), serde_json::json!({ "seconds": 4 }));
}

#[test]
fn a_recovery_code_brings_back_a_forgotten_passphrase_and_its_notes() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d = w.dialogue();
    w.t.add_note(&e, d, "Eriks private tanker", true).unwrap();
    assert!(!w.t.me(&e).unwrap().has_recovery_code);
    let code = w.t.create_recovery_code(&e).unwrap();
    assert!(w.t.me(&e).unwrap().has_recovery_code);
    assert_eq!(code.len(), 23);
    w.t.lock(&e);
    assert!(matches!(
        w.t.recover_with_code(e.id(), "AAAAA-AAAAA-AAAAA-AAAAA", "a new passphrase"),
        Err(Error::BadRecoveryCode)
    ));
    assert!(
        matches!(
            w.t.recover_with_code(m.id(), &code, "a new passphrase"),
            Err(Error::BadRecoveryCode)
        ),
        "a code is bound to its person"
    );
    let e =
        w.t.recover_with_code(e.id(), &code.to_lowercase(), "a new passphrase")
            .unwrap();
    assert!(matches!(
        w.t.sign_in(e.id(), PASS),
        Err(Error::WrongPassphrase)
    ));
    let e = w.t.sign_in(e.id(), "a new passphrase").unwrap();
    let notes = w.t.get_dialogue(&e, d).unwrap().notes;
    assert_eq!(notes[0].text, "Eriks private tanker");
}

#[test]
fn an_admin_reset_loses_private_notes_and_shared_keys_come_back_from_another_member() {
    let mut w = workplace();
    let (admin, m, e) = (w.admin.clone(), w.manager.clone(), w.employee.clone());
    let d = w.dialogue();
    w.t.add_agenda_item(&m, d, "Kursus i foråret").unwrap();
    w.t.add_note(&e, d, "Eriks private tanker", true).unwrap();
    w.t.add_note(&e, d, "Delt note fra Erik", false).unwrap();
    w.t.lock(&e);

    assert!(matches!(
        w.t.reset_passphrase(&admin, admin.id()),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        w.t.reset_passphrase(&m, e.id()),
        Err(Error::Forbidden)
    ));
    let code = w.t.reset_passphrase(&admin, e.id()).unwrap();
    assert!(matches!(
        w.t.sign_in(e.id(), PASS),
        Err(Error::SetupPending)
    ));
    let e =
        w.t.redeem_setup_code(e.id(), &code, "eriks new passphrase")
            .unwrap();
    match w.t.get_dialogue(&e, d) {
        Err(Error::KeyPending { names }) => assert_eq!(names, "Mona Manager"),
        other => panic!("expected the key to be pending, got {other:?}"),
    }
    let home = w.t.home(&e).unwrap();
    assert!(home.upcoming.len() == 1, "metadata stays visible meanwhile");

    // The manager's next unlock shares the pair's key with Erik again.
    w.t.lock(&m);
    w.t.sign_in(m.id(), PASS).unwrap();
    let view = w.t.get_dialogue(&e, d).unwrap();
    assert_eq!(view.agenda[0].text, "Kursus i foråret");
    let notes: Vec<_> = view.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        notes,
        ["Delt note fra Erik"],
        "the private note is gone, the shared one kept"
    );
}

#[test]
fn a_new_group_member_gets_the_groups_key_from_the_next_member_to_unlock() {
    let mut w = workplace();
    let (admin, m) = (w.admin.clone(), w.manager.clone());
    let g = w.group_dialogue();
    w.agreement(&m, g, None, "Vi tager telefonen på skift");
    let newcomer = support::join(&mut w.t, &admin, "Nina Ny", Some(m.id()));
    w.t.save_group(
        &admin,
        &tillid_core::service::GroupInput {
            group_id: Some(w.group),
            name: "Team Nord".into(),
            leader_id: m.id(),
            member_ids: vec![w.employee.id(), w.outsider.id(), newcomer.id()],
        },
    )
    .unwrap();
    let g2 = w.group_dialogue();
    match w.t.get_dialogue(&newcomer, g2) {
        Err(Error::KeyPending { .. }) | Ok(_) => {}
        Err(e) => panic!("{e:?}"),
    }
    let e = w.employee.clone();
    w.t.lock(&e);
    w.t.sign_in(e.id(), PASS).unwrap();
    let history =
        w.t.relationship_history(&newcomer, None, Some(w.group))
            .unwrap();
    assert!(history
        .dialogues
        .iter()
        .all(|d| d.agreements.iter().all(|a| !a.locked)));
}

#[test]
fn search_finds_what_you_may_read_with_danish_spellings_and_nothing_else() {
    let mut w = workplace();
    let (m, e, o) = (w.manager.clone(), w.employee.clone(), w.outsider.clone());
    let d = w.dialogue();
    w.t.add_note(&m, d, "Aase fra løn har spurgt til vagtplanen", false)
        .unwrap();
    w.t.add_note(&m, d, "Åse virker presset – tal med hende", true)
        .unwrap();
    w.t.add_agenda_item(&e, d, "Mere fleksibel arbejdstid")
        .unwrap();
    let a = w.agreement(&m, d, Some(e.id()), "Erik skriver vejledningen");
    w.t.set_agreement_state(&e, a, "done", Some("Delt på intranettet"))
        .unwrap();

    let kinds = |t: &Tillid, who, q: &str| -> Vec<String> {
        t.search(who, q)
            .unwrap()
            .into_iter()
            .map(|h| h.kind)
            .collect()
    };
    let mut manager_hits = kinds(&w.t, &m, "Åse");
    manager_hits.sort();
    assert_eq!(manager_hits, ["note", "private_note"]);
    assert_eq!(
        kinds(&w.t, &e, "Åse"),
        ["note"],
        "the manager's private note is not found"
    );
    assert_eq!(kinds(&w.t, &e, "aase"), ["note"]);
    assert_eq!(kinds(&w.t, &e, "fleksib"), ["agenda"]);
    assert_eq!(kinds(&w.t, &e, "intranet"), ["comment"]);
    assert!(
        kinds(&w.t, &o, "vagtplanen").is_empty(),
        "not in the outsider's dialogues"
    );
    let hit = &w.t.search(&e, "vejledningen").unwrap()[0];
    assert_eq!(
        (hit.kind.as_str(), hit.dialogue_id, hit.counterpart.as_str()),
        ("agreement", d, "Mona Manager")
    );

    // A write after the index was built shows up in the next search.
    w.t.add_note(&e, d, "Ny note om Åsted", false).unwrap();
    assert_eq!(kinds(&w.t, &e, "aasted"), ["note"]);
    w.t.lock(&e);
    assert!(matches!(w.t.search(&e, "aase"), Err(Error::NotSignedIn)));
}

#[test]
fn markers_in_every_encrypted_field_never_reach_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    let mut t = file_tillid(&path);
    let admin = t.setup_workplace("Nord", "Inge Admin", PASS).unwrap();
    let new = t.add_person(&admin, "Mona Manager", false, None).unwrap();
    let m = t
        .redeem_setup_code(new.person.id, &new.setup_code, PASS)
        .unwrap();
    let new = t
        .add_person(&admin, "Erik Employee", false, Some(m.id()))
        .unwrap();
    let e = t
        .redeem_setup_code(new.person.id, &new.setup_code, PASS)
        .unwrap();
    let d = t
        .plan_dialogue(
            &m,
            &tillid_core::service::PlanInput {
                person_id: Some(e.id()),
                group_id: None,
                kind: None,
                scheduled_at: "2026-12-03T09:00:00Z".into(),
            },
        )
        .unwrap();
    let markers = [
        "MARKER-AGENDA-7f3a",
        "MARKER-PRIVATE-NOTE-91cd",
        "MARKER-SHARED-NOTE-2b8e",
        "MARKER-AGREEMENT-55aa",
        "MARKER-IF-THEN-c0de",
        "MARKER-COMMENT-d00d",
        "MARKER-EDITED-NOTE-e11e",
    ];
    t.add_agenda_item(&e, d, markers[0]).unwrap();
    t.add_note(&m, d, markers[1], true).unwrap();
    let shared = t.add_note(&m, d, markers[2], false).unwrap();
    let a = t
        .add_agreement(
            &m,
            d,
            &AgreementInput {
                text: markers[3].into(),
                owner_person_id: Some(e.id()),
                follow_up_on: Some("2027-01-10".into()),
                if_then: Some(markers[4].into()),
            },
        )
        .unwrap();
    t.mark_held(&m, d).unwrap();
    let v = t.get_dialogue(&m, d).unwrap().summary_version;
    // The confirmation keeps a copy of the summary: markers included.
    t.confirm_summary(&m, d, v).unwrap();
    t.set_agreement_state(&e, a, "done", Some(markers[5]))
        .unwrap();
    t.update_note(&m, shared, markers[6]).unwrap();
    assert!(
        !t.search(&m, "MARKER").unwrap().is_empty(),
        "search works in memory"
    );

    let bytes = all_bytes(dir.path());
    assert!(bytes.len() > 10_000);
    for marker in markers {
        assert!(
            !contains(&bytes, marker),
            "{marker} is readable in the data directory"
        );
    }
    // The check itself finds what is there: names are metadata in clear.
    assert!(contains(&bytes, "Erik Employee"));
}

#[test]
fn a_flipped_byte_or_a_moved_ciphertext_fails_to_open_cleanly() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d = w.dialogue();
    let first = w.t.add_agenda_item(&m, d, "Første punkt").unwrap();
    let second = w.t.add_agenda_item(&e, d, "Andet punkt").unwrap();
    let conn = w.t.connection();
    let body: Vec<u8> = conn
        .query_row("SELECT body FROM agenda_item WHERE id = ?1", [first], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(body[0], 1, "sealed in the encrypted format");

    for position in [0, 1, 30, body.len() - 1] {
        let mut flipped = body.clone();
        flipped[position] ^= 0x01;
        conn.execute(
            "UPDATE agenda_item SET body = ?2 WHERE id = ?1",
            rusqlite::params![first, flipped],
        )
        .unwrap();
        // Caught, and shown as damaged: the point alone, not the page.
        let view = w.t.get_dialogue(&m, d).unwrap();
        let item = view.agenda.iter().find(|i| i.id == first).unwrap();
        assert!(
            item.damaged && item.text.is_empty(),
            "byte {position} flipped was not caught"
        );
        let other = view.agenda.iter().find(|i| i.id == second).unwrap();
        assert_eq!(other.text, "Andet punkt");
    }
    // The intact ciphertext of the first point, moved to the second row.
    conn.execute(
        "UPDATE agenda_item SET body = ?2 WHERE id = ?1",
        rusqlite::params![second, body],
    )
    .unwrap();
    conn.execute(
        "UPDATE agenda_item SET body = ?2 WHERE id = ?1",
        rusqlite::params![first, body],
    )
    .unwrap();
    let view = w.t.get_dialogue(&m, d).unwrap();
    let moved = view.agenda.iter().find(|i| i.id == second).unwrap();
    assert!(moved.damaged && moved.text.is_empty());
    conn.execute("DELETE FROM agenda_item WHERE id = ?1", [second])
        .unwrap();
    assert_eq!(
        w.t.get_dialogue(&m, d).unwrap().agenda[0].text,
        "Første punkt"
    );
}
