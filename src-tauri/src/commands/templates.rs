//! Templates and preparation: a few lines each over the core.

use tauri::State;
use tillid_core::service::{Preparation, TemplateSummary, TemplateView};
use tillid_core::templates::Template;

use super::admin::Created;
use super::arg::Arg;
use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn list_templates(state: State<'_, AppState>) -> ApiResult<Vec<TemplateSummary>> {
    state.signed_in(|t, a| t.list_templates(a))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_template(state: State<'_, AppState>, key: Arg<String>) -> ApiResult<TemplateView> {
    state.signed_in(|t, a| t.get_template(a, &key))
}

#[derive(serde::Serialize)]
pub struct Saved {
    key: String,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_template(
    state: State<'_, AppState>,
    key: Arg<Option<String>>,
    template: Arg<Template>,
) -> ApiResult<Saved> {
    let key = state.signed_in(|t, a| t.save_template(a, key.as_deref(), &template))?;
    Ok(Saved { key })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reset_template(state: State<'_, AppState>, key: Arg<String>) -> ApiResult<()> {
    state.signed_in(|t, a| t.reset_template(a, &key))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_preparation(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
) -> ApiResult<Option<Preparation>> {
    state.signed_in(|t, a| t.get_preparation(a, *dialogue_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn answer_question(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    section: Arg<usize>,
    question: Arg<usize>,
    text: Arg<String>,
) -> ApiResult<Created> {
    let id =
        state.signed_in(|t, a| t.answer_question(a, *dialogue_id, *section, *question, &text))?;
    Ok(Created::new(id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn share_answer(state: State<'_, AppState>, answer_id: Arg<i64>) -> ApiResult<Created> {
    let id = state.signed_in(|t, a| t.share_answer(a, *answer_id))?;
    Ok(Created::new(id))
}
