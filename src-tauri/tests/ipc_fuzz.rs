//! Any input at the IPC seam (issue 10). Every command the window may call
//! is called with generated arguments — wrong types, missing and extra
//! keys, huge numbers and strings, unknown ids, dates far out of range —
//! through the mock runtime built from the real config and capability
//! file, against a small real workplace, signed in as someone so the
//! calls reach the core's rules and not only `not_signed_in`.
//!
//! For every call: it returns (a panic in a command is caught here, not
//! turned into a hang); a failure is `{code, message, params}` with a
//! documented code; a failure committed nothing to the data file (a wrong
//! passphrase or code may count a wrong try) and left no write transaction
//! open; text over its limit never succeeds, and a secret over its limit
//! is never tried (it counts no wrong try: it never reached Argon2).
//!
//! `PROPTEST_CASES` sets the cases per family (default [`DEFAULT_CASES`]);
//! run with `--nocapture` to see what each family met.

mod support;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};
use support::{request, shell_with, Shell, PASS};
use tauri::test::get_ipc_response;
use tillid_core::crypto::KdfParams;
use tillid_core::Tillid;
use tillid_lib::AppState;

/// Cases per family when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 3_000;

/// Longer than this for one call is expensive work on a bad input (or a
/// hang on its way); generous, so a busy machine does not trip it.
const SLOW_CALL: Duration = Duration::from_secs(5);

/// Documented limits (docs/api.md).
const NAME_MAX: usize = 100;
const SHORT_TEXT_MAX: usize = 2_000;
const NOTE_MAX: usize = 20_000;
const PASSPHRASE_MAX: usize = 1_024;
const QUERY_MAX: usize = 200;
const CODE_MAX: usize = 64;

/// Errors of a wrong passphrase or code, which may count a wrong try
/// (the only change a failed call may make) — unless the secret was over
/// its limit and should never have been tried.
const KDF_CODES: &[&str] = &["wrong_passphrase", "bad_setup_code", "bad_recovery_code"];

/// Secrets the core lets through to key derivation however long they are.
/// None: every typed secret is bounded before Argon2 runs (the fuzz found
/// `change_passphrase` checking the new one late; it no longer does).
const UNBOUNDED_BEFORE_KDF: &[(&str, &str)] = &[];

// ---------------------------------------------------------------------------
// What each command takes

#[derive(Clone, Copy, Debug, PartialEq)]
enum Thing {
    Person,
    Group,
    Dialogue,
    Item,
    Note,
    Agreement,
    Report,
    Case,
    Request,
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Id(Thing),
    OptId(Thing),
    Ids(Thing),
    Text(usize),
    OptText(usize),
    Secret(usize),
    Bool,
    Minutes,
    Version,
    Moment,
    OptDate,
    Word(&'static [&'static str]),
    OptWord(&'static [&'static str]),
    /// A template object.
    Tmpl,
    /// A number of years, or null.
    OptYears,
    /// What a retention run would delete, as its preview returned it.
    RetentionPlan,
    /// What deleting a person would remove, as its preview returned it.
    PersonDeletion,
    /// Unsaved fields handed over at the idle lock.
    Drafts,
}

impl Kind {
    /// The limit of a text a person types, if this is one.
    fn limit(self) -> Option<usize> {
        match self {
            Kind::Text(n) | Kind::OptText(n) | Kind::Secret(n) => Some(n),
            _ => None,
        }
    }

    /// A value of the right type (not necessarily a sensible one).
    fn typed(self) -> Value {
        match self {
            Kind::Id(_) | Kind::Minutes | Kind::Version => json!(1),
            Kind::Ids(_) => json!([]),
            Kind::Bool => json!(false),
            Kind::Text(_) | Kind::Secret(_) | Kind::Moment | Kind::Word(_) => json!("x"),
            Kind::OptId(_) | Kind::OptText(_) | Kind::OptDate | Kind::OptWord(_) => Value::Null,
            Kind::Tmpl => json!({ "kind": "mus", "name": { "da": "x", "en": "x" } }),
            Kind::OptYears => Value::Null,
            Kind::RetentionPlan => empty_plan(),
            Kind::PersonDeletion => empty_deletion(),
            Kind::Drafts => json!([]),
        }
    }

    fn optional(self) -> bool {
        matches!(
            self,
            Kind::OptId(_) | Kind::OptText(_) | Kind::OptDate | Kind::OptWord(_) | Kind::OptYears
        )
    }
}

struct Command {
    name: &'static str,
    params: &'static [(&'static str, Kind)],
}

