//! Setting up the workplace, proving who is at the keyboard, and unlocking
//! their keys: sign-in, setup codes, recovery codes, passphrase changes,
//! and the growing wait after wrong passphrases.

use chrono::Duration;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::keys::{self, Lock};
use super::{audit, trusted, write, Actor, Tillid};
use crate::crypto::{sign, PersonSecrets};
use crate::trust::{roster, Pin, Pins, TrustWarning};
use crate::validate::{self, format_moment, NAME_MAX};
use crate::{secret, Error, Result};

#[derive(Debug, Serialize)]
pub struct AppStatus {
    pub workplace: Option<WorkplaceInfo>,
    pub people: Vec<SignInChoice>,
}

#[derive(Debug, Serialize)]
pub struct WorkplaceInfo {
    pub name: String,
    pub idle_lock_seconds: i64,
}

/// A name on the sign-in screen.
#[derive(Debug, Serialize)]
pub struct SignInChoice {
    pub id: i64,
    pub name: String,
    pub needs_setup: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub is_admin: bool,
    pub is_manager: bool,
    pub locale: Option<String>,
    pub has_recovery_code: bool,
    /// Shown at sign-in: keys that changed since last time, or a roster
    /// that could not be verified.
    pub trust_warnings: Vec<TrustWarning>,
}

/// The idle lock an administrator may set, and the default.
pub const IDLE_MIN_MINUTES: i64 = 1;
pub const IDLE_MAX_MINUTES: i64 = 240;
pub const IDLE_DEFAULT_SECONDS: i64 = 300;

/// Wrong passphrases before any wait, and the longest wait.
const FREE_ATTEMPTS: i64 = 3;
const MAX_WAIT_SECONDS: i64 = 15 * 60;

/// Seconds to wait after the `failures`-th wrong passphrase in a row:
/// none for the first few, then 5 s doubling up to 15 minutes.
pub fn wait_after(failures: i64) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(20) as u32;
    (5i64 << doublings).min(MAX_WAIT_SECONDS)
}

