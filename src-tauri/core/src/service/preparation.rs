//! Preparation: each participant answers their side's questions of the
//! dialogue's template on their own. An answer is private content, sealed
//! with its author's own key and signed; with one action it becomes an
//! agenda point in the dialogue's shared space, and the answer shows that.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::dialogues::Head;
use super::{agenda, allow, audit, next_id, write, Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::domain::access;
use crate::templates::{Side, Text};
use crate::trust::rows::{self, Fact};
use crate::validate::{self, SHORT_TEXT_MAX};
use crate::{Error, Result};

/// The dialogue's template, with the reader's own answers.
#[derive(Debug, Serialize)]
pub struct Preparation {
    pub name: Text,
    pub guide: Text,
    /// The dialogue's copy of its template was changed outside Tillid: the
    /// kind's built-in is shown instead.
    pub damaged: bool,
    pub sections: Vec<PrepSection>,
}

#[derive(Debug, Serialize)]
pub struct PrepSection {
    pub title: Text,
    pub questions: Vec<PrepQuestion>,
}

#[derive(Debug, Serialize)]
pub struct PrepQuestion {
    pub section: usize,
    pub question: usize,
    pub text: Text,
    pub side: Side,
    /// The reader's side prepares it.
    pub mine: bool,
    /// The reader may write or change their answer now.
    pub can_answer: bool,
    pub answer: Option<AnswerView>,
}

#[derive(Debug, Serialize)]
pub struct AnswerView {
    pub id: i64,
    pub text: String,
    /// Failed its integrity check: `text` is empty.
    pub damaged: bool,
    /// Shared as an agenda point that is still there.
    pub shared: bool,
    pub can_share: bool,
    pub updated_at: String,
}

fn body_ref(id: i64, author: i64) -> FieldRef {
    FieldRef {
        table: "prep_answer",
        column: "body",
        row: id,
        space: Space::Private { owner: author },
    }
}

/// What an answer's signature covers besides its id and author.
fn signed(
    dialogue: i64,
    section: i64,
    question: i64,
    body: &[u8],
    shared_as: Option<i64>,
) -> [Fact<'_>; 5] {
    [
        Fact::Int(dialogue),
        Fact::Int(section),
        Fact::Int(question),
        Fact::Sealed(Some(body)),
        Fact::OptInt(shared_as),
    ]
}

struct AnswerRow {
    id: i64,
    dialogue: i64,
    author: i64,
    section: i64,
    question: i64,
    body: Vec<u8>,
    shared_as: Option<i64>,
    updated_at: String,
    sig: Vec<u8>,
}

const ANSWER_COLUMNS: &str =
    "id, dialogue_id, author_id, section, question, body, agenda_item_id, updated_at, sig";

fn answer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AnswerRow> {
    Ok(AnswerRow {
        id: r.get(0)?,
        dialogue: r.get(1)?,
        author: r.get(2)?,
        section: r.get(3)?,
        question: r.get(4)?,
        body: r.get(5)?,
        shared_as: r.get(6)?,
        updated_at: r.get(7)?,
        sig: r.get(8)?,
    })
}

impl Tillid {
    /// The dialogue's guide and questions with the reader's own answers;
    /// `None` for a dialogue planned before templates came in.
    pub fn get_preparation(&self, actor: &Actor, dialogue: i64) -> Result<Option<Preparation>> {
        let seat = self.seat(actor, dialogue)?;
        allow(access::may_view(seat))?;
        let head = Head::load(&self.conn, dialogue)?;
        let check = self.row_check(actor)?;
        let Some((template, damaged)) =
            self.dialogue_template(&check, dialogue, head.manager.id, head.kind)?
        else {
            return Ok(None);
        };
        let mine: Vec<AnswerRow> = {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {ANSWER_COLUMNS} FROM prep_answer WHERE dialogue_id = ?1 AND author_id = ?2"
            ))?;
            let rows = stmt.query_map([dialogue, actor.id], answer_row)?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let can_share = access::may_share_answer(seat, true);
        let mut sections = Vec::with_capacity(template.sections.len());
        for (si, s) in template.sections.iter().enumerate() {
            let mut questions = Vec::with_capacity(s.questions.len());
            for (qi, q) in s.questions.iter().enumerate() {
                let row = mine
                    .iter()
                    .find(|a| a.section == si as i64 && a.question == qi as i64);
                let answer = match row {
                    Some(a) => Some(self.answer_view(actor, a, &check, can_share)?),
                    None => None,
                };
                questions.push(PrepQuestion {
                    section: si,
                    question: qi,
                    text: q.text.clone(),
                    side: q.side,
                    mine: access::prepares(seat, q.side),
                    can_answer: access::may_answer(seat, q.side),
                    answer,
                });
            }
            sections.push(PrepSection {
                title: s.title.clone(),
                questions,
            });
        }
        Ok(Some(Preparation {
            name: template.name,
            guide: template.guide,
            damaged,
            sections,
        }))
    }

    fn answer_view(
        &self,
        actor: &Actor,
        a: &AnswerRow,
        check: &super::trusted::RowCheck,
        can_share: bool,
    ) -> Result<AnswerView> {
        let genuine = check.genuine(
            "prep_answer",
            a.id,
            a.author,
            &signed(a.dialogue, a.section, a.question, &a.body, a.shared_as),
            Some(&a.sig),
        );
        let (text, damaged) = if genuine {
            self.open_or_damaged(actor, &body_ref(a.id, a.author), &a.body)?
        } else {
            (String::new(), true)
        };
        let shared = match a.shared_as {
            Some(item) => self.point_exists(item)?,
            None => false,
        };
        Ok(AnswerView {
            id: a.id,
            text,
            damaged,
            shared,
            can_share: can_share && !shared && !damaged,
            updated_at: a.updated_at.clone(),
        })
    }

    fn point_exists(&self, item: i64) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM agenda_item WHERE id = ?1",
                [item],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Writes (or rewrites) the actor's own answer to one question of their
    /// side, sealed with their own key: no one else can read it.
    pub fn answer_question(
        &mut self,
        actor: &Actor,
        dialogue: i64,
        section: usize,
        question: usize,
        text: &str,
    ) -> Result<i64> {
        let seat = self.seat(actor, dialogue)?;
        allow(access::may_view(seat))?;
        let head = Head::load(&self.conn, dialogue)?;
        let check = self.row_check(actor)?;
        let (template, _) = self
            .dialogue_template(&check, dialogue, head.manager.id, head.kind)?
            .ok_or(Error::NotFound { what: "question" })?;
        let side = template
            .question(section, question)
            .ok_or(Error::NotFound { what: "question" })?
            .side;
        allow(access::may_answer(seat, side))?;
        let text = validate::required_text("answer", text, SHORT_TEXT_MAX)?;
        let (section, question) = (section as i64, question as i64);
        let existing: Option<(i64, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT id, agenda_item_id FROM prep_answer
                 WHERE dialogue_id = ?1 AND author_id = ?2 AND section = ?3 AND question = ?4",
                params![dialogue, actor.id, section, question],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let (id, shared_as) = match existing {
            Some(found) => found,
            None => (next_id(&tx, "prep_answer")?, None),
        };
        let body = self.vault.seal(actor.id, &body_ref(id, actor.id), &text)?;
        let sig = rows::sign_row(
            &key,
            "prep_answer",
            id,
            actor.id,
            &signed(dialogue, section, question, &body, shared_as),
        );
        tx.execute(
            "INSERT INTO prep_answer (id, dialogue_id, author_id, section, question, body, agenda_item_id, created_at, updated_at, sig)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)
             ON CONFLICT (id) DO UPDATE SET body = ?6, updated_at = ?8, sig = ?9",
            params![id, dialogue, actor.id, section, question, body, shared_as, now, sig],
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "answer_question",
            "prep_answer",
            id,
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Makes the actor's answer an agenda point of the dialogue, sealed in
    /// its shared space like any point; the answer records that it was
    /// shared. Sharing again while the point is there changes nothing.
    pub fn share_answer(&mut self, actor: &Actor, answer: i64) -> Result<i64> {
        let a = self
            .conn
            .query_row(
                &format!("SELECT {ANSWER_COLUMNS} FROM prep_answer WHERE id = ?1"),
                [answer],
                answer_row,
            )
            .optional()?
            .ok_or(Error::NotFound { what: "answer" })?;
        let seat = self.seat(actor, a.dialogue)?;
        allow(access::may_share_answer(seat, a.author == actor.id))?;
        if let Some(item) = a.shared_as {
            if self.point_exists(item)? {
                return Ok(item);
            }
        }
        let check = self.row_check(actor)?;
        let view = self.answer_view(actor, &a, &check, true)?;
        if view.damaged {
            return Err(Error::Integrity);
        }
        let text = validate::required_text("text", &view.text, SHORT_TEXT_MAX)?;
        let head = Head::load(&self.conn, a.dialogue)?;
        self.prepare_key(actor.id, head.space())?;
        let key = self.signing_key(actor.id)?;
        let now = self.stamp();
        let tx = write(&mut self.conn)?;
        let item = agenda::insert_point(&tx, &self.vault, &key, actor.id, &head, &text, &now)?;
        let sig = rows::sign_row(
            &key,
            "prep_answer",
            a.id,
            actor.id,
            &signed(a.dialogue, a.section, a.question, &a.body, Some(item)),
        );
        tx.execute(
            "UPDATE prep_answer SET agenda_item_id = ?2, sig = ?3 WHERE id = ?1",
            params![a.id, item, sig],
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "add_agenda_item",
            "agenda_item",
            item,
        )?;
        audit(
            &tx,
            &now,
            Some(actor.id),
            "share_answer",
            "prep_answer",
            a.id,
        )?;
        tx.commit()?;
        Ok(item)
    }
}