const fn cmd(name: &'static str, params: &'static [(&'static str, Kind)]) -> Command {
    Command { name, params }
}

use Kind::*;
use Thing::*;

const LOCALES: &[&str] = &["da", "en", "de", "DA", " da", ""];
const KINDS: &[&str] = &[
    "follow_up",
    "mus",
    "grus",
    "wellbeing",
    "ad_hoc",
    "MUS",
    "other",
];
const AGENDA_STATUSES: &[&str] = &["open", "discussed", "Discussed", "closed"];
const AGREEMENT_STATES: &[&str] = &["open", "done", "renegotiated", "dropped", "finished"];

const SESSION: &[Command] = &[
    cmd("app_status", &[]),
    cmd(
        "setup_workplace",
        &[
            ("workplace_name", Text(NAME_MAX)),
            ("admin_name", Text(NAME_MAX)),
            ("passphrase", Secret(PASSPHRASE_MAX)),
        ],
    ),
    cmd(
        "sign_in",
        &[
            ("person_id", Id(Person)),
            ("passphrase", Secret(PASSPHRASE_MAX)),
        ],
    ),
    cmd(
        "redeem_setup_code",
        &[
            ("person_id", Id(Person)),
            ("setup_code", Secret(CODE_MAX)),
            ("passphrase", Secret(PASSPHRASE_MAX)),
        ],
    ),
    cmd(
        "change_passphrase",
        &[
            ("current", Secret(PASSPHRASE_MAX)),
            ("passphrase", Secret(PASSPHRASE_MAX)),
        ],
    ),
    cmd("set_my_locale", &[("locale", Word(LOCALES))]),
    cmd("touch", &[]),
    cmd(
        "recover_with_code",
        &[
            ("person_id", Id(Person)),
            ("recovery_code", Secret(CODE_MAX)),
            ("passphrase", Secret(PASSPHRASE_MAX)),
        ],
    ),
    cmd("create_recovery_code", &[]),
    cmd("sign_out", &[]),
];

const ADMIN: &[Command] = &[
    cmd("list_people", &[]),
    cmd(
        "add_person",
        &[
            ("name", Text(NAME_MAX)),
            ("is_admin", Bool),
            ("manager_id", OptId(Person)),
        ],
    ),
    cmd(
        "set_manager",
        &[("person_id", Id(Person)), ("manager_id", OptId(Person))],
    ),
    cmd(
        "set_admin",
        &[("person_id", Id(Person)), ("is_admin", Bool)],
    ),
    cmd("issue_setup_code", &[("person_id", Id(Person))]),
    cmd("reset_passphrase", &[("person_id", Id(Person))]),
    cmd("set_idle_lock", &[("minutes", Minutes)]),
    cmd("list_groups", &[]),
    cmd(
        "save_group",
        &[
            ("group_id", OptId(Group)),
            ("name", Text(NAME_MAX)),
            ("leader_id", Id(Person)),
            ("member_ids", Ids(Person)),
        ],
    ),
    cmd("mark_left", &[("person_id", Id(Person))]),
    cmd("mark_returned", &[("person_id", Id(Person))]),
    cmd(
        "retention_preview",
        &[("years", OptYears), ("private_notes_after_newer", Bool)],
    ),
    cmd(
        "apply_retention",
        &[
            ("years", OptYears),
            ("private_notes_after_newer", Bool),
            ("plan", RetentionPlan),
        ],
    ),
    cmd("retention_setting", &[]),
    cmd(
        "save_retention_setting",
        &[("years", OptYears), ("private_notes_after_newer", Bool)],
    ),
    cmd("person_deletion_preview", &[("person_id", Id(Person))]),
    cmd("delete_person", &[("plan", PersonDeletion)]),
];

const DIALOGUES: &[Command] = &[
    cmd("plan_options", &[]),
    cmd(
        "plan_dialogue",
        &[
            ("person_id", OptId(Person)),
            ("group_id", OptId(Group)),
            ("kind", OptWord(KINDS)),
            ("scheduled_at", Moment),
            ("template", OptText(NAME_MAX)),
        ],
    ),
    cmd(
        "reschedule_dialogue",
        &[("dialogue_id", Id(Dialogue)), ("scheduled_at", Moment)],
    ),
    cmd("get_dialogue", &[("dialogue_id", Id(Dialogue))]),
    cmd(
        "add_agenda_item",
        &[
            ("dialogue_id", Id(Dialogue)),
            ("text", Text(SHORT_TEXT_MAX)),
        ],
    ),
    cmd(
        "set_agenda_status",
        &[("item_id", Id(Item)), ("status", Word(AGENDA_STATUSES))],
    ),
    cmd("remove_agenda_item", &[("item_id", Id(Item))]),
    cmd(
        "add_note",
        &[
            ("dialogue_id", Id(Dialogue)),
            ("text", Text(NOTE_MAX)),
            ("private", Bool),
        ],
    ),
    cmd(
        "update_note",
        &[("note_id", Id(Note)), ("text", Text(NOTE_MAX))],
    ),
    cmd("delete_note", &[("note_id", Id(Note))]),
    cmd(
        "add_agreement",
        &[
            ("dialogue_id", Id(Dialogue)),
            ("text", Text(SHORT_TEXT_MAX)),
            ("owner_person_id", OptId(Person)),
            ("follow_up_on", OptDate),
            ("if_then", OptText(SHORT_TEXT_MAX)),
        ],
    ),
    cmd(
        "edit_agreement",
        &[
            ("agreement_id", Id(Agreement)),
            ("text", Text(SHORT_TEXT_MAX)),
            ("owner_person_id", OptId(Person)),
            ("follow_up_on", OptDate),
            ("if_then", OptText(SHORT_TEXT_MAX)),
        ],
    ),
    cmd(
        "set_agreement_state",
        &[
            ("agreement_id", Id(Agreement)),
            ("state", Word(AGREEMENT_STATES)),
            ("comment", OptText(SHORT_TEXT_MAX)),
        ],
    ),
    cmd("mark_held", &[("dialogue_id", Id(Dialogue))]),
    cmd(
        "confirm_summary",
        &[("dialogue_id", Id(Dialogue)), ("version", Version)],
    ),
];

const VIEWS: &[Command] = &[
    cmd("home", &[]),
    cmd(
        "decide_handover",
        &[("old_manager_id", Id(Person)), ("share", Bool)],
    ),
    cmd("save_drafts", &[("drafts", Drafts)]),
    cmd("take_drafts", &[]),
    cmd("search", &[("query", Text(QUERY_MAX))]),
    cmd("relationships", &[]),
    cmd(
        "relationship_history",
        &[("person_id", OptId(Person)), ("group_id", OptId(Group))],
    ),
];

/// A retention preview that selects nothing.
fn empty_deletion() -> Value {
    json!({ "person_id": 1, "name": "", "dialogues": 0, "private_notes": 0, "answers": 0,
            "requests": 0, "cases": 0, "rule_reports": 0, "kept_dialogues": 0, "dialogue_ids": [] })
}

fn empty_plan() -> Value {
    json!({ "dialogues": 0, "agenda_items": 0, "notes": 0, "agreements": 0, "confirmations": 0,
            "private_notes": 0, "kept_for_open_agreements": 0, "dialogue_ids": [], "note_ids": [] })
}

const BACKUPS: &[Command] = &[
    cmd("list_backups", &[]),
    cmd("back_up_now", &[]),
    cmd("restore_backup", &[("name", Text(NAME_MAX))]),
];

const TEMPLATES: &[Command] = &[
    cmd("list_templates", &[]),
    cmd("get_template", &[("key", Text(NAME_MAX))]),
    cmd(
        "save_template",
        &[("key", OptText(NAME_MAX)), ("template", Tmpl)],
    ),
    cmd("reset_template", &[("key", Text(NAME_MAX))]),
    cmd("get_preparation", &[("dialogue_id", Id(Dialogue))]),
    cmd(
        "answer_question",
        &[
            ("dialogue_id", Id(Dialogue)),
            ("section", Version),
            ("question", Version),
            ("text", Text(SHORT_TEXT_MAX)),
        ],
    ),
    cmd("share_answer", &[("answer_id", Id(Item))]),
];

// Issue 7: rule reports and good cases.
const RULE_STATUSES: &[&str] = &["new", "taken_up", "removed", "kept", "Kept", "gone"];
const RULES: &[Command] = &[
    cmd("rule_reports", &[]),
    cmd(
        "report_rule",
        &[("text", Text(SHORT_TEXT_MAX)), ("anonymous", Bool)],
    ),
    cmd(
        "set_rule_status",
        &[
            ("report_id", Id(Report)),
            ("status", Word(RULE_STATUSES)),
            ("reason", OptText(SHORT_TEXT_MAX)),
        ],
    ),
    cmd(
        "take_rule_to_grus",
        &[("report_id", Id(Report)), ("dialogue_id", Id(Dialogue))],
    ),
    cmd("cases", &[]),
    cmd("search_cases", &[("query", Text(QUERY_MAX))]),
    cmd(
        "add_case",
        &[
            ("title", Text(NAME_MAX)),
            ("text", Text(NOTE_MAX)),
            ("shared", Bool),
            ("dialogue_id", OptId(Dialogue)),
        ],
    ),
    cmd(
        "update_case",
        &[
            ("case_id", Id(Case)),
            ("title", Text(NAME_MAX)),
            ("text", Text(NOTE_MAX)),
            ("shared", Bool),
            ("dialogue_id", OptId(Dialogue)),
        ],
    ),
    cmd(
        "set_case_shared",
        &[("case_id", Id(Case)), ("shared", Bool)],
    ),
];

// The follow-up cycle: cancelling, requests, the overview.
const CYCLE: &[Command] = &[
    cmd(
        "cancel_dialogue",
        &[
            ("dialogue_id", Id(Dialogue)),
            ("reason", OptText(SHORT_TEXT_MAX)),
        ],
    ),
    cmd(
        "request_dialogue",
        &[("kind", Word(KINDS)), ("reason", OptText(SHORT_TEXT_MAX))],
    ),
    cmd(
        "answer_request",
        &[
            ("request_id", Id(Request)),
            ("answer", Text(SHORT_TEXT_MAX)),
        ],
    ),
    cmd(
        "plan_requested_dialogue",
        &[
            ("request_id", Id(Request)),
            ("kind", OptWord(KINDS)),
            ("scheduled_at", Moment),
        ],
    ),
    cmd("manager_overview", &[("order", OptWord(ORDERS))]),
];
const ORDERS: &[&str] = &["name", "longest", "score", ""];

// Issue 8: a summary to print or save, and calendar files.
const PRINT: &[Command] = &[
    cmd(
        "dialogue_summary",
        &[("dialogue_id", Id(Dialogue)), ("scope", OptWord(SCOPES))],
    ),
    cmd(
        "save_summary",
        &[
            ("dialogue_id", Id(Dialogue)),
            ("scope", OptWord(SCOPES)),
            ("locale", Word(LOCALES)),
        ],
    ),
    cmd(
        "save_dialogue_calendar",
        &[("dialogue_id", Id(Dialogue)), ("locale", Word(LOCALES))],
    ),
    cmd("save_upcoming_calendar", &[("locale", Word(LOCALES))]),
];
const SCOPES: &[&str] = &["agreements", "whole", "all", ""];

// Issue 8: data rights.
const EXPORT: &[Command] = &[
    cmd("export_my_data", &[]),
    cmd(
        "export_about",
        &[("person_id", Id(Person)), ("confirmed", Bool)],
    ),
    cmd("cancel_export", &[]),
];

const FAMILIES: &[&[Command]] = &[
    SESSION, ADMIN, DIALOGUES, VIEWS, BACKUPS, TEMPLATES, RULES, CYCLE, PRINT, EXPORT,
];

// ---------------------------------------------------------------------------
// Values

/// Strings that have broken software somewhere.
const NAUGHTY: &[&str] = &[
    "",
    " ",
    " \t\n\r ",
    "\u{0}",
    "a\u{0}b",
    "\u{202e}gnp.exe",
    "\u{feff}",
    "\u{200b}",
    "😀👨‍👩‍👧",
    "Ærø Åse Øster",
    "İıß",
    "a\u{0301}\u{0301}\u{0301}",
    "\u{10ffff}",
    "𝕿𝖎𝖑𝖑𝖎𝖉",
    "'; DROP TABLE person; --",
    "\" OR 1=1 --",
    "NEAR(a b)",
    "a* OR b AND NOT c",
    "\"",
    "*",
    "^a",
    "-",
    "%s%n%x",
    "{name}",
    "<script>alert(1)</script>",
    "\\",
    "null",
    "0",
    "-1",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "2026-12-03",
    "2026-12-03T10:00:00Z",
];

fn naughty() -> impl Strategy<Value = String> {
    prop::sample::select(NAUGHTY).prop_map(str::to_owned)
}

/// Up to ~100 KB, cheap to make: a short piece repeated.
fn huge() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["x", "ø", "a ", "😀", " ", "a* ", "\u{0}"][..]),
        1usize..=100_000,
    )
        .prop_map(|(piece, len)| piece.repeat(len / piece.len().max(1) + 1))
}

fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => naughty(),
        4 => "\\PC{0,40}",
        1 => huge(),
    ]
}

fn any_int() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0i64),
        Just(-1),
        Just(i64::MIN),
        Just(i64::MAX),
        Just(i64::from(i32::MAX) + 1),
        Just(999_999),
        any::<i64>(),
    ]
}

/// Any JSON value at all: every type, extremes, nesting.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any_int().prop_map(Value::from),
        prop_oneof![Just(u64::MAX), any::<u64>()].prop_map(Value::from),
        prop_oneof![
            Just(1.5f64),
            Just(-0.0),
            Just(f64::MAX),
            Just(f64::MIN),
            Just(1e19),
            any::<f64>()
        ]
        .prop_map(|f| json!(f)),
        any_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The ids that exist, per kind of thing, in the seeded workplace.
#[derive(Clone, Default)]
struct Known(Vec<(Thing, Vec<i64>)>);

impl Known {
    fn of(&self, thing: Thing) -> Vec<i64> {
        self.0
            .iter()
            .find(|(t, _)| *t == thing)
            .map(|(_, ids)| ids.clone())
            .unwrap_or_default()
    }
}

fn an_id(known: Vec<i64>) -> BoxedStrategy<Value> {
    let unknown = any_int().prop_map(Value::from);
    if known.is_empty() {
        return unknown.boxed();
    }
    prop_oneof![
        3 => prop::sample::select(known).prop_map(Value::from),
        2 => unknown,
    ]
    .boxed()
}

