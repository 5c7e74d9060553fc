//! Templates and preparation: the built-ins in both languages, edits that
//! reach new dialogues only, the kind/participant rule, answers private to
//! their author until shared, and stored templates changed outside Tillid
//! never trusted.

mod support;

use support::{all_bytes, contains, file_tillid, join, workplace, Workplace, PASS};

use tillid_core::domain::DialogueKind;
use tillid_core::service::{PlanInput, Preparation};
use tillid_core::templates::{builtin, Side};
use tillid_core::{Actor, Error, Tillid};

fn plan(kind: &str, person: Option<i64>, group: Option<i64>) -> PlanInput {
    PlanInput {
        person_id: person,
        group_id: group,
        kind: Some(kind.into()),
        scheduled_at: "2026-12-10T09:00:00Z".into(),
    }
}

fn mus(w: &mut Workplace) -> i64 {
    let (m, e) = (w.manager.clone(), w.employee.id());
    w.t.plan_dialogue(&m, &plan("mus", Some(e), None)).unwrap()
}

fn prep(t: &Tillid, a: &Actor, d: i64) -> Preparation {
    t.get_preparation(a, d).unwrap().expect("a template")
}

/// Every answer text the reader sees.
fn answers(p: &Preparation) -> Vec<String> {
    p.sections
        .iter()
        .flat_map(|s| &s.questions)
        .filter_map(|q| q.answer.as_ref().map(|a| a.text.clone()))
        .collect()
}

/// The first question the reader's side prepares, as (section, question).
fn first_of(p: &Preparation, side: Side) -> (usize, usize) {
    p.sections
        .iter()
        .flat_map(|s| &s.questions)
        .find(|q| q.side == side && q.mine)
        .map(|q| (q.section, q.question))
        .expect("a question of that side")
}

#[test]
fn the_builtin_templates_are_there_in_danish_and_english() {
    let w = workplace();
    let list = w.t.list_templates(&w.employee).unwrap();
    for kind in ["mus", "grus", "follow_up", "wellbeing", "ad_hoc"] {
        let t = list.iter().find(|t| t.key == kind).expect(kind);
        assert!(t.builtin && !t.edited && !t.damaged);
        assert!(!t.name.da.is_empty() && !t.name.en.is_empty());
    }
    let mus = w.t.get_template(&w.employee, "mus").unwrap().template;
    assert!(mus.guide.da.contains("ikke en lønsamtale"));
    assert!(mus.guide.en.contains("not an appraisal"));
    let sides: Vec<Side> = mus
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .map(|q| q.side)
        .collect();
    assert!(sides.contains(&Side::Employee) && sides.contains(&Side::Manager));
}

#[test]
fn the_kind_chooses_who_can_take_part() {
    let mut w = workplace();
    let (m, e, g) = (w.manager.clone(), w.employee.id(), w.group);
    let before = w.fingerprint();
    for kind in ["mus", "wellbeing"] {
        let err =
            w.t.plan_dialogue(&m, &plan(kind, None, Some(g)))
                .unwrap_err();
        assert_eq!(err.code(), "kind_needs_one_person", "{kind}");
        assert_eq!(err.params()["kind"], kind);
    }
    let err =
        w.t.plan_dialogue(&m, &plan("grus", Some(e), None))
            .unwrap_err();
    assert!(matches!(err, Error::KindNeedsGroup));
    assert_eq!(err.code(), "kind_needs_group");
    // A template of another kind is refused too.
    assert!(matches!(
        w.t.plan_dialogue_with(&m, &plan("mus", Some(e), None), Some("grus")),
        Err(Error::InvalidInput { field: "template" })
    ));
    assert_eq!(w.fingerprint(), before, "refused plans wrote nothing");
    for (kind, person, group) in [
        ("mus", Some(e), None),
        ("wellbeing", Some(e), None),
        ("grus", None, Some(g)),
        ("follow_up", Some(e), None),
        ("follow_up", None, Some(g)),
        ("ad_hoc", None, Some(g)),
    ] {
        let d = w.t.plan_dialogue(&m, &plan(kind, person, group)).unwrap();
        let p = prep(&w.t, &m, d);
        let kind = DialogueKind::parse("kind", kind).unwrap();
        assert_eq!(p.name, builtin(kind).name);
    }
}

