//! One error type for everything the core refuses or fails at. Each variant
//! has a stable `code` that crosses to the UI, which translates it; the
//! `Display` text is an English fallback for logs and the CLI.

use serde_json::{json, Value};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("nobody is signed in")]
    NotSignedIn,
    #[error("you are not allowed to do that")]
    Forbidden,
    #[error("no such {what}")]
    NotFound { what: &'static str },
    #[error("{field} must not be empty")]
    EmptyText { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TextTooLong { field: &'static str, max: usize },
    #[error("{field} is not a valid date")]
    InvalidDate { field: &'static str },
    #[error("{field} is not valid")]
    InvalidInput { field: &'static str },
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("the passphrase must have at least {min} characters")]
    WeakPassphrase { min: usize },
    #[error("this person has not chosen a passphrase yet; use the setup code")]
    SetupPending,
    #[error("the setup code is wrong or already used")]
    BadSetupCode,
    #[error("the workplace is already set up")]
    AlreadySetUp,
    #[error("the workplace is not set up yet")]
    NotSetUp,
    #[error("not possible while the dialogue is {state}")]
    WrongState { state: &'static str },
    #[error("the summary has changed since you opened it")]
    SummaryChanged,
    #[error("the workplace needs at least one administrator")]
    LastAdmin,
    #[error("{field} is already in use")]
    DuplicateName { field: &'static str },
    #[error("the owner must take part in the dialogue")]
    InvalidOwner,
    #[error("that manager would make a loop")]
    InvalidManager,
    #[error("stored data failed its integrity check")]
    Integrity,
    #[error("too many wrong passphrases; try again in {seconds} seconds")]
    TryLater { seconds: i64 },
    #[error("wrong passphrase")]
    WrongPassphraseWait { wait_seconds: i64 },
    #[error("locked after {minutes} minutes without activity")]
    Locked { minutes: i64 },
    #[error("the key to this content reaches you when one of {names} next signs in")]
    KeyPending { names: String },
    #[error("the recovery code is wrong")]
    BadRecoveryCode,
    #[error("the disk is full: free some space, then try again; nothing already saved was lost")]
    DiskFull,
    #[error("the data can only be read here, so nothing was saved")]
    ReadOnly,
    #[error("the file is not a Tillid data file")]
    NotADatabase,
    #[error("the data file is damaged")]
    Damaged,
    #[error(
        "the data file was written by a newer Tillid (schema {found}, this one knows {known})"
    )]
    NewerVersion { found: i64, known: i64 },
    #[error("{name} has left the workplace")]
    HasLeft { name: String },
    #[error("{name} still has a role to hand over first ({role})")]
    StillResponsible { name: String, role: &'static str },
    #[error("{name} must be marked as having left before their data can be deleted")]
    NotLeft { name: String },
    #[error("Tillid is open on this data folder; close it first")]
    InUse,
    #[error("cancelled; nothing was changed")]
    Cancelled,
    #[error("storage error: {0}")]
    Storage(String),
    #[error("a {kind} is held with one person, not a group")]
    KindNeedsOnePerson { kind: &'static str },
    #[error("a GRUS is held with a personnel group")]
    KindNeedsGroup,
}

impl Error {
    /// The stable code the UI branches on; listed in docs/api.md.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotSignedIn => "not_signed_in",
            Error::Forbidden => "forbidden",
            Error::NotFound { .. } => "not_found",
            Error::EmptyText { .. } => "empty_text",
            Error::TextTooLong { .. } => "text_too_long",
            Error::InvalidDate { .. } => "invalid_date",
            Error::InvalidInput { .. } => "invalid_input",
            Error::WrongPassphrase => "wrong_passphrase",
            Error::WeakPassphrase { .. } => "weak_passphrase",
            Error::SetupPending => "setup_pending",
            Error::BadSetupCode => "bad_setup_code",
            Error::AlreadySetUp => "already_set_up",
            Error::NotSetUp => "not_set_up",
            Error::WrongState { .. } => "wrong_state",
            Error::SummaryChanged => "summary_changed",
            Error::LastAdmin => "last_admin",
            Error::DuplicateName { .. } => "duplicate_name",
            Error::InvalidOwner => "invalid_owner",
            Error::InvalidManager => "invalid_manager",
            Error::Integrity => "integrity",
            Error::TryLater { .. } => "try_later",
            Error::WrongPassphraseWait { .. } => "wrong_passphrase",
            Error::Locked { .. } => "locked",
            Error::KeyPending { .. } => "key_pending",
            Error::BadRecoveryCode => "bad_recovery_code",
            Error::DiskFull => "disk_full",
            Error::ReadOnly => "read_only",
            Error::NotADatabase => "not_a_database",
            Error::Damaged => "damaged",
            Error::NewerVersion { .. } => "newer_version",
            Error::HasLeft { .. } => "has_left",
            Error::StillResponsible { .. } => "still_responsible",
            Error::NotLeft { .. } => "not_left",
            Error::InUse => "in_use",
            Error::Cancelled => "cancelled",
            Error::Storage(_) => "storage",
            Error::KindNeedsOnePerson { .. } => "kind_needs_one_person",
            Error::KindNeedsGroup => "kind_needs_group",
        }
    }

    /// Values the UI fills into its translated message.
    pub fn params(&self) -> Value {
        match self {
            Error::NotFound { what } => json!({ "what": what }),
            Error::EmptyText { field }
            | Error::InvalidDate { field }
            | Error::InvalidInput { field }
            | Error::DuplicateName { field } => json!({ "field": field }),
            Error::TextTooLong { field, max } => json!({ "field": field, "max": max }),
            Error::WeakPassphrase { min } => json!({ "min": min }),
            Error::WrongState { state } => json!({ "state": state }),
            Error::TryLater { seconds } => json!({ "seconds": seconds }),
            Error::WrongPassphraseWait { wait_seconds } => json!({ "wait_seconds": wait_seconds }),
            Error::WrongPassphrase => json!({ "wait_seconds": 0 }),
            Error::Locked { minutes } => json!({ "minutes": minutes }),
            Error::KeyPending { names } => json!({ "names": names }),
            Error::NewerVersion { found, known } => json!({ "found": found, "known": known }),
            Error::HasLeft { name } | Error::NotLeft { name } => json!({ "name": name }),
            Error::StillResponsible { name, role } => json!({ "name": name, "role": role }),
            Error::KindNeedsOnePerson { kind } => json!({ "kind": kind }),
            _ => json!({}),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            // SQLITE_FULL: the disk (or a quota) has no room. The statement,
            // and with it the transaction, was rolled back.
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::ReadOnly) => Error::ReadOnly,
            Some(ErrorCode::NotADatabase) => Error::NotADatabase,
            Some(ErrorCode::DatabaseCorrupt) => Error::Damaged,
            _ => Error::Storage(e.to_string()),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => Error::DiskFull,
            std::io::ErrorKind::ReadOnlyFilesystem => Error::ReadOnly,
            _ => Error::Storage(e.to_string()),
        }
    }
}
