//! The follow-up cycle: the development plan travels ("since last time"),
//! comment-only updates, cancelling, requests, the manager's overview and
//! dialogues not marked held.

mod support;

use chrono::NaiveDate;
use support::Workplace;
use tillid_core::service::{AgreementInput, PlanInput, RequestInput};
use tillid_core::{Actor, Error};

fn plan(w: &mut Workplace, person: Option<i64>, group: Option<i64>, kind: &str, at: &str) -> i64 {
    let m = w.manager.clone();
    w.t.plan_dialogue(
        &m,
        &PlanInput {
            person_id: person,
            group_id: group,
            kind: Some(kind.into()),
            scheduled_at: at.into(),
        },
    )
    .unwrap()
}

fn agreement(w: &mut Workplace, d: i64, owner: Option<i64>, text: &str, due: Option<&str>) -> i64 {
    let m = w.manager.clone();
    w.t.add_agreement(
        &m,
        d,
        &AgreementInput {
            text: text.into(),
            owner_person_id: owner,
            follow_up_on: due.map(Into::into),
            if_then: None,
        },
    )
    .unwrap()
}

fn since_texts(w: &Workplace, who: &Actor, d: i64) -> Vec<String> {
    w.t.get_dialogue(who, d)
        .unwrap()
        .since_last_time
        .iter()
        .map(|s| s.agreement.text.clone())
        .collect()
}

fn raw_contains(w: &Workplace, marker: &str) -> bool {
    let conn = w.t.connection();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                let bytes = match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => b,
                    _ => continue,
                };
                if bytes.windows(marker.len()).any(|x| x == marker.as_bytes()) {
                    return true;
                }
            }
        }
    }
    false
}

#[test]
fn since_last_time_keeps_every_open_agreement_across_postponed_cancelled_and_intervening() {
    let mut w = support::workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let e_id = e.id();
    // A MUS in June: one agreement each side; the manager's is done.
    let mus = plan(&mut w, Some(e_id), None, "mus", "2026-06-01T09:00:00Z");
    let plan_a = agreement(&mut w, mus, Some(e_id), "Tage kurset i klarsprog", None);
    let done = agreement(&mut w, mus, Some(m.id()), "Finde en mentor", None);
    w.t.mark_held(&m, mus).unwrap();
    w.t.set_agreement_state(&m, done, "done", None).unwrap();
    // A follow-up with an agreement, then cancelled.
    let cancelled = plan(
        &mut w,
        Some(e_id),
        None,
        "follow_up",
        "2026-11-10T09:00:00Z",
    );
    agreement(&mut w, cancelled, Some(m.id()), "Skaffe bedre skærm", None);
    w.t.cancel_dialogue(&m, cancelled, Some("Sygdom")).unwrap();
    // An ad hoc dialogue in between, held.
    let between = plan(&mut w, Some(e_id), None, "ad_hoc", "2026-11-20T09:00:00Z");
    agreement(&mut w, between, Some(e_id), "Skrive vejledningen", None);
    w.t.mark_held(&m, between).unwrap();
    // Another relationship's agreement never travels here.
    let group = w.group;
    let grus = plan(&mut w, None, Some(group), "grus", "2026-10-01T09:00:00Z");
    agreement(&mut w, grus, None, "Gruppen deler telefonen", None);

    let next = plan(
        &mut w,
        Some(e_id),
        None,
        "follow_up",
        "2026-12-10T09:00:00Z",
    );
    let expected = vec![
        "Tage kurset i klarsprog".to_string(),
        "Skaffe bedre skærm".to_string(),
        "Skrive vejledningen".to_string(),
    ];
    assert_eq!(since_texts(&w, &m, next), expected);
    assert_eq!(since_texts(&w, &e, next), expected);
    // The dialogue itself and later ones contribute nothing.
    assert!(since_texts(&w, &m, mus).is_empty());

    // Postponed past another dialogue that was planned after it: still all
    // there, and the one now before it adds its own.
    let other = plan(&mut w, Some(e_id), None, "ad_hoc", "2026-12-15T09:00:00Z");
    agreement(
        &mut w,
        other,
        Some(e_id),
        "Aftale fra mellem-samtalen",
        None,
    );
    w.t.reschedule_dialogue(&m, next, "2027-01-12T09:00:00Z")
        .unwrap();
    let mut with_other = expected.clone();
    with_other.push("Aftale fra mellem-samtalen".into());
    assert_eq!(since_texts(&w, &m, next), with_other);

    // Updated from the section (the same operation as in its own
    // dialogue): what changed shows, and a closed one leaves the section.
    w.t.set_agreement_state(&e, plan_a, "open", Some("Halvvejs"))
        .unwrap();
    let view = w.t.get_dialogue(&m, next).unwrap();
    let item = &view.since_last_time[0];
    assert_eq!(item.dialogue_id, mus);
    assert!(item.agreement.can_update_state);
    assert_eq!(item.agreement.history.len(), 1);
    assert_eq!(
        item.agreement.history[0].comment.as_deref(),
        Some("Halvvejs")
    );
    w.t.set_agreement_state(&e, plan_a, "done", None).unwrap();
    assert_eq!(since_texts(&w, &m, next), with_other[1..].to_vec());

    // A group dialogue's section holds the group's open agreements only.
    let group = w.group;
    let next_grus = plan(
        &mut w,
        None,
        Some(group),
        "follow_up",
        "2027-02-01T09:00:00Z",
    );
    assert_eq!(
        since_texts(&w, &e, next_grus),
        vec!["Gruppen deler telefonen".to_string()]
    );
    // Someone outside the relationship sees nothing of it.
    let outsider = w.outsider.clone();
    assert!(matches!(
        w.t.get_dialogue(&outsider, next),
        Err(Error::Forbidden)
    ));
}

