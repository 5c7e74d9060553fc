//! The workplace's templates: the built-in ones as shipped or as an
//! administrator edited them, and the workplace's own. A stored template is
//! trusted only with a valid signature by someone the verified roster names
//! as an administrator; otherwise it is shown as damaged and the built-in
//! is used. A dialogue keeps a signed copy of its template from when it was
//! planned, so an edit never changes a dialogue already planned or held.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use super::trusted::RowCheck;
use super::{allow, audit, next_id, write, Actor, Tillid};
use crate::domain::{access, DialogueKind, PersonRef};
use crate::templates::{builtin, Template, Text};
use crate::trust::rows::{self, Fact};
use crate::trust::Roster;
use crate::{Error, Result};

/// One template in a list: the plan form's choices, the editor's index.
#[derive(Debug, Serialize)]
pub struct TemplateSummary {
    /// `mus`, `grus`, … for a built-in; `own:<id>` for the workplace's own.
    pub key: String,
    pub kind: DialogueKind,
    pub name: Text,
    pub builtin: bool,
    /// A built-in an administrator has changed.
    pub edited: bool,
    /// A stored version failed its check (changed outside Tillid): for a
    /// built-in, the shipped text is used instead; an own one is not used.
    pub damaged: bool,
}

#[derive(Debug, Serialize)]
pub struct TemplateView {
    #[serde(flatten)]
    pub summary: TemplateSummary,
    pub edited_by: Option<PersonRef>,
    pub edited_at: Option<String>,
    pub template: Template,
}

/// A stored template row.
struct Stored {
    id: i64,
    builtin: Option<String>,
    kind: String,
    body: String,
    edited_by: i64,
    edited_by_name: String,
    edited_at: String,
    sig: Vec<u8>,
}

impl Stored {
    fn key(&self) -> String {
        match &self.builtin {
            Some(kind) => kind.clone(),
            None => format!("own:{}", self.id),
        }
    }

    /// The template, if the row is as an administrator signed it.
    fn trusted(&self, check: &RowCheck, roster: Option<&Roster>) -> Option<Template> {
        let by_admin = roster.is_some_and(|r| r.is_admin(self.edited_by));
        let genuine = by_admin
            && check.genuine(
                "template",
                self.id,
                self.edited_by,
                &signed(
                    self.builtin.as_deref(),
                    &self.kind,
                    &self.body,
                    &self.edited_at,
                ),
                Some(&self.sig),
            );
        let template = Template::from_json(&self.body).ok()?;
        let fits = template.kind.as_str() == self.kind
            && self.builtin.as_deref().is_none_or(|b| b == self.kind);
        (genuine && fits).then_some(template)
    }
}

/// What a template row's signature covers besides its id and editor.
fn signed<'a>(
    builtin: Option<&'a str>,
    kind: &'a str,
    body: &'a str,
    at: &'a str,
) -> [Fact<'a>; 4] {
    [
        Fact::OptText(builtin),
        Fact::Text(kind),
        Fact::Text(body),
        Fact::Text(at),
    ]
}

/// What a dialogue's copy of its template is signed with, by its planner.
fn snapshot_signed<'a>(key: &'a str, body: &'a str) -> [Fact<'a>; 2] {
    [Fact::Text(key), Fact::Text(body)]
}

