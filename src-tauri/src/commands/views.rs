use tauri::State;
use tillid_core::service::{
    Draft, DraftView, Home, Overview, Relationship, RelationshipHistory, SearchHit,
};

use super::arg::Arg;
use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn home(state: State<'_, AppState>) -> ApiResult<Home> {
    state.signed_in(|t, a| t.home(a))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn search(state: State<'_, AppState>, query: Arg<String>) -> ApiResult<Vec<SearchHit>> {
    state.signed_in(|t, a| t.search(a, &query))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn relationships(state: State<'_, AppState>) -> ApiResult<Vec<Relationship>> {
    state.signed_in(|t, a| t.relationships(a))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn relationship_history(
    state: State<'_, AppState>,
    person_id: Arg<Option<i64>>,
    group_id: Arg<Option<i64>>,
) -> ApiResult<RelationshipHistory> {
    state.signed_in(|t, a| t.relationship_history(a, *person_id, *group_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn manager_overview(
    state: State<'_, AppState>,
    order: Arg<Option<String>>,
) -> ApiResult<Overview> {
    state.signed_in(|t, a| t.manager_overview(a, order.as_deref().unwrap_or("name")))
}

/// The employee's decision: may their new manager read the dialogues with
/// `old_manager_id` and take over what that manager owned?
#[tauri::command(rename_all = "snake_case")]
pub async fn decide_handover(
    state: State<'_, AppState>,
    old_manager_id: Arg<i64>,
    share: Arg<bool>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.decide_handover(a, *old_manager_id, *share))
}

/// Just before the idle lock: the unsaved fields, sealed with the person's
/// own key (an empty list forgets them).
#[tauri::command(rename_all = "snake_case")]
pub async fn save_drafts(state: State<'_, AppState>, drafts: Arg<Vec<Draft>>) -> ApiResult<()> {
    state.signed_in(|t, a| t.save_drafts(a, &drafts))
}

/// After sign-in: what the person was typing when the lock came, once.
#[tauri::command(rename_all = "snake_case")]
pub async fn take_drafts(state: State<'_, AppState>) -> ApiResult<Vec<DraftView>> {
    state.signed_in(|t, a| t.take_drafts(a))
}
