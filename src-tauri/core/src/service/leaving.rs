//! People who leave the workplace. An administrator marks them as gone: a
//! signed fact in the roster, so an edit of the file cannot bring them
//! back. They disappear from sign-in and planning; everything they took
//! part in stays, for the others and in the history. Someone who comes back
//! is marked as returned and signs in as before.

use rusqlite::params;

use super::{audit, write, Actor, Tillid};
use crate::trust::roster;
use crate::{Error, Result};

impl Tillid {
    /// Marks `person_id` as having left. Refused while they still hold a
    /// role someone must take over first: administrator, manager of anyone,
    /// leader or member of a group (the Groups page moves a group to a new
    /// key era properly).
    pub fn mark_left(&mut self, actor: &Actor, person_id: i64) -> Result<()> {
        let roster = self.admin_roster(actor)?;
        if person_id == actor.id {
            return Err(Error::InvalidInput { field: "person_id" });
        }
        let mut entry = roster
            .people
            .get(&person_id)
            .cloned()
            .ok_or(Error::NotFound { what: "person" })?;
        if entry.left {
            return Ok(());
        }
        let still = |role| Error::StillResponsible {
            name: entry.name.clone(),
            role,
        };
        if entry.admin {
            return Err(still("admin"));
        }
        if roster
            .people
            .values()
            .any(|p| p.manager == Some(person_id) && !p.left)
        {
            return Err(still("manager"));
        }
        if roster.groups.values().any(|g| g.includes(person_id)) {
            return Err(still("group"));
        }
        entry.left = true;
        self.write_leaving(actor, &entry, "mark_left")
    }

    /// Brings back someone marked as having left.
    pub fn mark_returned(&mut self, actor: &Actor, person_id: i64) -> Result<()> {
        let roster = self.admin_roster(actor)?;
        let mut entry = roster
            .people
            .get(&person_id)
            .cloned()
            .ok_or(Error::NotFound { what: "person" })?;
        if !entry.left {
            return Ok(());
        }
        // Someone whose data was deleted comes back as a new person.
        let deleted: bool = self.conn.query_row(
            "SELECT deleted_at IS NOT NULL FROM person WHERE id = ?1",
            [person_id],
            |r| r.get(0),
        )?;
        if deleted {
            return Err(Error::NotFound { what: "person" });
        }
        entry.left = false;
        self.write_leaving(actor, &entry, "mark_returned")
    }

    fn write_leaving(
        &mut self,
        actor: &Actor,
        entry: &roster::PersonEntry,
        action: &str,
    ) -> Result<()> {
        let now = self.stamp();
        let key = self.signing_key(actor.id)?;
        let tx = write(&mut self.conn)?;
        tx.execute(
            "UPDATE person SET left_at = ?2 WHERE id = ?1",
            params![entry.id, entry.left.then_some(&now)],
        )?;
        roster::write_person(&tx, entry)?;
        roster::append_head(&tx, actor.id, &key, &now)?;
        audit(&tx, &now, Some(actor.id), action, "person", entry.id)?;
        tx.commit()?;
        Ok(())
    }

    /// After unlocking: someone the verified roster says has left does not
    /// get in, whatever the file's clear columns say.
    pub(super) fn still_here(&self, person: i64) -> Result<()> {
        let Ok(roster) = self.roster(person) else {
            // An unverifiable roster grants nothing anyway (see `trusted`).
            return Ok(());
        };
        match roster.people.get(&person) {
            Some(p) if p.left => Err(Error::HasLeft {
                name: p.name.clone(),
            }),
            _ => Ok(()),
        }
    }
}
