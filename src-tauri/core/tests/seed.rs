//! The demo workplace is made of the same stuff the app writes: people can
//! sign in, and every dialogue opens, confirmed summaries included.

use tillid_core::crypto::KdfParams;
use tillid_core::domain::DialogueState;
use tillid_core::seed::{seed_demo, SeedSize, DEMO_PASSPHRASE};
use tillid_core::service::AgreementInput;
use tillid_core::{Error, Tillid};

#[test]
fn a_seeded_workplace_works_like_a_real_one() {
    let mut t = Tillid::open_in_memory()
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let size = SeedSize {
        people: 40,
        dialogues: 400,
    };
    let summary = seed_demo(&mut t, size).unwrap();
    assert_eq!(summary.people, 40);
    assert_eq!(summary.dialogues, 400);
    assert!(summary.agreements > 400 && summary.notes > 400);
    assert!(matches!(seed_demo(&mut t, size), Err(Error::AlreadySetUp)));

    let status = t.status().unwrap();
    let admin = t.sign_in(status.people[0].id, DEMO_PASSPHRASE).unwrap();
    // The first manager (the administrator's first report) has dialogues.
    let manager_id: i64 = t
        .connection()
        .query_row(
            "SELECT id FROM person WHERE manager_id = ?1 ORDER BY id LIMIT 1",
            [admin.id()],
            |r| r.get(0),
        )
        .unwrap();
    let manager = t.sign_in(manager_id, DEMO_PASSPHRASE).unwrap();
    let home = t.home(&manager).unwrap();
    assert!(!home.owed_to_me.is_empty());

    let confirmed: i64 = t
        .connection()
        .query_row(
            "SELECT d.id FROM dialogue d JOIN participant p ON p.dialogue_id = d.id
             WHERE d.state = 'confirmed' AND d.employee_id IS NOT NULL AND d.manager_id = ?1 AND p.person_id = ?1 LIMIT 1",
            [manager_id],
            |r| r.get(0),
        )
        .unwrap();
    let view = t.get_dialogue(&manager, confirmed).unwrap();
    assert_eq!(view.state, DialogueState::Confirmed);
    assert!(view.changes_since_my_confirmation.is_none());
    assert_eq!(
        view.notes.len(),
        2,
        "the manager sees their private note too"
    );

    // Changing one agreement shows exactly that one change against the
    // seeded confirmation, so seeded snapshots match the app's own.
    let a = &view.agreements[0];
    let input = AgreementInput {
        text: format!("{} (reworded)", a.text),
        owner_person_id: Some(a.owner.id),
        follow_up_on: a.follow_up_on.clone(),
        if_then: a.if_then.clone(),
    };
    t.edit_agreement(&manager, a.id, &input).unwrap();
    let changes = t
        .get_dialogue(&manager, confirmed)
        .unwrap()
        .changes_since_my_confirmation
        .unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].change, "changed");
}
