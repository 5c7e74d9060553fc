//! The command line: run the window (the default), or work on the data
//! file without it.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use tillid_core::seed::{seed_demo, SeedSize, DEMO_ADMIN, DEMO_PASSPHRASE};
use tillid_core::store::backup::{self, Progress, Stage};
use tillid_core::{paths, Error, Tillid};

#[derive(Parser, Debug)]
#[command(
    name = "tillid",
    version,
    about = "Trust-based follow-up dialogues at work"
)]
pub struct Cli {
    /// Folder of the data file (default: the platform's data folder, or
    /// $TILLID_DATA_DIR when set).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Sign out after this many seconds without activity, instead of the
    /// workplace's setting (for tests and kiosk setups).
    #[arg(long, value_name = "SECONDS")]
    pub idle_lock_seconds: Option<u64>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Fill an empty data folder with a demo workplace.
    Seed {
        #[arg(long, default_value_t = 30)]
        people: usize,
        #[arg(long, default_value_t = 300)]
        dialogues: usize,
    },
    /// Write a consistent copy of the data file, safe while the app runs.
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Replace the data file with a backup, with Tillid closed. The backup
    /// is checked first; the current data is kept in the data folder's
    /// backups/ before the backup takes its place.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Print where the data file is.
    Where,
    /// Check the data file: SQLite's integrity check and the signed roster;
    /// with --person, also every signature and sealed value that person may
    /// read (their passphrase is read from standard input). Exits non-zero
    /// when anything fails.
    Check {
        /// The name of the person to check as.
        #[arg(long, value_name = "NAME")]
        person: Option<String>,
    },
    /// Write everything held about a person to a zip (GDPR art. 15 and
    /// 20): data.json in the schema of docs/export-schema.json and a
    /// readable index.html. Signs in as --person (passphrase on standard
    /// input); with --about, a manager's export about their employee, which
    /// includes the manager's own private notes about them.
    Export {
        /// The name of the person exporting.
        #[arg(long, value_name = "NAME")]
        person: String,
        /// The employee the export is about (default: the person).
        #[arg(long, value_name = "NAME")]
        about: Option<String>,
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
}

/// Runs the command line; the error is what to tell the person.
pub fn main() -> Result<(), String> {
    crate::startup_mark("main");
    let cli = Cli::parse();
    let dir = paths::data_dir(cli.data_dir.as_deref()).map_err(|e| e.to_string())?;
    // `where` only prints a path; everything else is worth a line in the
    // support log.
    if !matches!(cli.command, Some(Command::Where)) {
        crate::support_log::init(&dir);
        let command = match &cli.command {
            None => "window",
            Some(Command::Seed { .. }) => "seed",
            Some(Command::Backup { .. }) => "backup",
            Some(Command::Restore { .. }) => "restore",
            Some(Command::Where) => "where",
            Some(Command::Check { .. }) => "check",
            Some(Command::Export { .. }) => "export",
        };
        tracing::info!(command, "command");
    }
    match cli.command {
        None => crate::run(
            &dir,
            cli.idle_lock_seconds.map(std::time::Duration::from_secs),
        ),
        Some(Command::Where) => {
            println!("{}", paths::db_path(&dir).display());
            Ok(())
        }
        Some(Command::Seed { people, dialogues }) => {
            let db = paths::db_path(&dir);
            let mut tillid = open_data(&db)?;
            if tillid.is_read_only() {
                return Err(explain(&Error::ReadOnly, &db));
            }
            let summary = seed_demo(&mut tillid, SeedSize { people, dialogues })
                .map_err(|e| explain(&e, &db))?;
            println!(
                "Seeded {}: {} people, {} groups, {} dialogues, {} agreements, {} notes.\n\
                 Sign in as \"{DEMO_ADMIN}\" (or anyone) with the passphrase \"{DEMO_PASSPHRASE}\".",
                db.display(),
                summary.people,
                summary.groups,
                summary.dialogues,
                summary.agreements,
                summary.notes
            );
            Ok(())
        }
        Some(Command::Check { person }) => check(&dir, person.as_deref()),
        Some(Command::Backup { to }) => {
            let db = paths::db_path(&dir);
            let tillid = open_data(&db)?;
            let mut line = ProgressLine::new("Copying");
            tillid
                .backup_with(&to, &mut |p| line.show(p))
                .map_err(|e| explain(&e, &to))?;
            line.finish();
            tracing::info!(file = %to.display(), "backup made from the command line");
            println!("Backed up to {}", to.display());
            Ok(())
        }
        Some(Command::Restore { from }) => restore(&dir, &from),
        Some(Command::Export { person, about, to }) => export(&dir, &person, about.as_deref(), &to),
    }
}

/// `tillid restore --from FILE`: one progress line per stage on standard
/// error, what happened on standard output.
fn restore(dir: &Path, from: &Path) -> Result<(), String> {
    let mut stage = None;
    let mut line = ProgressLine::new("Copying");
    let restored = backup::restore(dir, from, chrono::Utc::now(), &mut |now, p| {
        if stage != Some(now) {
            line.finish();
            stage = Some(now);
            match now {
                Stage::Verifying => eprintln!("Checking {} …", from.display()),
                Stage::Copying => {}
                Stage::Opening => eprintln!("Opening the restored copy …"),
                Stage::KeepingCurrent => eprintln!("Keeping the current data …"),
                Stage::Switching => eprintln!("Switching to the restored data …"),
            }
        }
        if now == Stage::Copying {
            line.show(p);
        }
        true
    })
    .map_err(|e| match e {
        Error::InUse => format!(
            "Tillid is open on {} (or another restore is running). Close it, then try again. \
             Nothing was changed.",
            dir.display()
        ),
        Error::NotFound { .. } => {
            format!("there is no file {}. Nothing was changed.", from.display())
        }
        other => format!("{} Nothing was changed.", explain(&other, from)),
    })?;
    let f = &restored.facts;
    tracing::info!(from = %from.display(), kept = ?restored.kept, "restored from the command line");
    println!(
        "Restored {} ({}: {} people, {} dialogues) into {}.",
        from.display(),
        f.workplace,
        f.people,
        f.dialogues,
        paths::db_path(dir).display()
    );
    if let Some(kept) = restored.kept {
        println!("The data as it was before is kept in {}.", kept.display());
    }
    Ok(())
}

/// A percentage on standard error that rewrites itself as a copy goes on.
struct ProgressLine {
    what: &'static str,
    shown: Option<u64>,
}

impl ProgressLine {
    fn new(what: &'static str) -> Self {
        ProgressLine { what, shown: None }
    }

