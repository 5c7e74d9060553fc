//! Administration of people: who is here, who manages whom, who administers.

use rusqlite::params;
use serde::Serialize;

use super::{audit, keys, person_name, trusted, write, Actor, Tillid};
use ed25519_dalek::SigningKey;

use crate::crypto::PersonSecrets;
use crate::domain::PersonRef;
use crate::trust::{roster, PersonEntry, Pin, Pins, Roster};
use crate::validate::{self, NAME_MAX};
use crate::{secret, Error, Result};

#[derive(Debug, Serialize)]
pub struct PersonAdminView {
    pub id: i64,
    pub name: String,
    pub is_admin: bool,
    pub manager: Option<PersonRef>,
    pub needs_setup: bool,
    /// Has left the workplace (see `leaving`).
    pub left: bool,
    /// Their data was deleted at an administrator's request (see `deleting`).
    pub deleted: bool,
}

/// A person just added, and the one-time code they will sign in with.
/// The code is shown once and only its hash is kept.
#[derive(Debug, Serialize)]
pub struct NewPerson {
    pub person: PersonRef,
    pub setup_code: String,
}

impl Tillid {
    pub fn list_people(&self, actor: &Actor) -> Result<Vec<PersonAdminView>> {
        self.require_admin(actor)?;
        let mut stmt = self.conn.prepare(
            "SELECT p.id, p.name, p.is_admin, m.id, m.name, p.setup_pending, p.left_at IS NOT NULL,
                    p.deleted_at IS NOT NULL
             FROM person p LEFT JOIN person m ON m.id = p.manager_id
             ORDER BY p.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            let manager = match (r.get::<_, Option<i64>>(3)?, r.get::<_, Option<String>>(4)?) {
                (Some(id), Some(name)) => Some(PersonRef { id, name }),
                _ => None,
            };
            Ok(PersonAdminView {
                id: r.get(0)?,
                name: r.get(1)?,
                is_admin: r.get(2)?,
                manager,
                needs_setup: r.get(5)?,
                left: r.get(6)?,
                deleted: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn add_person(
        &mut self,
        actor: &Actor,
        name: &str,
        is_admin: bool,
        manager_id: Option<i64>,
    ) -> Result<NewPerson> {
        let roster = self.admin_roster(actor)?;
        let name = validate::required_text("name", name, NAME_MAX)?;
        if let Some(m) = manager_id {
            person_name(&self.conn, m)?;
        }
        let taken: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM person WHERE name = ?1 COLLATE NOCASE",
            [&name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::DuplicateName { field: "name" });
        }
        let now = self.stamp();
        let id: i64 =
            self.conn
                .query_row("SELECT coalesce(max(id), 0) + 1 FROM person", [], |r| {
                    r.get(0)
                })?;
        // The person's keys exist from now on, wrapped under the setup code,
        // so managers can share with them before they first sign in.
        let (code, secrets, wrapped) = self.new_setup(id)?;
        let key = self.signing_key(actor.id)?;
        let tx = write(&mut self.conn)?;
        tx.execute(
            "INSERT INTO person (id, name, is_admin, manager_id, setup_pending, created_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5)",
            params![id, name, is_admin, manager_id, now],
        )?;
        keys::store_new_secrets(&tx, id, &secrets, &wrapped, &now)?;
        let entry = trusted::new_entry(id, &name, is_admin, manager_id, &secrets)?;
        sign_roster_for(&tx, actor, &key, &roster, &entry, &secrets, &now)?;
        audit(&tx, &now, Some(actor.id), "add_person", "person", id)?;
        tx.commit()?;
        // Issue 7: the workplace space reaches them now, not at a later
        // sign-in; if this fails, that sign-in still shares it.
        let _ = self.share_workplace_key(actor.id);
        Ok(NewPerson {
            person: PersonRef { id, name },
            setup_code: code,
        })
    }

    /// A fresh setup code for someone who has not yet chosen a passphrase
    /// (the first code was lost); the old code stops working.
    pub fn issue_setup_code(&mut self, actor: &Actor, person_id: i64) -> Result<String> {
        self.admin_roster(actor)?;
        if !self.setup_pending(person_id)? {
            return Err(Error::InvalidInput { field: "person_id" });
        }
        self.renew_keys(actor, person_id, "issue_setup_code", false)
    }

    /// For a forgotten passphrase with no recovery code: the person gets new
    /// keys and a setup code. Their private notes are deleted, since no one
    /// can decrypt them any more; shared spaces are re-shared with them by
    /// the next member who signs in.
    pub fn reset_passphrase(&mut self, actor: &Actor, person_id: i64) -> Result<String> {
        self.admin_roster(actor)?;
        if person_id == actor.id {
            return Err(Error::InvalidInput { field: "person_id" });
        }
        self.setup_pending(person_id)?;
        self.renew_keys(actor, person_id, "reset_passphrase", true)
    }

    fn renew_keys(
        &mut self,
        actor: &Actor,
        person_id: i64,
        action: &str,
        drop_private: bool,
    ) -> Result<String> {
        let roster = self.admin_roster(actor)?;
        let mut entry = roster
            .people
            .get(&person_id)
            .cloned()
            .ok_or(Error::NotFound { what: "person" })?;
        // A reset retires the person's signing key: what they signed with it
        // still verifies. A setup code re-issued before first sign-in
        // retires nothing (that key was only ever behind a code).
        if drop_private {
            if let Some(ed) = roster.keys_of(person_id).and_then(|k| k.ed25519) {
                entry.past_ed25519.push(crate::trust::encode_key(&ed));
            }
        }
        let (code, secrets, wrapped) = self.new_setup(person_id)?;
        let fresh = trusted::new_entry(person_id, &entry.name, false, None, &secrets)?;
        entry.x25519 = fresh.x25519;
        entry.ed25519 = fresh.ed25519;
        let now = self.stamp();
        let key = self.signing_key(actor.id)?;
        let tx = write(&mut self.conn)?;
        keys::store_new_secrets(&tx, person_id, &secrets, &wrapped, &now)?;
        // Keys the person claimed before are replaced by the new ones.
        tx.execute("DELETE FROM key_claim WHERE person_id = ?1", [person_id])?;
        sign_roster_for(&tx, actor, &key, &roster, &entry, &secrets, &now)?;
        if drop_private {
            tx.execute(
                "DELETE FROM note WHERE author_id = ?1 AND private = 1",
                [person_id],
            )?;
            // So are their preparation answers, sealed with the same key.
            tx.execute("DELETE FROM prep_answer WHERE author_id = ?1", [person_id])?;
            // Issue 7: so are their private good examples.
            tx.execute(
                "DELETE FROM good_case WHERE author_id = ?1 AND shared = 0",
                [person_id],
            )?;
        }
        tx.execute(
            "UPDATE person SET setup_pending = 1, passphrase_hash = NULL, setup_code_hash = NULL,
                 failed_attempts = 0, retry_after = NULL WHERE id = ?1",
            [person_id],
        )?;
        audit(&tx, &now, Some(actor.id), action, "person", person_id)?;
        tx.commit()?;
        self.vault.remove(person_id);
        Ok(code)
    }

    /// New secrets for a person and a setup code that unwraps them.
    fn new_setup(&self, person_id: i64) -> Result<(String, PersonSecrets, keys::Wrapped)> {
        let code = secret::new_setup_code();
        let secrets = PersonSecrets::generate();
        let wrapped = keys::wrap_secrets(
            &secrets,
            person_id,
            keys::Lock::SetupCode,
            &secret::normalise_setup_code(&code),
            self.kdf,
        )?;
        Ok((code, secrets, wrapped))
    }

    pub fn set_manager(
        &mut self,
        actor: &Actor,
        person_id: i64,
        manager_id: Option<i64>,
    ) -> Result<()> {
        let roster = self.admin_roster(actor)?;
        person_name(&self.conn, person_id)?;
        if let Some(m) = manager_id {
            person_name(&self.conn, m)?;
            if self.manages_transitively(person_id, m)? {
                return Err(Error::InvalidManager);
            }
        }
        let mut entry = roster
            .people
            .get(&person_id)
            .cloned()
            .ok_or(Error::Integrity)?;
        entry.manager = manager_id;
        let now = self.stamp();
        let key = self.signing_key(actor.id)?;
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE person SET manager_id = ?2 WHERE id = ?1",
            params![person_id, manager_id],
        )?;
        roster::write_person(&tx, &entry)?;
        roster::append_head(&tx, actor.id, &key, &now)?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "set_manager",
            "person",
            person_id,
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn set_admin(&mut self, actor: &Actor, person_id: i64, is_admin: bool) -> Result<()> {
        let roster = self.admin_roster(actor)?;
        person_name(&self.conn, person_id)?;
        let mut entry = roster
            .people
            .get(&person_id)
            .cloned()
            .ok_or(Error::Integrity)?;
        entry.admin = is_admin;
        // Someone must still be able to sign in and administer: another
        // administrator with signing keys of their own (not a person who
        // has yet to choose a passphrase).
        let pending: std::collections::HashSet<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM person WHERE setup_pending = 1")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let others = roster
            .people
            .values()
            .filter(|p| p.admin && p.id != person_id && !pending.contains(&p.id))
            .count();
        if !is_admin && others == 0 {
            return Err(Error::LastAdmin);
        }
        let now = self.stamp();
        let key = self.signing_key(actor.id)?;
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE person SET is_admin = ?2 WHERE id = ?1",
            params![person_id, is_admin],
        )?;
        roster::write_person(&tx, &entry)?;
        roster::append_head(&tx, actor.id, &key, &now)?;
        audit(&tx, &now, Some(actor.id), "set_admin", "person", person_id)?;
        tx.commit()?;
        Ok(())
    }

    /// Whether `boss` is `person` or somewhere below them: making such a
    /// boss the person's manager would close a loop.
    fn manages_transitively(&self, person: i64, boss: i64) -> Result<bool> {
        Ok(self.conn.query_row(
            "WITH RECURSIVE below(id) AS (
                 SELECT ?1 UNION SELECT p.id FROM person p JOIN below b ON p.manager_id = b.id
             ) SELECT count(*) > 0 FROM below WHERE id = ?2",
            [person, boss],
            |r| r.get(0),
        )?)
    }
}

/// Writes a person's entry, appends a head signed by the administrator,
/// and seals the person's first pins: the new head and the keys of
/// their manager as the administrator verified them. The person trusts
/// what the administrator trusted, from before they ever sign in.
fn sign_roster_for(
    tx: &rusqlite::Transaction<'_>,
    actor: &Actor,
    key: &SigningKey,
    roster: &Roster,
    entry: &PersonEntry,
    secrets: &PersonSecrets,
    now: &str,
) -> Result<()> {
    roster::write_person(tx, entry)?;
    let (version, head) = roster::append_head(tx, actor.id, key, now)?;
    let keys = entry
        .manager
        .and_then(|m| Some((m, roster.keys_of(m)?.fingerprint())))
        .into_iter()
        .collect();
    let pins = Pins {
        roster: Pin { version, head },
        keys,
    };
    trusted::store_pins(tx, entry.id, &pins.seal(entry.id, &secrets.content_key)?)
}
