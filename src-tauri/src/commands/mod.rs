//! The commands the window may call; each a few lines over the core.
//! Arguments arrive in snake_case, as the rest of the API speaks, and
//! each is an [`arg::Arg`], so a missing or mistyped one fails with
//! `invalid_input` like any other refused input.

pub mod admin;
pub mod arg;
pub mod backups;
pub mod dialogues;
pub mod files;
pub mod session;
pub mod templates;
pub mod views;
// Issue 7: rule reports and good cases.
pub mod rules;
// Issue 8: a summary to print or save, and calendar files.
pub mod print;
// Issue 8: data rights.
pub mod export;
