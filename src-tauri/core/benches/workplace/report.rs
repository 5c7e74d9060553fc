//! The report after divan's tables: each view beside its raw twin, run
//! alternately so both see the same machine; the growth of each from the
//! smallest size measured; and single durable writes timed one by one.

use std::time::{Duration, Instant};

use chrono::{Days, Local, Utc};

use super::raw::{self, Keys};
use super::{seeded, sizes, Seeded};

/// Rounds per pair, and the time after which a pair stops early.
const ROUNDS: usize = 201;
const BUDGET: Duration = Duration::from_secs(4);

type Run<'a> = Box<dyn FnMut() + 'a>;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Times `a` and `b` alternately (the order swapping each round) and gives
/// the median of each.
fn side_by_side(mut a: Run<'_>, mut b: Run<'_>) -> (Duration, Duration, usize) {
    for _ in 0..3 {
        a();
        b();
    }
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    let started = Instant::now();
    for round in 0..ROUNDS {
        let time = |f: &mut Run<'_>| {
            let t = Instant::now();
            f();
            t.elapsed()
        };
        if round % 2 == 0 {
            ta.push(time(&mut a));
            tb.push(time(&mut b));
        } else {
            tb.push(time(&mut b));
            ta.push(time(&mut a));
        }
        if started.elapsed() > BUDGET && round >= 20 {
            break;
        }
    }
    let n = ta.len();
    (median(ta), median(tb), n)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

struct Line {
    view: &'static str,
    /// Rows the view shows (dialogues, agreements, notes...): what the
    /// person sees, which a fair growth figure keeps alike across sizes.
    rows: usize,
    size: &'static str,
    view_time: Duration,
    raw_time: Option<Duration>,
    rounds: usize,
}

/// What a view needs to run its raw twin: the keys it holds and the
/// moments its lists are cut at.
struct Context {
    keys: Keys,
    now: String,
    today: String,
    soon: String,
}

impl Context {
    fn new() -> Self {
        let now = tillid_core::validate::format_moment(Utc::now());
        let today = Local::now().date_naive();
        let soon = today.checked_add_days(Days::new(14)).expect("date");
        Context {
            keys: Keys::default(),
            now,
            today: today.format("%Y-%m-%d").to_string(),
            soon: soon.format("%Y-%m-%d").to_string(),
        }
    }
}

/// Each view on one workplace: its name, the rows it shows, and runs of
/// the view and of its raw twin.
fn views<'a>(s: &'a Seeded, c: &'a Context) -> Vec<(&'static str, usize, Run<'a>, Run<'a>)> {
    let home_rows = |h: tillid_core::service::Home| {
        h.upcoming.len()
            + h.to_confirm.len()
            + h.not_marked_held.len()
            + h.my_responsibilities.len()
            + h.owed_to_me.len()
            + h.overdue.len()
            + h.due_soon.len()
    };
    let h =
        s.t.relationship_history(&s.manager, Some(s.employee.id()), None)
            .expect("history");
    let d = s.t.get_dialogue(&s.manager, s.dialogue).expect("dialogue");
    let o = s.t.manager_overview(&s.manager, "name").expect("overview");
    vec![
        (
            "home of a manager",
            home_rows(s.t.home(&s.manager).expect("home")),
            Box::new(|| {
                s.t.home(&s.manager).expect("home");
            }),
            Box::new(|| {
                raw::snapshot(&s.t, || {
                    raw::home(&s.t, &c.keys, &s.manager, &c.now, &c.today, &c.soon)
                });
            }),
        ),
        (
            "home of an employee",
            home_rows(s.t.home(&s.employee).expect("home")),
            Box::new(|| {
                s.t.home(&s.employee).expect("home");
            }),
            Box::new(|| {
                raw::snapshot(&s.t, || {
                    raw::home(&s.t, &c.keys, &s.employee, &c.now, &c.today, &c.soon)
                });
            }),
        ),
        (
            "relationship history",
            h.dialogues.len()
                + h.dialogues
                    .iter()
                    .map(|d| d.agreements.len())
                    .sum::<usize>(),
            Box::new(|| {
                s.t.relationship_history(&s.manager, Some(s.employee.id()), None)
                    .expect("history");
            }),
            Box::new(|| {
                raw::snapshot(&s.t, || {
                    raw::history(&s.t, &c.keys, &s.manager, s.employee.id())
                });
            }),
        ),
        (
            "open a dialogue",
            d.agenda.len() + d.notes.len() + d.agreements.len() + d.since_last_time.len(),
            Box::new(|| {
                s.t.get_dialogue(&s.manager, s.dialogue).expect("dialogue");
            }),
            Box::new(|| {
                raw::snapshot(&s.t, || {
                    raw::dialogue(&s.t, &c.keys, &s.manager, s.dialogue)
                });
            }),
        ),
        (
            "overview of a manager",
            o.rows.len()
                + o.rows
                    .iter()
                    .map(|r| r.open_theirs.len() + r.open_mine.len())
                    .sum::<usize>(),
            Box::new(|| {
                s.t.manager_overview(&s.manager, "name").expect("overview");
            }),
            Box::new(|| {
                raw::snapshot(&s.t, || raw::overview(&s.t, &c.keys, &s.manager));
            }),
        ),
    ]
}

