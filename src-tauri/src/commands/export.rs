//! Data rights (GDPR art. 15 and 20): the signed-in person's own export, and
//! a manager's export about an employee for an access request. The core
//! gathers what the person may read and packs the zip; the shell asks where
//! to save it (`files::save_as`, written whole) and reports progress as
//! `progress` events with `task: "export"`.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::json;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tillid_core::Error;

use super::arg::Arg;
use super::files::{save_as, Kind};
use crate::error::ApiResult;
use crate::state::AppState;

/// Set by `cancel_export`; every export clears it when it starts and
/// checks it between dialogues. Nothing is written until the zip is whole.
static CANCEL: AtomicBool = AtomicBool::new(false);

const ZIP: Kind = Kind {
    name: "Zip",
    extensions: &["zip"],
};

#[derive(Serialize)]
pub struct Exported {
    /// Where the file was saved; None when the person closed the dialog.
    path: Option<String>,
    /// Dialogues in the export.
    dialogues: usize,
}

/// The export's suggested file name and bytes, as `about` says (None: the
/// signed-in person's own).
pub fn build(
    state: &AppState,
    about: Option<i64>,
    progress: &mut dyn FnMut(tillid_core::store::backup::Progress) -> bool,
) -> ApiResult<(String, Vec<u8>, usize)> {
    state.signed_in(|t, a| {
        let data = t.export_data(a, about, progress)?;
        let bytes = tillid_core::export::zip(&data)?;
        Ok((
            tillid_core::export::file_name(&data),
            bytes,
            data.dialogues.len(),
        ))
    })
}

fn export<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    about: Option<i64>,
) -> ApiResult<Exported> {
    CANCEL.store(false, Ordering::SeqCst);
    let (name, bytes, dialogues) = build(state, about, &mut |p| {
        let _ = app.emit(
            "progress",
            json!({ "task": "export", "stage": null, "done": p.done, "total": p.total }),
        );
        !CANCEL.load(Ordering::SeqCst)
    })?;
    // Without the dialog plugin (the mock runtime of the shell's tests)
    // there is nowhere to ask: as if the person closed the dialog.
    if app.try_state::<tauri_plugin_dialog::Dialog<R>>().is_none() {
        return Ok(Exported {
            path: None,
            dialogues,
        });
    }
    let path = save_as(app, &name, &ZIP, &bytes)?;
    Ok(Exported {
        path: path.map(|p| p.display().to_string()),
        dialogues,
    })
}

/// Everything held about the signed-in person.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_my_data<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> ApiResult<Exported> {
    export(&app, &state, None)
}

/// Everything held about an employee, for their manager (by the verified
/// roster) answering an access request. `confirmed` says the person read
/// the warning that their own private notes about the employee go with it.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_about<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    person_id: Arg<i64>,
    confirmed: Arg<bool>,
) -> ApiResult<Exported> {
    if !*confirmed {
        return Err(Error::InvalidInput { field: "confirmed" }.into());
    }
    export(&app, &state, Some(*person_id))
}

/// Stops a running export before anything is saved.
#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_export() -> ApiResult<()> {
    CANCEL.store(true, Ordering::SeqCst);
    Ok(())
}
