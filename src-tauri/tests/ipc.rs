//! The shell under Tauri's mock runtime, built from the real config with
//! `generate_context!()` so that the capability file is enforced: every
//! command is called as the UI calls it, permission-denied included.

mod support;

use serde_json::{json, Value};
use support::{request, shell, shell_with, PASS};
use tauri::test::get_ipc_response;
use tillid_core::crypto::KdfParams;
use tillid_core::Tillid;
use tillid_lib::AppState;

#[test]
fn only_the_main_window_may_call_commands() {
    let s = shell();
    assert!(s.call("app_status", json!({})).is_ok());
    let refused = get_ipc_response(&s.other, request("app_status", json!({})));
    assert!(
        refused.is_err(),
        "a window without the capability was let through"
    );
    assert!(s.call("no_such_command", json!({})).is_err());
}

#[test]
fn errors_cross_as_code_message_and_params() {
    let s = shell();
    let e = s.call("home", json!({})).unwrap_err();
    assert_eq!(
        e,
        json!({ "code": "not_signed_in", "message": "nobody is signed in", "params": {} })
    );
    let e = s
        .call(
            "setup_workplace",
            json!({ "workplace_name": "", "admin_name": "Inge", "passphrase": PASS }),
        )
        .unwrap_err();
    assert_eq!(e["code"], "empty_text");
    assert_eq!(e["params"], json!({ "field": "workplace_name" }));
    let e = s
        .call(
            "setup_workplace",
            json!({ "workplace_name": "Nord", "admin_name": "Inge", "passphrase": "short" }),
        )
        .unwrap_err();
    assert_eq!(e["params"], json!({ "min": 8 }));
    // An argument of the wrong type is refused like any other input.
    let e = s
        .call("sign_in", json!({ "person_id": "1", "passphrase": PASS }))
        .unwrap_err();
    assert_eq!(e["code"], "invalid_input");
    assert_eq!(e["params"], json!({ "field": "person_id" }));
    assert_eq!(
        s.ok("app_status", json!({}))["workplace"],
        Value::Null,
        "refused setup made nothing"
    );
}

