//! The log for support: a panic in a command is written there with its
//! message and location and answered `internal`, and nothing a person
//! wrote, and no passphrase, ever reaches it. (Its own test binary: the
//! log is process-wide.)

mod support;

use serde_json::{json, Value};
use support::shell_with;
use tauri::Manager;
use tillid_core::crypto::KdfParams;
use tillid_core::Tillid;
use tillid_lib::AppState;

const PASSPHRASE: &str = "LOG-PASSPHRASE-MARKER-5150";

fn marker(n: &str) -> String {
    format!("LOG-CONTENT-MARKER-{n}-8086")
}

fn read_logs(dir: &std::path::Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    text
}

#[test]
fn a_panic_is_logged_and_no_content_or_passphrase_ever_is() {
    let dir = tempfile::tempdir().unwrap();
    tillid_lib::support_log::init(dir.path());
    let logs = tillid_lib::support_log::dir(dir.path());
    assert_eq!(tillid_lib::support_log::current_dir(), Some(logs.as_path()));

    let tillid = Tillid::open(&dir.path().join("tillid.sqlite3"))
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let s = shell_with(AppState::new(tillid, None));
    let call = |cmd: &str, args: Value| s.ok(cmd, args);
    call(
        "setup_workplace",
        json!({ "workplace_name": "Nord", "admin_name": "Inge", "passphrase": PASSPHRASE }),
    );
    let erik = call(
        "add_person",
        json!({ "name": "Erik", "is_admin": false, "manager_id": 1 }),
    );
    let d = call("plan_dialogue", json!({ "person_id": erik["person"]["id"], "group_id": null, "kind": null, "scheduled_at": "2026-12-03T09:00:00Z" }))["id"].clone();
    call(
        "add_agenda_item",
        json!({ "dialogue_id": d, "text": marker("agenda") }),
    );
    call(
        "add_note",
        json!({ "dialogue_id": d, "text": marker("private"), "private": true }),
    );
    call(
        "add_agreement",
        json!({ "dialogue_id": d, "text": marker("agreement"), "owner_person_id": 1, "follow_up_on": null, "if_then": marker("ifthen") }),
    );
    // A refusal whose input is content: logged by its code only.
    let long = marker("too-long").repeat(300);
    assert_eq!(
        s.code("add_agenda_item", json!({ "dialogue_id": d, "text": long })),
        "text_too_long"
    );
    call("sign_out", json!({}));
    let wrong = format!("{PASSPHRASE}-wrong");
    assert_eq!(
        s.code("sign_in", json!({ "person_id": 1, "passphrase": wrong })),
        "wrong_passphrase"
    );
    s.sign_in(&json!(1), PASSPHRASE);

    // A command that panics (a bug) answers `internal` with where the log
    // is, and the window's state is still usable afterwards.
    let state = s.app.state::<AppState>();
    let e = state
        .signed_in(|_, _| -> tillid_core::Result<()> { panic!("planted panic 7319") })
        .unwrap_err();
    assert_eq!(e.code, "internal");
    assert_eq!(e.params["log"], json!(logs.display().to_string()));
    call("home", json!({}));
    call("sign_out", json!({}));

    let text = read_logs(&logs);
    assert!(text.contains("start"), "no start line:\n{text}");
    assert!(
        text.contains(env!("CARGO_PKG_VERSION")),
        "no version:\n{text}"
    );
    assert!(text.contains("signed in person=1"), "no sign-in:\n{text}");
    assert!(text.contains("signed out person=1"), "no sign-out:\n{text}");
    assert!(
        text.contains("code=\"wrong_passphrase\""),
        "no error code:\n{text}"
    );
    assert!(
        text.contains("code=\"text_too_long\""),
        "no error code:\n{text}"
    );
    assert!(
        text.contains("panic: planted panic 7319"),
        "no panic:\n{text}"
    );
    assert!(
        text.contains("tests/support_log.rs:"),
        "no panic location:\n{text}"
    );
    for secret in [
        PASSPHRASE.to_string(),
        marker("agenda"),
        marker("private"),
        marker("agreement"),
        marker("ifthen"),
        marker("too-long"),
        "LOG-CONTENT-MARKER".to_string(),
        "MARKER-5150".to_string(),
    ] {
        assert!(!text.contains(&secret), "{secret} reached the log:\n{text}");
    }
}
