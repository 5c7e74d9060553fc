//! A dialogue's summary to print or save, and calendar files. The core
//! builds each file whole; the shell asks where to save it (outside the
//! session lock, so a save dialog left open blocks no one) and writes it.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tillid_core::documents::Lang;
use tillid_core::service::print::{Scope, SummaryDoc};

use super::arg::Arg;
use super::files::{save_as, Kind};
use crate::error::ApiResult;
use crate::state::AppState;

const HTML: Kind = Kind {
    name: "HTML",
    extensions: &["html", "htm"],
};
const ICS: Kind = Kind {
    name: "iCalendar",
    extensions: &["ics"],
};

#[derive(Serialize)]
pub struct Saved {
    /// Where the file was written; null when the dialog was closed.
    path: Option<String>,
}

fn scope_of(scope: Option<String>) -> tillid_core::Result<Option<Scope>> {
    scope.as_deref().map(Scope::parse).transpose()
}

fn saved<R: Runtime>(app: &AppHandle<R>, name: &str, kind: &Kind, text: &str) -> ApiResult<Saved> {
    let path = save_as(app, name, kind, text.as_bytes())?;
    Ok(Saved {
        path: path.map(|p| p.display().to_string()),
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn dialogue_summary(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    scope: Arg<Option<String>>,
) -> ApiResult<SummaryDoc> {
    let scope = scope_of(scope.into_inner())?;
    state.signed_in(|t, a| t.dialogue_summary(a, *dialogue_id, scope))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_summary<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    scope: Arg<Option<String>>,
    locale: Arg<String>,
) -> ApiResult<Saved> {
    let scope = scope_of(scope.into_inner())?;
    let lang = Lang::parse(&locale)?;
    let html = state.signed_in(|t, a| t.summary_html(a, *dialogue_id, scope, lang))?;
    saved(&app, &format!("tillid-{}.html", *dialogue_id), &HTML, &html)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_dialogue_calendar<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    locale: Arg<String>,
) -> ApiResult<Saved> {
    let lang = Lang::parse(&locale)?;
    let ics = state.signed_in(|t, a| t.dialogue_calendar(a, *dialogue_id, lang))?;
    saved(&app, &format!("tillid-{}.ics", *dialogue_id), &ICS, &ics)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_upcoming_calendar<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    locale: Arg<String>,
) -> ApiResult<Saved> {
    let lang = Lang::parse(&locale)?;
    let ics = state.signed_in(|t, a| t.upcoming_calendar(a, lang))?;
    saved(&app, "tillid.ics", &ICS, &ics)
}
