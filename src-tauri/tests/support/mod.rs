//! What the shell tests share: the mock app built from the real config and
//! capability file, and calls made as the main window makes them.
// Each test file uses its own part of this module.
#![allow(dead_code)]

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use tillid_core::crypto::KdfParams;
use tillid_core::Tillid;
use tillid_lib::AppState;

pub struct Shell {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub other: WebviewWindow<MockRuntime>,
}

pub fn shell() -> Shell {
    let tillid = Tillid::open_in_memory()
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    shell_with(AppState::new(tillid, None))
}

pub fn shell_with(state: AppState) -> Shell {
    let app = tillid_lib::builder(mock_builder())
        .manage(state)
        .build(tauri::generate_context!())
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let other = WebviewWindowBuilder::new(&app, "other", Default::default())
        .build()
        .unwrap();
    Shell { app, window, other }
}

pub fn request(cmd: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

impl Shell {
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(&self.window, request(cmd, args))
            .map(|b| b.deserialize::<Value>().unwrap())
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => v,
            Err(e) => panic!("{cmd} failed: {e}"),
        }
    }

    /// The error code of a command that must fail.
    pub fn code(&self, cmd: &str, args: Value) -> String {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should fail, returned {v}"),
            Err(e) => e["code"]
                .as_str()
                .unwrap_or_else(|| panic!("{cmd}: no code in {e}"))
                .to_string(),
        }
    }

    pub fn sign_in(&self, id: &Value, passphrase: &str) -> Value {
        self.ok(
            "sign_in",
            json!({ "person_id": id, "passphrase": passphrase }),
        )
    }
}

pub const PASS: &str = "correct horse battery";
