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
    "cancel_dialogue",
    "request_dialogue",
    "answer_request",
    "plan_requested_dialogue",
    "manager_overview",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri build step failed: {error:#}");
        std::process::exit(1);
    }
}
