//! The full access matrix: each role × each operation × own and others'
//! records. An allowed operation succeeds; a denied one fails with
//! `Forbidden` (never an empty success) and changes nothing.

mod support;

use support::Workplace;
use tillid_core::domain::DialogueKind;
use tillid_core::service::{AgreementInput, CaseInput, GroupInput, PlanInput, RequestInput};
use tillid_core::{Actor, Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Admin,
    Manager,
    Employee,
    Outsider,
    OtherManager,
}
use Who::*;

const EVERYONE: [Who; 5] = [Admin, Manager, Employee, Outsider, OtherManager];

/// The records the operations act on, made by their owners before the
/// person under test acts.
struct Records {
    dialogue: i64,
    group_dialogue: i64,
    manager_item: i64,
    employee_item: i64,
    manager_private_note: i64,
    manager_shared_note: i64,
    employee_shared_note: i64,
    /// Written by the manager, owned by the employee.
    employees_agreement: i64,
    /// Written by the manager, owned by the manager.
    managers_agreement: i64,
    /// Written by the employee, owned by the employee.
    written_by_employee: i64,
    group_agreement: i64,
    /// Added by the administrator; has not chosen a passphrase yet.
    pending_person: i64,
    /// The employee asked the manager for a dialogue.
    request: i64,
}

const PRIVATE_MARKER: &str = "MARKER-private-note-of-the-manager";

fn records(w: &mut Workplace) -> Records {
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let dialogue = w.dialogue();
    let group_dialogue = w.group_dialogue();
    let t = &mut w.t;
    let manager_item = t.add_agenda_item(&m, dialogue, "Manager's point").unwrap();
    let employee_item = t.add_agenda_item(&e, dialogue, "Employee's point").unwrap();
    let manager_private_note = t.add_note(&m, dialogue, PRIVATE_MARKER, true).unwrap();
    let manager_shared_note = t
        .add_note(&m, dialogue, "Shared by manager", false)
        .unwrap();
    let employee_shared_note = t
        .add_note(&e, dialogue, "Shared by employee", false)
        .unwrap();
    let employees_agreement = w.agreement(&m, dialogue, Some(e.id()), "Employee takes the rota");
    let managers_agreement = w.agreement(&m, dialogue, Some(m.id()), "Manager finds a course");
    let written_by_employee = w.agreement(&e, dialogue, Some(e.id()), "Employee writes a guide");
    let group_agreement = w.agreement(&m, group_dialogue, None, "The group shares the phone");
    let admin = w.admin.clone();
    let pending_person =
        w.t.add_person(&admin, "Pending Person", false, None)
            .unwrap()
            .person
            .id;
    let request =
        w.t.request_dialogue(
            &e,
            &RequestInput {
                kind: "mus".into(),
                reason: Some("Min udvikling".into()),
            },
        )
        .unwrap();
    Records {
        request,
        dialogue,
        group_dialogue,
        manager_item,
        employee_item,
        manager_private_note,
        manager_shared_note,
        employee_shared_note,
        employees_agreement,
        managers_agreement,
        written_by_employee,
        group_agreement,
        pending_person,
    }
}

type Op = fn(&mut Workplace, &Actor, &Records) -> Result<()>;

struct Case {
    name: &'static str,
    allowed: &'static [Who],
    /// Brings the records into the state the operation needs, as the
    /// people entitled to do so.
    prepare: Option<fn(&mut Workplace, &Records)>,
    op: Op,
}

fn held(w: &mut Workplace, r: &Records) {
    let m = w.manager.clone();
    w.t.mark_held(&m, r.dialogue).unwrap();
}

fn input(text: &str, owner: Option<i64>) -> AgreementInput {
    AgreementInput {
        text: text.into(),
        owner_person_id: owner,
        follow_up_on: Some("2027-01-15".into()),
        if_then: None,
    }
}

