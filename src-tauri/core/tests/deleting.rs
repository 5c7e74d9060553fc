//! Deleting a person who left, at an administrator's request: exactly what
//! was shown goes, other people's records that mention them stay, nothing
//! deleted is left in the file, and no one signs in as them again.

mod support;

use support::{all_bytes, contains_bytes, file_tillid, fixed_clock, join, PASS};
use tillid_core::service::{AgreementInput, GroupInput, PlanInput, RequestInput};
use tillid_core::{Actor, Error, Tillid};

struct Office {
    t: Tillid,
    admin: Actor,
    mona: Actor,
    erik: Actor,
    olga: Actor,
    group: i64,
    dir: tempfile::TempDir,
}

fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    let mut t = file_tillid(&path).with_clock(fixed_clock());
    let admin = t
        .setup_workplace("Borgerservice", "Inge Admin", PASS)
        .unwrap();
    let mona = join(&mut t, &admin, "Mona Manager", None);
    let erik = join(&mut t, &admin, "Erik Employee", Some(mona.id()));
    let olga = join(&mut t, &admin, "Olga Outsider", Some(mona.id()));
    let group = t
        .save_group(
            &admin,
            &GroupInput {
                group_id: None,
                name: "Team Nord".into(),
                leader_id: mona.id(),
                member_ids: vec![erik.id(), olga.id()],
            },
        )
        .unwrap();
    Office {
        t,
        admin,
        mona,
        erik,
        olga,
        group,
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
        o.admin.clone(),
        o.mona.clone(),
        o.erik.clone(),
        o.olga.clone(),
    );
    let one_to_one =
        o.t.plan_dialogue(
            &mona,
            &PlanInput {
                person_id: Some(erik.id()),
                group_id: None,
                kind: None,
                scheduled_at: "2026-12-03T09:00:00Z".into(),
            },
        )
        .unwrap();
    o.t.add_agreement(&mona, one_to_one, &agreement("ERIKS-AFTALE", erik.id()))
        .unwrap();
    o.t.add_note(&erik, one_to_one, "ERIKS-DELTE-NOTE", false)
        .unwrap();
    let grus =
        o.t.plan_dialogue(
            &mona,
            &PlanInput {
                person_id: None,
                group_id: Some(o.group),
                kind: Some("grus".into()),
                scheduled_at: "2026-12-04T13:00:00Z".into(),
            },
        )
        .unwrap();
    let eriks_private =
        o.t.add_note(&erik, grus, "ERIKS-PRIVATE-GRUPPENOTE", true)
            .unwrap();
    o.t.add_note(&olga, grus, "OLGAS-DELTE-NOTE", false)
        .unwrap();
    let group_agreement =
        o.t.add_agreement(&mona, grus, &agreement("ERIK-TAGER-REFERAT", erik.id()))
            .unwrap();
    o.t.request_dialogue(
        &erik,
        &RequestInput {
            kind: "follow_up".into(),
            reason: Some("ERIKS-ANMODNING".into()),
        },
    )
    .unwrap();

    // Only someone who has left can be deleted.
    let e = o.t.person_deletion_preview(&admin, erik.id()).unwrap_err();
    assert!(matches!(e, Error::NotLeft { .. }), "{e:?}");
    assert_eq!(e.code(), "not_left");
    o.t.save_group(
        &admin,
        &GroupInput {
            group_id: Some(o.group),
            name: "Team Nord".into(),
            leader_id: mona.id(),
            member_ids: vec![olga.id()],
        },
    )
    .unwrap();
    o.t.mark_left(&admin, erik.id()).unwrap();
    // And only by an administrator.
    assert!(matches!(
        o.t.person_deletion_preview(&mona, erik.id()),
        Err(Error::Forbidden)
    ));

    let plan = o.t.person_deletion_preview(&admin, erik.id()).unwrap();
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
        let conn = o.t.connection();
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
        o.t.delete_person(&admin, &stale),
        Err(Error::SummaryChanged)
    ));
    o.t.get_dialogue(&mona, one_to_one).unwrap();

    o.t.delete_person(&admin, &plan).unwrap();

    // Gone: the one-to-one, Erik's private note, his request, his keys.
    assert!(matches!(
        o.t.get_dialogue(&mona, one_to_one),
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
        o.t.mark_returned(&admin, erik.id()),
        Err(Error::NotFound { .. })
    ));
    assert!(o.t.sign_in(erik.id(), PASS).is_err());
    assert!(o.t.home(&mona).unwrap().requests_to_me.is_empty());

    // Stays: the group dialogue, Olga's note in it, the agreement Erik took
    // on there, still naming him.
    let view = o.t.get_dialogue(&olga, grus).unwrap();
    assert!(view.notes.iter().any(|n| n.text == "OLGAS-DELTE-NOTE"));
    let kept = view
        .agreements
        .iter()
        .find(|a| a.id == group_agreement)
        .unwrap();
    assert_eq!(kept.text, "ERIK-TAGER-REFERAT");
    assert_eq!(kept.owner.name, "Erik Employee");
    assert!(!kept.damaged);

    let conn = o.t.connection();
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
