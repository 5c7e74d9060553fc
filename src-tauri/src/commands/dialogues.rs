use tauri::State;
use tillid_core::service::{AgreementInput, DialogueView, PlanInput, PlanOptions, RequestInput};

use super::admin::Created;
use super::arg::Arg;
use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn plan_options(state: State<'_, AppState>) -> ApiResult<PlanOptions> {
    state.signed_in(|t, a| t.plan_options(a))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn plan_dialogue(
    state: State<'_, AppState>,
    person_id: Arg<Option<i64>>,
    group_id: Arg<Option<i64>>,
    kind: Arg<Option<String>>,
    scheduled_at: Arg<String>,
    template: Arg<Option<String>>,
) -> ApiResult<Created> {
    let input = PlanInput {
        person_id: *person_id,
        group_id: *group_id,
        kind: kind.into_inner(),
        scheduled_at: scheduled_at.into_inner(),
    };
    let id = state.signed_in(|t, a| t.plan_dialogue_with(a, &input, template.as_deref()))?;
    Ok(Created::new(id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reschedule_dialogue(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    scheduled_at: Arg<String>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.reschedule_dialogue(a, *dialogue_id, &scheduled_at))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_dialogue(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
) -> ApiResult<DialogueView> {
    state.signed_in(|t, a| t.get_dialogue(a, *dialogue_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_agenda_item(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    text: Arg<String>,
) -> ApiResult<Created> {
    let id = state.signed_in(|t, a| t.add_agenda_item(a, *dialogue_id, &text))?;
    Ok(Created::new(id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_agenda_status(
    state: State<'_, AppState>,
    item_id: Arg<i64>,
    status: Arg<String>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.set_agenda_status(a, *item_id, &status))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_agenda_item(state: State<'_, AppState>, item_id: Arg<i64>) -> ApiResult<()> {
    state.signed_in(|t, a| t.remove_agenda_item(a, *item_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_note(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    text: Arg<String>,
    private: Arg<bool>,
) -> ApiResult<Created> {
    let id = state.signed_in(|t, a| t.add_note(a, *dialogue_id, &text, *private))?;
    Ok(Created::new(id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_note(
    state: State<'_, AppState>,
    note_id: Arg<i64>,
    text: Arg<String>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.update_note(a, *note_id, &text))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_note(state: State<'_, AppState>, note_id: Arg<i64>) -> ApiResult<()> {
    state.signed_in(|t, a| t.delete_note(a, *note_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_agreement(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    text: Arg<String>,
    owner_person_id: Arg<Option<i64>>,
    follow_up_on: Arg<Option<String>>,
    if_then: Arg<Option<String>>,
) -> ApiResult<Created> {
    let input = AgreementInput {
        text: text.into_inner(),
        owner_person_id: *owner_person_id,
        follow_up_on: follow_up_on.into_inner(),
        if_then: if_then.into_inner(),
    };
    let id = state.signed_in(|t, a| t.add_agreement(a, *dialogue_id, &input))?;
    Ok(Created::new(id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_agreement(
    state: State<'_, AppState>,
    agreement_id: Arg<i64>,
    text: Arg<String>,
    owner_person_id: Arg<Option<i64>>,
    follow_up_on: Arg<Option<String>>,
    if_then: Arg<Option<String>>,
) -> ApiResult<()> {
    let input = AgreementInput {
        text: text.into_inner(),
        owner_person_id: *owner_person_id,
        follow_up_on: follow_up_on.into_inner(),
        if_then: if_then.into_inner(),
    };
    state.signed_in(|t, a| t.edit_agreement(a, *agreement_id, &input))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_agreement_state(
    app: State<'_, AppState>,
    agreement_id: Arg<i64>,
    state: Arg<String>,
    comment: Arg<Option<String>>,
) -> ApiResult<()> {
    app.signed_in(|t, a| t.set_agreement_state(a, *agreement_id, &state, comment.as_deref()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn mark_held(state: State<'_, AppState>, dialogue_id: Arg<i64>) -> ApiResult<()> {
    state.signed_in(|t, a| t.mark_held(a, *dialogue_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn confirm_summary(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    version: Arg<i64>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.confirm_summary(a, *dialogue_id, *version))
}

// The follow-up cycle: cancelling, and requests for a dialogue.

#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_dialogue(
    state: State<'_, AppState>,
    dialogue_id: Arg<i64>,
    reason: Arg<Option<String>>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.cancel_dialogue(a, *dialogue_id, reason.as_deref()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn request_dialogue(
    state: State<'_, AppState>,
    kind: Arg<String>,
    reason: Arg<Option<String>>,
) -> ApiResult<Created> {
    let input = RequestInput {
        kind: kind.into_inner(),
        reason: reason.into_inner(),
    };
    let id = state.signed_in(|t, a| t.request_dialogue(a, &input))?;
    Ok(Created::new(id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn answer_request(
    state: State<'_, AppState>,
    request_id: Arg<i64>,
    answer: Arg<String>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.answer_request(a, *request_id, &answer))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn plan_requested_dialogue(
    state: State<'_, AppState>,
    request_id: Arg<i64>,
    kind: Arg<Option<String>>,
    scheduled_at: Arg<String>,
) -> ApiResult<Created> {
    let id = state.signed_in(|t, a| {
        t.plan_requested_dialogue(a, *request_id, kind.as_deref(), &scheduled_at)
    })?;
    Ok(Created::new(id))
}
