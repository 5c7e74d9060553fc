//! What people rely on: sign-in, the dialogue's flow from plan to
//! confirmation, carry-over, the home ledger and the history, and that bad
//! input is refused without changing anything.

mod support;

use chrono::NaiveDate;
use support::{workplace, PASS};
use tillid_core::domain::{AgendaStatus, AgreementState, DialogueState};
use tillid_core::service::{AgreementInput, PlanInput};
use tillid_core::{Error, Tillid};

#[test]
fn sign_in_needs_the_right_passphrase_and_a_redeemed_setup_code() {
    let mut w = workplace();
    let admin = w.admin.clone();
    assert!(matches!(
        w.t.sign_in(w.manager.id(), "wrong passphrase"),
        Err(Error::WrongPassphrase)
    ));
    assert_eq!(w.t.sign_in(w.manager.id(), PASS).unwrap(), w.manager);
    assert!(matches!(
        w.t.sign_in(4242, PASS),
        Err(Error::NotFound { what: "person" })
    ));

    let new = w.t.add_person(&admin, "Nadia New", false, None).unwrap();
    assert!(matches!(
        w.t.sign_in(new.person.id, PASS),
        Err(Error::SetupPending)
    ));
    assert!(matches!(
        w.t.redeem_setup_code(new.person.id, "AAAAA-AAAAA", PASS),
        Err(Error::BadSetupCode)
    ));
    // A wrong code counts towards the wait; it changes nothing else.
    let attempts: i64 =
        w.t.connection()
            .query_row(
                "SELECT failed_attempts FROM person WHERE id = ?1",
                [new.person.id],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(attempts, 1);
    let before = w.fingerprint();
    assert!(matches!(
        w.t.redeem_setup_code(new.person.id, &new.setup_code, "short"),
        Err(Error::WeakPassphrase { min: 8 })
    ));
    assert_eq!(
        w.fingerprint(),
        before,
        "refused redemptions change nothing"
    );
    // Typed in lower case with a space instead of the dash still works.
    let typed = new.setup_code.to_lowercase().replace('-', " ");
    let nadia =
        w.t.redeem_setup_code(new.person.id, &typed, "nadias own passphrase")
            .unwrap();
    assert_eq!(
        w.t.sign_in(new.person.id, "nadias own passphrase").unwrap(),
        nadia
    );
    assert!(matches!(
        w.t.redeem_setup_code(new.person.id, &new.setup_code, PASS),
        Err(Error::BadSetupCode)
    ));
    let status = w.t.status().unwrap();
    assert!(status
        .people
        .iter()
        .any(|p| p.name == "Nadia New" && !p.needs_setup));
}

#[test]
fn a_second_setup_is_refused_and_passphrases_can_change() {
    let mut w = workplace();
    assert!(matches!(
        w.t.setup_workplace("Other", "Someone", PASS),
        Err(Error::AlreadySetUp)
    ));
    let e = w.employee.clone();
    assert!(matches!(
        w.t.change_passphrase(&e, "not it at all", "a brand new one"),
        Err(Error::WrongPassphrase)
    ));
    w.t.change_passphrase(&e, PASS, "a brand new one").unwrap();
    assert!(matches!(
        w.t.sign_in(e.id(), PASS),
        Err(Error::WrongPassphrase)
    ));
    assert!(w.t.sign_in(e.id(), "a brand new one").is_ok());
}

#[test]
fn the_last_administrator_stays_and_managers_make_no_loops() {
    let mut w = workplace();
    let (admin, m, e) = (w.admin.clone(), w.manager.id(), w.employee.id());
    assert!(matches!(
        w.t.set_admin(&admin, admin.id(), false),
        Err(Error::LastAdmin)
    ));
    assert!(w.t.me(&admin).unwrap().is_admin);
    assert!(matches!(
        w.t.set_manager(&admin, m, Some(e)),
        Err(Error::InvalidManager)
    ));
    assert!(matches!(
        w.t.set_manager(&admin, m, Some(m)),
        Err(Error::InvalidManager)
    ));
    assert!(matches!(
        w.t.add_person(&admin, "erik employee", false, None),
        Err(Error::DuplicateName { field: "name" })
    ));
    // Someone who has yet to choose a passphrase cannot be the only one
    // left to administer: no one could sign in as them.
    let new = w.t.add_person(&admin, "Nina New", true, None).unwrap();
    assert!(matches!(
        w.t.set_admin(&admin, admin.id(), false),
        Err(Error::LastAdmin)
    ));
    w.t.set_admin(&admin, new.person.id, false).unwrap();
    w.t.set_admin(&admin, m, true).unwrap();
    w.t.set_admin(&admin, admin.id(), false).unwrap();
    assert!(!w.t.me(&admin).unwrap().is_admin);
}

#[test]
fn the_employees_points_come_first_and_open_points_carry_over() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d1 = w.dialogue_at("2026-11-01T09:00:00Z");
    w.t.add_agenda_item(&m, d1, "M1").unwrap();
    let e1 = w.t.add_agenda_item(&e, d1, "E1").unwrap();
    w.t.add_agenda_item(&m, d1, "M2").unwrap();
    let e2 = w.t.add_agenda_item(&e, d1, "E2").unwrap();
    let texts: Vec<_> =
        w.t.get_dialogue(&m, d1)
            .unwrap()
            .agenda
            .into_iter()
            .map(|a| a.text)
            .collect();
    assert_eq!(texts, ["E1", "E2", "M1", "M2"]);

    w.t.set_agenda_status(&m, e1, "discussed").unwrap();
    w.t.mark_held(&m, d1).unwrap();
    let d2 = w.dialogue_at("2026-12-15T09:00:00Z");
    let next = w.t.get_dialogue(&e, d2).unwrap();
    let carried: Vec<_> = next
        .agenda
        .iter()
        .map(|a| (a.text.as_str(), a.carried_from.as_deref()))
        .collect();
    assert_eq!(
        carried,
        [
            ("E2", Some("2026-11-01T09:00:00Z")),
            ("M1", Some("2026-11-01T09:00:00Z")),
            ("M2", Some("2026-11-01T09:00:00Z"))
        ]
    );
    assert!(next.agenda.iter().all(|a| a.status == AgendaStatus::Open));
    assert!(
        next.agenda.iter().any(|a| a.id == e2 && !a.mine) || next.agenda[0].author.id == e.id()
    );
    // The discussed point stays in the dialogue where it was discussed.
    let first = w.t.get_dialogue(&m, d1).unwrap();
    assert_eq!(
        first
            .agenda
            .iter()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>(),
        ["E1"]
    );
    // Another employee's dialogues take nothing from this relationship.
    let o = w.outsider.id();
    let other =
        w.t.plan_dialogue(
            &m,
            &PlanInput {
                person_id: Some(o),
                group_id: None,
                kind: Some("mus".into()),
                scheduled_at: "2026-12-16T09:00:00Z".into(),
            },
        )
        .unwrap();
    assert!(w.t.get_dialogue(&m, other).unwrap().agenda.is_empty());
}