pub fn run() {
    let sizes = sizes();
    let mut lines: Vec<Line> = Vec::new();
    for &size in &sizes {
        let guard = seeded(size).lock().expect("lock");
        let c = Context::new();
        for (view, rows, a, b) in views(&guard, &c) {
            let (view_time, raw_time, rounds) = side_by_side(a, b);
            lines.push(Line {
                view,
                rows,
                size,
                view_time,
                raw_time: Some(raw_time),
                rounds,
            });
        }
    }
    println!();
    println!("== views against the raw SQL they need (medians, view and raw alternating) ==");
    println!(
        "{:<24} {:>6} {:>6} {:>10} {:>10} {:>9} {:>7}",
        "view", "size", "rows", "view ms", "raw ms", "view÷raw", "rounds"
    );
    for l in &lines {
        println!(
            "{:<24} {:>6} {:>6} {:>10.3} {:>10} {:>9} {:>7}",
            l.view,
            l.size,
            l.rows,
            ms(l.view_time),
            l.raw_time.map_or("-".into(), |r| format!("{:.3}", ms(r))),
            l.raw_time.map_or("-".into(), |r| format!(
                "{:.2}×",
                l.view_time.as_secs_f64() / r.as_secs_f64()
            )),
            l.rounds
        );
    }
    if sizes.len() > 1 {
        println!();
        println!("== growth from {} (view; raw) ==", sizes[0]);
        for l in lines.iter().filter(|l| l.size != sizes[0]) {
            let Some(base) = lines
                .iter()
                .find(|b| b.size == sizes[0] && b.view == l.view)
            else {
                continue;
            };
            let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
            println!(
                "{:<24} {:>6}: view {:.2}×  raw {}",
                l.view,
                l.size,
                ratio(l.view_time, base.view_time),
                match (l.raw_time, base.raw_time) {
                    (Some(a), Some(b)) => format!("{:.2}×", ratio(a, b)),
                    _ => "-".into(),
                }
            );
        }
    }
    if sizes.len() > 1 {
        growth_side_by_side(&sizes);
    }
    // `TILLID_BENCH_WRITES=0` leaves out the write series (minutes), for
    // runs that compare views only.
    if std::env::var("TILLID_BENCH_WRITES").map_or(true, |v| v != "0") {
        for &size in &sizes {
            writes(size);
        }
    }
}