fn a_moment() -> BoxedStrategy<Value> {
    let fixed = prop::sample::select(
        &[
            "2026-12-03T10:00:00Z",
            "2026-12-03T10:00:00+01:00",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "1989-12-31T23:59:59Z",
            "2200-12-31T23:59:59-14:00",
            "2201-01-01T00:00:00Z",
            "+275760-09-13T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            "2026-02-30T10:00:00Z",
            "2026-12-03T25:00:00Z",
            "2026-12-03T10:00:60Z",
            "2026-12-03T10:00:00+24:00",
            "2026-12-03T10:00:00.999999999999Z",
            "2026-12-03",
            "2026-12-03T10:00",
            "garbage",
        ][..],
    )
    .prop_map(Value::from);
    let made = (0u32..=10_000, 0u32..=13, 0u32..=32, 0u32..=25, -30i32..=30).prop_map(
        |(y, m, d, h, off)| json!(format!("{y:04}-{m:02}-{d:02}T{h:02}:00:00{off:+03}:00")),
    );
    prop_oneof![4 => fixed, 3 => made, 1 => any_string().prop_map(Value::from)].boxed()
}

fn a_date() -> BoxedStrategy<Value> {
    let fixed = prop::sample::select(
        &[
            "2026-12-20",
            "0000-01-01",
            "9999-12-31",
            "1989-12-31",
            "2201-01-01",
            "+275760-09-13",
            "2026-02-29",
            "2028-02-29",
            "2026-13-01",
            "20-12-2026",
            " 2026-12-20 ",
            "",
        ][..],
    )
    .prop_map(Value::from);
    let made = (0u32..=10_000, 0u32..=13, 0u32..=32)
        .prop_map(|(y, m, d)| json!(format!("{y:04}-{m:02}-{d:02}")));
    prop_oneof![
        1 => Just(Value::Null),
        4 => fixed,
        3 => made,
        1 => any_string().prop_map(Value::from),
    ]
    .boxed()
}

/// A text a person types: ordinary, empty, at and over its limit, huge.
fn a_text(limit: usize) -> BoxedStrategy<Value> {
    prop_oneof![
        3 => "[A-Za-zÆØÅæøå ]{1,30}".prop_map(Value::from),
        3 => naughty().prop_map(Value::from),
        1 => Just(json!("ø".repeat(limit))),
        1 => Just(json!("y".repeat(limit + 1))),
        1 => huge().prop_map(Value::from),
    ]
    .boxed()
}

fn a_word(words: &'static [&'static str]) -> BoxedStrategy<Value> {
    prop_oneof![
        3 => prop::sample::select(words).prop_map(Value::from),
        1 => any_string().prop_map(Value::from),
    ]
    .boxed()
}

fn or_null(s: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![1 => Just(Value::Null), 4 => s].boxed()
}

