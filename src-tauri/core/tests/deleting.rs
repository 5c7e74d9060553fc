//! Deleting a person who left, at an administrator's request: exactly what
//! was shown goes, other people's records that mention them stay, nothing
//! deleted is left in the file, and no one signs in as them again.

mod support;

use support::{all_bytes, contains_bytes, file_tillid, fixed_clock, workplace_in, Workplace, PASS};
use tillid_core::service::{AgreementInput, GroupInput, PlanInput, RequestInput};
use tillid_core::Error;

struct Office {
    w: Workplace,
    dir: tempfile::TempDir,
}

fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let t = file_tillid(&dir.path().join("tillid.sqlite3")).with_clock(fixed_clock());
    Office {
        w: workplace_in(t),
        dir,
    }
}

fn agreement(text: &str, owner: i64) -> AgreementInput {
    AgreementInput {
        text: text.into(),
        owner_person_id: Some(owner),
        follow_up_on: None,
        if_then: None,
    }
}

#[test]
fn deleting_someone_who_left_removes_their_content_and_keeps_the_others_records() {
    let mut o = office();
    let (admin, mona, erik, olga) = (
        o.w.admin.clone(),
        o.w.manager.clone(),
        o.w.employee.clone(),
        o.w.outsider.clone(),
    );
    let one_to_one =
        o.w.t
            .plan_dialogue(
                &mona,
                &PlanInput {
                    person_id: Some(erik.id()),
                    group_id: None,
                    kind: None,
                    scheduled_at: "2026-12-03T09:00:00Z".into(),
                },
            )
            .unwrap();
    o.w.t
        .add_agreement(&mona, one_to_one, &agreement("ERIKS-AFTALE", erik.id()))
        .unwrap();
    o.w.t
        .add_note(&erik, one_to_one, "ERIKS-DELTE-NOTE", false)
        .unwrap();
    let grus =
        o.w.t
            .plan_dialogue(
                &mona,
                &PlanInput {
                    person_id: None,
                    group_id: Some(o.w.group),
                    kind: Some("grus".into()),
                    scheduled_at: "2026-12-04T13:00:00Z".into(),
                },
            )
            .unwrap();
    let eriks_private =
        o.w.t
            .add_note(&erik, grus, "ERIKS-PRIVATE-GRUPPENOTE", true)
            .unwrap();
    o.w.t
        .add_note(&olga, grus, "OLGAS-DELTE-NOTE", false)
        .unwrap();
    let group_agreement =
        o.w.t
            .add_agreement(&mona, grus, &agreement("ERIK-TAGER-REFERAT", erik.id()))
            .unwrap();
    o.w.t
        .request_dialogue(
            &erik,
            &RequestInput {
                kind: "follow_up".into(),
                reason: Some("ERIKS-ANMODNING".into()),
            },
        )
        .unwrap();

    // Only someone who has left can be deleted.
    let e =
        o.w.t
            .person_deletion_preview(&admin, erik.id())
            .unwrap_err();
    assert!(matches!(e, Error::NotLeft { .. }), "{e:?}");
    assert_eq!(e.code(), "not_left");
    o.w.t
        .save_group(
            &admin,
            &GroupInput {
                group_id: Some(o.w.group),
                name: "Team Nord".into(),
                leader_id: mona.id(),
                member_ids: vec![olga.id()],
            },
        )
        .unwrap();
    o.w.t.mark_left(&admin, erik.id()).unwrap();
    // And only by an administrator.
    assert!(matches!(
        o.w.t.person_deletion_preview(&mona, erik.id()),
        Err(Error::Forbidden)
    ));

    let plan = o.w.t.person_deletion_preview(&admin, erik.id()).unwrap();
    assert_eq!(plan.dialogue_ids, vec![one_to_one]);
    assert_eq!(
        (
            plan.dialogues,
            plan.private_notes,
            plan.requests,
            plan.kept_dialogues
        ),
        (1, 1, 1, 1)
    );

    // The sealed bytes of what goes, to look for afterwards.
    let gone: Vec<Vec<u8>> = {
        let conn = o.w.t.connection();
        let mut stmt = conn
            .prepare(
                "SELECT body FROM note WHERE dialogue_id = ?1 OR id = ?2
                 UNION ALL SELECT body FROM agreement WHERE dialogue_id = ?1",
            )
            .unwrap();
        let rows = stmt
            .query_map([one_to_one, eriks_private], |r| r.get(0))
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(gone.len(), 3);
    assert!(gone
        .iter()
        .all(|b| contains_bytes(&all_bytes(o.dir.path()), &b[b.len() - 32..])));

    // A preview that no longer matches deletes nothing.
    let mut stale = plan.clone();
    stale.private_notes += 1;
    assert!(matches!(
        o.w.t.delete_person(&admin, &stale),
        Err(Error::SummaryChanged)
    ));
    o.w.t.get_dialogue(&mona, one_to_one).unwrap();

    o.w.t.delete_person(&admin, &plan).unwrap();

    // Gone: the one-to-one, Erik's private note, his request, his keys.
    assert!(matches!(
        o.w.t.get_dialogue(&mona, one_to_one),
        Err(Error::NotFound { .. })
    ));
    let bytes = all_bytes(o.dir.path());
    for body in &gone {
        assert!(
            !contains_bytes(&bytes, &body[body.len() - 32..]),
            "deleted content left in the file"
        );
    }
    assert!(matches!(
        o.w.t.mark_returned(&admin, erik.id()),
        Err(Error::NotFound { .. })
    ));
    assert!(o.w.t.sign_in(erik.id(), PASS).is_err());
    assert!(o.w.t.home(&mona).unwrap().requests_to_me.is_empty());

    // Stays: the group dialogue, Olga's note in it, the agreement Erik took
    // on there, still naming him.
    let view = o.w.t.get_dialogue(&olga, grus).unwrap();
    assert!(view.notes.iter().any(|n| n.text == "OLGAS-DELTE-NOTE"));
    let kept = view
        .agreements
        .iter()
        .find(|a| a.id == group_agreement)
        .unwrap();
    assert_eq!(kept.text, "ERIK-TAGER-REFERAT");
    assert_eq!(kept.owner.name, "Erik Employee");
    assert!(!kept.damaged);

    let conn = o.w.t.connection();
    let audit: String = conn
        .query_row(
            "SELECT action FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        audit.starts_with("delete_person: 1 dialogues, 1 private notes"),
        "{audit}"
    );
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);
}