#[test]
fn an_update_may_be_a_comment_alone_signed_like_the_rest() {
    let mut w = support::workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d = w.dialogue();
    let a = agreement(&mut w, d, Some(e.id()), "Lære det nye system", None);
    w.t.set_agreement_state(&e, a, "open", Some("Er godt i gang"))
        .unwrap();
    let view = w.t.get_dialogue(&m, d).unwrap();
    let ag = &view.agreements[0];
    assert_eq!(ag.state.as_str(), "open");
    assert_eq!(ag.history.len(), 1);
    let step = &ag.history[0];
    assert_eq!((step.from.as_str(), step.to.as_str()), ("open", "open"));
    assert_eq!(step.comment.as_deref(), Some("Er godt i gang"));
    assert!(!step.damaged && !ag.damaged);
    // Nothing at all is still refused.
    assert!(matches!(
        w.t.set_agreement_state(&e, a, "open", None),
        Err(Error::WrongState { .. })
    ));
    assert!(matches!(
        w.t.set_agreement_state(&e, a, "open", Some("   ")),
        Err(Error::WrongState { .. })
    ));
    // The comment is signed: moved onto someone else, it shows as damaged.
    w.t.connection()
        .execute("UPDATE agreement_update SET by_id = ?1", [m.id()])
        .unwrap();
    let view = w.t.get_dialogue(&m, d).unwrap();
    assert!(view.agreements[0].history[0].damaged);
}

#[test]
fn only_the_manager_cancels_and_the_dialogue_stays_in_history_with_its_reason() {
    let mut w = support::workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d = w.dialogue();
    for who in [
        e.clone(),
        w.outsider.clone(),
        w.other_manager.clone(),
        w.admin.clone(),
    ] {
        assert!(matches!(
            w.t.cancel_dialogue(&who, d, None),
            Err(Error::Forbidden)
        ));
    }
    let marker = "MARKER-cancel-reason-ferie";
    w.t.cancel_dialogue(&m, d, Some(marker)).unwrap();
    assert!(!raw_contains(&w, marker), "the reason is sealed");
    for who in [&m, &e] {
        let view = w.t.get_dialogue(who, d).unwrap();
        assert_eq!(view.state.as_str(), "cancelled");
        let c = view.cancellation.unwrap();
        assert_eq!(c.reason.as_deref(), Some(marker));
        assert_eq!(c.by.id, m.id());
        assert!(!c.damaged && !view.state_damaged);
        assert!(!view.can.cancel && !view.can.confirm && !view.can.add_agenda);
    }
    let history = w.t.relationship_history(&e, Some(m.id()), None).unwrap();
    assert_eq!(history.dialogues[0].dialogue.state.as_str(), "cancelled");
    // Not twice, nothing more added, not held.
    assert!(w.t.cancel_dialogue(&m, d, None).is_err());
    assert!(matches!(
        w.t.add_agenda_item(&e, d, "Et punkt"),
        Err(Error::Forbidden)
    ));
    assert!(w.t.mark_held(&m, d).is_err());
    // Nor on the home view as upcoming.
    assert!(w.t.home(&e).unwrap().upcoming.is_empty());
    // Attributed to someone else outside Tillid, it shows as damaged.
    w.t.connection()
        .execute("UPDATE dialogue SET cancelled_by = ?1", [e.id()])
        .unwrap();
    let view = w.t.get_dialogue(&m, d).unwrap();
    assert!(view.state_damaged && view.cancellation.unwrap().damaged);
}

