//! `tillid export`: the data-rights export end to end without a dialog.
//! The zip is written whole; the own export holds the person's own private
//! note and not their manager's; the manager's export about the employee
//! holds the manager's and not the employee's; no one else's dialogue is in
//! either; an employee cannot export about someone else.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tillid_core::crypto::KdfParams;
use tillid_core::service::PlanInput;
use tillid_core::{paths, Tillid};

const TILLID: &str = env!("CARGO_BIN_EXE_tillid");
const PASS: &str = "correct horse battery";
const ERIKS: &str = "MARK-eriks-private-note";
const MONAS: &str = "MARK-monas-private-note-about-erik";
const SHARED: &str = "MARK-shared-note-in-eriks-dialogue";
const OLGAS: &str = "MARK-note-in-olgas-dialogue";

fn workplace(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut t = Tillid::open(&paths::db_path(dir))
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let admin = t.setup_workplace("Nord", "Inge", PASS).unwrap();
    let join = |t: &mut Tillid, name: &str, manager: Option<i64>| {
        let new = t.add_person(&admin, name, false, manager).unwrap();
        t.redeem_setup_code(new.person.id, &new.setup_code, PASS)
            .unwrap()
    };
    let mona = join(&mut t, "Mona", None);
    let erik = join(&mut t, "Erik", Some(mona.id()));
    let olga = join(&mut t, "Olga", Some(mona.id()));
    let plan = |t: &mut Tillid, who: i64| {
        t.plan_dialogue(
            &mona,
            &PlanInput {
                person_id: Some(who),
                group_id: None,
                kind: Some("mus".into()),
                scheduled_at: "2026-12-03T09:00:00Z".into(),
            },
        )
        .unwrap()
    };
    let eriks = plan(&mut t, erik.id());
    let olgas = plan(&mut t, olga.id());
    t.add_note(&erik, eriks, ERIKS, true).unwrap();
    t.add_note(&mona, eriks, MONAS, true).unwrap();
    t.add_note(&mona, eriks, SHARED, false).unwrap();
    t.add_note(&mona, olgas, OLGAS, false).unwrap();
}

fn export(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(TILLID)
        .arg("--data-dir")
        .arg(dir)
        .arg("export")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASS}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn data_json(zip: &Path) -> String {
    let file = std::fs::File::open(zip).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["data.json", "index.html", "schema.json"]);
    let mut text = String::new();
    archive
        .by_name("data.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn only_the_zip(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

#[test]
fn the_command_line_exports_what_the_person_may_see_and_nothing_else() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("data");
    workplace(&dir);
    let out_dir = work.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();

    let own = out_dir.join("erik.zip");
    let run = export(&dir, &["--person", "Erik", "--to", own.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let data = data_json(&own);
    assert!(data.contains(ERIKS) && data.contains(SHARED));
    assert!(!data.contains(MONAS) && !data.contains(OLGAS));
    assert!(data.contains("\"schema_version\": 2"));
    assert!(data.contains("\"export\": \"own\""));

    let about = out_dir.join("about-erik.zip");
    let run = export(
        &dir,
        &[
            "--person",
            "Mona",
            "--about",
            "Erik",
            "--to",
            about.to_str().unwrap(),
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let data = data_json(&about);
    assert!(data.contains(MONAS) && data.contains(SHARED));
    assert!(!data.contains(ERIKS) && !data.contains(OLGAS));
    assert!(data.contains("\"export\": \"about_employee\""));

    // Erik is not Olga's manager: refused, and nothing is written.
    let refused = out_dir.join("olga.zip");
    let run = export(
        &dir,
        &[
            "--person",
            "Erik",
            "--about",
            "Olga",
            "--to",
            refused.to_str().unwrap(),
        ],
    );
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("may not export"));
    assert!(!refused.exists());
    // Only the two zips, nothing half-written beside them.
    assert_eq!(only_the_zip(&out_dir).len(), 2);
}
