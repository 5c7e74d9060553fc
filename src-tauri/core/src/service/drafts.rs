//! What someone was typing when the idle lock came. The window hands the
//! unsaved fields over just before it locks; they are sealed with the
//! person's own key (where they were typing and what, together), offered
//! back once at their next sign-in, and deleted as they are taken.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{next_id, write, Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::validate::{self, NOTE_MAX};
use crate::{Error, Result};

/// At most this many unsaved fields are kept for one person.
pub const MAX_DRAFTS: usize = 20;
/// A place in the window is a route and a field, never content.
const PLACE_MAX: usize = 200;

/// One unsaved field: the screen (`route`), which field on it (`field`,
/// and `index` among fields of that name), and the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub route: String,
    pub field: String,
    #[serde(default)]
    pub index: u32,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct DraftView {
    #[serde(flatten)]
    pub draft: Draft,
    pub saved_at: String,
}

fn field_ref(id: i64, owner: i64) -> FieldRef {
    FieldRef {
        table: "draft",
        column: "body",
        row: id,
        space: Space::Private { owner },
    }
}

impl Tillid {
    /// Replaces the person's drafts with `drafts` (empty: forget them).
    pub fn save_drafts(&mut self, actor: &Actor, drafts: &[Draft]) -> Result<()> {
        if drafts.len() > MAX_DRAFTS {
            return Err(Error::InvalidInput { field: "drafts" });
        }
        let mut sealed = Vec::with_capacity(drafts.len());
        for d in drafts {
            validate::required_text("route", &d.route, PLACE_MAX)?;
            validate::required_text("field", &d.field, PLACE_MAX)?;
            // Whatever was typed, as typed: only the length is bounded.
            if d.text.chars().count() > NOTE_MAX {
                return Err(Error::TextTooLong {
                    field: "text",
                    max: NOTE_MAX,
                });
            }
            sealed.push(
                serde_json::to_string(d).map_err(|_| Error::InvalidInput { field: "drafts" })?,
            );
        }
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        tx.execute("DELETE FROM draft WHERE person_id = ?1", [actor.id])?;
        for json in sealed {
            let id = next_id(&tx, "draft")?;
            let body = self.vault.seal(actor.id, &field_ref(id, actor.id), &json)?;
            tx.execute(
                "INSERT INTO draft (id, person_id, body, saved_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, actor.id, body, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The person's drafts, once: they are deleted as they are returned. A
    /// draft that does not open (damaged, or planted by someone else) is
    /// dropped, never shown.
    pub fn take_drafts(&mut self, actor: &Actor) -> Result<Vec<DraftView>> {
        let rows: Vec<(i64, Vec<u8>, String)> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, body, saved_at FROM draft WHERE person_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([actor.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for (id, body, saved_at) in rows {
            let Ok(json) = self.open_as(actor, &field_ref(id, actor.id), &body) else {
                continue;
            };
            if let Ok(draft) = serde_json::from_str::<Draft>(&json) {
                out.push(DraftView { draft, saved_at });
            }
        }
        let tx = write(&mut self.conn)?;
        tx.execute("DELETE FROM draft WHERE person_id = ?1", [actor.id])?;
        tx.commit()?;
        Ok(out)
    }
}
