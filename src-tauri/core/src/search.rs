//! Full-text search over what one person may read, in an SQLite FTS5 index
//! that lives in memory only: built after unlock, dropped at lock, never
//! written to disk.

use rusqlite::{params, Connection};

use crate::Result;

pub struct SearchIndex {
    conn: Connection,
    /// The last audit row when the index was built: any later write makes
    /// it stale.
    pub built_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: String,
    pub dialogue_id: i64,
    pub text: String,
}

/// Danish spelling folded so that old and new forms meet: "Åse" and "Aase"
/// both become "aase", "Ærø" and "Aeroe" both "aeroe". Other accents are
/// removed by the tokenizer.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'å' => out.push_str("aa"),
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            _ => out.push(c),
        }
    }
    out
}

impl SearchIndex {
    pub fn new(built_at: i64) -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE doc USING fts5(
                 folded, kind UNINDEXED, dialogue_id UNINDEXED, original UNINDEXED,
                 tokenize = 'unicode61 remove_diacritics 2'
             );",
        )?;
        Ok(SearchIndex { conn, built_at })
    }

    pub fn add(&self, kind: &str, dialogue_id: i64, text: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO doc (folded, kind, dialogue_id, original) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![fold(text), kind, dialogue_id, text])?;
        Ok(())
    }

    /// Texts holding every word of `query` (each also as a prefix), best
    /// first. Words are quoted, so nothing typed is read as FTS syntax.
    pub fn query(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let terms: Vec<String> = fold(query)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(|t| format!("\"{t}\"*"))
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, dialogue_id, original FROM doc WHERE doc MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![terms.join(" "), limit as i64], |r| {
            Ok(Hit {
                kind: r.get(0)?,
                dialogue_id: r.get(1)?,
                text: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(texts: &[&str]) -> SearchIndex {
        let i = SearchIndex::new(0).unwrap();
        for (n, t) in texts.iter().enumerate() {
            i.add("note", n as i64, t).unwrap();
        }
        i
    }

    fn found(i: &SearchIndex, q: &str) -> Vec<i64> {
        let mut ids: Vec<i64> = i
            .query(q, 50)
            .unwrap()
            .into_iter()
            .map(|h| h.dialogue_id)
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn old_and_new_danish_spellings_find_each_other() {
        let i = index(&[
            "Møde med Åse om kurset",
            "Aase vil gerne have mentor",
            "Ase fra IT",
            "Ærø-turen",
        ]);
        assert_eq!(found(&i, "Åse"), [0, 1]);
        assert_eq!(found(&i, "aase"), [0, 1]);
        assert_eq!(found(&i, "aeroe"), [3]);
        assert_eq!(found(&i, "mode"), Vec::<i64>::new(), "ø is oe, not o");
        assert_eq!(found(&i, "moede"), [0]);
    }

    #[test]
    fn words_are_prefixes_and_all_must_match_and_syntax_is_inert() {
        let i = index(&[
            "Kursus i konfliktløsning",
            "Kursus i Excel",
            "\"quoted\" NEAR(x) text",
        ]);
        assert_eq!(found(&i, "kurs"), [0, 1]);
        assert_eq!(found(&i, "kursus konflikt"), [0]);
        assert_eq!(found(&i, "NEAR(x"), [2]);
        assert_eq!(found(&i, "\"* OR"), Vec::<i64>::new());
        assert!(i.query("  ", 10).unwrap().is_empty());
    }
}
