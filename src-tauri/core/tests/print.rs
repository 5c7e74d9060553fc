//! A dialogue's summary to print or save as HTML, and calendar files: what
//! is in them, what never is, and the calendar read back by an independent
//! parser (Python's `icalendar`, installed by `scripts/install-deps.sh
//! --test` into `target/py`).

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::Workplace;
use tillid_core::documents::html::escape;
use tillid_core::documents::Lang;
use tillid_core::service::print::Scope;
use tillid_core::service::{AgreementInput, PlanInput};
use tillid_core::Error;

const NAUGHTY: &str = "<script>alert(\"x\")</script> & 'q' \u{202E}ølpmeks\u{202C} \u{200F}";

fn plan(w: &mut Workplace, kind: &str, at: &str) -> i64 {
    let m = w.manager.clone();
    w.t.plan_dialogue(
        &m,
        &PlanInput {
            person_id: Some(w.employee.id()),
            group_id: None,
            kind: Some(kind.into()),
            scheduled_at: at.into(),
        },
    )
    .unwrap()
}

fn agreement(
    w: &mut Workplace,
    d: i64,
    owner: i64,
    text: &str,
    due: Option<&str>,
    plan: Option<&str>,
) -> i64 {
    let m = w.manager.clone();
    w.t.add_agreement(
        &m,
        d,
        &AgreementInput {
            text: text.into(),
            owner_person_id: Some(owner),
            follow_up_on: due.map(Into::into),
            if_then: plan.map(Into::into),
        },
    )
    .unwrap()
}

/// A confirmed MUS with agreements, shared and private notes of both, and
/// a preparation answer of the employee's.
fn confirmed_mus(w: &mut Workplace) -> i64 {
    let d = plan(w, "mus", "2026-11-20T09:00:00Z");
    let (m, e) = (w.manager.clone(), w.employee.clone());
    // The employee's own preparation answer: never in a summary.
    let answered = (0..4)
        .flat_map(|s| (0..6).map(move |q| (s, q)))
        .any(|(s, q)| {
            w.t.answer_question(&e, d, s, q, "PREP-ANSWER-MARKER")
                .is_ok()
        });
    assert!(answered, "the employee could answer a question of the MUS");
    w.t.mark_held(&m, d).unwrap();
    agreement(
        w,
        d,
        e.id(),
        &format!("Take the course {NAUGHTY}"),
        Some("2027-03-01"),
        Some("If the rota is full, I ask Mona"),
    );
    agreement(w, d, m.id(), "Find a mentor for Erik", None, None);
    w.t.add_note(&m, d, "SHARED-NOTE-MARKER & <b>", false)
        .unwrap();
    w.t.add_note(&m, d, "MANAGER-PRIVATE-MARKER", true).unwrap();
    w.t.add_note(&e, d, "EMPLOYEE-PRIVATE-MARKER", true)
        .unwrap();
    let version = w.t.get_dialogue(&m, d).unwrap().summary_version;
    w.t.confirm_summary(&m, d, version).unwrap();
    w.t.confirm_summary(&e, d, version).unwrap();
    d
}

#[test]
fn a_mus_summary_is_the_development_plan_by_default_and_never_holds_private_notes_or_answers() {
    let mut w = support::workplace();
    let d = confirmed_mus(&mut w);
    for who in [w.manager.clone(), w.employee.clone()] {
        let plan = w.t.dialogue_summary(&who, d, None).unwrap();
        assert_eq!(plan.scope, Scope::Agreements);
        assert_eq!(plan.agreements.len(), 2);
        assert!(plan.notes.is_empty(), "agreements only: no notes at all");
        let whole = w.t.dialogue_summary(&who, d, Some(Scope::Whole)).unwrap();
        assert_eq!(whole.notes.len(), 1, "only the shared note");
        assert_eq!(whole.notes[0].text, "SHARED-NOTE-MARKER & <b>");
        assert!(whole.participants.iter().all(|p| p.confirmed_version
            == Some(whole.summary_version)
            && p.confirmed_at.is_some()));
        let owner = &whole
            .agreements
            .iter()
            .find(|a| a.follow_up_on.is_some())
            .unwrap();
        assert_eq!(owner.owner, "Erik Employee");
        assert_eq!(
            owner.if_then.as_deref(),
            Some("If the rota is full, I ask Mona")
        );
        for lang in [Lang::Da, Lang::En] {
            for scope in [Scope::Agreements, Scope::Whole] {
                let html = w.t.summary_html(&who, d, Some(scope), lang).unwrap();
                for marker in ["PRIVATE-MARKER", "PREP-ANSWER-MARKER", "<script>", "<b>"] {
                    assert!(!html.contains(marker), "{marker} in {lang:?} {scope:?}");
                }
                assert!(html.contains(&escape(NAUGHTY)), "the naughty text, escaped");
                assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)"));
                assert!(
                    html.contains("\u{202E}ølpmeks\u{202C}"),
                    "bidi marks kept as text"
                );
                assert!(html.contains("<meta charset=\"utf-8\">"));
                assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
                assert!(
                    !html.contains("<script") && !html.contains("<link") && !html.contains("src=")
                );
                assert_eq!(
                    html.contains("SHARED-NOTE-MARKER &amp; &lt;b&gt;"),
                    scope == Scope::Whole
                );
            }
        }
        let da = w.t.summary_html(&who, d, None, Lang::Da).unwrap();
        assert!(
            da.contains("Udviklingsplan – aftaler")
                && da.contains("Ansvarlig")
                && da.contains("Hvis-så-plan")
        );
        assert!(da.contains("1. marts 2027"), "the follow-up date in Danish");
        assert!(
            da.contains("20. november 2026 kl. 10.00"),
            "the time in Copenhagen"
        );
        assert!(
            da.contains("version 1") || da.contains(&format!("version {}", plan.summary_version))
        );
        let en =
            w.t.summary_html(&who, d, Some(Scope::Whole), Lang::En)
                .unwrap();
        assert!(
            en.contains("Shared notes")
                && en.contains("1 March 2027")
                && en.contains("20 November 2026, 10:00")
        );
    }
}

