//! Someone who leaves: gone from sign-in and planning, their history kept
//! for the others, and no way back in by editing the file.

mod support;

use support::{workplace, PASS};
use tillid_core::service::PlanInput;
use tillid_core::Error;

fn plan(person: i64) -> PlanInput {
    PlanInput {
        person_id: Some(person),
        group_id: None,
        kind: Some("follow_up".into()),
        scheduled_at: "2027-01-05T09:00:00Z".into(),
    }
}

#[test]
fn someone_who_left_cannot_sign_in_or_be_planned_with_and_their_history_stays() {
    let mut w = workplace();
    let d = w.dialogue();
    let agreement = w.agreement(
        &w.manager.clone(),
        d,
        Some(w.employee.id()),
        "Kursus i klarsprog",
    );
    let (admin, manager, employee) = (w.admin.clone(), w.manager.clone(), w.employee.clone());

    // Still in a group: that must be handed over first.
    let e = w.t.mark_left(&admin, employee.id()).unwrap_err();
    assert!(
        matches!(e, Error::StillResponsible { role: "group", .. }),
        "{e:?}"
    );
    assert_eq!(e.code(), "still_responsible");
    w.t.save_group(
        &admin,
        &tillid_core::service::GroupInput {
            group_id: Some(w.group),
            name: "Team Nord".into(),
            leader_id: manager.id(),
            member_ids: vec![w.outsider.id()],
        },
    )
    .unwrap();
    w.t.mark_left(&admin, employee.id()).unwrap();

    let names: Vec<String> =
        w.t.status()
            .unwrap()
            .people
            .into_iter()
            .map(|p| p.name)
            .collect();
    assert!(!names.contains(&"Erik Employee".to_string()), "{names:?}");
    let e = w.t.sign_in(employee.id(), PASS).unwrap_err();
    assert!(matches!(e, Error::HasLeft { .. }), "{e:?}");

    let manager = w.t.sign_in(manager.id(), PASS).unwrap();
    let options = w.t.plan_options(&manager).unwrap();
    assert!(!options.employees.iter().any(|p| p.id == employee.id()));
    let e =
        w.t.plan_dialogue(&manager, &plan(employee.id()))
            .unwrap_err();
    assert!(matches!(e, Error::HasLeft { .. }), "{e:?}");
    // The history is the manager's too, and stays readable.
    let view = w.t.get_dialogue(&manager, d).unwrap();
    assert!(view
        .agreements
        .iter()
        .any(|a| a.id == agreement && a.text == "Kursus i klarsprog"));

    // Back again: signs in as before.
    w.t.mark_returned(&admin, employee.id()).unwrap();
    w.t.sign_in(employee.id(), PASS).unwrap();
}

#[test]
fn clearing_the_column_in_the_file_does_not_let_them_back_in() {
    let mut w = workplace();
    let (admin, outsider) = (w.admin.clone(), w.outsider.clone());
    w.t.save_group(
        &admin,
        &tillid_core::service::GroupInput {
            group_id: Some(w.group),
            name: "Team Nord".into(),
            leader_id: w.manager.id(),
            member_ids: vec![w.employee.id()],
        },
    )
    .unwrap();
    w.t.mark_left(&admin, outsider.id()).unwrap();
    w.t.connection()
        .execute("UPDATE person SET left_at = NULL", [])
        .unwrap();
    // Listed again (the list is drawn before anyone unlocks), but the
    // signed roster still says they left.
    assert!(w
        .t
        .status()
        .unwrap()
        .people
        .iter()
        .any(|p| p.id == outsider.id()));
    let e = w.t.sign_in(outsider.id(), PASS).unwrap_err();
    assert!(matches!(e, Error::HasLeft { .. }), "{e:?}");
}

#[test]
fn a_manager_or_administrator_hands_over_before_leaving() {
    let mut w = workplace();
    let (admin, manager) = (w.admin.clone(), w.manager.clone());
    let e = w.t.mark_left(&admin, manager.id()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::StillResponsible {
                role: "manager",
                ..
            }
        ),
        "{e:?}"
    );
    let e = w.t.mark_left(&admin, admin.id()).unwrap_err();
    assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
    let other = w.other_manager.clone();
    w.t.set_admin(&admin, other.id(), true).unwrap();
    let e = w.t.mark_left(&admin, other.id()).unwrap_err();
    assert!(
        matches!(e, Error::StillResponsible { role: "admin", .. }),
        "{e:?}"
    );
    // Only administrators decide it.
    let e = w.t.mark_left(&manager, w.employee.id()).unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
}