/// Walks through every command as the UI would, checking what each
/// returns and that each refuses those it must.
#[test]
fn every_command_works_and_refuses_as_it_should() {
    let s = shell();
    let me = s.ok(
        "setup_workplace",
        json!({ "workplace_name": "Borgerservice", "admin_name": "Inge Admin", "passphrase": PASS }),
    );
    assert_eq!(me["is_admin"], true);
    let status = s.ok("app_status", json!({}));
    assert_eq!(status["workplace"]["name"], "Borgerservice");
    assert_eq!(status["me"]["name"], "Inge Admin");
    assert_eq!(
        s.code(
            "setup_workplace",
            json!({ "workplace_name": "x", "admin_name": "y", "passphrase": PASS })
        ),
        "already_set_up"
    );

    // Administration.
    let mona = s.ok(
        "add_person",
        json!({ "name": "Mona Manager", "is_admin": false, "manager_id": null }),
    );
    let mona_id = mona["person"]["id"].clone();
    let erik = s.ok(
        "add_person",
        json!({ "name": "Erik Employee", "is_admin": false, "manager_id": mona_id }),
    );
    let erik_id = erik["person"]["id"].clone();
    let olga = s.ok(
        "add_person",
        json!({ "name": "Olga Other", "is_admin": false, "manager_id": null }),
    );
    let olga_id = olga["person"]["id"].clone();
    assert_eq!(
        s.code(
            "add_person",
            json!({ "name": "erik employee", "is_admin": false, "manager_id": null })
        ),
        "duplicate_name"
    );
    let code = s.ok("issue_setup_code", json!({ "person_id": erik_id }))["setup_code"].clone();
    s.ok(
        "set_manager",
        json!({ "person_id": olga_id, "manager_id": mona_id }),
    );
    s.ok(
        "set_admin",
        json!({ "person_id": olga_id, "is_admin": true }),
    );
    s.ok(
        "set_admin",
        json!({ "person_id": olga_id, "is_admin": false }),
    );
    let people = s.ok("list_people", json!({}));
    assert_eq!(people.as_array().unwrap().len(), 4);
    assert!(people
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Olga Other" && p["manager"]["name"] == "Mona Manager"));
    let group = s.ok("save_group", json!({ "group_id": null, "name": "Team Nord", "leader_id": mona_id, "member_ids": [erik_id, olga_id] }));
    assert_eq!(
        s.ok("list_groups", json!({}))[0]["members"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    s.ok("save_group", json!({ "group_id": group["id"], "name": "Team Nord", "leader_id": mona_id, "member_ids": [erik_id] }));
    s.ok("set_idle_lock", json!({ "minutes": 10 }));
    assert_eq!(
        s.ok("app_status", json!({}))["workplace"]["idle_lock_seconds"],
        600
    );
    assert_eq!(
        s.code("set_idle_lock", json!({ "minutes": 0 })),
        "invalid_input"
    );
    s.ok("touch", json!({}));
    let recovery = s.ok("create_recovery_code", json!({}))["recovery_code"].clone();
    assert!(s.ok("app_status", json!({}))["me"]["has_recovery_code"]
        .as_bool()
        .unwrap());
    s.ok("sign_out", json!({}));
    assert_eq!(s.code("list_people", json!({})), "not_signed_in");
    assert_eq!(s.code("touch", json!({})), "not_signed_in");
    assert_eq!(
        s.code("recover_with_code", json!({ "person_id": 1, "recovery_code": "AAAAA-AAAAA-AAAAA-AAAAA", "passphrase": "inges new passphrase" })),
        "bad_recovery_code"
    );
    s.ok(
        "recover_with_code",
        json!({ "person_id": 1, "recovery_code": recovery, "passphrase": "inges new passphrase" }),
    );
    s.ok("sign_out", json!({}));

    // A new person's first sign-in.
    assert_eq!(
        s.code(
            "sign_in",
            json!({ "person_id": mona_id, "passphrase": PASS })
        ),
        "setup_pending"
    );
    assert_eq!(
        s.code(
            "redeem_setup_code",
            json!({ "person_id": mona_id, "setup_code": "WRONG-CODE1", "passphrase": PASS })
        ),
        "bad_setup_code"
    );
    s.ok(
        "redeem_setup_code",
        json!({ "person_id": mona_id, "setup_code": mona["setup_code"], "passphrase": PASS }),
    );
    assert_eq!(s.code("list_people", json!({})), "forbidden");
    assert_eq!(
        s.code(
            "add_person",
            json!({ "name": "X", "is_admin": true, "manager_id": null })
        ),
        "forbidden"
    );
    let me = s.ok("set_my_locale", json!({ "locale": "da" }));
    assert_eq!(me["locale"], "da");
    assert!(me["is_manager"].as_bool().unwrap());
    s.ok(
        "change_passphrase",
        json!({ "current": PASS, "passphrase": "monas new passphrase" }),
    );
    assert_eq!(
        s.code(
            "change_passphrase",
            json!({ "current": PASS, "passphrase": "whatever else" })
        ),
        "wrong_passphrase"
    );

    // Planning and the dialogue.
    let options = s.ok("plan_options", json!({}));
    assert_eq!(options["employees"][0]["name"], "Erik Employee");
    assert_eq!(options["groups"][0]["name"], "Team Nord");
    assert_eq!(
        s.code("plan_dialogue", json!({ "person_id": erik_id, "group_id": null, "kind": null, "scheduled_at": "2026-02-30T09:00:00Z" })),
        "invalid_date"
    );
    let d = s.ok("plan_dialogue", json!({ "person_id": erik_id, "group_id": null, "kind": null, "scheduled_at": "2026-12-03T10:00:00+01:00" }))["id"].clone();
    s.ok("plan_dialogue", json!({ "person_id": null, "group_id": group["id"], "kind": "grus", "scheduled_at": "2026-12-04T10:00:00Z" }));
    s.ok(
        "reschedule_dialogue",
        json!({ "dialogue_id": d, "scheduled_at": "2026-12-03T11:00:00+01:00" }),
    );
    let item = s.ok(
        "add_agenda_item",
        json!({ "dialogue_id": d, "text": "Arbejdsmængden" }),
    )["id"]
        .clone();
    s.ok(
        "set_agenda_status",
        json!({ "item_id": item, "status": "discussed" }),
    );
    let spare = s.ok(
        "add_agenda_item",
        json!({ "dialogue_id": d, "text": "Remove me" }),
    )["id"]
        .clone();
    s.ok("remove_agenda_item", json!({ "item_id": spare }));
    let private = s.ok(
        "add_note",
        json!({ "dialogue_id": d, "text": "MONAS-PRIVATE", "private": true }),
    )["id"]
        .clone();
    s.ok(
        "update_note",
        json!({ "note_id": private, "text": "MONAS-PRIVATE-2" }),
    );
    let shared = s.ok(
        "add_note",
        json!({ "dialogue_id": d, "text": "Shared", "private": false }),
    )["id"]
        .clone();
    s.ok("delete_note", json!({ "note_id": shared }));
    assert_eq!(
        s.code(
            "add_note",
            json!({ "dialogue_id": d, "text": "x".repeat(20_001), "private": false })
        ),
        "text_too_long"
    );
    let a = s.ok("add_agreement", json!({ "dialogue_id": d, "text": "Erik tager vagtplanen", "owner_person_id": erik_id, "follow_up_on": "2026-12-20", "if_then": null }))["id"].clone();
    s.ok("edit_agreement", json!({ "agreement_id": a, "text": "Erik tager vagtplanen i december", "owner_person_id": erik_id, "follow_up_on": "2026-12-20", "if_then": "Hvis det bliver for meget, siger jeg til" }));
    assert_eq!(
        s.code("add_agreement", json!({ "dialogue_id": d, "text": "   ", "owner_person_id": erik_id, "follow_up_on": null, "if_then": null })),
        "empty_text"
    );
    s.ok("mark_held", json!({ "dialogue_id": d }));
    let view = s.ok("get_dialogue", json!({ "dialogue_id": d }));
    assert_eq!(view["scheduled_at"], "2026-12-03T10:00:00Z");
    assert_eq!(view["notes"][0]["text"], "MONAS-PRIVATE-2");
    assert_eq!(
        view["agreements"][0]["if_then"],
        "Hvis det bliver for meget, siger jeg til"
    );
    s.ok(
        "confirm_summary",
        json!({ "dialogue_id": d, "version": view["summary_version"] }),
    );
    assert_eq!(
        s.code("get_dialogue", json!({ "dialogue_id": 999 })),
        "not_found"
    );
    let history = s.ok(
        "relationship_history",
        json!({ "person_id": erik_id, "group_id": null }),
    );
    assert_eq!(
        history["dialogues"][0]["agreements"][0]["text"],
        "Erik tager vagtplanen i december"
    );
    assert_eq!(
        s.ok("relationships", json!({})).as_array().unwrap().len(),
        3
    );
    s.ok("sign_out", json!({}));

    // The employee: cannot read the private note, cannot mark held, confirms,
    // and carries the agreement through.
    assert_eq!(
        s.code(
            "sign_in",
            json!({ "person_id": mona_id, "passphrase": PASS })
        ),
        "wrong_passphrase"
    );
    s.ok(
        "redeem_setup_code",
        json!({ "person_id": erik_id, "setup_code": code, "passphrase": "eriks passphrase" }),
    );
    let view = s.ok("get_dialogue", json!({ "dialogue_id": d }));
    assert!(
        !view.to_string().contains("MONAS-PRIVATE"),
        "a private note reached the employee"
    );
    assert_eq!(view["my_role"], "employee");
    assert_eq!(
        s.code(
            "update_note",
            json!({ "note_id": private, "text": "hijack" })
        ),
        "forbidden"
    );
    assert_eq!(
        s.code(
            "reschedule_dialogue",
            json!({ "dialogue_id": d, "scheduled_at": "2026-12-05T09:00:00Z" })
        ),
        "forbidden"
    );
    let home = s.ok("home", json!({}));
    assert_eq!(home["to_confirm"][0]["id"], d);
    assert_eq!(
        home["my_responsibilities"][0]["text"],
        "Erik tager vagtplanen i december"
    );
    s.ok(
        "confirm_summary",
        json!({ "dialogue_id": d, "version": view["summary_version"] }),
    );
    assert_eq!(
        s.ok("get_dialogue", json!({ "dialogue_id": d }))["state"],
        "confirmed"
    );
    s.ok(
        "set_agreement_state",
        json!({ "agreement_id": a, "state": "done", "comment": "Klaret" }),
    );
    assert_eq!(
        s.code(
            "set_agreement_state",
            json!({ "agreement_id": a, "state": "finished", "comment": null })
        ),
        "invalid_input"
    );
    assert_eq!(
        s.code("reset_passphrase", json!({ "person_id": mona_id })),
        "forbidden"
    );
    assert_eq!(
        s.code("set_idle_lock", json!({ "minutes": 5 })),
        "forbidden"
    );
    assert_eq!(
        s.ok("search", json!({ "query": "vagtplanen" }))[0]["kind"],
        "agreement"
    );
    s.sign_in(&mona_id, "monas new passphrase");
    let view = s.ok("get_dialogue", json!({ "dialogue_id": d }));
    assert_eq!(view["agreements"][0]["state"], "done");
    assert_eq!(view["agreements"][0]["history"][0]["comment"], "Klaret");
    assert_eq!(
        view["agreements"][0]["history"][0]["by"]["name"],
        "Erik Employee"
    );
}

/// The markers go in through the commands the window calls; afterwards no
/// file in the data folder holds any of them.
#[test]
fn content_sent_through_the_commands_is_unreadable_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let tillid = Tillid::open(&dir.path().join("tillid.sqlite3"))
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let s = shell_with(AppState::new(tillid, None));
    let call = |cmd: &str, args: Value| s.ok(cmd, args);
    call(
        "setup_workplace",
        json!({ "workplace_name": "Nord", "admin_name": "Inge", "passphrase": PASS }),
    );
    let erik = call(
        "add_person",
        json!({ "name": "Erik", "is_admin": false, "manager_id": 1 }),
    );
    let d = call("plan_dialogue", json!({ "person_id": erik["person"]["id"], "group_id": null, "kind": null, "scheduled_at": "2026-12-03T09:00:00Z" }))["id"].clone();
    let m = |n: &str| format!("IPC-MARKER-{n}-4242");
    call(
        "add_agenda_item",
        json!({ "dialogue_id": d, "text": m("agenda") }),
    );
    call(
        "add_note",
        json!({ "dialogue_id": d, "text": m("private"), "private": true }),
    );
    call(
        "add_note",
        json!({ "dialogue_id": d, "text": m("shared"), "private": false }),
    );
    let a = call("add_agreement", json!({ "dialogue_id": d, "text": m("agreement"), "owner_person_id": 1, "follow_up_on": null, "if_then": m("ifthen") }))["id"].clone();
    call(
        "set_agreement_state",
        json!({ "agreement_id": a, "state": "done", "comment": m("comment") }),
    );
    call("mark_held", json!({ "dialogue_id": d }));
    let v = call("get_dialogue", json!({ "dialogue_id": d }))["summary_version"].clone();
    call("confirm_summary", json!({ "dialogue_id": d, "version": v }));
    assert_eq!(
        call("search", json!({ "query": "IPC-MARKER" }))
            .as_array()
            .unwrap()
            .len(),
        6
    );
    call("sign_out", json!({}));

    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(
        bytes.windows(4).any(|w| w == b"Erik"),
        "the scan reads the files"
    );
    for n in [
        "agenda",
        "private",
        "shared",
        "agreement",
        "ifthen",
        "comment",
    ] {
        let marker = m(n);
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "{marker} is readable in the data folder"
        );
    }
}

#[test]
fn an_idle_session_is_locked_and_says_so_once() {
    let tillid = Tillid::open_in_memory()
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let s = shell_with(AppState::new(
        tillid,
        Some(std::time::Duration::from_millis(50)),
    ));
    let call = |cmd: &str, args: Value| s.call(cmd, args);
    call(
        "setup_workplace",
        json!({ "workplace_name": "Nord", "admin_name": "Inge", "passphrase": PASS }),
    )
    .unwrap();
    call("home", json!({})).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(120));
    let e = call("home", json!({})).unwrap_err();
    assert_eq!(e["code"], "locked");
    assert_eq!(e["params"]["minutes"], 1);
    assert_eq!(
        call("home", json!({})).unwrap_err()["code"],
        "not_signed_in"
    );
    assert_eq!(call("app_status", json!({})).unwrap()["me"], Value::Null);
    // Signing in again works, and the keys are back.
    call("sign_in", json!({ "person_id": 1, "passphrase": PASS })).unwrap();
    call("home", json!({})).unwrap();
}