/// A value of the parameter's own type, sensible or not.
fn well_typed(kind: Kind, known: &Known) -> BoxedStrategy<Value> {
    match kind {
        Id(t) => an_id(known.of(t)),
        OptId(t) => or_null(an_id(known.of(t))),
        Ids(t) => prop_oneof![
            4 => prop::collection::vec(an_id(known.of(t)), 0..8).prop_map(Value::Array),
            1 => (an_id(known.of(t)), 1usize..20_000)
                .prop_map(|(id, n)| Value::Array(vec![id; n])),
        ]
        .boxed(),
        Text(n) | Secret(n) => a_text(n),
        OptText(n) => or_null(a_text(n)),
        Bool => any::<bool>().prop_map(Value::from).boxed(),
        Minutes => prop_oneof![
            (1i64..=240).prop_map(Value::from),
            any_int().prop_map(Value::from)
        ]
        .boxed(),
        Version => prop_oneof![
            (0i64..5).prop_map(Value::from),
            any_int().prop_map(Value::from)
        ]
        .boxed(),
        Moment => a_moment(),
        OptYears => or_null(
            prop_oneof![
                (1i64..=50).prop_map(Value::from),
                any_int().prop_map(Value::from)
            ]
            .boxed(),
        ),
        RetentionPlan => prop_oneof![
            Just(empty_plan()),
            (any_int(), proptest::collection::vec(any_int(), 0..4)).prop_map(|(n, ids)| {
                let mut plan = empty_plan();
                plan["dialogues"] = json!(n);
                plan["dialogue_ids"] = json!(ids);
                plan
            })
        ]
        .boxed(),
        Drafts => proptest::collection::vec(
            (
                a_text(NAME_MAX),
                a_text(NAME_MAX),
                any_int(),
                a_text(NOTE_MAX),
            ),
            0..3,
        )
        .prop_map(|ds| {
            Value::from(
                ds.into_iter()
                    .map(|(route, field, index, text)| {
                        json!({ "route": route, "field": field, "index": index, "text": text })
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .boxed(),
        PersonDeletion => prop_oneof![
            Just(empty_deletion()),
            (any_int(), proptest::collection::vec(any_int(), 0..4)).prop_map(|(n, ids)| {
                let mut plan = empty_deletion();
                plan["person_id"] = json!(n);
                plan["dialogue_ids"] = json!(ids);
                plan
            })
        ]
        .boxed(),
        OptDate => a_date(),
        Word(w) => a_word(w),
        OptWord(w) => or_null(a_word(w)),
        Tmpl => (
            a_word(KINDS),
            a_text(NAME_MAX),
            a_text(SHORT_TEXT_MAX),
            a_word(&["employee", "manager", "both", "members", "boss"]),
        )
            .prop_map(|(kind, name, question, side)| {
                json!({
                    "kind": kind,
                    "name": { "da": name, "en": "" },
                    "sections": [{ "title": { "da": "Afsnit", "en": "" },
                                   "questions": [{ "text": { "da": question }, "side": side }] }],
                })
            })
            .boxed(),
    }
}

/// Arguments for one command: each key well typed, of any type, or
/// missing; sometimes extra keys; now and then not an object at all.
fn arguments(command: &'static Command, known: &Known) -> BoxedStrategy<Value> {
    let per_key: Vec<BoxedStrategy<Option<(&'static str, Value)>>> = command
        .params
        .iter()
        .map(|&(key, kind)| {
            prop_oneof![
                20 => well_typed(kind, known).prop_map(move |v| Some((key, v))),
                2 => any_json().prop_map(move |v| Some((key, v))),
                1 => Just(None),
            ]
            .boxed()
        })
        .collect();
    let extra = prop::collection::vec(("[A-Za-z_]{1,16}", any_json()), 0..3);
    let object = (per_key, prop::bool::weighted(0.2), extra).prop_map(|(keys, more, extra)| {
        let mut args = Map::new();
        for (k, v) in keys.into_iter().flatten() {
            args.insert(k.to_owned(), v);
        }
        if more {
            for (k, v) in extra {
                args.entry(k).or_insert(v);
            }
        }
        Value::Object(args)
    });
    prop_oneof![30 => object, 1 => any_json()].boxed()
}

fn calls(family: &'static [Command], known: &Known) -> impl Strategy<Value = (usize, Value)> {
    Union::new(
        family
            .iter()
            .enumerate()
            .map(|(i, c)| arguments(c, known).prop_map(move |a| (i, a)).boxed()),
    )
}

// ---------------------------------------------------------------------------
// A real workplace to call into

#[derive(Clone, Copy, PartialEq, Debug)]
enum Who {
    Admin,
    Manager,
    Employee,
}

struct World {
    shell: Shell,
    /// A second connection to the same file: what is committed, as any
    /// later reader would see it.
    reader: Tillid,
    clock: Arc<AtomicI64>,
    /// Who makes the calls: the first of these who qualifies. A family's
    /// own calls may take an administrator's right away (after making
    /// another one); the next administrator then carries on.
    actors: Vec<i64>,
    admin_needed: bool,
    who: Who,
    known: Known,
    /// The committed rows and the `data_version` they were read at.
    seen: Option<(i64, Snapshot)>,
    _dir: tempfile::TempDir,
}

type Snapshot = BTreeMap<String, Vec<String>>;

/// Columns a wrong passphrase or code is meant to change: the count
/// towards the wait, and the wait.
const THROTTLE: &[(&str, &str)] = &[("person", "failed_attempts"), ("person", "retry_after")];
const THROTTLE_TABLE: &str = "person (wait after wrong tries)";

fn world(who: Who) -> World {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    let clock = Arc::new(AtomicI64::new(0));
    let ahead = clock.clone();
    let tillid = Tillid::open(&path)
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS)
        .with_clock(Box::new(move || {
            chrono::Utc::now() + chrono::Duration::seconds(ahead.load(Ordering::Relaxed))
        }));
    let shell = shell_with(AppState::new(tillid, None));
    let (known, ids) = seed(&shell);
    let reader = open_reader(&path);
    let actors = match who {
        Who::Admin => ids.to_vec(),
        Who::Manager => vec![ids[1]],
        Who::Employee => vec![ids[2]],
    };
    World {
        shell,
        reader,
        clock,
        actors,
        admin_needed: who == Who::Admin,
        who,
        known,
        seen: None,
        _dir: dir,
    }
}

fn open_reader(path: &Path) -> Tillid {
    let reader = Tillid::open(path).unwrap();
    // A write lock still held by the app shows at once, not after a wait.
    reader.connection().busy_timeout(Duration::ZERO).unwrap();
    reader
}

/// Admin, manager, employee, a person who has not set up yet, a group, a
/// planned dialogue with agenda, notes and an agreement, and a held one
/// waiting for confirmation: all made through the real commands.
fn seed(s: &Shell) -> (Known, [i64; 3]) {
    let id = |v: &Value| v["id"].as_i64().unwrap();
    let admin = id(&s.ok(
        "setup_workplace",
        json!({ "workplace_name": "Nord", "admin_name": "Inge Admin", "passphrase": PASS }),
    ));
    let mona = s.ok(
        "add_person",
        json!({ "name": "Mona Manager", "is_admin": false, "manager_id": null }),
    );
    let mona_id = mona["person"]["id"].as_i64().unwrap();
    let erik = s.ok(
        "add_person",
        json!({ "name": "Erik Employee", "is_admin": false, "manager_id": mona_id }),
    );
    let erik_id = erik["person"]["id"].as_i64().unwrap();
    let pia_id = s.ok(
        "add_person",
        json!({ "name": "Pia Pending", "is_admin": false, "manager_id": mona_id }),
    )["person"]["id"]
        .as_i64()
        .unwrap();
    let group = id(&s.ok(
        "save_group",
        json!({ "group_id": null, "name": "Team Nord", "leader_id": mona_id, "member_ids": [erik_id, pia_id] }),
    ));
    s.ok("sign_out", json!({}));
    for (p, code) in [
        (mona_id, &mona["setup_code"]),
        (erik_id, &erik["setup_code"]),
    ] {
        s.ok(
            "redeem_setup_code",
            json!({ "person_id": p, "setup_code": code, "passphrase": PASS }),
        );
        s.ok("create_recovery_code", json!({}));
    }
    s.sign_in(&json!(mona_id), PASS);
    let planned = id(&s.ok(
        "plan_dialogue",
        json!({ "person_id": erik_id, "group_id": null, "kind": null, "scheduled_at": "2026-12-03T10:00:00Z" }),
    ));
    let held = id(&s.ok(
        "plan_dialogue",
        json!({ "person_id": null, "group_id": group, "kind": "grus", "scheduled_at": "2026-12-04T10:00:00Z" }),
    ));
    let mut items = vec![];
    let mut notes = vec![];
    let mut agreements = vec![];
    // The group's agreement is the group's own (no owner).
    for (d, owner) in [(planned, json!(erik_id)), (held, Value::Null)] {
        items.push(id(&s.ok(
            "add_agenda_item",
            json!({ "dialogue_id": d, "text": "Arbejdsmængden" }),
        )));
        for private in [true, false] {
            notes.push(id(&s.ok(
                "add_note",
                json!({ "dialogue_id": d, "text": "En note", "private": private }),
            )));
        }
        agreements.push(id(&s.ok(
            "add_agreement",
            json!({ "dialogue_id": d, "text": "Vagtplanen", "owner_person_id": owner, "follow_up_on": "2026-12-20", "if_then": null }),
        )));
    }
    s.ok("mark_held", json!({ "dialogue_id": held }));
    s.ok(
        "report_rule",
        json!({ "text": "Dobbelt registrering", "anonymous": false }),
    );
    let report = s.ok("rule_reports", json!({}))["reports"][0]["id"]
        .as_i64()
        .unwrap();
    let case = id(&s.ok(
        "add_case",
        json!({ "title": "Et godt eksempel", "text": "Vi prøvede noget nyt", "shared": true, "dialogue_id": null }),
    ));
    s.ok("sign_out", json!({}));
    s.sign_in(&json!(erik_id), PASS);
    let request = id(&s.ok(
        "request_dialogue",
        json!({ "kind": "mus", "reason": "Jeg vil gerne tale om min udvikling" }),
    ));
    s.ok("sign_out", json!({}));
    let known = Known(vec![
        (Person, vec![admin, mona_id, erik_id, pia_id]),
        (Group, vec![group]),
        (Dialogue, vec![planned, held]),
        (Item, items),
        (Note, notes),
        (Agreement, agreements),
        (Report, vec![report]),
        (Case, vec![case]),
        (Request, vec![request]),
    ]);
    (known, [admin, mona_id, erik_id])
}

impl World {
    /// Signs the family's person in again if a call signed them out (or
    /// signed in someone else, or took their right away); waits out a
    /// wait by moving the clock on.
    fn ensure_actor(&self) -> bool {
        let qualifies = |me: &Value| {
            self.actors.iter().any(|&id| me["id"] == id)
                && (!self.admin_needed || me["is_admin"] == true)
        };
        if qualifies(&self.shell.ok("app_status", json!({}))["me"]) {
            return true;
        }
        for &actor in &self.actors {
            for _ in 0..3 {
                match self
                    .shell
                    .call("sign_in", json!({ "person_id": actor, "passphrase": PASS }))
                {
                    Ok(me) if qualifies(&me) => return true,
                    Err(e) if e["code"] == "try_later" => {
                        let wait = e["params"]["seconds"].as_i64().unwrap_or(900);
                        self.clock.fetch_add(wait + 1, Ordering::Relaxed);
                    }
                    // No longer an administrator, or reset by an earlier
                    // call: the next one, then.
                    _ => break,
                }
            }
        }
        false
    }

    fn data_version(&self) -> i64 {
        self.reader
            .connection()
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .unwrap()
    }

    /// Every row of every table as text, the throttle columns of `person`
    /// apart from the rest.
    fn snapshot(&self) -> Snapshot {
        let conn = self.reader.connection();
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut snapshot = Snapshot::new();
        for table in tables {
            let columns: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .unwrap()
                .query_map([&table], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let (throttle, rest): (Vec<&String>, Vec<&String>) = columns
                .iter()
                .partition(|c| THROTTLE.contains(&(table.as_str(), c.as_str())));
            let mut read = |name: String, cols: &[&String]| {
                if cols.is_empty() {
                    return;
                }
                let row = cols
                    .iter()
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || '|' || ");
                let mut rows: Vec<String> = conn
                    .prepare(&format!("SELECT {row} FROM \"{table}\""))
                    .unwrap()
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                rows.sort();
                snapshot.insert(name, rows);
            };
            read(table.clone(), &rest);
            if !throttle.is_empty() {
                let mut with_id = vec![&columns[0]];
                with_id.extend(throttle);
                read(THROTTLE_TABLE.to_owned(), &with_id);
            }
        }
        snapshot
    }

    /// The committed rows now, read again only if something was committed
    /// since the last look.
    fn committed(&mut self) -> Snapshot {
        let version = self.data_version();
        match &self.seen {
            Some((v, s)) if *v == version => s.clone(),
            _ => {
                let s = self.snapshot();
                self.seen = Some((version, s.clone()));
                s
            }
        }
    }

    /// Whether the app's connection still holds a write transaction.
    fn write_lock_held(&self) -> bool {
        let conn = self.reader.connection();
        match conn.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => {
                conn.execute_batch("ROLLBACK").unwrap();
                false
            }
            Err(_) => true,
        }
    }
}

// ---------------------------------------------------------------------------
// One call and what must hold of it

fn api_md() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md")).unwrap()
}

/// The rows of docs/api.md's tables between `from` and the next section:
/// the first cell's name, and the first name in backticks of the second.
fn api_rows(from: &str) -> Vec<(String, Option<String>)> {
    let api = api_md();
    let section = api.split(from).nth(1).unwrap_or_default();
    let section = section.split("\n## ").next().unwrap_or_default();
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| {
            let (name, rest) = l.split_once('`')?;
            let second = rest.trim_start().strip_prefix('|')?.trim_start();
            let args = second
                .strip_prefix('`')
                .and_then(|a| a.split('`').next())
                .map(str::to_owned);
            Some((name.to_owned(), args))
        })
        .collect()
}

fn documented_codes() -> Vec<String> {
    api_rows("## Errors")
        .into_iter()
        .map(|(code, _)| code)
        .collect()
}

#[derive(Default)]
struct Tally {
    cases: u32,
    outcomes: BTreeMap<String, u32>,
    slowest: (Duration, String),
    reseeded: u32,
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(300) {
        Some((cut, _)) => format!("{}… ({} bytes)", &s[..cut], s.len()),
        None => s,
    }
}

fn check(
    world: &mut World,
    command: &Command,
    args: &Value,
    codes: &[String],
    tally: &mut Tally,
) -> Result<(), TestCaseError> {
    if !world.ensure_actor() {
        // Earlier calls took every way in away (reset them all, say): the
        // same workplace again, with the same ids.
        *world = self::world(world.who);
        tally.reseeded += 1;
        prop_assert!(world.ensure_actor(), "a fresh workplace has no way in");
    }
    let before = world.committed();
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        get_ipc_response(&world.shell.window, request(command.name, args.clone()))
    }));
    let took = started.elapsed();
    let what = || format!("{}({})", command.name, short(args));
    if took > tally.slowest.0 {
        tally.slowest = (took, what());
    }
    prop_assert!(took < SLOW_CALL, "{} took {took:?}", what());
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(_) => return Err(TestCaseError::fail(format!("{} panicked", what()))),
    };
    let over_limit: Vec<&str> = command
        .params
        .iter()
        .filter(|(key, _)| !UNBOUNDED_BEFORE_KDF.contains(&(command.name, key)))
        .filter(|(key, kind)| {
            kind.limit()
                .zip(args.get(key).and_then(Value::as_str))
                .is_some_and(|(max, text)| text.trim().chars().count() > max)
        })
        .map(|(key, _)| *key)
        .collect();
    let error = match outcome {
        Ok(body) => {
            prop_assert!(
                body.deserialize::<Value>().is_ok(),
                "{} answered with no JSON",
                what()
            );
            prop_assert!(
                over_limit.is_empty(),
                "{} succeeded with {over_limit:?} over its limit",
                what()
            );
            *tally.outcomes.entry("ok".into()).or_default() += 1;
            return Ok(());
        }
        Err(error) => error,
    };
    let code = error["code"].as_str().unwrap_or_default();
    prop_assert!(
        !code.is_empty() && error["message"].is_string() && error["params"].is_object(),
        "{} failed with {} (not {{code, message, params}})",
        what(),
        short(&error)
    );
    prop_assert!(
        codes.iter().any(|c| c == code),
        "{} failed with `{code}`, which docs/api.md does not list",
        what()
    );
    *tally.outcomes.entry(code.to_owned()).or_default() += 1;

    prop_assert!(
        !world.write_lock_held(),
        "{} failed with {code} and left a write transaction open",
        what()
    );
    let wrong_try = KDF_CODES.contains(&code) && over_limit.is_empty();
    let after = world.committed();
    let changed: Vec<&String> = after
        .iter()
        .filter(|(table, rows)| before.get(*table) != Some(rows))
        .map(|(table, _)| table)
        .chain(before.keys().filter(|t| !after.contains_key(*t)))
        // A wrong passphrase or code counts towards the wait; one over
        // its limit must not have been tried at all.
        .filter(|t| !(wrong_try && t.as_str() == THROTTLE_TABLE))
        .collect();
    prop_assert!(
        changed.is_empty(),
        "{} failed with {code} but changed {changed:?}",
        what()
    );
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