fn cases() -> Vec<Case> {
    let case = |name, allowed, op| Case {
        name,
        allowed,
        prepare: None,
        op,
    };
    vec![
        case("view the dialogue", &[Manager, Employee], |w, a, r| {
            w.t.get_dialogue(a, r.dialogue).map(drop)
        }),
        case(
            "view the group dialogue",
            &[Manager, Employee, Outsider],
            |w, a, r| w.t.get_dialogue(a, r.group_dialogue).map(drop),
        ),
        case("read the manager's private note", &[Manager], |w, a, r| {
            let view = w.t.get_dialogue(a, r.dialogue)?;
            match view.notes.iter().any(|n| n.text == PRIVATE_MARKER) {
                true => Ok(()),
                false => Err(Error::Forbidden),
            }
        }),
        case("add an agenda point", &[Manager, Employee], |w, a, r| {
            w.t.add_agenda_item(a, r.dialogue, "A point").map(drop)
        }),
        case(
            "mark the employee's point discussed",
            &[Manager, Employee],
            |w, a, r| w.t.set_agenda_status(a, r.employee_item, "discussed"),
        ),
        case("remove the employee's own point", &[Employee], |w, a, r| {
            w.t.remove_agenda_item(a, r.employee_item)
        }),
        case("remove the manager's own point", &[Manager], |w, a, r| {
            w.t.remove_agenda_item(a, r.manager_item)
        }),
        case("add a note", &[Manager, Employee], |w, a, r| {
            w.t.add_note(a, r.dialogue, "Hello", false).map(drop)
        }),
        case("edit the manager's private note", &[Manager], |w, a, r| {
            w.t.update_note(a, r.manager_private_note, "Changed")
        }),
        case("edit the manager's shared note", &[Manager], |w, a, r| {
            w.t.update_note(a, r.manager_shared_note, "Changed")
        }),
        case(
            "delete the employee's shared note",
            &[Employee],
            |w, a, r| w.t.delete_note(a, r.employee_shared_note),
        ),
        case(
            "delete the manager's private note",
            &[Manager],
            |w, a, r| w.t.delete_note(a, r.manager_private_note),
        ),
        case("add an agreement", &[Manager, Employee], |w, a, r| {
            let owner = Some(a.id());
            w.t.add_agreement(a, r.dialogue, &input("New", owner))
                .map(drop)
        }),
        case(
            "edit an agreement the manager wrote",
            &[Manager],
            |w, a, r| {
                let owner = Some(w.employee.id());
                w.t.edit_agreement(a, r.employees_agreement, &input("Reworded", owner))
            },
        ),
        case(
            "edit an agreement the employee wrote",
            &[Manager, Employee],
            |w, a, r| {
                let owner = Some(w.employee.id());
                w.t.edit_agreement(a, r.written_by_employee, &input("Reworded", owner))
            },
        ),
        case(
            "update the employee's agreement",
            &[Manager, Employee],
            |w, a, r| {
                w.t.set_agreement_state(a, r.employees_agreement, "done", Some("Finished"))
            },
        ),
        case("update the manager's agreement", &[Manager], |w, a, r| {
            w.t.set_agreement_state(a, r.managers_agreement, "done", None)
        }),
        case(
            "update the group's agreement",
            &[Manager, Employee, Outsider],
            |w, a, r| {
                w.t.set_agreement_state(a, r.group_agreement, "dropped", None)
            },
        ),
        case("reschedule the dialogue", &[Manager], |w, a, r| {
            w.t.reschedule_dialogue(a, r.dialogue, "2026-12-10T10:00:00+01:00")
        }),
        case("mark the dialogue held", &[Manager], |w, a, r| {
            w.t.mark_held(a, r.dialogue)
        }),
        Case {
            name: "confirm the summary",
            allowed: &[Manager, Employee],
            prepare: Some(held),
            op: |w, a, r| {
                let version =
                    w.t.get_dialogue(&w.manager.clone(), r.dialogue)?
                        .summary_version;
                w.t.confirm_summary(a, r.dialogue, version)
            },
        },
        case(
            "plan a dialogue with the employee",
            &[Manager],
            |w, a, _| {
                let employee = w.employee.id();
                w.t.plan_dialogue(
                    a,
                    &PlanInput {
                        person_id: Some(employee),
                        group_id: None,
                        kind: None,
                        scheduled_at: "2027-01-05T09:00:00Z".into(),
                    },
                )
                .map(drop)
            },
        ),
        case("plan a dialogue with the group", &[Manager], |w, a, _| {
            let group = w.group;
            w.t.plan_dialogue(
                a,
                &PlanInput {
                    person_id: None,
                    group_id: Some(group),
                    kind: None,
                    scheduled_at: "2027-01-05T09:00:00Z".into(),
                },
            )
            .map(drop)
        }),
        case(
            "see the history with the employee",
            &[Manager],
            |w, a, _| {
                let employee = w.employee.id();
                w.t.relationship_history(a, Some(employee), None).map(drop)
            },
        ),
        case(
            "see the history with the group",
            &[Manager, Employee, Outsider],
            |w, a, _| {
                let group = w.group;
                w.t.relationship_history(a, None, Some(group)).map(drop)
            },
        ),
        case("list people", &[Admin], |w, a, _| {
            w.t.list_people(a).map(drop)
        }),
        case("add a person", &[Admin], |w, a, _| {
            w.t.add_person(a, "New Person", false, None).map(drop)
        }),
        case("change who manages whom", &[Admin], |w, a, _| {
            let (e, m) = (w.employee.id(), w.other_manager.id());
            w.t.set_manager(a, e, Some(m))
        }),
        case("make someone administrator", &[Admin], |w, a, _| {
            let e = w.employee.id();
            w.t.set_admin(a, e, true)
        }),
        case("issue a setup code", &[Admin], |w, a, r| {
            w.t.issue_setup_code(a, r.pending_person).map(drop)
        }),
        case("list groups", &[Admin], |w, a, _| {
            w.t.list_groups(a).map(drop)
        }),
        case("change a group", &[Admin], |w, a, _| {
            let input = GroupInput {
                group_id: Some(w.group),
                name: "Team Syd".into(),
                leader_id: w.manager.id(),
                member_ids: vec![w.employee.id()],
            };
            w.t.save_group(a, &input).map(drop)
        }),
        // Templates and preparation. The one-to-one is a follow-up: its
        // first question is for both sides, its second the employee's.
        case(
            "read the dialogue's preparation",
            &[Manager, Employee],
            |w, a, r| w.t.get_preparation(a, r.dialogue).map(drop),
        ),
        case(
            "answer a question for both sides",
            &[Manager, Employee],
            |w, a, r| w.t.answer_question(a, r.dialogue, 0, 0, "Svar").map(drop),
        ),
        case(
            "answer the employee's preparation question",
            &[Employee],
            |w, a, r| w.t.answer_question(a, r.dialogue, 0, 1, "Svar").map(drop),
        ),
        case(
            "answer a question in the group's preparation",
            &[Manager, Employee, Outsider],
            |w, a, r| {
                w.t.answer_question(a, r.group_dialogue, 0, 0, "Svar")
                    .map(drop)
            },
        ),
        Case {
            name: "read the employee's preparation answer",
            allowed: &[Employee],
            prepare: Some(employee_answers),
            op: |w, a, r| {
                let prep =
                    w.t.get_preparation(a, r.dialogue)?
                        .ok_or(Error::Forbidden)?;
                let seen = prep
                    .sections
                    .iter()
                    .flat_map(|s| &s.questions)
                    .filter_map(|q| q.answer.as_ref())
                    .any(|ans| ans.text == ANSWER_MARKER);
                if seen {
                    Ok(())
                } else {
                    Err(Error::Forbidden)
                }
            },
        },
        Case {
            name: "share the employee's preparation answer",
            allowed: &[Employee],
            prepare: Some(employee_answers),
            op: |w, a, _| {
                let answer = the_employees_answer(w);
                w.t.share_answer(a, answer).map(drop)
            },
        },
        case("list the templates", &EVERYONE, |w, a, _| {
            w.t.list_templates(a).map(drop)
        }),
        case("edit a built-in template", &[Admin], |w, a, _| {
            let mut mus = tillid_core::templates::builtin(DialogueKind::Mus);
            mus.guide.da = "Vores egen vejledning".into();
            w.t.save_template(a, Some("mus"), &mus).map(drop)
        }),
        case("add an own template", &[Admin], |w, a, _| {
            let mut own = tillid_core::templates::builtin(DialogueKind::FollowUp);
            own.name.da = "Kvartalssamtale".into();
            w.t.save_template(a, None, &own).map(drop)
        }),
        case("take a built-in template back", &[Admin], |w, a, _| {
            w.t.reset_template(a, "mus")
        }),
        case("plan a MUS with the employee", &[Manager], |w, a, _| {
            let employee = w.employee.id();
            w.t.plan_dialogue_with(
                a,
                &PlanInput {
                    person_id: Some(employee),
                    group_id: None,
                    kind: Some("mus".into()),
                    scheduled_at: "2027-01-05T09:00:00Z".into(),
                },
                Some("mus"),
            )
            .map(drop)
        }),
        // Issue 7: rule reports and good cases, in the workplace space.
        case("report a rule anonymously", &EVERYONE, |w, a, _| {
            w.t.report_rule(a, "Dobbelt registrering", true).map(drop)
        }),
        case("report a rule with one's name", &EVERYONE, |w, a, _| {
            w.t.report_rule(a, "Tre underskrifter", false).map(drop)
        }),
        case("list the rule reports", &EVERYONE, |w, a, _| {
            w.t.rule_reports(a).map(drop)
        }),
        Case {
            name: "set a rule report's status",
            allowed: &[Admin, Manager],
            prepare: Some(employee_reports),
            op: |w, a, _| {
                let id = last(w, "rule_report");
                w.t.set_rule_status(a, id, "kept", Some("Loven kræver det"))
            },
        },
        Case {
            name: "take a rule report onto the group's GRUS",
            allowed: &[Manager],
            prepare: Some(employee_reports),
            op: |w, a, r| {
                let id = last(w, "rule_report");
                w.t.take_rule_to_grus(a, id, r.group_dialogue).map(drop)
            },
        },
        case("write a case", &EVERYONE, |w, a, _| {
            w.t.add_case(a, &case_input(true)).map(drop)
        }),
        Case {
            name: "edit the employee's case",
            allowed: &[Employee],
            prepare: Some(employee_writes_case),
            op: |w, a, _| {
                let id = last(w, "good_case");
                w.t.update_case(a, id, &case_input(false))
            },
        },
        Case {
            name: "share the employee's private case",
            allowed: &[Employee],
            prepare: Some(employee_writes_case),
            op: |w, a, _| {
                let id = last(w, "good_case");
                w.t.set_case_shared(a, id, true)
            },
        },
        Case {
            name: "read the employee's private case",
            allowed: &[Employee],
            prepare: Some(employee_writes_case),
            op: |w, a, _| match w.t.cases(a)?.iter().any(|c| c.text == CASE_MARKER) {
                true => Ok(()),
                false => Err(Error::Forbidden),
            },
        },
        Case {
            name: "find the employee's shared case by search",
            allowed: &EVERYONE,
            prepare: Some(|w, _| {
                let e = w.employee.clone();
                w.t.add_case(&e, &case_input(true)).unwrap();
            }),
            op: |w, a, _| match w.t.search_cases(a, "vagtbytte")?.len() {
                1 => Ok(()),
                _ => Err(Error::Forbidden),
            },
        },
        // The follow-up cycle.
        case("cancel the dialogue", &[Manager], |w, a, r| {
            w.t.cancel_dialogue(a, r.dialogue, Some("Ferie"))
        }),
        case(
            "comment on the employee's agreement",
            &[Manager, Employee],
            |w, a, r| {
                w.t.set_agreement_state(a, r.employees_agreement, "open", Some("Halvvejs"))
            },
        ),
        case(
            "ask one's manager for a dialogue",
            &[Employee, Outsider],
            |w, a, _| {
                let input = RequestInput {
                    kind: "follow_up".into(),
                    reason: Some("Opfølgning".into()),
                };
                w.t.request_dialogue(a, &input).map(drop)
            },
        ),
        case("answer the employee's request", &[Manager], |w, a, r| {
            w.t.answer_request(a, r.request, "Vi tager den på mandag")
        }),
        case("plan from the employee's request", &[Manager], |w, a, r| {
            w.t.plan_requested_dialogue(a, r.request, None, "2027-01-05T09:00:00Z")
                .map(drop)
        }),
        case("see the manager's overview", &[Manager], |w, a, _| {
            w.t.manager_overview(a, "name").map(drop)
        }),
        // Someone leaving, or coming back: administrators only.
        case("mark someone as having left", &[Admin], |w, a, r| {
            w.t.mark_left(a, r.pending_person)
        }),
        Case {
            name: "mark someone as back again",
            allowed: &[Admin],
            prepare: Some(|w, r| {
                let admin = w.admin.clone();
                w.t.mark_left(&admin, r.pending_person).unwrap();
            }),
            op: |w, a, r| w.t.mark_returned(a, r.pending_person),
        },
        // A summary to print or save, and calendar files: the participants.
        Case {
            name: "print the held dialogue's summary",
            allowed: &[Manager, Employee],
            prepare: Some(held),
            op: |w, a, r| {
                w.t.dialogue_summary(
                    a,
                    r.dialogue,
                    Some(tillid_core::service::print::Scope::Whole),
                )
                .map(drop)
            },
        },
        Case {
            name: "save the held dialogue's summary as a file",
            allowed: &[Manager, Employee],
            prepare: Some(held),
            op: |w, a, r| {
                w.t.summary_html(a, r.dialogue, None, tillid_core::documents::words::Lang::En)
                    .map(drop)
            },
        },
        case("read one template", &EVERYONE, |w, a, _| {
            w.t.get_template(a, "mus").map(drop)
        }),
        case(
            "export the dialogue to a calendar",
            &[Manager, Employee],
            |w, a, r| {
                w.t.dialogue_calendar(a, r.dialogue, tillid_core::documents::words::Lang::Da)
                    .map(drop)
            },
        ),
        // Deleting old data: administrators only.
        case("see what retention would delete", &[Admin], |w, a, _| {
            let rule = tillid_core::service::RetentionRule {
                years: Some(5),
                private_notes_after_newer: true,
            };
            w.t.retention_preview(a, &rule).map(drop)
        }),
        case("delete old data", &[Admin], |w, a, _| {
            let rule = tillid_core::service::RetentionRule {
                years: Some(5),
                private_notes_after_newer: false,
            };
            let plan = tillid_core::service::RetentionPlan::default();
            w.t.apply_retention(a, &rule, &plan).map(drop)
        }),
        // The retention setting: administrators decide it.
        case("read the retention setting", &[Admin], |w, a, _| {
            w.t.retention_setting(a).map(drop)
        }),
        case("save the retention setting", &[Admin], |w, a, _| {
            let rule = tillid_core::service::RetentionRule {
                years: Some(5),
                private_notes_after_newer: false,
            };
            w.t.save_retention_setting(a, &rule)
        }),
        // Deleting someone who left: administrators only.
        Case {
            name: "see what deleting someone who left removes",
            allowed: &[Admin],
            prepare: Some(|w, r| {
                let admin = w.admin.clone();
                w.t.mark_left(&admin, r.pending_person).unwrap();
            }),
            op: |w, a, r| w.t.person_deletion_preview(a, r.pending_person).map(drop),
        },
        Case {
            name: "delete someone who left",
            allowed: &[Admin],
            prepare: Some(|w, r| {
                let admin = w.admin.clone();
                w.t.mark_left(&admin, r.pending_person).unwrap();
            }),
            op: |w, a, r| {
                let admin = w.admin.clone();
                let plan = w.t.person_deletion_preview(&admin, r.pending_person)?;
                w.t.delete_person(a, &plan)
            },
        },
        // A new manager: only the employee decides about their history.
        Case {
            name: "share the history with a new manager",
            allowed: &[Employee],
            prepare: Some(|w, _| {
                let (admin, e, other) =
                    (w.admin.clone(), w.employee.clone(), w.other_manager.clone());
                w.t.set_manager(&admin, e.id(), Some(other.id())).unwrap();
            }),
            op: |w, a, _| {
                let old = w.manager.id();
                w.t.decide_handover(a, old, true)
            },
        },
        // Drafts at the idle lock: everyone keeps and takes back their own;
        // no one reaches another's (they open with the writer's key only).
        case(
            "keep and take back one's own drafts",
            &EVERYONE,
            |w, a, _| {
                let draft = tillid_core::service::Draft {
                    route: "#/home".into(),
                    field: "note-input".into(),
                    index: 0,
                    text: "Halvt skrevet".into(),
                };
                w.t.save_drafts(a, &[draft])?;
                let back = w.t.take_drafts(a)?;
                if back.len() == 1 && back[0].draft.text == "Halvt skrevet" {
                    Ok(())
                } else {
                    Err(Error::Integrity)
                }
            },
        ),
        Case {
            name: "take back the manager's drafts",
            allowed: &[Manager],
            prepare: Some(|w, _| {
                let m = w.manager.clone();
                let draft = tillid_core::service::Draft {
                    route: "#/home".into(),
                    field: "note-input".into(),
                    index: 0,
                    text: "Mona skriver".into(),
                };
                w.t.save_drafts(&m, &[draft]).unwrap();
            }),
            op: |w, a, _| {
                let back = w.t.take_drafts(a)?;
                if back.iter().any(|d| d.draft.text == "Mona skriver") {
                    Ok(())
                } else {
                    Err(Error::Forbidden)
                }
            },
        },
        // Backups: administrators only.
        case("make a backup", &[Admin], |w, a, _| {
            let dir = tempfile::tempdir().map_err(|e| Error::Storage(e.to_string()))?;
            w.t.back_up_now(a, dir.path(), &mut |_| true).map(drop)
        }),
        case("list the backups", &[Admin], |w, a, _| {
            let dir = tempfile::tempdir().map_err(|e| Error::Storage(e.to_string()))?;
            w.t.list_backups(a, dir.path()).map(drop)
        }),
        case("restore a backup", &[Admin], |w, a, _| w.t.may_restore(a)),
        // Issue 8: data rights. Anyone exports what is held about
        // themselves; about the employee, their manager (and the employee,
        // whose export about themselves is their own).
        case(
            "export everything held about oneself",
            &EVERYONE,
            |w, a, _| w.t.export_data(a, None, &mut |_| true).map(drop),
        ),
        case(
            "export everything held about the employee",
            &[Manager, Employee],
            |w, a, _| {
                let employee = w.employee.id();
                w.t.export_data(a, Some(employee), &mut |_| true).map(drop)
            },
        ),
    ]
}

