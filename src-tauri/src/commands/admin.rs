use serde::Serialize;
use tauri::State;
use tillid_core::service::{
    GroupInput, GroupView, NewPerson, PersonAdminView, PersonDeletion, RetentionPlan, RetentionRule,
};

use super::arg::Arg;
use crate::error::ApiResult;
use crate::state::AppState;

/// The id of something just made.
#[derive(Serialize)]
pub struct Created {
    id: i64,
}

impl Created {
    pub fn new(id: i64) -> Self {
        Created { id }
    }
}

#[derive(Serialize)]
pub struct SetupCode {
    setup_code: String,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_people(state: State<'_, AppState>) -> ApiResult<Vec<PersonAdminView>> {
    state.signed_in(|t, a| t.list_people(a))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_person(
    state: State<'_, AppState>,
    name: Arg<String>,
    is_admin: Arg<bool>,
    manager_id: Arg<Option<i64>>,
) -> ApiResult<NewPerson> {
    state.signed_in(|t, a| t.add_person(a, &name, *is_admin, *manager_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_manager(
    state: State<'_, AppState>,
    person_id: Arg<i64>,
    manager_id: Arg<Option<i64>>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.set_manager(a, *person_id, *manager_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_admin(
    state: State<'_, AppState>,
    person_id: Arg<i64>,
    is_admin: Arg<bool>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.set_admin(a, *person_id, *is_admin))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn issue_setup_code(
    state: State<'_, AppState>,
    person_id: Arg<i64>,
) -> ApiResult<SetupCode> {
    let setup_code = state.signed_in(|t, a| t.issue_setup_code(a, *person_id))?;
    Ok(SetupCode { setup_code })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reset_passphrase(
    state: State<'_, AppState>,
    person_id: Arg<i64>,
) -> ApiResult<SetupCode> {
    let setup_code = state.signed_in(|t, a| t.reset_passphrase(a, *person_id))?;
    Ok(SetupCode { setup_code })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_idle_lock(state: State<'_, AppState>, minutes: Arg<i64>) -> ApiResult<()> {
    state.signed_in(|t, a| t.set_idle_lock(a, *minutes))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_groups(state: State<'_, AppState>) -> ApiResult<Vec<GroupView>> {
    state.signed_in(|t, a| t.list_groups(a))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_group(
    state: State<'_, AppState>,
    group_id: Arg<Option<i64>>,
    name: Arg<String>,
    leader_id: Arg<i64>,
    member_ids: Arg<Vec<i64>>,
) -> ApiResult<Created> {
    let input = GroupInput {
        group_id: *group_id,
        name: name.into_inner(),
        leader_id: *leader_id,
        member_ids: member_ids.into_inner(),
    };
    let id = state.signed_in(|t, a| t.save_group(a, &input))?;
    Ok(Created::new(id))
}

/// Someone has left the workplace: gone from sign-in and planning, their
/// history kept.
#[tauri::command(rename_all = "snake_case")]
pub async fn mark_left(state: State<'_, AppState>, person_id: Arg<i64>) -> ApiResult<()> {
    state.signed_in(|t, a| t.mark_left(a, *person_id))
}

/// Someone who had left is back.
#[tauri::command(rename_all = "snake_case")]
pub async fn mark_returned(state: State<'_, AppState>, person_id: Arg<i64>) -> ApiResult<()> {
    state.signed_in(|t, a| t.mark_returned(a, *person_id))
}

/// What deleting old data would remove, counted, for an administrator to
/// confirm before anything goes.
#[tauri::command(rename_all = "snake_case")]
pub async fn retention_preview(
    state: State<'_, AppState>,
    years: Arg<Option<u32>>,
    private_notes_after_newer: Arg<bool>,
) -> ApiResult<RetentionPlan> {
    let rule = retention_rule(*years, *private_notes_after_newer);
    state.signed_in(|t, a| t.retention_preview(a, &rule))
}

/// Deletes exactly what the confirmed preview listed.
#[tauri::command(rename_all = "snake_case")]
pub async fn apply_retention(
    state: State<'_, AppState>,
    years: Arg<Option<u32>>,
    private_notes_after_newer: Arg<bool>,
    plan: Arg<RetentionPlan>,
) -> ApiResult<RetentionPlan> {
    let rule = retention_rule(*years, *private_notes_after_newer);
    state.signed_in(|t, a| t.apply_retention(a, &rule, &plan))
}

/// The workplace's retention setting, as the signed roster carries it.
#[tauri::command(rename_all = "snake_case")]
pub async fn retention_setting(state: State<'_, AppState>) -> ApiResult<RetentionRule> {
    state.signed_in(|t, a| t.retention_setting(a))
}

/// Saves the retention setting as a fact the administrator signs; deletes
/// nothing.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_retention_setting(
    state: State<'_, AppState>,
    years: Arg<Option<u32>>,
    private_notes_after_newer: Arg<bool>,
) -> ApiResult<()> {
    let rule = retention_rule(*years, *private_notes_after_newer);
    state.signed_in(|t, a| t.save_retention_setting(a, &rule))
}

/// What deleting someone who left would remove and keep, counted.
#[tauri::command(rename_all = "snake_case")]
pub async fn person_deletion_preview(
    state: State<'_, AppState>,
    person_id: Arg<i64>,
) -> ApiResult<PersonDeletion> {
    state.signed_in(|t, a| t.person_deletion_preview(a, *person_id))
}

/// Deletes exactly what the confirmed preview listed.
#[tauri::command(rename_all = "snake_case")]
pub async fn delete_person(state: State<'_, AppState>, plan: Arg<PersonDeletion>) -> ApiResult<()> {
    state.signed_in(|t, a| t.delete_person(a, &plan))
}

/// The retention rule as the Settings form sends it.
fn retention_rule(years: Option<u32>, private_notes_after_newer: bool) -> RetentionRule {
    RetentionRule {
        years,
        private_notes_after_newer,
    }
}
