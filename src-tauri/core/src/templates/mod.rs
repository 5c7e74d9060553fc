//! Templates: the guide and preparation questions of a kind of dialogue.
//! The built-in ones live in [`builtin`]; a workplace's edited and own
//! templates are stored signed by an administrator (`service::templates`),
//! and every dialogue keeps a copy of its template from when it was planned.
//!
//! A template only ever offers questions: answering is voluntary and no
//! field of a dialogue becomes required because of it.

mod builtin;

use serde::{Deserialize, Serialize};

use crate::domain::DialogueKind;
use crate::validate::{NAME_MAX, NOTE_MAX, SHORT_TEXT_MAX};
use crate::{Error, Result};

pub use builtin::builtin;

/// A text in both of the app's languages; one may be empty, and the other
/// is then shown in its place.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    #[serde(default)]
    pub da: String,
    #[serde(default)]
    pub en: String,
}

impl Text {
    pub fn new(da: &str, en: &str) -> Text {
        Text {
            da: da.to_owned(),
            en: en.to_owned(),
        }
    }

    fn is_blank(&self) -> bool {
        self.da.trim().is_empty() && self.en.trim().is_empty()
    }

    fn trimmed(&self) -> Text {
        Text::new(self.da.trim(), self.en.trim())
    }

    fn longest(&self) -> usize {
        self.da.chars().count().max(self.en.chars().count())
    }
}

/// Who prepares a question before the dialogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Employee,
    Manager,
    Both,
    /// The members of a personnel group (and its leader) in a GRUS.
    Members,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub text: Text,
    pub side: Side,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub title: Text,
    #[serde(default)]
    pub questions: Vec<Question>,
}

/// The content of a template, as edited and as copied into a dialogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub kind: DialogueKind,
    pub name: Text,
    #[serde(default)]
    pub guide: Text,
    #[serde(default)]
    pub sections: Vec<Section>,
}

pub const SECTIONS_MAX: usize = 20;
pub const QUESTIONS_MAX: usize = 40;

impl Template {
    /// Trims every text and checks the template is within bounds: a name,
    /// sections with titles, questions with text. Nothing in it is required
    /// of the people who later use it.
    pub fn checked(&self) -> Result<Template> {
        let text = |field: &'static str, t: &Text, max: usize, required: bool| {
            if required && t.is_blank() {
                return Err(Error::EmptyText { field });
            }
            if t.longest() > max {
                return Err(Error::TextTooLong { field, max });
            }
            Ok(t.trimmed())
        };
        if self.sections.len() > SECTIONS_MAX {
            return Err(Error::InvalidInput { field: "sections" });
        }
        let mut sections = Vec::with_capacity(self.sections.len());
        for s in &self.sections {
            if s.questions.len() > QUESTIONS_MAX {
                return Err(Error::InvalidInput { field: "questions" });
            }
            let mut questions = Vec::with_capacity(s.questions.len());
            for q in &s.questions {
                questions.push(Question {
                    text: text("question", &q.text, SHORT_TEXT_MAX, true)?,
                    side: q.side,
                });
            }
            sections.push(Section {
                title: text("section_title", &s.title, NAME_MAX, true)?,
                questions,
            });
        }
        Ok(Template {
            kind: self.kind,
            name: text("template_name", &self.name, NAME_MAX, true)?,
            guide: text("guide", &self.guide, NOTE_MAX, false)?,
            sections,
        })
    }

    /// The stored form: JSON, whose bytes the signatures cover.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Storage(e.to_string()))
    }

    pub fn from_json(json: &str) -> Result<Template> {
        serde_json::from_str(json).map_err(|_| Error::Integrity)
    }

    /// The question at `section`/`question`, if there is one.
    pub fn question(&self, section: usize, question: usize) -> Option<&Question> {
        self.sections.get(section)?.questions.get(question)
    }
}

/// The built-in template every kind starts from.
pub fn builtin_kinds() -> &'static [DialogueKind] {
    DialogueKind::ALL
}
