//! Data rights (GDPR art. 15 and 20): the export holds every record the
//! person may see about themselves and nothing else. Markers planted in
//! every kind of content say which records must be in it and which must
//! never be, in the data, the readable copy or the zip's bytes.

mod support;

use std::io::Read;

use serde_json::Value;
use support::{workplace, Workplace};
use tillid_core::service::{AgreementInput, CaseInput, PlanInput, RequestInput};
use tillid_core::{Actor, Error};

// Present in the employee's own export.
const OWN_PRIVATE: &str = "MARK-own-private-note-of-erik";
const OWN_ANSWER: &str = "MARK-own-preparation-answer-of-erik";
const OWN_PRIVATE_CASE: &str = "MARK-own-private-case-of-erik";
// Present in both exports.
const SHARED_NOTE: &str = "MARK-shared-note-by-mona";
const AGENDA: &str = "MARK-agenda-point-by-erik";
const AGREEMENT: &str = "MARK-agreement-for-erik";
const COMMENT: &str = "MARK-agreement-comment";
const REQUEST: &str = "MARK-request-reason-of-erik";
const NAMED_REPORT: &str = "MARK-named-rule-report-of-erik";
const GROUP_SHARED: &str = "MARK-group-shared-note-by-olga";
const SHARED_CASE: &str = "MARK-shared-case-of-erik";
// Only in the manager's export about Erik.
const MANAGER_PRIVATE: &str = "MARK-managers-private-note-about-erik";
const MANAGER_ANSWER: &str = "MARK-managers-preparation-answer";
// Never in either.
const THIRD_PRIVATE: &str = "MARK-olgas-private-note";
const MANAGER_GROUP_PRIVATE: &str = "MARK-managers-private-note-in-the-grus";
const OTHER_DIALOGUE: &str = "MARK-note-in-olgas-own-dialogue";
const ANONYMOUS: &str = "MARK-anonymous-rule-report-of-erik";
const THIRD_CASE: &str = "MARK-olgas-private-case";
const THIRD_ANSWER: &str = "MARK-olgas-preparation-answer";

struct Planted {
    w: Workplace,
    pair: i64,
    grus: i64,
    other: i64,
}

fn case(title: &str, text: &str, shared: bool) -> CaseInput {
    CaseInput {
        title: title.into(),
        text: text.into(),
        shared,
        dialogue_id: None,
    }
}

fn planted() -> Planted {
    let mut w = workplace();
    let (m, e, o) = (w.manager.clone(), w.employee.clone(), w.outsider.clone());
    let pair = w.dialogue();
    let grus = w.group_dialogue();
    let other =
        w.t.plan_dialogue(
            &m,
            &PlanInput {
                person_id: Some(o.id()),
                group_id: None,
                kind: None,
                scheduled_at: "2026-12-05T09:00:00Z".into(),
            },
        )
        .unwrap();
    let t = &mut w.t;
    t.add_note(&e, pair, OWN_PRIVATE, true).unwrap();
    t.add_note(&m, pair, MANAGER_PRIVATE, true).unwrap();
    t.add_note(&m, pair, SHARED_NOTE, false).unwrap();
    t.add_agenda_item(&e, pair, AGENDA).unwrap();
    t.answer_question(&e, pair, 0, 1, OWN_ANSWER).unwrap();
    t.answer_question(&m, pair, 0, 0, MANAGER_ANSWER).unwrap();
    let agreement = t
        .add_agreement(
            &m,
            pair,
            &AgreementInput {
                text: AGREEMENT.into(),
                owner_person_id: Some(e.id()),
                follow_up_on: Some("2027-02-01".into()),
                if_then: Some("Hvis vagterne driller, så taler vi sammen".into()),
            },
        )
        .unwrap();
    t.set_agreement_state(&e, agreement, "open", Some(COMMENT))
        .unwrap();
    t.mark_held(&m, pair).unwrap();
    let version = t.get_dialogue(&m, pair).unwrap().summary_version;
    t.confirm_summary(&m, pair, version).unwrap();
    t.confirm_summary(&e, pair, version).unwrap();

    t.add_note(&o, grus, THIRD_PRIVATE, true).unwrap();
    t.add_note(&o, grus, GROUP_SHARED, false).unwrap();
    t.add_note(&m, grus, MANAGER_GROUP_PRIVATE, true).unwrap();
    t.answer_question(&o, grus, 0, 0, THIRD_ANSWER).unwrap();
    t.add_note(&m, other, OTHER_DIALOGUE, false).unwrap();

    t.request_dialogue(
        &e,
        &RequestInput {
            kind: "mus".into(),
            reason: Some(REQUEST.into()),
        },
    )
    .unwrap();
    t.report_rule(&e, NAMED_REPORT, false).unwrap();
    t.report_rule(&e, ANONYMOUS, true).unwrap();
    t.add_case(&e, &case("Egen", OWN_PRIVATE_CASE, false))
        .unwrap();
    t.add_case(&e, &case("Delt", SHARED_CASE, true)).unwrap();
    t.add_case(&o, &case("Olgas", THIRD_CASE, false)).unwrap();
    Planted {
        w,
        pair,
        grus,
        other,
    }
}