fn fuzz(name: &str, family: &'static [Command], who: Who) {
    let started = Instant::now();
    let world = RefCell::new(world(who));
    let strategy = calls(family, &world.borrow().known);
    let codes = documented_codes();
    let tally = RefCell::new(Tally::default());
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |(i, args)| {
        let mut tally = tally.borrow_mut();
        tally.cases += 1;
        check(
            &mut world.borrow_mut(),
            &family[i],
            &args,
            &codes,
            &mut tally,
        )
    });
    let tally = tally.into_inner();
    eprintln!(
        "{name}: {} calls in {:.1?} as {who:?} (workplace seeded again {} times); slowest {:.1?}: {}\n  outcomes: {:?}",
        tally.cases,
        started.elapsed(),
        tally.reseeded,
        tally.slowest.0,
        tally.slowest.1.chars().take(120).collect::<String>(),
        tally.outcomes,
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn session_commands_take_any_input() {
    fuzz("session", SESSION, Who::Manager);
}

#[test]
fn admin_commands_take_any_input() {
    fuzz("admin", ADMIN, Who::Admin);
}

#[test]
fn dialogue_commands_take_any_input() {
    fuzz("dialogues", DIALOGUES, Who::Manager);
}

#[test]
fn view_commands_take_any_input() {
    fuzz("views", VIEWS, Who::Employee);
}

#[test]
fn backup_commands_take_any_input() {
    fuzz("backups", BACKUPS, Who::Admin);
}

#[test]
fn template_commands_take_any_input() {
    fuzz("templates", TEMPLATES, Who::Admin);
}

#[test]
fn cycle_commands_take_any_input() {
    fuzz("cycle", CYCLE, Who::Manager);
}

#[test]
fn print_commands_take_any_input() {
    fuzz("print", PRINT, Who::Employee);
}

#[test]
fn export_commands_take_any_input() {
    fuzz("export", EXPORT, Who::Manager);
}

/// Every command the window may call is in a family above, with the
/// arguments docs/api.md gives it: a new command is fuzzed too.
#[test]
fn every_allowed_command_is_fuzzed_with_its_documented_arguments() {
    let capability: Value =
        serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
    let mut allowed: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    let mut fuzzed: Vec<String> = FAMILIES
        .iter()
        .flat_map(|f| f.iter().map(|c| c.name.to_owned()))
        .collect();
    allowed.sort();
    fuzzed.sort();
    assert_eq!(allowed, fuzzed);

    let documented = api_rows("## Commands");
    for command in FAMILIES.iter().flat_map(|f| f.iter()) {
        let args = documented
            .iter()
            .find(|(name, _)| name == command.name)
            .unwrap_or_else(|| panic!("docs/api.md does not list {}", command.name))
            .1
            .clone()
            .unwrap_or_default();
        let keys: Vec<&str> = args
            .split(',')
            .map(|a| a.trim().trim_end_matches("|null"))
            .filter(|a| !a.is_empty())
            .collect();
        let fuzzed: Vec<&str> = command.params.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, fuzzed, "{}", command.name);
    }
}