#[test]
fn a_planned_dialogue_whose_time_passed_is_not_marked_held_not_upcoming() {
    let mut w = support::workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    // The clock says 1 December 2026, 09:00.
    let past = w.dialogue_at("2026-11-30T09:00:00Z");
    let future = w.dialogue_at("2026-12-03T09:00:00Z");
    for who in [&m, &e] {
        let home = w.t.home(who).unwrap();
        let ids =
            |l: &[tillid_core::service::DialogueBrief]| l.iter().map(|d| d.id).collect::<Vec<_>>();
        assert_eq!(ids(&home.upcoming), vec![future]);
        assert_eq!(ids(&home.not_marked_held), vec![past]);
        assert!(home.not_marked_held[0].not_marked_held);
    }
    assert!(w.t.get_dialogue(&m, past).unwrap().not_marked_held);
    assert!(!w.t.get_dialogue(&m, future).unwrap().not_marked_held);
    let history = w.t.relationship_history(&m, Some(e.id()), None).unwrap();
    let flags: Vec<(i64, bool)> = history
        .dialogues
        .iter()
        .map(|d| (d.dialogue.id, d.dialogue.not_marked_held))
        .collect();
    assert_eq!(flags, vec![(future, false), (past, true)]);
    // Marked held, it is no longer "not marked held".
    w.t.mark_held(&m, past).unwrap();
    assert!(w.t.home(&m).unwrap().not_marked_held.is_empty());
}

#[test]
fn requests_wait_until_planned_or_answered_and_their_reasons_are_sealed() {
    let mut w = support::workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let marker = "MARKER-request-reason-travlhed";
    let first =
        w.t.request_dialogue(
            &e,
            &RequestInput {
                kind: "wellbeing".into(),
                reason: Some(marker.into()),
            },
        )
        .unwrap();
    assert!(!raw_contains(&w, marker), "the reason is sealed");
    let home = w.t.home(&m).unwrap();
    assert_eq!(home.requests_to_me.len(), 1);
    assert_eq!(home.requests_to_me[0].reason.as_deref(), Some(marker));
    assert!(home.requests_to_me[0].can_answer);
    let overview = w.t.manager_overview(&m, "name").unwrap();
    assert_eq!(overview.requests.len(), 1);
    let row = overview
        .rows
        .iter()
        .find(|r| r.person.as_ref().map(|p| p.id) == Some(e.id()))
        .unwrap();
    assert_eq!(row.open_requests, 1);
    // No one else sees or closes it.
    let outsider = w.outsider.clone();
    assert!(w.t.home(&outsider).unwrap().requests_to_me.is_empty());
    let other = w.other_manager.clone();
    assert!(matches!(
        w.t.answer_request(&other, first, "Nej"),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.t.answer_request(&e, first, "Nej"),
        Err(Error::Forbidden)
    ));
    // A closure written outside Tillid does not close it.
    w.t.connection()
        .execute(
            "UPDATE dialogue_request SET closed_at = '2026-12-01T09:00:00Z', closed_by = ?1",
            [m.id()],
        )
        .unwrap();
    assert_eq!(w.t.home(&m).unwrap().requests_to_me.len(), 1);
    // Answered: gone from the manager's lists; the employee reads why.
    let answer = "MARKER-answer-vi-tager-den-til-MUS";
    w.t.answer_request(&m, first, answer).unwrap();
    assert!(!raw_contains(&w, answer));
    assert!(w.t.home(&m).unwrap().requests_to_me.is_empty());
    assert!(w
        .t
        .manager_overview(&m, "name")
        .unwrap()
        .requests
        .is_empty());
    let mine = w.t.home(&e).unwrap().my_requests;
    assert_eq!(mine[0].status, "answered");
    assert_eq!(mine[0].answer.as_deref(), Some(answer));
    assert!(w.t.answer_request(&m, first, "Igen").is_err());

    // Planned from: linked, closed, of the kind asked.
    let second =
        w.t.request_dialogue(
            &e,
            &RequestInput {
                kind: "mus".into(),
                reason: None,
            },
        )
        .unwrap();
    let d =
        w.t.plan_requested_dialogue(&m, second, None, "2026-12-14T09:00:00Z")
            .unwrap();
    assert_eq!(w.t.get_dialogue(&e, d).unwrap().kind.as_str(), "mus");
    assert!(w.t.home(&m).unwrap().requests_to_me.is_empty());
    let mine = w.t.home(&e).unwrap().my_requests;
    assert_eq!((mine[0].status, mine[0].dialogue_id), ("planned", Some(d)));
    // Someone without a manager has no one to ask.
    assert!(matches!(
        w.t.request_dialogue(
            &m,
            &RequestInput {
                kind: "mus".into(),
                reason: None
            }
        ),
        Err(Error::Forbidden)
    ));
}

