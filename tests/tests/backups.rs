//! Moving to a new laptop: an administrator makes a backup in Settings, the
//! backup is restored with `tillid restore` into an empty data folder (the
//! new laptop), and the app started there shows the same workplace and the
//! same dialogue content.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};

use support::flows::*;
use support::{app_binary, run, run_prepared, SLOW_TIMEOUT};

const MADE: &str = "The backup was saved in"; // backups.made

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_made_in_the_window_restores_from_the_command_line() {
    let keep = tempfile::tempdir().expect("a folder for the copy");
    let copy = keep.path().join("moved.sqlite3");
    let marker = unique("Backup-marker");

    let (to, text) = (copy.clone(), marker.clone());
    run("backup_in_window", move |app| async move {
        admin_plans_with_erik(&app).await;
        add_agenda_point(&app, &text).await;
        app.click("nav-settings").await;
        app.wait_for("settings-backups").await;
        app.step("settings-backups").await;
        app.click("backup-now").await;
        let status = app
            .wait_text_within(
                r#"css:[data-testid="settings-backups"] [data-testid="form-status"]"#,
                MADE,
                SLOW_TIMEOUT,
            )
            .await;
        app.wait_for("backup-item").await;
        app.js("document.querySelector('[data-testid=\"backup-list\"]').scrollIntoView(); return true;")
            .await;
        app.step("backup-made").await;
        // The status names the file; the test keeps a copy of it, as one
        // would carry it to the new laptop on a stick.
        let path = status
            .strip_prefix(MADE)
            .map(|p| p.trim().trim_end_matches('.'))
            .expect("the status names the backup file");
        std::fs::copy(path, &to).expect("the backup file the window named exists");
        let listed = app.texts("backup-item").await;
        assert!(
            listed.iter().any(|b| b.contains("Made by an administrator")),
            "the list shows the new backup: {listed:?}"
        ); // backups.kinds.manual
    })
    .await;

    let restored: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
    let slot = restored.clone();
    let from: PathBuf = copy.clone();
    run_prepared(
        "backup_restored_elsewhere",
        move |dir| {
            let out = Command::new(app_binary())
                .arg("--data-dir")
                .arg(dir)
                .args(["restore", "--from"])
                .arg(&from)
                .output()
                .expect("tillid restore runs");
            assert!(
                out.status.success(),
                "tillid restore failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            *slot.lock().expect("slot") = Some(String::from_utf8_lossy(&out.stdout).into());
        },
        &[],
        move |app| async move {
            let said = restored.lock().expect("slot").take().unwrap_or_default();
            assert!(said.starts_with("Restored "), "{said}");
            app.wait_for("lang-select").await;
            app.select("lang-select", "en").await;
            sign_in(&app, ADMIN, ADMIN_PASS).await;
            open_dialogue_from_home(&app, "home-upcoming", EMPLOYEE).await;
            app.wait_text("agenda-text", &marker).await;
            app.step("restored-dialogue").await;
        },
    )
    .await;
}