/// Not by chance but one by one: each argument of each command, when
/// missing (if required) or of the wrong type, is refused as
/// `invalid_input` naming that argument, and a refused value is not
/// echoed back whole.
#[test]
fn a_malformed_argument_is_invalid_input_naming_it() {
    let w = world(Who::Manager);
    assert!(w.ensure_actor());
    for command in FAMILIES.iter().flat_map(|f| f.iter()) {
        for (k, &(key, kind)) in command.params.iter().enumerate() {
            let typed: Map<String, Value> = command.params[..k]
                .iter()
                .map(|&(key, kind)| (key.to_owned(), kind.typed()))
                .collect();
            let mut wrong = typed.clone();
            wrong.insert(key.to_owned(), json!({ "x": "ø".repeat(50_000) }));
            let mut cases = vec![Value::Object(wrong)];
            if !kind.optional() {
                cases.push(Value::Object(typed));
            }
            for args in cases {
                let e = w.shell.call(command.name, args.clone()).unwrap_err();
                assert_eq!(
                    e["code"],
                    "invalid_input",
                    "{}({})",
                    command.name,
                    short(&args)
                );
                assert_eq!(e["params"], json!({ "field": key }), "{}", command.name);
                assert!(e["message"].as_str().unwrap().len() < 1_000, "{e}");
            }
        }
    }
}

