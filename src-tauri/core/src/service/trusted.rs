//! The one place operations get verified facts from: the roster as the
//! signed-in person verified it, their pins, and the warnings to show them.
//! Unlock establishes it; administrators' changes extend it.

use std::collections::BTreeSet;
use std::sync::Arc;

use ed25519_dalek::SigningKey;
use rusqlite::{params, Connection, OptionalExtension};

use super::{write, Actor, Tillid};
use crate::crypto::{sign, PersonSecrets};
use crate::trust::rows::{self, Fact};
use crate::trust::{self, encode_key, roster, GroupEntry, PersonEntry, Pins, Roster, TrustWarning};
use crate::{Error, Result};

/// The people whose keys a person relies on: whoever they may wrap a key
/// to or receive one from (their manager, their employees, their groups).
pub(crate) fn relevant(roster: &Roster, me: i64) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    if let Some(m) = roster.manager_of(me) {
        ids.insert(m);
    }
    for p in roster.people.values() {
        if p.manager == Some(me) {
            ids.insert(p.id);
        }
    }
    for g in roster.groups.values().filter(|g| g.includes(me)) {
        ids.insert(g.leader);
        ids.extend(g.members.iter().copied());
    }
    ids.insert(me);
    ids
}

/// Pins for `me`: the roster head and the fingerprints of the people they
/// rely on.
pub(crate) fn pins_for(roster: &Roster, me: i64) -> Pins {
    let keys = relevant(roster, me)
        .into_iter()
        .filter_map(|id| Some((id, roster.keys_of(id)?.fingerprint())))
        .collect();
    Pins {
        roster: roster.pin(),
        keys,
    }
}