#[test]
fn confirmation_records_the_version_and_a_later_edit_asks_again() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d = w.dialogue();
    let a = w.agreement(&m, d, Some(e.id()), "Erik takes the rota");
    w.t.add_note(&m, d, "We talked about the winter", false)
        .unwrap();
    assert!(matches!(
        w.t.confirm_summary(&e, d, 1),
        Err(Error::WrongState { state: "planned" })
    ));
    w.t.mark_held(&m, d).unwrap();
    assert!(matches!(
        w.t.mark_held(&m, d),
        Err(Error::WrongState { state: "held" })
    ));
    let v = w.t.get_dialogue(&m, d).unwrap().summary_version;
    assert!(matches!(
        w.t.confirm_summary(&e, d, v - 1),
        Err(Error::SummaryChanged)
    ));
    w.t.confirm_summary(&m, d, v).unwrap();
    assert_eq!(w.t.get_dialogue(&m, d).unwrap().state, DialogueState::Held);
    assert!(!w.t.get_dialogue(&m, d).unwrap().can.confirm);
    w.t.confirm_summary(&e, d, v).unwrap();
    let view = w.t.get_dialogue(&e, d).unwrap();
    assert_eq!(view.state, DialogueState::Confirmed);
    assert!(view
        .participants
        .iter()
        .all(|p| p.confirmed_version == Some(v)));
    assert!(view.changes_since_my_confirmation.is_none());

    // A changed agreement and a new shared note: confirmed no more, and
    // each participant sees what changed since they confirmed.
    w.t.edit_agreement(
        &m,
        a,
        &AgreementInput {
            text: "Erik takes the rota in January".into(),
            owner_person_id: Some(e.id()),
            follow_up_on: None,
            if_then: None,
        },
    )
    .unwrap();
    w.t.add_note(&m, d, "Added afterwards", false).unwrap();
    w.t.add_note(&m, d, "Private afterthought", true).unwrap();
    let view = w.t.get_dialogue(&e, d).unwrap();
    assert_eq!(view.state, DialogueState::Held);
    assert_eq!(
        view.summary_version,
        v + 2,
        "a private note is not part of the summary"
    );
    assert!(view.can.confirm);
    let changes: Vec<_> = view
        .changes_since_my_confirmation
        .unwrap()
        .into_iter()
        .map(|c| (c.what, c.change, c.text))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "agreement",
                "changed",
                "Erik takes the rota in January".to_string()
            ),
            ("note", "added", "Added afterwards".to_string())
        ]
    );
    w.t.confirm_summary(&e, d, v + 2).unwrap();
    w.t.confirm_summary(&m, d, v + 2).unwrap();
    assert_eq!(
        w.t.get_dialogue(&e, d).unwrap().state,
        DialogueState::Confirmed
    );
}