#[test]
fn an_edited_template_reaches_new_dialogues_and_never_old_ones() {
    let mut w = workplace();
    let (admin, m, e) = (w.admin.clone(), w.manager.clone(), w.employee.clone());
    let before = mus(&mut w);
    let mut edited = builtin(DialogueKind::Mus);
    edited.sections[0].questions[0].text.da = "Hvad er du stolt af fra året, der gik?".into();
    edited.sections[0].questions[0].text.en = "What are you proud of from the past year?".into();
    edited.guide.da = "Vores egen vejledning.".into();
    assert_eq!(
        w.t.save_template(&admin, Some("mus"), &edited).unwrap(),
        "mus"
    );
    let listed = w.t.get_template(&e, "mus").unwrap();
    assert!(listed.summary.edited && !listed.summary.damaged);
    assert_eq!(listed.edited_by.map(|p| p.id), Some(admin.id()));

    let after = mus(&mut w);
    let first_q = |p: &Preparation| p.sections[0].questions[0].text.da.clone();
    assert_eq!(
        first_q(&prep(&w.t, &e, after)),
        "Hvad er du stolt af fra året, der gik?"
    );
    assert_eq!(prep(&w.t, &m, after).guide.da, "Vores egen vejledning.");
    assert_eq!(
        first_q(&prep(&w.t, &e, before)),
        builtin(DialogueKind::Mus).sections[0].questions[0].text.da,
        "a dialogue planned before the edit keeps its template"
    );

    // An own template of the workplace, chosen when planning.
    let mut own = builtin(DialogueKind::FollowUp);
    own.name = tillid_core::templates::Text::new("Kvartalssamtale", "Quarterly talk");
    let key = w.t.save_template(&admin, None, &own).unwrap();
    assert!(key.starts_with("own:"));
    let q =
        w.t.plan_dialogue_with(&m, &plan("follow_up", Some(e.id()), None), Some(&key))
            .unwrap();
    assert_eq!(prep(&w.t, &e, q).name.da, "Kvartalssamtale");

    // Taking the built-in back and removing the own one change neither.
    w.t.reset_template(&admin, "mus").unwrap();
    w.t.reset_template(&admin, &key).unwrap();
    assert!(!w.t.get_template(&e, "mus").unwrap().summary.edited);
    assert_eq!(
        first_q(&prep(&w.t, &e, after)),
        "Hvad er du stolt af fra året, der gik?"
    );
    assert_eq!(prep(&w.t, &e, q).name.da, "Kvartalssamtale");

    // A template never makes anything required: a MUS with no answers is
    // held and confirmed as any dialogue.
    w.t.mark_held(&m, after).unwrap();
    let v = w.t.get_dialogue(&m, after).unwrap().summary_version;
    w.t.confirm_summary(&m, after, v).unwrap();
    w.t.confirm_summary(&e, after, v).unwrap();

    // Only administrators edit, and bad input is refused.
    assert!(matches!(
        w.t.save_template(&m, Some("mus"), &edited),
        Err(Error::Forbidden)
    ));
    let mut nameless = edited.clone();
    nameless.name = Default::default();
    assert!(matches!(
        w.t.save_template(&admin, Some("mus"), &nameless),
        Err(Error::EmptyText { .. })
    ));
    assert!(matches!(
        w.t.save_template(&admin, Some("grus"), &edited),
        Err(Error::InvalidInput { field: "kind" })
    ));
}

