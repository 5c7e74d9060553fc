//! Generates an `allow-<command>` permission for each of Tillid's commands,
//! so that `capabilities/main.json` says exactly which the window may call.

const COMMANDS: &[&str] = &[
    "app_status",
    "setup_workplace",
    "sign_in",
    "redeem_setup_code",
    "sign_out",
    "change_passphrase",
    "set_my_locale",
    "touch",
    "recover_with_code",
    "create_recovery_code",
    "list_people",
    "add_person",
    "set_manager",
    "set_admin",
    "issue_setup_code",
    "reset_passphrase",
    "set_idle_lock",
    "list_groups",
    "save_group",
    "mark_left",
    "mark_returned",
    "retention_preview",
    "apply_retention",
    "retention_setting",
    "save_retention_setting",
    "person_deletion_preview",
    "delete_person",
    "decide_handover",
    "save_drafts",
    "take_drafts",
    "plan_options",
    "plan_dialogue",
    "reschedule_dialogue",
    "get_dialogue",
    "add_agenda_item",
    "set_agenda_status",
    "remove_agenda_item",
    "add_note",
    "update_note",
    "delete_note",
    "add_agreement",
    "edit_agreement",
    "set_agreement_state",
    "mark_held",
    "confirm_summary",
    "home",
    "search",
    "relationships",
    "relationship_history",
    "list_backups",
    "back_up_now",
    "restore_backup",
    "list_templates",
    "get_template",
    "save_template",
    "reset_template",
    "get_preparation",
    "answer_question",
    "share_answer",
    "rule_reports",
    "report_rule",
    "set_rule_status",
    "take_rule_to_grus",
    "cases",
    "search_cases",
    "add_case",
    "update_case",
    "set_case_shared",
    "cancel_dialogue",
    "request_dialogue",
    "answer_request",
    "plan_requested_dialogue",
    "manager_overview",
    // Issue 8: a summary to print or save, and calendar files.
    "dialogue_summary",
    "save_summary",
    "save_dialogue_calendar",
    "save_upcoming_calendar",
    // Issue 8: data rights.
    "export_my_data",
    "export_about",
    "cancel_export",
];

fn main() {
    // The window's files are embedded at compile time; an edit of any of
    // them must rebuild the binary, or tests run yesterday's screens.
    println!("cargo:rerun-if-changed=../ui");
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri build step failed: {error:#}");
        std::process::exit(1);
    }
    fold_identical_code();
}

/// Release builds only: the linker folds functions whose machine code is
/// the same into one copy. Much of the binary is generic glue instantiated
/// once per command, per future and per type, and many of those copies are
/// byte for byte alike; folding them keeps the binary under 12 MB.
///
/// Only LLD (and gold) know the flag, and Rust links with its own LLD on
/// x86-64 Linux from 1.90 on. With an older Rust, another target, or a
/// linker or link arguments of one's own in RUSTFLAGS, the binary is
/// linked as before, unfolded.
/// Rust makes no promise that two functions have different addresses
/// (LLVM marks them `unnamed_addr`), which is what lets them be folded;
/// the end-to-end tests run on this folded binary.
fn fold_identical_code() {
    // The answer depends on these, not only on the files under ../ui.
    println!("cargo:rerun-if-env-changed=RUSTFLAGS");
    println!("cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let release = var("PROFILE") == "release";
    let target = var("TARGET") == "x86_64-unknown-linux-gnu";
    let own_linker = var("CARGO_ENCODED_RUSTFLAGS").contains("link");
    if release && target && !own_linker && rustc_minor().is_some_and(|minor| minor >= 90) {
        println!("cargo:rustc-link-arg-bins=-Wl,--icf=all");
    }
}

/// The minor version of the compiler building us (95 for 1.95.0).
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var_os("RUSTC")?;
    let out = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.split_whitespace()
        .nth(1)?
        .split('.')
        .nth(1)?
        .parse()
        .ok()
}
