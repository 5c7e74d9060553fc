//! What someone was typing when the idle lock came: sealed with their own
//! key, offered back once at their next sign-in, readable by no one else,
//! and never in clear in the file.

mod support;

use support::{contains, file_tillid, fixed_clock, join, PASS};
use tillid_core::service::Draft;
use tillid_core::Error;

fn draft(text: &str) -> Draft {
    Draft {
        route: "#/dialogue/7".into(),
        field: "agreement-text".into(),
        index: 0,
        text: text.into(),
    }
}

#[test]
fn a_draft_comes_back_once_to_its_writer_and_is_never_in_clear_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    let mut t = file_tillid(&path).with_clock(fixed_clock());
    let admin = t.setup_workplace("Nord", "Inge Admin", PASS).unwrap();
    let mona = join(&mut t, &admin, "Mona Manager", None);
    let erik = join(&mut t, &admin, "Erik Employee", Some(mona.id()));

    t.save_drafts(&mona, &[draft("HALVSKREVET-AFTALE om kurset")])
        .unwrap();
    t.lock(&mona);
    t.checkpoint().unwrap();
    let mut raw = std::fs::read(&path).unwrap();
    raw.extend(std::fs::read(dir.path().join("tillid.sqlite3-wal")).unwrap_or_default());
    assert!(!contains(&raw, "HALVSKREVET"), "a draft in clear on disk");
    assert!(
        !contains(&raw, "agreement-text"),
        "where she typed, in clear"
    );

    // Someone else signing in gets nothing of it.
    let erik = t.sign_in(erik.id(), PASS).unwrap();
    assert!(t.take_drafts(&erik).unwrap().is_empty());
    t.lock(&erik);

    let mona = t.sign_in(mona.id(), PASS).unwrap();
    let back = t.take_drafts(&mona).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].draft, draft("HALVSKREVET-AFTALE om kurset"));
    // Offered once.
    assert!(t.take_drafts(&mona).unwrap().is_empty());

    // Saving again replaces; an empty list forgets.
    t.save_drafts(&mona, &[draft("en"), draft("to")]).unwrap();
    t.save_drafts(&mona, &[]).unwrap();
    assert!(t.take_drafts(&mona).unwrap().is_empty());
}

#[test]
fn a_draft_moved_to_someone_else_opens_for_no_one_and_bad_input_changes_nothing() {
    let mut w = support::workplace();
    let (mona, erik) = (w.manager.clone(), w.employee.clone());
    w.t.save_drafts(&mona, &[draft("MONAS-UDKAST")]).unwrap();
    // A colleague moves Mona's sealed draft over to Erik in the file.
    w.t.connection()
        .execute("UPDATE draft SET person_id = ?1", [erik.id()])
        .unwrap();
    assert!(w.t.take_drafts(&erik).unwrap().is_empty());
    assert_eq!(w.count("draft"), 0);

    w.t.save_drafts(&mona, &[draft("beholdes")]).unwrap();
    let too_many: Vec<Draft> = (0..21).map(|i| draft(&i.to_string())).collect();
    let e = w.t.save_drafts(&mona, &too_many).unwrap_err();
    assert!(
        matches!(e, Error::InvalidInput { field: "drafts" }),
        "{e:?}"
    );
    let mut no_place = draft("x");
    no_place.route = "  ".into();
    assert!(w.t.save_drafts(&mona, &[no_place]).is_err());
    let long = draft(&"å".repeat(20_001));
    let e = w.t.save_drafts(&mona, &[long]).unwrap_err();
    assert_eq!(e.code(), "text_too_long");
    let back = w.t.take_drafts(&mona).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].draft.text, "beholdes");
}
