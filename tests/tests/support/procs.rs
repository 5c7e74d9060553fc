//! The processes a test starts, stopped by pid when the test ends.
//!
//! `tauri-driver` stops its `WebKitWebDriver` only on SIGTERM/SIGINT (an
//! orphaned one keeps its port), and `WebKitWebDriver` leaves the app running
//! when a session is not ended. So the guard sends SIGTERM to tauri-driver,
//! waits, and then stops whatever is left of the process tree it had started
//! (WebKitWebDriver, the app and its WebKit helpers), each by its pid, checked
//! against the start time it had when it was seen, so a reused pid is never hit.

use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A process identified by pid and start time (clock ticks after boot).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pid {
    pid: u32,
    start: u64,
}

/// `(ppid, start time, zombie?)` from `/proc/<pid>/stat`.
fn stat(pid: u32) -> Option<(u32, u64, bool)> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain anything; the
    // fields after the last ')' start with the state (field 3).
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = *fields.first()?;
    let ppid = fields.get(1)?.parse().ok()?;
    let start = fields.get(19)?.parse().ok()?; // field 22 overall
    Some((ppid, start, state == "Z" || state == "X"))
}

fn identify(pid: u32) -> Option<Pid> {
    stat(pid).map(|(_, start, _)| Pid { pid, start })
}

/// Still the same process, and not a zombie.
fn alive(p: Pid) -> bool {
    matches!(stat(p.pid), Some((_, start, zombie)) if start == p.start && !zombie)
}

/// Every live descendant of `root`.
fn descendants(root: u32) -> Vec<Pid> {
    let mut children: HashMap<u32, Vec<Pid>> = HashMap::new();
    if let Ok(dir) = fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some((ppid, start, false)) = stat(pid) {
                children.entry(ppid).or_default().push(Pid { pid, start });
            }
        }
    }
    let mut out = Vec::new();
    let mut todo = vec![root];
    while let Some(p) = todo.pop() {
        for c in children.get(&p).into_iter().flatten() {
            out.push(*c);
            todo.push(c.pid);
        }
    }
    out
}

fn signal(p: Pid, sig: libc::c_int) {
    if alive(p) {
        // SAFETY: kill(2) with a pid we checked just now; no memory involved.
        unsafe {
            libc::kill(p.pid as libc::pid_t, sig);
        }
    }
}

/// Have the kernel send SIGTERM to a child when the thread that started it
/// ends, so a test process killed from outside (Ctrl+C, a CI timeout) leaves
/// no X server or driver behind. The guard below is the normal way out.
pub fn end_with_parent(cmd: &mut Command) -> &mut Command {
    // SAFETY: prctl is async-signal-safe; nothing is allocated after fork.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    }
}

/// Append-mode log file shared by several processes.
pub fn log_file(path: &Path) -> Stdio {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(Stdio::from)
        .unwrap_or_else(|_| Stdio::null())
}

struct Owned {
    name: &'static str,
    child: Child,
    id: Pid,
}

/// Drop guard over the processes started for one test.
#[derive(Default)]
pub struct Processes {
    owned: Vec<Owned>,
    tree_root: Option<u32>,
}

impl Processes {
    /// Take charge of a child; returns its pid.
    pub fn adopt(&mut self, name: &'static str, child: Child) -> u32 {
        let pid = child.id();
        let id = identify(pid).unwrap_or(Pid { pid, start: 0 });
        self.owned.push(Owned { name, child, id });
        pid
    }

    /// The process whose descendants (drivers, app) are stopped too.
    pub fn set_tree_root(&mut self, pid: u32) {
        self.tree_root = Some(pid);
    }

    pub fn is_running(&mut self, pid: u32) -> bool {
        self.owned
            .iter_mut()
            .find(|o| o.id.pid == pid)
            .is_some_and(|o| matches!(o.child.try_wait(), Ok(None)))
    }

    /// SIGTERM one of ours, wait up to 5 s, then SIGKILL; reap it.
    pub fn stop(&mut self, pid: u32) {
        if let Some(i) = self.owned.iter().position(|o| o.id.pid == pid) {
            let mut o = self.owned.remove(i);
            stop_child(&mut o);
        }
    }
}

fn stop_child(o: &mut Owned) {
    if matches!(o.child.try_wait(), Ok(Some(_))) {
        return;
    }
    // SAFETY: our own unreaped child, so the pid cannot have been reused.
    unsafe {
        libc::kill(o.id.pid as libc::pid_t, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if matches!(o.child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("{} ({}) ignored SIGTERM; killing it", o.name, o.id.pid);
    let _ = o.child.kill();
    let _ = o.child.wait();
}

/// SIGTERM each, wait up to 5 s for all, SIGKILL the rest.
fn stop_all(list: &[Pid]) {
    for p in list {
        signal(*p, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while list.iter().any(|p| alive(*p)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    for p in list.iter().filter(|p| alive(**p)) {
        eprintln!("pid {} ignored SIGTERM; killing it", p.pid);
        signal(*p, libc::SIGKILL);
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        // The driver's tree first (seen before it goes), then the driver,
        // then its leftovers, then the X server last.
        let tree = self.tree_root.map(descendants).unwrap_or_default();
        let mut owned = std::mem::take(&mut self.owned);
        let (display, others): (Vec<_>, Vec<_>) = owned.drain(..).partition(|o| o.name == "Xvfb");
        for mut o in others {
            stop_child(&mut o);
        }
        stop_all(&tree);
        for mut o in display {
            stop_child(&mut o);
        }
    }
}