#[test]
fn agreement_states_keep_their_history() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d = w.dialogue();
    let a = w.agreement(&m, d, Some(e.id()), "Write the guide");
    w.t.set_agreement_state(&e, a, "done", Some("Shared it on Friday"))
        .unwrap();
    w.t.set_agreement_state(&m, a, "open", None).unwrap();
    w.t.set_agreement_state(&e, a, "renegotiated", Some("Too big; split it up"))
        .unwrap();
    assert!(matches!(
        w.t.set_agreement_state(&e, a, "renegotiated", None),
        Err(Error::WrongState { .. })
    ));
    assert!(matches!(
        w.t.set_agreement_state(&e, a, "finished", None),
        Err(Error::InvalidInput { field: "state" })
    ));
    let view = w.t.get_dialogue(&e, d).unwrap();
    let agreement = &view.agreements[0];
    assert_eq!(agreement.state, AgreementState::Renegotiated);
    let history: Vec<_> = agreement
        .history
        .iter()
        .map(|h| (h.by.name.as_str(), h.from, h.to, h.comment.as_deref()))
        .collect();
    use AgreementState::*;
    assert_eq!(
        history,
        [
            ("Erik Employee", Open, Done, Some("Shared it on Friday")),
            ("Mona Manager", Done, Open, None),
            (
                "Erik Employee",
                Open,
                Renegotiated,
                Some("Too big; split it up")
            ),
        ]
    );
}

#[test]
fn group_agreements_belong_to_the_group_and_owners_must_take_part() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let g = w.group_dialogue();
    let d = w.dialogue();
    let view = w.t.get_dialogue(&e, g).unwrap();
    assert_eq!(view.participants.len(), 3);
    assert_eq!(view.owner_choices[0].name, "Team Nord");
    w.agreement(&m, g, None, "We answer the phone in turns");
    let no_group_here = AgreementInput {
        text: "x".into(),
        owner_person_id: None,
        follow_up_on: None,
        if_then: None,
    };
    assert!(matches!(
        w.t.add_agreement(&m, d, &no_group_here),
        Err(Error::InvalidOwner)
    ));
    let outsider_owner = AgreementInput {
        owner_person_id: Some(w.outsider.id()),
        ..no_group_here
    };
    assert!(matches!(
        w.t.add_agreement(&m, d, &outsider_owner),
        Err(Error::InvalidOwner)
    ));
    let home =
        w.t.home_on(&e, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
            .unwrap();
    assert_eq!(
        home.my_responsibilities.len(),
        1,
        "a member carries the group's agreement"
    );
    assert_eq!(home.my_responsibilities[0].owner.name, "Team Nord");
}