const ANSWER_MARKER: &str = "MARKER-employee-preparation-answer";

fn employee_answers(w: &mut Workplace, r: &Records) {
    let e = w.employee.clone();
    w.t.answer_question(&e, r.dialogue, 0, 1, ANSWER_MARKER)
        .unwrap();
}

fn the_employees_answer(w: &Workplace) -> i64 {
    w.t.connection()
        .query_row(
            "SELECT id FROM prep_answer WHERE author_id = ?1",
            [w.employee.id()],
            |r| r.get(0),
        )
        .unwrap()
}

const CASE_MARKER: &str = "Vi prøvede vagtbytte på tavlen";

fn case_input(shared: bool) -> CaseInput {
    CaseInput {
        title: "Vagtbytte".into(),
        text: CASE_MARKER.into(),
        shared,
        dialogue_id: None,
    }
}

fn employee_reports(w: &mut Workplace, _: &Records) {
    let e = w.employee.clone();
    w.t.report_rule(&e, "Skemaet til kørsel", true).unwrap();
}

fn employee_writes_case(w: &mut Workplace, _: &Records) {
    let e = w.employee.clone();
    w.t.add_case(&e, &case_input(false)).unwrap();
}

fn last(w: &Workplace, table: &str) -> i64 {
    w.t.connection()
        .query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn actor(w: &Workplace, who: Who) -> Actor {
    match who {
        Admin => w.admin.clone(),
        Manager => w.manager.clone(),
        Employee => w.employee.clone(),
        Outsider => w.outsider.clone(),
        OtherManager => w.other_manager.clone(),
    }
}

#[test]
fn every_role_and_operation_is_allowed_or_denied_as_the_rules_say() {
    let mut failures = Vec::new();
    for case in cases() {
        for who in EVERYONE {
            let mut w = support::workplace();
            let r = records(&mut w);
            if let Some(prepare) = case.prepare {
                prepare(&mut w, &r);
            }
            let before = w.fingerprint();
            let a = actor(&w, who);
            let result = (case.op)(&mut w, &a, &r);
            let allowed = case.allowed.contains(&who);
            match (allowed, result) {
                (true, Ok(())) => {}
                (false, Err(Error::Forbidden)) => {
                    if w.fingerprint() != before {
                        failures.push(format!(
                            "{:?} / {}: denied but data changed",
                            who, case.name
                        ));
                    }
                }
                (true, Err(e)) => failures.push(format!(
                    "{:?} / {}: should be allowed, got {e:?}",
                    who, case.name
                )),
                (false, Ok(())) => failures.push(format!(
                    "{:?} / {}: should be denied, succeeded",
                    who, case.name
                )),
                (false, Err(e)) => failures.push(format!(
                    "{:?} / {}: should be Forbidden, got {e:?}",
                    who, case.name
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix broken:\n{}",
        failures.join("\n")
    );
}

#[test]
fn unknown_ids_are_not_found_for_everyone() {
    let mut w = support::workplace();
    let m = w.manager.clone();
    assert!(matches!(
        w.t.get_dialogue(&m, 999),
        Err(Error::NotFound { what: "dialogue" })
    ));
    assert!(matches!(
        w.t.update_note(&m, 999, "x"),
        Err(Error::NotFound { what: "note" })
    ));
    assert!(matches!(
        w.t.set_agreement_state(&m, 999, "done", None),
        Err(Error::NotFound { what: "agreement" })
    ));
    assert!(matches!(
        w.t.set_agenda_status(&m, 999, "open"),
        Err(Error::NotFound {
            what: "agenda_item"
        })
    ));
}