#[test]
fn only_participants_get_a_summary_and_only_of_a_held_dialogue() {
    let mut w = support::workplace();
    let d = confirmed_mus(&mut w);
    for who in [w.outsider.clone(), w.other_manager.clone(), w.admin.clone()] {
        assert!(matches!(
            w.t.dialogue_summary(&who, d, None),
            Err(Error::Forbidden)
        ));
    }
    let planned = plan(&mut w, "follow_up", "2026-12-10T09:00:00Z");
    let m = w.manager.clone();
    assert!(matches!(
        w.t.dialogue_summary(&m, planned, None),
        Err(Error::WrongState { .. })
    ));
    assert_eq!(
        Scope::default_for(tillid_core::domain::DialogueKind::FollowUp),
        Scope::Whole
    );
}

/// Parses with Python's `icalendar` and prints one JSON object per event.
const PARSE: &str = r#"
import json, sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
out = {"version": str(cal.get("VERSION")), "tz": [str(z.get("TZID")) for z in cal.walk("VTIMEZONE")],
       "x_wr_timezone": str(cal.get("X-WR-TIMEZONE")), "events": []}
for e in cal.walk("VEVENT"):
    s, n = e.get("DTSTART"), e.get("DTEND")
    def show(p):
        v = p.dt
        if isinstance(v, datetime.datetime):
            return {"local": v.replace(tzinfo=None).isoformat(), "tzid": p.params.get("TZID"),
                    "utc": v.astimezone(datetime.timezone.utc).isoformat()}
        return {"date": v.isoformat(), "value": p.params.get("VALUE")}
    out["events"].append({"uid": str(e.get("UID")), "summary": str(e.get("SUMMARY")),
        "start": show(s), "end": show(n), "dtstamp": e.get("DTSTAMP").dt.isoformat() if e.get("DTSTAMP") else None,
        "keys": sorted(k for k in e.keys())})
print(json.dumps(out))
"#;

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("TILLID_PYTHON") {
        return p.into();
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/py/bin/python")
}

