//! Rule reports and good cases: the workplace-wide part of issue 7.

use tauri::State;
use tillid_core::service::{CaseInput, CaseView, RuleReports};

use super::admin::Created;
use super::arg::Arg;
use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn rule_reports(state: State<'_, AppState>) -> ApiResult<RuleReports> {
    state.signed_in(|t, a| t.rule_reports(a))
}

/// Returns nothing: an anonymous report's id is not handed back either.
#[tauri::command(rename_all = "snake_case")]
pub async fn report_rule(
    state: State<'_, AppState>,
    text: Arg<String>,
    anonymous: Arg<bool>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.report_rule(a, &text, *anonymous).map(drop))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_rule_status(
    state: State<'_, AppState>,
    report_id: Arg<i64>,
    status: Arg<String>,
    reason: Arg<Option<String>>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.set_rule_status(a, *report_id, &status, reason.as_deref()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn take_rule_to_grus(
    state: State<'_, AppState>,
    report_id: Arg<i64>,
    dialogue_id: Arg<i64>,
) -> ApiResult<Created> {
    let id = state.signed_in(|t, a| t.take_rule_to_grus(a, *report_id, *dialogue_id))?;
    Ok(Created::new(id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn cases(state: State<'_, AppState>) -> ApiResult<Vec<CaseView>> {
    state.signed_in(|t, a| t.cases(a))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn search_cases(
    state: State<'_, AppState>,
    query: Arg<String>,
) -> ApiResult<Vec<CaseView>> {
    state.signed_in(|t, a| t.search_cases(a, &query))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_case(
    state: State<'_, AppState>,
    title: Arg<String>,
    text: Arg<String>,
    shared: Arg<bool>,
    dialogue_id: Arg<Option<i64>>,
) -> ApiResult<Created> {
    let input = CaseInput {
        title: title.into_inner(),
        text: text.into_inner(),
        shared: *shared,
        dialogue_id: *dialogue_id,
    };
    let id = state.signed_in(|t, a| t.add_case(a, &input))?;
    Ok(Created::new(id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_case(
    state: State<'_, AppState>,
    case_id: Arg<i64>,
    title: Arg<String>,
    text: Arg<String>,
    shared: Arg<bool>,
    dialogue_id: Arg<Option<i64>>,
) -> ApiResult<()> {
    let input = CaseInput {
        title: title.into_inner(),
        text: text.into_inner(),
        shared: *shared,
        dialogue_id: *dialogue_id,
    };
    state.signed_in(|t, a| t.update_case(a, *case_id, &input))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_case_shared(
    state: State<'_, AppState>,
    case_id: Arg<i64>,
    shared: Arg<bool>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.set_case_shared(a, *case_id, *shared))
}