#[test]
fn the_overview_gives_plain_figures_for_each_employee_and_group() {
    let mut w = support::workplace();
    let (m, e, o) = (w.manager.clone(), w.employee.clone(), w.outsider.clone());
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    // Erik: a MUS held nine months ago, a follow-up planned; an overdue
    // agreement of his and one of the manager's.
    let mus = plan(&mut w, Some(e.id()), None, "mus", "2026-03-02T09:00:00Z");
    agreement(
        &mut w,
        mus,
        Some(e.id()),
        "Erik: kursus",
        Some("2026-11-15"),
    );
    agreement(
        &mut w,
        mus,
        Some(m.id()),
        "Mona: mentor",
        Some("2027-01-15"),
    );
    w.t.mark_held(&m, mus).unwrap();
    let next = plan(
        &mut w,
        Some(e.id()),
        None,
        "follow_up",
        "2026-12-08T09:00:00Z",
    );
    // Olga: never a dialogue held; one planned whose time has passed.
    let missed = plan(&mut w, Some(o.id()), None, "ad_hoc", "2026-11-20T09:00:00Z");

    let overview = w.t.manager_overview_on(&m, "name", today).unwrap();
    let names: Vec<String> = overview
        .rows
        .iter()
        .map(|r| r.person.as_ref().or(r.group.as_ref()).unwrap().name.clone())
        .collect();
    assert_eq!(names, ["Erik Employee", "Olga Outsider", "Team Nord"]);
    let erik = &overview.rows[0];
    assert_eq!(erik.last_held.as_ref().map(|d| d.id), Some(mus));
    assert_eq!(erik.next_planned.as_ref().map(|d| d.id), Some(next));
    assert_eq!(erik.months_since_yearly, Some(8));
    assert_eq!(erik.open_theirs.len(), 1);
    assert_eq!(erik.open_mine.len(), 1);
    assert_eq!(erik.overdue.len(), 1);
    assert_eq!(erik.overdue[0].text, "Erik: kursus");
    // Six months after the MUS has passed: a follow-up, as soon as may be.
    assert_eq!(erik.suggestion.kind.as_str(), "follow_up");
    assert_eq!(erik.suggestion.on, None);
    let olga = &overview.rows[1];
    assert!(olga.last_held.is_none() && olga.next_planned.is_none());
    assert_eq!(
        olga.not_marked_held
            .iter()
            .map(|d| d.id)
            .collect::<Vec<_>>(),
        vec![missed]
    );
    assert_eq!(olga.months_since_yearly, None);
    assert_eq!(olga.suggestion.kind.as_str(), "mus");
    assert_eq!(overview.rows[2].suggestion.kind.as_str(), "grus");

    // Longest since a dialogue held: never held first.
    let longest = w.t.manager_overview_on(&m, "longest", today).unwrap();
    assert_eq!(
        longest.rows.last().unwrap().person.as_ref().map(|p| p.id),
        Some(e.id())
    );
    // A MUS recent enough: a follow-up about six months after it.
    let recent = plan(&mut w, Some(e.id()), None, "mus", "2026-10-05T09:00:00Z");
    w.t.mark_held(&m, recent).unwrap();
    let overview = w.t.manager_overview_on(&m, "name", today).unwrap();
    assert_eq!(
        overview.rows[0].suggestion.on.as_deref(),
        Some("2027-04-05")
    );
    assert_eq!(overview.rows[0].months_since_yearly, Some(1));
    // Over a year ago: a MUS again.
    let later = NaiveDate::from_ymd_opt(2027, 11, 1).unwrap();
    let overview = w.t.manager_overview_on(&m, "name", later).unwrap();
    assert_eq!(overview.rows[0].suggestion.kind.as_str(), "mus");

    // Someone who manages no one has no overview; the admin neither.
    for who in [e.clone(), w.admin.clone(), w.other_manager.clone()] {
        assert!(matches!(
            w.t.manager_overview(&who, "name"),
            Err(Error::Forbidden)
        ));
    }
    assert!(matches!(
        w.t.manager_overview(&m, "score"),
        Err(Error::InvalidInput { field: "order" })
    ));

    // Home: the manager's "owed to me" no longer holds Erik's commitments;
    // Erik's holds the manager's.
    let home = w.t.home(&m).unwrap();
    assert!(home.owed_to_me.iter().all(|a| a.owner.id != e.id()));
    let home = w.t.home(&e).unwrap();
    assert_eq!(
        home.owed_to_me
            .iter()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>(),
        ["Mona: mentor"]
    );
}

#[test]
fn a_group_leaders_home_holds_what_the_group_owes() {
    let mut w = support::workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let g = w.group_dialogue();
    agreement(&mut w, g, None, "Gruppen rydder op i mapperne", None);
    let home = w.t.home(&m).unwrap();
    assert_eq!(home.owed_to_me.len(), 1);
    for who in [&e, &w.outsider.clone()] {
        let home = w.t.home(who).unwrap();
        assert_eq!(
            home.my_responsibilities[0].text,
            "Gruppen rydder op i mapperne"
        );
    }
}
