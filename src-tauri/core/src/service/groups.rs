//! Personnel groups, which hold group dialogues (GRUS) with their leader.

use std::collections::BTreeSet;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{audit, person_name, write, Actor, Tillid};
use crate::domain::PersonRef;
use crate::trust::{roster, GroupEntry};
use crate::validate::{self, NAME_MAX};
use crate::{Error, Result};

#[derive(Debug, Serialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub leader: PersonRef,
    pub members: Vec<PersonRef>,
}

#[derive(Debug, Deserialize)]
pub struct GroupInput {
    pub group_id: Option<i64>,
    pub name: String,
    pub leader_id: i64,
    pub member_ids: Vec<i64>,
}

impl Tillid {
    pub fn list_groups(&self, actor: &Actor) -> Result<Vec<GroupView>> {
        self.require_admin(actor)?;
        let mut stmt = self.conn.prepare(
            "SELECT t.id, t.name, l.id, l.name FROM team t JOIN person l ON l.id = t.leader_id
             ORDER BY t.name COLLATE NOCASE",
        )?;
        let groups = stmt
            .query_map([], |r| {
                Ok(GroupView {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    leader: PersonRef {
                        id: r.get(2)?,
                        name: r.get(3)?,
                    },
                    members: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut members = self.conn.prepare(
            "SELECT p.id, p.name FROM team_member m JOIN person p ON p.id = m.person_id
             WHERE m.team_id = ?1 ORDER BY p.name COLLATE NOCASE",
        )?;
        groups
            .into_iter()
            .map(|mut g| {
                g.members = members
                    .query_map([g.id], |r| {
                        Ok(PersonRef {
                            id: r.get(0)?,
                            name: r.get(1)?,
                        })
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(g)
            })
            .collect()
    }

    /// Creates a group (no id) or replaces an existing group's name, leader
    /// and members. Dialogues already planned keep the people they had.
    pub fn save_group(&mut self, actor: &Actor, input: &GroupInput) -> Result<i64> {
        let roster = self.admin_roster(actor)?;
        let name = validate::required_text("name", &input.name, NAME_MAX)?;
        person_name(&self.conn, input.leader_id)?;
        // The leader sits in the dialogue as its manager, not as a member.
        let members: BTreeSet<i64> = input
            .member_ids
            .iter()
            .copied()
            .filter(|&m| m != input.leader_id)
            .collect();
        for &m in &members {
            person_name(&self.conn, m)?;
        }
        let now = self.stamp();
        let key = self.signing_key(actor.id)?;
        let tx = write(&mut self.conn)?;
        let clash: Option<i64> = tx
            .query_row(
                "SELECT id FROM team WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2",
                params![name, input.group_id],
                |r| r.get(0),
            )
            .optional()?;
        if clash.is_some() {
            return Err(Error::DuplicateName { field: "name" });
        }
        let id = match input.group_id {
            Some(id) => {
                let n = tx.execute(
                    "UPDATE team SET name = ?2, leader_id = ?3 WHERE id = ?1",
                    params![id, name, input.leader_id],
                )?;
                if n == 0 {
                    return Err(Error::NotFound { what: "group" });
                }
                tx.execute("DELETE FROM team_member WHERE team_id = ?1", [id])?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO team (name, leader_id, created_at) VALUES (?1, ?2, ?3)",
                    params![name, input.leader_id, now],
                )?;
                tx.last_insert_rowid()
            }
        };
        for &m in &members {
            tx.execute(
                "INSERT INTO team_member (team_id, person_id) VALUES (?1, ?2)",
                [id, m],
            )?;
        }
        let members: Vec<i64> = members.into_iter().collect();
        // A new leader or member starts a new key era: they read the
        // group's dialogues from the day they join, not its past; whoever
        // left receives nothing written after.
        let era = match roster.groups.get(&id) {
            Some(g) if g.leader == input.leader_id && g.members == members => g.era,
            Some(g) => g.era + 1,
            None => 1,
        };
        let moved = roster.groups.get(&id).is_some_and(|g| g.era != era);
        roster::write_group(
            &tx,
            &GroupEntry {
                id,
                name: name.clone(),
                leader: input.leader_id,
                members: members.clone(),
                era,
            },
        )?;
        roster::append_head(&tx, actor.id, &key, &now)?;
        if moved {
            // Planned dialogues with nothing written yet move to the new
            // era with the group as it is now; any with content stay with
            // the people who wrote it.
            tx.execute(
                "UPDATE dialogue SET era = ?2, manager_id = ?3 WHERE team_id = ?1 AND state = 'planned'
                   AND NOT EXISTS (SELECT 1 FROM agenda_item a WHERE a.dialogue_id = dialogue.id)
                   AND NOT EXISTS (SELECT 1 FROM note n WHERE n.dialogue_id = dialogue.id)
                   AND NOT EXISTS (SELECT 1 FROM agreement g WHERE g.dialogue_id = dialogue.id)",
                params![id, era, input.leader_id],
            )?;
            tx.execute(
                "DELETE FROM participant WHERE dialogue_id IN (
                     SELECT id FROM dialogue WHERE team_id = ?1 AND era = ?2 AND state = 'planned')",
                params![id, era],
            )?;
            tx.execute(
                "INSERT INTO participant (dialogue_id, person_id, role)
                 SELECT d.id, ?3, 'manager' FROM dialogue d WHERE d.team_id = ?1 AND d.era = ?2 AND d.state = 'planned'",
                params![id, era, input.leader_id],
            )?;
            for &m in &members {
                tx.execute(
                    "INSERT INTO participant (dialogue_id, person_id, role)
                     SELECT d.id, ?3, 'member' FROM dialogue d WHERE d.team_id = ?1 AND d.era = ?2 AND d.state = 'planned'",
                    params![id, era, m],
                )?;
            }
        }
        audit(&tx, &now, Some(actor.id), "save_group", "group", id)?;
        tx.commit()?;
        Ok(id)
    }
}
