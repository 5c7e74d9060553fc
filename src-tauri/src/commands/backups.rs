//! Backups from the window: make one, list them, restore one. Long copies
//! report progress as `progress` events, so the page can show a bar.

use serde::Serialize;
use serde_json::json;
use tauri::{AppHandle, Emitter, Runtime, State};
use tillid_core::store::backup::{BackupEntry, BackupFacts, Progress, Stage};

use super::arg::Arg;
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Serialize)]
pub struct BackedUp {
    /// Where the backup was written, to show the person.
    path: String,
}

#[derive(Serialize)]
pub struct RestoredView {
    facts: BackupFacts,
    /// Where the data as it was before is kept.
    kept: Option<String>,
    /// The window starts again to open the restored file.
    restarting: bool,
}

fn progress<R: Runtime>(app: &AppHandle<R>, task: &str, stage: Option<Stage>, p: Progress) {
    let _ = app.emit(
        "progress",
        json!({ "task": task, "stage": stage, "done": p.done, "total": p.total }),
    );
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_backups(state: State<'_, AppState>) -> ApiResult<Vec<BackupEntry>> {
    state.list_backups()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn back_up_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> ApiResult<BackedUp> {
    let path = state.back_up_now(&mut |p| {
        progress(&app, "backup", None, p);
        true
    })?;
    Ok(BackedUp {
        path: path.display().to_string(),
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn restore_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: Arg<String>,
) -> ApiResult<RestoredView> {
    let (restored, restart) = state.restore_backup(&name, &mut |stage, p| {
        progress(&app, "restore", Some(stage), p);
        true
    })?;
    if restart {
        // The answer reaches the page first, then the window opens the
        // restored file from the start.
        let app = app.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            app.restart();
        });
    }
    Ok(RestoredView {
        facts: restored.facts,
        kept: restored.kept.map(|p| p.display().to_string()),
        restarting: restart,
    })
}
