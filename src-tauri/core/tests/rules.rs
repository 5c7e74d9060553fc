//! Rule reports and good cases (issue 7): anonymous reports leave no
//! author anywhere, statuses are set and signed by managers and
//! administrators, a report goes onto a GRUS agenda, private cases stay
//! private, shared ones are found, and the workplace space reaches people.

mod support;

use support::{all_bytes, contains, join, workplace, Workplace, PASS};

use std::collections::BTreeSet;

use tillid_core::crypto::KdfParams;
use tillid_core::domain::RuleStatus;
use tillid_core::service::CaseInput;
use tillid_core::{Error, Tillid};

/// Every row of every table, the audit trail and key tables included.
fn every_row(w: &Workplace) -> BTreeSet<String> {
    let conn = w.t.connection();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = BTreeSet::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

fn case(title: &str, text: &str, shared: bool) -> CaseInput {
    CaseInput {
        title: title.into(),
        text: text.into(),
        shared,
        dialogue_id: None,
    }
}

#[test]
fn an_anonymous_report_stores_no_author_anywhere() {
    let mut w = workplace();
    let e = w.employee.clone();
    let m = w.manager.clone();
    let before = every_row(&w);
    let audit_before = w.count("audit");
    w.t.report_rule(&e, "Kørselsskemaet skal udfyldes tre gange", true)
        .unwrap();
    let after = every_row(&w);
    let added: Vec<&String> = after.difference(&before).collect();
    let removed: Vec<&String> = before.difference(&after).collect();
    assert!(removed.is_empty(), "nothing else changes: {removed:?}");
    assert_eq!(added.len(), 1, "one row, the report: {added:?}");
    assert!(added[0].starts_with("rule_report: "), "{added:?}");
    assert_eq!(w.count("audit"), audit_before, "no audit line at all");

    let (author, sig, reported_on, status_by): (Option<i64>, Option<Vec<u8>>, String, Option<i64>) =
        w.t.connection()
            .query_row(
                "SELECT author_id, sig, reported_on, status_by FROM rule_report",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    assert_eq!(author, None);
    assert_eq!(sig, None, "a signature would name its signer");
    assert_eq!(reported_on, "2026-12-01", "the date only, never a time");
    assert_eq!(status_by, None);

    // The manager reads it, with no one named.
    let list = w.t.rule_reports(&m).unwrap();
    assert_eq!(list.reports.len(), 1);
    let r = &list.reports[0];
    assert_eq!(r.text, "Kørselsskemaet skal udfyldes tre gange");
    assert!(r.author.is_none() && !r.damaged);
    assert_eq!(r.status, RuleStatus::New);
    assert!(r.status_genuine);
    assert!(list.can_set_status);
    assert!(!w.t.rule_reports(&e).unwrap().can_set_status);

    // Naming someone as its author outside Tillid does not make it theirs:
    // the text no longer opens.
    w.t.connection()
        .execute("UPDATE rule_report SET author_id = ?1", [e.id()])
        .unwrap();
    let r = &w.t.rule_reports(&m).unwrap().reports[0];
    assert!(r.damaged && r.text.is_empty());
}

#[test]
fn a_named_report_is_signed_and_an_unnamed_copy_does_not_open() {
    let mut w = workplace();
    let (e, m) = (w.employee.clone(), w.manager.clone());
    w.t.report_rule(&e, "Ugesedlen læser ingen", false).unwrap();
    let r = &w.t.rule_reports(&m).unwrap().reports[0];
    assert_eq!(r.author.as_ref().map(|a| a.id), Some(e.id()));
    assert!(!r.damaged);
    // Stripped of its name outside Tillid, it does not pass as anonymous.
    w.t.connection()
        .execute("UPDATE rule_report SET author_id = NULL", [])
        .unwrap();
    let r = &w.t.rule_reports(&m).unwrap().reports[0];
    assert!(r.damaged && r.author.is_none());
}

#[test]
fn managers_and_administrators_set_the_status_and_it_is_signed() {
    let mut w = workplace();
    let (e, m, admin, other) = (
        w.employee.clone(),
        w.manager.clone(),
        w.admin.clone(),
        w.other_manager.clone(),
    );
    let id =
        w.t.report_rule(&e, "Tre underskrifter på en indkøbsseddel", true)
            .unwrap();
    for who in [&e, &other] {
        assert!(matches!(
            w.t.set_rule_status(who, id, "removed", None),
            Err(Error::Forbidden)
        ));
    }
    assert!(matches!(
        w.t.set_rule_status(&m, id, "kept", None),
        Err(Error::EmptyText { field: "reason" })
    ));
    assert!(matches!(
        w.t.set_rule_status(&m, id, "gone", None),
        Err(Error::InvalidInput { field: "status" })
    ));
    w.t.set_rule_status(&m, id, "kept", Some("Revisionen kræver det"))
        .unwrap();
    let r = &w.t.rule_reports(&e).unwrap().reports[0];
    assert_eq!(r.status, RuleStatus::Kept);
    assert_eq!(r.reason.as_deref(), Some("Revisionen kræver det"));
    assert_eq!(r.status_by.as_ref().map(|p| p.id), Some(m.id()));
    assert!(r.status_genuine);
    w.t.set_rule_status(&admin, id, "removed", None).unwrap();
    let r = &w.t.rule_reports(&e).unwrap().reports[0];
    assert_eq!(r.status, RuleStatus::Removed);
    assert!(r.status_genuine && r.reason.is_none());

    // Edited outside Tillid: another status, or the employee named as its
    // setter, is shown as not genuine.
    let conn = w.t.connection();
    conn.execute("UPDATE rule_report SET status = 'new'", [])
        .unwrap();
    let r = &w.t.rule_reports(&m).unwrap().reports[0];
    assert!(!r.status_genuine, "status changed outside Tillid");
    conn.execute("UPDATE rule_report SET status = 'removed'", [])
        .unwrap();
    assert!(w.t.rule_reports(&m).unwrap().reports[0].status_genuine);
    conn.execute(
        "UPDATE rule_report SET status = 'taken_up', status_by = NULL, status_sig = NULL",
        [],
    )
    .unwrap();
    assert!(!w.t.rule_reports(&m).unwrap().reports[0].status_genuine);
    // `tillid check` names it for support.
    let report = w.t.check(Some(&m)).unwrap();
    assert!(report
        .problems
        .iter()
        .any(|p| p.what == "rule_report" && p.id == id && p.why == "status_not_genuine"));
}

#[test]
fn a_status_signed_by_someone_who_decides_nothing_is_not_genuine() {
    let mut w = workplace();
    let (e, m) = (w.employee.clone(), w.manager.clone());
    let id =
        w.t.report_rule(&e, "Mødereferat på tre sider", true)
            .unwrap();
    w.t.set_rule_status(&m, id, "removed", None).unwrap();
    // The manager's signature, moved onto the employee's name.
    w.t.connection()
        .execute("UPDATE rule_report SET status_by = ?1", [e.id()])
        .unwrap();
    let r = &w.t.rule_reports(&m).unwrap().reports[0];
    assert!(!r.status_genuine);
}

#[test]
fn a_manager_takes_a_report_onto_a_planned_grus_agenda() {
    let mut w = workplace();
    let (e, m, o) = (w.employee.clone(), w.manager.clone(), w.outsider.clone());
    let id =
        w.t.report_rule(&e, "Alle skal skrive sig på en liste", true)
            .unwrap();
    let grus = w.group_dialogue();
    let one_to_one = w.dialogue();
    let choices = w.t.rule_reports(&m).unwrap().grus_choices;
    assert_eq!(choices.len(), 1);
    assert_eq!(choices[0].dialogue_id, grus);
    assert!(w.t.rule_reports(&e).unwrap().grus_choices.is_empty());

    assert!(matches!(
        w.t.take_rule_to_grus(&m, id, one_to_one),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.t.take_rule_to_grus(&e, id, grus),
        Err(Error::Forbidden)
    ));
    let item = w.t.take_rule_to_grus(&m, id, grus).unwrap();

    // The point is on the GRUS agenda, readable by the group's members.
    let view = w.t.get_dialogue(&o, grus).unwrap();
    let point = view.agenda.iter().find(|a| a.id == item).unwrap();
    assert_eq!(point.text, "Alle skal skrive sig på en liste");
    assert!(!point.damaged);
    // The report shows it was taken up, and where.
    let r = &w.t.rule_reports(&e).unwrap().reports[0];
    assert_eq!(r.status, RuleStatus::TakenUp);
    assert!(r.status_genuine);
    let to = r.taken_to.as_ref().unwrap();
    assert_eq!(to.dialogue_id, grus);
    assert_eq!(to.group, "Team Nord");

    // A GRUS already held takes no more points this way.
    w.t.mark_held(&m, grus).unwrap();
    assert!(matches!(
        w.t.take_rule_to_grus(&m, id, grus),
        Err(Error::Forbidden)
    ));
}

#[test]
fn private_cases_stay_with_their_author_and_shared_ones_are_found() {
    let mut w = workplace();
    let (e, m, o) = (w.employee.clone(), w.manager.clone(), w.outsider.clone());
    let private =
        w.t.add_case(
            &e,
            &case("Tavlen", "Vagtbytte på tavlen i frokoststuen", false),
        )
        .unwrap();
    let shared =
        w.t.add_case(
            &m,
            &case("Fælles mail", "Borgerne fik ét svar i stedet for tre", true),
        )
        .unwrap();
    assert_eq!(w.t.cases(&e).unwrap().len(), 2);
    let seen: Vec<i64> = w.t.cases(&o).unwrap().iter().map(|c| c.id).collect();
    assert_eq!(seen, [shared], "the private case is not listed for others");
    assert!(w.t.search_cases(&o, "vagtbytte").unwrap().is_empty());
    let found = w.t.search_cases(&o, "borgerne svar").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].title, "Fælles mail");
    assert!(!found[0].mine);

    // Nobody but the author changes it.
    assert!(matches!(
        w.t.set_case_shared(&m, private, true),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.t.update_case(&o, shared, &case("x", "y", true)),
        Err(Error::Forbidden)
    ));
    // Shared by its author, it is found; unshared, it is gone again.
    w.t.set_case_shared(&e, private, true).unwrap();
    let found = w.t.search_cases(&o, "vagtbytte").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, "Vagtbytte på tavlen i frokoststuen");
    w.t.update_case(
        &e,
        private,
        &case("Tavlen", "Vagtbytte, nu også i weekenden", false),
    )
    .unwrap();
    assert!(w.t.search_cases(&o, "vagtbytte").unwrap().is_empty());
    let mine = w.t.search_cases(&e, "weekenden").unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].mine && !mine[0].shared);

    // A case from a dialogue: only one the author took part in.
    let d = w.dialogue();
    let mut from = case("Fra samtalen", "Vi aftalte færre møder", false);
    from.dialogue_id = Some(d);
    assert!(matches!(w.t.add_case(&o, &from), Err(Error::Forbidden)));
    let c = w.t.add_case(&e, &from).unwrap();
    let view =
        w.t.cases(&e)
            .unwrap()
            .into_iter()
            .find(|x| x.id == c)
            .unwrap();
    assert_eq!(view.dialogue_id, Some(d));
}

