//! Timings of what people wait for, on seeded workplaces of several sizes
//! side by side, so the figures read as ratios within one run on a noisy
//! shared machine: `cargo bench -p tillid-core --bench workplace`.
//!
//! - small: 100 people, 5,000 dialogues
//! - large: 1,000 people, 50,000 dialogues (the target size)
//! - huge: 2,000 people, 100,000 dialogues (the trend; seeding takes minutes)
//!
//! `TILLID_BENCH_SIZES=small,large,huge` picks the sizes (default
//! `small,large`). After divan's tables, a report (see [`report`]) sets
//! each view beside the raw SQL it needs, run alternately, prints view ÷
//! raw and the growth from the smallest size to each larger one, and times
//! single durable writes one by one (median, worst, and the checkpoints
//! behind the worst). `TILLID_BENCH_REPORT=0` leaves it out; giving divan a
//! filter leaves it out unless the filter is `report`. The report also
//! times each view on the smallest and a larger workplace alternately (the
//! growth, side by side); `TILLID_BENCH_WRITES=0` leaves out the writes;
//! `TILLID_BENCH_RAW_SNAPSHOT=0` runs the raw twins statement by statement
//! instead of in one read transaction as the views run.

use std::sync::{Mutex, OnceLock};

use divan::Bencher;
use tillid_core::crypto::KdfParams;
use tillid_core::seed::{seed_demo, SeedSize, DEMO_PASSPHRASE};
use tillid_core::service::AgreementInput;
use tillid_core::{Actor, Tillid};

