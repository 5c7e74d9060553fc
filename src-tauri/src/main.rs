// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(message) = tillid_lib::cli::main() {
        eprintln!("tillid: {message}");
        std::process::exit(1);
    }
}
