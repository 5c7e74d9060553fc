//! A colleague with the closed file in hand edits it with a script (raw SQL),
//! then the app opens it. Each test names the attack from the threat model
//! (docs/threat-model.md, "Someone who edits the file"), makes it, and
//! checks the app refuses or warns, shows nothing forged as genuine, wraps
//! no key to the tamperer, and keeps every untouched item readable.

use std::path::{Path, PathBuf};

use chrono::TimeZone;
use rusqlite::{params, Connection};

use super::dialogues::PlanInput;
use super::groups::GroupInput;
use super::keys::{self, Lock};
use super::{Actor, AgreementInput, Tillid};
use crate::crypto::{wrap, KdfParams};
use crate::Error;

const PASS: &str = "correct horse battery";

struct Office {
    _dir: tempfile::TempDir,
    path: PathBuf,
    admin: i64,
    mona: i64,
    erik: i64,
    olga: i64,
    otto: i64,
    group: i64,
    /// Mona and Erik's one-to-one, held, with a shared note, a private
    /// note of Mona's and an agreement.
    pair: i64,
    /// The group's dialogue, held, with a shared note.
    grus: i64,
}

fn open(path: &Path) -> Tillid {
    Tillid::open(path)
        .unwrap()
        .with_kdf(KdfParams::FAST_FOR_TESTS)
        .with_clock(Box::new(|| {
            chrono::Utc
                .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
                .single()
                .unwrap_or_default()
        }))
}

fn join(t: &mut Tillid, admin: &Actor, name: &str, manager: Option<i64>) -> i64 {
    let new = t.add_person(admin, name, false, manager).unwrap();
    t.redeem_setup_code(new.person.id, &new.setup_code, PASS)
        .unwrap()
        .id()
}

/// A workplace written through the real operations, then closed.
fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tillid.sqlite3");
    let mut t = open(&path);
    let admin = t.setup_workplace("Nord", "Inge Admin", PASS).unwrap();
    let mona = join(&mut t, &admin, "Mona Manager", None);
    let erik = join(&mut t, &admin, "Erik Employee", Some(mona));
    let olga = join(&mut t, &admin, "Olga Outsider", None);
    let otto = join(&mut t, &admin, "Otto Other", None);
    let group = t
        .save_group(
            &admin,
            &GroupInput {
                group_id: None,
                name: "Team Nord".into(),
                leader_id: mona,
                member_ids: vec![erik],
            },
        )
        .unwrap();
    let (m, e) = (Actor { id: mona }, Actor { id: erik });
    let pair = plan(&mut t, &m, Some(erik), None);
    t.add_note(&m, pair, "Delt note om kurset", false).unwrap();
    t.add_note(&m, pair, "Monas private note", true).unwrap();
    agree(&mut t, &m, pair, Some(erik), "Erik tager kurset");
    t.mark_held(&m, pair).unwrap();
    let grus = plan(&mut t, &m, None, Some(group));
    t.add_note(&e, grus, "Gruppens note", false).unwrap();
    t.mark_held(&m, grus).unwrap();
    for p in [admin.id(), mona, erik, olga, otto] {
        t.lock(&Actor { id: p });
    }
    drop(t);
    Office {
        _dir: dir,
        path,
        admin: admin.id(),
        mona,
        erik,
        olga,
        otto,
        group,
        pair,
        grus,
    }
}

fn plan(t: &mut Tillid, manager: &Actor, person: Option<i64>, group: Option<i64>) -> i64 {
    t.plan_dialogue(
        manager,
        &PlanInput {
            person_id: person,
            group_id: group,
            kind: None,
            scheduled_at: "2026-12-03T09:00:00Z".into(),
        },
    )
    .unwrap()
}

fn agree(t: &mut Tillid, by: &Actor, dialogue: i64, owner: Option<i64>, text: &str) -> i64 {
    t.add_agreement(
        by,
        dialogue,
        &AgreementInput {
            text: text.into(),
            owner_person_id: owner,
            follow_up_on: None,
            if_then: None,
        },
    )
    .unwrap()
}

impl Office {
    /// The script: raw SQL on the closed file.
    fn edit(&self, sql: &str) {
        let conn = Connection::open(&self.path).unwrap();
        conn.execute_batch(sql).unwrap();
    }