#[path = "workplace/raw.rs"]
mod raw;
#[path = "workplace/report.rs"]
mod report;

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let only_report = filters.iter().any(|f| f == "report");
    if !only_report {
        divan::main();
    }
    let wanted = std::env::var("TILLID_BENCH_REPORT").map_or(true, |v| v != "0");
    if only_report || (wanted && filters.is_empty()) {
        report::run();
    }
    // The seeded workplaces live in statics, which are never dropped: their
    // folders are removed here, or kept for a look with `sqlite3`.
    let made = std::mem::take(&mut *MADE.lock().unwrap_or_else(|e| e.into_inner()));
    for dir in made {
        if std::env::var_os("TILLID_BENCH_KEEP").is_some() {
            eprintln!("kept {}", dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

static MADE: Mutex<Vec<std::path::PathBuf>> = Mutex::new(Vec::new());

pub struct Seeded {
    pub _dir: tempfile::TempDir,
    pub t: Tillid,
    pub manager: Actor,
    pub employee: Actor,
    /// A held dialogue between them, and an agreement in it.
    pub dialogue: i64,
    pub agreement: i64,
    /// Another team's lead, whose writes (a new agreement each iteration,
    /// an update each iteration) leave the views above as they were: a
    /// view measured after thousands of added agreements measures those.
    pub writer: Actor,
    pub write_employee: i64,
    pub write_dialogue: i64,
    pub write_agreement: i64,
}

/// The sizes this run measures, smallest first.
pub fn sizes() -> Vec<&'static str> {
    let wanted = std::env::var("TILLID_BENCH_SIZES").unwrap_or_else(|_| "small,large".into());
    ["small", "large", "huge"]
        .into_iter()
        .filter(|s| wanted.split(',').any(|w| w.trim() == *s))
        .collect()
}

pub fn dimensions(size: &str) -> (usize, usize) {
    match size {
        "small" => (100, 5_000),
        "huge" => (2_000, 100_000),
        _ => (1_000, 50_000),
    }
}

pub fn seeded(size: &str) -> &'static Mutex<Seeded> {
    static SMALL: OnceLock<Mutex<Seeded>> = OnceLock::new();
    static LARGE: OnceLock<Mutex<Seeded>> = OnceLock::new();
    static HUGE: OnceLock<Mutex<Seeded>> = OnceLock::new();
    let cell = match size {
        "small" => &SMALL,
        "huge" => &HUGE,
        _ => &LARGE,
    };
    let (people, dialogues) = dimensions(size);
    cell.get_or_init(|| Mutex::new(seed(people, dialogues)))
}

/// Where seeded files go: `TILLID_BENCH_DIR`, else the system's temporary
/// folder. Either way a real disk, so durable writes really sync.
pub fn bench_dir() -> tempfile::TempDir {
    let dir = match std::env::var_os("TILLID_BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir).expect("temp dir"),
        None => tempfile::tempdir().expect("temp dir"),
    };
    MADE.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(dir.path().to_path_buf());
    dir
}

fn seed(people: usize, dialogues: usize) -> Seeded {
    let dir = bench_dir();
    let mut t = Tillid::open(&dir.path().join("bench.sqlite3")).expect("open");
    let started = std::time::Instant::now();
    seed_demo(&mut t, SeedSize { people, dialogues }).expect("seed");
    // Into the data file, as the app leaves a file at its quiet moments:
    // left in the WAL, every page a view reads is looked up there first,
    // and the small workplace (wholly in the WAL) would read slower than
    // a real one, which hides growth.
    t.checkpoint().expect("checkpoint the seeded file");
    eprintln!(
        "seeded {people} people / {dialogues} dialogues in {:.1?}",
        started.elapsed()
    );
    // A typical pair within a team (a team lead and an employee they meet
    // as often as the median pair does), not the director above all the
    // team leads. Not the busiest pair: among ten times as many pairs the
    // busiest has more dialogues, and its views would grow for that alone.
    let typical = |not_manager: i64| -> (i64, i64, i64, i64) {
        t.connection()
            .query_row(
                "WITH pairs AS (
                   SELECT d.manager_id AS m, d.employee_id AS e, max(d.id) AS last, count(*) AS n
                   FROM dialogue d JOIN person pm ON pm.id = d.manager_id
                   WHERE d.employee_id IS NOT NULL AND d.state <> 'planned' AND pm.manager_id IS NOT NULL
                     AND d.manager_id <> ?1 AND d.employee_id <> ?1
                     AND EXISTS (SELECT 1 FROM agreement a WHERE a.dialogue_id = d.id)
                   GROUP BY d.manager_id, d.employee_id)
                 SELECT m, e, last FROM pairs ORDER BY n, m, e
                 LIMIT 1 OFFSET (SELECT count(*) / 2 FROM pairs)",
                [not_manager],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .and_then(|(m, e, d): (i64, i64, i64)| {
                let a: i64 = t.connection().query_row(
                    "SELECT min(id) FROM agreement WHERE dialogue_id = ?1",
                    [d],
                    |r| r.get(0),
                )?;
                Ok((m, e, d, a))
            })
            .expect("a pair")
    };
    let (manager, employee, dialogue, agreement) = typical(0);
    let (writer, write_employee, write_dialogue, write_agreement) = typical(manager);
    let writer = t.sign_in(writer, DEMO_PASSPHRASE).expect("writer signs in");
    // For experiments: `TILLID_BENCH_PRAGMA="cache_size = -8192"`.
    if let Ok(pragma) = std::env::var("TILLID_BENCH_PRAGMA") {
        t.connection()
            .execute_batch(&format!("PRAGMA {pragma}"))
            .expect("pragma");
    }
    let manager = t
        .sign_in(manager, DEMO_PASSPHRASE)
        .expect("manager signs in");
    let employee = t
        .sign_in(employee, DEMO_PASSPHRASE)
        .expect("employee signs in");
    Seeded {
        _dir: dir,
        t,
        manager,
        employee,
        dialogue,
        agreement,
        writer,
        write_employee,
        write_dialogue,
        write_agreement,
    }
}

/// Opening the data file, as at start-up: the checks that refuse a damaged
/// file untouched (`quick_check` reads every page once) are in this figure.
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn open_the_data_file(bencher: Bencher, size: &str) {
    let s = seeded(size).lock().expect("lock");
    let path = s._dir.path().join("bench.sqlite3");
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!("{size}: data file {:.1} MiB", bytes as f64 / 1048576.0);
    bencher.bench_local(|| Tillid::open(&path).expect("open"));
}

#[divan::bench(args = sizes())]
fn home_of_a_manager(bencher: Bencher, size: &str) {
    let s = seeded(size).lock().expect("lock");
    bencher.bench_local(|| s.t.home(&s.manager).expect("home"));
}

/// The manager's overview (issue 7), beside their home view in the same
/// run: every employee and group they lead, with the facts of each.
#[divan::bench(args = sizes())]
fn overview_of_a_manager(bencher: Bencher, size: &str) {
    let s = seeded(size).lock().expect("lock");
    bencher.bench_local(|| s.t.manager_overview(&s.manager, "name").expect("overview"));
}

#[divan::bench(args = sizes())]
fn home_of_an_employee(bencher: Bencher, size: &str) {
    let s = seeded(size).lock().expect("lock");
    bencher.bench_local(|| s.t.home(&s.employee).expect("home"));
}

#[divan::bench(args = sizes())]
fn relationship_history(bencher: Bencher, size: &str) {
    let s = seeded(size).lock().expect("lock");
    let other = s.employee.id();
    bencher.bench_local(|| {
        s.t.relationship_history(&s.manager, Some(other), None)
            .expect("history")
    });
}

#[divan::bench(args = sizes())]
fn open_a_dialogue(bencher: Bencher, size: &str) {
    let s = seeded(size).lock().expect("lock");
    bencher.bench_local(|| s.t.get_dialogue(&s.manager, s.dialogue).expect("dialogue"));
}

#[divan::bench(args = sizes())]
fn add_an_agreement(bencher: Bencher, size: &str) {
    let mut s = seeded(size).lock().expect("lock");
    let s = &mut *s;
    let input = AgreementInput {
        text: "Vi holder et kort tjek-ind hver fredag".into(),
        owner_person_id: Some(s.write_employee),
        follow_up_on: Some("2027-01-15".into()),
        if_then: Some("Hvis fredagen er travl, så flytter vi til mandag".into()),
    };
    bencher.bench_local(|| {
        s.t.add_agreement(&s.writer, s.write_dialogue, &input)
            .expect("add")
    });
}

#[divan::bench(args = sizes())]
fn update_an_agreement(bencher: Bencher, size: &str) {
    let mut s = seeded(size).lock().expect("lock");
    let s = &mut *s;
    let mut done = false;
    bencher.bench_local(|| {
        done = !done;
        let to = if done { "done" } else { "open" };
        // The state may already be the target after earlier runs; both
        // outcomes cost one read and at most one write.
        let _ =
            s.t.set_agreement_state(&s.writer, s.write_agreement, to, Some("Klaret"));
    });
}

/// Signing in at the real key-derivation cost (Argon2id, 64 MiB), on the
/// large workplace: derive, unwrap, share pending keys, check for plain
/// content. The figure people wait for at the sign-in screen.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn unlock(bencher: Bencher) {
    let mut s = seeded("large").lock().expect("lock");
    let s = &mut *s;
    let id = s.employee.id();
    bencher.bench_local(|| {
        let actor = s.t.sign_in(id, DEMO_PASSPHRASE).expect("sign in");
        s.t.lock(&actor);
    });
    // Leave the employee signed in for the other benchmarks.
    s.employee = s.t.sign_in(id, DEMO_PASSPHRASE).expect("sign in");
}

