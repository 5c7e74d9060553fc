//! Opening the data file while the window is made: the folder is locked at
//! once, the file is opened on a thread of its own, and every command waits
//! for that opening (migrations, integrity check) to finish before it
//! answers; a failed or panicking opening is answered as an open error.

mod support;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{request, shell_with, Shell, PASS};
use tauri::test::get_ipc_response;
use tillid_core::crypto::KdfParams;
use tillid_core::Tillid;
use tillid_lib::AppState;

/// Long enough for an answer that did not wait to have come.
const NOT_YET: Duration = Duration::from_millis(300);
/// Long enough for any answer that is due.
const DUE: Duration = Duration::from_secs(30);

/// A state whose opening waits for the returned sender before it opens
/// the file with `Tillid::open`.
fn held_open(dir: &Path) -> (AppState, mpsc::Sender<()>) {
    let (go, gate) = mpsc::channel::<()>();
    let state = AppState::open_with(dir, None, move |file| {
        let _ = gate.recv();
        Ok(Tillid::open(file)?.with_kdf(KdfParams::FAST_FOR_TESTS))
    });
    (state, go)
}

/// Asks for `app_status` on a thread of its own; the answer comes on the
/// returned receiver.
fn ask_status(s: &Shell) -> mpsc::Receiver<Result<Value, Value>> {
    let window = s.window.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let answer = get_ipc_response(&window, request("app_status", json!({})))
            .map(|b| b.deserialize::<Value>().unwrap());
        let _ = tx.send(answer);
    });
    rx
}

fn set_up_workplace(dir: &Path) {
    let path = tillid_core::paths::db_path(dir);
    let mut t = Tillid::open(&path)
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    t.setup_workplace("Nord", "Inge", PASS).unwrap();
}

#[test]
fn the_status_is_answered_only_once_the_file_is_open() {
    let dir = tempfile::tempdir().unwrap();
    set_up_workplace(dir.path());
    let (state, go) = held_open(dir.path());
    let s = shell_with(state);
    let status = ask_status(&s);
    assert!(
        status.recv_timeout(NOT_YET).is_err(),
        "app_status answered before the data file was open"
    );
    go.send(()).unwrap();
    let status = status.recv_timeout(DUE).unwrap().unwrap();
    assert_eq!(status["open_error"], Value::Null);
    assert_eq!(status["read_only"], Value::Null);
    assert_eq!(status["workplace"]["name"], "Nord");
    assert_eq!(
        status["data_file"],
        tillid_core::paths::db_path(dir.path())
            .display()
            .to_string()
    );
    s.sign_in(&json!(1), PASS);
    s.ok("home", json!({}));
}

#[test]
fn a_file_that_cannot_be_opened_is_reported_once_the_opening_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = tillid_core::paths::db_path(dir.path());
    let bytes = b"not a database, just some words ".repeat(100);
    std::fs::write(&path, &bytes).unwrap();
    let (state, go) = held_open(dir.path());
    let s = shell_with(state);
    let status = ask_status(&s);
    assert!(status.recv_timeout(NOT_YET).is_err());
    go.send(()).unwrap();
    let status = status.recv_timeout(DUE).unwrap().unwrap();
    assert_eq!(status["open_error"]["code"], "not_a_database");
    assert_eq!(
        status["open_error"]["params"]["path"],
        path.display().to_string()
    );
    assert_eq!(status["workplace"], Value::Null);
    assert_eq!(s.code("home", json!({})), "not_a_database");
    drop(s);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

/// The folder is locked before the opening starts: a second window on the
/// same folder is refused at once, even while the first is still checking.
#[test]
fn a_second_state_on_the_same_folder_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    set_up_workplace(dir.path());
    let (first, go) = held_open(dir.path());
    let started = Instant::now();
    let second = AppState::open(dir.path(), None);
    let error = second.open_error().expect("the second must be refused");
    assert_eq!(error.code, "in_use");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the refusal waited {:?}",
        started.elapsed()
    );
    let s = shell_with(second);
    assert_eq!(s.code("home", json!({})), "in_use");
    assert_eq!(
        s.ok("app_status", json!({}))["open_error"]["code"],
        "in_use"
    );
    // The first opens as usual once let go.
    go.send(()).unwrap();
    assert_eq!(first.open_error(), None);
    assert_eq!(first.read_only(), None);
}

/// A panic while opening becomes an `internal` open error with the file's
/// path: every command answers it instead of waiting forever.
#[test]
fn a_panic_while_opening_is_an_open_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let path = tillid_core::paths::db_path(dir.path());
    let state = AppState::open_with(dir.path(), None, |_| panic!("opening broke on purpose"));
    let s = shell_with(state);
    let status = ask_status(&s).recv_timeout(DUE).unwrap().unwrap();
    assert_eq!(status["open_error"]["code"], "internal");
    assert_eq!(
        status["open_error"]["params"]["path"],
        path.display().to_string()
    );
    assert_eq!(s.code("home", json!({})), "internal");
    assert_eq!(
        s.code("sign_in", json!({ "person_id": 1, "passphrase": PASS })),
        "internal"
    );
}
