//! Personnel groups, which hold group dialogues (GRUS) with their leader.

use std::collections::BTreeSet;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{audit, person_name, write, Actor, Tillid};
use crate::domain::PersonRef;
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
        self.require_admin(actor)?;
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
        for m in members {
            tx.execute(
                "INSERT INTO team_member (team_id, person_id) VALUES (?1, ?2)",
                [id, m],
            )?;
        }
        audit(&tx, &now, Some(actor.id), "save_group", "group", id)?;
        tx.commit()?;
        Ok(id)
    }
}