/// The zip's bytes and its files, unpacked.
struct Unzipped {
    bytes: Vec<u8>,
    data: String,
    html: String,
    schema: String,
}

fn export(p: &Planted, actor: &Actor, about: Option<i64>) -> Unzipped {
    let data = p.w.t.export_data(actor, about, &mut |_| true).unwrap();
    let bytes = tillid_core::export::zip(&data).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    Unzipped {
        data: read("data.json"),
        html: read("index.html"),
        schema: read("schema.json"),
        bytes,
    }
}

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/export-schema.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validates(data: &Value) {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(data)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "data.json breaks the schema: {errors:#?}"
    );
}

fn holds(u: &Unzipped, marker: &str) {
    assert!(u.data.contains(marker), "data.json lacks {marker}");
    assert!(u.html.contains(marker), "index.html lacks {marker}");
}

fn lacks(u: &Unzipped, marker: &str) {
    let needle = marker.as_bytes();
    let in_bytes = u.bytes.windows(needle.len()).any(|w| w == needle);
    assert!(!in_bytes, "the zip's bytes hold {marker}");
    assert!(!u.data.contains(marker), "data.json holds {marker}");
    assert!(!u.html.contains(marker), "index.html holds {marker}");
    assert!(!u.schema.contains(marker));
}

