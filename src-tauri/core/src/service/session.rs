//! Setting up the workplace and proving who is at the keyboard.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::{audit, write, Actor, Tillid};
use crate::validate::{self, NAME_MAX};
use crate::{secret, Error, Result};

#[derive(Debug, Serialize)]
pub struct AppStatus {
    pub workplace: Option<WorkplaceInfo>,
    pub people: Vec<SignInChoice>,
}

#[derive(Debug, Serialize)]
pub struct WorkplaceInfo {
    pub name: String,
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
}

impl Tillid {
    /// What the start screen needs: is there a workplace, and who can sign in.
    pub fn status(&self) -> Result<AppStatus> {
        let workplace = self
            .conn
            .query_row("SELECT name FROM workplace WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .map(|name| WorkplaceInfo { name });
        let mut stmt = self.conn.prepare(
            "SELECT id, name, passphrase_hash IS NULL FROM person ORDER BY name COLLATE NOCASE",
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
        let hash = secret::hash(self.cost, passphrase)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let exists: bool = tx.query_row("SELECT count(*) > 0 FROM workplace", [], |r| r.get(0))?;
        if exists {
            return Err(Error::AlreadySetUp);
        }
        tx.execute(
            "INSERT INTO workplace (id, name, created_at) VALUES (1, ?1, ?2)",
            (&workplace_name, &now),
        )?;
        tx.execute(
            "INSERT INTO person (name, is_admin, passphrase_hash, created_at) VALUES (?1, 1, ?2, ?3)",
            (&admin_name, &hash, &now),
        )?;
        let id = tx.last_insert_rowid();
        audit(&tx, &now, Some(id), "setup_workplace", "person", id)?;
        tx.commit()?;
        Ok(Actor { id })
    }

    pub fn sign_in(&self, person_id: i64, passphrase: &str) -> Result<Actor> {
        let (pass_hash, _) = self.credentials(person_id)?;
        let pass_hash = pass_hash.ok_or(Error::SetupPending)?;
        if secret::verify(&pass_hash, passphrase)? {
            Ok(Actor { id: person_id })
        } else {
            Err(Error::WrongPassphrase)
        }
    }

    /// A new person's first sign-in: the one-time code the administrator
    /// was shown, then a passphrase of their own. The code stops working.
    pub fn redeem_setup_code(
        &mut self,
        person_id: i64,
        code: &str,
        passphrase: &str,
    ) -> Result<Actor> {
        let (pass_hash, code_hash) = self.credentials(person_id)?;
        let code_hash = match (pass_hash, code_hash) {
            (None, Some(code_hash)) => code_hash,
            _ => return Err(Error::BadSetupCode),
        };
        if !secret::verify(&code_hash, &secret::normalise_setup_code(code))? {
            return Err(Error::BadSetupCode);
        }
        validate::passphrase(passphrase)?;
        let hash = secret::hash(self.cost, passphrase)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let changed = tx.execute(
            "UPDATE person SET passphrase_hash = ?2, setup_code_hash = NULL
             WHERE id = ?1 AND passphrase_hash IS NULL AND setup_code_hash = ?3",
            (person_id, &hash, &code_hash),
        )?;
        if changed != 1 {
            return Err(Error::BadSetupCode);
        }
        audit(
            &tx,
            &now,
            Some(person_id),
            "redeem_setup_code",
            "person",
            person_id,
        )?;
        tx.commit()?;
        Ok(Actor { id: person_id })
    }

    pub fn change_passphrase(&mut self, actor: &Actor, current: &str, new: &str) -> Result<()> {
        self.sign_in(actor.id, current)?;
        validate::passphrase(new)?;
        let hash = secret::hash(self.cost, new)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE person SET passphrase_hash = ?2 WHERE id = ?1",
            (actor.id, &hash),
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "change_passphrase",
            "person",
            actor.id,
        )?;
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

    pub fn me(&self, actor: &Actor) -> Result<Me> {
        self.conn
            .query_row(
                "SELECT id, name, is_admin, locale,
                        EXISTS (SELECT 1 FROM person e WHERE e.manager_id = p.id)
                        OR EXISTS (SELECT 1 FROM team t WHERE t.leader_id = p.id)
                 FROM person p WHERE id = ?1",
                [actor.id],
                |r| {
                    Ok(Me {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        is_admin: r.get(2)?,
                        locale: r.get(3)?,
                        is_manager: r.get(4)?,
                    })
                },
            )
            .optional()?
            .ok_or(Error::NotSignedIn)
    }

    fn credentials(&self, person_id: i64) -> Result<(Option<String>, Option<String>)> {
        self.conn
            .query_row(
                "SELECT passphrase_hash, setup_code_hash FROM person WHERE id = ?1",
                [person_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "person" })
    }
}