/// The same for the team manager, who relies on more people's keys (their
/// employees and group): the roster and pins work grows with that.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn unlock_manager(bencher: Bencher) {
    let mut s = seeded("large").lock().expect("lock");
    let s = &mut *s;
    let id = s.manager.id();
    bencher.bench_local(|| {
        let actor = s.t.sign_in(id, DEMO_PASSPHRASE).expect("sign in");
        s.t.lock(&actor);
    });
    s.manager = s.t.sign_in(id, DEMO_PASSPHRASE).expect("sign in");
}

/// Key derivation alone at the real cost: the floor of any unlock. Beside
/// `unlock` in one run, the ratio shows what verifying the roster, pins and
/// pending keys adds.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn key_derivation_alone(bencher: Bencher) {
    let salt = [7u8; 16];
    bencher.bench_local(|| {
        tillid_core::crypto::kdf::derive_kek(DEMO_PASSPHRASE, &salt, KdfParams::STANDARD)
            .expect("derive")
    });
}

/// One manager–employee pair with 10,000 notes between them.
struct Notes {
    _dir: tempfile::TempDir,
    t: Tillid,
    manager: Actor,
}

fn notes() -> &'static Mutex<Notes> {
    static NOTES: OnceLock<Mutex<Notes>> = OnceLock::new();
    NOTES.get_or_init(|| {
        use tillid_core::crypto::KdfParams;
        use tillid_core::service::PlanInput;
        const WORDS: &[&str] = &[
            "vagtplan",
            "kursus",
            "Åse",
            "trivsel",
            "budget",
            "mentor",
            "ferie",
            "arbejdstid",
            "kollega",
            "borgerservice",
            "opfølgning",
            "sygefravær",
            "efteruddannelse",
            "teammøde",
            "Ærø",
        ];
        let dir = bench_dir();
        // The cheap derivation here only shortens set-up; search never derives.
        let mut t = Tillid::open(&dir.path().join("notes.sqlite3"))
            .expect("open")
            .with_kdf(KdfParams::FAST_FOR_TESTS);
        let pass = "a long enough passphrase";
        let manager = t.setup_workplace("Bench", "Mona", pass).expect("setup");
        let new = t
            .add_person(&manager, "Erik", false, Some(manager.id()))
            .expect("add");
        let employee = t
            .redeem_setup_code(new.person.id, &new.setup_code, pass)
            .expect("redeem");
        for d in 0..100 {
            let plan = PlanInput {
                person_id: Some(employee.id()),
                group_id: None,
                kind: None,
                scheduled_at: format!("2026-{:02}-{:02}T09:00:00Z", d % 12 + 1, d % 28 + 1),
            };
            let dialogue = t.plan_dialogue(&manager, &plan).expect("plan");
            for n in 0..100 {
                let i = d * 100 + n;
                let text = format!(
                    "Note {i}: vi talte om {} og {}, og aftalte at følge op.",
                    WORDS[i % WORDS.len()],
                    WORDS[(i * 7 + 3) % WORDS.len()]
                );
                t.add_note(&manager, dialogue, &text, n % 2 == 0)
                    .expect("note");
            }
        }
        Mutex::new(Notes {
            _dir: dir,
            t,
            manager,
        })
    })
}