#[test]
fn a_case_edited_outside_tillid_is_damaged() {
    let mut w = workplace();
    let (e, o) = (w.employee.clone(), w.outsider.clone());
    w.t.add_case(&e, &case("Tavlen", "Vagtbytte", true))
        .unwrap();
    w.t.connection()
        .execute("UPDATE good_case SET author_id = ?1", [o.id()])
        .unwrap();
    let c = &w.t.cases(&o).unwrap()[0];
    assert!(c.damaged && c.text.is_empty());
}

#[test]
fn a_person_who_lost_the_workplace_key_gets_it_when_a_holder_signs_in() {
    let mut w = workplace();
    let (e, m, admin) = (w.employee.clone(), w.manager.clone(), w.admin.clone());
    w.t.report_rule(&m, "Samme tal i to systemer", false)
        .unwrap();
    // Added later: every person of the roster holds the key from the start.
    let late = join(&mut w.t, &admin, "Lise Senere", None);
    assert_eq!(
        w.t.rule_reports(&late).unwrap().reports[0].text,
        "Samme tal i to systemer"
    );

    // A reset takes every space key from the person; the workplace's comes
    // back when someone holding it signs in. Their private examples go,
    // like their private notes: nothing can open them any more.
    w.t.add_case(&e, &case("Kun mit", "Privat eksempel", false))
        .unwrap();
    w.t.add_case(&e, &case("Delt", "Delt eksempel", true))
        .unwrap();
    let code = w.t.reset_passphrase(&admin, e.id()).unwrap();
    let left: Vec<bool> = {
        let mut stmt =
            w.t.connection()
                .prepare("SELECT shared FROM good_case")
                .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    assert_eq!(
        left,
        [true],
        "the shared example stays, the private one goes"
    );
    w.t.lock(&e);
    let e =
        w.t.redeem_setup_code(e.id(), &code, "eriks nye adgangskode")
            .unwrap();
    let r = &w.t.rule_reports(&e).unwrap().reports[0];
    assert!(r.locked && !r.damaged, "no key yet: shown, not read");
    assert!(matches!(
        w.t.report_rule(&e, "x", true),
        Err(Error::KeyPending { .. })
    ));
    w.t.lock(&m);
    let m = w.t.sign_in(m.id(), PASS).unwrap();
    let _ = m;
    assert_eq!(
        w.t.rule_reports(&e).unwrap().reports[0].text,
        "Samme tal i to systemer"
    );
    w.t.report_rule(&e, "Nu kan jeg også", true).unwrap();
}

#[test]
fn reports_reasons_and_cases_are_not_in_the_file_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    let markers = [
        "MARKER-anonymous-report",
        "MARKER-named-report",
        "MARKER-kept-reason",
        "MARKER-private-case",
        "MARKER-shared-case",
        "MARKER-case-title",
    ];
    {
        let mut t = Tillid::open(&path)
            .unwrap()
            .with_kdf(KdfParams::FAST_FOR_TESTS);
        let admin = t.setup_workplace("Nord", "Inge Admin", PASS).unwrap();
        let m = join(&mut t, &admin, "Mona", None);
        let e = join(&mut t, &admin, "Erik", Some(m.id()));
        t.report_rule(&e, markers[0], true).unwrap();
        let named = t.report_rule(&e, markers[1], false).unwrap();
        t.set_rule_status(&m, named, "kept", Some(markers[2]))
            .unwrap();
        t.add_case(&e, &case("Tavlen", markers[3], false)).unwrap();
        t.add_case(&m, &case(markers[5], markers[4], true)).unwrap();
        // The test can tell: each marker reads back through Tillid.
        let texts: Vec<String> = t
            .rule_reports(&m)
            .unwrap()
            .reports
            .into_iter()
            .flat_map(|r| [Some(r.text), r.reason])
            .flatten()
            .collect();
        assert!(texts.iter().any(|x| x == markers[0]));
        assert!(texts.iter().any(|x| x == markers[2]));
        t.checkpoint().unwrap();
    }
    let bytes = all_bytes(dir.path());
    for marker in markers {
        assert!(
            !contains(&bytes, marker),
            "{marker} is in the file in clear"
        );
    }
}