fn parse(ics: &str) -> serde_json::Value {
    use std::io::Write;
    let py = python();
    let mut child = Command::new(&py)
        .args(["-c", PARSE])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "the independent iCalendar parser is missing ({}: {e}); run scripts/install-deps.sh --test",
                py.display()
            )
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "Python's icalendar could not parse it (install it with scripts/install-deps.sh --test):\n{}\n{ics}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn calendar_files_parse_with_an_independent_parser_field_by_field_and_hold_no_sealed_text() {
    let mut w = support::workplace();
    // Clock: 1 December 2026. A MUS in winter, a follow-up in summer time.
    let (m, e) = (w.manager.clone(), w.employee.clone());
    let mus = plan(&mut w, "mus", "2026-12-03T09:00:00Z");
    let summer = plan(&mut w, "follow_up", "2027-06-15T12:30:00Z");
    let held = plan(&mut w, "mus", "2026-11-20T09:00:00Z");
    w.t.mark_held(&m, held).unwrap();
    let a = agreement(
        &mut w,
        held,
        e.id(),
        "SEALED-AGREEMENT-MARKER",
        Some("2027-03-01"),
        Some("SEALED-PLAN-MARKER"),
    );
    w.t.add_agenda_item(&e, mus, "SEALED-AGENDA-MARKER")
        .unwrap();

    let one = w.t.dialogue_calendar(&m, mus, Lang::Da).unwrap();
    let parsed = parse(&one);
    assert_eq!(parsed["version"], "2.0");
    assert_eq!(parsed["tz"], serde_json::json!(["Europe/Copenhagen"]));
    let ev = &parsed["events"][0];
    assert_eq!(parsed["events"].as_array().unwrap().len(), 1);
    assert!(ev["uid"]
        .as_str()
        .unwrap()
        .starts_with(&format!("dialogue-{mus}-")));
    assert_eq!(ev["summary"], "MUS med Erik Employee");
    assert_eq!(ev["start"]["local"], "2026-12-03T10:00:00");
    assert_eq!(ev["start"]["tzid"], "Europe/Copenhagen");
    assert_eq!(ev["start"]["utc"], "2026-12-03T09:00:00+00:00");
    assert_eq!(
        ev["end"]["utc"], "2026-12-03T10:30:00+00:00",
        "a MUS is 1½ hours"
    );
    assert_eq!(ev["dtstamp"], "2026-12-01T09:00:00+00:00");
    // The employee sees the manager's name.
    let theirs = parse(&w.t.dialogue_calendar(&e, mus, Lang::En).unwrap());
    assert_eq!(theirs["events"][0]["summary"], "MUS with Mona Manager");
    assert_eq!(
        theirs["events"][0]["uid"], ev["uid"],
        "the same entry for both"
    );

    // The held MUS: its open agreement's follow-up date, a whole day.
    let follow = parse(&w.t.dialogue_calendar(&e, held, Lang::Da).unwrap());
    let f = &follow["events"][0];
    assert_eq!(
        f["summary"],
        "Opfølgning på en aftale fra MUS med Mona Manager"
    );
    assert_eq!(
        f["uid"].as_str().unwrap(),
        format!(
            "agreement-{a}-{}",
            &f["uid"].as_str().unwrap()[format!("agreement-{a}-").len()..]
        )
    );
    assert_eq!(f["start"]["date"], "2027-03-01");
    assert_eq!(f["end"]["date"], "2027-03-02");

    // All my upcoming: both planned dialogues and the follow-up, once each.
    let all_text = w.t.upcoming_calendar(&e, Lang::Da).unwrap();
    let all = parse(&all_text);
    let events = all["events"].as_array().unwrap();
    let mut summaries: Vec<&str> = events
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    summaries.sort();
    assert_eq!(
        summaries,
        [
            "MUS med Mona Manager",
            "Opfølgning på en aftale fra MUS med Mona Manager",
            "Opfølgningssamtale med Mona Manager"
        ]
    );
    let s = events
        .iter()
        .find(|x| x["summary"] == "Opfølgningssamtale med Mona Manager")
        .unwrap();
    assert_eq!(
        s["start"]["local"], "2027-06-15T14:30:00",
        "summer time: UTC+2"
    );
    assert_eq!(s["start"]["utc"], "2027-06-15T12:30:00+00:00");
    assert_eq!(s["end"]["utc"], "2027-06-15T13:30:00+00:00");
    assert!(s["uid"]
        .as_str()
        .unwrap()
        .starts_with(&format!("dialogue-{summer}-")));
    let managers = parse(&w.t.upcoming_calendar(&m, Lang::Da).unwrap());
    assert_eq!(
        managers["events"].as_array().unwrap().len(),
        3,
        "the manager sees the employee's follow-up too"
    );

    // Stable: a second export gives the same UIDs; nothing sealed in it.
    assert_eq!(w.t.upcoming_calendar(&e, Lang::Da).unwrap(), all_text);
    for text in [&one, &all_text] {
        for marker in [
            "SEALED-AGREEMENT-MARKER",
            "SEALED-PLAN-MARKER",
            "SEALED-AGENDA-MARKER",
        ] {
            assert!(!text.contains(marker));
        }
    }
    for ev in events {
        for key in ["UID", "DTSTART", "DTEND", "DTSTAMP", "SUMMARY"] {
            assert!(
                ev["keys"].as_array().unwrap().iter().any(|k| k == key),
                "{key} in {ev}"
            );
        }
    }
    // Another workplace gives other UIDs for the same row ids.
    let mut other = support::workplace();
    other
        .t
        .connection()
        .execute(
            "UPDATE workplace SET created_at = '2020-01-01T00:00:00Z'",
            [],
        )
        .ok();
    let m2 = other.manager.clone();
    let again = plan(&mut other, "mus", "2026-12-03T09:00:00Z");
    let theirs = parse(&other.t.dialogue_calendar(&m2, again, Lang::Da).unwrap());
    assert_eq!(again, mus);
    assert_ne!(theirs["events"][0]["uid"], ev["uid"]);
}

#[test]
fn nothing_to_put_in_a_calendar_is_wrong_state_and_outsiders_are_refused() {
    let mut w = support::workplace();
    let m = w.manager.clone();
    let d = plan(&mut w, "follow_up", "2026-11-20T09:00:00Z");
    w.t.mark_held(&m, d).unwrap();
    assert!(matches!(
        w.t.dialogue_calendar(&m, d, Lang::Da),
        Err(Error::WrongState { .. })
    ));
    let o = w.outsider.clone();
    assert!(matches!(
        w.t.dialogue_calendar(&o, d, Lang::Da),
        Err(Error::Forbidden)
    ));
}