fn stored_rows(conn: &Connection) -> Result<Vec<Stored>> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.builtin, t.kind, t.body, t.edited_by, coalesce(p.name, ''), t.edited_at, t.sig
         FROM template t LEFT JOIN person p ON p.id = t.edited_by ORDER BY t.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Stored {
            id: r.get(0)?,
            builtin: r.get(1)?,
            kind: r.get(2)?,
            body: r.get(3)?,
            edited_by: r.get(4)?,
            edited_by_name: r.get(5)?,
            edited_at: r.get(6)?,
            sig: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The template a key names, as this reader may trust it.
pub(crate) struct Resolved {
    pub key: String,
    pub template: Template,
}

impl Tillid {
    /// Every template: the five built-ins (as edited, where the edit is
    /// trusted) and the workplace's own, each marked when damaged.
    pub fn list_templates(&self, actor: &Actor) -> Result<Vec<TemplateSummary>> {
        Ok(self
            .template_views(actor)?
            .into_iter()
            .map(|v| v.summary)
            .collect())
    }

    pub fn get_template(&self, actor: &Actor, key: &str) -> Result<TemplateView> {
        self.template_views(actor)?
            .into_iter()
            .find(|v| v.summary.key == key)
            .ok_or(Error::NotFound { what: "template" })
    }

    fn template_views(&self, actor: &Actor) -> Result<Vec<TemplateView>> {
        let check = self.row_check(actor)?;
        let roster = self.roster(actor.id).ok();
        let stored = stored_rows(&self.conn)?;
        let mut out = Vec::new();
        for &kind in DialogueKind::ALL {
            let row = stored
                .iter()
                .find(|s| s.builtin.as_deref() == Some(kind.as_str()));
            let trusted = row.and_then(|s| s.trusted(&check, roster.as_deref()));
            let edited = trusted.is_some();
            let template = trusted.unwrap_or_else(|| builtin(kind));
            out.push(TemplateView {
                summary: TemplateSummary {
                    key: kind.as_str().to_owned(),
                    kind,
                    name: template.name.clone(),
                    builtin: true,
                    edited,
                    damaged: row.is_some() && !edited,
                },
                edited_by: row.filter(|_| edited).map(|s| PersonRef {
                    id: s.edited_by,
                    name: s.edited_by_name.clone(),
                }),
                edited_at: row.filter(|_| edited).map(|s| s.edited_at.clone()),
                template,
            });
        }
        for s in stored.iter().filter(|s| s.builtin.is_none()) {
            let trusted = s.trusted(&check, roster.as_deref());
            let Ok(kind) = DialogueKind::parse("kind", &s.kind) else {
                continue;
            };
            let damaged = trusted.is_none();
            let template = trusted.unwrap_or_else(|| Template {
                kind,
                name: Text::default(),
                guide: Text::default(),
                sections: Vec::new(),
            });
            out.push(TemplateView {
                summary: TemplateSummary {
                    key: s.key(),
                    kind,
                    name: template.name.clone(),
                    builtin: false,
                    edited: true,
                    damaged,
                },
                edited_by: Some(PersonRef {
                    id: s.edited_by,
                    name: s.edited_by_name.clone(),
                }),
                edited_at: Some(s.edited_at.clone()),
                template,
            });
        }
        Ok(out)
    }

    /// The template to plan a dialogue of `kind` with: the one `key` names
    /// (which must be of that kind and trusted), or the kind's built-in.
    pub(crate) fn resolve_template(
        &self,
        actor: &Actor,
        kind: DialogueKind,
        key: Option<&str>,
    ) -> Result<Resolved> {
        let key = match key {
            None | Some("") => kind.as_str(),
            Some(k) => k,
        };
        let view = self
            .template_views(actor)?
            .into_iter()
            .find(|v| v.summary.key == key)
            .ok_or(Error::InvalidInput { field: "template" })?;
        if view.summary.kind != kind || (view.summary.damaged && !view.summary.builtin) {
            return Err(Error::InvalidInput { field: "template" });
        }
        Ok(Resolved {
            key: view.summary.key,
            template: view.template,
        })
    }

    /// An administrator saves a template: a built-in's new wording (`key`
    /// is its kind), an own template's new wording (`own:<id>`), or a new
    /// own template (`key` empty). Dialogues already planned keep theirs.
    pub fn save_template(
        &mut self,
        actor: &Actor,
        key: Option<&str>,
        template: &Template,
    ) -> Result<String> {
        let roster = self.roster(actor.id)?;
        allow(access::may_edit_templates(roster.is_admin(actor.id)))?;
        let template = template.checked()?;
        let body = template.to_json()?;
        let kind = template.kind.as_str();
        let sign_key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let (id, builtin_of) = match key {
            None | Some("") => (next_id(&tx, "template")?, None),
            Some(k) => match k.strip_prefix("own:") {
                Some(id) => {
                    let id: i64 = id
                        .parse()
                        .map_err(|_| Error::NotFound { what: "template" })?;
                    let exists: Option<i64> = tx
                        .query_row(
                            "SELECT id FROM template WHERE id = ?1 AND builtin IS NULL",
                            [id],
                            |r| r.get(0),
                        )
                        .optional()?;
                    (exists.ok_or(Error::NotFound { what: "template" })?, None)
                }
                None => {
                    let of = DialogueKind::parse("template", k)?;
                    if of != template.kind {
                        return Err(Error::InvalidInput { field: "kind" });
                    }
                    let id: Option<i64> = tx
                        .query_row("SELECT id FROM template WHERE builtin = ?1", [k], |r| {
                            r.get(0)
                        })
                        .optional()?;
                    (
                        match id {
                            Some(id) => id,
                            None => next_id(&tx, "template")?,
                        },
                        Some(of.as_str()),
                    )
                }
            },
        };
        let sig = rows::sign_row(
            &sign_key,
            "template",
            id,
            actor.id,
            &signed(builtin_of, kind, &body, &now),
        );
        tx.execute(
            "INSERT INTO template (id, builtin, kind, body, edited_by, edited_at, sig)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id) DO UPDATE SET kind = ?3, body = ?4, edited_by = ?5, edited_at = ?6, sig = ?7",
            params![id, builtin_of, kind, body, actor.id, now, sig],
        )?;
        audit(&tx, &now, Some(actor.id), "save_template", "template", id)?;
        tx.commit()?;
        Ok(match builtin_of {
            Some(kind) => kind.to_owned(),
            None => format!("own:{id}"),
        })
    }

    /// An administrator takes a built-in back to Tillid's own wording, or
    /// removes an own template. Dialogues planned with it keep their copy.
    pub fn reset_template(&mut self, actor: &Actor, key: &str) -> Result<()> {
        let roster = self.roster(actor.id)?;
        allow(access::may_edit_templates(roster.is_admin(actor.id)))?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let id: Option<i64> = match key.strip_prefix("own:") {
            Some(id) => match id.parse::<i64>() {
                Ok(id) => tx
                    .query_row(
                        "SELECT id FROM template WHERE id = ?1 AND builtin IS NULL",
                        [id],
                        |r| r.get(0),
                    )
                    .optional()?,
                Err(_) => None,
            },
            None => {
                DialogueKind::parse("template", key)?;
                tx.query_row("SELECT id FROM template WHERE builtin = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?
            }
        };
        let Some(id) = id else {
            if key.starts_with("own:") {
                return Err(Error::NotFound { what: "template" });
            }
            // A built-in never edited is already as shipped.
            return Ok(());
        };
        tx.execute("DELETE FROM template WHERE id = ?1", [id])?;
        audit(&tx, &now, Some(actor.id), "reset_template", "template", id)?;
        tx.commit()?;
        Ok(())
    }

    /// The dialogue's copy of its template, as its planner signed it; a
    /// copy changed outside Tillid gives way to the kind's built-in.
    /// `None`: planned before templates came in.
    pub(crate) fn dialogue_template(
        &self,
        check: &RowCheck,
        dialogue: i64,
        manager: i64,
        kind: DialogueKind,
    ) -> Result<Option<(Template, bool)>> {
        let row: Option<(String, String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT template_key, body, sig FROM dialogue_template WHERE dialogue_id = ?1",
                [dialogue],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((key, body, sig)) = row else {
            return Ok(None);
        };
        let genuine = check.genuine(
            "dialogue_template",
            dialogue,
            manager,
            &snapshot_signed(&key, &body),
            Some(&sig),
        );
        let template = Template::from_json(&body)
            .ok()
            .filter(|t| genuine && t.kind == kind);
        Ok(Some(match template {
            Some(t) => (t, false),
            None => (builtin(kind), true),
        }))
    }
}

/// Keeps a copy of the template with a dialogue being planned, signed by
/// its planner, inside the planning transaction.
pub(crate) fn keep_copy(
    tx: &Transaction<'_>,
    key: &ed25519_dalek::SigningKey,
    planner: i64,
    dialogue: i64,
    resolved: &Resolved,
) -> Result<()> {
    let body = resolved.template.to_json()?;
    let sig = rows::sign_row(
        key,
        "dialogue_template",
        dialogue,
        planner,
        &snapshot_signed(&resolved.key, &body),
    );
    tx.execute(
        "INSERT INTO dialogue_template (dialogue_id, template_key, body, sig) VALUES (?1, ?2, ?3, ?4)",
        params![dialogue, resolved.key, body, sig],
    )?;
    Ok(())
}