    fn show(&mut self, p: Progress) -> bool {
        let percent = (p.done * 100).checked_div(p.total).unwrap_or(0);
        if self.shown != Some(percent) {
            self.shown = Some(percent);
            eprint!("\r{} {percent:>3} %", self.what);
        }
        true
    }

    fn finish(&mut self) {
        if self.shown.take().is_some() {
            eprintln!();
        }
    }
}

/// Opens the data file as the window would (same pragmas, same checks);
/// the error says what is wrong and what to do.
pub fn open_data(db: &Path) -> Result<Tillid, String> {
    Tillid::open(db).map_err(|e| explain(&e, db))
}

/// What to tell the person about a fault with `path`.
pub fn explain(e: &Error, path: &Path) -> String {
    let path = path.display();
    match e {
        Error::NotADatabase => format!(
            "{path} is not a Tillid data file. It was left as it is. \
             Use --data-dir to open another folder."
        ),
        Error::Damaged => format!(
            "{path} is damaged. It was left as it is. Restore a backup with \
             `tillid restore --from FILE` (automatic ones are in the data folder's \
             backups/), or use --data-dir to open another folder."
        ),
        Error::NewerVersion { found, known } => format!(
            "{path} was written by a newer Tillid (schema {found}; this one knows {known}). \
             It was left as it is. Use the newer Tillid, or --data-dir for another folder."
        ),
        Error::ReadOnly => format!(
            "{path} cannot be written here (the folder or the file is read-only, \
             or another program holds it), so nothing was saved."
        ),
        Error::DiskFull => format!(
            "the disk is full while writing {path}. Free some space, then try again. \
             Nothing already saved was lost."
        ),
        other => format!("{path}: {other}"),
    }
}

/// `tillid check`: prints what it checked and each problem, one a line.
fn check(dir: &std::path::Path, person: Option<&str>) -> Result<(), String> {
    let db = paths::db_path(dir);
    if !db.exists() {
        return Err(format!("no data file at {}", db.display()));
    }
    let mut tillid = open_data(&db)?;
    let actor = match person {
        None => None,
        Some(name) => Some(sign_in_from_stdin(&mut tillid, name)?),
    };
    let report = tillid.check(actor.as_ref()).map_err(|e| e.to_string())?;
    println!(
        "file {}: {}",
        db.display(),
        if report.file_ok { "ok" } else { "DAMAGED" }
    );
    for m in &report.file_messages {
        println!("  {m}");
    }
    if report.roster_ok {
        println!("roster: verified (version {})", report.roster_version);
    } else {
        println!("roster: NOT VERIFIED");
    }
    if actor.is_some() {
        println!("dialogues read: {}", report.dialogues_checked);
    }
    for p in &report.problems {
        println!("problem: {} {}: {}", p.what, p.id, p.why);
    }
    if let Some(a) = &actor {
        tillid.lock(a);
    }
    if report.ok() {
        Ok(())
    } else {
        Err("the check found problems (listed above)".into())
    }
}

/// The id of the person called `name` (any case).
fn person_id(tillid: &Tillid, name: &str) -> Result<i64, String> {
    let status = tillid.status().map_err(|e| e.to_string())?;
    status
        .people
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .map(|p| p.id)
        .ok_or_else(|| format!("no person called {name:?}"))
}

/// Signs in as `name` with the passphrase on standard input's first line.
fn sign_in_from_stdin(tillid: &mut Tillid, name: &str) -> Result<tillid_core::Actor, String> {
    let id = person_id(tillid, name)?;
    let mut line = zeroize::Zeroizing::new(String::new());
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("reading the passphrase: {e}"))?;
    let passphrase = line.trim_end_matches(['\r', '\n']);
    tillid
        .sign_in(id, passphrase)
        .map_err(|e| format!("signing in as {name}: {e}"))
}