/// Secrets a person types are bounded before any key derivation: an
/// over-long one is `text_too_long`, costs no Argon2 run and counts no
/// wrong try.
#[test]
fn over_long_secrets_are_refused_before_key_derivation() {
    let mut w = world(Who::Manager);
    let long = "x".repeat(PASSPHRASE_MAX + 1);
    let code = "A".repeat(CODE_MAX + 1);
    let [_, mona, erik, pia] = w.known.of(Person)[..] else {
        panic!("four people were seeded")
    };
    let calls = [
        ("sign_in", json!({ "person_id": mona, "passphrase": long })),
        (
            "redeem_setup_code",
            json!({ "person_id": pia, "setup_code": code, "passphrase": PASS }),
        ),
        (
            "redeem_setup_code",
            json!({ "person_id": pia, "setup_code": "AAAAA-AAAAA", "passphrase": long }),
        ),
        (
            "recover_with_code",
            json!({ "person_id": erik, "recovery_code": code, "passphrase": PASS }),
        ),
        (
            "recover_with_code",
            json!({ "person_id": erik, "recovery_code": "AAAAA-AAAAA-AAAAA-AAAAA", "passphrase": long }),
        ),
    ];
    let before = w.committed();
    for (command, args) in calls {
        let e = w.shell.call(command, args).unwrap_err();
        assert_eq!(e["code"], "text_too_long", "{command}: {e}");
    }
    assert_eq!(
        w.committed(),
        before,
        "an over-long secret counted as a wrong try"
    );
    assert!(w.ensure_actor());
    let before = w.committed();
    let e = w
        .shell
        .call(
            "change_passphrase",
            json!({ "current": long, "passphrase": PASS }),
        )
        .unwrap_err();
    assert_eq!(e["code"], "text_too_long", "change_passphrase: {e}");
    assert_eq!(
        w.committed(),
        before,
        "an over-long secret counted as a wrong try"
    );
}

/// A new passphrase is bounded before the current one is proved.
#[test]
fn an_over_long_new_passphrase_is_refused_before_the_current_is_proved() {
    let w = world(Who::Manager);
    assert!(w.ensure_actor());
    let long = "x".repeat(PASSPHRASE_MAX + 1);
    let e = w
        .shell
        .call(
            "change_passphrase",
            json!({ "current": "not the passphrase", "passphrase": long }),
        )
        .unwrap_err();
    assert_eq!(e["code"], "text_too_long", "change_passphrase: {e}");
}

#[test]
fn rule_and_case_commands_take_any_input() {
    fuzz("rules", RULES, Who::Manager);
}
