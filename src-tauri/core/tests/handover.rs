//! A new manager: with the employee's signed consent they read the shared
//! history with the earlier manager and take over the open agreements that
//! manager owned; without it they read nothing of it. The earlier manager's
//! private notes stay theirs, and an edit of the file forges no consent.

mod support;

use support::{workplace, Workplace};
use tillid_core::{Actor, Error};

/// Mona and Erik have a held dialogue with an open agreement Mona owns, a
/// shared note, and Mona's private note; then Otto becomes Erik's manager.
struct Story {
    w: Workplace,
    dialogue: i64,
    monas_agreement: i64,
    eriks_agreement: i64,
}

fn story() -> Story {
    let mut w = workplace();
    let d = w.dialogue();
    let (admin, mona, erik, otto) = (
        w.admin.clone(),
        w.manager.clone(),
        w.employee.clone(),
        w.other_manager.clone(),
    );
    let monas_agreement = w.agreement(
        &mona,
        d,
        Some(mona.id()),
        "Mona finder et kursus i klarsprog",
    );
    let eriks_agreement = w.agreement(&mona, d, Some(erik.id()), "Erik læser op på de nye regler");
    w.t.add_note(&mona, d, "DELT-NOTE fra samtalen", false)
        .unwrap();
    w.t.add_note(&mona, d, "MONAS-PRIVATE-NOTE om Erik", true)
        .unwrap();
    w.t.mark_held(&mona, d).unwrap();
    w.t.set_manager(&admin, erik.id(), Some(otto.id())).unwrap();
    Story {
        w,
        dialogue: d,
        monas_agreement,
        eriks_agreement,
    }
}

fn history_ids(s: &Story, reader: &Actor, about: i64) -> Vec<i64> {
    s.w.t
        .relationship_history(reader, Some(about), None)
        .unwrap()
        .dialogues
        .iter()
        .map(|d| d.dialogue.id)
        .collect()
}

#[test]
fn with_consent_the_new_manager_reads_the_history_and_takes_over_the_managers_agreements() {
    let mut s = story();
    let (mona, erik, otto) = (
        s.w.manager.clone(),
        s.w.employee.clone(),
        s.w.other_manager.clone(),
    );
    // Erik is asked once, about Mona, for Otto.
    let asked = s.w.t.pending_handovers(&erik).unwrap();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].old_manager.id, mona.id());
    assert_eq!(asked[0].new_manager.id, otto.id());
    assert_eq!(asked[0].open_agreements, 1);
    assert_eq!(s.w.t.home(&erik).unwrap().handovers.len(), 1);

    s.w.t.decide_handover(&erik, mona.id(), true).unwrap();
    assert!(s.w.t.pending_handovers(&erik).unwrap().is_empty());

    // Otto reads the earlier dialogue: its agreements and shared note, not
    // Mona's private note.
    assert_eq!(history_ids(&s, &otto, erik.id()), vec![s.dialogue]);
    let view = s.w.t.get_dialogue(&otto, s.dialogue).unwrap();
    assert_eq!(view.my_role.as_str(), "successor");
    let texts: Vec<&str> = view.agreements.iter().map(|a| a.text.as_str()).collect();
    assert!(
        texts.contains(&"Mona finder et kursus i klarsprog"),
        "{texts:?}"
    );
    let notes: Vec<&str> = view.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(notes, vec!["DELT-NOTE fra samtalen"]);
    // He writes nothing in it.
    assert!(!view.can.add_note && !view.can.add_agreement && !view.can.confirm);
    assert!(matches!(
        s.w.t.add_note(&otto, s.dialogue, "Otto skriver", false),
        Err(Error::Forbidden)
    ));

    // Mona's open agreement is Otto's now, everywhere it is shown.
    let taken = view
        .agreements
        .iter()
        .find(|a| a.id == s.monas_agreement)
        .unwrap();
    assert_eq!(taken.owner.id, otto.id());
    assert!(taken.can_update_state);
    let eriks = view
        .agreements
        .iter()
        .find(|a| a.id == s.eriks_agreement)
        .unwrap();
    assert_eq!(eriks.owner.id, erik.id());
    assert!(!eriks.can_update_state);
    let ottos_home = s.w.t.home(&otto).unwrap();
    assert!(ottos_home
        .my_responsibilities
        .iter()
        .any(|a| a.id == s.monas_agreement && a.text == "Mona finder et kursus i klarsprog"));
    let monas_home = s.w.t.home(&mona).unwrap();
    assert!(!monas_home
        .my_responsibilities
        .iter()
        .any(|a| a.id == s.monas_agreement));
    let eriks_home = s.w.t.home(&erik).unwrap();
    let owed = eriks_home
        .owed_to_me
        .iter()
        .find(|a| a.id == s.monas_agreement)
        .unwrap();
    assert_eq!(owed.owner.id, otto.id());

    // Otto moves it on; Erik sees Otto's step.
    s.w.t
        .set_agreement_state(&otto, s.monas_agreement, "done", Some("Kurset er fundet"))
        .unwrap();
    let view = s.w.t.get_dialogue(&erik, s.dialogue).unwrap();
    let done = view
        .agreements
        .iter()
        .find(|a| a.id == s.monas_agreement)
        .unwrap();
    assert_eq!(done.state.as_str(), "done");
    assert!(!done.damaged);
    assert_eq!(done.history.last().unwrap().by.id, otto.id());

    // Mona keeps reading what she took part in.
    let view = s.w.t.get_dialogue(&mona, s.dialogue).unwrap();
    assert!(view
        .notes
        .iter()
        .any(|n| n.text == "MONAS-PRIVATE-NOTE om Erik"));
}