/// A person's sealed pins as stored; none for someone not yet upgraded.
pub(crate) fn load_pins(conn: &Connection, person: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row(
            "SELECT pins FROM person_key WHERE person_id = ?1",
            [person],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

pub(crate) fn store_pins(conn: &Connection, person: i64, sealed: &[u8]) -> Result<()> {
    conn.execute(
        "UPDATE person_key SET pins = ?2 WHERE person_id = ?1",
        params![person, sealed],
    )?;
    Ok(())
}

impl Tillid {
    /// The roster as `person` verified it, re-verified from there when an
    /// administrator has appended to it since.
    pub(crate) fn roster(&self, person: i64) -> Result<Arc<Roster>> {
        let unlocked = self.vault.get(person)?;
        let latest = self.roster_version()?;
        let mut trust = unlocked.trust.borrow_mut();
        let current = trust.roster.clone().ok_or(Error::Integrity)?;
        if current.version == latest {
            return Ok(current);
        }
        let fresh = Arc::new(roster::verify(&self.conn, Some(&current.pin()))?);
        trust.roster = Some(fresh.clone());
        Ok(fresh)
    }

    /// What the person should be told since their last unlock.
    pub fn trust_warnings(&self, actor: &Actor) -> Result<Vec<TrustWarning>> {
        Ok(self.vault.get(actor.id)?.trust.borrow().warnings.clone())
    }

    /// After the passphrase (or a code) unwrapped the person's secrets:
    /// open their pins, verify the roster from them, notice changed keys,
    /// claim keys of their own if the roster lacks them, share pending
    /// space keys, seal what is still plain, and pin what they now trust.
    pub(crate) fn establish_trust(&mut self, person: i64, sealed_era: bool) -> Result<()> {
        let stored = load_pins(&self.conn, person)?;
        let (pins, legacy) = {
            let secrets = &self.vault.get(person)?.secrets;
            match stored {
                Some(sealed) => (Pins::open(person, &secrets.content_key, &sealed)?, false),
                // A sealed-era person always has pins: someone removed them.
                None if sealed_era => return Err(Error::Integrity),
                None => (Pins::default(), true),
            }
        };
        self.vault.get(person)?.trust.borrow_mut().accept_plain = legacy;
        if !roster::exists(&self.conn)? {
            if pins.roster.version > 0 {
                // They trusted a roster that is gone.
                return self.untrusted(person, legacy);
            }
            self.found_roster(person)?;
        }
        let mut roster = match roster::verify(&self.conn, Some(&pins.roster)) {
            Ok(r) => r,
            Err(Error::Integrity) => return self.untrusted(person, legacy),
            Err(e) => return Err(e),
        };
        let mut warnings = Vec::new();
        let (own_x, own_ed) = {
            let secrets = &self.vault.get(person)?.secrets;
            (secrets.public_key(), sign::public_of(secrets)?)
        };
        match roster.keys_of(person) {
            Some(k) if k.x25519 == own_x && k.ed25519 == Some(own_ed) => {}
            // The roster knows no signing key (or no keys) for them yet:
            // they add their own, which its next head takes in.
            Some(k) if k.x25519 == own_x && k.ed25519.is_none() => {
                self.claim_own_keys(person)?;
                roster = roster::verify(&self.conn, Some(&roster.pin()))?;
            }
            None if roster.people.contains_key(&person) => {
                self.claim_own_keys(person)?;
                roster = roster::verify(&self.conn, Some(&roster.pin()))?;
            }
            _ => warnings.push(TrustWarning {
                kind: "own_key_mismatch",
                person_id: Some(person),
                name: roster.people.get(&person).map(|p| p.name.clone()),
            }),
        }
        warnings.extend(trust::changes(person, &pins, &roster));
        let admin_key_listed = roster.is_admin(person)
            && roster
                .keys_of(person)
                .is_some_and(|k| k.ed25519 == Some(own_ed));
        if admin_key_listed && !roster.unfolded.is_empty() {
            // Keys people made for themselves join the signed roster.
            let now = self.stamp();
            let key = self.signing_key(person)?;
            let tx = write(&mut self.conn)?;
            roster::append_head(&tx, person, &key, &now)?;
            tx.commit()?;
            roster = roster::verify(&self.conn, Some(&roster.pin()))?;
        }
        {
            let mut trust = self.vault.get(person)?.trust.borrow_mut();
            trust.roster = Some(Arc::new(roster));
            trust.warnings = warnings;
        }
        // Read-only data: trust is established in memory as usual; keys
        // for others, encryption and new pins wait for a writable open.
        let writable = !self.is_read_only();
        if writable {
            self.open_workplace_space(person)?;
            self.grant_pending(person)?;
        }
        if legacy && writable {
            self.encrypt_plain_content(&Actor { id: person })?;
        }
        self.vault.get(person)?.trust.borrow_mut().accept_plain = legacy && !writable;
        if !writable {
            return Ok(());
        }
        let roster = self.roster(person)?;
        let sealed =
            pins_for(&roster, person).seal(person, &self.vault.get(person)?.secrets.content_key)?;
        store_pins(&self.conn, person, &sealed)
    }

    /// Makes sure the workplace space exists, so that no later write (an
    /// anonymous rule report above all) has to create it and leave a dated
    /// row behind. Someone who does not hold its key yet receives it when a
    /// holder next signs in.
    fn open_workplace_space(&mut self, person: i64) -> Result<()> {
        match self.prepare_key(person, crate::codec::Space::Workplace) {
            Ok(()) | Err(Error::KeyPending { .. }) | Err(Error::Forbidden) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The roster did not verify from what the person pinned: they are
    /// signed in to read what their keys open, with a warning; no right
    /// that needs the roster is granted and no key is wrapped. Their pins
    /// stay as they were, so the warning returns until it is resolved.
    fn untrusted(&mut self, person: i64, legacy: bool) -> Result<()> {
        if legacy {
            // Nothing can be sealed for them without a roster to trust.
            self.vault.get(person)?.trust.borrow_mut().accept_plain = false;
        }
        let mut trust = self.vault.get(person)?.trust.borrow_mut();
        trust.roster = None;
        trust.warnings = vec![TrustWarning {
            kind: "roster_unverified",
            person_id: None,
            name: None,
        }];
        Ok(())
    }

    /// A file from before signatures has no roster: the first person to
    /// unlock it writes one from its rows, as they stand (trust on first
    /// use), and signs it. Group content from before keeps era 0.
    fn found_roster(&mut self, person: i64) -> Result<()> {
        let key = self.signing_key(person)?;
        let own_ed = key.verifying_key().to_bytes();
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        type Row = (i64, String, bool, Option<i64>, Option<Vec<u8>>);
        let people: Vec<Row> = {
            let mut stmt = tx.prepare(
                "SELECT p.id, p.name, p.is_admin, p.manager_id, k.public_key
                 FROM person p LEFT JOIN person_key k ON k.person_id = p.id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (id, name, admin, manager, public) in people {
            let x25519 = public
                .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                .map(|k| encode_key(&k));
            let ed25519 = (id == person).then(|| encode_key(&own_ed));
            roster::write_person(
                &tx,
                &PersonEntry {
                    id,
                    name,
                    admin,
                    manager,
                    x25519,
                    ed25519,
                    past_ed25519: Vec::new(),
                    left: false,
                },
            )?;
        }
        let teams: Vec<(i64, String, i64)> = {
            let mut stmt = tx.prepare("SELECT id, name, leader_id FROM team")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (id, name, leader) in teams {
            let mut members: Vec<i64> = {
                let mut stmt =
                    tx.prepare("SELECT person_id FROM team_member WHERE team_id = ?1")?;
                let rows = stmt.query_map([id], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            members.sort_unstable();
            roster::write_group(
                &tx,
                &GroupEntry {
                    id,
                    name,
                    leader,
                    members,
                    era: 0,
                },
            )?;
        }
        roster::append_head(&tx, person, &key, &now)?;
        super::audit(&tx, &now, Some(person), "found_roster", "workplace", 1)?;
        tx.commit()?;
        Ok(())
    }

    /// Records the person's own keys as a claim, signed with them: for a
    /// person the roster knew no signing key (or no keys at all) for.
    fn claim_own_keys(&mut self, person: i64) -> Result<()> {
        let secrets = &self.vault.get(person)?.secrets;
        let signing = sign::signing_key(secrets)?;
        roster::write_claim(&self.conn, person, None, secrets.public_key(), &signing)
    }

    /// The signed-in person's signing key, taken before a write begins.
    pub(crate) fn signing_key(&self, person: i64) -> Result<SigningKey> {
        sign::signing_key(&self.vault.get(person)?.secrets)
    }

    /// The verified roster of an administrator about to change it.
    pub(crate) fn admin_roster(&self, actor: &Actor) -> Result<Arc<Roster>> {
        let roster = self.roster(actor.id)?;
        if roster.is_admin(actor.id) {
            Ok(roster)
        } else {
            Err(Error::Forbidden)
        }
    }
}

/// Checks row signatures for one reader: against the verified roster's
/// signing keys, and the reader's own key for their own rows (so what they
/// wrote themselves still verifies when the roster does not).
pub(crate) struct RowCheck {
    roster: Option<Arc<Roster>>,
    me: i64,
    my_key: [u8; 32],
    /// What already verified for this reader since they signed in.
    verified: Arc<rows::Verified>,
}

impl RowCheck {
    /// Whether the row is as its signer wrote it. A row without a signature
    /// passes only if the roster's first head says it predates signing.
    pub fn genuine(
        &self,
        table: &str,
        id: i64,
        signer: i64,
        facts: &[Fact<'_>],
        signature: Option<&[u8]>,
    ) -> bool {
        let Some(signature) = signature else {
            return self
                .roster
                .as_ref()
                .is_some_and(|r| r.unsigned_allowed(table, id));
        };
        let mut keys = self
            .roster
            .as_ref()
            .map(|r| r.signing_keys_of(signer))
            .unwrap_or_default();
        if signer == self.me {
            keys.push(self.my_key);
        }
        self.verified
            .verify_row(&keys, table, id, signer, facts, signature)
    }
}

impl Tillid {
    pub(crate) fn row_check(&self, actor: &Actor) -> Result<RowCheck> {
        let unlocked = self.vault.get(actor.id)?;
        Ok(RowCheck {
            roster: self.roster(actor.id).ok(),
            me: actor.id,
            my_key: unlocked.signing_public()?,
            verified: unlocked.verified.clone(),
        })
    }
}

/// The entry a new person gets, with the keys made for them.
pub(crate) fn new_entry(
    id: i64,
    name: &str,
    admin: bool,
    manager: Option<i64>,
    secrets: &PersonSecrets,
) -> Result<PersonEntry> {
    Ok(PersonEntry {
        id,
        name: name.to_owned(),
        admin,
        manager,
        x25519: Some(encode_key(&secrets.public_key())),
        ed25519: Some(encode_key(&sign::public_of(secrets)?)),
        past_ed25519: Vec::new(),
        left: false,
    })
}
