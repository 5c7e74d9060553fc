//! Errors as the UI receives them: `{code, message, params}`. The UI
//! translates by `code`; `message` is the English fallback.

use serde::Serialize;
use serde_json::Value;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
    pub params: Value,
}

impl From<tillid_core::Error> for ApiError {
    fn from(e: tillid_core::Error) -> Self {
        ApiError {
            code: e.code(),
            message: e.to_string(),
            params: e.params(),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