#[test]
fn without_consent_the_new_manager_reads_nothing_of_the_history() {
    let mut s = story();
    let (mona, erik, otto) = (
        s.w.manager.clone(),
        s.w.employee.clone(),
        s.w.other_manager.clone(),
    );
    // Not yet decided: nothing.
    assert!(history_ids(&s, &otto, erik.id()).is_empty());
    assert!(matches!(
        s.w.t.get_dialogue(&otto, s.dialogue),
        Err(Error::Forbidden)
    ));
    s.w.t.decide_handover(&erik, mona.id(), false).unwrap();
    assert!(s.w.t.pending_handovers(&erik).unwrap().is_empty());
    assert!(history_ids(&s, &otto, erik.id()).is_empty());
    assert!(matches!(
        s.w.t.get_dialogue(&otto, s.dialogue),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        s.w.t
            .set_agreement_state(&otto, s.monas_agreement, "done", None),
        Err(Error::Forbidden)
    ));
    // The agreement stays Mona's; Erik keeps everything.
    let view = s.w.t.get_dialogue(&erik, s.dialogue).unwrap();
    let monas = view
        .agreements
        .iter()
        .find(|a| a.id == s.monas_agreement)
        .unwrap();
    assert_eq!(monas.owner.id, mona.id());
    assert_eq!(history_ids(&s, &erik, mona.id()), vec![s.dialogue]);
    // Deciding twice is not asked for.
    assert!(matches!(
        s.w.t.decide_handover(&erik, mona.id(), true),
        Err(Error::Forbidden)
    ));
}

#[test]
fn only_the_employee_decides_and_only_for_their_present_manager() {
    let mut s = story();
    let (mona, otto, olga) = (
        s.w.manager.clone(),
        s.w.other_manager.clone(),
        s.w.outsider.clone(),
    );
    // Otto cannot consent on Erik's behalf; Olga (still Mona's) is asked
    // nothing.
    assert!(matches!(
        s.w.t.decide_handover(&otto, mona.id(), true),
        Err(Error::Forbidden)
    ));
    assert!(s.w.t.pending_handovers(&olga).unwrap().is_empty());
    assert!(matches!(
        s.w.t.decide_handover(&olga, mona.id(), true),
        Err(Error::Forbidden)
    ));
}

#[test]
fn an_edited_file_forges_no_consent() {
    let mut s = story();
    let (mona, erik, otto) = (
        s.w.manager.clone(),
        s.w.employee.clone(),
        s.w.other_manager.clone(),
    );
    s.w.t.decide_handover(&erik, mona.id(), false).unwrap();
    // A colleague turns Erik's "no" into a "yes" in the file.
    s.w.t
        .connection()
        .execute("UPDATE handover SET decision = 'share'", [])
        .unwrap();
    assert!(history_ids(&s, &otto, erik.id()).is_empty());
    assert!(matches!(
        s.w.t.get_dialogue(&otto, s.dialogue),
        Err(Error::Forbidden)
    ));
    let view = s.w.t.get_dialogue(&erik, s.dialogue).unwrap();
    assert!(view
        .agreements
        .iter()
        .any(|a| a.id == s.monas_agreement && a.owner.id == mona.id()));
    // And a consent written from scratch, with a made-up signature.
    s.w.t
        .connection()
        .execute(
            "INSERT INTO handover (employee_id, old_manager_id, new_manager_id, decision, decided_at, sig)
             VALUES (?1, ?2, ?3, 'share', '2026-12-02T00:00:00Z', x'00')",
            [s.w.employee.id(), mona.id(), s.w.outsider.id()],
        )
        .unwrap();
    let olga = s.w.outsider.clone();
    assert!(matches!(
        s.w.t.get_dialogue(&olga, s.dialogue),
        Err(Error::Forbidden)
    ));
    // The forged "yes" asks Erik again, and his real answer replaces it.
    assert_eq!(s.w.t.pending_handovers(&erik).unwrap().len(), 1);
    s.w.t.decide_handover(&erik, mona.id(), true).unwrap();
    assert_eq!(history_ids(&s, &otto, erik.id()), vec![s.dialogue]);
}