/// `tillid export`: the zip is written whole (a temporary file beside it,
/// then a rename), with a progress line on standard error.
fn export(dir: &Path, person: &str, about: Option<&str>, to: &Path) -> Result<(), String> {
    let db = paths::db_path(dir);
    if !db.exists() {
        return Err(format!("no data file at {}", db.display()));
    }
    let mut tillid = open_data(&db)?;
    let actor = sign_in_from_stdin(&mut tillid, person)?;
    let about_id = match about {
        Some(name) => Some(person_id(&tillid, name)?),
        None => None,
    };
    let mut line = ProgressLine::new("Gathering");
    let written = tillid
        .export_data(&actor, about_id, &mut |p| line.show(p))
        .and_then(|data| {
            let bytes = tillid_core::export::zip(&data)?;
            crate::commands::files::write_whole(to, &bytes)?;
            Ok(data.dialogues.len())
        });
    line.finish();
    tillid.lock(&actor);
    let dialogues = written.map_err(|e| match e {
        Error::Forbidden => format!(
            "{person} may not export about {}: only their manager (by the signed roster) may.",
            about.unwrap_or(person)
        ),
        other => explain(&other, to),
    })?;
    println!(
        "Exported everything held about {} ({dialogues} dialogues) to {}",
        about.unwrap_or(person),
        to.display()
    );
    Ok(())
}