#[test]
fn the_reset_command_hands_out_a_new_setup_code() {
    let s = shell();
    s.ok(
        "setup_workplace",
        json!({ "workplace_name": "Nord", "admin_name": "Inge", "passphrase": PASS }),
    );
    let erik = s.ok(
        "add_person",
        json!({ "name": "Erik", "is_admin": false, "manager_id": 1 }),
    );
    let id = erik["person"]["id"].clone();
    s.ok("sign_out", json!({}));
    s.ok("redeem_setup_code", json!({ "person_id": id, "setup_code": erik["setup_code"], "passphrase": "eriks passphrase" }));
    s.ok("sign_out", json!({}));
    s.sign_in(&json!(1), PASS);
    let code = s.ok("reset_passphrase", json!({ "person_id": id }))["setup_code"].clone();
    assert_eq!(
        s.code("reset_passphrase", json!({ "person_id": 1 })),
        "invalid_input"
    );
    s.ok("sign_out", json!({}));
    assert_eq!(
        s.code(
            "sign_in",
            json!({ "person_id": id, "passphrase": "eriks passphrase" })
        ),
        "setup_pending"
    );
    s.ok(
        "redeem_setup_code",
        json!({ "person_id": id, "setup_code": code, "passphrase": "eriks second one" }),
    );
}

