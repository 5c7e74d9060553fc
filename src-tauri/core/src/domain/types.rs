use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Implements the text form (as stored and as sent to the UI) of a
/// closed set of words.
macro_rules! words {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(field: &'static str, text: &str) -> Result<Self> {
                match text { $($text => Ok($name::$variant),)+ _ => Err(Error::InvalidInput { field }) }
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = v.as_str()?;
                $name::parse(stringify!($name), text)
                    .map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
    };
}

words!(
    /// What a dialogue is for; follow-up dialogues keep the annual MUS and
    /// GRUS agreements alive between them.
    DialogueKind { FollowUp = "follow_up", Mus = "mus", Grus = "grus", Wellbeing = "wellbeing", AdHoc = "ad_hoc" }
);
words!(DialogueState { Planned = "planned", Held = "held", Confirmed = "confirmed", Cancelled = "cancelled" });
words!(AgreementState { Open = "open", Done = "done", Renegotiated = "renegotiated", Dropped = "dropped" });
words!(AgendaStatus { Open = "open", Discussed = "discussed" });
words!(
    /// A person's part in one dialogue. A successor is the manager who took
    /// over an employee's earlier dialogues with the employee's consent:
    /// they read what was shared, and never write in them.
    Role { Manager = "manager", Employee = "employee", Member = "member", Successor = "successor" }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
}

/// Who carries an agreement: one person, or the whole group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Owner {
    pub kind: OwnerKind,
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    Person,
    Group,
}

words!(
    /// Where a rule report stands: new, taken up (e.g. onto a GRUS agenda),
    /// removed or simplified, or kept (with the reason).
    RuleStatus { New = "new", TakenUp = "taken_up", Removed = "removed", Kept = "kept" }
);