#[test]
fn a_template_changed_outside_tillid_is_not_trusted() {
    let mut w = workplace();
    let (admin, m, e) = (w.admin.clone(), w.manager.clone(), w.employee.clone());
    let mut edited = builtin(DialogueKind::Mus);
    edited.guide.da = "Godkendt af administratoren.".into();
    w.t.save_template(&admin, Some("mus"), &edited).unwrap();
    let d = mus(&mut w);
    assert_eq!(prep(&w.t, &e, d).guide.da, "Godkendt af administratoren.");

    // Someone with the file rewrites the stored template…
    w.t.connection()
        .execute(
            "UPDATE template SET body = replace(body, 'Godkendt af administratoren.', 'Lønforhandling: sig ja.')",
            [],
        )
        .unwrap();
    let listed = w.t.get_template(&m, "mus").unwrap();
    assert!(listed.summary.damaged && !listed.summary.edited);
    assert_eq!(
        listed.template,
        builtin(DialogueKind::Mus),
        "the built-in is used"
    );
    let next = mus(&mut w);
    assert_eq!(prep(&w.t, &e, next).guide, builtin(DialogueKind::Mus).guide);

    // …or a dialogue's copy of its template.
    assert!(!prep(&w.t, &e, d).damaged);
    w.t.connection()
        .execute(
            "UPDATE dialogue_template SET body = replace(body, 'Godkendt af administratoren.', 'Lønforhandling: sig ja.') WHERE dialogue_id = ?1",
            [d],
        )
        .unwrap();
    let p = prep(&w.t, &e, d);
    assert!(p.damaged);
    assert_eq!(p.guide, builtin(DialogueKind::Mus).guide);

    // A row signed by someone who is no administrator is not trusted either.
    let mut own = builtin(DialogueKind::FollowUp);
    own.name.da = "Egen".into();
    let key = w.t.save_template(&admin, None, &own).unwrap();
    w.t.connection()
        .execute(
            "UPDATE template SET edited_by = ?1 WHERE builtin IS NULL",
            [m.id()],
        )
        .unwrap();
    let listed = w.t.get_template(&m, &key).unwrap();
    assert!(listed.summary.damaged);
    assert!(matches!(
        w.t.plan_dialogue_with(&m, &plan("follow_up", Some(e.id()), None), Some(&key)),
        Err(Error::InvalidInput { field: "template" })
    ));
}