/// Single durable writes, each timed on its own, under four checkpoint
/// policies, each starting from an empty WAL.
fn writes(size: &str) {
    const N: usize = 2_000;
    /// Writes between two quiet moments: a person does not make 25 changes
    /// within the shell's 2-second idle tick, so this is generous.
    const QUIET_EVERY: usize = 25;
    let mut guard = seeded(size).lock().expect("lock");
    let s: &mut Seeded = &mut guard;
    let file = s._dir.path().join("bench.sqlite3");
    let stamp = |f: &std::path::Path| std::fs::metadata(f).and_then(|m| m.modified()).ok();
    // In WAL mode only a checkpoint writes the data file itself: a write
    // after which its time stamp moved is a write that checkpointed.
    let one = |s: &mut Seeded, i: usize| -> (Duration, bool) {
        let to = if i.is_multiple_of(2) { "done" } else { "open" };
        let before = stamp(&file);
        let t = Instant::now();
        let _ =
            s.t.set_agreement_state(&s.writer, s.write_agreement, to, Some("Klaret"));
        let took = t.elapsed();
        (took, stamp(&file) != before)
    };
    let summary = |label: &str, times: &[Duration], checkpointed: &[bool]| {
        let med = median(times.to_vec());
        let mut sorted = times.to_vec();
        sorted.sort_unstable();
        let p99 = sorted[times.len() * 99 / 100];
        let max = sorted[times.len() - 1];
        let spikes: Vec<usize> = (0..times.len()).filter(|&i| times[i] > med * 10).collect();
        let with = checkpointed.iter().filter(|c| **c).count();
        let spikes_with = spikes.iter().filter(|&&i| checkpointed[i]).count();
        let ck_med = (with > 0).then(|| {
            median(
                (0..times.len())
                    .filter(|&i| checkpointed[i])
                    .map(|i| times[i])
                    .collect(),
            )
        });
        println!(
            "{size:>6} {label:<40} median {:>6.3} ms  p99 {:>7.3} ms  max {:>8.3} ms  max÷median {:>5.1}×  >10×median: {:>2}, {spikes_with} of them checkpointed; {with} writes checkpointed{}",
            ms(med),
            ms(p99),
            ms(max),
            max.as_secs_f64() / med.as_secs_f64(),
            spikes.len(),
            ck_med.map_or(String::new(), |m| format!(" (median {:.3} ms)", ms(m)))
        );
    };
    let series = |s: &mut Seeded, label: &str, quiet: bool| {
        s.t.checkpoint().expect("empty the WAL first");
        let mut quiet_times = Vec::new();
        let (mut times, mut checkpointed) = (Vec::with_capacity(N), Vec::with_capacity(N));
        for i in 0..N {
            let (t, c) = one(s, i);
            times.push(t);
            checkpointed.push(c);
            if quiet && i % QUIET_EVERY == QUIET_EVERY - 1 {
                let t = Instant::now();
                if s.t.checkpoint_when_quiet().expect("checkpoint") {
                    quiet_times.push(t.elapsed());
                }
            }
        }
        summary(label, &times, &checkpointed);
        if !quiet_times.is_empty() {
            println!(
                "{size:>6} {:<40} and {} checkpoints at quiet moments: median {:.3} ms, max {:.3} ms",
                "",
                quiet_times.len(),
                ms(median(quiet_times.clone())),
                ms(quiet_times.iter().copied().max().unwrap_or_default())
            );
        }
    };
    // What the disk itself does: the same number of appends of a commit's
    // size (six 4 KiB pages) to a file of its own in the same folder, each
    // synced. The floor of any durable write; its worst case is the disk's.
    let disk = || {
        use std::io::{Seek, SeekFrom, Write};
        let path = s._dir.path().join("disk-alone");
        let mut f = std::fs::File::create(&path).expect("file");
        let block = vec![7u8; 6 * 4096];
        let mut times = Vec::with_capacity(N);
        for i in 0..N {
            let t = Instant::now();
            f.seek(SeekFrom::Start((i % 1000 * block.len()) as u64))
                .expect("seek");
            f.write_all(&block).expect("write");
            f.sync_data().expect("sync");
            times.push(t.elapsed());
        }
        let _ = std::fs::remove_file(&path);
        times
    };
    println!();
    println!("== updating an agreement: {N} single durable writes (synchronous = FULL), {size} ==");
    let times = disk();
    summary(
        "the disk alone: 24 KiB + fdatasync",
        &times,
        &vec![false; N],
    );
    series(s, "as the app: a quiet moment every 25 writes", true);
    series(s, "a burst: no quiet moment at all", false);
    // Evidence of the cause. Setting the pragma replaces Tillid's WAL hook
    // for the rest of this run; these come last for that reason.
    let conn = s.t.connection();
    conn.pragma_update(None, "wal_autocheckpoint", 1000)
        .expect("pragma");
    series(s, "SQLite's checkpoint in the commit past 1000", false);
    s.t.connection()
        .pragma_update(None, "wal_autocheckpoint", 0)
        .expect("pragma");
    series(s, "no checkpoint at all", false);
    let t = Instant::now();
    let (busy, log, done): (i64, i64, i64) =
        s.t.connection()
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("checkpoint");
    println!(
        "{size:>6} one checkpoint of the {log} WAL frames those {N} writes left: {:.3} ms (busy {busy}, {done} moved)",
        ms(t.elapsed())
    );
}

/// Growth measured side by side: each view on the smallest workplace and
/// on a larger one alternately, and the same for its raw twin, so a change
/// in the machine's load between the two sizes' turns above cannot pass
/// for growth.
fn growth_side_by_side(sizes: &[&'static str]) {
    println!();
    println!(
        "== growth from {} side by side (the two sizes alternating; rows shown in each) ==",
        sizes[0]
    );
    let small = seeded(sizes[0]).lock().expect("lock");
    let small_context = Context::new();
    for &size in &sizes[1..] {
        let large = seeded(size).lock().expect("lock");
        let large_context = Context::new();
        let a = views(&small, &small_context);
        let b = views(&large, &large_context);
        for ((view, rows_a, view_a, raw_a), (_, rows_b, view_b, raw_b)) in a.into_iter().zip(b) {
            let (va, vb, _) = side_by_side(view_a, view_b);
            let (ra, rb, _) = side_by_side(raw_a, raw_b);
            let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64();
            let rows = rows_b as f64 / rows_a.max(1) as f64;
            // The typical person of each size shows a few more or fewer
            // rows; per row is the growth that comes from the workplace.
            println!(
                "{view:<24} {size:>6}: view {:.2}×  raw {:.2}×  rows {rows_a} → {rows_b} ({rows:.2}×)  per row: view {:.2}×  raw {:.2}×",
                ratio(va, vb),
                ratio(ra, rb),
                ratio(va, vb) / rows,
                ratio(ra, rb) / rows,
            );
        }
    }
}
