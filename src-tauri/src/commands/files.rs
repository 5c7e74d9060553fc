//! Files that leave the app (a summary, a calendar file, an export) are
//! written by the shell, never by the page, and only where the person chose
//! in the system's save dialog.

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;
use tillid_core::Error;

use crate::error::ApiResult;

/// A kind of file, as the save dialog filters it.
pub struct Kind {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

/// Asks where to save `bytes` (suggesting `file_name`) and writes them
/// there whole: to a temporary file beside it first, synced, then renamed.
/// `None` when the person closed the dialog without choosing.
pub fn save_as<R: Runtime>(
    app: &AppHandle<R>,
    file_name: &str,
    kind: &Kind,
    bytes: &[u8],
) -> ApiResult<Option<PathBuf>> {
    // Without the dialog plugin (the mock runtime of the shell's tests)
    // there is no one to ask: nothing is saved, as if the dialog closed.
    if app.try_state::<tauri_plugin_dialog::Dialog<R>>().is_none() {
        return Ok(None);
    }
    let chosen = app
        .dialog()
        .file()
        .set_file_name(file_name)
        .add_filter(kind.name, kind.extensions)
        .blocking_save_file();
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let path = chosen
        .into_path()
        .map_err(|_| Error::InvalidInput { field: "path" })?;
    write_whole(&path, bytes)?;
    Ok(Some(path))
}

/// Writes `bytes` to `path` so that it holds either its old content or all
/// of the new, never a part.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut partial = path.as_os_str().to_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&partial)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&partial, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_file_replaces_the_old_one_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.html");
        std::fs::write(&path, "old").unwrap();
        write_whole(&path, "ny <b>tekst</b> æøå".as_bytes()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "ny <b>tekst</b> æøå"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_an_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder").join("x.ics");
        assert!(write_whole(&missing, b"BEGIN:VCALENDAR").is_err());
        assert!(!missing.exists());
    }
}