// ---- faults: a data file that cannot be used, data that can only be read ----

/// Not a database: the window still gets its status, with what is wrong
/// and where; every other command returns that same error; the file is
/// left byte for byte as it was.
#[test]
fn a_file_that_cannot_be_opened_still_answers_with_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(tillid_core::paths::DB_FILE);
    let bytes = b"not a database, just some words ".repeat(100);
    std::fs::write(&path, &bytes).unwrap();
    let s = shell_with(AppState::open(dir.path(), None));
    let status = s.ok("app_status", json!({}));
    assert_eq!(status["open_error"]["code"], "not_a_database");
    assert_eq!(
        status["open_error"]["params"]["path"],
        path.display().to_string()
    );
    assert_eq!(status["workplace"], Value::Null);
    assert_eq!(status["data_file"], path.display().to_string());
    for (cmd, args) in [
        ("sign_in", json!({ "person_id": 1, "passphrase": PASS })),
        (
            "setup_workplace",
            json!({ "workplace_name": "Nord", "admin_name": "Inge", "passphrase": PASS }),
        ),
        ("home", json!({})),
    ] {
        assert_eq!(s.code(cmd, args), "not_a_database", "{cmd}");
    }
    s.ok("sign_out", json!({}));
    drop(s);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn read_only_data_is_said_in_the_status_and_every_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(tillid_core::paths::DB_FILE);
    {
        let mut t = Tillid::open(&path)
            .unwrap()
            .with_kdf(KdfParams::FAST_FOR_TESTS);
        t.setup_workplace("Nord", "Inge", PASS).unwrap();
    }
    let forced = tillid_core::store::OpenOptions {
        force_read_only: Some(tillid_core::store::ReadOnlyReason::Folder),
        ..Default::default()
    };
    let tillid = Tillid::open_with(&path, &forced).unwrap();
    let s = shell_with(AppState::new(tillid, None).at(path.clone()));
    let status = s.ok("app_status", json!({}));
    assert_eq!(status["read_only"], "folder");
    assert_eq!(status["open_error"], Value::Null);
    assert_eq!(status["workplace"]["name"], "Nord");
    s.sign_in(&json!(1), PASS);
    s.ok("home", json!({}));
    let e = s
        .call(
            "add_person",
            json!({ "name": "Erik", "is_admin": false, "manager_id": 1 }),
        )
        .unwrap_err();
    assert_eq!(e["code"], "read_only");
    assert_eq!(
        s.code("set_idle_lock", json!({ "minutes": 10 })),
        "read_only"
    );
    s.ok("sign_out", json!({}));
}