#[test]
fn home_shows_the_two_sided_ledger_and_follow_ups() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d = w.dialogue();
    let add = |t: &mut Tillid, by, owner, text: &str, date: Option<&str>| {
        t.add_agreement(
            by,
            d,
            &AgreementInput {
                text: text.into(),
                owner_person_id: Some(owner),
                follow_up_on: date.map(Into::into),
                if_then: Some("If the rota changes, I will say so".into()),
            },
        )
        .unwrap()
    };
    add(&mut w.t, &m, e.id(), "Erik: overdue", Some("2026-11-20"));
    add(&mut w.t, &m, e.id(), "Erik: due soon", Some("2026-12-10"));
    add(&mut w.t, &m, m.id(), "Mona: later", Some("2027-03-01"));
    let done = add(&mut w.t, &m, m.id(), "Mona: done", Some("2026-12-02"));
    w.t.set_agreement_state(&m, done, "done", None).unwrap();

    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let texts = |list: &[tillid_core::service::AgreementBrief]| {
        list.iter().map(|a| a.text.clone()).collect::<Vec<_>>()
    };
    let erik = w.t.home_on(&e, today).unwrap();
    assert_eq!(
        texts(&erik.my_responsibilities),
        ["Erik: overdue", "Erik: due soon"]
    );
    assert_eq!(texts(&erik.owed_to_me), ["Mona: later"]);
    assert_eq!(texts(&erik.overdue), ["Erik: overdue"]);
    assert_eq!(texts(&erik.due_soon), ["Erik: due soon"]);
    assert_eq!(erik.upcoming.len(), 1);
    assert_eq!(erik.upcoming[0].counterpart, "Mona Manager");
    let mona = w.t.home_on(&m, today).unwrap();
    assert_eq!(texts(&mona.my_responsibilities), ["Mona: later"]);
    // A manager's employees' commitments live in the overview, not here:
    // not among the owed, and not among the overdue or due soon either.
    assert!(mona.owed_to_me.is_empty());
    assert!(mona.overdue.is_empty() && mona.due_soon.is_empty());
    let overview = w.t.manager_overview_on(&m, "name", today).unwrap();
    assert_eq!(
        texts(&overview.rows[0].open_theirs),
        ["Erik: overdue", "Erik: due soon"]
    );
    assert_eq!(mona.upcoming[0].counterpart, "Erik Employee");
    // The outsider sees none of it.
    let o = w.outsider.clone();
    let olga = w.t.home_on(&o, today).unwrap();
    assert!(olga.upcoming.is_empty() && olga.owed_to_me.is_empty() && olga.overdue.is_empty());

    w.t.mark_held(&m, d).unwrap();
    let erik = w.t.home_on(&e, today).unwrap();
    assert!(erik.upcoming.is_empty());
    assert_eq!(erik.to_confirm.len(), 1);
}

#[test]
fn history_lists_the_relationship_newest_first() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let old = w.dialogue_at("2026-06-01T09:00:00Z");
    let new = w.dialogue_at("2026-11-01T09:00:00Z");
    w.group_dialogue();
    w.agreement(&m, old, Some(e.id()), "Old agreement");
    w.agreement(&m, new, Some(m.id()), "New agreement");
    let history = w.t.relationship_history(&e, Some(m.id()), None).unwrap();
    assert_eq!(history.counterpart.name, "Mona Manager");
    let ids: Vec<_> = history.dialogues.iter().map(|d| d.dialogue.id).collect();
    assert_eq!(ids, [new, old]);
    assert_eq!(history.dialogues[1].agreements[0].text, "Old agreement");
    let relations: Vec<_> =
        w.t.relationships(&e)
            .unwrap()
            .into_iter()
            .map(|r| r.relation)
            .collect();
    assert_eq!(relations, ["my_manager", "group_member"]);
}