impl Tillid {
    /// What the start screen needs: is there a workplace, and who can sign in.
    pub fn status(&self) -> Result<AppStatus> {
        let workplace = self
            .conn
            .query_row(
                "SELECT name, idle_lock_seconds FROM workplace WHERE id = 1",
                [],
                |r| {
                    Ok(WorkplaceInfo {
                        name: r.get(0)?,
                        idle_lock_seconds: r.get(1)?,
                    })
                },
            )
            .optional()?
            .map(|w| WorkplaceInfo {
                idle_lock_seconds: self.idle_lock_seconds().unwrap_or(IDLE_DEFAULT_SECONDS),
                ..w
            });
        let mut stmt = self.conn.prepare(
            "SELECT id, name, setup_pending FROM person WHERE left_at IS NULL
                 ORDER BY name COLLATE NOCASE",
        )?;
        let people = stmt
            .query_map([], |r| {
                Ok(SignInChoice {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    needs_setup: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(AppStatus { workplace, people })
    }

    /// First start: names the workplace and creates its first person, an
    /// administrator, who is then signed in.
    pub fn setup_workplace(
        &mut self,
        workplace_name: &str,
        admin_name: &str,
        passphrase: &str,
    ) -> Result<Actor> {
        let workplace_name = validate::required_text("workplace_name", workplace_name, NAME_MAX)?;
        let admin_name = validate::required_text("admin_name", admin_name, NAME_MAX)?;
        validate::passphrase(passphrase)?;
        let exists: bool = self
            .conn
            .query_row("SELECT count(*) > 0 FROM workplace", [], |r| r.get(0))?;
        if exists {
            return Err(Error::AlreadySetUp);
        }
        let secrets = PersonSecrets::generate();
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute(
            "INSERT INTO workplace (id, name, created_at) VALUES (1, ?1, ?2)",
            (&workplace_name, &now),
        )?;
        tx.execute(
            "INSERT INTO person (name, is_admin, created_at) VALUES (?1, 1, ?2)",
            (&admin_name, &now),
        )?;
        let id = tx.last_insert_rowid();
        let wrapped = keys::wrap_secrets(&secrets, id, Lock::Passphrase, passphrase, self.kdf)?;
        keys::store_new_secrets(&tx, id, &secrets, &wrapped, &now)?;
        // The roster starts here, signed by the workplace's first
        // administrator, who pins it.
        let entry = trusted::new_entry(id, &admin_name, true, None, &secrets)?;
        roster::write_person(&tx, &entry)?;
        let (version, head) = roster::append_head(&tx, id, &sign::signing_key(&secrets)?, &now)?;
        let pins = Pins {
            roster: Pin { version, head },
            keys: Default::default(),
        };
        trusted::store_pins(&tx, id, &pins.seal(id, &secrets.content_key)?)?;
        audit(&tx, &now, Some(id), "setup_workplace", "person", id)?;
        tx.commit()?;
        self.unlocked(id, secrets, true)
    }

    /// Proves the passphrase by unwrapping the person's keys, which stay in
    /// memory until [`lock`](Self::lock).
    pub fn sign_in(&mut self, person_id: i64, passphrase: &str) -> Result<Actor> {
        validate::passphrase_length(passphrase)?;
        let pending = self.setup_pending(person_id)?;
        if pending {
            return Err(Error::SetupPending);
        }
        self.check_wait(person_id)?;
        match keys::load_wrapped(&self.conn, person_id, Lock::Passphrase)? {
            Some(w) => {
                let unwrapped = self.unwrap_or_count(
                    &w,
                    person_id,
                    Lock::Passphrase,
                    passphrase,
                    Error::WrongPassphrase,
                )?;
                self.unlocked_from(person_id, unwrapped, Lock::Passphrase)
            }
            None => {
                let secrets = self.first_unlock_since_upgrade(person_id, passphrase)?;
                self.unlocked(person_id, secrets, false)
            }
        }
    }

    /// A person from before encryption came in has a passphrase hash and no
    /// keys: check the hash, then make their keys and forget the hash. Only
    /// while the roster itself knows no keys for them: once it does, a
    /// missing key row and a hash are an edit of the file, not a sign-in.
    fn first_unlock_since_upgrade(
        &mut self,
        person_id: i64,
        passphrase: &str,
    ) -> Result<PersonSecrets> {
        if roster::exists(&self.conn)? {
            let roster = roster::verify(&self.conn, None)?;
            let keyless = roster
                .people
                .get(&person_id)
                .is_some_and(|p| p.x25519.is_none() && p.ed25519.is_none());
            if !keyless || roster.keys_of(person_id).is_some() {
                return Err(Error::Integrity);
            }
        }
        let hash: Option<String> = self.conn.query_row(
            "SELECT passphrase_hash FROM person WHERE id = ?1",
            [person_id],
            |r| r.get(0),
        )?;
        let hash = hash.ok_or(Error::Integrity)?;
        if !secret::verify(&hash, passphrase)? {
            return Err(self.wrong(person_id, Error::WrongPassphrase)?);
        }
        let secrets = PersonSecrets::generate();
        let wrapped =
            keys::wrap_secrets(&secrets, person_id, Lock::Passphrase, passphrase, self.kdf)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        keys::store_new_secrets(&tx, person_id, &secrets, &wrapped, &now)?;
        tx.execute(
            "UPDATE person SET passphrase_hash = NULL WHERE id = ?1",
            [person_id],
        )?;
        audit(
            &tx,
            &now,
            Some(person_id),
            "create_keys",
            "person",
            person_id,
        )?;
        tx.commit()?;
        Ok(secrets)
    }

    /// A new person's first sign-in: the one-time code the administrator
    /// was shown, then a passphrase of their own. The code stops working.
    pub fn redeem_setup_code(
        &mut self,
        person_id: i64,
        code: &str,
        passphrase: &str,
    ) -> Result<Actor> {
        let pending = self.setup_pending(person_id)?;
        if !pending {
            return Err(Error::BadSetupCode);
        }
        validate::code_length(code)?;
        validate::passphrase_length(passphrase)?;
        self.check_wait(person_id)?;
        let code = secret::normalise_setup_code(code);
        let issued = match keys::load_wrapped(&self.conn, person_id, Lock::SetupCode)? {
            Some(w) => Some(self.unwrap_or_count(
                &w,
                person_id,
                Lock::SetupCode,
                &code,
                Error::BadSetupCode,
            )?),
            None => {
                self.legacy_setup_code(person_id, &code)?;
                None
            }
        };
        validate::passphrase(passphrase)?;
        // Fresh secrets: whatever the setup code opens (in this file or an
        // older copy of it) is worthless for everything written from now.
        let secrets = PersonSecrets::generate();
        let wrapped =
            keys::wrap_secrets(&secrets, person_id, Lock::Passphrase, passphrase, self.kdf)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let sealed_era = match &issued {
            Some(issued) => {
                keys::hand_over(&tx, person_id, &issued.secrets, &secrets, &wrapped, &now)?;
                issued.sealed_era
            }
            None => {
                keys::store_new_secrets(&tx, person_id, &secrets, &wrapped, &now)?;
                false
            }
        };
        tx.execute(
            "UPDATE person SET setup_pending = 0, setup_code_hash = NULL, passphrase_hash = NULL WHERE id = ?1",
            [person_id],
        )?;
        audit(
            &tx,
            &now,
            Some(person_id),
            "redeem_setup_code",
            "person",
            person_id,
        )?;
        tx.commit()?;
        self.unlocked(person_id, secrets, sealed_era)
    }

    /// A code issued before encryption came in was stored as a hash.
    fn legacy_setup_code(&mut self, person_id: i64, code: &str) -> Result<()> {
        let hash: Option<String> = self.conn.query_row(
            "SELECT setup_code_hash FROM person WHERE id = ?1",
            [person_id],
            |r| r.get(0),
        )?;
        match hash {
            Some(h) if secret::verify(&h, code)? => Ok(()),
            _ => Err(self.wrong(person_id, Error::BadSetupCode)?),
        }
    }

    /// A forgotten passphrase, with the recovery code the person printed:
    /// their keys come back and they choose a new passphrase.
    pub fn recover_with_code(
        &mut self,
        person_id: i64,
        code: &str,
        passphrase: &str,
    ) -> Result<Actor> {
        validate::code_length(code)?;
        validate::passphrase_length(passphrase)?;
        self.check_wait(person_id)?;
        let w = keys::load_wrapped(&self.conn, person_id, Lock::Recovery)?
            .ok_or(Error::BadRecoveryCode)?;
        let code = secret::normalise_setup_code(code);
        let unwrapped =
            self.unwrap_or_count(&w, person_id, Lock::Recovery, &code, Error::BadRecoveryCode)?;
        validate::passphrase(passphrase)?;
        let wrapped = keys::wrap_secrets(
            &unwrapped.secrets,
            person_id,
            Lock::Passphrase,
            passphrase,
            self.kdf,
        )?;
        self.store_rewrap(person_id, Lock::Passphrase, &wrapped, "recover_with_code")?;
        self.unlocked_from(person_id, unwrapped, Lock::Recovery)
    }

    /// A new recovery code for the signed-in person, replacing any earlier
    /// one. Only the wrap it opens is kept; the code is shown once.
    pub fn create_recovery_code(&mut self, actor: &Actor) -> Result<String> {
        let code = secret::new_recovery_code();
        let wrapped = {
            let secrets = &self.vault.get(actor.id)?.secrets;
            keys::wrap_secrets(
                secrets,
                actor.id,
                Lock::Recovery,
                &secret::normalise_setup_code(&code),
                self.kdf,
            )?
        };
        self.store_rewrap(actor.id, Lock::Recovery, &wrapped, "create_recovery_code")?;
        Ok(code)
    }

    /// Re-wraps the person's keys under a new passphrase; nothing else is
    /// re-encrypted.
    pub fn change_passphrase(&mut self, actor: &Actor, current: &str, new: &str) -> Result<()> {
        validate::passphrase_length(current)?;
        validate::passphrase_length(new)?;
        let w =
            keys::load_wrapped(&self.conn, actor.id, Lock::Passphrase)?.ok_or(Error::Integrity)?;
        self.check_wait(actor.id)?;
        let unwrapped = self.unwrap_or_count(
            &w,
            actor.id,
            Lock::Passphrase,
            current,
            Error::WrongPassphrase,
        )?;
        validate::passphrase(new)?;
        let wrapped = keys::wrap_secrets(
            &unwrapped.secrets,
            actor.id,
            Lock::Passphrase,
            new,
            self.kdf,
        )?;
        self.store_rewrap(actor.id, Lock::Passphrase, &wrapped, "change_passphrase")?;
        Ok(())
    }

    /// Drops the person's keys and search index from memory.
    pub fn lock(&mut self, actor: &Actor) {
        self.vault.remove(actor.id);
    }

    /// How long someone may be idle before they are signed out. A value
    /// outside what Settings can set was not set there: an integrity error
    /// (the shell then locks after the default), never an app that does
    /// not lock.
    pub fn idle_lock_seconds(&self) -> Result<i64> {
        let seconds = self
            .conn
            .query_row(
                "SELECT idle_lock_seconds FROM workplace WHERE id = 1",
                [],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .unwrap_or(IDLE_DEFAULT_SECONDS);
        if !(IDLE_MIN_MINUTES * 60..=IDLE_MAX_MINUTES * 60).contains(&seconds) {
            return Err(Error::Integrity);
        }
        Ok(seconds)
    }

    /// Sign people out after this many minutes without activity.
    pub fn set_idle_lock(&mut self, actor: &Actor, minutes: i64) -> Result<()> {
        self.require_admin(actor)?;
        if !(IDLE_MIN_MINUTES..=IDLE_MAX_MINUTES).contains(&minutes) {
            return Err(Error::InvalidInput { field: "minutes" });
        }
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE workplace SET idle_lock_seconds = ?1 WHERE id = 1",
            [minutes * 60],
        )?;
        audit(&tx, &now, Some(actor.id), "set_idle_lock", "workplace", 1)?;
        tx.commit()?;
        Ok(())
    }

    pub fn set_locale(&mut self, actor: &Actor, locale: &str) -> Result<Me> {
        if !matches!(locale, "da" | "en") {
            return Err(Error::InvalidInput { field: "locale" });
        }
        self.conn.execute(
            "UPDATE person SET locale = ?2 WHERE id = ?1",
            (actor.id, locale),
        )?;
        self.me(actor)
    }

    /// Who is signed in. Administrator and manager come from the verified
    /// roster, not from the rows: an edited `is_admin` shows nothing.
    pub fn me(&self, actor: &Actor) -> Result<Me> {
        let roster = self.roster(actor.id).ok();
        let mut me = self
            .conn
            .query_row(
                "SELECT id, name, locale,
                        EXISTS (SELECT 1 FROM person_key k WHERE k.person_id = p.id AND k.recovery_wrapped IS NOT NULL)
                 FROM person p WHERE id = ?1",
                [actor.id],
                |r| {
                    Ok(Me {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        is_admin: false,
                        locale: r.get(2)?,
                        is_manager: false,
                        has_recovery_code: r.get(3)?,
                        trust_warnings: Vec::new(),
                    })
                },
            )
            .optional()?
            .ok_or(Error::NotSignedIn)?;
        if let Some(roster) = roster {
            me.is_admin = roster.is_admin(actor.id);
            me.is_manager = roster.manages_anyone(actor.id);
        }
        me.trust_warnings = self.trust_warnings(actor)?;
        Ok(me)
    }

    /// Unlocked: keep the keys, clear the wrong-passphrase count, and
    /// establish what the person can trust (see `trusted`). A sign-in that
    /// fails on the way leaves no keys in memory.
    fn unlocked(
        &mut self,
        person_id: i64,
        secrets: PersonSecrets,
        sealed_era: bool,
    ) -> Result<Actor> {
        self.vault.insert(person_id, secrets);
        // Read-only data: sign in to read; the count cannot be cleared.
        let cleared = if self.is_read_only() {
            Ok(0)
        } else {
            self.conn.execute(
                "UPDATE person SET failed_attempts = 0, retry_after = NULL WHERE id = ?1",
                [person_id],
            )
        };
        let done = cleared
            .map_err(Error::from)
            .and_then(|_| self.establish_trust(person_id, sealed_era))
            .and_then(|()| self.still_here(person_id));
        match done {
            Ok(()) => Ok(Actor { id: person_id }),
            Err(e) => {
                self.vault.remove(person_id);
                Err(e)
            }
        }
    }

    /// Unlocked with a wrap: one from before integrity came in is re-made
    /// in the sealed-era form with the same key, once trust is established.
    fn unlocked_from(
        &mut self,
        person_id: i64,
        unwrapped: keys::Unwrapped,
        lock: Lock,
    ) -> Result<Actor> {
        let again = (!unwrapped.sealed_era)
            .then(|| unwrapped.rewrap_sealed(person_id, lock))
            .transpose()?;
        let actor = self.unlocked(person_id, unwrapped.secrets.clone(), unwrapped.sealed_era)?;
        if let Some(w) = again {
            self.store_rewrap(person_id, lock, &w, "seal_wrap")?;
        }
        Ok(actor)
    }

    /// Stores a person's secrets wrapped anew (new passphrase or recovery
    /// code), with its audit line, in one transaction.
    fn store_rewrap(
        &mut self,
        person_id: i64,
        lock: Lock,
        wrapped: &keys::Wrapped,
        action: &str,
    ) -> Result<()> {
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        keys::rewrap(&tx, person_id, lock, wrapped)?;
        audit(&tx, &now, Some(person_id), action, "person", person_id)?;
        tx.commit()?;
        Ok(())
    }

    /// Unwraps with what the person typed; a wrong secret is counted
    /// towards the wait and reported as `wrong`.
    fn unwrap_or_count(
        &mut self,
        w: &keys::Wrapped,
        person_id: i64,
        lock: Lock,
        secret: &str,
        wrong: Error,
    ) -> Result<keys::Unwrapped> {
        match keys::unwrap_secrets(w, person_id, lock, secret) {
            Err(Error::Integrity) => Err(self.wrong(person_id, wrong)?),
            other => other,
        }
    }

    fn check_wait(&self, person_id: i64) -> Result<()> {
        let retry_after: Option<String> = self
            .conn
            .query_row(
                "SELECT retry_after FROM person WHERE id = ?1",
                [person_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        // The wait only slows guessing at the keyboard; anyone who edits the
        // file could clear it anyway. A value Tillid did not write (not a
        // date) is no wait, rather than a lock-out for good.
        if let Some(Ok(at)) = retry_after.map(|at| validate::moment("retry_after", &at)) {
            // Never longer than Tillid itself sets: a date planted far ahead
            // must not lock a person out for good.
            let left = (at - self.now()).num_seconds().min(MAX_WAIT_SECONDS);
            if left > 0 {
                return Err(Error::TryLater { seconds: left });
            }
        }
        Ok(())
    }

    /// Counts a wrong passphrase or code (kept across restarts) and returns
    /// the error to show, with the wait before the next try.
    fn wrong(&mut self, person_id: i64, error: Error) -> Result<Error> {
        if self.is_read_only() {
            return Ok(error); // cannot be counted where nothing can be written
        }
        let failures: i64 = self.conn.query_row(
            "UPDATE person SET failed_attempts = failed_attempts + 1 WHERE id = ?1 RETURNING failed_attempts",
            [person_id],
            |r| r.get(0),
        )?;
        let wait = wait_after(failures);
        let retry_after = (wait > 0).then(|| format_moment(self.now() + Duration::seconds(wait)));
        self.conn.execute(
            "UPDATE person SET retry_after = ?2 WHERE id = ?1",
            params![person_id, retry_after],
        )?;
        Ok(match (error, wait) {
            (Error::WrongPassphrase, w) if w > 0 => Error::WrongPassphraseWait { wait_seconds: w },
            (e, _) => e,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::wait_after;

    #[test]
    fn waits_grow_after_a_few_free_tries_and_stop_growing() {
        let waits: Vec<i64> = (0..8).map(wait_after).collect();
        assert_eq!(waits, [0, 0, 0, 5, 10, 20, 40, 80]);
        assert_eq!(wait_after(100), 15 * 60);
    }
}
