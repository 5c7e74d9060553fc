//! The commands the window may call; each a few lines over the core.
//! Arguments arrive in snake_case, as the rest of the API speaks.

pub mod admin;
pub mod dialogues;
pub mod session;
pub mod views;