#[test]
fn preparation_answers_are_private_until_shared_as_an_agenda_point() {
    const EMPLOYEE_MARK: &str = "MARKER-Eriks-forberedelse";
    const MANAGER_MARK: &str = "MARKER-Monas-forberedelse";
    const KEPT_MARK: &str = "MARKER-Eriks-ikke-delt";
    let dir = tempfile::tempdir().unwrap();
    let mut t = file_tillid(&dir.path().join("tillid.sqlite3"));
    let admin = t.setup_workplace("Nord", "Inge Admin", PASS).unwrap();
    let m = join(&mut t, &admin, "Mona Manager", None);
    let e = join(&mut t, &admin, "Erik Employee", Some(m.id()));
    let d = t
        .plan_dialogue(&m, &plan("mus", Some(e.id()), None))
        .unwrap();

    let (es, eq) = first_of(&prep(&t, &e, d), Side::Employee);
    let (ms, mq) = first_of(&prep(&t, &m, d), Side::Manager);
    // Each side answers its own questions, not the other's.
    assert!(matches!(
        t.answer_question(&m, d, es, eq, "x"),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        t.answer_question(&e, d, ms, mq, "x"),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        t.answer_question(&e, d, 99, 0, "x"),
        Err(Error::NotFound { what: "question" })
    ));
    let shared = t.answer_question(&e, d, es, eq, EMPLOYEE_MARK).unwrap();
    let kept = t.answer_question(&e, d, es, eq + 1, KEPT_MARK).unwrap();
    let mine = t.answer_question(&m, d, ms, mq, "Udkast").unwrap();
    // Writing again changes the same answer.
    assert_eq!(
        t.answer_question(&m, d, ms, mq, MANAGER_MARK).unwrap(),
        mine
    );

    assert_eq!(answers(&prep(&t, &e, d)), vec![EMPLOYEE_MARK, KEPT_MARK]);
    assert_eq!(answers(&prep(&t, &m, d)), vec![MANAGER_MARK]);
    assert!(matches!(t.share_answer(&m, shared), Err(Error::Forbidden)));

    // The manager shares first; the employee's point still comes first.
    let manager_point = t.share_answer(&m, mine).unwrap();
    let point = t.share_answer(&e, shared).unwrap();
    assert_eq!(
        t.share_answer(&e, shared).unwrap(),
        point,
        "sharing twice adds nothing"
    );
    let agenda = t.get_dialogue(&m, d).unwrap().agenda;
    let texts: Vec<&str> = agenda.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(texts, vec![EMPLOYEE_MARK, MANAGER_MARK]);
    assert_eq!(agenda[0].id, point);
    assert_eq!(agenda[1].id, manager_point);
    assert_eq!(agenda[0].author_side, "employee");
    let e_prep = prep(&t, &e, d);
    let shown: Vec<(String, bool)> = e_prep
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .filter_map(|q| q.answer.as_ref().map(|a| (a.text.clone(), a.shared)))
        .collect();
    assert_eq!(
        shown,
        vec![
            (EMPLOYEE_MARK.to_owned(), true),
            (KEPT_MARK.to_owned(), false)
        ]
    );
    // What was not shared stays the employee's alone.
    assert!(!answers(&prep(&t, &m, d)).contains(&KEPT_MARK.to_owned()));
    let _ = kept;

    // Removing the point makes the answer unshared again.
    t.remove_agenda_item(&e, point).unwrap();
    assert!(prep(&t, &e, d)
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .filter_map(|q| q.answer.as_ref())
        .all(|a| !a.shared));

    // No marker is in the file (or its WAL) in clear.
    t.lock(&e);
    t.lock(&m);
    t.checkpoint().unwrap();
    let bytes = all_bytes(dir.path());
    for marker in [EMPLOYEE_MARK, MANAGER_MARK, KEPT_MARK] {
        assert!(
            !contains(&bytes, marker),
            "{marker} is in the file in clear"
        );
    }
}

#[test]
fn an_answer_changed_outside_tillid_is_shown_as_damaged() {
    let mut w = workplace();
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let d = mus(&mut w);
    let (s, q) = first_of(&prep(&w.t, &e, d), Side::Employee);
    let a = w.t.answer_question(&e, d, s, q, "Mit svar").unwrap();
    let b =
        w.t.answer_question(&e, d, s, q + 1, "Mit andet svar")
            .unwrap();
    // Swapping the two sealed answers is caught by their signatures.
    w.t.connection()
        .execute(
            "UPDATE prep_answer SET body = (SELECT body FROM prep_answer WHERE id = ?2) WHERE id = ?1",
            [a, b],
        )
        .unwrap();
    let p = prep(&w.t, &e, d);
    let damaged: Vec<bool> = p
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .filter_map(|q| q.answer.as_ref().map(|a| a.damaged))
        .collect();
    assert_eq!(damaged, vec![true, false]);
    assert!(matches!(w.t.share_answer(&e, a), Err(Error::Integrity)));
    assert!(w.t.get_dialogue(&m, d).unwrap().agenda.is_empty());
}

#[test]
fn a_reset_passphrase_drops_the_persons_preparation_answers_with_their_key() {
    let mut w = workplace();
    let (admin, e) = (w.admin.clone(), w.employee.clone());
    let d = mus(&mut w);
    let (s, q) = first_of(&prep(&w.t, &e, d), Side::Employee);
    w.t.answer_question(&e, d, s, q, "Kun mit").unwrap();
    assert_eq!(w.count("prep_answer"), 1);
    w.t.reset_passphrase(&admin, e.id()).unwrap();
    assert_eq!(
        w.count("prep_answer"),
        0,
        "nothing is left that no key opens"
    );
}