fn dialogue_ids(data: &Value) -> Vec<i64> {
    data["dialogues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn the_own_export_holds_everything_about_me_and_nothing_of_others() {
    let p = planted();
    let e = p.w.employee.clone();
    let u = export(&p, &e, None);
    let data: Value = serde_json::from_str(&u.data).unwrap();
    validates(&data);
    assert_eq!(data["schema_version"], 2);
    assert_eq!(data["export"], "own");
    assert_eq!(data["person"]["name"], "Erik Employee");
    assert_eq!(data["person"]["manager"]["name"], "Mona Manager");
    assert_eq!(data["person"]["groups"][0]["name"], "Team Nord");
    assert_eq!(dialogue_ids(&data), vec![p.pair, p.grus]);

    for marker in [
        OWN_PRIVATE,
        OWN_ANSWER,
        OWN_PRIVATE_CASE,
        SHARED_NOTE,
        AGENDA,
        AGREEMENT,
        COMMENT,
        REQUEST,
        NAMED_REPORT,
        GROUP_SHARED,
        SHARED_CASE,
    ] {
        holds(&u, marker);
    }
    for marker in [
        MANAGER_PRIVATE,
        MANAGER_ANSWER,
        THIRD_PRIVATE,
        MANAGER_GROUP_PRIVATE,
        OTHER_DIALOGUE,
        ANONYMOUS,
        THIRD_CASE,
        THIRD_ANSWER,
    ] {
        lacks(&u, marker);
    }

    // The one-to-one as it was confirmed: who, when, state, confirmations,
    // the agreement with its follow-up, plan and history.
    let pair = &data["dialogues"][0];
    assert_eq!(pair["state"], "confirmed");
    assert_eq!(pair["kind"], "follow_up");
    assert_eq!(pair["scheduled_at"], "2026-12-03T09:00:00Z");
    let version = pair["summary_version"].as_i64().unwrap();
    let participants = pair["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 2);
    for person in participants {
        assert_eq!(person["confirmed_version"].as_i64(), Some(version));
    }
    let agreement = &pair["agreements"][0];
    assert_eq!(agreement["owner"]["name"], "Erik Employee");
    assert_eq!(agreement["follow_up_on"], "2027-02-01");
    assert_eq!(agreement["history"][0]["comment"], COMMENT);
    assert_eq!(pair["private_notes"].as_array().unwrap().len(), 1);
    assert_eq!(pair["preparation_answers"][0]["text"], OWN_ANSWER);
    // The group's shared content, with every participant's name.
    let grus = &data["dialogues"][1];
    assert_eq!(grus["group"]["name"], "Team Nord");
    let names: Vec<&str> = grus["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Olga Outsider"));
    assert!(grus["private_notes"].as_array().unwrap().is_empty());
    assert_eq!(data["requests"].as_array().unwrap().len(), 1);
    assert_eq!(data["rule_reports"].as_array().unwrap().len(), 1);
    assert_eq!(data["cases"].as_array().unwrap().len(), 2);
}

#[test]
fn the_managers_export_about_an_employee_holds_their_private_notes_about_them() {
    let p = planted();
    let (m, e) = (p.w.manager.clone(), p.w.employee.clone());
    let u = export(&p, &m, Some(e.id()));
    let data: Value = serde_json::from_str(&u.data).unwrap();
    validates(&data);
    assert_eq!(data["export"], "about_employee");
    assert_eq!(data["person"]["id"], e.id());
    assert_eq!(data["exported_by"]["name"], "Mona Manager");
    // Erik's dialogues with Mona, not Olga's own one.
    assert_eq!(dialogue_ids(&data), vec![p.pair, p.grus]);
    assert!(!dialogue_ids(&data).contains(&p.other));

    for marker in [
        MANAGER_PRIVATE,
        MANAGER_ANSWER,
        SHARED_NOTE,
        AGENDA,
        AGREEMENT,
        COMMENT,
        REQUEST,
        NAMED_REPORT,
        GROUP_SHARED,
        SHARED_CASE,
    ] {
        holds(&u, marker);
    }
    for marker in [
        // Erik's own private writing is sealed for him alone.
        OWN_PRIVATE,
        OWN_ANSWER,
        OWN_PRIVATE_CASE,
        THIRD_PRIVATE,
        MANAGER_GROUP_PRIVATE,
        OTHER_DIALOGUE,
        ANONYMOUS,
        THIRD_CASE,
        THIRD_ANSWER,
    ] {
        lacks(&u, marker);
    }
    let note = &data["dialogues"][0]["private_notes"][0];
    assert_eq!(note["text"], MANAGER_PRIVATE);
    assert_eq!(note["author"]["name"], "Mona Manager");
}

#[test]
fn no_one_but_the_manager_exports_about_an_employee() {
    let p = planted();
    let w = &p.w;
    let (e, o) = (w.employee.id(), w.outsider.id());
    let refused = [
        (&w.employee, o),
        (&w.employee, w.manager.id()),
        (&w.outsider, e),
        (&w.admin, e),
        (&w.other_manager, e),
    ];
    for (actor, about) in refused {
        assert!(
            matches!(
                w.t.export_data(actor, Some(about), &mut |_| true),
                Err(Error::Forbidden)
            ),
            "{actor:?} exported about {about}"
        );
    }
    // The manager of someone else no longer, by the verified roster.
    let mut p = p;
    let admin = p.w.admin.clone();
    let other = p.w.other_manager.id();
    p.w.t.set_manager(&admin, e, Some(other)).unwrap();
    let m = p.w.manager.clone();
    assert!(matches!(
        p.w.t.export_data(&m, Some(e), &mut |_| true),
        Err(Error::Forbidden)
    ));
}

#[test]
fn an_export_reports_progress_and_can_be_cancelled() {
    let p = planted();
    let e = p.w.employee.clone();
    let mut seen = Vec::new();
    p.w.t
        .export_data(&e, None, &mut |step| {
            seen.push(step);
            true
        })
        .unwrap();
    let last = seen.last().unwrap();
    assert_eq!(last.done, last.total);
    assert_eq!(last.total, 3);
    assert!(matches!(
        p.w.t.export_data(&e, None, &mut |_| false),
        Err(Error::Cancelled)
    ));
}

#[test]
fn the_readable_copy_escapes_every_text() {
    let mut p = planted();
    let e = p.w.employee.clone();
    let pair = p.pair;
    p.w.t
        .add_note(&e, pair, "<script>alert('x')</script> & <b>", false)
        .unwrap();
    let u = export(&p, &e, None);
    assert!(!u.html.contains("<script>"));
    assert!(!u.html.contains("<b>"));
    assert!(u
        .html
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;"));
    assert_eq!(
        u.schema,
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/export-schema.json"
        ))
        .unwrap()
    );
}

#[test]
fn the_own_export_holds_my_decision_about_a_new_manager() {
    let mut p = planted();
    let (admin, mona, erik, otto) = (
        p.w.admin.clone(),
        p.w.manager.clone(),
        p.w.employee.clone(),
        p.w.other_manager.clone(),
    );
    p.w.t
        .set_manager(&admin, erik.id(), Some(otto.id()))
        .unwrap();
    p.w.t.decide_handover(&erik, mona.id(), false).unwrap();
    let u = export(&p, &erik, None);
    let data: Value = serde_json::from_str(&u.data).unwrap();
    validates(&data);
    let handovers = data["handovers"].as_array().unwrap();
    assert_eq!(handovers.len(), 1, "{handovers:?}");
    assert_eq!(handovers[0]["old_manager"]["name"], "Mona Manager");
    assert_eq!(handovers[0]["new_manager"]["name"], "Otto Other");
    assert_eq!(handovers[0]["decision"], "decline");
    // The readable copy says it in the person's language.
    assert!(
        u.html.contains("ikke delt med Otto Other")
            || u.html.contains("not shared with Otto Other"),
        "index.html lacks the decision"
    );
}
