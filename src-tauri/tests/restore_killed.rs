//! `tillid restore` killed (SIGKILL, as a power cut or a killed process
//! would stop it) at moments spread over its whole run: afterwards the data
//! file is always whole and opens, holding either all of the data as it was
//! or all of the backup, and the next restore goes through.

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tillid_core::{paths, Tillid};

const TILLID: &str = env!("CARGO_BIN_EXE_tillid");

fn tillid(dir: &Path, args: &[&str]) {
    let out = Command::new(TILLID)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tillid {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn people(dir: &Path) -> usize {
    let t = Tillid::open(&paths::db_path(dir)).expect("the data file opens");
    t.status().unwrap().people.len()
}

/// One restore, run to the end, timed: the span the kills are spread over.
fn timed_restore(dir: &Path, from: &Path) -> Duration {
    let start = Instant::now();
    tillid(dir, &["restore", "--from", from.to_str().unwrap()]);
    start.elapsed()
}

#[test]
fn a_restore_killed_at_any_moment_leaves_whole_data_that_opens() {
    let work = tempfile::tempdir().unwrap();
    let big = work.path().join("big");
    tillid(&big, &["seed", "--people", "120", "--dialogues", "3000"]);
    let backup = work.path().join("big.sqlite3");
    tillid(&big, &["backup", "--to", backup.to_str().unwrap()]);

    let probe = work.path().join("probe");
    tillid(&probe, &["seed", "--people", "3", "--dialogues", "4"]);
    let span = timed_restore(&probe, &backup);
    assert_eq!(people(&probe), 120);

    let mut outcomes = (0, 0);
    for run in 0..12u32 {
        let dir = work.path().join(format!("run{run}"));
        tillid(&dir, &["seed", "--people", "3", "--dialogues", "4"]);
        let mut child = Command::new(TILLID)
            .arg("--data-dir")
            .arg(&dir)
            .args(["restore", "--from", backup.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // From the very start to a little past the usual end.
        std::thread::sleep(span * run / 10);
        // On Unix, `kill` is SIGKILL: no handler, no clean-up runs.
        let _ = child.kill();
        child.wait().unwrap();

        match people(&dir) {
            3 => outcomes.0 += 1,
            120 => outcomes.1 += 1,
            n => panic!("run {run}: a mix of old and new data ({n} people)"),
        }
        // Whatever was left beside the file does not stand in the way.
        tillid(&dir, &["restore", "--from", backup.to_str().unwrap()]);
        assert_eq!(
            people(&dir),
            120,
            "run {run}: the next restore went through"
        );
        tillid(&dir, &["check"]);
    }
    eprintln!(
        "killed restores: {} kept the old data, {} had switched (restore takes {span:?})",
        outcomes.0, outcomes.1
    );
    assert!(outcomes.0 > 0, "no kill landed before the switch");
}
