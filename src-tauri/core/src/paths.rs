//! Where the data file lives: the platform data directory unless a flag or
//! `TILLID_DATA_DIR` points elsewhere (tests, a shared folder).

use std::path::{Path, PathBuf};

pub const DATA_DIR_ENV: &str = "TILLID_DATA_DIR";
pub const DB_FILE: &str = "tillid.sqlite3";

/// The data directory: the explicit flag first, then the environment, then
/// the platform default (`~/.local/share/tillid` on Linux).
pub fn data_dir(flag: Option<&Path>) -> crate::Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("dk", "Tillid", "tillid")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| crate::Error::Storage("no home directory to keep the data in".into()))
}

pub fn db_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}
