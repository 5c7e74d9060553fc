//! One command argument, read from the call's JSON so that a malformed
//! one fails like every other error: `{code: "invalid_input", message,
//! params: {field}}`. Tauri's own reading of arguments rejects with a bare
//! string, which the UI could neither branch on nor translate.

use std::ops::Deref;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::json;
use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::Runtime;
use zeroize::Zeroizing;

use crate::error::ApiError;

/// The longest English message kept from a refused argument: serde quotes
/// the value it refused, and a value may be megabytes long.
const MESSAGE_MAX: usize = 200;

/// An argument of a command, named by its parameter, as `T`.
#[derive(Debug)]
pub struct Arg<T>(pub T);

impl<T> Arg<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Arg<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'de, T: DeserializeOwned, R: Runtime> CommandArg<'de, R> for Arg<T> {
    fn from_command(item: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let field = item.key;
        T::deserialize(item)
            .map(Arg)
            .map_err(|e| invalid_input(field, &e.to_string()).into())
    }
}

/// A passphrase or code as typed. Its text is wiped from memory when the
/// command is done with it (as far as this side of the IPC can reach).
pub struct Secret(Zeroizing<String>);

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Secret(Zeroizing::new(s)))
    }
}

impl Deref for Secret {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// Never shows the secret.
impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

/// The error of an argument that is missing or not of its type.
pub fn invalid_input(field: &str, why: &str) -> ApiError {
    let mut message = format!("{field}: {why}");
    if let Some((cut, _)) = message.char_indices().nth(MESSAGE_MAX) {
        message.truncate(cut);
        message.push('…');
    }
    ApiError {
        code: "invalid_input",
        message,
        params: json!({ "field": field }),
    }
}
