//! A demo workplace of any size, for trying the app and for benchmarks:
//! managers with their employees, a group per manager, and years of
//! dialogues with agenda points, notes, agreements and confirmations.
//! Everything goes through the field codec, as the app's own writes do.

use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{params, Transaction};
use serde::Serialize;

use std::collections::HashMap;

use ed25519_dalek::SigningKey;

use crate::codec::{FieldRef, Space};
use crate::crypto::kdf::{derive_kek, SALT_LEN};
use crate::crypto::{seal, sign, Key, PersonSecrets};
use crate::domain::{Owner, OwnerKind};
use crate::service::dialogues::{held_statement, space_of};
use crate::service::summary::{self, snapshot_text, Entry};
use crate::service::{agenda, agreements, keys, notes, trusted};
use crate::trust::rows::{self, Fact};
use crate::trust::{encode_key, roster, GroupEntry, PersonEntry, Pin, Pins, Roster};
use crate::validate::{format_moment, PASSPHRASE_MIN};
use crate::{Error, Result, Tillid};

#[derive(Clone, Copy, Debug)]
pub struct SeedSize {
    pub people: usize,
    pub dialogues: usize,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct SeedSummary {
    pub people: i64,
    pub groups: i64,
    pub dialogues: i64,
    pub agreements: i64,
    pub notes: i64,
}

/// Everyone in the demo workplace signs in with this passphrase.
pub const DEMO_PASSPHRASE: &str = "tillid-demo";
/// The administrator, who also heads all managers.
pub const DEMO_ADMIN: &str = "Admin Andersen";

const FIRST: &[&str] = &[
    "Anne", "Mette", "Søren", "Jens", "Åse", "Lars", "Camilla", "Mikkel", "Fatima", "Ole", "Signe",
    "Ahmed", "Karen", "Niels", "Ida", "Rasmus", "Zainab", "Henrik", "Louise", "Peter",
];
const LAST: &[&str] = &[
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Østergaard",
];
const AGENDA: &[&str] = &[
    "Arbejdsmængden i de næste måneder",
    "Kursus i konfliktløsning",
    "Hvordan går samarbejdet med borgerservice?",
    "Mere frihed til at planlægge min uge",
    "Opfølgning på sidste MUS",
    "Nye opgaver i teamet",
];
const AGREEMENTS: &[&str] = &[
    "Jeg tager ansvar for vagtplanen i december",
    "Lederen finder budget til et kursus",
    "Vi holder et kort tjek-ind hver fredag",
    "Jeg skriver en vejledning til de nye kolleger",
    "Lederen tager dialogen med forvaltningen om fleksibel arbejdstid",
];
const IF_THEN: &str = "Hvis travlheden tager over, så siger jeg det på mandagsmødet";

/// Fills an empty database. Refuses one that already has a workplace.
pub fn seed_demo(tillid: &mut Tillid, size: SeedSize) -> Result<SeedSummary> {
    if size.people < 2 {
        return Err(Error::InvalidInput { field: "people" });
    }
    debug_assert!(DEMO_PASSPHRASE.len() >= PASSPHRASE_MIN);
    // One key derivation for everyone keeps seeding fast (each person's
    // secrets are still their own); real people each get their own salt
    // when they choose a passphrase.
    let mut salt = [0u8; SALT_LEN];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
    let kdf = tillid.kdf;
    let kek = derive_kek(DEMO_PASSPHRASE, &salt, kdf)?;
    let now = Utc::now();
    let stamp = format_moment(now);
    let tx = tillid
        .conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let exists: bool = tx.query_row("SELECT count(*) > 0 FROM workplace", [], |r| r.get(0))?;
    if exists {
        return Err(Error::AlreadySetUp);
    }
    tx.execute(
        "INSERT INTO workplace (id, name, created_at) VALUES (1, 'Demo: Borgerservice Nord', ?1)",
        [&stamp],
    )?;
    let mut rng = StdRng::seed_from_u64(7);
    let people = seed_people(&tx, size.people, &stamp)?;
    let mut secrets_of = HashMap::new();
    for id in 1..=size.people as i64 {
        let secrets = PersonSecrets::generate();
        let wrapped = keys::wrap_with_kek(&secrets, id, keys::Lock::Passphrase, &kek, &salt, kdf)?;
        keys::store_new_secrets(&tx, id, &secrets, &wrapped, &stamp)?;
        secrets_of.insert(id, secrets);
    }
    let teams = seed_teams(&tx, &people, &stamp)?;
    let roster = sign_roster(&tx, &secrets_of, &teams, &stamp)?;
    let mut w = Writer {
        tx: &tx,
        stamp: &stamp,
        content_keys: secrets_of
            .iter()
            .map(|(id, s)| (*id, s.content_key.clone()))
            .collect(),
        spaces: HashMap::new(),
        ids: Ids::default(),
        roster,
        signers: secrets_of
            .iter()
            .map(|(id, s)| Ok((*id, sign::signing_key(s)?)))
            .collect::<Result<_>>()?,
    };
    for i in 0..size.dialogues {
        // Spread over three years back and two months ahead.
        let days_ago: i64 = rng.gen_range(-60..3 * 365);
        // Working hours: 8:00 to 15:30, on the half hour.
        let day = (now - Duration::days(days_ago)).date_naive();
        let at = day.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc()
            + Duration::minutes(30 * (i as i64 % 16));
        let plan = if i % 10 == 9 && !teams.is_empty() {
            let (team, leader, ref members) = teams[rng.gen_range(0..teams.len())];
            Plan::group(team, leader, members)
        } else if i % 20 == 0 || people.team_pairs.is_empty() {
            // Managers meet their own manager less often than teams meet.
            let (manager, employee) = people.pairs[rng.gen_range(0..people.pairs.len())];
            Plan::pair(manager, employee)
        } else {
            let (manager, employee) = people.team_pairs[rng.gen_range(0..people.team_pairs.len())];
            Plan::pair(manager, employee)
        };
        w.dialogue(&plan, &format_moment(at), days_ago, &mut rng)?;
    }
    let count = |table: &str| -> Result<i64> {
        Ok(tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    let summary = SeedSummary {
        people: count("person")?,
        groups: count("team")?,
        dialogues: count("dialogue")?,
        agreements: count("agreement")?,
        notes: count("note")?,
    };
    tx.commit()?;
    // Give the query planner real statistics for a workplace this size.
    tillid.conn.execute_batch("ANALYZE")?;
    Ok(summary)
}

struct People {
    /// Every (manager, employee) pair.
    pairs: Vec<(i64, i64)>,
    /// The pairs within teams, leaving out the managers' own manager.
    team_pairs: Vec<(i64, i64)>,
    /// Each manager with their employees.
    teams: Vec<(i64, Vec<i64>)>,
}

fn seed_people(tx: &Transaction<'_>, count: usize, stamp: &str) -> Result<People> {
    let mut insert = tx.prepare(
        "INSERT INTO person (id, name, is_admin, manager_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    insert.execute(params![1, DEMO_ADMIN, true, None::<i64>, stamp])?;
    let admin = tx.last_insert_rowid();
    let managers = (count / 10).max(1);
    let mut teams: Vec<(i64, Vec<i64>)> = Vec::with_capacity(managers);
    let mut pairs = Vec::new();
    let mut team_pairs = Vec::new();
    for n in 1..count {
        let name = format!(
            "{} {}{}",
            FIRST[n % FIRST.len()],
            LAST[(n / FIRST.len()) % LAST.len()],
            if n >= FIRST.len() * LAST.len() {
                format!(" {}", n / (FIRST.len() * LAST.len()) + 1)
            } else {
                String::new()
            }
        );
        if teams.len() < managers {
            insert.execute(params![n as i64 + 1, name, false, admin, stamp])?;
            let id = tx.last_insert_rowid();
            pairs.push((admin, id));
            teams.push((id, Vec::new()));
        } else {
            let team = n % managers;
            let manager = teams[team].0;
            insert.execute(params![n as i64 + 1, name, false, manager, stamp])?;
            let id = tx.last_insert_rowid();
            pairs.push((manager, id));
            team_pairs.push((manager, id));
            teams[team].1.push(id);
        }
    }
    Ok(People {
        pairs,
        team_pairs,
        teams,
    })
}

fn seed_teams(
    tx: &Transaction<'_>,
    people: &People,
    stamp: &str,
) -> Result<Vec<(i64, i64, Vec<i64>)>> {
    let mut teams = Vec::new();
    for (n, (leader, members)) in people.teams.iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        tx.execute(
            "INSERT INTO team (name, leader_id, created_at) VALUES (?1, ?2, ?3)",
            params![format!("Team {}", n + 1), leader, stamp],
        )?;
        let team = tx.last_insert_rowid();
        for m in members {
            tx.execute(
                "INSERT INTO team_member (team_id, person_id) VALUES (?1, ?2)",
                [team, *m],
            )?;
        }
        teams.push((team, *leader, members.clone()));
    }
    Ok(teams)
}

/// The roster of the seeded workplace, signed by its administrator, and
/// everyone's first pins: what an administrator adding each of them by
/// hand would have written.
fn sign_roster(
    tx: &Transaction<'_>,
    secrets_of: &HashMap<i64, PersonSecrets>,
    teams: &[(i64, i64, Vec<i64>)],
    stamp: &str,
) -> Result<Roster> {
    let people: Vec<(i64, String, bool, Option<i64>)> = {
        let mut stmt = tx.prepare("SELECT id, name, is_admin, manager_id FROM person")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, name, admin, manager) in people {
        let secrets = secrets_of.get(&id).ok_or(Error::Integrity)?;
        roster::write_person(
            tx,
            &PersonEntry {
                id,
                name,
                admin,
                manager,
                x25519: Some(encode_key(&secrets.public_key())),
                ed25519: Some(encode_key(&sign::public_of(secrets)?)),
                past_ed25519: Vec::new(),
                left: false,
            },
        )?;
    }
    for (team, leader, members) in teams {
        let name: String =
            tx.query_row("SELECT name FROM team WHERE id = ?1", [team], |r| r.get(0))?;
        let mut members = members.clone();
        members.sort_unstable();
        roster::write_group(
            tx,
            &GroupEntry {
                id: *team,
                name,
                leader: *leader,
                members,
                era: 1,
            },
        )?;
    }
    let admin = secrets_of.get(&1).ok_or(Error::Integrity)?;
    let (version, head) = roster::append_head(tx, 1, &sign::signing_key(admin)?, stamp)?;
    let pins = Pins {
        roster: Pin { version, head },
        keys: Default::default(),
    };
    for (id, secrets) in secrets_of {
        trusted::store_pins(tx, *id, &pins.seal(*id, &secrets.content_key)?)?;
    }
    roster::verify(tx, None)
}

struct Plan<'a> {
    manager: i64,
    employee: Option<i64>,
    team: Option<i64>,
    members: &'a [i64],
}

impl<'a> Plan<'a> {
    fn pair(manager: i64, employee: i64) -> Self {
        Plan {
            manager,
            employee: Some(employee),
            team: None,
            members: &[],
        }
    }

    fn group(team: i64, leader: i64, members: &'a [i64]) -> Self {
        Plan {
            manager: leader,
            employee: None,
            team: Some(team),
            members,
        }
    }

    fn other(&self) -> i64 {
        self.employee
            .or(self.members.first().copied())
            .unwrap_or(self.manager)
    }

    /// Seeded groups are in their first era.
    fn era(&self) -> i64 {
        i64::from(self.team.is_some())
    }

    fn space(&self) -> Space {
        space_of(self.manager, self.employee, self.team, self.era())
    }
}

/// Row ids are handed out here rather than by SQLite, because sealed text
/// is bound to the id of its row.
#[derive(Default)]
struct Ids {
    dialogue: i64,
    agenda: i64,
    note: i64,
    agreement: i64,
    update: i64,
    confirmation: i64,
}

struct Writer<'t> {
    tx: &'t Transaction<'t>,
    stamp: &'t str,
    /// Each person's key for private content.
    content_keys: HashMap<i64, Key>,
    /// Each shared space's key, made on first use and wrapped to its members.
    spaces: HashMap<Space, Key>,
    ids: Ids,
    roster: Roster,
    /// Each person's signing key, for the rows they write.
    signers: HashMap<i64, SigningKey>,
}

impl Writer<'_> {
    fn sign(&self, table: &str, id: i64, signer: i64, facts: &[Fact<'_>]) -> Result<Vec<u8>> {
        let key = self.signers.get(&signer).ok_or(Error::Integrity)?;
        Ok(rows::sign_row(key, table, id, signer, facts))
    }

    fn key(&mut self, space: Space) -> Result<Key> {
        if let Space::Private { owner } = space {
            return self
                .content_keys
                .get(&owner)
                .cloned()
                .ok_or(Error::Integrity);
        }
        if let Some(key) = self.spaces.get(&space) {
            return Ok(key.clone());
        }
        let key = Key::random();
        let (kind, a, b) = keys::space_ident(space).ok_or(Error::Integrity)?;
        self.tx.execute(
            "INSERT INTO space (kind, a, b, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![kind, a, b, self.stamp],
        )?;
        keys::wrap_to_members(
            self.tx,
            &self.roster,
            space,
            self.tx.last_insert_rowid(),
            &key,
        )?;
        self.spaces.insert(space, key.clone());
        Ok(key)
    }

    fn seal(
        &mut self,
        table: &'static str,
        column: &'static str,
        row: i64,
        space: Space,
        text: &str,
    ) -> Result<Vec<u8>> {
        let key = self.key(space)?;
        seal::seal(
            &key,
            &seal::field_aad(&FieldRef {
                table,
                column,
                row,
                space,
            }),
            text.as_bytes(),
        )
    }

    fn dialogue(
        &mut self,
        plan: &Plan<'_>,
        at: &str,
        days_ago: i64,
        rng: &mut StdRng,
    ) -> Result<()> {
        let tx = self.tx;
        let space = plan.space();
        let state = match days_ago {
            d if d < 0 => "planned",
            d if d < 14 => "held",
            _ => "confirmed",
        };
        let kind = match (plan.team, days_ago.rem_euclid(365) < 7) {
            (Some(_), true) => "grus",
            (None, true) => "mus",
            _ => "follow_up",
        };
        self.ids.dialogue += 1;
        let d = self.ids.dialogue;
        tx.prepare_cached(
            "INSERT INTO dialogue (id, kind, manager_id, employee_id, team_id, scheduled_at, state, held_at, created_at, era)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?7 = 'planned' THEN NULL ELSE ?6 END, ?6, ?8)",
        )?
        .execute(params![d, kind, plan.manager, plan.employee, plan.team, at, state, plan.era()])?;
        let mut seat = tx.prepare_cached(
            "INSERT INTO participant (dialogue_id, person_id, role) VALUES (?1, ?2, ?3)",
        )?;
        seat.execute(params![d, plan.manager, "manager"])?;
        let mut everyone = vec![plan.manager];
        let mut roles = vec![(plan.manager, "manager")];
        if let Some(e) = plan.employee {
            seat.execute(params![d, e, "employee"])?;
            everyone.push(e);
            roles.push((e, "employee"));
        }
        for &m in plan.members {
            seat.execute(params![d, m, "member"])?;
            everyone.push(m);
            roles.push((m, "member"));
        }
        if state != "planned" {
            roles.sort_unstable();
            let people: Vec<String> = roles.iter().map(|(id, r)| format!("{id}:{r}")).collect();
            let sig = self.sign(
                "dialogue",
                d,
                plan.manager,
                &held_statement(
                    plan.manager,
                    plan.employee,
                    plan.team,
                    plan.era(),
                    at,
                    &people.join(","),
                ),
            )?;
            tx.prepare_cached("UPDATE dialogue SET held_sig = ?2 WHERE id = ?1")?
                .execute(params![d, sig])?;
        }

        // Two different texts in one dialogue: a person tells items apart by
        // their text (the random stream is the same as before).
        let mut last_agenda = usize::MAX;
        for author in [plan.other(), plan.manager] {
            self.ids.agenda += 1;
            let id = self.ids.agenda;
            let text = AGENDA[distinct(
                rng.gen_range(0..AGENDA.len()),
                &mut last_agenda,
                AGENDA.len(),
            )];
            let body = self.seal("agenda_item", "body", id, space, text)?;
            let status = if state == "planned" {
                "open"
            } else {
                "discussed"
            };
            let sig = self.sign("agenda_item", id, author, &agenda::signed(d, &body))?;
            tx.prepare_cached(
                "INSERT INTO agenda_item (id, dialogue_id, author_id, body, status, created_at, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![id, d, author, body, status, at, sig])?;
        }
        if state == "planned" {
            return Ok(());
        }

        let mut entries = Vec::new();
        for (private, author, text) in [
            (
                false,
                plan.manager,
                "Vi talte om trivsel og opgaver; god stemning.",
            ),
            (
                true,
                plan.manager,
                "Husk at spørge ind til efteruddannelse næste gang.",
            ),
        ] {
            self.ids.note += 1;
            let id = self.ids.note;
            let note_space = if private {
                Space::Private { owner: author }
            } else {
                space
            };
            let body = self.seal("note", "body", id, note_space, text)?;
            let sig = self.sign("note", id, author, &notes::signed(d, private, &body))?;
            tx.prepare_cached(
                "INSERT INTO note (id, dialogue_id, author_id, private, body, created_at, updated_at, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
            )?
            .execute(params![id, d, author, private, body, at, sig])?;
            if !private {
                entries.push(Entry::note(id, text));
            }
        }

        let follow_up = chrono::DateTime::parse_from_rfc3339(at)
            .map_err(|_| Error::Integrity)?
            .date_naive()
            + Duration::days(rng.gen_range(14..90));
        let follow_up = follow_up.format("%Y-%m-%d").to_string();
        let mut last_agreement = usize::MAX;
        for owner in [
            Some(plan.other()),
            if plan.team.is_some() {
                None
            } else {
                Some(plan.manager)
            },
        ] {
            self.ids.agreement += 1;
            let id = self.ids.agreement;
            let text = AGREEMENTS[distinct(
                rng.gen_range(0..AGREEMENTS.len()),
                &mut last_agreement,
                AGREEMENTS.len(),
            )];
            let body = self.seal("agreement", "body", id, space, text)?;
            let if_then = self.seal("agreement", "if_then", id, space, IF_THEN)?;
            // Old agreements are mostly settled; recent ones still open.
            let done = days_ago > 120 && rng.gen_bool(0.8);
            let sig = self.sign(
                "agreement",
                id,
                plan.manager,
                &agreements::signed(
                    d,
                    plan.manager,
                    owner,
                    Some(&follow_up),
                    &body,
                    Some(&if_then),
                ),
            )?;
            tx.prepare_cached(
                "INSERT INTO agreement (id, dialogue_id, owner_person_id, body, if_then, follow_up_on, state, created_by, created_at, updated_at, sig, signer_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?8)",
            )?
            .execute(params![id, d, owner, body, if_then, follow_up, if done { "done" } else { "open" }, plan.manager, at, sig])?;
            let owner_ref = match owner {
                Some(p) => Owner {
                    kind: OwnerKind::Person,
                    id: p,
                    name: String::new(),
                },
                None => Owner {
                    kind: OwnerKind::Group,
                    id: plan.team.unwrap_or_default(),
                    name: String::new(),
                },
            };
            entries.push(Entry::agreement(
                id,
                text,
                &owner_ref,
                Some(&follow_up),
                Some(IF_THEN),
            ));
            if done {
                self.ids.update += 1;
                let u = self.ids.update;
                let comment = self.seal(
                    "agreement_update",
                    "comment",
                    u,
                    space,
                    "Klaret, tak for hjælpen",
                )?;
                let by = owner.unwrap_or(plan.manager);
                let sig = self.sign(
                    "agreement_update",
                    u,
                    by,
                    &agreements::signed_update(id, "open", "done", at, Some(&comment)),
                )?;
                tx.prepare_cached(
                    "INSERT INTO agreement_update (id, agreement_id, by_id, from_state, to_state, comment, at, sig)
                     VALUES (?1, ?2, ?3, 'open', 'done', ?4, ?5, ?6)",
                )?
                .execute(params![u, id, by, comment, at, sig])?;
            }
        }

        if state == "confirmed" {
            let snapshot = snapshot_text(&entries)?;
            for person in everyone {
                self.ids.confirmation += 1;
                let c = self.ids.confirmation;
                let sealed = self.seal("confirmation", "snapshot", c, space, &snapshot)?;
                let sig = self.sign("confirmation", c, person, &summary::signed(d, 1, &sealed))?;
                tx.prepare_cached(
                    "INSERT INTO confirmation (id, dialogue_id, person_id, version, snapshot, at, sig) VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6)",
                )?
                .execute(params![c, d, person, sealed, at, sig])?;
            }
        }
        Ok(())
    }
}

/// `pick`, or the next index when it equals the one picked just before.
fn distinct(pick: usize, last: &mut usize, len: usize) -> usize {
    let i = if pick == *last {
        (pick + 1) % len
    } else {
        pick
    };
    *last = i;
    i
}
