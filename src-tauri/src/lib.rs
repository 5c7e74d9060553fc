//! Tillid's desktop shell: a window over `tillid-core`. It keeps no rules of
//! its own; it opens the workplace, knows who is signed in and passes each
//! command to the core.

pub mod cli;
pub mod commands;
pub mod error;
pub mod state;
// Issue 11: the log for support and the panic hook.
pub mod support_log;

use std::hash::{Hash, Hasher};
use std::path::Path;

use std::time::Duration;

use tauri::{Builder, Emitter, Manager, Runtime};

pub use state::AppState;

/// Registers Tillid's commands on a builder; the real app and the
/// mock-runtime tests share it.
pub fn builder<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    use commands::{admin, backups, dialogues, export, print, rules, session, templates, views};
    builder.invoke_handler(tauri::generate_handler![
        session::app_status,
        session::setup_workplace,
        session::sign_in,
        session::redeem_setup_code,
        session::sign_out,
        session::change_passphrase,
        session::set_my_locale,
        session::touch,
        session::recover_with_code,
        session::create_recovery_code,
        admin::list_people,
        admin::add_person,
        admin::set_manager,
        admin::set_admin,
        admin::issue_setup_code,
        admin::reset_passphrase,
        admin::set_idle_lock,
        admin::list_groups,
        admin::save_group,
        admin::mark_left,
        admin::mark_returned,
        admin::retention_preview,
        admin::apply_retention,
        admin::retention_setting,
        admin::save_retention_setting,
        admin::person_deletion_preview,
        admin::delete_person,
        views::decide_handover,
        views::save_drafts,
        views::take_drafts,
        dialogues::plan_options,
        dialogues::plan_dialogue,
        dialogues::reschedule_dialogue,
        dialogues::get_dialogue,
        dialogues::add_agenda_item,
        dialogues::set_agenda_status,
        dialogues::remove_agenda_item,
        dialogues::add_note,
        dialogues::update_note,
        dialogues::delete_note,
        dialogues::add_agreement,
        dialogues::edit_agreement,
        dialogues::set_agreement_state,
        dialogues::mark_held,
        dialogues::confirm_summary,
        views::home,
        views::search,
        views::relationships,
        views::relationship_history,
        backups::list_backups,
        backups::back_up_now,
        backups::restore_backup,
        templates::list_templates,
        templates::get_template,
        templates::save_template,
        templates::reset_template,
        templates::get_preparation,
        templates::answer_question,
        templates::share_answer,
        rules::rule_reports,
        rules::report_rule,
        rules::set_rule_status,
        rules::take_rule_to_grus,
        rules::cases,
        rules::search_cases,
        rules::add_case,
        rules::update_case,
        rules::set_case_shared,
        dialogues::cancel_dialogue,
        dialogues::request_dialogue,
        dialogues::answer_request,
        dialogues::plan_requested_dialogue,
        views::manager_overview,
        // Issue 8: a summary to print or save, and calendar files.
        print::dialogue_summary,
        print::save_summary,
        print::save_dialogue_calendar,
        print::save_upcoming_calendar,
        // Issue 8: data rights.
        export::export_my_data,
        export::export_about,
        export::cancel_export,
    ])
}

/// How often an idle session is checked for locking.
const IDLE_CHECK: Duration = Duration::from_secs(2);

/// Opens the workplace in `data_dir` and runs the window until it closes.
/// `idle_lock` replaces the workplace's idle-lock setting. A data file that
/// cannot be opened still gets a window, which says what is wrong.
pub fn run(data_dir: &Path, idle_lock: Option<Duration>) -> Result<(), String> {
    // The folder is locked now; the file is opened (migrations, integrity
    // check) on a thread of its own while the window is made. Every command
    // waits for it, so the first screen comes when the checks are done; the
    // opening thread says on standard error if the file cannot be used.
    let state = AppState::open(data_dir, idle_lock);
    let backup_dir = data_dir.to_path_buf();
    let single_instance = tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance_id(data_dir))
        .callback(|app, _args, _cwd| {
            // A second start on the same data file brings this window
            // forward instead of opening the file twice.
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        })
        .build();
    builder(
        Builder::default()
            .plugin(single_instance)
            .plugin(tauri_plugin_dialog::init()),
    )
    .manage(state)
    .on_page_load(|_, page| startup_mark(&format!("page {:?}", page.event())))
    .setup(move |app| {
        startup_mark("setup (window made)");
        // Keys leave memory when the time is up, not only when the next
        // command happens to arrive.
        let handle = app.handle().clone();
        // A panic anywhere (a command's is also answered `internal`): the
        // window says something went wrong instead of waiting silently.
        let crashed = handle.clone();
        support_log::on_panic(move || {
            let crashed = crashed.clone();
            std::thread::spawn(move || {
                let log = support_log::current_dir().map(|d| d.display().to_string());
                let _ = crashed.emit("crashed", log);
            });
        });
        let idle = handle.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(IDLE_CHECK);
            if idle.state::<AppState>().lock_if_idle() {
                let _ = idle.emit("locked", ());
            }
        });
        daily_backup(handle, backup_dir);
        Ok(())
    })
    .run(tauri::generate_context!())
    .map_err(|e| format!("the window failed: {e}"))
}

/// Today's automatic backup, once the window is up so it never delays the
/// first screen, and only of a file that opened for writing (it waits for
/// the opening to finish). A failure is reported, never fatal: the data
/// file itself is untouched by it.
fn daily_backup<R: Runtime>(app: tauri::AppHandle<R>, dir: std::path::PathBuf) {
    std::thread::spawn(move || {
        std::thread::sleep(AUTO_BACKUP_DELAY);
        let state = app.state::<AppState>();
        if state.open_error().is_some() || state.read_only().is_some() {
            return;
        }
        let keep = tillid_core::store::backup::DEFAULT_KEEP;
        match tillid_core::store::backup::daily_backup(&dir, chrono::Utc::now(), keep) {
            Ok(Some(path)) => {
                tracing::info!(file = %path.display(), "automatic backup made");
                eprintln!("tillid: automatic backup {}", path.display())
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(code = e.code(), "the automatic backup failed: {e}");
                eprintln!("tillid: the automatic backup failed: {e}")
            }
        }
    });
}

/// How long after start-up the automatic backup waits.
const AUTO_BACKUP_DELAY: Duration = Duration::from_secs(5);

/// One running instance per data directory: two folders (a test's, a
/// shared folder's) may be open side by side, the same one never twice.
fn instance_id(data_dir: &Path) -> String {
    let canonical = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_path_buf());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    canonical.hash(&mut hasher);
    format!("dk.tillid.app.data{:016x}", hasher.finish())
}

/// With `TILLID_STARTUP_TRACE=1`, writes to standard error how long after
/// the first mark (the start of `main`) each start-up milestone came, as
/// `tillid: startup    12.3 ms what`; read by scripts/bench-startup.sh.
pub fn startup_mark(what: &str) {
    static START: std::sync::OnceLock<Option<std::time::Instant>> = std::sync::OnceLock::new();
    let start = START.get_or_init(|| {
        (std::env::var_os("TILLID_STARTUP_TRACE").is_some_and(|v| v == "1"))
            .then(std::time::Instant::now)
    });
    if let Some(start) = start {
        let ms = start.elapsed().as_secs_f64() * 1e3;
        eprintln!("tillid: startup {ms:>8.1} ms {what}");
    }
}