/// The first search after unlock or a change: builds the in-memory index
/// over all 10,000 notes (decrypting each), then queries it.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn search_10k_notes_first(bencher: Bencher) {
    let mut n = notes().lock().expect("lock");
    let n = &mut *n;
    let id = n.manager.id();
    bencher.bench_local(|| {
        n.t.lock(&n.manager);
        n.manager =
            n.t.sign_in(id, "a long enough passphrase")
                .expect("sign in");
        n.t.search(&n.manager, "Åse kursus").expect("search")
    });
}

/// Later searches reuse the index.
#[divan::bench]
fn search_10k_notes_again(bencher: Bencher) {
    let n = notes().lock().expect("lock");
    n.t.search(&n.manager, "vagtplan").expect("warm up");
    bencher.bench_local(|| n.t.search(&n.manager, "Åse kursus").expect("search"));
}

/// What syncing every commit costs: the same writes with
/// `synchronous = NORMAL` (fsync only at checkpoints; loses acknowledged
/// writes at a power cut) and `FULL` (what the app uses), side by side.
/// `cargo bench -p tillid-core --bench workplace -- durability`
mod durability {
    use std::sync::{Mutex, OnceLock};

    use divan::Bencher;
    use tillid_core::crypto::KdfParams;
    use tillid_core::seed::{seed_demo, SeedSize, DEMO_PASSPHRASE};
    use tillid_core::service::AgreementInput;
    use tillid_core::store::{Durability, OpenOptions};
    use tillid_core::{Actor, Tillid};

    const MODES: &[&str] = &["normal", "full"];

