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
        // The support log gets the code; the message only where it is about
        // the file or the disk (an SQLite or I/O message), never about text.
        let code = e.code();
        if FILE_CODES.contains(&code) {
            tracing::warn!(code, "error: {e}");
        } else {
            tracing::info!(code, "refused");
        }
        ApiError {
            code: e.code(),
            message: e.to_string(),
            params: e.params(),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Codes whose message is about the data file or the disk, safe to log.
const FILE_CODES: &[&str] = &[
    "storage",
    "disk_full",
    "read_only",
    "not_a_database",
    "damaged",
    "newer_version",
    "in_use",
    "integrity",
];

impl ApiError {
    /// A command panicked (a bug in Tillid): the panic hook has written its
    /// message and location to the log in `log_dir`; the window shows
    /// "something went wrong" with where the log is.
    pub fn internal(log_dir: Option<&std::path::Path>) -> Self {
        let log = log_dir.map(|d| d.display().to_string()).unwrap_or_default();
        ApiError {
            code: "internal",
            message: format!("something went wrong inside Tillid; the log in {log} says what"),
            params: serde_json::json!({ "log": log }),
        }
    }
}