#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d = w.dialogue();
    let before = w.fingerprint();
    let plan = |at: &str| PlanInput {
        person_id: Some(e.id()),
        group_id: None,
        kind: None,
        scheduled_at: at.into(),
    };
    assert!(matches!(
        w.t.add_note(&m, d, "   ", false),
        Err(Error::EmptyText { field: "text" })
    ));
    assert!(matches!(
        w.t.add_note(&m, d, &"å".repeat(20_001), false),
        Err(Error::TextTooLong {
            field: "text",
            max: 20_000
        })
    ));
    assert!(w.t.add_note(&m, d, &"å".repeat(20_000), true).is_ok());
    let before_with_note = w.fingerprint();
    assert_ne!(before, before_with_note);
    assert!(matches!(
        w.t.add_agenda_item(&e, d, &"x".repeat(2_001)),
        Err(Error::TextTooLong { max: 2_000, .. })
    ));
    assert!(matches!(
        w.t.plan_dialogue(&m, &plan("2026-13-01T09:00:00Z")),
        Err(Error::InvalidDate { .. })
    ));
    assert!(matches!(
        w.t.plan_dialogue(&m, &plan("tomorrow")),
        Err(Error::InvalidDate { .. })
    ));
    assert!(matches!(
        w.t.plan_dialogue(
            &m,
            &PlanInput {
                kind: Some("rating".into()),
                ..plan("2026-12-03T09:00:00Z")
            }
        ),
        Err(Error::InvalidInput { field: "kind" })
    ));
    let bad_date = AgreementInput {
        text: "Fine text".into(),
        owner_person_id: Some(e.id()),
        follow_up_on: Some("2026-02-30".into()),
        if_then: None,
    };
    assert!(matches!(
        w.t.add_agreement(&m, d, &bad_date),
        Err(Error::InvalidDate {
            field: "follow_up_on"
        })
    ));
    let empty = AgreementInput {
        text: "".into(),
        follow_up_on: None,
        ..bad_date
    };
    assert!(matches!(
        w.t.add_agreement(&m, d, &empty),
        Err(Error::EmptyText { field: "text" })
    ));
    assert!(matches!(
        w.t.set_locale(&m, "sv"),
        Err(Error::InvalidInput { field: "locale" })
    ));
    assert_eq!(w.fingerprint(), before_with_note);
}

#[test]
fn a_backup_restores_everything() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = workplace();
    let d = w.dialogue();
    let m = w.manager.clone();
    w.t.add_note(&m, d, "Worth keeping", true).unwrap();
    let target = dir.path().join("backup.sqlite3");
    w.t.backup_to(&target).unwrap();
    assert!(
        matches!(w.t.backup_to(&target), Err(Error::InvalidInput { .. })),
        "never overwrites"
    );
    let mut restored = Tillid::open(&target).unwrap();
    let m = restored.sign_in(m.id(), PASS).unwrap();
    let view = restored.get_dialogue(&m, d).unwrap();
    assert_eq!(view.notes[0].text, "Worth keeping");
    assert_eq!(restored.status().unwrap().people.len(), 5);
}

#[test]
fn the_data_file_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    let id = {
        let mut t = Tillid::open(&path)
            .unwrap()
            .with_kdf(tillid_core::crypto::KdfParams::FAST_FOR_TESTS);
        t.setup_workplace("Nord", "Inge Admin", PASS).unwrap().id()
    };
    let mut t = Tillid::open(&path).unwrap();
    assert_eq!(t.status().unwrap().workplace.unwrap().name, "Nord");
    assert_eq!(t.sign_in(id, PASS).unwrap().id(), id);
    let mode: String = t
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}