    /// One byte of the pair's agreement text zeroed, as a bad sector would.
    fn damage_the_agreement(&self) {
        self.edit(&format!(
            "UPDATE agreement SET body = CAST(substr(body, 1, 30) || x'00' || substr(body, 32) AS BLOB)
               WHERE dialogue_id = {};",
            self.pair
        ));
    }

    fn raw(&self) -> Connection {
        Connection::open(&self.path).unwrap()
    }

    fn sign_in(&self, t: &mut Tillid, person: i64) -> Actor {
        t.sign_in(person, PASS).unwrap()
    }

    /// The space key rows a person holds, as (space id, wrapped).
    fn wraps_of(&self, person: i64) -> Vec<(i64, Vec<u8>)> {
        let conn = self.raw();
        let mut stmt = conn
            .prepare("SELECT space_id, wrapped FROM space_key WHERE person_id = ?1")
            .unwrap();
        let rows = stmt
            .query_map([person], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        rows.map(|r| r.unwrap()).collect()
    }
}

fn warnings(t: &Tillid, actor: &Actor) -> Vec<(&'static str, Option<String>)> {
    t.trust_warnings(actor)
        .unwrap()
        .into_iter()
        .map(|w| (w.kind, w.name))
        .collect()
}

/// 1. A setup code is a key only until it is redeemed: secrets issued with
///    it open none of the space keys, pins or content written after.
#[test]
fn a_setup_code_and_an_older_copy_open_nothing_written_after_redeem() {
    let o = office();
    let mut t = open(&o.path);
    let admin = o.sign_in(&mut t, o.admin);
    let new = t
        .add_person(&admin, "Nina New", false, Some(o.mona))
        .unwrap();
    let nina = new.person.id;
    // The copier keeps the setup-code wrap from a copy of the file.
    let issued_wrap = keys::load_wrapped(&t.conn, nina, Lock::SetupCode)
        .unwrap()
        .unwrap();
    let code = crate::secret::normalise_setup_code(&new.setup_code);
    t.lock(&admin);
    let nina_actor = t.redeem_setup_code(nina, &new.setup_code, PASS).unwrap();
    let mona = o.sign_in(&mut t, o.mona);
    let d = plan(&mut t, &mona, Some(nina), None);
    t.add_note(&mona, d, "Skrevet efter Ninas første login", false)
        .unwrap();
    t.lock(&mona);

    let issued = keys::unwrap_secrets(&issued_wrap, nina, Lock::SetupCode, &code)
        .unwrap()
        .secrets;
    let wraps = o.wraps_of(nina);
    assert!(!wraps.is_empty(), "Nina holds the pair's key");
    let conn = o.raw();
    for (space_row, wrapped) in &wraps {
        let (kind, a, b): (String, i64, i64) = conn
            .query_row(
                "SELECT kind, a, b FROM space WHERE id = ?1",
                [space_row],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        let space = keys::space_from_row(&kind, a, b);
        let aad = format!(
            "tillid/space/{kind}/{a}/{b}/to/{nina}",
            kind = keys::space_ident(space).unwrap().0
        );
        assert!(
            wrap::unwrap_with_secret(&issued.x25519, aad.as_bytes(), wrapped).is_err(),
            "the setup code's secrets open a key wrapped after redeem"
        );
        // Nina's own, fresh secrets do: the test can tell.
        let fresh = &t.vault.get(nina_actor.id()).unwrap().secrets;
        wrap::unwrap_with_secret(&fresh.x25519, aad.as_bytes(), wrapped).unwrap();
    }
    let pins: Vec<u8> = conn
        .query_row(
            "SELECT pins FROM person_key WHERE person_id = ?1",
            [nina],
            |r| r.get(0),
        )
        .unwrap();
    assert!(crate::trust::Pins::open(nina, &issued.content_key, &pins).is_err());
}

/// 2a. Inserting yourself into a group (membership and a dialogue seat)
///     gets you no key when the next member signs in.
#[test]
fn a_planted_group_seat_gets_no_key() {
    let o = office();
    o.edit(&format!(
        "INSERT INTO team_member (team_id, person_id) VALUES ({g}, {olga});
         INSERT INTO participant (dialogue_id, person_id, role) VALUES ({d}, {olga}, 'member');",
        g = o.group,
        olga = o.olga,
        d = o.grus
    ));
    let before = o.wraps_of(o.olga).len();
    let mut t = open(&o.path);
    let mona = o.sign_in(&mut t, o.mona);
    let erik = o.sign_in(&mut t, o.erik);
    assert_eq!(
        o.wraps_of(o.olga).len(),
        before,
        "a key was wrapped to Olga"
    );
    // Everyone untouched still reads the group's note.
    let view = t.get_dialogue(&erik, o.grus).unwrap();
    assert_eq!(view.notes[0].text, "Gruppens note");
    t.lock(&mona);
    // Olga's planted seat shows her nothing of it.
    let olga = o.sign_in(&mut t, o.olga);
    assert!(matches!(
        t.get_dialogue(&olga, o.grus),
        Err(Error::KeyPending { .. })
    ));
}

/// 2b. Your public key on a colleague's row, their wraps deleted: the next
///     member wraps to the colleague's key from the signed roster, not to
///     yours.
#[test]
fn a_swapped_public_key_row_gets_no_key() {
    let o = office();
    o.edit(&format!(
        "UPDATE person_key SET public_key = (SELECT public_key FROM person_key WHERE person_id = {olga})
           WHERE person_id = {erik};
         DELETE FROM space_key WHERE person_id = {erik};",
        olga = o.olga,
        erik = o.erik
    ));
    let mut t = open(&o.path);
    let mona = o.sign_in(&mut t, o.mona);
    t.lock(&mona);
    let rewrapped = o.wraps_of(o.erik);
    assert!(!rewrapped.is_empty(), "Erik's keys come back");
    let olga = o.sign_in(&mut t, o.olga);
    let olga_secret = t.vault.get(olga.id()).unwrap().secrets.x25519.clone();
    for (_, wrapped) in &rewrapped {
        for aad in [
            format!("tillid/space/pair/{}/{}/to/{}", o.mona, o.erik, o.erik),
            format!("tillid/space/group/{}/1/to/{}", o.group, o.erik),
        ] {
            assert!(wrap::unwrap_with_secret(&olga_secret, aad.as_bytes(), wrapped).is_err());
        }
    }
    // And the real Erik reads his dialogue.
    let erik = o.sign_in(&mut t, o.erik);
    let view = t.get_dialogue(&erik, o.pair).unwrap();
    assert_eq!(view.notes[0].text, "Delt note om kurset");
}

/// 3. After the upgrade, a deleted key row and a planted passphrase hash
///    are an integrity error, not a sign-in; a hash asking for absurd
///    Argon2 costs fails fast.
#[test]
fn a_planted_legacy_hash_does_not_sign_in() {
    let o = office();
    let hash = {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let params = argon2::Params::new(256, 1, 1, None).unwrap();
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password(b"chosen by the attacker", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string()
    };
    o.edit(&format!(
        "DELETE FROM person_key WHERE person_id = {erik};
         UPDATE person SET passphrase_hash = '{hash}' WHERE id = {erik};",
        erik = o.erik
    ));
    let mut t = open(&o.path);
    assert!(matches!(
        t.sign_in(o.erik, "chosen by the attacker"),
        Err(Error::Integrity)
    ));
    assert!(t.vault.get(o.erik).is_err(), "no keys in memory");
    let huge = hash.replacen("m=256", "m=4294967295", 1);
    o.edit(&format!(
        "UPDATE person SET passphrase_hash = '{huge}' WHERE id = {};",
        o.erik
    ));
    let mut t = open(&o.path);
    assert!(t.sign_in(o.erik, "chosen by the attacker").is_err());
}

/// 4. A plain value planted in place of a sealed one is damaged, never the
///    manager's words; the next unlock does not seal it as genuine.
#[test]
fn a_planted_plain_value_shows_as_damaged_and_stays_so() {
    let o = office();
    o.edit(&format!(
        "UPDATE note SET body = CAST(x'00' || 'Forfalsket af Olga' AS BLOB)
           WHERE dialogue_id = {} AND private = 0;",
        o.pair
    ));
    let mut t = open(&o.path);
    let mona = o.sign_in(&mut t, o.mona);
    let erik = o.sign_in(&mut t, o.erik);
    let view = t.get_dialogue(&erik, o.pair).unwrap();
    let note = view.notes.iter().find(|n| !n.private).unwrap();
    assert!(note.damaged);
    assert!(!note.text.contains("Forfalsket"));
    // The rest of the page works.
    assert_eq!(view.agreements[0].text, "Erik tager kurset");
    assert!(!view.agreements[0].damaged);
    t.lock(&mona);
    let first: Vec<u8> = o
        .raw()
        .query_row(
            "SELECT substr(body, 1, 1) FROM note WHERE dialogue_id = ?1 AND private = 0",
            [o.pair],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(first, vec![0], "not sealed as if genuine");
    // Confirming a summary with a forged line in it is refused.
    let version = view.summary_version;
    assert!(matches!(
        t.confirm_summary(&erik, o.pair, version),
        Err(Error::Integrity)
    ));
}

/// 5a. `is_admin = 1` on your own row makes you no administrator.
#[test]
fn an_edited_admin_flag_grants_nothing() {
    let o = office();
    o.edit(&format!(
        "UPDATE person SET is_admin = 1 WHERE id = {};",
        o.erik
    ));
    let mut t = open(&o.path);
    let erik = o.sign_in(&mut t, o.erik);
    assert!(!t.me(&erik).unwrap().is_admin);
    assert!(matches!(t.list_people(&erik), Err(Error::Forbidden)));
    assert!(matches!(
        t.add_person(&erik, "Mallory", true, None),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        t.reset_passphrase(&erik, o.mona),
        Err(Error::Forbidden)
    ));
}

/// 5b. Editing the signed roster itself (making yourself administrator in
///     its entry) breaks its hash: everyone is warned, no one gains.
#[test]
fn an_edited_roster_entry_is_refused_and_named() {
    let o = office();
    o.edit(&format!(
        "UPDATE roster_person SET body = CAST(replace(CAST(body AS TEXT), '\"admin\":false', '\"admin\":true') AS BLOB)
           WHERE person_id = {};",
        o.erik
    ));
    let mut t = open(&o.path);
    let erik = o.sign_in(&mut t, o.erik);
    assert!(!t.me(&erik).unwrap().is_admin);
    assert!(t.list_people(&erik).is_err());
    assert_eq!(warnings(&t, &erik), vec![("roster_unverified", None)]);
    // What Erik wrote himself still reads; what others signed cannot be
    // told genuine without the roster, so it shows as damaged, not forged.
    let view = t.get_dialogue(&erik, o.grus).unwrap();
    assert_eq!(view.notes[0].text, "Gruppens note");
    let view = t.get_dialogue(&erik, o.pair).unwrap();
    assert!(view.notes[0].damaged);
    let mona = o.sign_in(&mut t, o.mona);
    assert_eq!(warnings(&t, &mona), vec![("roster_unverified", None)]);
}

/// 5c. Rolling the roster back to an older head (undoing a reset, say) is
///     noticed by everyone who pinned the newer one.
#[test]
fn a_rolled_back_roster_is_refused() {
    let o = office();
    let newest: i64 = o
        .raw()
        .query_row("SELECT max(version) FROM roster_head", [], |r| r.get(0))
        .unwrap();
    o.edit(&format!(
        "DELETE FROM roster_head WHERE version = {newest};"
    ));
    let mut t = open(&o.path);
    let mona = o.sign_in(&mut t, o.mona);
    assert_eq!(warnings(&t, &mona), vec![("roster_unverified", None)]);
    assert!(matches!(t.plan_options(&mona), Err(Error::Integrity)));
}

/// 5d. An idle lock of 10¹² seconds was not set in Settings: an integrity
///     error, and the app locks after the default.
#[test]
fn an_absurd_idle_lock_is_refused() {
    let o = office();
    o.edit("UPDATE workplace SET idle_lock_seconds = 1000000000000;");
    let t = open(&o.path);
    assert!(matches!(t.idle_lock_seconds(), Err(Error::Integrity)));
    let status = t.status().unwrap();
    assert_eq!(status.workplace.unwrap().idle_lock_seconds, 300);
}

/// 6. One damaged value shows as damaged; the rest of the page and home
///    work. A co-member's broken public key row fails no one's sign-in.
#[test]
fn one_damaged_value_fails_small() {
    let o = office();
    o.damage_the_agreement();
    o.edit(&format!(
        "UPDATE person_key SET public_key = zeroblob(32) WHERE person_id = {};",
        o.olga
    ));
    let mut t = open(&o.path);
    let erik = o.sign_in(&mut t, o.erik);
    let view = t.get_dialogue(&erik, o.pair).unwrap();
    assert!(view.agreements[0].damaged);
    assert_eq!(view.notes[0].text, "Delt note om kurset");
    let home = t.home(&erik).unwrap();
    let damaged: Vec<_> = home
        .my_responsibilities
        .iter()
        .filter(|a| a.damaged)
        .collect();
    assert_eq!(damaged.len(), 1);
    assert!(damaged[0].text.is_empty());
    // Olga's row is not what anyone wraps to; Mona signs in as usual.
    o.sign_in(&mut t, o.mona);
}

/// 6b. A sign-in that fails on the way leaves no keys in memory: pins
///     removed from a sealed-era person are an integrity error.
#[test]
fn a_failed_sign_in_leaves_no_keys() {
    let o = office();
    o.edit(&format!(
        "UPDATE person_key SET pins = NULL WHERE person_id = {};",
        o.erik
    ));
    let mut t = open(&o.path);
    assert!(matches!(t.sign_in(o.erik, PASS), Err(Error::Integrity)));
    assert!(t.vault.get(o.erik).is_err());
}

/// 7a. A new group member reads from the day they join, not the past; a
///     former member gets nothing new; an administrator adding themselves
///     gains no sight into earlier dialogues.
#[test]
fn group_keys_go_by_era() {
    let o = office();
    let mut t = open(&o.path);
    let admin = o.sign_in(&mut t, o.admin);
    // Otto and the administrator join, Erik leaves.
    t.save_group(
        &admin,
        &GroupInput {
            group_id: Some(o.group),
            name: "Team Nord".into(),
            leader_id: o.mona,
            member_ids: vec![o.otto, o.admin],
        },
    )
    .unwrap();
    let mona = o.sign_in(&mut t, o.mona);
    let later = plan(&mut t, &mona, None, Some(o.group));
    t.add_note(&mona, later, "Efter skiftet", false).unwrap();
    let otto = o.sign_in(&mut t, o.otto);
    let erik = o.sign_in(&mut t, o.erik);
    assert_eq!(
        t.get_dialogue(&otto, later).unwrap().notes[0].text,
        "Efter skiftet"
    );
    assert!(
        t.get_dialogue(&otto, o.grus).is_err(),
        "a new member reads the group's past"
    );
    assert!(t.get_dialogue(&admin, o.grus).is_err());
    assert!(
        t.get_dialogue(&erik, later).is_err(),
        "a former member reads what came after"
    );
    // Erik keeps what he was part of.
    assert_eq!(
        t.get_dialogue(&erik, o.grus).unwrap().notes[0].text,
        "Gruppens note"
    );
    let era_one = format!("SELECT count(*) FROM space_key k JOIN space s ON s.id = k.space_id WHERE s.kind = 'group' AND s.b = 1 AND k.person_id IN ({}, {})", o.otto, o.admin);
    let n: i64 = o.raw().query_row(&era_one, [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0, "no key of the earlier era reached a newcomer");
}

/// 7b. Who stopped managing someone drops out of dialogues not yet held.
#[test]
fn a_former_manager_drops_out_of_planned_dialogues() {
    let o = office();
    let mut t = open(&o.path);
    let mona = o.sign_in(&mut t, o.mona);
    let planned = plan(&mut t, &mona, Some(o.erik), None);
    let admin = o.sign_in(&mut t, o.admin);
    t.set_manager(&admin, o.erik, Some(o.otto)).unwrap();
    assert!(matches!(
        t.get_dialogue(&mona, planned),
        Err(Error::Forbidden)
    ));
    // The held one stays theirs.
    assert!(t.get_dialogue(&mona, o.pair).is_ok());
}

/// A verified change of a colleague's key (an administrator's reset) is
/// named at the next sign-in of those who rely on it.
#[test]
fn a_changed_key_is_named_at_sign_in() {
    let o = office();
    let mut t = open(&o.path);
    // Mona's last unlock pinned Erik's key.
    let mona = o.sign_in(&mut t, o.mona);
    t.lock(&mona);
    let admin = o.sign_in(&mut t, o.admin);
    t.reset_passphrase(&admin, o.erik).unwrap();
    let mona = o.sign_in(&mut t, o.mona);
    assert_eq!(
        warnings(&t, &mona),
        vec![("key_changed", Some("Erik Employee".to_string()))]
    );
    t.lock(&mona);
    let mona = o.sign_in(&mut t, o.mona);
    assert!(warnings(&t, &mona).is_empty(), "told once");
}

/// `tillid check` lists what is damaged, and nothing on an untouched file.
#[test]
fn check_lists_each_damaged_item() {
    let o = office();
    let mut t = open(&o.path);
    let erik = o.sign_in(&mut t, o.erik);
    let clean = t.check(Some(&erik)).unwrap();
    assert!(clean.ok(), "{clean:?}");
    assert_eq!(clean.dialogues_checked, 2);
    t.lock(&erik);
    drop(t);
    o.damage_the_agreement();
    let mut t = open(&o.path);
    let erik = o.sign_in(&mut t, o.erik);
    let report = t.check(Some(&erik)).unwrap();
    assert!(!report.ok());
    assert!(report.file_ok && report.roster_ok);
    let agreement: i64 = o
        .raw()
        .query_row(
            "SELECT id FROM agreement WHERE dialogue_id = ?1",
            [o.pair],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        report.problems,
        vec![super::Problem {
            what: "agreement",
            id: agreement,
            why: "damaged"
        }]
    );
    // Without a person: the file and the roster.
    assert!(t.check(None).unwrap().ok());
}

/// 5e. A shared note re-attributed to another participant shows as
///     damaged, and its new "author" may not change it.
#[test]
fn a_reattributed_note_is_caught() {
    let o = office();
    o.edit(&format!(
        "UPDATE note SET author_id = {erik} WHERE dialogue_id = {d} AND private = 0;",
        erik = o.erik,
        d = o.pair
    ));
    let mut t = open(&o.path);
    let erik = o.sign_in(&mut t, o.erik);
    let view = t.get_dialogue(&erik, o.pair).unwrap();
    let note = view.notes.iter().find(|n| !n.private).unwrap();
    assert!(note.damaged && note.text.is_empty());
    assert!(matches!(
        t.update_note(&erik, note.id, "Nu er den min"),
        Err(Error::Integrity)
    ));
    assert!(!view.agreements[0].damaged, "the rest is untouched");
}

/// 5f. A forged confirmation ("Erik confirmed", copied from Mona's row) and
///     a forged state do not count: Erik still has to confirm, and the
///     dialogue's state shows as damaged.
#[test]
fn a_forged_confirmation_and_state_are_caught() {
    let o = office();
    let mut t = open(&o.path);
    let mona = o.sign_in(&mut t, o.mona);
    let v = t.get_dialogue(&mona, o.pair).unwrap().summary_version;
    t.confirm_summary(&mona, o.pair, v).unwrap();
    let planned = plan(&mut t, &mona, Some(o.erik), None);
    t.lock(&mona);
    drop(t);
    o.edit(&format!(
        "INSERT INTO confirmation (dialogue_id, person_id, version, snapshot, at, sig)
           SELECT dialogue_id, {erik}, version, snapshot, at, sig FROM confirmation WHERE dialogue_id = {d};
         UPDATE dialogue SET state = 'confirmed' WHERE id = {d};
         UPDATE dialogue SET state = 'held', held_at = '2026-12-01T09:00:00Z' WHERE id = {planned};",
        erik = o.erik,
        d = o.pair
    ));
    let mut t = open(&o.path);
    let erik = o.sign_in(&mut t, o.erik);
    let view = t.get_dialogue(&erik, o.pair).unwrap();
    assert!(
        view.my_confirmation.is_none(),
        "a forged confirmation counts"
    );
    let me = view.participants.iter().find(|p| p.id == o.erik).unwrap();
    assert_eq!(me.confirmed_version, None);
    assert!(view.state_damaged);
    let forged = t.get_dialogue(&erik, planned).unwrap();
    assert!(forged.state_damaged, "a held state no manager signed");
    assert!(!forged.can.confirm);
}

/// 5g. An older ciphertext of the same row copied back (from a backup) is
///     noticed by whoever confirmed the newer summary.
#[test]
fn a_rolled_back_value_is_noticed_after_confirmation() {
    let o = office();
    let agreement: i64 = o
        .raw()
        .query_row(
            "SELECT id FROM agreement WHERE dialogue_id = ?1",
            [o.pair],
            |r| r.get(0),
        )
        .unwrap();
    let old: (Vec<u8>, Vec<u8>) = o
        .raw()
        .query_row(
            "SELECT body, sig FROM agreement WHERE id = ?1",
            [agreement],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut t = open(&o.path);
    let mona = o.sign_in(&mut t, o.mona);
    t.edit_agreement(
        &mona,
        agreement,
        &AgreementInput {
            text: "Erik tager kurset i marts".into(),
            owner_person_id: Some(o.erik),
            follow_up_on: None,
            if_then: None,
        },
    )
    .unwrap();
    let v = t.get_dialogue(&mona, o.pair).unwrap().summary_version;
    t.confirm_summary(&mona, o.pair, v).unwrap();
    let erik = o.sign_in(&mut t, o.erik);
    t.confirm_summary(&erik, o.pair, v).unwrap();
    assert!(!t.get_dialogue(&erik, o.pair).unwrap().summary_tampered);
    t.lock(&erik);
    t.lock(&mona);
    drop(t);
    let conn = o.raw();
    conn.execute(
        "UPDATE agreement SET body = ?2, sig = ?3 WHERE id = ?1",
        params![agreement, old.0, old.1],
    )
    .unwrap();
    drop(conn);
    let mut t = open(&o.path);
    let erik = o.sign_in(&mut t, o.erik);
    let view = t.get_dialogue(&erik, o.pair).unwrap();
    assert!(view.summary_tampered);
    assert!(view.changes_since_my_confirmation.is_some());
}

/// A wait planted far ahead locks no one out for longer than Tillid's own
/// longest wait.
#[test]
fn a_planted_wait_is_capped() {
    let o = office();
    o.edit(&format!(
        "UPDATE person SET retry_after = '2199-01-01T00:00:00Z' WHERE id = {};",
        o.erik
    ));
    let mut t = open(&o.path);
    match t.sign_in(o.erik, PASS) {
        Err(Error::TryLater { seconds }) => assert!(seconds <= 15 * 60, "{seconds}"),
        other => panic!("expected a capped wait, got {other:?}"),
    }
    o.edit(&format!(
        "UPDATE person SET retry_after = 'not a date' WHERE id = {};",
        o.erik
    ));
    let mut t = open(&o.path);
    t.sign_in(o.erik, PASS).unwrap();
}

/// Interrupts the connection's work after `after` steps of SQLite's virtual
/// machine; `None` lets everything run again.
fn cut_power_after(t: &mut Tillid, after: Option<u64>) {
    let Some(after) = after else {
        t.conn.progress_handler(0, None::<fn() -> bool>).unwrap();
        return;
    };
    let mut steps = 0u64;
    t.conn
        .progress_handler(
            1,
            Some(move || {
                steps += 1;
                steps > after
            }),
        )
        .unwrap();
}

/// Runs `op` cut off after 0, 1, 2 … steps of SQLite's work until it
/// completes. After each cut the process is gone, as in a power cut: the
/// file is opened afresh and `after_cut` checks it. Returns how many cuts
/// it took and the app on the file after the operation completed.
fn cut_everywhere(
    path: &Path,
    mut op: impl FnMut(&mut Tillid) -> crate::Result<()>,
    mut after_cut: impl FnMut(&mut Tillid),
) -> (u64, Tillid) {
    for after in 0..100_000 {
        let mut t = open(path);
        cut_power_after(&mut t, Some(after));
        let done = op(&mut t);
        cut_power_after(&mut t, None);
        if done.is_ok() {
            return (after, t);
        }
        drop(t);
        after_cut(&mut open(path));
    }
    panic!("the operation never completed");
}

/// A passphrase change cut off at any step leaves exactly one of the old
/// and the new passphrase working (a cut after the commit reached the disk
/// keeps the new one); never neither, never both.
#[test]
fn a_passphrase_change_is_all_or_nothing_wherever_it_is_cut() {
    let o = office();
    let new = "a brand new passphrase";
    let (cuts, mut t) = cut_everywhere(
        &o.path,
        |t| {
            // Signing in is not what is cut here: only the change. A cut
            // after its commit already made the change: done.
            cut_power_after(t, None);
            let erik = match t.sign_in(o.erik, PASS) {
                Err(Error::WrongPassphrase) => return t.sign_in(o.erik, new).map(drop),
                other => other?,
            };
            cut_power_after(t, Some(CHANGE_STEPS.with(|c| c.get())));
            CHANGE_STEPS.with(|c| c.set(c.get() + 1));
            t.change_passphrase(&erik, PASS, new)
        },
        |t| {
            let old = t.sign_in(o.erik, PASS).map(|a| t.lock(&a)).is_ok();
            let fresh = t.sign_in(o.erik, new).map(|a| t.lock(&a)).is_ok();
            assert!(old != fresh, "old opens: {old}, new opens: {fresh}");
        },
    );
    assert!(cuts > 10, "the write was never cut: {cuts}");
    let a = t.sign_in(o.erik, new).unwrap();
    assert_eq!(
        t.get_dialogue(&a, o.pair).unwrap().notes[0].text,
        "Delt note om kurset"
    );
}

std::thread_local! {
    /// Where the next passphrase change is cut (its own count, since the
    /// sign-in before it is not cut).
    static CHANGE_STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Redeeming a setup code (fresh keys, every space key re-wrapped, a
/// claim, pins moved) cut off at any step leaves either the code working
/// or the chosen passphrase (the redeem committed and the cut came after),
/// never neither; once it completes, the person reads what was shared
/// with them before.
#[test]
fn a_redeem_is_all_or_nothing_wherever_it_is_cut() {
    let o = office();
    let (nina, code, d) = {
        let mut t = open(&o.path);
        let admin = o.sign_in(&mut t, o.admin);
        let new = t
            .add_person(&admin, "Nina New", false, Some(o.mona))
            .unwrap();
        t.lock(&admin);
        let mona = o.sign_in(&mut t, o.mona);
        let d = plan(&mut t, &mona, Some(new.person.id), None);
        t.add_note(&mona, d, "Velkommen, Nina", false).unwrap();
        (new.person.id, new.setup_code, d)
    };
    let (cuts, mut t) = cut_everywhere(
        &o.path,
        |t| {
            // A cut after its commit already redeemed the code: done.
            if !t.setup_pending(nina)? {
                return Ok(());
            }
            t.redeem_setup_code(nina, &code, PASS).map(drop)
        },
        |t| {
            if t.setup_pending(nina).unwrap() {
                // The code still opens the person's keys (checked without
                // using it up).
                let w = keys::load_wrapped(&t.conn, nina, Lock::SetupCode)
                    .unwrap()
                    .expect("a wrap under the code");
                let code = crate::secret::normalise_setup_code(&code);
                keys::unwrap_secrets(&w, nina, Lock::SetupCode, &code)
                    .expect("the code still opens the keys");
            } else {
                let n = t
                    .sign_in(nina, PASS)
                    .expect("redeemed: the passphrase opens");
                assert_eq!(
                    t.get_dialogue(&n, d).unwrap().notes[0].text,
                    "Velkommen, Nina"
                );
            }
        },
    );
    assert!(cuts > 10, "the write was never cut: {cuts}");
    let n = t.sign_in(nina, PASS).unwrap();
    assert_eq!(
        t.get_dialogue(&n, d).unwrap().notes[0].text,
        "Velkommen, Nina"
    );
}