    fn options(mode: &str) -> OpenOptions {
        OpenOptions {
            durability: if mode == "normal" {
                Durability::Normal
            } else {
                Durability::Full
            },
            ..Default::default()
        }
    }

    const SMALL: SeedSize = SeedSize {
        people: 20,
        dialogues: 200,
    };

    struct Pair {
        _dir: tempfile::TempDir,
        t: Tillid,
        manager: Actor,
        employee: i64,
        dialogue: i64,
        agreement: i64,
    }

    fn seeded(mode: &str) -> &'static Mutex<Pair> {
        static NORMAL: OnceLock<Mutex<Pair>> = OnceLock::new();
        static FULL: OnceLock<Mutex<Pair>> = OnceLock::new();
        let cell = if mode == "normal" { &NORMAL } else { &FULL };
        cell.get_or_init(|| {
            let dir = super::bench_dir();
            let mut t = Tillid::open_with(&dir.path().join("d.sqlite3"), &options(mode))
                .expect("open")
                .with_kdf(KdfParams::FAST_FOR_TESTS);
            seed_demo(&mut t, SMALL).expect("seed");
            let (manager, employee, dialogue, agreement): (i64, i64, i64, i64) = t
                .connection()
                .query_row(
                    "SELECT d.manager_id, d.employee_id, d.id, a.id FROM agreement a
                     JOIN dialogue d ON d.id = a.dialogue_id
                     WHERE d.state <> 'planned' AND d.employee_id IS NOT NULL ORDER BY a.id LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .expect("an agreement");
            let manager = t.sign_in(manager, DEMO_PASSPHRASE).expect("sign in");
            Mutex::new(Pair {
                _dir: dir,
                t,
                manager,
                employee,
                dialogue,
                agreement,
            })
        })
    }

    #[divan::bench(args = MODES, sample_count = 30)]
    fn add_agreement(bencher: Bencher, mode: &str) {
        let mut p = seeded(mode).lock().expect("lock");
        let p = &mut *p;
        let input = AgreementInput {
            text: "Vi holder et kort tjek-ind hver fredag".into(),
            owner_person_id: Some(p.employee),
            follow_up_on: Some("2027-01-15".into()),
            if_then: None,
        };
        bencher.bench_local(|| {
            p.t.add_agreement(&p.manager, p.dialogue, &input)
                .expect("add")
        });
    }

    #[divan::bench(args = MODES, sample_count = 30)]
    fn update_agreement_state(bencher: Bencher, mode: &str) {
        let mut p = seeded(mode).lock().expect("lock");
        let p = &mut *p;
        let mut done = false;
        bencher.bench_local(|| {
            done = !done;
            let to = if done { "done" } else { "open" };
            let _ =
                p.t.set_agreement_state(&p.manager, p.agreement, to, Some("Klaret"));
        });
    }

    /// Signing in (with test-cost key derivation, so the writes of an
    /// unlock — pins, the wrong-try count — are what is measured; the real
    /// Argon2 adds about half a second to both).
    #[divan::bench(args = MODES, sample_count = 30)]
    fn sign_in(bencher: Bencher, mode: &str) {
        let mut p = seeded(mode).lock().expect("lock");
        let p = &mut *p;
        let employee = p.employee;
        bencher.bench_local(|| {
            let a = p.t.sign_in(employee, DEMO_PASSPHRASE).expect("sign in");
            p.t.lock(&a);
        });
    }

    /// Seeding a fresh small workplace (one transaction, so one sync).
    #[divan::bench(args = MODES, sample_count = 5, sample_size = 1)]
    fn seed(bencher: Bencher, mode: &str) {
        bencher
            .with_inputs(tempfile::tempdir)
            .bench_local_values(|dir| {
                let dir = dir.expect("temp dir");
                let mut t = Tillid::open_with(&dir.path().join("s.sqlite3"), &options(mode))
                    .expect("open")
                    .with_kdf(KdfParams::FAST_FOR_TESTS);
                seed_demo(&mut t, SMALL).expect("seed");
                drop(t);
                dir
            });
    }
}