/// Sign-out moves the WAL into the data file (and empties it).
#[test]
fn signing_out_checkpoints_the_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(tillid_core::paths::DB_FILE);
    let tillid = Tillid::open(&path)
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let s = shell_with(AppState::new(tillid, None));
    s.ok(
        "setup_workplace",
        json!({ "workplace_name": "Nord", "admin_name": "Inge", "passphrase": PASS }),
    );
    let wal = dir
        .path()
        .join(format!("{}-wal", tillid_core::paths::DB_FILE));
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    s.ok("sign_out", json!({}));
    assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0);
}

/// `tillid seed` and `tillid backup` open the file through `cli::open_data`:
/// the same durable settings as the window.
#[test]
fn the_cli_opens_the_data_file_with_every_commit_synced() {
    let dir = tempfile::tempdir().unwrap();
    let t = tillid_lib::cli::open_data(&dir.path().join(tillid_core::paths::DB_FILE)).unwrap();
    let sync: i64 = t
        .connection()
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous = FULL");
}

/// The CLI says what is wrong, exits non-zero, and leaves the file alone.
#[test]
fn the_cli_reports_an_unusable_data_file_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(tillid_core::paths::DB_FILE);
    let bytes = b"garbage ".repeat(1000);
    std::fs::write(&path, &bytes).unwrap();
    for args in [
        vec!["seed", "--people", "3", "--dialogues", "3"],
        vec!["backup", "--to"],
    ] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tillid"));
        cmd.arg("--data-dir").arg(dir.path()).args(&args);
        if args[0] == "backup" {
            cmd.arg(dir.path().join("b.sqlite3"));
        }
        let out = cmd.output().unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is not a Tillid data file"), "{args:?}: {err}");
        assert!(err.contains("--data-dir"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert!(!dir.path().join("b.sqlite3").exists());
}
