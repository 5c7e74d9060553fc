use serde::Serialize;
use tauri::State;
use tillid_core::service::{Me, SignInChoice, WorkplaceInfo};

use tillid_core::store::ReadOnlyReason;

use super::arg::{Arg, Secret};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Serialize)]
pub struct StatusView {
    workplace: Option<WorkplaceInfo>,
    people: Vec<SignInChoice>,
    me: Option<Me>,
    /// The data file's path, for the read-only banner and the error screen.
    data_file: String,
    /// Set when the data can only be read: `folder` or `file`.
    read_only: Option<ReadOnlyReason>,
    /// Set when the data file could not be opened at all; every other
    /// command then returns this same error.
    open_error: Option<ApiError>,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn app_status(state: State<'_, AppState>) -> ApiResult<StatusView> {
    crate::startup_mark("app_status called");
    let data_file = state.data_file().display().to_string();
    // Waits, like every command, until the data file's opening (migrations,
    // integrity check) has finished.
    if let Some(e) = state.open_error() {
        return Ok(StatusView {
            workplace: None,
            people: Vec::new(),
            me: None,
            data_file,
            read_only: None,
            open_error: Some(e.clone()),
        });
    }
    let me = match state.current() {
        Some(_) => state.signed_in(|t, a| t.me(a)).ok(),
        None => None,
    };
    let status = state.anyone(|t| t.status())?;
    let idle = state.idle_lock_seconds();
    crate::startup_mark("app_status answered");
    Ok(StatusView {
        workplace: status.workplace.map(|w| WorkplaceInfo {
            idle_lock_seconds: idle,
            ..w
        }),
        people: status.people,
        me,
        data_file,
        read_only: state.read_only(),
        open_error: None,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn setup_workplace(
    state: State<'_, AppState>,
    workplace_name: Arg<String>,
    admin_name: Arg<String>,
    passphrase: Arg<Secret>,
) -> ApiResult<Me> {
    state.sign_in_with(
        |t| t.setup_workplace(&workplace_name, &admin_name, &passphrase),
        |t, a| t.me(a),
    )
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_in(
    state: State<'_, AppState>,
    person_id: Arg<i64>,
    passphrase: Arg<Secret>,
) -> ApiResult<Me> {
    state.sign_in_with(|t| t.sign_in(*person_id, &passphrase), |t, a| t.me(a))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn redeem_setup_code(
    state: State<'_, AppState>,
    person_id: Arg<i64>,
    setup_code: Arg<Secret>,
    passphrase: Arg<Secret>,
) -> ApiResult<Me> {
    state.sign_in_with(
        |t| t.redeem_setup_code(*person_id, &setup_code, &passphrase),
        |t, a| t.me(a),
    )
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_out(state: State<'_, AppState>) -> ApiResult<()> {
    state.sign_out();
    Ok(())
}

/// The person is still at the keyboard (typing counts, not only saving).
#[tauri::command(rename_all = "snake_case")]
pub async fn touch(state: State<'_, AppState>) -> ApiResult<()> {
    state.signed_in(|_, _| Ok(()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recover_with_code(
    state: State<'_, AppState>,
    person_id: Arg<i64>,
    recovery_code: Arg<Secret>,
    passphrase: Arg<Secret>,
) -> ApiResult<Me> {
    state.sign_in_with(
        |t| t.recover_with_code(*person_id, &recovery_code, &passphrase),
        |t, a| t.me(a),
    )
}

#[derive(Serialize)]
pub struct RecoveryCode {
    recovery_code: String,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_recovery_code(state: State<'_, AppState>) -> ApiResult<RecoveryCode> {
    let recovery_code = state.signed_in(|t, a| t.create_recovery_code(a))?;
    Ok(RecoveryCode { recovery_code })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: Arg<Secret>,
    passphrase: Arg<Secret>,
) -> ApiResult<()> {
    state.signed_in(|t, a| t.change_passphrase(a, &current, &passphrase))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_my_locale(state: State<'_, AppState>, locale: Arg<String>) -> ApiResult<Me> {
    state.signed_in(|t, a| t.set_locale(a, &locale))
}
