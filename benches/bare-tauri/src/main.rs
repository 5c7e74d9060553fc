//! A bare Tauri 2 window with a static page: nothing but what Tauri itself
//! costs to start and to keep running.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("bare-tauri: the window failed: {e}");
        std::process::exit(1);
    }
}
