//! The log for support: what happened, never what was written. It lives
//! in the data folder's `logs/` (`tillid.log`, then `tillid.log.1` and
//! `tillid.log.2`, each at most [`MAX_FILE_BYTES`]), so a person can send it
//! to whoever helps them. It holds start-up (version), sign-in and sign-out
//! (a person's id), errors by code, migrations, backups and restores, and
//! panics with their message and location. It never holds a passphrase,
//! a code or any text a person wrote: events carry ids and codes only.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// One log file's size before it is rotated.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// How many files are kept: the current one and two older ones.
pub const FILES_KEPT: usize = 3;
/// The log file's name in `logs/`.
pub const FILE_NAME: &str = "tillid.log";

/// The folder the log is written to, for `data_dir`.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// A file that starts over in a fresh file when the next line would take
/// it past `max_bytes`: `tillid.log` becomes `tillid.log.1`, which becomes
/// `tillid.log.2`, and the oldest is deleted. At most `keep` files stay.
pub struct RotatingFile {
    dir: PathBuf,
    max_bytes: u64,
    keep: usize,
    file: Option<File>,
    written: u64,
}

impl RotatingFile {
    pub fn open(dir: &Path, max_bytes: u64, keep: usize) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        let mut this = RotatingFile {
            dir: dir.to_path_buf(),
            max_bytes,
            keep: keep.max(1),
            file: None,
            written: 0,
        };
        this.reopen()?;
        Ok(this)
    }

    fn path(&self, n: usize) -> PathBuf {
        match n {
            0 => self.dir.join(FILE_NAME),
            n => self.dir.join(format!("{FILE_NAME}.{n}")),
        }
    }

    fn reopen(&mut self) -> io::Result<()> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path(0))?;
        self.written = file.metadata().map(|m| m.len()).unwrap_or(0);
        self.file = Some(file);
        Ok(())
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file = None;
        let _ = fs::remove_file(self.path(self.keep - 1));
        for n in (0..self.keep - 1).rev() {
            let from = self.path(n);
            if from.exists() {
                fs::rename(&from, self.path(n + 1))?;
            }
        }
        self.reopen()
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > self.max_bytes {
            self.rotate()?;
        }
        if self.file.is_none() {
            self.reopen()?;
        }
        let file = self.file.as_mut().ok_or(io::ErrorKind::NotFound)?;
        let n = file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

static LOG_DIR: OnceLock<PathBuf> = OnceLock::new();

/// Where this process writes its log, once [`init`] has run.
pub fn current_dir() -> Option<&'static Path> {
    LOG_DIR.get().map(PathBuf::as_path)
}

/// Starts the log in `data_dir/logs` and installs the panic hook. Logging
/// is for support, never a reason not to start: a folder that cannot be
/// written leaves the app without a log (said on standard error).
pub fn init(data_dir: &Path) {
    let dir = dir(data_dir);
    match RotatingFile::open(&dir, MAX_FILE_BYTES, FILES_KEPT) {
        Ok(file) => {
            let subscriber = tracing_subscriber::fmt()
                .with_writer(Mutex::new(file))
                .with_ansi(false)
                .with_target(false)
                .with_max_level(tracing::Level::INFO)
                .finish();
            if tracing::subscriber::set_global_default(subscriber).is_ok() {
                let _ = LOG_DIR.set(dir);
                tracing::info!(version = env!("CARGO_PKG_VERSION"), "start");
            }
        }
        Err(e) => eprintln!("tillid: no log in {}: {e}", dir.display()),
    }
    install_panic_hook();
}

/// A panic's message and location go to the log (and, as before, to
/// standard error); `on_panic` then tells the window, if one is open.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_else(|| "(unknown)".into());
        let thread = std::thread::current()
            .name()
            .unwrap_or("(unnamed)")
            .to_string();
        tracing::error!(%location, %thread, "panic: {message}");
        previous(info);
        if let Some(notify) = ON_PANIC.get() {
            notify();
        }
    }));
}

static ON_PANIC: OnceLock<Box<dyn Fn() + Send + Sync>> = OnceLock::new();

/// Called after every panic has been logged (the window shows "something
/// went wrong"). Set once, by the window.
pub fn on_panic(f: impl Fn() + Send + Sync + 'static) {
    let _ = ON_PANIC.set(Box::new(f));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotates_at_the_cap_and_keeps_three_files() {
        let tmp = tempfile::tempdir().unwrap();
        let mut f = RotatingFile::open(tmp.path(), 100, 3).unwrap();
        for i in 0..40 {
            writeln!(f, "line {i:04} of the log").unwrap();
        }
        let mut names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["tillid.log", "tillid.log.1", "tillid.log.2"]);
        for name in &names {
            let len = fs::metadata(tmp.path().join(name)).unwrap().len();
            assert!(len <= 100, "{name} is {len} bytes");
        }
        let newest = fs::read_to_string(tmp.path().join("tillid.log")).unwrap();
        assert!(newest.contains("line 0039"));
    }

    #[test]
    fn a_restart_appends_to_the_same_file() {
        let tmp = tempfile::tempdir().unwrap();
        writeln!(RotatingFile::open(tmp.path(), 1000, 3).unwrap(), "one").unwrap();
        writeln!(RotatingFile::open(tmp.path(), 1000, 3).unwrap(), "two").unwrap();
        let text = fs::read_to_string(tmp.path().join("tillid.log")).unwrap();
        assert_eq!(text, "one\ntwo\n");
    }
}
